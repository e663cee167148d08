"""Inline allow markers and how the policy judges findings."""

from __future__ import annotations

import pytest

from contribution_gate.model import Finding, Severity
from contribution_gate.policy import Outcome, allowed_checks, decide, judge, markers


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
        ("x = v  # Contribution-Gate: Allow[Secrets]", {"secrets"}),
        ("x = v  # contribution-gate:allow", {"*"}),
        ("x = v  # contribution-gate: allow. reviewed", {"*"}),
        ("x = v  # contribution-gate: allow [internal-urls]", {"internal-urls"}),
        ("x = v  # contribution-gate: allow[]", set()),
        ("x = v  # contribution-gate: allow[ ]", set()),
        ("x = v  # contribution-gate: allow[internal-urls", set()),
        ("x = v  # contribution-gate: allow[internal-urls, secrets", set()),
        ("x = v  # contribution-gate: allow[secret]", set()),
        ("x = v  # contribution-gate: allow[secrets,,internal-urls]", set()),
        ("x = v  # contribution-gate: allowed", set()),
        ("x = v  # contribution-gate: allow-all", set()),
        ("x = v  # contribution-gate: allow[] contribution-gate: allow[models]", {"models"}),
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


def test_a_marker_that_allows_nothing_says_why_without_echoing_the_line() -> None:
    assert markers("k = 1  # contribution-gate: allow[]").problems == ("`contribution-gate: allow[]` names no check",)
    assert "no closing" in markers("k  # contribution-gate: allow[secrets").problems[0]
    (problem,) = markers("k  # contribution-gate: allow[what-the-line-held-is-never-echoed-back]").problems
    assert "echoed" not in problem and "no check" in problem
    assert markers("k  # contribution-gate: allow[secret]").problems[0].count("'secret'") == 1


def test_many_unclosed_markers_on_one_long_line_take_linear_time() -> None:
    """Each unclosed `allow[` looks for its bracket in a short window, not to the end of the line."""
    import time

    def seconds(size: int) -> float:
        line = "contribution-gate: allow[" * (size // 25)
        started = time.perf_counter()
        markers(line)
        return time.perf_counter() - started

    small, large = min(seconds(100_000) for _ in range(3)), min(seconds(1_000_000) for _ in range(3))
    assert large < 2.0 and large < max(small, 0.01) * 40  # linear: about 10x; quadratic would be 100x


def test_worst_copy_of_a_fingerprint_is_kept() -> None:
    marked = finding(allowed=frozenset({"secrets"}))
    plain = finding()
    warning = finding(Severity.WARNING)
    for order in ([marked, plain], [plain, marked]):
        (kept,) = decide(order, one_per_fingerprint=True)
        assert kept.outcome is Outcome.FAIL
    (kept,) = decide([warning, marked, plain], one_per_fingerprint=True)
    assert kept.outcome is Outcome.FAIL
    (kept,) = decide([marked, warning], one_per_fingerprint=True)
    assert kept.outcome is Outcome.WARN
    assert len(decide([marked, plain])) == 2  # without it every copy is judged and kept
