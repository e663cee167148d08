"""The audit's driver: plan (or read the plan back), hand the pending units to an engine, record
each result as it arrives, and rebuild the merged reports. It is the only writer of the audit
directory. Interrupted or killed, it loses only the units in flight: the next run reviews what has
no result yet (and what ended in error), and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import GateError
from . import merge, reports
from . import plan as plans
from .engines import make_engine
from .engines.base import Done, ReviewerFactory
from .progress import AuditProgress
from .reviewer import Reviewer, ReviewerArgs
from .store import FINAL, Store
from .targets import expand
from .units import Settings, Unit, shard


@dataclass
class Options:
    targets: tuple[str, ...]
    out: Path
    scope: str = "tree"
    engine: str = "local"
    workers: int = 0  # 0: the engine's default
    address: str | None = None
    checks: tuple[str, ...] = ()
    config_path: Path | None = None
    fail_on: str = "error"
    retries: int = 2
    unit_timeout: float | None = 3600.0
    shard: tuple[int, int] | None = None
    since_last: bool = False
    slice_commits: int = 50_000
    force: bool = False
    plan_only: bool = False
    include_archived: bool = False
    include_forks: bool = False
    cache: Path | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass
class Outcome:
    merged: dict[str, Any]
    reviewed: int
    skipped: int
    mine: list[tuple[Unit, str]]  # the units this run was responsible for (its shard)
    statuses: list[str] = field(default_factory=list)  # their results' statuses ("pending": none)

    @property
    def passed(self) -> bool:
        """Every unit of this run's share has a result, and none failed or ended in error (a
        repository cut into slices on several shards is judged by the merge)."""
        return all(status == "pass" for status in self.statuses)


def settings_of(options: Options) -> tuple[Settings, str | None]:
    """The settings that change results, and an explicit policy file's text."""
    text = None
    digest = "repository"
    if options.config_path is not None:
        try:
            text = options.config_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GateError(
                f"{options.config_path}: cannot read the config ({exc}): give a readable TOML file"
            ) from None
        from .. import config as policy_file

        policy_file.parse(text, str(options.config_path), pyproject=options.config_path.name == policy_file.PYPROJECT)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Settings(tuple(sorted(options.checks)), digest, options.fail_on, __version__), text


def load_plan(options: Options, store: Store, settings: Settings) -> dict[str, Any]:
    """The plan in the directory, checked against this command; a new one when there is none,
    with --force, or (new commits only) with --since-last."""
    previous = None if options.force else store.read_plan()
    if previous is not None:
        why = plans.same_audit(previous, options.targets, options.scope, settings, ignore_version=True)
        if why is not None:
            raise GateError(
                f"{store.root} holds another audit ({why}): use another --out directory, or --force to start over"
            )
        previous["settings"] = settings.as_dict()  # a new gate version: every unit gets a new key
        if not options.since_last:
            return previous
        sources = expand(options.targets, options.environ, options.include_archived, options.include_forks)
        return plans.since_last(previous, sources, options.environ, options.slice_commits)
    sources = expand(options.targets, options.environ, options.include_archived, options.include_forks)
    return plans.new_plan(options.targets, sources, options.scope, settings, options.slice_commits, options.environ)


def run(
    options: Options,
    progress_stream: Any = None,
    factory: ReviewerFactory = Reviewer,
    on_done: Callable[[Done], None] | None = None,
) -> Outcome:
    store = Store(options.out)
    with store.exclusive():
        return _run(options, store, progress_stream, factory, on_done)


