"""What each merge commit of a range adds beyond its parents: an evil merge's own content.

`git log -p` prints no diff for a merge, so a file added only in a merge's resolution would pass.
For a two-parent merge git redoes the merge in memory and diffs the commit against that automatic
result (`--remerge-diff`, git 2.36+): the lines the author wrote or brought back from neither side,
and nothing a clean merge of its parents gives (that was reviewed in the parents, or is the base's).
A merge with more parents, or any merge under an older git, is diffed against its first parent.

The remerge diffs come from one `git log --merges --topo-order` run in a thread while the range's
main log streams: newest merge first, because git (before 2.48) frees the parents of each commit it
has shown, and a merge shown before its ancestors is remerged against the right merge base (oldest
first, as the review reads, it computes wrong ones). The output is spooled to a temporary file,
indexed by merge, and read when the main stream reaches each merge.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .diff import decode, parse_diff, parse_section, split_sections
from .errors import GitError
from .model import Commit, FileChange

if TYPE_CHECKING:
    import subprocess

    from .git import Repository

_RECORD = b"\x00\x00"
_REMERGE_SINCE = (2, 36)


def git_version(repo: Repository) -> tuple[int, int]:
    found = re.search(rb"(\d+)\.(\d+)", repo.run("version"))
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


class MergeDiffs:
    """The merges of `revs` and what each adds, produced in the background from construction on."""

    def __init__(self, repo: Repository, revs: Sequence[str], diff_flags: Sequence[str]) -> None:
        self._repo = repo
        self._flags = tuple(diff_flags)
        self._remerge = git_version(repo) >= _REMERGE_SINCE
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._index: dict[str, list[tuple[int, int]]] = {}
        self._failure: BaseException | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        if self._remerge:
            args = ["log", "--merges", "--max-parents=2", "--topo-order", "--format=%x00%x00%H", "-p"]
            args += ["--remerge-diff", "-M", *self._flags, *revs, "--"]
            self._proc = repo.popen(args, self._errors, repo.merge_driver_overrides())
            self._thread = threading.Thread(target=self._spool_output, name="remerge-diff", daemon=True)
            self._thread.start()

    def _spool_output(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        stdout = self._proc.stdout
        current: list[tuple[int, int]] | None = None
        try:
            for section in split_sections(iter(lambda: stdout.read(1 << 16), b"")):
                if section.startswith(_RECORD):
                    current = self._index.setdefault(decode(section[2:]).split()[0], [])
                elif current is not None:
                    current.append((self._spool.tell(), len(section)))
                    self._spool.write(section)
        except BaseException as exc:  # handed to the reader, which raises it
            self._failure = exc

    def added_by(self, merge: Commit) -> Iterator[FileChange]:
        """What `merge` adds beyond its parents, as file changes of that commit."""
        if not self._remerge or len(merge.parents) > 2:
            yield from self._first_parent_diff(merge)
            return
        self._wait()
        spans = self._index.get(merge.sha)
        if spans is None:
            raise GitError(f"git log --remerge-diff did not list merge {merge.sha[:12]}: review it with a newer git")
        for offset, length in spans:
            self._spool.seek(offset)
            yield parse_section(self._spool.read(length), merge.sha)

    def _first_parent_diff(self, merge: Commit) -> Iterator[FileChange]:
        yield from parse_diff(self._repo.stream("diff", *self._flags, "-M", merge.parents[0], merge.sha), merge.sha)

    def _wait(self) -> None:
        if self._thread is None or self._proc is None:
            return
        self._thread.join()
        self._thread = None
        code = self._proc.wait()
        if self._failure is not None:
            raise self._failure
        if code != 0:
            self._errors.seek(0)
            lines = decode(self._errors.read()).strip().splitlines()
            raise GitError(f"git log --remerge-diff failed: {lines[-1] if lines else code}")

    def close(self) -> None:
        """Stop git if the review ended early, and drop the spool."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            if self._thread is not None:
                self._thread.join()
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc.wait()
        self._spool.close()
        self._errors.close()
