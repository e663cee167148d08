"""The policy decides which findings count: severity, inline allow markers, baseline, allow-paths.

It never reads git: everything it needs is on the finding. A marker is parsed strictly, because a
lenient parser is an evasion: `contribution-gate: allow[]` or an unclosed `allow[internal-urls`
once allowed every check. Now a marker covers the line it is on and the checks it names, and one
that cannot be read allows nothing (the finding says so).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .baseline import Baseline
from .config import CHECK_IDS
from .model import Finding, Severity

# detect-secrets', gitleaks' and TruffleHog's markers allow secrets; ours names checks, or all of them.
_FOREIGN_MARKERS = re.compile(r"pragma:[ \t]*allowlist[ -]secret|gitleaks:allow|trufflehog:ignore", re.IGNORECASE)
_OWN_PREFIX = "contribution-gate:"
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")
_NAME = re.compile(r"[a-z0-9_-]{1,30}")  # a misspelt check name is shown; anything else is not
_LIST_WINDOW = 200  # `[secrets, internal-urls, ...]` is far shorter
ALL = "*"


class Outcome(str, enum.Enum):
    FAIL = "fail"
    WARN = "warn"
    SUPPRESSED = "suppressed"

    @property
    def rank(self) -> int:
        """0 for the outcome that matters most: of several copies of a finding, the worst is kept."""
        return {"fail": 0, "warn": 1, "suppressed": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Judged:
    finding: Finding
    outcome: Outcome
    reason: str = ""  # why it was suppressed: "inline marker", "baseline"


@dataclass(frozen=True, slots=True)
class Markers:
    """What the inline markers of one line allow, and why any of them allows nothing."""

    allowed: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()

    def __or__(self, other: Markers) -> Markers:
        return Markers(self.allowed | other.allowed, tuple(dict.fromkeys(self.problems + other.problems)))


def markers(line: str) -> Markers:
    """The checks the inline markers on `line` allow ("*" for all of them), parsed without a
    backtracking pattern: `contribution-gate: allow` alone, or `allow[check, ...]` with a closing
    bracket and known check names. An empty, unclosed or misspelt list allows nothing."""
    allowed: set[str] = set()
    problems: list[str] = []
    if _FOREIGN_MARKERS.search(line):
        allowed.add("secrets")
    lowered = line.lower()
    start = lowered.find(_OWN_PREFIX)
    while start >= 0:
        at = _skip_blanks(lowered, start + len(_OWN_PREFIX))
        if lowered.startswith("allow", at):
            at += len("allow")
            bracket = _skip_blanks(lowered, at)
            if bracket < len(lowered) and lowered[bracket] == "[":
                names, problem = _named_checks(lowered, bracket)
                allowed.update(names)
                problems.extend([problem] if problem else [])
            elif at >= len(lowered) or lowered[at] not in _WORD:  # `allow`, not `allowed` or `allow-x`
                allowed.add(ALL)
        start = lowered.find(_OWN_PREFIX, start + 1)
    return Markers(frozenset(allowed), tuple(problems))


def _skip_blanks(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


def _named_checks(lowered: str, bracket: int) -> tuple[set[str], str]:
    """The checks of `allow[...]` starting at `bracket`, or none and what is wrong with the list.
    The closing bracket is looked for within a short window, so many unclosed markers on one long
    line cost linear time."""
    close = lowered.find("]", bracket, bracket + _LIST_WINDOW)
    if close < 0:
        return set(), "`contribution-gate: allow[` has no closing `]`"
    names = [n.strip() for n in lowered[bracket + 1 : close].split(",")]
    if names == [""]:
        return set(), "`contribution-gate: allow[]` names no check"
    unknown = [n for n in names if n not in CHECK_IDS]
    if unknown:
        shown = ", ".join(repr(n) if _NAME.fullmatch(n) else "a word" for n in unknown)
        return (
            set(),
            f"`contribution-gate: allow[...]` names {shown}, which is no check (known: {', '.join(CHECK_IDS)})",
        )
    return set(names), ""


def allowed_checks(line: str) -> frozenset[str]:
    """The checks an inline marker on `line` allows ("*" for all of them)."""
    return markers(line).allowed


def marker_allows(finding: Finding) -> bool:
    """Whether the inline markers on the finding's lines allow its check."""
    return ALL in finding.allowed_by or finding.check in finding.allowed_by


PathAllowed = Callable[[Finding], bool]


def judge(
    finding: Finding, fail_on: str = "error", baseline: Baseline | None = None, path_allowed: PathAllowed | None = None
) -> Judged:
    """One finding's outcome: a marker, the baseline or the check's `allow-paths` suppress it (kept
    as a note for audit), else its severity decides. `fail_on="warning"` makes warnings fail too.
    """
    reason = _suppressed_by(finding, baseline, path_allowed)
    if reason:
        return Judged(replace(finding, severity=Severity.NOTE), Outcome.SUPPRESSED, reason)
    if finding.severity is Severity.ERROR or (fail_on == "warning" and finding.severity is Severity.WARNING):
        return Judged(finding, Outcome.FAIL)
    return Judged(finding, Outcome.WARN)


def _suppressed_by(finding: Finding, baseline: Baseline | None, path_allowed: PathAllowed | None) -> str:
    if marker_allows(finding):
        return "inline marker"
    if baseline is not None and baseline.accepts(finding):
        return "baseline"
    if path_allowed is not None and path_allowed(finding):
        return "allow-paths"
    return ""


def decide(
    findings: Iterable[Finding],
    fail_on: str = "error",
    baseline: Baseline | None = None,
    path_allowed: PathAllowed | None = None,
    one_per_fingerprint: bool = False,
) -> tuple[Judged, ...]:
    """Judge every finding, most severe first. With `one_per_fingerprint`, copies of a finding (the
    same value in one file: twice in a file, or again in a later commit) are judged one by one and
    the worst-judged copy is kept, the first among equals: a marked copy never hides an unmarked one,
    nor a warning an error."""
    judged: Iterable[Judged] = (judge(f, fail_on, baseline, path_allowed) for f in findings)
    if one_per_fingerprint:
        judged = worst_of_each(judged)
    return tuple(sorted(judged, key=lambda j: j.finding.sort_key))


def worst_of_each(judged: Iterable[Judged]) -> list[Judged]:
    """One judged finding per fingerprint, in the order first seen: the copy with the worst outcome
    (then the most severe), the earliest among equals."""
    kept: dict[str, Judged] = {}
    for j in judged:
        held = kept.get(j.finding.fingerprint)
        if held is None or _worse(j, held):
            kept[j.finding.fingerprint] = j
    return list(kept.values())


def _worse(new: Judged, held: Judged) -> bool:
    return (new.outcome.rank, new.finding.severity.rank) < (held.outcome.rank, held.finding.severity.rank)
