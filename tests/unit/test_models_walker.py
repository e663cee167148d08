"""The pickle walker against CPython's own C unpickler: whatever the unpickler does (import, call,
finish), the walk must have seen; it may stop only where the unpickler stops too.

The unpickler runs here with `find_class` and `persistent_load` replaced by stubs that record what
they are asked and import nothing, on opcode streams generated from a grammar with small arguments
(random bytes would ask the real unpickler for gigabytes of memo).
"""

from __future__ import annotations

import io
import math
import pickle
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest

from contribution_gate.checks.models import opcodes, walker
from contribution_gate.checks.models.budget import Meter
from contribution_gate.checks.models.pickles import Allowlist, could_run


class _Events:
    def __init__(self) -> None:
        self.imported: list[tuple[str, str]] = []
        self.called = False


def _stub_class(events: _Events) -> type:
    class Stub:
        def __new__(cls, *args: Any, **kwargs: Any) -> Stub:
            events.called = True
            return super().__new__(cls)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            events.called = True

        def __setstate__(self, state: Any) -> None:
            events.called = True

        def __call__(self, *args: Any, **kwargs: Any) -> Stub:
            events.called = True
            return self

        def __getattr__(self, name: str) -> Callable[..., None]:
            def method(*args: Any) -> None:
                events.called = True

            return method

    return Stub


def _unpickle(data: bytes) -> tuple[_Events, bool]:
    events = _Events()
    stub = _stub_class(events)

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if not opcodes.importable(module):  # no module has such a name
                raise ModuleNotFoundError(module)
            events.imported.append((module, name))
            return stub

        def persistent_load(self, pid: Any) -> Any:
            return object()  # what a loader resolves: not the pickle's code

    try:  # a file with peek(), like open(): BytesIO alone makes C lose bytes at a FRAME's end
        Recording(io.BufferedReader(io.BytesIO(data))).load()  # type: ignore[arg-type]
    except Exception:
        return events, False
    return events, True


def _line(rng: random.Random, words: list[bytes]) -> bytes:
    return rng.choice(words) + b"\n"


def _generate(rng: random.Random) -> bytes:
    modules = [b"os", b"builtins", b"collections", b"a b", b"", b"x\xff", b"pkg.__main__"]
    names = [b"system", b"OrderedDict", b"eval", b"x.y"]
    numbers = [b"1", b"01", b"00", b" 12", b"0x1f", b"1_0", b"12\x00z", b"x", b"", b"9" * 30, b"1L", b"1.5", b"inf"]
    strings = [b"'a'", b'"os"', b"'x", b"b", b"'\\x4'", b"'system'"]

    def short(value: bytes) -> bytes:
        return b"\x8c" + bytes([len(value)]) + value

    pieces: list[Callable[[], bytes]] = [
        lambda: b"(",
        lambda: b".",
        lambda: b"0",
        lambda: b"1",
        lambda: b"2",
        lambda: b"N",
        lambda: b"\x88",
        lambda: b"K" + bytes([rng.randrange(256)]),
        lambda: b"I" + _line(rng, numbers),
        lambda: b"L" + _line(rng, numbers),
        lambda: b"F" + _line(rng, numbers),
        lambda: b"S" + _line(rng, strings),
        lambda: b"V" + _line(rng, [b"os", b"\\u12", b"system"]),
        lambda: short(rng.choice(modules)),
        lambda: short(rng.choice(names)),
        lambda: b"X" + struct.pack("<I", 2) + b"os",
        lambda: b"U\x02os",
        lambda: b"C\x01z",
        lambda: b")",
        lambda: b"]",
        lambda: b"}",
        lambda: b"\x8f",
        lambda: rng.choice([b"\x85", b"\x86", b"\x87", b"t", b"l", b"d", b"\x91"]),
        lambda: rng.choice([b"a", b"e", b"s", b"u", b"\x90", b"b"]),
        lambda: rng.choice([b"R", b"\x81", b"\x92", b"o"]),
        lambda: b"c" + _line(rng, modules) + _line(rng, names),
        lambda: b"i" + _line(rng, modules) + _line(rng, names),
        lambda: b"\x93",
        lambda: b"h" + bytes([rng.randrange(3)]),
        lambda: b"q" + bytes([rng.randrange(3)]),
        lambda: b"j" + struct.pack("<I", rng.randrange(3)),
        lambda: b"r" + struct.pack("<I", rng.randrange(3)),
        lambda: b"g" + _line(rng, [b"0", b"1", b" 1", b"x"]),
        lambda: b"p" + _line(rng, [b"0", b"1", b"-1", b"x"]),
        lambda: b"\x94",
        lambda: b"\x80" + bytes([rng.randrange(7)]),
        lambda: b"\x95" + struct.pack("<Q", rng.randrange(12)),
        lambda: b"P" + _line(rng, [b"1", b"", b"\xff"]),
        lambda: b"Q",
        lambda: b"\x82\x01",
        lambda: rng.choice(_JUNK),
    ]
    return b"".join(rng.choice(pieces)() for _ in range(rng.randrange(1, 14)))


# single bytes of any kind, but none that reads a memo index: the real unpickler would allocate a
# memo as large as whatever index the following bytes spell
_JUNK = [bytes([b]) for b in range(256) if b not in b"rjpgqh"]


def _walk(data: bytes) -> walker.Walk:
    return walker.walk(io.BytesIO(data), 0, len(data), Allowlist(), Meter(10_000, math.inf))


@pytest.mark.parametrize("seed", range(8))
def test_the_walk_sees_whatever_the_unpickler_does(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(1500):
        data = _generate(rng)
        events, finished = _unpickle(data)
        walked = _walk(data)
        if walked.gave_up is not None:
            continue  # a finding whatever the unpickler does
        if finished:
            assert walked.completed, data
        if events.imported:
            assert walked.imported, data
            if events.called or finished:
                assert walked.runs_code, data


def test_the_first_bytes_an_unpickler_refuses_at_once() -> None:
    """Every byte outside FIRST fails the unpickler before it imports or calls anything."""
    for code in range(256):
        if code in opcodes.FIRST:
            continue
        for tail in (b"os\nsystem\n(S'id'\ntR.", b"\x8c\x02os\x8c\x06system\x93)R.", b"N."):
            events, finished = _unpickle(bytes([code]) + tail)
            assert not finished and not events.imported, hex(code)
        assert not could_run(bytes([code]) + b"cos\nsystem\n(S'id'\ntR.", whole=True)
