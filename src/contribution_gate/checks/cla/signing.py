"""`contribution-gate cla sign`: record a CLA signature from an `issue_comment` event.

When a new comment on a pull request is exactly the configured phrase (compared with whitespace
collapsed and case ignored), its author is appended to the signatures file once, in CLA Assistant
Lite's format. A comment of just `recheck` asks for the pull request to be checked again without
signing (`request_of`). Pure: payload and file text in, outcome out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...errors import GateError
from ...github.events import is_login, is_number
from . import signatures


@dataclass(frozen=True)
class Outcome:
    signed: bool  # the file changed
    message: str
    login: str | None = None
    text: str | None = None  # the new file content when `signed`


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _expect(obj: dict[str, Any], key: str, valid: Callable[[Any], bool], name: str, what: str) -> None:
    """A field the signature records must have GitHub's type when present (null is absent)."""
    value = obj.get(key)
    if value is not None and not valid(value):
        raise GateError(f"the issue_comment event's {name} is not {what}: is this the right event file?")


def sign(payload: dict[str, Any], event_name: str | None, phrase: str, current: str, source: str) -> Outcome:
    """The outcome of one issue_comment event for a signatures file holding `current`."""
    if event_name not in (None, "issue_comment") or "comment" not in payload or "issue" not in payload:
        raise GateError(
            f"cla sign needs an issue_comment event, not {event_name or 'this payload'}: run it on `on: issue_comment`"
        )
    comment, issue = payload["comment"], payload["issue"]
    if not isinstance(comment, dict) or not isinstance(issue, dict):
        raise GateError("the issue_comment event has no comment or issue object: is this the right event file?")
    if payload.get("action", "created") != "created":
        return Outcome(False, f"comment {payload.get('action')}: only new comments sign")
    if not isinstance(issue.get("pull_request"), dict):
        return Outcome(False, "a comment on an issue, not on a pull request: nothing to sign")
    if _words(str(comment.get("body") or "")) != _words(phrase):
        return Outcome(False, "the comment is not the signing phrase: nothing to sign")
    user = comment.get("user")
    if not isinstance(user, dict) or not is_login(user.get("login")) or not is_number(user.get("id")):
        raise GateError("the comment has no user login and numeric id: is this the right event file?")
    login = user["login"]
    if user.get("type") == "Bot":
        return Outcome(False, f"{login} is a bot: bots do not sign", login)
    repository = payload.get("repository")
    repository = repository if isinstance(repository, dict) else {}
    _expect(comment, "id", is_number, "comment.id", "a number")
    _expect(comment, "created_at", lambda v: isinstance(v, str) and len(v) <= 64, "comment.created_at", "a time")
    _expect(issue, "number", is_number, "issue.number", "a number")
    _expect(repository, "id", is_number, "repository.id", "a number")
    entry = signatures.entry_for(comment, repository.get("id"), issue.get("number"))
    updated = signatures.append(current, entry, source)
    if updated is None:
        return Outcome(False, f"{login} has already signed", login)
    return Outcome(True, f"{login} signed the CLA: added to {source}", login, updated)


RECHECK = "recheck"
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


@dataclass(frozen=True)
class Request:
    """What a pull-request comment asks for: "sign" (the phrase), "recheck", or nothing ("")."""

    kind: str
    number: int | None = None
    login: str | None = None
    repository: str | None = None  # owner/name, from the event


def request_of(payload: dict[str, Any], phrase: str) -> Request:
    """Whether a new, human comment on a pull request is the phrase or `recheck` (sign() has already
    checked the payload's shape for the phrase)."""
    comment, issue = payload.get("comment"), payload.get("issue")
    if not isinstance(comment, dict) or not isinstance(issue, dict) or payload.get("action", "created") != "created":
        return Request("")
    if not isinstance(issue.get("pull_request"), dict) or not is_number(issue.get("number")):
        return Request("")
    user = comment.get("user")
    if not isinstance(user, dict) or not is_login(user.get("login")) or user.get("type") == "Bot":
        return Request("")
    words = _words(str(comment.get("body") or ""))
    kind = "sign" if words == _words(phrase) else RECHECK if words == RECHECK else ""
    repository = payload.get("repository")
    name = repository.get("full_name") if isinstance(repository, dict) else None
    valid = isinstance(name, str) and _REPOSITORY.fullmatch(name) is not None
    return Request(kind, issue["number"], user["login"], name if valid else None)
