"""Which added text is worth ScanCode's time: license files whole, elsewhere only the comments and
prose around a word of the license vocabulary.

License headers live in comments and docstrings, license statements in documents; a string
literal or an identifier (`gpl_path`) in code is neither, and a fenced example or an inline code
span is an example. A cheap keyword search (Aho-Corasick) over the added text decides
whether ScanCode is imported at all; only the lines around its hits are sent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ...model import AddedLine
from ..keywords import Keywords
from ..textkinds import Blocks, Kind, comment_of, kind_of
from .ids import data
from .spdx import MARKER

_LICENSE_FILE = re.compile(
    r"(?i)^(?:(?:un)?licen[cs]e|copying|copyright|notice|patents|eula)(?:[-_. ][\w.+-]*)?$|\.licen[cs]e$"
)
_LICENSE_DIRS = frozenset(("licenses", "licences", "license", "licence"))
_CHANGELOG = re.compile(r"(?i)^(?:change[-_ ]?log|changes|history|news|release[-_ ]?notes)(?:\.\w+)?$")
_DOCSTRING = re.compile(r"""^\s*[rRuUbB]{0,2}(?:\"\"\"|''')""")
_INLINE_CODE = re.compile(r"`+[^`\n]*`+")


def is_license_file(path: str) -> bool:
    """LICENSE*, LICENCE*, COPYING*, NOTICE*, *.LICENSE, and files in a LICENSES/ folder (REUSE);
    never source code or data (license_inventory.py, license.json)."""
    kind = kind_of(path)
    if kind.is_code or kind.is_data:
        return False
    parts = path.split("/")
    if len(parts) > 1 and parts[-2].lower() in _LICENSE_DIRS:
        return True
    return bool(_LICENSE_FILE.search(parts[-1]))


def is_changelog(path: str) -> bool:
    """CHANGELOG, CHANGES, HISTORY, NEWS, RELEASE-NOTES: their license words tell of changes
    ("switched to MIT", "dropped the GPL-licensed readline"), they declare nothing."""
    return bool(_CHANGELOG.match(path.rsplit("/", 1)[-1]))


@functools.cache
def vocabulary() -> Keywords:
    return Keywords(data()["prefilter"]["words"])


class _Reader:
    """Whether a license statement on a line would be one: a comment or docstring of code, a
    comment of data, prose of a document outside fenced examples, any line of other text."""

    def __init__(self, lines: Sequence[AddedLine], kind: Kind) -> None:
        self.lines, self.kind = lines, kind
        self.blocks = Blocks(lines, kind)
        self.python = kind.ext in ("py", "pyi", "pyx")
        self._starts: dict[int, int] = {}  # line index -> the first line of its block

    def eligible(self, index: int) -> bool:
        text = self.lines[index].text
        if MARKER in text.lower():
            return False  # SPDX tags are read by their own parser
        kind = self.kind
        if kind.is_code:
            if comment_of(text, kind) is not None or _DOCSTRING.match(text):
                return True
            return index in self.blocks and (not self.python or self._in_docstring(index))
        if kind.is_data:
            return comment_of(text, kind) is not None
        if kind.is_document:
            return index not in self.blocks
        return True

    def _in_docstring(self, index: int) -> bool:
        """A triple-quoted string that a statement of its own opens (a docstring), not an argument
        or a value (`script = dedent(\"\"\"...`): the line above the block's first line opens it."""
        opener = self._block_start(index)
        return opener > 0 and bool(_DOCSTRING.match(self.lines[opener - 1].text))

    def _block_start(self, index: int) -> int:
        """The first line of the block that line `index` lies in; remembered for every line walked
        over, so the lines of one long block cost one walk, not one each."""
        walked = []
        opener = index
        while opener not in self._starts and (
            opener > 0
            and (opener - 1) in self.blocks
            and self.lines[opener - 1].lineno == self.lines[opener].lineno - 1
        ):
            walked.append(opener)
            opener -= 1
        start = self._starts.get(opener, opener)
        for line in walked:
            self._starts[line] = start
        return start

    def text(self, index: int) -> str:
        """The line as ScanCode should read it: inline code spans (`--license --json`) blanked."""
        text = self.lines[index].text
        return _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text) if "`" in text else text


def lines_for_scancode(added: Sequence[AddedLine], lowered: str, kind: Kind, skip: int = 0) -> list[tuple[int, str]]:
    """The (line number, text) pairs ScanCode should read, or [] when no vocabulary word is there.

    `lowered` is the added text lower-cased and joined by newlines; lines before index `skip` (a
    card's front matter) are not read. Inline code spans are blanked.
    """
    found = vocabulary().lines(lowered)
    if not found:
        return []
    reader = _Reader(added, kind)
    hits = sorted(i for i in found if i >= skip and reader.eligible(i))
    reach = int(data()["thresholds"]["window"])
    chosen: set[int] = set()
    for hit in hits:
        if hit in chosen:
            continue
        chosen.add(hit)
        for step in (-1, 1):
            index = hit + step
            while 0 <= index < len(added) and abs(index - hit) <= reach and index >= skip:
                if added[index].lineno != added[index - step].lineno + step or not reader.eligible(index):
                    break
                chosen.add(index)
                index += step
    return [(added[i].lineno, reader.text(i)) for i in sorted(chosen)]


def quoted(text: str, at: int) -> bool:
    """Whether position `at` of a line lies inside quotation marks: a statement quoted in prose
    about it. A straight quote opens after a space or bracket (or at the start), else it closes;
    the last quotation mark before `at` decides."""
    last = max(text.rfind(mark, 0, at) for mark in ('"', "\u201c", "\u201d"))
    if last < 0 or text[last] == "\u201d":
        return False
    return text[last] == "\u201c" or last == 0 or text[last - 1] in " ([{|"
