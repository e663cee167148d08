"""The judgement of each added package and the findings that say it: the same class and
compatibility table as file licenses (OR is its best choice, AND its worst part, WITH exceptions
kept), after the maintainers' `deny-packages` and `allow-packages`.

A package whose license is not known is a `dependency-license-unknown` warning, never a pass; a
development dependency (devDependencies, a test extra, a dev group) that the table rejects is a
warning by default (it is not shipped), an error with `dev-dependencies = "error"`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ....model import FileChange, Finding, Severity, file_finding
from ..ids import Expr, catalog, licenses_of
from ..judge import FAIL, PASS, WARN, Judgement, Rules, class_label, judge
from . import curation
from .model import DEV, Dep
from .resolve import OFFLINE, Resolution, known

CHECK = "licenses"
UNKNOWN, UNJUDGED = "unknown", "unjudged"
INCOMPATIBLE = "dependency-license-incompatible"
NEEDS_REVIEW = "dependency-license-needs-review"
UNKNOWN_RULE = "dependency-license-unknown"
UNREADABLE = "dependency-file-unreadable"
UNDECLARED = "dependency-licenses-unjudged"
# a file adding more packages of unknown license than this gets one finding for all of them: a
# lockfile reviewed whole (`--all-files`, a first lockfile) would otherwise bury the report
MAX_UNKNOWN_FINDINGS = 5
ECOSYSTEM_NAMES = {
    "pypi": "PyPI",
    "npm": "npm",
    "go": "Go",
    "cargo": "crates.io",
    "maven": "Maven",
    "rubygems": "RubyGems",
    "packagist": "Packagist",
    "nuget": "NuGet",
}


@dataclass(frozen=True)
class Policy:
    """`[licenses]` keys for dependencies: how to resolve, the curations, development scope."""

    mode: str = OFFLINE
    allow: tuple[curation.Entry, ...] = ()
    deny: tuple[curation.Entry, ...] = ()
    dev: str = "warning"  # "warning", "error" or "off"


@dataclass(frozen=True)
class Judged:
    dep: Dep
    resolution: Resolution
    verdict: str  # pass | warn | fail | unknown | unjudged
    judgement: Judgement | None = None
    klass: str = ""
    reason: str = ""


def judge_all(
    deps: Sequence[Dep], resolutions: Sequence[Resolution], policy: Policy, project: Expr | None, rules: Rules
) -> list[Judged]:
    return [_judge(d, r, policy, project, rules) for d, r in zip(deps, resolutions, strict=True)]


def _judge(dep: Dep, res: Resolution, policy: Policy, project: Expr | None, rules: Rules) -> Judged:
    version = res.version or dep.version
    classes = _classes(res.expr)
    denied = curation.first_match(policy.deny, dep, version)
    if denied is not None:
        return Judged(dep, res, FAIL, None, classes, f"[licenses] deny-packages lists it ({denied.text!r})")
    allowed = curation.first_match(policy.allow, dep, version)
    if allowed is not None:
        return Judged(dep, res, PASS, None, classes, f"[licenses] allow-packages lists it ({allowed.text!r})")
    if res.expr is None:
        return Judged(dep, res, UNKNOWN, None, "", res.problem or "its license is not known")
    if project is None:
        return Judged(dep, res, UNJUDGED, None, classes, "the project's own license is not declared")
    judgement = judge(res.expr, project, rules)
    if judgement.outcome != PASS and judgement.culprit is not None and not known(judgement.culprit):
        why = f"its license {judgement.culprit} is not one the gate knows"
        return Judged(dep, res, UNKNOWN, judgement, classes, why)
    return Judged(dep, res, judgement.outcome, judgement, classes, judgement.reason)


def _classes(expr: Expr | None) -> str:
    if expr is None:
        return ""
    return ", ".join(dict.fromkeys(class_label(catalog().class_of(lic)) for lic in licenses_of(expr)))


def findings(
    change: FileChange, judged: Sequence[Judged], policy: Policy, project: str, project_source: str
) -> Iterator[Finding]:
    unjudged = 0
    unknown = [item for item in judged if item.verdict == UNKNOWN]
    if len(unknown) > MAX_UNKNOWN_FINDINGS:
        yield _unknown_many(change, unknown, policy)
    for item in judged:
        if item.verdict == UNJUDGED:
            unjudged += 1
        elif item.verdict == UNKNOWN and len(unknown) <= MAX_UNKNOWN_FINDINGS:
            yield _unknown(change, item, policy)
        elif item.verdict in (FAIL, WARN):
            yield _incompatible(change, item, policy, project, project_source)
    if unjudged:
        yield file_finding(
            CHECK,
            UNDECLARED,
            Severity.NOTE,
            change,
            None,
            f"{change.path} adds {unjudged} dependenc{'y' if unjudged == 1 else 'ies'}; the project declares no license, so their licenses are not judged",
            "Declare the project's license (`[licenses] project = \"MIT\"` in .contribution-gate.toml, or `license` in pyproject.toml or package.json); `contribution-gate licenses` lists the dependencies' licenses meanwhile.",
            "",
            key_path="",
        )


def unreadable(change: FileChange, line: int | None, why: str) -> Finding:
    return file_finding(
        CHECK,
        UNREADABLE,
        Severity.WARNING,
        change,
        line,
        f"{change.path} cannot be read for the dependencies it adds: {why}",
        "Fix the file (regenerate a lockfile with its own tool); until then the packages it adds are not judged. "
        "Mark a false positive with `contribution-gate: allow[licenses]` on the line, or exclude the path with `[licenses] exclude-paths`.",
        why,
    )


def describe(dep: Dep, res: Resolution | None = None) -> str:
    """`PyQt5 5.15.10 (PyPI, a development dependency, locked as ..., brought in by ...)`."""
    version = (res.version if res is not None else None) or dep.version
    head = f"{dep.name} {version}" if version else dep.label
    notes = [ECOSYSTEM_NAMES.get(dep.ecosystem, dep.ecosystem)]
    if version and not dep.version:
        notes.append(f"the version `{dep.spec}` resolves to" if dep.spec else "its current version")
    if dep.scope == DEV:
        notes.append("a development dependency")
    if not dep.direct:
        notes.append(f"locked as `{dep.entry}`" if dep.entry else "a locked package")
        notes.append(f"brought in by {dep.via}" if dep.via else "a transitive dependency")
    elif dep.entry:
        notes.append(f"from {dep.entry}")
    return f"{head} ({', '.join(notes)})"


def _matched(item: Judged) -> str:
    version = item.resolution.version or item.dep.version or item.dep.spec
    return f"{item.dep.ecosystem}:{item.dep.key[1]}@{version}"


def _curation_key(item: Judged) -> str:
    version = item.resolution.version or item.dep.version
    return f"{item.dep.ecosystem}:{item.dep.name}" + (f"@{version}" if version else "")


def _severity(item: Judged, policy: Policy) -> Severity:
    if item.verdict == FAIL and not (item.dep.scope == DEV and policy.dev == "warning"):
        return Severity.ERROR
    return Severity.WARNING


def _incompatible(change: FileChange, item: Judged, policy: Policy, project: str, project_source: str) -> Finding:
    dep, res = item.dep, item.resolution
    source = f"from {res.source}" if res.source else ""
    license_ = f"under {res.text or res.expr} ({source})" if res.expr is not None else "with an unknown license"
    message = f"{change.path} adds {describe(dep, res)} {license_} to a project licensed {project}"
    if project_source and project_source != "[licenses] project":
        message += f" ({project_source})"
    j = item.judgement
    if (
        j is not None
        and j.culprit is not None
        and res.expr is not None
        and str(j.culprit) != str(res.expr)
        and item.reason
    ):
        message += f": {j.culprit} decides it, {item.reason}"
    elif item.reason:
        message += f": {item.reason}"
    if j is not None and j.obligations:
        message += f". It comes with obligations: {j.obligations}"
    if dep.scope == DEV and item.verdict == FAIL and policy.dev == "warning":
        message += ". As a development dependency it is not shipped with the project, so this only warns"
    key = _curation_key(item)
    mark = "mark the line with `contribution-gate: allow[licenses]` (where the file takes comments) or list it in `allow-packages`"
    if item.verdict == WARN:
        fix = (
            f"Check the terms before merging; if the maintainers accept {dep.name}, list it in `[licenses] allow-packages` "
            f'(e.g. "{key}") of the base branch\'s policy, or in `deny-packages` to refuse it. If the license data is wrong, {mark}.'
        )
        rule = NEEDS_REVIEW
    else:
        instead = f"or change the direct dependency {dep.via} that brings it in, " if dep.via else ""
        fix = (
            f"Remove {dep.name}, {instead}or choose a version or package under a license a project under {project} can take "
            f'(e.g. MIT, BSD-3-Clause, Apache-2.0). If the maintainers accept it, list it in `[licenses] allow-packages` (e.g. "{key}") '
            f"of the base branch's policy. If its license data is wrong (a false positive), {mark}."
        )
        rule = INCOMPATIBLE
    return file_finding(CHECK, rule, _severity(item, policy), change, dep.line, message, fix, _matched(item))


def _unknown(change: FileChange, item: Judged, policy: Policy) -> Finding:
    dep = item.dep
    message = f"{change.path} adds {describe(dep, item.resolution)}, whose license is not known: {item.reason}"
    key = _curation_key(item)
    ask = (
        ' or let the gate ask deps.dev (`[licenses] dependencies = "online"`, the default under GitHub Actions)'
        if policy.mode == OFFLINE
        else ""
    )
    fix = (
        f"Find its license (its registry page or source repository) and record the decision in the base branch's policy: "
        f'`[licenses] allow-packages = ["{key}"]` to take it, `deny-packages` to refuse it{ask}. '
        "Where the file takes comments, `contribution-gate: allow[licenses]` on the line marks it as checked."
    )
    return file_finding(CHECK, UNKNOWN_RULE, Severity.WARNING, change, dep.line, message, fix, _matched(item))


def _unknown_many(change: FileChange, items: Sequence[Judged], policy: Policy) -> Finding:
    """One warning for the many packages of a file whose licenses are not known, on the line of
    the first; its fingerprint covers the whole set, so one more package raises it again."""
    names = [f"{i.dep.name} {i.resolution.version or i.dep.version or ''}".strip() for i in items]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    reasons = Counter(i.reason for i in items).most_common()
    why = reasons[0][0] + (f" (and {len(reasons) - 1} other reasons)" if len(reasons) > 1 else "")
    ask = (
        ': let the gate ask deps.dev (`[licenses] dependencies = "online"`, the default under GitHub Actions), or '
        if policy.mode == OFFLINE
        else ": "
    )
    message = f"{change.path} adds {len(items)} packages whose licenses are not known ({shown}): {why}"
    fix = (
        f"Look them up{ask}run `contribution-gate licenses` to list them, and record each decision in the base "
        'branch\'s policy (`[licenses] allow-packages = ["pypi:name@1.2"]` or `deny-packages`).'
    )
    matched = ",".join(sorted(_matched(i) for i in items))
    return file_finding(CHECK, UNKNOWN_RULE, Severity.WARNING, change, items[0].dep.line, message, fix, matched)
