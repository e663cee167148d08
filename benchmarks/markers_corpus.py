#!/usr/bin/env python3
"""Score the `internal-urls` and `proprietary-markers` checks on a labelled corpus, and measure
both on a real tree nobody here wrote.

    python benchmarks/markers_corpus.py                  # build the corpus, review it, print the scores
    python benchmarks/markers_corpus.py --verbose        # ... and every false positive and false negative
    python benchmarks/markers_corpus.py --json > markers.json
    python benchmarks/markers_corpus.py --seed 7 --keep
    python benchmarks/markers_corpus.py --tree .venv/lib/python3.11/site-packages   # false alarms per MB, time

The corpus (`markers_families.py`) is generated at run time from a seed in a temporary git
repository, one small file per case (with filler lines before it where a case is about a file's
middle), under a policy naming two internal zones, an allowed range and host glob, an organisation
and two markers of its own. Positives: internal hosts under the zones, private, shared, link-local
and unique-local addresses in URLs, host:port, connection strings, host-like keys, ssh targets,
YAML lists, hosts files and server configs, cloud metadata, internal-only top-level names, dotless
intranet URLs, private CIDRs; confidentiality labels in comments, file headers, document headings,
lines and front matter, data-file headers, classification labels, TLP levels, the organisation's
proprietary copyright, the policy's markers, declarations, NDA notes. Negatives: version strings,
loopback, documentation ranges and names, public hosts, attribute access, URL templates, container
service names, addresses in prose, allowed ranges, look-alike domains, regular expressions, MACs
and times, other URL schemes; identifiers, prose, private-API notes, schemas, third-party
copyrights and license texts, settings, lists of levels, other TLP levels, strings in code.

A label is (check, file, line). TP: a label with a finding of its check on its line (warnings
count); FN: a label without; FP: any other finding of the check (distinct file and line).

No peer is compared: no popular scanner (gitleaks, detect-secrets, trufflehog, CredSweeper) checks
internal hosts or proprietary markers; they look for credentials. The corpus is written by the
checks' authors, so it measures the documented behaviour; `--tree` on code nobody here wrote is
the independent measure of false alarms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from markers_families import FAMILIES, FILLER, MARKERS, POLICY, URLS, Case, Gen, H  # noqa: E402 - found through the sys.path entry above

PROJECT = HERE.parent
CHECKS = (URLS, MARKERS)
NO_PEER = (
    "No peer tool is compared: gitleaks, detect-secrets, trufflehog and CredSweeper look for credentials, "
    "none checks internal hosts or proprietary markers."
)


def default_gate() -> str:
    local = PROJECT / ".venv" / "bin" / "contribution-gate"
    return str(local) if local.exists() else shutil.which("contribution-gate") or "contribution-gate"


def git(root: Path, *args: str) -> None:
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root), "PATH": "/usr/bin:/bin"}
    settings = (
        "user.name=corpus",
        "user.email=corpus@example.com",
        "commit.gpgsign=false",
        "gc.auto=0",
        "maintenance.auto=false",
    )
    subprocess.run(
        ["git", *(a for s in settings for a in ("-c", s)), *args], cwd=root, check=True, capture_output=True, env=env
    )


def build(root: Path, seed: int) -> dict[tuple[str, str, int], Case]:
    """Write the corpus into `root` (a new git repository, one commit); return its labels."""
    g = Gen(seed)
    cases = [c for family in FAMILIES for c in family(g)]
    labels: dict[tuple[str, str, int], Case] = {}
    counter: Counter[str] = Counter()
    for item in cases:
        counter[item.family] += 1
        name = f"{item.check.split('-')[0]}/{item.family}/{counter[item.family]:03d}"
        path = f"{name}.{item.ext}" if item.ext != "env" else f"{name}.env"
        filler = [FILLER.get(item.ext, "# {i}").format(i=i) for i in range(item.pad)]
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("\n".join([*filler, *item.lines]) + "\n", encoding="utf-8")
        item.path = path  # type: ignore[attr-defined]
        if item.positive and item.label is not None:
            labels[(item.check, path, item.pad + item.label)] = item
    (root / ".contribution-gate.toml").write_text(H(POLICY), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "corpus")
    build.cases = cases  # type: ignore[attr-defined]
    return labels


def review(gate: str, root: Path) -> tuple[list[dict[str, Any]], float]:
    args = [
        gate,
        "review",
        "--all-files",
        *(a for c in CHECKS for a in ("--check", c)),
        "--format",
        "json",
        "-C",
        str(root),
    ]
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"the gate failed ({proc.returncode}): {proc.stderr.strip()}")
    data = json.loads(proc.stdout)
    if data["errors"]:
        raise SystemExit(f"a check crashed: {data['errors']}")
    return [f for f in data["findings"] if not f.get("suppressed")], seconds


def score(
    labels: dict[tuple[str, str, int], Case], findings: list[dict[str, Any]], cases: list[Case]
) -> dict[str, Any]:
    found = {(f["check"], f["path"], f["line"]): f for f in findings}
    negative_family = {c.path: c.family for c in cases if not c.positive}  # type: ignore[attr-defined]
    report: dict[str, Any] = {}
    for check in CHECKS:
        mine = {k: v for k, v in labels.items() if k[0] == check}
        tp = [k for k in mine if k in found]
        fn = [k for k in mine if k not in found]
        fp = [k for k in found if k[0] == check and k not in mine]
        precision = len(tp) / (len(tp) + len(fp)) if tp or fp else 1.0
        recall = len(tp) / len(mine) if mine else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        families: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for key, item in mine.items():
            families[item.family][1] += 1
            families[item.family][0] += key in found
        negatives = Counter(c.family for c in cases if c.check == check and not c.positive)
        fp_by_family = Counter(negative_family.get(k[1], "positive file, other line") for k in fp)
        report[check] = {
            "labels": len(mine),
            "tp": len(tp),
            "fn": len(fn),
            "fp": len(fp),
            "negative_cases": sum(negatives.values()),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "recall_by_family": {f: {"found": a, "of": b} for f, (a, b) in sorted(families.items())},
            "fp_by_negative_family": {f: fp_by_family.get(f, 0) for f in sorted(negatives)},
            "false_negatives": [{"path": k[1], "line": k[2], "family": mine[k].family} for k in fn],
            "false_positives": [
                {
                    "path": k[1],
                    "line": k[2],
                    "rule": found[k]["rule"],
                    "severity": found[k]["severity"],
                    "excerpt": found[k]["excerpt"],
                }
                for k in fp
            ],
        }
    return report


def tree(gate: str, source: Path, verbose: bool) -> dict[str, Any]:
    """Copy `source` into a new git repository and review all of it with both checks."""
    with tempfile.TemporaryDirectory(prefix="markers-tree-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp) / "tree"
        shutil.copytree(source, root, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "tree")
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
        findings, seconds = review(gate, root)
    mb = size / 1e6
    errors = [f for f in findings if f["severity"] == "error"]
    result = {
        "tree": str(source),
        "megabytes": round(mb, 1),
        "seconds": round(seconds, 2),
        "errors": len(errors),
        "warnings": len(findings) - len(errors),
        "errors_per_mb": round(len(errors) / mb, 4) if mb else 0.0,
        "by_rule": dict(Counter(f"{f['check']}/{f['rule']}/{f['severity']}" for f in findings)),
    }
    if verbose:
        result["findings"] = [
            {k: f[k] for k in ("severity", "check", "rule", "path", "line", "excerpt")} for f in findings
        ]
    return result


def print_scores(report: dict[str, Any], seconds: float, verbose: bool) -> None:
    print(NO_PEER)
    print(f"review of the corpus: {seconds:.2f}s\n")
    print(
        f"{'check':22} {'labels':>6} {'neg':>5} {'TP':>5} {'FN':>4} {'FP':>4} {'precision':>10} {'recall':>7} {'F1':>6}"
    )
    for check, r in report.items():
        print(
            f"{check:22} {r['labels']:>6} {r['negative_cases']:>5} {r['tp']:>5} {r['fn']:>4} {r['fp']:>4} "
            f"{r['precision']:>10.3f} {r['recall']:>7.3f} {r['f1']:>6.3f}"
        )
    for check, r in report.items():
        print(f"\n{check}: recall by family")
        for family, counts in r["recall_by_family"].items():
            print(f"  {family:24} {counts['found']:>3}/{counts['of']:<3}")
        print(f"{check}: false positives by negative family")
        print("  " + ", ".join(f"{f} {n}" for f, n in r["fp_by_negative_family"].items()))
        if verbose:
            for item in r["false_negatives"]:
                print(f"  FN {item['path']}:{item['line']} ({item['family']})")
            for item in r["false_positives"]:
                print(f"  FP {item['path']}:{item['line']} {item['rule']} {item['severity']} | {item['excerpt']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--gate", default=default_gate(), help="the contribution-gate command (default: this checkout's .venv)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the corpus repository and print where it is")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list every FP and FN (with --tree: every finding)"
    )
    parser.add_argument("--tree", type=Path, help="instead: review a copy of this directory with both checks")
    args = parser.parse_args()
    if args.tree is not None:
        result = tree(args.gate, args.tree, args.verbose)
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            print(
                f"{result['tree']}: {result['megabytes']} MB reviewed in {result['seconds']}s; "
                f"{result['errors']} errors ({result['errors_per_mb']}/MB), {result['warnings']} warnings"
            )
            for rule, n in sorted(result["by_rule"].items()):
                print(f"  {rule}: {n}")
            for f in result.get("findings", []):
                print(f"  {f['severity']} {f['check']}/{f['rule']} {f['path']}:{f['line']} | {f['excerpt']}")
        return 0
    root = Path(tempfile.mkdtemp(prefix="markers-corpus-"))
    try:
        labels = build(root, args.seed)
        findings, seconds = review(args.gate, root)
        report = score(labels, findings, build.cases)  # type: ignore[attr-defined]
        if args.json:
            print(
                json.dumps(
                    {"seed": args.seed, "seconds": round(seconds, 2), "peers": NO_PEER, "checks": report}, indent=2
                )
            )
        else:
            print_scores(report, seconds, args.verbose)
        if args.keep:
            print(f"\ncorpus kept at {root}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
