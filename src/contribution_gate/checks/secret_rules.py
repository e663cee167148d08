"""contribution-gate's own secret rules, kept as data in `config/secret_rules.toml`.

They cover the token formats detect-secrets lacks (AI providers' keys first). A rule only runs on a
line that holds one of its keywords, which keeps a large review fast.
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...]
    remediation: str
    validate: str = ""

    def is_well_formed(self, secret: str) -> bool:
        """The offline format check: False means probably a placeholder, not a live token."""
        kind, _, arg = self.validate.partition(":")
        if kind == "suffix":
            return secret.endswith(arg)
        if kind == "contains":
            return arg in secret
        return True


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: Rule
    secret: str
    start: int
    end: int


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
            )
            for r in raw
        )
    except (OSError, KeyError, re.error, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the secret rules from {path}: {exc}") from None


def scan_text(text: str, lowered: str | None = None) -> Iterator[RuleMatch]:
    """Every match of our own rules in one line of text."""
    lowered = text.lower() if lowered is None else lowered
    for rule in load_rules():
        if not any(k in lowered for k in rule.keywords):
            continue
        for match in rule.regex.finditer(text):
            group = "secret" if "secret" in rule.regex.groupindex else 0
            yield RuleMatch(rule, match.group(group), match.start(group), match.end(group))
