"""Pure parts of the audit: keys, ordering, shards, slices, the store's atomic writes and resume
selection, and the merge (de-duplication across units, pending and error repositories)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contribution_gate.audit import merge
from contribution_gate.audit.plan import slices
from contribution_gate.audit.repositories import check_url, is_url, open_git_dir
from contribution_gate.audit.store import Store
from contribution_gate.audit.units import Settings, Unit, biggest_first, parse_shard, safe_name, shard, unique_slugs
from contribution_gate.errors import GitError

SETTINGS = Settings(("secrets",), "repository", "error", "1.0")


def unit(slug: str, cost: float = 1.0, head: str = "a" * 40, base: str | None = None) -> Unit:
    return Unit(f"/repos/{slug}", slug, head, "tree" if base is None else "history", base, cost)


def test_the_key_changes_with_everything_a_result_depends_on_and_not_with_the_cost() -> None:
    key = unit("x").key(SETTINGS)
    assert len(key) == 32 and key == unit("x", cost=99).key(SETTINGS)
    others = [
        unit("x", head="b" * 40).key(SETTINGS),
        unit("x", base="c" * 40).key(SETTINGS),
        unit("y").key(SETTINGS),
        unit("x").key(Settings(("secrets", "licenses"), "repository", "error", "1.0")),
        unit("x").key(Settings(("secrets",), "f" * 64, "error", "1.0")),
        unit("x").key(Settings(("secrets",), "repository", "warning", "1.0")),
        unit("x").key(Settings(("secrets",), "repository", "error", "1.1")),
    ]
    assert len({key, *others}) == len(others) + 1
    assert Unit.from_dict(json.loads(json.dumps(unit("x", 3.0).as_dict()))) == unit("x", 3.0)


def test_biggest_first_and_shards_partition_the_plan_evenly() -> None:
    units = [unit(f"r{n}", cost=float(n)) for n in range(1, 21)]
    assert [u.cost for u in biggest_first(units)][:3] == [20.0, 19.0, 18.0]
    shards = [shard(units, k, 3) for k in (1, 2, 3)]
    assert sorted(u.slug for s in shards for u in s) == sorted(u.slug for u in units)  # each exactly once
    loads = [sum(u.cost for u in s) for s in shards]
    assert max(loads) - min(loads) <= 20
    assert shard(units, 2, 3) == shards[1]  # the same plan, the same shards
    assert parse_shard("2/8") == (2, 8)
    for bad in ("0/2", "3/2", "2", "a/b", "-1/2"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_names_are_safe_path_components_and_unique() -> None:
    assert safe_name("../../etc") == "etc" and safe_name("..") == "repository"
    assert "/" not in safe_name("a/b") and "\\" not in safe_name("a\\b")
    assert unique_slugs(["repo", "repo", "Repo", "x"]) == ["repo", "repo-2", "Repo-3", "x"]


def test_urls_with_credentials_or_program_transports_are_refused() -> None:
    assert is_url("https://h/o/r.git") and is_url("git@github.com:o/r.git") and not is_url("/srv/r.git")
    check_url("https://github.com/o/r.git")
    check_url("ssh://git@host/r.git")
    for bad in ("https://tok@github.com/o/r", "https://u:p@github.com/o/r", "ext::sh -c x", "http://h/r", "fd::3"):
        with pytest.raises(GitError):
            check_url(bad if "://" in bad else bad.replace("::", "://"))


def test_history_slices_hold_every_commit_exactly_once(repo: Any) -> None:
    repo.commit_files("root", {"a.py": "a = 0\n"})
    for n in range(3):
        repo.merge_side_branch({f"side{n}.py": f"s = {n}\n"})
        repo.git("branch", "-D", "side")
        repo.commit_files(f"main {n}", {f"m{n}.py": f"m = {n}\n"})
    head = repo.sha()
    bare = open_git_dir(repo.root / ".git")
    cut = slices(bare, head, 3)
    assert len(cut) >= 3 and cut[0][0] is None and cut[-1][1] == head
    seen: list[str] = []
    for base, top, count in cut:
        span = repo.git("rev-list", top, *([f"^{base}"] if base else [])).split()
        assert len(span) == count
        seen += span
    assert sorted(seen) == sorted(repo.git("rev-list", head).split())  # every commit, none twice
    assert slices(bare, head, 1000) == [(None, head, len(seen))]


def _result(key: str, status: str, findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if status == "error":
        return {"key": key, "status": "error", "error": "git fetch failed"}
    return {
        "key": key,
        "status": status,
        "report": {"checks": [{"name": "secrets", "status": status}], "findings": findings or [], "errors": []},
        "sarif": {"tool": {"driver": {"rules": []}}, "results": []},
    }


def _finding(fingerprint: str, commit: str | None = None) -> dict[str, Any]:
    return {
        "check": "secrets",
        "rule": "github-token",
        "severity": "error",
        "path": "a.py",
        "line": 1,
        "commit": commit,
        "fingerprint": fingerprint,
        "suppressed": False,
    }


def test_the_store_writes_atomically_and_resumes_what_is_missing_broken_or_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "audit")
    store.create()
    units = [unit(f"r{n}") for n in range(5)]
    keyed = [(u, u.key(SETTINGS)) for u in units]
    store.write(units[0], keyed[0][1], _result(keyed[0][1], "pass"))
    store.write(units[1], keyed[1][1], _result(keyed[1][1], "fail", [_finding("f1")]))
    store.write(units[2], keyed[2][1], _result(keyed[2][1], "error"))
    store.path(units[3], keyed[3][1]).parent.mkdir(parents=True)
    store.path(units[3], keyed[3][1]).write_text('{"key": "')  # a torn file: not done
    forged = _result(keyed[4][1], "fail")
    forged["report"]["findings"] = [{"check": 1}]
    store.write(units[4], keyed[4][1], forged)  # the wrong shape: not done, never half-read
    assert [u.slug for u, _ in store.pending(keyed)] == ["r2", "r3", "r4"]
    (store.units / "r0" / ".x.json.123.ab.tmp").write_text("{")
    assert store.remove_temporaries() == 1 and not list(store.root.rglob("*.tmp"))
    moved = store.path(units[0], keyed[1][1])  # a file under another key is not this unit's
    moved.write_text(store.path(units[0], keyed[0][1]).read_text())
    assert store.read(units[0], keyed[1][1]) is None


def test_the_merge_keeps_one_finding_per_fingerprint_and_never_passes_a_gap(tmp_path: Path) -> None:
    store = Store(tmp_path / "audit")
    store.create()
    old, new = "1" * 40, "2" * 40
    slices_ = [unit("a", head=old), Unit("/repos/a", "a", new, "history", old, 0.0)]
    others = [unit("b"), unit("c")]
    plan = {
        "settings": SETTINGS.as_dict(),
        "units": [u.as_dict() for u in [*slices_, *others]],
        "repositories": [{"target": f"/repos/{s}", "slug": s, "head": new} for s in "abc"],
    }
    keys = [u.key(SETTINGS) for u in [*slices_, *others]]
    store.write(slices_[0], keys[0], _result(keys[0], "fail", [_finding("same", old), _finding("first")]))
    store.write(slices_[1], keys[1], _result(keys[1], "fail", [_finding("same", new), _finding("later", None)]))
    store.write(others[0], keys[2], _result(keys[2], "error"))
    merged = merge.audit(plan, [store])
    a, b, c = merged["repos"]
    assert [(f["fingerprint"], f["commit"]) for f in a["findings"]] == [("same", old), ("first", old), ("later", new)]
    assert a["counts_by_check"] == {"secrets": {"error": 3}} and a["verdict"] == "fail"
    assert b["verdict"] == "error" and b["errors"][0]["message"] == "git fetch failed"
    assert c["verdict"] == "pending"
    assert merged["verdict"] == "incomplete"
    assert merged["totals"] == {
        "units": 4,
        "pass": 0,
        "fail": 2,
        "error": 1,
        "pending": 1,
        "repositories": 3,
        "repositories_failed": 2,
        "findings": 3,
    }


def test_the_token_goes_to_the_github_host_only_and_never_on_a_command_line() -> None:
    import base64

    from contribution_gate.audit.repositories import _token_header

    env = {"GITHUB_TOKEN": "tok-value", "GIT_CONFIG_COUNT": "1"}
    sent = _token_header("https://github.com/o/r.git", env)
    assert sent["GIT_CONFIG_COUNT"] == "2" and sent["GIT_CONFIG_KEY_1"] == "http.https://github.com/.extraheader"
    assert base64.b64decode(sent["GIT_CONFIG_VALUE_1"].split()[-1]) == b"x-access-token:tok-value"
    for other in ("https://gitlab.com/o/r.git", "ssh://git@github.com/o/r.git", "file:///srv/r.git"):
        assert _token_header(other, env) == {}
    enterprise = {"GITHUB_TOKEN": "t", "GITHUB_SERVER_URL": "https://ghe.example.com"}
    assert _token_header("https://ghe.example.com/o/r", enterprise)
    assert _token_header("https://github.com/o/r", enterprise) == {}
    assert _token_header("https://github.com/o/r", {}) == {}


def test_a_ray_actor_reviews_without_ray_s_vendored_packages_on_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ray puts psutil and more on its workers' path; the licenses check reads installed
    distributions, so the actor hides them while it reviews (the local engine's findings)."""
    import sys

    from contribution_gate.audit.engines.ray_engine import ReviewerActor
    from contribution_gate.audit.reviewer import Reviewer, ReviewerArgs

    seen: list[list[str]] = []

    class Recording(Reviewer):
        def warm(self) -> None:
            pass

        def run(self, unit: Unit, attempt: int = 1) -> dict[str, Any]:
            seen.append(list(sys.path))
            return {"status": "pass"}

    vendored = "/venv/lib/python3.11/site-packages/ray/thirdparty_files"
    monkeypatch.setattr(sys, "path", [*sys.path, vendored])
    actor = ReviewerActor(Recording, ReviewerArgs(("secrets",), "error", "/tmp/cache"))
    assert actor.run(unit("x").as_dict(), 1) == {"status": "pass"}
    assert vendored not in seen[0] and vendored in sys.path


