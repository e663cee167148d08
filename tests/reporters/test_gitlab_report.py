"""`--format gitlab`: GitLab Code Quality JSON, validated with jsonschema against what GitLab reads.

Two schemas, both GitLab's: the one its parser validates each object with
(gitlab-org/gitlab `app/validators/json_schemas/codeclimate.json`, copied below), and the report
format its documentation requires (docs.gitlab.com/ci/testing/code_quality, "Code Quality report
format": a single JSON array of objects with `description`, `check_name`, `fingerprint`, `severity`
in info/minor/major/critical/blocker, `location.path` relative to the repository, and the line as
an integer in `location.lines.begin` or `location.positions.begin.line`; no byte-order mark).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import samples
import tokens

from contribution_gate.reporters import REPORTERS

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
GateCmd = Callable[..., "Run"]

# gitlab-org/gitlab app/validators/json_schemas/codeclimate.json: what GitLab's parser accepts
GITLAB_PARSER_ITEM: dict[str, Any] = {
    "description": "Codequality used by codeclimate parser",
    "type": "object",
    "required": ["description", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string"},
        "fingerprint": {"type": "string"},
        "severity": {"type": "string"},
        "location": {
            "type": "object",
            "properties": {
                "path": {"type": "string"},
                "lines": {"type": "object", "properties": {"begin": {"type": "integer"}}},
                "positions": {
                    "type": "object",
                    "properties": {"begin": {"type": "object", "properties": {"line": {"type": "integer"}}}},
                },
            },
        },
    },
    "additionalProperties": True,
}
# docs.gitlab.com, Code Quality report format: the properties every object must have
DOCUMENTED_ITEM: dict[str, Any] = {
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {
            "type": "object",
            "required": ["path"],
            "properties": {"path": {"type": "string", "minLength": 1, "not": {"pattern": "^(\\./|/)"}}},
            "anyOf": [
                {
                    "required": ["lines"],
                    "properties": {
                        "lines": {
                            "type": "object",
                            "required": ["begin"],
                            "properties": {"begin": {"type": "integer", "minimum": 1}},
                        }
                    },
                },
                {
                    "required": ["positions"],
                    "properties": {
                        "positions": {
                            "type": "object",
                            "required": ["begin"],
                            "properties": {
                                "begin": {
                                    "type": "object",
                                    "required": ["line"],
                                    "properties": {"line": {"type": "integer", "minimum": 1}},
                                }
                            },
                        }
                    },
                },
            ],
        },
    },
}
REPORT = {"type": "array", "items": {"allOf": [GITLAB_PARSER_ITEM, DOCUMENTED_ITEM]}}
ZONE = "corp.acme-payments.io"


def validate(text: str) -> list[dict[str, Any]]:
    assert not text.startswith("\ufeff")
    issues: list[dict[str, Any]] = json.loads(text)
    jsonschema.Draft7Validator.check_schema(REPORT)
    jsonschema.validate(issues, REPORT, cls=jsonschema.Draft7Validator)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints)), "GitLab shows one finding per fingerprint"
    return issues


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
    issues = validate(run.out)
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
    issues = validate(REPORTERS["gitlab"](review))
    severities = sorted(issue["severity"] for issue in issues)
    assert severities == ["blocker", "critical", "critical", "info", "minor", "minor"]  # the suppressed one left out
    crash = next(issue for issue in issues if issue["severity"] == "blocker")
    assert crash["check_name"] == "contribution-gate/licenses/check-error" and "could not run" in crash["description"]
    assert crash["location"] == {"path": ".", "lines": {"begin": 1}}


def test_a_clean_review_is_an_empty_array() -> None:
    assert json.loads(REPORTERS["gitlab"](samples.clean())) == []
