"""A file's added text read in blocks of whole lines, so memory stays flat however large it is.

The text comes as one string; what a scan makes from it (its lower-cased copy, its lines) is made
for one block of at most CHUNK characters at a time. A line longer than CHUNK is a block of its
own and is never copied whole: `lines.line_hits` reads it window by window. Rules that look at
the lines around a keyword (`near`) get the keywords of the three lines on either side of a block
too, and a private key's block is followed past the end of the block it begins in.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from ...model import AddedLines, Excerpt, Severity
from . import judge
from .lines import WINDOW, Hit, Kind, LineExcerpts, Words, candidate, line_hits
from .rules import NEAR_LINES, load_rules
from .values import patterned

CHUNK = 1 << 18
_MARGIN = 1 << 16  # how much of the text beside a block is read for the keywords of its neighbours
_KEY_LINES = 512  # a private key block longer than this (16,384-bit RSA is ~200 lines) is cut
_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:(?:RSA|EC|ECDSA|DSA|OPENSSH|ENCRYPTED|PGP|SSH2 ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----"
)
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{40}")
_SOME_BODY = re.compile(r"[A-Za-z0-9+/=]{16}")  # a body between markers on one line (fixtures cut keys short)
# the headers an encrypted PEM or an armored PGP key opens with: `Proc-Type: 4,ENCRYPTED`, `Version: GnuPG`
_ARMOR_HEADER = re.compile(r"[A-Z][A-Za-z-]{1,30}: \S")
_NONE: frozenset[str] = frozenset()


class Line(NamedTuple):
    """One line of a block: text[start:end], the `nth` added line (from 0), with its keywords (a
    named tuple: one is made for every line with a keyword, thousands a file, and a tuple is made fastest)."""

    nth: int
    start: int
    end: int
    words: Words


class Numbers:
    """The new file's number of each added line, looked up by index in the hunks' ranges."""

    def __init__(self, added: AddedLines) -> None:
        self._runs = added.runs()
        self._firsts = list(itertools.accumulate((len(run) for run in self._runs), initial=0))

    def __getitem__(self, index: int) -> int:
        if index >= self._firsts[-1]:  # text and numbers disagree: count on from the last number
            last = self._runs[-1][-1] if self._firsts[-1] else 0
            return last + 1 + index - self._firsts[-1]
        run = bisect.bisect_right(self._firsts, index) - 1
        return self._runs[run][index - self._firsts[run]]


def blocks(text: str, limit: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, index of the first line) of runs of whole lines of text[:limit], each at most
    CHUNK characters unless it is one longer line."""
    pos = index = 0
    while pos <= limit and (pos < limit or index == 0):
        end = min(limit, pos + CHUNK)
        if end < limit:
            cut = text.rfind("\n", pos, end + 1)
            if cut > pos or (cut == pos and text[pos] == "\n"):
                end = cut
            else:  # a line longer than CHUNK
                cut = text.find("\n", end, limit)
                end = limit if cut < 0 else cut
        yield pos, end, index
        index += text.count("\n", pos, end) + 1
        pos = end + 1


@lru_cache(maxsize=1)
def _near_words() -> frozenset[str]:
    """The keywords of the rules that also look at the lines around a keyword (`aws` three lines up)."""
    return frozenset(k for rule in load_rules() if rule.near for k in rule.keywords)


def lines_to_scan(text: str, start: int, end: int, first: int) -> Iterator[Line]:
    """The lines of the block text[start:end] that need a scan, with their keywords: every line
    holding a keyword and every line within NEAR_LINES of a `near` rule's keyword."""
    if end - start > CHUNK:  # one long line: its windows find their own keywords
        around = _margin(text, start, before=True) | _margin(text, end, before=False)
        yield Line(first, start, end, (frozenset({"private key"}), around))
        return
    block = text[start:end]
    lowered = block.lower()
    on_lines = candidate().by_line_at(lowered)
    near_words = _near_words()
    near = {i: frozenset(w & near_words) for i, (w, _) in on_lines.items() if not near_words.isdisjoint(w)}
    before, after = _margin(text, start, before=True), _margin(text, end, before=False)
    if before:
        near[-1] = before
    if after:
        near[block.count("\n") + 1] = after
    if not near and len(lowered) == len(block):  # most blocks: only the lines with a keyword, each
        # found from where its keyword is (lower-casing lengthens no character here: positions agree)
        for index, (words, at) in sorted(on_lines.items()):
            line_end = block.find("\n", at)
            line_start, line_end = block.rfind("\n", 0, at) + 1, len(block) if line_end < 0 else line_end
            yield Line(first + index, start + line_start, start + line_end, (frozenset(words), _NONE))
        return
    count = block.count("\n") + 1
    around_of: dict[int, frozenset[str]] = {}  # line index -> the `near` words within NEAR_LINES of it
    for hit, near_here in near.items():
        for index in range(max(0, hit - NEAR_LINES), min(count, hit + NEAR_LINES + 1)):
            around_of[index] = around_of.get(index, _NONE) | near_here
    offsets = _line_offsets(block)
    for index in sorted(around_of.keys() | on_lines.keys()):
        around = around_of.get(index, _NONE)
        line_start, line_end = offsets[index], offsets[index + 1] - 1
        on_line = frozenset(on_lines[index][0]) if index in on_lines else _NONE
        yield Line(first + index, start + line_start, start + line_end, (on_line, around))


