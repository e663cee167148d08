"""Python: requirements files (with `-r` includes), pyproject.toml (`[project]`, optional
dependencies, dependency groups, Poetry, uv and PDM tables), setup.cfg, Pipfile and the lockfiles
Pipfile.lock, poetry.lock, uv.lock and pdm.lock.

Requirements are read with `packaging` (PEP 508); a pin (`==1.2.3`) is a version, anything else a
range resolved later. Files and groups named for development (`requirements-dev.txt`, a `test`
extra, `[dependency-groups]`, Poetry's non-main groups) are development dependencies.
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..manifests import _LONG_BLANKS, _toml
from .jsonlines import key_lines
from .locate import Toml, string_line
from .model import DEV, MAX_LINE, PEP440, PYPI, RUNTIME, Dep, Parsed, normal_name

DEV_WORDS = frozenset(
    ("dev", "develop", "development", "test", "tests", "testing", "lint", "linting", "doc", "docs", "typing", "ci")
)
_WORDS = re.compile(r"[a-z0-9]+")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_ARCHIVE = re.compile(r"/([A-Za-z0-9][A-Za-z0-9._]*?)-(\d[^/-]*?)(?:-[^/]*)?\.(?:whl|tar\.gz|zip|tar\.bz2)$")
_VCS = ("git+", "hg+", "svn+", "bzr+")
# a VCS URL's repository name, before `.git` and `@ref`: what pip would install is nearly always it
_REPOSITORY = re.compile(r"/([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\.git)?/?(?:@[^/]*)?$")


def scope_of_name(name: str) -> str:
    """Development when a word of the file or group name says so (`requirements-dev.txt`, `test`)."""
    return DEV if DEV_WORDS.intersection(_WORDS.findall(name.lower())) else RUNTIME


# -- PEP 508 requirements ---------------------------------------------------------------------


def requirement(text: str, line: int | None, scope: str, note: str = "") -> Dep | str:
    """One PEP 508 requirement as a Dep, or why it cannot be read."""
    from packaging.requirements import InvalidRequirement, Requirement

    text = text.strip()
    if len(text) > MAX_LINE:
        return f"a requirement of {len(text)} characters is not read"
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        return _url_requirement(text, line, scope) or f"not a requirement ({str(exc).splitlines()[0][:120]})"
    if req.url:
        return Dep(PYPI, req.name, None, line, scope=scope, source_note=f"installed from {_short(req.url)}")
    version, spec = pinned(str(req.specifier))
    return Dep(PYPI, req.name, version, line, spec=spec, spec_kind=PEP440, scope=scope, source_note=note)


def pinned(specifier: str) -> tuple[str | None, str]:
    """(exact version, "") for `==1.2.3` or `===1.2.3`, else (None, the specifier)."""
    parts = [p.strip() for p in specifier.split(",") if p.strip()]
    if len(parts) == 1:
        for op in ("===", "=="):
            if parts[0].startswith(op):
                value = parts[0][len(op) :].strip()
                if value and "*" not in value:
                    return value, ""
    return None, ",".join(parts)


def _url_requirement(text: str, line: int | None, scope: str) -> Dep | None:
    """A bare VCS or archive URL: the name from `#egg=` or the archive's file name."""
    lowered = text.lower()
    if not (lowered.startswith(_VCS) or lowered.startswith(("http://", "https://", "file:"))):
        return None
    egg = _EGG.search(text)
    archive = _ARCHIVE.search(text.split("#", 1)[0])
    name = egg.group(1) if egg else archive.group(1) if archive else None
    note = f"installed from {_short(text)}"
    if name is None and lowered.startswith(_VCS):
        repository = _REPOSITORY.search(text.split("#", 1)[0])  # `git+https://github.com/huggingface/peft`
        name = repository.group(1) if repository else None
        note += ", named after its repository"
    if name is None:
        return None
    return Dep(PYPI, name, None, line, scope=scope, source_note=note)


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:79] + "…"


def requirements(text: str, path: str) -> Parsed:
    """A pip requirements file: one requirement per logical line (`\\` joins lines), `-r FILE`
    includes kept for the caller, options and constraints skipped."""
    parsed = Parsed()
    scope = scope_of_name(path.rsplit("/", 1)[-1].rsplit(".", 1)[0] + " " + path)
    for lineno, content in _logical_lines(text):
        stripped = _strip_comment(content).strip()
        if not stripped:
            continue
        if stripped.startswith("-"):
            option, value = _option(stripped)
            if option in ("-r", "--requirement") and value:
                parsed.includes.append((lineno, value))
            elif option in ("-e", "--editable") and value:
                editable = _url_requirement(value, lineno, scope)
                if editable is not None:
                    parsed.deps.append(editable)
            continue
        stripped = _drop_options(stripped)
        found = requirement(stripped, lineno, scope)
        if isinstance(found, Dep):
            parsed.deps.append(found)
        elif not stripped.startswith((".", "/")):  # a local path is the project's own code
            parsed.problem(lineno, found)
    return parsed


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    start, pieces = 0, list[str]()
    for index, line in enumerate(text.splitlines()):
        if not pieces:
            start = index + 1
        if line.endswith("\\"):
            pieces.append(line[:-1])
            continue
        pieces.append(line)
        yield start, " ".join(pieces)
        pieces = []
    if pieces:
        yield start, " ".join(pieces)


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    at = line.find(" #")
    tab = line.find("\t#")
    cuts = [c for c in (at, tab) if c >= 0]
    return line[: min(cuts)] if cuts else line


