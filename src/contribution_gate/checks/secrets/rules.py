"""contribution-gate's own secret rules, kept as data in `config/secret_rules.toml`.

A rule runs only where one of its keywords occurs (on the line, or for a `near` rule within three
lines of it), so most lines never meet a regular expression. Offline format checks (CRC32 in GitHub,
npm and Grafana tokens, GitLab's routable-token CRC, embedded markers, suffixes, the PyPI macaroon
header, the JSON inside JWTs and Sentry, Grafana and 1Password tokens, the `user:password` inside a
Basic credential, the Bech32 checksum of age keys, the UUID version of npm's legacy tokens) tell a
live-looking token from a placeholder.

Most rules are written in one of two short forms that this module turns into a regular expression
of a fixed, linear shape: a token with a literal `prefix` and a `token` body (`shpat_` + 32 hex),
or a provider's `names` and the `token` assigned to a name holding one (`MIXPANEL_SECRET = "..."`).
The rest give their own `regex`.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ...errors import CheckError
from ...resources import data_file, tomllib
from ..keywords import Keywords
from .values import after_image_query, is_placeholder, names_a_secret, passphrase, plausible

NEAR_LINES = 3
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SEVERITIES = ("error", "warning")
FILTERS = (
    "",
    "plausible",
    "real-host",
    "jdbc-url",
    "named",
    "credential",
    "user-password",
    "basic",
    "basic-or-password",
    "header",
)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    pattern: str  # the regular expression, compiled the first time a line needs the rule (`regex`)
    keywords: tuple[str, ...]
    remediation: str
    validate: str = ""
    near: bool = False
    filter: str = ""
    quoted_in_code: bool = False  # in source code, only a quoted literal is a value
    category: str = ""  # the family's group in the README's list
    severity: str = "error"  # "warning": a publishable identifier (shipped to browsers by design)
    paths: tuple[str, ...] = ()  # file name globs the rule is limited to (none: every file)
    name_pattern: re.Pattern[str] | None = None  # `names` rules: what the rest of the name must hold

    def accepts(self, secret: str, match: re.Match[str], start: int) -> bool:
        """The rule's filter: False for a value that reads as a name, word, code, reference or
        prose, for a URL on a documentation host (`user:pass@db.example.com`), for a JDBC
        parameter outside a JDBC URL, for a value that is not random or sits under a name that
        says it is a digest or an identifier (`named`, `credential`), for a `user:password` or a
        Basic credential without a real password (`user-password`, `basic`, `header`)."""
        if self.filter == "named":
            name = (match.group("name") if "name" in match.re.groupindex else "") or ""
            if self.name_pattern is not None and not self.name_pattern.search(name):
                return False
            return looks_random(secret) and not _NOT_A_SECRET_NAME.search(name)
        if self.filter == "plausible":
            if _SPACE.search(secret):  # a quoted value with spaces: a passphrase?
                name = match.string[match.start() : match.end("name")] if "name" in match.re.groupindex else ""
                return passphrase(secret) and names_a_secret(name)
            return plausible(secret) and not after_image_query(match.string, start)
        if self.filter == "real-host":
            return not _EXAMPLE_HOST.search(match.group("host") or "")
        if self.filter == "jdbc-url":
            return _in_jdbc_url(match.string, match.start())
        check = _VALUE_FILTERS.get(self.filter)
        return check(secret, match) if check else True

    def is_well_formed(self, secret: str) -> bool:
        """The offline format check: False means probably a placeholder, not a live token."""
        kind, _, arg = self.validate.partition(":")
        check = _VALIDATORS.get(kind)
        return check(secret, arg) if check else True

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern. Hundreds of rules, and a small change meets a handful: compiling
        all of them up front would cost more than the review of the change itself."""
        return _compiled(self.pattern)

    @property
    def public(self) -> bool:
        """A publishable identifier (a browser-side project key): reported, never an error."""
        return self.severity == "warning"

    def applies_to(self, path: str) -> bool:
        """Whether the rule runs on a file of this path (rules limited to some files skip the rest,
        and text that is no file's, like a commit message)."""
        if not self.paths:
            return True
        name = path.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(path, glob) for glob in self.paths)


# what splits a value into pieces; a backslash too: an escape inside a string (`hunter2` `\n` `server`)
_SEPARATORS = re.compile(r"[-_.:/+=~\\]+")
# one piece of a value that reads as a word, a name part or a short number (`Key`, `v19`, `camelCase`)
_WORDISH = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*\d{0,4}|[A-Z]+\d{0,4}|\d{1,4}")


