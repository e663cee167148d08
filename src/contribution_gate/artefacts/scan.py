"""Route a file by its content (never its name) and scan it: pickles, archives and compressed
wrappers (recursed into by content), numpy arrays, safetensors, GGUF, ONNX, HDF5 and JSON configs.

Archive members and decompressed wrappers are copied into spooled temporary files only when their
first bytes name a format worth reading; raw tensor data is never copied. Decompressed bytes count
against `max_size` (a zip or gzip bomb is an error, not an exhausted machine).
"""

from __future__ import annotations

import ast
import bz2
import gzip
import json
import lzma
import re
import struct
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

from . import Problem, code, onnx, pickles, tensors

HEAD = 4096
SPOOL = 16 << 20
_TEXT_GLOBAL = re.compile(rb"(?:^|[\n(])[ci][A-Za-z_][\w.]*\n[A-Za-z_][\w.]*\n")
_PROTOCOL0_FIRST = b"(cidlpSVIFLNt}])"
_PROTO01_PICKLE = re.compile(rb"^(?:\(?[dl]p0\n|[}\]](?:q\x00|r\x00\x00\x00\x00|\())")
_HDF5 = b"\x89HDF\r\n\x1a\n"
_LFS = b"version https://git-lfs.github.com/spec/"
MODEL_FORMATS = frozenset(
    ("pickle", "pytorch", "keras", "npz", "zip", "npy", "safetensors", "gguf", "onnx", "hdf5", "gzip", "bzip2", "xz", "tar")
)
DATA_FORMATS = frozenset(("parquet", "arrow"))


@dataclass(frozen=True)
class Limits:
    allow: pickles.Allowlist
    max_size: int = 4 << 30
    max_opcodes: int = 10_000_000
    max_depth: int = 6


@dataclass
class Result:
    """A scanned file: its format (None: not a model artefact), problems, and chat templates found."""

    format: str | None = None
    problems: list[Problem] = field(default_factory=list)
    used: int = 0  # decompressed bytes so far, against max_size


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
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if len(head) >= 10 and struct.unpack("<Q", head[:8])[0] < 1 << 32 and head[8:9] == b"{" and head[9:10] in b'" \t\r\n}':
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


def scan(stream: BinaryIO, size: int, limits: Limits, result: Result | None = None, depth: int = 0, lenient: bool = False) -> Result:
    """Scan one file (or member). `lenient`: bytes that only look like a pickle and fail before any
    import or call are raw data (a storage inside a torch archive can start like one)."""
    result = result or Result()
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
        result.problems.append(Problem("archive-too-deep", f"archives nested more than {limits.max_depth} deep", "error"))
        return result
    problems = _by_format(kind, stream, size, limits, result, depth, lenient)
    if problems is None:  # not a pickle after all
        if depth == 0:
            result.format = None
        return result
    result.problems.extend(problems)
    return result


