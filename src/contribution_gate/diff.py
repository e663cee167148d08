"""Parse git's unified diff (as `git diff`/`git log -p` print it with pinned flags) into FileChanges.

Pure: it reads lines of bytes and knows nothing of processes, so it is tested with literal diffs.
The flags it expects: --no-ext-diff --no-color --no-textconv --unified=0 --full-index
--src-prefix=a/ --dst-prefix=b/ and core.quotePath=false.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .model import AddedLines, FileChange

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
    old_blob: str | None = None
    is_binary: bool = False
    is_submodule: bool = False
    added: AddedLines = field(default_factory=AddedLines)

    def freeze(self) -> FileChange:
        renamed = self.status in ("R", "C")
        return FileChange(
            path=self.path,
            status=self.status,
            commit=self.commit,
            old_path=self.old_path if renamed else None,
            blob=None if self.status == "D" or self.blob is None or _NULL_SHA.match(self.blob) else self.blob,
            old_blob=None if self.old_blob is None or _NULL_SHA.match(self.old_blob) else self.old_blob,
            is_binary=self.is_binary,
            is_submodule=self.is_submodule,
            added=self.added,
        )


_HUNK_HEADER = re.compile(rb"^@@@* -[0-9,]+ (?:-[0-9,]+ )*\+(\d+)(?:,\d+)? @@[^\n]*\n?", re.MULTILINE)
_LOOKBACK = len(b"\ndiff --git ")


def split_sections(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Cut a stream of diff bytes (any chunking: lines or blocks) into sections, each starting at a
    `diff --git` line or a commit record (two NULs); text before the first is dropped.

    Work is per section, not per line: boundaries are found with `bytes.find`, each byte searched
    once, so a long history streams through in large blocks.
    """
    pending = bytearray()  # grows in place: one huge file section stays linear, not quadratic
    for chunk in chunks:
        searched_from = max(0, len(pending) - _LOOKBACK)
        pending += chunk
        starts = _boundaries(pending, searched_from)
        if not starts:
            continue
        cuts = ([0] if pending.startswith(_STARTS) else []) + starts
        for begin, end in zip(cuts, cuts[1:], strict=False):
            yield bytes(pending[begin:end])
        del pending[: cuts[-1]]
    if pending.startswith(_STARTS):
        yield bytes(pending)


_STARTS = (b"diff --git ", b"\x00\x00")


def _boundaries(data: bytearray, start: int) -> list[int]:
    """Offsets (after 0) where a line begins a section, from `start` on, in order."""
    found = []
    for marker in (b"\ndiff --git ", b"\n\x00\x00"):
        at = data.find(marker, start)
        while at >= 0:
            found.append(at + 1)
            at = data.find(marker, at + 1)
    return sorted(found)


def parse_diff(chunks: Iterable[bytes], commit: str | None = None) -> Iterator[FileChange]:
    """Yield one FileChange per `diff --git` section of a diff (raw bytes in any chunking)."""
    for section in split_sections(chunks):
        if section.startswith(b"diff --git "):
            yield parse_section(section, commit)


def parse_section(section: bytes, commit: str | None = None) -> FileChange:
    """One file's section: header lines, then the hunks' added lines (none for a deleted file)."""
    first_hunk = _HUNK_HEADER.search(section)
    header = section[: first_hunk.start()] if first_hunk else section
    header_lines = header.split(b"\n")
    old, new = _paths_from_header(decode(header_lines[0][11:].rstrip(b"\r")))
    current = _Pending(old_path=old, path=new, commit=commit)
    for line in header_lines[1:]:
        _read_header_line(current, line)
    if first_hunk is not None and current.status != "D":
        added = _added_without_context(section, first_hunk.start())
        current.added = _added_lines(section, first_hunk.start()) if added is None else added
    return current.freeze()


# literal prefixes ("\n@@ -", "\n+"): the regular expression engine jumps between them without
# stepping through the text in between
_NEW_SIDE = re.compile(rb"\n@@ -[0-9,]+ \+(\d+)(?:,(\d+))? @@")
_ADDED = re.compile(rb"\n\+([^\n]*)")


def _added_without_context(section: bytes, start: int) -> AddedLines | None:
    """The added lines of a -U0 diff (what git.py asks for), read for the whole section at once:
    two searches collect the added lines and the hunk headers' numbers, so no Python runs per hunk
    or per line. None when the section has context lines or its headers do not count its added
    lines (another diff format): `_added_lines` reads those.
    """
    if section.find(b"\n ", start) >= 0 or section.startswith(b"@@@", start):
        return None
    numbers = [
        range(int(first), int(first) + (int(count) if count else 1))
        for first, count in _NEW_SIDE.findall(section, start - 1)
    ]
    body = _one_added_hunk(section, start, numbers)
    if body is not None:  # a new file's one hunk (a whole tree, a commit adding files): no list of lines
        text = decode(body)
    else:
        lines = _ADDED.findall(section, start - 1)
        if sum(map(len, numbers)) != len(lines):
            return None
        text = decode(b"\n".join(lines))
    if "\r" in text:  # CRLF files: the line ends, not the text, lose their CR
        text = text.replace("\r\n", "\n").removesuffix("\r")
    return AddedLines(text, [n for n in numbers if n])


