"""The one reader of archives and compressed files, for every check that looks inside them.

zip (and what is a zip: jar, whl, npz, PyTorch's `.pt`, `.keras`; also after a prefix, as zipfile reads it), tar,
gzip, bzip2, xz, and joblib's zlib and lzma streams, nested, read from a seekable stream and never extracted to disk
by name. The models check routes each member by its content; the secrets check reads text members. One `Budget` per
committed file bounds the whole walk:

- depth: archives nested more than `max_depth` deep are not opened;
- members: at most `max_members` entries over all archives of the walk; a zip's central directory is measured from
  its end record and counted record by record before `zipfile` parses it (a directory over `max_directory` bytes or
  `max_members` entries is not parsed at all);
- bytes: decompressed bytes (the first bytes of each member looked at included) count against `max_bytes`, and
  against `max_ratio` times the committed file's size (with a floor of `ratio_floor`), so a decompression bomb stops
  after a few MiB instead of filling the disk;
- time: past the caller's `deadline` the walk stops;
- sizes: a stored zip member or a tar member claiming more bytes than the archive holds, or a tar header (PAX, GNU
  long name) claiming more than `max_header` bytes, is an issue, never a read;
- what cannot be read (corrupt, encrypted, an unsupported method, duplicate or empty names, a chain of tar headers
  too deep) is an `Issue`, never a silent skip or a crash.

Stored zip members and tar members are read in place, through a window on the archive; a compressed member is copied
into a spooled temporary file, and only when the caller's `select` wants it after seeing its first bytes. Sparse tar
members count their expanded size; links are left to their targets, which are read under their own names. A walk's
`Budget.look` sees every member's first bytes, for a survey of the walk (`surveys`).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

HEAD = 4096
SPOOL = 16 << 20
BLOCK = 1 << 20
KINDS = frozenset(("zip", "tar", "gzip", "bzip2", "xz", "zlib", "lzma"))
_STREAMS = ("gzip", "bzip2", "xz", "zlib", "lzma")
# RecursionError: tarfile reads a chain of extended headers by recursion (commons-compress' `paxHeaders.bin`)
_DECODE_ERRORS = (zlib.error, lzma.LZMAError, ValueError, RecursionError)
_READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, *_DECODE_ERRORS)
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # one central directory record, before its name
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # a local file header, before its name


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
    if head.startswith(b"\x5d\x00\x00") and _inflates(lzma.LZMADecompressor(format=lzma.FORMAT_ALONE), head):
        return "lzma"  # the "alone" format (joblib's .lzma)
    if (
        len(head) >= 2
        and head[0] == 0x78
        and not (head[0] << 8 | head[1]) % 31
        and _inflates(zlib.decompressobj(), head)
    ):
        return "zlib"  # joblib's default compression (text can start like it: `x^2`, hence the trial)
    return None


def _inflates(decompressor: zlib._Decompress | lzma.LZMADecompressor, head: bytes) -> bool:
    """Whether the first bytes decompress: without an error, and either to the stream's end or over
    at least 64 bytes of input (a short text can be a valid start by chance; a longer one is not)."""
    try:
        decompressor.decompress(head, 1 << 16)
    except (zlib.error, lzma.LZMAError, EOFError):
        return False
    return decompressor.eof or len(head) >= 64


def container_kind(stream: BinaryIO) -> str | None:
    """`kind_of` a stream's first bytes."""
    stream.seek(0)
    kind = kind_of(stream.read(HEAD))
    stream.seek(0)
    return kind


