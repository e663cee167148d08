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
from functools import lru_cache

from ...model import AddedLine
from ..textkinds import Blocks, Kind, comment_of, string_literals, trailing_comment_of

HEADER_LINES = 30  # a document's first lines
DATA_HEADER_LINES = 5  # the first lines of a CSV, JSON or YAML file

_HEADING = re.compile(r"\s{0,3}(?:#{1,6}|={1,6})\s+")  # what opens a heading: its text follows
_HTML_HEADING = re.compile(r"<h[1-6]", re.IGNORECASE)
_HTML_HEADING_END = re.compile(r"</h[1-6]>", re.IGNORECASE)
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_HTML_COMMENT = re.compile(r"<!--(?P<text>.*?)(?:-->|$)")
_RST_COMMENT = re.compile(r"^\s*\.\.\s+(?![\w:-]+::)(?P<text>.*)$")
_DOCSTRING = re.compile(r"""\s*[rRuU]?(?:\"\"\"|''')""")  # what opens a docstring line: its text follows
_LIST_OR_TABLE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")
_KEY_SEPARATOR = re.compile(r"[:=]")
_KEY_CHARS = re.compile(r"[\w.$/@ -]+")
_JSON_KEY = re.compile(r"\s*:")
_XML_TEXT = re.compile(r">(?P<text>[^<>]+)<")
_DECORATION = " \t*_~`'\"#>=+"
_UPPER_SEP_AFTER = re.compile(r"\s*(?:$|[:|/)\]}>!;]|\s?[-–—]\s|\.(?:\s|$))")
_LOWER_SEP_AFTER = re.compile(r"\s*(?:[:|]|\s[-–—]\s|[-–—]\s)")
_SEP_BEFORE = re.compile(r"(?:[:|/(\[{<]|\s[-–—]|^[-–—])\s*$")
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&.'-]*\s+){0,2}[A-Z][\w&.'-]*")  # `Globex Corp` before a label
_REACH = 200  # how far before a phrase a separator or a name is looked for
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
        yield Segment(_docstring_text(text[docstring.end() :]), "comment", header)
        return
    if index in blocks:
        closed = text.find("*/") if "/*" in kind.openers else -1
        inside = text if closed < 0 else text[:closed]  # ` */var sql={...}`: code after the block's end
        yield Segment(inside.strip().lstrip("*").strip(), "block", header)
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
        value = _key_value(text)
        yield Segment(text.strip() if value is None else value, "front", True)
        return
    for found in _HTML_COMMENT.finditer(text):
        yield Segment(found.group("text").strip(), "comment", header)
    heading = _heading(text)
    following = lines[index + 1] if index + 1 < len(lines) else None
    underlined = following is not None and following.lineno == lines[index].lineno + 1 and _SETEXT.match(following.text)
    if heading is None and underlined and text.strip() and not _LIST_OR_TABLE.match(text):
        yield Segment(text.strip(), "heading", header)  # a title over `=====`
        return
    if heading is not None:
        yield Segment(heading, "heading", header)
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
        for start, end in string_literals(text, '"'):
            if _JSON_KEY.match(text, end) is None:
                yield Segment(text[start + 1 : end - 1], "value", header)
        return
    if kind.ext in ("xml", "plist"):
        for found in _XML_TEXT.finditer(text):
            yield Segment(found.group("text").strip(), "value", header)
        return
    value = _key_value(text)
    if value is not None:
        yield Segment(value.strip().strip("\"'"), "value", header)


# Unicode whitespace, as `\s` and `str.strip()` see it: stripped together with other characters
_SPACES = "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace())


def _heading(text: str) -> str | None:
    """The text of a Markdown (`## Title ##`), setext-style `=` or HTML (`<h2>Title</h2>`) heading."""
    found = _HEADING.match(text)
    if found is not None:
        return text[found.end() :].rstrip(_SPACES + "#=")
    opened = _HTML_HEADING.search(text)
    if opened is None:
        return None
    start = text.find(">", opened.end())  # the first `<hN` decides: a later one has no closer either
    closed = _HTML_HEADING_END.search(text, start + 1) if start >= 0 else None
    return None if closed is None else text[start + 1 : closed.start()]


def _docstring_text(rest: str) -> str:
    """A docstring line's text after its opening quotes: without the closing quotes and blanks."""
    trimmed = rest.rstrip()
    return trimmed[:-3] if trimmed.endswith(('"""', "'''")) else trimmed


def _key_value(text: str) -> str | None:
    """The value of a `key: value` or `key = value` line (a key of word characters, spaces, `.$/@-`,
    maybe quoted, maybe a list item's), without blanks and a trailing comma; else None."""
    separator = _KEY_SEPARATOR.search(text)
    if separator is None:
        return None
    lead = text[: separator.start()]
    key = lead.strip()
    if key.startswith("-"):
        key = key[1:].lstrip()
    key = key[1:] if key.startswith(('"', "'")) else key
    key = key[:-1] if key.endswith(('"', "'")) else key
    if not (key and _KEY_CHARS.fullmatch(key) or not key and (" " in lead or "-" in lead)):
        return None  # (a key of blanks and a dash is a key too, as the grammar has it)
    value = text[separator.end() :].strip()
    return value[:-1].rstrip() if value.endswith(",") else value


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
    "keep your key secret", "run in safe mode" (the phrases' data has the examples).

    Reads a bounded stretch around the phrase, so a line with many phrases costs no more per phrase."""
    phrase = text[start:end]
    opens = _first_word(text) >= start  # nothing but decoration before the phrase
    if phrase.islower():
        return opens and _LOWER_SEP_AFTER.match(text, end) is not None
    if not phrase[:1].isupper() or _UPPER_SEP_AFTER.match(text, end) is None:
        return False
    if opens:
        return True
    reach = max(0, start - _REACH)
    before = text[reach:start].strip(_DECORATION)
    if reach > _first_word(text):
        before = "x" + before  # the text goes on before the stretch: it does not open there
    return _SEP_BEFORE.search(before) is not None or _NAME_BEFORE.fullmatch(before) is not None


@lru_cache(maxsize=64)
def _first_word(text: str) -> int:
    """Where the first character of `text` that is not decoration is."""
    return len(text) - len(text.lstrip(_DECORATION))
