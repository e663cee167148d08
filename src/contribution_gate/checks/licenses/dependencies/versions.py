"""Version ranges, for choosing the version an unpinned requirement installs and for the policy's
`allow-packages`/`deny-packages` entries.

PyPI ranges are PEP 440 and read with `packaging`. Every other registry's ranges are read by one
small grammar of our own, because no single library reads them all and the semver libraries
reject versions these registries publish (Maven's `1.0.Final`, Go's `v0.0.0-2024...` pseudo-versions,
Ruby's `1.2.3.pre`, NuGet's four parts):

- alternatives joined by `||`;
- each a set of comparators joined by blanks or commas: `>=1.2 <2`, `>= 1.0, < 2.0`;
- comparators `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, caret `^1.2` (npm, Cargo, Poetry), tilde `~1.2`,
  Ruby's pessimistic `~> 1.2`, wildcards `1.2.x`, `1.*`, hyphen ranges `1.2 - 2.3`, and Maven or
  NuGet intervals `[1.0,2.0)`, `(,1.5]`, `[1.2]`; a bare version is that version.

Versions compare by their numeric parts, then a pre-release (`-beta`, `.rc1`, `a1`) sorts before
its release. A pre-release is inside a range when its number is (npm's stricter rule is not
applied: a deny entry must not miss `2.0.0-beta` of a denied `<3`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .model import PEP440

_SPLIT = re.compile(r"\d+|[A-Za-z]+")
_RELEASE_WORDS = frozenset(("final", "ga", "release", "r"))
_COMPARATOR = re.compile(r"(~>|\^|~|>=|<=|!=|==|=|>|<)?\s*([^\s,]+)")
Key = tuple[tuple[int, ...], int, tuple[tuple[int, str], ...]]


class RangeError(ValueError):
    """A range that cannot be read; the message quotes it."""


def version_key(version: str) -> Key:
    """A sort key: (numeric release parts, 1 for a release or 0 for a pre-release, the rest)."""
    text = version.strip().lstrip("vV=")
    main, _, build = text.partition("+")
    del build
    numbers: list[int] = []
    rest: list[tuple[int, str]] = []
    pre = False
    for token in _SPLIT.findall(main):
        if token.isdigit() and not rest and not pre:
            numbers.append(int(token[:18]))
        elif token.isdigit():
            rest.append((int(token[:18]), ""))
        else:
            lowered = token.lower()
            if lowered in _RELEASE_WORDS and not rest:
                continue
            pre = pre or lowered not in ("sp", "post", "patch", "pl")
            rest.append((-1, lowered))
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers), 0 if pre else 1, tuple(rest)


def _parts(version: str) -> list[str]:
    return version.strip().lstrip("vV=").split("+", 1)[0].split("-", 1)[0].split(".")


Predicate = Callable[[str], bool]


def _bump(parts: list[int], index: int) -> str:
    head = parts[:index]
    head[-1] += 1
    return ".".join(map(str, head))


def _wildcard(version: str) -> tuple[str, str] | None:
    """`1.2.x` / `1.*` -> (lower, upper exclusive); None when there is no wildcard."""
    parts = _parts(version)
    fixed: list[int] = []
    for part in parts:
        if part in ("x", "X", "*"):
            break
        if not part.isdigit():
            return None
        fixed.append(int(part))
    else:
        return None
    if not fixed:
        return "0", ""
    return ".".join(map(str, fixed)), _bump(fixed, len(fixed))


def _numbers(version: str) -> list[int]:
    out = []
    for part in _parts(version):
        if not part.isdigit():
            break
        out.append(int(part[:18]))
    return out or [0]


def _between(lower: str, upper: str, lower_open: bool = False, upper_open: bool = True) -> Predicate:
    lo = version_key(lower) if lower else None
    hi = version_key(upper) if upper else None

    def check(version: str) -> bool:
        key = version_key(version)
        if lo is not None and (key < lo or (lower_open and key == lo)):
            return False
        return not (hi is not None and (key > hi or (upper_open and key == hi)))

    return check


def _comparator(op: str, version: str) -> Predicate:
    wild = _wildcard(version)
    if wild is not None:
        lower, upper = wild
        if op in ("", "=", "==", "^", "~"):
            return _between(lower, upper)
        if op == "!=":
            inside = _between(lower, upper)
            return lambda v: not inside(v)
        version = lower if op in (">=", "<") else (upper or lower)
        if op == ">" and upper:
            op = ">="
        if op == "<=" and upper:
            op = "<"
    numbers = _numbers(version)
    if op == "^":
        index = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
        return _between(version, _bump(numbers, index + 1))
    if op == "~":
        return _between(version, _bump(numbers, min(2, len(numbers))))
    if op == "~>":
        return _between(version, _bump(numbers, max(1, len(numbers) - 1)))
    key = version_key(version)
    checks: dict[str, Predicate] = {
        "": lambda v: version_key(v) == key,
        "=": lambda v: version_key(v) == key,
        "==": lambda v: version_key(v) == key,
        "!=": lambda v: version_key(v) != key,
        ">": lambda v: version_key(v) > key,
        ">=": lambda v: version_key(v) >= key,
        "<": lambda v: version_key(v) < key,
        "<=": lambda v: version_key(v) <= key,
    }
    return checks[op]


def _equal(version: str) -> Predicate:
    wanted = version_key(version)
    return lambda v: version_key(v) == wanted


def _intervals(text: str) -> Predicate:
    """Maven and NuGet: `[1.0,2.0)`, `(,1.5]`, `[1.2]`, or several joined by commas (any of them)."""
    checks: list[Predicate] = []
    pos = 0
    while pos < len(text):
        if text[pos] in " ,":
            pos += 1
            continue
        if text[pos] not in "[(":
            raise RangeError(f"{text!r}: expected [ or ( at {pos + 1}")
        end = min((i for i in (text.find("]", pos), text.find(")", pos)) if i >= 0), default=-1)
        if end < 0:
            raise RangeError(f"{text!r}: an interval is not closed")
        body = text[pos + 1 : end]
        if "," in body:
            lower, upper = (p.strip() for p in body.split(",", 1))
            checks.append(_between(lower, upper, text[pos] == "(", text[end] == ")"))
        elif body.strip():
            checks.append(_equal(body))
        else:
            raise RangeError(f"{text!r}: an empty interval")
        pos = end + 1
    return lambda v: any(check(v) for check in checks)


def _alternative(text: str) -> Predicate:
    text = text.strip()
    if not text or text in ("*", "x", "X", "latest"):
        return lambda v: True
    if text[0] in "[(":
        return _intervals(text)
    if " - " in text:
        lower, upper = (p.strip() for p in text.split(" - ", 1))
        wild = _wildcard(upper)
        if wild is not None:
            return _between(lower, wild[1])
        return _between(lower, upper, upper_open=False)
    checks: list[Predicate] = []
    pos = 0
    while pos < len(text):
        if text[pos] in " ,":
            pos += 1
            continue
        found = _COMPARATOR.match(text, pos)
        if found is None or not found.group(2):
            raise RangeError(f"{text!r}: cannot read it at {pos + 1}")
        version = found.group(2)
        if not version[:1].isalnum() and version[:1] not in "*":
            raise RangeError(f"{text!r}: {version!r} is not a version")
        checks.append(_comparator(found.group(1) or "", version))
        pos = found.end()
    return lambda v: all(check(v) for check in checks)


def compile_range(text: str, kind: str = "") -> Predicate:
    """`text` as a predicate on version strings; `kind` PEP440 reads it with `packaging`."""
    if len(text) > 1000:
        raise RangeError("a range of more than 1,000 characters")
    if kind == PEP440:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version

        try:
            specifiers = SpecifierSet(text)
        except InvalidSpecifier as exc:
            raise RangeError(f"{text!r} is not a PEP 440 specifier ({exc})") from None

        def check(version: str) -> bool:
            try:
                return specifiers.contains(Version(version), prereleases=True)
            except InvalidVersion:
                return False

        return check
    alternatives = [_alternative(part) for part in text.split("||")]
    return lambda v: any(check(v) for check in alternatives)


def best(versions: Iterable[str], predicate: Predicate, default: str | None) -> str | None:
    """The version an unpinned requirement installs: the default one if it is a release inside the
    range, else the highest release inside it, else the highest pre-release inside it."""
    if default is not None and predicate(default) and version_key(default)[1] == 1:
        return default
    inside = [v for v in versions if predicate(v)]
    if not inside:
        return None
    releases = [v for v in inside if version_key(v)[1] == 1]
    return max(releases or inside, key=version_key)