def _option(text: str) -> tuple[str, str]:
    head, _, rest = text.partition(" ")
    if "=" in head and head.startswith("--"):
        head, _, value = head.partition("=")
        return head, value.strip()
    if head.startswith("-r") and len(head) > 2 and not head.startswith("--"):
        return "-r", head[2:]
    return head, rest.strip()


def _drop_options(text: str) -> str:
    """`pkg==1.0 --hash=sha256:...`: the requirement without its per-line options."""
    at = text.find(" --")
    return text[:at] if at >= 0 else text


# -- pyproject.toml, setup.cfg, Pipfile --------------------------------------------------------


def pyproject(text: str, path: str) -> Parsed:
    parsed = Parsed()
    try:
        doc = _toml(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"pyproject.toml cannot be parsed ({_reason(exc)})")
        return parsed
    lines = text.splitlines()
    where = Toml(lines)
    project = _table(doc.get("project"))
    _pep508_list(parsed, where, "project", "dependencies", project.get("dependencies"), RUNTIME)
    for group, items in _table(project.get("optional-dependencies")).items():
        _pep508_list(parsed, where, "project.optional-dependencies", group, items, scope_of_name(group))
    for group, items in _table(doc.get("dependency-groups")).items():
        _pep508_list(parsed, where, "dependency-groups", group, items, DEV)
    tool = _table(doc.get("tool"))
    uv = _table(tool.get("uv"))
    _pep508_list(parsed, where, "tool.uv", "dev-dependencies", uv.get("dev-dependencies"), DEV)
    for group, items in _table(_table(tool.get("pdm")).get("dev-dependencies")).items():
        _pep508_list(parsed, where, "tool.pdm.dev-dependencies", group, items, DEV)
    poetry = _table(tool.get("poetry"))
    _poetry_table(parsed, where, "tool.poetry.dependencies", poetry.get("dependencies"), RUNTIME)
    _poetry_table(parsed, where, "tool.poetry.dev-dependencies", poetry.get("dev-dependencies"), DEV)
    for group, table in _table(poetry.get("group")).items():
        deps = _table(table).get("dependencies")
        scope = RUNTIME if group == "main" else DEV
        _poetry_table(parsed, where, f"tool.poetry.group.{group}.dependencies", deps, scope)
    return parsed