def _credential(value: str) -> bool:
    """A password or token written out: not a variable, template or placeholder, and random."""
    return not value.startswith(("$", "%", "{", "<")) and not is_placeholder(value) and looks_random(value)


def _decoded_credential(value: str) -> bool:
    """A base64 password (`.npmrc`'s `_password`): printable, and a credential once decoded."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return decoded.isprintable() and len(decoded) >= 4 and not is_placeholder(decoded)


def _user_password(secret: str, _: re.Match[str]) -> bool:
    """`user:password` (or `token:` with an empty password, as curl -u takes API keys)."""
    user, colon, password = secret.partition(":")
    return bool(colon) and _credential(password or user)


def _header(secret: str, match: re.Match[str]) -> bool:
    """An Authorization header's value: a Basic credential holds `user:password`, others are tokens."""
    basic = "basic" in match.re.groupindex and match.group("basic")
    return _basic(secret, "") if basic else _credential(secret)


def _basic_or_password(secret: str, match: re.Match[str]) -> bool:
    """`.npmrc`'s `_auth` is a Basic credential, its `_password` a base64 password."""
    return _basic(secret, "") or ("_password" in match.group(0).lower() and _decoded_credential(secret))


_RUN = 8  # characters counting up in a row that no random token has (1 in 62^7 per place)


def counts_up(value: str) -> bool:
    """Whether the value holds a run of characters counting up (`abcdefgh`, `01234567`,
    `ABCDEFGH`): a fake built to look like a token (`ya29.A0Ar-abcdef0123456789`), not one."""
    run = 1
    for before, char in itertools.pairwise(value):
        run = run + 1 if ord(char) == ord(before) + 1 and char.isalnum() and before.isalnum() else 1
        if run >= _RUN:
            return True
    return False


def looks_random(value: str) -> bool:
    """Whether a token-shaped value is random rather than made of words or one repeated class:
    not `abcdefabcdefabcd` run together from words and separators, not a run of one character,
    not digits alone (an id or a number)."""
    if value.isdigit() or len(set(value)) <= 3:
        return False
    pieces = [piece for piece in _SEPARATORS.split(value) if piece]
    return not all(_WORDISH.fullmatch(piece) for piece in pieces)


