"""One run of the dependency review: its policy, the reviewed objects, the resolver (made on
first use), and the steps for one file: what it adds, the licenses, the judgement, the findings.
Files are taken one at a time (a lock), so the resolver's cache stays on one thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ....model import FileChange, Finding
from ....places import DOC_FOLDERS
from ..judge import Rules
from . import curation
from .changes import Tree, added, reader
from .findings import Judged, Policy, findings, judge_all, unreadable
from .model import DEV
from .resolve import OFF, OFFLINE, ONLINE, Resolver

MODES = (ONLINE, OFFLINE, OFF)
DEV_CHOICES = ("warning", "error", "off")
Reader = Callable[[str], "bytes | None"]


def policy_of(table: Mapping[str, Any]) -> Policy:
    """The `[licenses]` keys for dependencies (validated by the config schema)."""
    mode = table.get("dependencies") or (ONLINE if os.environ.get("GITHUB_ACTIONS") == "true" else OFFLINE)
    return Policy(
        mode,
        tuple(curation.parse(e) for e in table.get("allow-packages", ())),
        tuple(curation.parse(e) for e in table.get("deny-packages", ())),
        table.get("dev-dependencies", "warning"),
    )


@dataclass
class Context:
    """What the dependency review needs for one run: the policy, the reviewed objects, the working
    tree (a local review's installed packages), and a resolver made on first use."""

    policy: Policy
    open_stream: Any = None  # Content.open
    work_tree: Reader | None = None
    _tree: Tree | None = field(default=None, repr=False)
    _resolver: Resolver | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            self._tree = Tree(reader(self.open_stream) if self.open_stream is not None else None)
        return self._tree

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            from .cache import Cache
            from .depsdev import Client
            from .installed import Installed

            online = self.policy.mode == ONLINE
            self._resolver = Resolver(
                self.policy.mode, Installed(self.work_tree), Cache(), Client() if online else None
            )
        return self._resolver


def assess(
    change: FileChange, ctx: Context, project: Any, rules: Rules
) -> tuple[list[Judged], list[tuple[int | None, str]]]:
    """The packages `change` adds, each judged; and what in the file could not be read."""
    if ctx.policy.mode == OFF:
        return [], []
    with ctx._lock:
        found = added(change, ctx.tree)
        named = found.deps if not _builds_documentation(change.path) else [replace(d, scope=DEV) for d in found.deps]
        deps = [d for d in named if not (ctx.policy.dev == "off" and d.scope == DEV)]
        resolutions = ctx.resolver.resolve(deps) if deps else []
    return judge_all(deps, resolutions, ctx.policy, project, rules), found.problems


_DOCUMENTATION_FOLDERS = DOC_FOLDERS | {"website"}  # and a documentation site's own folder (Docusaurus)


def _builds_documentation(path: str) -> bool:
    """A manifest or lockfile of a documentation site (`docs/package-lock.json`, `docs/requirements.txt`,
    `website/package.json`): what it installs builds the pages, and never ships with the project."""
    return not _DOCUMENTATION_FOLDERS.isdisjoint(folder.lower() for folder in path.split("/")[:-1])


def scan(change: FileChange, ctx: Context, project: Any, project_source: str, rules: Rules) -> Iterator[Finding]:
    judged, problems = assess(change, ctx, project, rules)
    for line, why in problems:
        yield unreadable(change, line, why)
    yield from findings(change, judged, ctx.policy, str(project) if project is not None else "", project_source)
