"""Shared helpers: real temporary git repositories built with the git CLI, and ways to run the CLI.

Every test runs with an isolated git environment (no user or system config, no inherited
GIT_DIR / GIT_INDEX_FILE), so what a developer's ~/.gitconfig says cannot change a result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
if str(TESTS) not in sys.path:  # `import tokens` from any test module
    sys.path.insert(0, str(TESTS))

from processes import Run  # noqa: E402  (the result of a CLI run; also the integration tests')

# Test modules reach these helpers through fixtures, never `from conftest import`: other test
# directories have a conftest.py of their own, and only one module can be called `conftest`.

_GIT_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "PRE_COMMIT_FROM_REF",
    "PRE_COMMIT_TO_REF",
)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config, a fixed identity, and no repository above `tmp_path`."""
    home = tmp_path_factory.getbasetemp() / "home"
    home.mkdir(exist_ok=True)
    empty = home / "gitconfig"
    empty.touch()
    for name in _GIT_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    monkeypatch.setenv("CONTRIBUTION_GATE_SCANCODE_CACHE", "off")  # the user's store of ScanCode's answers
    monkeypatch.delenv("NO_COLOR", raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Contributor")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "contributor@example.com")


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    """Run git in `cwd` and return its stdout (text)."""
    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout


class GitRepo:
    """A real repository made with `git init`, local identity, unsigned commits, branch `main`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
        return git(self.root, *args, env=env, check=check)

    def write(self, path: str, content: str | bytes, newline: str | None = "\n") -> Path:
        """Write a file (text as UTF-8 unless bytes are given), creating its directories."""
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            with open(file, "w", encoding="utf-8", newline=newline) as handle:
                handle.write(content)
        return file

    def stage(self, *paths: str) -> None:
        self.git("add", "--", *(paths or (".",)))

    def add(self, path: str, content: str | bytes) -> Path:
        """Write and stage one file."""
        file = self.write(path, content)
        self.stage(path)
        return file

    def commit(self, message: str = "change", *args: str) -> str:
        """Commit what is staged (extra args go to `git commit`) and return the new HEAD sha."""
        self.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message, *args)
        return self.sha("HEAD")

    def commit_files(self, message: str, files: dict[str, str | bytes]) -> str:
        for path, content in files.items():
            self.add(path, content)
        return self.commit(message)

    def mv(self, source: str, destination: str) -> None:
        """`git mv`, creating the destination's directory first."""
        (self.root / destination).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", source, destination)

    def sha(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", f"{rev}^{{commit}}").strip()

    def checkout(self, *args: str) -> None:
        self.git("checkout", "-q", *args)

    def merge_side_branch(self, files: dict[str, str | bytes]) -> tuple[str, str]:
        """Commit `files` on a branch `side`, one more commit on `main`, then merge `side` into
        `main` with a merge commit: the side commit's sha and the merge's."""
        self.checkout("-b", "side")
        side = self.commit_files("side", files)
        self.checkout("main")
        self.commit_files("main", {"main.py": "m = 1\n"})
        self.git("merge", "-q", "--no-ff", "--no-edit", "side")
        return side, self.sha()


def make_repo(path: Path) -> GitRepo:
    """`git init` a repository at `path` with a local identity and gpg signing off."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main", ".")
    for key, value in (
        ("user.name", "Test Contributor"),
        ("user.email", "contributor@example.com"),
        ("commit.gpgsign", "false"),
        ("tag.gpgsign", "false"),
        ("core.autocrlf", "false"),
    ):
        git(path, "config", "--local", key, value)
    return GitRepo(path.resolve())


@pytest.fixture(name="make_repo")
def make_repo_fixture() -> Callable[[Path], GitRepo]:
    """`make_repo(path)`: a new repository at `path`."""
    return make_repo


@pytest.fixture(name="git")
def git_fixture() -> Callable[..., str]:
    """`git(cwd, *args)`: run git and return its stdout."""
    return git


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """An empty repository (no commit yet)."""
    return make_repo(tmp_path / "repo")


@pytest.fixture
def based_repo(repo: GitRepo) -> GitRepo:
    """A repository with one clean commit on `main`."""
    repo.commit_files("Initial commit", {"README.md": "# project\n", "src/app.py": "def main():\n    return 0\n"})
    return repo


# -- running the CLI --------------------------------------------------------------------------


@pytest.fixture
def gate(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run `contribution_gate.cli.main` in-process (its error boundary included) and capture it."""
    from contribution_gate.cli import main

    def run(*args: str | os.PathLike[str]) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        out, err = capsys.readouterr()
        code = exited.value.code
        return Run(code if isinstance(code, int) else (0 if code is None else 1), out, err)

    return run


def installed_command() -> list[str]:
    """The installed `contribution-gate` of this interpreter's environment, else `python -m`."""
    beside = Path(sys.executable).with_name("contribution-gate")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("contribution-gate")
    return [found] if found else [sys.executable, "-m", "contribution_gate"]


@pytest.fixture
def gate_command() -> list[str]:
    """The argv prefix of the installed command."""
    return installed_command()


@pytest.fixture
def gate_cmd() -> Callable[..., Run]:
    """Run the installed command in a subprocess."""

    def run(*args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        proc = subprocess.run(
            [*installed_command(), *(str(a) for a in args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=120,
            check=False,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run
