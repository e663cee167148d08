"""Whether a file is text, judged by its bytes alone: never by its name, an attribute or git's guess.

git calls a file binary when a NUL byte is among its first 8,000 bytes or when the repository's
`.gitattributes` says so (`-diff`, `binary`, a `diff=` driver marked binary), and every line check
then sees nothing: UTF-16 text, a text file with one stray NUL, or any file an attacker marked. Here
the content decides: a byte-order mark, else 8-bit text (ASCII, UTF-8, Latin-1: few control
characters, at most a stray NUL or two), else UTF-32 or UTF-16 without a mark (the decoding that is
clean, at least a quarter ASCII, and holds the most ASCII). Files that start like the binary containers the models check reads
(archives, safetensors, numpy, GGUF, images) stay binary even when most of their bytes are printable.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import BinaryIO, NamedTuple

WINDOW = 1 << 16  # judged window by window: a binary is given up on at its first window
EIGHT_BIT = "utf-8"  # decoded as the diff parser decodes: UTF-8, other bytes as U+FFFD
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its mark starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return and escape; DEL
_CONTROL_BYTES = bytes(c for c in range(1, 32) if c not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_CHAR = re.compile("[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_PRINTABLE_ASCII = re.compile("[\t\n\r\x20-\x7e]")
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")  # controls and undecodable units

# The starts of binary formats whose bytes can be mostly printable text with a few NULs.
_MAGIC = (
    b"PK\x03\x04",  # zip (PyTorch, .keras, .npz)
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",
    b"\x93NUMPY",
    b"GGUF",
    b"\x89HDF\r\n\x1a\n",
    b"\x89PNG",
    b"\x7fELF",
    b"SQLite format 3\x00",
)


def _nul_allowance(size: int) -> int:
    """Stray NULs a window of text may hold: one, and one more in every 256 bytes."""
    return 1 + size // 256


def _control_allowance(size: int) -> int:
    """Other control characters (or, decoded, undecodable units): one, and one in every 100."""
    return 1 + size // 100


def _is_container(start: bytes) -> bool:
    if start.startswith(_MAGIC) or start[257:262] == b"ustar":  # tar's magic sits at offset 257
        return True
    # safetensors: an 8-byte little-endian header length, then the JSON header
    return len(start) > 9 and start[8:9] == b"{" and 0 < int.from_bytes(start[:8], "little") < 1 << 32


def _eight_bit_ok(window: bytes) -> bool:
    controls = len(window) - len(window.translate(None, _CONTROL_BYTES))
    return window.count(0) <= _nul_allowance(len(window)) and controls <= _control_allowance(len(window))


def _wide_ok(text: str) -> bool:
    return len(_BAD_CHARS.findall(text)) <= _control_allowance(len(text))


def _ascii_share(text: str) -> int:
    return len(_PRINTABLE_ASCII.findall(text))


def sniff(start: bytes) -> tuple[str, int] | None:
    """(encoding, length of its byte-order mark) for a file beginning with `start`, or None: binary."""
    for bom, name in _BOMS:
        if start.startswith(bom):
            return (name, len(bom)) if _wide_ok(_decoder(name)(start[len(bom) :])) else None
    if _is_container(start):
        return None
    if _eight_bit_ok(start):
        return EIGHT_BIT, 0
    candidates = []
    for name in _WIDE:  # without a mark: only text that is at least a quarter ASCII (code, configs)
        if _zero_high_bytes(start, name) * 16 < len(start):
            continue  # too few ASCII characters possible (see below): most binaries, never decoded
        text = _decoder(name)(start)
        if _wide_ok(text) and (share := _ascii_share(text)) * 4 >= len(text) > 0:
            candidates.append((share, -_WIDE.index(name), name))
    return (max(candidates)[2], 0) if candidates else None


def _zero_high_bytes(start: bytes, name: str) -> int:
    """NUL bytes where `name` puts the high byte of a code unit: a bound on its ASCII characters.
    An ASCII character has a zero high byte, and the text has at least a quarter as many characters
    as `start` has bytes (UTF-32: exactly; UTF-16: two units per character at most), so a quarter
    ASCII needs at least len(start) / 16 of these: a cheap test before decoding a binary four ways."""
    if name == "utf-16-le":
        return start[1::2].count(0)
    if name == "utf-16-be":
        return start[0::2].count(0)
    return start[3::4].count(0) if name == "utf-32-le" else start[0::4].count(0)


def _decoder(name: str) -> Callable[[bytes], str]:
    """Decode a window that may end inside a character (the rest waits for the next window)."""
    return codecs.getincrementaldecoder(name)("replace").decode


class Text(NamedTuple):
    text: str
    encoding: str  # EIGHT_BIT or a UTF-16/UTF-32 codec name

    @property
    def wide(self) -> bool:
        """UTF-16 or UTF-32: git's own diff of such a file is of bytes, not of its text."""
        return self.encoding != EIGHT_BIT


def read_text(stream: BinaryIO) -> Text | None:
    """The whole file as text, or None when it is binary (read no further than the first window
    that shows it). Undecodable bytes become U+FFFD, as in the diff parser."""
    window = stream.read(WINDOW)
    found = sniff(window)
    if found is None:
        return None
    encoding, mark = found
    decode = codecs.getincrementaldecoder(encoding)("replace").decode
    window = window[mark:]
    parts = []
    judged = encoding == EIGHT_BIT  # `sniff` has judged the first window of 8-bit text already
    while window:
        text = decode(window)
        if not (judged or (_eight_bit_ok(window) if encoding == EIGHT_BIT else _wide_ok(text))):
            return None
        judged = False
        parts.append(text)
        window = stream.read(WINDOW)
    parts.append(decode(b"", True))
    return Text("".join(parts), encoding)


def looks_mangled(text: str) -> bool:
    """Whether lines git printed as text hold what text does not: a NUL (UTF-16 past git's 8,000-byte
    look, a binary the attributes call text), or undecodable bytes next to control characters (a
    binary without NULs). Then the file is judged again by its content; Latin-1 text is not."""
    return "\x00" in text or ("\ufffd" in text and _CONTROL_CHAR.search(text) is not None)
