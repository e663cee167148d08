"""What every reporter says the same way: how a target is named, how results are counted."""

from __future__ import annotations

from collections import Counter

from ..model import Severity, Target
from ..policy import Outcome
from ..review import Review


def describe_target(target: Target) -> str:
    if target.kind == "staged":
        return "staged changes"
    if target.kind == "all-files":
        return f"all tracked files at {_short(target.head)}"
    if target.kind == "files":
        return "the named files of the working tree"
    if target.kind == "received":
        return f"the pushed commits no ref of the repository has ({', '.join(_short(t) for t in target.tips)})"
    if target.kind == "unpushed":
        return f"commits of {_short(target.head)} that no remote branch has"
    if target.base is None:
        return f"root commit {_short(target.head)}"
    return f"commits {_short(target.base)}..{_short(target.head)}"


def _short(sha: str | None) -> str:
    return (sha or "")[:12]


def tally(review: Review) -> Counter[Outcome]:
    return Counter(j.outcome for j in review.judged)


def summary_line(review: Review) -> str:
    """`FAIL: 2 errors, 1 warning, 3 notes (1 suppressed); 1 check could not run: ...`."""
    counts = tally(review)
    notes = sum(1 for j in review.judged if j.outcome is Outcome.WARN and j.finding.severity is Severity.NOTE)
    parts = [_plural(counts[Outcome.FAIL], "error"), _plural(counts[Outcome.WARN] - notes, "warning")]
    if notes:
        parts.append(_plural(notes, "note"))
    line = f"{review.verdict.upper()}: {', '.join(parts)}"
    if counts[Outcome.SUPPRESSED]:
        line += f" ({counts[Outcome.SUPPRESSED]} suppressed)"
    if review.errors:
        line += f"; {_plural(len(review.errors), 'check')} could not run: {', '.join(c.name for c in review.errors)}"
    return (
        line
        + f" in {_plural(review.files, 'file')}"
        + (f", {_plural(review.commits, 'commit')}" if review.commits else "")
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
