"""What git shows the gate, judged again wherever the reviewed repository could have changed it.

- A file git calls binary (a NUL early on, or `-diff`, `binary`, `diff=<driver>` in the change's own
  `.gitattributes`) is read by content: if it is text, its added lines are reviewed.
- Lines git printed as text that hold NULs or undecodable bytes (UTF-16 past git's 8,000-byte look,
  a binary the attributes call text) are read by content too: a binary is passed on as binary (the
  models check reads it), UTF-16/32 text is decoded and diffed as text.
- A rename or copy whose source is a path the review does not read (a check's `exclude-paths`) or
  whose findings it accepts (`allow-paths`) is reviewed as the addition of the whole file: what sat
  there unreviewed is reviewed where it now lives. A rename of a reviewed path keeps git's diff: its
  unchanged lines were reviewed when they were added, or were already in the base.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator

from .blobs import BlobReader
from .diff import whole_file
from .encoding import Text, looks_mangled, read_text
from .errors import GitError
from .model import AddedLines, Commit, FileChange

Unreviewed = Callable[[str], bool]
DiffTexts = Callable[[bytes, bytes], AddedLines]


class ByContent:
    """Corrects a stream of items; one `git cat-file --batch` process, started on the first need."""

    def __init__(self, reader: BlobReader, diff_texts: DiffTexts, unreviewed: Unreviewed | None = None) -> None:
        self._reader = reader
        self._diff_texts = diff_texts
        self._unreviewed = unreviewed or (lambda path: False)

    def __call__(self, items: Iterable[Commit | FileChange]) -> Iterator[Commit | FileChange]:
        try:
            for item in items:
                yield self.judge(item) if isinstance(item, FileChange) else item
        finally:
            self._reader.close()

    def judge(self, change: FileChange) -> FileChange:
        if change.is_submodule or change.status == "D":
            return change
        whole = change.old_path is not None and change.status in ("R", "C") and self._unreviewed(change.old_path)
        if not (whole or change.is_binary or looks_mangled(change.added.text)):
            return change
        read = self._read(change.blob or _spec(change, change.path))
        if read is None and whole:
            raise GitError(
                f"git cannot give {change.path!r} of {change.commit or 'the index'}, renamed from a path "
                "the review does not read: fetch the missing objects"
            )
        if read is None:
            return change  # the checks that read files say they could not
        oid, new = read
        if new is None:
            return dataclasses.replace(change, is_binary=True, added=AddedLines(), blob=oid)
        if not (whole or change.is_binary or new.wide):
            return change  # 8-bit text with a stray NUL or Latin-1 bytes: git's lines were right
        old = None if whole or change.status == "A" or change.old_blob is None else self._read(change.old_blob)
        if old is None or old[1] is None:
            added = whole_file(new.text)
        else:
            added = self._diff_texts(old[1].text.encode("utf-8"), new.text.encode("utf-8"))
        return dataclasses.replace(change, is_binary=False, added=added, blob=oid)

    def _read(self, spec: str) -> tuple[str, Text | None] | None:
        """(object id, its text or None for a binary), or None when git does not have the object."""
        blob = self._reader.open(spec)
        if blob is None:
            return None
        with io.BufferedReader(blob, 1 << 16) as stream:
            return blob.oid, read_text(stream)


def _spec(change: FileChange, path: str) -> str:
    """A file of the commit (or of the index) that a change belongs to, by path."""
    return f"{change.commit}:{path}" if change.commit else f":0:{path}"
