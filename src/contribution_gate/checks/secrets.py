"""The `secrets` check: credentials in the lines a change adds.

Three detectors: our own rules (`secret_rules`: AI providers, platforms, connection URLs, with offline
format checks), private key blocks (multi-line), and detect-secrets' plugins for what our rules do
not cover (generic assignments and rarer services), called directly through `ds_plugins`.

Speed: one case-insensitive search of every keyword over a file's whole added text rejects most
files without looking at a line; detect-secrets is imported only when a line carries a hint one of
its plugins needs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from ..model import (
    AddedLine,
    FileChange,
    Finding,
    Severity,
    file_finding,
    fingerprint,
)
from ..redaction import redact
from . import NO_SETUP, Setup, ds_plugins
from .keywords import Keywords
from .secret_rules import NEAR_LINES, keywords, load_rules, scan_text

ID = "secrets"
_PLACEHOLDER = re.compile(
    r"(?i)(?:x{4,}|\*{3,}|\.{3}|…|<[^>]*>|\$\{|^\$|\{\{|\{[\w.]*\}|%\(|%s|changeme|change_me|your[_-]|example|dummy|placeholder|"
    r"redacted|replace[_-]?me|sample|not[_-]?a[_-]?real|fake|test[_-]?(?:key|token|secret|password)|"
    r"^arn:aws:|/secrets/|^projects/|^vault:|^(?:ssm|secretsmanager|keyvault|sm)://)"
)
_SEQUENCE = ("0123456789abcdefghijklmnopqrstuvwxyz" * 2) + "|" + ("9876543210" * 4)
_DEFAULT_PASSWORDS = frozenset(
    "password pass passwd pwd pw secret changeme root admin postgres mysql redis guest test user "
    "default toor 1234 12345 123456 qwerty letmein".split()
)
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----")
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{40,}")
_TOKEN_CHARS = "_-+/=."
_CODE_EXTENSIONS = frozenset(
    "py pyi pyx js jsx mjs cjs ts tsx java kt kts scala groovy go rb php cs c h cc cpp hpp rs swift m mm "
    "dart lua pl pm r jl ex exs erl hs clj vue svelte".split()
)
# hashes and integrity strings sit next to words like "key" here: only token formats are looked for
_LOCK_FILES = frozenset(
    "package-lock.json npm-shrinkwrap.json yarn.lock pnpm-lock.yaml poetry.lock Pipfile.lock uv.lock pdm.lock "
    "Cargo.lock go.sum composer.lock Gemfile.lock packages.lock.json mix.lock pubspec.lock".split()
)
WINDOW = 10_000  # a longer line (minified code, data) is scanned in windows of this size
_OVERLAP = 512  # longer than any token a rule matches, so none is cut in two
DEFAULT_MAX_FILE_SIZE = 1 << 20


@dataclass(frozen=True)
class Options:
    """`allow`: regular expressions of values that are not secrets here (a project's known test
    values). `exclude-paths`, `allow-paths` and baselines are applied by the review and policy."""

    allow: tuple[re.Pattern[str], ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    return Options(
        allow=tuple(re.compile(p) for p in table.get("allow", ())),
        max_file_size=table.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
    )


def is_placeholder(secret: str) -> bool:
    """Template references, masked values, default passwords and the like: not credentials."""
    tail = secret[len(secret) // 3 :]  # past any prefix: `sk-proj-AAAA…`, `AKIA` + `AAAA…`
    words = [w for w in re.split(r"[\W_]+", unquote(secret).lower()) if w]  # `pass%20pass`
    return (
        bool(_PLACEHOLDER.search(secret))
        or len(set(tail)) <= 2
        or secret.lower() in _SEQUENCE  # `0123456789abcdef`, `abcdefgh`
        or bool(words) and all(w in _DEFAULT_PASSWORDS for w in words)
    )


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: str
    title: str
    secret: str
    severity: Severity
    remediation: str
    start: int


@lru_cache(maxsize=1)
def _candidate() -> Keywords:
    """Any keyword of our rules or of a detect-secrets plugin: the one test most text fails."""
    return Keywords({*keywords(), *ds_plugins.KEYWORDS, "private key"})


@lru_cache(maxsize=1)
def _near_keyword() -> Keywords:
    return Keywords({k for rule in load_rules() if rule.near for k in rule.keywords})


def _line_hits(path: str, text: str, lowered: str, lineno: int, nearby: str, opts: Options) -> list[_Hit]:
    """All credentials on one line, our rules first; a detector's hit inside another's is dropped."""
    hits: list[_Hit] = []

    def add(hit: _Hit) -> None:
        if not any(hit.secret in h.secret or h.secret in hit.secret for h in hits):
            hits.append(hit)

    name = path.rsplit("/", 1)[-1]
    code = name.rpartition(".")[2].lower() in _CODE_EXTENSIONS
    for offset in range(0, max(len(text) - _OVERLAP, 1), WINDOW - _OVERLAP):
        window, low = text[offset : offset + WINDOW], lowered[offset : offset + WINDOW]
        for match in scan_text(window, low, nearby, name not in _LOCK_FILES, code):  # specific rules first
            severity = Severity.ERROR if match.rule.is_well_formed(match.secret) else Severity.WARNING
            rule = match.rule
            add(_Hit(rule.id, rule.title, match.secret, severity, rule.remediation, offset + match.start))
    if len(text) <= WINDOW and ds_plugins.worth_scanning(lowered):
        for found in ds_plugins.scan_line(path, text, lowered, lineno):
            start, secret = _whole_token(text, found.secret)
            add(_Hit(found.rule, found.title, secret, found.severity, found.remediation, start))
    return [h for h in hits if not is_placeholder(h.secret) and not any(p.search(h.secret) for p in opts.allow)]


def _whole_token(text: str, found: str) -> tuple[int, str]:
    """Where `found` sits in `text`, widened to the token it begins.

    Some detect-secrets plugins yield only a regex group (a prefix), which must not become the
    redacted span: the rest of the token would leak into the excerpt.
    """
    start = text.find(found)
    if start < 0:
        return 0, found
    end = start + len(found)
    while end < len(text) and (text[end].isalnum() or text[end] in _TOKEN_CHARS):
        end += 1
    return start, text[start:end]


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Findings for the added lines of one file."""
    if change.is_binary or change.is_submodule or not change.added:
        return
    added = change.added
    joined = "\n".join(line.text for line in added).lower()
    if len(joined) > opts.max_file_size:
        yield _too_large(change, len(joined), opts.max_file_size)
        return
    candidates = _candidate().lines(joined)
    if not candidates:
        return
    lowered = joined.split("\n")
    near = {i for hit in _near_keyword().lines(joined) for i in range(hit - NEAR_LINES, hit + NEAR_LINES + 1)}
    for index in sorted(candidates | (near & set(range(len(added))))):
        line = added[index]
        nearby = "\n".join(lowered[max(0, index - NEAR_LINES) : index + NEAR_LINES + 1]) if index in near else ""
        hits = _line_hits(change.path, line.text, lowered[index], line.lineno, nearby, opts)
        key = _private_key(added, index)
        if not hits and key is None:
            continue
        shown = line.text
        if len(shown) > WINDOW and hits:  # show where the secret is, not the start of a long line
            first = min(h.start for h in hits)
            shown = shown[max(0, first - 60) : first + 140]
        excerpt = redact(shown, (h.secret for h in hits))
        for hit in sorted(hits, key=lambda h: h.start):
            yield _finding(change, hit, line.lineno, line.lineno, hit.secret, excerpt)
        if key is not None:
            yield _finding(change, key[0], line.lineno, key[1], key[2], excerpt)


