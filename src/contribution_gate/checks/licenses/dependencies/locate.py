"""Line numbers for what `tomllib` and `configparser` parse without them: section headers, keys
inside a section, string items of a list, the blocks of a TOML array of tables. Every function is
one forward pass over the lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]\#]*?)\s*\]\]?\s*(?:#.*)?$")
_QUOTES = str.maketrans("", "", "\"' ")


def normal(header: str) -> str:
    """A dotted table name as `headers` gives it: without quotes or blanks."""
    return header.translate(_QUOTES)


def headers(lines: Sequence[str]) -> list[tuple[int, str]]:
    """(0-based index, dotted name without quotes or blanks) of every `[table]` and `[[array]]`."""
    out = []
    for index, line in enumerate(lines):
        if line.lstrip().startswith("["):
            found = _HEADER.match(line)
            if found:
                out.append((index, normal(found.group(1))))
    return out


class Toml:
    """Where tables, keys and string values are in one TOML text."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.heads = headers(lines)

    def section(self, name: str, nth: int = 0) -> tuple[int, int] | None:
        """The line range (start, end), 0-based and end exclusive, of the `nth` table called `name`
        (dotted, unquoted: `tool.poetry.dependencies`); None when absent."""
        seen = 0
        for position, (index, head) in enumerate(self.heads):
            if head == name:
                if seen == nth:
                    end = self.heads[position + 1][0] if position + 1 < len(self.heads) else len(self.lines)
                    return index, end
                seen += 1
        return None

    def blocks(self, name: str) -> list[tuple[int, int]]:
        """The line ranges of every `[[name]]` block with its sub-tables (`[name.x]`), in order."""
        out: list[tuple[int, int]] = []
        for position, (index, head) in enumerate(self.heads):
            if head == name and self.lines[index].lstrip().startswith("[["):
                end = len(self.lines)
                for later, other in self.heads[position + 1 :]:
                    if not other.startswith(name + ".") or other == name:
                        end = later
                        break
                out.append((index, end))
        return out

    def key(self, span: tuple[int, int] | None, key: str) -> int | None:
        """The 1-based line of `key = ...` (bare or quoted) inside `span`, or of `[section.key]`."""
        if span is None:
            return None
        start, end = span
        wanted = key.lower()
        for index in range(start, end):
            text = self.lines[index].lstrip()
            if not text or text[0] in "#[":
                continue
            name = text.split("=", 1)[0].strip().strip("\"'").lower() if "=" in text else ""
            if name == wanted or name.split(".", 1)[0].strip().strip("\"'") == wanted:
                return index + 1
        return None


def string_line(lines: Sequence[str], value: str, start: int, end: int, cursor: int) -> tuple[int | None, int]:
    """The 1-based line in [start, end) holding `value` quoted, searched from `cursor` on (items
    of a list are in order), then from `start`; and the new cursor."""
    quoted = (f'"{value}"', f"'{value}'")
    for lo, hi in ((max(cursor, start), end), (start, min(cursor, end))):
        for index in range(lo, hi):
            if any(q in lines[index] for q in quoted):
                return index + 1, index
    return None, cursor
