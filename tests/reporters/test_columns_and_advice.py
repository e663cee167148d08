"""Every format carries the finding's column, and every finding says how to fix it and how to mark
it a false positive (inline marker, baseline, policy), through the installed command on a real
repository; the advice names only policy keys that exist."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
import tokens

from contribution_gate.config import CHECK_IDS, SCHEMA
from contribution_gate.model import Finding, Severity
from contribution_gate.policy import markers
from contribution_gate.reporters.common import false_positive_line

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
GateCmd = Callable[..., "Run"]
Change = tuple["GitRepo", str, int, int]  # the repository, the token, its column, the host's column

ZONE = "corp.acme-payments.io"


@pytest.fixture
def change(based_repo: GitRepo) -> Change:
    token = tokens.github_token()
    line = f'    client = Client("https://ci.{ZONE}/api", token="{token}")\n'
    based_repo.commit_files("policy", {".contribution-gate.toml": f'[internal-urls]\ndomains = ["{ZONE}"]\n'})
    based_repo.add("src/client.py", "import os\n" + line)
    return based_repo, token, line.index(token) + 1, line.index(f"ci.{ZONE}") + 1


def run_format(gate_cmd: GateCmd, repo: GitRepo, fmt: str) -> str:
    run = gate_cmd("review", "--staged", "--format", fmt, "-C", repo.root, env={"COLUMNS": "100"})
    assert run.code == 1, run
    return run.out


def test_json(change: Change, gate_cmd: GateCmd) -> None:
    repo, token, column, host_column = change
    findings = {f["rule"]: f for f in json.loads(run_format(gate_cmd, repo, "json"))["findings"]}
    secret = findings["github-token"]
    assert (secret["line"], secret["column"], secret["end_line"], secret["end_column"]) == (
        2,
        column,
        2,
        column + len(token),
    )
    assert findings["internal-domain"]["column"] == host_column
    assert secret["remediation"] and secret["false_positive"] == (
        "`pragma: allowlist secret` on line 2, `contribution-gate baseline create`, or [secrets] allow / allow-paths"
    )


def test_sarif(change: Change, gate_cmd: GateCmd) -> None:
    repo, token, column, _ = change
    run = json.loads(run_format(gate_cmd, repo, "sarif"))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    result = next(r for r in run["results"] if r["ruleId"] == "secrets/github-token")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, column, column + len(token))
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert "\nFalse positive: `pragma: allowlist secret` on its line" in rule["help"]["text"]


def test_markdown(change: Change, gate_cmd: GateCmd) -> None:
    repo, _, column, host_column = change
    out = run_format(gate_cmd, repo, "markdown")
    assert f"line 2, column {column}" in out and f"line 2, column {host_column}" in out
    assert "  - false positive: \\`pragma: allowlist secret\\` on its line" in out


def test_github_annotations(change: Change, gate_cmd: GateCmd) -> None:
    repo, token, column, _ = change
    out = run_format(gate_cmd, repo, "github")
    assert f"file=src/client.py,line=2,endLine=2,col={column},endColumn={column + len(token)}," in out
    assert "%0AFalse positive: `pragma: allowlist secret` on line 2" in out
    assert f"src/client.py:2:{column}" in out  # the listing


def test_gitlab_and_junit(change: Change, gate_cmd: GateCmd) -> None:
    repo, _, column, _ = change
    issue = next(i for i in json.loads(run_format(gate_cmd, repo, "gitlab")) if "github-token" in i["check_name"])
    assert issue["location"]["positions"]["begin"] == {"line": 2, "column": column}
    assert "\nFalse positive: " in issue["description"] and "\nFix: " in issue["description"]
    root = ET.fromstring(run_format(gate_cmd, repo, "junit"))
    case = next(c for c in root.iter("testcase") if (c.get("name") or "").startswith("github-token"))
    assert case.get("name") == f"github-token at src/client.py:2:{column}"
    assert "\nfalse positive: " in (case.findtext("failure") or "")


def test_text(change: Change, gate_cmd: GateCmd) -> None:
    repo, _, column, _ = change
    out = run_format(gate_cmd, repo, "text")
    assert f"src/client.py:2:{column}" in out
    assert out.count("    fix: ") == 2 and out.count("    false positive: ") == 2


def test_the_advised_marker_allows_the_finding(change: Change, gate_cmd: GateCmd) -> None:
    """Following the false-positive line's first way (the inline marker) does pass the review."""
    repo, token, _, _ = change
    data = json.loads(run_format(gate_cmd, repo, "json"))
    for finding in data["findings"]:
        marker = re.match(r"`([^`]+)` on line (\d+)", finding["false_positive"])
        assert marker, finding["false_positive"]
        allowed = markers(f"x = 1  # {marker.group(1)}").allowed
        assert finding["check"] in allowed or "*" in allowed
    text = (repo.root / "src/client.py").read_text(encoding="utf-8").rstrip("\n")
    repo.add("src/client.py", text + "  # pragma: allowlist secret contribution-gate: allow[internal-urls]\n")
    assert gate_cmd("review", "--staged", "-C", repo.root).code == 0


@pytest.mark.parametrize("check", CHECK_IDS)
@pytest.mark.parametrize(("path", "line", "key"), [("src/a.py", 3, "k"), ("m.bin", None, ""), ("", None, "k")])
def test_the_advice_names_real_policy_keys(check: str, path: str, line: int | None, key: str) -> None:
    for rule in ("some-rule", "pickle-unsafe-global"):
        finding = Finding(check, rule, Severity.ERROR, path, line, "m", "fix it", "fp", value_key=key)
        advice = false_positive_line(finding)
        assert advice and "\n" not in advice and len(advice) < 140
        named = re.findall(r"\[([a-z-]+)\] ([a-z /-]+)", advice)
        assert named, advice
        for table, keys in named:
            assert table in SCHEMA, advice
            assert all(k.strip() in SCHEMA[table] or k.strip().startswith("enabled") for k in keys.split("/")), advice
        assert ("on line 3" in advice) == bool(path and line)
        assert ("baseline create" in advice) == bool(path and key)


def test_each_finding_of_a_minified_line_has_its_own_column_and_window(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    secrets = [tokens.github_token() for _ in range(200)]
    line = ";".join(f'var t{i}="{secret}"' for i, secret in enumerate(secrets))
    based_repo.add("dist/bundle.min.js", line + "\n")
    run = gate_cmd("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 1, run
    findings = run.json()["findings"]
    assert len(findings) == len(secrets)
    for finding in findings:
        start = finding["column"] - 1
        secret = line[start : finding["end_column"] - 1]
        assert secret in secrets
        assert secret[:4] + "****" in finding["excerpt"] and len(finding["excerpt"]) <= 200
        assert f"t{secrets.index(secret)}=" in finding["excerpt"]  # the window around this token, not the line's start
    assert not [p for s in secrets[:20] for p in tokens.secret_fragments(s[4:], 8) if p in run.out]
