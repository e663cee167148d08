"""The immutable values that flow through a review: change -> findings.

Every step hands the next one of these; nothing here talks to git or decides a verdict.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple, overload

if TYPE_CHECKING:
    from .content import Content
    from .surveys import Surveys


class Severity(str, enum.Enum):
    """How much a finding matters; `note` is what a suppressed finding becomes."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "note": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Target:
    """What is reviewed: `kind` is staged, range, unpushed, all-files, files (named files of the
    work tree, as a tree `head`), received (what a push brings a server) or commit-msg.

    `base` is None for the index, a root commit or a whole tree; `head` is None for the index.
    `tips` (received): every pushed tip, of which the commits no ref of the server has are reviewed.
    """

    kind: str
    base: str | None = None
    head: str | None = None
    tips: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AddedLine:
    """One line a change adds, numbered as the new version of the file has it (1-based)."""

    lineno: int
    text: str


class AddedLines(Sequence[AddedLine]):
    """The lines a change adds to one file, kept as git printed them until a check asks for lines.

    `text` is the added lines joined by newlines. Every check first runs a prefilter over that one
    string, and in a long history almost every file fails it, so the AddedLine objects (one per line)
    are made only for the files a check reads line by line. It compares equal to a tuple of the
    same AddedLines.
    """

    __slots__ = ("_count", "_lines", "_numbers", "_one_by_one", "text")

    def __init__(self, text: str = "", numbers: Sequence[Sequence[int]] = ()) -> None:
        """`numbers`: the new file's line numbers of the lines of `text`, one sequence per hunk."""
        self.text = text
        self._numbers = tuple(numbers)
        self._count = sum(map(len, self._numbers))
        self._lines: tuple[AddedLine, ...] | None = None
        # (texts, numbers, lines made so far): a check that reads a few lines by index (the lines
        # holding a URL) makes those, not every line of the file
        self._one_by_one: tuple[list[str], list[int], dict[int, AddedLine]] | None = None

    @classmethod
    def of(cls, lines: Iterable[AddedLine]) -> AddedLines:
        """From AddedLine objects (tests, a file read whole); no text may hold a newline."""
        kept = tuple(lines)
        made = cls("\n".join(line.text for line in kept), ([line.lineno for line in kept],))
        made._lines = kept
        return made

    @property
    def lines(self) -> tuple[AddedLine, ...]:
        """The AddedLine objects, made on first use and kept."""
        if self._lines is None:
            self._lines = tuple(map(AddedLine, self.numbers(), self.text.split("\n")))
        return self._lines

    def numbers(self) -> list[int]:
        """The line number of every added line, in order."""
        return [n for hunk in self._numbers for n in hunk]

    def runs(self) -> tuple[Sequence[int], ...]:
        """The line numbers hunk by hunk (ranges, for -U0 diffs): looked up without a list of all."""
        return self._numbers

    def lineno(self, index: int) -> int:
        """The line number of the `index`th added line, without making the lines."""
        if self._lines is not None:
            return self._lines[index].lineno
        if index < 0:
            index += self._count
        for hunk in self._numbers:
            if index < len(hunk):
                return hunk[index]
            index -= len(hunk)
        raise IndexError("added line index out of range")

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> AddedLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[AddedLine, ...]: ...

    def __getitem__(self, index: int | slice) -> AddedLine | tuple[AddedLine, ...]:
        if self._lines is not None or not isinstance(index, int):
            return self.lines[index]
        if self._one_by_one is None:
            self._one_by_one = (self.text.split("\n"), self.numbers(), {})
        texts, numbers, made = self._one_by_one
        count = min(len(texts), len(numbers))  # as many as `lines` would make, paired as it pairs them
        if not -count <= index < count:
            raise IndexError("added line index out of range")
        index %= count
        line = made.get(index)
        if line is None:
            line = made[index] = AddedLine(numbers[index], texts[index])
        return line

    def __iter__(self) -> Iterator[AddedLine]:
        return iter(self.lines)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AddedLines):
            return self.text == other.text and self.numbers() == other.numbers()
        if isinstance(other, tuple | list):
            return self.lines == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.text, tuple(self.numbers())))

    def __repr__(self) -> str:
        return f"AddedLines({list(self.lines)!r})"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file as one commit (or the index) changes it.

    status is git's letter: A added, M modified, D deleted, R renamed, C copied, T type change.
    `commit` is None for the index; `blob` is the post-image object id (None when deleted),
    `old_blob` the pre-image's (None when added, or when git did not print it). `is_binary` is
    judged by content (`encoding`), never by what the repository's attributes make git print.
    """

    path: str
    status: str
    commit: str | None = None
    old_path: str | None = None
    blob: str | None = None
    is_binary: bool = False
    is_submodule: bool = False
    added: AddedLines = field(default_factory=AddedLines)
    old_blob: str | None = field(default=None, compare=False)  # how git got here, not what changed

    def __post_init__(self) -> None:
        if not isinstance(self.added, AddedLines):  # a tuple of AddedLine objects
            object.__setattr__(  # type: ignore[unreachable]
                self, "added", AddedLines.of(self.added)
            )


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit of the reviewed range, with what later checks (DCO, CLA) need."""

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    message: str

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


def _normalised(matched: str) -> str:
    return " ".join(matched.strip().strip("'\"`").split())


