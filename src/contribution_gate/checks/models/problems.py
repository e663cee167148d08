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


# what could not be read, reported at the policy's `unscanned` severity (a warning by default): an
# encrypted member (no loader opens one without its password), a corrupt archive, a member in a
# compression method no loader reads (twine's `malformed.tar.gz`, .NET's Deflate64 `deflate64.zip`)
UNSCANNED = frozenset(("unscanned", "lfs-unscanned", "archive-encrypted", "archive-corrupt", "archive-unreadable"))


def capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, the errors first, and one more that counts the rest at their
    worst severity: an error, else an unscanned one (`detail` "unscanned", at the policy's severity
    for what was not read: commons-compress' split zips, 142 members of an unsupported method), else
    a warning."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    ordered = sorted(problems, key=lambda p: p.rule in UNSCANNED or p.severity != "error")
    rest = ordered[MAX_PROBLEMS:]
    hard = any(p.severity == "error" and p.rule not in UNSCANNED for p in rest)
    unscanned = not hard and any(p.rule in UNSCANNED for p in rest)
    message = f"{len(rest)} more problems in this file are not listed"
    severity = "error" if hard or unscanned else "warning"
    return [
        *ordered[:MAX_PROBLEMS],
        Problem("too-many-problems", message, severity, "", "unscanned" if unscanned else "more"),
    ]
