"""Reporters: pure functions from a Review to text. One module per format, one literal registry.

The registry is the only way out: each entry hands its format's `render` a copy of the review in
which every string is redacted (`untrusted.redacted`), and for the formats people read (terminal,
SARIF, Markdown, workflow commands, GitLab Code Quality, JUnit) made visible; the JSON report keeps
exact values and writes unsafe characters as `\\uXXXX`. So a new format gets the same protection by being registered, and
no module outside this package calls a format's `render` directly (tests/reporters checks both).
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from ..review import Review
from . import github, gitlab, json_report, junit, markdown, sarif, text
from .untrusted import json_visible, redacted


class Reporter(Protocol):
    def __call__(self, review: Review, color: bool = False, **options: Any) -> str: ...


def guarded(render: Any, readable: bool, json: bool = False) -> Reporter:
    """`render` behind the redaction every report gets: `readable` formats also see every string
    made visible; a `json` format's output has unsafe characters written as JSON escapes."""

    @functools.wraps(render)
    def report(review: Review, color: bool = False, **options: Any) -> str:
        out: str = render(_redacted(review, readable), color, **options)
        return json_visible(out) if json else out

    report.guarded = True  # type: ignore[attr-defined]
    return report


_last: list[tuple[Review, bool, Review]] = []  # one review is often rendered in several formats


def _redacted(review: Review, readable: bool) -> Review:
    for original, shown, copy in _last:
        if original is review and shown == readable:
            return copy
    copy = redacted(review, show=readable)
    _last[:] = [*_last[-1:], (review, readable, copy)]
    return copy


REPORTERS: dict[str, Reporter] = {
    "text": guarded(text.render, readable=True),
    "json": guarded(json_report.render, readable=False, json=True),
    "sarif": guarded(sarif.render, readable=True, json=True),
    "markdown": guarded(markdown.render, readable=True),
    "github": guarded(github.render, readable=True),
    "gitlab": guarded(gitlab.render, readable=True, json=True),
    "junit": guarded(junit.render, readable=True),
}
