"""The default engine: long-lived worker processes on this machine, standard library only.

On Linux the driver loads the expensive state once (`Reviewer.warm`: ScanCode's index) and forks
the workers, which share those pages; elsewhere each spawned worker warms itself. Each worker has a
pipe of its own and takes one unit at a time, biggest first. Unlike a `ProcessPoolExecutor`, whose
whole pool breaks when one worker dies (every unit in flight lost and resubmitted), a dead worker
here costs only its own unit: the unit is retried and a new worker forked from the warm driver.
A unit past `--unit-timeout` has its worker's process group killed (git children included).
Every worker gets a temporary directory of its own, removed by the driver when the worker ends,
however it ends: a killed worker leaves no temporary files behind.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..reviewer import Reviewer, ReviewerArgs
from ..store import forget_lock
from ..units import Unit, biggest_first
from .base import Done, ReviewerFactory, final, lost

_STOP_GRACE = 5.0


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of either context
    conn: Connection
    tmp: str
    unit: Unit | None = None
    attempt: int = 0
    started: float = 0.0


def _serve(conn: Connection, warm: Reviewer | None, factory: ReviewerFactory, args: ReviewerArgs, tmp: str) -> None:
    """A worker's loop: one unit in, one result out, until the driver closes the pipe."""
    forget_lock()
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group: a timeout kills its git processes too; ^C reaches the driver
    tempfile.tempdir = tmp
    os.environ["TMPDIR"] = tmp
    reviewer = warm
    if reviewer is None:  # spawned: warm here
        reviewer = factory(args)
        reviewer.warm()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the driver is gone
        if message is None:
            return
        unit, attempt = message
        result = reviewer.run(Unit.from_dict(unit), attempt)
        try:
            conn.send(result)
        except OSError:
            return


class LocalEngine:
    name = "local"

    def __init__(self, args: ReviewerArgs, workers: int, factory: ReviewerFactory = Reviewer) -> None:
        self.args, self.workers, self.factory = args, max(1, workers), factory
        fork = sys.platform.startswith("linux")
        self.context: Any = multiprocessing.get_context("fork" if fork else "spawn")
        self.warm: Reviewer | None = None
        if fork:
            self.warm = factory(args)
            self.warm.warm()
        self.pool: list[_Worker] = []

    def _start(self) -> _Worker:
        tmp = tempfile.mkdtemp(prefix="contribution-gate-audit-")
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=_serve, args=(theirs, self.warm, self.factory, self.args, tmp), daemon=True, name="gate-audit"
        )
        process.start()
        theirs.close()
        return _Worker(process, ours, tmp)

    def run(self, units: Sequence[Unit], retries: int, timeout: float | None) -> Iterator[Done]:
        queue = deque(biggest_first(units))
        attempts: dict[Unit, int] = {}
        while len(self.pool) < min(self.workers, len(queue)):
            self.pool.append(self._start())
        while queue or any(w.unit is not None for w in self.pool):
            for worker in self.pool:
                if worker.unit is None and queue:
                    unit = queue.popleft()
                    attempts[unit] = attempts.get(unit, 0) + 1
                    worker.unit, worker.attempt, worker.started = unit, attempts[unit], time.monotonic()
                    with contextlib.suppress(OSError):  # it died idle: found below through its sentinel
                        worker.conn.send((unit.as_dict(), worker.attempt))
            busy = [w for w in self.pool if w.unit is not None]
            wait([x for w in busy for x in (w.conn, w.process.sentinel)], timeout=self._wait_for(busy, timeout))
            for index, worker in enumerate(self.pool):
                if worker.unit is None:
                    continue
                unit = worker.unit
                result = self._collect(worker, timeout)
                if result is None:
                    continue
                if result.get("lost"):
                    self._retire(worker)
                    self.pool[index] = self._start()
                else:
                    worker.unit = None
                count = attempts[unit]
                if final(result, count, retries):
                    yield Done(unit, {k: v for k, v in result.items() if k != "lost"}, count)
                else:
                    queue.appendleft(unit)

    @staticmethod
    def _wait_for(busy: Sequence[_Worker], timeout: float | None) -> float | None:
        if timeout is None or not busy:
            return None
        left = min(w.started + timeout for w in busy) - time.monotonic()
        return max(0.0, left)

    def _collect(self, worker: _Worker, timeout: float | None) -> dict[str, Any] | None:
        """The worker's result, a lost attempt (it died or overran), or None (still working)."""
        elapsed = time.monotonic() - worker.started
        if worker.conn.poll():
            try:
                result: dict[str, Any] = worker.conn.recv()
                return result
            except (EOFError, OSError):
                pass
        if not worker.process.is_alive():
            worker.process.join()
            code = worker.process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with {code}"
            return {**lost(f"its worker process died ({how}) during attempt {worker.attempt}", elapsed), "lost": True}
        if timeout is not None and elapsed > timeout:
            self._kill(worker)
            return {**lost(f"stopped after {elapsed:.0f} s, over --unit-timeout {timeout:g} s", elapsed), "lost": True}
        return None

    @staticmethod
    def _kill(worker: _Worker) -> None:
        pid = worker.process.pid
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg") and pid is not None:
                os.killpg(pid, signal.SIGKILL)
            else:
                worker.process.kill()
        worker.process.join(_STOP_GRACE)

    def _retire(self, worker: _Worker) -> None:
        worker.conn.close()
        self._kill(worker)  # the worker, or what is left of its group (a git process of a killed worker)
        shutil.rmtree(worker.tmp, ignore_errors=True)

    def close(self) -> None:
        """Stop every worker (a unit still running is abandoned: it was not recorded) and remove
        their temporary directories."""
        for worker in self.pool:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + _STOP_GRACE
        for worker in self.pool:
            if worker.unit is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            self._retire(worker)
        self.pool = []
