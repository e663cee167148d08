"""Model artefacts read by content, never executed: the engine of the `models` check and the AI-BOM.

`sniff` names a format from a file's first bytes; `scan` walks a file by its format (recursing into
archives and compressed wrappers) and reports `Problem`s; one module per family of formats.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS = 100  # per committed file; the rest are counted in one more problem


@dataclass(frozen=True)
class Problem:
    """Something a model file holds that must be reviewed. `where` is the place inside the file
    (an archive member, an offset, a JSON key); `detail` is the normalised thing found (a global's
    name, a path), what a finding's fingerprint is made of."""

    rule: str
    message: str
    severity: str = "error"  # error | warning
    where: str = ""
    detail: str = ""

    def inside(self, member: str) -> Problem:
        """The same problem, seen through an archive member or a wrapper."""
        where = f"{member} > {self.where}" if self.where else member
        return Problem(self.rule, self.message, self.severity, where, self.detail)


def capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [
        Problem("too-many-problems", f"{more} more problems in this file are not listed", "error", "", "more")
    ]
