"""Every license one file change adds, cheapest detector first: SPDX tags, manifests, model cards,
then license texts (license files, and the comments and prose around a license word), read by the
fast matcher and by ScanCode only where the fast matcher cannot vouch for the text (`matching`).

Declarations are kept only when the change adds their line; a changed license file or manifest is
read whole (its post-image) and its detections kept where they touch an added line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ...model import FileChange
from ..textkinds import kind_of
from . import cards, manifests, phrases, spdx
from .dependencies import is_lockfile
from .detection import LICENSE_NOTICE, LICENSE_TEXT, Detection
from .ids import Op, catalog, data, simplify, without_option_texts
from .text import is_changelog, is_license_file, lines_for_scancode, quoted

if TYPE_CHECKING:
    from .matches import Match

_PHRASE_TOKENS = 4  # a proprietary rule this short is a marking, not license terms
# A license text that neither matcher identified (ScanCode not installed, or not to be loaded)
NEEDS_SCANCODE = "unidentified license text"

BlobReader = Callable[[str], "bytes | None"]
# A license tag outside a license file is a `License: MIT`-like field (`license = `, `"license":`,
# `@license`), not two words that happen to meet (`--license --json`, `licenses.json`).
_TAG_LINE = re.compile(r"(?i)@licen[cs]e\b|\blicen[cs]es?\W{0,3}[:=]")


def detect(change: FileChange, read_blob: BlobReader | None = None) -> list[Detection]:
    """The licenses `change` adds, each with its line numbers in the new file; a weak match of a
    license the same file also matches strongly (a license file's title line) is left out."""
    found = list(_detect(change, read_blob))
    strong = {d.expression for d in found if d.strong}
    return [d for d in found if d.strong or d.expression not in strong]


def _detect(change: FileChange, read_blob: BlobReader | None) -> Iterator[Detection]:
    if change.is_binary or change.is_submodule or change.status == "D" or not change.added:
        return
    if is_lockfile(change.path):  # its license fields are its packages': the dependency review judges them
        return
    added = change.added
    path = change.path
    kind = kind_of(path)
    lowered = added.text.lower()  # the added lines joined by newlines: no line objects made for a plain file
    new_lines = set(added.numbers())
    if spdx.MARKER in lowered:
        yield from spdx.detections(added, lowered.split("\n"), kind)
    if manifests.is_manifest(path):
        if "licen" in lowered:
            text = _post_image(change, read_blob)
            if text is not None:
                yield from (d for d in manifests.detections(path, text) if _touches(d, new_lines))
        return
    skip = 0
    if cards.is_card(path) and (added[0].lineno == 1 or "license" in lowered):
        text = _post_image(change, read_blob)
        if text is not None:
            lines = text.splitlines()
            yield from (d for d in cards.detections(lines) if _touches(d, new_lines))
            end = cards.front_matter_end(lines)
            skip = sum(1 for line in added if line.lineno <= end)
    if is_license_file(path):
        yield from _license_file(change, read_blob, new_lines)
        return
    chosen = [] if is_changelog(path) else lines_for_scancode(added, lowered, kind, skip)
    if chosen:
        found = scancode_detections(chosen, path)
        yield from found
        known = {d.expression for d in found}
        yield from (d for d in phrases.statements(chosen) if d.expression not in known)


def _touches(detection: Detection, new_lines: set[int]) -> bool:
    if detection.line is None:
        return True
    end = detection.end_line or detection.line
    return any(n in new_lines for n in range(detection.line, end + 1))


def _post_image(change: FileChange, read_blob: BlobReader | None) -> str | None:
    """The whole new file: the added lines of a new file, else the blob (None when unreadable)."""
    if change.status == "A" or (change.added and change.added[0].lineno == 1 and read_blob is None):
        return "\n".join(line.text for line in change.added) + "\n"
    if read_blob is None or change.blob is None:
        return None
    data_ = read_blob(change.blob)
    return data_.decode("utf-8", "replace") if data_ is not None else None


def _license_file(change: FileChange, read_blob: BlobReader | None, new_lines: set[int]) -> Iterator[Detection]:
    text = _post_image(change, read_blob)
    if text is None:
        pairs = [(line.lineno, line.text) for line in change.added]
    else:
        pairs = [(i + 1, line) for i, line in enumerate(text.splitlines())]
    found = scancode_detections(pairs, change.path, whole_file=True)
    if not any(d.strong for d in found):
        found += phrases.title(pairs)
    found = [d for d in found if _touches(d, new_lines)]
    yield from found
    name = change.path.rsplit("/", 1)[-1].lower()
    if (
        not found
        and change.status == "A"
        and name.startswith(("licen", "copying"))
        and any(t.strip() for _, t in pairs)
    ):
        first, text = next((n, t) for n, t in pairs if t.strip())
        unknown = catalog().lookup("unknown")
        yield Detection(
            first,
            pairs[-1][0],
            "unknown",
            LICENSE_TEXT,
            unknown,
            strong=False,
            detail="no known license text in this license file",
            excerpt=text.strip()[:200],
        )


def scancode_detections(lines: Sequence[tuple[int, str]], name: str, whole_file: bool = False) -> list[Detection]:
    """The license texts and notices in these lines, as detections: declaring matches (a text,
    notice, tag or SPDX id) of at least the strong score are strong; weaker ones and doubtful
    detections are weak; mere mentions (a reference, an intro, a clue) count only in license files,
    and then as weak. The fast matcher reads them, ScanCode what it cannot identify (`matching`);
    with neither, one detection without a license says that ScanCode is needed."""
    from . import matches as m
    from .matching import scan

    found_all = scan(lines, name, whole_file)
    if found_all is None:
        return [_needs_scancode(lines, whole_file)]
    thresholds = data()["thresholds"]
    strong_score, weak_score = float(thresholds["strong-score"]), float(thresholds["weak-score"])
    text_of = dict(lines)
    out: list[Detection] = []
    for found in found_all:
        for info in found.keys:
            catalog().learn(info.key, info.spdx, info.category, info.name)
        kept = [
            match
            for match in found.matches
            if match.score >= weak_score
            and (match.kind in m.DECLARING or whole_file and match.kind == m.REFERENCE)
            and (whole_file or _declares(match, text_of.get(match.start_line, "")))
        ]
        strong = [
            match
            for match in kept
            if not found.false_positive
            and match.kind in m.DECLARING
            and match.score >= strong_score
            and not _confidentiality_phrase(match)
        ]
        weak = [match for match in kept if match not in strong]
        for group, is_strong in ((strong, True), (weak, False)):
            detection = _detection(group, is_strong, text_of)
            if detection is not None:
                out.append(detection)
    return out


def _confidentiality_phrase(match: Match) -> bool:
    """A proprietary "license" that is a few words (ScanCode's rule proprietary_97, two words of a
    confidentiality marking): a marking in prose (a lease's clause, a memo), which the
    proprietary-markers check judges; it may warn here."""
    return 0 < match.length <= _PHRASE_TOKENS and "proprietary" in match.expression.lower()


def _needs_scancode(lines: Sequence[tuple[int, str]], whole_file: bool) -> Detection:
    from . import scancode
    from .fast import unexplained_line
    from .matching import ENV, INSTALL

    first = unexplained_line(lines) or lines[0][0]
    last = lines[-1][0] if whole_file else first
    text = dict(lines).get(first, "").strip()
    what = "this license file's text" if whole_file else "the license text here"
    why = f"{ENV}=never keeps it from loading" if scancode.available() else f"it is not installed (`{INSTALL}`)"
    problem = (
        f"{what} is none that the built-in matcher can vouch for, and ScanCode, which would read it, is not used: {why}"
    )
    return Detection(first, last, "", NEEDS_SCANCODE, None, strong=False, problem=problem, excerpt=text[:200])


def _declares(match: Match, line: str) -> bool:
    """Outside license files: a tag must look like a field, and a match quoted in prose ("labels
    such as "Proprietary and Confidential"") is a mention."""
    from .matches import TAG

    if match.kind == TAG and not _TAG_LINE.search(line):
        return False
    if match.matched and match.start_line == match.end_line:
        at = line.lower().find(match.matched.lower())
        return at < 0 or not quoted(line, at)
    return True


def _detection(matches: Sequence[Match], strong: bool, text_of: dict[int, str]) -> Detection | None:
    from .matches import TEXT

    if not matches:
        return None
    parts = [catalog().parse(m.expression, keys=True) for m in matches]
    expr = simplify(parts[0] if len(parts) == 1 else Op("AND", tuple(parts)))
    if expr is None:
        return None
    expr = without_option_texts(expr)
    first = min(m.start_line for m in matches)
    last = max(m.end_line for m in matches)
    best = max(matches, key=lambda m: m.score)
    source = LICENSE_TEXT if any(m.kind == TEXT for m in matches) else LICENSE_NOTICE
    detail = f"ScanCode rule {best.rule}, score {best.score:.0f}"
    excerpt = text_of.get(first, "").strip()[:200]
    return Detection(
        first, last, str(expr), source, expr, strong=strong, detail=detail, score=round(best.score, 1), excerpt=excerpt
    )
