"""`[[secrets.rules]]`: a project's own secret rules, through the installed command on real
repositories (issue 14, point 3). Every rule and every bad value is tried as a user would write it;
hostile patterns and lines must not hang the gate; no output shows a value past its first 4
characters, whoever's rule found it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
import tokens
from tokens import rand

from contribution_gate.checks.secrets.lines import WINDOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import GitRepo
    from processes import Run

FORMATS = ("text", "json", "sarif", "markdown", "github")
LOWER = "abcdefghijklmnopqrstuvwyz0123456789"
ACME_RULE = """
[[secrets.rules]]
id = "acme-key"
description = "ACME API key"
regex = 'acme_(?P<secret>[a-z0-9]{32})'
keywords = ["acme_"]
"""


def acme_key() -> str:
    return "acme" + "_" + rand(32, LOWER)


def policy(repo: GitRepo, text: str, commit: bool = True) -> None:
    repo.write(".contribution-gate.toml", text)
    if commit:
        repo.git("add", ".contribution-gate.toml")
        repo.commit("policy")


def findings(run: Run) -> list[dict[str, object]]:
    assert run.code in (0, 1), run.output
    return [f for f in run.json()["findings"] if f["check"] == "secrets"]


def review(gate_cmd: Callable[..., Run], repo: GitRepo, *args: str) -> Run:
    return gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", *args, "-C", repo.root)


def test_a_rule_of_the_policy_finds_its_token_under_its_own_prefixed_id(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    policy(based_repo, "[secrets]\n" + ACME_RULE)
    key = acme_key()
    based_repo.add("app/client.py", f'API = "{key}"\nother = "acme_short"\n')
    run = review(gate_cmd, based_repo)
    assert run.code == 1
    [found] = findings(run)
    assert (found["rule"], found["severity"], found["line"]) == ("custom.acme-key", "error", 1)
    assert found["message"] == "ACME API key added to app/client.py"
    assert key[5:] not in run.output


def test_pyproject_rules_severity_entropy_allow_paths_and_groups(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """Every key of a rule does what it says: a warning-only rule, a value below min-entropy, a
    value `allow` names, a path outside `paths`, a numbered secret group."""
    based_repo.write(
        "pyproject.toml",
        """[project]
name = "x"

[[tool.contribution-gate.secrets.rules]]
id = "build-token"
regex = '(build)-tok-([A-Za-z0-9]{24})'
secret-group = 2
keywords = ["-tok-"]
severity = "warning"
min-entropy = 3.5
allow = ['^TEST']
paths = ["deploy/**"]
""",
    )
    based_repo.git("add", "pyproject.toml")
    based_repo.commit("policy")
    good = rand(24)
    based_repo.add(
        "deploy/ci.sh",
        f"T=build-tok-{good}\nL=build-tok-{'ab' * 12}\nA=build-tok-TEST{rand(20)}\n",
    )
    based_repo.add("src/other.sh", f"T=build-tok-{rand(24)}\n")
    run = review(gate_cmd, based_repo)
    assert run.code == 0  # a warning does not fail
    found = findings(run)
    assert [(f["rule"], f["severity"], f["path"], f["line"]) for f in found] == [
        ("custom.build-token", "warning", "deploy/ci.sh", 1)
    ]


def test_a_rule_without_keywords_runs_on_every_line(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    policy(
        based_repo,
        """[[secrets.rules]]
