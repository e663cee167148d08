"""What Python rebuilds at every start, kept between runs as bytecode is: a hook pays its start-up
on every commit, and about half of it went to `re` parsing and compiling the same few hundred
patterns (the rules, the checks' module-level patterns) and to compiling the methods `dataclasses`
writes for the same few dozen classes, all in pure Python.

`install()` does two things for this process:

- **Patterns**: `re`'s compiler is wrapped; a pattern compiled before (same text, flags, Python
  build and `_sre` engine) is rebuilt from its kept opcodes by `_sre.compile`, which makes the
  same pattern object `re` makes; any other is compiled by `re` and kept at exit.
- **Dataclass methods**: `dataclasses` compiles the source of each `__init__`, `__eq__`, ... it
  writes; the code objects of sources seen before are kept (`marshal`, like a `.pyc`) and run, not
  compiled again. What runs is the same source's code, so the classes are the same.

Both live in one file in the user's cache (`$XDG_CACHE_HOME/contribution-gate/data/`), keyed by
the exact interpreter and engine version, so no other Python reads it, and written atomically.
Anything unexpected (a cache that cannot be read or written, a Python without these internals)
leaves `re` and `dataclasses` as they are. Only the command line installs it: a library user's
`re` and `dataclasses` are never touched.
"""

from __future__ import annotations

import atexit
import hashlib
import itertools
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

MAX_KEPT = 1500  # entries of each kind: those this run used first, then the others, up to this

_Key = tuple[str, Any, int]  # (str or bytes, the pattern, its flags)
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]  # marshalled in the file


def install() -> None:
    """Serve `re.compile` and dataclasses' methods from the cache for the rest of this process."""
    try:
        import _sre  # type: ignore[import-not-found]
        import dataclasses
        from re import _compiler  # type: ignore[attr-defined]

        version = f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{_sre.MAXREPEAT}|{_sre.MAXGROUPS}"
        compile_pattern = _compiler.compile
    except (ImportError, AttributeError):
        return
    path = _path(version)
    kept = _read(path)  # each entry still marshalled: a run unmarshals only what it uses
    patterns: dict[_Key, bytes] = kept.get("patterns", {})
    codes: dict[str, bytes] = kept.get("code", {})
    used: dict[str, dict[Any, bytes]] = {"patterns": {}, "code": {}}  # this run's, new ones included
    new = [False]

    def cached_pattern(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, (str, bytes)):
            return compile_pattern(p, flags)  # a parsed pattern (re's own callers): nothing to key it by
        key = (type(p).__name__, p, int(flags))
        entry = patterns.get(key)
        if entry is not None:
            try:
                final, code, groups, groupindex, indexgroup = marshal.loads(entry)
                compiled = _sre.compile(p, final, code, groups, groupindex, indexgroup)
                used["patterns"][key] = entry
                return compiled
            except Exception:  # an entry that no longer fits: compile it anew
                patterns.pop(key, None)
        compiled = compile_pattern(p, flags)
        used["patterns"][key] = marshal.dumps(_opcodes(compiled, p, flags))
        new[0] = True
        return compiled

    def cached_exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
        if not isinstance(source, str):
            exec(source, globals_, locals_)
            return
        entry = codes.get(source)
        try:
            code = marshal.loads(entry) if entry is not None else None
        except (EOFError, ValueError, TypeError):
            code = None
        if not isinstance(code, CodeType) or entry is None:
            code = compile(source, "<string>", "exec")
            entry, new[0] = marshal.dumps(code), True
        used["code"][source] = entry
        exec(code, globals_, locals_)  # dataclasses' own source, compiled once

    _compiler.compile = cached_pattern
    if callable(getattr(dataclasses, "_create_fn", None)):  # the one function that execs its source
        dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    atexit.register(_save, path, {"patterns": patterns, "code": codes}, used, new)


def _opcodes(compiled: Any, p: Any, flags: int) -> _Entry:
    """What `_sre.compile` needs to make `compiled` again: its opcodes come from a second code
    generation (the pattern object does not hand them out), done once per new pattern."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(p, flags)
    code = _compiler._code(parsed, flags)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return (
        int(compiled.flags),
        [int(op) for op in code],  # opcodes are int subclasses (named constants) marshal refuses
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        tuple(indexgroup),
    )


def _path(version: str) -> Path:
    from .resources import cache_dir

    digest = hashlib.sha256(version.encode()).hexdigest()[:16]
    return cache_dir() / f"warmstart.{digest}.marshal"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    ok = isinstance(data, dict) and all(isinstance(data.get(k, {}), dict) for k in ("patterns", "code"))
    return {"patterns": {}, "code": {}, **data} if ok else {"patterns": {}, "code": {}}


def _save(path: Path, kept: dict[str, dict[Any, bytes]], used: dict[str, dict[Any, bytes]], new: list[bool]) -> None:
    """Write the file again when this run made `new` entries: the ones it used first, then the
    others it read, up to MAX_KEPT of each kind (atomically: hooks run side by side)."""
    if not new[0]:
        return
    merged: dict[str, dict[Any, bytes]] = {}
    for kind, mine in used.items():
        others = (item for item in kept[kind].items() if item[0] not in mine)
        merged[kind] = dict(itertools.islice(itertools.chain(mine.items(), others), MAX_KEPT))
    from .resources import keep

    keep(path, merged)
