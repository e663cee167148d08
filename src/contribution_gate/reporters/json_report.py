"""The JSON report: the stable contract the pre-commit hook, the Action and scripts rely on."""

from __future__ import annotations

import json
from typing import Any

from ..policy import Judged
from ..review import Review


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
    }


def _finding(judged: Judged) -> dict[str, Any]:
    f = judged.finding
    return {
        "check": f.check,
        "rule": f.rule,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "end_line": f.end_line,
        "commit": f.commit,
        "message": f.message,
        "remediation": f.remediation,
        "excerpt": f.excerpt,
        "fingerprint": f.fingerprint,
        "suppressed": judged.outcome.value == "suppressed",
        "suppressed_by": judged.reason or None,
    }


def render(review: Review, color: bool = False) -> str:
    return json.dumps(as_dict(review), indent=2, ensure_ascii=False) + "\n"
