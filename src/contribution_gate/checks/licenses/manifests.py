"""Licenses that package manifests declare: pyproject.toml, package.json, Cargo.toml, setup.cfg,
*.gemspec, composer.json and pom.xml.

Each manifest is parsed whole (its post-image) and every declaration is located on its line, so the
check can keep only those the change adds. SPDX expressions are parsed; free-text names, trove
classifiers and Maven names go through the tables in `config/licenses.toml`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ...resources import tomllib
from .detection import MANIFEST, Detection
from .ids import Expr, InvalidExpression, Lic, catalog, data

NAMES = frozenset(("pyproject.toml", "package.json", "cargo.toml", "setup.cfg", "composer.json", "pom.xml"))
EXPRESSION, NAME, CLASSIFIER = "expression", "name", "classifier"


def is_manifest(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name in NAMES or name.endswith(".gemspec")


def detections(path: str, text: str) -> Iterator[Detection]:
    """Every license the manifest at `path` declares, each on its line (1-based)."""
    name = path.rsplit("/", 1)[-1].lower()
    lines = text.splitlines()
    reader = {
        "pyproject.toml": _pyproject,
        "package.json": _package_json,
        "cargo.toml": _cargo,
        "setup.cfg": _setup_cfg,
        "composer.json": _composer,
        "pom.xml": _pom,
    }.get(name, _gemspec if name.endswith(".gemspec") else None)
    if reader is None:
        return
    try:
        found = list(reader(text, lines))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # a broken manifest is not ours to judge
        found = [(None, "", EXPRESSION, f"{name} cannot be parsed ({type(exc).__name__})")]
    for line, value, mode, field in found:
        yield _detection(line, value, mode, field, lines)


def _detection(line: int | None, value: str, mode: str, field: str, lines: Sequence[str]) -> Detection:
    excerpt = lines[line - 1].strip()[:200] if line and line <= len(lines) else ""
    if not value:
        return Detection(line, line, "", MANIFEST, None, detail=field, problem=field, excerpt=excerpt)
    expr, problem = interpret(value, mode)
    return Detection(line, line, value, MANIFEST, expr, detail=field, problem=problem, excerpt=excerpt)


def interpret(value: str, mode: str) -> tuple[Expr | None, str]:
    """A declared value -> expression; (None, why) when it is neither an expression nor a known name."""
    found = catalog()
    text = value.strip()
    if mode == CLASSIFIER:
        key = data()["classifiers"].get(text)
        return found.lookup(key if key else text.rsplit("::", 1)[-1].strip()), ""
    named = data()["names"].get(" ".join(text.lower().split()))
    if named:
        return found.parse(named), ""
    if text.upper().startswith("SEE LICENSE IN"):
        return Lic(text.lower(), text, known=False), ""
    try:
        expr = found.parse(text)
    except InvalidExpression as exc:
        if mode == EXPRESSION:
            return None, str(exc)
        return Lic(text.lower(), text, known=False), ""
    return expr, ""


def _line_of(lines: Sequence[str], pattern: str, start: int = 0) -> int | None:
    regex = re.compile(pattern)
    for index in range(start, len(lines)):
        if regex.search(lines[index]):
            return index + 1
    return None


def _section_start(lines: Sequence[str], header: str) -> int:
    line = _line_of(lines, rf"^\s*\[{re.escape(header)}\]\s*(#.*)?$")
    return line - 1 if line else 0


Found = Iterator[tuple[int | None, str, str, str]]  # (line, value, mode, field)


def _toml_license(lines: Sequence[str], section: str, value: Any, field: str) -> Found:
    start = _section_start(lines, section)
    line = _line_of(lines, r"^\s*license\s*=", start)
    if isinstance(value, str):
        yield line, value, EXPRESSION, field
    elif isinstance(value, dict) and isinstance(value.get("text"), str):
        text = value["text"].strip()
        yield (
            (line, text, NAME, f"{field}.text")
            if len(text) <= 120
            else (line, "", NAME, f"{field} holds a whole license text")
        )


def _classifiers(lines: Sequence[str], values: Any, field: str) -> Found:
    for value in values or ():
        if isinstance(value, str) and value.startswith("License ::") and value.strip() != "License :: OSI Approved":
            yield _line_of(lines, re.escape(value.strip())), value.strip(), CLASSIFIER, field


def _pyproject(text: str, lines: Sequence[str]) -> Found:
    doc = tomllib.loads(text)
    project = doc.get("project", {})
    if "license" in project:
        yield from _toml_license(lines, "project", project["license"], "[project] license")
    yield from _classifiers(lines, project.get("classifiers"), "[project] classifiers")
    poetry = doc.get("tool", {}).get("poetry", {})
    if "license" in poetry:
        yield from _toml_license(lines, "tool.poetry", poetry["license"], "[tool.poetry] license")


def _cargo(text: str, lines: Sequence[str]) -> Found:
    doc = tomllib.loads(text)
    for section, table in (
        ("package", doc.get("package", {})),
        ("workspace.package", doc.get("workspace", {}).get("package", {})),
    ):
        value = table.get("license")
        if isinstance(value, str):  # Cargo's old "MIT/Apache-2.0" means either
            start = _section_start(lines, section)
            yield (
                _line_of(lines, r"^\s*license\s*=", start),
                value.replace("/", " OR "),
                EXPRESSION,
                f"[{section}] license",
            )


def _json_licenses(lines: Sequence[str], value: Any, field: str, joiner: str) -> Found:
    line = _line_of(lines, rf'"{field}"\s*:')
    if isinstance(value, str):
        yield line, value, EXPRESSION, f'"{field}"'
    elif isinstance(value, dict) and isinstance(value.get("type"), str):
        yield line, value["type"], EXPRESSION, f'"{field}"'
    elif isinstance(value, list):
        names = [v if isinstance(v, str) else v.get("type", "") for v in value if isinstance(v, (str, dict))]
        names = [n for n in names if n]
        if names:
            yield line, f" {joiner} ".join(f"({n})" if " " in n else n for n in names), EXPRESSION, f'"{field}"'


def _package_json(text: str, lines: Sequence[str]) -> Found:
    doc = json.loads(text)
    if not isinstance(doc, dict):
        return
    for field in ("license", "licenses"):
        if field in doc:
            yield from _json_licenses(lines, doc[field], field, "AND")


def _composer(text: str, lines: Sequence[str]) -> Found:
    doc = json.loads(text)
    if isinstance(doc, dict) and "license" in doc:  # a list in composer.json is a choice
        yield from _json_licenses(lines, doc["license"], "license", "OR")


def _setup_cfg(text: str, lines: Sequence[str]) -> Found:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if not parser.has_section("metadata"):
        return
    meta = parser["metadata"]
    start = _section_start(lines, "metadata")
    if meta.get("license", "").strip():
        yield _line_of(lines, r"^\s*license\s*[=:]", start), meta["license"].strip(), NAME, "[metadata] license"
    classifiers = [c.strip() for c in meta.get("classifiers", "").splitlines() if c.strip()]
    yield from _classifiers(lines, classifiers, "[metadata] classifiers")


_GEM = re.compile(r"""\.licen[cs]es?\s*=\s*(\[[^\]]*\]|%w[\[(][^\])]*[\])]|["'][^"']+["'])""")


def _gemspec(text: str, lines: Sequence[str]) -> Found:
    for index, line in enumerate(lines):
        found = _GEM.search(line)
        if found is None:
            continue
        raw = found.group(1)
        names = re.findall(r"""["']([^"']+)["']""", raw) or raw[3:-1].split()
        if names:
            yield index + 1, " AND ".join(f"({n})" if " " in n else n for n in names), EXPRESSION, "gemspec licenses"


def _pom(text: str, lines: Sequence[str]) -> Found:
    block = re.search(r"<licenses>(.*?)</licenses>", text, re.DOTALL)
    if block is None:
        return
    offset = text.count("\n", 0, block.start(1))
    for found in re.finditer(r"<license>.*?<name>\s*(.*?)\s*</name>", block.group(1), re.DOTALL):
        line = offset + block.group(1).count("\n", 0, found.start(1)) + 1
        yield line, found.group(1), NAME, "<licenses> <name>"
