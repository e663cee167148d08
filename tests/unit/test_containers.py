"""The one archive reader: nested containers, member paths, and every bound (depth, members, bytes, ratio)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
from collections.abc import Callable
from typing import BinaryIO

import pytest

from contribution_gate.containers import HEAD, Bounds, Budget, Issue, Member, kind_of, members, walk, zip_at_end


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
        (gzip.compress(b"x", mtime=0), "gzip"),
        (bz2.compress(b"x"), "bzip2"),
        (lzma.compress(b"x"), "xz"),
        (b"plain text\n", None),
    ],
    ids=["zip", "tar", "gzip", "bzip2", "xz", "text"],
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


# -- hostile archives: every bound holds, with flat memory ---------------------------------------------
def test_a_zip_bomb_member_stops_at_the_ratio() -> None:
    bomb = _zip({"zeros.bin": b"\x00" * (64 << 20)})  # 64 MiB deflated to about 64 KiB
    budget = Budget(Bounds(max_ratio=10, ratio_floor=1 << 20), len(bomb))
    found = list(members(io.BytesIO(bomb), "zip", budget, 0, _everything))
    assert [i.rule for i in found if isinstance(i, Issue)] == ["archive-bomb"]
    assert budget.used <= (1 << 20) + (1 << 20)


def test_nested_bombs_share_one_budget() -> None:
    data = b"\x00" * (8 << 20)
    for _ in range(4):  # gzip of gzip of ...: each level expands what is inside it
        data = gzip.compress(data)
    budget = Budget(Bounds(ratio_floor=1 << 20, max_ratio=2), len(data))
    found = list(walk(io.BytesIO(data), budget, _everything))
    assert [i.rule for i in found if isinstance(i, Issue)] == ["archive-bomb"]
    assert budget.used <= 3 << 20


def test_the_first_bytes_of_every_member_count_against_the_budget() -> None:
    data = _zip({f"m{i}": bytes([i % 251]) * 8192 for i in range(200)})  # 200 deflated members
    budget = Budget(Bounds(ratio_floor=100 * 4096, max_ratio=1), len(data))
    found = list(members(io.BytesIO(data), "zip", budget, 0, lambda name, head, size: False))
    assert [i.rule for i in found if isinstance(i, Issue)] == ["archive-bomb"]


def test_a_central_directory_larger_than_its_bound_is_not_parsed() -> None:
    data = _zip({f"{'n' * 200}{i}": b"" for i in range(100)})
    assert _walk(data, Bounds(max_directory=10_000)) == ["archive-too-many-members@"]


def test_a_directory_that_lies_about_its_count_is_counted_record_by_record() -> None:
    data = bytearray(_zip({f"f{i}": b"x" for i in range(30)}))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 1, 1)  # the end record claims one entry
    assert _walk(bytes(data), Bounds(max_members=10)) == ["archive-too-many-members@"]


def test_a_stored_member_claiming_more_than_the_archive_holds_is_corrupt() -> None:
    data = bytearray(_zip({"weights.bin": b"w" * 100}, zipfile.ZIP_STORED))
    central = data.rfind(b"PK\x01\x02")
    data[central + 20 : central + 28] = struct.pack("<II", 1 << 30, 1 << 30)  # compressed and real size
    assert _walk(bytes(data)) == ["archive-corrupt@weights.bin"]


def test_a_local_header_naming_another_file_is_corrupt() -> None:
    data = bytearray(_zip({"model.pkl": b"x" * 10}, zipfile.ZIP_STORED))
    data[30:39] = b"other.pkl"  # the local header's name; the directory still says model.pkl
    assert _walk(bytes(data)) == ["archive-corrupt@model.pkl"]


def test_stored_members_are_read_in_place_not_copied() -> None:
    data = _zip({"big.bin": b"\x01" * (20 << 20)}, zipfile.ZIP_STORED)
    budget = Budget(Bounds(), len(data))
    for item in members(io.BytesIO(data), "zip", budget, 0, _everything):
        assert isinstance(item, Member) and isinstance(item.stream, io.BufferedReader)
        item.stream.seek((20 << 20) - 2)
        assert item.stream.read() == b"\x01\x01"
    assert budget.used == 0  # nothing decompressed, nothing spooled


def test_a_tar_header_claiming_gigabytes_is_corrupt_not_allocated() -> None:
    info = tarfile.TarInfo("././@PaxHeader")
    info.type = tarfile.XHDTYPE
    info.size = (1 << 33) - 1  # 8 GiB of PAX records, none present
    data = info.tobuf(tarfile.USTAR_FORMAT) + b"\x00" * 1024
    found = list(walk(io.BytesIO(data), Budget(Bounds(), len(data)), _everything))
    assert [(i.rule, "a tar header claims 8589934592 bytes" in i.message) for i in found] == [  # type: ignore[union-attr]
        ("archive-corrupt", True)
    ]


def _sparse_tar(hole: int, data: bytes) -> bytes:
    """An old GNU sparse member: `hole` bytes of nothing, then `data`, stored as `data` alone."""
    info = tarfile.TarInfo("sparse.bin")
    info.type = tarfile.GNUTYPE_SPARSE
    info.size = len(data)
    block = bytearray(info.tobuf(tarfile.GNU_FORMAT))
    block[386:398] = b"%011o\x00" % hole  # first sparse entry: offset
    block[398:410] = b"%011o\x00" % len(data)  # and length
    block[483:495] = b"%011o\x00" % (hole + len(data))  # the real size
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\x00 " % sum(block)
    return bytes(block) + data + b"\x00" * (-len(data) % 512) + b"\x00" * 1024


def test_a_sparse_tar_member_counts_its_expanded_size() -> None:
    data = _sparse_tar(64 << 20, b"payload")
    budget = Budget(Bounds(max_ratio=10, ratio_floor=1 << 20), len(data))
    found = list(members(io.BytesIO(data), "tar", budget, 0, _everything))
    assert [i.rule for i in found if isinstance(i, Issue)] == ["archive-bomb"]
    assert budget.used <= 2 << 20
    small = _sparse_tar(100, b"payload")
    assert _walk(small) == [("sparse.bin", b"\x00" * 100 + b"payload")]


def test_tar_links_are_left_to_their_targets() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        target = tarfile.TarInfo("real.txt")
        target.size = 4
        archive.addfile(target, io.BytesIO(b"real"))
        for kind, name in ((tarfile.SYMTYPE, "soft"), (tarfile.LNKTYPE, "hard")):
            link = tarfile.TarInfo(name)
            link.type, link.linkname = kind, "real.txt"
            archive.addfile(link)
    assert _walk(out.getvalue()) == [("real.txt", b"real")]


def test_concatenated_gzip_members_are_read_as_one_stream_like_gzip_does() -> None:
    data = gzip.compress(b"first half, ") + gzip.compress(b"second half")
    assert _walk(data) == [("gzip", b"first half, second half")]
    assert gzip.decompress(data) == b"first half, second half"


def test_a_walk_past_its_deadline_stops_with_an_issue() -> None:
    data = _zip({f"f{i}": b"x" for i in range(5)})
    budget = Budget(Bounds(), len(data), deadline=0.0)  # long past
    found = list(walk(io.BytesIO(data), budget, _everything))
    assert [(i.rule, i.detail) for i in found if isinstance(i, Issue)] == [("over-budget", "time")]


def test_joblib_zlib_and_lzma_streams_are_read() -> None:
    import zlib

    assert kind_of(zlib.compress(b"x" * 100, 3)[:HEAD]) == "zlib"
    assert _walk(zlib.compress(b"inside zlib", 3)) == [("zlib", b"inside zlib")]
    assert _walk(lzma.compress(b"inside lzma", format=lzma.FORMAT_ALONE)) == [("lzma", b"inside lzma")]


def test_text_that_only_starts_like_zlib_is_no_archive() -> None:
    assert kind_of(b"x^2 + y^2 = z^2\n") is None  # a valid zlib header, and a formula that does not inflate
    assert kind_of(b"x^2\n") is None and kind_of(b"x^") is None
    assert _walk(_zip({"formula.tex": b"x^2 + y^2\n"})) == [("formula.tex", b"x^2 + y^2\n")]


def test_a_zip_after_a_prefix_is_found_at_its_end() -> None:
    data = b"#!/bin/sh\nexit 0\n" + _zip({"config.json": b"{}"})
    assert kind_of(data[:HEAD]) is None and zip_at_end(io.BytesIO(data))
    assert not zip_at_end(io.BytesIO(b"PK\x05\x06" + b"\x00" * 18))  # an end record pointing nowhere
