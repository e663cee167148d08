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

import fnmatch
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ...errors import CheckError
from ...resources import data_file, data_toml, tomllib
from ..keywords import Keywords
from .formats import VALIDATORS, VALUE_FILTERS, counts_up, looks_random
from .plugins import KEYWORDS as PLUGIN_KEYWORDS
from .values import after_image_query, names_a_secret, passphrase, plausible

NEAR_LINES = 3
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
    "base64-mixed",
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
    why: str = ""  # why a rule of severity "warning" is one, when not for being publishable
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
            return (
                plausible(secret)
                and not after_image_query(match.string, start)
                and not _repeats_a_name(match, start, secret)
            )
        if self.filter == "real-host":
            return not _EXAMPLE_HOST.search(match.group("host") or "")
        if self.filter == "jdbc-url":
            return _in_jdbc_url(match.string, match.start())
        check = VALUE_FILTERS.get(self.filter)
        return check(secret, match) if check else True

    def is_well_formed(self, secret: str) -> bool:
        """The offline format check: False means probably a placeholder, not a live token."""
        kind, _, arg = self.validate.partition(":")
        check = VALIDATORS.get(kind)
        return check(secret, arg) if check else True

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern. Hundreds of rules, and a small change meets a handful: compiling
        all of them up front would cost more than the review of the change itself."""
        return _compiled(self.pattern)

    @property
    def contextual(self) -> bool:
        """A credential that a command, a header or a connection string shows, with no provider's
        format to check: in a sample file (docs, tests, examples) it is the sample's, a warning, as
        a name-based value is."""
        return not self.validate and self.filter in _CONTEXT_FILTERS

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


# a name that says its value is a digest, an identifier or a public part, not a credential
_NOT_A_SECRET_NAME = re.compile(
    r"(?i)hash|digest|checksum|sha(?:\d|_|\b)|md5|etag|fingerprint|commit|revision|version|uuid|_id\b|[a-z]Id\b|public|pubkey"
)
_EXAMPLE_HOST = re.compile(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$")
_JDBC = re.compile(r"(?i)jdbc:[a-z0-9]{1,20}:")
_SPACE = re.compile(r"\s")
_SECRET_GROUPS = ("secret", "secret2", "secret3", "secret4", "secret5", "secret6")
_CONTEXT_FILTERS = ("credential", "header", "user-password", "basic", "basic-or-password")
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


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    path = data_file("secret_rules.toml")
    try:
        rules = tuple(_rule(r) for r in rule_tables())
    except (OSError, KeyError, TypeError, ValueError, re.error, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the secret rules from {path}: {exc}") from None
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise CheckError(f"cannot load the secret rules from {path}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    return rules


@lru_cache(maxsize=1)
def rule_tables() -> tuple[Mapping[str, Any], ...]:
    """Every rule's table: the [[rule]] tables, and one per row of the [[table]]s, where the rules
    with nothing but a prefix or names and a token are written one a line (`id | title | prefixes
    or names, comma-separated | token`). A row is read by splitting it, far faster than TOML
    reads a table, and a review reads every rule before its first line."""
    data = data_toml("secret_rules.toml")
    tables: list[Mapping[str, Any]] = list(data["rule"])
    for block in data.get("table", ()):
        form = block.get("form")
        if form not in ("prefix", "names"):
            raise ValueError(f'a [[table]] has form {form!r}: "prefix" or "names"')
        rows: list[Mapping[str, Any]] = []
        for row in block["rows"].splitlines():
            if not row.strip() or row.lstrip().startswith("#"):
                continue
            rule_id, title, words, token = (field.strip() for field in row.split(" | ", 3))
            listed = [w.strip() for w in words.split(",")]
            rows.append({"id": rule_id, "title": title, "category": block["category"], form: listed, "token": token})
        # the rows stand before the rule `before` names: a rule earlier in the file wins a value
        at = next((i for i, t in enumerate(tables) if t["id"] == block.get("before")), len(tables))
        tables[at:at] = rows
    return tuple(tables)


def _rule(r: Mapping[str, Any]) -> Rule:
    """One [[rule]] table: a `regex`, or a `prefix` or `names` with a `token` (see build_regex)."""
    regex, keywords, filter_ = build_regex(r)
    severity = r.get("severity", "error")
    kind = r.get("validate", "").partition(":")[0]
    filter_ = r.get("filter", filter_)
    if severity not in SEVERITIES or (kind and kind not in VALIDATORS) or filter_ not in FILTERS:
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
        why=r.get("why", ""),
        paths=tuple(r.get("paths", ())),
        name_pattern=re.compile(r["name-pattern"]) if "name-pattern" in r else None,
    )


def _long_first_word(name: str) -> bool:
    """Whether a provider's name begins with a word of six letters or more (`datadog`), which may
    end another word (`myDatadogKey`); a shorter one (`dd_`, `sumo`) may not."""
    return len(re.split(r"[^a-z0-9]", name, maxsplit=1)[0]) >= 6


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
    group `name`, which the `named` filter reads. Keywords: the names. A name whose first word is
    shorter than six letters must start the name or follow a non-letter (`sumo`, not `consumo`;
    `dd_api_key`, not `add_api_key`).

    EDGE is `[\w-]`, widened by `+/=` when the token can hold them (base64), or the rule's `edge`;
    before the prefix, an `=` is always allowed (`KEY=token`). A `names` value is the whole value
    assigned, so its EDGE always holds `+/=`: 22 characters of a base64 signature that goes on with
    `/` (`"X-Mandrill-Signature": "8Exr.../M9pg="`) are no 22-character key.
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
    edge = r.get("edge") or "[\\w+/=-]"
    # a name another one begins (`dd_app` and `dd_app_key`) would be matched two ways: keep the shorter
    given = [n.lower() for n in r["names"]]
    names = [n for n in given if not any(o != n and n.startswith(o) for o in given)]
    words = "|".join(re.escape(n) if _long_first_word(n) else f"(?<![A-Za-z]){re.escape(n)}" for n in names)
    assign = "(?:[\"'\\]]{0,2}\\s{0,8}(?::=|=>|[:=,>])\\s{0,8}[\"'`]?|\\(\\s{0,8}[\"'`])"
    name = "(?P<name>[\\w.-]{0,40}(?:[ \\t][A-Za-z][\\w.-]{0,19}){0,2})"  # `mixpanel_secret`, `algolia Key`
    regex = f"(?i:(?:{words}){name}{assign})(?P<secret>{token})(?!{edge})"
    return regex, [n.lower() for n in names], "named"


def is_published(secret: str) -> bool:
    """Whether `secret` is a value published for everyone to use (`[published]`: an emulator's
    development key), by its SHA-256."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest() in _published()


