"""The only door to ScanCode-toolkit: imported on first use, its license index loaded once per
process, its errors turned into ours.

ScanCode's index is a 400 MB pickle; unpickling it with the garbage collector paused and then
freezing it (`gc.freeze`) takes about half the time of a plain load, and keeps later collections
from walking its millions of objects. Text is matched from a temporary file (ScanCode's location
path), each line written once, with the true line numbers of the reviewed file mapped back.
"""

from __future__ import annotations

import atexit
import gc
import importlib.util
import itertools
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Sequence
from typing import Any

from ...errors import CheckError
from .matches import CLUE, DECLARING, INTRO, NOTICE, REFERENCE, SPDX_ID, TAG, TEXT, Found, KeyInfo, Match

_lock = threading.Lock()
_state: dict[str, Any] = {}
_serial = itertools.count()

__all__ = ["CLUE", "DECLARING", "INTRO", "NOTICE", "REFERENCE", "SPDX_ID", "TAG", "TEXT", "Found", "KeyInfo", "Match"]


def available() -> bool:
    """Whether ScanCode is installed (the `scancode` extra), without importing it."""
    try:
        return importlib.util.find_spec("licensedcode") is not None
    except (ImportError, ValueError):
        return False


def loaded() -> bool:
    """Whether this process has loaded ScanCode (for tests and benchmarks that promise it did not)."""
    return "index" in _state


def warm() -> None:
    """Load the license index now (once per process)."""
    _index()


def _index() -> Any:
    with _lock:
        if "index" not in _state:
            _state["index"] = _load()
        return _state["index"]


def _load() -> Any:
    paused = gc.isenabled()
    gc.disable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # typecode's note about the system libmagic
            import scancode_config
            from licensedcode.cache import get_cache

            atexit.register(shutil.rmtree, scancode_config.scancode_temp_dir, True)
            cache = get_cache()
    except Exception as exc:
        raise CheckError(
            f"ScanCode cannot load its license index ({type(exc).__name__}: {exc}): "
            "reinstall it with `pip install 'contribution-gate[scancode]'`"
        ) from exc
    finally:
        if paused:
            gc.enable()
    gc.freeze()
    _state["db"] = cache.db
    return cache.index


def _workdir() -> str:
    if "dir" not in _state:
        _state["dir"] = tempfile.mkdtemp(prefix="contribution-gate-licenses-")
        atexit.register(shutil.rmtree, _state["dir"], True)
    return str(_state["dir"])


def scan_lines(lines: Sequence[tuple[int, str]], name: str, approximate: bool = True) -> list[Found]:
    """ScanCode's detections on these (line number, text) pairs of one file.

    Runs of consecutive line numbers are written together; a blank line separates runs, so text
    from distant hunks is not read as one sentence. Without `approximate` only ScanCode's exact
    matchers run (hash, rule automaton, SPDX ids): a millisecond instead of a few hundred on a
    paragraph of prose, and what headers and notices need (ScanCode has a rule for nearly every
    phrasing); whole license files want the approximate matcher for edited texts.
    """
    if not lines:
        return []
    numbers: list[int] = []
    body: list[str] = []
    previous = None
    for lineno, text in lines:
        if previous is not None and lineno != previous + 1:
            body.append("")
            numbers.append(previous)
        body.append(text)
        numbers.append(lineno)
        previous = lineno
    from . import remembered

    question = remembered.key(numbers, body, approximate)
    answer = remembered.recall(question)
    if answer is not None:
        return answer
    index = _index()
    # a path of its own for each call: ScanCode caches a query's text by its location, so a reused
    # path would give the matched text of an earlier file with the same name
    path = os.path.join(_workdir(), f"{threading.get_ident()}-{next(_serial)}-{os.path.basename(name) or 'file'}")
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
        handle.write("\n".join(body) + "\n")
    try:
        answer = [_found(d, numbers) for d in _detect(index, path, approximate)]
    finally:
        os.unlink(path)
    remembered.remember(question, answer)
    return answer


def _detect(index: Any, path: str, approximate: bool) -> list[Any]:
    from licensedcode.detection import detect_licenses

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(detect_licenses(index=index, location=path, approximate=approximate))
    except Exception as exc:
        raise CheckError(f"ScanCode failed on {os.path.basename(path)}: {type(exc).__name__}: {exc}") from exc


def _kind(match: Any) -> str:
    rule = match.rule
    if match.matcher == "1-spdx-id":
        return SPDX_ID
    for kind, flag in (
        (TEXT, "is_license_text"),
        (NOTICE, "is_license_notice"),
        (TAG, "is_license_tag"),
        (REFERENCE, "is_license_reference"),
        (INTRO, "is_license_intro"),
    ):
        if getattr(rule, flag, False):
            return kind
    return CLUE


def _found(detection: Any, numbers: Sequence[int]) -> Found:
    def true_line(n: int) -> int:
        return numbers[min(max(n, 1), len(numbers)) - 1]

    matches = tuple(
        Match(
            m.rule.license_expression,
            true_line(m.start_line),
            true_line(m.end_line),
            float(m.score()),
            _kind(m),
            m.rule.identifier,
            _first_line(m),
            int(getattr(m.rule, "length", 0) or 0),
        )
        for m in detection.matches
    )
    false_positive = "possible-false-positive" in (detection.detection_log or ())
    keys = tuple(_key_info(k) for k in sorted({k for m in detection.matches for k in m.rule.license_keys()}))
    return Found(detection.license_expression, matches, false_positive, keys)


def _first_line(match: Any) -> str:
    try:
        text = match.matched_text(whole_lines=False, highlight=False)
    except Exception:
        return ""
    return str(text).strip().split("\n", 1)[0].strip()


def _key_info(key: str) -> KeyInfo:
    license_ = _state["db"].get(key)
    if license_ is None:
        return KeyInfo(key, None, None, None)
    return KeyInfo(key, license_.spdx_license_key, license_.category, license_.short_name or license_.name)
