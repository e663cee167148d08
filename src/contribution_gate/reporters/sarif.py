"""The SARIF 2.1.0 report, in the shape GitHub code scanning accepts (`upload-sarif`).

One run; the driver lists every rule the findings use (`<check>/<rule>`, ordered by id, so the
output is stable) and each result points at it by `ruleId` and `ruleIndex`. Suppressed findings stay
in the log as notes with an `inSource` suppression, so code scanning shows them as dismissed rather
than losing the audit trail.

What GitHub code scanning takes (docs.github.com, "SARIF support for code scanning"; the upload
fails as a whole, `locationFromSarifResult: expected at least one location`, if one result breaks
it): every result has a message and a location whose `artifactLocation.uri` is relative to the
repository root and whose `region.startLine` is 1 or more; every rule has an id, short and full
descriptions (at most 1,024 characters) and a help text; a run has at most 25,000 results. So a
finding without a line is located at line 1 of its file, as code scanning does for a whole file,
and a finding about a commit rather than a file (a missing sign-off, a token in an author's name)
at `.git/commits/<sha>` line 1 (`.git/COMMIT_EDITMSG` for the message being written): a path git
never tracks, so it cannot be mistaken for a file of the repository, and the commit is also in the
result's `properties.commit`. tests/reporters/test_sarif_report.py checks these rules.

Findings carry no rule title, so a rule's descriptions are built from its id and check; its help is
the remediation the check gave and how to mark a finding of the rule a false positive. A region has
`startColumn`/`endColumn` where the check knows them (1-based characters, the end exclusive, as
SARIF counts by default). Excerpts are already redacted by the review; they go in the snippet.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ..model import Finding, Severity
from ..policy import Judged, Outcome
from ..review import Review
from .common import false_positive_line, fix_line

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/contribution-gate/contribution-gate"
FINGERPRINT_KEY = "contributionGate/v1"
MAX_RESULTS = 25_000  # per run; GitHub rejects a file with more
MAX_DESCRIPTION = 1024
MAX_NAME = 255
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def rule_id(finding: Finding) -> str:
    return f"{finding.check}/{finding.rule}"


def as_dict(review: Review) -> dict[str, Any]:
    from .. import __version__

    kept = review.judged[:MAX_RESULTS]  # most severe first
    firsts: dict[str, Finding] = {}
    for judged in kept:
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
                "columnKind": "unicodeCodePoints",  # columns count characters, as Python strings do
                "invocations": [_invocation(review, len(review.judged) - len(kept))],
                "results": [_result(j, index[rule_id(j.finding)]) for j in kept],
            }
        ],
    }


def _rule(finding: Finding) -> dict[str, Any]:
    words = finding.rule.replace("-", " ").replace("_", " ")
    remediation = fix_line(finding)
    false_positive = false_positive_line(finding, numbered=False)
    return {
        "id": rule_id(finding),
        "name": _cut(finding.rule, MAX_NAME),
        "shortDescription": {"text": _cut(f"{finding.check}: {words}", MAX_DESCRIPTION)},
        "fullDescription": {
            "text": _cut(
                f"The {finding.check} check's rule {finding.rule} matched what this change adds ({words}).",
                MAX_DESCRIPTION,
            )
        },
        "help": {
            "text": f"{remediation}\nFalse positive: {false_positive}",
            "markdown": f"**How to fix:** {remediation}\nFalse positive: {false_positive}",
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
        "message": {"text": f.message.strip() or rule_id(f)},
        "locations": [{"physicalLocation": _physical_location(f)}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    if f.commit:
        result["properties"] = {"commit": f.commit}
    return result


def _physical_location(f: Finding) -> dict[str, Any]:
    uri = artifact_uri(f.path) if f.path.strip("/") else commit_uri(f.commit)
    location: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
    if f.path.strip("/") and f.line and f.line > 0:
        region: dict[str, Any] = {"startLine": f.line, "endLine": max(f.end_line or f.line, f.line)}
        if f.column and f.column > 0:
            region["startColumn"] = f.column
            if f.end_column and (region["endLine"] > f.line or f.end_column > f.column):
                region["endColumn"] = f.end_column
        if f.excerpt:
            region["snippet"] = {"text": f.excerpt}
    else:
        region = {"startLine": 1}  # the whole file, or the commit
    location["region"] = region
    return location


def artifact_uri(path: str) -> str:
    """A repository-relative path as a URI reference, percent-encoded (a `:` too, so no first
    segment reads as a scheme)."""
    return quote(path.lstrip("/"), safe="/")


def commit_uri(commit: str | None) -> str:
    """Where a finding about a commit, not a file, is located: under `.git/`, which git never
    tracks, so no file of the repository has this path."""
    return f".git/commits/{quote(commit, safe='')}" if commit else ".git/COMMIT_EDITMSG"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invocation(review: Review, left_out: int = 0) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not review.errors}
    notes = [
        {
            "level": "error",
            "message": {"text": f"check {run.name} could not run, so the review fails: {run.error}"},
            "descriptor": {"id": run.name},
        }
        for run in review.errors
    ]
    notes += [
        {"level": "warning", "message": {"text": warning}, "descriptor": {"id": "review-warning"}}
        for warning in review.warnings
    ]
    if left_out:
        notes.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} more results left out: GitHub code scanning takes at most "
                    f"{MAX_RESULTS} per run; the JSON report lists every finding."
                },
                "descriptor": {"id": "results-left-out"},
            }
        )
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def render(review: Review, color: bool = False) -> str:
    return json.dumps(as_dict(review), indent=2, ensure_ascii=False) + "\n"
