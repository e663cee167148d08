"""Route a file by its content (never its name) and scan it: pickles, archives and compressed
wrappers (recursed into by content), numpy arrays, safetensors, GGUF, ONNX, HDF5 and JSON configs.

Archives and compressed wrappers are opened by `containers`, the reader every check shares, with
one budget per committed file (depth, members, decompressed bytes, compression ratio: a zip or
gzip bomb is an error, not an exhausted machine); a member is copied only when its first bytes
name a format worth reading, so raw tensor data is never copied.
"""

from __future__ import annotations

import ast
import json
import re
import struct
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from ... import containers
from ...containers import Bounds, Budget, Issue
from . import code, onnx, pickles, tensors
from .problems import Problem

HEAD = containers.HEAD
_TEXT_GLOBAL = re.compile(rb"(?:^|[\n(])[ci][A-Za-z_][\w.]*\n[A-Za-z_][\w.]*\n")
_PROTOCOL0_FIRST = b"(cidlpSVIFLNt}])"
_PROTO01_PICKLE = re.compile(rb"^(?:\(?[dl]p0\n|[}\]](?:q\x00|r\x00\x00\x00\x00|\())")
_HDF5 = b"\x89HDF\r\n\x1a\n"
_LFS = b"version https://git-lfs.github.com/spec/"
MODEL_FORMATS = frozenset(
    (
        "pickle",
        "pytorch",
        "keras",
        "npz",
        "zip",
        "npy",
        "safetensors",
        "gguf",
        "onnx",
        "hdf5",
        "gzip",
        "bzip2",
        "xz",
        "tar",
    )
)
DATA_FORMATS = frozenset(("parquet", "arrow"))


@dataclass(frozen=True)
class Limits:
    allow: pickles.Allowlist
    max_size: int = 4 << 30
    max_opcodes: int = 10_000_000
    max_depth: int = 6
    max_members: int = 100_000
    max_ratio: int = 200

    def budget(self, size: int) -> Budget:
        """The archive budget of one committed file of `size` bytes."""
        bounds = Bounds(
            max_depth=self.max_depth, max_members=self.max_members, max_bytes=self.max_size, max_ratio=self.max_ratio
        )
        return Budget(bounds, size)


@dataclass
class Result:
    """A scanned file: its format (None: not a model artefact), problems, and chat templates found."""

    format: str | None = None
    problems: list[Problem] = field(default_factory=list)
    budget: Budget | None = None  # the archive budget of the committed file, shared by every depth


# formats announced by their first bytes alone
_MAGIC = (
    (b"\x93NUMPY", "npy"),
    (b"GGUF", "gguf"),
    (_HDF5, "hdf5"),
    (b"PAR1", "parquet"),
    (b"ARROW1", "arrow"),
    (_LFS, "lfs-pointer"),
)


def sniff(head: bytes, size: int) -> str | None:
    """The format a file's first bytes announce, or None."""
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    container = containers.kind_of(head)
    if container is not None:
        return container
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if (
        len(head) >= 10
        and struct.unpack("<Q", head[:8])[0] < 1 << 32
        and head[8:9] == b"{"
        and head[9:10] in b'" \t\r\n}'
    ):
        return "safetensors"
    if looks_like_text_pickle(head) or _PROTO01_PICKLE.match(head):
        return "pickle?"  # protocol 0 or 1: walked leniently
    if head[:1] == b"\x08" and onnx.looks_like_model(head):
        return "onnx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "json"
    return None


def looks_like_text_pickle(head: bytes) -> bool:
    """A protocol 0 pickle that imports something: a GLOBAL or INST line pair near the start."""
    return head[:1] in _PROTOCOL0_FIRST and bool(_TEXT_GLOBAL.search(head))


def scan(
    stream: BinaryIO, size: int, limits: Limits, result: Result | None = None, depth: int = 0, lenient: bool = False
) -> Result:
    """Scan one file (or member). `lenient`: bytes that only look like a pickle and fail before any
    import or call are raw data (a storage inside a torch archive can start like one)."""
    result = result or Result()
    if result.budget is None:
        result.budget = limits.budget(size)
    stream.seek(0)
    head = stream.read(HEAD)
    kind = sniff(head, size)
    if kind == "json" and depth == 0:
        return result  # text configs at the top are the model-code rules' business
    if kind == "onnx" and not onnx.is_model(stream, size):
        kind = None
    if kind == "pickle?":
        kind, lenient = "pickle", True
    if depth == 0:
        result.format = kind
    if kind is None or kind in DATA_FORMATS or kind == "lfs-pointer":
        return result
    if depth > limits.max_depth:
        result.problems.append(
            Problem("archive-too-deep", f"archives nested more than {limits.max_depth} deep", "error")
        )
        return result
    problems = _by_format(kind, stream, size, limits, result, depth, lenient)
    if problems is None:  # not a pickle after all
        if depth == 0:
            result.format = None
        return result
    result.problems.extend(problems)
    return result


