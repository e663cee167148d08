"""The credentials on one line, found by every detector, and the line's redacted excerpt.

A line of any length is read in windows: WINDOW characters at a time, each with OVERLAP characters
of the line on either side, so a match up to OVERLAP long is seen whole by the window that owns
its start (tests/unit/test_secrets_linear.py checks that no rule matches more). Our rules and
every detect-secrets plugin run on each window, so a minified line or a data file of one line is
searched as thoroughly as a short one, in time linear in its length, and no window is copied
larger than WINDOW + 2 * OVERLAP.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from ...model import Excerpt, Severity, moved_at
from ...redaction import MAX_EXCERPT, mask, redact
from ..keywords import Keywords, find_matches, utf8_safe
from . import judge, plugins
from .context import Context
from .rules import RuleMatch, is_published, keyword_index, patterns_for, scan_text
from .values import is_placeholder

WINDOW = 1 << 16
OVERLAP = 1 << 14
_AROUND = 300  # characters on either side of a line that the judge may read (the lines next to it)
_TOKEN_CHARS = "_-+/=."

Words = tuple[frozenset[str], frozenset[str]]  # the keywords on a line, and those of `near` rules around it


@dataclass(frozen=True, slots=True)
class Hit:
    """A credential at [start, end) of its line; `end` can reach past the secret itself to the end
    of the value it begins (masked whole in the excerpt)."""

    rule: str
    title: str
    secret: str
    severity: Severity
    remediation: str
    start: int
    end: int
    note: str = ""  # why it is a warning, when it is one


@dataclass(frozen=True, slots=True)
class Kind:
    """What the detectors need to know of a file, worked out once per file (`context.of`)."""

    path: str
    context: Context


@lru_cache(maxsize=1)
def candidate() -> Keywords:
    """Any keyword of our rules or of a detect-secrets plugin: the one test most text fails."""
    return keyword_index()


def line_hits(
    kind: Kind, text: str, begin: int, end: int, words: Words, lineno: int, allow: Sequence[re.Pattern[str]]
) -> list[Hit]:
    """Every credential on the line text[begin:end], positions relative to `begin`, ours first;
    a hit inside another's span with the same value in it is dropped. `words` are the keywords of
    the line when it is short (one window), else each window finds its own."""
    found: list[tuple[int, Hit]] = []  # (detector rank, hit)
    if end - begin <= WINDOW:
        line = text[begin:end] if begin or end != len(text) else text
        if words[0].isdisjoint(plugins.KEYWORDS) and not any(p.search(line) for p in patterns_for(*words)):
            return []  # no rule matches and no plugin looks: most lines with a keyword
        around = text[max(0, begin - _AROUND) : end + _AROUND]  # the lines next to it, for the judge
        _window(kind, line, 0, 0, len(line), words, lineno, found, around)
    else:  # the line's keywords, as a short line has them: `twilio` far before its key counts
        on_line = frozenset().union(
            *(candidate().found(text[at : min(end, at + WINDOW + 64)].lower()) for at in range(begin, end, WINDOW))
        )
        for own in range(begin, end, WINDOW) if on_line else ():
            low = max(begin, own - OVERLAP)
            window = text[low : min(end, own + WINDOW + OVERLAP)]
            shift = low - begin
            mine = (own - low, own - low + WINDOW)
            _window(kind, window, shift, *mine, (on_line, on_line | words[1]), lineno, found)
    if not found:
        return []
    hits = _distinct(found) if len(found) > 1 else [found[0][1]]
    return [h for h in hits if not is_placeholder(h.secret) and not any(p.search(h.secret) for p in allow)]


def _window(
    kind: Kind,
    window: str,
    shift: int,
    own_start: int,
    own_end: int,
    words: Words,
    lineno: int,
    found: list[tuple[int, Hit]],
    around: str = "",
) -> None:
    """The hits of one window whose start it owns, shifted to line positions; `around`: the text
    about the line (the window itself when empty)."""
    context = kind.context
    for rank, match in enumerate(
        scan_text(window, generic=context.generic, code=context.code, words=words, path=kind.path)
    ):
        if own_start <= match.start < own_end:
            hit = _rule_hit(context, window, match, shift, around or window)
            if hit is not None:
                found.append((rank, hit))
    if words[0].isdisjoint(plugins.KEYWORDS):
        return
    for found_secret in plugins.scan_line(kind.path, window, words[0], lineno):
        start = window.find(found_secret.secret, own_start)
        if start < 0 or start >= own_end:
            continue
        secret = _whole_token(window, start, found_secret.secret)
        found.append(
            (
                1 << 30,
                Hit(
                    found_secret.rule,
                    found_secret.title,
                    secret,
                    found_secret.severity,
                    found_secret.remediation,
                    shift + start,
                    shift + start + len(secret),
                ),
            )
        )


def _rule_hit(context: Context, window: str, match: RuleMatch, shift: int, around: str) -> Hit | None:
    """The hit of a rule's match, with the severity its format check and `judge` give it (None:
    the judge says it is no finding)."""
    rule = match.rule
    if is_published(match.secret.strip("\"'`")):
        return None  # an emulator's development key: the same in every installation, published
    if _in_data_uri(window, match.start):
        return None  # `data:image/jpeg;base64,/9j/...EAAQ...`: bytes of an embedded image
    public = rule.public
    checked = Severity.ERROR if rule.is_well_formed(match.secret) and not public else Severity.WARNING
    judged = judge.severity(context, rule.id, window, match.start, match.secret, checked, around, rule.contextual)
    if judged is None:
        return None
    severity, note = judged
    if public and severity is Severity.WARNING:
        note = rule.why or judge.PUBLIC
    start, end = shift + match.start, shift + match.end
    return Hit(rule.id, rule.title, match.secret, severity, rule.remediation, start, end, note)


_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=]*")  # as many as follow, none too


def _in_data_uri(window: str, start: int) -> bool:
    """Whether `start` lies in the payload of a base64 data URI of the window (an image inlined in
    an SVG, a page or a style sheet): a token format matched there is made of the file's bytes."""
    marker = window.rfind(";base64,", 0, start)
    if marker < 0 or "data:" not in window[max(0, marker - 120) : marker]:
        return False
    run = _BASE64_CHARS.match(window, marker + len(";base64,"))
    return run is not None and run.end() >= start


