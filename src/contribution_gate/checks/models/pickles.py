"""Pickle opcode streams, walked without executing them: default-deny on the globals they import.

The walker reads opcodes with `pickletools`' opcode table, keeps a symbolic stack (strings are kept,
everything else is "some value") so that STACK_GLOBAL's module and name are known, checks protocol 4
FRAME boundaries as the unpickler does, and skips byte payloads by seeking. Every global must be in
the allowlist; anything it cannot explain (unknown opcode, truncated stream, bad frame, a computed
global name, the extension registry, a budget exceeded) is a problem too. Nothing is unpickled.
"""

from __future__ import annotations

import _compat_pickle
import io
import pickletools
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO, NoReturn

from .problems import Problem

_OPS = {op.code.encode("latin-1")[0]: op for op in pickletools.opcodes}
_FIXED = {"uint1": "<B", "uint2": "<H", "int4": "<i", "uint4": "<I", "uint8": "<Q", "float8": ">d"}
_SIZED = {  # argument -> (length prefix format, is text)
    "string1": ("<B", True),
    "bytes1": ("<B", False),
    "unicodestring1": ("<B", True),
    "string4": ("<i", True),
    "bytes4": ("<I", False),
    "unicodestring4": ("<I", True),
    "bytes8": ("<Q", False),
    "unicodestring8": ("<Q", True),
    "bytearray8": ("<Q", False),
    "long1": ("<B", False),
    "long4": ("<i", False),
}
_MAX_LINE = 1 << 20
_MAX_KEPT_TEXT = 4096  # longer strings cannot be module or attribute names: skipped, not kept
_CODE_OPS = frozenset(
    ("GLOBAL", "STACK_GLOBAL", "INST", "EXT1", "EXT2", "EXT4", "REDUCE", "BUILD", "OBJ", "NEWOBJ", "NEWOBJ_EX")
)
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_UNFRAMED = frozenset(
    ("FRAME", "BINBYTES", "BINBYTES8", "BINUNICODE", "BINUNICODE8", "BYTEARRAY8")
)  # what the framer writes outside frames
WHY = {  # what a denied global is known to do, for the message
    "os": "runs commands and touches files",
    "posix": "runs commands",
    "nt": "runs commands",
    "subprocess": "runs commands",
    "pty": "spawns a shell",
    "builtins.eval": "evaluates code",
    "builtins.exec": "executes code",
    "builtins.compile": "compiles code",
    "builtins.__import__": "imports any module",
    "builtins.getattr": "reaches any attribute",
    "builtins.open": "opens files",
    "importlib": "imports any module",
    "pip": "installs packages",
    "pkgutil": "imports any object",
    "runpy": "runs modules",
    "profile": "executes code",
    "cProfile": "executes code",
    "pdb": "executes code",
    "marshal": "loads bytecode",
    "codecs.open": "opens files",
    "shutil": "changes files",
    "socket": "opens connections",
    "webbrowser": "opens URLs",
    "sys": "changes the interpreter",
    "types": "builds code objects",
    "ctypes": "calls native code",
    "code": "executes code",
    "timeit": "executes code",
}


class _Mark:
    pass


_MARK, _VALUE = _Mark(), object()


@dataclass(frozen=True)
class Allowlist:
    """Globals a pickle may import: ("module", "name") pairs. `module.name` splits at the last dot;
    `module:dotted.name` allows an attribute path (protocol 4 resolves dotted names)."""

    pairs: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, entries: Iterable[str]) -> Allowlist:
        pairs = set()
        for entry in entries:
            module, sep, name = entry.partition(":") if ":" in entry else entry.rpartition(".")
            if sep and module and name:
                pairs.add((module.strip(), name.strip()))
        return cls(frozenset(pairs))

    def extended(self, entries: Iterable[str]) -> Allowlist:
        return Allowlist(self.pairs | Allowlist.of(entries).pairs)

    def allows(self, module: str, name: str) -> bool:
        return (module, name) in self.pairs


@dataclass
class Walk:
    """What walking one pickle found. `completed`: it reached STOP; `end`: offset after it."""

    problems: list[Problem] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)
    end: int = 0
    completed: bool = False
    code_seen: bool = False  # an opcode that imports or calls was reached
    opcodes: int = 0
    result: object = None  # the value at STOP when it is a plain int (torch's legacy magic number)


class _Stop(Exception):
    pass


