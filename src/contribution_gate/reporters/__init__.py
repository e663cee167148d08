"""Reporters: pure functions from a Review to text. One module per format, one literal registry.

The registry is the only way out: each entry hands its format's `render` a copy of the review in
which every string is redacted (`untrusted.redacted`), and for the formats people read (terminal,
SARIF, Markdown, workflow commands, GitLab Code Quality, JUnit) made visible; the JSON report keeps
exact values and writes unsafe characters as `\\uXXXX`. So a new format gets the same protection by being registered, and
no module outside this package calls a format's `render` directly (tests/reporters checks both).
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

from ..review import Review
from .untrusted import json_visible, redacted


class Reporter(Protocol):
    def __call__(self, review: Review, color: bool = False, **options: Any) -> str: ...


class Guarded:
    """The `render` of the module `module` of this package behind the redaction every report
    gets: `readable` formats also see every string made visible; a `json` format's output has
    unsafe characters written as JSON escapes. The module is imported at the first report, so a
    run pays only for the formats it writes (the hook writes one)."""

    guarded = True

    def __init__(self, module: str, readable: bool, json: bool = False) -> None:
        self._module, self._readable, self._json = module, readable, json

    @property
    def __wrapped__(self) -> Any:
        return importlib.import_module(f"{__name__}.{self._module}").render

    def __call__(self, review: Review, color: bool = False, **options: Any) -> str:
        out: str = self.__wrapped__(_redacted(review, self._readable), color, **options)
        return json_visible(out) if self._json else out


_last: list[tuple[Review, bool, Review]] = []  # one review is often rendered in several formats


def _redacted(review: Review, readable: bool) -> Review:
    for original, shown, copy in _last:
        if original is review and shown == readable:
            return copy
    copy = redacted(review, show=readable)
    _last[:] = [*_last[-1:], (review, readable, copy)]
    return copy


REPORTERS: dict[str, Reporter] = {
    "text": Guarded("text", readable=True),
    "json": Guarded("json_report", readable=False, json=True),
    "sarif": Guarded("sarif", readable=True, json=True),
    "markdown": Guarded("markdown", readable=True),
    "github": Guarded("github", readable=True),
    "gitlab": Guarded("gitlab", readable=True, json=True),
    "junit": Guarded("junit", readable=True),
}
