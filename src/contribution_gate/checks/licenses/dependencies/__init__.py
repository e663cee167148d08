"""The dependencies a change adds, and whether the project may take their licenses.

This face is light on purpose: `handles(path)` decides by file name alone (`names`), so a change
without manifests or lockfiles imports nothing more and pays one set lookup per file. For a file
that declares dependencies, `run` does the work: `changes` reads what the change adds or
re-versions (one parser module per ecosystem), `resolve` finds each package version's license
(lockfile, installed copy, per-user cache, deps.dev), `findings` judges it with the licenses
check's own table and reports it on the line that adds the package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .names import is_dependency_file as handles
from .names import is_lockfile

if TYPE_CHECKING:
    from ....model import FileChange, Finding
    from ..judge import Rules
    from .findings import Judged
    from .run import Context

Reader = Callable[[str], "bytes | None"]


class Deferred:
    """The dependency review's run context, made on the first dependency file: the policy table,
    the reviewed objects (`Content.open`) and the working tree (None outside a local review)."""

    def __init__(self, table: Mapping[str, Any], open_stream: Any, work_tree: Reader | None) -> None:
        self._table, self._open, self._work_tree = table, open_stream, work_tree
        self._context: Context | None = None

    def context(self) -> Context:
        if self._context is None:
            from .run import Context, policy_of

            self._context = Context(policy_of(self._table), self._open, self._work_tree)
        return self._context


def validate(table: Mapping[str, Any]) -> None:
    """Raise ValueError naming the first `allow-packages`/`deny-packages` entry that cannot be read."""
    if table.get("allow-packages") or table.get("deny-packages"):
        from .curation import problem

        for key in ("allow-packages", "deny-packages"):
            found = problem(table.get(key, ()))
            if found:
                raise ValueError(f"[licenses] {key} {found}")


def scan(change: FileChange, deferred: Deferred, project: Any, project_source: str, rules: Rules) -> Iterator[Finding]:
    from .run import scan as run_scan

    return run_scan(change, deferred.context(), project, project_source, rules)


def assess(change: FileChange, deferred: Deferred, project: Any, rules: Rules) -> list[Judged]:
    from .run import assess as run_assess

    return run_assess(change, deferred.context(), project, rules)[0]


__all__ = ["Deferred", "assess", "handles", "is_lockfile", "scan", "validate"]