def _fix_name(module: str, name: str) -> tuple[str, str]:
    """Python 2 names as the unpickler maps them (fix_imports)."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def why(module: str, name: str) -> str:
    reason = WHY.get(f"{module}.{name}") or WHY.get(module) or WHY.get(module.split(".")[0])
    return f" ({reason})" if reason else ""


def walk(stream: BinaryIO, start: int, end: int, allow: Allowlist, max_opcodes: int) -> Walk:
    """Walk one pickle from `start` (its PROTO or first opcode) up to STOP, never past `end`."""
    result = Walk(end=start)
    stack: list[object] = []
    marks: list[int] = []
    memo: dict[int, object] = {}
    frame_end: int | None = None
    framing = False  # a FRAME was seen: the standard framer leaves only large payloads outside frames
    stream.seek(start)
    pos = start

    def fail(rule: str, message: str, detail: str = "") -> NoReturn:
        result.problems.append(Problem(rule, message, "error", f"offset {pos}", detail or message))
        raise _Stop

    def read(n: int) -> bytes:
        if n < 0 or stream.tell() + n > end:
            fail("pickle-truncated", f"the pickle ends in the middle of an opcode at offset {pos}")
        data = stream.read(n)
        if len(data) != n:
            fail("pickle-truncated", f"the pickle ends in the middle of an opcode at offset {pos}")
        return data

    def pop(count: int = 1) -> list[object]:
        floor = marks[-1] if marks else 0
        if len(stack) - count < floor:
            fail("pickle-invalid", f"opcode at offset {pos} takes more values than the stack holds")
        taken = stack[len(stack) - count :] if count else []
        del stack[len(stack) - count :]
        return taken

    try:
        while True:
            if pos >= end:
                fail("pickle-truncated", "the pickle stream ends before its STOP opcode")
            if frame_end is not None and pos >= frame_end:
                if pos > frame_end:
                    fail("pickle-bad-frame", f"an opcode crosses the end of a FRAME (offset {frame_end})")
                frame_end = None
            result.opcodes += 1
            if result.opcodes > max_opcodes:
                fail(
                    "pickle-over-budget",
                    f"more than {max_opcodes} opcodes: over the opcode budget ([models] max-opcodes)",
                )
            code = read(1)[0]
            op = _OPS.get(code)
            if op is None:
                fail("pickle-unknown-opcode", f"unknown opcode 0x{code:02x} at offset {pos}")
            name = op.name
            if framing and frame_end is None and name not in _UNFRAMED:
                fail(
                    "pickle-bad-frame",
                    f"{name} at offset {pos} lies outside any FRAME: a frame length does not match its content",
                )
            arg: object = None
            kind = op.arg.name if op.arg is not None else None
            if kind in _FIXED:
                fmt = _FIXED[kind]
                arg = struct.unpack(fmt, read(struct.calcsize(fmt)))[0]
            elif kind in _SIZED:
                fmt, text = _SIZED[kind]
                length = struct.unpack(fmt, read(struct.calcsize(fmt)))[0]
                if length < 0:
                    fail("pickle-invalid", f"negative length at offset {pos}")
                if kind.startswith("long") and length <= 64:
                    arg = int.from_bytes(read(length), "little", signed=True)
                elif text and length <= _MAX_KEPT_TEXT:
                    raw = read(length)
                    try:
                        arg = (
                            raw.decode("utf-8", "surrogatepass")
                            if kind.startswith("unicode")
                            else raw.decode("latin-1")
                        )
                    except UnicodeDecodeError:
                        fail("pickle-invalid", f"a string at offset {pos} is not valid UTF-8")
                else:  # a payload: skipped, but it must be there
                    if stream.tell() + length > end:
                        fail(
                            "pickle-truncated", f"a {length}-byte payload at offset {pos} runs past the end of the data"
                        )
                    stream.seek(length, io.SEEK_CUR)
                    arg = _VALUE
            elif kind is not None:  # newline-terminated arguments (protocol 0)
                lines = 2 if kind == "stringnl_noescape_pair" else 1
                raw_lines = []
                for _ in range(lines):
                    line = stream.readline(min(_MAX_LINE, max(0, end - stream.tell())))
                    if not line.endswith(b"\n"):
                        fail("pickle-truncated", f"an unterminated line argument at offset {pos}")
                    raw_lines.append(line)
                try:
                    arg = op.arg.reader(io.BytesIO(b"".join(raw_lines)))  # type: ignore[union-attr]
                except ValueError as exc:
                    fail("pickle-invalid", f"a malformed argument at offset {pos}: {exc}")
                if isinstance(arg, bytes):
                    arg = arg.decode("latin-1")
            if name in _CODE_OPS:
                result.code_seen = True
            _step(name, arg, op, stack, marks, memo, pop, fail, result, allow)
            if name == "FRAME":
                if frame_end is not None:
                    fail("pickle-bad-frame", f"a FRAME at offset {pos} starts before the previous frame ends")
                assert isinstance(arg, int)
                frame_end, framing = pos + 9 + arg, True
                if frame_end > end:
                    fail("pickle-bad-frame", f"the FRAME at offset {pos} claims {arg} bytes, more than the data holds")
                result.code_seen = True
            pos = stream.tell()
            if name == "STOP":
                if frame_end is not None and pos != frame_end:
                    fail(
                        "pickle-bad-frame", f"the stream stops inside a FRAME that claims to end at offset {frame_end}"
                    )
                result.completed, result.end = True, pos
                return result
    except _Stop:
        result.end = pos
        return result


def _step(name, arg, op, stack, marks, memo, pop, fail, result, allow) -> None:  # type: ignore[no-untyped-def]
    """One opcode's effect on the symbolic stack and memo; globals are judged here."""
    if name == "MARK":
        marks.append(len(stack))
    elif name in ("GLOBAL", "INST"):
        module, _, attr = str(arg).partition(" ")
        if name == "INST":
            _pop_to_mark(stack, marks, fail)
        _global(module, attr, result, allow, fail)
        stack.append(_VALUE)
    elif name == "STACK_GLOBAL":
        module, attr = pop(2)
        if not isinstance(module, str) or not isinstance(attr, str):
            fail(
                "pickle-computed-global",
                "a STACK_GLOBAL whose module or name is not a literal string: cannot be judged",
            )
        _global(module, attr, result, allow, fail)
        stack.append(_VALUE)
    elif name in ("EXT1", "EXT2", "EXT4"):
        fail(
            "pickle-extension-registry",
            f"{name} imports an object through copyreg's extension registry",
            f"{name}:{arg}",
        )
    elif name in ("GET", "BINGET", "LONG_BINGET"):
        if arg not in memo:
            fail("pickle-invalid", f"{name} reads memo slot {arg}, which was never written")
        stack.append(memo[arg])
    elif name in ("PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE"):
        if not stack or (marks and len(stack) == marks[-1]):
            fail("pickle-invalid", f"{name} with nothing on the stack")
        memo[len(memo) if name == "MEMOIZE" else arg] = stack[-1]
    elif name == "DUP":
        stack.append(pop(1)[0])
        stack.append(stack[-1])
    elif name == "POP":
        if marks and len(stack) == marks[-1]:
            marks.pop()
        else:
            pop(1)
    elif name == "PROTO":
        if not isinstance(arg, int) or arg > 5:
            fail("pickle-unknown-protocol", f"pickle protocol {arg} is newer than any this walker knows")
    elif name == "STOP":
        (value,) = pop(1)
        result.result = value
    elif name in ("INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4"):
        stack.append(arg)
    elif name in ("STRING", "BINSTRING", "SHORT_BINSTRING", "UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8"):
        stack.append(arg if isinstance(arg, str) else _VALUE)
    else:
        _generic(op, stack, marks, pop, fail)


