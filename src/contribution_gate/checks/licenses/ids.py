"""License ids and expressions: any spelling (SPDX id, LicenseRef-scancode-*, ScanCode key, a
model hub's id, a manifest's free-text name) -> one key, its SPDX id and its class.

Keys are ScanCode's license keys; the mapping from SPDX ids and ScanCode's categories comes from
the license index that `license-expression` vendors (no ScanCode import), extended with what
ScanCode itself reports when it has run. Classes, hub ids and aliases are data in
`config/licenses.toml`.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ...resources import data_toml

CLASSES = (
    "permissive",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "non-commercial",
    "source-available",
    "use-restricted",
    "proprietary",
    "unknown",
    "patent-grant",
)
_SCANCODE_REF = "licenseref-scancode-"
_LICENSE_REF = "licenseref-"


class InvalidExpression(ValueError):
    """A license expression that cannot be parsed; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Lic:
    """One license of an expression: its key, how to show it, and an exception it carries."""

    key: str
    spdx: str
    exception: str | None = None
    known: bool = True

    def __str__(self) -> str:
        return f"{self.spdx} WITH {self.exception}" if self.exception else self.spdx


@dataclass(frozen=True, slots=True)
class Op:
    """AND or OR of sub-expressions."""

    op: str
    args: tuple[Expr, ...]

    def __str__(self) -> str:
        return f" {self.op} ".join(f"({a})" if isinstance(a, Op) else str(a) for a in self.args)


Expr = Lic | Op


def licenses_of(expr: Expr) -> Iterator[Lic]:
    if isinstance(expr, Lic):
        yield expr
    else:
        for arg in expr.args:
            yield from licenses_of(arg)


def exception_class(exception: str) -> str:
    """The class [exceptions] gives a license exception ("": it keeps the license's own)."""
    for pattern, klass in data()["exceptions"].items():
        if fnmatch.fnmatchcase(exception.lower(), pattern):
            return str(klass)
    return ""


_TRAILING_ZERO = re.compile(r"(\d+\.\d+)\.0\b")


def license_named(name: str) -> str | None:
    """The expression `[names]` gives a license's free-text name (Maven's `<name>`), its spaces and
    case aside; a version written with a third part (`Version 2.0.0`) is read as its two."""
    names = data()["names"]
    text = " ".join(name.lower().split())
    found = names.get(text) or names.get(_TRAILING_ZERO.sub(r"\1", text))
    return str(found) if found else None


@functools.cache
def data() -> Mapping[str, Any]:
    """config/licenses.toml, read once per process."""
    return data_toml("licenses.toml")


