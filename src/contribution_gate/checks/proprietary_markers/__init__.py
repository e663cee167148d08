"""The `proprietary-markers` check: added text that marks content as proprietary or restricted.

Confidentiality labels, data-classification labels, the Traffic Light Protocol's amber and red
levels (all listed in `config/markers.toml`), the organisations' own proprietary copyright notices
(`[proprietary-markers] organizations`), and the policy's own `markers`.

Precision first: a default phrase counts only in a marker position (`marker_positions`) and, for
the common words, only where it stands as a label, never as a word of a sentence or of code. The
policy's own markers count anywhere on a line: they are the organisation's names for its secrets.

Speed: one Aho-Corasick pass of literals over the file's lower-cased added text rejects most files
and finds the lines to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ...model import NO_SETUP, AddedLine, FileChange, Finding, Setup, Severity, file_finding
from ...redaction import window
from ..textkinds import Blocks, Kind, kind_of, lowered_text, policy_lines
from .positions import Segment, front_matter, is_whole, leading_lines, segments, stands_as_label
from .rules import HEADER, LABEL, STRONG, Rules, custom_marker, folded, load_data, norm

ID = "proprietary-markers"
_COPYRIGHT_REACH = 2  # "All rights reserved" may follow on the next lines
_LICENSE_REACH = 4
_WHERE = {
    "comment": "a comment",
    "trailing": "a comment",
    "block": "a comment block",
    "heading": "a heading",
    "front": "the front matter",
    "line": "a line of its own",
    "value": "the file's header",
    "cell": "the table's title row",
    "label": "a label",
    "text": "the text",
}
_REMEDIATION = {
    "marker": (
        "Content marked like this must not be published: leave it out of the contribution. If the content "
        "may be published (ask its owner), remove the stale marker."
    ),
    "proprietary-copyright": (
        "Code under the organisation's proprietary notice needs approval to be released: get it, replace the "
        "notice with the project's license header, or leave the file out."
    ),
}


@dataclass(frozen=True)
class Options:
    """`organizations`: whose copyright notices with "All rights reserved" are proprietary here.
    `markers`: the organisation's own phrases (`/regex/` for a regular expression)."""

    organizations: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    rules: Rules = field(default_factory=lambda: Rules(load_data(), (), ()), compare=False, repr=False)


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    organizations = tuple(o.strip() for o in table.get("organizations", ()) if o.strip())
    markers = tuple(m for m in table.get("markers", ()) if m.strip())
    return Options(organizations, markers, Rules(load_data(), organizations, markers))