def _run(
    options: Options,
    store: Store,
    progress_stream: Any,
    factory: ReviewerFactory,
    on_done: Callable[[Done], None] | None,
) -> Outcome:
    store.remove_temporaries()
    settings, config_text = settings_of(options)
    plan = load_plan(options, store, settings)
    store.write_plan(plan)
    everything = plans.keyed(plan)
    mine = everything
    if options.shard is not None:
        ours = set(shard([u for u, _ in everything], *options.shard))
        mine = [(u, k) for u, k in everything if u in ours]
    if options.plan_only:
        return Outcome(merge.audit(plan, [store]), 0, 0, mine)
    pending = mine if options.force else store.pending(mine)
    log: dict[str, Any] = {
        "started": plans.now(),
        "engine": options.engine,
        "shard": f"{options.shard[0]}/{options.shard[1]}" if options.shard else None,
        "planned": len(mine),
        "reviewed": 0,
        "errors": 0,
        "units": [],
    }
    progress = AuditProgress(progress_stream, len(mine), len(mine) - len(pending)) if progress_stream else None
    keys = dict(pending)
    try:
        if pending:
            _review(options, store, settings, config_text, factory, keys, log, progress, on_done)
    except KeyboardInterrupt:
        log["interrupted"] = True
        raise
    finally:
        if progress is not None:
            progress.close()
        log["finished"] = plans.now()
        plan["runs"] = [*plan.get("runs", []), log]
        store.write_plan(plan)
        merged = reports.write_all(plan, [store], store)
    statuses = [str((store.read(unit, key) or {"status": "pending"})["status"]) for unit, key in mine]
    return Outcome(merged, int(log["reviewed"]), len(mine) - len(pending), mine, statuses)


def _review(
    options: Options,
    store: Store,
    settings: Settings,
    config_text: str | None,
    factory: ReviewerFactory,
    keys: dict[Unit, str],
    log: dict[str, Any],
    progress: AuditProgress | None,
    on_done: Callable[[Done], None] | None,
) -> None:
    cache = options.cache or options.out / "mirrors"
    name = options.config_path.name if options.config_path else ""
    args = ReviewerArgs(settings.checks, settings.fail_on, str(cache), config_text, name)
    workers = options.workers or (plans.default_workers() if options.engine == "local" else 0)
    engine = make_engine(options.engine, args, min(workers, len(keys)) if workers else 0, options.address, factory)
    started = time.monotonic()
    try:
        for done in engine.run(list(keys), options.retries, options.unit_timeout):
            result = _checked(done.result)
            key = keys[done.unit]
            record = {**result, "key": key, "unit": done.unit.as_dict(), "attempts": done.attempts}
            store.write(done.unit, key, record)
            log["reviewed"] += 1
            log["errors"] += record["status"] == "error"
            log["units"].append(key)
            if progress is not None:
                progress.update(record["status"])
            if on_done is not None:
                on_done(done)
    finally:
        engine.close()
        log["seconds"] = round(time.monotonic() - started, 3)
        log["workers"] = engine.workers


def _checked(result: dict[str, Any]) -> dict[str, Any]:
    """A worker's result, refused when another version of the gate made it (mixed results)."""
    if result.get("version") != __version__:
        return {
            "status": "error",
            "version": __version__,
            "error": f"a worker runs contribution-gate {result.get('version')}, the driver {__version__}: "
            "install the same version on every node",
        }
    return {k: v for k, v in result.items() if k != "retry"}


def status(out: Path) -> dict[str, Any]:
    """What `audit status` prints: the plan's units, done, failed, errors and pending, from the files."""
    store = Store(out)
    plan = store.read_plan()
    if plan is None:
        raise GateError(f"{out}: no audit here (no plan.json): run `contribution-gate audit ... --out {out}`")
    merged: dict[str, Any] = merge.audit(plan, [store])
    return merged


def merge_dirs(sources: Sequence[Path], out: Path) -> dict[str, Any]:
    """`audit merge`: the unit files of CI shards (or several runs of one plan) joined into `out`,
    and its reports rebuilt; every shard must hold the same plan."""
    stores = [Store(path) for path in sources]
    plans_found = [(s, s.read_plan()) for s in stores]
    missing = [str(s.root) for s, p in plans_found if p is None]
    if missing:
        raise GateError(f"no plan.json in {', '.join(missing)}: give the directories the audit shards wrote")
    plan = plans_found[0][1]
    assert plan is not None
    for store, other in plans_found[1:]:
        assert other is not None
        if other["units"] != plan["units"] or other["settings"] != plan["settings"]:
            raise GateError(
                f"{store.root} holds another plan than {stores[0].root}: shards must share one plan (audit --plan-only)"
            )
    target = Store(out)
    plan = {**plan, "runs": [run for _, p in plans_found if p for run in p.get("runs", [])]}
    target.write_plan(plan)
    for unit, key in plans.keyed(plan):
        found = [r for r in (store.read(unit, key) for store in stores) if r is not None]
        best = next((r for r in found if r["status"] in FINAL), found[0] if found else None)
        if best is not None and target.read(unit, key) != best:
            target.write(unit, key, best)
    return reports.write_all(plan, [target], target)
