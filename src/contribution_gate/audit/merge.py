"""The merged audit, built from the unit files alone: per repository verdicts, counts, findings.

A repository's findings are those of its units, each with `repo` and `commit` added, one per
fingerprint (history slices and `--since-last` units can see the same finding: the earliest unit
keeps it, the rule `review` applies inside one review). A repository with a unit not reviewed yet
is `pending`, one whose unit ended in error is `error`: neither is ever reported as passing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .plan import keyed
from .store import Store
from .units import Unit

_WORST = {"pass": 0, "skipped": 0, "fail": 1, "error": 2, "pending": 3}


def audit(plan: dict[str, Any], stores: Sequence[Store]) -> dict[str, Any]:
    """audit.json: totals, one entry per repository, every finding with `repo` and `commit`."""
    units = keyed(plan)
    by_slug: dict[str, list[tuple[Unit, dict[str, Any] | None]]] = {}
    totals: Counter[str] = Counter()
    for unit, key in units:
        result = next((r for r in (s.read(unit, key) for s in stores) if r is not None), None)
        status = "pending" if result is None else str(result["status"])
        totals[status] += 1
        by_slug.setdefault(unit.slug, []).append((unit, result))
    repos = [_repository(r, by_slug.get(r["slug"], [])) for r in plan.get("repositories", [])]
    verdicts = Counter(r["verdict"] for r in repos)
    return {
        "tool": "contribution-gate",
        "version": __version__,
        "kind": "audit",
        "started": plan.get("created"),
        "finished": (plan.get("runs") or [{}])[-1].get("finished"),
        "scope": plan.get("scope"),
        "settings": plan.get("settings"),
        "verdict": _verdict(verdicts),
        "totals": {
            "units": len(units),
            **{name: totals[name] for name in ("pass", "fail", "error", "pending")},
            "repositories": len(repos),
            "repositories_failed": verdicts["fail"] + verdicts["error"],
            "findings": sum(len(r["findings"]) for r in repos),
        },
        "repos": repos,
    }


def _verdict(verdicts: Counter[str]) -> str:
    if verdicts["pending"]:
        return "incomplete"
    return "fail" if verdicts["fail"] or verdicts["error"] else "pass"


def _repository(repo: dict[str, Any], units: list[tuple[Unit, dict[str, Any] | None]]) -> dict[str, Any]:
    findings: list[dict[str, Any]] = []
    seen: set[str] = set()
    checks: dict[str, str] = {}
    counts: dict[str, Counter[str]] = {}
    errors: list[dict[str, str]] = []
    status = "pass"
    for unit, result in units:
        unit_status = "pending" if result is None else str(result["status"])
        status = max(status, unit_status, key=_WORST.__getitem__)
        if result is None:
            continue
        if unit_status == "error" and "report" not in result:
            errors.append({"unit": unit.label, "message": str(result.get("error") or "no reason given")})
            continue
        report = result["report"]
        for check in report.get("checks", []):
            name = str(check["name"])
            checks[name] = max(checks.get(name, "pass"), str(check["status"]), key=_WORST.__getitem__)
            counts.setdefault(name, Counter())
        for error in report.get("errors", []):
            errors.append({"unit": unit.label, "message": f"{error['check']}: {error['message']}"})
        for finding in report.get("findings", []):
            if finding["fingerprint"] in seen:
                continue
            seen.add(finding["fingerprint"])
            findings.append({"repo": repo["slug"], **finding, "commit": finding.get("commit") or unit.head})
            if not finding.get("suppressed"):
                counts.setdefault(finding["check"], Counter())[str(finding["severity"])] += 1
    return {
        "slug": repo["slug"],
        "target": repo["target"],
        "head": repo["head"],
        "verdict": status,
        "units": len(units),
        "checks": checks,
        "counts_by_check": {name: dict(sorted(c.items())) for name, c in sorted(counts.items())},
        "errors": errors,
        "findings": findings,
    }


def repository_uri(target: str) -> str:
    """The repository's URI for SARIF's versionControlProvenance (absolute: a local path as file://)."""
    if "://" in target:
        return target
    if "@" in target.partition(":")[0]:  # scp-like ssh
        user_host, _, path = target.partition(":")
        return f"ssh://{user_host}/{path.lstrip('/')}"
    return Path(target).as_uri()