def test_the_job_summary_keeps_untrusted_text_inert() -> None:
    from contribution_gate.audit.reports import markdown

    hostile = "x|y`z <img src=x onerror=alert(1)> @admin https://evil.example \x1b[31m"
    merged = {
        "verdict": "fail",
        "totals": {"repositories": 1, "units": 1, "pass": 0, "fail": 0, "error": 1, "pending": 0, "findings": 0},
        "repos": [
            {
                "slug": hostile,
                "verdict": "error",
                "checks": {"secrets": "error"},
                "counts_by_check": {},
                "findings": [],
                "errors": [{"unit": "u", "message": hostile}],
            }
        ],
    }
    text = markdown(merged)
    table_row = next(line for line in text.splitlines() if line.startswith("| `"))
    assert table_row.count(" | ") == 1  # the pipe inside the name does not open a column
    import re

    outside = re.sub(r"(`+).*?\1", "", text)  # code spans render nothing: HTML and mentions stay text
    assert "\x1b" not in text and re.search(r"(?<!\\)<img", outside) is None
    assert "@admin" not in outside and "https://evil" not in outside
    assert "\\<img" in outside  # the error message is there, escaped


def test_default_workers_follow_cpus_and_available_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from contribution_gate import parts
    from contribution_gate.audit import plan

    monkeypatch.setattr(plan.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(parts, "available_memory", lambda: 4 * 2**30)
    assert plan.default_workers() == 2  # 1.5 GB each at most
    monkeypatch.setattr(parts, "available_memory", lambda: 2**20)
    assert plan.default_workers() == 1
    monkeypatch.setattr(parts, "available_memory", lambda: None)
    assert plan.default_workers() == 8
