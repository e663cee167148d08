"""Inline allow markers and how the policy judges findings."""

from __future__ import annotations

import pytest

from contribution_gate.model import Finding, Severity
from contribution_gate.policy import Outcome, allowed_checks, decide, judge


def finding(
    severity: Severity = Severity.ERROR, allowed: frozenset[str] = frozenset(), check: str = "secrets"
) -> Finding:
    return Finding(check, "rule", severity, "a.py", 1, "msg", "fix it", "f" * 64, allowed_by=allowed)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('x = "v"  # pragma: allowlist secret', {"secrets"}),
        ("x = v  # gitleaks:allow", {"secrets"}),
        ("x = v  # contribution-gate: allow", {"*"}),
        ("x = v  # contribution-gate: allow[secrets, internal-urls]", {"secrets", "internal-urls"}),
        ("x = v  # nothing here", set()),
    ],
)
def test_markers(line: str, expected: set[str]) -> None:
    assert allowed_checks(line) == expected


def test_suppressed_findings_become_notes_and_other_checks_are_not_allowed() -> None:
    suppressed = judge(finding(allowed=frozenset({"secrets"})))
    assert (suppressed.outcome, suppressed.finding.severity) == (Outcome.SUPPRESSED, Severity.NOTE)
    assert judge(finding(allowed=frozenset({"internal-urls"}))).outcome is Outcome.FAIL
    assert judge(finding(Severity.WARNING)).outcome is Outcome.WARN


def test_decide_orders_most_severe_first() -> None:
    judged = decide([finding(Severity.WARNING), finding(Severity.ERROR)])
    assert [j.outcome for j in judged] == [Outcome.FAIL, Outcome.WARN]
