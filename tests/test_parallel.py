"""A range or tree reviewed by several processes (`--jobs`) gives the review one process gives.

Real repositories made with git; the CLI runs with `--jobs 1` and `--jobs 3` (which cuts whatever
has two pieces) and the two JSON reports must be the same but for the checks' times: the same
findings, in the same order, with the same severities, counts and verdict.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from typing import Any

import pytest
import tokens
from tokens import rand

from contribution_gate import parallel, parts
from contribution_gate.git import Repository, collect
from contribution_gate.model import Commit, FileChange, Target

Gate = Callable[..., Any]
MARK = "  # contribution-gate: allow[secrets]"


def review(gate: Gate, repo: Any, *args: str) -> tuple[int, dict[str, Any]]:
    result = gate("review", "-C", str(repo.root), "--format", "json", *args)
    data = json.loads(result.out)
    for check in data["checks"]:
        check.pop("seconds", None)
    data.pop("duration", None)
    return result.code, data


def _history(repo: Any) -> str:
    """Twenty-odd commits: secrets added, moved and deleted, a marker that a later commit removes
    (so its confirmation crosses parts), a merge that adds a secret of its own, private addresses."""
    repo.commit_files("base", {"README.md": "# project\n"})
    base = repo.sha()
    for n in range(12):
        repo.commit_files(f"step {n}", {f"pkg/mod{n % 4}.py": f"VALUE_{n} = {n}\n" * (n + 1)})
        if n == 2:
            repo.commit_files("marked", {"app/keys.py": f'API_KEY = "{tokens.openai_key()}"{MARK}\n'})
        if n == 5:
            repo.commit_files("leak", {"deploy/.env": f"GITHUB_TOKEN={tokens.github_token()}\nHOST=10.20.30.41\n"})
        if n == 7:
            repo.git("rm", "-q", "deploy/.env")
            repo.commit("removed")
    text = (repo.root / "app" / "keys.py").read_text().replace(MARK, "")
    repo.commit_files("marker dropped", {"app/keys.py": text, "app/more.py": "x = 2\n"})
    repo.checkout("-b", "side")
    repo.commit_files("side", {"side.py": "s = 1\n"})
    repo.checkout("main")
    repo.commit_files("main", {"main.py": "m = 1\n"})
    repo.git("merge", "-q", "--no-ff", "--no-edit", "side")
    (repo.root / "evil.cfg").write_text(f"token = {tokens.github_token()}\n")
    repo.git("add", "evil.cfg")
    repo.git("commit", "-q", "--amend", "--no-edit")
    repo.commit_files("tail", {"pkg/tail.py": "t = 1\n"})
    return base


def test_a_range_reviewed_in_parts_is_the_range_reviewed_whole(based_repo: Any, gate: Gate) -> None:
    base = _history(based_repo)
    serial = review(gate, based_repo, "--range", f"{base}..HEAD", "--jobs", "1")
    split = review(gate, based_repo, "--range", f"{base}..HEAD", "--jobs", "3")
    assert serial == split
    code, data = serial
    assert code == 1 and data["stats"]["commits"] > 12
    messages = " ".join(f["message"] for f in data["findings"])
    assert "removed by a later commit" in messages  # the marker's confirmation crossed parts
    assert {f["path"] for f in data["findings"] if f["severity"] == "error"} >= {
        "app/keys.py",
        "deploy/.env",
        "evil.cfg",
    }


def test_a_tree_reviewed_in_parts_is_the_tree_reviewed_whole(repo: Any, gate: Gate) -> None:
    files = {f"src/pkg{n % 5}/mod{n}.py": f"VALUE = {n}\n" for n in range(40)}
    files |= {"config/app.env": f"GITHUB_TOKEN={tokens.github_token()}\n", "docs/a b [x].md": "# odd *name*\n"}
    files |= {"LICENSE": "MIT License\n", "deploy/hosts.yaml": "db: 10.20.30.41\n", "top.txt": "internal use only\n"}
    repo.commit_files("tree", files)
    serial = review(gate, repo, "--all-files", "--jobs", "1")
    split = review(gate, repo, "--all-files", "--jobs", "3")
    assert serial[0] == split[0] == 1
    assert sorted(map(json.dumps, serial[1]["findings"])) == sorted(map(json.dumps, split[1]["findings"]))
    assert {k: v for k, v in serial[1].items() if k != "findings"} == {
        k: v for k, v in split[1].items() if k != "findings"
    }
    assert serial[1]["stats"]["files"] == len(files)


def test_the_parts_of_a_range_put_together_are_its_stream(based_repo: Any) -> None:
    base = _history(based_repo)
    repo = Repository(based_repo.root)
    target = Target("range", base, repo.resolve("HEAD"))
    whole = [_key(item) for item in collect(repo, target)]
    cut = collect(repo, target).split(3)
    assert cut is not None and len(cut) > 3
    assert [_key(item) for part in cut for item in part] == whole


def test_the_parts_of_a_tree_hold_each_file_once(repo: Any) -> None:
    files = {f"d{n % 3}/e{n % 7}/f{n}.txt": "x\n" * n for n in range(60)} | {"odd [name]*.txt": "y\n"}
    repo.commit_files("tree", files)
    opened = Repository(repo.root)
    target = Target("all-files", None, opened.resolve("HEAD"))
    cut = collect(opened, target).split(2)
    assert cut is not None
    seen = [item.path for part in cut for item in part if isinstance(item, FileChange)]
    assert sorted(seen) == sorted(files)


def test_a_small_range_stays_in_one_process_unless_asked(based_repo: Any) -> None:
    base = based_repo.sha()
    for n in range(5):
        based_repo.commit_files(f"c{n}", {"a.py": f"a = {n}\n"})
    repo = Repository(based_repo.root)
    target = Target("range", base, repo.resolve("HEAD"))
    assert collect(repo, target).split(None) is None  # one per CPU, only from MIN_COMMITS on
    assert collect(repo, target).split(2) is not None  # asked for
    assert collect(repo, Target("staged", repo.resolve("HEAD"))).split(4) is None


def _key(item: Commit | FileChange) -> tuple[str, ...]:
    if isinstance(item, Commit):
        return ("commit", item.sha)
    return ("file", item.commit or "", item.path, item.status, item.added.text)


# -- the workers ---------------------------------------------------------------------------------
def _square(part: int, tick: Any) -> int:
    if tick is not None:
        tick(part, 0)
    return part * part


def test_results_come_back_in_the_parts_order() -> None:
    heard: list[tuple[int, int]] = []
    assert parallel.run_parts(list(range(20)), 3, _square, lambda f, c: heard.append((f, c))) == [
        n * n for n in range(20)
    ]
    assert heard and heard[-1] == (sum(range(20)), 0)


def _raises(part: int, tick: Any) -> int:
    if part == 3:
        raise ValueError(f"part {part} cannot be read")
    return part


def test_an_error_in_a_worker_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="part 3 cannot be read"):
        parallel.run_parts(list(range(6)), 2, _raises)


def _dies(part: int, tick: Any) -> int:
    if part == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return part


def test_a_worker_that_dies_fails_the_review_never_drops_its_part() -> None:
    with pytest.raises(parallel.WorkerFailed, match="signal 9"):
        parallel.run_parts(list(range(4)), 2, _dies)


def test_commit_runs_keep_the_order_and_cover_the_range() -> None:
    shas = [rand(40, "0123456789abcdef") for _ in range(101)]
    runs = parts.commit_runs(shas, 2, parts.Thresholds())
    assert runs is None  # under MIN_COMMITS: one process
    runs = parts.commit_runs(shas, 2, parts.Thresholds.asked())
    assert runs is not None and [sha for run in runs for sha in run] == shas
    assert max(map(len, runs)) - min(map(len, runs)) <= 1


def test_tree_groups_balance_a_lopsided_tree() -> None:
    files = [(f"big/sub{n}/f{k}", 50_000) for n in range(30) for k in range(3)] + [
        (f"small/f{n}", 10) for n in range(50)
    ]
    groups = parts.tree_groups(files, 2, parts.Thresholds.asked())
    assert groups is not None
    covered = [
        path for path, _ in files for group in groups for spec in group if path == spec or path.startswith(spec + "/")
    ]
    assert sorted(covered) == sorted(path for path, _ in files)  # every file under exactly one spec
    weights = [
        sum(size for path, size in files for spec in group if path == spec or path.startswith(spec + "/"))
        for group in groups
    ]
    # the processes start on the big parts and end on small ones (factoring): each part is about
    # its share, halving batch by batch, so no process is left with a big part when the rest is done
    shares = parts._shares(sum(parts._weight(path, size) for path, size in files), 2, len(groups))
    assert all(abs(weight - share) <= share / 2 for weight, share in zip(weights, shares, strict=True))
    assert weights[0] >= 8 * weights[-1]


def test_the_default_number_of_workers_fits_the_cpus_and_the_memory() -> None:
    """One per CPU, at most four, and never more than the free memory holds a ScanCode index for."""
    jobs = parts.default_jobs()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    assert 1 <= jobs <= min(cpus, parts.MAX_AUTO_JOBS)
    available = parts.available_memory()
    assert available is None or jobs <= max(1, available // parts.MEMORY_PER_JOB)
