"""The fast license matcher: ScanCode's exact matching without ScanCode, and the common license
texts with small edits.

Its data comes from ScanCode's LicenseDB (CC-BY-4.0) through `benchmarks/make_license_refs.py`:
`config/license_rules.json.gz` holds every ScanCode rule and license text (37,000) as its first two
tokens, its length and a checksum of its tokens, with its license expression, kind and relevance
(600 KB; read in about 50 ms and 40 MB, against ScanCode's 3 s and 1.4 GB);
`config/license_texts.json.gz` holds the full texts of the hundred most used licenses as tokens,
read only for a license file.

Outside license files the check asks ScanCode for exact matches only, and so does this matcher:
a rule matches where its tokens occur contiguously (ScanCode's tokenizer and stop words); a match
inside a longer one, one sharing more than half its words with a longer one, and matches of
false-positive rules are dropped; matches at most 4 lines apart form one detection, and ScanCode's
false-positive heuristics for short ones apply. Because every rule is known, a text with no match
has none for ScanCode either.

A license file is also matched approximately by ScanCode. Here a text covering at least 90 % of one
of the hundred full texts (by word shingles), with at most 5 % foreign words inside the matched
stretch, is that license, scored by its coverage as ScanCode scores it. What the matcher cannot
vouch for goes to ScanCode (`scan_lines` returns None): in a license file, any word of the license
vocabulary (`licen`, `gpl`, `warranty`, ...) left outside the matches and outside copyright
statements; anywhere, a match of a kind whose grouping ScanCode decides by heuristics of its own
(intros and clues). `benchmarks/licenses.py` part (d) measures how often it agrees with ScanCode.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...resources import data_file, derived
from .matches import CLUE, INTRO, TAG, TEXT, Found, KeyInfo, Match

RULES, TEXTS = "license_rules.json.gz", "license_texts.json.gz"
LINES_THRESHOLD = 4  # ScanCode's: matches at most this many lines apart are one detection
SHINGLE = 4  # words per shingle of the approximate matcher
MIN_COVERAGE = 0.90  # of a reference text's shingles, for an approximate match
MAX_FOREIGN = 0.05  # words of the matched stretch that are not the reference's
MIN_RUN = 8  # unmatched words in a row that could hold a license text ScanCode matches approximately
FALSE_POSITIVE = "false-positive"
_WORD = re.compile(r"[^_\W]+(?:\+[^_\W]*)?")  # ScanCode's query_pattern, written without ambiguity
_KEY = re.compile(r"[a-z0-9][a-z0-9.+_-]*")
# Words that may carry a license: left over in a license file outside every match, they send the
# text to ScanCode. Entries with spaces around are whole words; the others are parts of words.
VOCABULARY = (
    "licen",
    "copyleft",
    "gnu",
    "gpl",
    "permission",
    "permitted",
    "redistribut",
    "sublicens",
    "public domain",
    "creative commons",
    " cc by",
    " cc0",
    "rail ",
    "acceptable use",
    "terms of use",
    "terms and conditions",
    "eula",
    " mit ",
    " bsd",
    " mpl",
    " epl",
    "cddl",
    "artistic",
    "warrant",
    "freely",
    "free software",
    "freeware",
    "commercial",
    "proprietary",
    "confidential",
    "patent",
    "trademark",
    "disclaim",
    "liabil",
    "merchantab",
    " as is ",
    "copying",
    "spdx",
    " wtf",
    "terms of the",
    "same terms",
)
# A copyright statement: its words are no license (unless the line also speaks of a license).
_COPYRIGHT_LINE = re.compile(r"(?i)^[\W_]{0,8}(?:copyright\b|\(c\)|©|portions\s+copyright|spdx-filecopyrighttext)")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    expression: str
    kind: str
    relevance: int
    length: int  # tokens

    def license_keys(self) -> tuple[str, ...]:
        return tuple(k for k in _KEY.findall(self.expression.lower()) if k not in ("and", "or", "with"))


class Refs:
    """The reference data, loaded once per process: rules by their first `anchor` tokens (all of
    a shorter rule's), each as [name, expression, kind, relevance, length, hash, crc32], shortest
    first; the full texts with their shingles on the first license file."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.stopwords: frozenset[str] = frozenset(raw["stopwords"])
        self.same: dict[str, str] = raw["equivalents"]
        self.spdx_starts = {
            tuple(self.same.get(w, w) for w in words)
            for words in (("spdx", "license", "identifier"), ("licenses", "nuget", "org"))
        }
        self.anchors: dict[str, str] = raw["anchors"]  # each bucket one string, split on first use
        self.anchor: int = raw["anchor"]
        self.base, self.modulus = raw["hash"]
        self._texts: list[tuple[Rule, frozenset[int]]] | None = None
        self._words: dict[str, int] = {}
        self._lock = threading.Lock()
        self._buckets: dict[str, list[tuple[int, dict[int, list[list[Any]]]]]] = {}

    def bucket(self, anchor: str) -> list[tuple[int, dict[int, list[list[Any]]]]] | None:
        """The rules of one anchor by length (shortest first), then by hash; made on first use."""
        found = self._buckets.get(anchor)
        if found is None:
            text = self.anchors.get(anchor)
            if text is None:
                return None
            lengths: dict[int, dict[int, list[list[Any]]]] = {}
            for item in text.split(";"):
                name, expression, kind, relevance, length, value, crc = item.split("|")
                entry: list[Any] = [name, expression, kind, int(relevance), int(length), int(value), int(crc)]
                lengths.setdefault(int(length), {}).setdefault(int(value), []).append(entry)
            found = self._buckets[anchor] = sorted(lengths.items())
        return found

    def texts(self) -> list[tuple[Rule, frozenset[int]]]:
        """The full texts with their shingles, each a hash of four word numbers (`shingles`)."""
        with self._lock:
            if self._texts is None:
                words, texts = derived(TEXTS, "shingles", _text_index, tuple)
                self._words = {word: number for number, word in enumerate(words)}
                self._texts = [
                    (Rule(name, expression, TEXT, 100, length), frozenset(shingles))
                    for name, expression, length, shingles in texts
                ]
            return self._texts

    def shingles(self, words: Sequence[str]) -> list[int]:
        """The shingles of `words` as `texts` has them: a word no text holds is -1 (no shingle with
        one is any text's, so all of them may share it)."""
        self.texts()
        numbers = self._words
        return _shingles([numbers.get(word, -1) for word in words])


def _text_index(raw: bytes) -> tuple[list[str], list[tuple[str, str, int, list[int]]]]:
    """The words of the full texts, numbered, and each text's (name, expression, words, shingles).
    Hashes of tuples of ints are the same in every process (strings' are salted), so this index is
    kept between runs (`resources.derived`): building it took 80 ms of every review meeting a
    license file that the exact rules do not explain."""
    numbers: dict[str, int] = {}
    texts = []
    for name, expression, text in json.loads(gzip.decompress(raw))["texts"]:
        words = [numbers.setdefault(word, len(numbers)) for word in text.split()]
        texts.append((name, expression, len(words), _shingles(words)))
    return list(numbers), texts


def _read(name: str) -> dict[str, Any]:
    with open(data_file(name), "rb") as handle:
        return json.loads(gzip.decompress(handle.read()))  # type: ignore[no-any-return]


@functools.cache
def refs() -> Refs:
    return Refs(_read(RULES))


def _shingles(tokens: Sequence[int]) -> list[int]:
    return [hash(tuple(tokens[i : i + SHINGLE])) for i in range(max(len(tokens) - SHINGLE + 1, 0))]


@dataclass(frozen=True, slots=True)
class _Token:
    word: str  # as ScanCode compares it (`licence` for `license`)
    raw: str  # as written, lower-cased: what the license vocabulary is looked for in
    line: int
    start: int  # offsets in its line
    end: int


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # token positions, end exclusive
    end: int
    rule: Rule
    score: float
    gaps: tuple[int, ...] = ()  # positions inside that an approximate match does not cover

    @property
    def length(self) -> int:
        return self.end - self.start


def tokenize(lines: Iterable[tuple[int, str]], data: Refs) -> list[_Token]:
    """ScanCode's query tokens: lower-case words (a `+` may join two), stop words left out,
    equivalent words as one (`licence` is `license`)."""
    out: list[_Token] = []
    stopwords, same = data.stopwords, data.same
    for number, text in lines:
        for found in _WORD.finditer(text.lower()):
            word = found.group(0)
            if word not in stopwords:
                out.append(_Token(same.get(word, word), word, number, found.start(), found.end()))
    return out


def scan_lines(lines: Sequence[tuple[int, str]], whole_file: bool = False) -> list[Found] | None:
    """The detections in these (line number, text) pairs of one file, as ScanCode would report
    them (approximately too for a license file, `whole_file`); None when the matcher cannot vouch
    for the text and ScanCode must read it."""
    data = refs()
    tokens = tokenize(lines, data)
    if not tokens:
        return []
    if _spdx_line(tokens, data):
        return None  # ScanCode reads these lines with an expression parser of its own
    hits = _exact(tokens, data)
    if whole_file and _first_unexplained(tokens, hits, lines) is not None:
        approximate = _approximate(tokens, data)
        if approximate is None:
            return None
        hits = _kept([h for h in hits if h.end <= approximate.start or h.start >= approximate.end] + [approximate])
        if _first_unexplained(tokens, hits, lines) is not None:
            return None
    hits = [h for h in hits if h.rule.kind != FALSE_POSITIVE]
    text_of = dict(lines)
    return [_found(group, tokens, text_of) for group in _groups(hits, tokens)]


def _spdx_line(tokens: Sequence[_Token], data: Refs) -> bool:
    """Whether a line starts (within its first three words) with `SPDX-License-Identifier` or
    `licenses.nuget.org` in any spelling ScanCode takes for them: ScanCode's SPDX-id matcher reads
    the rest of such a line as an expression. (The check's own SPDX reader takes the usual tags
    before any matcher sees them.)"""
    starts = data.spdx_starts
    line, position = -1, 0
    for i, token in enumerate(tokens):
        if token.line != line:
            line, position = token.line, 0
        else:
            position += 1
        if position <= 2 and tuple(t.word for t in tokens[i : i + 3]) in starts:
            return True
    return False


def _exact(tokens: Sequence[_Token], data: Refs) -> list[_Hit]:
    """Every rule whose tokens occur contiguously. At each word, the rules that start with it and
    the next words (up to `anchor` of them) are compared by length and by the polynomial hash of
    their tokens, which the window's prefix hashes give for any stretch in one step; a hash that
    agrees is confirmed by the crc32 of the words. The work per word is bounded by the number of
    rule lengths behind one anchor, whatever the text."""
    words = [t.word for t in tokens]
    count = len(words)
    joined = " ".join(words)
    offsets = [0] * (count + 1)  # offsets[i + n] - 1 ends the n words from i
    prefix = [0] * (count + 1)
    powers = [1] * (count + 1)
    base, modulus = data.base, data.modulus
    for i, word in enumerate(words):
        offsets[i + 1] = offsets[i] + len(word) + 1
        prefix[i + 1] = (prefix[i] * base + zlib.crc32(word.encode())) % modulus
        powers[i + 1] = powers[i] * base % modulus
    hits: list[_Hit] = []
    seen: dict[tuple[str, int], list[tuple[int, Rule]]] = {}  # repeated text: one comparison per stretch
    for i in range(count):
        for size in range(1, min(data.anchor, count - i) + 1):
            anchor = joined[offsets[i] : offsets[i + size] - 1]
            bucket = data.bucket(anchor)
            if bucket is None:
                continue
            reach = min(i + bucket[-1][0], count)
            key = (anchor, (prefix[reach] - prefix[i] * powers[reach - i]) % modulus)
            found = seen.get(key)
            if found is None:
                found = seen[key] = _compare(bucket, i, count, joined, offsets, prefix, powers, modulus)
            hits += [_Hit(i, i + length, rule, float(rule.relevance)) for length, rule in found]
    return _kept(hits)


def _compare(
    bucket: list[tuple[int, dict[int, list[list[Any]]]]],
    i: int,
    count: int,
    joined: str,
    offsets: list[int],
    prefix: list[int],
    powers: list[int],
    modulus: int,
) -> list[tuple[int, Rule]]:
    """The rules of one anchor that match from word `i`: (length, rule)."""
    out: list[tuple[int, Rule]] = []
    for length, by_hash in bucket:
        end = i + length
        if end > count:
            break  # shortest first
        entries = by_hash.get((prefix[end] - prefix[i] * powers[length]) % modulus)
        if entries is None:
            continue
        crc = zlib.crc32(joined[offsets[i] : offsets[end] - 1].encode())
        for name, expression, kind, relevance, _, _, rule_crc in entries:
            if rule_crc == crc:
                out.append((length, Rule(name, expression, kind, relevance, length)))
    return out


def _kept(hits: list[_Hit]) -> list[_Hit]:
    """Longest first: a match inside a kept one is dropped, and one that shares more than half of
    its words with kept ones too (ScanCode's containment and overlap filters). The words kept
    matches cover are marked once, so each match costs its own length."""
    if not hits:
        return []
    covered = bytearray(max(h.end for h in hits))
    kept: list[_Hit] = []
    order = sorted(hits, key=lambda h: (-h.length, -h.rule.relevance, h.rule.kind == FALSE_POSITIVE, h.rule.name))
    for hit in order:
        overlap = covered.count(1, hit.start, hit.end)
        if overlap == 0 or (overlap * 2 <= hit.length and hit.rule.kind != FALSE_POSITIVE):
            kept.append(hit)
            covered[hit.start : hit.end] = b"\1" * hit.length
    return sorted(kept, key=lambda h: h.start)


def _approximate(tokens: Sequence[_Token], data: Refs) -> _Hit | None:
    """The full text that this license file copies with small edits, if one does."""
    window = data.shingles([t.word for t in tokens])
    if not window:
        return None
    present = set(window)
    texts = data.texts()
    best, best_key = -1, (0, 0.0)
    for index, (_, shingles) in enumerate(texts):
        count = len(shingles & present)
        key = (count, count / len(shingles))  # most shared, then the text it covers best (GPL-3.0
        if count and key > best_key:  # before GPL-3.0 with its "or later" notice prepended)
            best, best_key = index, key
    if best < 0:
        return None
    best_count = best_key[0]
    found, reference = texts[best]
    coverage = best_count / len(reference)
    inside = [i for i, s in enumerate(window) if s in reference]
    start, end = inside[0], inside[-1] + SHINGLE
    covered: set[int] = set()
    for i in inside:
        covered.update(range(i, i + SHINGLE))
    foreign = (end - start - len(covered)) / (end - start)
    if coverage < MIN_COVERAGE or foreign > MAX_FOREIGN:
        return None
    gaps = tuple(i for i in range(start, end) if i not in covered)
    return _Hit(start, end, found, round(min(coverage, 1.0) * found.relevance, 2), gaps)


def _first_unexplained(tokens: Sequence[_Token], hits: Sequence[_Hit], lines: Sequence[tuple[int, str]]) -> int | None:
    """The line of the first word of the license vocabulary in a stretch of at least `MIN_RUN`
    words outside every match and copyright statement (enough for ScanCode's approximate matcher
    to match something), or None."""
    covered = bytearray(len(tokens))
    for hit in hits:
        covered[hit.start : hit.end] = b"\1" * hit.length
        for gap in hit.gaps:  # words an edited copy adds are read like any other
            covered[gap] = 0
    statements = {n for n, text in lines if _COPYRIGHT_LINE.match(text) and "licen" not in text.lower()}
    run: list[_Token] = []
    for token, done in zip([*tokens, None], [*covered, 1], strict=True):
        if token is not None and not done and token.line not in statements:
            run.append(token)
            continue
        if len(run) >= MIN_RUN:
            rest = " " + " ".join(t.raw for t in run) + " "
            first = min((at for at in (rest.find(word) for word in VOCABULARY) if at >= 0), default=-1)
            if first >= 0:
                return run[min(rest.count(" ", 0, first + 1) - 1, len(run) - 1)].line
        run = []
    return None


def unexplained_line(lines: Sequence[tuple[int, str]]) -> int | None:
    """The first line with a license word that no match explains (where a note should point)."""
    data = refs()
    tokens = tokenize(lines, data)
    return _first_unexplained(tokens, _exact(tokens, data), lines)


def _groups(hits: Sequence[_Hit], tokens: Sequence[_Token]) -> list[list[_Hit]]:
    """ScanCode's grouping: a match joins the group before it when it starts at most 4 lines after
    it ends, or when the group ends with an intro; an intro starts a group, a clue is one."""
    groups: list[list[_Hit]] = []
    current: list[_Hit] = []
    for hit in hits:
        previous = current[-1] if current else None
        if previous is None or previous.rule.kind == INTRO:
            current.append(hit)
        elif hit.rule.kind == INTRO:
            groups.append(current)
            current = [hit]
        elif hit.rule.kind == CLUE:
            groups += [current, [hit]]
            current = []
        elif tokens[hit.start].line <= tokens[previous.end - 1].line + LINES_THRESHOLD:
            current.append(hit)
        else:
            groups.append(current)
            current = [hit]
    return [g for g in (*groups, current) if g]


def _found(group: Sequence[_Hit], tokens: Sequence[_Token], text_of: dict[int, str]) -> Found:
    matches = tuple(_match(h, tokens, text_of) for h in group)
    expression = " AND ".join(dict.fromkeys(m.expression for m in matches))
    keys = tuple(KeyInfo(k, None, None, None) for k in sorted({k for h in group for k in h.rule.license_keys()}))
    return Found(expression, matches, _false_positive(group, tokens, text_of), keys)


def _match(hit: _Hit, tokens: Sequence[_Token], text_of: dict[int, str]) -> Match:
    first, last = tokens[hit.start], tokens[hit.end - 1]
    line = text_of.get(first.line, "")
    end = last.end if last.line == first.line else len(line)
    while end < len(line) and not line[end].isspace() and not line[end].isalnum():
        end += 1  # trailing punctuation, as ScanCode's matched text has it
    matched = line[first.start : end].strip()
    rule = hit.rule
    return Match(rule.expression, first.line, last.line, hit.score, rule.kind, rule.name, matched, rule.length)


def _false_positive(group: Sequence[_Hit], tokens: Sequence[_Token], text_of: dict[int, str]) -> bool:
    """ScanCode's `is_false_positive` for a group of matches: a bare low-relevance word, single-word
    GPL or tag matches, short low-relevance matches far into a file; never in a copyright statement
    or when every rule has full relevance."""
    rules = [h.rule for h in group]
    spans = [range(tokens[h.start].line, tokens[h.end - 1].line + 1) for h in group]
    texts = [" ".join(text_of.get(n, "") for n in span).lower() for span in spans]
    if all("copyright" in t or "(c)" in t for t in texts) or all(r.relevance == 100 for r in rules):
        return False
    low = all(r.relevance < 60 for r in rules)
    single = all(r.length == 1 for r in rules)
    bare = all(any(b in r.name for b in ("gpl_bare", "freeware_bare", "public-domain_bare")) for r in rules)
    if len(group) == 1 and bare and low:
        return True
    if single and (all("gpl" in r.name for r in rules) or all(r.kind == TAG for r in rules)):
        return True
    start = min(tokens[h.start].line for h in group)
    return low and start > 1000 and any(r.length <= 3 for r in rules)
