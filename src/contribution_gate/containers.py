"""The one reader of archives and compressed files, for every check that looks inside them.

zip (and what is a zip: jar, whl, npz, PyTorch's `.pt`, `.keras`), tar, gzip, bzip2 and xz, nested,
read from a seekable stream and never extracted to disk by name. The models check routes each member
by its content; the secrets check reads text members the same way. One `Budget` per committed file
bounds the whole walk, at every depth:

- depth: archives nested more than `max_depth` deep are not opened;
- members: at most `max_members` entries over all archives of the walk;
- bytes: decompressed bytes count against `max_bytes`, and against `max_ratio` times the committed
  file's size (with a floor of `ratio_floor`), so a decompression bomb stops after a few MiB
  instead of filling the disk;
- what cannot be read (corrupt, encrypted, an unsupported method, duplicate names that loaders
  disagree on) is an `Issue`, never a silent skip.

A member is copied into a spooled temporary file only when the caller's `select` wants it after
seeing its first bytes; raw tensor data and other uninteresting members are never copied.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

HEAD = 4096
SPOOL = 16 << 20
KINDS = frozenset(("zip", "tar", "gzip", "bzip2", "xz"))
_READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)


def kind_of(head: bytes) -> str | None:
    """The container format a stream's first bytes announce (at least 262 bytes for tar), or None."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head[257:262] == b"ustar":
        return "tar"
    return None


@dataclass(frozen=True)
class Bounds:
    max_depth: int = 6
    max_members: int = 100_000
    max_bytes: int = 4 << 30
    max_ratio: int = 200
    ratio_floor: int = 256 << 20


@dataclass
class Budget:
    """What one walk (one committed file, all nesting levels) has used so far."""

    bounds: Bounds
    size: int  # the committed file's size, for the compression ratio
    used: int = 0  # decompressed bytes
    members: int = 0

    @property
    def limit(self) -> int:
        by_ratio = max(self.bounds.max_ratio * self.size, self.bounds.ratio_floor)
        return min(self.bounds.max_bytes, by_ratio)

    def over_bytes(self) -> Issue:
        if self.limit < self.bounds.max_bytes:
            return Issue(
                "archive-bomb",
                f"expands to more than {self.limit} bytes, over {self.bounds.max_ratio} times its own "
                f"{self.size} bytes: a decompression bomb",
                detail="ratio",
            )
        return Issue(
            "over-budget", f"more than {self.limit} bytes once decompressed: over the size budget", detail="size"
        )


@dataclass(frozen=True)
class Issue:
    """Something inside a container that could not be read, and why. `where` is the member path."""

    rule: str
    message: str
    where: str = ""
    detail: str = ""

    def inside(self, member: str) -> Issue:
        where = f"{member} > {self.where}" if self.where else member
        return Issue(self.rule, self.message, where, self.detail)


@dataclass(frozen=True)
class Member:
    """One member the caller selected, copied into `stream` (valid until the iteration moves on)."""

    name: str
    size: int
    stream: BinaryIO


Select = Callable[[str, bytes, int], bool]  # (member name, first bytes, declared size) -> read it?


def members(stream: BinaryIO, kind: str, budget: Budget, depth: int, select: Select) -> Iterator[Member | Issue]:
    """The selected members of one container (`kind` from `kind_of`), and the issues met on the way.

    `depth` is how deep this container sits (0: the committed file itself). Stops at the first
    exhausted budget, after yielding the issue that says so."""
    if depth >= budget.bounds.max_depth:
        yield Issue("archive-too-deep", f"archives nested more than {budget.bounds.max_depth} deep", detail="depth")
        return
    stream.seek(0)
    if kind == "zip":
        yield from _zip(stream, budget, select)
    elif kind == "tar":
        yield from _tar(stream, budget, select)
    elif kind in ("gzip", "bzip2", "xz"):
        yield from _compressed(stream, kind, budget, select)
    else:
        raise ValueError(f"not a container kind: {kind}")


def walk(stream: BinaryIO, budget: Budget, select: Select, depth: int = 0, path: str = "") -> Iterator[Member | Issue]:
    """Every selected leaf member of a container, recursing into nested containers. A member's
    name is its path through the containers, joined by `!` (`bundle.zip!conf/.env`)."""
    stream.seek(0)
    kind = kind_of(stream.read(HEAD))
    if kind is None:
        return

    def wanted(name: str, head: bytes, size: int) -> bool:
        return kind_of(head) is not None or select(name, head, size)

    for item in members(stream, kind, budget, depth, wanted):
        if isinstance(item, Issue):
            yield item.inside(path) if path else item
            continue
        name = f"{path}!{item.name}" if path else item.name
        item.stream.seek(0)
        if kind_of(item.stream.read(HEAD)) is not None:
            yield from walk(item.stream, budget, select, depth + 1, name)
        else:
            item.stream.seek(0)
            yield Member(name, item.size, item.stream)