def _table(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _pep508_list(parsed: Parsed, where: Toml, section: str, key: str, items: Any, scope: str) -> None:
    if not isinstance(items, list):
        return
    span = where.section(section)
    start = span[0] if span else 0
    end = span[1] if span else len(where.lines)
    key_line = where.key(span, key) or start + 1
    cursor = key_line - 1
    for item in items:
        if not isinstance(item, str):
            continue  # {include-group = "..."} of a dependency group
        line, cursor = string_line(where.lines, item, key_line - 1, end, cursor)
        found = requirement(item, line or key_line, scope)
        if isinstance(found, Dep):
            parsed.deps.append(found)
        else:
            parsed.problem(line or key_line, f"{item[:80]!r}: {found}")


def _poetry_table(parsed: Parsed, where: Toml, section: str, table: Any, scope: str) -> None:
    if not isinstance(table, dict):
        return
    span = where.section(section)
    for name, value in table.items():
        if name.lower() == "python" or not isinstance(name, str):
            continue
        line = where.key(span, name) or where.key(where.section(f"{section}.{name}"), "version")
        if line is None:
            found = where.section(f"{section}.{name}")
            line = found[0] + 1 if found else (span[0] + 1 if span else None)
        parsed.deps.extend(_poetry_dep(name, value, line, scope))


def _poetry_dep(name: str, value: Any, line: int | None, scope: str) -> Iterator[Dep]:
    if isinstance(value, list):  # several constraints by marker: each is a version of the package
        for item in value:
            yield from _poetry_dep(name, item, line, scope)
        return
    if isinstance(value, str):
        version, spec = _poetry_version(value)
        yield Dep(PYPI, name, version, line, spec=spec, scope=scope)
    elif isinstance(value, dict):
        if "path" in value or value.get("develop"):
            return  # the project's own code
        for kind in ("git", "url", "file"):
            if isinstance(value.get(kind), str):
                yield Dep(PYPI, name, None, line, scope=scope, source_note=f"installed from {_short(value[kind])}")
                return
        version, spec = _poetry_version(str(value.get("version", "*")))
        yield Dep(PYPI, name, version, line, spec=spec, scope=scope)


def _poetry_version(value: str) -> tuple[str | None, str]:
    """Poetry: a bare `1.2.3` or `==1.2.3` is exact; `^1.2`, `~1.2`, `>=1,<2`, `*` are ranges."""
    text = value.strip()
    if text in ("", "*"):
        return None, ""
    if text.startswith("=="):
        text = text[2:].strip()
    if text and text[0].isdigit() and not any(c in text for c in "*,<>=^~ |"):
        return text, ""
    return None, value.strip()


def setup_cfg(text: str, path: str) -> Parsed:
    parsed = Parsed()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_LONG_BLANKS.sub(" ", text))
    except (configparser.Error, ValueError) as exc:
        parsed.problem(None, f"setup.cfg cannot be parsed ({_reason(exc)})")
        return parsed
    lines = text.splitlines()
    where = Toml(lines)  # INI headers look like TOML's
    sources: list[tuple[str, str, str]] = [("options", "install_requires", RUNTIME), ("options", "tests_require", DEV)]
    if parser.has_section("options.extras_require"):
        sources += [("options.extras_require", k, scope_of_name(k)) for k in parser["options.extras_require"]]
    for section, key, scope in sources:
        if not parser.has_option(section, key):
            continue
        span = where.section(section)
        start, end = span if span else (0, len(lines))
        cursor = start
        for item in (i.strip() for i in parser.get(section, key).splitlines()):
            if not item or item.startswith("#"):
                continue
            line = next((n + 1 for n in range(cursor, end) if item in lines[n]), None)
            cursor = line or cursor
            found = requirement(_strip_comment(item), line, scope)
            if isinstance(found, Dep):
                parsed.deps.append(found)
            else:
                parsed.problem(line, f"{item[:80]!r}: {found}")
    return parsed


def pipfile(text: str, path: str) -> Parsed:
    parsed = Parsed()
    try:
        doc = _toml(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"Pipfile cannot be parsed ({_reason(exc)})")
        return parsed
    where = Toml(text.splitlines())
    for section, scope in (("packages", RUNTIME), ("dev-packages", DEV)):
        span = where.section(section)
        for name, value in _table(doc.get(section)).items():
            line = where.key(span, name)
            if isinstance(value, str):
                version, spec = pinned(value) if value.strip() != "*" else (None, "")
                parsed.deps.append(Dep(PYPI, name, version, line, spec=spec, spec_kind=PEP440, scope=scope))
            elif isinstance(value, dict):
                if "path" in value or value.get("editable") and "git" not in value:
                    continue
                if isinstance(value.get("git"), str):
                    note = f"installed from {_short(value['git'])}"
                    parsed.deps.append(Dep(PYPI, name, None, line, scope=scope, source_note=note))
                    continue
                raw = str(value.get("version", "*"))
                version, spec = pinned(raw) if raw.strip() != "*" else (None, "")
                parsed.deps.append(Dep(PYPI, name, version, line, spec=spec, spec_kind=PEP440, scope=scope))
    return parsed


# -- lockfiles ----------------------------------------------------------------------------------


def pipfile_lock(text: str, path: str) -> Parsed:
    parsed = Parsed(lockfile=True)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"Pipfile.lock is not valid JSON ({_reason(exc)})")
        return parsed
    if not isinstance(doc, dict):
        parsed.problem(None, "Pipfile.lock is not a JSON object")
        return parsed
    lines = key_lines(text, 2)
    for section, scope in (("default", RUNTIME), ("develop", DEV)):
        for name, entry in _table(doc.get(section)).items():
            if not isinstance(entry, dict):
                continue
            line = lines.get((section, name))
            raw = entry.get("version")
            node = f"{normal_name(PYPI, name)}@{raw}"
            if isinstance(raw, str):
                version, _ = pinned(raw)
                parsed.deps.append(
                    Dep(PYPI, name, version, line, scope=scope, direct=False, entry=f"{section}.{name}", node=node)
                )
            elif isinstance(entry.get("git"), str):
                note = f"installed from {_short(entry['git'])}"
                parsed.deps.append(Dep(PYPI, name, None, line, scope=scope, direct=False, source_note=note))
    return parsed


def poetry_lock(text: str, path: str) -> Parsed:
    return _toml_lock(text, "poetry.lock", _poetry_package)


def uv_lock(text: str, path: str) -> Parsed:
    return _toml_lock(text, "uv.lock", _uv_package)


def pdm_lock(text: str, path: str) -> Parsed:
    return _toml_lock(text, "pdm.lock", _pdm_package)


