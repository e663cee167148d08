"""A per-user cache of what deps.dev answered, so a package version is asked for once a month,
not once a review: SQLite in `$XDG_CACHE_HOME/contribution-gate/` (default `~/.cache/...`).

A version's licenses are kept 30 days (a published version's metadata rarely changes); "not
found" and a package's list of versions (new versions appear) one day. deps.dev's terms allow
caching. A cache that cannot be opened or written (read-only home, a corrupt file, another
process holding it) is skipped: the review goes on without it and says nothing worse than slower.
Only the thread that made the cache uses it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

DAY = 86400.0
KEEP_FOUND = 30 * DAY
KEEP_MISSING = DAY
KEEP_PACKAGE = DAY
_MAX_VALUE = 4 << 20
FILE_NAME = "dependency-licenses.sqlite3"


def default_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "contribution-gate" / FILE_NAME


class Cache:
    """(kind, system, name, version) -> a JSON value with the time it was stored."""

    def __init__(self, path: Path | None = None, now: Any = time.time) -> None:
        self._path = path if path is not None else default_path()
        self._now = now
        self._db: Any = None
        self._broken = False

    def _open(self) -> Any:
        if self._db is None and not self._broken:
            import sqlite3

            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(self._path), timeout=2.0, isolation_level=None)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS answers (kind TEXT, system TEXT, name TEXT, version TEXT,"
                    " value TEXT, stored REAL, PRIMARY KEY (kind, system, name, version))"
                )
                self._db = db
            except (sqlite3.Error, OSError):
                self._broken = True
        return self._db

    def get(self, kind: str, system: str, name: str, version: str, keep: float) -> tuple[bool, Any]:
        """(True, value) for an answer younger than `keep` seconds, else (False, None)."""
        import sqlite3

        db = self._open()
        if db is None:
            return False, None
        try:
            row = db.execute(
                "SELECT value, stored FROM answers WHERE kind=? AND system=? AND name=? AND version=?",
                (kind, system, name, version),
            ).fetchone()
        except sqlite3.Error:
            self._broken, self._db = True, None
            return False, None
        if row is None or not isinstance(row[1], float) or self._now() - row[1] > keep or self._now() < row[1]:
            return False, None
        try:
            return True, json.loads(row[0])
        except (TypeError, ValueError):
            return False, None

    def put(self, kind: str, system: str, name: str, version: str, value: Any) -> None:
        import sqlite3

        text = json.dumps(value)
        db = self._open()
        if db is None or len(text) > _MAX_VALUE:
            return
        try:
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (kind, system, name, version, text, float(self._now())),
            )
        except sqlite3.Error:
            self._broken, self._db = True, None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
