#!/usr/bin/env python3
"""Score the `models` check against picklescan, fickling and modelscan on the same generated files,
and time it on a 500 MB safetensors file and a 100 MB pickle against `sha256sum` of the same file.

    python benchmarks/models.py                  # scores and timings
    python benchmarks/models.py --cases          # also which tool caught which case
    python benchmarks/models.py --no-speed       # scores only

The malicious and benign files come from tests/model_fixtures.py (built opcode by opcode in memory,
written to a temporary directory, never loaded). The gate reviews them as a contribution would be
reviewed: one repository, every file committed, `review --all-files --check models`. The peers are
installed from PyPI into their own virtual environment under benchmarks/.work/models-peers (created
once, reused afterwards; never dependencies of the project) and called through their Python APIs on
each file. A tool "detects" a malicious file when it reports it unsafe; a file it could not scan
(an error, or skipped as an unknown format) is not a detection but is counted as "unscanned", and on
a benign file anything but "clean" is a false alarm.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
PEER_VENV = WORK / "models-peers"
PEERS = ("picklescan", "fickling", "modelscan")
# fickling 0.1.12 imports typing_extensions without declaring it; modelscan 0.8.8 breaks on numpy 2.x
PEER_EXTRAS = ("typing_extensions", "numpy<2")
GATE_PYTHON = PROJECT / ".venv" / "bin" / "python"
sys.path.insert(0, str(PROJECT / "tests"))

import model_fixtures as F  # noqa: E402 - found through the sys.path entry above

PEER_DRIVER = r"""
import json, sys, io, contextlib
tool, paths = sys.argv[1], sys.argv[2:]
out = {}
for path in paths:
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            if tool == "picklescan":
                from picklescan.scanner import scan_file_path
                r = scan_file_path(path)
                verdict = "error" if r.scan_err and not r.issues_count else ("unsafe" if r.issues_count or r.infected_files else "clean")
            elif tool == "fickling":
                import fickling
                verdict = "clean" if fickling.is_likely_safe(path) else "unsafe"
            else:
                from modelscan.modelscan import ModelScan
                r = ModelScan().scan(path)
                issues = r.get("summary", {}).get("total_issues", 0) or len(r.get("issues", []))
                errors = r.get("errors") or []
                scanned = r.get("summary", {}).get("scanned", {}).get("total_scanned", 1)
                verdict = "unsafe" if issues else ("error" if errors or not scanned else "clean")
    except Exception as exc:
        verdict = "error"
    out[path] = verdict