class Catalog:
    """Every license id the gate knows, loaded on first use and shared by the process."""

    def __init__(self) -> None:
        table = data()
        self.by_spdx: dict[str, str] = {}
        self.spdx_of: dict[str, str] = {}
        self.category: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.exceptions: set[str] = set()  # keys of license exceptions (`openssl-exception-agpl-3.0-plus`)
        from license_expression import get_license_index  # a JSON file: ~10 ms

        for entry in get_license_index():
            if entry.get("is_exception"):
                self.exceptions.add(entry["license_key"])
            self._add(
                entry["license_key"],
                entry.get("spdx_license_key"),
                entry.get("category"),
                entry.get("other_spdx_license_keys", ()),
            )
        self.aliases = {k.lower(): v for k, v in table["aliases"].items()}
        self.hub = {k.lower(): v for k, v in table["hub"].items()}
        for entry in self.hub.values():
            key = entry["scancode"] or entry["canonical"].lower()
            self.spdx_of.setdefault(key, entry["canonical"])
            self.names[key] = entry["name"]
            self.by_spdx.setdefault(entry["canonical"].lower(), key)
        classes = table["classes"]
        self.exact = {k: v for k, v in classes.items() if not any(c in k for c in "*?[")}
        self.globs = [(k, v) for k, v in classes.items() if k not in self.exact]
        self.categories = table["categories"]
        self.ignored = frozenset(table["ignore"]["keys"])

    def _add(self, key: str, spdx: str | None, category: str | None, others: Any = ()) -> None:
        spdx = spdx or f"LicenseRef-scancode-{key}"
        self.spdx_of.setdefault(key, spdx)
        for alias in (spdx, *others):
            self.by_spdx.setdefault(alias.lower(), key)
        if category:
            self.category.setdefault(key, category)

    def learn(self, key: str, spdx: str | None, category: str | None, name: str | None = None) -> None:
        """What ScanCode says about a key this index may lack (its data is newer)."""
        if key not in self.spdx_of or key not in self.category:
            self._add(key, spdx, category)
        if name:
            self.names.setdefault(key, name)

    def lookup(self, text: str) -> Lic:
        """One id as written -> Lic; an id nobody knows keeps its spelling and `known=False`."""
        word = text.strip()
        low = word.lower()
        if low in self.hub:
            entry = self.hub[low]
            key = entry["scancode"] or entry["canonical"].lower()
            return Lic(key, entry["canonical"])
        key = self.by_spdx.get(low) or self.aliases.get(low)
        if key is None and low.startswith(_SCANCODE_REF):
            key = low[len(_SCANCODE_REF) :]
        elif key is None and low.startswith(_LICENSE_REF):  # `LicenseRef-Apache2`: a project's name for a known one
            named = low[len(_LICENSE_REF) :]
            key = self.by_spdx.get(named) or self.aliases.get(named)
        if key is None and low in self.spdx_of:
            key = low
        if key is None and " " in low:  # `BSD 3-Clause`: an id written with spaces, or a license's name
            key = self.by_spdx.get("-".join(low.split())) or license_named(low)
        if key is None:
            return Lic(low, word, known=False)
        return Lic(key, self.spdx_of.get(key, word))

    def class_of(self, lic: Lic) -> str:
        """The class of a license (with its exception), from [classes], else ScanCode's category."""
        own = exception_class(lic.exception) if lic.exception else ""
        if own:
            return own
        key = lic.key
        if key in self.exact:
            return str(self.exact[key])
        for pattern, klass in self.globs:
            if fnmatch.fnmatchcase(key, pattern):
                return str(klass)
        category = self.category.get(key)
        return str(self.categories.get(category, "unknown")) if category else "unknown"

    def name_of(self, lic: Lic) -> str:
        return self.names.get(lic.key, "")

    def by_key(self, key: str) -> Lic:
        """A ScanCode key as ScanCode reports it (never read as an SPDX id: bsl-1.0 is not BSL-1.0)."""
        return Lic(key, self.spdx_of.get(key, f"LicenseRef-scancode-{key}"))

    def parse(self, text: str, keys: bool = False) -> Expr:
        """An SPDX-style expression (AND, OR, WITH, parentheses; `+` suffixes) -> Expr; with `keys`,
        its ids are ScanCode keys."""
        from license_expression import ExpressionError, Licensing

        try:
            parsed = _licensing(Licensing).parse(text.strip(), simple=False)
        except ExpressionError as exc:
            raise InvalidExpression(f"{text.strip()!r} is not a license expression ({exc})") from None
        if parsed is None:
            raise InvalidExpression("the license expression is empty")
        return self._convert(parsed, self.by_key if keys else self.lookup)

    def _convert(self, node: Any, lookup: Any) -> Expr:
        name = type(node).__name__
        if name in ("AND", "OR"):
            return Op(name, tuple(self._convert(arg, lookup) for arg in node.args))
        if name == "LicenseWithExceptionSymbol":
            base = lookup(node.license_symbol.key)
            exception = lookup(node.exception_symbol.key)
            return Lic(base.key, base.spdx, exception.key, base.known)
        return lookup(node.key)  # type: ignore[no-any-return]

    def expression(self, text: str) -> Expr | None:
        """Like parse, but an unparsable text is None."""
        try:
            return self.parse(text)
        except InvalidExpression:
            return None


@functools.cache
def _licensing(factory: Any) -> Any:
    return factory()


@functools.cache
def catalog() -> Catalog:
    return Catalog()


def is_ignored(key: str) -> bool:
    return key in catalog().ignored


def simplify(expr: Expr) -> Expr | None:
    """Without the keys that are no license on their own (a disclaimer, "see LICENSE") and
    repeated parts; None when nothing is left."""
    if isinstance(expr, Lic):
        return None if is_ignored(expr.key) else expr
    kept = (simplify(a) for a in expr.args)
    unique = tuple(dict.fromkeys(a for a in kept if a is not None))
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else Op(expr.op, unique)


def without_option_texts(expr: Expr) -> Expr:
    """`(A OR B) AND A AND B` -> `A OR B`: a choice of licenses followed by the texts of its options
    ("copies of both licenses are included below" in a dual-licensed project's license file) offers
    the choice; it does not require each license on top of it. A text of `GPL-2.0` is the option
    `GPL-2.0-or-later` too."""
    if not isinstance(expr, Op) or expr.op != "AND":
        return expr
    options = {
        (lic.key.removesuffix("-plus"), lic.exception)
        for arg in expr.args
        if isinstance(arg, Op) and arg.op == "OR"
        for lic in licenses_of(arg)
    }
    kept = tuple(
        a for a in expr.args if not (isinstance(a, Lic) and (a.key.removesuffix("-plus"), a.exception) in options)
    )
    return kept[0] if len(kept) == 1 else Op("AND", kept)