def fingerprint(check: str, rule: str, path: str, matched: str) -> str:
    """A stable id for a finding that never contains the matched value itself."""
    payload = "\x00".join((check, rule, path, _normalised(matched))).encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()


def value_key(check: str, rule: str, matched: str) -> str:
    """Like `fingerprint` but without the path: the same secret anywhere has the same key."""
    payload = "\x00".join((check, rule, _normalised(matched))).encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()


class Excerpt(NamedTuple):
    """What a report shows of a finding's line (redacted), and where the finding is: `at` in the
    shown `text` (0-based), `column` and `end_column` in the line (1-based characters, the end
    one past the last character, as SARIF counts)."""

    text: str
    at: int
    column: int
    end_column: int


class Secret:
    """A found credential's value, held in memory only for `--verify` (checks/secrets/verify): it
    shows as `Secret(****)` in every repr and str, so no log, traceback or report can print it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "Secret(****)"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Finding:
    """A fact a check reports. Checks never decide pass or fail; the policy does.

    `excerpt` is already redacted; `allowed_by` lists the checks an inline allow marker on the
    finding's lines names ("*" for all), filled in by the review, judged by the policy. The value
    hashes stay in memory for the baseline; no report prints them. `column` is where the finding
    starts on `line` and `end_column` one past where it ends on `end_line` (1-based, in characters;
    None where a check does not know); `excerpt_at` is where it starts in `excerpt` (0-based), so a
    report can show a narrower window of the excerpt centred on it. `validity` is what `--verify`
    learnt from the credential's provider (live, revoked, unknown; empty when not asked); `secret`
    is the found value itself, kept for that question only and dropped before the review is made.
    """

    check: str
    rule: str
    severity: Severity
    path: str
    line: int | None
    message: str
    remediation: str
    fingerprint: str
    excerpt: str = ""
    end_line: int | None = None
    commit: str | None = None
    allowed_by: frozenset[str] = field(default_factory=frozenset)
    value_key: str = ""  # path-free hash of check, rule and value: what a baseline keys on
    value_sha1: str = ""  # SHA-1 of the raw secret, as detect-secrets baselines store it
    column: int | None = None
    end_column: int | None = None
    excerpt_at: int | None = None
    validity: str = ""
    secret: Secret | None = field(default=None, repr=False, compare=False)

    @property
    def sort_key(self) -> tuple[int, str, int, int, str]:
        return (self.severity.rank, self.path, self.line or 0, self.column or 0, self.rule)


def with_excerpt(finding: Finding, transform: Callable[[str], str]) -> Finding:
    """`finding` with `transform` (a redaction, an escape) applied to its excerpt, `excerpt_at`
    following the finding: what the transform keeps after it is as long as its own transform."""
    shown = transform(finding.excerpt)
    return replace(finding, excerpt=shown, excerpt_at=moved_at(finding.excerpt, finding.excerpt_at, shown, transform))


def moved_at(old: str, at: int | None, new: str, transform: Callable[[str], str]) -> int | None:
    """Where offset `at` of `old` is in `new = transform(old)`, judged from the end (what comes
    before it may be masked or trimmed); within `new` whatever happens."""
    if at is None:
        return None
    if new == old:
        return min(max(at, 0), len(new))
    tail = transform(old[at:])
    moved = len(new) - len(tail) if tail and new.endswith(tail) else round(at * len(new) / max(len(old), 1))
    return min(max(moved, 0), len(new))


def file_finding(
    check: str,
    rule: str,
    severity: Severity,
    change: FileChange,
    line: int | None,
    message: str,
    remediation: str,
    matched: str,
    excerpt: str | Excerpt = "",
    end_line: int | None = None,
    key_path: str | None = None,
) -> Finding:
    """A finding on a file of the change. Its fingerprint and baseline key come from `matched`,
    which the finding itself never holds; `key_path` replaces the path in the fingerprint. An
    `Excerpt` also gives the finding its columns."""
    where, shown = (excerpt, excerpt.text) if isinstance(excerpt, Excerpt) else (None, excerpt)
    return Finding(
        check=check,
        rule=rule,
        severity=severity,
        path=change.path,
        line=line,
        end_line=line if end_line is None else end_line,
        commit=change.commit,
        message=message,
        remediation=remediation,
        fingerprint=fingerprint(check, rule, change.path if key_path is None else key_path, matched),
        excerpt=shown,
        value_key=value_key(check, rule, matched),
        column=None if where is None else where.column,
        end_column=None if where is None or (end_line is not None and end_line != line) else where.end_column,
        excerpt_at=None if where is None else where.at,
    )


@dataclass(frozen=True)
class Setup:
    """What a check is given besides its policy table: the reviewed tree's files (whole
    post-images, for the checks that read them) and what the session loaded for it from outside
    the change (the cla check: the base's signature file and the event's people). `repository`:
    the reviewed repository's name (`examples`), for checks that judge a file by where it stands.
    `whole_tree`: the review reads a tree as it stands (`--all-files`, named files), not a change
    someone proposes. `surveys`: the review's surveys of archive walks, shared by the checks that
    walk committed archives (`surveys.py`)."""

    content: Content | None = None
    loaded: Any = None
    repository: str = ""
    whole_tree: bool = False
    surveys: Surveys | None = None


NO_SETUP = Setup()
