"""Tensor containers that hold no code but can lie about their layout: safetensors and GGUF.

safetensors: an 8-byte header length, a JSON header, then the data; every tensor's dtype and shape
must need exactly the bytes its offsets give, and the offsets must tile the data exactly (no gap,
no overlap, no trailing bytes). GGUF: version, counts, metadata and tensor offsets must fit the file;
its chat template is handed back for the model-code rules.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

from .budget import MAX_JSON_VALUES, TICK, Meter, json_values
from .problems import Problem

SAFETENSORS_DTYPE_BITS = {
    "BOOL": 8,
    "U8": 8,
    "I8": 8,
    "F8_E5M2": 8,
    "F8_E4M3": 8,
    "F8_E8M0": 8,
    "I16": 16,
    "U16": 16,
    "F16": 16,
    "BF16": 16,
    "I32": 32,
    "U32": 32,
    "F32": 32,
    "C64": 64,
    "F64": 64,
    "I64": 64,
    "U64": 64,
    "F4": 4,
    "F6_E2M3": 6,
    "F6_E3M2": 6,
}
MAX_HEADER = 100_000_000  # the safetensors library refuses larger headers
MAX_PARSED = 16 << 20  # the gate parses headers up to this size (about 120,000 tensors)
MAX_GGUF_NAME = 65_535  # GGUF keys and tensor names: the format's own limit
MAX_TEMPLATE = 1 << 20  # a chat template longer than this is not read


def _bad(rule: str, message: str, detail: str = "") -> Problem:
    return Problem(rule, message, "error", "", detail or rule)


def _over(message: str) -> Problem:
    return Problem("over-budget", message + ": not read", "error", "", "header")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are unique (loaders disagree on which duplicate wins), in linear time."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key[:100]!r}")
        seen.add(key)
    return dict(pairs)


def safetensors(stream: BinaryIO, size: int, meter: Meter) -> list[Problem]:
    """The header length is checked against the file before a byte of the header is read."""
    stream.seek(0)
    raw = stream.read(8)
    if len(raw) < 8:
        return [_bad("safetensors-invalid", "the file is shorter than its 8-byte header length", "header-length")]
    (length,) = struct.unpack("<Q", raw)
    if length > size - 8:
        return [
            _bad(
                "safetensors-invalid",
                f"the header claims {length} bytes but the file has {size - 8} after the length",
                "header-length",
            )
        ]
    if length > MAX_HEADER:
        return [
            _bad("safetensors-invalid", f"a {length}-byte header is larger than safetensors accepts", "header-length")
        ]
    if length > MAX_PARSED:
        return [_over(f"a {length}-byte header, more than the {MAX_PARSED} bytes the gate parses")]
    text = stream.read(length)
    values = json_values(text)
    if values > MAX_JSON_VALUES:
        return [_over(f"a header of about {values} JSON values, more than the {MAX_JSON_VALUES} the gate parses")]
    try:
        header = json.loads(text.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (ValueError, UnicodeDecodeError) as exc:
        return [_bad("safetensors-invalid", f"the header is not valid JSON ({str(exc)[:200]})", "header-json")]
    except RecursionError:
        return [_bad("safetensors-invalid", "the header nests JSON deeper than any reader follows", "header-json")]
    if not isinstance(header, dict):
        return [_bad("safetensors-invalid", "the header is not a JSON object", "header-json")]
    data = size - 8 - length
    problems: list[Problem] = []
    spans: list[tuple[int, int, str]] = []
    for count, (name, info) in enumerate(header.items()):
        if not count % TICK:
            meter.check_time()
        if name == "__metadata__":
            if not isinstance(info, dict) or not all(isinstance(v, str) for v in info.values()):
                problems.append(_bad("safetensors-invalid", "__metadata__ must map strings to strings", "metadata"))
            continue
        span = _tensor_span(name, info, problems)
        if span is not None:
            spans.append(span)
    cursor = 0
    for begin, end, name in sorted(spans):
        if begin < cursor:
            problems.append(
                _bad(
                    "safetensors-invalid",
                    f"tensor {name!r} overlaps the tensor before it (offset {begin} < {cursor})",
                    f"overlap:{name}",
                )
            )
        elif begin > cursor:
            problems.append(
                _bad("safetensors-invalid", f"{begin - cursor} unexplained bytes before tensor {name!r}", f"gap:{name}")
            )
        cursor = max(cursor, end)
    if cursor > data:
        problems.append(
            _bad("safetensors-invalid", f"tensor offsets reach byte {cursor} but the data holds {data}", "past-end")
        )
    elif cursor < data:
        problems.append(
            _bad(
                "safetensors-invalid",
                f"{data - cursor} trailing bytes after the last tensor: nothing explains them",
                "trailing",
            )
        )
    return problems


def _tensor_span(name: str, info: Any, problems: list[Problem]) -> tuple[int, int, str] | None:
    if not isinstance(info, dict):
        problems.append(_bad("safetensors-invalid", f"tensor {name!r} is not described by an object", f"tensor:{name}"))
        return None
    dtype: Any = info.get("dtype")
    shape: Any = info.get("shape")
    offsets: Any = info.get("data_offsets")

    def ints(v: Any) -> bool:
        return isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v)

    if dtype not in SAFETENSORS_DTYPE_BITS:
        problems.append(_bad("safetensors-invalid", f"tensor {name!r} has an unknown dtype {dtype!r}", f"dtype:{name}"))
        return None
    if not ints(shape) or not ints(offsets) or len(offsets) != 2 or offsets[0] > offsets[1]:
        problems.append(
            _bad("safetensors-invalid", f"tensor {name!r} has a malformed shape or data_offsets", f"layout:{name}")
        )
        return None
    want = offsets[1] - offsets[0]
    bits = _bits(shape, SAFETENSORS_DTYPE_BITS[dtype], want)
    if bits % 8 or bits // 8 != want:
        needs = f"{bits / 8:g} bytes" if bits <= 8 * want + 8 else "more bytes"
        problems.append(
            _bad(
                "safetensors-invalid",
                f"tensor {name[:100]!r} ({dtype}, {len(shape)} dimensions) needs {needs} but its offsets give {want}",
                f"size:{name}",
            )
        )
    return offsets[0], offsets[1], name


def _bits(shape: list[int], width: int, want: int) -> int:
    """The bits a shape needs, computed only as far as it can still equal `want` bytes: a shape of
    a million huge dimensions must not cost a million big-number products."""
    if 0 in shape:
        return 0
    bits = width
    for dim in shape:
        bits *= dim
        if bits > 8 * want + 8:
            break
    return bits


# -- GGUF ---------------------------------------------------------------------------------------------
_GGUF_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MAX_DIMS = 8


class _Truncated(Exception):
    pass


class _TooLong(Exception):
    pass


class _Reader:
    """Every claimed length is checked against the file (and a cap) before anything is read."""

    def __init__(self, stream: BinaryIO, size: int, wide: bool, meter: Meter) -> None:
        self.stream, self.size, self.wide, self.meter = stream, size, wide, meter
        self.steps = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.stream.tell() + n > self.size:
            raise _Truncated
        data = self.stream.read(n)
        if len(data) != n:
            raise _Truncated
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def count(self) -> int:
        return int(self.unpack("<Q" if self.wide else "<I"))

    def name(self, what: str) -> str:
        """A key or tensor name: at most MAX_GGUF_NAME bytes."""
        n = self.count()
        if n > MAX_GGUF_NAME:  # checked against the file, never read nor seeked to
            if self.stream.tell() + n > self.size:
                raise _Truncated
            raise _TooLong(f"{what} claims a {n}-byte name, more than GGUF allows ({MAX_GGUF_NAME})")
        return self.take(n).decode("utf-8", "replace")

    def string(self, keep: bool) -> str | None:
        n = self.count()
        if keep and n <= MAX_TEMPLATE:
            return self.take(n).decode("utf-8", "replace")
        if keep:
            if self.stream.tell() + n > self.size:
                raise _Truncated
            raise _TooLong(f"a {n}-byte chat template, more than the {MAX_TEMPLATE} bytes the gate reads")
        self.skip(n)
        return None

    def skip(self, n: int) -> None:
        if n < 0 or self.stream.tell() + n > self.size:
            raise _Truncated
        self.stream.seek(n, 1)

    def tick(self) -> None:
        self.steps += 1
        if not self.steps % TICK:
            self.meter.check_time()

    def value(self, kind: int, keep: bool, depth: int = 0) -> Any:
        if kind in _GGUF_SCALARS:
            return self.unpack(_GGUF_SCALARS[kind])
        if kind == _STRING:
            return self.string(keep)
        if kind == _ARRAY:
            if depth >= 4:
                raise ValueError("arrays nested more than four deep")
            inner, n = self.unpack("<I"), self.count()
            if inner in _GGUF_SCALARS:
                self.skip(n * struct.calcsize(_GGUF_SCALARS[inner]))
                return None
            if n * (8 if inner == _STRING else 12) > self.size - self.stream.tell():
                raise _Truncated  # every element needs at least its length field
            for _ in range(n):
                self.tick()
                self.value(inner, False, depth + 1)
            return None
        raise ValueError(f"unknown metadata value type {kind}")


def gguf(stream: BinaryIO, size: int, meter: Meter) -> tuple[list[Problem], list[str]]:
    """Header sanity; returns the problems and any chat templates in the metadata."""
    stream.seek(4)
    try:
        version = struct.unpack("<I", stream.read(4))[0]
    except struct.error:
        return [_bad("gguf-invalid", "the GGUF header is truncated", "header")], []
    if version not in (1, 2, 3):
        return [_bad("gguf-invalid", f"unknown GGUF version {version}", "version")], []
    reader = _Reader(stream, size, wide=version >= 2, meter=meter)
    templates: list[str] = []
    try:
        tensors, entries = reader.count(), reader.count()
        if tensors > size // 24 or entries > size // 13:
            return [
                _bad(
                    "gguf-invalid",
                    f"the header claims {tensors} tensors and {entries} metadata entries, more than the file can hold",
                    "counts",
                )
            ], []
        alignment = 32
        for _ in range(entries):
            reader.tick()
            key = reader.name("a metadata key")
            value = reader.value(reader.unpack("<I"), keep=key.startswith("tokenizer.chat_template"))
            if key.startswith("tokenizer.chat_template") and isinstance(value, str):
                templates.append(value)
            elif key == "general.alignment" and isinstance(value, int):
                alignment = value
        if alignment <= 0 or alignment & (alignment - 1):
            return [
                _bad("gguf-invalid", f"general.alignment {alignment} is not a power of two", "alignment")
            ], templates
        offsets = []
        for _ in range(tensors):
            reader.tick()
            name = reader.name("a tensor")
            dims = reader.unpack("<I")
            if dims > _MAX_DIMS:
                return [_bad("gguf-invalid", f"tensor {name!r} claims {dims} dimensions", f"dims:{name}")], templates
            reader.skip(dims * (8 if reader.wide else 4))
            reader.unpack("<I")
            offsets.append((reader.unpack("<Q"), name))
        data_start = -(-stream.tell() // alignment) * alignment
        problems = [
            _bad(
                "gguf-invalid",
                f"tensor {name!r} starts at {offset}, outside the data or off its {alignment}-byte alignment",
                f"offset:{name}",
            )
            for offset, name in offsets
            if offset % alignment or data_start + offset > size
        ]
        return problems, templates
    except _Truncated:
        return [_bad("gguf-invalid", "the GGUF header runs past the end of the file", "truncated")], templates
    except _TooLong as exc:
        return [_bad("gguf-invalid", str(exc), "length")], templates
    except (ValueError, struct.error) as exc:
        return [_bad("gguf-invalid", f"the GGUF metadata cannot be read ({exc})", "metadata")], templates
