"""One unit reviewed in-process: the engine-neutral worker every engine runs.

The review is the review command's own path (`session.run`): `review --all-files` for a tree,
`review --range` for history, with the same policy, baseline, check inputs and JSON report. What
differs is where the policy is read: always the reviewed commit (a mirror has no work tree, and a
work tree could differ from the commit), unless the audit names one policy file, whose text the
driver sends.
A worker returns a dict and writes nothing: the driver is the only writer of the audit directory.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from .. import config as policy_file
from ..errors import ConfigError, GateError, GitError
from ..git import Repository
from ..model import Target
from ..review import failure
from ..session import Result
from .repositories import Mirrors
from .units import Unit


@dataclass(frozen=True)
class ReviewerArgs:
    """What every worker needs, small and picklable (sent once per worker, never per unit)."""

    checks: tuple[str, ...]
    fail_on: str
    cache_dir: str  # where URL targets are mirrored
    config_text: str | None = None  # an explicit --config file's text (the same for every repository)
    config_name: str = ""


class Reviewer:
    """One per worker process: loads the expensive state once (`warm`) and reviews many units."""

    def __init__(self, args: ReviewerArgs) -> None:
        self.args = args
        self.mirrors = Mirrors(Path(args.cache_dir))
        self._config: Path | None = None

    def warm(self) -> None:
        """Load the licenses check's own matcher (its references) before forking, so that the
        workers share it. ScanCode's index (2-3 CPU-s, 1.3 GB) is not loaded here: its answers are
        kept per user (`checks/licenses/remembered.py`), so most audits never need it, and a
        worker that meets a text only ScanCode knows loads it then, as `review` does."""
        if self.args.checks and "licenses" not in self.args.checks:
            return
        from ..checks.licenses import fast

        with contextlib.suppress(GateError):  # a unit's licenses check reports it (and fails closed)
            fast.refs()

    def run(self, unit: Unit, attempt: int = 1) -> dict[str, Any]:
        """The unit's result: `status` pass, fail or error, with the review's JSON and SARIF."""
        started = time.perf_counter()
        try:
            reviewed = self.review(unit)
        except ConfigError as exc:  # the repository's policy is wrong: the same on every attempt
            return self._error(unit, str(exc), started, retry=False)
        except GateError as exc:  # git refused (a transient failure happens): worth another attempt
            return self._error(unit, str(exc), started, retry=isinstance(exc, GitError))
        except Exception as exc:
            return self._error(unit, f"internal error: {failure(exc)}", started, retry=True)
        import json

        from ..reporters import REPORTERS  # the registry: every field redacted, as `review` writes it
        from ..reporters.untrusted import masked

        review = reviewed.review
        return {
            "status": review.verdict,
            "version": __version__,
            "seconds": round(time.perf_counter() - started, 3),
            "worker": worker_info(),
            "report": json.loads(REPORTERS["json"](review)),
            "sarif": json.loads(REPORTERS["sarif"](review))["runs"][0],
            "warnings": [masked(w) for w in reviewed.warnings],
        }

    def review(self, unit: Unit) -> Result:
        repo = self.mirrors.open(unit)
        return review_commit(repo, unit, self._config_path(), self.args)

    def _config_path(self) -> Path | None:
        """The audit's --config, written once into this worker's temporary directory (a Ray node
        need not have the driver's file)."""
        if self.args.config_text is None:
            return None
        if self._config is None or not self._config.is_file():
            where = Path(tempfile.mkdtemp(prefix="contribution-gate-policy-"))
            self._config = where / (Path(self.args.config_name).name or policy_file.CONFIG_FILE)
            self._config.write_text(self.args.config_text, encoding="utf-8")
        return self._config

    def _error(self, unit: Unit, reason: str, started: float, retry: bool) -> dict[str, Any]:
        from ..reporters.untrusted import masked

        return {
            "status": "error",
            "version": __version__,
            "seconds": round(time.perf_counter() - started, 3),
            "worker": worker_info(),
            "error": masked(reason),  # a git or policy error can quote a line that holds a secret
            "retry": retry,
        }


def review_commit(repo: Repository, unit: Unit, config_path: Path | None, args: ReviewerArgs) -> Result:
    """The review of one unit: `session.run`, the review command's own path, on the repository's
    git directory, with the policy, baseline and check inputs of the reviewed commit (or one
    --config file for every repository)."""
    from ..session import run
    from ..trust import PolicySource, commit

    head = unit.head
    target = Target("all-files", None, head) if unit.scope == "tree" else Target("range", unit.base, head)

    def policy(opened: Repository, _: Target) -> PolicySource:
        return PolicySource(
            commit(opened, head), f"commit {head[:12]}", "an audit judges each commit by its own policy"
        )

    # jobs=1: the audit's engine already runs one unit per worker on every CPU
    return run(repo.root, lambda _: target, args.checks, config_path, None, args.fail_on, policy=policy, jobs=1)


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