def _by_format(
    kind: str, stream: BinaryIO, size: int, limits: Limits, result: Result, depth: int, lenient: bool
) -> list[Problem] | None:
    stream.seek(0)
    if kind == "pickle":
        if size > limits.max_size:
            return [
                Problem(
                    "over-budget",
                    f"a {size}-byte pickle is over the size budget ([models] max-size)",
                    "error",
                    "",
                    "size",
                )
            ]
        return pickles.scan(stream, 0, size, limits.allow, limits.max_opcodes, lenient)
    if kind in containers.KINDS:
        return _container(kind, stream, limits, result, depth)
    if kind == "npy":
        return _npy(stream, size, limits)
    if kind == "safetensors":
        return tensors.safetensors(stream, size)
    if kind == "gguf":
        problems, templates = tensors.gguf(stream, size)
        return problems + [
            p for t in templates for p in code.template_problems(t, "GGUF metadata tokenizer.chat_template")
        ]
    if kind == "onnx":
        return onnx.problems(stream, size)
    if kind == "hdf5":
        return code.keras_bytes_problems(stream)
    if kind == "json":
        return _json_member(stream, size)
    return []


_HINTS = {
    "over-budget": " ([models] max-size)",
    "archive-bomb": " ([models] max-ratio)",
    "archive-too-many-members": " ([models] max-members)",
}


def _container(kind: str, stream: BinaryIO, limits: Limits, result: Result, depth: int) -> list[Problem]:
    """A zip, tar or compressed wrapper: every member worth reading is scanned by its own content."""
    assert result.budget is not None
    problems: list[Problem] = []

    def worth_reading(name: str, head: bytes, declared: int) -> bool:
        found = sniff(head, declared)
        return found is not None and found not in DATA_FORMATS

    for item in containers.members(stream, kind, result.budget, depth, worth_reading):
        if isinstance(item, Issue):
            problems.append(_problem(item))
            continue
        inner = Result(budget=result.budget)
        size = item.size if item.size >= 0 else _length(item.stream)
        # members of an archive may be raw data that merely starts like a pickle; a compressed
        # wrapper's single member is the file itself
        scan(item.stream, size, limits, inner, depth + 1, lenient=kind in ("zip", "tar"))
        problems.extend(p.inside(item.name) for p in inner.problems)
    if depth == 0 and kind == "zip":
        result.format = _zip_kind(stream)
    return problems


def _problem(issue: Issue) -> Problem:
    return Problem(issue.rule, issue.message + _HINTS.get(issue.rule, ""), "error", issue.where, issue.detail)


def _length(stream: BinaryIO) -> int:
    end = stream.seek(0, 2)
    stream.seek(0)
    return end


def _zip_kind(stream: BinaryIO) -> str:
    """What a zip at the top is: a PyTorch checkpoint, a Keras archive, numpy's npz, or a zip."""
    try:
        names = zipfile.ZipFile(stream).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    if any(n.endswith("data.pkl") for n in names):
        return "pytorch"
    if "config.json" in names and any(n.endswith(".weights.h5") for n in names):
        return "keras"
    if names and all(n.endswith(".npy") for n in names):
        return "npz"
    return "zip"


def _npy(stream: BinaryIO, size: int, limits: Limits) -> list[Problem]:
    """A numpy array file: an object array's data is a pickle, walked like any other."""
    stream.seek(6)
    version = stream.read(2)
    if len(version) != 2 or version[0] not in (1, 2, 3):
        return [Problem("npy-invalid", "a .npy header with an unknown version", "error", "", "version")]
    width = "<H" if version[0] == 1 else "<I"
    raw_length = stream.read(struct.calcsize(width))
    length = struct.unpack(width, raw_length)[0] if len(raw_length) == struct.calcsize(width) else size
    start = 8 + len(raw_length) + length
    if start > size or length > 1 << 20:
        return [Problem("npy-invalid", "the .npy header length runs past the end of the file", "error", "", "header")]
    try:
        header = ast.literal_eval(stream.read(length).decode("utf-8"))
        descr = header["descr"]
    except (ValueError, SyntaxError, UnicodeDecodeError, KeyError, TypeError, MemoryError, RecursionError):
        return [Problem("npy-invalid", "the .npy header is not a valid array description", "error", "", "header")]
    if not _holds_objects(descr):
        return []
    found = pickles.scan(stream, start, size, limits.allow, limits.max_opcodes)
    return [p.inside("object array data") for p in found or []]


def _holds_objects(descr: object) -> bool:
    if isinstance(descr, str):
        return descr.lstrip("<>|=").startswith("O")
    if isinstance(descr, (list, tuple)):
        return any(_holds_objects(field[1]) for field in descr if isinstance(field, (list, tuple)) and len(field) >= 2)
    return False


def _json_member(stream: BinaryIO, size: int) -> list[Problem]:
    """A JSON file inside an archive (a .keras model's config.json): model code rules."""
    if size > 64 << 20:
        return []
    stream.seek(0)
    try:
        data = json.loads(stream.read().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return []
    return [problem for problem, _key in code.json_problems(data)]
