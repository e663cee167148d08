"""Text by content (`encoding`): which bytes are text, in which encoding, and which stay binary."""

from __future__ import annotations

import io
import os

import pytest

from contribution_gate.diff import whole_file
from contribution_gate.encoding import EIGHT_BIT, looks_mangled, read_text, sniff

TEXT = "# settings\nname = 'service'\nregion = eu-west\n" * 3


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode(), EIGHT_BIT),
        (TEXT.encode("latin-1") + b"caf\xe9\n", EIGHT_BIT),
        (b"\x00" + TEXT.encode(), EIGHT_BIT),  # one stray NUL
        (TEXT.encode("utf-8-sig"), EIGHT_BIT),
        (TEXT.encode("utf-16"), "utf-16-le"),  # with its mark (Python writes little-endian)
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32-le"),
        (TEXT.encode("utf-32-le"), "utf-32-le"),
        (TEXT.encode("utf-32-be"), "utf-32-be"),
        (("\u4e2d\u6587" * 50 + "\nkey = value\n").encode("utf-16"), "utf-16-le"),
    ],
)
def test_text_and_its_encoding(data: bytes, encoding: str) -> None:
    found = read_text(io.BytesIO(data))
    assert found is not None and found.encoding == encoding
    assert "name = 'service'" in found.text or "key = value" in found.text


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(4096),
        bytes(range(256)) * 16,
        b"\x00" * 1000,
        b"\x00\x01\x02",
        b"\x00\x01GGUF\x00token\n\x00",
        b"PK\x03\x04" + TEXT.encode(),
        b"\x93NUMPY\x01\x00v\x00" + TEXT.encode(),
        (40).to_bytes(8, "little") + b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        TEXT.encode() * 100 + os.urandom(2000),  # text first, a binary tail: given up on at that window
    ],
)
def test_binaries(data: bytes) -> None:
    assert read_text(io.BytesIO(data)) is None


def test_a_window_boundary_inside_a_utf16_character_is_no_error() -> None:
    data = ("\U0001f600 emoji and text\n" * 20_000).encode("utf-16")
    found = read_text(io.BytesIO(data))
    assert found is not None and found.text.count("\U0001f600") == 20_000 and "\ufffd" not in found.text


def test_sniff_reports_the_mark_length() -> None:
    assert sniff(TEXT.encode("utf-16")) == ("utf-16-le", 2)
    assert sniff(TEXT.encode("utf-32-be")) == ("utf-32-be", 0)


def test_mangled_lines() -> None:
    assert looks_mangled("a\x00b")
    assert looks_mangled("\ufffd\x01\x02")
    assert not looks_mangled("caf\ufffd au lait")  # Latin-1 text: git's lines are right
    assert not looks_mangled("plain")


@pytest.mark.parametrize(
    ("text", "numbers", "joined"),
    [
        ("", [], ""),
        ("\n", [1], ""),
        ("a\nb\n", [1, 2], "a\nb"),
        ("a\r\nb", [1, 2], "a\nb"),
        ("a\r\nb\r\n", [1, 2], "a\nb"),
        ("a\n\n", [1, 2], "a\n"),
    ],
)
def test_whole_file_lines(text: str, numbers: list[int], joined: str) -> None:
    lines = whole_file(text)
    assert lines.numbers() == numbers and lines.text == joined
