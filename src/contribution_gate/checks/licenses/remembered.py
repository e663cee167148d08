"""ScanCode's answers, kept per user: a text the fast matcher cannot vouch for (a vendored copy of
CPython's license with its history, an edited license file) costs loading ScanCode's index (2-3 s
and 1.4 GB) the first time, and a lookup every later time, in every repository of the machine.

The key is a digest of exactly what ScanCode reads (the lines and their numbers, whether it
matches approximately) and ScanCode's version, so an answer is only reused for the same question
to the same ScanCode. The store is the dependency cache's SQLite file format, in its own file
(`$XDG_CACHE_HOME/contribution-gate/license-detections.sqlite3`, kept 90 days); a store that cannot
be opened or written is skipped. `CONTRIBUTION_GATE_SCANCODE_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import asdict
from functools import lru_cache
from typing import Any

from .matches import Found, KeyInfo, Match

ENV = "CONTRIBUTION_GATE_SCANCODE_CACHE"
FILE_NAME = "license-detections.sqlite3"
KEEP = 90 * 86400.0


def key(numbers: Sequence[int], body: Sequence[str], approximate: bool) -> str:
    """The digest of one question to ScanCode."""
    digest = hashlib.sha256(json.dumps([list(numbers), list(body), approximate]).encode("utf-8", "replace"))
    return digest.hexdigest()


def recall(question: str) -> list[Found] | None:
    """ScanCode's earlier answer to `question`, or None."""
    store = _store()
    if store is None:
        return None
    hit, value = store.get("scancode", _version(), question, "", KEEP)
    if not hit:
        return None
    try:
        return [_found(item) for item in value]
    except (TypeError, KeyError, ValueError):
        return None


def remember(question: str, answer: Sequence[Found]) -> None:
    store = _store()
    if store is not None:
        store.put("scancode", _version(), question, "", [asdict(found) for found in answer])


def _found(item: dict[str, Any]) -> Found:
    return Found(
        item["expression"],
        tuple(Match(**match) for match in item["matches"]),
        bool(item["false_positive"]),
        tuple(KeyInfo(**info) for info in item["keys"]),
    )


_local = threading.local()  # an SQLite connection serves the thread that opened it


def _store() -> Any:
    if os.environ.get(ENV, "").strip().lower() in ("off", "0", "false", "no"):
        return None
    store = getattr(_local, "store", None)
    if store is None:
        from .dependencies.cache import Cache, default_path

        store = _local.store = Cache(default_path().with_name(FILE_NAME))
    return store


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    for name in ("scancode-toolkit-mini", "scancode-toolkit"):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "unknown"
