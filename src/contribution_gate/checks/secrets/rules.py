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
from .values import after_image_query, names_a_secret, passphrase, plausible

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

    def accepts(self, secret: str, match: re.Match[str], start: int) -> bool:
        """The rule's filter: False for a value that reads as a name, word, code, reference or
        prose, for a URL on a documentation host (`user:pass@db.example.com`), or for a JDBC
        parameter outside a JDBC URL."""
        if self.filter == "plausible":
            if _SPACE.search(secret):  # a quoted value with spaces: a passphrase?
                name = match.string[match.start() : match.end("name")] if "name" in match.re.groupindex else ""
                return passphrase(secret) and names_a_secret(name)
            return plausible(secret) and not after_image_query(match.string, start)
        if self.filter == "real-host":
            return not _EXAMPLE_HOST.search(match.group("host") or "")
        if self.filter == "jdbc-url":
            return _in_jdbc_url(match.string, match.start())
        return True

    def is_well_formed(self, secret: str) -> bool:
        """The offline format check: False means probably a placeholder, not a live token."""
        kind, _, arg = self.validate.partition(":")
        check = _VALIDATORS.get(kind)
        return check(secret, arg) if check else True


_EXAMPLE_HOST = re.compile(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$")
_JDBC = re.compile(r"(?i)jdbc:[a-z0-9]{1,20}:")
_SPACE = re.compile(r"\s")
_SECRET_GROUPS = ("secret", "secret2", "secret3", "secret4")
_NOT_IN_LOCK_FILES = ("plausible", "real-host")  # rules resting on a name or a URL's shape


def _in_jdbc_url(text: str, start: int) -> bool:
    """Whether the URL that `start` is in (no space or quote before it, at most 800 characters
    back) is a JDBC one: found by looking back, not by a regex with two repeats over its text."""
    head = text[max(0, start - 800) : start]
    url = head.split()[-1] if head and not head[-1].isspace() else ""
    for quote in "\"'`":
        url = url.rpartition(quote)[2]
    return bool(_JDBC.search(url))


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A secret and where it is; `end` can reach past it to the end of the value it begins
    (an unquoted value with more words after it, masked whole)."""

    rule: Rule
    secret: str
    start: int
    end: int


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
        if rule.filter in _NOT_IN_LOCK_FILES and not generic:
            continue
        groups = _groups(rule.regex)
        quotes: _QuoteCounter | None = None
        for match in rule.regex.finditer(text):
            group = next((g for g in groups if match.group(g) is not None), None)
            secret, start = match.group(group or 0), match.start(group or 0)
            quoted = start > 0 and text[start - 1] in "'\"`"
            if code and rule.quoted_in_code and not quoted:
                continue
            if quoted and match.end() > start + len(secret):
                quotes = quotes or _QuoteCounter(text)
                if quotes.inside(start - 1):
                    continue  # `"KEY=" + x + "..."`: the quote after `=` closes a string, opens none
            if rule.accepts(secret, match, start):
                end = start + len(secret)
                if rule.filter == "plausible" and not quoted and not code:
                    end = _value_end(text, end)
                yield RuleMatch(rule, secret, start, end)


@lru_cache(maxsize=64)
def _groups(regex: re.Pattern[str]) -> tuple[str, ...]:
    """The secret groups a rule's regex has, in the order they are tried."""
    return tuple(g for g in _SECRET_GROUPS if g in regex.groupindex)


class _QuoteCounter:
    """Whether a quote closes a string (an odd number of its kind before it on the line), counted
    as matches come in order, so a line is counted once per rule however many matches it has."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._counted: dict[str, tuple[int, int]] = {}  # quote -> (up to, count)

    def inside(self, at: int) -> bool:
        quote = self._text[at]
        upto, count = self._counted.get(quote, (0, 0))
        if at < upto:
            upto, count = 0, 0
        count += self._text.count(quote, upto, at)
        self._counted[quote] = (at, count)
        return count % 2 == 1


def _value_end(text: str, end: int) -> int:
    """Where an unquoted value in configuration ends: a YAML plain scalar or an env file's value
    runs to the end of the line, so words after the first are part of it, up to a comment."""
    if end >= len(text) or not text[end].isspace():
        return end
    rest = text[end : end + 200]
    for marker in (" #", "\t#", " ;", " //"):
        cut = rest.find(marker)
        if cut >= 0:
            rest = rest[:cut]
    return end + len(rest.rstrip())
