"""What a new user runs into first, through the command on real repositories: an empty range is
said (a warning, exit 0), a reversed or diverged range is an error with the command to run instead
(exit 2), a misspelt policy key or table gets the closest known name, warnings reach the reports,
and counts read `1 commit`, `1 file`, `1 finding`."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import tokens

from contribution_gate.progress import ProgressLine
from contribution_gate.wording import plural

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
GateCmd = Callable[..., "Run"]


def test_an_empty_range_is_a_warning_not_a_silent_pass(based_repo: GitRepo, gate: Gate) -> None:
    run = gate("review", "--range", "HEAD..HEAD", "-C", based_repo.root)
    assert run.code == 0, run
    assert "has no commits, so nothing was reviewed" in run.err
    data = gate("review", "--range", "main..HEAD", "--format", "json", "-C", based_repo.root).json()
    assert any("has no commits" in w for w in data["warnings"])


def test_a_reversed_range_is_an_error_with_the_fix(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("more", {"b.txt": "b\n"})
    run = gate("review", "--range", "HEAD..HEAD~1", "-C", based_repo.root)
    assert run.code == 2, run
    assert run.out == ""
    assert "range 'HEAD..HEAD~1' is reversed" in run.err and "--range HEAD~1..HEAD" in run.err
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err


def test_a_diverged_range_says_to_use_the_merge_base(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.checkout("-b", "topic")
    based_repo.commit_files("topic", {"t.txt": "t\n"})
    based_repo.checkout("main")
    based_repo.commit_files("main moves on", {"m.txt": "m\n"})
    run = gate("review", "--range", "main..topic", "-C", based_repo.root)
    assert run.code == 2, run
    assert "main" in run.err and "is not an ancestor of topic" in run.err and "--range main...topic" in run.err
    fixed = gate("review", "--range", "main...topic", "--format", "json", "-C", based_repo.root)
    assert fixed.code == 0 and fixed.json()["stats"] == {"files": 1, "commits": 1}


def test_a_leak_in_a_proper_range_still_fails(based_repo: GitRepo, gate: Gate) -> None:
    base = based_repo.sha()
    based_repo.commit_files("leak", {"k.py": tokens.secret_line("KEY", tokens.openai_key())})
    assert gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root).code == 1


def test_a_misspelt_key_gets_the_closest_name_and_reaches_the_reports(
    based_repo: GitRepo, gate: Gate, tmp_path: Path
) -> None:
    based_repo.write(
        ".contribution-gate.toml",
        '[internal-urls]\nexclude_paths = ["docs/**"]\n[secret]\nallow = []\n[secrets]\nmax-seconds-per-check = 5\n',
    )
    based_repo.add("ok.txt", "fine\n")
    sarif = tmp_path / "gate.sarif"
    run = gate("review", "--staged", "--format", "json", "--report", f"sarif:{sarif}", "-C", based_repo.root)
    assert run.code == 0, run
    expected = [
        "unknown key 'exclude_paths' in [internal-urls] ignored: did you mean `exclude-paths`?",
        "unknown table [secret] ignored: did you mean [secrets]?",
        "unknown key 'max-seconds-per-check' in [secrets] ignored: did you mean `max-seconds-per-check` in [review]?",
    ]
    for text in expected:
        assert text in run.err
    warnings = run.json()["warnings"]
    assert [w.split(": ", 1)[1] for w in warnings] == expected
    notes = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == warnings
    markdown = gate("review", "--staged", "--format", "markdown", "-C", based_repo.root)
    assert "did you mean \\`exclude-paths\\`?" in markdown.out


def test_a_misspelt_check_name_is_an_error_with_the_closest_name(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.write(".contribution-gate.toml", '[checks]\nenabled = ["secret"]\n')
    based_repo.add("ok.txt", "fine\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 2 and 'did you mean "secrets"?' in run.err


def test_counts_read_right(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("one", {"a.txt": "a\n"})
    run = gate("review", "--range", "HEAD~1..HEAD", "-C", based_repo.root)
    assert "in 1 file, 1 commit" in run.out and "1 commits" not in run.out and "1 files" not in run.out
    based_repo.commit_files("leak", {"k.py": tokens.secret_line("KEY", tokens.openai_key())})
    made = gate("baseline", "create", "-C", based_repo.root)
    assert made.code == 0 and "baseline: 1 finding accepted" in made.out
    audit = gate("baseline", "audit", based_repo.root / ".contribution-gate-baseline.json")
    assert "1 accepted finding in" in audit.out
    assert (plural(1, "commit"), plural(2, "commit"), plural(0, "file")) == ("1 commit", "2 commits", "0 files")
    stream = io.StringIO()
    ProgressLine(stream, interval=0)(1, 1)
    assert stream.getvalue().endswith("reviewing 1 file, 1 commit")
