"""One committed file's budget of opcodes and time, shared by every pickle, archive member and header
in it: a file cannot stay under a per-pickle budget by holding many pickles, or many members.

Exceeding a budget is an error problem naming the setting to raise, never a pass: what was not read
could hold anything.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .problems import Problem

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