def _pop_to_mark(stack: list[object], marks: list[int], fail) -> None:  # type: ignore[no-untyped-def]
    if not marks:
        fail("pickle-invalid", "an opcode needs a MARK and there is none")
    del stack[marks.pop() :]


def _generic(op: pickletools.OpcodeInfo, stack: list[object], marks: list[int], pop, fail) -> None:  # type: ignore[no-untyped-def]
    before = [s.name for s in op.stack_before]
    if "mark" in before:
        _pop_to_mark(stack, marks, fail)
        pop(before.index("mark"))
    else:
        pop(len(before))
    for item in op.stack_after:
        if item.name == "mark":
            marks.append(len(stack))
        else:
            stack.append(_VALUE)


def _global(module: str, name: str, result: Walk, allow: Allowlist, fail) -> None:  # type: ignore[no-untyped-def]
    module, name = _fix_name(module, name)
    result.globals.append(f"{module}.{name}")
    if not allow.allows(module, name):
        result.problems.append(
            Problem(
                "pickle-unsafe-global",
                f"the pickle imports {module}.{name}{why(module, name)}, which is not in the allowlist",
                "error",
                "",
                f"{module}.{name}",
            )
        )


def scan(
    stream: BinaryIO, start: int, end: int, allow: Allowlist, max_opcodes: int, lenient: bool = False
) -> list[Problem] | None:
    """Every pickle of a stream from `start`: consecutive pickles (torch's legacy format writes five,
    then raw storage bytes) and anything after them. None when `lenient` and the bytes are not a
    pickle at all (the walk failed before anything that imports or calls: nothing could run)."""
    problems: list[Problem] = []
    first = walk(stream, start, end, allow, max_opcodes)
    if lenient and not first.completed and not first.code_seen:
        return None
    walks = [first]
    while walks[-1].completed and walks[-1].end < end and _starts_pickle(stream, walks[-1].end):
        walks.append(walk(stream, walks[-1].end, end, allow, max_opcodes))
    for one in walks:
        problems.extend(one.problems)
    last = walks[-1]
    legacy_torch = first.result == TORCH_LEGACY_MAGIC and len(walks) >= 5
    if last.completed and last.end < end and not legacy_torch:
        problems.append(
            Problem(
                "pickle-trailing-data",
                f"{end - last.end} bytes follow the pickle's STOP: nothing explains them",
                "error",
                f"offset {last.end}",
                "trailing",
            )
        )
    return problems


def _starts_pickle(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    head = stream.read(2)
    return len(head) == 2 and head[0] == 0x80 and head[1] <= 5
