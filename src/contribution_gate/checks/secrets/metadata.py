"""Credentials outside a file's lines: in the name of a file a change adds (or renames or copies
to), and in a commit's author, committer and message.

A commit is scanned as it streams by (`scan_commit`, the check protocol's per-commit hook), so a
long history is never held. What a finding shows of the name, identity or message is redacted:
the value never past its first four characters.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from ...model import AddedLines, Commit, FileChange, Finding, Secret, fingerprint, value_key
from .blocks import scan_added
from .context import Context
from .lines import Hit, Kind, candidate, excerpt, line_hits
from .rules import load_rules

ID = "secrets"
_NEW_NAMES = frozenset("ARC")  # added, renamed, copied: the name is part of what the change adds
_TEXT = Kind("", Context("", generic=True, code=False, sample=False))
_MESSAGE_LIMIT = 1 << 20  # a commit message longer than this is read to here
_NAME_PART = 1024  # what is read of a file name after a `-` or `_` (a token is shorter)
_NAME_JOINTS = 32  # how many such places of one name are read


def scan_path(change: FileChange, allow: Sequence[re.Pattern[str]]) -> Iterator[Finding]:
    """A credential in the name of a file the change adds, renames or copies."""
    if change.status[:1] not in _NEW_NAMES:
        return
    for hit, shown in _field_hits(change.path, allow, name=True):
        yield _finding(
            hit,
            path=shown,  # the finding points at the file by its redacted name
            commit=change.commit,
            where="file name",
            message=f"{hit.title} in the name of an added file, {shown}",
            remediation=f"Rename the file so its name holds no credential. {hit.remediation}",
            shown=shown,
        )


def redacted_path(path: str, allow: Sequence[re.Pattern[str]] = ()) -> str:
    """`path` with any credential in it masked: what a message may say of a file's name."""
    hits = [hit for hit, _ in _field_hits(path, allow, name=True)]
    return excerpt(path, 0, len(path), hits) if hits else path


def scan_commit(commit: Commit, allow: Sequence[re.Pattern[str]]) -> Iterator[Finding]:
    """Credentials in a commit's author and committer names and emails, and in its message."""
    fields = (
        ("author name", commit.author_name),
        ("author email", commit.author_email),
        ("committer name", commit.committer_name),
        ("committer email", commit.committer_email),
    )
    fix = "Rewrite the commit (`git commit --amend`, or `git rebase -i`) before it is pushed: once pushed, revoke the credential."
    allowed = tuple(allow)
    for field, value in fields:
        for hit, shown in _person_hits(value, allowed):
            yield _finding(
                hit,
                path="",
                commit=commit.sha,
                where=field,
                message=f"{hit.title} in the {field} of commit {commit.sha[:12]}: {shown}",
                remediation=f"{fix} {hit.remediation}",
                shown=shown,
            )
    message = commit.message
    if not message or not candidate().lines(message[:_MESSAGE_LIMIT].lower()):
        return
    lines = AddedLines(message, [range(1, message.count("\n") + 2)])
    for found in scan_added(_TEXT, lines, _MESSAGE_LIMIT, allow):
        yield _finding(
            found.hit,
            path="",
            commit=commit.sha,
            where="commit message",
            message=f"{found.hit.title} in the message of commit {commit.sha[:12]} (line {found.line})",
            remediation=f"{fix} {found.hit.remediation}",
            shown=found.excerpt.text,
            matched=found.matched,
        )


def _field_hits(value: str, allow: Sequence[re.Pattern[str]], name: bool = False) -> list[tuple[Hit, str]]:
    """The hits in one short field (a path, a name, an email), each with the field redacted.

    A file name joins words with `-` and `_`, which token rules read as part of a longer word
    (`leak-ghp_...` is no token in code); in a `name`, each keyword right after one of them is
    also read as the start of a token."""
    if not value:
        return []
    lowered = value.lower()
    words = frozenset(candidate().found(lowered))
    if not words:
        return []
    hits = {(h.rule, h.secret): h for h in line_hits(_TEXT, value, 0, len(value), (words, words), 0, allow)}
    starts = tuple(words & _token_starts())
    if name and starts:
        joints = (at for at in range(1, len(value)) if value[at - 1] in "-_" and lowered.startswith(starts, at))
        for at in itertools.islice(joints, _NAME_JOINTS):
            part = value[at : at + _NAME_PART]
            for hit in line_hits(_TEXT, part, 0, len(part), (words, words), 0, allow):
                moved = replace(hit, start=hit.start + at, end=hit.end + at)
                hits.setdefault((hit.rule, hit.secret), moved)
    found = sorted(hits.values(), key=lambda h: h.start)
    shown = excerpt(value, 0, len(value), found)
    return [(hit, shown) for hit in found]


@lru_cache(maxsize=4096)
def _person_hits(value: str, allow: tuple[re.Pattern[str], ...]) -> tuple[tuple[Hit, str], ...]:
    """`_field_hits` of a name or an email, once per value: a range's commits share a few authors."""
    return tuple(_field_hits(value, allow))


@lru_cache(maxsize=1)
def _token_starts() -> frozenset[str]:
    """The keywords that begin a token (`ghp_`, `sk-`, `akia`, `akc`), not the words of a name."""
    return frozenset(k for rule in load_rules() if not rule.filter for k in rule.keywords) | {"akc", "sq0csp-"}


def _finding(
    hit: Hit,
    path: str,
    commit: str | None,
    where: str,
    message: str,
    remediation: str,
    shown: str,
    matched: str | None = None,
) -> Finding:
    """A finding outside a file's lines; its fingerprint names the kind of place (`author name`,
    `commit message`, ...) so one token in two kinds of place is two findings, and once per kind."""
    value = hit.secret if matched is None else matched
    return Finding(
        check=ID,
        rule=hit.rule,
        severity=hit.severity,
        path=path,
        line=None,
        message=message,
        remediation=remediation,
        fingerprint=fingerprint(ID, hit.rule, f"<{where}>", value),
        excerpt=shown,
        commit=commit,
        value_key=value_key(ID, hit.rule, value),
        value_sha1=hashlib.sha1(hit.secret.encode("utf-8", "surrogatepass")).hexdigest(),
        secret=Secret(hit.secret),  # for --verify only
    )
