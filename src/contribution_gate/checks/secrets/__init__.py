"""The `secrets` check: credentials in the lines a change adds, in the names of the files it adds,
and in its commits' authors, committers and messages.

Three detectors: our own rules (`rules`, data in config/secret_rules.toml: AI providers, platforms,
connection URLs, with offline format checks), private key blocks, and detect-secrets' plugins for
what our rules do not cover (`plugins`).

Speed and memory: a file's added text is read in blocks of lines (`blocks`); one Aho-Corasick pass
over each block finds every keyword, and only lines holding one meet a regular expression, each
line in bounded windows (`lines`). Every pattern is linear in what it reads, so time grows with
the size of the change and memory with the size of a block. Text past `max-file-size` (50 MiB by
default) is not read: a warning says so.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from ...model import (
    NO_SETUP,
    AddedLines,
    Commit,
    FileChange,
    Finding,
    Secret,
    Setup,
    Severity,
    file_finding,
    fingerprint,
)
from ...places import is_examples_repository
from ...regions import block_comment_lines, documentation_string_lines, test_module_start
from ...trust import in_ci
from . import context, decoding, judge, keyfiles, metadata
from .blocks import Found, scan_added
from .lines import Kind

if TYPE_CHECKING:
    from ...content import Content
    from ...surveys import Surveys
    from .members import Unopened
    from .userrules import UserRules

ID = "secrets"
DEFAULT_MAX_FILE_SIZE = 50 << 20
DEFAULT_ARCHIVE_DEPTH = 4  # levels of archives opened (members.py, imported when a change has a binary)


@dataclass(frozen=True)
class Options:
    """`allow`: regular expressions of values that are not secrets here (a project's known test
    values). `max_file_size`: how many characters of one file's added text are read (the rest
    gets a warning). `exclude-paths`, `allow-paths` and baselines are applied by the review and
    policy."""

    allow: tuple[re.Pattern[str], ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    user: UserRules | None = None  # the policy's own rules and gitleaks migration (userpolicy.py)
    decode_depth: int = decoding.DEFAULT_DEPTH  # levels of encoding undone (0: none)
    archive_depth: int = DEFAULT_ARCHIVE_DEPTH  # levels of archives opened (0: none)
    unscanned: Severity = Severity.NOTE  # what cannot be opened (an encrypted member, a 7z archive)
    content: Content | None = None  # whole files: archives, notebooks
    examples: bool = False  # a repository of examples: every file is a sample (`context.of`)
    surveys: Surveys | None = None  # the review's, told what each archive walk met (`surveys.py`)


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    user = setup.loaded  # loaded by the session with the gitleaks files; its modules load only then
    if user is None and (table.get("rules") or "gitleaks-config" in table):
        from . import userpolicy

        user = userpolicy.load(table)
    return Options(
        allow=tuple(re.compile(p) for p in table.get("allow", ())) + (user.value_filters() if user else ()),
        max_file_size=table.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        user=user,
        decode_depth=table.get("decode-depth", decoding.DEFAULT_DEPTH),
        archive_depth=table.get("archive-depth", DEFAULT_ARCHIVE_DEPTH),
        unscanned=Severity(table.get("unscanned") or ("warning" if in_ci() else "note")),
        content=setup.content,
        examples=is_examples_repository(setup.repository),
        surveys=setup.surveys,
    )


@lru_cache(maxsize=8192)
def kind_of(path: str, examples: bool = False) -> Kind:
    """What a path's file is, worked out once per path: a range changes the same files again and again."""
    return Kind(path, context.of(path, examples))


