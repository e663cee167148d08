"""One walk of a committed archive, kept for the next check that would walk the same archive again.

The secrets check reads every text member of a committed archive; the models check then reads the same
archive for members in model formats. Most archives of a tree (wheels, source tarballs, jars) hold none, so
that second walk decompressed everything again to find nothing: on pypa/pip's tree, 87 test archives and
about a tenth of the review's CPU time. A check that walks an archive now shows each member's first bytes to the
watchers of the review (a check that may walk it later registers one: `watch`); when its walk ends without
an issue, the survey is kept, for the last archive only (the checks take each file in turn). The later
check skips its own walk only when no watcher wanted a member and the walk kept within that check's own
bounds (`Survey.within`); else it walks as before. Nothing here imports the archive readers: a review of
ordinary code pays for none of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .containers import Bounds, Budget

Look = Callable[[bytes, int], bool]  # (a member's first bytes, its declared size or -1) -> would read it itself


@dataclass(frozen=True)
class Survey:
    """What one walk of the archive in `blob` met: whether a watcher wanted a member, and what it spent."""

    blob: str
    wanted: bool
    max_depth: int  # the nesting the walk was allowed: it met no archive nested deeper
    members: int  # members counted, every level together
    used: int  # decompressed bytes counted
    seconds: float

    def within(self, bounds: Bounds, size: int, seconds_left: float) -> bool:
        """Whether a walk within `bounds` (of a `size`-byte file, with `seconds_left`) would have read
        no more than this walk did and met no issue either: it reads a subset of what this one read."""
        from .containers import Budget

        return (
            not self.wanted
            and self.max_depth <= bounds.max_depth
            and self.members <= bounds.max_members
            and self.used <= Budget(bounds, size).limit
            and self.seconds < seconds_left
        )


@dataclass
class Surveyor:
    """Takes the survey of one walk: `look` is the walk's `Budget.look`, `done` its end without an issue."""

    surveys: Surveys
    blob: str
    wanted: bool = False
    started: float = field(default_factory=time.monotonic)

    def look(self, head: bytes, size: int) -> None:
        if not self.wanted:
            self.wanted = any(watcher(head, size) for watcher in self.surveys.watchers)

    def done(self, budget: Budget) -> None:
        seconds = time.monotonic() - self.started
        bounds = budget.bounds
        self.surveys.last = Survey(self.blob, self.wanted, bounds.max_depth, budget.members, budget.used, seconds)


@dataclass
class Surveys:
    """The watchers of one review, and the survey of the archive walked last."""

    watchers: list[Look] = field(default_factory=list)
    last: Survey | None = None

    def watch(self, look: Look) -> None:
        self.watchers.append(look)

    def surveyor(self, blob: str | None) -> Surveyor | None:
        """A surveyor for a walk of `blob`, when a check watches (None: nobody would use the survey)."""
        return Surveyor(self, blob) if self.watchers and blob else None

    def of(self, blob: str | None) -> Survey | None:
        """The survey of `blob`'s walk, when it was the last archive walked."""
        last = self.last
        return last if last is not None and blob and last.blob == blob else None
