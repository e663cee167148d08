"""Where text holds encoded segments, and what they decode to: base64 (standard and URL-safe,
padded or not), hex, percent-encoding, `\\uXXXX`/`\\xXX` escapes and HTML entities.

Pure and linear: segments are found by patterns anchored at the start of a run (a lookbehind), or
from the positions of `%XX`, `\\u`, `\\x` and `&#` in the text, each run read once; a segment must
be long enough to hold a token once decoded (MIN_DECODED) and is decoded in pieces of at most PIECE
characters, aligned to its encoding, overlapping by more than an encoded token; a piece is decoded
whole only when its first PROBE characters decode to mostly printable text (images, hashes,
integrity strings and compressed data do not), and kept only when all of it does. Decoding never
grows text. Used by the secrets check (`decoding`) and by the redaction of every report.
"""

from __future__ import annotations

import binascii
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

MIN_DECODED = 20  # the shortest token worth decoding for (an AWS key id)
PIECE = 1 << 15  # characters of a segment decoded at once
_OVERLAP = 512  # characters two pieces share (a multiple of 4 and 2): longer than a token encoded
PROBE = 256  # characters decoded first to tell text from binary
RUN = 1 << 14  # how far a run holding escapes or `%XX` is followed on from one of them
LEAD = 1 << 10  # and back (the plain text before its first code: a URL's start)
_PRINTABLE_SHARE = 0.95

# `-` and `_` (URL-safe base64) end a run: base64 of text has them only where the text has `>`, `?`
# or `~` (a group's last character, so the run after one starts on a group), while identifiers
# and file names are full of them
_B64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_HEX_CHARS = "0123456789abcdefABCDEF"
_RUN_MAP = bytes(ord("a") if chr(b) in _B64_CHARS else ord("=") if b == ord("=") else ord(" ") for b in range(256))
_SHORTEST = 27  # base64 characters of MIN_DECODED bytes
_SHORTEST_HEX = 2 * MIN_DECODED
# the characters a group of base64 of ASCII text starts with (a byte below 0x80 gives `A`-`f`;
# printable ASCII `I`-`f`), and the high nibbles of printable ASCII in hex: everything else is
# deleted by these tables, so what is left is what does not fit
_BASE64_STARTS: dict[int, None] = str.maketrans(dict.fromkeys("IJKLMNOPQRSTUVWXYZabcdefCD"))
_HEX_STARTS: dict[int, None] = str.maketrans(dict.fromkeys("234567"))
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]{1,64}-----")
_PEM_BODY = re.compile(r"[A-Za-z0-9+/=\s]*")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")
_ESCAPED = re.compile(r"\\{1,2}(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})")  # `\\u0041`: an escape written in a string
# code points written out (`U+0067 U+0068 U+0070`), as Unicode tables and some encoders do
# the first code point written out on its own: the literal `U+` it starts with lets `re` skip to
# each `U+` instead of trying a match at every character (a CA bundle: 6 ms, now 0.1 ms)
_CODE_POINTS = re.compile(r"U\+[0-9A-Fa-f]{4,6}[ ,;]{0,2}(?:U\+[0-9A-Fa-f]{4,6}[ ,;]{0,2}){7,4095}")
_CODE_POINT = re.compile(r"U\+([0-9A-Fa-f]{4,6})")
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9A-Fa-f]{2,6}|[A-Za-z]{2,8});")
_SURROGATES = re.compile("[\ud800-\udfff]")
_DELIMITER = re.compile(r"[\s\"'<>`]")
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
    room = len(raw) * (1 - _PRINTABLE_SHARE) + 3  # a few: the bytes of text glued before the encoded run
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


