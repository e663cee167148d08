"""The plan: the audit's repositories resolved to commits and cut into units, written once.

Planning resolves each repository's head (`rev-parse` in place, `git ls-remote` for a URL, in a
few threads), estimates its cost (the pack size, the API's size, or the number of commits) and, for
`--scope history` over more than `--slice-commits` commits, cuts the history on the first-parent
chain: boundaries b0 < b1 < ... < bk = HEAD give units b(i-1)..b(i), so every commit reachable
from HEAD, side branches included, lies in exactly one slice (the first whose boundary reaches
it). A resumed audit reads the plan back and reviews the same commits; `--since-last` plans again
and adds, for each repository whose head moved, one unit with only the new commits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..diff import decode
from ..errors import GateError
from ..git import Repository
from ..parts import memory_allows
from .repositories import git_dir_of, open_git_dir, remote_head
from .targets import Source
from .units import Settings, Unit, unique_slugs

FORMAT = 1
_THREADS = 8


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def resolve(sources: Sequence[Source], environ: Mapping[str, str]) -> list[str]:
    """Each repository's head commit, resolved in a few threads (ls-remote waits on the network)."""
    with ThreadPoolExecutor(max_workers=min(_THREADS, max(len(sources), 1))) as pool:
        return list(pool.map(lambda s: _head(s, environ), sources))


def _head(source: Source, environ: Mapping[str, str]) -> str:
    if source.remote:
        return remote_head(source.target, environ)
    repo = open_git_dir(git_dir_of(Path(source.target)))
    head = repo.head()
    if head is None:
        raise GateError(f"{source.target}: the repository has no commit to audit")
    return head


def units_for(
    sources: Sequence[Source], heads: Sequence[str], scope: str, slice_commits: int, slugs: Sequence[str]
) -> list[Unit]:
    """The units of freshly resolved repositories."""
    units: list[Unit] = []
    for source, head, slug in zip(sources, heads, slugs, strict=True):
        if source.remote:  # not cloned yet: one unit, ordered by the API's size when known
            units.append(Unit(source.target, slug, head, scope, None, source.size_kb))
            continue
        repo = open_git_dir(git_dir_of(Path(source.target)))
        if scope == "tree":
            units.append(Unit(source.target, slug, head, scope, None, _pack_kb(repo)))
        else:
            units += [
                Unit(source.target, slug, top, scope, base, float(n))
                for base, top, n in slices(repo, head, slice_commits)
            ]
    return units


def _pack_kb(repo: Repository) -> float:
    fields = dict(line.split(": ", 1) for line in decode(repo.run("count-objects", "-v")).splitlines() if ": " in line)
    return float(fields.get("size-pack", 0)) + float(fields.get("size", 0))


def slices(repo: Repository, head: str, limit: int) -> list[tuple[str | None, str, int]]:
    """(base, head, commits) of each history slice; one slice when the history is short enough."""
    total = int(decode(repo.run("rev-list", "--count", head)).strip() or 0)
    if total <= limit:
        return [(None, head, total)]
    chain = decode(repo.run("rev-list", "--first-parent", "--reverse", head)).split()
    pieces = -(-total // limit)
    boundaries = sorted({chain[min(len(chain) - 1, (len(chain) * i) // pieces)] for i in range(1, pieces)})
    ordered = [sha for sha in chain if sha in boundaries] + [head]
    out: list[tuple[str | None, str, int]] = []
    base: str | None = None
    for top in dict.fromkeys(ordered):
        span = [top, f"^{base}"] if base else [top]
        count = int(decode(repo.run("rev-list", "--count", *span, "--")).strip() or 0)
        if count:
            out.append((base, top, count))
        base = top
    return out


def new_plan(
    targets: Sequence[str],
    sources: Sequence[Source],
    scope: str,
    settings: Settings,
    slice_commits: int,
    environ: Mapping[str, str],
) -> dict[str, Any]:
    heads = resolve(sources, environ)
    slugs = unique_slugs([s.name for s in sources])
    units = units_for(sources, heads, scope, slice_commits, slugs)
    return {
        "tool": "contribution-gate-audit",
        "format": FORMAT,
        "created": now(),
        "targets": list(targets),
        "scope": scope,
        "settings": settings.as_dict(),
        "slice_commits": slice_commits,
        "repositories": [
            {"target": s.target, "slug": slug, "head": head}
            for s, slug, head in zip(sources, slugs, heads, strict=True)
        ],
        "units": [u.as_dict() for u in units],
        "runs": [],
    }


def since_last(
    previous: dict[str, Any], sources: Sequence[Source], environ: Mapping[str, str], slice_commits: int
) -> dict[str, Any]:
    """The previous plan, plus a history unit `old..new` for each repository whose head moved and
    a fresh plan for repositories new to the audit; unchanged repositories add nothing."""
    old = {r["target"]: r for r in previous.get("repositories", [])}
    heads = resolve(sources, environ)
    units = [Unit.from_dict(u) for u in previous["units"]]
    repos = []
    taken = [r["slug"] for r in old.values()]
    fresh = [s for s in sources if s.target not in old]
    new_slugs = dict(
        zip((s.target for s in fresh), unique_slugs([*taken, *(s.name for s in fresh)])[len(taken) :], strict=True)
    )
    for source, head in zip(sources, heads, strict=True):
        known = old.get(source.target)
        if known is None:
            slug = new_slugs[source.target]
            units += units_for([source], [head], previous["scope"], slice_commits, [slug])
        else:
            slug = known["slug"]
            if known["head"] != head:
                units.append(Unit(source.target, slug, head, "history", known["head"], 0.0))
        repos.append({"target": source.target, "slug": slug, "head": head})
    listed = {s.target for s in sources}
    repos += [r for r in old.values() if r["target"] not in listed]  # not named this time: kept as they were
    return {**previous, "repositories": repos, "units": [u.as_dict() for u in dict.fromkeys(units)], "since": now()}


def keyed(plan: dict[str, Any]) -> list[tuple[Unit, str]]:
    settings = Settings.from_dict(plan["settings"])
    return [(unit, unit.key(settings)) for unit in (Unit.from_dict(u) for u in plan["units"])]


def same_audit(
    plan: dict[str, Any], targets: Sequence[str], scope: str, settings: Settings, ignore_version: bool = False
) -> str | None:
    """Why `plan` is not this command's audit (None: it is, resume it). Another gate version is the
    same audit (`ignore_version`): its units simply get new keys and are reviewed again."""
    if plan.get("format") != FORMAT:
        return f"the plan was written by another format ({plan.get('format')})"
    if plan.get("targets") != list(targets):
        return "it audits other targets"
    if plan.get("scope") != scope:
        return f"its scope is {plan.get('scope')}"
    theirs = plan.get("settings") or {}
    changed = sorted(
        k for k, v in settings.as_dict().items() if theirs.get(k) != v and not (ignore_version and k == "version")
    )
    if changed:
        return f"its {', '.join(changed)} differ"
    return None


def default_workers() -> int:
    """One worker per CPU, at most one per 1.5 GB of available memory (what a worker takes when it
    has to load ScanCode's index; most never do)."""
    return memory_allows(os.cpu_count() or 1)
