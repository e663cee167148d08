"""Marker positions: the parts of a line where a confidentiality label means something, and the
test that a phrase stands there as a label rather than as a word of a sentence.

Positions (`Segment.where`): a whole-line comment (`comment`), a comment after code (`trailing`),
a line inside a block comment or docstring (`block`), a document heading (`heading`), front
matter (`front`), a document line holding nothing but a label (`line`), a value in the first
lines of a data file (`value`), a cell of a table's title row (`cell`). Code outside comments,
prose, list items and table rows of documents, keys and field names are never positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...model import AddedLine
from ..textkinds import Blocks, Kind, comment_of, trailing_comment_of

HEADER_LINES = 30  # a document's first lines
DATA_HEADER_LINES = 5  # the first lines of a CSV, JSON or YAML file

_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}|={1,6})\s+(?P<text>.*?)[\s#=]*$")
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(?P<text>.*?)</h[1-6]>", re.IGNORECASE)
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_HTML_COMMENT = re.compile(r"<!--(?P<text>.*?)(?:-->|$)")
_RST_COMMENT = re.compile(r"^\s*\.\.\s+(?![\w:-]+::)(?P<text>.*)$")
_DOCSTRING = re.compile(r"""^\s*[rRuU]?(?P<q>\"\"\"|''')(?P<text>.*?)(?:\"\"\"|''')?\s*$""")
_LIST_OR_TABLE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")
_KEY_VALUE = re.compile(r"""^\s*-?\s*["']?[\w.$/@ -]+?["']?\s*(?::|=)\s*(?P<text>.*?)\s*,?\s*$""")
_JSON_STRING = re.compile(r'"(?P<text>(?:[^"\\]|\\.)*)"(?P<key>\s*:)?')
_XML_TEXT = re.compile(r">(?P<text>[^<>]+)<")
_DECORATION = " \t*_~`'\"#>=+"
_UPPER_SEP_AFTER = re.compile(r"\s*(?:$|[:|/)\]}>!;]|\s?[-–—]\s|\.(?:\s|$))")
_LOWER_SEP_AFTER = re.compile(r"\s*(?:[:|]|\s[-–—]\s|[-–—]\s)")
_SEP_BEFORE = re.compile(r"(?:[:|/(\[{<]|\s[-–—]|^[-–—])\s*$")
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&.'-]*\s+){0,2}[A-Z][\w&.'-]*")  # `Globex Corp` before a label
_FILLER = re.compile(r"(?i)\b(?:and|or)\b|[\s\-–—:|/.,;!&+*_=~#>`'\"()\[\]{}<>•·]+")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    where: str
    header: bool  # in the file's leading notice (see `leading_lines`)


def segments(
    lines: Sequence[AddedLine], index: int, kind: Kind, front: range, blocks: Blocks, leading: int
) -> Iterator[Segment]:
    """The marker positions of line `index` (most lines have none); `blocks`: the lines inside
    block comments, docstrings or a document's code blocks (`textkinds.block_lines`); `leading`:
    how many first lines are the file's leading notice (`leading_lines`)."""
    line = lines[index]
    text = line.text
    header = index < leading if not kind.is_document else line.lineno <= HEADER_LINES
    if kind.is_document or kind.ext in ("html", "htm", "xhtml"):
        if index not in blocks or kind.ext in ("html", "htm", "xhtml"):  # not a code sample
            yield from _document(lines, index, front, header)
        return
    comment = comment_of(text, kind)
    if comment is not None:
        yield Segment(comment, "comment", header)
        return
    docstring = _DOCSTRING.match(text) if kind.ext in ("py", "pyi") else None
    if docstring is not None:
        yield Segment(docstring.group("text"), "comment", header)
        return
    if index in blocks:
        yield Segment(text.strip().lstrip("*").strip(), "block", header)
        return
    for found in _HTML_COMMENT.finditer(text) if "<!--" in kind.openers else ():
        yield Segment(found.group("text").strip(), "comment", header)
    trailing = trailing_comment_of(text, kind)
    if trailing is not None:
        yield Segment(trailing, "trailing", header)
    if kind.is_data and line.lineno <= DATA_HEADER_LINES:
        yield from _data_header(text, kind, header)