def zip_at_end(stream: BinaryIO) -> bool:
    """Whether a stream that does not start like a zip ends like one: zipfile (and Keras, which
    loads with it) reads a zip after any prefix, so a prefix must not hide one."""
    size = stream.seek(0, io.SEEK_END)
    start = max(0, size - (_EOCD.size + 0xFFFF))
    stream.seek(start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return False
    cd_size = _EOCD.unpack_from(tail, at)[5]
    first = start + at - cd_size
    if cd_size < _CENTRAL.size or first < 0:
        return False
    stream.seek(first)
    return stream.read(4) == b"PK\x01\x02"


@dataclass(frozen=True)
class Bounds:
    max_depth: int = 6
    max_members: int = 100_000
    max_bytes: int = 4 << 30
    max_ratio: int = 200
    ratio_floor: int = 256 << 20
    max_directory: int = 64 << 20  # a zip's central directory
    max_header: int = 16 << 20  # one tar header's extended data (PAX records, a GNU long name)


@dataclass
class Budget:
    """What one walk (one committed file, all nesting levels) has used so far."""

    bounds: Bounds
    size: int  # the committed file's size, for the compression ratio
    used: int = 0  # decompressed bytes
    members: int = 0
    deadline: float | None = None  # time.monotonic() past which the walk stops
    look: Callable[[bytes, int], None] | None = None  # shown every member's (first bytes, declared size) by `walk`

    @property
    def limit(self) -> int:
        by_ratio = max(self.bounds.max_ratio * self.size, self.bounds.ratio_floor)
        return min(self.bounds.max_bytes, by_ratio)

    def spend(self, count: int) -> bool:
        """Count decompressed bytes; False once over the limit."""
        self.used += count
        return self.used <= self.limit

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

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

    def over_time(self) -> Issue:
        return Issue("over-budget", "reading the archive ran out of time: the rest is not read", detail="time")


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
    """One member the caller selected, readable in `stream` (valid until the iteration moves on)."""

    name: str
    size: int
    stream: BinaryIO


Select = Callable[[str, bytes, int], bool]  # (member name, first bytes, declared size) -> read it?


class _Window(io.RawIOBase):
    """`size` bytes of `source` from `start`, read in place: a member that needs no decompression."""

    def __init__(self, source: BinaryIO, start: int, size: int) -> None:
        super().__init__()
        self._source, self._start, self._size, self._pos = source, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self._size - self._pos)
        if count <= 0:
            return 0
        self._source.seek(self._start + self._pos)
        data = self._source.read(count)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


def window(source: BinaryIO, start: int, size: int) -> BinaryIO:
    """A buffered, seekable view of part of `source` (closing it leaves `source` open)."""
    return cast(BinaryIO, io.BufferedReader(_Window(source, start, size), buffer_size=1 << 16))


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
    elif kind in _STREAMS:
        yield from _compressed(stream, kind, budget, select)
    else:
        raise ValueError(f"not a container kind: {kind}")


def walk(stream: BinaryIO, budget: Budget, select: Select, depth: int = 0, path: str = "") -> Iterator[Member | Issue]:
    """Every selected leaf member of a container and of those nested in it, named by its path (`b.zip!conf/.env`)."""
    kind = container_kind(stream)
    if kind is None:
        return

    def wanted(name: str, head: bytes, size: int) -> bool:
        if budget.look is not None:
            budget.look(head, size)
        return kind_of(head) is not None or select(name, head, size)

    for item in members(stream, kind, budget, depth, wanted):
        if isinstance(item, Issue):
            yield item.inside(path) if path else item
            continue
        name = f"{path}!{item.name}" if path else item.name
        if container_kind(item.stream) is not None:
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
    if budget.expired():
        return budget.over_time()
    return None


def _spool(source: BinaryIO, budget: Budget, head: bytes = b"") -> BinaryIO | Issue:
    """A seekable copy of `head` (read and counted already) and the rest of `source`, or what stopped it."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - the caller closes it
    out.write(head)
    while block := source.read(BLOCK):
        if not budget.spend(len(block)) or budget.expired():
            out.close()
            return budget.over_time() if budget.used <= budget.limit else budget.over_bytes()
        out.write(block)
    out.seek(0)
    return cast(BinaryIO, out)


# -- zip ----------------------------------------------------------------------------------------------
def _directory(stream: BinaryIO, budget: Budget) -> Issue | None:
    """Measure and count a zip's central directory before `zipfile` makes an object of every record."""
    size = stream.seek(0, io.SEEK_END)
    tail_start = max(0, size - (_EOCD.size + 0xFFFF))
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None  # zipfile says what is wrong
    _sig, _d, _dcd, _here, _total, cd_size, _cd_offset, _c = _EOCD.unpack_from(tail, at)
    end = tail_start + at
    locator = end - _EOCD64_LOCATOR.size
    if locator >= 0:
        stream.seek(locator)
        raw = stream.read(_EOCD64_LOCATOR.size)
        if raw[:4] == b"PK\x06\x07":
            stream.seek(locator - _EOCD64.size)  # where zipfile looks for it
            record = stream.read(_EOCD64.size)
            if record[:4] == b"PK\x06\x06" and len(record) == _EOCD64.size:
                cd_size = _EOCD64.unpack(record)[8]
                end = locator - _EOCD64.size
    if cd_size > end:
        return None  # zipfile says what is wrong
    if cd_size > budget.bounds.max_directory:
        return Issue(
            "archive-too-many-members",
            f"the zip's central directory claims {cd_size} bytes: over the {budget.bounds.max_directory}-byte "
            "bound, not read",
            detail="members",
        )
    stream.seek(end - cd_size)
    directory = stream.read(cd_size)
    offset = count = 0
    room = budget.bounds.max_members - budget.members
    while offset + _CENTRAL.size <= len(directory) and directory[offset : offset + 4] == b"PK\x01\x02":
        fields = _CENTRAL.unpack_from(directory, offset)
        offset += _CENTRAL.size + fields[12] + fields[13] + fields[14]
        count += 1
        if count > room:
            return Issue(
                "archive-too-many-members",
                f"more than {budget.bounds.max_members} archive members: the zip is not read",
                detail="members",
            )
    return None


