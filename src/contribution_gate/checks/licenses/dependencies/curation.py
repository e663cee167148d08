"""`[licenses] allow-packages` and `deny-packages`: the maintainers' decisions about packages,
which win over the license table.

An entry is `[ecosystem:]name[@range]`: `PyQt5`, `pypi:PyQt5@>=5,<6`, `npm:@scope/pkg@^1.2`,
`maven:org.example:lib@[1.0,2.0)`. Without an ecosystem it matches the name in any; without a
range, every version. Names compare as their registry compares them (PEP 503 for PyPI). A range
on a PyPI package is PEP 440, on the others the grammar of `versions.py`; a package whose version
is not known (an unpinned requirement nobody resolved) matches only entries without a range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import ECOSYSTEMS, PEP440, PYPI, Dep, normal_name
from .versions import Predicate, RangeError, compile_range

ALIASES = {
    "composer": "packagist",
    "php": "packagist",
    "gem": "rubygems",
    "ruby": "rubygems",
    "crates": "cargo",
    "rust": "cargo",
    "golang": "go",
    "python": "pypi",
    "pip": "pypi",
    "node": "npm",
    "dotnet": "nuget",
    "java": "maven",
}


@dataclass(frozen=True)
class Entry:
    text: str
    ecosystem: str | None
    name: str
    range: str

    def matches(self, dep: Dep, version: str | None) -> bool:
        if self.ecosystem is not None and self.ecosystem != dep.ecosystem:
            return False
        if normal_name(dep.ecosystem, self.name) != dep.key[1]:
            return False
        if not self.range:
            return True
        if version is None:
            return False
        return _predicate(self.range, PEP440 if dep.ecosystem == PYPI else "")(version)


_COMPILED: dict[tuple[str, str], Predicate] = {}


def _predicate(text: str, kind: str) -> Predicate:
    found = _COMPILED.get((text, kind))
    if found is None:
        try:
            found = compile_range(text, kind)
        except RangeError:
            found = compile_range(text, "") if kind == PEP440 else (lambda v: False)
        _COMPILED[(text, kind)] = found
    return found


def parse(text: str) -> Entry:
    """One entry; RangeError (a ValueError) says what is wrong with it."""
    raw = text.strip()
    if not raw:
        raise RangeError("an empty entry")
    ecosystem: str | None = None
    head, colon, rest = raw.partition(":")
    wanted = ALIASES.get(head.lower(), head.lower())
    if colon and wanted in ECOSYSTEMS:
        ecosystem, raw = wanted, rest.strip()
    at = raw.find("@", 1)
    name, spec = (raw, "") if at < 0 else (raw[:at].strip(), raw[at + 1 :].strip())
    if not name or any(c.isspace() for c in name) or len(name) > 214:
        raise RangeError(f"{text!r} names no package: write it like pypi:PyQt5 or npm:left-pad@<2")
    if spec:
        kinds = [PEP440] if ecosystem == PYPI else [""] if ecosystem is not None else [PEP440, ""]
        problems = []
        for kind in kinds:
            try:
                compile_range(spec, kind)
                break
            except RangeError as exc:
                problems.append(str(exc))
        else:
            raise RangeError(f"{text!r}: the version range cannot be read ({problems[-1]})")
    return Entry(text, ecosystem, name, spec)


def problem(entries: Sequence[str]) -> str | None:
    """What is wrong with a list of entries, for the policy's validation; None when nothing."""
    for entry in entries:
        try:
            parse(entry)
        except RangeError as exc:
            return f"holds {exc}"
    return None


def first_match(entries: Sequence[Entry], dep: Dep, version: str | None) -> Entry | None:
    return next((e for e in entries if e.matches(dep, version)), None)