def _document(lines: Sequence[AddedLine], index: int, front: range, header: bool) -> Iterator[Segment]:
    text = lines[index].text
    if index in front:
        found = _KEY_VALUE.match(text)
        yield Segment(found.group("text") if found else text.strip(), "front", True)
        return
    for found in _HTML_COMMENT.finditer(text):
        yield Segment(found.group("text").strip(), "comment", header)
    heading = _HEADING.match(text) or _HTML_HEADING.search(text)
    following = lines[index + 1] if index + 1 < len(lines) else None
    underlined = following is not None and following.lineno == lines[index].lineno + 1 and _SETEXT.match(following.text)
    if heading is None and underlined and text.strip() and not _LIST_OR_TABLE.match(text):
        yield Segment(text.strip(), "heading", header)  # a title over `=====`
        return
    if heading is not None:
        yield Segment(heading.group("text"), "heading", header)
        return
    rst = _RST_COMMENT.match(text)
    if rst is not None:
        yield Segment(rst.group("text"), "comment", header)
        return
    if not _LIST_OR_TABLE.match(text) and "<!--" not in text:
        yield Segment(text.strip().lstrip(">").strip(), "line", header)


def _data_header(text: str, kind: Kind, header: bool) -> Iterator[Segment]:
    if kind.is_table:
        cells = [c.strip().strip("\"'").strip() for c in re.split(r"[,\t;|]", text)]
        filled = [c for c in cells if c]
        if len(filled) <= 2:
            for cell in filled:
                yield Segment(cell, "cell", header)
        return
    if kind.ext in ("json", "jsonl", "ndjson", "geojson", "json5", "jsonc"):
        for found in _JSON_STRING.finditer(text):
            if not found.group("key"):
                yield Segment(found.group("text"), "value", header)
        return
    if kind.ext in ("xml", "plist"):
        for found in _XML_TEXT.finditer(text):
            yield Segment(found.group("text").strip(), "value", header)
        return
    pair = _KEY_VALUE.match(text)
    if pair is not None:
        yield Segment(pair.group("text").strip().strip("\"'"), "value", header)


def leading_lines(lines: Sequence[AddedLine], kind: Kind, blocks: Blocks) -> int:
    """How many of the added lines are the file's leading notice: from line 1, comments, blank
    lines, a shebang, the module docstring, up to the first line of code or data. Mid-file, "for
    internal use only" is a note on a private API; at the top, it labels the file."""
    if not lines or lines[0].lineno != 1:
        return 0
    for index, line in enumerate(lines):
        text = line.text.strip()
        if line.lineno != index + 1:
            return index
        if text and comment_of(line.text, kind) is None and index not in blocks and not _DOCSTRING.match(line.text):
            return index
    return len(lines)


def front_matter(lines: Sequence[AddedLine]) -> range:
    """Indexes of a document's front matter (`---` ... `---` from line 1), when it was added."""
    if not lines or lines[0].lineno != 1 or lines[0].text.strip() not in ("---", "+++"):
        return range(0)
    fence = lines[0].text.strip()
    for i in range(1, min(len(lines), 200)):
        if lines[i].lineno != i + 1:
            break
        if lines[i].text.strip() in (fence, "..."):
            return range(1, i)
    return range(0)


def is_whole(text: str, spans: Sequence[tuple[int, int]], names: Sequence[re.Pattern[str]] = ()) -> bool:
    """Whether `text` holds nothing but the phrases at `spans` (and the names), with separators."""
    rest, last = [], 0
    for start, end in sorted(spans):
        rest.append(text[last:start])
        last = end
    rest.append(text[last:])
    remainder = " ".join(rest)
    for name in names:
        remainder = name.sub(" ", remainder)
    return not _FILLER.sub("", remainder)


def stands_as_label(text: str, start: int, end: int) -> bool:
    """A phrase not alone in `text` is a label when it opens the text before a colon or a dash,
    or, capitalised, sits between separators (after `Acme -`, inside parentheses) or ends the text
    after a name of at most three capitalised words (`Globex Corp ...`). Never inside a sentence:
    "keep your key secret", "run in safe mode" (the phrases' data has the examples)."""
    phrase = text[start:end]
    before = text[:start].strip(_DECORATION)
    after = text[end:]
    if phrase.islower():
        return not before and _LOWER_SEP_AFTER.match(after) is not None
    if not phrase[:1].isupper() or _UPPER_SEP_AFTER.match(after) is None:
        return False
    return not before or _SEP_BEFORE.search(before) is not None or _NAME_BEFORE.fullmatch(before) is not None
