"""The registry of checks: one literal dict, id -> module, each module meeting `Check`.

A check is a module with an `ID`, an `options(table)` factory for its frozen `Options`, and
`scan_file(change, options)`; `scan_commits(commits, options)` is optional. Checks report facts
(findings) and never decide pass or fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from ..content import Content
from ..model import Commit, FileChange, Finding
from . import models, secrets


class Check(Protocol):
    ID: str

    def options(self, table: Mapping[str, Any]) -> Any: ...

    def scan_file(self, change: FileChange, opts: Any) -> Iterator[Finding]: ...


def make_options(check: Check, table: Mapping[str, Any], content: Content | None = None) -> Any:
    """The check's options; a check with `READS_CONTENT = True` also gets the reviewed tree's files."""
    if getattr(check, "READS_CONTENT", False):
        return check.options(table, content)  # type: ignore[call-arg]
    return check.options(table)


def scan_commits(check: Check, commits: Sequence[Commit], opts: Any) -> Iterator[Finding]:
    """The check's findings on the commits themselves, for checks that look at them."""
    scan = getattr(check, "scan_commits", None)
    return scan(commits, opts) if scan is not None else iter(())


CHECKS: dict[str, Check] = {
    secrets.ID: secrets,
    models.ID: models,
}