print(json.dumps(out))
"""


def peer_python() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS, *PEER_EXTRAS], check=False)
    return python


def installed_peers(python: Path) -> list[str]:
    found = []
    for tool in PEERS:
        probe = subprocess.run([str(python), "-c", f"import {tool}"], capture_output=True, check=False)
        if probe.returncode == 0:
            found.append(tool)
    return found


def write_cases(root: Path) -> dict[str, tuple[str, bool]]:
    """path -> (case name, is malicious): every case in a directory of its own."""
    cases = {}
    for malicious, group in ((True, F.malicious()), (False, F.benign())):
        for index, (name, (filename, data)) in enumerate(group.items()):
            rel = f"{'bad' if malicious else 'good'}/{index:02d}/{filename}"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
            cases[rel] = (name, malicious)
    return cases


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env=env,
    )


def gate_verdicts(root: Path, cases: dict[str, tuple[str, bool]]) -> dict[str, str]:
    git(root, "init", "-q", "-b", "main", ".")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixtures")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    run = subprocess.run(
        [
            str(PROJECT / ".venv" / "bin" / "contribution-gate"),
            "review",
            "--all-files",
            "--check",
            "models",
            "--format",
            "json",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    report = json.loads(run.stdout)
    if report["errors"]:
        return dict.fromkeys(cases, "error")
    flagged = {f["path"] for f in report["findings"] if f["severity"] == "error"}
    return {path: "unsafe" if path in flagged else "clean" for path in cases}


def peer_verdicts(python: Path, tool: str, root: Path, cases: dict[str, tuple[str, bool]]) -> dict[str, str]:
    run = subprocess.run(
        [str(python), "-c", PEER_DRIVER, tool, *(str(root / p) for p in cases)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        found = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return dict.fromkeys(cases, "error")
    return {path: found.get(str(root / path), "error") for path in cases}


def score(verdicts: dict[str, str], cases: dict[str, tuple[str, bool]]) -> dict[str, int]:
    bad = [p for p, (_, m) in cases.items() if m]
    good = [p for p, (_, m) in cases.items() if not m]
    return {
        "detections": sum(verdicts[p] == "unsafe" for p in bad),
        "misses": sum(verdicts[p] != "unsafe" for p in bad),
        "false_alarms": sum(verdicts[p] != "clean" for p in good),
        "errors": sum(verdicts[p] == "error" for p in verdicts),
        "malicious": len(bad),
        "benign": len(good),
    }


# -- speed -----------------------------------------------------------------------------------------------
def big_safetensors(path: Path, size: int) -> None:
    rng = random.Random(7)
    tensors, offset, block = {}, 0, 1 << 24
    while offset < size:
        n = min(block, size - offset)
        tensors[f"layer.{len(tensors)}.weight"] = ("U8", [n], offset, offset + n)
        offset += n
    header = json.dumps(
        {name: {"dtype": d, "shape": s, "data_offsets": [b, e]} for name, (d, s, b, e) in tensors.items()}
    ).encode()
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(header)) + header)
        chunk = rng.randbytes(1 << 22)
        out.writelines(chunk for _ in range(size // len(chunk)))
        out.write(chunk[: size % len(chunk)])


def big_pickle(path: Path, size: int) -> None:
    """A torch-style legacy pickle of float arrays: numpy reconstruction with 1 MiB payloads."""
    rng = random.Random(11)
    chunk = rng.randbytes(1 << 20)
    with open(path, "wb") as out:
        out.write(F.proto(2) + F.EMPTY_DICT + F.MARK)
        for index in range(size >> 20):
            array = (
                F.glob("numpy.core.multiarray", "_reconstruct", 2)
                + F.MARK
                + F.glob("numpy", "ndarray", 2)
                + F.integer(0)
                + F.TUPLE1
            )
            array += F.text("b") + F.TUPLE + F.REDUCE
            state = (
                F.MARK
                + F.integer(1)
                + F.integer(1 << 18 & 0xFF)
                + F.TUPLE1
                + F.NONE
                + F.NEWFALSE
                + F.raw_bytes(chunk)
                + F.TUPLE
                + F.BUILD
            )
            out.write(F.text(f"w{index}") + array + state)
        out.write(F.SETITEMS + F.STOP)


ENGINE = (
    "import sys; from contribution_gate.checks.models.scan import scan; from contribution_gate.checks.models.budget import Limits; from contribution_gate.checks.models import default_allowlist; "
    "f = open(sys.argv[1], 'rb'); import os; r = scan(f, os.path.getsize(sys.argv[1]), Limits(default_allowlist())); "
    "sys.exit(1 if r.problems else 0)"
)


def timed(argv: list[str], cwd: Path | None = None, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def speed(work: Path, repeat: int) -> list[tuple[str, float, float, float]]:
    rows = []
    for name, build, size in (
        ("500 MB safetensors", big_safetensors, 500 << 20),
        ("100 MB pickle", big_pickle, 100 << 20),
    ):
        repo = work / name.replace(" ", "-")
        repo.mkdir()
        target = repo / ("model.safetensors" if "safetensors" in name else "model.bin")
        build(target, size)
        floor = timed(["sha256sum", str(target)], repeat=repeat)
        engine = timed([str(GATE_PYTHON), "-c", ENGINE, str(target)], repeat=repeat)
        git(repo, "init", "-q", "-b", "main", ".")
        git(repo, "-c", "core.compression=0", "add", target.name)
        staged = timed(
            [str(PROJECT / ".venv" / "bin" / "contribution-gate"), "review", "--staged", "--check", "models"],
            cwd=repo,
            repeat=repeat,
        )
        rows.append((name, floor, engine, staged))
        shutil.rmtree(repo)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", action="store_true", help="print every case's verdict per tool")
    parser.add_argument("--no-speed", action="store_true", help="skip the 500 MB / 100 MB timings")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (median)")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    python = peer_python()
    peers = installed_peers(python)
    with tempfile.TemporaryDirectory(prefix="models-bench-", dir=WORK) as temp:
        root = Path(temp) / "cases"
        root.mkdir()
        cases = write_cases(root)
        results = {"contribution-gate": gate_verdicts(root, cases)}
        for tool in peers:
            results[tool] = peer_verdicts(python, tool, root, cases)
        print(f"{'tool':<18} {'detections':>11} {'misses':>7} {'false alarms':>13} {'unscanned':>10}")
        for tool, verdicts in results.items():
            s = score(verdicts, cases)
            print(
                f"{tool:<18} {s['detections']:>6}/{s['malicious']:<4} {s['misses']:>7} {s['false_alarms']:>9}/{s['benign']:<3} {s['errors']:>10}"
            )
        missing = sorted(set(PEERS) - set(peers))
        if missing:
            print(f"(not installed, so not scored: {', '.join(missing)})")
        if args.cases:
            print()
            print(f"{'case':<42} " + " ".join(f"{t[:12]:>12}" for t in results))
            for path, (name, malicious) in cases.items():
                print(
                    f"{('! ' if malicious else '  ') + name:<42} "
                    + " ".join(f"{results[t][path]:>12}" for t in results)
                )
        if not args.no_speed:
            print()
            print(f"{'file':<20} {'sha256sum':>10} {'engine':>10} {'ratio':>6} {'review --staged':>16} {'ratio':>6}")
            for name, floor, engine, staged in speed(Path(temp), args.repeat):
                print(
                    f"{name:<20} {floor:>9.2f}s {engine:>9.2f}s {engine / floor:>5.2f}x {staged:>15.2f}s {staged / floor:>5.2f}x"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
