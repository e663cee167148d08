"""One review from the command line's choices: repository -> target -> policy -> review.

The policy for a range comes from its base commit; for the index and a whole tree, from the
working tree. An explicit --config file wins over both; in CI (an `--event` review, or a range
under CI=true or GITHUB_ACTIONS=true) a --config file inside the repository is read from the same
place as the default policy, the base commit, so a pull request cannot loosen its own gate by
editing the file its workflow names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import baseline
from . import config as policy_file
from .baseline import Baseline
from .config import Config
from .errors import ConfigError, PolicyValueError
from .git import Repository, collect, resolve_target
from .github.events import EventTarget
from .model import Target
from .review import Progress, Review, run_review, select_checks


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


def in_ci(event: EventTarget | None = None) -> bool:
    """Whether the review runs in CI, where the checked-out change is the contributor's."""
    env = os.environ
    return event is not None or env.get("CI", "").lower() in ("true", "1") or env.get("GITHUB_ACTIONS") == "true"


def load_policy(repo: Repository, target: Target, explicit: Path | None, event: EventTarget | None = None) -> Config:
    """The policy that judges `target`: explicit file, else the base commit's, else the work tree's.

    In CI an explicit file inside the repository is read from the base commit of a range."""
    if explicit is None:
        return policy_file.discover(*policy_source(repo, target))
    inside = _in_repository(repo, explicit)
    if inside is None or target.kind != "range" or target.base is None or not in_ci(event):
        return policy_file.load_file(explicit)
    read, where = policy_source(repo, target)
    data = read(inside)
    if data is None:
        raise ConfigError(
            f"{inside}: --config is read from the {where} in CI (a pull request cannot loosen its own gate), "
            "and it has no such file: commit the policy to the base branch first"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{inside} ({where}): not UTF-8 text: save it as UTF-8") from None
    return policy_file.parse(text, f"{inside} ({where})", pyproject=Path(inside).name == policy_file.PYPROJECT)


def _in_repository(repo: Repository, path: Path) -> str | None:
    """`path` (relative to the current directory) as a path of the repository, or None outside it.
    Directories are resolved, the file's own name is not: a symlink is judged where it sits."""
    absolute = Path(os.path.abspath(path))
    located = Path(os.path.realpath(absolute.parent)) / absolute.name
    try:
        inside = located.relative_to(repo.root.resolve())
    except ValueError:
        return None
    return inside.as_posix() if inside.parts and inside.parts[0] != ".git" else None


def unreviewed_paths(config: Config, only: Sequence[str] = ()) -> Callable[[str], bool] | None:
    """Whether a path is one some check of the review does not read (`exclude-paths`) or whose
    findings it accepts (`allow-paths`): a rename or copy out of it is reviewed as an addition."""
    patterns = [
        pattern
        for name in select_checks(config, only)
        for key in ("exclude-paths", "allow-paths")
        for pattern in config.table(name).get(key, ())
    ]
    if not patterns:
        return None
    import pathspec  # only when a policy names paths

    return pathspec.GitIgnoreSpec.from_lines(patterns).match_file


def load_baseline(repo: Repository, target: Target, config: Config) -> Baseline | None:
    """The accepted findings, from the same tree as the policy: ours by default, plus configured ones."""
    read, where = policy_source(repo, target)
    named = [config.table("checks").get("baseline"), config.table("secrets").get("baseline")]
    found = None
    for path in [baseline.DEFAULT_PATH, *(p for p in named if p)]:
        data = read(path)
        if data is None:
            if path != baseline.DEFAULT_PATH:
                raise ConfigError(
                    f"{config.source}: baseline {path!r} does not exist ({where}): fix the path or create it"
                )
            continue
        loaded = baseline.parse(data.decode("utf-8", "replace"), f"{path} ({where})")
        found = loaded if found is None else found.merged(loaded)
    return found


def load_check_inputs(
    repo: Repository, target: Target, config: Config, only: Sequence[str], event: EventTarget | None
) -> dict[str, Any]:
    """What checks need from outside the change, read like the policy from the base commit: the
    secrets check's own rules and gitleaks files, the cla check's `.github/dco.yml` and signatures
    (only for targets that have commits)."""
    loaded: dict[str, Any] = {}
    checks = select_checks(config, only)
    if "secrets" in checks:
        loaded.update(_secrets_inputs(repo, target, config))
    if "cla" not in checks or target.kind not in ("range", "unpushed"):
        return loaded
    from .checks.cla import inputs

    read, where = policy_source(repo, target)
    read_signed, signed_where = _newest_base(repo, target, event) or (read, where)
    loaded["cla"] = inputs.load(config.table("cla"), read, where, read_signed, signed_where, event, os.environ)
    return loaded


def _secrets_inputs(repo: Repository, target: Target, config: Config) -> dict[str, Any]:
    """The policy's `[[secrets.rules]]` and `[secrets] gitleaks-config` (with its .gitleaksignore),
    compiled once, the gitleaks files read from the policy's own tree."""
    table = config.table("secrets")
    if not table.get("rules") and "gitleaks-config" not in table:
        return {}
    from .checks.secrets import userpolicy

    try:
        return {"secrets": userpolicy.load(table, *policy_source(repo, target))}
    except PolicyValueError as exc:
        raise ConfigError(f"{config.source}: {exc}") from None


def _newest_base(repo: Repository, target: Target, event: EventTarget | None) -> tuple[Reader, str] | None:
    """The base branch's tip, when the clone has it and it contains the pull request's base: a CLA
    signed after the event (a re-run after signing) counts, and the contribution still cannot sign."""
    if event is None or not event.base_ref or target.base is None:
        return None
    ref = f"refs/remotes/origin/{event.base_ref}"
    tip = repo.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ok=(0, 1)).decode().strip()
    if not tip or tip == target.base or not repo.succeeds("merge-base", "--is-ancestor", target.base, tip):
        return None
    return (lambda path: repo.show(tip, path)), f"origin/{event.base_ref} {tip[:12]}"


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
    event: EventTarget | None = None,
) -> Result:
    """Open the repository, resolve the target and its policy, and review the change."""
    repo = Repository(start)
    target = target_of(repo)
    config = load_policy(repo, target, config_path, event)
    accepted = load_baseline(repo, target, config) if use_baseline else None
    inputs = load_check_inputs(repo, target, config, only, event)
    inputs.setdefault("licenses", policy_source(repo, target))  # the project's own license: from the policy's tree
    try:
        changes = collect(repo, target, unreviewed_paths(config, only))
        review = run_review(target, changes, config, only, progress, fail_on, accepted, inputs=inputs)
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    notes = getattr(inputs.get("secrets"), "notes", ())  # what a gitleaks config could not carry over
    return Result(review, (*config.warnings, *notes))
