"""The `cla` check: a DCO sign-off on every commit, or a signed CLA from every author.

`[cla] mode` says which; without it a base commit holding `.github/dco.yml` (the DCO app's config)
means `dco`, and otherwise nothing is required (`off`). Merge commits and allowed authors
(`allow-authors`: anchored globs on email or GitHub login, `*[bot]`, `*@example.com`) are skipped.

The check stays pure: what it needs from outside the change (the base commit's `.github/dco.yml` and
signatures file, the event's pull request author, the GitHub API lookup when GITHUB_TOKEN is set)
is loaded by the session and handed in as `Inputs`. See `dco` and `people` for each mode.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ...model import Commit, FileChange, Finding
from .settings import ID, Options, options

__all__ = ["ID", "Options", "options", "scan_commits", "scan_file", "summary"]


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Sign-offs and signatures are about commits, not files."""
    return iter(())


def scan_commits(commits: Sequence[Commit], opts: Options) -> Iterator[Finding]:
    if opts.mode == "dco":
        from . import dco

        yield from dco.findings(commits, opts)
    elif opts.mode == "cla":
        from . import people

        yield from people.findings(people.evaluate(commits, opts), opts)


def summary(commits: Sequence[Commit], opts: Options) -> Any:
    """Who has signed and who has not, for the Markdown report's CLA section (CLA mode only)."""
    if opts.mode != "cla" or not commits:
        return None
    from . import people

    return people.evaluate(commits, opts)