def _data_start(stream: BinaryIO, entry: zipfile.ZipInfo) -> int | None:
    """Where a member's data begins: after its local header, which must name it as the directory
    does (zipfile refuses a mismatch; a reader of local headers would see another file)."""
    stream.seek(entry.header_offset)
    raw = stream.read(_LOCAL.size)
    if len(raw) != _LOCAL.size or raw[:4] != b"PK\x03\x04":
        return None
    fields = _LOCAL.unpack(raw)
    name = stream.read(fields[10])
    encoding = "utf-8" if fields[2] & 0x800 else "cp437"
    if name.decode(encoding, "replace") != entry.orig_filename:
        return None
    return int(entry.header_offset + _LOCAL.size + fields[10] + fields[11])


def _zip(stream: BinaryIO, budget: Budget, select: Select) -> Iterator[Member | Issue]:
    issue = _directory(stream, budget)
    if issue is not None:
        yield issue
        return
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
    except _READ_ERRORS as exc:
        yield Issue("archive-corrupt", f"the zip archive cannot be read ({exc})", detail="zip")
        return
    total = stream.seek(0, io.SEEK_END)
    counts = Counter(entry.filename for entry in entries)
    for duplicate in sorted(name for name, count in counts.items() if count > 1):
        yield Issue(
            "archive-duplicate-member",
            f"the zip holds {duplicate!r} more than once: loaders disagree on which is read",
            duplicate,
            duplicate,
        )
    for entry in entries:
        if not entry.filename:  # `ZipInfo.is_dir` fails on it (.NET's `badzipfiles/nameEmpty.zip`)
            yield Issue("archive-corrupt", "a zip member has an empty name: loaders disagree on it", detail="zip")
        if not entry.filename or entry.is_dir():
            continue
        if (issue := _counted(budget)) is not None:
            yield issue
            return
        name = entry.filename
        if entry.flag_bits & 0x1:
            yield Issue("archive-encrypted", "an encrypted zip member cannot be scanned", name, name)
            continue
        if entry.compress_type == zipfile.ZIP_STORED:
            start = _data_start(stream, entry)
            if start is None or start + entry.compress_size > total or entry.file_size != entry.compress_size:
                yield Issue(
                    "archive-corrupt",
                    f"a stored zip member's local header does not match the directory, or claims {entry.file_size} "
                    "bytes, more than the archive holds",
                    name,
                    name,
                )
                continue
            member = window(stream, start, entry.file_size)
            with member:
                if select(name, member.read(HEAD), entry.file_size):
                    member.seek(0)
                    yield Member(name, entry.file_size, member)
            continue
        try:
            with archive.open(entry) as opened:
                head = opened.read(HEAD)
                if not budget.spend(len(head)):
                    yield budget.over_bytes().inside(name)
                    return
                if not select(name, head, entry.file_size):
                    continue
                copy = _spool(cast(BinaryIO, opened), budget, head)  # read on, not decompressed twice
        except NotImplementedError as exc:
            yield Issue("archive-unreadable", f"a zip member cannot be read ({exc})", name, name)
            continue
        except _READ_ERRORS as exc:
            yield Issue("archive-corrupt", f"a zip member is corrupt ({exc})", name, name)
            continue
        if isinstance(copy, Issue):
            yield copy.inside(name)
            return
        with copy:
            yield Member(name, _length(copy), copy)


def _length(stream: BinaryIO) -> int:
    end = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return end


# -- tar ----------------------------------------------------------------------------------------------
class _Headers(io.RawIOBase):
    """The archive as tarfile reads it, refusing any single read larger than a header may be: a PAX
    record or GNU long name claiming gigabytes is an error, not an allocation."""

    def __init__(self, source: BinaryIO, limit: int) -> None:
        super().__init__()
        self._source, self._limit = source, limit

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > self._limit:
            raise tarfile.ReadError(f"a tar header claims {size} bytes, more than {self._limit}")
        return self._source.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._source.seek(offset, whence)

    def tell(self) -> int:
        return self._source.tell()


