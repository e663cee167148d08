"""The policy decides which findings count: severity, inline allow markers (later: baseline).

It never reads git: everything it needs is on the finding.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .model import Finding, Severity

# detect-secrets' and gitleaks' markers allow secrets; ours names checks, or all of them.
_FOREIGN_MARKERS = re.compile(r"pragma:\s*allowlist[ -]secret|gitleaks:allow", re.IGNORECASE)
_OWN_MARKER = re.compile(r"contribution-gate:\s*allow(?:\[(?P<checks>[\w\s,-]*)\])?", re.IGNORECASE)
ALL = "*"


class Outcome(str, enum.Enum):
    FAIL = "fail"
    WARN = "warn"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True, slots=True)
class Judged:
    finding: Finding
    outcome: Outcome


def allowed_checks(line: str) -> frozenset[str]:
    """The checks an inline marker on `line` allows ("*" for all of them)."""
    allowed: set[str] = set()
    if _FOREIGN_MARKERS.search(line):
        allowed.add("secrets")
    for match in _OWN_MARKER.finditer(line):
        names = match.group("checks")
        allowed.update(n.strip() for n in names.split(",") if n.strip()) if names else allowed.add(ALL)
    return frozenset(allowed)


def judge(finding: Finding, fail_on: str = "error") -> Judged:
    """One finding's outcome: a marker suppresses it (kept as a note for audit), else its severity.

    `fail_on="warning"` makes warnings fail the review too (the Action's `fail-on` input).
    """
    if ALL in finding.allowed_by or finding.check in finding.allowed_by:
        return Judged(replace(finding, severity=Severity.NOTE), Outcome.SUPPRESSED)
    if finding.severity is Severity.ERROR or (fail_on == "warning" and finding.severity is Severity.WARNING):
        return Judged(finding, Outcome.FAIL)
    return Judged(finding, Outcome.WARN)


def decide(findings: Iterable[Finding], fail_on: str = "error") -> tuple[Judged, ...]:
    """Judge every finding, most severe first."""
    return tuple(sorted((judge(f, fail_on) for f in findings), key=lambda j: j.finding.sort_key))