def _member_kind(outer: str, inner: str, examples: bool = False) -> Kind:
    """A member of the archive at `outer`: a sample there if the archive is one (`tests/fixtures/x.tar.gz`)."""
    return Kind(inner, context.within(kind_of(outer, examples).context, context.of(inner)))


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Findings for one file: its name when the change adds it, then its added lines, up to
    `max_file_size` characters of them."""
    user = opts.user
    named = metadata.scan_path(change, opts.allow)
    if user is not None:  # the policy's own rules: merged in by userscan, imported only for them
        from . import userscan

        if userscan.skips_file(user, change):
            return
        yield from userscan.path_findings(user, change)
        named = userscan.without_disabled(user, named)
    yield from named
    if change.is_binary and not change.is_submodule:
        from . import stores  # only a change with a binary in it pays for it

        yield from stores.scan(change, opts.content, kind_of(change.path, opts.examples).context)
        yield from _inside(change, opts)
    if change.is_binary or change.is_submodule or not change.added:
        return
    text = change.added.text
    limit = min(len(text), opts.max_file_size)
    shown_path: str | None = None  # the path as messages show it (a name can hold a token too)
    copies: dict[tuple[str, int], int] = {}  # (rule, hash of the value) -> copies seen so far
    kind = kind_of(change.path, opts.examples)
    found_in: Iterable[Found] = scan_added(kind, change.added, limit, opts.allow)
    if keyfiles.is_key_file(change.path):
        found_in = itertools.chain(found_in, keyfiles.found_in(kind, change.added))
    if user is not None:
        found_in = userscan.merged(user, change, limit, opts.allow, iter(found_in))
    if opts.decode_depth:
        encoded = decoding.found_in(kind, change.added, limit, opts.decode_depth, opts.allow)
        found_in = itertools.chain(found_in, encoded)
    if change.path.lower().endswith(".ipynb"):
        from . import notebooks

        document = _document(change, opts)
        if document is not None:
            found_in = notebooks.with_cells(kind, change.added, document, found_in, partial(_scan_text, opts))
    documented: frozenset[int] | None = None  # read once a hit needs it: most files have none
    commented: frozenset[int] | None = None  # the lines inside block comments, the same way
    tests_from: int | None = -1  # the line number a test module starts at (Rust), once a hit asks
    seen: set[tuple[str, int, int, int]] = set()  # a value whose decoding (`%2B` in it) is found again there
    for found in found_in:
        where = (found.hit.rule, found.line, found.hit.start, found.hit.end)
        if where in seen:
            continue
        seen.add(where)
        documented = documentation_string_lines(change) if documented is None else documented
        if found.line in documented:
            found = judge.in_documentation(found)
        commented = block_comment_lines(change) if commented is None else commented
        if found.line in commented:
            found = judge.in_block_comment(found)
        if tests_from == -1:
            start = test_module_start(change.path, change.added)
            tests_from = None if start is None else change.added.lineno(start)
        if tests_from is not None and found.line >= tests_from:
            found = judge.in_test_module(found)
        shown_path = metadata.redacted_path(change.path, opts.allow) if shown_path is None else shown_path
        key = (found.hit.rule, hash(found.matched))
        copies[key] = copies.get(key, 0) + 1
        yield _finding(change, shown_path, found, copies[key])
    if limit < len(text):
        yield _too_large(change, metadata.redacted_path(change.path, opts.allow), len(text), limit)


def _scan_text(opts: Options, kind: Kind, added: AddedLines) -> Iterator[Found]:
    """Every hit in text read whole (an archive's member, a notebook's cell), encoded ones too."""
    limit = min(len(added.text), opts.max_file_size)
    yield from scan_added(kind, added, limit, opts.allow)
    yield from decoding.found_in(kind, added, limit, opts.decode_depth, opts.allow)


def _document(change: FileChange, opts: Options) -> str | None:
    """A notebook's whole JSON: its added text when the change adds the file, else the blob."""
    if change.status == "A" and change.added.lineno(0) == 1:
        return change.added.text
    if opts.content is None or change.blob is None:
        return None
    with opts.content.open(change.blob) as stream:
        data = None if stream is None else stream.read(opts.max_file_size + 1)
    return None if data is None or len(data) > opts.max_file_size else data.decode("utf-8", "replace")