@lru_cache(maxsize=1)
def _published() -> frozenset[str]:
    return frozenset(data_toml("secret_rules.toml").get("published", {}))


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
def keyword_index() -> Keywords:
    """One automaton for every word the check looks for: our rules' keywords, detect-secrets'
    plugins' words and the private key marker. Built once (with hundreds of keywords, a build
    costs milliseconds every review pays), used by every detector."""
    return Keywords({*keywords(), *PLUGIN_KEYWORDS, "private key"})


@lru_cache(maxsize=256)
def rules_for(on_line: frozenset[str], around: frozenset[str]) -> tuple[Rule, ...]:
    """The rules a line needs, in the file's order: those with a keyword on the line, and the `near`
    ones with a keyword within NEAR_LINES of it. A line's keywords come in few combinations, so
    the choice is made once per combination, not once per line, and from an index of the rules by
    keyword: hundreds of rules, of which a line meets a few."""
    rules = load_rules()
    on_line_index, near_index = _rule_index()
    picked = {at for word in on_line for at in on_line_index.get(word, ())}
    picked.update(at for word in around for at in near_index.get(word, ()))
    return tuple(rules[at] for at in sorted(picked))


@lru_cache(maxsize=256)
def patterns_for(on_line: frozenset[str], around: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """The compiled patterns of `rules_for(on_line, around)`: a line none of them matches holds no
    rule's hit, so most lines with a keyword (`key`, `pass`, `version_`) are passed by on one
    search each, before any of the work a match needs."""
    return tuple(dict.fromkeys(rule.regex for rule in rules_for(on_line, around)))


@lru_cache(maxsize=1)
def _rule_index() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Keyword -> positions of the rules holding it, for every rule and for the `near` ones."""
    on_line: dict[str, list[int]] = {}
    near: dict[str, list[int]] = {}
    for at, rule in enumerate(load_rules()):
        for word in rule.keywords:
            on_line.setdefault(word, []).append(at)
            if rule.near:
                near.setdefault(word, []).append(at)
    return on_line, near


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
        on_line = frozenset(keyword_index().found(lowered))
        words = (on_line, frozenset(keyword_index().found(nearby)) if nearby else on_line)
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
            if quoted and "name" in match.re.groupindex and _closes_the_name(text, match.start(), start):
                continue  # `"Password:"),d?x(...`: a label's string, and code after it
            if quoted and match.end() > start + len(secret):
                quotes = quotes or _QuoteCounter(text)
                if quotes.inside(start - 1):
                    continue  # `"KEY=" + x + "..."`: the quote after `=` closes a string, opens none
            if rule.accepts(secret, match, start) and not counts_up(secret):
                end = start + len(secret)
                if rule.filter == "plausible" and not quoted and not code:
                    end = _value_end(text, end)
                yield RuleMatch(rule, secret, start, end)


_IDENTIFIER = re.compile(r"[A-Za-z0-9_]{4,}")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _repeats_a_name(match: re.Match[str], start: int, secret: str) -> bool:
    """Whether the value spells a name written before it on the line (`AttributeKeyWebhookURL
    semconv.AttributeKey = "WebhookURL"`, `PASSWORD_FIELD = "password_field"`), or the name without
    its credential word with a short tag (`RUBY2_KEYWORDS_KEY = "_aj_ruby2_keywords"`), or the
    name's last words after a ticket's tag (Bitwarden's feature flags,
    `EnableAccountEncryptionV2PasswordRegistration = "pm-27278-v2-password-registration"`): an
    enumeration's string, which says what the constant is, while no secret is also part of its own name."""
    value = _NOT_ALNUM.sub("", secret.lower())
    if len(value) < 4 or len(value) * 2 < len(secret):
        return False
    before = match.string[max(0, match.start() - 200) : start]
    for found in _IDENTIFIER.finditer(before):
        name = found.group(0).replace("_", "").lower()
        core = _NAMING_ENDS.sub("", name)  # `RUBY2_KEYWORDS_KEY = "_aj_ruby2_keywords"`: a tag before it
        if value in name or (len(core) >= 6 and core in value and len(value) - len(core) <= 4):
            return True
        tail = len(os.path.commonprefix([value[::-1], name[::-1]]))  # the name's last words, spelt out
        if tail >= 12 and len(value) - tail <= 10:
            return True
    return False


_NAMING_ENDS = re.compile(r"^(?:key|secret|token|password|pass|pwd)|(?:key|secret|token|password|pass|pwd)$")


def _closes_the_name(text: str, name_start: int, value_start: int) -> bool:
    """Whether the quote before a value closes the string the name is in (`"Password:"` and what
    follows it), rather than opening the value: a minified bundle's window starts anywhere, so the
    quotes before it cannot be counted."""
    quote = text[value_start - 1]
    return (
        0 < name_start < value_start - 1
        and text[name_start - 1] == quote
        and text.find(quote, name_start, value_start - 1) < 0
    )


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
