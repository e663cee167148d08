"""Jupyter notebooks: the text of each cell's source and outputs, named by cell.

A notebook is JSON: a cell's code is a list of string literals with escaped quotes and newlines,
and what it printed (a token echoed by `!env`, a traceback quoting a URL with a password) sits in
its outputs. The plain scan reads the JSON lines and finds most tokens there; this pass reads the
notebook as Jupyter shows it, cell by cell, so an escaped or split value is found too and every
finding says which cell (and whether its source or its output) holds it. Images and other binary
outputs are left out (their base64 is data, not text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ...diff import whole_file
from ...model import AddedLines
from .blocks import Found
from .lines import Kind, LineExcerpts

_TEXT_OUTPUTS = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json", "text/x-python")
MAX_CELLS = 100_000
MAX_DOCUMENT = 32 << 20  # a larger notebook is read by the plain scan only (parsing costs memory)


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a notebook as text: a cell's source or its outputs."""

    label: str  # `cell 3`, `cell 3 output`
    text: str
    code: bool  # a code cell's source


def is_notebook(path: str) -> bool:
    return path.lower().endswith(".ipynb")


def parts(document: str) -> Iterator[Part] | None:
    """The cells of a notebook's JSON text, or None when it is no notebook (or cannot be parsed,
    or is larger than MAX_DOCUMENT)."""
    if len(document) > MAX_DOCUMENT:
        return None
    try:
        data = json.loads(document)
    except (ValueError, RecursionError):
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        worksheets = data.get("worksheets") if isinstance(data, dict) else None  # nbformat 3
        cells = [c for w in worksheets or () if isinstance(w, dict) for c in w.get("cells") or ()]
    return _parts(cells[:MAX_CELLS])


def _parts(cells: list[Any]) -> Iterator[Part]:
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        code = cell.get("cell_type") == "code"
        source = _joined(cell.get("source", cell.get("input")))
        if source:
            yield Part(f"cell {number}", source, code)
        outputs = cell.get("outputs")
        if isinstance(outputs, list):
            shown = "\n".join(t for output in outputs if isinstance(output, dict) for t in _output_texts(output))
            if shown:
                yield Part(f"cell {number} output", shown, False)
        attachments = cell.get("metadata")
        if isinstance(attachments, dict) and attachments:
            yield Part(f"cell {number} metadata", json.dumps(attachments, indent=1), False)


def _output_texts(output: dict[str, Any]) -> Iterator[str]:
    for key in ("text", "evalue"):
        if output.get(key):
            yield _joined(output[key])
    if output.get("traceback"):
        yield _joined(output["traceback"], "\n")
    data = output.get("data")
    if isinstance(data, dict):
        for kind in _TEXT_OUTPUTS:
            value = data.get(kind)
            if isinstance(value, dict | list) and kind == "application/json":
                yield json.dumps(value, indent=1)
            elif value:
                yield _joined(value)


def _joined(value: Any, between: str = "") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return between.join(v for v in value if isinstance(v, str))
    return ""


Scan = Callable[[Kind, AddedLines], Iterable[Found]]


def with_cells(kind: Kind, added: AddedLines, document: str, found: Iterable[Found], scan: Scan) -> Iterator[Found]:
    """The plain scan's findings in a notebook, each named by its cell, then what only the cells
    show (an escaped or split value), located at the added line that holds it. A value the change
    does not add (a cell it left alone) is no finding here."""
    cells = parts(document)
    if cells is None:
        yield from found
        return
    labels: dict[tuple[str, str], list[str]] = {}
    only_cells: list[tuple[str, Found]] = []
    for part in cells:
        part_kind = Kind(kind.path, replace(kind.context, code=kind.context.code or part.code))
        for hit in scan(part_kind, whole_file(part.text)):
            key = (hit.hit.rule, hit.hit.secret)
            labels.setdefault(key, []).append(part.label)
            only_cells.append((part.label, hit))
    plain = sorted(found, key=lambda f: f.line)
    for f in plain:
        named = labels.get((f.hit.rule, f.hit.secret))
        yield _labelled(f, named.pop(0) if len(named) > 1 else named[0]) if named else f
    claimed = {(f.hit.rule, f.hit.secret) for f in plain}
    for label, hit in only_cells:
        key = (hit.hit.rule, hit.hit.secret)
        if key not in claimed:
            claimed.add(key)
            placed = _placed(added, hit, label)
            if placed is not None:
                yield placed


def _labelled(found: Found, label: str) -> Found:
    return replace(found, hit=replace(found.hit, note=label + (f"; {found.hit.note}" if found.hit.note else "")))


def _placed(added: AddedLines, found: Found, label: str) -> Found | None:
    """`found` (a hit in a cell's text) at the added line holding its value, as written in the
    JSON (escaped or not); None when no added line holds it."""
    text, secret = added.text, found.hit.secret
    if not secret:
        return None
    written = secret
    at = text.find(secret)
    if at < 0:
        written = json.dumps(secret)[1:-1]
        at = text.find(written)
    if at < 0:
        return None
    line_start = text.rfind("\n", 0, at) + 1
    cut = text.find("\n", at)
    line_end = len(text) if cut < 0 else cut
    index = text.count("\n", 0, at)
    hit = replace(found.hit, start=at - line_start, end=at - line_start + len(written), secret=written)
    excerpt = LineExcerpts(text, line_start, line_end, [hit]).around(hit)
    lineno = added.lineno(index)
    return _labelled(
        replace(found, hit=replace(hit, secret=secret), line=lineno, end_line=lineno, excerpt=excerpt), label
    )
