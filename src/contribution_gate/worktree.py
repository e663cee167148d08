"""Named files of the work tree as a tree git can review: what `pre-commit run --all-files` and
`pre-commit run --files X` hand a hook.

Every other hook reads those files from disk, so the gate does too: it hashes them as they are (no
filter or driver of the repository runs: `--no-filters`) into a temporary object directory that
reads through to the repository's objects (an alternate), writes a tree of them with a temporary
index, and points every git process of the review at that directory until it is deleted. The
review reads the tree like a commit's, every line added; the repository is not written to.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import gitcmd
from .diff import decode
from .errors import GitError
from .git import Repository

_MODES = {"file": "100644", "executable": "100755", "symlink": "120000"}


def staged_paths(repo: Repository) -> frozenset[str]:
    """Every path the index changes against HEAD (what pre-commit hands a hook at commit time is
    among them), deletions included; GIT_INDEX_FILE honoured."""
    if repo.head() is None:
        out = repo.run("ls-files", "-z", "--cached", "--full-name")
    else:
        out = repo.run("diff", "--cached", "--name-only", "-z", "--no-renames", "--no-ext-diff", "HEAD", "--")
    return frozenset(decode(name) for name in out.split(b"\x00") if name)


def repository_paths(repo: Repository, names: Sequence[str], cwd: Path) -> tuple[list[str], list[str]]:
    """`names` (as a hook is given them: relative to `cwd`) as paths of the repository, and a
    warning for each name that is outside it."""
    root = repo.root.resolve()
    paths: list[str] = []
    warnings: list[str] = []
    for name in names:
        absolute = Path(os.path.abspath(cwd / name))
        try:
            inside = (Path(os.path.realpath(absolute.parent)) / absolute.name).relative_to(root)
        except ValueError:
            warnings.append(f"{name}: outside the repository, not reviewed")
            continue
        if not inside.parts or inside.parts[0] == ".git":
            warnings.append(f"{name}: not a file of the work tree, not reviewed")
            continue
        paths.append(inside.as_posix())
    return paths, warnings


@dataclass
class Snapshot:
    """The tree of the named files and what could not go into it."""

    tree: str
    files: int
    warnings: list[str] = field(default_factory=list)


@contextmanager
def snapshot(repo: Repository, paths: Sequence[str]) -> Iterator[Snapshot]:
    """A tree holding `paths` (repository paths) as the work tree has them; while the context is
    open, every git process of this program reads the temporary objects too."""
    tmp = Path(tempfile.mkdtemp(prefix="contribution-gate-files-"))
    objects = tmp / "objects"
    for sub in ("info", "pack"):
        (objects / sub).mkdir(parents=True)
    env = {
        "GIT_OBJECT_DIRECTORY": str(objects),
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": _alternates(
            [_objects_of(repo), os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES", "")]
        ),
    }
    saved = {name: os.environ.get(name) for name in env}
    try:
        os.environ.update(env)
        entries, warnings = _entries(repo, paths)
        index = {"GIT_INDEX_FILE": str(tmp / "index")}
        _git(repo, ["update-index", "--add", "-z", "--index-info"], b"".join(entries), index)
        tree = decode(_git(repo, ["write-tree"], b"", index)).strip()
        yield Snapshot(tree, len(entries), warnings)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(tmp, ignore_errors=True)


def _objects_of(repo: Repository) -> str:
    where = decode(repo.run("rev-parse", "--git-path", "objects")).strip()
    return str((repo.root / where).resolve())


def _alternates(directories: list[str]) -> str:
    """GIT_ALTERNATE_OBJECT_DIRECTORIES: a directory holding the separator is written C-quoted."""
    quoted = []
    for entry in directories:
        if not entry:
            continue
        if entry.startswith('"') or os.pathsep in entry:
            entry = '"' + entry.replace("\\", "\\\\").replace('"', '\\"') + '"'
        quoted.append(entry)
    return os.pathsep.join(quoted)


def _entries(repo: Repository, paths: Sequence[str]) -> tuple[list[bytes], list[str]]:
    """`update-index --index-info -z` records for the files among `paths`, hashed into the
    temporary objects; a warning for each path that is no file."""
    warnings: list[str] = []
    regular: list[tuple[str, str]] = []  # (path, mode)
    records: list[bytes] = []
    for path in dict.fromkeys(paths):
        try:
            info = os.lstat(repo.root / path)
        except OSError:
            warnings.append(f"{path}: no such file in the work tree, not reviewed")
            continue
        if stat.S_ISLNK(info.st_mode):
            target = os.readlink(os.fsencode(repo.root / path))
            records.append(_record(_MODES["symlink"], _git(repo, ["hash-object", "-w", "--stdin"], target), path))
        elif stat.S_ISREG(info.st_mode):
            regular.append((path, _MODES["executable" if info.st_mode & 0o111 else "file"]))
        else:
            warnings.append(f"{path}: not a regular file, not reviewed")
    plain = [(p, m) for p, m in regular if "\n" not in p]
    if plain:
        listed = "".join(f"{p}\n" for p, _ in plain).encode("utf-8", "surrogateescape")
        shas = _git(repo, ["hash-object", "-w", "--no-filters", "--stdin-paths"], listed).split()
        if len(shas) != len(plain):
            raise GitError(f"git hash-object gave {len(shas)} object ids for {len(plain)} files")
        records += [_record(mode, sha, path) for (path, mode), sha in zip(plain, shas, strict=True)]
    for path, mode in regular:
        if "\n" in path:  # --stdin-paths cannot name it: its bytes go through --stdin
            data = (repo.root / path).read_bytes()
            records.append(_record(mode, _git(repo, ["hash-object", "-w", "--no-filters", "--stdin"], data), path))
    return records, warnings


def _record(mode: str, sha: bytes, path: str) -> bytes:
    return f"{mode} {decode(sha).strip()}\t".encode() + path.encode("utf-8", "surrogateescape") + b"\x00"


def _git(repo: Repository, args: list[str], stdin: bytes, env: dict[str, str] | None = None) -> bytes:
    """A git command fed `stdin`, with the pinned settings and the temporary objects."""
    with tempfile.TemporaryFile() as errors:
        proc = repo.popen(args, errors, env, stdin=True)
        out, _ = proc.communicate(stdin)
        if proc.returncode != 0:
            errors.seek(0)
            raise gitcmd.failed(args[0], errors.read(), proc.returncode)
    return out
