"""One review from the command line's choices: repository -> target -> policy -> review.

Which tree's policy judges is `trust`'s concern: a range's base commit for the review command and
CI, the change's own tree for the local hooks, the default branch for a server. An explicit
--config file wins; in CI (an `--event` review, or a range under CI=true or GITHUB_ACTIONS=true) a
--config file inside the repository is read from the same place as the default policy, the base
commit, so a pull request cannot loosen its own gate by editing the file its workflow names.
Where the change's own policy was not trusted and the review fails, the failing findings that
policy would have allowed say so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import baseline
from . import config as policy_file
from .baseline import Baseline
from .config import Config
from .errors import ConfigError, PolicyValueError
from .explain import explain, policy_drift, without_patterns
from .git import Changes, Item, Repository, collect, resolve_target
from .github.events import EventTarget
from .model import FileChange, Target
from .review import Progress, Review, run_review, select_checks
from .trust import PolicySource, Reader, Recorder, for_target, in_ci, tree_of

__all__ = ["PolicySource", "Result", "choose", "in_ci", "load_policy", "policy_source", "run"]


@dataclass(frozen=True)
class Result:
    review: Review
    warnings: tuple[str, ...]


def policy_source(repo: Repository, target: Target) -> tuple[Reader, str]:
    """Where the review command reads the policy files of `target` (see trust.tree_of)."""
    return tree_of(repo, target)


def load_policy(
    repo: Repository,
    target: Target,
    explicit: Path | None,
    event: EventTarget | None = None,
    source: PolicySource | None = None,
) -> Config:
    """The policy that judges `target`: explicit file, else the policy source's (by default the
    review command's: the base commit of a range, else the work tree).

    In CI an explicit file inside the repository is read from the base commit of a range."""
    read, where = (source.read, source.where) if source is not None else policy_source(repo, target)
    if explicit is None:
        return policy_file.discover(read, where)
    inside = _in_repository(repo, explicit)
    if inside is None or target.kind != "range" or target.base is None or not in_ci(event):
        return policy_file.load_file(explicit)
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


def baseline_paths(config: Config) -> list[str]:
    named = [config.table("checks").get("baseline"), config.table("secrets").get("baseline")]
    return [baseline.DEFAULT_PATH, *(p for p in named if p)]


def load_baseline(
    repo: Repository, target: Target, config: Config, source: PolicySource | None = None
) -> Baseline | None:
    """The accepted findings, from the same tree as the policy: ours by default, plus configured ones."""
    read, where = (source.read, source.where) if source is not None else policy_source(repo, target)
    found = None
    for path in baseline_paths(config):
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
    repo: Repository,
    target: Target,
    config: Config,
    only: Sequence[str],
    event: EventTarget | None,
    source: PolicySource | None = None,
) -> dict[str, Any]:
    """What checks need from outside the change, read like the policy from the base commit: the
    secrets check's own rules and gitleaks files, the cla check's `.github/dco.yml` and signatures
    (only for targets that have commits)."""
    loaded: dict[str, Any] = {}
    checks = select_checks(config, only)
    read, where = (source.read, source.where) if source is not None else policy_source(repo, target)
    if "secrets" in checks:
        loaded.update(_secrets_inputs(config, read, where))
    if "cla" not in checks or target.kind not in ("range", "unpushed", "received"):
        return loaded
    from .checks.cla import inputs

    read_signed, signed_where = _newest_base(repo, target, event) or (read, where)
    loaded["cla"] = inputs.load(config.table("cla"), read, where, read_signed, signed_where, event, os.environ)
    return loaded


def _secrets_inputs(config: Config, read: Reader, where: str) -> dict[str, Any]:
    """The policy's `[[secrets.rules]]` and `[secrets] gitleaks-config` (with its .gitleaksignore),
    compiled once, the gitleaks files read from the policy's own tree."""
    table = config.table("secrets")
    if not table.get("rules") and "gitleaks-config" not in table:
        return {}
    from .checks.secrets import userpolicy

    try:
        return {"secrets": userpolicy.load(table, read, where)}
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


PolicyChooser = Callable[[Repository, Target], PolicySource]
MoreItems = Callable[[Repository, Target], Iterable[Item]]


