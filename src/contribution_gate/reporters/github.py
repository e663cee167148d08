"""GitHub Actions workflow commands: annotations on the pull request, then a listing in the log.

How the runner reads a step's output (actions/runner, `ActionCommandManager`): every line is parsed
on its own; a line that starts (after leading blanks) with `::name props::data` (or the legacy
`##[name]`) is a command. `::stop-commands::TOKEN` makes the runner ignore every command until a
line `::TOKEN::`, including annotations. Two consequences shape this report:

1. Annotations must be printed while commands are enabled, i.e. *outside* a stop-commands block,
   or they would be ignored. They are safe there because every untrusted value (file names,
   messages, excerpts) is escaped as the actions toolkit does: data gets `%` -> `%25`, CR -> `%0D`,
   LF -> `%0A`; properties also `:` -> `%3A`, `,` -> `%2C`. An escaped value cannot end the line,
   so it cannot start a command of its own, nor add or close properties of ours. A `::` inside the
   data is harmless: the runner splits a command at the first `::` after its name only.
2. The human-readable listing prints untrusted text as it is (a line may well start with `::` or
   `##[`), so it is wrapped in `::stop-commands::TOKEN` ... `::TOKEN::` with a fresh random token
   (`secrets.token_hex(16)`) that the contribution cannot know in advance. The token must not occur
   in the listing (the runner compares it case-insensitively); a caller's fixed token that does is
   refused. Control characters are shown as escapes in the listing, so it cannot rewrite the log.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and 50 per job, so at
most that many are printed, most severe first (check crashes, then errors, warnings, and notes,
which are the suppressed findings); when some are left out a final notice says how many, and it
counts against the notices' cap. The last line is the verdict.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Sequence

from ..github.commands import command, escape_data, escape_property
from ..model import Finding, Severity
from ..policy import Judged, Outcome
from ..review import CheckRun, Review
from .common import _plural, false_positive_line, fix_line, summary_line
from .untrusted import visible

__all__ = ["command", "escape_data", "escape_property", "printable", "render"]

PER_SEVERITY = 10
TOTAL = 50
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}")


def printable(value: str) -> str:
    """Untrusted text for the log: one line, control characters shown as escapes."""
    return visible(value)


def render(review: Review, color: bool = False, token: str | None = None) -> str:
    """Annotations, then the findings inside a stop-commands block, then the verdict."""
    annotations = [("error", _crash(run)) for run in review.errors]
    annotations += [(_COMMAND[j.finding.severity], _annotation(j)) for j in review.judged]
    shown = _pick(annotations, PER_SEVERITY, TOTAL)
    lines = list(shown)
    if len(shown) < len(annotations):
        shown = _pick(annotations, PER_SEVERITY, TOTAL, reserve_notice=True)
        left_out = len(annotations) - len(shown)
        lines = [
            *shown,
            command(
                "notice",
                f"contribution-gate: {_plural(left_out, 'more annotation')} left out "
                f"(GitHub shows {PER_SEVERITY} per severity and {TOTAL} in all); the log lists every finding.",
            ),
        ]
    listing = _listing(review)
    if listing:
        token = _token(token, listing)
        lines += [
            f"::group::contribution-gate: {_plural(len(review.judged), 'finding')}",
            f"::stop-commands::{token}",
            *listing,
            f"::{token}::",
            "::endgroup::",
        ]
    lines.append(f"contribution-gate: {summary_line(review)}")
    return "\n".join(lines) + "\n"


def _pick(annotations: Sequence[tuple[str, str]], per_kind: int, total: int, reserve_notice: bool = False) -> list[str]:
    caps = {"error": per_kind, "warning": per_kind, "notice": per_kind - reserve_notice}
    total -= reserve_notice
    counts: Counter[str] = Counter()
    picked: list[str] = []
    for kind, line in annotations:
        if counts[kind] < caps[kind] and len(picked) < total:
            counts[kind] += 1
            picked.append(line)
    return picked


def _annotation(judged: Judged) -> str:
    f = judged.finding
    suppressed = judged.outcome is Outcome.SUPPRESSED
    title = f"contribution-gate {f.check}/{f.rule}" + (" (suppressed)" if suppressed else "")
    message = "\n".join(
        [
            f.message,
            *([f.excerpt] if f.excerpt else []),
            f"Fix: {fix_line(f)}",
            f"False positive: {false_positive_line(f)}",
        ]
    )
    end_line = max(f.end_line or 0, f.line or 0) or None
    one_line = bool(f.line) and end_line == f.line
    return command(
        _COMMAND[f.severity],
        message,
        file=f.path or None,
        line=f.line or None,
        endLine=end_line if f.line else None,
        col=f.column if one_line and f.column else None,
        endColumn=f.end_column if one_line and f.column and f.end_column else None,
        title=title,
    )


def _crash(run: CheckRun) -> str:
    return command(
        "error",
        f"check {run.name} could not run, so the review fails: {run.error}",
        title=f"contribution-gate {run.name} crashed",
    )


def _listing(review: Review) -> list[str]:
    lines = [f"check {printable(run.name)} could not run: {printable(run.error or '')}" for run in review.errors]
    for judged in review.judged:
        lines += _finding(judged)
    return lines


def _finding(judged: Judged) -> list[str]:
    f: Finding = judged.finding
    label = {Outcome.FAIL: "error", Outcome.WARN: "warning", Outcome.SUPPRESSED: "suppressed"}[judged.outcome]
    where = (
        f.path
        + (f":{f.line}" if f.line else "")
        + (f":{f.column}" if f.line and f.column else "")
        + (f"-{f.end_line}" if f.end_line and f.line and f.end_line != f.line else "")
    )
    commit = f"(commit {f.commit[:12]})" if f.commit else ""
    block = [" ".join(filter(None, [label, f"[{f.check}/{f.rule}]", where, commit])), f"    {f.message}"]
    if f.excerpt:
        block.append(f"    | {f.excerpt}")
    block.append(f"    fix: {fix_line(f)}")
    block.append(f"    false positive: {false_positive_line(f)}")
    return [printable(line) for line in block]


def _token(token: str | None, listing: Sequence[str]) -> str:
    text = "\n".join(listing).lower()
    if token is None:
        token = secrets.token_hex(16)
        while token in text:  # pragma: no cover - 128 random bits
            token = secrets.token_hex(16)
        return token
    if not _TOKEN.fullmatch(token) or token.lower() in text:
        raise ValueError("the stop-commands token must be 16+ letters, digits, '-' or '_' and absent from the output")
    return token
