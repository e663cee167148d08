"""One unit reviewed in-process: the engine-neutral worker every engine runs.

The review is the one `review --all-files` (tree) or `review --range` (history) runs: the same
`git.collect` stream, `review.run_review`, policy, baseline and JSON report. What differs is where
the policy is read: always the reviewed commit (a mirror has no work tree, and a work tree could
differ from the commit), unless the audit names a policy file, whose text the driver sends.
A worker returns a dict and writes nothing: the driver is the only writer of the audit directory.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .. import baseline as baselines
from .. import config as policy_file
from ..baseline import Baseline
from ..config import Config
from ..errors import ConfigError, GateError, GitError
from ..git import Repository, collect
from ..model import Target
from ..review import Review, failure, run_review, select_checks
from .repositories import Mirrors
from .units import Unit

Reader = Callable[[str], "bytes | None"]


@dataclass(frozen=True)
class ReviewerArgs:
    """What every worker needs, small and picklable (sent once per worker, never per unit)."""

    checks: tuple[str, ...]
    fail_on: str
    cache_dir: str  # where URL targets are mirrored
    config_text: str | None = None  # an explicit --config file's text (the same for every repository)
    config_name: str = ""


class Reviewer:
    """One per worker process: loads the expensive state once (ScanCode's index) and reviews units."""

    def __init__(self, args: ReviewerArgs) -> None:
        self.args = args
        self.mirrors = Mirrors(Path(args.cache_dir))

    def warm(self) -> None:
        """Load ScanCode's license index when the licenses check can run (about 2 CPU-s and 1.4 GB):
        before forking, so that workers share it."""
        if self.args.checks and "licenses" not in self.args.checks:
            return
        from ..checks.licenses import scancode

        with contextlib.suppress(GateError):  # each unit's licenses check reports it (and fails closed)
            scancode.warm()

    def run(self, unit: Unit, attempt: int = 1) -> dict[str, Any]:
        """The unit's result: `status` pass, fail or error, with the review's JSON and SARIF."""
        started = time.perf_counter()
        try:
            review = self.review(unit)
        except ConfigError as exc:  # the repository's policy is wrong: the same on every attempt
            return self._error(unit, str(exc), started, retry=False)
        except GateError as exc:  # git refused (a transient failure happens): worth another attempt
            return self._error(unit, str(exc), started, retry=isinstance(exc, GitError))
        except Exception as exc:
            return self._error(unit, f"internal error: {failure(exc)}", started, retry=True)
        from ..reporters import json_report, sarif

        return {
            "status": review.verdict,
            "version": __version__,
            "seconds": round(time.perf_counter() - started, 3),
            "worker": worker_info(),
            "report": json_report.as_dict(review),
            "sarif": sarif.as_dict(review)["runs"][0],
        }

    def review(self, unit: Unit) -> Review:
        repo = self.mirrors.open(unit)
        return review_commit(repo, unit, self.args)

    def _error(self, unit: Unit, reason: str, started: float, retry: bool) -> dict[str, Any]:
        return {
            "status": "error",
            "version": __version__,
            "seconds": round(time.perf_counter() - started, 3),
            "worker": worker_info(),
            "error": reason,
            "retry": retry,
        }


def review_commit(repo: Repository, unit: Unit, args: ReviewerArgs) -> Review:
    """The review of one unit, its policy and baseline read from the reviewed commit."""
    head = unit.head
    read: Reader = lambda path: repo.show(head, path)  # noqa: E731
    where = f"commit {head[:12]}"
    if args.config_text is not None:
        name = args.config_name or "audit policy"
        config = policy_file.parse(args.config_text, name, pyproject=Path(name).name == policy_file.PYPROJECT)
    else:
        config = policy_file.discover(read, where)
    target = Target("all-files", None, head) if unit.scope == "tree" else Target("range", unit.base, head)
    inputs: dict[str, Any] = {"licenses": (read, where)}
    if unit.scope == "history" and "cla" in select_checks(config, args.checks):
        from ..checks.cla import inputs as cla_inputs

        inputs["cla"] = cla_inputs.load(config.table("cla"), read, where, read, where, None, {})
    from ..session import unreviewed_paths

    changes = collect(repo, target, unreviewed_paths(config, args.checks))
    accepted = load_baseline(read, where, config)
    return run_review(target, changes, config, args.checks, None, args.fail_on, accepted, inputs=inputs)


def load_baseline(read: Reader, where: str, config: Config) -> Baseline | None:
    """The accepted findings the reviewed commit holds: the default baseline and configured ones."""
    named = [config.table("checks").get("baseline"), config.table("secrets").get("baseline")]
    found = None
    for path in [baselines.DEFAULT_PATH, *(p for p in named if p)]:
        data = read(str(path))
        if data is None:
            if path != baselines.DEFAULT_PATH:
                raise ConfigError(f"{config.source}: baseline {path!r} does not exist ({where}): fix the path")
            continue
        loaded = baselines.parse(data.decode("utf-8", "replace"), f"{path} ({where})")
        found = loaded if found is None else found.merged(loaded)
    return found


def worker_info() -> dict[str, Any]:
    """Where a unit ran and what the worker holds in memory (Linux: private and proportional set
    sizes, which show what forking a warm parent saves)."""
    info: dict[str, Any] = {"pid": os.getpid(), "host": socket.gethostname()}
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/smaps_rollup", encoding="ascii") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line and not line[0].isdigit())
            size = {name: int(fields[name].split()[0]) for name in ("Rss", "Pss", "Private_Clean", "Private_Dirty")}
            info.update(
                rss_kb=size["Rss"], pss_kb=size["Pss"], private_kb=size["Private_Clean"] + size["Private_Dirty"]
            )
        except (OSError, KeyError, ValueError):
            pass
    return info