def _private_key(added: Sequence[AddedLine], index: int) -> tuple[_Hit, int, str] | None:
    """A private key block starting on this line: the hit, its last line, and its whole text.

    A BEGIN line alone (a parser, documentation) is not a key: its body must follow, on the same
    line (a JSON string with escaped newlines) or on the next added line.
    """
    text = added[index].text
    header = _PRIVATE_KEY.search(text)
    if header is None:
        return None
    rest = text[header.end() :].replace("\\n", "\n")
    following = added[index + 1].text if index + 1 < len(added) and added[index + 1].lineno == added[index].lineno + 1 else ""
    if not (_KEY_BODY.search(rest) or _KEY_BODY.match(following.strip()) or ":" in following):
        return None
    end_line = added[index].lineno
    if "-----END" not in rest:
        for line in added[index + 1 :]:
            if "-----END" in line.text:
                end_line = line.lineno
                break
    block = "".join(line.text for line in added[index:] if line.lineno <= end_line)
    in_json = '"private_key"' in text
    rule = "gcp-service-account-key" if in_json else "private-key"
    title = "Google service account key" if in_json else "Private key"
    remediation = (
        "Delete the key in Google Cloud (IAM > Service accounts > Keys) and use workload identity federation."
        if in_json
        else "Treat the key as compromised: replace it (and revoke its certificate), and keep keys out of the repository."
    )
    return _Hit(rule, title, header.group(0), Severity.ERROR, remediation, header.start()), end_line, block


def _too_large(change: FileChange, size: int, limit: int) -> Finding:
    return Finding(
        check=ID,
        rule="file-too-large",
        severity=Severity.NOTE,
        path=change.path,
        line=change.added[0].lineno,
        commit=change.commit,
        message=f"{change.path} adds {size / (1 << 20):.1f} MiB of text, over the {limit / (1 << 20):.1f} MiB limit: not scanned for secrets",
        remediation="Keep generated or vendored data out of the change, or raise [secrets] max-file-size to scan it.",
        fingerprint=fingerprint(ID, "file-too-large", change.path, str(change.blob or change.commit)),
    )


def _finding(change: FileChange, hit: _Hit, line: int, end_line: int, matched: str, excerpt: str) -> Finding:
    note = "" if hit.severity is Severity.ERROR else " (it fails the format's own check: a placeholder?)"
    finding = file_finding(
        ID, hit.rule, hit.severity, change, line, f"{hit.title} added to {change.path}{note}", hit.remediation, matched, excerpt, end_line
    )
    return replace(finding, value_sha1=hashlib.sha1(hit.secret.encode("utf-8", "surrogatepass")).hexdigest())
