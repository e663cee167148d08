"""What each merge commit of a range adds beyond its parents: an evil merge's own content.

`git log -p` prints no diff for a merge, so a file added only in a merge's resolution would pass.
For a two-parent merge git redoes the merge in memory and diffs the commit against that automatic
result (`--remerge-diff`, git 2.36+): the lines the author wrote or brought back from neither side,
and nothing a clean merge of its parents gives (that was reviewed in the parents, or is the base's).
A merge with more parents, or any merge under an older git, is diffed against its first parent.

The remerge diffs are made in a thread while the range's main log streams, by `git log --no-walk
--stdin` runs over batches of merges: the batches oldest first (the review reads oldest first and
waits only for the batch it needs), the merges of a batch newest first, because git before 2.48
frees the parents of each commit it has shown, and a merge shown after one of its descendants would
be remerged against a wrong merge base. Their output is spooled to a temporary file, indexed by merge.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from . import gitcmd
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
    """The merges of a range and what each adds, produced in the background from construction on."""

    def __init__(self, repo: Repository, merges: Sequence[tuple[str, int]], diff_flags: Sequence[str]) -> None:
        """`merges`: (sha, number of parents) of every merge of the range, newest first (topo order)."""
        self._repo = repo
        self._flags = tuple(diff_flags)
        self._remerge = git_version(repo) >= _REMERGE_SINCE
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._spool_lock = threading.Lock()  # written by the thread, read by the review
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._ready: set[str] = set()
        self._failure: BaseException | None = None
        self._done = False
        self._stop = False
        self._changed = threading.Condition()
        self._proc: subprocess.Popen[bytes] | None = None
        two = [sha for sha, parents in reversed(merges) if parents == 2] if self._remerge else []
        self._drivers = repo.merge_driver_overrides() if two else {}
        self._thread = threading.Thread(target=self._run, args=(_batches(two),), name="remerge-diff", daemon=True)
        self._thread.start()

    def _run(self, batches: list[list[str]]) -> None:
        try:
            for batch in batches:
                self._remerge_batch(batch)
                with self._changed:
                    if self._stop:
                        return
                    self._ready.update(batch)
                    self._changed.notify_all()
        except BaseException as exc:  # handed to the reader, which raises it
            self._failure = exc
        finally:
            with self._changed:
                self._done = True
                self._changed.notify_all()

    def _remerge_batch(self, batch: list[str]) -> None:
        """One git process remerges `batch` (oldest first) newest first and spools what it prints."""
        args = ["log", "--no-walk=unsorted", "--stdin", "--format=%x00%x00%H", "-p", "--remerge-diff", "-M"]
        with tempfile.TemporaryFile() as errors:
            proc = self._repo.popen([*args, *self._flags], errors, self._drivers, stdin=True)
            with self._changed:
                self._proc = proc
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("".join(f"{sha}\n" for sha in reversed(batch)).encode())
            proc.stdin.close()  # git reads all of stdin before it shows the first commit
            stdout = proc.stdout
            current: list[tuple[int, int]] | None = None
            for section in split_sections(iter(lambda: stdout.read1(1 << 16), b"")):  # type: ignore[attr-defined]
                if section.startswith(_RECORD):
                    current = self._spans.setdefault(decode(section[2:]).split()[0], [])
                elif current is not None:
                    with self._spool_lock:
                        current.append((self._spool.seek(0, 2), len(section)))
                        self._spool.write(section)
            stdout.close()
            if proc.wait() != 0:
                errors.seek(0)
                raise gitcmd.failed("log --remerge-diff", errors.read(), proc.returncode)

    def added_by(self, merge: Commit) -> Iterator[FileChange]:
        """What `merge` adds beyond its parents, as file changes of that commit."""
        if not self._remerge or len(merge.parents) > 2:
            yield from parse_diff(self._repo.stream("diff", *self._flags, "-M", merge.parents[0], merge.sha), merge.sha)
            return
        with self._changed:
            while merge.sha not in self._ready and self._failure is None and not self._done:
                self._changed.wait()
        if self._failure is not None:
            raise self._failure
        if merge.sha not in self._ready:
            raise GitError(f"git log --remerge-diff did not list merge {merge.sha[:12]}: review it with a newer git")
        for offset, length in self._spans.get(merge.sha, ()):
            with self._spool_lock:
                self._spool.seek(offset)
                section = self._spool.read(length)
            yield parse_section(section, merge.sha)

    def close(self) -> None:
        """Stop git if the review ended early, and drop the spool."""
        with self._changed:
            self._stop = True
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
        self._thread.join()
        self._spool.close()


def _batches(oldest_first: list[str], first: int = 16, largest: int = 512) -> list[list[str]]:
    """Batches that double in size: the first merges are ready soon, later ones cost few processes."""
    batches, size, at = [], first, 0
    while at < len(oldest_first):
        batches.append(oldest_first[at : at + size])
        at += size
        size = min(size * 2, largest)
    return batches
