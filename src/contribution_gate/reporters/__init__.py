"""Reporters: pure functions from a Review to text. One module per format, one literal registry."""

from __future__ import annotations

from collections.abc import Callable

from ..review import Review
from . import json_report, text

Reporter = Callable[[Review, bool], str]  # (review, color) -> rendered report

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
}