def run(
    start: Path,
    target_of: TargetChooser,
    only: Sequence[str] = (),
    config_path: Path | None = None,
    progress: Progress | None = None,
    fail_on: str = "error",
    use_baseline: bool = True,
    event: EventTarget | None = None,
    *,
    trust: str = "base",
    policy: PolicyChooser | None = None,
    paths: frozenset[str] | None = None,
    more: MoreItems | None = None,
    verify: bool | None = None,
    verify_progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> Result:
    """Open the repository, resolve the target and its policy, and review the change.

    `trust`: "base" (the review command, CI) or "change" (the local hooks), see `trust`; `policy`
    chooses the source instead (a server's pre-receive hook, which also opens bare repositories).
    `paths`: only these files of the change (a hook's file names); `more`: items to review after
    the target's own (a pushed tag's message). `verify`: ask providers whether found credentials
    are live (`--verify`/`--no-verify`; None: as the policy's `[secrets] verify` says, for the
    review command only: never in the hooks or on a server unless asked); `verify_progress` hears of
    each provider's answer (a line on a terminal). `jobs`: processes that review a long range or a
    big tree side by side (None: one per CPU, when it is big enough; 1: this process alone)."""
    repo = Repository(start, allow_bare=policy is not None)
    target = target_of(repo)
    source = policy(repo, target) if policy is not None else for_target(repo, target, trust, event)
    recorder = Recorder(source.read)
    recorded = replace(source, read=recorder)
    policy_may_verify = trust == "base" and policy is None  # the review command, CI
    plan = _Plan(
        repo,
        target,
        only,
        config_path,
        fail_on,
        use_baseline,
        event,
        paths,
        more,
        (verify, policy_may_verify, verify_progress),
        jobs,
    )
    try:
        review, config = plan.review(recorded, progress)
    finally:
        close = getattr(progress, "close", None)
        if close is not None:
            close()
    warnings = list(config.warnings)
    if source.untrusted is not None and not review.passed:
        review = explain(
            review, config, source, recorder, lambda own, checks, budget: plan.review(own, None, checks, budget)
        )
    if trust == "change" and policy is None:
        warnings += policy_drift(repo, target, baseline_paths(config), recorder)
    return Result(replace(review, policy_reason=source.reason), tuple(warnings))


@dataclass(frozen=True)
class _Plan:
    """Everything of one review but its policy source, so it can be run again under another."""

    repo: Repository
    target: Target
    only: Sequence[str]
    config_path: Path | None
    fail_on: str
    use_baseline: bool
    event: EventTarget | None
    paths: frozenset[str] | None
    more: MoreItems | None
    verify: tuple[bool | None, bool, Any] = (None, False, None)  # the flag, may the policy ask, progress
    jobs: int | None = 1  # see `run`

    def review(
        self, source: PolicySource, progress: Progress | None = None, narrow: Sequence[str] = (), budget: Any = None
    ) -> tuple[Review, Config]:
        """The review under `source`'s policy; `narrow`: only those of its checks (none: no review),
        on the time `budget` (a `[review]` table) of another policy."""
        repo, target = self.repo, self.target
        config = load_policy(repo, target, self.config_path, self.event, source)
        if budget is not None:  # an untrusted policy: the trusted one's budget, none of its regexes
            config = replace(config, tables={**without_patterns(config.tables), "review": budget})
        checks = list(self.only)
        if narrow:
            checks = [c for c in select_checks(config, self.only) if c in narrow]
            if not checks:
                return Review(target, (), ()), config
        accepted = load_baseline(repo, target, config, source) if self.use_baseline else None
        inputs = load_check_inputs(repo, target, config, checks, self.event, source)
        inputs.setdefault("licenses", (source.read, source.where))  # the project's own license: the policy's tree
        notes = getattr(inputs.get("secrets"), "notes", ())  # what a gitleaks config could not carry over
        if notes:
            config = replace(config, warnings=(*config.warnings, *notes))
        changes = collect(repo, target, unreviewed_paths(config, checks))
        stream = _Stream(changes, self.paths, self.more(repo, target) if self.more is not None else ())
        asking = self._verify_settings(config, checks) if not narrow else None  # not for an untrusted policy's rerun
        review = run_review(
            target,
            stream,
            config,
            checks,
            progress,
            self.fail_on,
            accepted,
            inputs=inputs,
            verify=asking,
            repository=repo.name,
            jobs=self.jobs,
        )
        return review, config

    def _verify_settings(self, config: Config, checks: Sequence[str]) -> Any:
        """The settings of `--verify` when this review asks providers, else None."""
        flag, policy_may, progress = self.verify
        table = config.table("secrets")
        if "secrets" not in select_checks(config, checks):
            return None
        from .checks.secrets import verify

        if not verify.wanted(flag, table, policy_may):
            return None
        return verify.settings(table, os.environ, progress)


class _Stream:
    """A target's changes, limited to `paths` (when given), then `more` items; iterable once."""

    def __init__(self, changes: Changes, paths: frozenset[str] | None, more: Iterable[Item]) -> None:
        self.content = changes.content
        self._changes = changes
        self._paths = paths
        self._more = more

    def split(self, jobs: int | None) -> list[_Stream] | None:
        """The changes cut into parts for `jobs` processes (see `Changes.split`); `more` goes last."""
        cut = self._changes.split(jobs)
        if cut is None:
            return None
        return [_Stream(part, self._paths, self._more if part is cut[-1] else ()) for part in cut]

    def __iter__(self) -> Iterator[Item]:
        for item in self._changes:
            if self._paths is None or not isinstance(item, FileChange) or item.path in self._paths:
                yield item
        yield from self._more
