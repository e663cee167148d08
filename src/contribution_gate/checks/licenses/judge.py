"""The compatibility judgement: may a project under one license take code under another?

Decided from data (`config/licenses.toml`): each license has a class, a table says for each class
of the project's license which inbound classes pass, warn or fail, [pairs] correct the table for
the license versions it gets wrong, and the policy's `allow` and `deny` lists override both.
An inbound `A OR B` is as good as its best choice, `A AND B` as bad as its worst part; a project
under several licenses must be able to take the code under each of them.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .ids import Expr, Lic, Op, catalog, data, exception_class, licenses_of

PASS, WARN, FAIL = "pass", "warn", "fail"
_RANK = {PASS: 0, WARN: 1, FAIL: 2}


@dataclass(frozen=True, slots=True)
class Rules:
    """The policy's overrides: `allow` and `deny` entries are ids, globs or whole expressions."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Judgement:
    """The outcome for one inbound expression, and the license that decided it."""

    outcome: str
    culprit: Lic | None = None
    klass: str = ""
    reason: str = ""
    obligations: str = ""


def judge(inbound: Expr, project: Expr, rules: Rules = Rules()) -> Judgement:
    """Whether `inbound` code may join a project under `project`."""
    whole = _whole_expression(inbound, rules)
    if whole is not None:
        return whole
    if isinstance(inbound, Op):
        folded = _with_exception(inbound)
        if folded is not None:
            return judge(folded, project, rules)
        parts = [judge(arg, project, rules) for arg in inbound.args]
        pick = min if inbound.op == "OR" else max
        return pick(parts, key=lambda j: _RANK[j.outcome])
    return _one(inbound, project, rules)


def _with_exception(inbound: Op) -> Lic | None:
    """`GPL-3.0-or-later AND Autoconf-exception-generic-3.0`, as ScanCode reports a notice whose
    exception it matched apart: one license and the exception that modifies it, read as
    `... WITH ...` (an exception is no license of its own; beside one license it can only be that
    license's). None for anything else."""
    if inbound.op != "AND" or len(inbound.args) != 2 or not all(isinstance(a, Lic) for a in inbound.args):
        return None
    exceptions = catalog().exceptions
    bare = [a for a in inbound.args if isinstance(a, Lic) and a.key in exceptions and not a.exception]
    licenses = [a for a in inbound.args if isinstance(a, Lic) and a.key not in exceptions and not a.exception]
    if len(bare) != 1 or len(licenses) != 1:
        return None
    return Lic(licenses[0].key, licenses[0].spdx, bare[0].key, licenses[0].known)


def _whole_expression(inbound: Expr, rules: Rules) -> Judgement | None:
    """An allow or deny entry that is a whole expression (`MIT OR GPL-2.0`) equal to this one."""
    text = _normal(str(inbound))
    for entries, outcome, why in (
        (rules.deny, FAIL, "[licenses] deny lists it"),
        (rules.allow, PASS, "[licenses] allow lists it"),
    ):
        for entry in entries:
            if " " in entry.strip() and _normal(_render(entry)) == text:
                return Judgement(outcome, None, "", why)
    return None


def _render(entry: str) -> str:
    expr = catalog().expression(entry)
    return str(expr) if expr is not None else entry


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("(", " ( ").replace(")", " ) ").split())


def _matches(lic: Lic, entries: Sequence[str]) -> bool:
    names = {lic.key, lic.spdx.lower(), str(lic).lower()}
    for entry in entries:
        if " " in entry.strip():
            continue
        pattern = entry.strip().lower()
        resolved = catalog().lookup(entry).key if not any(c in pattern for c in "*?[") else pattern
        if any(fnmatch.fnmatchcase(name, pattern) or name == resolved for name in names):
            return True
    return False


def _one(lic: Lic, project: Expr, rules: Rules) -> Judgement:
    found = catalog()
    klass = found.class_of(lic)
    obligations = obligations_of(lic)
    if _matches(lic, rules.deny):
        return Judgement(FAIL, lic, klass, "the policy's [licenses] deny lists it", obligations)
    if _matches(lic, rules.allow):
        return Judgement(PASS, lic, klass, "the policy's [licenses] allow lists it", obligations)
    worst = Judgement(PASS, lic, klass, "", obligations)
    if lic.key in found.exceptions and not lic.exception:
        return worst  # an exception found on its own (a COPYRIGHT file's OpenSSL clause) grants, never restricts
    for own in licenses_of(project):
        outcome, reason = _pair(lic, klass, own)
        if _RANK[outcome] > _RANK[worst.outcome]:
            worst = Judgement(outcome, lic, klass, reason, obligations)
    return worst


def _pair(lic: Lic, klass: str, own: Lic) -> tuple[str, str]:
    """The outcome of `lic` code in a project under `own`, and why."""
    if lic.key == own.key and lic.exception in (own.exception, None):
        return PASS, "it is the project's own license"
    if lic.key == own.key and own.exception is None:  # an exception only adds permissions
        return PASS, "it is the project's own license, with an exception that grants more"
    if _later_versions_allowed(lic, own):
        return PASS, "it may be taken under the project's own license, a version it allows"
    table = data()
    # [pairs] name bare licenses; an exception with a class of its own (`GPL-2.0 WITH
    # Linux-syscall-note`) changes what the license asks, so its class decides
    pairs = table["pairs"].get(own.key, {}) if not (lic.exception and exception_class(lic.exception)) else {}
    for outcome in (FAIL, WARN, PASS):
        if any(fnmatch.fnmatchcase(lic.key, p) for p in pairs.get(outcome, ())):
            return outcome, _pair_reason(lic, own, outcome)
    own_class = catalog().class_of(own)
    row = table["compatibility"].get(own_class, table["compatibility"]["default"])
    outcome = row.get(klass, FAIL)
    note = table["class-notes"].get(klass, klass)
    return outcome, f"it is {note}" if outcome != PASS else ""


_VERSIONED = re.compile(r"(?P<family>[a-z][a-z-]*?)-(?P<version>\d+(?:\.\d+)*)(?P<plus>-plus)?")


def _later_versions_allowed(lic: Lic, own: Lic) -> bool:
    """`LGPL-2.1-or-later` in a project under `LGPL-2.1-only` (paramiko), or under 3.0: the file's
    notice lets anyone take it under that version or any later one, the project's among them."""
    mine, theirs = _VERSIONED.fullmatch(lic.key), _VERSIONED.fullmatch(own.key)
    if mine is None or theirs is None or not mine["plus"] or lic.exception not in (own.exception, None):
        return False
    return mine["family"] == theirs["family"] and _version(mine["version"]) <= _version(theirs["version"])


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _pair_reason(lic: Lic, own: Lic, outcome: str) -> str:
    if outcome == FAIL:
        return f"{lic} cannot be combined with {own}: the two licenses' terms conflict"
    if outcome == WARN:
        return f"{lic} can be combined with {own} only under conditions (the combination's terms change)"
    return ""


def obligations_of(lic: Lic) -> str:
    for pattern, text in data()["obligations"].items():
        if fnmatch.fnmatchcase(lic.key, pattern):
            return str(text)
    return ""


def class_label(klass: str) -> str:
    return klass.replace("-", " ")