def _line_offsets(block: str) -> list[int]:
    """Where each line of `block` starts, and one past its end plus one (line i is
    block[offsets[i]:offsets[i + 1] - 1]): made for one block at a time, never for a whole file."""
    lengths = map(operator.add, map(len, block.split("\n")), itertools.repeat(1))  # each line and its newline
    return list(itertools.accumulate(lengths, initial=0))


def _margin(text: str, at: int, before: bool) -> frozenset[str]:
    """The `near` keywords of the NEAR_LINES lines before (or after) position `at`."""
    if before:
        if at == 0:
            return _NONE
        part = text[max(0, at - _MARGIN) : at - 1]
        part = "\n".join(part.rsplit("\n", NEAR_LINES)[-NEAR_LINES:])
    else:
        if at >= len(text):
            return _NONE
        part = "\n".join(text[at + 1 : at + 1 + _MARGIN].split("\n", NEAR_LINES)[:NEAR_LINES])
    return frozenset(candidate().found(part.lower())) & _near_words()


class KeyEnds:
    """Where the next `-----END` line is, remembered across the BEGIN lines of one file: each
    BEGIN looks at most _KEY_LINES lines (and WINDOW characters) on, and the text is searched
    once in all, however many BEGIN lines it holds."""

    def __init__(self, text: str, count: int) -> None:
        self._text, self._count = text, count
        self._found: tuple[int, int, int] | None = None  # (position, line index, line end)

    def after(self, pos: int, index: int) -> tuple[int, int] | None:
        """The index and end of the first added line from `pos` (line `index`) holding `-----END`."""
        if self._found is None or self._found[0] < pos:
            at = self._text.find("-----END", pos)
            if at < 0:
                self._found = (len(self._text) + 1, self._count, len(self._text))
            else:
                cut = self._text.find("\n", at)
                line_end = len(self._text) if cut < 0 else cut
                self._found = (at, index + self._text.count("\n", pos, at), line_end)
        at, end_index, line_end = self._found
        if end_index >= self._count or at - pos > WINDOW * 2 or end_index - index > _KEY_LINES:
            return None
        return end_index, line_end