def _counted(budget: Budget, count: int = 1) -> Issue | None:
    budget.members += count
    if budget.members > budget.bounds.max_members:
        return Issue(
            "archive-too-many-members",
            f"more than {budget.bounds.max_members} archive members: the rest is not read",
            detail="members",
        )
    return None


def _spool(source: BinaryIO, budget: Budget) -> BinaryIO | None:
    """A seekable copy of `source`, or None when the copy would exceed the byte budget."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - the caller closes it
    while block := source.read(1 << 20):
        budget.used += len(block)
        if budget.used > budget.limit:
            out.close()
            return None
        out.write(block)
    out.seek(0)
    return cast(BinaryIO, out)


def _zip(stream: BinaryIO, budget: Budget, select: Select) -> Iterator[Member | Issue]:
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
    except _READ_ERRORS as exc:
        yield Issue("archive-corrupt", f"the zip archive cannot be read ({exc})", detail="zip")
        return
    counts = Counter(entry.filename for entry in entries)
    for duplicate in sorted(name for name, count in counts.items() if count > 1):
        yield Issue(
            "archive-duplicate-member",
            f"the zip holds {duplicate!r} more than once: loaders disagree on which is read",
            duplicate,
            duplicate,
        )
    for entry in entries:
        if entry.is_dir():
            continue
        if (issue := _counted(budget)) is not None:
            yield issue
            return
        name = entry.filename
        if entry.flag_bits & 0x1:
            yield Issue("archive-encrypted", "an encrypted zip member cannot be scanned", name, name)
            continue
        try:
            with archive.open(entry) as opened:
                if not select(name, opened.read(HEAD), entry.file_size):
                    continue
            with archive.open(entry) as opened:
                copy = _spool(cast(BinaryIO, opened), budget)
        except NotImplementedError as exc:
            yield Issue("archive-unreadable", f"a zip member cannot be read ({exc})", name, name)
            continue
        except _READ_ERRORS as exc:
            yield Issue("archive-corrupt", f"a zip member is corrupt ({exc})", name, name)
            continue
        if copy is None:
            yield budget.over_bytes().inside(name)
            return
        with copy:
            yield Member(name, entry.file_size, copy)


def _tar(stream: BinaryIO, budget: Budget, select: Select) -> Iterator[Member | Issue]:
    try:
        with tarfile.open(fileobj=stream, mode="r:") as archive:
            for entry in archive:
                if (issue := _counted(budget)) is not None:
                    yield issue
                    return
                extracted = archive.extractfile(entry) if entry.isfile() else None
                if extracted is None:
                    continue
                if not select(entry.name, extracted.read(HEAD), entry.size):
                    continue
                extracted.seek(0)
                copy = _spool(cast(BinaryIO, extracted), budget)
                if copy is None:
                    yield budget.over_bytes().inside(entry.name)
                    return
                with copy:
                    yield Member(entry.name, entry.size, copy)
    except _READ_ERRORS as exc:
        yield Issue("archive-corrupt", f"the tar archive cannot be read ({exc})", detail="tar")


def _decompressor(kind: str, stream: BinaryIO) -> BinaryIO:
    if kind == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=stream, mode="rb"))
    if kind == "bzip2":
        return cast(BinaryIO, bz2.BZ2File(stream))
    return cast(BinaryIO, lzma.LZMAFile(stream))


def _compressed(stream: BinaryIO, kind: str, budget: Budget, select: Select) -> Iterator[Member | Issue]:
    """A gzip, bzip2 or xz stream: one member, named after the format."""
    if (issue := _counted(budget)) is not None:
        yield issue
        return
    try:
        # mode "rb" for gzip: it would otherwise copy the mode of a spooled "w+b" file and refuse to read
        with _decompressor(kind, stream) as opened:
            if not select(kind, opened.read(HEAD), -1):
                return
            opened.seek(0)
            copy = _spool(opened, budget)
    except _READ_ERRORS as exc:
        yield Issue("archive-corrupt", f"the {kind} stream cannot be decompressed ({exc})", detail=kind)
        return
    if copy is None:
        yield budget.over_bytes().inside(kind)
        return
    with copy:
        size = copy.seek(0, 2)
        copy.seek(0)
        yield Member(kind, size, copy)
