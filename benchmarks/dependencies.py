"""The dependency review's speed: packages resolved per second from a cold and a warm cache, and
what it adds to a change without manifests.

A throw-away repository (an MIT project) stages a requirements.txt of N pinned packages and the
real Cargo.lock of BurntSushi/ripgrep (tests/data/deps); deps.dev is the tests' local stand-in
(tests/fake_depsdev.py) answering after `--latency` seconds, as a network would. Measured in the same
run, interleaved:

- cold: `review --staged --check licenses` with an empty cache (every package asked for, 8 at a time);
- warm: the same with the cache the cold run left (no request);
- peer "sequential GETs": one urllib GET per package, one after the other, the floor a client
  without concurrency or cache pays;
- no manifests: a change of one Python file, this gate against `--before` (a gate without the
  dependency review, e.g. /work/main/.venv/bin/contribution-gate) when given.

    python benchmarks/dependencies.py --packages 300 --latency 0.05 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_depsdev import FakeDepsDev, serve  # noqa: E402

GATE = ROOT / ".venv" / "bin" / "contribution-gate"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def make_repo(where: Path, packages: int) -> Path:
    repo = where / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "bench")
    (repo / "package.json").write_text('{"name": "bench", "license": "MIT"}\n')
    (repo / ".contribution-gate.toml").write_text('[licenses]\ndependencies = "online"\n')
    (repo / "app.py").write_text("x = 1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "init")
    (repo / "requirements.txt").write_text("".join(f"bench-package-{i}=={i % 7}.{i % 13}.0\n" for i in range(packages)))
    (repo / "Cargo.lock").write_text((ROOT / "tests" / "data" / "deps" / "ripgrep" / "Cargo.lock").read_text())
    git(repo, "add", ".")
    return repo


def fake_for(packages: int, latency: float) -> FakeDepsDev:
    import tomllib

    fake = FakeDepsDev(delay=latency)
    for i in range(packages):
        fake.add("pypi", f"bench-package-{i}", {f"{i % 7}.{i % 13}.0": ["MIT" if i % 5 else "Apache-2.0 OR MIT"]})
    lock = tomllib.loads((ROOT / "tests" / "data" / "deps" / "ripgrep" / "Cargo.lock").read_text())
    for package in lock["package"]:
        if "source" in package:
            fake.add("cargo", package["name"], {package["version"]: ["MIT OR Apache-2.0"]})
    return fake


def run_gate(gate: Path, repo: Path, env: dict[str, str]) -> tuple[float, float, int]:
    started = time.perf_counter()
    proc = subprocess.run(
        [str(gate), "review", "--staged", "--check", "licenses", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    wall = time.perf_counter() - started
    report = json.loads(proc.stdout)
    check = next(c for c in report["checks"] if c["name"] == "licenses")
    judged = len([f for f in report["findings"] if f["rule"].startswith("dependency")])
    return wall, float(check["seconds"]), judged


def sequential(fake: FakeDepsDev) -> float:
    started = time.perf_counter()
    for (system, name), versions in fake.packages.items():
        for version in versions:
            with urllib.request.urlopen(
                f"{fake.url}/v3/systems/{system}/packages/{name}/versions/{version}", timeout=10
            ) as r:
                r.read()
    return time.perf_counter() - started


def plain_repo(where: Path) -> Path:
    """A repository whose staged change touches no manifest: one Python file."""
    repo = where / "plain"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "bench")
    (repo / "app.py").write_text("x = 1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "init")
    (repo / "app.py").write_text("def main():\n    return 2\n")
    git(repo, "add", "app.py")
    return repo


def no_manifest(gates: list[Path], repo: Path, repeat: int) -> list[float]:
    """Median wall time of `review --staged` for each gate, runs interleaved."""
    times: list[list[float]] = [[] for _ in gates]
    env = {**os.environ, "DEPS_DEV_API_URL": "http://127.0.0.1:9"}
    for _ in range(repeat):
        for index, gate in enumerate(gates):
            started = time.perf_counter()
            subprocess.run([str(gate), "review", "--staged"], cwd=repo, capture_output=True, check=False, env=env)
            times[index].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the stand-in waits before each answer")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gate", type=Path, default=GATE)
    parser.add_argument("--before", type=Path, help="a gate without the dependency review, for the no-manifest cost")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = make_repo(work, args.packages)
        fake = fake_for(args.packages, args.latency)
        total = sum(len(v) for v in fake.packages.values())
        cold, warm, floor = [], [], []
        with serve(fake):
            for round_ in range(args.repeat):
                cache = work / f"cache{round_}"
                env = {"DEPS_DEV_API_URL": fake.url, "XDG_CACHE_HOME": str(cache)}
                cold.append(run_gate(args.gate, repo, env))
                warm.append(run_gate(args.gate, repo, {**env, "DEPS_DEV_API_URL": "http://127.0.0.1:9"}))
                floor.append(sequential(fake))
        cold_s = statistics.median(c[1] for c in cold)
        warm_s = statistics.median(w[1] for w in warm)
        floor_s = statistics.median(floor)
        print(
            f"packages: {total} ({args.packages} PyPI pins, {total - args.packages} crates of ripgrep's Cargo.lock); latency {args.latency * 1000:.0f} ms"
        )
        print(
            f"cold cache: {cold_s:.2f} s in the licenses check -> {total / cold_s:.0f} packages/s (wall {statistics.median(c[0] for c in cold):.2f} s)"
        )
        print(
            f"warm cache: {warm_s:.2f} s -> {total / warm_s:.0f} packages/s (wall {statistics.median(w[0] for w in warm):.2f} s)"
        )
        print(
            f"peer, sequential GETs: {floor_s:.2f} s -> {total / floor_s:.0f} packages/s; cold is {cold_s / floor_s:.2f}x its time"
        )
        plain = plain_repo(work)
        if args.before is not None:
            after, before = no_manifest([args.gate, args.before], plain, 5 * args.repeat)
            print(
                f"a change without manifests: {after * 1000:.0f} ms vs {before * 1000:.0f} ms before ({after / before:.2f}x)"
            )
        else:
            (after,) = no_manifest([args.gate], plain, 5 * args.repeat)
            print(f"a change without manifests: {after * 1000:.0f} ms (give --before for the ratio)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
