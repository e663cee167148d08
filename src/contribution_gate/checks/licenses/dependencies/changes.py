"""What one file change adds to the dependencies: the packages its new version names that its old
version did not (or named at another version), read from the whole pre- and post-images.

A manifest's new requirement takes its version and license from the lockfile beside it, as the
same commit leaves that lockfile. A lockfile's new packages are labelled with the direct
dependency that brings each in; its direct packages that the manifest beside it adds in the same
change are left to the manifest, so the finding sits on the line a person wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ....model import FileChange
from . import graph
from .files import Kind, kind_of, sibling
from .model import MAX_FILE, Dep, Parsed

Open = Callable[
    [str], "bytes | None"
]  # an object spec (`<oid>`, `<rev>:<path>`, `:0:<path>`) -> bytes, None when missing
_MAX_INCLUDES = 32
_TOO_LARGE = b"\x00too large\x00"


@dataclass
class FileDeps:
    """The packages a change to one dependency file adds, and what could not be read."""

    deps: list[Dep] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)


class Tree:
    """Whole files for the dependency review, read through the review's object reader, and the
    parses of partner files kept for the run (a lockfile is parsed once, not once per manifest)."""

    def __init__(self, open_: Open | None) -> None:
        self._open = open_
        self._parsed: dict[str, Parsed | None] = {}

    def read(self, spec: str | None) -> bytes | None:
        if spec is None or self._open is None or "\n" in spec:
            return None
        try:
            return self._open(spec)
        except Exception:  # an object the reader cannot give is a file that is not there
            return None

    def parsed(self, spec: str | None, kind: Kind, path: str) -> Parsed | None:
        if spec is None:
            return None
        if spec not in self._parsed:
            if len(self._parsed) > 64:
                self._parsed.clear()
            data = self.read(spec)
            self._parsed[spec] = None if data is None or data == _TOO_LARGE else kind.parse(_text(data), path)
        return self._parsed[spec]


def spec_at(change: FileChange, path: str, before: bool) -> str | None:
    """Where `path` is in the tree the change leaves (or in the tree before it)."""
    if change.commit is None:
        return f"HEAD:{path}" if before else f":0:{path}"
    return f"{change.commit}^:{path}" if before else f"{change.commit}:{path}"


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").lstrip("\ufeff")


def added(change: FileChange, tree: Tree) -> FileDeps:
    """The packages `change` adds or re-versions, with their lines in the new file."""
    out = FileDeps()
    kind = kind_of(change.path)
    if kind is None or change.is_binary or change.is_submodule or change.status == "D":
        return out
    post_bytes = tree.read(change.blob) if change.blob else None
    if post_bytes is None and change.added and change.added.lineno(0) == 1 and change.status == "A":
        post_bytes = ("\n".join(line.text for line in change.added) + "\n").encode()
    if post_bytes is None:
        out.problems.append((None, "its new version cannot be read"))
        return out
    if post_bytes == _TOO_LARGE:
        out.problems.append((None, f"it is larger than {MAX_FILE >> 20} MiB: its dependencies are not read"))
        return out
    pre_bytes = tree.read(change.old_blob) if change.old_blob and change.status != "A" else None
    post = kind.parse(_text(post_bytes), change.path)
    pre = kind.parse(_text(pre_bytes), change.path) if pre_bytes and pre_bytes != _TOO_LARGE else Parsed()
    out.problems.extend(post.problems)
    if post.includes:
        _include(change, tree, post, pre, out)
    if kind.lockfile:
        out.deps.extend(_lockfile(change, tree, kind, post, pre))
    else:
        out.deps.extend(_manifest(change, tree, kind, post, pre))
    return out


def _manifest(change: FileChange, tree: Tree, kind: Kind, post: Parsed, pre: Parsed) -> list[Dep]:
    before = {(d.key, d.version, d.spec, d.scope) for d in pre.deps}
    new = [d for d in post.deps if (d.key, d.version, d.spec, d.scope) not in before]
    if not new:
        return new
    locked: dict[tuple[str, str], Dep] = {}
    for partner in kind.partners:
        path = sibling(change.path, partner)
        partner_kind = kind_of(path)
        parsed = tree.parsed(spec_at(change, path, False), partner_kind, path) if partner_kind else None
        if parsed is None:
            continue
        for dep in graph.label(parsed, {d.key[1]: d.scope for d in post.deps}):
            if dep.direct or dep.key not in locked:
                locked[dep.key] = replace(dep, entry=f"{partner} {dep.entry}".strip())
        break
    out = []
    for dep in new:
        lock = locked.get(dep.key)
        if lock is not None and lock.version and not dep.source_note:
            dep = replace(dep, version=dep.version or lock.version, license=lock.license, entry=lock.entry)
        out.append(dep)
    return out


def _lockfile(change: FileChange, tree: Tree, kind: Kind, post: Parsed, pre: Parsed) -> list[Dep]:
    manifest_post: Parsed | None = None
    manifest_new: set[str] = set()
    for partner in kind.partners:
        path = sibling(change.path, partner)
        partner_kind = kind_of(path)
        if partner_kind is None:
            continue
        manifest_post = tree.parsed(spec_at(change, path, False), partner_kind, path)
        if manifest_post is None:
            continue
        manifest_pre = tree.parsed(spec_at(change, path, True), partner_kind, path) or Parsed()
        before = {(d.key, d.version, d.spec) for d in manifest_pre.deps}
        manifest_new = {d.key[1] for d in manifest_post.deps if (d.key, d.version, d.spec) not in before}
        break
    names = {d.key[1]: d.scope for d in manifest_post.deps} if manifest_post is not None else None
    before_versions = {(d.key, d.version) for d in pre.deps}
    out = []
    for dep in graph.label(post, names):
        if (dep.key, dep.version) in before_versions:
            continue
        if dep.direct and dep.key[1] in manifest_new:
            continue  # the manifest's own change reports it, on the line that asks for it
        out.append(dep)
    return out


def _include(change: FileChange, tree: Tree, post: Parsed, pre: Parsed, out: FileDeps) -> None:
    """`-r other.txt` lines the change adds: the packages of the included files (as the change
    leaves them, followed to a depth of a few files) are added by that line."""
    from .python import requirements

    old = {target for _, target in pre.includes}
    seen = {change.path}
    queue = [(line, target, change.path) for line, target in post.includes if target not in old]
    while queue and len(seen) <= _MAX_INCLUDES:
        line, target, base = queue.pop(0)
        path = _join(base, target)
        if path is None or path in seen:
            continue
        seen.add(path)
        data = tree.read(spec_at(change, path, False))
        if data is None or data == _TOO_LARGE:
            out.problems.append((line, f"the included file {target} cannot be read"))
            continue
        parsed = requirements(_text(data), path)
        for dep in parsed.deps:
            out.deps.append(replace(dep, line=line, entry=f"{path}:{dep.line}"))
        queue.extend((line, nested, path) for _, nested in parsed.includes)


def _join(base: str, target: str) -> str | None:
    """`target` relative to the directory of `base`, inside the repository; None when it leaves it."""
    if target.startswith("/") or "://" in target:
        return None
    parts = base.split("/")[:-1]
    for part in target.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def reader(open_stream: Callable[[str], object]) -> Open:
    """An `Open` over a `Content.open`: at most MAX_FILE bytes, a marker past that."""

    def read(spec: str) -> bytes | None:
        with open_stream(spec) as stream:  # type: ignore[attr-defined]
            if stream is None:
                return None
            data: bytes = stream.read(MAX_FILE + 1)
            return data if len(data) <= MAX_FILE else _TOO_LARGE

    return read
