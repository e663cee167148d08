"""The `secrets` check: credentials in the lines a change adds.

Two sources of detectors: our own rules (`secret_rules`, AI providers' keys first) and detect-secrets'
plugins, configured explicitly here and called directly, so its global settings are never touched.
detect-secrets is imported only when a line holds a keyword one of its plugins needs: a clean change
never pays for that import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import AddedLine, FileChange, Finding, Severity, fingerprint
from ..redaction import redact
from . import ds_plugins
from .secret_rules import scan_text

ID = "secrets"
_PLACEHOLDER = re.compile(
    r"(?i)(?:x{4,}|\*{3,}|\.{3}|<[^>]*>|\$\{|\{\{|%\(|changeme|change_me|your[_-]|example|dummy|placeholder|"
    r"redacted|replace[_-]?me|sample|not[_-]?a[_-]?real|test[_-]?(?:key|token|secret|password))"
)
_TOKEN_CHARS = "_-+/=."
_MAX_LINE = 20_000  # longer lines are minified or data: our anchored rules still run, the rest not


@dataclass(frozen=True)
class Options:
    """No options of its own yet; `exclude-paths` is applied by the review for every check."""


def options(table: Mapping[str, Any]) -> Options:
    return Options()


def is_placeholder(secret: str) -> bool:
    """Template references, masked values and the like, which are not credentials."""
    body = secret.split("_", 1)[-1].split("-")[-1]
    return bool(_PLACEHOLDER.search(secret)) or len(set(body)) <= 2


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: str
    title: str
    secret: str
    severity: Severity
    remediation: str
    start: int


def _line_hits(path: str, line: AddedLine) -> list[_Hit]:
    """All credentials on one line, our rules first; a detector's hit inside another's is dropped."""
    text, lowered = line.text, line.text.lower()
    hits: list[_Hit] = []
    for match in scan_text(text, lowered):
        severity = Severity.ERROR if match.rule.is_well_formed(match.secret) else Severity.WARNING
        hits.append(_Hit(match.rule.id, match.rule.title, match.secret, severity, match.rule.remediation, match.start))
    if len(text) <= _MAX_LINE and ds_plugins.worth_scanning(lowered):
        for hit in ds_plugins.scan_line(path, text, lowered, line.lineno):
            start, secret = _whole_token(text, hit.secret)
            if not any(secret in h.secret or h.secret in secret for h in hits):
                hits.append(_Hit(hit.rule, hit.title, secret, hit.severity, hit.remediation, start))
    return [h for h in hits if h.rule == "private-key" or not is_placeholder(h.secret)]


def _whole_token(text: str, found: str) -> tuple[int, str]:
    """Where `found` sits in `text`, widened to the token it begins.

    Some detect-secrets plugins yield only a regex group (GitHub's yields `ghp`), which must not
    become the redacted span: the rest of the token would leak into the excerpt.
    """
    start = text.find(found)
    if start < 0:
        return 0, found
    end = start + len(found)
    while end < len(text) and (text[end].isalnum() or text[end] in _TOKEN_CHARS):
        end += 1
    return start, text[start:end]


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Findings for the added lines of one file; a private key block spans BEGIN..END lines."""
    if change.is_binary or change.is_submodule:
        return
    added = change.added
    for index, line in enumerate(added):
        hits = _line_hits(change.path, line)
        if not hits:
            continue
        excerpt = redact(line.text, (h.secret for h in hits if h.rule != "private-key"))
        for hit in sorted(hits, key=lambda h: h.start):
            end_line = _block_end(added, index) if hit.rule == "private-key" else line.lineno
            yield Finding(
                check=ID,
                rule=hit.rule,
                severity=hit.severity,
                path=change.path,
                line=line.lineno,
                end_line=end_line,
                commit=change.commit,
                message=f"{hit.title} added to {change.path}" + _format_note(hit.severity),
                remediation=hit.remediation,
                fingerprint=fingerprint(ID, hit.rule, change.path, _matched(hit, added, index, end_line)),
                excerpt=excerpt,
            )


def _format_note(severity: Severity) -> str:
    return "" if severity is Severity.ERROR else " (it fails the format's own check: a placeholder?)"


def _block_end(added: Sequence[AddedLine], start: int) -> int:
    """The line of the `-----END ... PRIVATE KEY-----` closing the block that starts at `start`."""
    for line in added[start + 1 :]:
        if "-----END" in line.text:
            return line.lineno
    return added[start].lineno


def _matched(hit: _Hit, added: Sequence[AddedLine], start: int, end_line: int) -> str:
    """What identifies the secret: the token, or a private key's whole block."""
    if hit.rule != "private-key":
        return hit.secret
    return "".join(line.text for line in added[start:] if line.lineno <= end_line)
