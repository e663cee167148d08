"""The SARIF 2.1.0 report, in the shape GitHub code scanning accepts (`upload-sarif`).

One run; the driver lists every rule the findings use (`<check>/<rule>`, ordered by id, so the
output is stable) and each result points at it by `ruleId` and `ruleIndex`. Suppressed findings stay
in the log as notes with an `inSource` suppression, so code scanning shows them as dismissed rather
than losing the audit trail. GitHub requires one location per result: a finding without a line is
located at its file, one without a file (a commit's) at the repository root, ".".

Findings carry no rule title, so a rule's descriptions are built from its id and check; its help is
the remediation the check gave. Excerpts are already redacted by the review; they go in the snippet.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ..model import Finding, Severity
from ..policy import Judged, Outcome
from ..review import Review

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/contribution-gate/contribution-gate"
FINGERPRINT_KEY = "contributionGate/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def rule_id(finding: Finding) -> str:
    return f"{finding.check}/{finding.rule}"


def as_dict(review: Review) -> dict[str, Any]:
    from .. import __version__

    firsts: dict[str, Finding] = {}
    for judged in review.judged:
        firsts.setdefault(rule_id(judged.finding), judged.finding)
    ids = sorted(firsts)
    index = {rid: i for i, rid in enumerate(ids)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "contribution-gate",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(firsts[rid]) for rid in ids],
                    }
                },
                "invocations": [_invocation(review)],
                "results": [_result(j, index[rule_id(j.finding)]) for j in review.judged],
            }
        ],
    }


def _rule(finding: Finding) -> dict[str, Any]:
    words = finding.rule.replace("-", " ").replace("_", " ")
    return {
        "id": rule_id(finding),
        "name": finding.rule,
        "shortDescription": {"text": f"{finding.check}: {words}"},
        "fullDescription": {
            "text": f"The {finding.check} check's rule {finding.rule} matched what this change adds ({words})."
        },
        "help": {
            "text": finding.remediation,
            "markdown": f"**How to fix:** {finding.remediation}",
        },
        "properties": {"tags": ["security", finding.check]},
    }


def _result(judged: Judged, rule_index: int) -> dict[str, Any]:
    f = judged.finding
    suppressed = judged.outcome is Outcome.SUPPRESSED
    result: dict[str, Any] = {
        "ruleId": rule_id(f),
        "ruleIndex": rule_index,
        "level": "note" if suppressed else _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical_location(f)}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    if f.commit:
        result["properties"] = {"commit": f.commit}
    return result


def _physical_location(f: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(f.path), "uriBaseId": "%SRCROOT%"}}
    if f.line and f.line > 0:
        region: dict[str, Any] = {"startLine": f.line, "endLine": max(f.end_line or f.line, f.line)}
        if f.excerpt:
            region["snippet"] = {"text": f.excerpt}
        location["region"] = region
    return location


def artifact_uri(path: str) -> str:
    """A repository-relative path as a URI reference: percent-encoded, "." for no file."""
    path = path.strip().lstrip("/")
    return quote(path, safe="/") if path else "."


def _invocation(review: Review) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not review.errors}
    if review.errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f"check {run.name} could not run, so the review fails: {run.error}"},
                "descriptor": {"id": run.name},
            }
            for run in review.errors
        ]
    return invocation


def render(review: Review, color: bool = False) -> str:
    return json.dumps(as_dict(review), indent=2, ensure_ascii=False) + "\n"
