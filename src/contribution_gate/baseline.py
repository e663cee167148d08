"""Baselines: findings a project has accepted, so adopting the gate does not block on old debt.

Our file (`.contribution-gate-baseline.json`) keys each accepted finding by an HMAC of its value key
(check, rule and normalised value, never the value) under a random salt kept in the file: path- and
line-independent, so moving a line does not churn it, and a short password cannot be found by
hashing a dictionary without the salt. A detect-secrets `.secrets.baseline` is read too (its
`hashed_secret` is the SHA-1 of the value), so teams can migrate.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .model import Finding

DEFAULT_PATH = ".contribution-gate-baseline.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Baseline:
    """Accepted findings: keyed hashes of ours, SHA-1s of a detect-secrets baseline."""

    salt: str = ""
    keys: frozenset[str] = frozenset()
    sha1s: frozenset[str] = frozenset()
    entries: tuple[Mapping[str, Any], ...] = field(default=())

    def key_of(self, finding: Finding) -> str:
        return hmac.new(bytes.fromhex(self.salt), finding.value_key.encode(), hashlib.sha256).hexdigest()

    def accepts(self, finding: Finding) -> bool:
        if finding.value_sha1 and finding.value_sha1 in self.sha1s:
            return True
        return bool(self.salt and finding.value_key and self.key_of(finding) in self.keys)

    def merged(self, other: Baseline) -> Baseline:
        return Baseline(
            self.salt or other.salt, self.keys | other.keys, self.sha1s | other.sha1s, self.entries + other.entries
        )


def create(findings: Iterable[Finding], salt: str | None = None) -> str:
    """The JSON text of a new baseline holding `findings` (a fresh salt unless one is given)."""
    salt = salt or secrets.token_hex(16)
    empty = Baseline(salt=salt)
    entries: dict[str, dict[str, str]] = {}
    for f in findings:
        if f.value_key:
            key = empty.key_of(f)
            entries.setdefault(
                key, {"key": key, "check": f.check, "rule": f.rule, "path": f.path, "message": f.message}
            )
    document = {
        "tool": "contribution-gate",
        "version": FORMAT_VERSION,
        "salt": salt,
        "findings": sorted(entries.values(), key=lambda e: (e["path"], e["rule"], e["key"])),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse(text: str, source: str) -> Baseline:
    """Our baseline or a detect-secrets one, told apart by their shape."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(
            f"{source}: not a JSON baseline ({exc}): recreate it with `contribution-gate baseline create`"
        ) from None
    if isinstance(data, dict) and data.get("tool") == "contribution-gate":
        try:
            bytes.fromhex(data["salt"])
            entries = tuple(data["findings"])
            return Baseline(data["salt"], frozenset(e["key"] for e in entries), entries=entries)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"{source}: malformed baseline ({exc}): recreate it with `contribution-gate baseline create`"
            ) from None
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        results = [r for items in data["results"].values() for r in items if isinstance(r, dict)]
        return Baseline(sha1s=frozenset(str(r.get("hashed_secret")) for r in results), entries=tuple(results))
    raise ConfigError(f"{source}: neither a contribution-gate nor a detect-secrets baseline")
