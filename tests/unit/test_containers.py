"""The one archive reader: nested containers, member paths, and every bound (depth, members, bytes, ratio)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Callable
from typing import BinaryIO

import pytest

from contribution_gate.containers import Bounds, Budget, Issue, Member, kind_of, members, walk


def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _tar(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _everything(name: str, head: bytes, size: int) -> bool:
    return True


DEFAULT = Bounds()
Select = Callable[[str, bytes, int], bool]


def _walk(data: bytes, bounds: Bounds = DEFAULT, select: Select = _everything) -> list[tuple[str, bytes] | str]:
    found: list[tuple[str, bytes] | str] = []
    for item in walk(io.BytesIO(data), Budget(bounds, len(data)), select):
        if isinstance(item, Issue):
            found.append(f"{item.rule}@{item.where}")
        else:
            found.append((item.name, item.stream.read()))
    return found


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (_zip({"a": b"x"}), "zip"),
        (_tar({"a": b"x"}), "tar"),
        (gzip.compress(b"x"), "gzip"),
        (bz2.compress(b"x"), "bzip2"),
        (lzma.compress(b"x"), "xz"),
        (b"plain text\n", None),
    ],
)
def test_kind_by_first_bytes(data: bytes, kind: str | None) -> None:
    assert kind_of(data[:4096]) == kind


def test_nested_members_are_named_by_their_path_through_every_container() -> None:
    inner = gzip.compress(_tar({"conf/.env": b"TOKEN=1\n"}))
    data = _zip({"bundle/app.tar.gz": inner, "README": b"hello"})
    assert _walk(data) == [("bundle/app.tar.gz!gzip!conf/.env", b"TOKEN=1\n"), ("README", b"hello")]


def test_select_sees_the_first_bytes_and_skips_what_it_does_not_want() -> None:
    data = _zip({"weights.bin": b"\x00" * 10_000, "notes.txt": b"keep me"})
    assert _walk(data, select=lambda name, head, size: not head.startswith(b"\x00")) == [("notes.txt", b"keep me")]


def test_nesting_deeper_than_the_bound_is_an_issue_not_a_recursion() -> None:
    data = b"TOKEN=1\n"
    for _ in range(10):
        data = gzip.compress(data)
    found = _walk(data, Bounds(max_depth=3))
    assert len(found) == 1 and isinstance(found[0], str) and found[0].startswith("archive-too-deep@")


def test_too_many_members_stops_the_walk() -> None:
    data = _tar({f"f{i}": b"x" for i in range(50)})
    found = _walk(data, Bounds(max_members=10))
    assert found[:10] == [(f"f{i}", b"x") for i in range(10)]
    assert found[10:] == ["archive-too-many-members@"]


def test_a_zip_with_too_many_members_is_not_parsed() -> None:
    """Its central directory is counted record by record before zipfile makes an object of each."""
    data = _zip({f"f{i}": b"x" for i in range(50)})
    assert _walk(data, Bounds(max_members=10)) == ["archive-too-many-members@"]
    assert len(_walk(data, Bounds(max_members=50))) == 50


def test_a_decompression_bomb_stops_at_the_ratio_without_reading_it_all() -> None:
    bomb = bz2.compress(b"\x00" * (64 << 20))  # 64 MiB of zeros in about 50 bytes
    budget = Budget(Bounds(max_ratio=100, ratio_floor=1 << 20), len(bomb))
    found = list(members(io.BytesIO(bomb), "bzip2", budget, 0, _everything))
    assert [i.rule for i in found if isinstance(i, Issue)] == ["archive-bomb"]
    assert budget.used <= (1 << 20) + (1 << 20)  # the floor plus one block


def test_the_byte_budget_is_shared_by_every_depth() -> None:
    data = _zip({"a.gz": gzip.compress(b"a" * 3000), "b.gz": gzip.compress(b"b" * 3000)}, zipfile.ZIP_STORED)
    found = _walk(data, Bounds(max_bytes=5000, ratio_floor=1 << 30))
    assert ("a.gz!gzip", b"a" * 3000) in found
    assert any(isinstance(f, str) and f.startswith("over-budget@b.gz") for f in found)


def test_unreadable_members_are_issues_naming_the_member() -> None:
    data = bytearray(_zip({"secret.txt": b"x" * 100}, zipfile.ZIP_STORED))
    data[6] |= 0x1  # the local header's encryption flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # and the central directory's
    assert _walk(bytes(data)) == ["archive-encrypted@secret.txt"]
    assert _walk(b"PK\x03\x04 not a zip at all") == ["archive-corrupt@"]


def test_duplicate_names_are_an_issue() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("model.pkl", b"one")
        archive.writestr("model.pkl", b"two")
    issues = [f for f in _walk(out.getvalue()) if isinstance(f, str)]
    assert issues == ["archive-duplicate-member@model.pkl"]


def test_a_member_stream_is_a_seekable_copy() -> None:
    data = _tar({"a": b"abc"})
    for item in members(io.BytesIO(data), "tar", Budget(Bounds(), len(data)), 0, _everything):
        assert isinstance(item, Member)
        stream: BinaryIO = item.stream
        assert stream.read() == b"abc"
        stream.seek(1)
        assert stream.read() == b"bc"
