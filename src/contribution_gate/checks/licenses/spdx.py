"""`SPDX-License-Identifier:` lines, parsed with `license-expression` (ScanCode's own engine).

A tag counts where a file declares its license: on a line of its own, bare or after a comment
opener. The same words inside a string literal, inline code or a document's fenced example are
prose about tags, not a tag. An expression that does not parse is reported as found, with the
reason, so the check can warn naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ...model import AddedLine
from ...redaction import excerpt
from ..textkinds import Blocks, Kind
from .detection import SPDX_LINE, Detection
from .ids import InvalidExpression, catalog

MARKER = "spdx-license-identifier"
# a comment opener (or none), then the tag: the expression follows, up to a block comment's closer
_TAG = re.compile(
    r"\s*(?:(?:#+|//+|/\*+|\*|--|;+|%+|<!--|\.\.|::|'|\{-|\(\*|@rem|rem(?=\s))\s*)?SPDX-License-Identifier\s*:",
    re.IGNORECASE,
)
_CLOSERS = ("*/", "-->", "-}", "*)")


def tag_of(text: str) -> str | None:
    """The expression of an SPDX tag line, else None."""
    found = _TAG.match(text)
    if found is None:
        return None
    expression = text[found.end() :].strip()
    for closer in _CLOSERS:
        if expression.endswith(closer):
            return expression[: -len(closer)].rstrip()
    return expression


def detections(added: Sequence[AddedLine], lowered: Sequence[str], kind: Kind) -> Iterator[Detection]:
    """One detection per SPDX tag among the added lines (`lowered` are the same lines lower-cased)."""
    fences = Blocks(added, kind) if kind.is_document else ()
    for index, low in enumerate(lowered):
        if MARKER not in low:
            continue
        line = added[index]
        text = tag_of(line.text)
        if text is None or index in fences:
            continue
        yield _detection(line, text)


def _detection(line: AddedLine, text: str) -> Detection:
    shown = excerpt(line.text.strip(), 0, 0)
    if not text:
        return Detection(
            line.lineno, line.lineno, "", SPDX_LINE, None, problem="the tag names no license", excerpt=shown
        )
    try:
        expr = catalog().parse(text)
    except InvalidExpression as exc:
        return Detection(
            line.lineno, line.lineno, _short(text), SPDX_LINE, None, problem=_short(str(exc)), excerpt=shown
        )
    except RecursionError:  # the parser recurses once per level of parentheses
        problem = "the expression is nested too deeply to read"
        return Detection(line.lineno, line.lineno, _short(text), SPDX_LINE, None, problem=problem, excerpt=shown)
    return Detection(line.lineno, line.lineno, text, SPDX_LINE, expr, detail="SPDX-License-Identifier", excerpt=shown)


def _short(text: str, limit: int = 200) -> str:
    """A tag's text as a message quotes it: a long one is data, not a license name, and is cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
