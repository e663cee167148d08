"""Licenses that package manifests declare: pyproject.toml, package.json, Cargo.toml, setup.cfg,
*.gemspec, composer.json and pom.xml.

Each manifest is parsed whole (its post-image) and every declaration is located on its line, so the
check can keep only those the change adds. SPDX expressions are parsed; free-text names, trove
classifiers and Maven names go through the tables in `config/licenses.toml`.
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from ...redaction import excerpt as _excerpt
from ...resources import tomllib
from .detection import MANIFEST, Detection
from .ids import Expr, InvalidExpression, Lic, catalog, data, license_named, licenses_of, simplify

NAMES = frozenset(("pyproject.toml", "package.json", "cargo.toml", "setup.cfg", "composer.json", "pom.xml"))
EXPRESSION, NAME, CLASSIFIER = "expression", "name", "classifier"
_MAX_PARTS = 200  # dotted parts of a TOML key (see `_toml`)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_LONG_BLANKS = re.compile(r"(?<=\S)[^\S\r\n]{17,}")  # a run of blanks inside a line of setup.cfg


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
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, configparser.Error) as exc:
        found = [(None, "", EXPRESSION, f"{name} cannot be parsed ({type(exc).__name__})")]  # not ours to judge
    for line, value, mode, field in found:
        if value.strip().upper().startswith("SEE LICENSE IN"):
            continue  # npm's pointer to a file: the check reads that file's own text, the manifest adds none
        if value.strip().lower() in _PLACEHOLDERS:
            continue  # `"license": "to-update"` (Documenso's test package): no license said yet, none to judge
        detection = _detection(line, value, mode, field, lines)
        if detection.expr is None or simplify(detection.expr) is not None:
            yield detection  # `License :: Freely Distributable` names no license: nothing to judge


# a license field left to be filled in: it declares nothing (a package without the field is not judged either)
_PLACEHOLDERS = frozenset(["to-update", "to update", "todo", "tbd", "tba", "fixme", "changeme", "xxx", "license"])


def _detection(line: int | None, value: str, mode: str, field: str, lines: Sequence[str]) -> Detection:
    excerpt = _excerpt(lines[line - 1].strip(), 0, 0) if line and line <= len(lines) else ""
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
    named = license_named(text)
    if named:
        return found.parse(named), ""
    if text.upper().startswith("SEE LICENSE IN"):
        return Lic(text.lower(), text, known=False), ""
    try:
        expr = found.parse(text)
    except InvalidExpression as exc:
        if mode == EXPRESSION:
            return None, str(exc) if len(str(exc)) <= 300 else str(exc)[:299] + "…"
        return _name_with_id(text) or Lic(text.lower(), text, known=False), ""
    except RecursionError:  # the parser recurses once per level of parentheses
        return None, "the expression is nested too deeply to read"
    return expr, ""


_NAME_WITH_ID = re.compile(r"(?P<name>[^()]{2,120}?)\s{0,4}\((?P<id>[^()]{1,60})\)")


def _name_with_id(text: str) -> Expr | None:
    """A name followed by its id in parentheses, as free-text fields write them (pipenv's
    `license = { text = "MIT License (MIT)" }`): the id when it is one, else the name when known."""
    match = _NAME_WITH_ID.fullmatch(text)
    if match is None:
        return None
    found = catalog()
    try:
        by_id = found.parse(match["id"])
    except (InvalidExpression, RecursionError):
        by_id = None
    if by_id is not None and all(lic.known for lic in licenses_of(by_id)):
        return by_id
    named = license_named(match["name"])
    return found.parse(named) if named else None


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
    """Each license classifier on its line: looked for from the previous one's line on (they are
    listed in order), so many classifiers cost one pass over the lines, not one each."""
    at = 0
    for value in values or ():
        if isinstance(value, str) and value.startswith("License ::") and value.strip() != "License :: OSI Approved":
            wanted = value.strip()
            line = next((i for i in range(at, len(lines)) if wanted in lines[i]), None)
            if line is None:
                line = next((i for i in range(at) if wanted in lines[i]), None)
            else:
                at = line
            yield None if line is None else line + 1, wanted, CLASSIFIER, field


def _toml(text: str) -> dict[str, Any]:
    """`text` parsed as TOML. A dotted key of many parts (`a.a.a...`) is refused: the parser's time
    grows with the square of their number (40,000 parts: 11 s)."""
    for line in text.split("\n"):
        if _QUOTED.sub("", line.split("=", 1)[0]).count(".") > _MAX_PARTS:
            raise ValueError(f"a TOML key of more than {_MAX_PARTS} dotted parts")
    return tomllib.loads(text)


def _pyproject(text: str, lines: Sequence[str]) -> Found:
    doc = _toml(text)
    project = doc.get("project", {})
    if "license" in project:
        yield from _toml_license(lines, "project", project["license"], "[project] license")
    yield from _classifiers(lines, project.get("classifiers"), "[project] classifiers")
    poetry = doc.get("tool", {}).get("poetry", {})
    if "license" in poetry:
        yield from _toml_license(lines, "tool.poetry", poetry["license"], "[tool.poetry] license")


def _cargo(text: str, lines: Sequence[str]) -> Found:
    doc = _toml(text)
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
    if doc.get("private") is True and str(doc.get("license", "")).upper() == "UNLICENSED":
        return  # npm's words for a package that is never published (an example app, a workspace root)
    for field in ("license", "licenses"):
        if field in doc:
            yield from _json_licenses(lines, doc[field], field, "AND")


def _composer(text: str, lines: Sequence[str]) -> Found:
    doc = json.loads(text)
    if isinstance(doc, dict) and "license" in doc:  # a list in composer.json is a choice
        yield from _json_licenses(lines, doc["license"], "license", "OR")


def _setup_cfg(text: str, lines: Sequence[str]) -> Found:
    parser = configparser.ConfigParser(interpolation=None)
    # configparser's option pattern (`(?P<option>.*?)\s*(?P<vi>=|:)`) takes time with the square of a
    # run of blanks inside a line (40,000: 52 s); values are compared with their blanks folded anyway
    parser.read_string(_LONG_BLANKS.sub(" ", text))
    if not parser.has_section("metadata"):
        return
    meta = parser["metadata"]
    start = _section_start(lines, "metadata")
    if meta.get("license", "").strip():
        yield _line_of(lines, r"^\s*license\s*[=:]", start), meta["license"].strip(), NAME, "[metadata] license"
    classifiers = [c.strip() for c in meta.get("classifiers", "").splitlines() if c.strip()]
    yield from _classifiers(lines, classifiers, "[metadata] classifiers")


_GEM = re.compile(r"\.licen[cs]es?\s*=\s*")
_QUOTE = re.compile(r"[\"']")


def _gemspec(text: str, lines: Sequence[str]) -> Found:
    for index, line in enumerate(lines):
        raw = _gem_value(line)
        if raw is None:
            continue
        names = re.findall(r"""["']([^"']+)["']""", raw) or raw[3:-1].split()
        if names:
            yield index + 1, " AND ".join(f"({n})" if " " in n else n for n in names), EXPRESSION, "gemspec licenses"


def _gem_value(line: str) -> str | None:
    """The value of the first `.license(s) = ` on the line that has one: an array (`[...]`), a `%w`
    list or a string. Read with `find`: a value left open has no closer later either, so each of
    many `.license = [` costs one step, not a scan of the rest of the line."""
    last_bracket = line.rfind("]")
    last_closer = max(last_bracket, line.rfind(")"))
    last_quote = max(line.rfind('"'), line.rfind("'"))
    for found in _GEM.finditer(line):
        at = found.end()
        if line.startswith("[", at) and at < last_bracket:
            return line[at : line.find("]", at) + 1]
        if line.startswith(("%w[", "%w("), at) and at + 2 < last_closer:
            ends = [e for e in (line.find("]", at + 3), line.find(")", at + 3)) if e >= 0]
            return line[at : min(ends) + 1]
        if line.startswith(('"', "'"), at) and at < last_quote:
            closing = _QUOTE.search(line, at + 1)
            if closing is not None and closing.start() > at + 1:
                return line[at : closing.end()]
    return None


def _pom(text: str, lines: Sequence[str]) -> Found:
    """Each `<license>`'s `<name>` in the first `<licenses>` block. Read with `find`, the line
    numbers counted as it goes: one pass, however many (or broken) licenses the file lists."""
    opened = text.find("<licenses>")
    closed = text.find("</licenses>", opened + len("<licenses>")) if opened >= 0 else -1
    if closed < 0:
        return
    block_start = opened + len("<licenses>")
    block = text[block_start:closed]
    line, counted, pos = text.count("\n", 0, block_start) + 1, 0, 0
    while (entry := block.find("<license>", pos)) >= 0:
        name = block.find("<name>", entry + len("<license>"))
        end = block.find("</name>", name + len("<name>")) if name >= 0 else -1
        if end < 0:
            return  # no later license has a name either
        raw = block[name + len("<name>") : end]
        value = raw.strip()
        start = name + len("<name>") + len(raw) - len(raw.lstrip())
        line += block.count("\n", counted, start)
        counted = start
        yield line, value, NAME, "<licenses> <name>"
        pos = end + len("</name>")
