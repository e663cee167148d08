"""Encoded secrets: segments of added text decoded and scanned again.

A token base64-encoded in a JSON value, percent-encoded in a URL, hex-encoded, written as
`\\uXXXX`/`\\xXX` escapes or HTML entities passes every pattern that reads text as it is. Here
each segment that could hold an encoded token is decoded, and the decoded text goes through the
same detectors (`blocks.scan_added`: keyword prefilter, rules, judge), then again through this
pass up to `depth` levels (`base64 > percent`).

Cost stays linear and bounded on any input:

- segments are found by linear patterns anchored at the start of a run (a lookbehind), or from
  the positions of `%XX`, `\\u`, `\\x` and `&#` in the text, each run read once;
- a segment must be long enough to hold a token (MIN_DECODED characters once decoded) and is read
  in pieces of at most PIECE characters, aligned to its encoding, overlapping by more than a token;
- a piece is decoded only when its first PROBE characters decode to mostly printable text (images,
  hashes, integrity strings and compressed data are binary), and kept only when all of it is;
- decoding never grows text, so each level reads at most what the level above it read.

A finding keeps the place of the encoded segment (line and column), says how it was encoded, and
masks the encoded segment in its excerpt; a value the text already shows as it is was found by the
plain scan and is not reported twice.
"""

from __future__ import annotations

import binascii
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote

from ...model import AddedLines
from .blocks import Found, scan_added
from .lines import Hit, Kind, LineExcerpts

DEFAULT_DEPTH = 2
MIN_DECODED = 16  # the shortest token worth decoding for (an AWS key id is 20)
PIECE = 1 << 15  # characters of a segment decoded at once
_OVERLAP = 512  # characters two pieces share (a multiple of 4 and 2): longer than a token encoded
PROBE = 256  # characters decoded first to tell text from binary
RUN = 1 << 14  # how far a run holding escapes or `%XX` is followed either way from one of them
_PRINTABLE_SHARE = 0.95

_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{22,}={0,2}")
_HEX = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{32,}(?![0-9A-Za-z])")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9A-Fa-f]{2,6}|[A-Za-z]{2,8});")
_DELIMITER = re.compile(r"[\s\"'<>`]")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
# bytes that text is made of: printable ASCII, tab, newline, carriage return, and UTF-8's high bytes
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(range(0x80, 0x100))


@dataclass(frozen=True, slots=True)
class Segment:
    """An encoded segment text[start:end] and its decoded text."""

    start: int
    end: int
    encoding: str
    decoded: str


def textual(raw: bytes) -> str | None:
    """`raw` as text when it is mostly printable UTF-8 (binary data, hashes and images are not)."""
    if not raw:
        return None
    room = len(raw) * (1 - _PRINTABLE_SHARE)
    if len(raw.translate(None, _TEXT_BYTES)) > room:
        return None
    decoded = raw.decode("utf-8", "replace")  # a piece may cut a character at either end
    return decoded if decoded.count("\ufffd") <= room else None