def _tar(stream: BinaryIO, budget: Budget, select: Select) -> Iterator[Member | Issue]:
    total = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    headers = cast(BinaryIO, _Headers(stream, budget.bounds.max_header))
    try:
        with tarfile.open(fileobj=headers, mode="r:") as archive:
            for entry in archive:
                if (issue := _counted(budget)) is not None:
                    yield issue
                    return
                if not entry.isfile():
                    continue  # directories, devices, and links (their targets are read by name)
                if entry.issparse():  # holes expand: read as tarfile expands it, counted like decompression
                    yield from _sparse(archive, entry, budget, select)
                    if budget.used > budget.limit:
                        return
                    continue
                if entry.offset_data + entry.size > total:
                    yield Issue(
                        "archive-corrupt",
                        f"a tar member claims {entry.size} bytes, more than the archive holds",
                        entry.name,
                        entry.name,
                    )
                    return
                member = window(stream, entry.offset_data, entry.size)
                with member:
                    if select(entry.name, member.read(HEAD), entry.size):
                        member.seek(0)
                        yield Member(entry.name, entry.size, member)
    except _READ_ERRORS as exc:
        yield Issue("archive-corrupt", f"the tar archive cannot be read ({exc})", detail="tar")


def _sparse(
    archive: tarfile.TarFile, entry: tarfile.TarInfo, budget: Budget, select: Select
) -> Iterator[Member | Issue]:
    extracted = archive.extractfile(entry)
    if extracted is None:
        return
    with extracted:
        head = extracted.read(HEAD)
    if not budget.spend(len(head)):
        yield budget.over_bytes().inside(entry.name)
        return
    if not select(entry.name, head, entry.size):
        return
    budget.used -= len(head)
    again = archive.extractfile(entry)  # a fresh reader: tarfile's sparse reader cannot seek back
    if again is None:
        return
    with again:
        copy = _spool(cast(BinaryIO, again), budget)
    if isinstance(copy, Issue):
        yield copy.inside(entry.name)
        return
    with copy:
        yield Member(entry.name, _length(copy), copy)


# -- gzip, bzip2, xz ----------------------------------------------------------------------------------
class _Inflate(io.RawIOBase):
    """A zlib stream decompressed as it is read (zlib has no file reader of its own)."""

    def __init__(self, source: BinaryIO) -> None:
        super().__init__()
        self._source = source
        self._inflater = zlib.decompressobj()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._inflater.eof:
            block = self._source.read(1 << 16)
            if not block:
                raise EOFError("the zlib stream ends early")
            self._pending = self._inflater.decompress(block, len(buffer))
            while not self._pending and self._inflater.unconsumed_tail and not self._inflater.eof:
                self._pending = self._inflater.decompress(self._inflater.unconsumed_tail, len(buffer))
        if not self._pending and self._inflater.unconsumed_tail:
            self._pending = self._inflater.decompress(self._inflater.unconsumed_tail, len(buffer))
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def _decompressor(kind: str, stream: BinaryIO) -> BinaryIO:
    stream.seek(0)
    if kind == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=stream, mode="rb"))
    if kind == "bzip2":
        return cast(BinaryIO, bz2.BZ2File(stream))
    if kind == "zlib":
        return cast(BinaryIO, io.BufferedReader(_Inflate(stream)))
    return cast(BinaryIO, lzma.LZMAFile(stream, format=lzma.FORMAT_ALONE if kind == "lzma" else lzma.FORMAT_AUTO))


def _compressed(stream: BinaryIO, kind: str, budget: Budget, select: Select) -> Iterator[Member | Issue]:
    """A gzip, bzip2, xz, zlib or lzma stream (concatenated streams read as one, as their readers
    do): one member, named after the format. A zlib or lzma guess that does not decompress at all
    was no such stream: nothing to report."""
    if (issue := _counted(budget)) is not None:
        yield issue
        return
    try:
        # mode "rb" for gzip: it would otherwise copy the mode of a spooled "w+b" file and refuse to read
        with _decompressor(kind, stream) as opened:
            try:
                head = opened.read(HEAD)
            except _READ_ERRORS:
                if kind in ("zlib", "lzma"):
                    budget.members -= 1
                    return
                raise
            if not budget.spend(len(head)):
                yield budget.over_bytes().inside(kind)
                return
            if not select(kind, head, -1):
                return
            budget.used -= len(head)
        with _decompressor(kind, stream) as opened:  # afresh: a zlib reader cannot seek back
            copy = _spool(opened, budget)
    except _READ_ERRORS as exc:
        yield Issue("archive-corrupt", f"the {kind} stream cannot be decompressed ({exc})", detail=kind)
        return
    if isinstance(copy, Issue):
        yield copy.inside(kind)
        return
    with copy:
        yield Member(kind, _length(copy), copy)
