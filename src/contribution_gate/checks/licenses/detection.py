"""What the `licenses` check's detectors report: a license found in one file, and where from."""

from __future__ import annotations

from dataclasses import dataclass

from .ids import Expr

# Where a detection came from (the inventory's `source` column)
SPDX_LINE = "SPDX line"
MANIFEST = "manifest"
MODEL_CARD = "model card"
LICENSE_TEXT = "license text"
LICENSE_NOTICE = "license notice"


@dataclass(frozen=True, slots=True)
class Detection:
    """A license a change adds to a file.

    `expr` is None when the declaration cannot be read (`problem` says why); `strong` is False for
    partial or doubtful matches, which may warn but never fail a review. `detail` names the field
    or ScanCode rule; `score` is ScanCode's (None for declarations).
    """

    line: int | None
    end_line: int | None
    text: str
    source: str
    expr: Expr | None
    strong: bool = True
    detail: str = ""
    problem: str = ""
    score: float | None = None
    excerpt: str = ""

    @property
    def expression(self) -> str:
        return str(self.expr) if self.expr is not None else self.text
