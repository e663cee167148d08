"""Text laid out for a terminal of a given width: wrapped paragraphs and a window of a long line.

Widths are counted in terminal cells, not characters, as `wcwidth` counts them: East Asian wide
and full-width characters take two cells, combining marks and zero-width characters none. A
character is measured on its own when a line is cut (an emoji sequence counts as its parts: wider
than it shows, so a line never overflows). The text reaching here has been made visible already
(`untrusted.visible`), so no control character moves the cursor.
"""

from __future__ import annotations

import re
from functools import lru_cache

import wcwidth

_SPACES = re.compile(r"( +)")
_BREAKS = "/-_.,:;=&?"  # a word too long for a line is broken after one of these when it can be


@lru_cache(maxsize=4096)
def _cell(char: str) -> int:
    return max(wcwidth.wcwidth(char), 0) if not char.isascii() else 1


def cells(text: str) -> int:
    """How many terminal cells `text` takes (at most what its characters take one by one)."""
    if text.isascii():
        return len(text)
    whole = wcwidth.wcswidth(text)
    return whole if whole >= 0 else sum(map(_cell, text))


def _fit(text: str, room: int) -> int:
    """How many characters of `text` fit in `room` cells (at least one, so a line always advances)."""
    used = 0
    for count, char in enumerate(text):
        used += _cell(char)
        if used > room:
            return max(count, 1)
    return len(text)


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` in lines of at most `width` cells, the first starting with `first`, the others with
    `rest`; words are kept whole where they fit, a longer one is broken (after a `/`, `-`, ... when
    one is near the end)."""
    lines: list[str] = []
    line, prefix = first, first
    for piece in _SPACES.split(text):
        if not piece:
            continue
        if piece.startswith(" "):
            if line != prefix:
                line += piece
            continue
        if cells(line) + cells(piece) <= width:
            line += piece
            continue
        fits_a_line = cells(rest) + cells(piece) <= width
        if line != prefix and (fits_a_line or width - cells(line) < 8):  # a new line, or too little room left
            lines.append(line.rstrip())
            line = prefix = rest
        elif line != prefix:
            line += " " if not line.endswith(" ") else ""
        while cells(line) + cells(piece) > width:
            room = max(width - cells(line), 1)
            take = _fit(piece, room)
            soft = max((piece.rfind(c, 0, take) for c in _BREAKS), default=-1)
            if soft >= take // 2 and soft + 1 < len(piece):
                take = soft + 1
            lines.append(line + piece[:take])
            piece = piece[take:]
            line = prefix = rest
        line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def window(text: str, at: int, width: int) -> tuple[str, int]:
    """At most `width` cells of `text` centred on character `at`, with `…` where it is cut, and the
    cell at which `at` is shown (for a caret under it)."""
    if cells(text) <= width:
        return text, cells(text[:at])
    at = min(max(at, 0), len(text))
    room = max(width - 2, 1)  # the two ellipses
    left, used = at, 0
    while left > 0 and used + _cell(text[left - 1]) <= room // 2:
        left -= 1
        used += _cell(text[left])
    right = at
    while right < len(text) and used + _cell(text[right]) <= room:
        used += _cell(text[right])
        right += 1
    while left > 0 and used + _cell(text[left - 1]) <= room:  # the end is near: show more before
        left -= 1
        used += _cell(text[left])
    lead = "…" if left > 0 else ""
    return lead + text[left:right] + ("…" if right < len(text) else ""), cells(lead + text[left:at])
