"""A structural test for regular expressions that must run in linear time on Python's backtracking
engine (`re`): no two quantifiers that can hand the same characters to each other.

Backtracking blows up when the engine has several ways to split one stretch of text between two
repeats: `(?:[A-Z]?[a-z]+)+` (nested: each pass of the outer repeat can take any share of a run of
letters, 2^n ways), `\\s{0,8}\\s\\s{0,8}` (adjacent: n^2 ways), `(?:\\w|\\d)+` (alternatives
overlapping under a repeat). This module reads a pattern with the standard library's own parser and
reports every such place; it errs on the safe side (lookarounds are not used to rule out overlaps).

`problems(pattern)` lists them; `unbounded(pattern)` lists the repeats with no upper bound, which a
pattern searched at every position of a line must not have where the search can start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

C = sre_constants
MAXREPEAT = C.MAXREPEAT
# every ASCII character and a few that Unicode classes or case folding treat specially
PROBES = frozenset([chr(i) for i in range(128)] + list("é߀İıſ\u00a0\u2028\u212a٣…"))
_CATEGORIES = {
    C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w",
    C.CATEGORY_NOT_WORD: r"\W",
}


@cache
def _category(code: object) -> frozenset[str]:
    pattern = re.compile(_CATEGORIES[code])
    return frozenset(c for c in PROBES if pattern.fullmatch(c))


def _folded(chars: frozenset[str], ignorecase: bool) -> frozenset[str]:
    if not ignorecase:
        return chars
    return frozenset(c for c in PROBES if c in chars or c.lower() in chars or c.upper() in chars)


@dataclass(frozen=True)
class Atom:
    chars: frozenset[str]


@dataclass(frozen=True)
class Repeat:
    low: int
    high: int
    body: tuple[Element, ...]


@dataclass(frozen=True)
class Branch:
    alternatives: tuple[tuple[Element, ...], ...]


Element = Atom | Repeat | Branch


@dataclass(frozen=True)
class Info:
    first: frozenset[str]
    last: frozenset[str]
    nullable: bool
    variable: bool  # from one place, can end at two (`a{0,3}`, `(?:ab|abc)`; not `(?:ab|cd)`)


def _elements(
    parsed: Sequence[tuple[object, object]], ignorecase: bool, side: list[tuple[Element, ...]]
) -> tuple[Element, ...]:
    """The pattern as a flat sequence: groups spliced in, zero-width items dropped (lookarounds go
    to `side`, to be checked on their own)."""
    out: list[Element] = []
    for op, av in parsed:
        if op is C.LITERAL:
            out.append(Atom(_folded(frozenset([chr(av)]), ignorecase)))  # type: ignore[call-overload]
        elif op is C.NOT_LITERAL:
            out.append(Atom(PROBES - _folded(frozenset([chr(av)]), ignorecase)))  # type: ignore[call-overload]
        elif op is C.ANY:
            out.append(Atom(PROBES - {"\n"}))
        elif op is C.IN:
            out.append(Atom(_folded(_in(av), ignorecase)))  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            low, high, sub = av  # type: ignore[misc]
            out.append(Repeat(low, high, _elements(sub, ignorecase, side)))
        elif op is C.SUBPATTERN:
            _, add, remove, sub = av  # type: ignore[misc]
            flag = (ignorecase or bool(add & re.IGNORECASE)) and not (remove & re.IGNORECASE)
            out.extend(_elements(sub, flag, side))
        elif op is C.BRANCH:
            _, alternatives = av  # type: ignore[misc]
            out.append(Branch(tuple(_elements(alt, ignorecase, side) for alt in alternatives)))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _, sub = av  # type: ignore[misc]
            side.append(_elements(sub, ignorecase, side))
        elif op is C.AT:
            continue
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.extend(_elements(av, ignorecase, side))  # type: ignore[arg-type]
        else:
            raise ValueError(f"cannot judge {op} in a pattern")
    return tuple(out)


def _in(items: Sequence[tuple[object, object]]) -> frozenset[str]:
    chars: set[str] = set()
    negate = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            chars.add(chr(av))  # type: ignore[call-overload]
        elif op is C.RANGE:
            low, high = av  # type: ignore[misc]
            chars.update(c for c in PROBES if low <= ord(c) <= high)
        elif op is C.CATEGORY:
            chars.update(_category(av))
        else:
            raise ValueError(f"cannot judge {op} in a character class")
    return PROBES - chars if negate else frozenset(chars)


def info(element: Element) -> Info:
    if isinstance(element, Atom):
        return Info(element.chars, element.chars, False, False)
    if isinstance(element, Repeat):
        body = sequence_info(element.body)
        return Info(body.first, body.last, element.low == 0 or body.nullable, _variable((element,)))
    parts = [sequence_info(alt) for alt in element.alternatives]
    return Info(
        frozenset().union(*(p.first for p in parts)),
        frozenset().union(*(p.last for p in parts)),
        any(p.nullable for p in parts),
        _variable((element,)),
    )


_Expansion = tuple[frozenset[str], ...]


def _expand(elements: Sequence[Element], limit: int = 64) -> list[_Expansion] | None:
    """Every fixed sequence of character sets `elements` can stand for, or None when there are
    more than `limit` (or a repeat without bound)."""
    found: list[_Expansion] = [()]
    for element in elements:
        if isinstance(element, Atom):
            options: list[_Expansion] | None = [(element.chars,)]
        elif isinstance(element, Repeat):
            body = _expand(element.body, limit)
            if body is None or element.high > 8:
                return None
            options = []
            for count in range(element.low, element.high + 1):
                runs: list[_Expansion] = [()]
                for _ in range(count):
                    runs = [r + b for r in runs for b in body]
                    if len(runs) > limit:
                        return None
                options.extend(runs)
        else:
            options = []
            for alternative in element.alternatives:
                expanded = _expand(alternative, limit)
                if expanded is None:
                    return None
                options.extend(expanded)
        found = [f + o for f in found for o in options]
        if len(found) > limit:
            return None
    return found


def _variable(elements: Sequence[Element]) -> bool:
    """Whether the same text can be matched by `elements` up to two different places: one of its
    fixed forms is a proper prefix of another on some text."""
    expanded = _expand(elements)
    if expanded is None:
        return _length(elements) is None
    for short in expanded:
        for long in expanded:
            if len(short) < len(long) and all(a & b for a, b in zip(short, long, strict=False)):
                return True
    return False


def _length(elements: Sequence[Element]) -> int | None:
    """The fixed length of a sequence, or None when it varies."""
    total = 0
    for element in elements:
        if isinstance(element, Atom):
            total += 1
        elif isinstance(element, Repeat):
            inner = _length(element.body)
            if inner is None or element.low != element.high:
                return None
            total += inner * element.low
        else:
            lengths = {_length(alt) for alt in element.alternatives}
            if len(lengths) != 1 or None in lengths:
                return None
            total += lengths.pop() or 0
    return total


def sequence_info(elements: Sequence[Element]) -> Info:
    infos = [info(e) for e in elements]
    first: set[str] = set()
    for part in infos:
        first |= part.first
        if not part.nullable:
            break
    last: set[str] = set()
    for part in reversed(infos):
        last |= part.last
        if not part.nullable:
            break
    return Info(frozenset(first), frozenset(last), all(p.nullable for p in infos), _variable(elements))


def _sequence_problems(elements: Sequence[Element], where: str) -> Iterator[str]:
    """Adjacent repeats that can share characters: for each element that can vary in length, walk
    on past what it could give up characters to, and report any varying element met on the way
    whose first characters it can also match."""
    infos = [info(e) for e in elements]
    for i, element in enumerate(elements):
        if not infos[i].variable:
            continue
        shared = infos[i].last
        for j in range(i + 1, len(elements)):
            later = infos[j]
            overlap = later.first & shared
            if later.variable and overlap:
                yield f"{where}: {_show(element)} and {_show(elements[j])} can split {_sample(overlap)!r} between them"
                break
            if not overlap and not later.nullable:
                break  # a character `element` cannot end with: a fixed boundary


def _element_problems(element: Element, where: str) -> Iterator[str]:
    if isinstance(element, Repeat):
        yield from _all_problems(element.body, where)
        if element.high > 1:
            body = sequence_info(element.body)
            if body.nullable:
                yield f"{where}: {_show(element)} repeats something that can be empty"
            elif body.variable:
                # one pass ends where the next begins: the body followed by itself
                yield from (
                    f"{where}: nested repeat {_show(element)}: {p.split(': ', 1)[1]}"
                    for p in _sequence_problems((*element.body, *element.body), where)
                )
            yield from _overlapping_alternatives(element.body, where, element)
    elif isinstance(element, Branch):
        for alternative in element.alternatives:
            yield from _all_problems(alternative, where)


def _overlapping_alternatives(body: Sequence[Element], where: str, repeat: Repeat) -> Iterator[str]:
    for element in body:
        if isinstance(element, Branch):
            firsts = [sequence_info(alt).first for alt in element.alternatives]
            for a in range(len(firsts)):
                for b in range(a + 1, len(firsts)):
                    if firsts[a] & firsts[b]:
                        yield f"{where}: alternatives under {_show(repeat)} both start with {_sample(firsts[a] & firsts[b])!r}"


def _all_problems(elements: Sequence[Element], where: str) -> Iterator[str]:
    yield from _sequence_problems(elements, where)
    for element in elements:
        yield from _element_problems(element, where)


def _parse(pattern: str | re.Pattern[str]) -> tuple[tuple[Element, ...], list[tuple[Element, ...]]]:
    text = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    parsed = sre_parse.parse(text, flags)
    side: list[tuple[Element, ...]] = []
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    return _elements(parsed, ignorecase, side), side


def problems(pattern: str | re.Pattern[str]) -> list[str]:
    """Every place where two repeats of `pattern` can trade characters (empty when none)."""
    elements, side = _parse(pattern)
    found = list(_all_problems(elements, "pattern"))
    for n, assertion in enumerate(side):
        found.extend(_all_problems(assertion, f"lookaround {n}"))
    return found


def unbounded(pattern: str | re.Pattern[str]) -> list[str]:
    """The repeats of `pattern` without an upper bound."""
    elements, side = _parse(pattern)
    return [_show(r) for r in _repeats([*elements, *(e for s in side for e in s)]) if r.high == MAXREPEAT]


def longest(pattern: str | re.Pattern[str]) -> int:
    """The most characters a match can span (the parser's own width count)."""
    text = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    return int(sre_parse.parse(text).getwidth()[1])


def _repeats(elements: Sequence[Element]) -> Iterator[Repeat]:
    for element in elements:
        if isinstance(element, Repeat):
            yield element
            yield from _repeats(element.body)
        elif isinstance(element, Branch):
            for alternative in element.alternatives:
                yield from _repeats(alternative)


def _sample(chars: frozenset[str]) -> str:
    return "".join(sorted(c for c in chars if c.isprintable())[:12])


def _show(element: Element) -> str:
    if isinstance(element, Atom):
        return f"[{_sample(element.chars)}]"
    if isinstance(element, Repeat):
        high = "" if element.high == MAXREPEAT else element.high
        inner = "".join(_show(e) for e in element.body)
        return f"({inner}){{{element.low},{high}}}"
    return "(" + "|".join("".join(_show(e) for e in alt) for alt in element.alternatives) + ")"
