"""Each check's time budget for one review (`[review] max-seconds-per-check`): a check over it is
stopped between files and marked `error`, and the review fails closed naming it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import tokens
from tokens import secret_line

from contribution_gate.model import FileChange, Finding

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]


def test_a_check_over_its_budget_fails_the_review_naming_it(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """Through the installed command: a budget of a microsecond is spent by the first file."""
    based_repo.commit_files("policy", {".contribution-gate.toml": "[review]\nmax-seconds-per-check = 0.000001\n"})
    based_repo.add("app.py", "x = 1\n")
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert run.code == 1, run
    report = run.json()
    assert report["verdict"] == "fail"
    (check,) = report["checks"]
    assert check["name"] == "secrets" and check["status"] == "error"
    (error,) = report["errors"]
    assert error["check"] == "secrets" and "over its budget of 1e-06 s" in error["message"]
    assert "max-seconds-per-check" in error["message"]
    text = gate_cmd("review", "--staged", "--check", "secrets", "-C", based_repo.root)
    assert text.code == 1 and "over its budget" in " ".join(text.out.split())  # the text report wraps it


def test_the_check_is_stopped_between_files_and_keeps_what_it_found(
    based_repo: GitRepo, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contribution_gate.checks import licenses

    seen: list[str] = []

    def slow(change: FileChange, opts: Any) -> Iterator[Finding]:
        seen.append(change.path)
        time.sleep(0.05)
        return iter(())

    monkeypatch.setattr(licenses, "scan_file", slow)
    based_repo.commit_files("policy", {".contribution-gate.toml": "[review]\nmax-seconds-per-check = 0.12\n"})
    for index in range(12):
        based_repo.add(f"src/m{index:02}.py", "x = 1\n")
    based_repo.add("leak.py", secret_line("KEY", tokens.openai_key()))
    run = gate(
        "review", "--staged", "--check", "licenses", "--check", "secrets", "--format", "json", "-C", based_repo.root
    )
    assert run.code == 1
    report = run.json()
    assert {c["name"]: c["status"] for c in report["checks"]} == {"licenses": "error", "secrets": "fail"}
    assert 1 <= len(seen) <= 3  # stopped after the file that went over (0.05 s each), not all 13
    assert [f["rule"] for f in report["findings"]] == ["openai-api-key"]  # the other check ran to the end


def test_no_budget_and_a_generous_default(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": "[review]\nmax-seconds-per-check = 0\n"})
    based_repo.add("app.py", "x = 1\n")
    assert gate("review", "--staged", "-C", based_repo.root).code == 0
    from contribution_gate.config import Config, parse

    assert Config().seconds_per_check == 600.0
    assert parse("[review]\nmax-seconds-per-check = 0\n", "p").seconds_per_check is None
    assert parse("[review]\nmax-seconds-per-check = 2.5\n", "p").seconds_per_check == 2.5


@pytest.mark.parametrize("value", ["-1", '"ten"', "true", "nan", "inf"])
def test_a_bad_budget_is_a_config_error(based_repo: GitRepo, gate: Gate, value: str) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": f"[review]\nmax-seconds-per-check = {value}\n"})
    based_repo.add("app.py", "x = 1\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 2
    (line,) = run.err.strip().splitlines()
    assert ".contribution-gate.toml" in line and "[review] max-seconds-per-check" in line
