"""The data of `proprietary-markers` (`config/markers.toml`) with the policy's `markers` and
`organizations`, compiled once per policy: phrase strengths, classification labels, TLP levels,
copyright notices and the prefilter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ...errors import CheckError
from ...resources import data_file, tomllib
from ..keywords import Keywords

STRONG, LABEL, HEADER = "strong", "label", "header"


def norm(text: str) -> str:
    """How phrases are compared: lower case, one space between words."""
    return " ".join(re.split(r"[\s_-]+", text.lower())).strip()


def phrase_pattern(phrase: str) -> str:
    """A phrase as a regular expression: any run of spaces or hyphens between its words."""
    return r"[\s-]+".join(re.escape(word) for word in phrase.split())


@dataclass(frozen=True)
class Data:
    strengths: dict[str, str]
    declarations: tuple[str, ...]
    keys: frozenset[str]
    values: frozenset[str]
    tlp: tuple[str, ...]
    reserved: tuple[str, ...]
    open_licenses: tuple[str, ...]


@lru_cache(maxsize=1)
def load_data() -> Data:
    path = data_file("markers.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        phrases = raw["phrases"]
        strengths = {norm(p): strength for strength in (LABEL, HEADER, STRONG) for p in phrases[strength]}
        for pattern in phrases["declarations"]:
            re.compile(pattern)
        return Data(
            strengths=strengths,
            declarations=tuple(phrases["declarations"]),
            keys=frozenset(k.replace(" ", "") for k in raw["classification"]["keys"]),
            values=frozenset(norm(v) for v in raw["classification"]["values"]),
            tlp=tuple(raw["tlp"]["levels"]),
            reserved=tuple(raw["copyright"]["reserved"]),
            open_licenses=tuple(raw["copyright"]["open-licenses"]),
        )
    except (OSError, KeyError, TypeError, re.error, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the proprietary-markers data from {path}: {exc}") from None


def custom_marker(marker: str) -> re.Pattern[str]:
    """A policy marker: `/regex/` is a regular expression, anything else a plain phrase; both
    ignore case. ValueError for an invalid regular expression."""
    try:
        if len(marker) > 2 and marker.startswith("/") and marker.endswith("/"):
            return re.compile(marker[1:-1], re.IGNORECASE)
        return re.compile(rf"(?<![\w-]){phrase_pattern(marker)}(?![\w-])", re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"marker {marker!r} is not a valid regular expression: {exc}") from None


class Rules:
    """Everything a scan needs, compiled for one policy. The keyword automaton and the policy's own
    markers are made at once (a bad marker is a policy error); the phrase, declaration, TLP and
    copyright expressions only when a line first holds a keyword: most changes hold none."""

    def __init__(self, data: Data, organizations: tuple[str, ...], markers: tuple[str, ...]) -> None:
        self.data = data
        self.organizations = organizations
        self.classification = Classification()
        self.custom = tuple((m, custom_marker(m)) for m in markers)
        plain = [m for m in markers if not (m.startswith("/") and m.endswith("/") and len(m) > 2)]
        wanted = [
            *self._phrases,
            "classification",
            "sensitivity",
            "protective marking",
            "tlp",
            *map(norm, (*organizations, *plain)),
        ]
        self.literals = tuple(sorted(_literals(wanted), key=len, reverse=True))
        self.keywords = Keywords(self.literals)
        self.regex_markers = tuple(p for m, p in self.custom if m not in plain)

    @property
    def _phrases(self) -> list[str]:
        return sorted(self.data.strengths, key=len, reverse=True)

    @cached_property
    def phrases(self) -> re.Pattern[str]:
        return re.compile(
            r"(?<![\w-])(?:" + "|".join(phrase_pattern(p) for p in self._phrases) + r")(?![\w-])", re.IGNORECASE
        )

    @cached_property
    def declaration(self) -> re.Pattern[str] | None:
        declarations = self.data.declarations
        return re.compile("|".join(declarations), re.IGNORECASE) if declarations else None

    @cached_property
    def tlp(self) -> re.Pattern[str]:
        levels = "|".join(re.escape(t) for t in self.data.tlp)
        return re.compile(r"(?i)(?<![\w-])tlp\s*:\s*(" + levels + r")(?![\w+-])")

    @cached_property
    def org_names(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(rf"(?i)(?<!\w){phrase_pattern(o)}(?!\w)") for o in self.organizations)

    @cached_property
    def copyright(self) -> re.Pattern[str] | None:
        if not self.organizations:
            return None
        return re.compile(
            r"(?i)(?:\bcopyright\b|©)(?:\s*(?:\(c\)|©|&copy;))?[\s\d,.–-]*(?:by\s+)?(?:the\s+)?(?P<org>"
            + "|".join(phrase_pattern(o) for o in self.organizations)
            + r")(?!\w)"
        )

    def may_mark(self, text: str) -> bool:
        """Whether `text` holds a phrase, a classification key, a TLP level or a declaration at all."""
        return bool(
            self.phrases.search(text)
            or self.tlp.search(text)
            or self.classification.first(text) is not None
            or (self.declaration is not None and self.declaration.search(text))
        )

    def strength(self, phrase: str) -> str:
        return self.data.strengths.get(norm(phrase), LABEL)

    def classification_label(self, text: str) -> tuple[str, str] | None:
        """(key, value) of a data-classification label on `text`: `classification: confidential`."""
        for key, value in self.classification.pairs(text):
            name = re.split(r"[/.]", key)[-1].lower().replace("-", "").replace("_", "").replace(" ", "")
            if name in self.data.keys and norm(value) in self.data.values:
                return key, value.strip()
        return None


_KEYWORD = r"(?:classification|sensitivity|confidentiality|marking|class)(?:[-_ ]?(?:level|label))?"
_KEY_CHARS = frozenset("_.-")


class Classification:
    """Classification keys and their values: `data-classification: <level>` (YAML, JSON, INI, code),
    `<classification>` elements and `<meta name="classification" content="...">` tags.

    In one pass, without regular expressions that try every start: a key is found from its keyword
    (the end of the key), and its start by walking back over the characters a key may hold; a value
    is its longest run of letters, spaces, `_` and `-`, less the blanks that end it.
    """

    _ASSIGNED = re.compile(rf"""(?i)(?P<keyword>{_KEYWORD})["']?\s*(?:=>|:=|=|:)\s*["']?(?=[a-z])""")
    _TAG = re.compile(rf"(?i)<(?P<tag>[\w.-]*?{_KEYWORD})>\s*(?=[a-z])")
    _META = re.compile(
        rf"""(?i)name=["'](?P<key>[\w.-]*?{_KEYWORD})["']\s+content=["'](?P<value>[a-z][a-z +_-]*?)["']"""
    )
    _VALUE = re.compile(r"(?i)[a-z][a-z +_-]*")
    _VALUE_END = re.compile(r"""["']?\s*(?=$|[,;}\])#"'<]|//|/\*)""")
    _TAG_END = re.compile(r"\s*</")

    def first(self, text: str) -> tuple[str, str] | None:
        return next(self.pairs(text), None)

    def pairs(self, text: str) -> Iterator[tuple[str, str]]:
        """Every (key, value) on `text`, left to right."""
        found = [*self._assigned(text), *self._tagged(text), *self._meta(text)]
        for _, key, value in sorted(found, key=lambda item: item[0]):
            yield key, value

    def _assigned(self, text: str) -> Iterator[tuple[int, str, str]]:
        floor, pos = 0, 0  # a key starts after the previous label, as a regex search would have it
        while (found := self._ASSIGNED.search(text, pos)) is not None:
            pos = found.start() + 1
            value = self._value(text, found.end(), self._VALUE_END)
            if value is None:
                continue
            start = _key_start(text, found.start(), floor)
            if start is None:
                continue
            yield start, text[start : found.end("keyword")], text[found.end() : value[0]]
            floor = pos = value[1]

    def _tagged(self, text: str) -> Iterator[tuple[int, str, str]]:
        pos = 0
        while (found := self._TAG.search(text, pos)) is not None:
            pos = found.start() + 1
            value = self._value(text, found.end(), self._TAG_END)
            if value is not None:
                yield found.start(), found.group("tag"), text[found.end() : value[0]]
                pos = value[1]

    def _meta(self, text: str) -> Iterator[tuple[int, str, str]]:
        for found in self._META.finditer(text):
            yield found.start(), found.group("key"), found.group("value")

    def _value(self, text: str, start: int, closer: re.Pattern[str]) -> tuple[int, int] | None:
        """(end of the value, end of what closes it) for a value at `start`, or None."""
        run = self._VALUE.match(text, start)
        if run is None:
            return None
        end = start + len(run.group(0).rstrip(" "))
        closed = closer.match(text, end)
        return None if closed is None else (end, closed.end())


def _key_start(text: str, keyword: int, floor: int) -> int | None:
    """Where the key whose keyword starts at `keyword` starts: back over word characters, `.` and
    `-`, not before `floor`; a key does not start right after a word character or `-`."""
    start = keyword
    while start > floor and (text[start - 1].isalnum() or text[start - 1] in _KEY_CHARS):
        start -= 1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-"):
        dot = text.find(".", start, keyword)
        return None if dot < 0 else dot + 1
    return start


def folded(lowered: str) -> str:
    """The text the literals are looked for in: hyphens as spaces (`internal-use-only`)."""
    return lowered.replace("-", " ")


def _literals(phrases: list[str]) -> set[str]:
    """Few lower-case literals, one of which every written form of every phrase contains once
    folded: a phrase that holds a shorter phrase's literal needs none of its own; others give
    their last two words, which are rarer than any one of them."""
    found: set[str] = set()
    for phrase in sorted({p.replace("-", " ") for p in phrases if p.strip()}, key=len):
        if not any(x in phrase for x in found):
            found.add(" ".join(phrase.split()[-2:]))
    return found
