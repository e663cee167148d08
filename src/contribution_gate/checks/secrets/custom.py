"""`[[secrets.rules]]`: a project's own secret rules, written in its policy.

```toml
[[secrets.rules]]
id = "acme-api-key"                      # findings say `custom.acme-api-key`
regex = 'acme_(?P<secret>[a-z0-9]{32})'  # RE2 (Go) syntax; the value: `secret-group`, else a group
keywords = ["acme_"]                     #   named `secret`, else the first group that matched
```

Every key is checked when the policy is read, and a wrong one stops the review (exit 2) with one
line naming the file, the entry and the key: a mistyped key (`keyword`) would otherwise change what
the rule finds without a word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import PolicyValueError
from ...model import Severity
from .goregex import PatternError, compile_pattern
from .userrules import CUSTOM_PREFIX, UserRule

KEYS = ("id", "regex", "description", "secret-group", "keywords", "severity", "min-entropy", "allow", "paths")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING}


def problem(value: Any) -> str | None:
    """What is wrong with the value of `[secrets] rules`, or None (config.py's validator)."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return "must be a list of tables: [[secrets.rules]] then id = \"...\", regex = '...'"
    seen: set[str] = set()
    for number, entry in enumerate(value, 1):
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
            shown = f" ({rule_id!r})" if isinstance(rule_id, str) else ""
            return f"entry {number}: id{shown} must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit)"
        where = f"entry {number} (id {rule_id!r})"
        if rule_id in seen:
            return f"{where}: id is used twice: give each rule its own"
        seen.add(rule_id)
        found = _entry_problem(entry)
        if found:
            return f"{where}: {found}"
    return None


def _entry_problem(entry: Mapping[str, Any]) -> str | None:
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        return f"unknown key {unknown[0]!r} (known: {', '.join(KEYS)})"
    pattern = entry.get("regex")
    if not isinstance(pattern, str) or not pattern:
        return "regex must be a non-empty string (RE2 syntax, as gitleaks writes it)"
    try:
        regex = compile_pattern(pattern)
    except PatternError as exc:
        return f"regex is not a pattern RE2 can run: {exc}"
    if regex.match(""):
        return "regex matches the empty string: it would find something everywhere"
    group = entry.get("secret-group")
    if group is not None:
        if isinstance(group, bool) or not isinstance(group, int | str):
            return "secret-group must be a group number or name"
        if isinstance(group, int) and not 0 <= group <= regex.groups:
            return f"secret-group {group} does not exist: the regex has {regex.groups} group(s)"
        if isinstance(group, str) and group not in regex.groupindex:
            return f"secret-group {group!r} is no named group of the regex"
    words = entry.get("keywords", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        return "keywords must be a list of non-empty strings"
    if entry.get("severity", "error") not in _SEVERITIES:
        return f"severity must be one of {', '.join(repr(s) for s in _SEVERITIES)}"
    entropy = entry.get("min-entropy")
    if entropy is not None and (
        isinstance(entropy, bool) or not isinstance(entropy, int | float) or not 0 <= entropy <= 32
    ):
        return "min-entropy must be a number of bits per character, 0 to 32 (random base64 is about 5 to 6)"
    for key in ("allow", "paths"):
        items = entry.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            return f"{key} must be a list of non-empty strings"
    for allowed in entry.get("allow", []):
        try:
            compile_pattern(allowed)
        except PatternError as exc:
            return f"allow holds {allowed!r}, which RE2 cannot run: {exc}"
    return None


def load(entries: Sequence[Mapping[str, Any]]) -> tuple[UserRule, ...]:
    """The rules of `[secrets] rules`, which `problem` has passed."""
    found = problem(list(entries))
    if found:
        raise PolicyValueError(f"[secrets] rules {found}")
    return tuple(_rule(entry) for entry in entries)


def _rule(entry: Mapping[str, Any]) -> UserRule:
    paths = entry.get("paths", [])
    group = entry.get("secret-group")
    return UserRule(
        id=CUSTOM_PREFIX + entry["id"],
        title=entry.get("description") or f"Secret ({entry['id']}, a rule of this project)",
        regex=compile_pattern(entry["regex"]),
        keywords=tuple(sorted({w.lower() for w in entry.get("keywords", [])})),
        secret_group=group,
        severity=_SEVERITIES[entry.get("severity", "error")],
        min_entropy=entry.get("min-entropy"),
        allow=tuple(compile_pattern(p) for p in entry.get("allow", [])),
        applies_to=_globs(paths) if paths else None,
    )


def _globs(patterns: Sequence[str]) -> Any:
    import pathspec  # only for rules that name paths

    return pathspec.GitIgnoreSpec.from_lines(patterns).match_file
