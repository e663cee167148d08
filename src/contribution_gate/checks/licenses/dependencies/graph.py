"""Who brings a transitive package in: one breadth-first walk of a lockfile's graph from its
direct dependencies labels every reachable node with the first direct dependency that reaches it
(so the shortest chain wins) and with runtime when any runtime dependency reaches it.
Linear in the nodes and edges, whatever their number.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import replace

from .model import DEV, RUNTIME, Dep, Parsed


def label(parsed: Parsed, direct_names: Mapping[str, str] | None = None) -> list[Dep]:
    """The lockfile's packages with `direct`, `via` and `scope` from its graph. `direct_names`
    (normalised name -> scope) names the direct dependencies when the lockfile itself does not
    (a yarn.lock, poetry.lock or composer.lock beside its manifest)."""
    roots = dict(parsed.roots)
    if not roots and direct_names:
        for dep in parsed.deps:
            scope = direct_names.get(dep.key[1])
            if scope is not None and dep.node:
                roots[dep.node] = scope
    if not roots:
        return parsed.deps
    names = {dep.node: dep.name for dep in parsed.deps if dep.node}
    via: dict[str, str] = {}
    runtime: set[str] = set()
    for scope in (RUNTIME, DEV):  # runtime roots first: their reach decides the scope
        queue = deque(node for node, s in roots.items() if s == scope)
        for node in queue:
            via.setdefault(node, node)
        seen = set(queue) if scope == RUNTIME else set(runtime) | set(queue)
        while queue:
            node = queue.popleft()
            if scope == RUNTIME:
                runtime.add(node)
            for target in parsed.graph.get(node, ()):
                if target in seen:
                    continue
                seen.add(target)
                via.setdefault(target, via[node])
                queue.append(target)
    out = []
    for dep in parsed.deps:
        if dep.node in roots:
            out.append(replace(dep, direct=True, scope=RUNTIME if dep.node in runtime else DEV))
        elif dep.node in via:
            brought = names.get(via[dep.node], via[dep.node])
            out.append(replace(dep, via=brought, scope=RUNTIME if dep.node in runtime else DEV))
        else:
            out.append(dep)
    return out
