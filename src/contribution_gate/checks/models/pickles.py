"""Pickles judged by what an unpickler would do with them, never by a header or a file name.

`walker.walk` follows one pickle as the unpickler would run it. Here the walks are chained the way a
loader calling `pickle.load` again and again meets them (torch's legacy format holds five pickles),
and judged: every global must be in the allowlist (default-deny), and what the walker cannot explain
is a problem. A stream that starts with a PROTO 2-5 header is a pickle (`strict`): anything wrong
with it is reported. Any other stream is judged by what it would do: a text file whose bytes happen
to be opcodes (`click` / `requests`) is not a pickle unless loading it could run code: an import,
then a call or the end of the pickle, or an import that runs code by itself. A walk that stops for
the walker's own reasons (a budget) is always a problem, never a pass.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from ...wording import plural
from . import opcodes, walker
from .budget import Meter
from .problems import Problem

TORCH_LEGACY_MAGIC = walker.TORCH_LEGACY_MAGIC
MAX_PICKLES = 1000  # back to back in one stream: a loader needs five at most (torch's legacy format)
BLOCK = 512  # dbm.dumb (shelve) starts each value on a block of this size, NUL-padded
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


_NOTHING = Allowlist()


def why(module: str, name: str) -> str:
    reason = WHY.get(f"{module}.{name}") or WHY.get(module) or WHY.get(module.split(".")[0])
    return f" ({reason})" if reason else ""


def _problems(walk: walker.Walk) -> list[Problem]:
    found = [
        Problem(
            "pickle-unsafe-global",
            f"the pickle imports {qualified}{why(*qualified.rsplit('.', 1))}, which is not in the allowlist",
            "error",
            "",
            qualified,
        )
        for qualified, allowed in walk.globals.items()
        if not allowed
    ]
    found += walk.problems
    found += [p for p in (walk.stopped, walk.gave_up) if p is not None]
    return found


def _strict_head(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    head = stream.read(2)
    return len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def scan(
    stream: BinaryIO, start: int, end: int, allow: Allowlist, meter: Meter, strict: bool = True
) -> list[Problem] | None:
    """The problems of every pickle of a stream from `start`, back to back. `strict`: the stream is a
    pickle whatever it does (a PROTO 2-5 header, a numpy object array), so a walk that cannot finish
    is a problem. Otherwise None when nothing in it could run code: it is not a pickle."""
    problems: list[Problem] = []
    relevant = False
    offset, count, first_result = start, 0, None
    last: walker.Walk | None = None
    stopped = False  # by a budget: what follows was not read, so it is not "trailing data"
    while True:
        this_strict = strict if count == 0 else strict and _strict_head(stream, offset)
        last = walker.walk(stream, offset, end, allow, meter)
        count += 1
        first_result = last.result if count == 1 else first_result
        if this_strict or last.runs_code or last.gave_up is not None:
            relevant = True
            problems += _problems(last)
        elif strict and not last.completed:  # after a strict pickle: bytes nothing explains
            problems.append(_trailing(end - offset, offset))
        if not last.completed or last.end >= end or last.gave_up is not None:
            break
        if first_result == TORCH_LEGACY_MAGIC and count == 5:  # then raw storage bytes
            break
        if count >= MAX_PICKLES:
            problems.append(
                Problem(
                    "pickle-over-budget",
                    f"more than {MAX_PICKLES} pickles back to back: the rest was not read",
                    "error",
                    f"offset {last.end}",
                    "pickles",
                )
            )
            relevant = stopped = True
            break
        if meter.expired():
            problems.append(meter.over_time())
            relevant = stopped = True
            break
        offset = _past_padding(stream, last.end, start, end)
        if offset >= end:
            break
    after = _past_padding(stream, last.end, start, end) if strict and not stopped and last.completed else end
    if after < end and first_result != TORCH_LEGACY_MAGIC:
        problems.append(_trailing(end - after, after))
    return problems if strict or relevant else None


def _past_padding(stream: BinaryIO, offset: int, start: int, end: int) -> int:
    """Where the next pickle may start: past the NUL bytes that fill the rest of a 512-byte block
    (`shelve`'s `dbm.dumb` file starts every value on a block: promptflow's `*.shelve.dat`
    recordings), else `offset` itself. Only zeros are skipped, and only up to the block's end."""
    boundary = start + -(-(offset - start) // BLOCK) * BLOCK
    if boundary == offset:
        return offset
    stream.seek(offset)
    gap = stream.read(min(boundary, end) - offset)
    return min(boundary, end) if gap and not gap.strip(b"\x00") else offset


def _trailing(count: int, offset: int) -> Problem:
    return Problem(
        "pickle-trailing-data",
        f"{plural(count, 'byte')} follow{'s' if count == 1 else ''} the pickle's STOP: nothing explains them",
        "error",
        f"offset {offset}",
        "trailing",
    )


def could_run(head: bytes, whole: bool) -> bool:
    """Whether a stream starting with `head` may be a pickle that runs code, from its first bytes
    alone (`whole`: `head` is all of it). False only when an unpickler would refuse it before anything
    that could run code."""
    if not head or head[0] not in opcodes.FIRST:
        return False
    meter = Meter(max_opcodes=len(head) + 1, max_seconds=math.inf)
    walk = walker.walk(io.BytesIO(head), 0, len(head), _NOTHING, meter)
    if walk.runs_code or walk.gave_up is not None or walk.completed:
        return True  # a finished pickle: another may follow it
    return walk.ran_out and not whole
