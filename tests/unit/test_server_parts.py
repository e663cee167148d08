"""The parts of the server hook and of the pre-push batches that need no push: pre-receive's
input, the time budget, and the record of passed pushes."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from contribution_gate import pushes
from contribution_gate.errors import GateError
from contribution_gate.git import Repository
from contribution_gate.server import OutOfTime, Update, parse_updates, time_budget

if TYPE_CHECKING:
    from conftest import GitRepo

OLD, NEW = "a" * 40, "b" * 40


def test_pre_receive_input_is_read_as_git_writes_it() -> None:
    text = f"{OLD} {NEW} refs/heads/main\n{'0' * 40} {NEW} refs/heads/new\n{NEW} {'0' * 40} refs/tags/gone\n\n"
    updates = parse_updates(text)
    assert updates == [
        Update(OLD, NEW, "refs/heads/main"),
        Update("0" * 40, NEW, "refs/heads/new"),
        Update(NEW, "0" * 40, "refs/tags/gone"),
    ]
    assert [u.deleted for u in updates] == [False, False, True]
    assert parse_updates(f"{'c' * 64} {'d' * 64} refs/heads/sha256\n")[0].new == "d" * 64


@pytest.mark.parametrize(
    "line",
    [
        "garbage",
        f"{OLD} {NEW}",
        f"{OLD} {NEW} main",  # not a full ref name
        f"{OLD[:-1]}g {NEW} refs/heads/main",
        f"{OLD} {NEW} refs/heads/a b",
    ],
)
def test_other_input_is_an_error_naming_the_line(line: str) -> None:
    with pytest.raises(GateError, match="stdin line 2: expected '<old> <new> <ref>'"):
        parse_updates(f"{OLD} {NEW} refs/heads/ok\n{line}\n")


def test_the_time_budget_interrupts_a_wait_on_a_process() -> None:
    started = time.monotonic()
    with pytest.raises(OutOfTime), time_budget(0.2, lambda: None):
        subprocess.run([sys.executable, "-c", "import time; time.sleep(20)"], check=False)
    assert time.monotonic() - started < 10  # the 20 s child did not run to its end


def test_a_budget_that_is_not_spent_changes_nothing() -> None:
    with time_budget(30, lambda: None):
        value = sum(range(1000))
    assert value == 499500
    time.sleep(0.05)  # no alarm left behind


def test_a_passed_push_is_remembered_for_a_while(based_repo: GitRepo) -> None:
    repo = Repository(based_repo.root)
    push = pushes.key(["a", "b"], ["--check=secrets"], "9.9.9")
    assert not pushes.passed(repo, push, now=1000.0)
    pushes.remember(repo, push, now=1000.0)
    assert pushes.passed(repo, push, now=1000.0 + pushes.RECENT - 1)
    assert not pushes.passed(repo, push, now=1000.0 + pushes.RECENT + 1)
    assert not pushes.passed(repo, pushes.key(["a", "c"], ["--check=secrets"], "9.9.9"), now=1001.0)
    assert not pushes.passed(repo, pushes.key(["a", "b"], [], "9.9.9"), now=1001.0)


def test_a_pass_recorded_late_in_a_second_counts_at_once(based_repo: GitRepo) -> None:
    """The next run of one push can start within the same second: the record keeps the fraction
    (0.2.0 rounded 1000.6 up to 1001, so a run at 1000.8 found no pass and reviewed again)."""
    repo = Repository(based_repo.root)
    push = pushes.key(["a", "b"], [], "9.9.9")
    pushes.remember(repo, push, now=1000.6)
    assert pushes.passed(repo, push, now=1000.8)