validate_marker = custom_marker


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: str
    phrase: str
    where: str


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Findings for the added lines of one file: one per rule and line, naming the phrases."""
    if change.is_binary or change.is_submodule or not change.added:
        return
    added = change.added
    lowered = lowered_text(change)
    joined = folded(lowered)
    rules = opts.rules
    candidates = rules.keywords.lines(joined)  # one Aho-Corasick pass over the file
    for pattern in rules.regex_markers:
        candidates |= _lines_matching(pattern, lowered)
    if not candidates:
        return
    kind = kind_of(change.path)
    front = front_matter(added) if kind.is_document or kind.ext in ("html", "htm") else range(0)
    blocks = Blocks(added, kind)
    policy = policy_lines(change.path, added)
    leading = cache(lambda: leading_lines(added, kind, blocks))
    for index in sorted(candidates):
        if policy(index):
            continue  # the policy names the markers it looks for
        by_rule: dict[str, list[_Hit]] = {}
        for hit in _line_hits(rules, added, index, kind, front, blocks, leading):
            by_rule.setdefault(hit.rule, []).append(hit)
        for rule, hits in by_rule.items():
            yield _finding(change, added[index], rule, hits)


def _lines_matching(pattern: re.Pattern[str], joined: str) -> set[int]:
    found: set[int] = set()
    line, counted = 0, 0
    for match in pattern.finditer(joined):
        line += joined.count("\n", counted, match.start())
        counted = match.start()
        found.add(line)
    return found


def _line_hits(
    rules: Rules,
    lines: Sequence[AddedLine],
    index: int,
    kind: Kind,
    front: range,
    blocks: Blocks,
    leading: Callable[[], int],
) -> Iterator[_Hit]:
    text = lines[index].text
    for _marker, pattern in rules.custom:
        found = pattern.search(text)
        if found is not None:
            yield _Hit("custom-marker", found.group(0), "text")
    notice = _copyright(rules, lines, index)
    if notice:
        yield _Hit("proprietary-copyright", notice, "text")
    if not rules.may_mark(text):
        return  # no phrase, level or declaration on the line: no position needs working out
    parts = list(segments(lines, index, kind, front, blocks, leading()))
    if kind.is_document:  # a label, not a sentence or a table row about labels
        labelled = [text] if index in front else [s.text for s in parts if s.where in ("comment", "line")]
    else:
        labelled = [text] if not kind.is_code else [s.text for s in parts if s.where in ("comment", "block")]
    value = ""
    for part in labelled:
        label = rules.classification_label(part)
        if label is not None:
            yield _Hit("classification-label", f"{label[0]}: {label[1]}", "label")
            value = norm(label[1])
            break
    for segment in parts:
        yield from (h for h in _segment_hits(rules, segment) if norm(h.phrase) != value)


def _segment_hits(rules: Rules, segment: Segment) -> Iterator[_Hit]:
    text = segment.text
    if not text:
        return
    tlp = rules.tlp.search(text)
    if tlp is not None and (segment.where != "line" or stands_as_label(text, *tlp.span())):
        yield _Hit("tlp-marking", tlp.group(0), segment.where)  # a document's prose may explain the levels
    if rules.declaration is not None and segment.where != "trailing":
        declared = rules.declaration.search(text)
        if declared is not None:
            yield _Hit("confidentiality-label", declared.group(0), segment.where)
            return
    matches = list(rules.phrases.finditer(text))
    if not matches:
        return
    whole = is_whole(text, [m.span() for m in matches], rules.org_names)
    strengths = [rules.strength(m.group(0)) for m in matches]
    not_header = sum(strength != HEADER for strength in strengths)  # counted once: a line may hold thousands
    for found, strength in zip(matches, strengths, strict=True):
        others = _Others(len(matches) - 1, not_header - (strength != HEADER))
        if _accepts(rules, segment, found, whole, others):
            yield _Hit("confidentiality-label", found.group(0), segment.where)


@dataclass(frozen=True, slots=True)
class _Others:
    """The other phrases in the same segment: how many, and how many are not `header` phrases."""

    count: int
    not_header: int


def _accepts(rules: Rules, segment: Segment, found: re.Match[str], whole: bool, others: _Others) -> bool:
    """Whether a phrase found in a marker position marks the content (see the module's note)."""
    phrase = found.group(0)
    text = segment.text
    if segment.where not in ("value", "cell") and _quoted(text, *found.span()):
        return False  # a mention, as in: files marked "Confidential" are skipped
    strength = rules.strength(phrase)
    several = others.count > 0
    label = whole or stands_as_label(segment.text, found.start(), found.end())
    where = segment.where
    if strength == STRONG:
        return label if where == "line" else not _said_of_other_things(text, found.start(), found.end())
    if where == "trailing" or not label:
        return False
    if where in ("value", "cell") and not (
        phrase.isupper() or phrase[:1].isupper() and (several or norm(phrase) != "restricted")
    ):
        return False  # `"access": "restricted"` is a setting, `"notice": "Confidential"` a label
    if phrase.islower() and not (segment.header or several or where in ("heading", "front")):
        return False  # "... is\n# restricted." ends a wrapped sentence; a word list has "confidential"
    if where == "comment" and not segment.header and not phrase.isupper() and _listed(text, found.start()):
        return False  # an item of a list in a comment mid-file: an option (`- Confidential`, an OAuth client type)
    if strength == LABEL:
        # "Proprietary" or "Restricted" alone in title case on a comment mid-file (`# Proprietary`
        # over a list of connector types) names a kind of what follows; as a marking it stands in the
        # file's notice, in capitals, or with another marker ("Confidential" alone stays one)
        heads_code = whole and where == "comment" and not segment.header and not several
        return not (heads_code and not phrase.isupper() and norm(phrase) in _KINDS_OF_THINGS)
    assert strength == HEADER  # mid-file, in capitals or not, these usually note a private API
    return segment.header or where in ("heading", "front", "cell", "value", "line") or others.not_header > 0


_KINDS_OF_THINGS = frozenset(["proprietary", "restricted"])
_WORD = re.compile(r"[A-Za-z']+")
# before a phrase, words that say what it describes is this content: "it is", "contains"
_PREDICATES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "remain",
        "remains",
        "contains",
        "contain",
        "containing",
        "includes",
        "include",
    ]
)


