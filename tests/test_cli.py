"""The command line on real repositories: exit codes, one-line errors, reports that never leak."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import tokens
from click.testing import CliRunner
from tokens import secret_line

from contribution_gate import __version__, checks
from contribution_gate.cli import cli
from contribution_gate.model import FileChange, Finding
from contribution_gate.reporters import REPORTERS

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]

FINDING_KEYS = {"check", "rule", "severity", "path", "line", "end_line", "commit", "message", "excerpt", "fingerprint"}


def assert_one_line_error(run: Run, *needles: str) -> str:
    """Exit 2, exactly one line on stderr, no traceback, naming what is wrong."""
    assert run.code == 2, run
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.output
    line = lines[0]
    assert line.startswith("contribution-gate: error: "), line
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    return line


def iter_strings(value: Any) -> Iterator[str]:
    """Every string (keys and values) inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from iter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_strings(item)


def assert_no_secret(secret: str, output: str) -> None:
    assert secret not in output
    assert not [piece for piece in tokens.secret_fragments(secret, 12) if piece in output]


@pytest.fixture
def leaky(based_repo: GitRepo) -> tuple[GitRepo, str]:
    """A repository whose staged change adds an OpenAI key on line 3 of src/llm.py."""
    secret = tokens.openai_key()
    based_repo.add("src/llm.py", '"""Client."""\n\n' + secret_line("OPENAI_API_KEY", secret))
    return based_repo, secret


# -- help, version, entry points -----------------------------------------------------------------


def test_help_shows_examples() -> None:
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    assert "Examples:" in top.output and "contribution-gate demo" in top.output
    review = runner.invoke(cli, ["review", "--help"])
    assert review.exit_code == 0
    assert "Examples:" in review.output
    assert "contribution-gate review --range origin/main..HEAD" in review.output
    assert "contribution-gate review --staged" in review.output
    assert "Exit codes: 0 pass" in review.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"contribution-gate, version {__version__}\n"


