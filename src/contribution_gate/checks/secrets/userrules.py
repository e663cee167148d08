"""A project's own secret rules, from its policy (`[[secrets.rules]]`) or its gitleaks config, and
the allowlists that come with them.

Each rule's id is prefixed by where it came from (`custom.acme-token`, `gitleaks.ocid`), so it can
never be taken for one of ours, now or after a release adds a rule of the same name, and a report
says at a glance whose rule fired. Patterns are RE2 (`goregex`): linear on any text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...model import Severity

CUSTOM_PREFIX = "custom."
GITLEAKS_PREFIX = "gitleaks."
SECRET_GROUP = "secret"  # a named group our rules use for the value; a user's rule may too
REMEDIATION = "Revoke or rotate this credential now (it is leaked once pushed), then load it from the environment or a secret manager."

PathTest = Callable[[str], bool]


def entropy(value: str) -> float:
    """Shannon entropy in bits per character, as gitleaks computes it (over code points)."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in Counter(value).values())


@dataclass(frozen=True, slots=True)
class Allowlist:
    """gitleaks' allowlist: what it names is not a finding. With `all_of` False (gitleaks'
    condition OR, the default) any one thing it lists allows a finding; with True (AND) every kind
    it lists must. `regexes` test the value, or the whole match or line (`target`); stopwords are
    looked for in the value, case-insensitively; paths (RE2) and commits (full SHAs) say where."""

    regexes: tuple[Any, ...] = ()
    target: str = "secret"
    stopwords: Any = None  # one case-insensitive RE2 alternation, or None
    paths: tuple[Any, ...] = ()
    commits: frozenset[str] = frozenset()
    all_of: bool = False

    def skips_file(self, path: str, commit: str | None) -> bool:
        """Whether nothing found in this file (of this commit) can be a finding: decided once per file."""
        if self.all_of:
            if self.regexes or self.stopwords is not None:
                return False
            return self._where(path, commit, every=True)
        return self._where(path, commit, every=False)

    def allows(self, secret: str, match: str, line: str, path: str, commit: str | None) -> bool:
        """Whether this allowlist allows one finding."""
        text = match if self.target == "match" else line if self.target == "line" else secret
        checks: list[bool] = []
        if self.regexes:
            checks.append(any(r.search(text) for r in self.regexes))
        if self.stopwords is not None:
            checks.append(self.stopwords.search(secret) is not None)
        if not self.all_of:
            return any(checks) or self._where(path, commit, every=False)
        if self.commits:
            checks.append(commit is not None and commit.lower() in self.commits)
        if self.paths:
            checks.append(bool(path) and any(p.search(path) for p in self.paths))
        return bool(checks) and all(checks)

    @property
    def reads_lines(self) -> bool:
        return self.target == "line" and bool(self.regexes)

    def _where(self, path: str, commit: str | None, every: bool) -> bool:
        found: list[bool] = []
        if self.commits:
            found.append(commit is not None and commit.lower() in self.commits)
        if self.paths:
            found.append(bool(path) and any(p.search(path) for p in self.paths))
        return bool(found) and (all(found) if every else any(found))


@dataclass(frozen=True, slots=True)
class UserRule:
    """One rule of a project. `regex` None is a gitleaks path-only rule: adding a file whose path
    matches `applies_to` is the finding. `secret_group` None takes the group named `secret`, else
    the first group that matched something (gitleaks' choice), else the whole match."""

    id: str
    title: str
    regex: Any | None
    keywords: tuple[str, ...] = ()
    secret_group: int | str | None = None
    severity: Severity = Severity.ERROR
    min_entropy: float | None = None
    allow: tuple[Any, ...] = ()
    applies_to: PathTest | None = None
    allowlists: tuple[Allowlist, ...] = ()
    remediation: str = REMEDIATION

    def matches(self, text: str) -> Iterator[tuple[str, int, int, str]]:
        """(secret, start, end, whole match) of every match in `text`, before any allowlist."""
        if self.regex is None:
            return
        group = self.secret_group
        if group is None and SECRET_GROUP in self.regex.groupindex:
            group = SECRET_GROUP
        fixed = self.regex.groupindex[group] if isinstance(group, str) else group  # RE2 spans by number
        for match in self.regex.finditer(text):
            chosen = (
                fixed if fixed is not None else next((g for g in range(1, self.regex.groups + 1) if match.group(g)), 0)
            )
            secret = match.group(chosen)
            if secret:
                yield secret, match.start(chosen), match.end(chosen), match.group(0)

    def accepts(self, secret: str, match: str, line: str, path: str, commit: str | None) -> bool:
        """The rule's own filters: entropy, `allow` value patterns and its allowlists."""
        if self.min_entropy is not None and entropy(secret) < self.min_entropy:
            return False
        if any(p.search(secret) for p in self.allow):
            return False
        return not any(a.allows(secret, match, line, path, commit) for a in self.allowlists)

    def skips_file(self, path: str, commit: str | None) -> bool:
        if self.applies_to is not None and not self.applies_to(path):
            return True
        return any(a.skips_file(path, commit) for a in self.allowlists)


@dataclass(frozen=True)
class UserRules:
    """Everything a policy adds to the secrets check: rules, allowlists over every finding (ours
    too: gitleaks' global allowlist, and the allowlists a gitleaks config gives the default rules
    ours stand in for, by our rule id), built-in rules it turns off, and gitleaks fingerprints to
    ignore (`commit`, `path`, our rule id, line; commit None for any commit)."""

    rules: tuple[UserRule, ...] = ()
    allowlists: tuple[Allowlist, ...] = ()
    builtin_allowlists: tuple[tuple[str, Allowlist], ...] = ()
    disabled: frozenset[str] = frozenset()
    ignored: frozenset[tuple[str | None, str, str, int]] = frozenset()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not (self.rules or self.allowlists or self.builtin_allowlists or self.disabled or self.ignored)

    def value_filters(self) -> tuple[Any, ...]:
        """Patterns of the global allowlists that only test a value (condition OR, target secret):
        they join `[secrets] allow`, so every detector (file names and commit messages too) honours them."""
        found: list[Any] = []
        for allowlist in self.allowlists:
            if allowlist.all_of or allowlist.target != "secret":
                continue
            found.extend(allowlist.regexes)
            if allowlist.stopwords is not None:
                found.append(allowlist.stopwords)
        return tuple(found)