def _inside(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Findings in the members of a committed archive, and a finding for each member not opened."""
    if opts.content is None or change.blob is None or change.status == "D" or opts.archive_depth <= 0:
        return  # archive-depth = 0: the policy asks for no archive to be read
    from . import members

    shown = metadata.redacted_path(change.path, opts.allow)
    with opts.content.open(change.blob) as stream:
        if stream is None:
            return
        limits = members.bounds(opts.archive_depth, opts.max_file_size)
        found = members.scan(
            stream,
            change.path,
            limits,
            opts.max_file_size,
            partial(_member_kind, change.path, examples=opts.examples),
            partial(_scan_text, opts),
            opts.surveys.surveyor(change.blob) if opts.surveys is not None else None,
        )
        for item in found:
            if isinstance(item, members.Unopened):
                yield _unopened(change, shown, metadata.redacted_path(item.member, opts.allow), item, opts.unscanned)
                continue
            if isinstance(item, members.MemberName):
                yield from _member_name(change, shown, item.name, opts)
                continue
            where = f"{shown}!{metadata.redacted_path(item.member, opts.allow)}:{item.found.line}"
            finding = _finding(change, where, item.found)
            key = f"{change.path}!{item.member}:{item.found.line}"
            yield replace(
                finding,
                line=None,
                end_line=None,
                column=None,
                end_column=None,
                fingerprint=fingerprint(ID, item.found.hit.rule, key, item.found.matched),
            )


def _member_name(change: FileChange, shown: str, name: str, opts: Options) -> Iterator[Finding]:
    """A credential in the name of a member of a committed archive, as in the name of a file."""
    inner = FileChange(name, "A", commit=change.commit)
    for finding in metadata.scan_path(inner, opts.allow):
        yield replace(
            finding,
            path=change.path,
            message=f"{finding.message.replace(' an added file,', ' a member of ' + shown + ',')}",
            fingerprint=fingerprint(ID, finding.rule, f"{change.path}!{name}", finding.fingerprint),
        )


def _unopened(change: FileChange, shown: str, member: str, item: Unopened, severity: Severity) -> Finding:
    """A finding for a member (or archive) that was not scanned; `member` is its redacted name."""
    where = f"{shown}!{member}" if member else shown
    return Finding(
        check=ID,
        rule=item.rule,
        severity=severity,
        path=change.path,
        line=None,
        commit=change.commit,
        message=f"{where} was not scanned: {item.why}",
        remediation=(
            "Commit the files unpacked (or in a zip, tar or gzip without encryption) so they can be scanned, "
            "or review them by hand; [secrets] archive-depth and max-file-size set the limits."
        ),
        fingerprint=fingerprint(ID, item.rule, change.path, f"{item.member}|{item.why}"),
    )


def scan_commit(commit: Commit, opts: Options) -> Iterator[Finding]:
    """Findings in one commit's author, committer and message, as the commit streams by."""
    user = opts.user
    found = metadata.scan_commit(commit, opts.allow)
    if user is None:
        return found
    from . import userscan

    return iter(()) if userscan.skips_commit(user, commit.sha) else userscan.without_disabled(user, found)


def _too_large(change: FileChange, shown_path: str, size: int, limit: int) -> Finding:
    return Finding(
        check=ID,
        rule="file-too-large",
        severity=Severity.WARNING,
        path=change.path,
        line=change.added.lineno(0),
        commit=change.commit,
        message=(
            f"{shown_path} adds {size / (1 << 20):.1f} MiB of text: only the first {limit / (1 << 20):.1f} MiB "
            "(max-file-size) was scanned for secrets, the rest was not read"
        ),
        remediation="Keep generated or vendored data out of the change, or raise [secrets] max-file-size to scan it all.",
        fingerprint=fingerprint(ID, "file-too-large", change.path, str(change.blob or change.commit)),
    )


def _finding(change: FileChange, shown_path: str, found: Found, copy: int = 1) -> Finding:
    """The finding of one hit. The `copy`th copy of one value in one change of a file is a finding
    of its own (each place must be cleaned up), told apart by its fingerprint; its baseline key is
    the value's, so a baseline that accepts the value accepts every copy."""
    hit = found.hit
    note = f" ({hit.note})" if hit.note else ""
    finding = file_finding(
        ID,
        hit.rule,
        hit.severity,
        change,
        found.line,
        f"{hit.title} added to {shown_path}{note}",
        hit.remediation,
        found.matched,
        found.excerpt,
        found.end_line,
    )
    if copy > 1:
        finding = replace(finding, fingerprint=fingerprint(ID, hit.rule, change.path, f"{found.matched}\x00{copy}"))
    value_sha1 = hashlib.sha1(hit.secret.encode("utf-8", "surrogatepass")).hexdigest()
    return replace(finding, value_sha1=value_sha1, secret=Secret(hit.secret))  # the value: for --verify only