# a name that says its value is a digest, an identifier or a public part, not a credential
_NOT_A_SECRET_NAME = re.compile(
    r"(?i)hash|digest|checksum|sha(?:\d|_|\b)|md5|etag|fingerprint|commit|revision|version|uuid|_id\b|[a-z]Id\b|public|pubkey"
)
_EXAMPLE_HOST = re.compile(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$")
_JDBC = re.compile(r"(?i)jdbc:[a-z0-9]{1,20}:")
_SPACE = re.compile(r"\s")
_SECRET_GROUPS = ("secret", "secret2", "secret3", "secret4")
# rules resting on a name, a command or a URL's shape: lock files' hashes sit next to such words
_NOT_IN_LOCK_FILES = ("plausible", "real-host", "named", "credential", "user-password", "header", "basic-or-password")


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


def _crc32_hex_le(token: str, _: str) -> bool:
    """Grafana's service account tokens: `glsa_<32 random>_` then the CRC32 of all before the last
    `_`, as 8 hex digits of its bytes in little-endian order."""
    body, _sep, checksum = token.rpartition("_")
    if len(checksum) != 8:
        return False
    return binascii.crc32(body.encode("ascii")).to_bytes(4, "little").hex() == checksum.lower()


def _to_base36(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not value:
            return digits


def _routable(token: str, _: str) -> bool:
    """GitLab's routable tokens: prefix, base64url payload, `.`, the payload's length in 2 base36
    digits, then the CRC32 of all that in 7 base36 digits."""
    head, _sep, tail = token.rpartition(".")
    if len(tail) != 9:
        return False
    payload = head.split("-", 1)[-1].split("_", 1)[-1] if head.startswith("glrt-t") else head.split("-", 1)[-1]
    length_ok = tail[:2] == _to_base36(len(payload)).rjust(2, "0")
    return length_ok and tail[2:] == _to_base36(binascii.crc32((head + "." + tail[:2]).encode("ascii"))).rjust(7, "0")


def _b64_json(text: str) -> Any:
    try:
        return json.loads(base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        return None


def _b64json(token: str, keys: str) -> bool:
    """A token carrying a base64 JSON object with these keys: the whole token, the part after its
    prefix (`glc_`, `ops_`), or that part up to its last `_` (Sentry's `sntrys_<json>_<secret>`)."""
    wanted = [k for k in keys.split(",") if k]
    rest = token.split("_", 1)[1] if "_" in token else token
    for part in (token, rest, rest.rpartition("_")[0]):
        data = _b64_json(part) if part else None
        if isinstance(data, dict) and all(k in data for k in wanted):
            return True
    return False


def _b64jwt(token: str, _: str) -> bool:
    """A JWT written in base64 (a Kubernetes secret's data, an env file's value): a JWT once decoded."""
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("ascii").strip()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return decoded.count(".") == 2 and _jwt(decoded, "")


def _basic(token: str, _: str) -> bool:
    """A Basic credential is base64 of `user:password`: the password must be there and not a
    placeholder or a default (`admin:admin`)."""
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, colon, password = decoded.partition(":")
    printable = decoded.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()
    return bool(colon and password and printable) and not is_placeholder(password) and password != user


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _bech32(token: str, _: str) -> bool:
    """Bech32 (BIP 173), as age writes its secret keys: a human-readable part, `1`, the data and
    a 6-character checksum over both; the check is the BCH code's remainder being 1."""
    hrp, separator, data = token.lower().rpartition("1")
    if not separator or not hrp or len(data) < 6 or any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + [_BECH32.index(c) for c in data]
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_BECH32_GENERATOR):
            if (top >> bit) & 1:
                check ^= generator
    return check == 1


_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _uuid4(token: str, _: str) -> bool:
    """A random (version 4) UUID, as npm's legacy tokens are: the version digit 4, the variant 8-b."""
    return bool(_UUID4.fullmatch(token.lower()))


_VALUE_FILTERS: dict[str, Callable[[str, re.Match[str]], bool]] = {
    "credential": lambda secret, _: _credential(secret),
    "user-password": _user_password,
    "basic": lambda secret, _: _basic(secret, ""),
    "basic-or-password": _basic_or_password,
    "header": _header,
}
_VALIDATORS = {
    "suffix": lambda secret, arg: secret.endswith(arg),
    "contains": lambda secret, arg: arg in secret,
    "prefix": lambda secret, arg: secret.startswith(tuple(arg.split(","))),
    "crc32": _crc32_base62,
    "crc32-hex-le": _crc32_hex_le,
    "gitlab-routable": _routable,
    "b64json": _b64json,
    "basic": _basic,
    "b64jwt": _b64jwt,
    "bech32": _bech32,
    "uuid4": _uuid4,
    "jwt": _jwt,
    "snowflake": _snowflake,
}
# what each check is called in the README's list of families
CHECK_NAMES = {
    "suffix": "suffix",
    "contains": "marker",
    "prefix": "header",
    "crc32": "CRC32",
    "crc32-hex-le": "CRC32",
    "gitlab-routable": "CRC32",
    "b64json": "JSON inside",
    "basic": "user:password inside",
    "b64jwt": "JWT inside",
    "bech32": "Bech32 checksum",
    "uuid4": "UUID version",
    "jwt": "JSON header",
    "snowflake": "user id inside",
}


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    path = data_file("secret_rules.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["rule"]
        rules = tuple(_rule(r) for r in raw)
    except (OSError, KeyError, TypeError, ValueError, re.error, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the secret rules from {path}: {exc}") from None
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise CheckError(f"cannot load the secret rules from {path}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    return rules


def _rule(r: Mapping[str, Any]) -> Rule:
    """One [[rule]] table: a `regex`, or a `prefix` or `names` with a `token` (see build_regex)."""
    regex, keywords, filter_ = build_regex(r)
    severity = r.get("severity", "error")
    kind = r.get("validate", "").partition(":")[0]
    filter_ = r.get("filter", filter_)
    if severity not in SEVERITIES or (kind and kind not in _VALIDATORS) or filter_ not in FILTERS:
        raise ValueError(f"rule {r['id']}: unknown severity, validate or filter {severity!r}, {kind!r}, {filter_!r}")
    title = r["title"]
    return Rule(
        id=r["id"],
        title=title,
        pattern=regex,
        keywords=tuple(r.get("keywords", keywords)),
        remediation=r.get("remediation")
        or f"Revoke this {title[0].lower() + title[1:]} with its provider now (it is leaked once pushed), "
        "then load the new one from the environment or a secret manager.",
        validate=r.get("validate", ""),
        near=r.get("near", False),
        filter=filter_,
        quoted_in_code=r.get("quoted-in-code", False),
        category=r.get("category", ""),
        severity=severity,
        paths=tuple(r.get("paths", ())),
        name_pattern=re.compile(r["name-pattern"]) if "name-pattern" in r else None,
    )


def build_regex(r: Mapping[str, Any]) -> tuple[str, list[str], str]:
    r"""A rule's regular expression, default keywords and default filter, from its table.

    `prefix` (one or a list of literal strings) + `token` (the body after it):
    `(?P<secret>PREFIX(?<!EDGE PREFIX)TOKEN)(?!EDGE)` - the token starts no word and ends one;
    the guard comes after the literal prefix so that `re` jumps from one occurrence of the
    prefix to the next. Keywords: the prefixes.

    `names` (words a provider's variables carry) + `token` (the whole value): the value assigned
    to a name holding one of the words, in code, env files, YAML, JSON, TOML, XML or a call's
    arguments (`MIXPANEL_API_SECRET = "..."`, `"mixpanel_secret": "..."`, `mixpanel.init("...")`,
    `setenv("MIXPANEL_SECRET", "...")`), or followed by up to two words (`mixpanel Secret: ...`,
    Go's `mixpanelKey string = "..."`); the name's rest is the
    group `name`, which the `named` filter reads. Keywords: the names. Words shorter than six
    letters must start the name or follow a non-letter (`sumo`, not `consumo`).

    EDGE is `[\w-]`, widened by `+/=` when the token can hold them (base64), or the rule's `edge`;
    before the prefix, an `=` is always allowed (`KEY=token`).
    """
    token = r.get("token")
    if "regex" in r:
        return r["regex"], [], ""
    if token is None:
        raise ValueError(f"rule {r['id']}: give a regex, or a prefix or names with a token")
    edge = r.get("edge") or ("[\\w+/=-]" if any(c in token for c in "+/=") else "[\\w-]")
    if "prefix" in r:
        prefixes = [r["prefix"]] if isinstance(r["prefix"], str) else list(r["prefix"])
        before = edge.replace("=", "")  # `KEY=token`: an `=` before the prefix is an assignment
        alternatives = "|".join(f"{re.escape(p)}(?<!{before}{re.escape(p)})" for p in prefixes)
        return f"(?P<secret>(?:{alternatives}){token})(?!{edge})", [p.lower() for p in prefixes], ""
    # a name another one begins (`dd_app` and `dd_app_key`) would be matched two ways: keep the shorter
    given = [n.lower() for n in r["names"]]
    names = [n for n in given if not any(o != n and n.startswith(o) for o in given)]
    words = "|".join(re.escape(n) if len(n) >= 6 else f"(?<![A-Za-z]){re.escape(n)}" for n in names)
    assign = "(?:[\"'\\]]{0,2}\\s{0,8}(?::=|=>|[:=,>])\\s{0,8}[\"'`]?|\\(\\s{0,8}[\"'`])"
    name = "(?P<name>[\\w.-]{0,40}(?:[ \\t][A-Za-z][\\w.-]{0,19}){0,2})"  # `mixpanel_secret`, `algolia Key`
    regex = f"(?i:(?:{words}){name}{assign})(?P<secret>{token})(?!{edge})"
    return regex, [n.lower() for n in names], "named"


def is_public(rule_id: str) -> bool:
    """Whether the rule of this id finds a publishable identifier (reported as a warning)."""
    return rule_id in _public_ids()


@lru_cache(maxsize=1)
def _public_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in load_rules() if rule.public)


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
    path: str = "",
) -> Iterator[RuleMatch]:
    """Every match of our rules in one line; `nearby` is the lower-cased text around it.

    `generic=False` leaves out the rules that rest on a name rather than a token format; `code`
    says the line is source code, where those rules take only quoted literals (`token = self.x`
    and `secret: PotentialSecret` are code, not values). `words`: the keywords on the line and
    around it when the caller has found them already. `path`: the file the line is in (rules
    limited to some files need it; text of no file meets none of them).
    """
    if words is None:
        lowered = text.lower() if lowered is None else lowered
        on_line = frozenset(_keyword_index().found(lowered))
        words = (on_line, frozenset(_keyword_index().found(nearby)) if nearby else on_line)
    for rule in rules_for(*words):
        if rule.filter in _NOT_IN_LOCK_FILES and not generic:
            continue
        if rule.paths and not rule.applies_to(path):
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
            if rule.accepts(secret, match, start) and not counts_up(secret):
                end = start + len(secret)
                if rule.filter == "plausible" and not quoted and not code:
                    end = _value_end(text, end)
                yield RuleMatch(rule, secret, start, end)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:  # the data file's own rules are compiled by the tests; this is a guard
        raise CheckError(f"a secret rule's regular expression does not compile: {exc}") from None


@lru_cache(maxsize=1024)
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
