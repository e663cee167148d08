"""JavaScript: package.json, package-lock.json (versions 1 to 3, whose entries carry licenses),
yarn.lock (the classic v1 format and Berry's YAML) and pnpm-lock.yaml (versions 5 to 9).

The two YAML-like lockfiles are read line by line by indentation, as their generators write them:
no YAML loader (no aliases to expand, one pass, every line's number known).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .jsonlines import key_lines
from .model import DEV, NPM, RUNTIME, Dep, Parsed

_EXACT = re.compile(r"^[=v]?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$")
_LOCAL = ("file:", "link:", "workspace:", "portal:", "patch:", "exec:")
_REMOTE = ("git+", "git:", "git@", "github:", "gitlab:", "bitbucket:", "gist:", "http://", "https://")
SECTIONS = (("dependencies", RUNTIME), ("optionalDependencies", RUNTIME), ("devDependencies", DEV))
_MAX_HOPS = 64  # node_modules levels climbed to resolve one dependency


def npm_spec(name: str, spec: str, line: int | None, scope: str) -> Dep | None:
    """A package.json dependency (`"^1.2.0"`, `"1.2.3"`, `"npm:other@^2"`, a git or URL
    source); None for the project's own code (`file:`, `workspace:`, ...)."""
    spec = spec.strip()
    if spec.startswith("npm:"):
        alias = spec[4:]
        at = alias.rfind("@")
        if at > 0:
            name, spec = alias[:at], alias[at + 1 :]
        else:
            name, spec = alias, ""
    if spec.startswith(_LOCAL):
        return None
    if spec.startswith(_REMOTE) or (
        "/" in spec and not spec.startswith(("@", ".")) and " " not in spec and ":" not in spec
    ):
        return Dep(NPM, name, None, line, scope=scope, source_note=f"installed from {spec[:80]}")
    if spec in ("", "*", "latest", "x") or spec.startswith("catalog:"):
        return Dep(NPM, name, None, line, scope=scope)
    if _EXACT.match(spec):
        return Dep(NPM, name, spec.lstrip("=v"), line, scope=scope)
    return Dep(NPM, name, None, line, spec=spec, scope=scope)


def package_json(text: str, path: str) -> Parsed:
    parsed = Parsed()
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"package.json is not valid JSON ({_reason(exc)})")
        return parsed
    if not isinstance(doc, dict):
        parsed.problem(None, "package.json is not a JSON object")
        return parsed
    lines = key_lines(text, 2)
    for section, scope in SECTIONS:
        table = doc.get(section)
        if not isinstance(table, dict):
            continue
        for name, spec in table.items():
            if isinstance(spec, str):
                dep = npm_spec(name, spec, lines.get((section, name)), scope)
                if dep is not None:
                    parsed.deps.append(dep)
    return parsed


# -- package-lock.json ---------------------------------------------------------------------------


def package_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"{path.rsplit('/', 1)[-1]} is not valid JSON ({_reason(exc)})")
        return parsed
    if not isinstance(doc, dict):
        parsed.problem(None, "the lockfile is not a JSON object")
        return parsed
    packages = doc.get("packages")
    if isinstance(packages, dict):
        _packages(parsed, packages, key_lines(text, 2))
    elif isinstance(doc.get("dependencies"), dict):
        flat: dict[str, Mapping[str, Any]] = {}
        _flatten_v1(doc["dependencies"], flat)
        _packages(parsed, flat, _v1_lines(text, flat), v1=True)
    return parsed


