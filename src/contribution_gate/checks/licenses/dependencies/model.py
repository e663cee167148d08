"""What the dependency parsers report: one package a manifest or lockfile names, and the file as a
whole (its packages, the graph between them, what could not be read).

Every parser is a pure function of a file's text, bounded in what it reads, that returns `Parsed`;
a malformed file gives `problems`, never an exception out of the parser's module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Ecosystems by the name deps.dev uses for them (lower case), Packagist (Composer) included,
# which deps.dev does not serve: its packages resolve from composer.lock or vendor/ only.
PYPI, NPM, GO, CARGO, MAVEN, RUBYGEMS, PACKAGIST, NUGET = (
    "pypi",
    "npm",
    "go",
    "cargo",
    "maven",
    "rubygems",
    "packagist",
    "nuget",
)
ECOSYSTEMS = (PYPI, NPM, GO, CARGO, MAVEN, RUBYGEMS, PACKAGIST, NUGET)
RUNTIME, DEV = "runtime", "development"
MAX_FILE = 32 << 20  # bytes of one manifest or lockfile read; a larger one is a warning naming the size
MAX_LINE = 64 << 10  # characters of one requirement line looked at
PEP440, GENERIC = "pep440", "generic"  # how a version range is written (see versions.py)
_PYPI_NAME = re.compile(r"[-_.]+")


def normal_name(ecosystem: str, name: str) -> str:
    """A package's name as its registry compares names: PEP 503 for PyPI, case-insensitive for the
    registries that are (npm, Cargo and Go are case-sensitive, Cargo treats - and _ alike)."""
    if ecosystem == PYPI:
        return _PYPI_NAME.sub("-", name).lower()
    if ecosystem == CARGO:
        return name.replace("_", "-")
    if ecosystem in (NUGET, PACKAGIST, MAVEN):
        return name.lower()
    return name


@dataclass(frozen=True, slots=True)
class Dep:
    """One package a file names.

    `version` is exact where the file pins or locks it, else None with the range in `spec`
    (`spec_kind` says how to read it). `direct` is False for a lockfile's transitive packages;
    `entry` is the lockfile's own name for it (`node_modules/a/node_modules/b`), `via` the direct
    dependency that brings it when the graph says so. `license` is what the file itself records
    (npm and Composer lockfiles); `source_note` says why no registry version applies (a git or
    URL source), which leaves the license unknown.
    """

    ecosystem: str
    name: str
    version: str | None
    line: int | None
    spec: str = ""
    spec_kind: str = GENERIC
    direct: bool = True
    scope: str = RUNTIME
    entry: str = ""
    via: str = ""
    license: str | None = None
    source_note: str = ""
    node: str = ""  # the lockfile's node id, for the graph

    @property
    def key(self) -> tuple[str, str]:
        return self.ecosystem, normal_name(self.ecosystem, self.name)

    @property
    def label(self) -> str:
        """`name version`, or `name spec` for a range."""
        if self.version:
            return f"{self.name} {self.version}"
        return f"{self.name} {self.spec}".rstrip()

    @property
    def curation_key(self) -> str:
        """How `[licenses] allow-packages` would name it: `pypi:PyQt5@5.15.10`."""
        return f"{self.ecosystem}:{self.name}" + (f"@{self.version}" if self.version else "")


@dataclass
class Parsed:
    """A manifest or lockfile read: its packages, the lockfile graph (node -> nodes it needs),
    the nodes that are direct dependencies (root node -> its scope), the `-r` includes of a
    requirements file, and what could not be read (line or None, why)."""

    deps: list[Dep] = field(default_factory=list)
    graph: dict[str, list[str]] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)
    includes: list[tuple[int, str]] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    lockfile: bool = False

    def problem(self, line: int | None, why: str) -> None:
        self.problems.append((line, why))


class Lines:
    """Line numbers of character offsets in one text, by binary search over its newlines."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        at = text.find("\n")
        while at >= 0:
            self._starts.append(at + 1)
            at = text.find("\n", at + 1)

    def of(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self._starts, offset)


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