Package = tuple[Dep | None, list[tuple[str, str]], bool]  # (dep or None for local code, (name, scope) needs, is a root)


def _toml_lock(text: str, name: str, reader: Any) -> Parsed:
    parsed = Parsed(lockfile=True)
    try:
        doc = _toml(text)
    except (ValueError, RecursionError) as exc:
        parsed.problem(None, f"{name} cannot be parsed ({_reason(exc)})")
        return parsed
    packages = doc.get("package")
    if not isinstance(packages, list):
        return parsed
    lines = text.splitlines()
    where = Toml(lines)
    blocks = where.blocks("package")
    by_name: dict[str, list[str]] = {}
    needs: dict[str, list[tuple[str, str]]] = {}
    for index, package in enumerate(packages):
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        span = blocks[index] if index < len(blocks) else None
        line = where.key(span, "name") if span else None
        dep, wants, root = reader(package, line)
        node = f"{normal_name(PYPI, package['name'])}@{package.get('version', '')}"
        needs[node] = wants
        if root:
            for wanted, scope in wants:
                parsed.roots[f"name:{normal_name(PYPI, wanted)}"] = scope
        if dep is not None:
            parsed.deps.append(_with_node(dep, node))
            by_name.setdefault(normal_name(PYPI, dep.name), []).append(node)
    for node, wants in needs.items():
        parsed.graph[node] = [n for wanted, _ in wants for n in by_name.get(normal_name(PYPI, wanted), ())]
    parsed.roots = {n: scope for key, scope in parsed.roots.items() for n in by_name.get(key[5:], ())}
    return parsed


def _with_node(dep: Dep, node: str) -> Dep:
    from dataclasses import replace

    return replace(dep, node=node, entry=f"{dep.name} {dep.version or ''}".strip(), direct=False)


def _poetry_package(package: Mapping[str, Any], line: int | None) -> Package:
    groups = package.get("groups")
    category = package.get("category")
    scope = DEV if category == "dev" or (isinstance(groups, list) and groups and "main" not in groups) else RUNTIME
    source = _table(package.get("source"))
    wants = [(name, scope) for name in _table(package.get("dependencies"))]
    if source.get("type") in ("directory", "file") and not str(source.get("url", "")).startswith("http"):
        return None, wants, False
    note = (
        f"installed from {source.get('type')} {_short(str(source.get('url', '')))}"
        if source.get("type") == "git"
        else ""
    )
    return _locked(package, line, scope, note), wants, False


def _uv_package(package: Mapping[str, Any], line: int | None) -> Package:
    source = _table(package.get("source"))
    wants = [(d["name"], RUNTIME) for d in _dicts(package.get("dependencies"))]
    for group, items in _table(package.get("optional-dependencies")).items():
        wants += [(d["name"], scope_of_name(group)) for d in _dicts(items)]
    for _group, items in _table(package.get("dev-dependencies")).items():
        wants += [(d["name"], DEV) for d in _dicts(items)]
    if any(k in source for k in ("editable", "virtual", "directory", "path")):
        return None, wants, True  # a workspace member: its dependencies are the direct ones
    note = (
        f"installed from {_short(str(source.get('git') or source.get('url')))}"
        if ("git" in source or "url" in source)
        else ""
    )
    return _locked(package, line, RUNTIME, note), wants, False


def _pdm_package(package: Mapping[str, Any], line: int | None) -> Package:
    groups = package.get("groups")
    scope = DEV if isinstance(groups, list) and groups and "default" not in groups else RUNTIME
    wants: list[tuple[str, str]] = []
    for item in package.get("dependencies") or ():
        if isinstance(item, str):
            found = requirement(item, None, scope)
            if isinstance(found, Dep):
                wants.append((found.name, scope))
    if "path" in package or package.get("editable") and "git" not in package:
        return None, wants, False
    note = f"installed from {_short(str(package['git']))}" if isinstance(package.get("git"), str) else ""
    return _locked(package, line, scope, note), wants, False


def _locked(package: Mapping[str, Any], line: int | None, scope: str, note: str) -> Dep:
    version = package.get("version")
    return Dep(
        PYPI,
        package["name"],
        version if isinstance(version, str) and version else None,
        line,
        spec_kind=PEP440,
        scope=scope,
        direct=False,
        source_note=note,
    )


def _dicts(items: Any) -> Iterable[Mapping[str, Any]]:
    return (
        [i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)] if isinstance(items, list) else []
    )


def _reason(exc: BaseException) -> str:
    return type(exc).__name__ if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:160]


def direct_names(parsed: Parsed) -> dict[str, Dep]:
    """A manifest's direct dependencies by normalised name (the first declaration wins)."""
    out: dict[str, Dep] = {}
    for dep in parsed.deps:
        out.setdefault(dep.key[1], dep)
    return out
