"""A range of a stream read for the walker through a buffer: never a byte past its end, never a
whole line in memory, however long the line."""

from __future__ import annotations

from typing import BinaryIO

from .budget import Meter
from .opcodes import LINE_KEEP

CHUNK = 1 << 16


class Input:
    """[start, end) of a stream read through a buffer: never a byte past `end`, never a whole line
    kept in memory."""

    __slots__ = ("base", "buf", "end", "i", "stream")

    def __init__(self, stream: BinaryIO, start: int, end: int) -> None:
        self.stream, self.end = stream, end
        self.buf, self.i, self.base = b"", 0, start
        stream.seek(start)

    def tell(self) -> int:
        return self.base + self.i

    def _more(self, need: int) -> bool:
        """`need` bytes available at the cursor; False when `end` comes first."""
        have = len(self.buf) - self.i
        room = self.end - (self.base + len(self.buf))
        if have + room < need:
            return False
        more = self.stream.read(min(room, max(need - have, CHUNK)))
        self.buf = self.buf[self.i :] + more
        self.base += self.i
        self.i = 0
        if len(self.buf) < need:  # the stream is shorter than it claimed: its end is here
            self.end = self.base + len(self.buf)
            return False
        return True

    def byte(self) -> int:
        if self.i >= len(self.buf) and not self._more(1):
            return -1
        value = self.buf[self.i]
        self.i += 1
        return value

    def take(self, n: int) -> bytes | None:
        if len(self.buf) - self.i < n and not self._more(n):
            return None
        data = self.buf[self.i : self.i + n]
        self.i += n
        return data

    def skip(self, n: int) -> bool:
        if n <= len(self.buf) - self.i:
            self.i += n
            return True
        target = self.base + self.i + n
        if target > self.end:
            return False
        self.stream.seek(target)
        self.base, self.buf, self.i = target, b"", 0
        return True

    def line(self, meter: Meter) -> tuple[bytes, int, int] | None:
        """The next newline-terminated line: (its first LINE_KEEP bytes, its length, its last byte
        or -1), newline left out; None when the data ends first."""
        kept, length, last = b"", 0, -1
        while True:
            j = self.buf.find(b"\n", self.i)
            piece = self.buf[self.i : j if j >= 0 else len(self.buf)]
            if piece:
                if len(kept) < LINE_KEEP:
                    kept += piece[: LINE_KEEP - len(kept)]
                length += len(piece)
                last = piece[-1]
            if j >= 0:
                self.i = j + 1
                return kept, length, last
            self.i = len(self.buf)
            if not self._more(1):
                return None
            meter.check_time()
