"""`contribution-gate licenses`: every license a change (or a whole tree) adds, where it was found,
and whether the project may take it: the data an auditor or an AI bill of materials needs.

The same detectors and judgement as the `licenses` check, with every verdict listed (passes too);
the project's license and the policy come from the same place as for a review.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .checks import licenses
from .checks.licenses.project import HOW_TO_DECLARE
from .config import Config
from .errors import ConfigError, PolicyValueError
from .git import Repository, collect
from .model import FileChange, Setup, Target
from .wording import plural

VERDICTS = ("fail", "warn", "pass", "unjudged", "unreadable")
DEPENDENCY_VERDICTS = ("fail", "warn", "unknown", "pass", "unjudged")


@dataclass(frozen=True)
class Entry:
    path: str
    line: int | None
    end_line: int | None
    commit: str | None
    expression: str
    classes: str
    source: str
    detail: str
    strong: bool
    score: float | None
    verdict: str
    reason: str


@dataclass(frozen=True)
class DependencyEntry:
    """A package a manifest or lockfile of the target adds, its license and the verdict."""

    path: str
    line: int | None
    commit: str | None
    ecosystem: str
    name: str
    version: str | None
    requirement: str
    direct: bool
    via: str
    lockfile_entry: str
    scope: str
    expression: str
    classes: str
    source: str
    verdict: str  # pass, warn, fail, unknown or unjudged
    reason: str


@dataclass(frozen=True)
class Inventory:
    target: Target
    project: str | None
    project_source: str
    entries: tuple[Entry, ...]
    files: int
    dependencies: tuple[DependencyEntry, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether it lists a license the project cannot take, a weak match or a dependency
        included (the review only warns on some): an inventory that shows `fail` never exits 0."""
        return any(e.verdict == "fail" for e in self.entries) or any(d.verdict == "fail" for d in self.dependencies)


def build(start: Path, target_of: Callable[[Repository], Target], config_path: Path | None = None) -> Inventory:
    """Detect and judge the licenses of the target's added files, once per file and license. A
    `[licenses] project` that names no license is a config error naming the policy file."""
    from .session import load_policy

    repo = Repository(start)
    target = target_of(repo)
    config = load_policy(repo, target, config_path)
    try:
        return _build(repo, target, config)
    except PolicyValueError as exc:
        raise ConfigError(f"{config.source}: {exc}") from None


def _build(repo: Repository, target: Target, config: Config) -> Inventory:
    from .session import policy_source

    table = config.table(licenses.ID)
    changes = collect(repo, target)
    opts = licenses.options(table, Setup(changes.content, policy_source(repo, target)))
    excluded = _path_filter(table.get("exclude-paths", ()))
    entries: list[Entry] = []
    deps: dict[tuple[str, str, str, str], DependencyEntry] = {}
    seen: set[tuple[str, str, str]] = set()
    files = 0
    for item in changes:
        if not isinstance(item, FileChange) or excluded(item.path):
            continue
        files += 1
        for judged in licenses.dependency_items(item, opts):
            entry = _dependency_entry(item, judged)
            deps[(entry.path, entry.ecosystem, entry.name, entry.version or entry.requirement)] = entry
        for found in licenses.assessed(item, opts):
            d = found.detection
            if (item.path, d.expression, d.source) in seen:
                continue
            seen.add((item.path, d.expression, d.source))
            reason = (found.judgement.reason if found.judgement else d.problem) or ""
            entries.append(
                Entry(
                    item.path,
                    d.line,
                    d.end_line,
                    item.commit,
                    d.expression,
                    found.klass,
                    d.source,
                    d.detail,
                    d.strong,
                    d.score,
                    found.verdict,
                    reason,
                )
            )
    project, source = opts.outbound.get()
    return Inventory(
        target, str(project) if project is not None else None, source, tuple(entries), files, tuple(deps.values())
    )


def _dependency_entry(change: FileChange, judged: Any) -> DependencyEntry:
    dep, res = judged.dep, judged.resolution
    expression = str(res.expr) if res.expr is not None else ""
    return DependencyEntry(
        change.path,
        dep.line,
        change.commit,
        dep.ecosystem,
        dep.name,
        res.version or dep.version,
        dep.spec,
        dep.direct,
        dep.via,
        dep.entry,
        dep.scope,
        expression,
        judged.klass,
        res.source,
        judged.verdict,
        judged.reason or res.problem,
    )


