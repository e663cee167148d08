"""GitLab Code Quality: the JSON array a job publishes as `artifacts:reports:codequality`, which
GitLab shows in the merge request (widget, and the changes view on Ultimate).

What GitLab reads (docs.gitlab.com "Code Quality", report format; its parser validates each object
against `app/validators/json_schemas/codeclimate.json`): a single JSON array, no byte-order mark, of
objects with `description`, `check_name`, `fingerprint`, `severity` (`info`, `minor`, `major`,
`critical` or `blocker`), `location.path` (relative to the repository, no `./`) and the line as an
integer in `location.lines.begin` (or `location.positions.begin.line`). Other Code Climate fields
are ignored. tests/reporters/test_gitlab_report.py validates the output against that schema.

One object per finding the review counts (suppressed ones are left out: the report shows what
needs work); a finding that fails the review is `critical`, a warning `minor`, a note `info`, and a
check that could not run is a `blocker` located at the repository's root. Where the column is known
`location.positions` carries it beside `lines`. The description says what was found, how to fix
it and how to mark it a false positive. A finding about a commit rather than a file is located at
`.git/commits/<sha>` line 1, as in SARIF. `fingerprint` is the finding's own (check, rule, path
and value, never the value itself): stable across pushes, so GitLab can tell new findings from old.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..policy import Judged, Outcome
from ..review import CheckRun, Review
from .common import false_positive_line, fix_line
from .sarif import commit_uri

TOOL = "contribution-gate"


def as_list(review: Review) -> list[dict[str, Any]]:
    issues = [_crash(run) for run in review.errors]
    issues += [_issue(j) for j in review.judged if j.outcome is not Outcome.SUPPRESSED]
    return issues


def _issue(judged: Judged) -> dict[str, Any]:
    f = judged.finding
    if judged.outcome is Outcome.FAIL:
        severity = "critical"
    else:
        severity = "minor" if f.severity.value == "warning" else "info"
    path = f.path.lstrip("/") if f.path.strip("/") else commit_uri(f.commit)
    begin = f.line if f.path.strip("/") and f.line and f.line > 0 else 1
    location: dict[str, Any] = {"path": path.removeprefix("./"), "lines": {"begin": begin}}
    end = max(f.end_line or begin, begin) if begin == f.line else begin
    if end > begin:
        location["lines"]["end"] = end
    if begin == f.line and f.column:
        location["positions"] = {"begin": {"line": begin, "column": f.column}}
        if f.end_column:
            location["positions"]["end"] = {"line": end, "column": f.end_column}
    return {
        "description": _description(f.message, fix_line(f), false_positive_line(f)),
        "check_name": f"{TOOL}/{f.check}/{f.rule}",
        "fingerprint": f.fingerprint,
        "severity": severity,
        "location": location,
        "categories": ["Security"],
    }


def _crash(run: CheckRun) -> dict[str, Any]:
    return {
        "description": f"check {run.name} could not run, so the review fails: {run.error}",
        "check_name": f"{TOOL}/{run.name}/check-error",
        "fingerprint": hashlib.sha256(f"{TOOL}\x00check-error\x00{run.name}".encode()).hexdigest(),
        "severity": "blocker",
        "location": {"path": ".", "lines": {"begin": 1}},
        "categories": ["Bug Risk"],
    }


def _description(message: str, fix: str, false_positive: str) -> str:
    return f"{message.strip()}\nFix: {fix}\nFalse positive: {false_positive}"


def render(review: Review, color: bool = False) -> str:
    return json.dumps(as_list(review), indent=2, ensure_ascii=False) + "\n"
