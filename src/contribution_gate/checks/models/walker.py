"""One pickle walked opcode by opcode the way Python's unpickler would run it, without running it.

The walker follows CPython's C unpickler (`Modules/_pickle.c`, what `pickle.load` and `torch.load`
use) and, where the pure-Python `pickle._Unpickler` is looser, that one too: it stops (*rejects*)
only where every unpickler certainly raises (an unknown opcode, the data ends, the stack or the
mark stack underflows, a memo slot never written, a malformed argument, a module name that cannot
be imported) and otherwise goes on, even past what no pickler writes (a FRAME length that does not
match, an opcode outside frames): those are recorded as problems, not reasons to stop. So whatever
the unpickler would do, the walk has seen first.

There is no PROTO requirement: an unpickler runs opcodes from the first byte, whatever they are.
A symbolic stack keeps strings (so STACK_GLOBAL's module and name are known) and "some value"
otherwise; payloads are skipped by seeking, long lines are streamed, and what is held at once is
bounded, so memory stays flat whatever the pickle claims.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO, NoReturn, Protocol

from .budget import TICK, Meter, OverBudget
from .opcodes import (
    HIGHEST_PROTOCOL,
    KEEP,
    LINE_KEEP,
    NAMES,
    Malformed,
    acts_on_import,
    c_int,
    fix_name,
    float_ok,
    importable,
    int_of,
    py_int,
    string_line,
)
from .pickle_input import Input
from .problems import Problem

KEPT_TOTAL = 16 << 20  # characters of strings kept per pickle: past that, strings are not kept
MAX_HELD = 1 << 21  # values on the stack, marks and memo slots at once
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_UNFRAMED = frozenset(b"\x95BX\x8e\x8d\x96")  # what the standard framer writes outside frames
_FRAME_SIZE_MIN = 4  # pickle._Framer writes the data of a smaller frame without a FRAME opcode


class Sym:
    """A value the walker does not keep."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


ANY = Sym("any")  # could be anything: a global, the result of a call, a persistent object
OTHER = Sym("other")  # built by the pickle and not a str: a number, bytes, a container, None
LONG_STR = Sym("long str")  # a str too long to keep


@dataclass
class Walk:
    """What one pickle would do. `completed`: STOP was reached; `stopped`: why the unpickler would
    raise where the walk ended (it does nothing more); `gave_up`: why the walker stopped although
    the unpickler might go on (a budget): never a pass."""

    start: int = 0
    end: int = 0
    completed: bool = False
    stopped: Problem | None = None
    gave_up: Problem | None = None
    imported: bool = False  # an opcode that imports ran (GLOBAL, INST, STACK_GLOBAL, EXT*)
    called: bool = False  # after an import, an opcode that calls into an object ran
    acts_on_import: bool = False  # an import that runs code by itself (a __main__, an unknown name)
    problems: list[Problem] = field(default_factory=list)
    globals: dict[str, bool] = field(default_factory=dict)  # module.name -> allowed
    opcodes: int = 0
    result: object = None  # the value at STOP when it is torch's legacy magic number
    proto: int = 0
    ran_out: bool = False  # it stopped because the data ended

    @property
    def runs_code(self) -> bool:
        """Whether loading it could run code: an import that acts by itself, or an import and then
        a call or the end of the pickle (what it built is handed to the caller)."""
        return self.imported and (self.completed or self.called or self.acts_on_import)


class _Reject(Exception):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


