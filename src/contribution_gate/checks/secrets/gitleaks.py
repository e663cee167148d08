"""Migration from gitleaks in one line: `[secrets] gitleaks-config = ".gitleaks.toml"`.

What a gitleaks (v8) config says is carried over: its `[[rules]]` (id, description, regex,
secretGroup, entropy, keywords, path, and their allowlists) become the project's rules, with
findings named `gitleaks.<id>`; `[allowlist]` / `[[allowlists]]` (regexes, regexTarget, paths,
stopwords, commits, condition, targetRules) hold over every finding of the secrets check, ours
included; `[extend] useDefault` is what we do anyway: our rules stand in for gitleaks' defaults
(config/gitleaks_ids.toml says which of ours for which of theirs), so `disabledRules`, per-rule
allowlists and `.gitleaksignore` entries naming a default rule apply to ours. A `[[rules]]` entry
with a default's id is that default (tuned): ours stand in for it, and its allowlists apply to
ours; when no rule of ours corresponds, its regex is loaded as the project's own.

Patterns are Go's RE2 syntax and run on RE2 here (`goregex`): nothing to translate. What cannot be
carried over is said in a warning naming the rule (composite rules with `[[rules.required]]`,
`skipReport` rules, `[extend] url`); what gitleaks itself refuses (a rule without id or regex, a
bad pattern, an empty allowlist) is a config error naming the file and the rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ...errors import ConfigError
from ...resources import data_file, tomllib
from .goregex import PatternError, compile_pattern, literal_alternation
from .userrules import GITLEAKS_PREFIX, Allowlist, UserRule

Reader = Callable[[str], "bytes | None"]
_TOP = ("title", "description", "minVersion", "extend", "rules", "allowlist", "allowlists")
_RULE = ("id", "description", "regex", "secretGroup", "entropy", "keywords", "path", "tags", "allowlist", "allowlists")
_LIST = ("description", "condition", "regexTarget", "regexes", "paths", "stopwords", "commits", "targetRules")
_MAX_DEPTH = 2  # `[extend] path` chains, as gitleaks allows


class GitleaksError(ConfigError):
    """A gitleaks config gitleaks itself would refuse."""


@dataclass
class Loaded:
    """What a gitleaks config adds, in terms of our check."""

    rules: list[UserRule] = field(default_factory=list)
    allowlists: list[Allowlist] = field(default_factory=list)
    builtin_allowlists: list[tuple[str, Allowlist]] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    return tomllib.loads(data_file("gitleaks_ids.toml").read_text(encoding="utf-8"))


def default_ids() -> dict[str, tuple[str, ...]]:
    """gitleaks' default rule ids -> the ids of ours that stand in for each (may be none)."""
    return {k: tuple(v) for k, v in _defaults()["default"].items()}


@lru_cache(maxsize=1)
def default_paths() -> Allowlist:
    """The paths gitleaks' default config never reads (lock files, vendored code, binaries, its own
    config): with `useDefault` they are part of what a config says."""
    return Allowlist(paths=tuple(compile_pattern(p) for p in _defaults()["default-allowlist"]["paths"]))


def ours_for(gitleaks_id: str, builtin: frozenset[str]) -> tuple[str, ...]:
    """Our rules that stand in for gitleaks' default rule `gitleaks_id` (none when not a default
    or no rule of ours corresponds)."""
    mapped_ids = _defaults()["default"].get(gitleaks_id)
    if mapped_ids is None:
        return ()
    mapped = [r for r in mapped_ids if r in builtin]
    if not mapped and gitleaks_id in builtin:
        mapped = [gitleaks_id]
    return tuple(mapped)


