"""Find, load and validate the policy: `.contribution-gate.toml` or `[tool.contribution-gate]`.

For a range the policy is read from the base commit, so a contribution cannot loosen its own gate.
Every error names the file, the table and the key, and how to fix it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .resources import tomllib

CONFIG_FILE = ".contribution-gate.toml"
PYPROJECT = "pyproject.toml"
# Every check the policy may name, including those a later release adds; the registry says which run.
CHECK_IDS = ("secrets", "internal-urls", "proprietary-markers", "licenses", "cla", "models")
CLA_MODES = ("off", "dco", "cla")
DEFAULT_SECONDS_PER_CHECK = 600.0  # [review] max-seconds-per-check: generous; 0 means no limit

Validator = Callable[[Any], str | None]  # returns what is wrong, or None


def _strings(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "must be a list of strings"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _positive_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "must be a positive whole number (bytes)"


def _one_of(*choices: str) -> Validator:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(repr(c) for c in choices)}"

    return check


def _regexes(value: Any) -> str | None:
    problem = _strings(value)
    if problem:
        return problem
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"holds an invalid regular expression {pattern!r} ({exc})"
    return None


_DOMAIN = re.compile(r"(?i)^(?:\*\.)?\.?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?$")
_HOST_GLOB = re.compile(r"(?i)^[a-z0-9_*?\[\]!.-]+$")


def _domains(value: Any) -> str | None:
    problem = _strings(value)
    if problem:
        return problem
    bad = [v for v in value if not _DOMAIN.match(v.strip())]
    return f"holds {bad[0]!r}, which is not a domain name: write it like corp.example.com" if bad else None


def _hosts_or_networks(value: Any) -> str | None:
    """Addresses and CIDR ranges (`10.20.0.0/16`), or host names and globs (`*.lab.example.com`)."""
    import ipaddress  # only when a policy allows hosts

    problem = _strings(value)
    if problem:
        return problem
    for entry in value:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
            continue
        except ValueError:
            pass
        if (
            re.fullmatch(r"[\d./:a-fA-F]+", entry.strip())
            and re.search(r"\d[./:]", entry)
            or not _HOST_GLOB.match(entry.strip())
        ):
            return f"holds {entry!r}, which is neither an address or CIDR range (10.20.0.0/16) nor a host name or glob (*.lab.example.com)"
    return None


def _markers(value: Any) -> str | None:
    """Plain phrases, or `/regular expressions/`."""
    problem = _strings(value)
    if problem:
        return problem
    for marker in value:
        if len(marker) > 2 and marker.startswith("/") and marker.endswith("/"):
            try:
                re.compile(marker[1:-1])
            except re.error as exc:
                return f"holds an invalid regular expression {marker!r} ({exc})"
        elif not marker.strip():
            return "holds an empty marker"
    return None


def _check_names(value: Any) -> str | None:
    problem = _strings(value)
    if problem:
        return problem
    unknown = [v for v in value if v not in CHECK_IDS]
    if not unknown:
        return None
    hint = suggestion(unknown[0], CHECK_IDS, '"{}"')
    return (
        f"names unknown checks {unknown}: "
        + (f"did you mean {hint}? " if hint else "")
        + f"known are {', '.join(CHECK_IDS)}"
    )


_EMAIL_DOMAIN = re.compile(r"(?i)^(?:\*\.)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)+\.?$")


def _corporations(value: Any) -> str | None:
    """`[{ name = "Example Corp", domains = ["example.com"] }, ...]`: corporate CLAs by email domain."""
    if not isinstance(value, list):
        return 'must be a list of tables like [{ name = "Example Corp", domains = ["example.com"] }]'
    for index, entry in enumerate(value, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            return f'entry {index} needs name = "..." (the company that signed), like {{ name = "Example Corp", domains = ["example.com"] }}'
        unknown = sorted(set(entry) - {"name", "domains"})
        if unknown:
            return f"entry {index} ({entry['name']}) has unknown keys {unknown}: only name and domains"
        domains = entry.get("domains")
        problem = _strings(domains) or ("" if domains else "must list at least one domain")
        bad = [d for d in domains or () if not _EMAIL_DOMAIN.match(d.strip())] if not problem else []
        if problem or bad:
            return f"entry {index} ({entry['name']}) domains " + (
                problem or f"holds {bad[0]!r}, which is not a domain name: write it like example.com"
            )
    return None


def _phrase(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be the non-empty sentence a signer posts"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _seconds(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < float("inf")
    return None if ok else "must be a number of seconds (0: no limit)"


def _opcodes(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "must be a positive whole number (opcodes)"


_GLOBAL = re.compile(r"^[A-Za-z_][\w.]*(?:\.|:)[A-Za-z_][\w.]*$")


def _global_names(value: Any) -> str | None:
    """Pickle globals: `module.name`, or `module:dotted.name` for an attribute path."""
    problem = _strings(value)
    if problem:
        return problem
    bad = [v for v in value if not _GLOBAL.match(v.strip())]
    return f"holds {bad[0]!r}, which is not a global: write it like package.module.Name" if bad else None


_LICENSE_TEXT = re.compile(r"^[A-Za-z0-9.+:_\-() ]+$")
_LICENSE_ENTRY = re.compile(r"^[A-Za-z0-9.+:_\-() *?\[\]]+$")
_DANGLING = re.compile(r"(?i)^\s*(and|or|with)\b|\b(and|or|with)\s*$|\(\s*\)")


def _expression_problem(text: str, pattern: re.Pattern[str]) -> str | None:
    """What makes `text` no license expression, judged by its shape alone (no license library)."""
    if not text.strip() or not pattern.match(text) or _DANGLING.search(text) or text.count("(") != text.count(")"):
        return f'holds {text!r}, which is not an SPDX license expression: write it like "Apache-2.0" or "MIT OR Apache-2.0"'
    return None


def _license_expression(value: Any) -> str | None:
    return _string(value) or _expression_problem(value, _LICENSE_TEXT)


def _license_entries(value: Any) -> str | None:
    """License ids, globs (`AGPL-*`) or whole expressions."""
    problem = _strings(value)
    if problem:
        return problem
    return next((p for p in (_expression_problem(v, _LICENSE_ENTRY) for v in value) if p), None)


def _secret_rules(value: Any) -> str | None:
    """`[[secrets.rules]]`: checked by the check's own module (RE2 patterns), imported only here."""
    from .checks.secrets import custom

    return custom.problem(value)


