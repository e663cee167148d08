"""contribution-gate's own secret rules, kept as data in `config/secret_rules.toml`.

A rule runs only where one of its keywords occurs (on the line, or for a `near` rule within three
lines of it), so most lines never meet a regular expression. Offline format checks (CRC32 in GitHub
and npm tokens, embedded markers, suffixes, the PyPI macaroon header, a JWT's JSON header) tell a
live-looking token from a placeholder.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ...errors import CheckError
from ...resources import data_file, tomllib
from ..keywords import Keywords

NEAR_LINES = 3
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...]
    remediation: str
    validate: str = ""
    near: bool = False
    filter: str = ""
    quoted_in_code: bool = False  # in source code, only a quoted literal is a value

    def accepts(self, secret: str, match: re.Match[str]) -> bool:
        """The rule's filter: False for a value that reads as a name, word, code or reference,
        or for a URL on a documentation host (`user:pass@db.example.com`)."""
        if self.filter == "plausible":
            return plausible(secret) and not _IMAGE_QUERY.search(
                match.string, 0, match.start("secret" if "secret" in match.re.groupindex else 0)
            )
        if self.filter == "real-host":
            return not _EXAMPLE_HOST.search(match.group("host") or "")
        return True

    def is_well_formed(self, secret: str) -> bool:
        """The offline format check: False means probably a placeholder, not a live token."""
        kind, _, arg = self.validate.partition(":")
        check = _VALIDATORS.get(kind)
        return check(secret, arg) if check else True


# a call or index, a template or format field, a URL, a decorator, a path
_CODE_OR_REFERENCE = re.compile(
    r"^[A-Za-z_][\w.]*[(\[]|^\$|\$\{|\{\{|\{\w*\}|%\(\w+\)|%[sd]$|://|^@|^\.{0,2}/|^<.*>$"
    r"|\(\?|\\[wsdbWSDB]|\[\^|\s|^[<>]|[)}\]]$"  # a regular expression, markup, prose, code
)
# a badge's or chart's URL (`codecov.io/.../badge.svg?token=...`): the token in it is a public,
# read-only one, made to be published in READMEs
_IMAGE_QUERY = re.compile(r"(?i)(?:\.(?:svg|png|gif)|/badge|/graphs?/[\w./-]*)\?(?:[^\s\"'`?#]*&)?\w+=$")
_EXAMPLE_HOST = re.compile(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$")
_WORD = re.compile(r"[a-z]{3,}|[A-Z][a-z]{2,}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PIECES = re.compile(r"[-_.:/#=+@!?*&|~^]+")
# a word, an identifier part or a short number: `input`, `API`, `Key`, `camelCase`, `v19`, `argon2id`
_WORDLIKE = re.compile(r"(?:[A-Z]?[a-z]+)+\d{0,4}|[A-Z]+\d{0,4}|[a-z]+\d[a-z]+|\d{1,4}")
_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))


def plausible(value: str) -> bool:
    """Whether a value assigned to a secret-sounding name could be a real secret.

    Not: code (`get(...)`, `${X}`, `settings.KEY`), a reference or path (`op://vault/item`,
    `prod/app/api-key`), a name or words joined by separators (`X-API-Key`, `argon2id-v19`,
    `MY_SECRET_KEY`), a single character class (`12345678`, `abcdefgh`), or shorter than eight.
    """
    value = value.strip("'\"`")
    if len(value) < 8 or _CODE_OR_REFERENCE.search(value) or _UUID.fullmatch(value):
        return False
    if sum(1 for c in _CLASSES if c.search(value)) < 2:
        return False
    pieces = [piece for piece in _PIECES.split(value) if piece]
    if ("/" in value or ":" in value) and sum(1 for p in pieces if _WORD.fullmatch(p)) >= 2:
        return False  # a reference: `github:org/repo#sha`, `prod/app/api-key`
    return not all(_WORDLIKE.fullmatch(piece) for piece in pieces)


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: Rule
    secret: str
    start: int


def _crc32_base62(token: str, _: str) -> bool:
    """GitHub's and npm's token format: 30 random characters, then their CRC32 in 6 base62 digits."""
    body = token.split("_", 1)[-1]
    payload, checksum = body[:-6], body[-6:]
    value = 0
    for char in checksum:
        value = value * 62 + _BASE62.index(char)
    return value == binascii.crc32(payload.encode("ascii"))


def _jwt(token: str, _: str) -> bool:
    """A JWT's first part is base64url JSON naming its algorithm."""
    head = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header


