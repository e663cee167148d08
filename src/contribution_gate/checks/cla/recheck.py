"""The CLA of one pull request checked again from the API alone, for the signing job.

The signing job runs with a write token, so it reads nothing of the contribution but what GitHub
says about it: the pull request (head, author) and its commits (every page). The policy and the
signatures are the trusted ones (the default branch's working tree, or `signatures-repo`). The same
`people.evaluate` as the review decides, so a re-check and a review never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import GateError
from ...model import Setup
from . import people, signatures
from .settings import Inputs, mode_of, options


@dataclass(frozen=True)
class Rechecked:
    summary: people.Summary
    passed: bool
    head: str
    number: int
    complete: bool  # False: GitHub listed fewer commits than the pull request has (over 250)


def recheck(table: Mapping[str, Any], client: Any, number: int, signed_text: str, signed_source: str) -> Rechecked:
    """Who has signed among the pull request's authors, now."""
    from ...github import pulls

    mode, _ = mode_of(table, False)
    if mode != "cla":
        raise GateError(f"[cla] mode is {mode!r}: only CLA mode has signatures to re-check")
    pull = pulls.pull(client, number)
    listed = pulls.commits(client, number)
    inputs = Inputs(
        signatures=signatures.parse(signed_text, signed_source),
        signatures_source=signed_source,
        pr_author=pull.author,
        lookup=listed.lookup,
    )
    opts = options(table, Setup(loaded=inputs))
    summary = people.evaluate(listed.commits, opts)
    complete = pull.commit_count is None or pull.commit_count <= len(listed.commits)
    return Rechecked(summary, complete and not summary.pending, pull.head, number, complete)
