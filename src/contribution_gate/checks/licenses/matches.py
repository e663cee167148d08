"""What a license text matcher reports, the fast one (`licenses_fast`) and ScanCode
(`licenses_scancode`) alike, so one reader (`licenses_detect`) turns either into detections."""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of rule a match can be of (ScanCode's rule flags); only the declaring ones can fail a review.
TEXT, NOTICE, TAG, SPDX_ID, REFERENCE, INTRO, CLUE = "text", "notice", "tag", "spdx-id", "reference", "intro", "clue"
DECLARING = frozenset((TEXT, NOTICE, TAG, SPDX_ID))


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key: str
    spdx: str | None
    category: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Match:
    """One match of a rule or license text, with the reviewed file's line numbers."""

    expression: str  # ScanCode keys
    start_line: int
    end_line: int
    score: float
    kind: str
    rule: str
    matched: str = ""  # the first line of the matched text
    length: int = 0  # the rule's length in tokens (0: not known)


@dataclass(frozen=True, slots=True)
class Found:
    """One detection: matches grouped as ScanCode groups them, and its doubts."""

    expression: str | None
    matches: tuple[Match, ...]
    false_positive: bool
    keys: tuple[KeyInfo, ...]
