"""The default policy data: parsed TOML kept in the user's cache, keyed by the file's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from contribution_gate.resources import data_file, data_toml, tomllib


def test_parsed_data_is_kept_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = tomllib.loads(data_file("internal_urls.toml").read_text(encoding="utf-8"))
    assert data_toml("internal_urls.toml") == expected
    (kept,) = (tmp_path / "contribution-gate" / "data").glob("internal_urls.toml.*.marshal")
    assert data_toml("internal_urls.toml") == expected  # from the kept copy
    kept.write_bytes(b"\x00not marshal")  # a damaged copy is parsed again, never trusted
    assert data_toml("internal_urls.toml") == expected


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert data_toml("markers.toml") == tomllib.loads(data_file("markers.toml").read_text(encoding="utf-8"))
