"""The JSON report: the stable contract the pre-commit hook, the Action and scripts rely on.

Fields are only ever added, never renamed: a finding's `column`/`end_column` are 1-based characters
(the end one past the last character; null where a check does not know), `false_positive` says how
to mark it one; `warnings` lists what the review warned about (ignored policy keys, an empty range).
"""

from __future__ import annotations

import json
from typing import Any

from ..policy import Judged
from ..review import Review
from .common import false_positive_line


def as_dict(review: Review) -> dict[str, Any]:
    from .. import __version__

    return {
        "tool": "contribution-gate",
        "version": __version__,
        "target": {"kind": review.target.kind, "base": review.target.base, "head": review.target.head},
        "verdict": review.verdict,
        "config": review.config_source,
        "stats": {"files": review.files, "commits": review.commits},
        "checks": [
            {"name": c.name, "status": c.status, "findings": c.findings, "seconds": c.seconds} for c in review.checks
        ],
        "findings": [_finding(j) for j in review.judged],
        "errors": [{"check": c.name, "message": c.error} for c in review.errors],
        "warnings": list(review.warnings),
    }


def _finding(judged: Judged) -> dict[str, Any]:
    f = judged.finding
    return {
        "check": f.check,
        "rule": f.rule,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "commit": f.commit,
        "message": f.message,
        "remediation": f.remediation,
        "false_positive": false_positive_line(f),
        "excerpt": f.excerpt,
        "fingerprint": f.fingerprint,
        "suppressed": judged.outcome.value == "suppressed",
        "suppressed_by": judged.reason or None,
    }


def render(review: Review, color: bool = False) -> str:
    return json.dumps(as_dict(review), indent=2, ensure_ascii=False) + "\n"
