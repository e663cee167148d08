"""What the choice of a review's policy means for its findings and its user.

Where the change's own policy was not trusted (CI, a range review, a server) and the review fails,
each failing finding that policy would have allowed says so, found by running the review again
under it, bounded: none of its patterns run, no oversized file of it is read, and it gets the
trusted policy's time. Where a local hook judged with the change's own policy, its user hears of
policy changes the hook did not see (not staged) or that CI will not see (not yet merged).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import config as policy_file
from .errors import GateError
from .policy import Outcome
from .trust import PolicySource, Recorder, commit, work_tree

if TYPE_CHECKING:
    from .config import Config
    from .git import Repository
    from .model import Target
    from .review import Review

Rerun = Callable[[PolicySource, Sequence[str], Mapping[str, Any]], "tuple[Review, Config]"]


def without_patterns(tables: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """A policy's tables without the regular expressions it would run on contribution text
    (`[secrets] allow`, `/.../` markers): nobody vetted them, and one can take exponential time."""
    cleaned: dict[str, dict[str, Any]] = {name: dict(table) for name, table in tables.items()}
    cleaned.get("secrets", {}).pop("allow", None)
    markers = cleaned.get("proprietary-markers", {})
    if "markers" in markers:
        markers["markers"] = [m for m in markers["markers"] if not (len(m) > 2 and m[0] == m[-1] == "/")]
    return dict(cleaned)


def explain(review: Review, config: Config, source: PolicySource, recorder: Recorder, rerun: Rerun) -> Review:
    """Mark the failing findings the change's own policy would have allowed: the same review, run
    again under that policy (only when a file the policy came from differs there), keeps none of
    them failing. A change's policy that cannot be read or used explains nothing."""
    assert source.untrusted is not None
    theirs = source.untrusted
    checks = sorted({j.finding.check for j in review.judged if j.outcome is Outcome.FAIL})
    head = review.target.head or ""
    own = PolicySource(theirs, f"head {head[:12]}", "")
    try:
        if not checks or all(theirs(path) == data for path, data in recorder.seen.items()):
            return review
        relaxed, _ = rerun(own, checks, dict(config.table("review")))
    except GateError:
        return review
    still = {j.finding.fingerprint for j in relaxed.judged if j.outcome is Outcome.FAIL}
    note = (
        f"allowed by the change's own policy, which {source.untrusted_by} does not trust: "
        "merge the policy change first or ask a maintainer"
    )
    judged = tuple(
        replace(j, finding=replace(j.finding, message=f"{j.finding.message} ({note})"))
        if j.outcome is Outcome.FAIL and j.finding.fingerprint not in still
        else j
        for j in review.judged
    )
    return replace(review, judged=judged)


def policy_drift(repo: Repository, target: Target, baselines: Sequence[str], recorder: Recorder) -> list[str]:
    """What a local hook's user should know about the policy files it judged with: at commit time,
    a policy file whose work-tree version is not staged (the staged one judges, and is what the
    commit records); at push time, a push that changes the policy (CI judges a pull request with
    its base's policy, so findings only the new policy allows fail there until it is merged)."""
    policy_paths = {policy_file.CONFIG_FILE, policy_file.PYPROJECT, *baselines}
    seen = {path: data for path, data in recorder.seen.items() if path in policy_paths}
    if target.kind == "staged":
        mine = work_tree(repo)
        return [
            f"{path}: your working-tree changes are not staged, and this commit is judged with the staged "
            f"version: `git add {path}` to judge with yours"
            for path, data in seen.items()
            if _policy_bytes(path, mine(path)) != _policy_bytes(path, data)
        ]
    if target.kind == "range" and target.base is not None:
        base = commit(repo, target.base)
        changed = [path for path, data in seen.items() if _policy_bytes(path, base(path)) != _policy_bytes(path, data)]
        if changed:
            return [
                f"this push changes the policy ({', '.join(changed)}); CI judges a pull request with its base's "
                "policy, so merge the policy change first: findings only the new policy allows fail there"
            ]
    return []


def _policy_bytes(path: str, data: bytes | None) -> object:
    """What of a file is policy: pyproject.toml only in its [tool.contribution-gate] table."""
    if data is None or path != policy_file.PYPROJECT:
        return data
    try:
        return policy_file.parse(data.decode("utf-8"), path, pyproject=True).tables
    except (GateError, UnicodeDecodeError):
        return data