def _packages(parsed: Parsed, packages: Mapping[str, Any], lines: Mapping[Any, int], v1: bool = False) -> None:
    for key, entry in packages.items():
        if not isinstance(entry, dict):
            continue
        if "node_modules/" not in key:  # the root project, or a workspace: their dependencies are direct
            if not v1:
                for section, scope in SECTIONS:
                    for name in _names(entry.get(section)):
                        target = _resolve(packages, key, name)
                        if target is not None:
                            parsed.roots[target] = min(parsed.roots.get(target, scope), scope, key=_rank)
            continue
        needs = [
            _resolve(packages, key, n)
            for s in ("dependencies", "optionalDependencies", "requires")
            for n in _names(entry.get(s))
        ]
        parsed.graph[key] = [n for n in needs if n is not None]
        if entry.get("link"):
            continue
        name = str(entry["name"]) if isinstance(entry.get("name"), str) else key.rsplit("node_modules/", 1)[-1]
        version = entry.get("version") if isinstance(entry.get("version"), str) else None
        resolved = str(entry.get("resolved") or "")
        note = f"installed from {resolved[:80]}" if resolved.startswith(("git", "github:", "file:")) else ""
        if version and version.startswith(("git", "github:", "file:", "http")):
            note, version = note or f"installed from {version[:80]}", None
        line = lines.get(("packages", key)) if not v1 else lines.get(key)
        parsed.deps.append(
            Dep(
                NPM,
                name,
                version,
                line,
                direct=False,
                scope=DEV if entry.get("dev") is True else RUNTIME,
                entry=key,
                license=_license(entry),
                source_note=note,
                node=key,
            )
        )


def _rank(scope: str) -> int:
    return 0 if scope == RUNTIME else 1


def _names(table: Any) -> list[str]:
    return [n for n in table if isinstance(n, str)] if isinstance(table, dict) else []


def _license(entry: Mapping[str, Any]) -> str | None:
    value = entry.get("license")
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return str(value["type"])
    listed = entry.get("licenses")
    if isinstance(listed, list):
        names = [v if isinstance(v, str) else v.get("type", "") for v in listed if isinstance(v, (str, dict))]
        names = [n for n in names if isinstance(n, str) and n]
        return " OR ".join(f"({n})" if " " in n else n for n in names) or None
    return None


def _resolve(packages: Mapping[str, Any], start: str, name: str) -> str | None:
    """Node's lookup: `start/node_modules/name`, then each enclosing node_modules, then the top."""
    here = start
    for _ in range(_MAX_HOPS):
        candidate = f"{here}/node_modules/{name}" if here else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not here:
            return None
        cut = here.rfind("/node_modules/")
        here = here[:cut] if cut >= 0 else ""
    return None


def _flatten_v1(tree: Mapping[str, Any], out: dict[str, Mapping[str, Any]]) -> None:
    """Lockfile v1's nested `dependencies` as v2-style `node_modules/a/node_modules/b` keys."""
    stack: list[tuple[str, Mapping[str, Any]]] = [("", tree)]
    while stack:
        prefix, table = stack.pop()
        for name, entry in table.items():
            if not isinstance(entry, dict) or len(out) > 1_000_000:
                continue
            key = f"{prefix}/node_modules/{name}" if prefix else f"node_modules/{name}"
            out[key] = {**entry, "name": name}
            if isinstance(entry.get("dependencies"), dict):
                stack.append((key, entry["dependencies"]))


def _v1_lines(text: str, flat: Mapping[str, Any]) -> dict[str, int]:
    found = key_lines(text, 64)
    out: dict[str, int] = {}
    for path, line in found.items():
        if len(path) >= 2 and len(path) % 2 == 0 and all(p == "dependencies" for p in path[0::2]):
            key = "/".join(f"node_modules/{p}" for p in path[1::2])
            out[key] = line
    return out


# -- yarn.lock ----------------------------------------------------------------------------------