def _whole_token(text: str, start: int, found: str) -> str:
    """`found` widened to the token it begins: some detect-secrets plugins yield only a regex
    group (a prefix), which must not become the masked span (the rest would leak)."""
    end = start + len(found)
    limit = min(len(text), end + OVERLAP)
    while end < limit and (text[end].isalnum() or text[end] in _TOKEN_CHARS):
        end += 1
    return text[start:end]


def _distinct(found: list[tuple[int, Hit]]) -> list[Hit]:
    """One hit per value, and no hit inside another's span whose values contain one another (two
    detectors on one token): the earlier rule, then ours over detect-secrets', is kept. One sweep
    in order of position: a span inside any earlier one is inside the one reaching furthest."""
    found.sort(key=lambda item: (item[1].start, -item[1].end, item[0]))
    kept: dict[int, tuple[int, Hit]] = {}
    values: set[tuple[str, str]] = set()
    reach: int | None = None  # the kept hit reaching furthest
    for n, (rank, hit) in enumerate(found):
        if (hit.rule, hit.secret) in values:
            continue
        if reach is not None:
            reach_rank, reaching = kept[reach]
            if hit.end <= reaching.end and (hit.secret in reaching.secret or reaching.secret in hit.secret):
                if rank >= reach_rank:
                    continue
                del kept[reach]
                reach = None
        kept[n] = (rank, hit)
        values.add((hit.rule, hit.secret))
        if reach is None or hit.end > kept[reach][1].end:
            reach = n
    return sorted((hit for _, hit in kept.values()), key=lambda h: h.start)


def excerpt(text: str, begin: int, end: int, hits: Sequence[Hit]) -> str:
    """The line text[begin:end] with every hit's span masked; a long line shown around its first hit."""
    return LineExcerpts(text, begin, end, hits).around(hits[0] if hits else None).text


class LineExcerpts:
    """The excerpts of one line's hits: the line with every hit's span masked, the whole line when
    it is short, else a window of MAX_EXCERPT characters around each hit (so each hit of a minified
    line shows its own surroundings). Overlapping spans are masked as one, a cut never falls inside
    a span, and spans are masked before any value-wise redaction, so no part of a secret shows past
    its first four characters. The spans are merged once per line; each window reads only the
    spans inside it."""

    def __init__(self, text: str, begin: int, end: int, hits: Sequence[Hit]) -> None:
        self.text, self.begin, self.length = text, begin, end - begin
        spans: list[list[int]] = []
        for start, stop in sorted((h.start, h.end) for h in hits):
            if spans and start < spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], stop)
            else:
                spans.append([start, stop])
        self.spans = spans
        self.starts = [span[0] for span in spans]
        self.values = sorted({h.secret for h in hits if h.secret}, key=len, reverse=True)
        self._automaton: ahocorasick_rs.AhoCorasick | None = None

    def around(self, hit: Hit | None) -> Excerpt:
        """`hit`'s excerpt (None: the line's first hit's), with where the hit is in it."""
        focus, stop = (
            (hit.start, hit.end) if hit is not None else (self.starts[0], self.starts[0]) if self.spans else (0, 0)
        )
        low, high = 0, self.length
        if self.length > MAX_EXCERPT:
            width = MAX_EXCERPT - 2
            low = max(0, focus - (width - min(stop - focus, width)) // 2)
            high = min(self.length, low + width)
            low = max(0, high - width)
        pieces: list[str] = []
        at = low
        shown_at: int | None = None
        first = max(0, bisect.bisect_right(self.starts, low) - 1)
        for start, stop_ in self.spans[first:]:
            if stop_ <= at:
                continue
            if start >= high:
                break
            if start > at:
                pieces.append(self.text[self.begin + at : self.begin + start])
            if shown_at is None and start <= focus < stop_:
                shown_at = sum(map(len, pieces))
            pieces.append(mask(self.text[self.begin + start : self.begin + stop_]))
            at = stop_
        if shown_at is None:  # the focus is no span of this window (no hit): where it falls
            shown_at = sum(map(len, pieces)) + max(0, focus - at)
        pieces.append(self.text[self.begin + at : self.begin + max(at, high)])
        lead, trail = ("…" if low > 0 else ""), ("…" if high < self.length else "")
        raw = lead + "".join(pieces) + trail
        shown = self._values_masked(raw)
        where = moved_at(raw, len(lead) + shown_at, shown, self._values_masked)
        return Excerpt(shown, where or 0, focus + 1, stop + 1)

    def _values_masked(self, shown: str) -> str:
        """Every copy of a hit's value in `shown` masked too (the same token twice on a line is one
        hit); many values are looked for in one pass of an automaton built once per line."""
        if len(self.values) <= 8:
            return redact(shown, [value for value in self.values if value in shown])
        if self._automaton is None:
            self._automaton = ahocorasick_rs.AhoCorasick(
                [utf8_safe(v) for v in self.values], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
        out: list[str] = []
        at = 0
        for index, begin, finish in find_matches(self._automaton, shown):
            out += (shown[at:begin], mask(self.values[index]))
            at = finish
        return "".join(out) + shown[at:]
