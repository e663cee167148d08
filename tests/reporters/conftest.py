"""Golden files for the reporters: `UPDATE_GOLDEN=1 pytest tests/reporters` rewrites them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import contribution_gate

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(autouse=True)
def fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports name the tool's version; golden files must not change with each release."""
    monkeypatch.setattr(contribution_gate, "__version__", "0.0.0+golden")


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
        assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_bytes().decode("utf-8"), f"{name} differs: UPDATE_GOLDEN=1 rewrites it"

    return check
