"""Writing the files the gate keeps (CLA signatures, baselines) without losing data.

A file is replaced atomically (a temporary file in the same directory, flushed, then renamed over
it), so a reader sees the old or the new file, never half of one. A read-modify-write (`cla sign`
appending a signer) runs under an exclusive lock: `flock` on the file's directory on POSIX (the
file itself is replaced by the rename, so it cannot carry the lock), else a lock file created
exclusively next to it. A lock that cannot be had in `LOCK_TIMEOUT` seconds is an error, never a
silent write.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import GateError

LOCK_TIMEOUT = 60.0
_POLL = 0.02


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one rename; the file keeps its permissions."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            if mode is not None:
                os.chmod(temp, mode)
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
    except OSError as exc:
        raise GateError(f"cannot write {path}: {exc.strerror or exc}: choose a writable path") from None


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT, use_flock: bool | None = None) -> Iterator[None]:
    """Hold an exclusive lock for a read-modify-write of `path` (its directory must exist)."""
    if use_flock is None:
        use_flock = sys.platform != "win32"
    with _flocked(path.parent, timeout) if use_flock else _lock_file(path, timeout):
        yield


@contextlib.contextmanager
def _flocked(directory: Path, timeout: float) -> Iterator[None]:
    import fcntl

    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise GateError(f"cannot lock {directory}: {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise GateError(
                        f"{directory} stayed locked by another process for {timeout:.0f} s: try again"
                    ) from None
                time.sleep(_POLL)
            except OSError as exc:
                raise GateError(f"cannot lock {directory}: {exc.strerror or exc}: no file locking here") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


@contextlib.contextmanager
def _lock_file(path: Path, timeout: float) -> Iterator[None]:
    """Where there is no flock: `<name>.lock` created exclusively, removed afterwards. A process
    killed while holding it leaves it behind, so waiting ends in an error naming it."""
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise GateError(
                    f"{lock} has existed for {timeout:.0f} s: another process is writing {path.name}, "
                    "or one was killed: delete the lock file if none runs"
                ) from None
            time.sleep(_POLL)
        except OSError as exc:
            raise GateError(f"cannot create the lock file {lock}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)