_COMMON: dict[str, Validator] = {"exclude-paths": _strings, "allow-paths": _strings}
SCHEMA: dict[str, dict[str, Validator]] = {
    "checks": {"enabled": _check_names, "baseline": _string},
    "secrets": {
        **_COMMON,
        "baseline": _string,
        "allow": _regexes,
        "max-file-size": _positive_int,
        "rules": _secret_rules,
        "gitleaks-config": _string,
        "gitleaks-ignore": _string,
    },
    "internal-urls": {**_COMMON, "domains": _domains, "allow": _hosts_or_networks},
    "proprietary-markers": {**_COMMON, "organizations": _strings, "markers": _markers},
    "licenses": {
        **_COMMON,
        "project": _license_expression,
        "allow": _license_entries,
        "deny": _license_entries,
        "dependencies": _one_of("online", "offline", "off"),
        "allow-packages": _strings,
        "deny-packages": _strings,
        "dev-dependencies": _one_of("warning", "error", "off"),
    },
    "cla": {
        **_COMMON,
        "mode": _one_of(*CLA_MODES),
        "allow-authors": _strings,
        "signatures": _string,
        "corporate": _corporations,
        "phrase": _phrase,
    },
    "models": {
        **_COMMON,
        "allow-globals": _global_names,
        "max-size": _positive_int,
        "max-opcodes": _opcodes,
        "max-seconds": _positive_int,
        "unscanned": _one_of("warning", "error"),
        "require-aibom": _boolean,
        "aibom": _string,
    },
    "review": {"max-seconds-per-check": _seconds},
}


def suggestion(word: str, known: Iterable[str], shape: str = "`{}`") -> str | None:
    """The known name closest to a misspelt `word` (`exclude_paths` -> `exclude-paths`), in `shape`,
    or None when none is close."""
    choices = list(known)
    norm = {c.replace("_", "-").lower(): c for c in choices}
    exact = norm.get(word.strip().replace("_", "-").lower())
    close = [exact] if exact else difflib.get_close_matches(word.strip().lower(), choices, n=1, cutoff=0.75)
    return shape.format(close[0]) if close else None


