"""Text laid out for a terminal of a given width: wrapped paragraphs and a window of a long line.

Widths are counted in terminal cells, not characters, as `wcwidth` counts them: East Asian wide
and full-width characters take two cells, combining marks and zero-width characters none. A
character is measured on its own when a line is cut (an emoji sequence counts as its parts: wider
than it shows, so a line never overflows). The text reaching here has been made visible already
(`untrusted.visible`), so no control character moves the cursor.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import wcwidth

_SPACES = re.compile(r"( +)")
_BREAKS = "/-_.,:;=&?"  # a word too long for a line is broken after one of these when it can be
MAX_CHARS = 16_384  # of one text laid out: a megabyte error message is not a terminal's to print


@lru_cache(maxsize=4096)
def _cell(char: str) -> int:
    return max(wcwidth.wcwidth(char), 0) if not char.isascii() else 1


def cells(text: str) -> int:
    """How many terminal cells `text` takes (at most what its characters take one by one)."""
    if text.isascii():
        return len(text)
    whole = wcwidth.wcswidth(text)
    return whole if whole >= 0 else sum(map(_cell, text))


def _fit(text: str, start: int, room: int) -> int:
    """How many characters of `text` from `start` fit in `room` cells (at least one, so a line
    always advances); reads no further than that."""
    used = 0
    for count, char in enumerate(itertools.islice(text, start, None)):
        used += _cell(char)
        if used > room:
            return max(count, 1)
    return len(text) - start


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` in lines of at most `width` cells, the first starting with `first`, the others with
    `rest`; words are kept whole where they fit, a longer one is broken (after a `/`, `-`, ... when
    one is near the end). Runs of spaces between words are kept, at line ends dropped. Linear in the
    length of `text`, of which at most MAX_CHARS are laid out (the JSON report keeps all of it)."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS] + f"… ({len(text) - MAX_CHARS} more characters: see the JSON report)"
    lines: list[str] = []
    if cells(first) > width - 4 and first.strip():  # a label leaving no room: on a line of its own
        lines, first = wrap(first.strip(), width, "", rest), rest
    line, used, fresh, gap = first, cells(first), True, 0
    for piece in _SPACES.split(text):
        if not piece:
            continue
        if piece[0] == " ":
            gap = 0 if fresh else min(len(piece), width)
            continue
        size = cells(piece) if len(piece) <= 4 * width else width + 1  # longer: more than a line anyway
        if used + gap + size <= width:
            line, used, fresh, gap = line + " " * gap + piece, used + gap + size, False, 0
            continue
        if not fresh and (cells(rest) + size <= width or width - used - gap < 8):  # on a line of its own
            lines.append(line)
            line, used, fresh, gap = rest, cells(rest), True, 0
        at = 0
        line, used, gap = line + " " * gap, used + gap, 0
        while at < len(piece):
            take = _fit(piece, at, max(width - used, 1))
            if at + take >= len(piece):
                line, used, fresh = line + piece[at:], used + cells(piece[at:]), False
                break
            soft = max(piece.rfind(c, at, at + take) for c in _BREAKS)
            if soft >= at + take // 2:
                take = soft + 1 - at
            lines.append(line + piece[at : at + take])
            at += take
            line, used, fresh = rest, cells(rest), True
    if not fresh or not lines:
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
