"""GitHub event payloads -> base and head to review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contribution_gate.errors import GateError
from contribution_gate.github.events import ZERO, read_event, target_of

BASE, HEAD = "a" * 40, "b" * 40


@pytest.mark.parametrize("name", ["pull_request", "pull_request_target"])
def test_pull_request(name: str) -> None:
    payload = {"pull_request": {"base": {"sha": BASE}, "head": {"sha": HEAD}, "user": {"login": "octo"}}}
    target = target_of(payload, name)
    assert (target.base, target.head, target.author) == (BASE, HEAD, "octo")


def test_push_and_new_branch_push() -> None:
    assert target_of({"before": BASE, "after": HEAD}, "push").base == BASE
    new_branch = target_of({"before": ZERO, "after": HEAD, "repository": {"default_branch": "main"}}, "push")
    assert (new_branch.base, new_branch.default_branch) == (None, "main")


def test_unsupported_and_broken_events(tmp_path: Path) -> None:
    with pytest.raises(GateError, match="'issues' is not supported"):
        target_of({"issue": {}}, "issues")
    with pytest.raises(GateError, match="pull_request event without"):
        target_of({"pull_request": {}}, "pull_request")
    bad = tmp_path / "event.json"
    bad.write_text("{not json")
    with pytest.raises(GateError, match="not a JSON event payload"):
        read_event(bad, None)
    with pytest.raises(GateError, match="cannot read the event file"):
        read_event(tmp_path / "missing.json", None)
    good = tmp_path / "pr.json"
    good.write_text(json.dumps({"pull_request": {"base": {"sha": BASE}, "head": {"sha": HEAD}}}))
    assert read_event(good, None).event == "pull_request"
