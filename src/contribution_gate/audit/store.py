"""The audit directory, the whole state of an audit: plan.json, one file per finished unit, reports.

    DIR/plan.json                    the units, their resolved heads, the settings, the run log
    DIR/units/<slug>/<key>.json      one per finished unit: pass | fail | error, with its report
    DIR/audit.json .sarif .md        merged, always rebuilt from units/

Only the driver writes here, each file atomically (a temporary file, then a rename), so a reader,
a killed driver or a CI shard never sees half a file. A unit is done when its file parses, its key
matches and its status is pass or fail; an `error` result is reviewed again on the next run, and a
stray temporary file (a driver killed mid-write) is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import GateError
from ..files import write_atomically
from .units import Unit, safe_name

PLAN = "plan.json"
LOCK = ".lock"
_held: list[int] = []  # the lock's descriptor in this process: a forked worker drops its copy
UNITS = "units"
FINAL = ("pass", "fail")
_FINDING = ("check", "rule", "severity", "path", "fingerprint")
_STATUS = ("pass", "fail", "error", "skipped")


def well_formed(result: dict[str, Any]) -> bool:
    """Whether a result has the shape the merge reads (a shard's file can be damaged or forged:
    what does not fit is not done, and is reviewed again, never half-read)."""
    if result.get("status") == "error":
        return isinstance(result.get("error", ""), str)
    if result.get("status") not in FINAL:
        return False
    report, sarif = result.get("report"), result.get("sarif")
    if not isinstance(report, dict) or not isinstance(sarif, dict):
        return False
    findings, checks, errors = report.get("findings"), report.get("checks"), report.get("errors")
    if not (isinstance(findings, list) and isinstance(checks, list) and isinstance(errors, list)):
        return False
    if not all(isinstance(f, dict) and all(isinstance(f.get(k), str) for k in _FINDING) for f in findings):
        return False
    if not all(isinstance(c, dict) and isinstance(c.get("name"), str) and c.get("status") in _STATUS for c in checks):
        return False
    if not all(isinstance(e, dict) and isinstance(e.get("check"), str) for e in errors):
        return False
    tool = sarif.get("tool")
    driver = tool.get("driver") if isinstance(tool, dict) else None
    rules, results = driver.get("rules") if isinstance(driver, dict) else None, sarif.get("results")
    if not isinstance(rules, list) or not isinstance(results, list):
        return False
    return all(
        isinstance(r, dict) and isinstance(r.get("ruleIndex", 0), int) and 0 <= r.get("ruleIndex", 0) < len(rules)
        for r in results
    ) and all(isinstance(rule, dict) and isinstance(rule.get("id"), str) for rule in rules)


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.units = root / UNITS

    @property
    def plan_path(self) -> Path:
        return self.root / PLAN

    def create(self) -> None:
        try:
            self.units.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GateError(f"cannot create the audit directory {self.root}: {exc.strerror}") from None

    def read_plan(self) -> dict[str, Any] | None:
        """The plan, or None when the directory holds none yet."""
        if not self.plan_path.is_file():
            return None
        try:
            data = json.loads(self.plan_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GateError(f"{self.plan_path}: unreadable plan ({exc}): run the audit again with --force") from None
        if not isinstance(data, dict) or data.get("tool") != "contribution-gate-audit":
            raise GateError(f"{self.plan_path}: not an audit plan: give another --out directory")
        return data

    def write_plan(self, plan: dict[str, Any]) -> None:
        self.create()
        write_atomically(self.plan_path, json.dumps(plan, indent=1, sort_keys=True) + "\n")

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """One driver at a time per directory (an overlapping nightly run is refused, not mixed in);
        the lock goes with the process, so a killed driver leaves none behind. POSIX only."""
        try:
            import fcntl
        except ImportError:
            yield
            return
        self.create()
        handle = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise GateError(
                    f"another audit is running in {self.root}: wait for it to finish, or give another --out"
                ) from None
            _held.append(handle)
            try:
                yield
            finally:
                _held.remove(handle)
        finally:
            os.close(handle)

    def path(self, unit: Unit, key: str) -> Path:
        return self.units / safe_name(unit.slug) / f"{key}.json"

    def write(self, unit: Unit, key: str, result: dict[str, Any]) -> None:
        """Record one unit's result (the one writer: the driver); a second write of the same key,
        after an at-least-once retry, replaces the first."""
        path = self.path(unit, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(result, sort_keys=True, ensure_ascii=False) + "\n")

    def read(self, unit: Unit, key: str) -> dict[str, Any] | None:
        """The unit's result when its file is whole and is this key's, else None."""
        try:
            data = json.loads(self.path(unit, key).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("key") != key or not well_formed(data):
            return None
        return data

    def done(self, unit: Unit, key: str) -> bool:
        found = self.read(unit, key)
        return found is not None and found["status"] in FINAL

    def pending(self, keyed: Sequence[tuple[Unit, str]]) -> list[tuple[Unit, str]]:
        """The units still to review: no result, a broken one, or an error."""
        return [(unit, key) for unit, key in keyed if not self.done(unit, key)]

    def remove_temporaries(self) -> int:
        """Delete what an interrupted write left (`.<name>.<pid>.<random>.tmp`); how many."""
        removed = 0
        if self.units.is_dir():
            for stray in self.units.rglob("*.tmp"):
                stray.unlink(missing_ok=True)
                removed += 1
        return removed

    def results(self, keyed: Sequence[tuple[Unit, str]]) -> Iterator[tuple[Unit, str, dict[str, Any] | None]]:
        """Each planned unit with its result (None: not reviewed yet), read one at a time."""
        for unit, key in keyed:
            yield unit, key, self.read(unit, key)


def forget_lock() -> None:
    """In a forked worker: close the inherited copy of the driver's lock, so that the lock ends
    with the driver even while a worker finishes its unit."""
    for handle in _held:
        with contextlib.suppress(OSError):
            os.close(handle)
    _held.clear()
