"""A GitHub event payload -> what to review: base and head of a pull request or a push.

Pure: it reads the JSON GitHub writes to GITHUB_EVENT_PATH and never talks to git.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GateError

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target", "merge_group")
ZERO = "0" * 40


@dataclass(frozen=True, slots=True)
class EventTarget:
    """`base` is None for a push that creates a branch: review what the default branch lacks."""

    event: str
    base: str | None
    head: str
    default_branch: str | None = None
    author: str | None = None
    # For the cla check: the pull request, its author's account and standing, the repository.
    number: int | None = None
    author_id: int | None = None
    association: str | None = None  # author_association: OWNER, MEMBER, CONTRIBUTOR, ...
    repository: str | None = None  # owner/name
    repository_id: int | None = None
    user_owner: str | None = None  # the owner's login when a user (not an organisation) owns it
    base_ref: str | None = None


def read_event(path: Path, event_name: str | None) -> EventTarget:
    return target_of(read_payload(path), event_name, str(path))


def read_payload(path: Path) -> dict[str, Any]:
    """The JSON object of an event file, or a one-line GateError naming the file."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GateError(
            f"cannot read the event file {path}: {exc.strerror}: pass --event PATH of a GitHub event payload"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise GateError(f"{path} is not a JSON event payload ({exc})") from None
    if not isinstance(payload, dict):
        raise GateError(f"{path} is not a GitHub event payload (expected a JSON object)")
    return payload


def target_of(payload: dict[str, Any], event_name: str | None, source: str = "event") -> EventTarget:
    """Base and head of the event; `event_name` is GITHUB_EVENT_NAME (guessed from the payload if None)."""
    name = event_name or (
        "pull_request"
        if "pull_request" in payload
        else "push"
        if "after" in payload
        else "issue_comment"
        if "comment" in payload and "issue" in payload
        else ""
    )
    try:
        if name in ("pull_request", "pull_request_target"):
            pr = payload["pull_request"]
            user = pr.get("user") or {}
            return EventTarget(
                name,
                pr["base"]["sha"],
                pr["head"]["sha"],
                author=user.get("login"),
                number=_int(pr.get("number")),
                author_id=_int(user.get("id")),
                association=pr.get("author_association"),
                base_ref=pr["base"].get("ref"),
                **_repository(payload),
            )
        if name == "merge_group":
            group = payload["merge_group"]
            return EventTarget(name, group["base_sha"], group["head_sha"])
        if name == "push":
            before, after = payload.get("before") or ZERO, payload["after"]
            default = payload.get("repository", {}).get("default_branch")
            return EventTarget(
                name, None if before == ZERO else before, after, default_branch=default, **_repository(payload)
            )
    except (KeyError, TypeError) as exc:
        raise GateError(f"{source}: a {name} event without {exc}: is this the right event file?") from None
    supported = ", ".join((*PULL_REQUEST_EVENTS, "push"))
    if name == "issue_comment":
        raise GateError(
            f"{source}: an issue_comment event names no commits to review: sign the CLA from it with "
            "`contribution-gate cla sign --event PATH`, and review on pull_request or push"
        )
    raise GateError(f"{source}: event {name or 'unknown'!r} is not supported: run on {supported}")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _repository(payload: dict[str, Any]) -> dict[str, Any]:
    """The repository fields of an event: full name, id, and the owner when it is a user."""
    repo = payload.get("repository")
    if not isinstance(repo, dict):
        return {}
    owner = repo.get("owner")
    owner = owner if isinstance(owner, dict) else {}
    full_name = repo.get("full_name")
    return {
        "repository": full_name if isinstance(full_name, str) else None,
        "repository_id": _int(repo.get("id")),
        "user_owner": owner.get("login") if owner.get("type") == "User" else None,
    }