def _runs(text: str, low: int, high: int, shortest: int) -> Iterator[tuple[int, int]]:
    """[start, end) of every run of base64 characters of text[low:high] at least `shortest` long.

    Found in C: the text is mapped to one byte per character (`ascii` with replacement keeps
    positions), each base64 character to `a` and the rest to a blank, and runs are looked for with
    `bytes.find`; Python only sees the runs, not the characters."""
    mapped = text[low:high].encode("ascii", "replace").translate(_RUN_MAP)
    needle = b"a" * shortest
    at = mapped.find(needle)
    while at >= 0:
        stop = mapped.find(b" ", at)
        stop = len(mapped) if stop < 0 else stop
        while stop < len(mapped) and mapped[stop : stop + 1] == b"=":  # padding
            stop += 1
        yield low + at, low + stop
        at = mapped.find(needle, stop)


def _aligned(run: str, align: int, starts: dict[int, None], misses: int) -> int | None:
    """The offset (below `align`) at which every `align`-th character of the run's first PROBE is
    one that text's encoding begins a group with (base64 of ASCII: `I`-`f`; hex: `2`-`7`), but a
    few: None when there is none (an identifier, a path, a digest)."""
    head = run[:PROBE]
    room = misses + len(head) // align // 20
    for offset in range(align):
        column = head[offset::align]
        if len(column.translate(starts)) <= room:
            return offset
    return None


def _der_bodies(text: str, low: int, high: int) -> list[tuple[int, int]]:
    """[start, end) of the PEM bodies of text[low:high] (base64 between `-----BEGIN X-----` and
    `-----END`) that decode to exactly one DER structure: a certificate, a public key, a CRL. Such
    a body is binary from end to end, so no line of it decodes to text, and a CA bundle holds
    thousands of its lines. Anything else in PEM armour (headers, base64 of text) is read as usual."""
    bodies: list[tuple[int, int]] = []
    at = low
    while (begin := _PEM_BEGIN.search(text, at, high)) is not None:
        end = text.find("-----END ", begin.end(), high)
        if end < 0:
            break
        if _is_der(text[begin.end() : end]):
            bodies.append((begin.end(), end))
        at = end
    return bodies


def _is_der(body: str) -> bool:
    """Whether base64 `body` (line breaks in it) is one DER SEQUENCE whose length covers it exactly."""
    if not _PEM_BODY.fullmatch(body):
        return False
    raw = _base64("".join(body.split()))
    if raw is None or len(raw) < 2 or raw[0] != 0x30:
        return False
    size = raw[1]
    if size < 0x80:
        return 2 + size == len(raw)
    count = size - 0x80
    return (
        1 <= count <= 4 and len(raw) > 2 + count and 2 + count + int.from_bytes(raw[2 : 2 + count], "big") == len(raw)
    )


def _binary_segments(text: str, low: int, high: int) -> Iterator[Segment]:
    """Base64 and hex runs of text[low:high], decoded piece by piece where they read as text."""
    skipped = _der_bodies(text, low, high) if text.find("-----BEGIN ", low, high) >= 0 else []
    body = 0  # the first body not yet passed: runs come in order
    for start, end in _runs(text, low, high, _SHORTEST):
        while body < len(skipped) and skipped[body][1] <= start:
            body += 1
        if body < len(skipped) and skipped[body][0] <= start:
            continue  # a line of a certificate's DER
        if text[start:end].startswith(("0x", "0X")):
            start += 2
        run = text[start:end]
        if len(run) >= _SHORTEST_HEX and not run.strip(_HEX_CHARS):
            encoding, decode, align, starts = "hex", _hex, 2, _HEX_STARTS
        elif _skipped_base64(text, start, end):
            continue
        else:
            encoding, decode, align, starts = "base64", _base64, 4, _BASE64_STARTS
        offset = _aligned(run, align, starts, 2)
        if offset is None:
            continue
        for piece_start, piece_end in _pieces(start + offset, end, align):
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
    JWT's parts (the `jwt` rule reads them), words."""
    if text.startswith("eyJ", start) and (text[end : end + 1] == "." or text[start - 1 : start] == "."):
        return True
    return text[start:end].isalpha()


