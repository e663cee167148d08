"""What the unpickler accepts, opcode by opcode: names, the first bytes it does not refuse at
once, and the checks it makes on protocol 0 arguments (as C's strtol, PyLong_FromString,
PyOS_string_to_double and the escape decoders do, or looser where the pure-Python unpickler is)."""

from __future__ import annotations

import _compat_pickle
import codecs
import pickletools

from . import routes

HIGHEST_PROTOCOL = 5
KEEP = 256  # strings longer than this are not kept: no module or attribute name is that long
LINE_KEEP = 4096  # how much of a protocol 0 line argument is kept to check it
NAMES = {op.code.encode("latin-1")[0]: op.name for op in pickletools.opcodes}
FIRST = routes.FIRST  # first bytes an unpickler does not refuse at once
# importing these runs code by itself (a package's __main__ runs its program)
ACTS_ON_IMPORT = ("antigravity", "this", "__hello__", "__phello__", "idlelib", "turtledemo")


class Malformed(ValueError):
    """An argument the unpickler refuses."""


def importable(module: str) -> bool:
    """Whether `__import__` could find a module by that name: dotted identifiers only."""
    return bool(module) and all(part.isidentifier() for part in module.split("."))


def acts_on_import(module: str) -> bool:
    parts = module.split(".")
    return "__main__" in parts or parts[0] in ACTS_ON_IMPORT


def c_int(text: bytes) -> bool:
    """Whether INT's argument converts: C's strtol (base 0, up to a NUL) or int(text, 0)."""
    head = text.split(b"\0", 1)[0]
    body = head.lstrip(b" \t\n\v\f\r")
    body = body[1:] if body[:1] in (b"+", b"-") else body
    if body[:2] in (b"0x", b"0X") and len(body) > 2 and all(c in b"0123456789abcdefABCDEF" for c in body[2:]):
        return True
    if body.isdigit() and (body[:1] != b"0" or all(c in b"01234567" for c in body)):
        return True
    return py_int(text, 0)


def py_int(text: bytes, base: int) -> bool:
    return int_of(text, base) is not None


def int_of(text: bytes, base: int) -> int | None:
    """int() of a line argument as C reads it: up to its first NUL byte."""
    try:
        return int(text.split(b"\0", 1)[0].decode("latin-1"), base)
    except ValueError:
        return None


def float_ok(text: bytes) -> bool:
    try:
        float(text.split(b"\0", 1)[0].strip().decode("latin-1"))
    except ValueError:
        return False
    return True


def fix_name(module: str, name: str) -> tuple[str, str]:
    """Python 2 names as the unpickler maps them (fix_imports, protocols 0 to 2)."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def string_line(code: int, kept: bytes, length: int, last: int, pos: int) -> bytes | None:
    """STRING's quoted, escaped argument, or UNICODE's raw-unicode-escape one, checked as the
    unpickler checks them; returned as latin-1 bytes when short enough to keep."""
    if code == 0x53:
        first = kept[:1]
        if length < 2 or first not in (b"'", b'"') or last != first[0]:
            raise Malformed(f"STRING at offset {pos} is not quoted")
        if length > LINE_KEEP:
            return None
        try:
            value = codecs.escape_decode(kept[1:-1])[0]
        except ValueError:
            raise Malformed(f"STRING at offset {pos} has a malformed escape") from None
        return value if len(value) <= KEEP else None
    if length > LINE_KEEP:
        return None
    try:
        text = kept.decode("raw-unicode-escape")
    except UnicodeDecodeError:
        raise Malformed(f"UNICODE at offset {pos} has a malformed escape") from None
    return text.encode("latin-1", "surrogatepass") if len(text) <= KEEP and text.isascii() else None
