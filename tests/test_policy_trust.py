"""Which policy judges: the change's own for the local hooks, the base's for ranges and CI, and a
report that names the policy, its commit and the reason; a finding only the untrusted policy
allows says so. Real repositories, the CLI in process."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import tokens

if TYPE_CHECKING:
    from conftest import GitRepo
    from processes import Run

Gate = Callable[..., "Run"]
ADDRESS = 'API = "http://10.20.1.5:8080/v1"\n'  # contribution-gate: allow[internal-urls] (the sample the tests allow)
ALLOW = '[internal-urls]\nallow = ["10.20.0.0/16"]\n'
CI_OFF = {"CI": "", "GITHUB_ACTIONS": ""}


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CI_OFF.items():
        monkeypatch.setenv(name, value)
    for name in ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_REMOTE_NAME", "PRE_COMMIT_LOCAL_BRANCH"):
        monkeypatch.delenv(name, raising=False)


def as_json(run: Run) -> dict[str, Any]:
    assert run.code in (0, 1), run
    data: dict[str, Any] = json.loads(run.out)
    return data


def messages(run: Run) -> list[str]:
    return [f["message"] for f in as_json(run)["findings"] if not f["suppressed"]]


# -- the local hooks: the change's own policy -----------------------------------------------------


def test_the_commit_hook_judges_with_the_staged_policy(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("app/api.py", ADDRESS)
    based_repo.write(".contribution-gate.toml", ALLOW)  # written, not staged: not what the commit records

    unstaged = gate("hook", "-C", based_repo.root)
    assert unstaged.code == 1, unstaged
    assert "not staged" in unstaged.err and "git add .contribution-gate.toml" in unstaged.err
    assert "(policy: built-in defaults; a local hook judges with the policy being committed)" in unstaged.flat

    based_repo.stage(".contribution-gate.toml")
    staged = gate("hook", "-C", based_repo.root, "--format", "json")
    assert staged.code == 0, staged
    assert as_json(staged)["config"] == ".contribution-gate.toml (index)"

    based_repo.write(".contribution-gate.toml", "")  # the staged allow list still judges the commit
    assert gate("hook", "-C", based_repo.root).code == 0


def test_the_review_command_keeps_reading_the_working_tree_for_staged_changes(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("app/api.py", ADDRESS)
    based_repo.write(".contribution-gate.toml", ALLOW)
    run = gate("review", "--staged", "-C", based_repo.root, "--format", "json")
    assert as_json(run)["config"] == ".contribution-gate.toml (working tree)"
    assert run.code == 0


def test_the_push_hook_judges_with_the_pushed_policy(
    based_repo: GitRepo, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = based_repo.sha()
    head = based_repo.commit_files("Call the internal API", {"app/api.py": ADDRESS, ".contribution-gate.toml": ALLOW})
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", head)
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "origin")

    run = gate("hook", "-C", based_repo.root)

    assert run.code == 0, run
    assert "this push changes the policy (.contribution-gate.toml)" in run.err  # CI will judge otherwise
    assert run.out.strip().startswith("contribution-gate: PASS")
    report = gate("hook", "-C", based_repo.root, "--format", "json")
    assert as_json(report)["config"] == f".contribution-gate.toml (pushed {head[:12]})"


def test_the_commit_msg_hook_reads_the_staged_policy(
    based_repo: GitRepo, gate: Gate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Add notes\n", encoding="utf-8")
    based_repo.write(".contribution-gate.toml", '[cla]\nmode = "dco"\n')  # not staged: not this commit's policy
    monkeypatch.chdir(based_repo.root)
    assert gate("check-commit-msg", message).code == 0
    based_repo.stage(".contribution-gate.toml")
    refused = gate("check-commit-msg", message)
    assert refused.code == 1 and "sign-off" in refused.err


# -- ranges and CI: the base's policy, and why a finding fails there ------------------------------


@pytest.mark.parametrize(("env", "who"), [(CI_OFF, "a range review"), ({"CI": "true"}, "CI")])
def test_a_range_is_judged_with_its_bases_policy_and_says_why(
    based_repo: GitRepo, gate: Gate, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], who: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    base = based_repo.sha()
    based_repo.commit_files("Call the internal API", {"app/api.py": ADDRESS, ".contribution-gate.toml": ALLOW})

    run = gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root, "--format", "json")

    assert run.code == 1
    (message,) = messages(run)
    assert message.endswith(
        f"(allowed by the change's own policy, which {who} does not trust: merge the policy change first "
        "or ask a maintainer)"
    )
    text = gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root)
    assert f"(policy: built-in defaults; {who} judges with the base's policy, not the change's)" in text.flat


def test_a_finding_the_changes_policy_also_fails_gets_no_such_note(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("Policy", {".contribution-gate.toml": ALLOW})
    base = based_repo.sha()
    secret = tokens.github_token()
    based_repo.commit_files(
        "Leak, and loosen something unrelated",
        {"app/settings.py": tokens.secret_line("TOKEN", secret), ".contribution-gate.toml": ALLOW + "domains = []\n"},
    )

    run = gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root, "--format", "json")

    assert run.code == 1
    assert [m for m in messages(run) if "change's own policy" in m] == []


def test_a_check_the_changes_policy_turns_off_is_explained(based_repo: GitRepo, gate: Gate) -> None:
    base = based_repo.sha()
    secret = tokens.github_token()
    based_repo.commit_files(
        "Leak, and turn the secrets check off",
        {
            "app/settings.py": tokens.secret_line("TOKEN", secret),
            ".contribution-gate.toml": '[checks]\nenabled = ["cla"]\n',
        },
    )

    run = gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root, "--format", "json")

    assert run.code == 1
    assert all("allowed by the change's own policy" in m for m in messages(run))
    assert tokens.secret_fragments(secret) & set(run.out.split()) == set()


# -- the hook's file names -------------------------------------------------------------------------


def test_hook_file_names_outside_the_work_tree_are_warnings(
    based_repo: GitRepo, gate: Gate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(based_repo.root)
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n", encoding="utf-8")
    run = gate("hook", "README.md", "missing.py", str(outside))
    assert run.code == 0, run
    assert "missing.py: no such file in the work tree, not reviewed" in run.err
    assert "elsewhere.py: outside the repository, not reviewed" in run.err


def test_hook_files_are_read_from_the_work_tree_without_writing_to_the_repository(
    based_repo: GitRepo, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(based_repo.root)
    objects = sorted(p.name for p in (based_repo.root / ".git" / "objects").rglob("*") if p.is_file())
    secret = tokens.github_token()
    based_repo.write("src/app.py", tokens.secret_line("TOKEN", secret))  # tracked, changed, not staged
    (based_repo.root / "link.py").symlink_to("src/app.py")

    run = gate("hook", "README.md", "src/app.py", "link.py", "--format", "json")

    assert run.code == 1, run
    assert [f["path"] for f in as_json(run)["findings"]] == ["src/app.py"]
    assert sorted(p.name for p in (based_repo.root / ".git" / "objects").rglob("*") if p.is_file()) == objects
    assert "GIT_OBJECT_DIRECTORY" not in os.environ


def test_the_changes_own_policy_runs_none_of_its_patterns(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """Explaining a failure runs the change's policy, which nobody vetted: its regular expressions
    (here one that takes hours on the value below) are left out, so CI finishes."""
    base = based_repo.sha()
    value = tokens.rand(36) + "!"
    based_repo.commit_files(
        "A password, and a pattern that would allow it",
        {"app.py": f'PASSWORD = "{value}"\n', ".contribution-gate.toml": '[secrets]\nallow = ["^(\\\\w+\\\\s?)*$"]\n'},
    )

    run = gate_cmd("review", "--range", f"{base}..HEAD", "--format", "json", cwd=based_repo.root, env={"CI": "true"})

    assert run.code == 1, run
    assert [f["rule"] for f in as_json(run)["findings"]] == ["generic-secret"]


def test_an_oversized_policy_of_the_change_explains_nothing(based_repo: GitRepo, gate: Gate) -> None:
    base = based_repo.sha()
    secret = tokens.github_token()
    padding = "# " + "x" * 100 + "\n"
    policy = '[checks]\nenabled = ["cla"]\n' + padding * 3000  # about 300 KB
    based_repo.commit_files(
        "Leak, and a large policy", {"app.py": tokens.secret_line("TOKEN", secret), ".contribution-gate.toml": policy}
    )

    run = gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root, "--format", "json")

    assert run.code == 1
    assert [m for m in messages(run) if "change's own policy" in m] == []
