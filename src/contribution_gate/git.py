"""The module that turns a target into a stream of commits and file changes, through the git CLI.

Diffs come from git with pinned flags and settings (`gitcmd`: neither user nor repository config
changes what is parsed, and no program of the repository runs) and are streamed line by line, so a
long range is never held in memory. The staged diff comes from `git diff --cached`, which honours
GIT_INDEX_FILE (hooks run against a temporary index). What git shows is then judged again where the
repository could have changed it (`gitview`): files git calls binary, text git mangles, renames
out of paths the review does not read. `blobs.py` reads whole objects; `merges.py` what merges add.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, NoReturn

from . import gitcmd
from .blobs import SPOOL_IN_MEMORY, Blob, BlobReader, TreeContent
from .diff import decode, parse_diff, parse_section, split_sections
from .errors import GitError
from .github.events import EventTarget
from .gitview import ByContent
from .merges import MergeDiffs
from .model import AddedLines, Commit, FileChange, Target

__all__ = ["SPOOL_IN_MEMORY", "Blob", "BlobReader", "Changes", "Repository", "TreeContent", "collect"]

DIFF_FLAGS = (
    "--no-ext-diff",
    "--no-color",
    "--no-textconv",
    "--no-relative",
    "--unified=0",
    "--inter-hunk-context=0",
    "--full-index",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--submodule=short",
    "--ignore-submodules=none",
)
_CONFIG = gitcmd.CONFIG  # the benchmarks' `git log -p` floor runs with what every git command gets
# A commit record in `git log` output: it starts with two NULs, which no diff line can.
_RECORD = b"\x00\x00"
_RECORD_END = b"\x00\x1e\x00"  # fields may be empty (a root commit's parents), so not two NULs
_LOG_FORMAT = "--format=%x00%x00%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x00%x1e%x00"

Item = Commit | FileChange
Unreviewed = Callable[[str], bool]  # a path no check reads (excluded) or whose findings are accepted
_BLOCK = 1 << 16
_PIPE = 1 << 20  # git may run this far ahead of the parser (Linux; elsewhere the OS's default)


class Repository:
    """A git work tree, addressed through the git CLI run from its top level."""

    def __init__(self, start: str | os.PathLike[str] = ".", allow_bare: bool = False) -> None:
        """`allow_bare`: a bare repository (a server's, for pre-receive) is opened at its git
        directory, which is then `root`; without it only a work tree is accepted."""
        self.bare = False
        try:
            top = decode(self._call(["rev-parse", "--show-toplevel"], cwd=Path(start))).strip()
        except GitError:
            found = self._bare_git_dir(Path(start)) if allow_bare else None
            if found is None:
                raise GitError(
                    f"{Path(start).resolve()} is not inside a git repository: run the gate from a clone"
                ) from None
            top, self.bare = found, True
        self.root = Path(top)
        self._lfs: Path | None = None

    @property
    def name(self) -> str:
        """The repository's name as its folder gives it (`examples`; a bare `examples.git` or a
        server's `.git` directory named by the folder above it)."""
        root = self.root.parent if self.root.name == ".git" else self.root
        return root.name.removesuffix(".git")

    @classmethod
    def _bare_git_dir(cls, start: Path) -> str | None:
        """The git directory a hook runs in: a bare repository's, or (a push to a repository with
        a work tree) its `.git`, where there is no top level either."""
        try:
            return decode(cls._call(["rev-parse", "--absolute-git-dir"], cwd=start)).strip() or None
        except GitError:
            return None

    @staticmethod
    def _exec(args: list[str], cwd: Path, feed: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                gitcmd.argv(args),
                cwd=cwd,
                input=feed,
                stdin=None if feed is not None else subprocess.DEVNULL,
                capture_output=True,
                check=False,
                env=gitcmd.environment(),
            )
        except FileNotFoundError:
            raise gitcmd.not_installed() from None

    @classmethod
    def _call(cls, args: list[str], cwd: Path, ok: tuple[int, ...] = (0,), feed: bytes | None = None) -> bytes:
        proc = cls._exec(args, cwd, feed)
        if proc.returncode not in ok:
            raise gitcmd.failed(args[0], proc.stderr, proc.returncode)
        return proc.stdout

    def run(self, *args: str, ok: tuple[int, ...] = (0,), feed: bytes | None = None) -> bytes:
        """A git command's output; `feed`: its standard input (else none)."""
        return self._call(list(args), cwd=self.root, ok=ok, feed=feed)

    def succeeds(self, *args: str) -> bool:
        """Whether a git command exits 0 (for questions git answers with its exit code)."""
        return self._exec(list(args), self.root).returncode == 0

    def stream(self, *args: str, feed: bytes = b"") -> Iterator[bytes]:
        """A git command's output in blocks as it produces them; a failure raises at the end.

        stderr goes to a temporary file, so a chatty command cannot block on a full pipe; `feed`
        (standard input, such as the commits of `--stdin`) comes from one too.
        """
        with tempfile.TemporaryFile() as errors:
            if not feed:
                yield from self._streamed(list(args), errors, False)
                return
            with tempfile.TemporaryFile() as given:
                given.write(feed)
                given.seek(0)
                yield from self._streamed(list(args), errors, given)

    def _streamed(self, args: list[str], errors: IO[bytes], given: bool | IO[bytes]) -> Iterator[bytes]:
        with self.popen(args, errors, stdin=given) as proc:
            stdout = proc.stdout
            assert isinstance(stdout, io.BufferedReader)
            _widen_pipe(stdout.fileno())
            yield from iter(lambda: stdout.read1(_BLOCK), b"")
            proc.wait()
            errors.seek(0)
            if proc.wait() != 0:
                raise gitcmd.failed(args[0], errors.read(), proc.returncode)

    def popen(
        self,
        args: list[str],
        errors: IO[bytes] | int,
        env: Mapping[str, str] | None = None,
        stdin: bool | IO[bytes] = False,
    ) -> subprocess.Popen[bytes]:
        """A git process whose stdout (and `stdin`, if True) is a pipe, with the pinned settings
        (`env`: more variables; `stdin` may be a file to read)."""
        try:
            return subprocess.Popen(
                gitcmd.argv(args),
                cwd=self.root,
                stdin=stdin if not isinstance(stdin, bool) else subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                env={**gitcmd.environment(), **(env or {})},
            )
        except FileNotFoundError:
            raise gitcmd.not_installed() from None

    # -- refs ---------------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        """The full sha of a commit-ish, or a GitError that says how to get it."""
        out = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", ok=(0, 1))
        if out.strip():
            return decode(out).strip()
        if self.is_shallow():
            raise GitError(
                f"commit {ref!r} is not in this shallow clone: fetch it (`git fetch --unshallow`, or "
                f"`git fetch origin {ref}`), or check out with `fetch-depth: 0`"
            )
        raise GitError(f"unknown revision {ref!r}: give a branch, tag or commit sha that exists in this repository")

    def is_shallow(self) -> bool:
        return decode(self.run("rev-parse", "--is-shallow-repository")).strip() == "true"

    def head(self) -> str | None:
        out = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", ok=(0, 1))
        return decode(out).strip() or None

    def has_staged_changes(self) -> bool:
        return not self.succeeds("diff", "--cached", "--quiet", "--ignore-submodules=none")

    def parents(self, sha: str) -> list[str]:
        return decode(self.run("rev-list", "--parents", "-n", "1", sha)).split()[1:]

    def merge_base(self, a: str, b: str) -> str:
        out = self.run("merge-base", a, b, ok=(0, 1))
        if not out.strip() and self.is_shallow():
            raise GitError(
                f"{a[:12]} and {b[:12]} have no common ancestor in this shallow clone: fetch more history "
                "(`git fetch --unshallow`), or check out with `fetch-depth: 0`"
            )
        if not out.strip():
            raise GitError(f"{a} and {b} have no common ancestor: use BASE..HEAD instead of BASE...HEAD")
        return decode(out).strip()

    def show(self, rev: str, path: str) -> bytes | None:
        """A file's content at a commit, or None when that commit does not have it (never converted:
        `cat-file blob` runs no textconv or filter)."""
        proc = self._exec(["cat-file", "blob", f"{rev}:{path}"], self.root)
        return proc.stdout if proc.returncode == 0 else None

    def merge_driver_overrides(self) -> dict[str, str]:
        """Config variables that turn every merge driver the configs define into `true` (keep our
        side), so `--remerge-diff` runs none of the repository's commands (GIT_CONFIG_COUNT: any
        driver name, even one holding `=`)."""
        out = self.run("config", "-z", "--get-regexp", r"^merge\..+\.driver$", ok=(0, 1))
        names = sorted({decode(entry.split(b"\n", 1)[0]) for entry in out.split(b"\x00") if entry})
        start = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
        env = {"GIT_CONFIG_COUNT": str(start + len(names))}
        for n, name in enumerate(names, start):
            env[f"GIT_CONFIG_KEY_{n}"], env[f"GIT_CONFIG_VALUE_{n}"] = name, "true"
        return env

    def diff_texts(self, old: bytes, new: bytes) -> AddedLines:
        """The lines `new` adds to `old`, diffed by git as text outside any repository (no config,
        attribute or driver of the reviewed one)."""
        with tempfile.TemporaryDirectory(prefix="contribution-gate-") as tmp:
            where = Path(tmp)
            (where / "old").write_bytes(old)
            (where / "new").write_bytes(new)
            proc = subprocess.run(
                gitcmd.argv(["diff", "--no-index", "--text", *DIFF_FLAGS, "old", "new"]),
                cwd=where,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
                env=gitcmd.outside_any_repository(where),
            )
        if proc.returncode not in (0, 1):
            raise GitError(f"git diff --no-index failed: {decode(proc.stderr).strip() or proc.returncode}")
        return parse_section(proc.stdout).added if proc.stdout.startswith(b"diff --git ") else AddedLines()

    def identity(self, which: str) -> str:
        """`git var GIT_AUTHOR_IDENT` or `GIT_COMMITTER_IDENT`: who git will record."""
        return decode(self.run("var", which)).strip()

    def comment_char(self) -> str:
        value = decode(self.run("config", "--get", "core.commentChar", ok=(0, 1))).strip()
        return value if value and value != "auto" else "#"

    def _cut_by_shallow_clone(self, sha: str) -> bool:
        """Whether a commit looks like a root only because a shallow clone cut off its parents."""
        if not self.is_shallow():
            return False
        header = self.run("cat-file", "commit", sha).split(b"\n\n", 1)[0]
        return any(line.startswith(b"parent ") for line in header.splitlines())

    def empty_tree(self) -> str:
        return decode(self.run("hash-object", "-t", "tree", "--stdin")).strip()

    def tracked(self) -> list[str]:
        """Every path the index tracks (what `contribution-gate aibom` inventories)."""
        return [decode(p) for p in self.run("ls-files", "-z", "--cached", "--full-name").split(b"\x00") if p]

    def lfs_object(self, oid: str) -> Path | None:
        """The local Git LFS object of a pointer's sha256 oid, when this clone has fetched it."""
        if len(oid) != 64 or any(c not in "0123456789abcdef" for c in oid):
            return None
        if self._lfs is None:
            common = Path(decode(self.run("rev-parse", "--git-common-dir")).strip())
            self._lfs = (self.root / common / "lfs" / "objects").resolve()
        found = self._lfs / oid[:2] / oid[2:4] / oid
        return found if found.is_file() else None

    # -- targets ------------------------------------------------------------------------------
    def staged(self) -> Iterator[Item]:
        """What `git commit` would record: the index (GIT_INDEX_FILE honoured) against HEAD."""
        yield from parse_diff(self.stream("diff", "--cached", *DIFF_FLAGS, "-M"))

    def all_files(self, head: str, is_commit: bool = True, paths: Sequence[str] | None = None) -> Iterator[Item]:
        """Every file of the tree of `head`, as if the whole tree were added in that commit (a
        tree that is no commit, such as named files of the work tree: changes of no commit);
        `paths`: only those files and directories (a part of the tree, see `parts.py`)."""
        limit = ["--", *(f":(literal){path}" for path in paths)] if paths is not None else []
        diff = self.stream("diff", *DIFF_FLAGS, "--no-renames", self.empty_tree(), head, *limit)
        yield from parse_diff(diff, commit=head if is_commit else None)

    def tree_files(self, head: str) -> list[tuple[str, int]]:
        """(path, size in bytes) of every file of `head`'s tree (a submodule weighs nothing)."""
        listed = []
        for entry in self.run("ls-tree", "-r", "-l", "-z", "--full-tree", head).split(b"\x00"):
            meta, tab, path = entry.partition(b"\t")
            if tab:
                size = meta.split()[-1]
                listed.append((decode(path), int(size) if size.isdigit() else 0))
        return listed

    def commit_list(
        self, base: str | None, head: str, unpushed: bool = False, received: tuple[str, ...] = ()
    ) -> tuple[list[str], dict[str, int]]:
        """The commits `commits` reviews, in its order (oldest first, topological), and the merges
        among them with their numbers of parents: one listing, so the parts of a range cut from it
        need not ask git for their merges again."""
        revs = _revisions(base, head, unpushed, received)
        shas: list[str] = []
        merges: dict[str, int] = {}
        for line in decode(self.run("rev-list", "--reverse", "--topo-order", "--parents", *revs, "--")).splitlines():
            sha, *parents = line.split()
            shas.append(sha)
            if len(parents) > 1:
                merges[sha] = len(parents)
        return shas, merges

    def commits(
        self,
        base: str | None,
        head: str,
        unpushed: bool = False,
        received: tuple[str, ...] = (),
        only: Sequence[str] | None = None,
        merges: Mapping[str, int] | None = None,
    ) -> Iterator[Item]:
        """Each commit of base..head, oldest first, followed by the files it changes.

        `unpushed` limits the commits to those no remote-tracking branch has; `received` (tips
        being pushed to a server) reviews the commits of those tips that no ref has yet; `only`:
        just these commits of them, in this order (a part of the range, see `parts.py`), and
        `merges` the merges of the range with their numbers of parents, when the caller listed
        them (`commit_list`). A merge
        commit is followed by what it adds beyond its parents (`merges.MergeDiffs`): nothing for a
        clean merge.
        """
        if only is None:
            revs, feed = [*_revisions(base, head, unpushed, received), "--"], b""
            walk = ["--reverse", "--topo-order"]
            found = _merges(self.run("rev-list", "--merges", "--topo-order", "--parents", *revs))
        else:  # git shows the commits given on stdin as they are given, without walking from them
            revs, feed = ["--stdin"], "".join(f"{sha}\n" for sha in only).encode()
            walk = ["--no-walk=unsorted"]
            if merges is None:
                found = _merges(self.run("rev-list", *walk, "--merges", "--parents", *revs, feed=feed))[::-1]
            else:
                found = [(sha, merges[sha]) for sha in reversed(only) if sha in merges]
        # (sha, number of parents) of each merge, newest first, as the walk lists them
        args = ["log", _LOG_FORMAT, *walk, "-p", "--root", "-M", *DIFF_FLAGS, *revs]
        merging = MergeDiffs(self, found, DIFF_FLAGS) if found else None
        commit: Commit | None = None
        record = b""  # a commit record whose message held a line like `diff --git ` is in pieces
        try:
            for section in split_sections(self.stream(*args, feed=feed)):
                if record or section.startswith(_RECORD):
                    record += section
                    end = record.find(_RECORD_END)
                    if end < 0:
                        continue
                    commit, record = _parse_record(record[len(_RECORD) : end]), b""
                    if not commit.parents and self._cut_by_shallow_clone(commit.sha):
                        raise GitError(
                            f"the parent of commit {commit.sha[:12]} is not in this shallow clone, so what it adds "
                            "is unknown: fetch more history (`git fetch --deepen=50` or `git fetch --unshallow`), "
                            "or check out with `fetch-depth: 0`"
                        )
                    yield commit
                    if commit.is_merge and merging is not None:
                        yield from merging.added_by(commit)
                elif commit is not None:
                    yield parse_section(section, commit.sha)
        finally:
            if merging is not None:
                merging.close()


def _merges(listing: bytes) -> list[tuple[str, int]]:
    """(sha, number of parents) of each line of `rev-list --merges --parents`, in its order."""
    return [(shas[0], len(shas) - 1) for shas in map(str.split, decode(listing).splitlines())]


def _revisions(base: str | None, head: str, unpushed: bool, received: tuple[str, ...]) -> list[str]:
    """The revision arguments of a range (see `Repository.commits`)."""
    revs = [head, f"^{base}"] if base else [head]
    if unpushed:
        revs += ["--not", "--remotes"]
    if received:
        revs = [*received, "--not", "--all"]
    return revs


def _widen_pipe(fd: int) -> None:
    """Let git write up to _PIPE bytes ahead: with the default 64 KiB it stops each time the parser
    takes longer over a big file, and the two take turns instead of running side by side."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or over the system's pipe-max-size: the default pipe works, more slowly


def _parse_record(record: bytes) -> Commit:
    """The fields between a record's markers: sha, parents, author, committer, message."""
    fields = record.split(b"\x00", 6)
    sha, parents, an, ae, cn, ce = (decode(f) for f in fields[:6])
    message = decode(fields[6])
    return Commit(sha, tuple(parents.split()), an, ae, cn, ce, message)


def resolve_target(repo: Repository, staged: bool, range_spec: str | None, all_files: bool) -> Target:
    """Turn the CLI's choice (at most one of the three) into a Target with full shas."""
    if range_spec:
        return _range_target(repo, range_spec)
    if all_files:
        head = repo.head()
        if head is None:
            raise GitError("--all-files needs a commit: this repository has none yet (use --staged)")
        return Target("all-files", None, head)
    if staged or repo.head() is None or repo.has_staged_changes():
        return Target("staged", repo.head(), None)
    head = repo.resolve("HEAD")
    parents = repo.parents(head)
    return Target("range", parents[0] if parents else None, head)


def _range_target(repo: Repository, spec: str) -> Target:
    symmetric = "..." in spec
    base_ref, sep, head_ref = spec.partition("..." if symmetric else "..")
    if not sep or not base_ref:
        raise GitError(f"range {spec!r} is not BASE..HEAD or BASE...HEAD: e.g. --range origin/main..HEAD")
    base, head = repo.resolve(base_ref), repo.resolve(head_ref or "HEAD")
    if symmetric:
        base = repo.merge_base(base, head)
    elif base != head and not repo.succeeds("merge-base", "--is-ancestor", base, head):
        _not_descending(repo, spec, base_ref, head_ref or "HEAD", base, head)
    return Target("range", base, head)


def _not_descending(repo: Repository, spec: str, base_ref: str, head_ref: str, base: str, head: str) -> NoReturn:
    """BASE..HEAD whose base is not an ancestor of its head: reversed (HEAD is behind BASE) or
    diverged, and either way not what was meant; the error says what to run instead."""
    if repo.succeeds("merge-base", "--is-ancestor", head, base):
        raise GitError(
            f"range {spec!r} is reversed: {base_ref} ({base[:12]}) already contains {head_ref} ({head[:12]}), so "
            f"it has no commits to review: swap them, --range {head_ref}..{base_ref}"
        )
    if repo.is_shallow():
        raise GitError(
            f"range {spec!r}: {base_ref} is not an ancestor of {head_ref} in this shallow clone: fetch more history "
            "(`git fetch --unshallow`), or check out with `fetch-depth: 0`"
        )
    raise GitError(
        f"range {spec!r}: {base_ref} ({base[:12]}) is not an ancestor of {head_ref} ({head[:12]}), the two have "
        f"diverged: review from their merge base with --range {base_ref}...{head_ref}"
    )


def pre_push_target(repo: Repository, from_ref: str | None, to_ref: str | None, local_branch: str | None) -> Target:
    """The range pre-commit hands a pre-push hook; no (or an all-zero) from-ref is a new branch."""
    head = repo.resolve(to_ref or local_branch or "HEAD")
    if from_ref and from_ref.strip("0"):
        return Target("range", repo.resolve(from_ref), head)
    return Target("unpushed", None, head)


def event_target(repo: Repository, event: EventTarget) -> Target:
    """A pull request's base..head, or a push's before..after (a new branch: from the default branch)."""
    head = repo.resolve(event.head)
    if event.base is not None:
        return Target("range", repo.resolve(event.base), head)
    if event.default_branch:
        default = repo.resolve(f"origin/{event.default_branch}")
        return Target("range", repo.merge_base(default, head), head)
    return Target("unpushed", None, head)


def collect(repo: Repository, target: Target, unreviewed: Unreviewed | None = None) -> Changes:
    """The stream of commits and file changes the review's checks see for `target`, with the
    reviewed tree's content for the checks that read whole files. `unreviewed(path)`: whether no
    check reads `path` or accepts what is found there; a rename out of such a path is an addition."""
    return Changes(repo, target, unreviewed)


class Changes:
    """A target's stream of items, iterable once; the content reader closes when it ends.

    `subset`: only these commits of a range, or these paths of a tree (a part, see `split`);
    `merges`: the range's merges with their numbers of parents, listed once for all its parts."""

    def __init__(
        self,
        repo: Repository,
        target: Target,
        unreviewed: Unreviewed | None,
        subset: Sequence[str] | None = None,
        merges: Mapping[str, int] | None = None,
    ) -> None:
        self._repo, self._target, self._unreviewed = repo, target, unreviewed
        reader = BlobReader(repo.root)
        self.content = TreeContent(repo, target.head if target.kind != "staged" else None, reader)
        self._items = ByContent(reader, repo.diff_texts, unreviewed)(self._source(subset, merges))

    def _source(self, subset: Sequence[str] | None, merges: Mapping[str, int] | None) -> Iterator[Item]:
        repo, target = self._repo, self._target
        if target.kind == "staged":
            return repo.staged()
        assert target.head is not None
        if target.kind in ("all-files", "files"):
            return repo.all_files(target.head, target.kind == "all-files", subset)
        return repo.commits(target.base, target.head, target.kind == "unpushed", target.tips, subset, merges)

    def split(self, jobs: int | None) -> list[Changes] | None:
        """The stream cut into parts that `jobs` processes can review side by side, in an order
        that put back together is this stream's (a range's commits; a tree's files in any order);
        None when there is nothing worth cutting (the index, a short range, a small tree). `jobs`
        None: as many as the CPUs, for a range or tree big enough (`parts.Thresholds`); a number:
        whatever has two pieces."""
        repo, target = self._repo, self._target
        if target.kind == "staged" or target.head is None:
            return None
        from . import parts  # only a review of a range or a tree pays for it

        least = parts.Thresholds() if jobs is None else parts.Thresholds.asked()
        jobs = parts.default_jobs() if jobs is None else jobs
        merges: dict[str, int] | None = None
        if target.kind in ("all-files", "files"):
            cut = parts.tree_groups(repo.tree_files(target.head), jobs, least)
        else:
            shas, merges = repo.commit_list(target.base, target.head, target.kind == "unpushed", target.tips)
            cut = parts.commit_runs(shas, jobs, least)
        return [Changes(repo, target, self._unreviewed, subset, merges) for subset in cut] if cut else None

    def __iter__(self) -> Iterator[Item]:
        try:
            yield from self._items
        finally:
            self.content.close()
