"""The merged reports, written atomically into the audit directory: audit.json, audit.sarif (one run
per repository, each uploadable to code scanning on its own repository) and audit.md (a table
repository x check that fits a job summary)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..files import write_atomically
from ..reporters.untrusted import masked, visible
from . import merge
from .plan import keyed
from .store import Store

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"  # what reporters/sarif.py names
SUMMARY_LIMIT = 512 * 1024  # GitHub's job summary takes 1 MiB; leave room for other steps
_CELL = {"pass": "✓", "fail": "✗", "error": "💥 error", "pending": "… pending"}


def write_all(plan: dict[str, Any], stores: Sequence[Store], out: Store) -> dict[str, Any]:
    """Rebuild the three reports from the unit files; the merged audit is returned."""
    merged = merge.audit(plan, stores)
    write_atomically(out.root / "audit.json", json.dumps(merged, indent=1, ensure_ascii=False) + "\n")
    write_atomically(out.root / "audit.sarif", json.dumps(sarif(plan, stores, merged), indent=1) + "\n")
    write_atomically(out.root / "audit.md", markdown(merged))
    return merged


def sarif(plan: dict[str, Any], stores: Sequence[Store], merged: dict[str, Any]) -> dict[str, Any]:
    """SARIF 2.1.0, one run per repository: the units' runs (reporters/sarif.py, made by the
    workers) joined, with the repository and commit in `versionControlProvenance`."""
    runs: dict[str, dict[str, Any]] = {}
    seen: dict[str, set[str]] = {}
    for unit, key in keyed(plan):
        result = next((r for r in (s.read(unit, key) for s in stores) if r is not None), None)
        if result is None or "sarif" not in result:
            continue
        unit_run = result["sarif"]
        run = runs.get(unit.slug)
        if run is None:
            run = runs[unit.slug] = {**unit_run, "results": [], "tool": json.loads(json.dumps(unit_run["tool"]))}
            run["tool"]["driver"]["rules"] = []
            seen[unit.slug] = set()
        rules = run["tool"]["driver"]["rules"]
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        theirs = unit_run["tool"]["driver"]["rules"]
        for item in unit_run["results"]:
            fingerprint = json.dumps(item.get("partialFingerprints"), sort_keys=True)
            if fingerprint in seen[unit.slug]:
                continue
            seen[unit.slug].add(fingerprint)
            rule = theirs[item["ruleIndex"]] if "ruleIndex" in item else None
            if rule is not None and rule["id"] not in index:
                index[rule["id"]] = len(rules)
                rules.append(rule)
            run["results"].append({**item, "ruleIndex": index[rule["id"]]} if rule is not None else item)
    by_slug = {r["slug"]: r for r in merged["repos"]}
    out = []
    for slug, run in runs.items():
        repo = by_slug[slug]
        run["versionControlProvenance"] = [
            {"repositoryUri": merge.repository_uri(repo["target"]), "revisionId": repo["head"]}
        ]
        run["automationDetails"] = {"id": f"contribution-gate-audit/{slug}/"}
        out.append(run)
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": out}


def markdown(merged: dict[str, Any]) -> str:
    """The job summary: the verdict, a repository x check table (most errors first), the top
    rules, the units that ended in error, and the coverage."""
    totals = merged["totals"]
    verdict = {"pass": "✅ pass", "fail": "❌ fail", "incomplete": "⏳ incomplete"}[merged["verdict"]]
    lines = [
        f"## contribution-gate audit: {verdict}",
        "",
        f"{totals['repositories']} repositories, {totals['units']} units: {totals['pass']} passed, "
        f"{totals['fail']} failed, {totals['error']} errors, {totals['pending']} pending; "
        f"{totals['findings']} findings.",
        "",
    ]
    repos = sorted(merged["repos"], key=lambda r: (-_errors(r), r["slug"]))
    checks = sorted({name for r in repos for name in r["checks"]})
    if repos and checks:
        lines += ["| repository | " + " | ".join(checks) + " |", "|---" * (len(checks) + 1) + "|"]
        for repo in repos:
            cells = [_cell(repo, name) for name in checks]
            lines.append(f"| {code(repo['slug'], in_table=True)} | " + " | ".join(cells) + " |")
            if sum(len(x) + 1 for x in lines) > SUMMARY_LIMIT:
                lines += ["", f"(the table stops here: see audit.json for all {len(repos)} repositories)"]
                break
        lines.append("")
    rules = Counter(
        f"{f['check']}/{f['rule']}" for r in merged["repos"] for f in r["findings"] if not f.get("suppressed")
    )
    if rules:
        lines += ["**Top rules**", ""] + [f"- {code(rule)}: {n}" for rule, n in rules.most_common(10)] + [""]
    errors = [(r["slug"], e) for r in merged["repos"] for e in r["errors"]]
    if errors:
        lines += [
            "**Errors** (these repositories are not known to be clean: fix the cause and run the audit again)",
            "",
        ]
        lines += [f"- {code(slug)} {escape(e['unit'])}: {escape(e['message'])}" for slug, e in errors[:100]]
        lines.append("")
    done = totals["units"] - totals["pending"]
    lines.append(f"Coverage: {done}/{totals['units']} units reviewed.")
    lines.append("")
    lines.append(
        "Each finding in audit.json says how to fix it; to accept one, mark the line "
        "(`contribution-gate: allow[<check>]`) or add it to the repository's baseline (`contribution-gate baseline`)."
    )
    return "\n".join(lines) + "\n"


_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|~<>&])")


def escape(text: str) -> str:
    """Untrusted text (a repository's name, an error) as inert Markdown on one line: no formatting,
    no HTML, no mention, no bare link, secrets masked."""
    text = _PUNCTUATION.sub(r"\\\1", visible(masked(text)))
    return text.replace("@", "@&#8203;").replace("://", ":&#8203;//").replace("www.", "www&#8203;.")


def code(text: str, in_table: bool = False) -> str:
    """Untrusted text as an inline code span no backtick inside can close (pipes escaped in a table)."""
    text = visible(masked(text))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text or ' '}{fence}"


def _errors(repo: dict[str, Any]) -> int:
    errors: int = sum(c.get("error", 0) for c in repo["counts_by_check"].values())
    return errors + (1000 if repo["verdict"] == "error" else 0)


def _cell(repo: dict[str, Any], check: str) -> str:
    status = repo["checks"].get(check)
    if status is None:
        return "—"
    errors = repo["counts_by_check"].get(check, {}).get("error", 0)
    if status == "fail" or errors:
        return f"✗ {errors}"
    return _CELL.get(status, str(status))
