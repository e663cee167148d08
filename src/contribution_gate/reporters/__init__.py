"""Reporters: pure functions from a Review to text. One module per format, one literal registry."""

from __future__ import annotations

from collections.abc import Callable

from ..review import Review
from . import github, json_report, markdown, sarif, text

Reporter = Callable[[Review, bool], str]  # (review, color) -> rendered report

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
    "github": github.render,
}
