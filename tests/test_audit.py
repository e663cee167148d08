"""`contribution-gate audit` end to end on real repositories: the same findings as separate
`review --all-files` runs, history scope, resume, shards and merge, github:ORG, and fault injection
(a worker killed mid-unit, the driver killed and run again, a unit past its timeout)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from audit_helpers import TOKEN, KillOnce, Slow, api_repo, comparable, fill, github_org, wait_for, without_times

from contribution_gate.audit import driver
from contribution_gate.audit.driver import Options

FAST = ("--check", "secrets", "--check", "internal-urls")


@pytest.fixture
def fleet(tmp_path: Path, make_repo: Any, git: Any) -> list[Path]:
    """Four repositories with findings: two clones with work trees, a bare and a mirror clone."""
    paths = []
    for n in range(4):
        repo = make_repo(tmp_path / f"src{n}")
        fill(repo, n)
        paths.append(repo.root)
    git(tmp_path, "clone", "-q", "--bare", str(paths[2]), str(tmp_path / "bare2.git"))
    git(tmp_path, "clone", "-q", "--mirror", str(paths[3]), str(tmp_path / "mirror3" / "repo"))
    return [paths[0], paths[1], tmp_path / "bare2.git", tmp_path / "mirror3" / "repo"]


def _audit(out: Path) -> dict[str, Any]:
    return json.loads((out / "audit.json").read_text())


def test_local_audit_gives_the_findings_of_separate_reviews(fleet: list[Path], tmp_path: Path, gate_cmd: Any) -> None:
    out = tmp_path / "out"
    run = gate_cmd("audit", *fleet, "--out", out, "--workers", "2")
    assert run.code == 1, run.err  # the repositories hold secrets
    merged = _audit(out)
    assert merged["totals"]["units"] == 4 and merged["totals"]["pending"] == 0
    assert [r["slug"] for r in merged["repos"]] == ["src0", "src1", "bare2", "mirror3"]
    for path, repo in zip(fleet, merged["repos"], strict=True):
        work = tmp_path / f"work-{repo['slug']}"
        subprocess.run(["git", "clone", "-q", str(path), str(work)], check=True)
        alone = gate_cmd("review", "--all-files", "--format", "json", cwd=work)
        report = json.loads(alone.out)
        assert comparable(repo["findings"]) == comparable(report["findings"])
        assert repo["verdict"] == report["verdict"] == "fail"
        assert {f["repo"] for f in repo["findings"]} == {repo["slug"]}
    sarif = json.loads((out / "audit.sarif").read_text())
    assert len(sarif["runs"]) == 4
    for run_ in sarif["runs"]:
        provenance = run_["versionControlProvenance"][0]
        assert provenance["repositoryUri"].startswith("file://") and len(provenance["revisionId"]) == 40
        assert all(r["ruleId"] == run_["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in run_["results"])
    table = (out / "audit.md").read_text()
    assert "| `src0` |" in table and "Coverage: 4/4 units reviewed." in table


def test_history_scope_reviews_the_root_commit_and_slices_agree(tmp_path: Path, make_repo: Any, gate: Any) -> None:
    from tokens import github_token, secret_line

    repo = make_repo(tmp_path / "hist")
    repo.commit_files("root holds a token", {"key.py": secret_line("TOKEN", github_token())})
    repo.commit_files("removed", {"key.py": "TOKEN = None\n"})
    repo.merge_side_branch({"side.py": "curl http://10.1.2.3/\n"})  # contribution-gate: allow[internal-urls]
    repo.commit_files("tail", {"tail.py": "x = 1\n"})
    whole = gate("audit", repo.root, "--out", tmp_path / "whole", "--scope", "history", *FAST)
    assert whole.code == 1, whole.err
    found = _audit(tmp_path / "whole")["repos"][0]["findings"]
    assert any(f["check"] == "secrets" and f["path"] == "key.py" for f in found), "the root commit is reviewed"
    root = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    assert any(f["commit"] == root for f in found)
    sliced = gate("audit", repo.root, "--out", tmp_path / "sliced", "--scope", "history", "--slice-commits", "2", *FAST)
    assert sliced.code == 1
    merged = _audit(tmp_path / "sliced")
    assert merged["totals"]["units"] >= 3
    assert comparable(merged["repos"][0]["findings"]) == comparable(found)


def test_resume_reviews_only_missing_broken_and_error_units(fleet: list[Path], tmp_path: Path, gate: Any) -> None:
    out = tmp_path / "out"
    assert gate("audit", *fleet, "--out", out, "--workers", "2", *FAST).code == 1
    first = _audit(out)
    files = sorted((out / "units").rglob("*.json"))
    assert len(files) == 4
    files[0].unlink()
    files[1].unlink()
    files[2].write_text(files[2].read_text()[:50])  # a truncated result is not done
    (out / "units" / "stray.json.1.abc.tmp").write_text("{")  # what a killed write leaves
    again = gate("audit", *fleet, "--out", out, "--workers", "2", *FAST)
    assert again.code == 1
    plan = json.loads((out / "plan.json").read_text())
    assert [run["reviewed"] for run in plan["runs"]] == [4, 3]
    assert not list(out.rglob("*.tmp"))
    assert without_times(_audit(out)) == without_times(first)
    assert gate("audit", *fleet, "--out", out, *FAST).code == 1
    assert json.loads((out / "plan.json").read_text())["runs"][-1]["reviewed"] == 0
    status = gate("audit", "status", out)
    assert status.code == 1 and "4 units: 0 pass, 4 fail, 0 error, 0 pending" in status.out


def test_a_killed_worker_costs_one_attempt_of_its_unit(
    fleet: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    options = Options(tuple(map(str, fleet)), out, workers=2, checks=("secrets",))
    outcome = driver.run(options, factory=KillOnce("src1", tmp_path / "killed"))
    assert (tmp_path / "killed").exists()
    results = [json.loads(p.read_text()) for p in (out / "units").rglob("*.json")]
    assert len(results) == 4 and len({r["key"] for r in results}) == 4  # every unit exactly one result
    attempts = {r["unit"]["slug"]: r["attempts"] for r in results}
    assert attempts == {"src0": 1, "src1": 2, "bare2": 1, "mirror3": 1}
    assert all(r["status"] == "fail" for r in results) and outcome.merged["totals"]["error"] == 0
    assert not list(out.rglob("*.tmp")) and not list(scratch.iterdir()), "no temporary file is left"


def test_the_driver_killed_and_run_again_reviews_only_what_is_missing(
    fleet: list[Path], tmp_path: Path, gate: Any
) -> None:
    out = tmp_path / "out"
    helper = Path(__file__).with_name("audit_helpers.py")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(helper.parent), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, str(helper), str(out), "1.0", *map(str, fleet)], env=env)
    try:
        wait_for(lambda: len(list((out / "units").rglob("*.json"))) >= 1 if (out / "units").is_dir() else False)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finished = len(list((out / "units").rglob("*.json")))
    assert 1 <= finished < 4
    again = gate("audit", *fleet, "--out", out, "--workers", "1", "--check", "secrets")
    assert again.code == 1, again.err
    runs = json.loads((out / "plan.json").read_text())["runs"]
    assert runs[-1]["reviewed"] == 4 - finished
    fresh = tmp_path / "fresh"
    assert gate("audit", *fleet, "--out", fresh, "--check", "secrets").code == 1
    assert without_times(_audit(out)) == without_times(_audit(fresh))


def test_a_unit_past_its_timeout_is_an_error_and_fails_the_audit(based_repo: Any, tmp_path: Path) -> None:
    options = Options((str(based_repo.root),), tmp_path / "out", workers=1, checks=("secrets",), retries=1)
    options.unit_timeout = 0.5
    outcome = driver.run(options, factory=Slow(30))
    repo = outcome.merged["repos"][0]
    assert repo["verdict"] == "error" and not outcome.passed
    assert "over --unit-timeout" in repo["errors"][0]["message"]
    result = json.loads(next((tmp_path / "out" / "units").rglob("*.json")).read_text())
    assert result["attempts"] == 2 and result["status"] == "error"


def test_shards_merge_into_the_whole_audit(fleet: list[Path], tmp_path: Path, gate: Any) -> None:
    plan_dir = tmp_path / "plan"
    assert gate("audit", *fleet, "--out", plan_dir, "--plan-only", *FAST).code == 0
    parts = []
    for k in (1, 2):
        part = tmp_path / f"part-{k}"
        part.mkdir()
        (part / "plan.json").write_text((plan_dir / "plan.json").read_text())
        gate("audit", *fleet, "--out", part, "--shard", f"{k}/2", *FAST)
        parts.append(part)
    counts = [len(list((p / "units").rglob("*.json"))) for p in parts]
    assert sorted(counts) == [2, 2]
    missing = gate("audit", "merge", parts[0], "--out", tmp_path / "half")
    assert missing.code == 1 and "2 pending" in missing.out
    merged = gate("audit", "merge", *parts, "--out", tmp_path / "final")
    assert merged.code == 1 and "0 pending" in merged.out
    whole = tmp_path / "whole"
    gate("audit", *fleet, "--out", whole, *FAST)
    ours, theirs = _audit(tmp_path / "final"), _audit(whole)
    assert [comparable(r["findings"]) for r in ours["repos"]] == [comparable(r["findings"]) for r in theirs["repos"]]
    assert "Coverage: 4/4" in (tmp_path / "final" / "audit.md").read_text()


def test_since_last_reviews_only_the_new_commits(tmp_path: Path, make_repo: Any, gate: Any) -> None:
    from tokens import github_token, secret_line

    repos = []
    for n in range(2):
        repo = make_repo(tmp_path / f"r{n}")
        repo.commit_files("clean", {"a.py": "a = 1\n"})
        repos.append(repo)
    out = tmp_path / "out"
    assert gate("audit", *(r.root for r in repos), "--out", out, *FAST).code == 0
    new = repos[1].commit_files("leak", {"b.py": secret_line("TOKEN", github_token())})
    again = gate("audit", *(r.root for r in repos), "--out", out, "--since-last", *FAST)
    assert again.code == 1
    plan = json.loads((out / "plan.json").read_text())
    assert plan["runs"][-1]["reviewed"] == 1
    added = [u for u in plan["units"] if u["base"]]
    assert added == [{**added[0], "scope": "history", "head": new, "slug": "r1"}]
    found = _audit(out)["repos"][1]
    assert found["head"] == new and [f["commit"] for f in found["findings"]] == [new]
    assert gate("audit", *(r.root for r in repos), "--out", out, "--since-last", *FAST).code == 1
    assert json.loads((out / "plan.json").read_text())["runs"][-1]["reviewed"] == 0


def test_github_org_lists_pages_and_skips_archived_and_forks(
    fleet: list[Path], tmp_path: Path, gate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = [
        api_repo("octo/one", fleet[2].as_uri(), size=50),
        api_repo("octo/two", fleet[3].as_uri(), size=70),
        api_repo("octo/old", fleet[2].as_uri() + "/", archived=True),
        api_repo("octo/fork", fleet[3].as_uri() + "/", fork=True),
    ]
    with github_org(listed) as (url, requests):
        monkeypatch.setenv("GITHUB_API_URL", url)
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        no_token = gate("audit", "github:octo", "--out", tmp_path / "x")
        assert no_token.code == 2 and "GITHUB_TOKEN" in no_token.err
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        run = gate("audit", "github:octo", "--out", tmp_path / "out", "--workers", "2", *FAST)
    assert run.code == 1, run.err
    assert [r.split("?")[0] for r in requests] == [
        "/orgs/octo/repos"
    ] * 2  # two pages, Link followed (none without a token)
    merged = _audit(tmp_path / "out")
    assert [r["slug"] for r in merged["repos"]] == ["octo/one", "octo/two"]
    assert all(r["findings"] for r in merged["repos"])
    assert len(list((tmp_path / "out" / "mirrors").glob("*.git"))) == 2  # cloned once, as mirrors
    sarif = json.loads((tmp_path / "out" / "audit.sarif").read_text())
    assert sarif["runs"][0]["versionControlProvenance"][0]["repositoryUri"] == fleet[2].as_uri()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["https://user:secret-pass@example.com/o/r.git"], "must not hold credentials"),
        (["ext::sh -c touch% /tmp/pwned"], "no such directory"),
        (["REPO", "--shard", "3/2"], "--shard"),
        (["REPO", "--engine", "ray"], "contribution-gate[ray]"),
        (["github:not/an/org"], "not an organisation name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, based_repo: Any, tmp_path: Path, gate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the [ray] extra were not installed
    run = gate("audit", *(based_repo.root if a == "REPO" else a for a in args), "--out", tmp_path / "o")
    assert run.code == 2, run.out + run.err
    assert message in run.err and "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1
    assert "secret-pass" not in run.err
    assert not Path("/tmp/pwned").exists()


def test_another_audit_in_the_same_directory_is_refused(based_repo: Any, tmp_path: Path, gate: Any) -> None:
    out = tmp_path / "out"
    assert gate("audit", based_repo.root, "--out", out, "--check", "secrets").code == 0
    other = gate("audit", based_repo.root, "--out", out, "--check", "internal-urls")
    assert other.code == 2 and "holds another audit" in other.err and "--force" in other.err
    assert gate("audit", based_repo.root, "--out", out, "--check", "internal-urls", "--force").code == 0


def test_the_readme_workflow_plans_shards_and_merges() -> None:
    import yaml

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("### The GitHub Actions path", 1)[1]
    workflow = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    jobs = workflow["jobs"]
    assert list(jobs) == ["plan", "audit", "merge"]
    runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    assert any("--plan-only" in r for r in runs) and any("--shard ${{ matrix.k }}/8" in r for r in runs)
    assert len(jobs["audit"]["strategy"]["matrix"]["k"]) == 8
    assert any("audit merge part-*" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)


def test_a_second_driver_on_the_same_directory_is_refused(based_repo: Any, tmp_path: Path, gate: Any) -> None:
    from contribution_gate.audit.store import Store

    out = tmp_path / "out"
    with Store(out).exclusive():
        busy = gate("audit", based_repo.root, "--out", out, "--check", "secrets")
    assert busy.code == 2 and "another audit is running" in busy.err
    assert gate("audit", based_repo.root, "--out", out, "--check", "secrets").code == 0


def test_a_list_file_names_paths_and_urls_and_no_other_list(fleet: list[Path], tmp_path: Path, gate: Any) -> None:
    listing = tmp_path / "repos.txt"
    listing.write_text(f"# the fleet\n{fleet[0]}\n\n{fleet[2].as_uri()}\n{fleet[0]}\n")
    run = gate("audit", f"@{listing}", "--out", tmp_path / "out", *FAST)
    assert run.code == 1, run.err
    merged = _audit(tmp_path / "out")
    assert [r["slug"] for r in merged["repos"]] == ["src0", "bare2"]  # each once, in order
    assert all(r["findings"] for r in merged["repos"])
    listing.write_text(f"@{listing}\n")
    nested = gate("audit", f"@{listing}", "--out", tmp_path / "nested")
    assert nested.code == 2 and "cannot name another list" in nested.err


def test_the_progress_line_counts_units_and_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import os as os_

    from contribution_gate.audit.progress import AuditProgress

    monkeypatch.setattr("shutil.get_terminal_size", lambda *a: os_.terminal_size((40, 20)))
    stream = io.StringIO()
    progress = AuditProgress(stream, planned=10, done=4)
    progress.update("fail")
    progress.draw(force=True)
    line = stream.getvalue().rsplit("\x1b[K", 1)[1]
    assert line.startswith("contribution-gate audit: 5/10 units") and len(line) <= 39
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_the_policy_and_files_come_from_the_reviewed_commit_never_the_work_tree(
    tmp_path: Path, make_repo: Any, gate_cmd: Any
) -> None:
    from tokens import github_token, secret_line

    repo = make_repo(tmp_path / "r")
    repo.commit_files("leak", {"settings.py": secret_line("TOKEN", github_token())})
    repo.write(".contribution-gate.toml", '[checks]\nenabled = ["internal-urls"]\n')  # not committed
    repo.write("settings.py", "TOKEN = None\n")  # the leak fixed in the work tree only
    repo.write("new.py", secret_line("OTHER", github_token()))  # untracked
    run = gate_cmd("audit", repo.root, "--out", tmp_path / "out")  # a process of its own: it loads ScanCode
    assert run.code == 1, run.err
    found = _audit(tmp_path / "out")["repos"][0]["findings"]
    assert {(f["check"], f["path"]) for f in found} == {("secrets", "settings.py")}


def test_a_clone_url_is_mirrored_once_and_fetched_when_its_head_moves(
    tmp_path: Path, make_repo: Any, gate: Any
) -> None:
    from tokens import github_token, secret_line

    source = make_repo(tmp_path / "upstream")
    source.commit_files("clean", {"a.py": "a = 1\n"})
    url = source.root.as_uri()
    out = tmp_path / "out"
    assert gate("audit", url, "--out", out, *FAST).code == 0
    mirrors = list((out / "mirrors").glob("*.git"))
    assert len(mirrors) == 1 and (mirrors[0] / "HEAD").is_file() and not (mirrors[0] / "a.py").exists()
    new = source.commit_files("leak", {"b.py": secret_line("TOKEN", github_token())})
    again = gate("audit", url, "--out", out, "--since-last", *FAST)
    assert again.code == 1, again.err
    assert list((out / "mirrors").glob("*.git")) == mirrors  # fetched into the same mirror
    found = _audit(out)["repos"][0]
    assert found["slug"] == "upstream" and [f["commit"] for f in found["findings"]] == [new]


def test_an_interrupted_driver_keeps_what_it_wrote_and_stops_its_workers(fleet: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    helper = Path(__file__).with_name("audit_helpers.py")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(helper.parent), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, str(helper), str(out), "1.5", *map(str, fleet)], env=env, stderr=subprocess.DEVNULL
    )
    wait_for(lambda: (out / "units").is_dir() and len(list((out / "units").rglob("*.json"))) >= 1)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) != 0
    log = json.loads((out / "plan.json").read_text())["runs"][-1]
    assert log["interrupted"] is True and log["reviewed"] == len(list((out / "units").rglob("*.json"))) >= 1
    merged = _audit(out)  # the reports were rebuilt from what was written
    assert merged["verdict"] == "incomplete" and merged["totals"]["pending"] == 4 - log["reviewed"]
    workers = {json.loads(p.read_text())["worker"]["pid"] for p in (out / "units").rglob("*.json")}

    def gone(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
        except (FileNotFoundError, IndexError):
            return True

    wait_for(lambda: all(gone(pid) for pid in workers), seconds=30)  # the workers were stopped
