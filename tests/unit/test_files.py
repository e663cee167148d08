"""Atomic replacement and the read-modify-write lock of `files.py`, on both lock kinds."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from contribution_gate.errors import GateError
from contribution_gate.files import locked, write_atomically


def test_write_atomically_replaces_whole_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "cla.json"
    write_atomically(target, "first\n")
    assert target.read_text() == "first\n"
    os.chmod(target, 0o640)
    write_atomically(target, "second\n")
    assert target.read_text() == "second\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["cla.json"]


def test_write_atomically_into_a_missing_directory_is_a_gate_error(tmp_path: Path) -> None:
    with pytest.raises(GateError, match="cannot write"):
        write_atomically(tmp_path / "missing" / "cla.json", "x")


@pytest.mark.parametrize("use_flock", [True, False])
def test_the_lock_serialises_read_modify_write(tmp_path: Path, use_flock: bool) -> None:
    """Without the lock, threads that read, pause and write lose each other's updates."""
    counter = tmp_path / "counter"
    counter.write_text("0")

    def bump() -> None:
        with locked(counter, use_flock=use_flock):
            value = int(counter.read_text())
            time.sleep(0.002)
            write_atomically(counter, str(value + 1))

    threads = [threading.Thread(target=bump) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.read_text() == "20"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter"]


def test_a_lock_file_left_by_a_killed_process_is_an_error_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "cla.json"
    (tmp_path / "cla.json.lock").touch()
    with (
        pytest.raises(GateError, match=r"cla\.json\.lock has existed .* delete the lock file"),
        locked(target, timeout=0.1, use_flock=False),
    ):
        pass
