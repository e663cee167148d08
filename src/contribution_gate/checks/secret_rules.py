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
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..errors import CheckError
from ..resources import data_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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

    def is_well_formed(self, secret: str) -> bool:
        """The offline format check: False means probably a placeholder, not a live token."""
        kind, _, arg = self.validate.partition(":")
        check = _VALIDATORS.get(kind)
        return check(secret, arg) if check else True


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


_VALIDATORS = {
    "suffix": lambda secret, arg: secret.endswith(arg),
    "contains": lambda secret, arg: arg in secret,
    "prefix": lambda secret, arg: secret.startswith(tuple(arg.split(","))),
    "crc32": _crc32_base62,
    "jwt": _jwt,
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
            )
            for r in raw
        )
    except (OSError, KeyError, re.error, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the secret rules from {path}: {exc}") from None


@lru_cache(maxsize=1)
def keywords() -> tuple[str, ...]:
    """Every keyword of every rule: a line with none of them needs no rule at all."""
    return tuple(sorted({k for rule in load_rules() for k in rule.keywords}))


def scan_text(text: str, lowered: str | None = None, nearby: str = "") -> Iterator[RuleMatch]:
    """Every match of our rules in one line; `nearby` is the lower-cased text around it."""
    lowered = text.lower() if lowered is None else lowered
    for rule in load_rules():
        where = nearby if rule.near and nearby else lowered
        if not any(k in where for k in rule.keywords):
            continue
        for match in rule.regex.finditer(text):
            group = next((g for g in ("secret", "secret2") if match.groupdict().get(g)), None)
            yield RuleMatch(rule, match.group(group or 0), match.start(group or 0))