def yarn_lock(text: str, path: str) -> Parsed:
    """Classic (`name@^1:` / `  version "1.2.3"`) and Berry (`"name@npm:^1":` / `  version: 1.2.3`)."""
    parsed = Parsed(lockfile=True)
    descriptors: dict[str, str] = {}
    entries: list[tuple[int, list[str], dict[str, str], list[tuple[str, str]]]] = []
    current: tuple[int, list[str], dict[str, str], list[tuple[str, str]]] | None = None
    in_deps = False
    for index, raw in enumerate(text.splitlines()):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            in_deps = False
            current = None
            if line.endswith(":") and not line.startswith("__metadata"):
                patterns = [p.strip().strip("\"'") for p in line[:-1].split(",")]
                current = (index + 1, [p for p in patterns if p], {}, [])
                entries.append(current)
            continue
        if current is None:
            continue
        if indent == 2:
            field, value = _field(line)
            in_deps = field in ("dependencies", "optionalDependencies") and not value
            if value:
                current[2][field] = value
        elif indent >= 4 and in_deps:
            field, value = _field(line)
            if field:
                current[3].append((field, value))
    nodes = []
    for _line, patterns, fields, _needs in entries:
        name, _ = _split_descriptor(patterns[0]) if patterns else ("", "")
        resolution = fields.get("resolution", "")
        node = f"{name}@{fields.get('version', '')}" if "@workspace:" not in resolution else f"workspace:{resolution}"
        nodes.append(node)
        for pattern in patterns:
            descriptors[pattern] = node
    for node, (_line, _patterns, _fields, needs) in zip(nodes, entries, strict=True):
        targets = [_yarn_target(descriptors, n, v) for n, v in needs]
        parsed.graph.setdefault(node, []).extend(t for t in targets if t is not None)
    for lineno, patterns, fields, needs in entries:
        name, spec = _split_descriptor(patterns[0]) if patterns else ("", "")
        version = fields.get("version", "")
        resolution = fields.get("resolution", "")
        if "@workspace:" in resolution:  # a workspace: its dependencies are direct
            for need, value in needs:
                target = _yarn_target(descriptors, need, value)
                if target:
                    parsed.roots[target] = RUNTIME
            continue
        if not name or fields.get("linkType") == "soft" or spec.startswith(_LOCAL) or "@patch:" in resolution:
            continue
        source = fields.get("resolved", "") or resolution
        note = ""
        if (
            spec.startswith(_REMOTE)
            or source.startswith(("git", "github:"))
            or any(m in source for m in ("#commit=", "@git", "@https:"))
        ):
            note = f"installed from {(source or spec)[:80]}"
        parsed.deps.append(
            Dep(
                NPM,
                name,
                version or None,
                lineno,
                direct=False,
                entry=", ".join(patterns)[:200],
                source_note=note,
                node=f"{name}@{version}",
            )
        )
    return parsed


def _field(line: str) -> tuple[str, str]:
    """`version "1.2.3"` (classic) or `version: 1.2.3` (Berry), names possibly quoted."""
    if line.startswith('"'):
        end = line.find('"', 1)
        name, rest = line[1:end], line[end + 1 :]
    else:
        cut = min((i for i in (line.find(" "), line.find(":")) if i >= 0), default=len(line))
        name, rest = line[:cut], line[cut:]
    rest = rest.strip()
    if rest.startswith(":"):
        rest = rest[1:].strip()
    return name, rest.strip("\"'")


def _split_descriptor(pattern: str) -> tuple[str, str]:
    at = pattern.find("@", 1)
    return (pattern, "") if at < 0 else (pattern[:at], pattern[at + 1 :])


def _yarn_target(descriptors: Mapping[str, str], name: str, value: str) -> str | None:
    return descriptors.get(f"{name}@{value}") or descriptors.get(f"{name}@npm:{value}")


# -- pnpm-lock.yaml -----------------------------------------------------------------------------