def load(text: str, source: str, builtin: frozenset[str], read: Reader | None = None, depth: int = 0) -> Loaded:
    """The gitleaks config `text` (named `source` in messages); `read` fetches an `[extend] path`
    from the same tree; `builtin` is the ids of our rules."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GitleaksError(f"{source}: invalid TOML ({exc}): fix the syntax") from None
    loaded = Loaded()
    for key in sorted(set(data) - set(_TOP)):
        loaded.notes.append(
            f"{source}: key {key!r} is not gitleaks' (misplaced? `useDefault` goes under [extend]): ignored"
        )
    extend = _table(data.get("extend", {}), source, "[extend]")
    use_default = extend.get("useDefault", False) is True
    if use_default:
        loaded.allowlists.append(default_paths())
    rules = _list_of_tables(data.get("rules", []), source, "[[rules]]")
    own_ids: dict[str, UserRule] = {}
    for number, entry in enumerate(rules, 1):
        _rule(entry, number, source, builtin, use_default, loaded, own_ids)
    for key in ("allowlist", "allowlists"):
        value = data.get(key)
        if value is None:
            continue
        entries = (
            [_table(value, source, "[allowlist]")]
            if key == "allowlist"
            else _list_of_tables(value, source, "[[allowlists]]")
        )
        for number, entry in enumerate(entries, 1):
            _global_allowlist(
                entry, f"{source}: [{key}]" + (f" {number}" if key == "allowlists" else ""), builtin, loaded, own_ids
            )
    for rule_id in _strings(extend.get("disabledRules", []), source, "[extend] disabledRules"):
        mine = ours_for(rule_id, builtin)
        if mine:
            loaded.disabled.update(mine)
        elif rule_id in own_ids:
            loaded.disabled.add(own_ids[rule_id].id)
        else:
            loaded.notes.append(
                f"{source}: [extend] disabledRules names {rule_id!r}, which no rule here corresponds to: nothing to disable"
            )
    _extend_path(extend, source, builtin, read, depth, loaded)
    if "url" in extend:
        loaded.notes.append(f"{source}: [extend] url is not supported (nor by gitleaks yet): ignored")
    return loaded


def _extend_path(
    extend: Mapping[str, Any], source: str, builtin: frozenset[str], read: Reader | None, depth: int, loaded: Loaded
) -> None:
    path = extend.get("path")
    if path is None:
        return
    if not isinstance(path, str) or extend.get("useDefault") is True:
        raise GitleaksError(f"{source}: [extend] path must be a string, and cannot go with useDefault (as in gitleaks)")
    if depth + 1 >= _MAX_DEPTH or read is None:
        loaded.notes.append(f"{source}: [extend] path {path!r} not read (gitleaks extends at most {_MAX_DEPTH} deep)")
        return
    data = read(path.removeprefix("./"))
    if data is None:
        raise GitleaksError(f"{source}: [extend] path {path!r} does not exist in the same tree: fix the path")
    base = load(data.decode("utf-8", "replace"), path, builtin, read, depth + 1)
    names = {r.id for r in loaded.rules}
    loaded.rules.extend(r for r in base.rules if r.id not in names)  # the extending config's rule wins
    loaded.allowlists.extend(base.allowlists)
    loaded.builtin_allowlists.extend(base.builtin_allowlists)
    loaded.disabled.update(base.disabled)
    loaded.notes.extend(base.notes)


def _rule(
    entry: Mapping[str, Any],
    number: int,
    source: str,
    builtin: frozenset[str],
    use_default: bool,
    loaded: Loaded,
    own_ids: dict[str, UserRule],
) -> None:
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip() or len(rule_id) > 128 or not rule_id.isprintable():
        raise GitleaksError(
            f'{source}: rule {number} has no usable id (gitleaks 8 needs one; a gitleaks 7 config?): add id = "..."'
        )
    where = f"{source}: rule {rule_id!r}"
    for key in sorted(set(entry) - set(_RULE) - {"required", "skipReport"}):
        loaded.notes.append(f"{where}: key {key!r} is not gitleaks 8's: ignored")
    allowlists = _rule_allowlists(entry, where)
    mine = ours_for(rule_id, builtin)
    if mine:  # one of gitleaks' defaults: ours stand in for it, with its allowlists
        loaded.builtin_allowlists.extend((ours, a) for ours in mine for a in allowlists)
        return
    if entry.get("required") or entry.get("skipReport"):
        loaded.notes.append(
            f"{where}: composite rules ([[rules.required]], skipReport) are not supported: rule not used"
        )
        return
    pattern, path = entry.get("regex"), entry.get("path")
    if pattern is None and path is None:
        if rule_id in default_ids() and use_default:
            loaded.notes.append(f"{where}: tunes gitleaks' default rule, which no rule here corresponds to: no effect")
            return
        raise GitleaksError(
            f"{where}: both regex and path are empty: the rule would find nothing (gitleaks refuses it too)"
        )
    regex = _compiled(pattern, where, "regex") if pattern is not None else None
    group = entry.get("secretGroup", 0)
    if isinstance(group, bool) or not isinstance(group, int) or group < 0:
        raise GitleaksError(f"{where}: secretGroup must be a whole number")
    if regex is not None and group > regex.groups:
        raise GitleaksError(f"{where}: secretGroup {group} does not exist: the regex has {regex.groups} group(s)")
    entropy = entry.get("entropy", 0)
    if isinstance(entropy, bool) or not isinstance(entropy, int | float) or entropy < 0:
        raise GitleaksError(f"{where}: entropy must be a number")
    description = entry.get("description")
    rule = UserRule(
        id=GITLEAKS_PREFIX + rule_id,
        title=description
        if isinstance(description, str) and description.strip()
        else f"Secret (gitleaks rule {rule_id})",
        regex=regex,
        keywords=tuple(sorted({k.lower() for k in _strings(entry.get("keywords", []), where, "keywords") if k})),
        secret_group=group or None,
        min_entropy=math.nextafter(float(entropy), math.inf) if entropy else None,  # gitleaks: above it
        applies_to=_compiled(path, where, "path").search if path is not None else None,
        allowlists=tuple(allowlists),
    )
    own_ids[rule_id] = rule
    loaded.rules[:] = [r for r in loaded.rules if r.id != rule.id] + [rule]  # a later entry replaces


def _rule_allowlists(entry: Mapping[str, Any], where: str) -> list[Allowlist]:
    found: list[Allowlist] = []
    if "allowlist" in entry:
        found.append(_allowlist(_table(entry["allowlist"], where, "[rules.allowlist]"), f"{where} [rules.allowlist]"))
    for number, item in enumerate(_list_of_tables(entry.get("allowlists", []), where, "[[rules.allowlists]]"), 1):
        found.append(_allowlist(item, f"{where} [[rules.allowlists]] {number}"))
    return found


def _global_allowlist(
    entry: Mapping[str, Any], where: str, builtin: frozenset[str], loaded: Loaded, own_ids: dict[str, UserRule]
) -> None:
    allowlist = _allowlist(entry, where)
    targets = _strings(entry.get("targetRules", []), where, "targetRules")
    if not targets:
        loaded.allowlists.append(allowlist)
        return
    for target in targets:
        mine = ours_for(target, builtin)
        if mine:
            loaded.builtin_allowlists.extend((ours, allowlist) for ours in mine)
        elif target in own_ids:
            rule = own_ids[target]
            extended = UserRule(**{**_fields(rule), "allowlists": (*rule.allowlists, allowlist)})
            own_ids[target] = extended
            loaded.rules[:] = [extended if r.id == rule.id else r for r in loaded.rules]
        elif target in default_ids():
            loaded.notes.append(
                f"{where}: targetRules names gitleaks' default {target!r}, which no rule here corresponds to: no effect"
            )
        else:
            raise GitleaksError(f"{where}: targetRules names {target!r}, which is no rule of the config")


def _fields(rule: UserRule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in UserRule.__dataclass_fields__}


def _allowlist(entry: Mapping[str, Any], where: str) -> Allowlist:
    condition = str(entry.get("condition", "")).upper()
    if condition not in ("", "OR", "||", "AND", "&&"):
        raise GitleaksError(f"{where}: condition must be 'and' or 'or'")
    target = entry.get("regexTarget", "") or "secret"
    if target not in ("secret", "match", "line"):
        raise GitleaksError(f"{where}: regexTarget must be 'secret', 'match' or 'line'")
    regexes = tuple(_compiled(p, where, "regexes") for p in _strings(entry.get("regexes", []), where, "regexes"))
    paths = tuple(_compiled(p, where, "paths") for p in _strings(entry.get("paths", []), where, "paths"))
    stopwords = tuple(sorted({w.lower() for w in _strings(entry.get("stopwords", []), where, "stopwords") if w}))
    commits = frozenset(c.strip().lower() for c in _strings(entry.get("commits", []), where, "commits") if c.strip())
    if not (regexes or paths or stopwords or commits):
        raise GitleaksError(
            f"{where}: an allowlist must list regexes, paths, stopwords or commits (gitleaks refuses an empty one)"
        )
    return Allowlist(
        regexes=regexes,
        target=target,
        stopwords=literal_alternation(stopwords) if stopwords else None,
        paths=paths,
        commits=commits,
        all_of=condition in ("AND", "&&"),
    )


def _compiled(pattern: Any, where: str, key: str) -> Any:
    if not isinstance(pattern, str):
        raise GitleaksError(f"{where}: {key} must be a string")
    try:
        return compile_pattern(pattern)
    except PatternError as exc:
        raise GitleaksError(f"{where}: {key} {pattern[:80]!r} cannot be run: {exc}") from None


def _table(value: Any, where: str, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise GitleaksError(f"{where}: {name} must be a table")
    return value


def _list_of_tables(value: Any, where: str, name: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise GitleaksError(f"{where}: {name} must be a list of tables")
    return value


def _strings(value: Any, where: str, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GitleaksError(f"{where}: {name} must be a list of strings")
    return value


def ignored(
    text: str, source: str, builtin: frozenset[str], own: frozenset[str]
) -> tuple[set[tuple[str | None, str, str, int]], list[str]]:
    """The findings a `.gitleaksignore` names, as (commit or None, path, our rule id, line), and
    what could not be carried over. gitleaks writes one fingerprint a line, `commit:path:rule:line`
    or `path:rule:line`; a rule is the config's own (`own`: gitleaks ids) or a default ours stand in for."""
    found: set[tuple[str | None, str, str, int]] = set()
    unknown: list[str] = []
    bad = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) not in (3, 4) or not parts[-1].isdigit():
            bad += 1
            continue
        commit = parts[0].lower() if len(parts) == 4 else None
        path, rule_id, number = parts[-3].replace("\\", "/"), parts[-2], int(parts[-1])
        ours = (GITLEAKS_PREFIX + rule_id,) if rule_id in own else ours_for(rule_id, builtin)
        if not ours:
            unknown.append(rule_id)
        found.update((commit, path, rule, number) for rule in ours)
    notes = []
    if bad:
        notes.append(
            f"{source}: {bad} line(s) are no gitleaks fingerprint (commit:path:rule:line or path:rule:line): ignored"
        )
    if unknown:
        names = ", ".join(repr(n) for n in sorted(set(unknown))[:5])
        notes.append(
            f"{source}: {len(unknown)} fingerprint(s) name rules no rule here corresponds to ({names}): ignored"
        )
    return found, notes
