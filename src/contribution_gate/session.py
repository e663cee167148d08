"""One review from the command line's choices: repository -> target -> policy -> review.

The policy for a range comes from its base commit; for the index and a whole tree, from the
working tree. An explicit --config file wins over both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import config as policy_file
from .config import Config
from .git import Repository, collect, resolve_target
from .model import Target
from .review import Progress, Review, run_review


@dataclass(frozen=True)
class Result:
    review: Review
    warnings: tuple[str, ...]


def load_policy(repo: Repository, target: Target, explicit: Path | None) -> Config:
    """The policy that judges `target`: explicit file, else the base commit's, else the work tree's."""
    if explicit is not None:
        return policy_file.load_file(explicit)
    if target.kind == "range" and target.base is not None:
        base = target.base
        return policy_file.discover(lambda path: repo.show(base, path), f"base {base[:12]}")

    def from_work_tree(path: str) -> bytes | None:
        file = repo.root / path
        return file.read_bytes() if file.is_file() else None

    return policy_file.discover(from_work_tree, "working tree")


TargetChooser = Callable[[Repository], Target]


def choose(staged: bool, range_spec: str | None, all_files: bool) -> TargetChooser:
    """The target the review command's options name (see git.resolve_target)."""
    return lambda repo: resolve_target(repo, staged, range_spec, all_files)


def run(
    start: Path,
    target_of: TargetChooser,
    only: Sequence[str] = (),
    config_path: Path | None = None,
    progress: Progress | None = None,
    fail_on: str = "error",
) -> Result:
    """Open the repository, resolve the target and its policy, and review the change."""
    repo = Repository(start)
    target = target_of(repo)
    config = load_policy(repo, target, config_path)
    try:
        review = run_review(target, collect(repo, target), config, only, progress, fail_on)
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    return Result(review, config.warnings)