def pnpm_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    section = ""
    importer_scope = ""
    current: str | None = None
    current_dep: str | None = None
    sub = ""
    packages: dict[str, tuple[int, str, str, dict[str, str]]] = {}  # node -> (line, name, version, fields)
    edges: dict[str, list[str]] = {}
    for index, raw in enumerate(text.splitlines()):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if indent == 0:
            section = stripped.rstrip(":").strip()
            importer_scope, current, sub, current_dep = "", None, "", None
            if section in ("dependencies", "optionalDependencies", "devDependencies"):  # version 5, one project
                importer_scope = DEV if section == "devDependencies" else RUNTIME
            continue
        key, value = _yaml_pair(stripped)
        if section == "importers":
            if indent == 2:
                importer_scope, current_dep = "", None
            elif indent == 4:
                importer_scope = {"dependencies": RUNTIME, "optionalDependencies": RUNTIME, "devDependencies": DEV}.get(
                    key, ""
                )
                current_dep = None
            elif indent == 6 and importer_scope:
                current_dep = key
                if value:  # version 5 style: `name: 1.2.3`
                    _pnpm_root(parsed, key, value, importer_scope)
            elif indent == 8 and importer_scope and current_dep and key == "version" and value:
                _pnpm_root(parsed, current_dep, value, importer_scope)
        elif section in ("dependencies", "optionalDependencies", "devDependencies") and indent == 2 and value:
            _pnpm_root(parsed, key, value, importer_scope)
        elif section in ("packages", "snapshots"):
            if indent == 2:
                name, version = _pnpm_key(key)
                current = f"{name}@{version}" if name else None
                sub = ""
                if (
                    current is not None and current not in packages
                ):  # `packages:` comes first; v9 `snapshots:` adds peers
                    packages[current] = (index + 1, name, version, {})
            elif indent == 4 and current is not None:
                sub = key if not value else ""
                if value:
                    packages[current][3][key] = value
            elif indent == 6 and current is not None and sub in ("dependencies", "optionalDependencies") and value:
                target = _pnpm_node(key, value)
                if target:
                    edges.setdefault(current, []).append(target)
            elif indent == 6 and current is not None and sub == "resolution":
                packages[current][3][f"resolution.{key}"] = value
    for node, (line, name, version, fields) in packages.items():
        if version.startswith(("link:", "file:")):
            continue
        resolution = fields.get("resolution", "")
        note = ""
        if "tarball:" in resolution or "repo:" in resolution or "commit:" in resolution or not version[:1].isdigit():
            note = f"installed from {(resolution or version)[:80]}"
        scope = DEV if fields.get("dev") == "true" else RUNTIME
        parsed.deps.append(
            Dep(
                NPM,
                name,
                version if version[:1].isdigit() else None,
                line,
                direct=False,
                scope=scope,
                entry=node,
                source_note=note,
                node=node,
            )
        )
    parsed.graph = edges
    return parsed


def _yaml_pair(line: str) -> tuple[str, str]:
    """`'@scope/a@1.0.0':` -> key and ""; `a: 1.0.0` -> key and value (quotes dropped)."""
    if line[0] in "\"'":
        end = line.find(line[0], 1)
        key, rest = line[1:end], line[end + 1 :]
    else:
        cut = line.find(": ")
        if cut < 0:
            return line.rstrip(":").strip(), ""
        key, rest = line[:cut], line[cut:]
    rest = rest.strip()
    if rest.startswith(":"):
        rest = rest[1:].strip()
    return key.strip(), rest.strip("\"'")


def _pnpm_key(key: str) -> tuple[str, str]:
    """A packages key -> (name, version without peer suffix): `'@a/b@1.0.0(c@2)'`, `/a@1.0.0`, `/a/1.0.0_c@2`."""
    key = key.lstrip("/")
    at = key.find("@", 1)
    if at > 0 and "/" not in key[at:].split("(", 1)[0]:
        name, version = key[:at], key[at + 1 :]
        return name, version.split("(", 1)[0]
    cut = key.rfind("/")
    if cut <= 0:
        return "", ""
    name, version = key[:cut], key[cut + 1 :]
    return name, version.split("_", 1)[0].split("(", 1)[0]


def _pnpm_node(name: str, value: str) -> str | None:
    value = value.split("(", 1)[0]
    if value.startswith(("link:", "file:")):
        return None
    if value.startswith("/"):
        other, version = _pnpm_key(value)
        return f"{other}@{version}" if other else None
    at = value.find("@", 1)
    if at > 0 and not value[:1].isdigit():  # an alias: `string-width-cjs: string-width@4.2.3`
        return f"{value[:at]}@{value[at + 1 :]}"
    return f"{name}@{value.split('_', 1)[0]}"


def _pnpm_root(parsed: Parsed, name: str, value: str, scope: str) -> None:
    node = _pnpm_node(name, value)
    if node is not None:
        parsed.roots[node] = min(parsed.roots.get(node, scope), scope, key=_rank)


def _reason(exc: BaseException) -> str:
    return type(exc).__name__ if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:160]
