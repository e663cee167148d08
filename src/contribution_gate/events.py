"""A GitHub event payload -> what to review: base and head of a pull request or a push.

Pure: it reads the JSON GitHub writes to GITHUB_EVENT_PATH and never talks to git.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GateError

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


def read_event(path: Path, event_name: str | None) -> EventTarget:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GateError(f"cannot read the event file {path}: {exc.strerror}: pass --event PATH of a GitHub event payload") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise GateError(f"{path} is not a JSON event payload ({exc})") from None
    if not isinstance(payload, dict):
        raise GateError(f"{path} is not a GitHub event payload (expected a JSON object)")
    return target_of(payload, event_name, str(path))


def target_of(payload: dict[str, Any], event_name: str | None, source: str = "event") -> EventTarget:
    """Base and head of the event; `event_name` is GITHUB_EVENT_NAME (guessed from the payload if None)."""
    name = event_name or ("pull_request" if "pull_request" in payload else "push" if "after" in payload else "")
    try:
        if name in ("pull_request", "pull_request_target"):
            pr = payload["pull_request"]
            return EventTarget(name, pr["base"]["sha"], pr["head"]["sha"], author=pr.get("user", {}).get("login"))
        if name == "merge_group":
            group = payload["merge_group"]
            return EventTarget(name, group["base_sha"], group["head_sha"])
        if name == "push":
            before, after = payload.get("before") or ZERO, payload["after"]
            default = payload.get("repository", {}).get("default_branch")
            return EventTarget(name, None if before == ZERO else before, after, default_branch=default)
    except (KeyError, TypeError) as exc:
        raise GateError(f"{source}: a {name} event without {exc}: is this the right event file?") from None
    supported = ", ".join((*PULL_REQUEST_EVENTS, "push"))
    raise GateError(f"{source}: event {name or 'unknown'!r} is not supported: run on {supported}")
