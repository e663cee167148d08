"""A GitHub event payload -> what to review: base and head of a pull request or a push.

Pure: it reads the JSON GitHub writes to GITHUB_EVENT_PATH and never talks to git. Every field it
uses is checked for GitHub's type and form before it is used (a sha is hex, a login a login, a
number a number), so a payload of the wrong shape is a one-line error (exit 2), never a crash, and
nothing from it reaches git or a URL unchecked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from ..errors import GateError

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target", "merge_group")
ZERO = "0" * 40
_SHA = re.compile(r"[0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?")  # SHA-1, or SHA-256 object names
_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}(?:\[bot\])?")  # `_` for managed users
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")
_REF = re.compile(r"[^\x00-\x20\x7f~^:?*\[\\-][^\x00-\x20\x7f~^:?*\[\\]{0,254}")  # a branch name, as git allows


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
        raise GateError(f"{path} is not a JSON event payload ({str(exc).splitlines()[0][:200]})") from None
    except RecursionError:
        raise GateError(f"{path} is not a GitHub event payload (JSON nested too deeply)") from None
    if not isinstance(payload, dict):
        raise GateError(f"{path} is not a GitHub event payload (expected a JSON object)")
    return payload


def is_sha(value: Any) -> bool:
    return isinstance(value, str) and _SHA.fullmatch(value) is not None


def is_login(value: Any) -> bool:
    """A GitHub login (`octocat`, `dependabot[bot]`): never a newline, space or option."""
    return isinstance(value, str) and _LOGIN.fullmatch(value) is not None


def is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 256 and value.isprintable()


def _is_ref(value: Any) -> bool:
    return isinstance(value, str) and _REF.fullmatch(value) is not None and ".." not in value


def _is_repository(value: Any) -> bool:
    return isinstance(value, str) and _REPOSITORY.fullmatch(value) is not None


_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "sha": (is_sha, "a commit sha (40 hex digits)"),
    "login": (is_login, "a GitHub login"),
    "number": (is_number, "a number"),
    "text": (_is_text, "a short string"),
    "ref": (_is_ref, "a branch name"),
    "repository": (_is_repository, "owner/name"),
}


class _Payload:
    """Typed reads of dotted paths of one event payload; a wrong shape is a GateError naming the
    path, the type found and the one expected."""

    def __init__(self, payload: dict[str, Any], event: str, source: str) -> None:
        self._payload, self._event, self._source = payload, event, source

    def get(self, path: str, kind: str, required: bool = False) -> Any:
        """The value at `path` (`pull_request.base.sha`): None when absent or null and not required."""
        value: Any = self._payload
        walked: list[str] = []
        for key in path.split("."):
            if value is None:
                break
            if not isinstance(value, dict):
                self._fail(f"whose {'.'.join(walked)} is {_kind_of(value)}, not an object")
            walked.append(key)
            value = value.get(key)
        if value is None:
            if required:
                self._fail(f"without {path}")
            return None
        valid, what = _KINDS[kind]
        if not valid(value):
            self._fail(f"whose {path} is {_kind_of(value)}, not {what}")
        return value

    def _fail(self, problem: str) -> NoReturn:
        raise GateError(f"{self._source}: a {self._event} event {problem}: is this the right event file?")


def _kind_of(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), "null" if value is None else "a value")


def target_of(payload: dict[str, Any], event_name: str | None, source: str = "event") -> EventTarget:
    """Base and head of the event; `event_name` is GITHUB_EVENT_NAME (guessed from the payload if None)."""
    if not isinstance(payload, dict):
        raise GateError(f"{source} is not a GitHub event payload (expected a JSON object)")
    name = event_name or (
        "pull_request"
        if "pull_request" in payload
        else "push"
        if "after" in payload
        else "issue_comment"
        if "comment" in payload and "issue" in payload
        else ""
    )
    event = _Payload(payload, name, source)
    if name in ("pull_request", "pull_request_target"):
        return EventTarget(
            name,
            event.get("pull_request.base.sha", "sha", required=True),
            event.get("pull_request.head.sha", "sha", required=True),
            author=event.get("pull_request.user.login", "login"),
            number=event.get("pull_request.number", "number"),
            author_id=event.get("pull_request.user.id", "number"),
            association=event.get("pull_request.author_association", "text"),
            base_ref=event.get("pull_request.base.ref", "ref"),
            **_repository(event),
        )
    if name == "merge_group":
        return EventTarget(
            name,
            event.get("merge_group.base_sha", "sha", required=True),
            event.get("merge_group.head_sha", "sha", required=True),
        )
    if name == "push":
        before, after = event.get("before", "sha") or ZERO, event.get("after", "sha", required=True)
        if after.strip("0") == "":
            raise GateError(f"{source}: a push that deletes a branch adds nothing to review")
        default = event.get("repository.default_branch", "ref")
        return EventTarget(
            name, None if before.strip("0") == "" else before, after, default_branch=default, **_repository(event)
        )
    supported = ", ".join((*PULL_REQUEST_EVENTS, "push"))
    if name == "issue_comment":
        raise GateError(
            f"{source}: an issue_comment event names no commits to review: sign the CLA from it with "
            "`contribution-gate cla sign --event PATH`, and review on pull_request or push"
        )
    shown = name if _is_text(name) and len(name) <= 40 else "?"
    raise GateError(f"{source}: event {shown or 'unknown'!r} is not supported: run on {supported}")


def _repository(event: _Payload) -> dict[str, Any]:
    """The repository fields of an event: full name, id, and the owner when it is a user."""
    owner_type = event.get("repository.owner.type", "text")
    owner = event.get("repository.owner.login", "login")
    return {
        "repository": event.get("repository.full_name", "repository"),
        "repository_id": event.get("repository.id", "number"),
        "user_owner": owner if owner_type == "User" else None,
    }
