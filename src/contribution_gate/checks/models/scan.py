"""Route a file by its content (never its name) and scan it: pickles, archives and compressed
wrappers (recursed into by content), numpy arrays, safetensors, GGUF, ONNX, HDF5 and JSON configs.

Whatever its format, a file whose first bytes an unpickler would not refuse at once is also walked
as a pickle (`pickles.could_run`): a loader may hand any file to `pickle.load`, and a polyglot can
be valid weights and a pickle at once. Archives and compressed wrappers are opened by `containers`,
the reader every check shares. One budget per committed file bounds everything read for it, at every
depth: opcodes, time (`budget.Meter`), members, decompressed bytes and compression ratio
(`containers.Budget`); past any of them the file gets an error naming the setting, never a pass.
A member is read only when its first bytes name a format worth reading or may be a pickle, so raw
tensor data is never copied.
"""

from __future__ import annotations

import ast
import json
import struct
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from ... import containers
from ...containers import Budget, Issue
from . import code, onnx, pickles, tensors
from .budget import MAX_JSON_VALUES, Limits, Meter, OverBudget, json_values
from .problems import Problem, capped

if TYPE_CHECKING:
    from ...surveys import Survey

HEAD = containers.HEAD
_HDF5 = b"\x89HDF\r\n\x1a\n"
_LFS = b"version https://git-lfs.github.com/spec/"
MODEL_FORMATS = frozenset(
    (
        "zlib",
        "lzma",
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


@dataclass
class Result:
    """A scanned file: its format (None: not a model artefact) and problems."""

    format: str | None = None
    problems: list[Problem] = field(default_factory=list)
    budget: Budget | None = None  # the archive budget of the committed file, shared by every depth
    meter: Meter | None = None  # its opcode and time budget, shared likewise
    members: list[str] = field(default_factory=list)  # names in a zip at the top, to name its kind
    walked: bool = False  # another check's walk of the archive at the top stands for this one's


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
    """The format a file's first bytes announce, or None. "pickle": a PROTO 2-5 header; "pickle?":
    no header, but an unpickler would not refuse the first bytes before they could run code."""
    if len(head) >= 10 and head[8:9] == b"{" and head[9:10] in b'" \t\r\n}' and not _printable(head[:8]):
        return "safetensors"  # whatever length the first 8 bytes claim: an impossible one is a problem
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    container = containers.kind_of(head)
    if container is not None:
        return container
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:1] == b"\x08" and onnx.looks_like_model(head):
        return "onnx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "json"
    if pickles.could_run(head, whole=len(head) >= size):
        return "pickle?"
    return None


def _printable(raw: bytes) -> bool:
    """Plain text, as no 8-byte length is (`function{ ...` is no safetensors header), blanks and a
    UTF-8 byte order mark included (`\ufeff[\r\n  {`: a JSON file's start, ABP's `compilerconfig.json`):
    a length spelled so would be petabytes."""
    text = raw.removeprefix(b"\xef\xbb\xbf")
    return text.isascii() and all(byte >= 0x20 or byte in b"\t\r\n" for byte in text)


def may_be_pickle(head: bytes, size: int) -> bool:
    """Whether a file of any format should also be walked as a pickle: a loader may unpickle it."""
    return pickles.could_run(head, whole=len(head) >= size)


def would_read(head: bytes, declared: int) -> bool:
    """Whether an archive member with these first bytes (and declared size, -1: unknown) is one this
    check reads itself; a nested archive is not, as every walk opens it and shows its members."""
    kind = sniff(head, declared if declared >= 0 else len(head) + 1)
    return kind is not None and kind not in DATA_FORMATS and kind not in containers.KINDS


def scan(
    stream: BinaryIO, size: int, limits: Limits, meter: Meter | None = None, surveyed: Survey | None = None
) -> Result:
    """Scan one committed file (or LFS object) within one budget: `meter` when the caller started
    the file's clock already. `surveyed`: another check's walk of this archive, which stands for
    this check's own when it met no member this check reads and kept within its bounds (`surveys`):
    then the archive's members are not read again (a zip's kind stays `zip`: a PyTorch, Keras or
    npz zip holds members read here)."""
    meter = meter or limits.meter()
    budget = limits.budget(size, meter)
    result = Result(budget=budget, meter=meter)
    result.walked = surveyed is not None and surveyed.within(budget.bounds, size, meter.deadline - time.monotonic())
    _scan(stream, size, limits, result, 0)
    if result.format == "zip":
        result.format = _zip_kind(result.members)
    result.problems = capped(result.problems)
    return result


def _scan(stream: BinaryIO, size: int, limits: Limits, result: Result, depth: int, in_archive: bool = False) -> None:
    """One file or member. `in_archive`: a zip or tar member, which a loader reaches by name, so
    even a PROTO header does not make it a pickle unless it could run code."""
    stream.seek(0)
    head = stream.read(HEAD)
    kind = sniff(head, size)
    if kind == "json" and depth == 0:
        return  # text configs at the top are the model-code rules' business
    if kind == "onnx" and not onnx.is_model(stream, size):
        kind = "pickle?" if may_be_pickle(head, size) else None
    prefixed = kind in (None, "pickle?") and containers.zip_at_end(stream)
    if prefixed:
        kind = "zip"  # after a prefix, which zipfile skips: a prefix must not hide the archive
    if depth == 0:
        result.format = None if kind == "pickle?" else kind
    if kind is None or kind in DATA_FORMATS or kind == "lfs-pointer":
        return
    try:
        problems = _by_format(kind, stream, size, limits, result, depth, in_archive)
        polyglot = prefixed or (kind not in ("pickle", "pickle?") and kind not in containers.KINDS)
        if polyglot and may_be_pickle(head, size):
            found = _pickles(stream, 0, size, limits, result, strict=False)  # a polyglot
            problems = (problems or []) + (found or [])
    except OverBudget as over:
        problems = [over.problem]
    if problems is None:  # not a pickle after all
        return
    if depth == 0 and kind == "pickle?":
        result.format = "pickle"
    result.problems.extend(problems)


def _pickles(
    stream: BinaryIO, start: int, size: int, limits: Limits, result: Result, strict: bool
) -> list[Problem] | None:
    assert result.meter is not None
    if size - start > limits.max_size:
        return [
            Problem(
                "over-budget",
                f"a {size - start}-byte pickle is over the size budget ([models] max-size)",
                "error",
                "",
                "size",
            )
        ]
    return pickles.scan(stream, start, size, limits.allow, result.meter, strict)


def _by_format(
    kind: str, stream: BinaryIO, size: int, limits: Limits, result: Result, depth: int, in_archive: bool
) -> list[Problem] | None:
    stream.seek(0)
    assert result.meter is not None
    if kind in ("pickle", "pickle?"):
        return _pickles(stream, 0, size, limits, result, strict=kind == "pickle" and not in_archive)
    if kind in containers.KINDS:
        return [] if depth == 0 and result.walked else _container(kind, stream, limits, result, depth)
    if kind == "npy":
        return _npy(stream, size, limits, result)
    if kind == "safetensors":
        return tensors.safetensors(stream, size, result.meter)
    if kind == "gguf":
        problems, templates = tensors.gguf(stream, size, result.meter)
        return problems + [
            p for t in templates for p in code.template_problems(t, "GGUF metadata tokenizer.chat_template")
        ]
    if kind == "onnx":
        return onnx.problems(stream, size, result.meter)
    if kind == "hdf5":
        return code.keras_bytes_problems(stream, result.meter)
    if kind == "json":
        return _json_member(stream, size)
    return []


_HINTS = {
    ("over-budget", "size"): " ([models] max-size)",
    ("over-budget", "time"): " ([models] max-seconds)",
    ("archive-bomb", "ratio"): " ([models] max-ratio)",
    ("archive-too-many-members", "members"): " ([models] max-members)",
}


def _container(kind: str, stream: BinaryIO, limits: Limits, result: Result, depth: int) -> list[Problem]:
    """A zip, tar or compressed wrapper: every member worth reading is scanned by its own content."""
    assert result.budget is not None
    problems: list[Problem] = []
    names = result.members if depth == 0 and kind == "zip" else None

    def worth_reading(name: str, head: bytes, declared: int) -> bool:
        if names is not None:
            names.append(name)
        found = sniff(head, declared if declared >= 0 else len(head) + 1)
        return found is not None and found not in DATA_FORMATS

    for item in containers.members(stream, kind, result.budget, depth, worth_reading):
        if isinstance(item, Issue):
            problems.append(_problem(item))
            continue
        inner = Result(budget=result.budget, meter=result.meter)
        size = item.size if item.size >= 0 else _length(item.stream)
        _scan(item.stream, size, limits, inner, depth + 1, in_archive=kind in ("zip", "tar"))
        problems.extend(p.inside(item.name) for p in inner.problems)
    return problems


def _problem(issue: Issue) -> Problem:
    hint = _HINTS.get((issue.rule, issue.detail), "")
    return Problem(issue.rule, issue.message + hint, "error", issue.where, issue.detail)


def _length(stream: BinaryIO) -> int:
    end = stream.seek(0, 2)
    stream.seek(0)
    return end


def _zip_kind(names: list[str]) -> str:
    """What a zip at the top is: a PyTorch checkpoint, a Keras archive, numpy's npz, or a zip."""
    if any(n.endswith("data.pkl") for n in names):
        return "pytorch"
    if "config.json" in names and any(n.endswith(".weights.h5") for n in names):
        return "keras"
    if names and all(n.endswith(".npy") for n in names):
        return "npz"
    return "zip"


def _npy(stream: BinaryIO, size: int, limits: Limits, result: Result) -> list[Problem]:
    """A numpy array file: an object array's data is a pickle, walked like any other."""
    stream.seek(6)
    version = stream.read(2)
    if len(version) != 2 or version[0] not in (1, 2, 3):
        return [Problem("npy-invalid", "a .npy header with an unknown version", "error", "", "version")]
    width = "<H" if version[0] == 1 else "<I"
    raw_length = stream.read(struct.calcsize(width))
    length = struct.unpack(width, raw_length)[0] if len(raw_length) == struct.calcsize(width) else size
    start = 8 + len(raw_length) + length
    if start > size or length > 1 << 16:  # numpy itself refuses headers over 10,000 bytes
        return [Problem("npy-invalid", "the .npy header length runs past the end of the file", "error", "", "header")]
    try:
        header = ast.literal_eval(stream.read(length).decode("utf-8"))
        descr = header["descr"]
    except (ValueError, SyntaxError, UnicodeDecodeError, KeyError, TypeError, MemoryError, RecursionError):
        return [Problem("npy-invalid", "the .npy header is not a valid array description", "error", "", "header")]
    if not _holds_objects(descr):
        return []
    found = _pickles(stream, start, size, limits, result, strict=True)
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
    text = stream.read()
    values = json_values(text)
    if values > MAX_JSON_VALUES:
        message = f"not scanned: a JSON document of about {values} values, more than the gate parses"
        return [Problem("unscanned", message, "warning", "", "json")]
    try:
        data = json.loads(text.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    return [problem for problem, _key in code.json_problems(data)]
