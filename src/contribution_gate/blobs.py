"""Whole objects on demand through one `git cat-file --batch` process: what `content.Content` serves
the checks, and what the review reads to judge a file by its content."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import gitcmd
from .diff import decode
from .errors import GitError

if TYPE_CHECKING:
    from .git import Repository

_BLOCK = 1 << 16

SPOOL_IN_MEMORY = 16 << 20  # a blob larger than this is spooled to a temporary file, not held


class _Seekable(io.RawIOBase):
    """A readable stream of a known `size` with its own position `_pos`."""

    size: int
    _pos: int

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos


class Blob(_Seekable):
    """One object's content as `git cat-file --batch` streams it: seekable, filled from the pipe only
    as far as it is read (a safetensors header is read without spooling the tensors), memory flat
    (beyond SPOOL_IN_MEMORY it goes to a temporary file). `release()` finishes with the pipe."""

    def __init__(self, pipe: BinaryIO, size: int, oid: str = "") -> None:
        super().__init__()
        self.size = size
        self.oid = oid
        self._pipe: BinaryIO | None = pipe
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - closed in close()
        self._filled = 0
        self._pos = 0
        self.views = 0  # BlobViews open on it
        self.current = True  # the reader's latest object: its pipe may still hold the rest

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self.size - self._pos)
        if wanted <= 0:
            return 0
        self._fill(self._pos + wanted)
        self._spool.seek(self._pos)
        got: int = self._spool.readinto(memoryview(buffer)[:wanted])  # type: ignore[attr-defined]
        self._pos += got
        return got

    def _fill(self, upto: int) -> None:
        if self._filled >= upto:
            return
        if self._pipe is None:
            raise GitError("a blob was read after git cat-file moved on")
        self._spool.seek(0, 2)
        while self._filled < upto:
            block = self._pipe.read(min(_BLOCK * 16, self.size - self._filled))
            if not block:
                raise GitError("git cat-file ended in the middle of an object")
            self._spool.write(block)
            self._filled += len(block)

    def keep(self) -> None:
        """Spool the rest, so the pipe can serve the next object while this one stays readable."""
        self._fill(self.size)
        self.release()

    def release(self) -> None:
        """Discard what was not read (and the record's newline): the pipe is ready for the next."""
        pipe, self._pipe = self._pipe, None
        if pipe is None:
            return
        left = self.size - self._filled + 1
        while left > 0:
            block = pipe.read(min(left, _BLOCK * 16))
            if not block:
                raise GitError("git cat-file ended in the middle of an object")
            left -= len(block)

    def close(self) -> None:
        if not self.closed:
            self.release()
            self._spool.close()
        super().close()


class BlobView(_Seekable):
    """One reader's own position in a Blob. The review's judge of binaries and then each check
    open the same object in turn; all of them read the one copy git sent (a whole-tree review of
    pip asked for each of its archives two or three times)."""

    def __init__(self, blob: Blob) -> None:
        super().__init__()
        self._blob = blob
        self._pos = 0
        self.size = blob.size
        self.oid = blob.oid
        blob.views += 1

    def readinto(self, buffer: Any) -> int:
        self._blob.seek(self._pos)
        got = self._blob.readinto(buffer)
        self._pos += got
        return got

    def close(self) -> None:
        if not self.closed:
            blob = self._blob
            blob.views -= 1
            if blob.views == 0 and not blob.current:
                blob.close()
        super().close()


class BlobReader:
    """`git cat-file --batch`: one process for a whole run, started on the first request."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid = 0  # the process that started `_proc`
        self._current: Blob | None = None
        self._current_spec = ""

    def open(self, spec: str) -> BlobView | None:
        """An object (`<sha>`, `<commit>:<path>`, `:0:<path>`) as a BlobView, or None when it is
        missing or not a blob. The latest object is served again without asking git (by the same
        spec or its id); opening another keeps the previous one readable (spooled whole) while a
        view of it is open."""
        if "\n" in spec:
            return None
        current = self._current
        if current is not None and self._pid == os.getpid() and not current.closed:
            if spec in (self._current_spec, current.oid):
                return BlobView(current)
            self._let_go(current)
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline()
        fields = header.split()
        if len(fields) != 3 or not fields[2].isdigit():
            if not header.endswith((b" missing\n", b" ambiguous\n")):
                raise GitError(f"git cat-file answered {decode(header).strip()!r} for {spec!r}")
            return None
        blob = Blob(proc.stdout, int(fields[2]), decode(fields[0]))  # type: ignore[arg-type]
        if fields[1] != b"blob":
            blob.close()
            return None
        self._current, self._current_spec = blob, spec
        return BlobView(blob)

    def _let_go(self, blob: Blob) -> None:
        """Move on from `blob`: spooled whole while a view still reads it, else its rest discarded."""
        blob.current = False
        self._current = None
        if blob.views:
            blob.keep()
        else:
            blob.close()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._pid != os.getpid():
            self._forget()  # a forked worker (`parallel.py`): the pipes are its parent's, never shared
        if self._proc is None:
            self._pid = os.getpid()
            try:
                self._proc = subprocess.Popen(
                    gitcmd.argv(["cat-file", "--batch"]),
                    cwd=self._root,
                    env=gitcmd.environment(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except FileNotFoundError:
                raise gitcmd.not_installed() from None
        return self._proc

    def _forget(self) -> None:
        self._proc, self._current = None, None

    def close(self) -> None:
        if self._proc is not None and self._pid != os.getpid():
            self._forget()
        proc, self._proc = self._proc, None
        if self._current is not None:
            self._current.current = False
            self._current.close()
            self._current = None
        if proc is not None:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.close()
            proc.stdout.close()
            proc.wait()


class TreeContent:
    """`content.Content` for a review: objects by id, and paths of the reviewed tree (the index for
    a staged review, else `head`)."""

    def __init__(self, repo: Repository, head: str | None, reader: BlobReader | None = None) -> None:
        """`reader`: the one the review judges binaries with, so a check reading the same object
        next gets the copy git already sent."""
        self._repo = repo
        self._head = head
        self._reader = reader or BlobReader(repo.root)

    @contextmanager
    def open(self, blob: str) -> Iterator[BinaryIO | None]:
        with self._opened(blob) as found:
            yield found

    @contextmanager
    def open_path(self, path: str) -> Iterator[BinaryIO | None]:
        with self._opened(f"{self._head}:{path}" if self._head else f":0:{path}") as found:
            yield found

    @contextmanager
    def _opened(self, spec: str) -> Iterator[BinaryIO | None]:
        blob = self._reader.open(spec)
        if blob is None:
            yield None
            return
        buffered = io.BufferedReader(blob, _BLOCK)
        try:
            yield buffered
        finally:
            buffered.close()

    def list_dir(self, directory: str) -> list[str]:
        prefix = f"{directory.rstrip('/')}/" if directory else ""
        if self._head:
            out = self._repo.run(
                "ls-tree", "-z", "--name-only", "--full-tree", self._head, "--", *([prefix] if prefix else [])
            )
        else:
            out = self._repo.run("ls-files", "-z", "--cached", "--full-name", "--", f":(top){prefix}")
        names = (decode(p) for p in out.split(b"\x00") if p)
        return sorted({n[len(prefix) :] for n in names if n.startswith(prefix) and "/" not in n[len(prefix) :]})

    def paths(self, keep: Callable[[str], bool]) -> frozenset[str]:
        if self._head:
            out = self._repo.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", self._head)
        else:
            out = self._repo.run("ls-files", "-z", "--cached", "--full-name", "--", ":(top)")
        return frozenset(path for path in map(decode, out.split(b"\x00")) if path and keep(path))

    def lfs_object(self, oid: str) -> Path | None:
        return self._repo.lfs_object(oid)

    def close(self) -> None:
        self._reader.close()