def _snowflake(token: str, _: str) -> bool:
    """A Discord token's first part is its bot's user id, a 17 to 20 digit number, in base64."""
    head = token.split(".", 1)[0]
    try:
        user_id = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
    except (ValueError, binascii.Error):
        return False
    return user_id.isdigit() and 17 <= len(user_id) <= 20


_VALIDATORS = {
    "suffix": lambda secret, arg: secret.endswith(arg),
    "contains": lambda secret, arg: arg in secret,
    "prefix": lambda secret, arg: secret.startswith(tuple(arg.split(","))),
    "crc32": _crc32_base62,
    "jwt": _jwt,
    "snowflake": _snowflake,
}


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    path = data_file("secret_rules.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["rule"]
        return tuple(
            Rule(
                id=r["id"],
                title=r["title"],
                regex=re.compile(r["regex"]),
                keywords=tuple(r["keywords"]),
                remediation=r["remediation"],
                validate=r.get("validate", ""),
                near=r.get("near", False),
                filter=r.get("filter", ""),
                quoted_in_code=r.get("quoted-in-code", False),
            )
            for r in raw
        )
    except (OSError, KeyError, re.error, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the secret rules from {path}: {exc}") from None


@lru_cache(maxsize=1)
def keywords() -> tuple[str, ...]:
    """Every keyword of every rule: a line with none of them needs no rule at all."""
    return tuple(sorted({k for rule in load_rules() for k in rule.keywords}))


@lru_cache(maxsize=1)
def _keyword_index() -> Keywords:
    return Keywords(keywords())


@lru_cache(maxsize=256)
def rules_for(on_line: frozenset[str], around: frozenset[str]) -> tuple[Rule, ...]:
    """The rules a line needs, in the file's order: those with a keyword on the line, and the `near`
    ones with a keyword within NEAR_LINES of it. A line's keywords come in few combinations, so
    the choice is made once per combination, not once per line."""
    return tuple(
        rule
        for rule in load_rules()
        if not on_line.isdisjoint(rule.keywords) or (rule.near and not around.isdisjoint(rule.keywords))
    )


def scan_text(
    text: str,
    lowered: str | None = None,
    nearby: str = "",
    generic: bool = True,
    code: bool = False,
    words: tuple[frozenset[str], frozenset[str]] | None = None,
) -> Iterator[RuleMatch]:
    """Every match of our rules in one line; `nearby` is the lower-cased text around it.

    `generic=False` leaves out the rules that rest on a name rather than a token format; `code`
    says the line is source code, where those rules take only quoted literals (`token = self.x`
    and `secret: PotentialSecret` are code, not values). `words`: the keywords on the line and
    around it when the caller has found them already.
    """
    if words is None:
        lowered = text.lower() if lowered is None else lowered
        on_line = frozenset(_keyword_index().found(lowered))
        words = (on_line, frozenset(_keyword_index().found(nearby)) if nearby else on_line)
    for rule in rules_for(*words):
        if rule.filter and not generic:
            continue
        for match in rule.regex.finditer(text):
            group = next((g for g in ("secret", "secret2") if match.groupdict().get(g)), None)
            secret, start = match.group(group or 0), match.start(group or 0)
            if code and rule.quoted_in_code and (start == 0 or text[start - 1] not in "'\"`"):
                continue
            if rule.accepts(secret, match):
                yield RuleMatch(rule, secret, start)
