"""Redaction of excerpts: a report (and a public CI log) never carries a secret.

Checks redact what they matched; `scrub` is the review's last guard for every excerpt of every check,
so a line holding a secret stays redacted even in another check's finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KEEP = 4
MAX_EXCERPT = 200
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"]*:)(?P<secret>[^\s@/'\"]+)(?=@)")
_ASSIGNED = re.compile(
    r"(?i)(?P<head>(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|auth|credential|private[_-]?key)"
    r"[\w.-]*[\"']?\s*(?::=|=>|=|:)\s*[\"']?)(?P<secret>[^\s\"',;]{6,})"
)
_TOKEN_LIKE = re.compile(r"(?<![\w/+=-])(?P<secret>(?=[\w+/=-]*\d)(?=[\w+/=-]*[A-Za-z])[\w+/=-]{24,})(?![\w/+=-])")


def mask(secret: str) -> str:
    """Keep at most the first four characters: `ghp_****`."""
    return secret[: min(KEEP, max(len(secret) // 4, 0))] + "****"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each of `secrets` masked wherever it occurs."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, mask(secret))
    return text


def scrub(text: str, limit: int | None = MAX_EXCERPT, opaque_tokens: bool = True) -> str:
    """Mask whatever in `text` looks like a credential, then shorten it to `limit` for a report.

    `opaque_tokens=False` keeps long letter-and-digit runs (paths in error messages) and masks only
    what a rule, a URL password or a secret-named assignment marks as a credential.
    """
    from .checks.secrets.rules import scan_text

    text = redact(text, (m.secret for m in scan_text(text)))
    for pattern in (_URL_PASSWORD, _ASSIGNED, _TOKEN_LIKE) if opaque_tokens else (_URL_PASSWORD, _ASSIGNED):
        text = pattern.sub(_masked_group, text)
    text = text.strip()
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _masked_group(match: re.Match[str]) -> str:
    secret = match.group("secret")
    if secret.endswith("****"):
        return match.group(0)
    head = match.group(0)[: match.start("secret") - match.start(0)]
    return head + mask(secret)
