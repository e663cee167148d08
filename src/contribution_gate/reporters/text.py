"""The terminal report: the verdict first, then one block per finding, every line within `width`.

A block names the finding and where it is (`path:line:column`), says what was found, shows a
window of its excerpt centred on it with a caret under its column, how to fix it and how to mark
it a false positive. Long messages, paths and advice are wrapped (paths are broken after `/`
where they must be); the per-check timings come only with `verbose`. Suppressed findings are
counted, not shown (JSON keeps them).
"""

from __future__ import annotations

from ..policy import Judged, Outcome
from ..review import Review
from ..wording import plural
from .common import describe_target, false_positive_line, fix_line, summary_line
from .layout import cells, window, wrap

DEFAULT_WIDTH = 80
MIN_WIDTH = 20  # narrower than this, nothing readable fits: lines are cut at this width
_STYLE = {"fail": "31;1", "warn": "33;1", "suppressed": "2", "pass": "32;1", "error": "31;1", "skipped": "2"}
_INDENT = "    "
_MORE = "      "  # where a wrapped line of a finding goes on
_EXCERPT = "    | "


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLE[style]}m{text}\x1b[0m" if color else text


def render(review: Review, color: bool = False, width: int = DEFAULT_WIDTH, verbose: bool = False) -> str:
    """The whole report, no line wider than `width` cells."""
    from .. import __version__

    width = max(width, MIN_WIDTH)
    verdict = "pass" if review.passed else "fail"
    summary = wrap(summary_line(review), width, "", "  ")
    why = f"; {review.policy_reason}" if review.policy_reason else ""
    lines = wrap(
        f"contribution-gate {__version__}: {describe_target(review.target)} (policy: {review.config_source}{why})",
        width,
        "",
        "  ",
    )
    lines += [_paint(summary[0], verdict, color), *summary[1:]]
    body: list[str] = []
    for run in review.errors:
        body += ["", *wrap(f"check crashed, so the review fails: {run.error}", width, f"{run.name}: ", _INDENT)]
    for judged in review.judged:
        if judged.outcome is not Outcome.SUPPRESSED:
            body += ["", *_finding(judged, width, color)]
    if verbose and review.checks:
        body += ["", "checks:"] + [
            _timing(run.name, run.status, run.findings, run.seconds, width, color) for run in review.checks
        ]
    if body:
        lines += [*body, "", _paint(summary[0], verdict, color), *summary[1:]]
    return "\n".join(lines) + "\n"


def _timing(name: str, status: str, findings: int, seconds: float, width: int, color: bool) -> str:
    row = f"  {name:<20} {status:<6} {plural(findings, 'finding'):>12}  {seconds:.2f}s"
    if cells(row) > width:
        row = f"  {name} {status} {findings} {seconds:.2f}s"[:width]
    return row.replace(f" {status}", " " + _paint(status, status, color), 1) if status in _STYLE else row


def _finding(judged: Judged, width: int, color: bool) -> list[str]:
    f = judged.finding
    label = "error" if judged.outcome is Outcome.FAIL else f.severity.value
    where = f.path + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.line and f.column else "")
    if f.end_line and f.line and f.end_line != f.line:
        where += f"-{f.end_line}"
    commit = f"(commit {f.commit[:12]})" if f.commit else ""
    head = wrap(" ".join(part for part in (f"[{f.check}/{f.rule}]", where, commit) if part), width, f"{label} ", _MORE)
    if head[0].startswith(label):
        head[0] = _paint(label, judged.outcome.value, color) + head[0][len(label) :]
    block = head + wrap(f.message, width, _INDENT, _MORE)
    if f.excerpt:
        room = width - cells(_EXCERPT)
        if room >= 8:
            shown, caret = window(f.excerpt, f.excerpt_at or 0, room)
            block.append(_EXCERPT + shown)
            if f.excerpt_at is not None and f.column:
                block.append(_EXCERPT.rstrip().ljust(len(_EXCERPT)) + " " * caret + "^")
    block += wrap(fix_line(f), width, f"{_INDENT}fix: ", _MORE)
    block += wrap(false_positive_line(f), width, f"{_INDENT}false positive: ", _MORE)
    return block