def _base64(segment: str) -> bytes | None:
    body = segment.rstrip("=").replace("-", "+").replace("_", "/")
    body = body[: len(body) - len(body) % 4] if len(body) % 4 == 1 else body
    try:
        return binascii.a2b_base64(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None


def _hex(segment: str) -> bytes | None:
    try:
        return binascii.unhexlify(segment[: len(segment) - len(segment) % 2])
    except (binascii.Error, ValueError):
        return None


def _pieces(start: int, end: int, align: int) -> Iterator[tuple[int, int]]:
    """[start, end) cut into pieces of at most PIECE characters, each starting at a multiple of
    `align` from `start`, overlapping by _OVERLAP."""
    at = start
    while True:
        stop = min(end, at + PIECE)
        yield at, stop
        if stop >= end:
            return
        at = stop - _OVERLAP
        at -= (at - start) % align


def _binary_segments(text: str, low: int, high: int) -> Iterator[Segment]:
    """Base64 and hex runs of text[low:high], decoded piece by piece where they read as text."""
    for pattern, encoding, decode, align, shrink in (
        (_BASE64, "base64", _base64, 4, 4 / 3),
        (_HEX, "hex", _hex, 2, 2.0),
    ):
        for match in pattern.finditer(text, low, high):
            start, end = match.span()
            if (end - start) / shrink < MIN_DECODED:
                continue
            if encoding == "base64" and _skipped_base64(text, start, end):
                continue
            for piece_start, piece_end in _pieces(start, end, align):
                chunk = text[piece_start:piece_end]
                probe = decode(chunk[:PROBE])
                if probe is None or textual(probe) is None:
                    continue
                raw = decode(chunk) if len(chunk) > PROBE else probe
                decoded = textual(raw) if raw is not None else None
                if decoded is not None and len(decoded) >= MIN_DECODED:
                    yield Segment(piece_start, piece_end, encoding, decoded)


def _skipped_base64(text: str, start: int, end: int) -> bool:
    """Runs that are base64 of something the plain scan judges already, or no base64 at all: a
    JWT's parts (the `jwt` rule reads them), a run of hex digits (the hex pass reads it), words."""
    if text.startswith("eyJ", start) and (text[end : end + 1] == "." or text[start - 1 : start] == "."):
        return True
    run = text[start:end]
    return set(run) <= _HEX_DIGITS or run.isalpha()


def _escaped_segments(text: str, low: int, high: int) -> Iterator[Segment]:
    """Runs of text[low:high] holding percent-encoding, escapes or HTML entities, each decoded
    whole. A run is what lies between delimiters (space, quotes, angle brackets) around a
    `%XX`, `\\uXXXX`, `\\xXX` or `&...;`, followed at most RUN characters either way; the runs of
    one kind are read once however many codes they hold."""
    for pattern, encoding, decode in (
        (_PERCENT, "percent", unquote),
        (_ESCAPE, "escapes", _unescape),
        (_ENTITY, "html", html.unescape),
    ):
        marker = pattern.pattern[0] if encoding != "escapes" else "\\"
        if text.find(marker, low, high) < 0:
            continue
        covered = low
        for match in pattern.finditer(text, low, high):
            if match.start() < covered:
                continue
            start, end = _run(text, match.start(), max(covered, low), high)
            covered = end
            if end - start < MIN_DECODED:
                continue
            run = text[start:end]
            decoded = decode(run)
            if decoded != run and len(decoded) >= MIN_DECODED and _printable(decoded):
                yield Segment(start, end, encoding, decoded)


def _run(text: str, at: int, low: int, high: int) -> tuple[int, int]:
    """The run around position `at`: from after the last delimiter before it to the first after."""
    left = max(low, at - RUN)
    before = text[left:at]
    cut = max(before.rfind(c) for c in " \t\n\"'<>`")
    start = left + cut + 1 if cut >= 0 else left
    found = _DELIMITER.search(text, at, min(high, at + RUN))
    return start, found.start() if found else min(high, at + RUN)


def _unescape(run: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(0)[2:], 16)), run)


def _printable(decoded: str) -> bool:
    bad = sum(1 for c in decoded if not c.isprintable() and c not in "\t\n\r")
    return bad <= len(decoded) * (1 - _PRINTABLE_SHARE)


def segments(text: str, low: int = 0, high: int | None = None) -> Iterator[Segment]:
    """Every encoded segment of text[low:high] that decodes to text long enough for a token."""
    high = len(text) if high is None else high
    yield from _binary_segments(text, low, high)
    yield from _escaped_segments(text, low, high)


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
    added = AddedLines(decoded, (range(1, decoded.count("\n") + 2),))
    seen: set[tuple[str, str]] = set()
    for found in scan_added(kind, added, len(decoded), allow):
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
