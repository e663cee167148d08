"""The last word on a rule's match: whether it is a finding, and how severe, from the value, the
name it is assigned to, and the file it is in.

- `generic-secret`, `netrc-password`: the name must mean a secret (`keynames`), the value must read
  as one (`values.verdict`); in source code an unquoted value must look like a token. A hand-made
  value (`values.Verdict.SAMPLE`), a name that says it is a test value (`TEST_PASSWORD`) or a file
  of tests, fixtures or documentation (`context`) make it a warning.
- `url-password`, `jdbc-password`: a password that is a word naming what belongs there
  (`user:token@`, `:password@`), a placeholder or a few characters is none; in a sample file it
  is a warning.
- `jwt`: `jwts.judge` (unsigned or signed with a published key: none; malformed or expired: a
  warning); in a sample file, a warning.
- any other rule: a "token" that reads as words is a code identifier (`MistralAIPromptSettings`
  after `mistral...=`), not a token.

Token formats with an offline check keep the rule's own severity in every file: a contributor
pasting a live key into a test is the classic leak, and fixtures can be made obviously fake.
"""

from __future__ import annotations

from urllib.parse import unquote

from ...model import Severity
from . import jwts, keynames
from .context import Context
from .values import Verdict, is_placeholder, patterned, unwrap, verdict
from .words import words_only

_NAME_RULES = frozenset(["generic-secret", "netrc-password"])
_URL_RULES = frozenset(["url-password", "jdbc-password"])
_DIGEST_WORDS = ("hash", "sha", "md5", "digest", "checksum", "integrity", "etag", "fingerprint", "commit", "revision")
_TEST_WORDS = frozenset(["test", "tests", "testing", "demo", "e2e"])
# a URL password that names what belongs there: `https://user:token@host`, `redis://:password@host`
_NAMING_WORDS = ("password", "passwd", "pass", "pwd", "secret", "token", "apikey", "key", "credential")


def severity(context: Context, rule: str, line: str, start: int, secret: str, checked: Severity) -> Severity | None:
    """The severity of a match of `rule` whose value `secret` starts at `start` of `line` (its
    format check gave `checked`), or None when it is no finding."""
    if rule in _NAME_RULES:
        return _assigned(context, line, start, secret)
    if rule in _URL_RULES:
        return _url_password(context, secret)
    if rule == "jwt":
        judged = jwts.judge(secret)
        if judged is jwts.Judgement.PUBLIC:
            return None
        if judged is jwts.Judgement.SAMPLE or context.sample:
            return Severity.WARNING
        return checked
    if secret.isalpha() and words_only(secret):
        return None
    return checked


def _assigned(context: Context, line: str, start: int, secret: str) -> Severity | None:
    name = keynames.name_before(line, start)
    strength = keynames.strength(name)
    if strength is keynames.Strength.NONE:
        return None
    if any(c.isspace() for c in secret.strip()):
        found = Verdict.SECRET  # a passphrase: the rule's filter has judged it
    else:
        lowered = line.lower()
        digest = any(word in lowered for word in _DIGEST_WORDS)
        strong = strength is keynames.Strength.STRONG
        found = verdict(secret, min_length=8 if strong else 10, digest_context=digest, uuid=True)
    if found is Verdict.NONE:
        return None
    quoted = start > 0 and line[start - 1] in "\"'`"
    if context.code and not quoted and not _token_like(secret):
        return None  # `token = self.token`, `key = KeyFactory.build()`: code, not a value
    if found is Verdict.SAMPLE or context.sample or not _TEST_WORDS.isdisjoint(name.words):
        return Severity.WARNING
    return Severity.ERROR


def _token_like(secret: str) -> bool:
    """An unquoted value in source code (in a comment, a docstring, a raw string of a test) counts
    when it could be no identifier: sixteen characters or more, letters and digits, not words."""
    return len(secret) >= 16 and any(c.isdigit() for c in secret) and not words_only(secret)


def _url_password(context: Context, secret: str) -> Severity | None:
    raw = unwrap(secret)
    if raw is None:
        return None
    text = unquote(raw)
    lowered = text.lower()
    if len(text) <= 2 or (text.isdigit() and len(text) <= 6) or is_placeholder(text):
        return None
    if words_only(text) and any(word in lowered for word in _NAMING_WORDS):
        return None  # `token`, `mypassword`, `a secret`: it says what belongs there
    if patterned(text) or context.sample:
        return Severity.WARNING
    return Severity.ERROR
