"""The audit's progress line on a terminal's stderr: units done of planned, failures, time left."""

from __future__ import annotations

import shutil
import time
from typing import TextIO


class AuditProgress:
    """Redraws at most four times a second; `close` erases the line."""

    def __init__(self, stream: TextIO, planned: int, done: int = 0, interval: float = 0.25) -> None:
        self.stream, self.planned, self.interval = stream, planned, interval
        self.done = self.skipped = done
        self.failed = self.errors = 0
        self.start = self.last = time.monotonic()
        self.drawn = False

    def update(self, status: str) -> None:
        self.done += 1
        self.failed += status == "fail"
        self.errors += status == "error"
        self.draw()

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last, self.drawn = now, True
        elapsed = now - self.start
        fresh = self.done - self.skipped
        left = (self.planned - self.done) * elapsed / fresh if fresh else None
        tail = f", ~{_clock(left)} left" if left is not None else ""
        line = (
            f"contribution-gate audit: {self.done}/{self.planned} units, {self.failed} failed, "
            f"{self.errors} errors, {_clock(elapsed)} elapsed{tail}"
        )
        width = shutil.get_terminal_size().columns - 1
        self.stream.write(f"\r\x1b[K{line[: max(width, 20)]}")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