def _said_of_other_things(text: str, start: int, end: int) -> bool:
    """A strong phrase of adjectives inside a sentence, before the noun it describes, after words not saying
    this content is so: advice about other data, no marking (Rails generates the comment `# which shouldn't
    be used to store highly confidential information`). A phrase opening the comment, or after "is" or
    "contains", marks."""
    if not norm(text[start:end]).endswith(("confidential", "proprietary")):
        return False  # "under NDA", "not for distribution" describe no noun after them
    before = _WORD.findall(text[:start])
    after = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return (
        len(before) >= 2
        and before[-1].islower()
        and before[-1] not in _PREDICATES
        and after is not None
        and after.group(0).islower()
    )


_BULLET = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+")


def _listed(text: str, start: int) -> bool:
    """Whether the phrase at `start` is the first thing of a list item (`- Confidential`)."""
    bullet = _BULLET.match(text)
    return bullet is not None and bullet.end() == start


_QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}


def _quoted(text: str, start: int, end: int) -> bool:
    opening = text[start - 1 : start]
    return opening in _QUOTES and text[end : end + 1] == _QUOTES[opening]


def _copyright(rules: Rules, lines: Sequence[AddedLine], index: int) -> str:
    """`Copyright (c) 2024 Acme Corp. All rights reserved.` of a configured organisation, unless the
    notice goes on to name an open-source license."""
    if rules.copyright is None:
        return ""
    text = lines[index].text
    found = rules.copyright.search(text)
    if found is None:
        return ""
    following = [
        lines[i].text
        for i in range(index + 1, min(len(lines), index + 1 + _LICENSE_REACH))
        if lines[i].lineno == lines[index].lineno + (i - index)
    ]
    near = " ".join([text[found.end() :], *following[:_COPYRIGHT_REACH]]).lower()
    reserved = next((r for r in rules.data.reserved if re.search(rf"\b{re.escape(r)}\b", near)), None)
    if reserved is None:
        return ""
    notice = " ".join([text, *following]).lower()
    if any(name in notice for name in rules.data.open_licenses):
        return ""
    return f"{found.group(0).strip()} ... {reserved}"


def _finding(change: FileChange, line: AddedLine, rule: str, hits: list[_Hit]) -> Finding:
    phrases = list(dict.fromkeys(h.phrase for h in hits))
    quoted = ", ".join(f"'{p}'" for p in phrases)
    where = _WHERE.get(hits[0].where, "the text")
    if rule == "proprietary-copyright":
        message = f"Proprietary copyright notice ({quoted}) added to {change.path}"
    elif rule == "classification-label":
        message = f"Data classification label {quoted} added to {change.path}"
    elif rule == "tlp-marking":
        message = f"Traffic Light Protocol marking {quoted} in {where} added to {change.path}"
    elif rule == "custom-marker":
        message = f"Marker {quoted} (from [proprietary-markers] markers) added to {change.path}"
    else:
        message = f"Confidentiality marker {quoted} in {where} added to {change.path}"
    fix = _REMEDIATION.get(rule, _REMEDIATION["marker"])
    at = max(0, line.text.find(phrases[0]))
    shown = window(line.text, at, at + len(phrases[0]))
    return file_finding(ID, rule, Severity.ERROR, change, line.lineno, message, fix, norm(phrases[0]), shown)
