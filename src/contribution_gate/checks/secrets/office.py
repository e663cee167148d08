"""The text of Office Open XML documents (docx, xlsx, pptx; OpenDocument's content.xml too).

Their XML puts a paragraph on one line and splits its words over runs (`<w:t>ghp_</w:t><w:t>abc
</w:t>`): reading the XML as text would miss a token split over runs, and show a finding as line 2
of a megabyte. Here the tags go, the runs of a paragraph are joined, and each paragraph (a table
row, a shared string, a slide's paragraph) is a line of its own; entities are decoded. Only the
parts that hold a document's text are read this way; the others (relationships, properties) are
read as the text they are.
"""

from __future__ import annotations

import html
import re

# the parts holding a document's text: Word's body, headers, footers, notes and comments, Excel's
# shared strings and sheets, PowerPoint's slides and notes, OpenDocument's content
_TEXT_PART = re.compile(r"^(?:word|xl|ppt)/(?!_rels/)[\w/.-]{1,200}\.xml$|^content\.xml$|^styles\.xml$")
_TAG = re.compile(r"<([^<>]{0,8192})>")
_LINE_ENDS = frozenset(("w:p", "a:p", "si", "row", "text:p", "text:h", "w:tr", "a:tr"))
_BREAKS = frozenset(("w:br", "w:cr", "a:br", "text:line-break"))
_TABS = frozenset(("w:tab", "a:tab", "c", "w:tc", "a:tc", "text:tab", "table:table-cell"))


def is_text_part(name: str) -> bool:
    """Whether a member of a document (its path inside the zip) holds the document's text."""
    return bool(_TEXT_PART.match(name))


def text_of(xml: str) -> str:
    """The text of one XML part: a line per paragraph, a tab between cells, entities decoded."""
    out: list[str] = []
    at = 0
    for tag in _TAG.finditer(xml):
        if tag.start() > at:
            out.append(html.unescape(xml[at : tag.start()]))
        at = tag.end()
        body = tag.group(1)
        closing = body.startswith("/")
        name = body.lstrip("/").split(None, 1)[0].rstrip("/") if body.strip("/ ") else ""
        if (closing and name in _LINE_ENDS) or name in _BREAKS:
            out.append("\n")
        elif closing and name in _TABS:
            out.append("\t")
    if at < len(xml):
        out.append(html.unescape(xml[at:]))
    return "".join(out)