def _by_format(kind: str, stream: BinaryIO, size: int, limits: Limits, result: Result, depth: int, lenient: bool) -> list[Problem] | None:
    stream.seek(0)
    if kind == "pickle":
        if size > limits.max_size:
            return [Problem("over-budget", f"a {size}-byte pickle is over the size budget ([models] max-size)", "error", "", "size")]
        return pickles.scan(stream, 0, size, limits.allow, limits.max_opcodes, lenient)
    if kind == "zip":
        return _zip(stream, limits, result, depth)
    if kind in ("gzip", "bzip2", "xz"):
        opener = {"gzip": gzip.GzipFile, "bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}[kind]
        try:
            # mode "rb" for gzip: it would otherwise copy the mode of a spooled "w+b" file and refuse to read
            inner = _spool(opener(fileobj=stream, mode="rb") if kind == "gzip" else opener(stream), limits, result)  # type: ignore[operator]
        except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
            return [Problem("archive-corrupt", f"the {kind} stream cannot be decompressed ({exc})", "error", "", kind)]
        if inner is None:
            return [_over_budget(limits)]
        with inner:
            inner_result = Result(used=result.used)
            scan(inner, _length(inner), limits, inner_result, depth + 1)
            result.used = inner_result.used
            return [p.inside(kind) for p in inner_result.problems]
    if kind == "tar":
        return _tar(stream, limits, result, depth)
    if kind == "npy":
        return _npy(stream, size, limits)
    if kind == "safetensors":
        return tensors.safetensors(stream, size)
    if kind == "gguf":
        problems, templates = tensors.gguf(stream, size)
        return problems + [p for t in templates for p in code.template_problems(t, "GGUF metadata tokenizer.chat_template")]
    if kind == "onnx":
        return onnx.problems(stream, size)
    if kind == "hdf5":
        return code.keras_bytes_problems(stream)
    if kind == "json":
        return _json_member(stream, size)
    return []


def _length(stream: BinaryIO) -> int:
    end = stream.seek(0, 2)
    stream.seek(0)
    return end


def _over_budget(limits: Limits) -> Problem:
    return Problem("over-budget", f"more than {limits.max_size} bytes once decompressed: over the size budget ([models] max-size)", "error", "", "size")


def _spool(source: BinaryIO, limits: Limits, result: Result) -> BinaryIO | None:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - the caller closes it
    while True:
        block = source.read(1 << 20)
        if not block:
            break
        result.used += len(block)
        if result.used > limits.max_size:
            out.close()
            return None
        out.write(block)
    out.seek(0)
    return out  # type: ignore[return-value]


def _zip(stream: BinaryIO, limits: Limits, result: Result, depth: int) -> list[Problem]:
    try:
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return [Problem("archive-corrupt", f"the zip archive cannot be read ({exc})", "error", "", "zip")]
    problems: list[Problem] = []
    names = [m.filename for m in members]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("archive-duplicate-member", f"the zip holds {dup!r} more than once: loaders disagree on which is read", "error", dup, dup))
    if depth == 0:
        result.format = _zip_kind(names)
    for member in members:
        if member.is_dir():
            continue
        if member.flag_bits & 0x1:
            problems.append(Problem("archive-encrypted", "an encrypted zip member cannot be scanned", "error", member.filename, member.filename))
            continue
        try:
            with archive.open(member) as opened:
                kind = sniff(opened.read(HEAD), member.file_size)
                if kind is None or kind in DATA_FORMATS:
                    continue
            with archive.open(member) as opened:
                inner = _spool(opened, limits, result)  # type: ignore[arg-type]
        except NotImplementedError as exc:
            problems.append(Problem("archive-unreadable", f"a zip member cannot be read ({exc})", "error", member.filename, member.filename))
            continue
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
            problems.append(Problem("archive-corrupt", f"a zip member is corrupt ({exc})", "error", member.filename, member.filename))
            continue
        if inner is None:
            problems.append(_over_budget(limits).inside(member.filename))
            break
        with inner:
            inner_result = Result(used=result.used)
            scan(inner, member.file_size, limits, inner_result, depth + 1, lenient=True)
            result.used = inner_result.used
            problems.extend(p.inside(member.filename) for p in inner_result.problems)
    return problems


def _zip_kind(names: list[str]) -> str:
    if any(n.endswith("data.pkl") for n in names):
        return "pytorch"
    if "config.json" in names and any(n.endswith(".weights.h5") for n in names):
        return "keras"
    if names and all(n.endswith(".npy") for n in names):
        return "npz"
    return "zip"


def _tar(stream: BinaryIO, limits: Limits, result: Result, depth: int) -> list[Problem]:
    problems: list[Problem] = []
    try:
        with tarfile.open(fileobj=stream, mode="r:") as archive:
            for member in archive:
                extracted = archive.extractfile(member) if member.isfile() else None
                if extracted is None:
                    continue
                inner = _spool(extracted, limits, result)  # type: ignore[arg-type]
                if inner is None:
                    return [*problems, _over_budget(limits).inside(member.name)]
                with inner:
                    inner_result = Result(used=result.used)
                    scan(inner, member.size, limits, inner_result, depth + 1, lenient=True)
                    result.used = inner_result.used
                    problems.extend(p.inside(member.name) for p in inner_result.problems)
    except (tarfile.TarError, OSError, EOFError) as exc:
        problems.append(Problem("archive-corrupt", f"the tar archive cannot be read ({exc})", "error", "", "tar"))
    return problems


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
