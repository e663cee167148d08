"""`--format gitlab`: GitLab Code Quality JSON, validated with jsonschema against what GitLab reads
(report_schemas: the schema GitLab's parser applies and the report format it documents)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import jsonschema
import pytest
import samples
import tokens
from report_schemas import REPORT, validate_gitlab

from contribution_gate.reporters import REPORTERS

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
GateCmd = Callable[..., "Run"]

ZONE = "corp.acme-payments.io"


def test_the_schema_is_strict_enough() -> None:
    good = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor"}
    jsonschema.validate([{**good, "location": {"path": "a.py", "lines": {"begin": 3}}}], REPORT)
    for bad in (
        [{**good, "severity": "error", "location": {"path": "a.py", "lines": {"begin": 3}}}],
        [{**good, "location": {"path": "a.py", "lines": {"begin": "3"}}}],
        [{**good, "location": {"path": "./a.py", "lines": {"begin": 3}}}],
        [{**good, "location": {"path": "a.py"}}],
        [{k: v for k, v in good.items() if k != "check_name"} | {"location": {"path": "a", "lines": {"begin": 1}}}],
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, REPORT)


def test_a_real_review_as_gitlab_reads_it(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    token = tokens.github_token()
    based_repo.commit_files("policy", {".contribution-gate.toml": f'[internal-urls]\ndomains = ["{ZONE}"]\n'})
    base = based_repo.sha()
    line = f'URL = "https://build.{ZONE}/x"  # and {token}\n'
    based_repo.commit_files(f"deploy with {tokens.openai_key()}", {"src/app.py": "import os\n" + line})
    run = gate_cmd("review", "--range", f"{base}..HEAD", "--format", "gitlab", "-C", based_repo.root)
    assert run.code == 1, run
    issues = validate_gitlab(run.out)
    by_name = {issue["check_name"]: issue for issue in issues}
    secret = by_name["contribution-gate/secrets/github-token"]
    assert secret["severity"] == "critical"
    assert secret["location"]["path"] == "src/app.py" and secret["location"]["lines"]["begin"] == 2
    assert secret["location"]["positions"]["begin"] == {"line": 2, "column": line.index(token) + 1}
    assert secret["location"]["positions"]["end"] == {"line": 2, "column": line.index(token) + len(token) + 1}
    assert (
        "\nFix: " in secret["description"]
        and "\nFalse positive: `pragma: allowlist secret` on line 2" in secret["description"]
    )
    host = by_name["contribution-gate/internal-urls/internal-domain"]
    assert host["location"]["positions"]["begin"]["column"] == line.index("build.") + 1
    commit = by_name["contribution-gate/secrets/openai-api-key"]  # in the commit message: no file
    assert commit["location"]["path"].startswith(".git/commits/") and commit["location"]["lines"]["begin"] == 1
    assert not [p for p in tokens.secret_fragments(token[4:], 8) if p in run.out]


def test_every_kind_of_result_validates() -> None:
    """Crashed checks, suppressed findings, commit findings, hostile paths and text."""
    review = samples.with_findings()
    issues = validate_gitlab(REPORTERS["gitlab"](review))
    severities = sorted(issue["severity"] for issue in issues)
    assert severities == ["blocker", "critical", "critical", "info", "minor", "minor"]  # the suppressed one left out
    crash = next(issue for issue in issues if issue["severity"] == "blocker")
    assert crash["check_name"] == "contribution-gate/licenses/check-error" and "could not run" in crash["description"]
    assert crash["location"] == {"path": ".", "lines": {"begin": 1}}


def test_a_clean_review_is_an_empty_array() -> None:
    assert json.loads(REPORTERS["gitlab"](samples.clean())) == []