def test_installed_command_and_module_entry_point(gate_cmd: Callable[..., Run], tmp_path: Path) -> None:
    installed = gate_cmd("--version")
    assert (installed.code, installed.out) == (0, f"contribution-gate, version {__version__}\n")
    module = subprocess.run(
        [sys.executable, "-m", "contribution_gate", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert (module.returncode, module.stdout) == (0, f"contribution-gate, version {__version__}\n")


# -- verdicts and exit codes ------------------------------------------------------------------------


def test_clean_change_passes(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("src/util.py", "def add(a, b):\n    return a + b\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 0, run
    assert run.err == ""
    assert run.out.splitlines()[0].startswith(
        f"contribution-gate {__version__}: staged changes (policy: built-in defaults)"
    )
    assert run.out.rstrip().endswith("PASS: 0 errors, 0 warnings in 1 file")


def test_secret_fails_with_text_report(leaky: tuple[GitRepo, str], gate: Gate) -> None:
    repo, secret = leaky
    run = gate("review", "--staged", "--no-color", "-C", repo.root)
    assert run.code == 1, run
    assert "error [secrets/openai-api-key] src/llm.py:3" in run.out
    assert f'| OPENAI_API_KEY = "{secret[:4]}****"' in run.out
    assert run.out.rstrip().endswith("FAIL: 1 error, 0 warnings in 1 file")
    assert "\x1b[" not in run.out
    assert_no_secret(secret, run.output)


def test_cli_runner_review(leaky: tuple[GitRepo, str]) -> None:
    repo, secret = leaky
    result = CliRunner().invoke(cli, ["review", "--staged", "-C", str(repo.root)])
    assert result.exit_code == 1
    assert "src/llm.py:3" in result.output
    assert_no_secret(secret, result.output)
    repo.git("rm", "-q", "--cached", "src/llm.py")
    repo.add("docs.md", "# docs\n")
    assert CliRunner().invoke(cli, ["review", "--staged", "-C", str(repo.root)]).exit_code == 0


def test_installed_command_review(leaky: tuple[GitRepo, str], gate_cmd: Callable[..., Run]) -> None:
    repo, secret = leaky
    run = gate_cmd("review", cwd=repo.root)  # no target: the staged change
    assert run.code == 1, run
    assert "src/llm.py:3" in run.out
    assert_no_secret(secret, run.output)


def test_default_target_is_the_last_commit(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    parent = based_repo.sha()
    head = based_repo.commit_files("leak", {"leak.py": "\n" + secret_line("KEY", secret)})
    data = gate("review", "--format", "json", "-C", based_repo.root).json()
    assert data["target"] == {"kind": "range", "base": parent, "head": head}
    assert [(f["path"], f["line"], f["commit"]) for f in data["findings"]] == [("leak.py", 2, head)]


def test_default_target_in_a_one_commit_repository(repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    root = repo.commit_files("root", {"a.py": secret_line("KEY", secret)})
    run = gate("review", "--format", "json", "-C", repo.root)
    assert run.code == 1
    data = run.json()
    assert data["target"] == {"kind": "range", "base": None, "head": root}
    assert [(f["path"], f["line"], f["commit"]) for f in data["findings"]] == [("a.py", 1, root)]
    assert data["stats"]["commits"] == 1


def test_first_commit_without_head(repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    repo.add("a.py", secret_line("KEY", secret))
    run = gate("review", "--format", "json", "-C", repo.root)
    assert run.code == 1
    assert run.json()["target"] == {"kind": "staged", "base": None, "head": None}


def test_all_files(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    based_repo.commit_files("old leak", {"deep/old.py": "\n\n\n" + secret_line("KEY", secret)})
    head = based_repo.commit_files("clean", {"clean.txt": "ok\n"})
    assert gate("review", "-C", based_repo.root).code == 0  # the last commit alone is clean
    run = gate("review", "--all-files", "--format", "json", "-C", based_repo.root)
    assert run.code == 1
    data = run.json()
    assert data["target"] == {"kind": "all-files", "base": None, "head": head}
    assert [(f["path"], f["line"], f["commit"]) for f in data["findings"]] == [("deep/old.py", 4, head)]
    assert data["stats"]["files"] == 4


def test_range_with_a_merge(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    side, merge = based_repo.merge_side_branch({"side/conf.py": "import os\n\n" + secret_line("KEY", secret)})
    for spec in (f"{base}..HEAD", f"{base}...main", "main~2..main"):
        run = gate("review", "--range", spec, "--format", "json", "-C", based_repo.root)
        assert run.code == 1, (spec, run)
        data = run.json()
        assert data["target"] == {"kind": "range", "base": base, "head": merge}
        assert [(f["path"], f["line"], f["commit"]) for f in data["findings"]] == [("side/conf.py", 3, side)]
        assert data["stats"] == {"files": 2, "commits": 3}
        assert_no_secret(secret, run.output)


def test_added_then_removed_secret_is_reported_once(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    base = based_repo.sha()
    introduced = based_repo.commit_files("add", {"c.py": "a = 1\n" + secret_line("KEY", secret)})
    based_repo.commit_files("keep", {"c.py": "# top\na = 1\n" + secret_line("KEY", secret) + "b = 2\n"})
    based_repo.commit_files("remove", {"c.py": "# top\na = 1\nb = 2\n"})
    run = gate("review", "--range", f"{base}..HEAD", "--format", "json", "-C", based_repo.root)
    assert run.code == 1
    assert [(f["path"], f["line"], f["commit"]) for f in run.json()["findings"]] == [("c.py", 2, introduced)]


# -- the JSON report -------------------------------------------------------------------------------


def test_json_report_shape(leaky: tuple[GitRepo, str], gate: Gate) -> None:
    repo, secret = leaky
    run = gate("review", "--staged", "--format", "json", "-C", repo.root)
    assert run.code == 1
    data = run.json()
    assert {"tool", "version", "target", "verdict", "checks", "findings", "errors"} <= set(data)
    assert data["tool"] == "contribution-gate"
    assert data["version"] == __version__
    assert data["target"] == {"kind": "staged", "base": repo.sha(), "head": None}
    assert data["verdict"] == "fail"
    assert data["errors"] == []
    check, *others = data["checks"]
    assert {c["status"] for c in others} <= {"pass"}
    assert {"name", "status", "findings", "seconds"} <= set(check)
    assert (check["name"], check["status"], check["findings"]) == ("secrets", "fail", 1)
    assert isinstance(check["seconds"], float) and check["seconds"] >= 0
    [finding] = data["findings"]
    assert set(finding) >= FINDING_KEYS
    assert {k: finding[k] for k in ("check", "rule", "severity", "path", "line", "end_line", "commit")} == {
        "check": "secrets",
        "rule": "openai-api-key",
        "severity": "error",
        "path": "src/llm.py",
        "line": 3,
        "end_line": 3,
        "commit": None,
    }
    assert finding["message"] == "OpenAI API key added to src/llm.py"
    assert finding["excerpt"] == f'OPENAI_API_KEY = "{secret[:4]}****"'
    assert re.fullmatch(r"[0-9a-f]{64}", finding["fingerprint"])
    assert_no_secret(secret, run.output)
    for text in iter_strings(data):
        assert secret not in text


def test_fingerprint_is_stable_and_excerpt_keeps_at_most_four_characters(
    leaky: tuple[GitRepo, str], gate: Gate
) -> None:
    repo, secret = leaky
    first = gate("review", "--staged", "--format", "json", "-C", repo.root).json()["findings"][0]
    second = gate("review", "--staged", "--format", "json", "-C", repo.root).json()["findings"][0]
    assert first["fingerprint"] == second["fingerprint"]
    assert secret not in first["fingerprint"] and secret[:8] not in first["fingerprint"]
    kept = [piece for piece in tokens.secret_fragments(secret, 5) if piece in first["excerpt"]]
    assert kept == []
    assert secret[:4] in first["excerpt"]
    # The same secret committed and reviewed as a range keeps its fingerprint (path, rule, value).
    base = repo.sha()
    repo.commit("commit it")
    ranged = gate("review", "--range", f"{base}..HEAD", "--format", "json", "-C", repo.root).json()["findings"][0]
    assert ranged["fingerprint"] == first["fingerprint"]


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_format_carries_the_secret(fmt: str, gate: Gate, based_repo: GitRepo) -> None:
    openai, github, aws = tokens.openai_key(), tokens.github_token(), tokens.aws_access_key_id()
    based_repo.add("a.py", secret_line("OPENAI", openai) + secret_line("GH_TOKEN", github))
    based_repo.add("b.cfg", f"aws_access_key_id = {aws}\n")
    based_repo.add("c.py", secret_line("ALLOWED", tokens.openai_key(), "  # pragma: allowlist secret"))
    run = gate("review", "--staged", "--format", fmt, "-C", based_repo.root)
    assert run.code == 1, run
    for secret in (openai, github, aws):
        assert_no_secret(secret, run.output)


def test_output_writes_the_report_and_prints_one_line(leaky: tuple[GitRepo, str], gate: Gate, tmp_path: Path) -> None:
    repo, secret = leaky
    report = tmp_path / "gate.json"
    run = gate("review", "--staged", "--format", "json", "--output", report, "-C", repo.root)
    assert run.code == 1
    assert run.out == f"FAIL: 1 error, 0 warnings in 1 file (report: {report})\n"
    assert run.err == ""
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["verdict"] == "fail"
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("src/llm.py", 3)]
    assert secret not in report.read_text(encoding="utf-8")

    text_report = tmp_path / "gate.txt"
    run = gate("review", "--staged", "--output", text_report, "-C", repo.root)
    assert run.out == f"FAIL: 1 error, 0 warnings in 1 file (report: {text_report})\n"
    assert "src/llm.py:3" in text_report.read_text(encoding="utf-8")
    assert "\x1b[" not in text_report.read_text(encoding="utf-8")


def test_output_to_an_unwritable_place_is_a_one_line_error(
    leaky: tuple[GitRepo, str], gate: Gate, tmp_path: Path
) -> None:
    repo, _ = leaky
    run = gate("review", "--staged", "--output", tmp_path / "missing-dir" / "gate.json", "-C", repo.root)
    assert_one_line_error(run, "cannot write the report", "missing-dir")


# -- policy through the command line ---------------------------------------------------------------


def test_base_config_wins_over_the_contribution_s(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": "[secrets]\nexclude-paths = []\n"})
    base = based_repo.sha()
    secret = tokens.openai_key()
    head = based_repo.commit_files(
        "loosen and leak",
        {".contribution-gate.toml": '[secrets]\nexclude-paths = ["**"]\n', "app/leak.py": secret_line("KEY", secret)},
    )
    for args in (("--range", f"{base}..HEAD"), ("--range", f"{base}...{head}"), ()):
        run = gate("review", *args, "--format", "json", "-C", based_repo.root)
        assert run.code == 1, (args, run)
        data = run.json()
        assert data["verdict"] == "fail"
        assert data["config"] == f".contribution-gate.toml (base {base[:12]})"
        assert [(f["path"], f["line"], f["commit"]) for f in data["findings"]] == [("app/leak.py", 1, head)]


def test_pyproject_exclude_paths(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files(
        "pyproject",
        {
            "pyproject.toml": '[project]\nname = "p"\n\n[tool.contribution-gate.secrets]\nexclude-paths = ["fixtures/**"]\n'
        },
    )
    based_repo.add("fixtures/keys/creds.py", secret_line("KEY", tokens.openai_key()))
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 0, run
    data = run.json()
    assert (data["verdict"], data["findings"], data["config"]) == ("pass", [], "pyproject.toml (working tree)")
    based_repo.add("src/creds.py", secret_line("KEY", tokens.openai_key()))
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 1
    assert [f["path"] for f in run.json()["findings"]] == ["src/creds.py"]


@pytest.mark.parametrize(
    "marker",
    [
        "# pragma: allowlist secret",
        "# gitleaks:allow",
        "# contribution-gate: allow",
        "# contribution-gate: allow[secrets]",
    ],
)
def test_inline_marker_passes_and_keeps_a_note(based_repo: GitRepo, gate: Gate, marker: str) -> None:
    secret = tokens.openai_key()
    based_repo.add("tests/test_api.py", "import api\n\n" + secret_line("KEY", secret, "  " + marker))
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 0, run
    data = run.json()
    assert data["verdict"] == "pass"
    assert [(f["rule"], f["severity"], f["path"], f["line"], f["suppressed"]) for f in data["findings"]] == [
        ("openai-api-key", "note", "tests/test_api.py", 3, True)
    ]
    assert data["checks"][0]["status"] == "pass"
    assert_no_secret(secret, run.output)
    text = gate("review", "--staged", "-C", based_repo.root)
    assert text.code == 0
    assert "PASS: 0 errors, 0 warnings (1 suppressed) in 1 file" in text.out
    assert_no_secret(secret, text.output)


def test_marker_for_another_check_does_not_suppress(based_repo: GitRepo, gate: Gate) -> None:
    secret = tokens.openai_key()
    based_repo.add("app.py", secret_line("KEY", secret, "  # contribution-gate: allow[internal-urls]"))
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 1
    assert [(f["severity"], f["line"], f["suppressed"]) for f in run.json()["findings"]] == [("error", 1, False)]


def test_unknown_config_key_is_a_warning(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.write(".contribution-gate.toml", "[secrets]\nexclude-paths = []\nentropy = 4.5\n\n[colours]\nmode = 1\n")
    based_repo.add("ok.txt", "fine\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 0, run
    warnings = run.err.splitlines()
    assert len(warnings) == 2
    assert warnings[0] == (
        "contribution-gate: warning: .contribution-gate.toml (working tree): unknown key 'entropy' in [secrets] "
        "ignored (known: allow, allow-paths, baseline, exclude-paths, gitleaks-config, gitleaks-ignore, max-file-size, rules)"
    )
    assert warnings[1].startswith(
        "contribution-gate: warning: .contribution-gate.toml (working tree): unknown table [colours] ignored (known: checks, secrets"
    )
    based_repo.add("leak.py", secret_line("KEY", tokens.openai_key()))
    assert gate("review", "--staged", "-C", based_repo.root).code == 1


# -- errors: exit 2 and one line -------------------------------------------------------------------


def test_not_a_git_repository(tmp_path: Path, gate: Gate) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert_one_line_error(gate("review", "-C", plain), str(plain), "not inside a git repository")


def test_unknown_ref(based_repo: GitRepo, gate: Gate) -> None:
    assert_one_line_error(
        gate("review", "--range", "origin/main..HEAD", "-C", based_repo.root), "unknown revision 'origin/main'"
    )


def test_malformed_range(based_repo: GitRepo, gate: Gate) -> None:
    assert_one_line_error(gate("review", "--range", "main", "-C", based_repo.root), "'main'", "BASE..HEAD")


def test_shallow_clone_missing_base(based_repo: GitRepo, gate: Gate, git: Callable[..., str], tmp_path: Path) -> None:
    base = based_repo.sha()
    based_repo.commit_files("second", {"two.txt": "2\n"})
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{based_repo.root}", str(clone))
    line = assert_one_line_error(
        gate("review", "--range", f"{base}..HEAD", "-C", clone), "shallow clone", "fetch-depth"
    )
    assert "git fetch" in line


def test_shallow_clone_default_target_says_how_to_fetch(
    based_repo: GitRepo, gate: Gate, git: Callable[..., str], tmp_path: Path
) -> None:
    based_repo.commit_files("second", {"two.txt": "2\n"})
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{based_repo.root}", str(clone))
    line = assert_one_line_error(gate("review", "-C", clone), "shallow clone", "fetch-depth: 0")
    assert "git fetch" in line


def test_no_command_shows_the_help(gate: Gate) -> None:
    run = gate()
    assert run.code == 2
    assert "error" not in run.err
    assert run.err.startswith("Usage: contribution-gate [OPTIONS] COMMAND [ARGS]...")
    assert "Examples:" in run.err and "review" in run.err


def test_invalid_toml(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.write(".contribution-gate.toml", "[secrets\nexclude-paths = [\n")
    based_repo.add("x.txt", "x\n")
    assert_one_line_error(gate("review", "--staged", "-C", based_repo.root), ".contribution-gate.toml", "invalid TOML")


def test_invalid_toml_in_the_base_commit(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("broken policy", {".contribution-gate.toml": "checks = [\n"})
    base = based_repo.sha()
    based_repo.commit_files("more", {"y.txt": "y\n"})
    line = assert_one_line_error(gate("review", "--range", f"{base}..HEAD", "-C", based_repo.root), "invalid TOML")
    assert f"base {base[:12]}" in line


@pytest.mark.parametrize(
    ("file", "content", "needles"),
    [
        (
            ".contribution-gate.toml",
            '[secrets]\nexclude-paths = "vendor/**"\n',
            (".contribution-gate.toml", "[secrets]", "exclude-paths", "list of strings"),
        ),
        (
            ".contribution-gate.toml",
            '[checks]\nenabled = ["secrets", "spelling"]\n',
            ("[checks]", "enabled", "spelling"),
        ),
        (".contribution-gate.toml", "secrets = 1\n", ("[secrets]", "must be a table")),
        (
            "pyproject.toml",
            "[tool.contribution-gate.secrets]\nexclude-paths = [1, 2]\n",
            ("pyproject.toml", "[tool.contribution-gate.secrets]", "exclude-paths"),
        ),
    ],
)
def test_wrong_type_of_a_config_key(
    based_repo: GitRepo, gate: Gate, file: str, content: str, needles: tuple[str, ...]
) -> None:
    based_repo.write(file, content)
    based_repo.add("x.txt", "x\n")
    assert_one_line_error(gate("review", "--staged", "-C", based_repo.root), *needles)


def test_config_option_pointing_at_a_missing_file(based_repo: GitRepo, gate: Gate, tmp_path: Path) -> None:
    based_repo.add("x.txt", "x\n")
    missing = tmp_path / "nope.toml"
    assert_one_line_error(
        gate("review", "--staged", "--config", missing, "-C", based_repo.root), str(missing), "cannot read"
    )


def test_config_option_with_a_good_file(based_repo: GitRepo, gate: Gate, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[secrets]\nexclude-paths = ["leak.py"]\n', encoding="utf-8")
    based_repo.add("leak.py", secret_line("KEY", tokens.openai_key()))
    assert gate("review", "--staged", "-C", based_repo.root).code == 1
    run = gate("review", "--staged", "--config", policy, "--format", "json", "-C", based_repo.root)
    assert run.code == 0
    assert run.json()["config"] == str(policy)


@pytest.mark.parametrize(
    "args",
    [("--staged", "--all-files"), ("--staged", "--range", "HEAD~1..HEAD"), ("--range", "HEAD~1..HEAD", "--all-files")],
)
def test_two_targets_at_once(based_repo: GitRepo, gate: Gate, args: tuple[str, ...]) -> None:
    assert_one_line_error(gate("review", *args, "-C", based_repo.root), "choose one target")


def test_unknown_check_name(based_repo: GitRepo, gate: Gate) -> None:
    assert_one_line_error(gate("review", "--check", "spelling", "-C", based_repo.root), "--check", "spelling")


def test_unknown_option_and_command(gate: Gate) -> None:
    assert_one_line_error(gate("review", "--stagged"), "--stagged")
    assert_one_line_error(gate("reveiw"), "reveiw")


def test_errors_from_the_installed_command_are_one_line(
    tmp_path: Path, gate_cmd: Callable[..., Run], make_repo: Callable[[Path], GitRepo]
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert_one_line_error(gate_cmd("review", cwd=plain), "not inside a git repository")
    repo = make_repo(tmp_path / "r")
    repo.commit_files("one", {"a.txt": "a\n"})
    assert_one_line_error(gate_cmd("review", "--range", "nope..HEAD", cwd=repo.root), "unknown revision 'nope'")
    assert_one_line_error(gate_cmd("review", "--staged", "--all-files", cwd=repo.root), "choose one target")


# -- fail closed -----------------------------------------------------------------------------------


class _Crashing:
    ID = "models"

    def options(self, table: Mapping[str, Any], setup: Any = None) -> None:
        return None

    def scan_file(self, change: FileChange, opts: Any) -> Iterator[Finding]:
        raise RuntimeError(f"cannot read {change.path}")


def test_a_crashing_check_fails_the_review(based_repo: GitRepo, gate: Gate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(checks.CHECKS, "models", _Crashing())
    based_repo.add("weights.txt", "clean\n")
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 1, run
    data = run.json()
    assert data["verdict"] == "fail"
    statuses = {c["name"]: c["status"] for c in data["checks"]}
    assert (statuses.get("models"), statuses.get("secrets")) == ("error", "pass")
    assert data["errors"] == [{"check": "models", "message": "RuntimeError: cannot read weights.txt"}]
    text = gate("review", "--staged", "-C", based_repo.root)
    assert text.code == 1
    assert "check crashed, so the review fails: RuntimeError: cannot read weights.txt" in " ".join(text.out.split())
    assert "could not run: models" in text.out


# -- demo ------------------------------------------------------------------------------------------


def _demo_secrets(where: Path) -> list[str]:
    """The credentials the demo planted, read back from its files."""
    found = []
    llm = (where / "app" / "llm.py").read_text(encoding="utf-8")
    found += re.findall(r'OPENAI_API_KEY = "([^"]+)"', llm)
    env = (where / "deploy" / "app.env").read_text(encoding="utf-8")
    found += re.findall(r"://app:([^@]+)@", env)
    client = (where / "tests" / "test_client.py").read_text(encoding="utf-8")
    found += re.findall(r'TOKEN = "([^"]+)"', client)
    assert len(found) == 3 and all(len(s) >= 14 for s in found)
    return found


def _demo_path(output: str) -> Path:
    match = re.search(r"Demo repository with a staged sample contribution:\s+(\S+)", output)
    assert match, output
    return Path(match.group(1))


def test_demo(gate: Gate, git: Callable[..., str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    run = gate("demo", "--no-color")
    assert run.code == 1, run
    where = _demo_path(run.out)
    assert where.parent == tmp_path and (where / ".git").is_dir()
    assert f"cd {where} && git diff --cached" in run.out
    assert "error [secrets/openai-api-key] app/llm.py:4" in run.out
    assert "FAIL:" in run.out
    for secret in _demo_secrets(where):
        assert secret not in run.output
    assert "error [licenses/incompatible-license] models/support-bot/README.md:2" in run.out
    assert git(where, "diff", "--cached", "--name-only").split() == sorted(
        [
            "app/llm.py",
            "deploy/app.env",
            "docs/setup.md",
            "models/support-bot/README.md",
            "models/support-bot/pytorch_model.bin",
            "tests/test_client.py",
        ]
    )
    assert "[models/" in run.out and "models/support-bot/pytorch_model.bin" in run.out


def test_demo_installed_command(gate_cmd: Callable[..., Run], gate_command: list[str], tmp_path: Path) -> None:
    run = gate_cmd("demo", cwd=tmp_path, env={"TMPDIR": str(tmp_path)})
    assert run.code == 1, run
    where = _demo_path(run.out)
    assert where.parent == tmp_path
    for secret in _demo_secrets(where):
        assert secret not in run.output
    again = subprocess.run([*gate_command, "review"], cwd=where, capture_output=True, text=True)
    assert again.returncode == 1
    for secret in _demo_secrets(where):
        assert secret not in again.stdout + again.stderr
