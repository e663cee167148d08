"""The Ray engine: the same results as the local engine, and a killed actor's unit retried.

Ray comes with the `test` extra (through `ray`). One local Ray for this module, shut down after
its tests: starting one costs seconds and about 600 MB, and left running its processes would slow
the rest of the suite. Run these tests in one process (xdist group "ray"), not spread over
workers, which would start one Ray each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import audit_helpers
import pytest
import ray
from audit_helpers import KillOnce, comparable, fill

from contribution_gate.audit import driver
from contribution_gate.audit.driver import Options

pytestmark = pytest.mark.xdist_group("ray")


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray.cloudpickle.register_pickle_by_value(audit_helpers)  # the test reviewers, for Ray's workers
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture
def fleet(tmp_path: Path, make_repo: Any) -> list[str]:
    paths = []
    for n in range(3):
        repo = make_repo(tmp_path / f"r{n}")
        fill(repo, n)
        paths.append(str(repo.root))
    return paths


def _findings(out: Path) -> list[list[str]]:
    merged = json.loads((out / "audit.json").read_text())
    return [comparable(r["findings"]) for r in merged["repos"]]


def test_the_ray_engine_gives_the_local_engine_s_results(ray_cluster: None, fleet: list[str], tmp_path: Path) -> None:
    local = driver.run(Options(tuple(fleet), tmp_path / "local", workers=2, checks=("secrets", "internal-urls")))
    remote = driver.run(
        Options(tuple(fleet), tmp_path / "ray", engine="ray", workers=2, checks=("secrets", "internal-urls"))
    )
    assert remote.reviewed == local.reviewed == 3
    assert _findings(tmp_path / "ray") == _findings(tmp_path / "local")
    assert [r["verdict"] for r in remote.merged["repos"]] == ["fail"] * 3
    plan = json.loads((tmp_path / "ray" / "plan.json").read_text())
    assert plan["runs"][-1]["engine"] == "ray" and plan["runs"][-1]["workers"] == 2
    assert ray.is_initialized(), "a cluster the engine did not start is left running"


def test_a_killed_actor_is_restarted_and_its_unit_retried(ray_cluster: None, fleet: list[str], tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    out = tmp_path / "out"
    options = Options(tuple(fleet), out, engine="ray", workers=2, checks=("secrets",))
    outcome = driver.run(options, factory=KillOnce("r1", marker, delay=1.0))
    results = [json.loads(p.read_text()) for p in (out / "units").rglob("*.json")]
    assert len(results) == 3 and outcome.merged["totals"]["error"] == 0
    killed = next(r for r in results if r["unit"]["slug"] == "r1")
    assert killed["attempts"] == 2 and killed["status"] == "fail"
    assert killed["worker"]["pid"] != int(marker.read_text())  # the result came from the restarted actor
    assert not list(out.rglob("*.tmp"))