def _escaped_segments(text: str, low: int, high: int) -> Iterator[Segment]:
    """Runs of text[low:high] holding percent-encoding, escapes or HTML entities, each decoded
    whole. A run is what lies between delimiters (space, quotes, angle brackets) around a
    `%XX`, `\\uXXXX`, `\\xXX` or `&...;`, followed at most LEAD characters back and RUN on; the
    runs of one kind are read once however many codes they hold."""
    for pattern, encoding, decode in (
        (_PERCENT, "percent", unquote),
        (_ESCAPE, "escapes", _unescape),
        (_ENTITY, "html", html.unescape),
    ):
        marker = pattern.pattern[0] if encoding != "escapes" else "\\"
        if text.find(marker, low, high) < 0:
            continue
        covered = low
        while (match := pattern.search(text, covered, high)) is not None:
            start, end = _run(text, match.start(), covered, high)
            covered = max(end, match.end())
            if end - start < MIN_DECODED:
                continue
            run = text[start:end]
            decoded = _whole(decode(run))
            if decoded != run and len(decoded) >= MIN_DECODED and _printable(decoded):
                yield Segment(start, end, encoding, decoded)


def _run(text: str, at: int, low: int, high: int) -> tuple[int, int]:
    """The run around position `at`: from after the last delimiter before it (at most LEAD back) to
    the first after (at most RUN on)."""
    left = max(low, at - LEAD)
    start = max(text.rfind(c, left, at) for c in " \t\n\"'<>`") + 1 or left
    start = max(start, left)
    found = _DELIMITER.search(text, at, min(high, at + RUN))
    return start, found.start() if found else min(high, at + RUN)


def _unescape(run: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(0).lstrip("\\")[1:], 16)), run)


def _code_point_segments(text: str, low: int, high: int) -> Iterator[Segment]:
    """Runs of `U+XXXX` code points (at least eight), each decoded to its characters."""
    if text.count("U+", low, high) < 8:  # a run holds eight at least; `U+2014` in a comment holds one
        return
    for match in _CODE_POINTS.finditer(text, low, high):
        decoded = _whole("".join(chr(int(code, 16)) for code in _CODE_POINT.findall(match.group(0))))
        if len(decoded) >= MIN_DECODED and _printable(decoded):
            yield Segment(match.start(), match.end(), "code points", decoded)


def _whole(decoded: str) -> str:
    """Decoded text without surrogates: `\\ud83d\\ude00` (JSON's escape of one character beyond
    U+FFFF) joined into that character, a lone one made U+FFFD. No text read from a file holds
    one, and UTF-8 (hashes, reports, the keyword automaton) cannot."""
    if not _SURROGATES.search(decoded):
        return decoded
    return decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _printable(decoded: str) -> bool:
    bad = sum(1 for c in decoded if not c.isprintable() and c not in "\t\n\r")
    return bad <= len(decoded) * (1 - _PRINTABLE_SHARE)


def segments(text: str, low: int = 0, high: int | None = None) -> Iterator[Segment]:
    """Every encoded segment of text[low:high] that decodes to text long enough for a token."""
    high = len(text) if high is None else high
    yield from _binary_segments(text, low, high)
    yield from _escaped_segments(text, low, high)
    yield from _code_point_segments(text, low, high)


def secret_spans(text: str, holds_secret: Callable[[str], bool], depth: int = 2) -> list[tuple[int, int]]:
    """The encoded segments of `text` whose decoded text (or a segment of it, `depth` levels deep)
    holds a secret by `holds_secret`: what a report must mask besides the secrets it can read."""
    if depth <= 0:
        return []
    spans = []
    for segment in segments(text):
        decoded = segment.decoded
        if holds_secret(decoded) or secret_spans(decoded, holds_secret, depth - 1):
            spans.append((segment.start, segment.end))
    return spans
