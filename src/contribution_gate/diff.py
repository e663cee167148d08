"""Parse git's unified diff (as `git diff`/`git log -p` print it with pinned flags) into FileChanges.

Pure: it reads lines of bytes and knows nothing of processes, so it is tested with literal diffs.
The flags it expects: --no-ext-diff --no-color --no-textconv --unified=0 --full-index
--src-prefix=a/ --dst-prefix=b/ and core.quotePath=false.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import AddedLine, FileChange

_HUNK = re.compile(rb"^@@@* -[0-9,]+ (?:-[0-9,]+ )*\+(\d+)(?:,\d+)? @@")
_INDEX = re.compile(rb"^index ([0-9a-f]+)(?:,[0-9a-f]+)*\.\.([0-9a-f]+)(?: (\d+))?")
_NULL_SHA = re.compile(r"^0+$")
_SUBMODULE_MODE = b"160000"
_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def decode(raw: bytes) -> str:
    """Text of a diff line; bytes that are not UTF-8 become U+FFFD rather than failing."""
    return raw.decode("utf-8", errors="replace")


def unquote_path(text: str) -> str:
    """Undo git's C-style quoting of a path ("a\\tb", octal escapes for raw bytes)."""
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        return text
    body, out, i = text[1:-1], bytearray(), 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            if body[i + 1] in "01234567":  # a raw byte as three octal digits
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
            else:
                out.extend(_ESCAPES.get(body[i + 1], body[i + 1]).encode())
                i += 2
            continue
        out.extend(body[i].encode())
        i += 1
    return out.decode("utf-8", errors="replace")


def _strip_prefix(path: str, prefix: str) -> str:
    return path[len(prefix) :] if path.startswith(prefix) else path


def _paths_from_header(rest: str) -> tuple[str, str]:
    """Paths of `diff --git a/X b/Y`; unambiguous when quoted or when X == Y (no rename)."""
    if rest.startswith('"'):
        end = rest.index('" ', 1) + 1
        return _strip_prefix(unquote_path(rest[:end]), "a/"), _strip_prefix(unquote_path(rest[end + 1 :]), "b/")
    if rest.endswith('"'):
        start = rest.rindex(' "')
        return _strip_prefix(rest[:start], "a/"), _strip_prefix(unquote_path(rest[start + 1 :]), "b/")
    half = (len(rest) - 1) // 2
    old, new = rest[:half], rest[half + 1 :]
    if old[2:] == new[2:]:
        return old[2:], new[2:]
    old, _, new = rest.partition(" b/")  # a rename: `rename from/to` lines will correct this
    return _strip_prefix(old, "a/"), new


@dataclass
class _Pending:
    """A file section being read; turned into an immutable FileChange when it ends."""

    old_path: str
    path: str
    commit: str | None
    status: str = "M"
    blob: str | None = None
    is_binary: bool = False
    is_submodule: bool = False
    added: list[AddedLine] = field(default_factory=list)
    next_line: int = 0

    def freeze(self) -> FileChange:
        renamed = self.status in ("R", "C")
        return FileChange(
            path=self.path,
            status=self.status,
            commit=self.commit,
            old_path=self.old_path if renamed else None,
            blob=None if self.status == "D" or self.blob is None or _NULL_SHA.match(self.blob) else self.blob,
            is_binary=self.is_binary,
            is_submodule=self.is_submodule,
            added=tuple(self.added),
        )


_HEADER_STATUS = {
    b"new file mode": "A",
    b"deleted file mode": "D",
    b"rename from": "R",
    b"copy from": "C",
}


def parse_diff(lines: Iterable[bytes], commit: str | None = None) -> Iterator[FileChange]:
    """Yield one FileChange per `diff --git` section of `lines` (raw bytes, newline optional)."""
    current: _Pending | None = None
    in_hunk = False
    for raw in lines:
        line = raw.rstrip(b"\n")
        if line.startswith(b"diff --git "):
            if current is not None:
                yield current.freeze()
            old, new = _paths_from_header(decode(line[11:]))
            current, in_hunk = _Pending(old_path=old, path=new, commit=commit), False
            continue
        if current is None:
            continue
        if in_hunk:
            if line.startswith(b"+"):
                text = decode(line[1:])
                current.added.append(AddedLine(current.next_line, text[:-1] if text.endswith("\r") else text))
                current.next_line += 1
                continue
            if line.startswith(b" "):  # context (diff.interHunkContext, -U1...): in the new file too
                current.next_line += 1
                continue
            if line.startswith((b"-", b"\\")):
                continue
            in_hunk = False
        hunk = _HUNK.match(line)
        if hunk:
            current.next_line, in_hunk = int(hunk.group(1)), True
            continue
        _read_header_line(current, line)
    if current is not None:
        yield current.freeze()


def _read_header_line(current: _Pending, line: bytes) -> None:
    for prefix, status in _HEADER_STATUS.items():
        if line.startswith(prefix):
            current.status = status
            if status in ("A", "D") and line.rstrip().endswith(_SUBMODULE_MODE):
                current.is_submodule = True
            return
    if line.startswith(b"rename to ") or line.startswith(b"copy to "):
        current.path = unquote_path(decode(line.split(b" ", 2)[2]))
    elif line.startswith(b"rename from ") or line.startswith(b"copy from "):
        current.old_path = unquote_path(decode(line.split(b" ", 2)[2]))
    elif line.startswith(b"index "):
        match = _INDEX.match(line)
        if match:
            current.blob = match.group(2).decode()
            current.is_submodule = current.is_submodule or match.group(3) == _SUBMODULE_MODE
    elif line.startswith(b"new mode ") and line.endswith(_SUBMODULE_MODE):
        current.is_submodule = True
    elif line.startswith(b"Binary files ") or line == b"GIT binary patch":
        current.is_binary = True
    elif line.startswith(b"+++ ") and current.status != "R":
        target = unquote_path(decode(line[4:]).rstrip("\t"))
        if target != "/dev/null":
            current.path = _strip_prefix(target, "b/")
