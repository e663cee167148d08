"""ONNX models (protobuf), read field by field without the onnx package: header sanity, and every
tensor's external data path, which must stay inside the model's directory.

Only the fields that lead to tensors are followed (graph, nodes, attributes, subgraphs, functions);
large payloads (raw_data) are skipped by seeking.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import BinaryIO

from .budget import TICK, Meter
from .problems import Problem

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5
# message -> {field: message of that field}; "tensor" fields are TensorProto
_MODEL = {7: "graph", 25: "function"}
_SCHEMA: dict[str, dict[int, str]] = {
    "graph": {1: "node", 5: "tensor", 15: "sparse"},
    "function": {7: "node"},
    "node": {5: "attribute"},
    "attribute": {5: "tensor", 6: "graph", 10: "tensor", 11: "graph", 22: "sparse", 23: "sparse"},
    "sparse": {1: "tensor", 2: "tensor"},
    "tensor": {13: "entry"},
}
_MAX_DEPTH = 64
_MAX_PATH = 4096
_MAX_FOUND = 1000
_DRIVE = re.compile(r"^[A-Za-z]:")


class _Invalid(Exception):
    pass


def _varint(stream: BinaryIO, end: int) -> int:
    value = shift = 0
    while True:
        if stream.tell() >= end or shift > 63:
            raise _Invalid("truncated varint")
        byte = stream.read(1)[0]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value
        shift += 7


def _fields(stream: BinaryIO, start: int, end: int, meter: Meter | None = None) -> Iterator[tuple[int, int, int, int]]:
    """(field number, wire type, value or payload offset, payload length) of a message's fields.
    A consumer may move the stream while handling a length-delimited field: the next field is read
    from where that field ends."""
    stream.seek(start)
    count = 0
    while stream.tell() < end:
        count += 1
        if meter is not None and not count % TICK:
            meter.check_time()
        key = _varint(stream, end)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise _Invalid("field number 0")
        if wire == _VARINT:
            yield number, wire, _varint(stream, end), 0
        elif wire in (_I64, _I32):
            width = 8 if wire == _I64 else 4
            if stream.tell() + width > end:
                raise _Invalid("truncated fixed-width field")
            stream.seek(width, 1)
            yield number, wire, 0, width
        elif wire == _LEN:
            length = _varint(stream, end)
            offset = stream.tell()
            if offset + length > end:
                raise _Invalid("a field runs past its message")
            yield number, wire, offset, length
            stream.seek(offset + length)
        else:
            raise _Invalid(f"wire type {wire}")


def looks_like_model(head: bytes) -> bool:
    """A first field `ir_version` (field 1, varint) with a plausible value."""
    return len(head) >= 2 and head[0] == 0x08 and 1 <= head[1] <= 32


def is_model(stream: BinaryIO, size: int) -> bool:
    """The whole file parses as a ModelProto's top level with an ir_version and a graph."""
    try:
        seen = {number: value for number, _, value, _ in _fields(stream, 0, size)}
    except (_Invalid, IndexError):
        return False
    return 1 in seen and 7 in seen and 1 <= seen[1] <= 32


def problems(stream: BinaryIO, size: int, meter: Meter) -> list[Problem]:
    found: list[Problem] = []
    try:
        for number, wire, offset, length in _fields(stream, 0, size, meter):
            if wire == _LEN and number in _MODEL:
                _walk(stream, _MODEL[number], offset, offset + length, found, 0, meter)
    except (_Invalid, IndexError) as exc:
        found.append(Problem("onnx-invalid", f"the ONNX protobuf cannot be parsed ({exc})", "error", "", "protobuf"))
    return found


def _walk(stream: BinaryIO, kind: str, start: int, end: int, found: list[Problem], depth: int, meter: Meter) -> None:
    if depth > _MAX_DEPTH:
        raise _Invalid("subgraphs nested too deep")
    schema = _SCHEMA[kind]
    for number, wire, offset, length in _fields(stream, start, end, meter):
        child = schema.get(number)
        if child is None or wire != _LEN:
            continue
        if child == "entry":
            _external(stream, offset, offset + length, found)
        else:
            _walk(stream, child, offset, offset + length, found, depth + 1, meter)


def _external(stream: BinaryIO, start: int, end: int, found: list[Problem]) -> None:
    """A StringStringEntryProto of a tensor's external_data: judge the `location` entry."""
    entry: dict[int, bytes] = {}
    for number, wire, offset, length in _fields(stream, start, end):
        if wire == _LEN and number in (1, 2):
            stream.seek(offset)
            entry[number] = stream.read(min(length, _MAX_PATH + 1))
    if entry.get(1) != b"location" or len(found) >= _MAX_FOUND:
        return
    location = entry.get(2, b"").decode("utf-8", "replace")
    if len(location) > _MAX_PATH or escapes(location):  # a path that long is not judged: not a pass
        found.append(
            Problem(
                "onnx-external-data-escape",
                f"a tensor's external data location {location[:200]!r} points outside the model's directory",
                "error",
                "",
                location[:_MAX_PATH],
            )
        )


def escapes(location: str) -> bool:
    """Whether a relative data path leaves the directory it is relative to."""
    path = location.replace("\\", "/")
    if not path or path.startswith("/") or _DRIVE.match(path) or "\x00" in path:
        return True
    return posixpath.normpath(path).split("/")[0] == ".."
