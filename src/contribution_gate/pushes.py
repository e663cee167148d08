"""Pushes the pre-push hook has passed, so pre-commit's batches of one push are reviewed once.

pre-commit splits a long list of file names over several runs of a hook (about 128 KiB of names
each), and at pre-push each run would review the same pushed commits again: a first push of a
project of a few thousand files would print its report two or three times. A run that passes
records the push (its refs, the gate's version and options: what decides the verdict, since the
policy comes from the pushed head), and a run of the same push within a few minutes finds it. Only
passes are recorded: a failing push is reviewed, and reported, by every run.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

from .diff import decode
from .git import Repository

RECENT = 600.0  # seconds a recorded pass stands for
_FILE = "contribution-gate-passed-pushes"
_KEEP = 64  # entries kept


def key(refs: Sequence[str | None], options: Sequence[str], version: str) -> str:
    return hashlib.sha256("\x00".join([version, *(r or "" for r in refs), *options]).encode()).hexdigest()


def _file(repo: Repository) -> Path:
    common = decode(repo.run("rev-parse", "--git-common-dir")).strip()
    return (repo.root / common / _FILE).resolve()


def passed(repo: Repository, push: str, now: float | None = None) -> bool:
    """Whether a run recorded this push as passed within RECENT seconds."""
    now = time.time() if now is None else now
    try:
        lines = _file(repo).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.partition(" ")[0] == push and _fresh(line, now) for line in lines)


def remember(repo: Repository, push: str, now: float | None = None) -> None:
    """Record a passed push (best effort: a repository that cannot be written to records nothing)."""
    now = time.time() if now is None else now
    path = _file(repo)
    try:
        old = path.read_text(encoding="ascii").splitlines() if path.exists() else []
        kept = [line for line in old if _fresh(line, now)][-_KEEP + 1 :]
        temporary = path.with_name(f"{path.name}.{os.getpid()}")
        temporary.write_text("".join(f"{line}\n" for line in [*kept, f"{push} {now:.3f}"]), encoding="ascii")
        os.replace(temporary, path)
    except (OSError, UnicodeDecodeError):
        pass


def _fresh(line: str, now: float) -> bool:
    """Recorded within RECENT seconds (a second of clock skew between runs allowed: a record
    written as whole seconds, as 0.2.0 did, may lie up to half a second ahead)."""
    try:
        return -1.0 <= now - float(line.partition(" ")[2]) <= RECENT
    except ValueError:
        return False
