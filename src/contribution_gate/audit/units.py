"""The unit of work of an audit and its key: what is reviewed, and when a result still holds.

A unit is one repository at a resolved commit, with a scope: its whole tree (`tree`, what
`review --all-files` reads), or its history (`history`: every commit reachable from `head` and not
from `base`, the root commit included when `base` is None). Its key hashes everything a result
depends on (the unit, the checks, the policy's digest, the severity that fails, the gate's
version): a finished unit whose key still matches is not reviewed again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

SCOPES = ("tree", "history")
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")


@dataclass(frozen=True)
class Unit:
    target: str  # the clone URL or path as given (never with credentials)
    slug: str  # a short, unique, filesystem-safe name of the repository
    head: str  # the commit resolved at plan time: a resumed audit reviews the same commit
    scope: str  # tree | history
    base: str | None = None  # history: exclusive base (a slice, or --since-last); None: from the root
    cost: float = 0.0  # a size estimate, only for ordering (biggest first) and sharding

    def key(self, settings: Settings) -> str:
        material = json.dumps({"unit": self.identity(), **settings.as_dict()}, sort_keys=True)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]

    def identity(self) -> dict[str, Any]:
        """What the result depends on (not the cost, which only orders the work)."""
        return {"target": self.target, "slug": self.slug, "head": self.head, "scope": self.scope, "base": self.base}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        return cls(
            str(data["target"]),
            str(data["slug"]),
            str(data["head"]),
            str(data["scope"]),
            None if data.get("base") is None else str(data["base"]),
            float(data.get("cost") or 0.0),
        )

    @property
    def label(self) -> str:
        span = f"{self.base[:12]}..{self.head[:12]}" if self.base else self.head[:12]
        return f"{self.slug} {self.scope} {span}"


@dataclass(frozen=True)
class Settings:
    """The audit's options that change a unit's result."""

    checks: tuple[str, ...]  # empty: the checks each repository's policy enables
    policy_digest: str  # sha256 of an explicit --config file, or "repository" (the reviewed commit's)
    fail_on: str
    version: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "checks": sorted(self.checks),
            "policy_digest": self.policy_digest,
            "fail_on": self.fail_on,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        return cls(tuple(data["checks"]), str(data["policy_digest"]), str(data["fail_on"]), str(data["version"]))


def safe_name(text: str) -> str:
    """A name usable as one path component on every platform: no separators, no dot-only name."""
    name = _UNSAFE.sub("_", text).strip("._") or "repository"
    return name[:100]


def unique_slugs(names: Iterable[str]) -> list[str]:
    """The names made unique in order: a second `repo` becomes `repo-2`."""
    seen: set[str] = set()
    out = []
    for name in names:
        slug, n = name, 1
        while slug.lower() in seen:
            n += 1
            slug = f"{name}-{n}"
        seen.add(slug.lower())
        out.append(slug)
    return out


def biggest_first(units: Sequence[Unit]) -> list[Unit]:
    """The order work is handed out: the longest units start first, so none is left for the end."""
    return sorted(units, key=lambda u: (-u.cost, u.slug, u.base or ""))


def shard(units: Sequence[Unit], index: int, count: int) -> list[Unit]:
    """Shard `index` (1-based) of `count`: units dealt biggest first to the least loaded shard, so
    the shards of a CI matrix finish at about the same time. The same plan always gives the same
    shards, and every unit is in exactly one."""
    loads = [0.0] * count
    mine: list[Unit] = []
    for unit in biggest_first(units):
        least = min(range(count), key=lambda k: (loads[k], k))
        loads[least] += max(unit.cost, 1.0)
        if least == index - 1:
            mine.append(unit)
    return mine


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` with 1 <= K <= N, or ValueError saying what is wrong."""
    k, sep, n = text.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise ValueError(f"--shard {text!r}: give K/N with 1 <= K <= N, e.g. --shard 2/8")
    return int(k), int(n)
