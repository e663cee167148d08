"""What an engine is: it runs units on workers and yields each unit's final result, unordered.

Each engine keeps long-lived workers that load the expensive state once (`Reviewer.warm`), hands
out the biggest units first with at most one unit in flight per worker, and retries a unit whose
worker died, ran past the unit timeout or hit a transient git error, up to `retries` more times;
after that the unit's result is an `error` that says why, never a silent gap. Results are dicts,
so no worker writes the audit directory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..reviewer import Reviewer, ReviewerArgs
from ..units import Unit

ReviewerFactory = Callable[[ReviewerArgs], Reviewer]


@dataclass
class Done:
    unit: Unit
    result: dict[str, Any]
    attempts: int


class Engine(Protocol):
    name: str
    workers: int

    def run(self, units: Sequence[Unit], retries: int, timeout: float | None) -> Iterator[Done]: ...

    def close(self) -> None: ...


def lost(reason: str, seconds: float = 0.0) -> dict[str, Any]:
    """The result of an attempt that returned nothing (the worker died or was stopped)."""
    from ... import __version__

    return {"status": "error", "version": __version__, "seconds": round(seconds, 3), "error": reason, "retry": True}


def final(result: dict[str, Any], attempts: int, retries: int) -> bool:
    """Whether a unit's latest result is its last: a review, or an error not worth another try."""
    return result.get("status") != "error" or not result.get("retry") or attempts > retries
