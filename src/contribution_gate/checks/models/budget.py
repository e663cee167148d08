"""One committed file's budget of opcodes and time, shared by every pickle, archive member and header
in it: a file cannot stay under a per-pickle budget by holding many pickles, or many members.

Exceeding a budget is an error problem naming the setting to raise, never a pass: what was not read
could hold anything.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .problems import Problem

if TYPE_CHECKING:
    from ...containers import Budget
    from .pickles import Allowlist

TICK = 4096  # loops look at the clock once per this many steps
MAX_JSON_VALUES = 2_000_000  # parsing JSON costs memory per value (`[],` is 3 bytes and 60 once parsed)


def json_values(text: bytes | str) -> int:
    """About how many values a JSON document holds, counted at C speed before it is parsed."""
    if isinstance(text, str):
        return text.count(",") + text.count("[") + text.count("{")
    return text.count(b",") + text.count(b"[") + text.count(b"{")


class OverBudget(Exception):
    """Raised from deep inside a reader when the file's time budget is spent."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Meter:
    max_opcodes: int
    max_seconds: float
    started: float = field(default_factory=time.monotonic)
    opcodes: int = 0  # spent by every pickle of the file so far

    @property
    def deadline(self) -> float:
        return self.started + self.max_seconds

    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def over_time(self) -> Problem:
        return Problem(
            "over-budget",
            f"reading the file took more than {self.max_seconds:g} seconds: over the time budget "
            "([models] max-seconds); the rest was not read",
            "error",
            "",
            "time",
        )

    def check_time(self) -> None:
        if self.expired():
            raise OverBudget(self.over_time())


@dataclass(frozen=True)
class Limits:
    """The settings every committed file is scanned within; the archive bounds are built only
    for an archive (containers is imported then)."""

    allow: Allowlist
    max_size: int = 4 << 30
    max_opcodes: int = 10_000_000
    max_depth: int = 6
    max_members: int = 100_000
    max_ratio: int = 200
    max_seconds: float = 120.0

    def budget(self, size: int, meter: Meter) -> Budget:
        """The archive budget of one committed file of `size` bytes."""
        from ...containers import Bounds, Budget

        bounds = Bounds(
            max_depth=self.max_depth, max_members=self.max_members, max_bytes=self.max_size, max_ratio=self.max_ratio
        )
        return Budget(bounds, size, deadline=meter.deadline)

    def meter(self) -> Meter:
        """The opcode and time budget of one committed file."""
        return Meter(self.max_opcodes, self.max_seconds)