def _path_filter(patterns: Sequence[str]) -> Callable[[str], bool]:
    if not patterns:
        return lambda path: False
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns).match_file


def render(inventory: Inventory, fmt: str) -> str:
    return render_json(inventory) if fmt == "json" else render_text(inventory)


def summary(inventory: Inventory) -> str:
    counts = {v: sum(1 for e in inventory.entries if e.verdict == v) for v in VERDICTS}
    shown = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    files = len({e.path for e in inventory.entries})
    text = f"{plural(len(inventory.entries), 'license')} in {files} of {plural(inventory.files, 'file')}" + (
        f": {shown}" if shown else ""
    )
    if inventory.dependencies:
        deps = {v: sum(1 for d in inventory.dependencies if d.verdict == v) for v in DEPENDENCY_VERDICTS}
        text += f"; {len(inventory.dependencies)} dependenc{'y' if len(inventory.dependencies) == 1 else 'ies'}: "
        text += ", ".join(f"{n} {v}" for v, n in deps.items() if n)
    return text


def render_text(inventory: Inventory) -> str:
    t = inventory.target
    what = {"staged": "the staged change", "all-files": "all tracked files", "range": "the range"}.get(t.kind, t.kind)
    if t.kind == "range":
        what += f" {t.base[:12] if t.base else '(root)'}..{(t.head or '')[:12]}"
    elif t.kind == "all-files":
        what += f" at {(t.head or '')[:12]}"
    project = f"{inventory.project} ({inventory.project_source})" if inventory.project else "not declared"
    out = [f"contribution-gate licenses: {what}; project license: {project}", ""]
    rows = []
    for e in inventory.entries:
        where = f"{e.path}:{e.line}" if e.line else e.path
        if e.end_line and e.line and e.end_line != e.line:
            where += f"-{e.end_line}"
        verdict = e.verdict if e.strong else f"{e.verdict} (weak match)"
        rows.append((where, e.expression, e.classes, e.source, verdict))
    if rows:
        widths = [min(48, max(len(r[i]) for r in rows)) for i in range(4)]
        for row in rows:
            out.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
        out.append("")
    if inventory.dependencies:
        out += ["Dependencies:", *_dependency_rows(inventory.dependencies), ""]
    out.append(summary(inventory))
    if inventory.project is None and inventory.entries:
        out.append(f"Nothing is judged: {HOW_TO_DECLARE}.")
    return "\n".join(out) + "\n"


def _dependency_rows(deps: Sequence[DependencyEntry]) -> list[str]:
    rows = []
    for d in deps:
        where = f"{d.path}:{d.line}" if d.line else d.path
        package = f"{d.ecosystem}:{d.name} {d.version or d.requirement}".rstrip()
        if not d.direct:
            package += f" (via {d.via})" if d.via else " (transitive)"
        if d.scope == "development":
            package += " [dev]"
        license_ = d.expression or "?"
        source = d.source or d.reason
        rows.append((where, package, license_, source[:60], d.verdict))
    widths = [min(48, max(len(r[i]) for r in rows)) for i in range(4)]
    return ["  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:4])) + "  " + r[4] for r in rows]


def render_json(inventory: Inventory) -> str:
    t = inventory.target
    document = {
        "tool": "contribution-gate",
        "version": __version__,
        "target": {"kind": t.kind, "base": t.base, "head": t.head},
        "project": {"expression": inventory.project, "source": inventory.project_source or None},
        "licenses": [asdict(e) for e in inventory.entries],
        "summary": {v: sum(1 for e in inventory.entries if e.verdict == v) for v in VERDICTS},
        "dependencies": [asdict(d) for d in inventory.dependencies],
        "dependency_summary": {
            v: sum(1 for d in inventory.dependencies if d.verdict == v) for v in DEPENDENCY_VERDICTS
        },
        "files": inventory.files,
    }
    return json.dumps(document, indent=2) + "\n"
