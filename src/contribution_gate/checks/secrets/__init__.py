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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ...model import NO_SETUP, Commit, FileChange, Finding, Setup, Severity, file_finding, fingerprint
from . import context, metadata
from .blocks import Found, scan_added
from .lines import Kind

if TYPE_CHECKING:
    from .userrules import UserRules

ID = "secrets"
DEFAULT_MAX_FILE_SIZE = 50 << 20


@dataclass(frozen=True)
class Options:
    """`allow`: regular expressions of values that are not secrets here (a project's known test
    values). `max_file_size`: how many characters of one file's added text are read (the rest
    gets a warning). `exclude-paths`, `allow-paths` and baselines are applied by the review and
    policy."""

    allow: tuple[re.Pattern[str], ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    user: UserRules | None = None  # the policy's own rules and gitleaks migration (userpolicy.py)


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    user = setup.loaded  # loaded by the session with the gitleaks files; its modules load only then
    if user is None and (table.get("rules") or "gitleaks-config" in table):
        from . import userpolicy

        user = userpolicy.load(table)
    return Options(
        allow=tuple(re.compile(p) for p in table.get("allow", ())) + (user.value_filters() if user else ()),
        max_file_size=table.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        user=user,
    )


def kind_of(path: str) -> Kind:
    return Kind(path, context.of(path))


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
    if change.is_binary or change.is_submodule or not change.added:
        return
    text = change.added.text
    limit = min(len(text), opts.max_file_size)
    shown_path: str | None = None  # the path as messages show it (a name can hold a token too)
    copies: dict[tuple[str, int], int] = {}  # (rule, hash of the value) -> copies seen so far
    found_in = scan_added(kind_of(change.path), change.added, limit, opts.allow)
    if user is not None:
        found_in = userscan.merged(user, change, limit, opts.allow, found_in)
    for found in found_in:
        shown_path = metadata.redacted_path(change.path, opts.allow) if shown_path is None else shown_path
        key = (found.hit.rule, hash(found.matched))
        copies[key] = copies.get(key, 0) + 1
        yield _finding(change, shown_path, found, copies[key])
    if limit < len(text):
        yield _too_large(change, metadata.redacted_path(change.path, opts.allow), len(text), limit)


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
    return replace(finding, value_sha1=hashlib.sha1(hit.secret.encode("utf-8", "surrogatepass")).hexdigest())