def _table_hint(name: str, value: Any, prefix: str) -> str:
    """`: did you mean ...?` for an unknown table: a close table name, or for a key written outside
    any table, the table that has it; else the tables there are."""
    hint = suggestion(name, SCHEMA, "[" + prefix + "{}]")
    if hint is None and not isinstance(value, dict):
        owner = next((table for table, keys in SCHEMA.items() if suggestion(name, keys)), None)
        hint = f"{suggestion(name, SCHEMA[owner])} in [{prefix}{owner}]" if owner else None
    return f": did you mean {hint}?" if hint else f" (known: {', '.join(SCHEMA)})"


def _key_hint(key: str, table: str, prefix: str) -> str:
    """`: did you mean ...?` for an unknown key: a close key of its table, else the table that has
    this key (a key put in the wrong table), else the keys the table has."""
    known = SCHEMA[table]
    hint = suggestion(key, known)
    if hint:
        return f": did you mean {hint}?"
    elsewhere = [name for name, keys in SCHEMA.items() if suggestion(key, keys)]
    if elsewhere:
        name = elsewhere[0]
        return f": did you mean {suggestion(key, SCHEMA[name])} in [{prefix}{name}]?"
    return f" (known: {', '.join(sorted(known))})"


@dataclass(frozen=True)
class Config:
    """A validated policy. `source` says where it came from; `warnings` name ignored keys."""

    source: str = "built-in defaults"
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def table(self, name: str) -> Mapping[str, Any]:
        return self.tables.get(name, {})

    @property
    def enabled(self) -> tuple[str, ...]:
        return tuple(self.table("checks").get("enabled", CHECK_IDS))

    @property
    def seconds_per_check(self) -> float | None:
        """Each check's time budget for one review, or None for no limit."""
        budget = float(self.table("review").get("max-seconds-per-check", DEFAULT_SECONDS_PER_CHECK))
        return budget or None


def parse(text: str, source: str, *, pyproject: bool = False) -> Config:
    """Validate the TOML text of a policy file; `pyproject` reads `[tool.contribution-gate]`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML ({exc}): fix the syntax") from None
    prefix = ""
    if pyproject:
        data = data.get("tool", {}).get("contribution-gate", {})
        prefix = "tool.contribution-gate."
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: [{prefix.rstrip('.')}] must be a table")
    warnings: list[str] = []
    for name, table in data.items():
        schema = SCHEMA.get(name)
        if schema is None:
            what = f"table [{prefix}{name}]" if isinstance(table, dict) else f"key '{name}' outside any table"
            warnings.append(f"{source}: unknown {what} ignored{_table_hint(name, table, prefix)}")
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{prefix}{name}] must be a table, e.g. [{prefix}{name}] on its own line")
        for key, value in table.items():
            validate = schema.get(key)
            if validate is None:
                warnings.append(
                    f"{source}: unknown key '{key}' in [{prefix}{name}] ignored{_key_hint(key, name, prefix)}"
                )
                continue
            problem = validate(value)
            if problem:
                raise ConfigError(f"{source}: [{prefix}{name}] {key} {problem}")
    tables = {name: dict(table) for name, table in data.items() if name in SCHEMA}
    return Config(source=source, tables=tables, warnings=tuple(warnings))


def load_file(path: Path) -> Config:
    """A policy file named on the command line; pyproject.toml files are read at their tool table."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"{path}: cannot read the config ({reason}): give a readable TOML file") from None
    return parse(text, str(path), pyproject=path.name == PYPROJECT)


def discover(read: Callable[[str], bytes | None], where: str) -> Config:
    """The policy a tree holds: `read(path)` returns a file of that tree (working tree or a commit)."""
    own = read(CONFIG_FILE)
    if own is not None:
        return parse(_text(own, CONFIG_FILE, where), f"{CONFIG_FILE} ({where})")
    project = read(PYPROJECT)
    if project is not None:
        text = _text(project, PYPROJECT, where)
        if "contribution-gate" in text:
            return parse(text, f"{PYPROJECT} ({where})", pyproject=True)
    return Config()


def _text(data: bytes, name: str, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{name} ({where}): not UTF-8 text: save it as UTF-8") from None
