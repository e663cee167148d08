"""Baselines: findings a project has accepted, so adopting the gate does not block on old debt.

Our file (`.contribution-gate-baseline.json`) keys each accepted finding by an HMAC of its value key
(check, rule and normalised value, never the value) under a random salt kept in the file, so a short
password cannot be found by hashing a dictionary without the salt, and moving a line does not churn
it. An accepted secret is accepted anywhere (the value is out already, as detect-secrets sees it);
every other accepted finding only in the file it was accepted in (its entry's `path`): a baselined
proprietary notice, internal host or license text must not let every future file repeat it.
Version 1 files (one entry per value, the first path it was seen in) load with that same meaning:
each non-secret entry holds for its recorded path. A detect-secrets `.secrets.baseline` is read too
(its `hashed_secret` is the SHA-1 of the value), so teams can migrate.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .model import Finding

DEFAULT_PATH = ".contribution-gate-baseline.json"
FORMAT_VERSION = 2  # 2: one entry per path for checks other than secrets; 1 is read the same way
PATH_FREE = frozenset({"secrets"})  # checks whose accepted values hold in every file


@dataclass(frozen=True)
class Baseline:
    """Accepted findings: keyed hashes of ours (secrets anywhere, the rest per path), SHA-1s of a
    detect-secrets baseline."""

    salt: str = ""
    keys: frozenset[str] = frozenset()
    sha1s: frozenset[str] = frozenset()
    entries: tuple[Mapping[str, Any], ...] = field(default=())
    scoped: frozenset[tuple[str, str]] = frozenset()  # (key, path) of findings accepted in one file

    def key_of(self, finding: Finding) -> str:
        return hmac.new(bytes.fromhex(self.salt), finding.value_key.encode(), hashlib.sha256).hexdigest()

    def accepts(self, finding: Finding) -> bool:
        if finding.value_sha1 and finding.value_sha1 in self.sha1s:
            return True
        if not (self.salt and finding.value_key):
            return False
        key = self.key_of(finding)
        if finding.check in PATH_FREE:
            return key in self.keys
        return (key, finding.path) in self.scoped

    def merged(self, other: Baseline) -> Baseline:
        return Baseline(
            self.salt or other.salt,
            self.keys | other.keys,
            self.sha1s | other.sha1s,
            self.entries + other.entries,
            self.scoped | other.scoped,
        )


def create(findings: Iterable[Finding], salt: str | None = None) -> str:
    """The JSON text of a new baseline holding `findings` (a fresh salt unless one is given). An
    entry is its key, check, rule and path: no message, since a message names what was found (an
    internal host, a marker) and the baseline is committed to the repository it guards."""
    salt = salt or os.urandom(16).hex()  # secrets.token_hex(16), without importing random
    empty = Baseline(salt=salt)
    entries: dict[tuple[str, str], dict[str, str]] = {}
    for f in findings:
        if f.value_key:
            key = empty.key_of(f)
            entries.setdefault(
                (key, "" if f.check in PATH_FREE else f.path),
                {"key": key, "check": f.check, "rule": f.rule, "path": f.path},
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
    except (ValueError, RecursionError) as exc:
        raise ConfigError(
            f"{source}: not a JSON baseline ({exc}): recreate it with `contribution-gate baseline create`"
        ) from None
    if isinstance(data, dict) and data.get("tool") == "contribution-gate":
        try:
            return _ours(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(
                f"{source}: malformed baseline ({exc}): recreate it with `contribution-gate baseline create --force`"
            ) from None
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        lists = [items for items in data["results"].values() if isinstance(items, list)]
        results = [r for items in lists for r in items if isinstance(r, dict)]
        return Baseline(sha1s=frozenset(str(r.get("hashed_secret")) for r in results), entries=tuple(results))
    raise ConfigError(f"{source}: neither a contribution-gate nor a detect-secrets baseline")


def _ours(data: Mapping[str, Any]) -> Baseline:
    """Our file, version 1 or 2: secrets' keys hold anywhere, the others' for their entry's path."""
    bytes.fromhex(data["salt"])
    entries = tuple(data["findings"])
    keys: set[str] = set()
    scoped: set[tuple[str, str]] = set()
    for entry in entries:
        key, check, path = entry["key"], entry.get("check", "secrets"), entry.get("path")
        if not isinstance(key, str) or not isinstance(check, str):
            raise ValueError(f"entry {key!r}: key and check must be strings")
        if check in PATH_FREE:
            keys.add(key)
        elif isinstance(path, str) and path:
            scoped.add((key, path))
        else:
            raise ValueError(f"the {check} entry {key[:16]!r} has no path")
    return Baseline(data["salt"], frozenset(keys), entries=entries, scoped=frozenset(scoped))


def is_ours(text: str) -> bool:
    """Whether `text` is a contribution-gate baseline (so `baseline create` may replace it)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("tool") == "contribution-gate"
