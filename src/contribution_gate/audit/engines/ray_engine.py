"""`--engine ray`: the same reviews on Ray actors, for when one machine is not enough.

Each actor is a `Reviewer` that warms once and takes one unit at a time, biggest first, so the
work in flight is bounded by the number of actors. The driver counts attempts itself (Ray's own
task retries are off): an actor that dies (`RayActorError`, a node lost, the memory monitor) is
restarted by Ray (`max_restarts=-1`) and its unit tried again, up to `--retries`; a unit past
`--unit-timeout` has its actor killed and restarted. A unit that fails every attempt becomes an
`error` result. Ray is imported only here. Credentials are never task arguments (Ray records
those): workers read them from their own environment or a git credential helper.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from ...errors import GateError
from ..reviewer import ReviewerArgs
from ..units import Unit, biggest_first
from .base import Done, ReviewerFactory, final, lost

INSTALL_HINT = "--engine ray needs Ray: pip install 'contribution-gate[ray]' (or use --engine local)"
_PROBE_WAIT = 0.5
_MEMORY = 2 * 2**30  # what one warm worker may take: Ray schedules no more actors than fit


def _ray_private(entry: str) -> bool:
    """A path entry Ray adds to its workers (its vendored packages, its worker scripts)."""
    path = entry.replace("\\", "/")
    return "/ray/thirdparty_files" in path or "/ray/_private/workers" in path


class ReviewerActor:
    """A Reviewer kept alive by Ray; warmed when (re)started."""

    def __init__(self, factory: ReviewerFactory, args: ReviewerArgs) -> None:
        self.reviewer = factory(args)
        self.reviewer.warm()

    def run(self, unit: dict[str, Any], attempt: int) -> dict[str, Any]:
        """The unit's review, with Ray's own vendored packages (psutil, ...) out of sight: the
        licenses check reads the licenses of installed distributions, and a Ray worker's extra
        path entries would make its findings differ from the local engine's."""
        saved = list(sys.path)
        sys.path[:] = [entry for entry in saved if not _ray_private(entry)]
        try:
            return self.reviewer.run(Unit.from_dict(unit), attempt)
        finally:
            sys.path[:] = saved

    def pid(self) -> int:
        return os.getpid()


class RayEngine:
    name = "ray"

    def __init__(self, args: ReviewerArgs, workers: int, address: str | None, factory: ReviewerFactory) -> None:
        try:
            ray: Any = importlib.import_module("ray")  # untyped for mypy: only this module touches it
        except ImportError:
            raise GateError(INSTALL_HINT) from None
        self.ray = ray
        self.started = False
        if not ray.is_initialized():
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
            except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
                where = f"the Ray cluster at {address}" if address else "a local Ray"
                raise GateError(f"cannot start or reach {where}: {type(exc).__name__}: {exc}") from None
            self.started = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, workers or cpus)
        actor: Any = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=0)(ReviewerActor)
        memory = int(ray.cluster_resources().get("memory", 0))
        options = {"memory": _MEMORY} if memory >= _MEMORY * self.workers else {}
        self.actors: list[Any] = [actor.options(**options).remote(factory, args) for _ in range(self.workers)]

    def run(self, units: Sequence[Unit], retries: int, timeout: float | None) -> Iterator[Done]:
        ray = self.ray
        errors = importlib.import_module("ray.exceptions")
        failed: tuple[type[BaseException], ...] = (errors.RayError, errors.GetTimeoutError)
        queue = deque(biggest_first(units))
        attempts: dict[Unit, int] = {}
        busy: dict[Any, tuple[int, Unit, float]] = {}  # object ref -> (actor, unit, started)
        probes: dict[Any, int] = {}  # a restarting actor's ping -> actor: it takes work once it answers
        idle = list(range(len(self.actors)))
        while queue or busy:
            while idle and queue:
                slot, unit = idle.pop(), queue.popleft()
                attempts[unit] = attempts.get(unit, 0) + 1
                busy[self.actors[slot].run.remote(unit.as_dict(), attempts[unit])] = (slot, unit, time.monotonic())
            wait_for = None
            if timeout is not None and busy:
                wait_for = max(0.0, min(s + timeout for _, _, s in busy.values()) - time.monotonic())
            waiting = [*busy, *probes]
            ready, _ = ray.wait(waiting, num_returns=1, timeout=wait_for)
            finished: list[tuple[Any, dict[str, Any]]] = []
            for ref in ready:
                if ref in probes:
                    self._probed(ref, probes, idle, failed)
                    continue
                slot, unit, started = busy[ref]
                try:
                    result: dict[str, Any] = ray.get(ref, timeout=60)
                except failed as exc:
                    reason = f"its Ray actor failed during attempt {attempts[unit]} ({type(exc).__name__})"
                    result = {**lost(reason, time.monotonic() - started), "lost": True}
                finished.append((ref, result))
            for ref, (slot, _unit, started) in list(busy.items()):
                elapsed = time.monotonic() - started
                if ref not in ready and timeout is not None and elapsed > timeout:
                    ray.kill(self.actors[slot], no_restart=False)  # Ray restarts it, warm again
                    reason = f"stopped after {elapsed:.0f} s, over --unit-timeout {timeout:g} s"
                    finished.append((ref, {**lost(reason, elapsed), "lost": True}))
            for ref, result in finished:
                slot, unit, _ = busy.pop(ref)
                if result.pop("lost", False):
                    probes[self.actors[slot].pid.remote()] = slot
                else:
                    idle.append(slot)
                if final(result, attempts[unit], retries):
                    yield Done(unit, result, attempts[unit])
                else:
                    queue.appendleft(unit)

    def _probed(
        self, ref: Any, probes: dict[Any, int], idle: list[int], failed: tuple[type[BaseException], ...]
    ) -> None:
        """A restarting actor answered its ping (it takes work again) or not yet (ping again)."""
        slot = probes.pop(ref)
        try:
            self.ray.get(ref, timeout=60)
        except failed:
            time.sleep(_PROBE_WAIT)
            probes[self.actors[slot].pid.remote()] = slot
            return
        idle.append(slot)

    def pids(self) -> list[int]:
        """The actors' process ids (for tests that kill one)."""
        return [int(pid) for pid in self.ray.get([a.pid.remote() for a in self.actors])]

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor, no_restart=True)
        self.actors = []
        if self.started:
            self.ray.shutdown()
