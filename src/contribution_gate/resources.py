"""Where the default policy data (`config/` in the repository) lives, installed or not."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "config"
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "config"


def data_file(name: str) -> Path:
    """`config/<name>`: inside the wheel it is packaged next to the code; in a checkout, at the top."""
    packaged = _PACKAGED / name
    return packaged if packaged.exists() else _SOURCE_TREE / name
