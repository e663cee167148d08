"""Java: pom.xml `<dependency>` elements (project dependencies and `<dependencyManagement>`;
plugins' own dependencies and `<exclusions>` are not the project's), Gradle version catalogs
(`gradle/libs.versions.toml`) and Gradle lockfiles (`gradle.lockfile`, `*.lockfile` under
`gradle/dependency-locks/`).

pom.xml is read with `str.find`, never an XML parser: no entity is expanded, and the file is read
once. `${property}` versions are looked up in the same pom's `<properties>`.
"""

from __future__ import annotations

import re
from typing import Any

from ..manifests import _toml
from .locate import Toml
from .model import DEV, MAVEN, RUNTIME, Dep, Lines, Parsed

_PROPERTY = re.compile(r"<([A-Za-z0-9_.-]{1,200})>([^<]{0,200})</\1>")
_DEV_SCOPES = ("test", "provided", "system")
_RUNTIME_CONFIGS = ("runtimeclasspath", "compileclasspath")


def pom_xml(text: str, path: str) -> Parsed:
    parsed = Parsed()
    where = Lines(text)
    properties = _properties(text)
    skip = _regions(text, "<plugins>", "</plugins>") + _regions(text, "<exclusions>", "</exclusions>")
    pos = 0
    while (start := text.find("<dependency>", pos)) >= 0:
        end = text.find("</dependency>", start)
        if end < 0:
            parsed.problem(where.of(start), "a <dependency> is not closed")
            break
        pos = end + len("</dependency>")
        if any(lo <= start < hi for lo, hi in skip):
            continue
        body = text[start:end]
        group, artifact = _tag(body, "groupId"), _tag(body, "artifactId")
        if not group or not artifact:
            continue
        raw_version = _tag(body, "version")
        scope_tag = (_tag(body, "scope") or "").lower()
        if scope_tag == "import":
            continue  # a BOM: it manages versions, it adds nothing
        version, spec, note = _version(raw_version, properties)
        line = where.of(start + body.find("<artifactId>")) if "<artifactId>" in body else where.of(start)
        scope = DEV if scope_tag in _DEV_SCOPES else RUNTIME
        parsed.deps.append(Dep(MAVEN, f"{group}:{artifact}", version, line, spec=spec, scope=scope, source_note=note))
    return parsed


def _regions(text: str, opener: str, closer: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    while (start := text.find(opener, pos)) >= 0:
        end = text.find(closer, start)
        if end < 0:
            out.append((start, len(text)))
            break
        out.append((start, end))
        pos = end + len(closer)
    return out


def _tag(body: str, name: str) -> str | None:
    start = body.find(f"<{name}>")
    if start < 0:
        return None
    start += len(name) + 2
    end = body.find(f"</{name}>", start)
    return body[start:end].strip() if end >= 0 else None


def _properties(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for lo, hi in _regions(text, "<properties>", "</properties>"):
        for match in _PROPERTY.finditer(text, lo, hi):
            found.setdefault(match.group(1), match.group(2).strip())
    return found


def _version(raw: str | None, properties: dict[str, str]) -> tuple[str | None, str, str]:
    """(exact version, range, why none applies) of a `<version>`: `1.2`, `[1.0,2.0)`, `${x}`."""
    if not raw:
        return None, "", ""  # managed elsewhere (a parent or BOM): the default version is looked up
    for _ in range(5):  # a property may name another
        if raw.startswith("${") and raw.endswith("}"):
            value = properties.get(raw[2:-1])
            if value is None:
                return None, "", f"its version {raw} is set outside this pom"
            raw = value
    if raw[:1] in "[(":
        return None, raw, ""
    return raw, "", ""


def version_catalog(text: str, path: str) -> Parsed:
    parsed = Parsed()
    try:
        doc = _toml(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"{path.rsplit('/', 1)[-1]} cannot be parsed ({type(exc).__name__})")
        return parsed
    where = Toml(text.splitlines())
    versions: dict[str, Any] = doc["versions"] if isinstance(doc.get("versions"), dict) else {}
    span = where.section("libraries")
    libraries = doc.get("libraries")
    if not isinstance(libraries, dict):
        return parsed
    for alias, value in libraries.items():
        module, version = _library(value, versions)
        if module is None:
            parsed.problem(where.key(span, alias), f"library {alias!r} names no group:artifact")
            continue
        exact, spec = (version, "") if version and version[:1] not in "[(" else (None, version or "")
        parsed.deps.append(Dep(MAVEN, module, exact, where.key(span, alias), spec=spec))
    return parsed


def _library(value: Any, versions: dict[str, Any]) -> tuple[str | None, str | None]:
    if isinstance(value, str):
        parts = value.split(":")
        return (f"{parts[0]}:{parts[1]}", parts[2] if len(parts) > 2 else None) if len(parts) >= 2 else (None, None)
    if not isinstance(value, dict):
        return None, None
    module = value.get("module")
    if not isinstance(module, str):
        group, name = value.get("group"), value.get("name")
        module = f"{group}:{name}" if isinstance(group, str) and isinstance(name, str) else None
    version = value.get("version")
    if isinstance(version, dict):
        ref = version.get("ref")
        version = (
            versions.get(ref)
            if isinstance(ref, str)
            else version.get("strictly") or version.get("require") or version.get("prefer")
        )
    if isinstance(version, dict):
        version = version.get("strictly") or version.get("require") or version.get("prefer")
    return module, version if isinstance(version, str) else None


def gradle_lockfile(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    for index, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if not line or line.startswith(("#", "empty=")):
            continue
        coordinates, _, configurations = line.partition("=")
        parts = coordinates.split(":")
        if len(parts) != 3:
            parsed.problem(index + 1, f"{line[:80]!r} is not group:artifact:version=configurations")
            continue
        configs = [c.strip().lower() for c in configurations.split(",") if c.strip()]
        runtime = any(c.endswith(_RUNTIME_CONFIGS) and "test" not in c for c in configs) or not configs
        parsed.deps.append(
            Dep(
                MAVEN,
                f"{parts[0]}:{parts[1]}",
                parts[2],
                index + 1,
                direct=False,
                scope=RUNTIME if runtime else DEV,
                entry=coordinates,
            )
        )
    return parsed
