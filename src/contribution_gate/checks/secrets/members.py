"""Secrets inside committed archives and compressed files: zip (jar, whl, docx, xlsx, pptx...),
tar, gzip, bzip2 and xz, nested, read through `containers` (the one archive reader) and its bounds.

A member that reads as text is scanned like an added file (every line of it counts as added),
named by its path through the containers (`bundle.zip!conf/.env`); an Office document's text
parts are read as their paragraphs (`office`), a notebook inside one by its cells (`notebooks`).
Binary members are not text and are passed by (the `models` check reads them). What cannot be
opened is never silent: an encrypted or corrupt member, a 7z or RAR archive, a zstd stream, a package or a legacy
Office file (no reader here), a
member past `max-file-size`, an archive nested past `archive-depth`, a decompression bomb, each is
an `Unopened` naming the member and why.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ... import containers
from ...containers import Bounds, Budget, Issue, Member
from ...content import size_of
from ...diff import whole_file
from ...encoding import read_text, sniff
from ...model import AddedLines
from . import notebooks, office
from .blocks import Found
from .lines import Kind, candidate

if TYPE_CHECKING:
    from ...surveys import Surveyor

MAX_SECONDS = 120.0  # time to read one committed archive
_STREAMS = frozenset(("gzip", "bzip2", "xz", "zlib", "lzma"))
_SUFFIXES = frozenset(("gz", "tgz", "bz2", "tbz2", "xz", "txz", "z", "lzma"))
_OTHER_ARCHIVES = (
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd stream"),
    (b"\x04\x22\x4d\x18", "LZ4 stream"),
    (b"!<arch>\n", "ar archive (a .deb package?)"),
    (b"\xed\xab\xee\xdb", "RPM package"),
    (b"MSCF\x00\x00\x00\x00", "cabinet archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE compound document (legacy Office, Outlook)"),
)

Scan = Callable[[Kind, AddedLines], Iterable[Found]]


@dataclass(frozen=True, slots=True)
class InMember:
    """A hit in a member: `member` is its path through the containers, `found.line` its line."""

    member: str
    found: Found


@dataclass(frozen=True, slots=True)
class MemberName:
    """The name of a member (as its own container lists it) holding one of the rules' keywords:
    a token can hide in a file name inside an archive as well as outside one."""

    name: str


@dataclass(frozen=True, slots=True)
class Unopened:
    """A member (or the archive itself, `member` empty) that was not scanned, and why."""

    member: str
    why: str
    rule: str


def bounds(depth: int, max_file_size: int) -> Bounds:
    """The archive bounds of the secrets check: `depth` levels of archives, decompressed bytes at most
    200 times the committed file (at least 64 MiB, at most 1 GiB or 20 files of max-file-size)."""
    return Bounds(max_depth=depth, max_bytes=min(1 << 30, max(20 * max_file_size, 64 << 20)), ratio_floor=64 << 20)


def other_archive(head: bytes) -> str | None:
    """The name of an archive format the gate has no reader for, when `head` starts like one."""
    return next((name for magic, name in _OTHER_ARCHIVES if head.startswith(magic)), None)


def scan(
    stream: BinaryIO,
    path: str,
    limits: Bounds,
    max_file_size: int,
    kind_of: Callable[[str], Kind],
    scan_text: Scan,
    surveyor: Surveyor | None = None,
) -> Iterator[InMember | MemberName | Unopened]:
    """Every hit in the text members of the committed archive `stream` (at `path`), the member
    names worth a look, and what was not opened; `surveyor` takes the walk's survey (`surveys`)."""
    head = stream.read(containers.HEAD)
    stream.seek(0)
    other = other_archive(head)
    if other is not None:
        yield Unopened("", f"a {other}, which the gate has no reader for", "archive-unsupported")
        return
    if containers.kind_of(head) is None:
        return
    look = surveyor.look if surveyor is not None else None
    budget = Budget(limits, size_of(stream), deadline=time.monotonic() + MAX_SECONDS, look=look)
    names: list[str] = []
    clean = True  # no issue met: the survey stands for the whole archive

    def wanted(name: str, head: bytes, size: int) -> bool:
        if candidate().found(name.lower()):
            names.append(name)
        return _wanted(name, head, size)

    for item in containers.walk(stream, budget, wanted):
        yield from map(MemberName, names)
        names.clear()
        if isinstance(item, Issue):
            clean = False
            yield Unopened(named(path, item.where.replace(" > ", "!")), item.message, item.rule)
        else:
            yield from _member(item, named(path, item.name), max_file_size, kind_of, scan_text)
    yield from map(MemberName, names)
    if surveyor is not None and clean:
        surveyor.done(budget)


def named(path: str, member: str) -> str:
    """A member's path through the containers as a user would name it: the pseudo-member of a
    compressed stream (`gzip`) is left out, or named after its file (`notes.txt` in `notes.txt.gz`)."""
    parts = member.split("!") if member else []
    outer = path.rsplit("/", 1)[-1]
    kept: list[str] = []
    for index, part in enumerate(parts):
        if part in _STREAMS:
            if index == len(parts) - 1:
                stem, dot, suffix = outer.rpartition(".")
                kept.append(stem if dot and suffix.lower() in _SUFFIXES else part)
            continue
        kept.append(part)
        outer = part.rsplit("/", 1)[-1]
    return "!".join(kept)


def _wanted(name: str, head: bytes, size: int) -> bool:
    """Read a member that is text, or an archive we must name as unreadable."""
    return other_archive(head) is not None or sniff(head) is not None


def _member(
    item: Member, name: str, max_file_size: int, kind_of: Callable[[str], Kind], scan_text: Scan
) -> Iterator[InMember | Unopened]:
    data = item.stream.read(max_file_size + 1)
    other = other_archive(data[:16])
    if other is not None:
        yield Unopened(name, f"a {other}, which the gate has no reader for", "archive-unsupported")
        return
    read = read_text(io.BytesIO(data[:max_file_size]))
    if read is None:
        return
    inner = name.rsplit("!", 1)[-1]
    text = office.text_of(read.text) if office.is_text_part(inner) else read.text
    lines = whole_file(text)
    kind = kind_of(inner)
    found = scan_text(kind, lines)
    if notebooks.is_notebook(inner):
        found = notebooks.with_cells(kind, lines, text, found, scan_text)
    for hit in found:
        yield InMember(name, hit)
    if len(data) > max_file_size:
        yield Unopened(
            name,
            f"only its first {max_file_size / (1 << 20):.1f} MiB were scanned (max-file-size)",
            "archive-member-too-large",
        )