id = "badge-number"
regex = '\\b[1-9][A-Z]{2}-\\d{4}-[A-Z]{2}\\d{2}\\b'
""",
    )
    lines = [f"x{i} = {i}" for i in range(3000)]
    lines[10] = "first 1AB-1234-CD56 here"
    lines[2999] = "last 7XY-9876-ZZ01"
    lines[1500] = "^1AB-1234-CD56 and $2CD-2222-EF33"
    based_repo.add("data.txt", "\n".join(lines) + "\n")
    found = findings(review(gate_cmd, based_repo))
    assert sorted({f["line"] for f in found}) == [11, 1501, 3000]
    assert {f["rule"] for f in found} == {"custom.badge-number"}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ('[[secrets.rules]]\nregex = "x"\n', "entry 1: id must be"),
        ('[[secrets.rules]]\nid = "a b"\nregex = "x"\n', "entry 1: id ('a b') must be"),
        ('[[secrets.rules]]\nid = "a"\n', "entry 1 (id 'a'): regex must be a non-empty string"),
        (
            '[[secrets.rules]]\nid = "a"\nregex = "(x"\n',
            "entry 1 (id 'a'): regex is not a pattern RE2 can run: missing )",
        ),
        ('[[secrets.rules]]\nid = "a"\nregex = "(x)\\\\1"\n', "entry 1 (id 'a'): regex is not a pattern RE2 can run"),
        ('[[secrets.rules]]\nid = "a"\nregex = "(?=x)y"\n', "entry 1 (id 'a'): regex is not a pattern RE2 can run"),
        ('[[secrets.rules]]\nid = "a"\nregex = "\\\\Cx"\n', "uses \\C (any byte)"),
        ('[[secrets.rules]]\nid = "a"\nregex = "x*"\n', "regex matches the empty string"),
        ('[[secrets.rules]]\nid = "a"\nregex = "x(y)"\nsecret-group = 2\n', "secret-group 2 does not exist"),
        ('[[secrets.rules]]\nid = "a"\nregex = "x(y)"\nsecret-group = "v"\n', "secret-group 'v' is no named group"),
        ('[[secrets.rules]]\nid = "a"\nregex = "xy"\nkeyword = ["x"]\n', "unknown key 'keyword'"),
        ('[[secrets.rules]]\nid = "a"\nregex = "xy"\nkeywords = "x"\n', "keywords must be a list"),
        ('[[secrets.rules]]\nid = "a"\nregex = "xy"\nseverity = "fatal"\n', "severity must be one of"),
        ('[[secrets.rules]]\nid = "a"\nregex = "xy"\nmin-entropy = "high"\n', "min-entropy must be a number"),
        ('[[secrets.rules]]\nid = "a"\nregex = "xy"\nallow = ["(x"]\n', "allow holds '(x'"),
        (
            '[[secrets.rules]]\nid = "a"\nregex = "xy"\n[[secrets.rules]]\nid = "a"\nregex = "z"\n',
            "entry 2 (id 'a'): id is used twice",
        ),
        ('[secrets]\nrules = "x"\n', "must be a list of tables"),
    ],
)
def test_a_wrong_rule_is_one_line_naming_file_entry_and_key_exit_2(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], rules: str, expected: str
) -> None:
    policy(based_repo, rules, commit=False)
    based_repo.add("a.py", "x = 1\n")
    run = gate_cmd("review", "--staged", "-C", based_repo.root)
    assert run.code == 2, run.output
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.output, run.err
    assert ".contribution-gate.toml (working tree): [secrets] rules " in lines[0]
    assert expected in lines[0], lines[0]


def test_hostile_patterns_and_lines_do_not_hang(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """Nested and adjacent repeats that make a backtracking engine exponential or quadratic, on a
    1 MB line and 20,000 lines built for them: RE2 reads each once."""
    policy(
        based_repo,
        """[[secrets.rules]]
