"""The policy decides which findings count: severity, inline allow markers (later: baseline).

It never reads git: everything it needs is on the finding.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .baseline import Baseline
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
    reason: str = ""  # why it was suppressed: "inline marker", "baseline"


def allowed_checks(line: str) -> frozenset[str]:
    """The checks an inline marker on `line` allows ("*" for all of them)."""
    allowed: set[str] = set()
    if _FOREIGN_MARKERS.search(line):
        allowed.add("secrets")
    for match in _OWN_MARKER.finditer(line):
        names = match.group("checks")
        allowed.update(n.strip() for n in names.split(",") if n.strip()) if names else allowed.add(ALL)
    return frozenset(allowed)


PathAllowed = Callable[[Finding], bool]


def judge(
    finding: Finding, fail_on: str = "error", baseline: Baseline | None = None, path_allowed: PathAllowed | None = None
) -> Judged:
    """One finding's outcome: a marker, the baseline or the check's `allow-paths` suppress it (kept
    as a note for audit), else its severity decides. `fail_on="warning"` makes warnings fail too.
    """
    reason = _suppressed_by(finding, baseline, path_allowed)
    if reason:
        return Judged(replace(finding, severity=Severity.NOTE), Outcome.SUPPRESSED, reason)
    if finding.severity is Severity.ERROR or (fail_on == "warning" and finding.severity is Severity.WARNING):
        return Judged(finding, Outcome.FAIL)
    return Judged(finding, Outcome.WARN)


def _suppressed_by(finding: Finding, baseline: Baseline | None, path_allowed: PathAllowed | None) -> str:
    if ALL in finding.allowed_by or finding.check in finding.allowed_by:
        return "inline marker"
    if baseline is not None and baseline.accepts(finding):
        return "baseline"
    if path_allowed is not None and path_allowed(finding):
        return "allow-paths"
    return ""


def decide(
    findings: Iterable[Finding],
    fail_on: str = "error",
    baseline: Baseline | None = None,
    path_allowed: PathAllowed | None = None,
) -> tuple[Judged, ...]:
    """Judge every finding, most severe first."""
    judged = (judge(f, fail_on, baseline, path_allowed) for f in findings)
    return tuple(sorted(judged, key=lambda j: j.finding.sort_key))
