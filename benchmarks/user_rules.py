#!/usr/bin/env python3
"""What a project's own secret rules cost: `review --staged --check secrets` with no rules, with
a gitleaks config of 50 rules, and with gitleaks' whole default config (171 rules run as the
project's, 51 stood in for by ours), on bench_staged.py's staged changes and on a large one.

    python benchmarks/user_rules.py                          # 9 interleaved repetitions
    python benchmarks/user_rules.py --before /work/main/.venv/bin/contribution-gate

`--before` adds another build of the gate (the branch point) without rules: a policy without
rules must cost nothing extra. The gitleaks rules come from tests/data/gitleaks/gitleaks-default.toml
(gitleaks' own default config); the tools run in rotating order after one untimed run each.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_staged import DEFAULT_GATE, PROJECT, build_scenario, clean_env, git

DEFAULT_CONFIG = PROJECT / "tests" / "data" / "gitleaks" / "gitleaks-default.toml"


def gitleaks_rules(text: str, count: int | None) -> str:
    """The default config's `[[rules]]` blocks that ours do not stand in for, the first `count`."""
    sys.path.insert(0, str(PROJECT / "src"))
    from contribution_gate.checks.secrets import gitleaks, userpolicy

    builtin = userpolicy.builtin_ids()
    blocks = text.split("\n[[rules]]\n")[1:]
    kept = [b for b in blocks if not gitleaks.ours_for(b.split('"')[1], builtin)]
    return "".join("\n[[rules]]\n" + b.split("\n[allowlist")[0] for b in kept[:count])


def large_change(root: Path, megabytes: int, seed: int) -> None:
    """A generated change of `megabytes` MiB of code-like lines with words the rules look for."""
    rng = random.Random(seed)
    words = ["key", "token", "secret", "api", "auth", "password", "client", "access", "discord", "slack", "github"]
    alnum = string.ascii_letters + string.digits
    lines: list[str] = []
    size = 0
    while size < megabytes << 20:
        word = rng.choice(words)
        line = (
            f"    {word}_{rng.randint(0, 999)} = compute('{''.join(rng.choice(alnum) for _ in range(12))}')  # {word}"
        )
        lines.append(line)
        size += len(line) + 1
    (root / "big").mkdir(exist_ok=True)
    (root / "big" / "generated.py").write_text("\n".join(lines) + "\n")
    git(root, "add", "big/generated.py")


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, float, float, float]:
    """One run: exit code, wall seconds, CPU seconds (user + system, the child and the git processes
    it waited for: steadier than wall time on a shared machine) and peak RSS in MiB."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--gate", type=Path, default=DEFAULT_GATE)
    parser.add_argument("--before", type=Path, help="another build of the gate, run without rules")
    parser.add_argument("--megabytes", type=int, default=8, help="size of the large change (MiB)")
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args(argv)
    default = DEFAULT_CONFIG.read_text(encoding="utf-8")
    configs = {"50 rules": gitleaks_rules(default, 50), "default config (171 + 51)": default}
    env = clean_env()
    parent = Path(tempfile.mkdtemp(prefix="user-rules-"))
    try:
        scenarios = [build_scenario(name, args.seed, parent) for name in ("small", "medium")]
        (parent / "large").mkdir()
        large = build_scenario("small", args.seed + 1, parent / "large")
        large_change(large.root, args.megabytes, args.seed)
        large.name = f"{args.megabytes} MiB"
        scenarios.append(large)
        print(f"{'change':>10}  {'variant':<28} {'CPU s':>7} {'vs no rules':>12} {'wall s':>7} {'peak MiB':>9}")
        for scenario in scenarios:
            variants: dict[str, tuple[Path, Path]] = {}  # name -> (gate, repository copy)
            for name, text in {"no rules": None, **configs}.items():
                copy = parent / f"{scenario.name}-{len(variants)}".replace(" ", "")
                shutil.copytree(scenario.root, copy)
                if text is not None:
                    (copy / ".gitleaks.toml").write_text(text)
                    (copy / ".contribution-gate.toml").write_text('[secrets]\ngitleaks-config = ".gitleaks.toml"\n')
                variants[name] = (args.gate, copy)
            if args.before is not None:
                variants["before (no rules)"] = (args.before, variants["no rules"][1])
            times: dict[str, list[float]] = {name: [] for name in variants}
            walls: dict[str, list[float]] = {name: [] for name in variants}
            memory: dict[str, float] = dict.fromkeys(variants, 0.0)
            order = list(variants)
            for round_ in range(args.repeat + 1):
                for name in order[round_ % len(order) :] + order[: round_ % len(order)]:
                    gate, root = variants[name]
                    command = [str(gate), "review", "--staged", "--check", "secrets", "-C", str(root)]
                    code, wall, cpu, rss = measure(command, root, env)
                    if code not in (0, 1):
                        raise SystemExit(f"{name}: exit {code}")
                    if round_:
                        times[name].append(cpu)
                        walls[name].append(wall)
                        memory[name] = max(memory[name], rss)
            base = statistics.median(times["no rules"])
            for name, samples in times.items():
                median = statistics.median(samples)
                wall = statistics.median(walls[name])
                print(
                    f"{scenario.name:>10}  {name:<28} {median:7.3f} {median / base:11.2f}x {wall:7.3f} {memory[name]:9.0f}"
                )
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
