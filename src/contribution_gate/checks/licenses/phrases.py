"""AI licenses ScanCode has no short rule for: a license file's title ("LLAMA 3.1 COMMUNITY
LICENSE AGREEMENT") and statements that declare one ("Llama 3.1 is licensed under the Llama 3.1
Community License", "Gemma is provided under and subject to the Gemma Terms of Use").

A title counts in the first lines of a license file; elsewhere only a declaring statement counts,
so prose that merely names the license ("we do not accept the Gemma Terms of Use") is not one.
The titles are data: `[[phrases]]` in `config/licenses.toml`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ...redaction import excerpt
from .detection import LICENSE_NOTICE, LICENSE_TEXT, Detection
from .ids import Lic, catalog, data
from .text import quoted

TITLE_LINES = 5
_DECLARING = r"(?:licensed|released|provided|distributed|made available|available|governed)\s+(?:by|under)\s+(?:and subject to\s+)?(?:the\s+(?:terms\s+of\s+the\s+)?)?"


@functools.cache
def _table() -> tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(entry["title"]), re.compile(_DECLARING + entry["title"]), entry["license"])
        for entry in data()["phrases"]
    )


def title(lines: Sequence[tuple[int, str]]) -> list[Detection]:
    """The license a license file's title names (its first non-blank lines)."""
    heading = [(n, t) for n, t in lines if t.strip()][:TITLE_LINES]
    for number, text in heading:
        low = " ".join(text.lower().split())
        for pattern, _, license_ in _table():
            if pattern.search(low):
                return [_detection(number, text, license_, LICENSE_TEXT, "the license file's title")]
    return []


def statements(lines: Sequence[tuple[int, str]]) -> list[Detection]:
    """Declaring statements among these lines (each line read with the next, for wrapped text)."""
    found: list[Detection] = []
    seen: set[str] = set()
    for index, (number, text) in enumerate(lines):
        pair = text + " " + (lines[index + 1][1] if index + 1 < len(lines) else "")
        low = " ".join(pair.lower().replace("\u2019", "'").split())
        for _, declaring, license_ in _table():
            match = declaring.search(low) if license_ not in seen else None
            if match is not None and not quoted(low, match.start()):
                seen.add(license_)
                found.append(_detection(number, text, license_, LICENSE_NOTICE, "a statement that declares it"))
    return found


def _detection(number: int, text: str, license_: str, source: str, detail: str) -> Detection:
    lic: Lic = catalog().lookup(license_)
    return Detection(number, number, str(lic), source, lic, detail=detail, excerpt=excerpt(text.strip(), 0, 0))
