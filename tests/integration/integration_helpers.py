"""Helpers of the integration tests: processes, real git repositories, fake credentials, shared builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
TESTS = PROJECT / "tests"
if str(TESTS) not in sys.path:  # `import tokens` (tests/tokens.py)
    sys.path.insert(0, str(TESTS))

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Contributor",
    "GIT_AUTHOR_EMAIL": "contributor@example.com",
    "GIT_COMMITTER_NAME": "Test Contributor",
    "GIT_COMMITTER_EMAIL": "contributor@example.com",
}
# Variables a developer's shell or an enclosing git hook may carry that would change what git or
# pre-commit does in the test repositories.
_DROP_PREFIXES = ("GIT_", "PRE_COMMIT", "GITHUB_", "RUNNER_")
_DROP = {"SKIP", "NO_COLOR", "FORCE_COLOR", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"}


# -- fake credentials: the shared builders of tests/tokens.py -------------------------------------

from processes import Run  # noqa: E402  (tests/ is on sys.path above)
from tokens import github_token as github_token  # noqa: E402  (re-exported)
from tokens import secret_fragments  # noqa: E402


def leaked(secret: str, *texts: str, size: int = 8) -> list[str]:
    """The pieces (`size` characters) of `secret` that occur in any of `texts`; [] when none does."""
    return sorted(p for p in secret_fragments(secret, size) if any(p in t for t in texts))


# -- processes ------------------------------------------------------------------------------------


def base_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """os.environ without git/pre-commit/Actions state, with an empty git config and a fixed identity."""
    home.mkdir(parents=True, exist_ok=True)
    gitconfig = home / "gitconfig"
    gitconfig.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROP_PREFIXES) and k not in _DROP}
    env.update(IDENTITY)
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        PRE_COMMIT_COLOR="never",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env.update(extra or {})
    return env


def run(args: list[str], cwd: Path, env: Mapping[str, str], timeout: float = 600, check: bool = False) -> Run:
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    result = Run(proc.returncode, proc.stdout, proc.stderr)
    if check and result.code != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.code}):\n{result.output}")
    return result


class Repo:
    """A real repository made with `git init`: branch main, local identity, unsigned commits."""

    def __init__(self, root: Path, env: Mapping[str, str]) -> None:
        self.root = root
        self.env = dict(env)

    @classmethod
    def init(cls, root: Path, env: Mapping[str, str], bare: bool = False) -> Repo:
        root.mkdir(parents=True, exist_ok=True)
        run(["git", "init", "-q", "-b", "main", *(["--bare"] if bare else []), "."], root, env, check=True)
        repo = cls(root.resolve(), env)
        if not bare:
            for key, value in (
                ("user.name", IDENTITY["GIT_AUTHOR_NAME"]),
                ("user.email", IDENTITY["GIT_AUTHOR_EMAIL"]),
                ("commit.gpgsign", "false"),
                ("tag.gpgsign", "false"),
                ("core.autocrlf", "false"),
            ):
                repo.git("config", "--local", key, value)
        return repo

    def run(self, *args: str, env: Mapping[str, str] | None = None, check: bool = False) -> Run:
        return run(list(args), self.root, {**self.env, **(env or {})}, check=check)

    def git(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> Run:
        return self.run("git", *args, env=env, check=check)

    def write(self, path: str, content: str) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content, encoding="utf-8")

    def add(self, path: str, content: str) -> None:
        self.write(path, content)
        self.git("add", "--", path)

    def commit_unchecked(self, message: str) -> str:
        """A commit that bypasses the installed hooks (setting up history)."""
        self.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message)
        return self.sha()

    def sha(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", f"{rev}^{{commit}}").out.strip()

    def ref(self, name: str) -> str | None:
        proc = self.git("rev-parse", "--verify", "--quiet", name, check=False)
        return proc.out.strip() or None

    def count(self, rev: str = "HEAD") -> int:
        proc = self.git("rev-list", "--count", rev, check=False)
        return int(proc.out.strip()) if proc.code == 0 else 0


# -- shared builds ---------------------------------------------------------------------------------


def once(shared: Path, name: str, build) -> Path:  # type: ignore[no-untyped-def]
    """`build(path)` run by exactly one worker; the others wait for it and get the same path."""
    from filelock import FileLock  # a dependency of pre-commit's virtualenv

    path = shared / name
    done = shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            if path.exists():
                shutil.rmtree(path)
            build(path)
            done.touch()
    return path


@dataclass(frozen=True)
class Snapshot:
    path: Path
    sha: str


def copy_work_tree(destination: Path, env: Mapping[str, str]) -> None:
    listed = run(["git", "ls-files", "-co", "--exclude-standard", "-z"], PROJECT, env, check=True).out
    destination.mkdir(parents=True)
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if not source.is_file():  # deleted in the work tree, or a submodule
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