id = "nested"
regex = '(a+)+$'
keywords = ["aaa"]
[[secrets.rules]]
id = "adjacent"
regex = '(?i)[\\w.-]{0,50}?(?:discord)(?:[ \\t\\w.-]{0,20})[\\s]{0,3}(?:=|:)[\\s=]{0,5}([a-z0-9]{32})'
keywords = ["discord"]
[[secrets.rules]]
id = "everywhere"
regex = '(x+x+)+y'
""",
    )
    line = "a" * 1_000_000 + "!"
    many = "\n".join(["discord   " * 30 + "x" * 40] * 20_000)
    based_repo.add("data/hostile.txt", line + "\n" + many + "\n")
    started = time.monotonic()
    run = review(gate_cmd, based_repo)
    assert run.code in (0, 1), run.output
    assert time.monotonic() - started < 60  # measured: about 2 s


def test_a_token_far_into_a_long_line_and_across_window_edges_is_found(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    policy(based_repo, "[secrets]\n" + ACME_RULE)
    keys = [acme_key() for _ in range(3)]
    filler = "x" * (WINDOW - 10)
    line = filler + keys[0] + filler * 5 + keys[1] + " " + "y" * 3_000_000 + keys[2]
    based_repo.add("dist/app.min.js", line + "\n")
    found = findings(review(gate_cmd, based_repo))
    assert [f["rule"] for f in found] == ["custom.acme-key"] * 3


def test_one_line_with_ours_and_theirs_shows_neither_value(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """Our rule and the user's on one line, and the user's rule on the very value ours finds: each
    excerpt masks every value of the line, in every format, and one value is one finding."""
    policy(
        based_repo,
        "[secrets]\n"
        + ACME_RULE
        + """
[[secrets.rules]]
id = "any-ghp"
regex = 'gh[p]_[A-Za-z0-9]{36}'
keywords = ["ghp_"]
""",
    )
    key, github = acme_key(), tokens.github_token()
    based_repo.add("conf.env", f"A={key} B={github}\n")
    runs = [gate_cmd("review", "--staged", "--format", fmt, "-v", "-C", based_repo.root) for fmt in FORMATS]
    for run in runs:
        assert run.code == 1, run.output
        for value in (key, github):
            assert not [p for p in tokens.secret_fragments(value[4:], 8) if p in run.output], value[:4]
    found = [f for f in runs[1].json()["findings"] if f["check"] == "secrets"]
    assert sorted(f["rule"] for f in found) == ["custom.acme-key", "github-token"]


def test_baseline_and_inline_markers_hold_for_a_user_rule(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    policy(based_repo, "[secrets]\n" + ACME_RULE)
    key = acme_key()
    based_repo.commit_files("old key", {"legacy.py": f'K = "{key}"\n'})
    created = gate_cmd("baseline", "create", "-C", based_repo.root)
    assert created.code == 0, created.output
    based_repo.add("moved.py", f'K = "{key}"\nM = "{acme_key()}"  # contribution-gate: allow[secrets]\n')
    run = review(gate_cmd, based_repo)
    assert run.code == 0, run.output
    assert {(f["rule"], f["suppressed_by"]) for f in findings(run)} == {
        ("custom.acme-key", "baseline"),
        ("custom.acme-key", "inline marker"),
    }


def test_a_pull_request_cannot_change_the_rules_it_is_judged_by(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """In a range the rules come from the base: a contribution that drops a rule (or adds an
    `allow` for its own value) is still judged by the base's rule."""
    policy(based_repo, "[secrets]\n" + ACME_RULE)
    base = based_repo.sha()
    key = acme_key()
    based_repo.commit_files(
        "drop the rule",
        {".contribution-gate.toml": "[secrets]\nallow = ['^acme_']\n", "app.py": f'K = "{key}"\n'},
    )
    run = gate_cmd(
        "review", "--range", f"{base}..HEAD", "--check", "secrets", "--format", "json", "-C", based_repo.root
    )
    assert [f["rule"] for f in findings(run)] == ["custom.acme-key"]


def test_a_policy_without_rules_never_imports_re2(based_repo: GitRepo) -> None:
    """User rules cost nothing when there are none: not even the import of google-re2."""
    based_repo.add("a.py", f'token = "{tokens.github_token()}"\n')
    code = (
        "import json, sys\nfrom contribution_gate.cli import main\n"
        "try:\n    main(['review', '--staged', '--check', 'secrets'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps('re2' in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=based_repo.root, capture_output=True, text=True, check=False
    )
    assert json.loads(proc.stdout.strip().splitlines()[-1]) is False, proc.stdout + proc.stderr
