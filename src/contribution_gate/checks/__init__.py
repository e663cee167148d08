"""The registry of checks: one literal dict, id -> module, each module meeting `Check`.

A check is a module with an `ID`, an `options(table)` factory for its frozen `Options`, and
`scan_file(change, options)`; `scan_commit(commit, options)` (each commit as it streams by, nothing
held) and `scan_commits(commits, options)` (all of them at the end, held for it) are optional.
Checks report facts (findings) and never decide pass or fail.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol, cast

from ..model import NO_SETUP, Commit, FileChange, Finding, Setup


class Check(Protocol):
    ID: str

    def options(self, table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Any: ...

    def scan_file(self, change: FileChange, opts: Any) -> Iterator[Finding]: ...


def scan_commit(check: Check, commit: Commit, opts: Any) -> Iterator[Finding]:
    """The check's findings on one commit as the stream passes it (the secrets check: its author,
    committer and message), for checks that look at each commit alone: memory stays flat."""
    scan = getattr(check, "scan_commit", None)
    return scan(commit, opts) if scan is not None else iter(())


def scan_commits(check: Check, commits: Sequence[Commit], opts: Any) -> Iterator[Finding]:
    """The check's findings on the commits themselves, for checks that look at them."""
    scan = getattr(check, "scan_commits", None)
    return scan(commits, opts) if scan is not None else iter(())


def reads_commits(check: Check, opts: Any) -> bool:
    """Whether the check looks at commits with these options (the cla check not when it is off)."""
    return hasattr(check, "scan_commits") and getattr(opts, "reads_commits", True)


def summarize(check: Check, commits: Sequence[Commit], opts: Any) -> Any:
    """What a check tells besides findings (the cla check: who has signed), or None."""
    summary = getattr(check, "summary", None)
    return summary(commits, opts) if summary is not None else None


# id -> the module that implements it, imported only when the check runs: a check a review does
# not run costs nothing at start-up (the cla check alone would import http.client and ssl).
CHECKS: dict[str, Check | str] = {
    "secrets": "contribution_gate.checks.secrets",
    "internal-urls": "contribution_gate.checks.internal_urls",
    "proprietary-markers": "contribution_gate.checks.proprietary_markers",
    "licenses": "contribution_gate.checks.licenses",
    "cla": "contribution_gate.checks.cla",
    "models": "contribution_gate.checks.models",
}


def load(name: str) -> Check:
    """The check registered as `name`, imported on first use."""
    entry = CHECKS[name]
    if isinstance(entry, str):
        entry = CHECKS[name] = cast(Check, importlib.import_module(entry))
    return entry
