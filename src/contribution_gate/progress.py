"""A progress line for long reviews (ranges, whole trees), drawn on a terminal's stderr only."""

from __future__ import annotations

import time
from typing import TextIO

from .wording import plural


class ProgressLine:
    """Redraws `reviewing: N files, M commits` at most ten times a second; `close` erases it."""

    def __init__(self, stream: TextIO, interval: float = 0.1) -> None:
        self.stream, self.interval, self.last, self.drawn = stream, interval, 0.0, False

    def __call__(self, files: int, commits: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last, self.drawn = now, True
        tail = f", {plural(commits, 'commit')}" if commits else ""
        self.stream.write(f"\r\x1b[Kcontribution-gate: reviewing {plural(files, 'file')}{tail}")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
