"""Which matcher reads a license text: the fast one first, ScanCode only for what it cannot vouch for.

`CONTRIBUTION_GATE_SCANCODE` chooses: `auto` (the default) as above; `never` never loads ScanCode,
even when it is installed (a text the fast matcher cannot identify is then a note); `always` skips
the fast matcher (ScanCode alone, as before it existed: for comparisons). Without ScanCode
installed, `auto` behaves as `never`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ...errors import CheckError
from . import fast
from .matches import Found

ENV = "CONTRIBUTION_GATE_SCANCODE"
MODES = ("auto", "never", "always")
INSTALL = "pip install 'contribution-gate[scancode]'"


def mode() -> str:
    value = os.environ.get(ENV, "").strip().lower() or "auto"
    if value not in MODES:
        raise CheckError(f"{ENV} must be one of {', '.join(MODES)}, not {value[:40]!r}")
    return value


def scan(lines: Sequence[tuple[int, str]], name: str, whole_file: bool = False) -> list[Found] | None:
    """The detections in these (line number, text) pairs of one file; None when the fast matcher
    cannot identify the text and ScanCode is not to be had (not installed, or `never`)."""
    chosen = mode()
    if chosen != "always":
        found = fast.scan_lines(lines, whole_file)
        if found is not None:
            return found
    from . import scancode

    if chosen == "never" or not scancode.available():
        return None
    return scancode.scan_lines(lines, name, approximate=whole_file)
