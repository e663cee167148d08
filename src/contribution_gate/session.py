"""One review from the command line's choices: repository -> target -> policy -> review.

The policy for a range comes from its base commit; for the index and a whole tree, from the
working tree. An explicit --config file wins over both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import baseline
from . import config as policy_file
from .baseline import Baseline
from .config import Config
from .errors import ConfigError
from .git import Repository, collect, resolve_target
from .model import Target
from .review import Progress, Review, run_review


@dataclass(frozen=True)
class Result:
    review: Review
    warnings: tuple[str, ...]


Reader = Callable[[str], "bytes | None"]


def policy_source(repo: Repository, target: Target) -> tuple[Reader, str]:
    """Where the policy files of `target` are read: its base commit, else the working tree."""
    if target.kind == "range" and target.base is not None:
        base = target.base
        return (lambda path: repo.show(base, path)), f"base {base[:12]}"

    def from_work_tree(path: str) -> bytes | None:
        file = repo.root / path
        return file.read_bytes() if file.is_file() else None

    return from_work_tree, "working tree"


def load_policy(repo: Repository, target: Target, explicit: Path | None) -> Config:
    """The policy that judges `target`: explicit file, else the base commit's, else the work tree's."""
    if explicit is not None:
        return policy_file.load_file(explicit)
    return policy_file.discover(*policy_source(repo, target))


def load_baseline(repo: Repository, target: Target, config: Config) -> Baseline | None:
    """The accepted findings, from the same tree as the policy: ours by default, plus configured ones."""
    read, where = policy_source(repo, target)
    named = [config.table("checks").get("baseline"), config.table("secrets").get("baseline")]
    found = None
    for path in [baseline.DEFAULT_PATH, *(p for p in named if p)]:
        data = read(path)
        if data is None:
            if path != baseline.DEFAULT_PATH:
                raise ConfigError(f"{config.source}: baseline {path!r} does not exist ({where}): fix the path or create it")
            continue
        loaded = baseline.parse(data.decode("utf-8", "replace"), f"{path} ({where})")
        found = loaded if found is None else found.merged(loaded)
    return found


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
    use_baseline: bool = True,
) -> Result:
    """Open the repository, resolve the target and its policy, and review the change."""
    repo = Repository(start)
    target = target_of(repo)
    config = load_policy(repo, target, config_path)
    accepted = load_baseline(repo, target, config) if use_baseline else None
    try:
        review = run_review(target, collect(repo, target), config, only, progress, fail_on, accepted)
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    return Result(review, config.warnings)
