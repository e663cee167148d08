"""PHP: composer.json (`require`, `require-dev`) and composer.lock, whose packages carry their
licenses (a list is a choice). Platform requirements (`php`, `ext-*`, `lib-*`, Composer's own APIs)
are not packages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .jsonlines import key_lines
from .model import DEV, PACKAGIST, RUNTIME, Dep, Parsed

_PLATFORM = ("php", "hhvm", "composer", "composer-plugin-api", "composer-runtime-api")


def is_platform(name: str) -> bool:
    lowered = name.lower()
    return lowered in _PLATFORM or lowered.startswith(("ext-", "lib-", "php-")) or "/" not in lowered


def composer_json(text: str, path: str) -> Parsed:
    parsed = Parsed()
    doc = _load(parsed, text, "composer.json")
    if doc is None:
        return parsed
    lines = key_lines(text, 2)
    for section, scope in (("require", RUNTIME), ("require-dev", DEV)):
        table = doc.get(section)
        if not isinstance(table, dict):
            continue
        for name, spec in table.items():
            if not isinstance(spec, str) or is_platform(name):
                continue
            version = spec.strip().lstrip("v") if _exact(spec) else None
            parsed.deps.append(
                Dep(
                    PACKAGIST,
                    name,
                    version,
                    lines.get((section, name)),
                    spec="" if version else spec.strip(),
                    scope=scope,
                )
            )
    return parsed


def _exact(spec: str) -> bool:
    text = spec.strip().lstrip("v")
    return bool(text) and text[0].isdigit() and not any(c in text for c in "*^~<>|, ")


def composer_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    doc = _load(parsed, text, "composer.lock")
    if doc is None:
        return parsed
    lines = key_lines(text, 4)
    by_name: dict[str, str] = {}
    needs: dict[str, list[str]] = {}
    for section, scope in (("packages", RUNTIME), ("packages-dev", DEV)):
        items = doc.get(section)
        if not isinstance(items, list):
            continue
        for index, package in enumerate(items):
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                continue
            name = package["name"]
            version = str(package.get("version", "")) or None
            node = f"{name.lower()} {version}"
            by_name[name.lower()] = node
            needs[node] = [n.lower() for n in _table(package.get("require")) if not is_platform(n)]
            if _table(package.get("dist")).get("type") == "path":
                continue  # the project's own code
            parsed.deps.append(
                Dep(
                    PACKAGIST,
                    name,
                    version,
                    lines.get((section, index, "name")),
                    direct=False,
                    scope=scope,
                    entry=name,
                    license=_license(package.get("license")),
                    node=node,
                )
            )
    for node, wanted in needs.items():
        parsed.graph[node] = [by_name[w] for w in wanted if w in by_name]
    return parsed


def _license(value: Any) -> str | None:
    """Composer's `license`: a string, or a list meaning a choice among them."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list):
        names = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        return " OR ".join(f"({n})" if " " in n else n for n in names) or None
    return None


def _table(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _load(parsed: Parsed, text: str, name: str) -> Mapping[str, Any] | None:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = type(exc).__name__ if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:160]
        parsed.problem(None, f"{name} is not valid JSON ({reason})")
        return None
    if not isinstance(doc, dict):
        parsed.problem(None, f"{name} is not a JSON object")
        return None
    return doc