class _GiveUp(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def walk(stream: BinaryIO, start: int, end: int, allow: Allowed, meter: Meter) -> Walk:
    """Walk one pickle from `start` up to its STOP (or to where the unpickler would raise), never
    past `end`. Opcodes count against the file's `meter`."""
    result = Walk(start=start, end=start)
    data = Input(stream, start, end)
    try:
        _run(data, result, allow, meter)
    except Malformed as bad:
        result.stopped = Problem("pickle-invalid", str(bad), "error", f"offset {result.end}", "pickle-invalid")
    except _Reject as stop:
        result.stopped = Problem(stop.rule, str(stop), "error", f"offset {result.end}", stop.rule)
        result.ran_out = stop.rule == "pickle-truncated"
    except _GiveUp as given:
        result.gave_up = given.problem
    except OverBudget as over:
        result.gave_up = over.problem
    meter.opcodes += result.opcodes
    return result


class Allowed(Protocol):
    """What the walker asks of an allowlist."""

    def allows(self, module: str, name: str) -> bool: ...


def _reject(rule: str, message: str) -> NoReturn:
    raise _Reject(rule, message)


def _text_line(data: Input, meter: Meter, what: str, ascii_only: bool, empty_ok: bool = False) -> str:
    """A GLOBAL/INST/PERSID line decoded as the unpickler decodes it."""
    line = data.line(meter)
    if line is None:
        _reject("pickle-truncated", f"an unterminated {what} line")
    kept, length, _ = line
    if length < 1 and not empty_ok:
        _reject("pickle-invalid", f"an empty {what} line")
    try:
        return kept.decode("ascii" if ascii_only else "utf-8")
    except UnicodeDecodeError as exc:
        if length > LINE_KEEP and exc.start >= len(kept) - 4:  # cut in the middle of a character
            return kept[: exc.start].decode("utf-8")
        _reject("pickle-invalid", f"a {what} line that is not {'ASCII' if ascii_only else 'UTF-8'}")


def _checkpoint(result: Walk, budget: int, meter: Meter, held: int, pos: int) -> None:
    """Every TICK opcodes: the file's opcode budget, its clock, and what the walk holds."""
    if result.opcodes > budget:
        raise _GiveUp(
            Problem(
                "pickle-over-budget",
                f"more than {meter.max_opcodes} opcodes in this file: over the opcode budget "
                "([models] max-opcodes); the rest was not read",
                "error",
                f"offset {pos}",
                "opcodes",
            )
        )
    if meter.expired():
        raise _GiveUp(meter.over_time())
    if held > MAX_HELD:
        raise _GiveUp(
            Problem(
                "pickle-over-budget",
                f"more than {MAX_HELD} values held at once: over the walker's memory budget",
                "error",
                f"offset {pos}",
                "values",
            )
        )


def _run(data: Input, result: Walk, allow: Allowed, meter: Meter) -> None:
    stack: list[object] = []
    marks: list[int] = []
    memo: dict[int, object] = {}
    budget = meter.max_opcodes - meter.opcodes
    frame_end: int | None = None
    framing = False
    bare_since: int | None = None  # where the run of opcodes outside any frame began
    short_frame = False  # the last FRAME is shorter than any the framer writes: what follows it is suspect
    bad_frame = False
    lost = False  # a PUT whose index was not parsed (padded past LINE_KEEP)
    kept_chars = 0  # characters of kept strings: past KEPT_TOTAL strings are no longer kept
    fence = 0  # the stack position of the top mark: nothing below it may be popped
    unpack = struct.unpack
    pos = data.tell()

    def frame_problem(message: str) -> None:
        nonlocal bad_frame
        if not bad_frame:
            bad_frame = True
            result.problems.append(Problem("pickle-bad-frame", message, "error", f"offset {pos}", "frame"))

    def underflow(name: str) -> NoReturn:
        _reject("pickle-invalid", f"{name} at offset {pos} takes more values than the stack holds")

    def pop() -> object:
        if len(stack) <= fence:
            underflow(name)
        return stack.pop()

    def marker() -> int:
        nonlocal fence
        if not marks:
            _reject("pickle-invalid", f"{name} at offset {pos} needs a MARK and there is none")
        mark = marks.pop()
        fence = marks[-1] if marks else 0
        return mark

    def sized(width: int, fmt: str) -> int:
        raw = data.take(width)
        if raw is None:
            _reject("pickle-truncated", f"the pickle ends in the middle of {name} at offset {pos}")
        return int(unpack(fmt, raw)[0])

    def payload(length: int) -> bytes | None:
        """A length-prefixed argument: kept when short, else skipped (it must be there)."""
        if length <= KEEP:
            raw = data.take(length)
            if raw is not None:
                return raw
        elif data.skip(length):
            return None
        _reject("pickle-truncated", f"a {length}-byte argument at offset {pos} runs past the end of the data")

    def text_value(raw: bytes | None, encoding: str) -> object:
        nonlocal kept_chars
        if raw is None:
            return LONG_STR
        try:
            text = raw.decode(encoding, "surrogatepass" if encoding == "utf-8" else "strict")
        except UnicodeDecodeError:
            _reject("pickle-invalid", f"a string at offset {pos} is not valid {encoding}")
        kept_chars += len(text)
        return text if kept_chars <= KEPT_TOTAL else LONG_STR

    def imports(module: str, attr: str, known: bool = True) -> None:
        if result.proto < 3:
            module, attr = fix_name(module, attr)
        if known and not importable(module):
            _reject("pickle-invalid", f"{name} at offset {pos} names module {module[:80]!r}, which cannot be imported")
        result.acts_on_import |= not known or acts_on_import(module)
        if known and not importable(attr) and not result.acts_on_import:
            # the import ran, then the lookup raises before any call: text such as a tree-sitter
            # query (`(import_declaration\n  (scoped_identifier`) reads as INST of no name at all
            _reject("pickle-invalid", f"{name} at offset {pos} names {attr[:80]!r}, which no module holds")
        result.imported = True
        qualified = f"{module}.{attr}"
        if known and qualified not in result.globals and len(result.globals) < 4 * KEEP:
            result.globals[qualified] = allow.allows(module, attr)

    def recall(index: int | None) -> object:
        if index is not None and index in memo:
            return memo[index]
        if lost:
            return ANY
        _reject("pickle-invalid", f"{name} at offset {pos} reads memo slot {index}, which was never written")

    def touches(target: object) -> None:
        """An opcode that calls a method of `target` (extend, __setitem__, __setstate__, add)."""
        if target is ANY and result.imported:
            result.called = True

    name = "opcode"
    count = 0
    check_at = min(TICK, budget + 1)
    try:
        while True:
            i, buf = data.i, data.buf
            pos = data.base + i
            result.end = pos
            if frame_end is not None and pos >= frame_end:
                if pos > frame_end:  # read from a file without peek() (torch's BytesIO), C loses bytes here
                    raise _GiveUp(
                        Problem(
                            "pickle-bad-frame",
                            f"an opcode crosses the end of a FRAME (offset {frame_end}): unpicklers disagree on "
                            "what follows, so it cannot be judged",
                            "error",
                            f"offset {frame_end}",
                            "frame",
                        )
                    )
                frame_end = None
            if i < len(buf):
                code = buf[i]
                data.i = i + 1
            else:
                code = data.byte()
                if code < 0:
                    _reject("pickle-truncated", "the pickle stream ends before its STOP opcode")
            count += 1
            if count >= check_at:  # every TICK opcodes, and exactly when the budget runs out
                result.opcodes = count
                _checkpoint(result, budget, meter, len(stack) + len(marks) + len(memo), pos)
                check_at = min(count + TICK, budget + 1)
            if framing and frame_end is None:
                # the framer writes a frame of fewer than _FRAME_SIZE_MIN bytes bare (a pickle's last
                # `MEMOIZE SETITEMS STOP` after a large string): a longer bare run is no framer's
                if bare_since is None and code not in _UNFRAMED:
                    bare_since = pos
                run = (pos if code in _UNFRAMED else pos + 1) - bare_since if bare_since is not None else 0
                if bare_since is not None and (run >= _FRAME_SIZE_MIN or short_frame):
                    frame_problem(
                        f"an opcode at offset {bare_since} lies outside any FRAME: a frame length does not match its content"
                    )
                if code in _UNFRAMED:
                    bare_since = None
            else:
                bare_since = None
            op = NAMES.get(code)
            if op is None:
                _reject("pickle-unknown-opcode", f"unknown opcode 0x{code:02x} at offset {pos}")
            name = op
            # -- the most frequent first: memo, marks, strings, small ints, tuples, calls
            if code in (0x71, 0x72, 0x94):  # BINPUT, LONG_BINPUT, MEMOIZE
                index = len(memo) if code == 0x94 else sized(1, "<B") if code == 0x71 else sized(4, "<I")
                if len(stack) <= fence:
                    underflow(name)
                memo[index] = stack[-1]
            elif code in (0x68, 0x6A):  # BINGET, LONG_BINGET
                stack.append(recall(sized(1, "<B") if code == 0x68 else sized(4, "<I")))
            elif code == 0x28:  # MARK
                marks.append(len(stack))
                fence = len(stack)
            elif code in (0x8C, 0x58, 0x8D):  # SHORT_BINUNICODE, BINUNICODE, BINUNICODE8
                length = sized(1, "<B") if code == 0x8C else sized(4, "<I") if code == 0x58 else sized(8, "<Q")
                stack.append(text_value(payload(length), "utf-8"))
            elif code in (0x4B, 0x4D, 0x4A):  # BININT1, BININT2, BININT
                if data.take(1 if code == 0x4B else 2 if code == 0x4D else 4) is None:
                    _reject("pickle-truncated", f"the pickle ends in the middle of {name} at offset {pos}")
                stack.append(OTHER)
            elif code in (0x85, 0x86, 0x87):  # TUPLE1, TUPLE2, TUPLE3
                width = code - 0x84
                if len(stack) - width < fence:
                    underflow(name)
                del stack[len(stack) - width :]
                stack.append(OTHER)
            elif code in (0x74, 0x6C, 0x91):  # TUPLE, LIST, FROZENSET
                del stack[marker() :]
                stack.append(OTHER)
            elif (
                code == 0x29
                or code == 0x5D
                or code == 0x7D
                or code == 0x8F
                or code == 0x4E
                or code == 0x88
                or code == 0x89
            ):
                stack.append(OTHER)  # EMPTY_TUPLE, EMPTY_LIST, EMPTY_DICT, EMPTY_SET, NONE, NEWTRUE, NEWFALSE
            elif code == 0x52:  # REDUCE
                pop()
                pop()
                stack.append(ANY)
                result.called |= result.imported
            elif code == 0x62:  # BUILD
                if len(stack) - 2 < fence:
                    underflow(name)
                stack.pop()
                touches(stack[-1])
            elif code in (0x81, 0x92):  # NEWOBJ, NEWOBJ_EX
                for _ in range(2 if code == 0x81 else 3):
                    pop()
                stack.append(ANY)
                result.called |= result.imported
            elif code == 0x61:  # APPEND: do_append(len - 1)
                if len(stack) - 1 <= fence:
                    underflow(name)
                stack.pop()
                touches(stack[-1])
            elif code in (0x65, 0x75, 0x90):  # APPENDS, SETITEMS, ADDITEMS
                mark = marker()
                if mark > len(stack) or mark <= fence:
                    underflow(name)
                if code == 0x75 and (len(stack) - mark) % 2:
                    _reject("pickle-invalid", f"SETITEMS at offset {pos} has an odd number of items")
                if mark < len(stack):
                    touches(stack[mark - 1])
                    del stack[mark:]
            elif code == 0x73:  # SETITEM: do_setitems(len - 2)
                if len(stack) - 2 <= fence:
                    underflow(name)
                del stack[-2:]
                touches(stack[-1])
            elif code == 0x64:  # DICT
                mark = marker()
                if (len(stack) - mark) % 2:
                    _reject("pickle-invalid", f"DICT at offset {pos} has an odd number of items")
                del stack[mark:]
                stack.append(OTHER)
            elif code == 0x93:  # STACK_GLOBAL
                attr, module = pop(), pop()
                if isinstance(module, str) and isinstance(attr, str):
                    imports(module, attr)
                elif module is OTHER or attr is OTHER:
                    _reject("pickle-invalid", f"STACK_GLOBAL at offset {pos} needs two strings")
                else:
                    result.problems.append(
                        Problem(
                            "pickle-computed-global",
                            "a STACK_GLOBAL whose module or name is not a literal string: cannot be judged",
                            "error",
                            f"offset {pos}",
                            "computed",
                        )
                    )
                    imports("?", "?", known=False)
                stack.append(ANY)
            elif code in (0x63, 0x69):  # GLOBAL, INST
                ascii_only = code == 0x69
                module = _text_line(data, meter, "module", ascii_only)
                attr = _text_line(data, meter, "name", ascii_only)
                imports(module, attr)  # the pure-Python unpickler imports before INST looks for its MARK
                if code == 0x69:
                    del stack[marker() :]
                    result.called = True
                stack.append(ANY)
            elif code == 0x6F:  # OBJ
                mark = marker()
                if len(stack) - mark < 1:
                    underflow(name)
                del stack[mark:]
                stack.append(ANY)
                result.called |= result.imported
            elif code in (0x82, 0x83, 0x84):  # EXT1, EXT2, EXT4
                number = sized(1, "<B") if code == 0x82 else sized(2, "<H") if code == 0x83 else sized(4, "<i")
                if number <= 0:
                    _reject("pickle-invalid", f"{name} at offset {pos} names extension code {number}")
                result.problems.append(
                    Problem(
                        "pickle-extension-registry",
                        f"{name} imports an object through copyreg's extension registry",
                        "error",
                        f"offset {pos}",
                        f"{name}:{number}",
                    )
                )
                # the registry's entry is imported only where the loading process registered the code
                # (CPython's registry starts empty): that lookup alone is no action, so bytes that
                # merely start with an EXT opcode and then fail (a binary dataset) are no pickle,
                # while a pickle that goes on to call or to finish is one (`runs_code`)
                result.imported = True
                stack.append(ANY)
            elif code == 0x2E:  # STOP
                value = pop()
                result.result = value if value == TORCH_LEGACY_MAGIC else None
                result.end = data.tell()
                if frame_end is not None and result.end != frame_end:
                    frame_problem(f"the stream stops inside a FRAME that claims to end at offset {frame_end}")
                result.completed = True
                return
            elif code == 0x30:  # POP
                if marks and marks[-1] == len(stack):
                    marks.pop()
                    fence = marks[-1] if marks else 0
                else:
                    pop()
            elif code == 0x31:  # POP_MARK
                del stack[marker() :]
            elif code == 0x32:  # DUP
                if len(stack) <= fence:
                    underflow(name)
                stack.append(stack[-1])
            elif code == 0x80:  # PROTO
                version = sized(1, "<B")
                if version > HIGHEST_PROTOCOL:
                    _reject("pickle-unknown-protocol", f"pickle protocol {version} is newer than any unpickler knows")
                result.proto = version
            elif code == 0x95:  # FRAME: the unpickler only needs its bytes to be there
                length = sized(8, "<Q")
                here = data.tell()
                if here + length > data.end:
                    _reject(
                        "pickle-truncated", f"the FRAME at offset {pos} claims {length} bytes, more than the data holds"
                    )
                if frame_end is not None:
                    raise _GiveUp(
                        Problem(
                            "pickle-bad-frame",
                            f"a FRAME at offset {pos} starts before the previous frame ends: unpicklers disagree "
                            "on what follows, so it cannot be judged",
                            "error",
                            f"offset {pos}",
                            "frame",
                        )
                    )
                frame_end, framing, short_frame = here + length, True, length < _FRAME_SIZE_MIN
            elif code in (0x53, 0x56):  # STRING, UNICODE
                line = data.line(meter)
                if line is None:
                    _reject("pickle-truncated", f"an unterminated {name} line at offset {pos}")
                kept, length, last = line
                stack.append(text_value(string_line(code, kept, length, last, pos), "latin-1"))
            elif code in (0x54, 0x55):  # BINSTRING (unsigned in C), SHORT_BINSTRING
                length = sized(4, "<I") if code == 0x54 else sized(1, "<B")
                stack.append(text_value(payload(length), "latin-1"))
            elif code in (0x42, 0x43, 0x8E, 0x96):  # BINBYTES, SHORT_BINBYTES, 8, BYTEARRAY8
                length = sized(4, "<I") if code == 0x42 else sized(1, "<B") if code == 0x43 else sized(8, "<Q")
                payload(length)
                stack.append(OTHER)
            elif code in (0x8A, 0x8B):  # LONG1, LONG4
                length = sized(1, "<B") if code == 0x8A else sized(4, "<i")
                if length < 0:
                    _reject("pickle-invalid", f"LONG4 at offset {pos} has a negative byte count")
                raw = payload(length)
                big = int.from_bytes(raw, "little", signed=True) if raw is not None else None
                stack.append(TORCH_LEGACY_MAGIC if big == TORCH_LEGACY_MAGIC else OTHER)
            elif code in (0x49, 0x4C, 0x46):  # INT, LONG, FLOAT
                line = data.line(meter)
                if line is None:
                    _reject("pickle-truncated", f"an unterminated {name} line at offset {pos}")
                kept, length, last = line
                if length < 1:
                    _reject("pickle-invalid", f"an empty {name} line at offset {pos}")
                if length <= LINE_KEEP:
                    text = kept[:-1] if code == 0x4C and last == 0x4C else kept
                    ok = c_int(text) if code == 0x49 else py_int(text, 0) if code == 0x4C else float_ok(text)
                    if not ok:
                        _reject("pickle-invalid", f"{name} at offset {pos} has a malformed number")
                stack.append(OTHER)
            elif code == 0x47:  # BINFLOAT
                if data.take(8) is None:
                    _reject("pickle-truncated", f"the pickle ends in the middle of {name} at offset {pos}")
                stack.append(OTHER)
            elif code in (0x67, 0x70):  # GET, PUT
                line = data.line(meter)
                if line is None:
                    _reject("pickle-truncated", f"an unterminated {name} line at offset {pos}")
                kept, length, _ = line
                if length < 1:
                    _reject("pickle-invalid", f"{name} at offset {pos} has no memo index")
                slot = int_of(kept, 10) if length <= LINE_KEEP else None  # a padded index is not parsed
                if slot is None and length <= LINE_KEEP:
                    _reject("pickle-invalid", f"{name} at offset {pos} has a malformed memo index")
                if code == 0x67:
                    stack.append(recall(slot))
                else:
                    if len(stack) <= fence:
                        underflow(name)
                    if slot is not None and slot < 0:
                        _reject("pickle-invalid", f"PUT at offset {pos} has a negative index")
                    if slot is None:
                        lost = True  # some slot was written: a GET of an unknown slot is no longer an error
                    else:
                        memo[slot] = stack[-1]
            elif code == 0x50:  # PERSID: torch's unpickler resolves it; a plain one refuses
                _text_line(data, meter, "persistent id", True, empty_ok=True)
                stack.append(ANY)
            elif code == 0x51:  # BINPERSID
                pop()
                stack.append(ANY)
            elif code == 0x97:  # NEXT_BUFFER: only with out-of-band buffers
                stack.append(ANY)
            elif code == 0x98:  # READONLY_BUFFER
                if len(stack) <= fence:
                    underflow(name)
            else:  # pragma: no cover - every opcode pickletools knows has a branch
                _reject("pickle-unknown-opcode", f"opcode {name} at offset {pos} is not handled")
    finally:
        result.opcodes = count
