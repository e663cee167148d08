"""What a check may read beyond the added lines: whole files of the reviewed tree, on demand.

Most checks never need it. The `models` check reads binaries whole and `licenses` new license
files; every check's `options(table, setup)` gets it as `setup.content`. `git.py` implements it with one `git cat-file --batch` process per run,
started on the first request, so a review that reads nothing starts nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1 << 20


class Content(Protocol):
    """Files of the reviewed tree: the index for a staged review, else the head commit."""

    def open(self, blob: str) -> AbstractContextManager[BinaryIO | None]:
        """An object's content by id (a FileChange's `blob`), seekable, or None when missing."""
        ...

    def open_path(self, path: str) -> AbstractContextManager[BinaryIO | None]:
        """A file as the reviewed tree has it (the index, or the head commit), or None."""
        ...

    def list_dir(self, directory: str) -> list[str]:
        """Names of the files directly in `directory` ("" for the top) of the reviewed tree."""
        ...

    def paths(self, keep: Callable[[str], bool]) -> frozenset[str]:
        """The paths of the reviewed tree's files that `keep` accepts (one listing of the tree)."""
        ...

    def lfs_object(self, oid: str) -> Path | None:
        """The local Git LFS object for a pointer's sha256 oid, when this clone has it."""
        ...


def size_of(stream: BinaryIO) -> int:
    """The length of a seekable stream; its position is kept."""
    here = stream.tell()
    end = stream.seek(0, 2)
    stream.seek(here)
    return end


def chunks(stream: BinaryIO, start: int = 0, size: int = CHUNK) -> Iterator[bytes]:
    """The stream from `start` to its end in blocks."""
    stream.seek(start)
    return iter(lambda: stream.read(size), b"")


def sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for block in chunks(stream):
        digest.update(block)
    return digest.hexdigest()
