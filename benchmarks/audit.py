"""`contribution-gate audit` against the same reviews run one after another as separate commands.

    python benchmarks/audit.py                         # the mirrors under /work/.mirror, 3 repetitions
    python benchmarks/audit.py PATH... --repeat 5 --no-ray

For each repository (bare or mirror clones; default: the six public mirrors below when present):
- the peer: `contribution-gate review --all-files --format json` in a local clone of it, the
  repositories one after another (what a script looping over an organisation does today); its wall
  time is the sum, each repository's review started as its own command;
- `contribution-gate audit PATHS --out DIR --workers 2` (fresh DIR each time), and --workers 1;
- `--engine ray --workers 2` when Ray is installed (it starts and stops a local Ray each run).
Each timing is the median of `--repeat` runs. The findings of every audit are compared with the
peer's, repository by repository. Memory: each audit worker's resident, proportional and private
set sizes (from /proc, at the end of its last unit), next to the size of ScanCode's index in one
process, which forking lets the workers share. Prints ratios; exits 1 if findings differ.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchtools import PROJECT, clean_env, git, log

DEFAULT = [
    f"/work/.mirror/{name}/repo"
    for name in (
        "pallets+click",
        "encode+httpx",
        "langchain-ai+langsmith-sdk",
        "fastapi+fastapi",
        "pydantic+pydantic",
        "microsoft+semantic-kernel",
    )
]
SPARE = [f"/work/.mirror/{name}/repo" for name in ("pallets+flask", "pypa+pip")]  # when a default one is incomplete


def complete(path: str) -> bool:
    """Whether the mirror has every blob of its HEAD tree (some snapshots leave their largest files
    out: the peer cannot check such a tree out, and the audit reports the unit as an error)."""
    listing = git(Path(path), "ls-tree", "-r", "HEAD")
    blobs = "".join(line.split()[2] + "\n" for line in listing.splitlines() if line.split()[1] == "blob")
    checked = subprocess.run(
        ["git", "cat-file", "--batch-check"], cwd=path, input=blobs.encode(), capture_output=True, check=False
    )
    return b" missing" not in checked.stdout


CPU = {"seconds": 0.0}  # CPU time of the last timed command and every process it waited for


def timed(argv: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Wall time of one command; its CPU time (user + system, its waited-for children included:
    the audit's workers and every git process) goes to CPU["seconds"]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=clean_env(), capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, proc


_SOURCE = re.compile(r"\((?:commit [0-9a-f]{12}|working tree)\)")


def comparable(findings: list[dict[str, Any]]) -> list[str]:
    """Findings as sorted JSON, without the `repo` the audit adds; where a message names the tree
    its policy came from ("pyproject.toml (working tree)" in a clone, "(commit 6d309205789d)" in
    the audit, which reads the same file from the reviewed commit) the name is left out."""
    return sorted(
        _SOURCE.sub("(policy tree)", json.dumps({k: v for k, v in f.items() if k != "repo"}, sort_keys=True))
        for f in findings
    )


def sequential(gate: Path, clones: list[Path], out: Path) -> tuple[float, list[list[str]]]:
    total, cpu, found = 0.0, 0.0, []
    out.mkdir(parents=True, exist_ok=True)
    for clone in clones:
        report = out / f"{clone.name}.json"
        seconds, proc = timed([str(gate), "review", "--all-files", "--format", "json", "--output", str(report)], clone)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"review failed in {clone}: {proc.stderr.decode(errors='replace')}")
        total += seconds
        cpu += CPU["seconds"]
        found.append(comparable(json.loads(report.read_text())["findings"]))
    CPU["seconds"] = cpu
    return total, found


def audit(gate: Path, paths: list[str], out: Path, *options: str) -> tuple[float, list[list[str]], dict[str, Any]]:
    shutil.rmtree(out, ignore_errors=True)
    seconds, proc = timed([str(gate), "audit", *paths, "--out", str(out), *options])
    if proc.returncode not in (0, 1):
        raise SystemExit(f"audit {' '.join(options)} failed: {proc.stderr.decode(errors='replace')}")
    merged = json.loads((out / "audit.json").read_text())
    workers: dict[int, dict[str, int]] = {}
    for unit in (out / "units").rglob("*.json"):
        info = json.loads(unit.read_text()).get("worker", {})
        workers[info.get("pid", 0)] = {k: v for k, v in info.items() if k.endswith("_kb")}
    return seconds, [comparable(r["findings"]) for r in merged["repos"]], {"workers": workers}


def _burn(n: int) -> None:
    total = 0
    for i in range(n):
        total += i


def parallelism(n: int = 4_000_000) -> float:
    """How much faster two CPU-bound processes finish than one after the other right now: 2.0 on
    an idle 2-CPU machine, less when other jobs share it (the ceiling for 1 -> 2 workers)."""
    import multiprocessing

    def run(k: int) -> float:
        started = time.perf_counter()
        procs = [multiprocessing.Process(target=_burn, args=(n,)) for _ in range(k)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        return time.perf_counter() - started

    return 2 * run(1) / run(2)


def scancode_index_mb(python: Path) -> float:
    """How much one process grows loading ScanCode's index (what each worker would hold unshared)."""
    code = (
        "import resource;from contribution_gate.checks.licenses import scancode as s;"
        "a=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;s.warm();"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss-a)"
    )
    proc = subprocess.run([str(python), "-c", code], env=clean_env(), capture_output=True, text=True, check=True)
    return int(proc.stdout.strip()) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="bare or mirror repositories (default: the public mirrors)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gate", type=Path, default=Path(sys.executable).with_name("contribution-gate"))
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray engine")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    paths = args.paths or [p for p in DEFAULT if Path(p).is_dir()]
    incomplete = [p for p in paths if not complete(p)]
    for path in incomplete:
        log(
            f"skipped {path}: objects of its HEAD tree are missing (the audit reports it as an error; no peer can check it out)"
        )
    paths = [p for p in paths if p not in incomplete]
    if not args.paths:
        paths += [p for p in SPARE if Path(p).is_dir() and complete(p)][: max(0, 6 - len(paths))]
    if len(paths) < 1:
        raise SystemExit("no repository: give paths of bare or mirror clones")
    try:
        import ray  # noqa: F401

        with_ray = not args.no_ray
    except ImportError:
        with_ray = False
    work = Path(tempfile.mkdtemp(prefix="bench-audit-", dir=PROJECT / "benchmarks" / ".work"
                                 if (PROJECT / "benchmarks" / ".work").is_dir() else None))  # fmt: skip
    try:
        clones = []
        for n, path in enumerate(paths):
            clone = work / "clones" / f"{n}-{Path(path).parent.name}"
            git(work, "clone", "-q", "--local", path, str(clone))
            clones.append(clone)
        log(f"{len(paths)} repositories: {', '.join(Path(p).parent.name for p in paths)}")
        figures: dict[str, list[float]] = {"sequential": [], "local2": [], "local1": [], "ray2": []}
        cpu: dict[str, list[float]] = {name: [] for name in figures}
        equal = True
        memory: dict[str, Any] = {}
        results: dict[str, list[list[str]]] = {}
        machine: list[float] = []
        for rep in range(args.repeat):
            log(f"repetition {rep + 1}/{args.repeat}")
            machine.append(parallelism())
            runs: list[tuple[str, tuple[str, ...]]] = [
                ("sequential", ()),
                ("local2", ("--workers", "2")),
                ("local1", ("--workers", "1")),
            ]
            if with_ray:
                runs.append(("ray2", ("--engine", "ray", "--workers", "2")))
            runs = runs[rep % len(runs) :] + runs[: rep % len(runs)]  # rotated: the machine's load drifts
            peer: list[list[str]] | None = None
            for name, options in runs:
                if name == "sequential":
                    seconds, peer = sequential(args.gate, clones, work / "peer")
                    figures[name].append(seconds)
                    cpu[name].append(CPU["seconds"])
                    log(f"  separate reviews: {seconds:.1f} s")
                    continue
                seconds, found, extra = audit(args.gate, paths, work / name, *options)
                figures[name].append(seconds)
                cpu[name].append(CPU["seconds"])
                results[name] = found
                memory[name] = extra["workers"]
                log(f"  {name}: {seconds:.1f} s")
            for name, found in results.items():
                if found != peer:
                    equal = False
                    log(f"  {name}: findings differ from the separate reviews")
        index_mb = scancode_index_mb(Path(sys.executable))
        med = {k: statistics.median(v) for k, v in figures.items() if v}
        med_cpu = {k: statistics.median(v) for k, v in cpu.items() if v}
        print(f"repositories: {len(paths)} ({', '.join(Path(p).parent.name for p in paths)}), repeats: {args.repeat}")
        print(
            f"this machine right now: two CPU-bound processes ran {statistics.median(machine):.2f}x faster than one "
            "after the other (2.00 when two CPUs are free: the ceiling of 1 -> 2 workers)"
        )
        print(f"separate `review --all-files`, one after another: {med['sequential']:.1f} s (median)")
        print(
            f"audit --workers 1: {med['local1']:.1f} s = {med['local1'] / med['sequential']:.2f}x the separate reviews"
        )
        print(
            f"audit --workers 2: {med['local2']:.1f} s = {med['local2'] / med['sequential']:.2f}x the separate reviews "
            f"(target <= 0.5x); scaling 1 -> 2 workers: {med['local1'] / med['local2']:.2f}x faster"
        )
        if "ray2" in med:
            print(
                f"audit --engine ray --workers 2: {med['ray2']:.1f} s = {med['ray2'] / med['local2']:.2f}x the local "
                f"engine (+{med['ray2'] - med['local2']:.1f} s: Ray's start, actors' warm-up, scheduling)"
            )
        print(
            "CPU time (user + system, every process): separate reviews "
            + ", ".join(f"{k} {v:.1f} s" for k, v in med_cpu.items())
            + f"; audit --workers 2 uses {med_cpu['local2'] / med_cpu['sequential']:.2f}x the CPU of the separate reviews"
        )
        print(f"findings equal to the separate reviews in every run: {'yes' if equal else 'NO'}")
        print(f"ScanCode's index in one process: {index_mb:.0f} MB")
        for name in ("local2", "ray2"):
            for pid, kb in sorted(memory.get(name, {}).items()):
                if kb:
                    print(
                        f"{name} worker {pid}: RSS {kb.get('rss_kb', 0) / 1024:.0f} MB, PSS {kb.get('pss_kb', 0) / 1024:.0f} MB, "
                        f"private {kb.get('private_kb', 0) / 1024:.0f} MB"
                    )
        if args.json:
            print(
                json.dumps(
                    {
                        "medians": med,
                        "cpu": med_cpu,
                        "runs": figures,
                        "equal": equal,
                        "memory": memory,
                        "index_mb": index_mb,
                    }
                )
            )
        return 0 if equal else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("GIT_DIR", None)
    sys.exit(main())
