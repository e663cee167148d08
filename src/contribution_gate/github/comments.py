"""The sticky comment: one comment per pull request, found again by a hidden marker and edited in place.

The first run creates it (`POST /repos/{o}/{r}/issues/{n}/comments`); later runs list the comments
(every page), find the one that starts with `MARKER` and edit it (`PATCH .../issues/comments/{id}`),
so the conversation holds one review that is always current. Only a comment written by a bot
account (`user.type == "Bot"`, which `github-actions[bot]` is) counts: a person who pastes the
marker into a comment of their own cannot make the gate edit, or read its state from, their text
(with a person's token, that person's own comments count too).

The comment also carries a small state line (hidden, like the marker) that the signing job reads:
which head commit the last full review saw and whether everything but the CLA passed there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .rest import ApiError, Client

MARKER = "<!-- contribution-gate: sticky review comment -->"
LIMIT = 65536  # GitHub refuses a longer comment body
_STATE = re.compile(r"<!-- contribution-gate:state (\{[^<>\n]{0,500}\}) -->")
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


@dataclass(frozen=True)
class State:
    """What the last full review recorded: its head and the verdict of every check but cla."""

    head: str
    others: str  # "pass" | "fail"

    def line(self) -> str:
        return f"<!-- contribution-gate:state {json.dumps({'head': self.head, 'others': self.others})} -->"


@dataclass(frozen=True)
class Sticky:
    id: int
    body: str

    @property
    def state(self) -> State | None:
        return parse_state(self.body)


def parse_state(body: str) -> State | None:
    """The state line, which is only ever the line after the marker (a file name quoted further down
    the report cannot pose as one)."""
    lines = body.split("\n", 2)
    found = _STATE.fullmatch(lines[1]) if len(lines) > 1 and lines[0] == MARKER else None
    if not found:
        return None
    try:
        data = json.loads(found.group(1))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    head, others = data.get("head"), data.get("others")
    if not isinstance(head, str) or not _SHA.fullmatch(head) or others not in ("pass", "fail"):
        return None
    return State(head, others)


def _author(comment: Any) -> tuple[str, str] | None:
    """(login, type) of a comment that carries the marker, else None."""
    if not isinstance(comment, dict) or not isinstance(comment.get("id"), int):
        return None
    user, body = comment.get("user"), comment.get("body")
    if not isinstance(user, dict) or not isinstance(body, str) or not body.startswith(MARKER):
        return None
    return str(user.get("login") or ""), str(user.get("type") or "")


def find(client: Client, number: int) -> Sticky | None:
    """The oldest sticky comment of the pull request written by a bot (`github-actions[bot]`), or,
    when the token is a person's (a maintainer running the CLI), by that person."""
    people: dict[str, Sticky] = {}
    for comment in client.pages(client.repo_path(f"issues/{number}/comments?per_page=100")):
        author = _author(comment)
        if author is None:
            continue
        if author[1] == "Bot":
            return Sticky(comment["id"], comment["body"])
        people.setdefault(author[0].lower(), Sticky(comment["id"], comment["body"]))
    if not people:
        return None
    try:  # GITHUB_TOKEN may not ask this (403): then no person's comment is ours
        me = client.request("GET", "/user").data
    except ApiError:
        return None
    login = me.get("login") if isinstance(me, dict) else None
    return people.get(login.lower()) if isinstance(login, str) else None


def fitted(body: str) -> str:
    """`body` cut at a line end to GitHub's limit, saying so."""
    if len(body) <= LIMIT:
        return body
    note = "\n\n_(cut to fit GitHub's comment limit; the job summary and the JSON report have it all)_\n"
    cut = body[: LIMIT - len(note)]
    return cut[: cut.rfind("\n") + 1 or len(cut)] + note


def upsert(client: Client, number: int, body: str, existing: Sticky | None = None) -> tuple[str, int]:
    """Create or edit the sticky comment: ("created" | "edited" | "unchanged", comment id)."""
    body = fitted(body if body.startswith(MARKER) else f"{MARKER}\n{body}")
    sticky = existing if existing is not None else find(client, number)
    if sticky is None:
        reply = client.request("POST", client.repo_path(f"issues/{number}/comments"), {"body": body})
        made = reply.data.get("id") if isinstance(reply.data, dict) else None
        return "created", made if isinstance(made, int) else 0
    if sticky.body == body:
        return "unchanged", sticky.id
    client.request("PATCH", client.repo_path(f"issues/comments/{sticky.id}"), {"body": body})
    return "edited", sticky.id
