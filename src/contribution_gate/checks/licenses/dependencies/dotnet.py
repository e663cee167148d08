""".NET: NuGet's packages.lock.json. Each target framework lists its packages; `Direct` ones are
the project's own references, `Transitive` and `CentralTransitive` ones come through them, and
`Project` entries are other projects of the solution, whose dependencies are direct too.
"""

from __future__ import annotations

import json

from .jsonlines import key_lines
from .model import NUGET, RUNTIME, Dep, Parsed


def packages_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = type(exc).__name__ if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:160]
        parsed.problem(None, f"packages.lock.json is not valid JSON ({reason})")
        return parsed
    frameworks = doc.get("dependencies") if isinstance(doc, dict) else None
    if not isinstance(frameworks, dict):
        return parsed
    lines = key_lines(text, 3)
    seen: set[str] = set()
    for framework, packages in frameworks.items():
        if not isinstance(packages, dict):
            continue
        lowered = {k.lower(): v for k, v in packages.items() if isinstance(k, str)}
        for name, entry in packages.items():
            if not isinstance(entry, dict):
                continue
            kind = entry.get("type")
            version = entry.get("resolved") if isinstance(entry.get("resolved"), str) else None
            node = f"{name.lower()} {version}"
            targets = [
                f"{dep.lower()} {_resolved(lowered, dep)}"
                for dep in (entry.get("dependencies") or {})
                if isinstance(dep, str) and _resolved(lowered, dep)
            ]
            if kind == "Project":
                for target in targets:
                    parsed.roots[target] = RUNTIME
                continue
            parsed.graph.setdefault(node, []).extend(targets)
            if kind == "Direct":
                parsed.roots[node] = RUNTIME
            if node in seen:
                continue
            seen.add(node)
            parsed.deps.append(
                Dep(
                    NUGET,
                    name,
                    version,
                    lines.get(("dependencies", framework, name)),
                    direct=False,
                    entry=f"{framework} {name}",
                    node=node,
                )
            )
    return parsed


def _resolved(lowered: dict[str, object], name: str) -> str | None:
    """The version a framework resolves `name` to (NuGet names are case-insensitive)."""
    entry = lowered.get(name.lower())
    if isinstance(entry, dict) and isinstance(entry.get("resolved"), str):
        return str(entry["resolved"])
    return None
