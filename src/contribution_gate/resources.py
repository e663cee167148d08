"""Where the default policy data (`config/` in the repository) lives, installed or not, and the
TOML reader every policy file goes through (`tomllib`, or `tomli` on Python 3.10)."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["data_file", "data_toml", "derived", "tomllib"]

_PACKAGED = Path(__file__).parent / "config"
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "config"


def data_file(name: str) -> Path:
    """`config/<name>`: inside the wheel it is packaged next to the code; in a checkout, at the top."""
    packaged = _PACKAGED / name
    return packaged if packaged.exists() else _SOURCE_TREE / name


def data_toml(name: str) -> dict[str, Any]:
    """`config/<name>` parsed. The rules file is 130 KB of TOML, which takes tomllib 10-25 ms at
    every start (a hook pays it on every commit); so the parsed data is kept (see `derived`)."""
    parsed: dict[str, Any] = derived(name, "toml", lambda raw: tomllib.loads(raw.decode("utf-8")), dict)
    return parsed


def derived(name: str, kind: str, build: Callable[[bytes], Any], shape: type) -> Any:
    """`build(bytes of config/<name>)`, kept like bytecode in the user's cache
    (`$XDG_CACHE_HOME/contribution-gate/`), keyed by `kind`, a digest of the file's bytes and
    Python's version and hash width, and read back with `marshal` in a millisecond or two; so data
    Python takes tens of milliseconds to parse or index is paid for once, not at every start. A
    cache that cannot be read or written, or holds no `shape`, is skipped. `build` returns only
    what marshal keeps."""
    raw = data_file(name).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:24]
    version = f"py{sys.version_info[0]}{sys.version_info[1]}w{sys.hash_info.width}"
    label = "" if kind == "toml" else f".{kind}"  # the parsed TOML keeps the name it always had
    kept = cache_dir() / f"{name}{label}.{digest}.{version}.marshal"
    try:
        value = marshal.loads(kept.read_bytes())
        if isinstance(value, shape):
            return value
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build(raw)
    keep(kept, value)
    return value


def keep(path: Path, value: Any) -> None:
    """`value` written to `path` with `marshal`, atomically (runs side by side never see half a
    file); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_bytes(marshal.dumps(value))
        os.replace(partial, path)
    except (OSError, ValueError):
        pass


def cache_dir() -> Path:
    """Where parsed data and compiled patterns are kept between runs (the user's cache)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "contribution-gate" / "data"
