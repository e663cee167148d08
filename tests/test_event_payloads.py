"""`--event` payloads of the wrong shape, through the command on a real repository: each is one
line and exit 2, never a traceback or an internal error (exit 3), and nothing reaches git unchecked."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from contribution_gate.errors import GateError
from contribution_gate.github.events import is_login, is_number, is_sha, target_of

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
WRONG = [[], ["x"], "text", 7, "7", 1.5, True, {"a": 1}, "", "-x", "a\nb"]


def pull_request(base: str, head: str) -> dict[str, Any]:
    return {
        "action": "opened",
        "number": 3,
        "pull_request": {
            "number": 3,
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head, "ref": "topic"},
            "user": {"login": "octocat", "id": 583231},
            "author_association": "CONTRIBUTOR",
        },
        "repository": {
            "id": 9,
            "full_name": "octo-org/project",
            "owner": {"login": "octo-org", "type": "Organization"},
        },
    }


def push(before: str, after: str) -> dict[str, Any]:
    return {"before": before, "after": after, "repository": {"default_branch": "main", "id": 9}}


def paths(value: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from paths(child, (*prefix, key))


def replaced(payload: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return changed


@pytest.fixture
def shas(based_repo: GitRepo) -> tuple[str, str]:
    base = based_repo.sha()
    return base, based_repo.commit_files("change", {"src/more.py": "y = 2\n"})


def test_every_malformed_field_of_a_pull_request_is_exit_2_in_one_line(
    based_repo: GitRepo, gate: Gate, tmp_path: Path, shas: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    valid = pull_request(*shas)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(valid))
    assert gate("review", "--event", event, "-C", based_repo.root).code == 0
    objects = [[], ["x"], "text", 7, 1.5, True, ""]
    strings = [[], 7, 1.5, True, {"a": 1}, "", "-x", "a\nb", "a b"]
    numbers = [[], "7", 1.5, True, {"a": 1}, "", -1]
    used = {  # the fields the gate reads, with values of the wrong shape for each
        ("pull_request",): objects,
        ("pull_request", "base"): objects,
        ("pull_request", "base", "sha"): [*strings, "7", "a" * 39, "g" * 40],
        ("pull_request", "base", "ref"): [*strings, "a..b"],
        ("pull_request", "head"): objects,
        ("pull_request", "head", "sha"): [*strings, "HEAD"],
        ("pull_request", "user"): objects,
        ("pull_request", "user", "login"): strings,
        ("pull_request", "user", "id"): numbers,
        ("pull_request", "number"): numbers,
        ("repository",): objects,
        ("repository", "id"): numbers,
        ("repository", "full_name"): [*strings, "text", "a/b/c"],
        ("repository", "owner"): objects,
        ("repository", "owner", "login"): strings,
    }
    tried = 0
    for path, wrongs in sorted(used.items()):
        for wrong in wrongs:
            event.write_text(json.dumps(replaced(valid, path, wrong)))
            run = gate("review", "--event", event, "-C", based_repo.root)
            assert run.code == 2, (path, wrong, run)
            assert len(run.err.strip().splitlines()) == 1 and "internal error" not in run.err, (path, wrong, run.err)
            tried += 1
    for missing in (("pull_request", "base", "sha"), ("pull_request", "head"), ("pull_request",)):
        payload = copy.deepcopy(valid)
        holder = payload
        for key in missing[:-1]:
            holder = holder[key]
        del holder[missing[-1]]
        if missing == ("pull_request",):
            payload["after"] = 5  # now it reads as a push with a number for a sha
        event.write_text(json.dumps(payload))
        run = gate("review", "--event", event, "-C", based_repo.root)
        assert run.code == 2 and len(run.err.strip().splitlines()) == 1, (missing, run)
        tried += 1
    assert tried > 100


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '"pull_request"',
        "null",
        "42",
        "{",
        "\ufeff{}",
        "[" * 100_000 + "]" * 100_000,
        '{"pull_request": ' * 5000 + "{}" + "}" * 5000,
        '{"pull_request": {"base": {"sha": NaN}, "head": {"sha": Infinity}}}',
    ],
)
def test_json_that_is_no_event_object_is_exit_2(
    based_repo: GitRepo, gate: Gate, tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    event = tmp_path / "event.json"
    event.write_text(text, encoding="utf-8")
    run = gate("review", "--event", event, "-C", based_repo.root)
    assert run.code == 2, run
    assert len(run.err.strip().splitlines()) == 1 and "internal error" not in run.err


def test_push_payloads_of_the_wrong_shape_through_the_installed_command(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], tmp_path: Path, shas: tuple[str, str]
) -> None:
    base, head = shas
    event = tmp_path / "event.json"
    for payload in (
        push(base, head) | {"repository": []},
        push(base, head) | {"repository": {"default_branch": ["main"]}},
        push(base, 12),  # type: ignore[arg-type]
        push([base], head),  # type: ignore[arg-type]
        push(base, "--output=/tmp/owned"),
        {"pull_request": [], "after": head},
        {"pull_request": {"base": {"sha": base}, "head": {"sha": head}, "user": "octocat"}},
        {"pull_request": {"base": {"sha": base}, "head": {"sha": head}, "number": "3"}},
    ):
        event.write_text(json.dumps(payload))
        run = gate_cmd("review", "--event", event, "-C", based_repo.root, env={"GITHUB_EVENT_NAME": ""})
        assert run.code == 2, (payload, run)
        (line,) = run.err.strip().splitlines()
        assert "Traceback" not in run.err and str(event) in line
    assert not Path("/tmp/owned").exists()


def test_cla_sign_payloads_of_the_wrong_shape_are_exit_2(
    based_repo: GitRepo, gate: Gate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    phrase = "I have read the CLA Document and I hereby sign the CLA"
    valid = {
        "action": "created",
        "issue": {"number": 1, "pull_request": {}},
        "comment": {"id": 1, "body": phrase, "user": {"login": "bob", "id": 3}},
        "repository": {"id": 4},
    }
    monkeypatch.chdir(based_repo.root)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "issue_comment")
    event = tmp_path / "event.json"
    for path, wrong in (
        (("comment",), []),
        (("issue",), "x"),
        (("comment", "user"), "bob"),
        (("comment", "user", "login"), "bob\nsigned=true"),
        (("comment", "user", "id"), "3"),
        (("comment", "id"), [1]),
        (("comment", "created_at"), {"t": 1}),
        (("issue", "number"), "1"),
        (("repository", "id"), "4"),
    ):
        event.write_text(json.dumps(replaced(valid, path, wrong)))
        run = gate("cla", "sign", "--event", event)
        assert run.code == 2, (path, wrong, run)
        assert len(run.err.strip().splitlines()) == 1 and "internal error" not in run.err
    assert not (based_repo.root / "signatures").exists()


def test_random_mutations_of_events_are_an_event_target_or_a_gate_error() -> None:
    """A little fuzzing of the pure reader: never another exception, and what it returns is checked."""
    rng = random.Random(13)
    base, head = "a" * 40, "b" * 40
    seeds = [pull_request(base, head), push(base, head), {"merge_group": {"base_sha": base, "head_sha": head}}]
    names = [None, "pull_request", "pull_request_target", "push", "merge_group"]
    values = [*WRONG, None, {}, base, "0" * 40, -1, 2**70, "é" * 300]
    for _ in range(3000):
        payload = copy.deepcopy(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            found = list(paths(payload))
            if not found:
                break
            path = rng.choice(found)
            if rng.random() < 0.2:
                holder = payload
                for key in path[:-1]:
                    holder = holder[key] if isinstance(holder, dict) else {}
                if isinstance(holder, dict):
                    holder.pop(path[-1], None)
            else:
                try:
                    payload = replaced(payload, path, copy.deepcopy(rng.choice(values)))
                except (TypeError, KeyError):
                    continue
        try:
            target = target_of(payload, rng.choice(names))
        except GateError as exc:
            assert "\n" not in str(exc)
            continue
        assert is_sha(target.head) and (target.base is None or is_sha(target.base))
        assert target.author is None or is_login(target.author)
        assert all(v is None or is_number(v) for v in (target.number, target.author_id, target.repository_id))
