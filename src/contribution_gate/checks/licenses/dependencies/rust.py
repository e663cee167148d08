"""Rust: Cargo.toml's dependency tables (`[dependencies]`, dev and build dependencies, per-target
tables, `[workspace.dependencies]`) and Cargo.lock, whose packages without a `source` are the
workspace's own crates (their dependencies are the direct ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..manifests import _toml
from .locate import Toml, normal
from .model import CARGO, DEV, RUNTIME, Dep, Parsed, normal_name

_TABLES = (("dependencies", RUNTIME), ("dev-dependencies", DEV), ("build-dependencies", DEV))


def cargo_toml(text: str, path: str) -> Parsed:
    parsed = Parsed()
    try:
        doc = _toml(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"Cargo.toml cannot be parsed ({_reason(exc)})")
        return parsed
    where = Toml(text.splitlines())
    for table, scope in _TABLES:
        _table(parsed, where, table, doc.get(table), scope)
    workspace = doc.get("workspace")
    if isinstance(workspace, dict):
        _table(parsed, where, "workspace.dependencies", workspace.get("dependencies"), RUNTIME)
    targets = doc.get("target")
    if isinstance(targets, dict):
        for name, target in targets.items():
            if isinstance(target, dict):
                for table, scope in _TABLES:
                    _table(parsed, where, f"target.{name}.{table}", target.get(table), scope)
    return parsed


def _table(parsed: Parsed, where: Toml, section: str, table: Any, scope: str) -> None:
    if not isinstance(table, dict):
        return
    span = where.section(normal(section))
    for key, value in table.items():
        line = where.key(span, key)
        if line is None:
            own = where.section(normal(f"{section}.{key}"))
            line = own[0] + 1 if own else (span[0] + 1 if span else None)
        dep = _dependency(key, value, line, scope)
        if dep is not None:
            parsed.deps.append(dep)


def _dependency(key: str, value: Any, line: int | None, scope: str) -> Dep | None:
    if isinstance(value, str):
        return _versioned(key, value, line, scope)
    if not isinstance(value, dict) or value.get("workspace") is True or "path" in value:
        return None  # the workspace's own crate, or a version the root Cargo.toml declares
    name = str(value["package"]) if isinstance(value.get("package"), str) else key
    if isinstance(value.get("git"), str):
        return Dep(CARGO, name, None, line, scope=scope, source_note=f"installed from {value['git'][:80]}")
    return _versioned(name, str(value.get("version", "*")), line, scope)


def _versioned(name: str, spec: str, line: int | None, scope: str) -> Dep:
    spec = spec.strip()
    if spec.startswith("=") and not spec.startswith("=="):
        return Dep(CARGO, name, spec[1:].strip(), line, scope=scope)
    if spec in ("", "*"):
        return Dep(CARGO, name, None, line, scope=scope)
    return Dep(CARGO, name, None, line, spec=_caret(spec), scope=scope)


def _caret(spec: str) -> str:
    """Cargo's bare requirement `1.2` means `^1.2`."""
    parts = [p.strip() for p in spec.split(",")]
    return ", ".join(f"^{p}" if p[:1].isdigit() else p for p in parts)


def cargo_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    try:
        doc = _toml(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"Cargo.lock cannot be parsed ({_reason(exc)})")
        return parsed
    packages = doc.get("package")
    if not isinstance(packages, list):
        return parsed
    where = Toml(text.splitlines())
    blocks = where.blocks("package")
    by_name: dict[str, list[str]] = {}
    needs: dict[str, list[str]] = {}
    members: list[str] = []
    for index, package in enumerate(packages):
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        name, version = package["name"], str(package.get("version", ""))
        node = f"{normal_name(CARGO, name)} {version}"
        by_name.setdefault(normal_name(CARGO, name), []).append(node)
        needs[node] = [d for d in package.get("dependencies") or () if isinstance(d, str)]
        source = package.get("source")
        if not isinstance(source, str):
            members.append(node)  # a crate of this workspace
            continue
        line = where.key(blocks[index], "name") if index < len(blocks) else None
        note = f"installed from {source[:80]}" if source.startswith("git+") else ""
        parsed.deps.append(
            Dep(
                CARGO, name, version or None, line, direct=False, entry=f"{name} {version}", source_note=note, node=node
            )
        )
    for node, wanted in needs.items():
        parsed.graph[node] = [t for w in wanted for t in _lock_target(by_name, w)]
    member_set = set(members)
    for member in members:
        for target in parsed.graph.get(member, ()):
            if target not in member_set:
                parsed.roots[target] = RUNTIME
    return parsed


def _lock_target(by_name: Mapping[str, list[str]], wanted: str) -> list[str]:
    """`"name"`, `"name 1.2.3"` or `"name 1.2.3 (registry+...)"` -> the matching nodes."""
    parts = wanted.split()
    nodes = by_name.get(normal_name(CARGO, parts[0]), []) if parts else []
    if len(parts) >= 2:
        return [n for n in nodes if n.endswith(f" {parts[1]}")]
    return nodes


def _reason(exc: BaseException) -> str:
    return type(exc).__name__ if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:160]
