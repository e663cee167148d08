#!/usr/bin/env python3
"""Benchmark the `licenses` check: its cost when a change has no license in it, its speed on a
license file and a license header against `scancode --license`, and its accuracy against ScanCode
alone on the labelled corpus of the tests.

    python benchmarks/licenses.py                    # all three, default repetitions
    python benchmarks/licenses.py --part a --repeat 31
    python benchmarks/licenses.py --json > licenses.json

(a) Added time on a typical code change without any license signal (a modified module, a new test
    file, a YAML config; about 250 added lines): `review --staged` with every check against the same
    review with `licenses` disabled in the policy, as subprocesses, interleaved, after a warm-up.
    Also the check's own time as the JSON report gives it (it includes loading its detectors on the
    first file), its own modules' import time (`python -X importtime`, self time of each), and
    whether ScanCode was imported (an in-process review). Target:
    under 20 ms, ScanCode never imported.
(b) A change that adds a full LICENSE file (the GPL-3.0 text) and a source file with a GPL header:
    `review --staged --check licenses` against `scancode --license --json FILE` on the same two
    files in one run (both cold processes: each loads ScanCode's license index). Target: <= 0.5x.
(c) Precision and recall on the labelled corpus of `tests/licenses_cases.py` (license texts from
    ScanCode's data, headers, SPDX tags, manifests, model cards and tricky negatives): the check's
    detections against ScanCode alone (`scancode.api.get_licenses` on each file, its license
    detections). A case counts as found when the expected expression is among the detections.

Both tools come from the project's virtual environment (ScanCode is the check's dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BIN = Path(sys.executable).parent
GATE = BIN / "contribution-gate"
SCANCODE = BIN / "scancode"
sys.path.insert(0, str(PROJECT / "tests"))

ALL_CHECKS = ["secrets", "internal-urls", "proprietary-markers", "licenses", "cla", "models"]
TARGET_A_MS, TARGET_B_RATIO = 20.0, 0.5


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


def repo_with(root: Path, base: dict[str, str], staged: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    for files in (base, staged):
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        if files is base:
            git(root, "commit", "-q", "-m", "base")
    return root


def timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, proc


# -- (a) -----------------------------------------------------------------------------------------


def typical_change() -> tuple[dict[str, str], dict[str, str]]:
    module = "\n".join(
        f"def handler_{i}(request, retries=3):\n    return request.get('item_{i}', retries)\n" for i in range(40)
    )
    tests = "\n".join(f"def test_handler_{i}():\n    assert handler_{i}({{'item_{i}': 1}}) == 1\n" for i in range(30))
    config = "\n".join(f"service_{i}:\n  replicas: {i % 4 + 1}\n  image: app:{i}\n" for i in range(20))
    base = {
        "src/app/handlers.py": module,
        "README.md": "# app\n",
        "pyproject.toml": '[project]\nname = "app"\nlicense = "Apache-2.0"\n',
    }
    staged = {
        "src/app/handlers.py": module + "\n\ndef extra(request):\n    return None\n",
        "tests/test_handlers.py": tests,
        "deploy/services.yaml": config,
    }
    return base, staged


def part_a(work: Path, repeat: int) -> dict[str, Any]:
    base, staged = typical_change()
    with_all = repo_with(
        work / "a-all", {**base, ".contribution-gate.toml": f"[checks]\nenabled = {json.dumps(ALL_CHECKS)}\n"}, staged
    )
    without = [c for c in ALL_CHECKS if c != "licenses"]
    no_lic = repo_with(
        work / "a-nolic", {**base, ".contribution-gate.toml": f"[checks]\nenabled = {json.dumps(without)}\n"}, staged
    )
    argv = [str(GATE), "review", "--staged", "--format", "json"]
    for root in (with_all, no_lic):
        timed(argv, root)  # warm-up: bytecode caches
    samples: dict[str, list[float]] = {"with": [], "without": []}
    check_seconds: list[float] = []
    for i in range(repeat):
        order = [("with", with_all), ("without", no_lic)][:: 1 if i % 2 == 0 else -1]
        for name, root in order:
            seconds, proc = timed(argv, root)
            samples[name].append(seconds)
            if name == "with":
                report = json.loads(proc.stdout)
                check_seconds += [c["seconds"] for c in report["checks"] if c["name"] == "licenses"]
    # the check module and the detectors it loads on its first file (self time of each licenses* module)
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from contribution_gate.checks.licenses import detect"],
        capture_output=True,
        text=True,
        check=True,
    )
    own = [
        line
        for line in imports.stderr.splitlines()
        if re.search(r"contribution_gate\.checks\.licenses(?:\.\w+)?\s*$", line)
    ]
    import_us = sum(int(line.split("|")[0].split(":")[1]) for line in own)  # self time of each licenses module
    loaded = in_process_scancode_loaded(with_all)
    med_with, med_without = statistics.median(samples["with"]), statistics.median(samples["without"])
    return {
        "repeat": repeat,
        "median_with_ms": round(med_with * 1000, 1),
        "median_without_ms": round(med_without * 1000, 1),
        "added_ms": round((med_with - med_without) * 1000, 1),
        "check_ms_median": round(statistics.median(check_seconds) * 1000, 2),
        "import_ms": round(import_us / 1000, 1),
        "scancode_imported": loaded,
        "samples": samples,
    }


def in_process_scancode_loaded(root: Path) -> bool:
    from contribution_gate.session import choose, run

    run(root, choose(True, None, False))
    return "licensedcode" in sys.modules or "scancode" in sys.modules


# -- (b) -----------------------------------------------------------------------------------------


def part_b(work: Path, repeat: int) -> dict[str, Any]:
    from licenses_cases import GPL3_PLUS, commented, license_text

    files = {
        "LICENSE": license_text("gpl-3.0"),
        "src/tool.py": "#!/usr/bin/env python3\n" + commented(GPL3_PLUS) + "\nprint('hi')\n",
    }
    root = repo_with(
        work / "b-repo",
        {"README.md": "# p\n", ".contribution-gate.toml": '[licenses]\nproject = "Apache-2.0"\n'},
        files,
    )
    plain = work / "b-files"
    for name, text in files.items():
        (plain / name).parent.mkdir(parents=True, exist_ok=True)
        (plain / name).write_text(text, encoding="utf-8")
    gate_argv = [str(GATE), "review", "--staged", "--check", "licenses", "--format", "json"]
    scan_argv = [str(SCANCODE), "--license", "--quiet", "--json", str(work / "scancode.json"), str(plain)]
    timed(gate_argv, root)
    timed(scan_argv, work)
    gate_s: list[float] = []
    scan_s: list[float] = []
    for i in range(repeat):
        for name in ["gate", "scancode"] if i % 2 == 0 else ["scancode", "gate"]:
            if name == "gate":
                seconds, proc = timed(gate_argv, root)
                gate_s.append(seconds)
                report = json.loads(proc.stdout)
            else:
                seconds, _ = timed(scan_argv, work)
                scan_s.append(seconds)
    peer = json.loads((work / "scancode.json").read_text())
    gate_found = sorted((f["path"], f["rule"]) for f in report["findings"])
    peer_found = sorted(
        (f["path"], f["detected_license_expression_spdx"])
        for f in peer["files"]
        if f.get("detected_license_expression_spdx")
    )
    ratio = statistics.median(gate_s) / statistics.median(scan_s)
    return {
        "repeat": repeat,
        "gate_median_s": round(statistics.median(gate_s), 2),
        "scancode_median_s": round(statistics.median(scan_s), 2),
        "ratio": round(ratio, 2),
        "gate_findings": gate_found,
        "scancode_detections": peer_found,
        "samples": {"gate": gate_s, "scancode": scan_s},
    }


# -- (c) -----------------------------------------------------------------------------------------


def norm(expression: str) -> str:
    return " ".join(expression.lower().replace("(", " ").replace(")", " ").split())


def part_c(work: Path) -> dict[str, Any]:
    from licenses_cases import cases

    from contribution_gate.checks import licenses
    from contribution_gate.model import AddedLine, FileChange

    corpus = [c for c in cases() if c.verdict != "unreadable"]
    opts = licenses.options({"project": "Apache-2.0"})
    import warnings

    warnings.filterwarnings("ignore", module="typecode")  # its note about the system libmagic
    import scancode.api

    scores = {"contribution-gate": _Score(), "scancode": _Score()}
    misses: dict[str, list[str]] = {"contribution-gate": [], "scancode": []}
    for case in corpus:
        change = FileChange(
            case.path, "A", added=tuple(AddedLine(i + 1, t) for i, t in enumerate(case.text.splitlines()))
        )
        ours = {norm(a.detection.expression) for a in licenses.assessed(change, opts)}
        path = work / "c" / case.id / case.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(case.text, encoding="utf-8")
        found = scancode.api.get_licenses(str(path))
        theirs = {
            norm(d["license_expression_spdx"])
            for d in found.get("license_detections", [])
            if d.get("license_expression_spdx")
        }
        for name, predicted in (("contribution-gate", ours), ("scancode", theirs)):
            if not scores[name].add(None if case.expected is None else norm(case.expected), predicted):
                misses[name].append(case.id)
    return {
        "cases": len(corpus),
        "positives": sum(c.expected is not None for c in corpus),
        **{name: {**s.summary(), "wrong": misses[name]} for name, s in scores.items()},
    }


class _Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, expected: str | None, predicted: set[str]) -> bool:
        """Count one case; whether it came out right."""
        if expected is None:
            self.fp += bool(predicted)
            self.tn += not predicted
            return not predicted
        hit = expected in predicted
        self.tp += hit
        self.fn += not hit
        self.fp += bool(predicted - {expected})
        return hit and not (predicted - {expected})

    def summary(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("a", "b", "c"), action="append", help="run only this part (repeatable)")
    parser.add_argument("--repeat", type=int, default=0, help="repetitions (default: 21 for a, 5 for b)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    parts = args.part or ["a", "b", "c"]
    work = Path(tempfile.mkdtemp(prefix="bench-licenses-"))
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    ok = True
    try:
        if "a" in parts:
            results["a"] = a = part_a(work, args.repeat or 21)
            met = a["added_ms"] < TARGET_A_MS and not a["scancode_imported"]
            ok &= met
            if not args.json:
                print(
                    f"(a) no license signal, {a['repeat']} runs: review {a['median_with_ms']} ms with licenses, "
                    f"{a['median_without_ms']} ms without: added {a['added_ms']} ms (the check itself {a['check_ms_median']} ms, "
                    f"its modules' import {a['import_ms']} ms); ScanCode imported: {a['scancode_imported']} "
                    f"[target < {TARGET_A_MS:.0f} ms, no ScanCode: {'met' if met else 'NOT met'}]"
                )
        if "b" in parts:
            results["b"] = b = part_b(work, args.repeat or 5)
            met = b["ratio"] <= TARGET_B_RATIO
            ok &= met
            if not args.json:
                print(
                    f"(b) LICENSE (GPL-3.0 text) + GPL header, {b['repeat']} runs: gate {b['gate_median_s']} s, "
                    f"scancode --license {b['scancode_median_s']} s: {b['ratio']}x [target <= {TARGET_B_RATIO}x: {'met' if met else 'NOT met'}]"
                )
                print(f"    gate: {b['gate_findings']}; scancode: {b['scancode_detections']}")
        if "c" in parts:
            results["c"] = c = part_c(work)
            if not args.json:
                print(f"(c) labelled corpus: {c['cases']} cases, {c['positives']} with a license")
                for name in ("contribution-gate", "scancode"):
                    s = c[name]
                    print(
                        f"    {name:<18} precision {s['precision']:.3f} recall {s['recall']:.3f} "
                        f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']}, tn {s['tn']}); wrong: {', '.join(s['wrong']) or '-'}"
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
