"""Where the default policy data (`config/` in the repository) lives, installed or not, and the
TOML reader every policy file goes through (`tomllib`, or `tomli` on Python 3.10)."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["data_file", "tomllib"]

_PACKAGED = Path(__file__).parent / "config"
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "config"


def data_file(name: str) -> Path:
    """`config/<name>`: inside the wheel it is packaged next to the code; in a checkout, at the top."""
    packaged = _PACKAGED / name
    return packaged if packaged.exists() else _SOURCE_TREE / name
