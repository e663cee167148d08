"""The terminal report: short and readable, one block per finding, the fix on every one."""

from __future__ import annotations

from ..policy import Judged, Outcome
from ..review import Review
from .common import describe_target, summary_line

_STYLE = {"fail": "31;1", "warn": "33;1", "suppressed": "2", "pass": "32;1", "error": "31;1", "skipped": "2"}


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLE[style]}m{text}\x1b[0m" if color else text


def render(review: Review, color: bool = False) -> str:
    """The whole report; suppressed findings are counted, not shown (JSON keeps them)."""
    from .. import __version__

    why = f"; {review.policy_reason}" if review.policy_reason else ""
    lines = [
        f"contribution-gate {__version__}: {describe_target(review.target)} (policy: {review.config_source}{why})",
        "",
    ]
    for run in review.checks:
        lines.append(
            f"  {run.name:<20} {_paint(f'{run.status:<6}', run.status, color)} {run.findings:>3} finding(s)  {run.seconds:.2f}s"
        )
        if run.error:
            lines.append(f"      check crashed, so the review fails: {run.error}")
    shown = [j for j in review.judged if j.outcome is not Outcome.SUPPRESSED]
    for judged in shown:
        lines.extend(["", *_finding(judged, color)])
    lines.extend(["", _paint(summary_line(review), "pass" if review.passed else "fail", color)])
    return "\n".join(lines) + "\n"


def _finding(judged: Judged, color: bool) -> list[str]:
    f = judged.finding
    label = "error" if judged.outcome is Outcome.FAIL else f.severity.value
    where = (
        f.path + (f":{f.line}" if f.line else "") + (f"-{f.end_line}" if f.end_line and f.end_line != f.line else "")
    )
    commit = f"(commit {f.commit[:12]})" if f.commit else ""
    head = " ".join(part for part in (f"[{f.check}/{f.rule}]", where, commit) if part)
    block = [f"{_paint(label, judged.outcome.value, color)} {head}", f"    {f.message}"]
    if f.excerpt:
        block.append(f"    | {f.excerpt}")
    block.append(f"    fix: {f.remediation}")
    return block
