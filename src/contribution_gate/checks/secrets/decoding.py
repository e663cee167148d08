"""Encoded secrets: segments of added text decoded and scanned again.

A token base64-encoded in a JSON value, percent-encoded in a URL, hex-encoded, written as
`\\uXXXX`/`\\xXX` escapes or HTML entities passes every pattern that reads text as it is. Here
each segment that could hold an encoded token is decoded, and the decoded text goes through the
same detectors (`blocks.scan_added`: keyword prefilter, rules, judge), then again through this
pass up to `depth` levels (`base64 > percent`).

Cost stays linear and bounded on any input (`encodings` says how segments are found and decoded):
decoding never grows text, so each level reads at most what the level above it read.

A finding keeps the place of the encoded segment (line and column), says how it was encoded, and
masks the encoded segment in its excerpt; a value the text already shows as it is was found by the
plain scan and is not reported twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from ...model import AddedLines
from .blocks import Found, scan_added
from .encodings import segments
from .lines import Hit, Kind, LineExcerpts, candidate

DEFAULT_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Decoded:
    """A hit in decoded text: where its outermost encoded segment is in the scanned text, the chain
    of encodings, and the hit itself (positions in the innermost decoded text)."""

    start: int
    end: int
    chain: tuple[str, ...]
    found: Found


def decoded_hits(
    kind: Kind, text: str, low: int, high: int, depth: int, allow: Sequence[re.Pattern[str]]
) -> Iterator[Decoded]:
    """The credentials of the encoded segments of text[low:high], `depth` levels deep."""
    if depth <= 0:
        return
    for segment in segments(text, low, high):
        raw = text[segment.start : segment.end]
        for inner in _found(kind, segment.decoded, depth, allow):
            if inner.found.hit.secret and inner.found.hit.secret in raw:
                continue  # shown as it is: the scan one level up found it
            yield Decoded(segment.start, segment.end, (segment.encoding, *inner.chain), inner.found)


def _found(kind: Kind, decoded: str, depth: int, allow: Sequence[re.Pattern[str]]) -> Iterator[Decoded]:
    """The hits of one decoded text as it is, then in its own encoded segments."""
    seen: set[tuple[str, str]] = set()
    keywords = candidate().found(decoded.lower())  # most decoded text holds none: no scan
    added = AddedLines(decoded, (range(1, decoded.count("\n") + 2),)) if keywords else AddedLines()
    for found in scan_added(kind, added, len(decoded), allow) if keywords else ():
        seen.add((found.hit.rule, found.hit.secret))
        yield Decoded(0, len(decoded), (), found)
    for deeper in decoded_hits(kind, decoded, 0, len(decoded), depth - 1, allow):
        if (deeper.found.hit.rule, deeper.found.hit.secret) not in seen:
            yield deeper


def found_in(
    kind: Kind, added: AddedLines, limit: int, depth: int, allow: Sequence[re.Pattern[str]]
) -> Iterator[Found]:
    """Credentials encoded in the first `limit` characters of added lines, each located at its
    encoded segment: the line and column where the segment starts, its excerpt with the segment
    masked, the chain of encodings in the hit's note."""
    if depth <= 0:
        return
    text = added.text
    lines = _Lines(text, added)
    seen: set[tuple[int, str, str]] = set()
    hits = sorted(decoded_hits(kind, text, 0, min(limit, len(text)), depth, allow), key=lambda h: h.start)
    for hit in hits:
        inner = hit.found.hit
        key = (hit.start, inner.rule, inner.secret)
        if key in seen:
            continue  # two overlapping pieces of one segment
        seen.add(key)
        lineno, line_start, line_end = lines.at(hit.start)
        end = min(hit.end, line_end)
        chain = " > ".join(hit.chain)
        note = f"encoded: {chain}" + (f"; {inner.note}" if inner.note else "")
        shown = replace(inner, secret=text[hit.start : end], start=hit.start - line_start, end=end - line_start)
        excerpt = LineExcerpts(text, line_start, line_end, [shown]).around(shown)
        located = Hit(
            inner.rule, inner.title, inner.secret, inner.severity, inner.remediation, shown.start, shown.end, note
        )
        yield Found(located, lineno, lineno, hit.found.matched, excerpt)


class _Lines:
    """The line holding a position of the text, for positions asked in increasing order: newlines
    are counted once over the whole walk, and a line's end is looked for once."""

    def __init__(self, text: str, added: AddedLines) -> None:
        self.text, self.added = text, added
        self.index, self.counted, self.line_start = 0, 0, 0
        self.end_of: tuple[int, int] | None = None  # (line start, its end) of the last asked line

    def at(self, pos: int) -> tuple[int, int, int]:
        """(the line's number in the new file, where it starts, where it ends) of position `pos`."""
        newlines = self.text.count("\n", self.counted, pos)
        if newlines:
            self.index += newlines
            self.line_start = self.text.rfind("\n", self.counted, pos) + 1
        self.counted = pos
        if self.end_of is None or self.end_of[0] != self.line_start:
            cut = self.text.find("\n", pos)
            self.end_of = (self.line_start, len(self.text) if cut < 0 else cut)
        return self.added.lineno(self.index) if self.index < len(self.added) else 0, self.line_start, self.end_of[1]