def _one_added_hunk(section: bytes, start: int, numbers: list[range]) -> bytes | None:
    """The added lines of a section that is one hunk of added lines only, joined by newlines, with
    their `+` taken off by one replace; None for any other section."""
    if len(numbers) != 1:
        return None
    body_start = section.find(b"\n", start) + 1
    if not body_start or not section.startswith(b"+", body_start) or not section.endswith(b"\n"):
        return None
    count = section.count(b"\n", body_start)
    if count != len(numbers[0]) or section.count(b"\n+", body_start) != count - 1:
        return None  # a line that is not an added one (`\ No newline at end of file`)
    return section[body_start + 1 : -1].replace(b"\n+", b"\n")


def _added_lines(section: bytes, start: int) -> AddedLines:
    """The `+` lines of every hunk from `start`, numbered as the new file has them.

    With -U0 a hunk is its removed lines, then its added lines: the added ones are one block at
    the hunk's end, decoded and stripped of their `+` at once, never split into lines here.
    Context or "\\ No newline" lines take the line-by-line way.
    """
    headers = list(_HUNK_HEADER.finditer(section, start))
    texts: list[str] = []
    numbers: list[Sequence[int]] = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(section)
        body = section[header.end() : end]
        first = int(header.group(1))
        plus = 0 if body.startswith(b"+") else body.find(b"\n+") + 1
        if plus == 0 and not body.startswith(b"+"):
            continue  # removals only
        block = body[plus:].rstrip(b"\n")
        if b"\n " in b"\n" + body or b"\n\\" in b"\n" + block:
            lines = body.split(b"\n")
            block = b"\n".join(line for line in lines if line[:1] == b"+")
            numbers.append(_numbers_with_context(lines, first))
        else:
            numbers.append(range(first, first + block.count(b"\n") + 1))
        text = decode(block)
        if "\r" in text:  # CRLF files: the line ends, not the text, lose their CR
            text = text.replace("\r\n", "\n").removesuffix("\r")
        texts.append(text[1:].replace("\n+", "\n"))
    return AddedLines("\n".join(texts), numbers)


def whole_file(text: str) -> AddedLines:
    """Every line of a file's text, numbered from 1: the file as if it were added whole (a rename
    out of a path the review does not read, a file git showed as binary)."""
    if not text:
        return AddedLines()
    if "\r" in text:  # CRLF files: the line ends, not the text, lose their CR (as in a diff)
        text = text.replace("\r\n", "\n")
    text = text.removesuffix("\n").removesuffix("\r")
    return AddedLines(text, [range(1, text.count("\n") + 2)])


def _numbers_with_context(lines: list[bytes], first: int) -> list[int]:
    numbers, current = [], first
    for line in lines:
        if line[:1] == b"+":
            numbers.append(current)
            current += 1
        elif line[:1] == b" ":
            current += 1
    return numbers


def _read_header_line(current: _Pending, line: bytes) -> None:
    """One extended header line; the ones every section has (index, ---, +++) are tested first."""
    if line.startswith(b"index "):
        match = _INDEX.match(line)
        if match:
            current.old_blob = match.group(1).decode()
            current.blob = match.group(2).decode()
            current.is_submodule = current.is_submodule or match.group(3) == _SUBMODULE_MODE
    elif line.startswith(b"--- "):
        return
    elif line.startswith(b"+++ "):
        if current.status != "R":
            target = unquote_path(decode(line[4:]).rstrip("\t"))
            if target != "/dev/null":
                current.path = _strip_prefix(target, "b/")
    elif line.startswith((b"rename to ", b"copy to ")):
        current.path = unquote_path(decode(line.split(b" ", 2)[2]))
    elif line.startswith((b"rename from ", b"copy from ")):
        current.status = "R" if line.startswith(b"rename") else "C"
        current.old_path = unquote_path(decode(line.split(b" ", 2)[2]))
    elif line.startswith((b"new file mode", b"deleted file mode")):
        current.status = "A" if line.startswith(b"new") else "D"
        current.is_submodule = current.is_submodule or line.rstrip().endswith(_SUBMODULE_MODE)
    elif line.startswith(b"new mode ") and line.endswith(_SUBMODULE_MODE):
        current.is_submodule = True
    elif line.startswith(b"Binary files ") or line == b"GIT binary patch":
        current.is_binary = True
