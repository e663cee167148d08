"""The `secrets` check: credentials in the lines a change adds.

Three detectors: our own rules (`secret_rules`: AI providers, platforms, connection URLs, with offline
format checks), private key blocks (multi-line), and detect-secrets' plugins for what our rules do
not cover (generic assignments and rarer services), called directly through `plugins`.

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

from ...model import NO_SETUP, FileChange, Finding, Setup, Severity, file_finding, fingerprint
from ...redaction import redact
from ..keywords import Keywords
from . import plugins
from .rules import NEAR_LINES, RuleMatch, keywords, load_rules, scan_text

ID = "secrets"
_PLACEHOLDER = re.compile(
    r"(?i)(?:x{4,}|\*{3,}|\.{3}|…|<[^>]*>|\$\{|^\$|\{\{|\{[\w.]*\}|%\(|%s|changeme|change_me|your[_-]|example|dummy|placeholder|"
    r"redacted|replace[_-]?me|sample|not[_-]?a[_-]?real|fake|test[_-]?(?:key|token|secret|password)|"
    r"^arn:aws:|/secrets/|^projects/|^vault:|^(?:ssm|secretsmanager|keyvault|sm)://)"
)
_SEQUENCE = ("0123456789abcdefghijklmnopqrstuvwxyz" * 2) + "|" + ("9876543210" * 4)
_DEFAULT_PASSWORDS = frozenset(
    [
        "password",
        "pass",
        "passwd",
        "pwd",
        "pw",
        "secret",
        "changeme",
        "root",
        "admin",
        "postgres",
        "mysql",
        "redis",
        "guest",
        "test",
        "user",
        "default",
        "toor",
        "1234",
        "12345",
        "123456",
        "qwerty",
        "letmein",
    ]
)
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----")
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{40,}")
_TOKEN_CHARS = "_-+/=."
_CODE_EXTENSIONS = frozenset(
    [
        "py",
        "pyi",
        "pyx",
        "js",
        "jsx",
        "mjs",
        "cjs",
        "ts",
        "tsx",
        "java",
        "kt",
        "kts",
        "scala",
        "groovy",
        "go",
        "rb",
        "php",
        "cs",
        "c",
        "h",
        "cc",
        "cpp",
        "hpp",
        "rs",
        "swift",
        "m",
        "mm",
        "dart",
        "lua",
        "pl",
        "pm",
        "r",
        "jl",
        "ex",
        "exs",
        "erl",
        "hs",
        "clj",
        "vue",
        "svelte",
    ]
)
# hashes and integrity strings sit next to words like "key" here: only token formats are looked for
_LOCK_FILES = frozenset(
    [
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "Cargo.lock",
        "go.sum",
        "composer.lock",
        "Gemfile.lock",
        "packages.lock.json",
        "mix.lock",
        "pubspec.lock",
    ]
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
        or bool(words)
        and all(w in _DEFAULT_PASSWORDS for w in words)
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
    return Keywords({*keywords(), *plugins.KEYWORDS, "private key"})


@lru_cache(maxsize=1)
def _near_words() -> frozenset[str]:
    """The keywords of the rules that also look at the lines around a keyword (`aws` three lines up)."""
    return frozenset(k for rule in load_rules() if rule.near for k in rule.keywords)


@dataclass(frozen=True, slots=True)
class _FileKind:
    """What the rules need to know of a file, worked out once per file rather than once per line."""

    path: str
    generic: bool  # name-based rules run (not in lock files, where hashes sit next to "key")
    code: bool  # source code: name-based rules take quoted literals only

    @classmethod
    def of(cls, path: str) -> _FileKind:
        name = path.rsplit("/", 1)[-1]
        return cls(path, name not in _LOCK_FILES, name.rpartition(".")[2].lower() in _CODE_EXTENSIONS)


Words = tuple[frozenset[str], frozenset[str]]  # the keywords on a line, and those of `near` rules around it


def _line_hits(kind: _FileKind, text: str, lowered: str, lineno: int, words: Words, opts: Options) -> list[_Hit]:
    """All credentials on one line, our rules first; a detector's hit inside another's is dropped."""
    hits: list[_Hit] = []
    if len(text) > WINDOW:  # a minified line: windows, each with its own keywords
        for offset in range(0, len(text) - _OVERLAP, WINDOW - _OVERLAP):
            window, low = text[offset : offset + WINDOW], lowered[offset : offset + WINDOW]
            on_window = frozenset(_candidate().found(low))
            for match in scan_text(
                window, low, generic=kind.generic, code=kind.code, words=(on_window, on_window | words[1])
            ):
                _add(hits, _hit(match, offset + match.start))
    else:
        for match in scan_text(
            text, lowered, generic=kind.generic, code=kind.code, words=words
        ):  # specific rules first
            _add(hits, _hit(match, match.start))
        if not words[0].isdisjoint(plugins.KEYWORDS):
            for found in plugins.scan_line(kind.path, text, lowered, lineno):
                start, secret = _whole_token(text, found.secret)
                _add(hits, _Hit(found.rule, found.title, secret, found.severity, found.remediation, start))
    return (
        [h for h in hits if not is_placeholder(h.secret) and not any(p.search(h.secret) for p in opts.allow)]
        if hits
        else hits
    )


def _add(hits: list[_Hit], hit: _Hit) -> None:
    if not any(hit.secret in h.secret or h.secret in hit.secret for h in hits):
        hits.append(hit)


def _hit(match: RuleMatch, start: int) -> _Hit:
    rule = match.rule
    severity = Severity.ERROR if rule.is_well_formed(match.secret) else Severity.WARNING
    return _Hit(rule.id, rule.title, match.secret, severity, rule.remediation, start)


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
    """Findings for the added lines of one file.

    One Aho-Corasick pass over the file's added text finds every keyword; only the lines holding
    one (or near one, for `near` rules) are scanned, each by the rules its keywords name.
    """
    if change.is_binary or change.is_submodule or not change.added:
        return
    added = change.added
    joined = added.text.lower()
    if len(joined) > opts.max_file_size:
        yield _too_large(change, len(joined), opts.max_file_size)
        return
    on_lines = _candidate().by_line(joined)
    if not on_lines:
        return
    texts, lowered, numbers = added.text.split("\n"), joined.split("\n"), added.numbers()
    kind = _FileKind.of(change.path)
    for index, words in _lines_to_scan(on_lines, len(texts)):
        text, lineno = texts[index], numbers[index]
        hits = _line_hits(kind, text, lowered[index], lineno, words, opts)
        key = _private_key(texts, numbers, index) if "private key" in words[0] else None
        if not hits and key is None:
            continue
        shown = text
        if len(shown) > WINDOW and hits:  # show where the secret is, not the start of a long line
            first = min(h.start for h in hits)
            shown = shown[max(0, first - 60) : first + 140]
        excerpt = redact(shown, (h.secret for h in hits))
        for hit in sorted(hits, key=lambda h: h.start):
            yield _finding(change, hit, lineno, lineno, hit.secret, excerpt)
        if key is not None:
            yield _finding(change, key[0], lineno, key[1], key[2], excerpt)


_NONE: frozenset[str] = frozenset()


def _lines_to_scan(on_lines: dict[int, set[str]], count: int) -> Iterator[tuple[int, Words]]:
    """In order, every line holding a keyword and every line within NEAR_LINES of a `near` rule's
    keyword, with the keywords each one needs."""
    near_words = _near_words()
    near = {i: frozenset(words & near_words) for i, words in on_lines.items() if not near_words.isdisjoint(words)}
    if not near:
        for index in sorted(on_lines):
            yield index, (frozenset(on_lines[index]), _NONE)
        return
    indexes = set(on_lines)
    for hit in near:
        indexes.update(range(max(0, hit - NEAR_LINES), min(count, hit + NEAR_LINES + 1)))
    for index in sorted(indexes):
        around = _NONE.union(*(near.get(i, _NONE) for i in range(index - NEAR_LINES, index + NEAR_LINES + 1)))
        yield index, (frozenset(on_lines.get(index, _NONE)), around)


def _private_key(texts: Sequence[str], numbers: Sequence[int], index: int) -> tuple[_Hit, int, str] | None:
    """A private key block starting on this line: the hit, its last line, and its whole text.

    A BEGIN line alone (a parser, documentation) is not a key: its body must follow, on the same
    line (a JSON string with escaped newlines) or on the next added line.
    """
    text = texts[index]
    header = _PRIVATE_KEY.search(text)
    if header is None:
        return None
    rest = text[header.end() :].replace("\\n", "\n")
    following = texts[index + 1] if index + 1 < len(texts) and numbers[index + 1] == numbers[index] + 1 else ""
    if not (_KEY_BODY.search(rest) or _KEY_BODY.match(following.strip()) or ":" in following):
        return None
    last = index
    if "-----END" not in rest:
        last = next((i for i in range(index + 1, len(texts)) if "-----END" in texts[i]), index)
    end_line = numbers[last]
    # the key alone, from its BEGIN to its END marker, is what the fingerprint and baseline key are
    # made of: a comment or an allow marker after either marker does not change them
    first = text[header.start() :] if last == index else header.group(0)
    block = _through_end(first + "".join(texts[index + 1 : last + 1]))
    in_json = '"private_key"' in text
    rule = "gcp-service-account-key" if in_json else "private-key"
    title = "Google service account key" if in_json else "Private key"
    remediation = (
        "Delete the key in Google Cloud (IAM > Service accounts > Keys) and use workload identity federation."
        if in_json
        else "Treat the key as compromised: replace it (and revoke its certificate), and keep keys out of the repository."
    )
    return _Hit(rule, title, header.group(0), Severity.ERROR, remediation, header.start()), end_line, block


def _through_end(block: str) -> str:
    """`block` up to the end of its `-----END ...-----` marker, when it has one."""
    end = block.rfind("-----END")
    close = block.find("-----", end + len("-----END")) if end >= 0 else -1
    return block[: close + len("-----")] if close >= 0 else block


def _too_large(change: FileChange, size: int, limit: int) -> Finding:
    return Finding(
        check=ID,
        rule="file-too-large",
        severity=Severity.NOTE,
        path=change.path,
        line=change.added.lineno(0),
        commit=change.commit,
        message=f"{change.path} adds {size / (1 << 20):.1f} MiB of text, over the {limit / (1 << 20):.1f} MiB limit: not scanned for secrets",
        remediation="Keep generated or vendored data out of the change, or raise [secrets] max-file-size to scan it.",
        fingerprint=fingerprint(ID, "file-too-large", change.path, str(change.blob or change.commit)),
    )


def _finding(change: FileChange, hit: _Hit, line: int, end_line: int, matched: str, excerpt: str) -> Finding:
    note = "" if hit.severity is Severity.ERROR else " (it fails the format's own check: a placeholder?)"
    finding = file_finding(
        ID,
        hit.rule,
        hit.severity,
        change,
        line,
        f"{hit.title} added to {change.path}{note}",
        hit.remediation,
        matched,
        excerpt,
        end_line,
    )
    return replace(finding, value_sha1=hashlib.sha1(hit.secret.encode("utf-8", "surrogatepass")).hexdigest())
