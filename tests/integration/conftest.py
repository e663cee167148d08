"""Fixtures for the integration tests: a git snapshot of this project, real repositories, a clean env.

The snapshot is a git repository holding the project's *current* working tree (tracked files plus
untracked ones that are not ignored), committed once, so that pre-commit (`repo:` + `rev:`) and the
Action (`github.action_path`) install the code as it is now, not as the last commit has it.

Everything that costs a network install is built once per test session, and once for all pytest-xdist
workers: the first worker builds it under a file lock in the session's shared temporary directory, the
others find it there.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from integration_helpers import Repo, Snapshot, base_env, copy_work_tree, once

# -- the session's shared state -------------------------------------------------------------------


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A directory every xdist worker of this session shares (the session's own temp dir otherwise)."""
    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent
    path = root / "cg-integration"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """xdist's worker id ("master" without xdist); defined here too so the tests run without xdist."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "master"


@pytest.fixture(scope="session")
def snapshot(shared_dir: Path) -> Snapshot:
    """This project's current working tree, committed in a repository of its own."""
    env = base_env(shared_dir / "home")

    def build(path: Path) -> None:
        copy_work_tree(path, env)
        repo = Repo.init(path, env)
        repo.git("add", "-A")
        repo.commit_unchecked("snapshot of the working tree")

    path = once(shared_dir, "snapshot", build)
    return Snapshot(path, Repo(path, env).sha())


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def make_repo(tmp_path: Path, home: Path) -> Iterator:  # type: ignore[type-arg]
    """A factory of real repositories under this test's tmp_path, sharing one clean environment."""

    def make(name: str = "repo", bare: bool = False, env: Mapping[str, str] | None = None) -> Repo:
        return Repo.init(tmp_path / name, base_env(home, env), bare=bare)

    yield make