def private_key(text: str, line: Line, numbers: Numbers, count: int, ends: KeyEnds) -> tuple[Hit, int, str] | None:
    """A private key block starting on this line: the hit, the number of its last line, and its
    text (the block's value, for fingerprints).

    A BEGIN line alone (a parser, documentation) is not a key: its body must follow, on the same
    line (a JSON string with escaped newlines) or on the next added line, bare or as the next of
    adjacent string literals (`"-----BEGIN ...-----\\n"` then `"MIIE...\\n"`, or `+ 'MIIE...'`), or
    its END marker close it on the same line; a key's first characters cut short (`MIIEpAI...` in a
    comment's example) are none.
    """
    header = _PRIVATE_KEY.search(text, line.start, line.end)
    if header is None:
        return None
    rest = text[header.end() : min(line.end, header.end() + WINDOW)].replace("\\n", "\n")
    next_start = line.end + 1
    following = ""
    if line.nth + 1 < count and numbers[line.nth + 1] == numbers[line.nth] + 1:
        cut = text.find("\n", next_start, next_start + WINDOW)
        following = text[next_start : next_start + WINDOW if cut < 0 else cut]
    # a key written one string literal a line (`"MIIE...\n"`, `+ "MIIE..."`), or printed in a log whose
    # lines all begin with a prefix as wide as the BEGIN line's (`#6 0.245 MIIE...` of a build log)
    body = following.lstrip("+'\"` \t")
    column = header.start() - line.start
    logged = following[column:].lstrip("+'\"` \t") if column and following[:column].strip() else ""
    # a block closed on its line (`"...\\n-----END ...-----"` in JSON, `<br>` in HTML), with a body
    closed = rest.find("-----END")
    some = _SOME_BODY.search(rest, 0, closed) if closed > 0 else None
    first = some or _KEY_BODY.search(rest) or _KEY_BODY.match(body) or _KEY_BODY.match(logged)
    if first is None and not _ARMOR_HEADER.match(body):
        return None
    if first is not None and patterned(first.group(0)):
        return None  # `privatekeyprivatekey...` under a BEGIN line: a placeholder for readers
    if closed < 0 and _CUT_SHORT.match(rest):
        return None  # `KEY="-----BEGIN ... KEY-----MIIFDjBA..."` in a help text: the shape of a key, cut
    last, block_end = line.nth, line.end
    if "-----END" not in rest and line.nth + 1 < count:
        found = ends.after(next_start, line.nth + 1)
        if found is not None:
            last, block_end = found
    # the key alone, from its BEGIN to its END marker, is what the fingerprint and baseline key are
    # made of: a comment or an allow marker after either marker does not change them
    if last == line.nth:
        block = _through_end(text[header.start() : line.end])
    else:
        if _ELIDED.search(text, line.end, block_end):
            return None  # `MIIEow...` then a line of `...`: a key shown cut short, nothing of it leaks
        block = _through_end((header.group(0) + text[line.end : block_end]).replace("\n", ""))
    in_json = '"private_key"' in text[line.start : min(line.end, line.start + WINDOW)]
    rule = "gcp-service-account-key" if in_json else "private-key"
    title = "Google service account key" if in_json else "Private key"
    remediation = (
        "Delete the key in Google Cloud (IAM > Service accounts > Keys) and use workload identity federation."
        if in_json
        else "Treat the key as compromised: replace it (and revoke its certificate), and keep keys out of the repository."
    )
    start = header.start() - line.start
    hit = Hit(rule, title, header.group(0), Severity.ERROR, remediation, start, start + len(header.group(0)))
    return hit, numbers[last], block


# a body begun on the BEGIN line and cut short there by an ellipsis
_CUT_SHORT = re.compile(r"\s{0,8}[A-Za-z0-9+/=]{16,}(?:\.\.\.|\u2026)")
# a body line that is an ellipsis alone: documentation showing a key's shape, its middle left out
_ELIDED = re.compile(r"^[ \t#/*|'\"]*(?:\.\.\.|\u2026|\[\.\.\.\])[ \t'\",]*$", re.MULTILINE)


def _through_end(block: str) -> str:
    """`block` up to the end of its `-----END ...-----` marker, when it has one."""
    end = block.rfind("-----END")
    close = block.find("-----", end + len("-----END")) if end >= 0 else -1
    return block[: close + len("-----")] if close >= 0 else block


_ABOVE = 400  # characters before a key's BEGIN line that the judge reads for a comment about it


@dataclass(frozen=True, slots=True)
class Found:
    """A hit on an added line: its first and last line numbers, the value its fingerprint is made
    of (a key's whole block), and the line's redacted excerpt."""

    hit: Hit
    line: int
    end_line: int
    matched: str
    excerpt: Excerpt


def scan_added(kind: Kind, added: AddedLines, limit: int, allow: Sequence[re.Pattern[str]]) -> Iterator[Found]:
    """Every credential in the first `limit` characters of added lines, block by block."""
    text = added.text
    numbers, count = Numbers(added), len(added)
    ends = KeyEnds(text, count)
    for start, end, first in blocks(text, limit):
        for line in lines_to_scan(text, start, end, first):
            lineno = numbers[line.nth]
            hits = line_hits(kind, text, line.start, line.end, line.words, lineno, allow)
            key = private_key(text, line, numbers, count, ends) if "private key" in line.words[0] else None
            if key is not None:  # a service account's key too: one made for a test is a test's
                above = text[max(0, line.start - _ABOVE) : line.start]
                severity, note = judge.private_key(kind.context, text[line.start : line.end], above)
                key = (replace(key[0], severity=severity, note=note), key[1], key[2])
            if not hits and key is None:
                continue
            shown = LineExcerpts(text, line.start, line.end, [*hits, *([key[0]] if key else [])])
            for hit in hits:
                yield Found(hit, lineno, lineno, hit.secret, shown.around(hit))
            if key is not None:
                yield Found(key[0], lineno, key[1], key[2], shown.around(key[0]))
