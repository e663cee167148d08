"""action.yml's own steps talking to a local GitHub: the review on `pull_request` with `pr-comment`,
the signing on `issue_comment`, and a token without write permissions (see test_action for the
emulated runner)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fake_github import TOKEN, FakeGitHub, from_repository, pull_object, serve
from integration_helpers import Repo, Snapshot  # also puts tests/ on sys.path
from test_action import (  # noqa: F401  (installed_runner_temp is a fixture used by name)
    FIRST_REVIEW_STEP,
    ActionRun,
    Runner,
    installed_runner_temp,
    python_on_path,
    runner_env,
)

PHRASE = "I have read the CLA Document and I hereby sign the CLA"
SIGNATURES = ("octo-org/cla-signatures", "main", "signatures/cla.json")
POLICY = '[cla]\nmode = "cla"\nsignatures-repo = "octo-org/cla-signatures"\nsignatures = "signatures/cla.json"\n'
MARKER = "<!-- contribution-gate: sticky review comment -->"


def _commit(repo: Repo, who: tuple[str, str], message: str) -> str:
    env = {"GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": who[0]}
    repo.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message, env={**env, "GIT_COMMITTER_EMAIL": who[1]})
    return repo.sha()


class Conversation:
    def __init__(self, repo: Repo, fake: FakeGitHub, base: str, head: str, run: Callable[..., ActionRun]) -> None:
        self.repo, self.fake, self.base, self.head, self._run = repo, fake, base, head, run

    def review(self, inputs: Mapping[str, str] | None = None) -> ActionRun:
        self.repo.git("checkout", "-q", "topic")
        payload = {
            "number": 12,
            "pull_request": {
                "number": 12,
                "user": {"login": "bob-builds", "id": 3},
                "base": {"sha": self.base, "ref": "main"},
                "head": {"sha": self.head, "ref": "topic"},
            },
            "repository": {"full_name": "octo-org/project", "id": 99},
        }
        return self._run("pull_request", payload, {"pr-comment": "true", **(inputs or {})})

    def fork_check(self) -> ActionRun:
        """The `pull_request_target` job with `cla-only`: the default branch checked out, the API asked."""
        self.repo.git("checkout", "-q", "main")
        payload = {
            "number": 12,
            "pull_request": {"number": 12, "head": {"sha": self.head}, "base": {"sha": self.base}},
            "repository": {"full_name": "octo-org/project", "id": 99},
        }
        return self._run("pull_request_target", payload, {"cla-only": "true"})

    def comment(self, body: str, login: str = "bob-builds", account: int = 3) -> ActionRun:
        self.repo.git("checkout", "-q", "main")  # the signing job checks out the default branch only
        payload = {
            "action": "created",
            "issue": {"number": 12, "pull_request": {}},
            "comment": {"id": 900, "body": body, "user": {"login": login, "id": account, "type": "User"}},
            "repository": {"full_name": "octo-org/project", "id": 99},
        }
        return self._run("issue_comment", payload, {})

    def status(self, context: str) -> str | None:
        return self.fake.status_of(self.head, context)


@pytest.fixture
def conversation(
    tmp_path: Path,
    make_repo: Callable[..., Repo],
    snapshot: Snapshot,
    installed_runner_temp: Path,  # noqa: F811
) -> Iterator[Conversation]:
    repo = make_repo("workspace")
    repo.add(".contribution-gate.toml", POLICY)
    base = repo.commit_unchecked("Policy")
    repo.git("checkout", "-q", "-b", "topic")
    _commit(repo, ("Ada", "ada@example.org"), "Ada's part")
    head = _commit(repo, ("Bob", "bob@example.net"), "Bob's part")
    accounts = {"ada@example.org": {"login": "ada", "id": 5}, "bob@example.net": {"login": "bob-builds", "id": 3}}
    fake = FakeGitHub(
        pulls={12: from_repository(repo.root, f"{base}..{head}", accounts)},
        pull_objects={12: pull_object(12, base, head, ("bob-builds", 3), commits=2)},
        files={SIGNATURES: json.dumps({"signedContributors": [{"name": "ada", "id": 5}]}, indent=2) + "\n"},
    )
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    for entry in installed_runner_temp.iterdir():
        (runner_temp / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    work = tmp_path / "runner-work"
    work.mkdir()
    env = runner_env(tmp_path, python_on_path(tmp_path / "bin"))
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"

    def run(event_name: str, payload: dict[str, Any], inputs: Mapping[str, str]) -> ActionRun:
        event_path = work / f"{event_name}.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        return Runner(snapshot.path, runner_temp, work, env).run(
            cwd=repo.root,
            inputs=inputs,
            start=FIRST_REVIEW_STEP,
            env={
                "GITHUB_EVENT_NAME": event_name,
                "GITHUB_EVENT_PATH": str(event_path),
                "GITHUB_WORKSPACE": str(repo.root),
                "GITHUB_TOKEN": TOKEN,  # what the workflow's `env: GITHUB_TOKEN: ${{ github.token }}` gives
                "GITHUB_API_URL": fake.url,
                "GITHUB_REPOSITORY": fake.repository,
                "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_RUN_ID": "4242",
            },
        )

    with serve(fake):
        yield Conversation(repo, fake, base, head, run)


def test_action_review_comment_then_signing_comment_turns_it_green(conversation: Conversation) -> None:
    first = conversation.review()
    assert first.step("review").code == 1, first.step("review").err
    assert conversation.review().step("review").code == 1
    (comment,) = conversation.fake.comments[12]
    assert comment["body"].startswith(MARKER) and "## ❌ contribution-gate: fail" in comment["body"]
    assert "[this run](https://github.com/octo-org/project/actions/runs/4242)" in comment["body"]
    assert (conversation.status("contribution-gate"), conversation.status("contribution-gate/cla")) == (
        "failure",
        "failure",
    )
    assert {s["target_url"] for s in conversation.fake.statuses} == {
        "https://github.com/octo-org/project/actions/runs/4242"
    }

    signed = conversation.comment(PHRASE)
    step = signed.step("review")
    assert step.code == 0, step.out + step.err
    assert signed.outputs["signed"] == "true" and signed.outputs["signer"] == "bob-builds"
    names = [s["name"] for s in json.loads(conversation.fake.files[SIGNATURES])["signedContributors"]]
    assert names == ["ada", "bob-builds"]
    assert (conversation.status("contribution-gate"), conversation.status("contribution-gate/cla")) == (
        "success",
        "success",
    )
    (comment,) = conversation.fake.comments[12]
    assert "## ✅ contribution-gate: pass" in comment["body"]
    assert not (conversation.repo.root / "signatures").exists()  # nothing written into the checkout

    rechecked = conversation.comment("recheck", login="maintainer", account=77)
    assert rechecked.step("review").code == 0 and rechecked.outputs["signed"] == "false"
    assert conversation.review().step("review").code == 0
    (comment,) = conversation.fake.comments[12]
    assert "Everything passes for commit" in comment["body"]


def test_action_with_a_read_only_token_warns_and_keeps_the_verdict(conversation: Conversation) -> None:
    conversation.fake.denied = {"comments", "statuses"}
    result = conversation.review()
    step = result.step("review")
    assert step.code == 1, step.out + step.err
    assert step.outputs["verdict"] == "fail"
    assert "pull-requests: write" in step.err and "statuses: write" in step.err
    assert conversation.fake.comments.get(12, []) == [] and conversation.fake.statuses == []


def test_action_conversation_is_off_by_default(conversation: Conversation) -> None:
    result = conversation.review({"pr-comment": "false"})
    assert result.step("review").code == 1
    assert [c for c in conversation.fake.calls if not c.startswith("GET")] == []
    assert conversation.review({"pr-comment": "maybe"}).step("review").code == 2


def test_action_yml_declares_the_conversation_inputs_off() -> None:
    import yaml

    action = yaml.safe_load((Path(__file__).resolve().parents[2] / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["pr-comment"]["default"] == "false"
    assert action["inputs"]["commit-status"]["default"] == "false"


def test_action_cla_only_on_pull_request_target_posts_the_cla_from_the_api(conversation: Conversation) -> None:
    result = conversation.fork_check()
    step = result.step("review")
    assert step.code == 0, step.out + step.err
    assert conversation.status("contribution-gate/cla") == "failure"
    assert conversation.status("contribution-gate") is None
    (comment,) = conversation.fake.comments[12]
    assert "has not posted here yet" in comment["body"] and PHRASE in comment["body"]


def test_readme_workflows_use_the_actions_inputs_and_never_check_out_the_pull_request() -> None:
    import re

    import yaml

    root = Path(__file__).resolve().parents[2]
    action = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The pull-request conversation") :]
    workflows = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)][:2]
    assert [set(w.get("on", w.get(True))) for w in workflows] == [
        {"pull_request"},
        {"issue_comment", "pull_request_target"},
    ]
    for workflow in workflows:
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("contribution-gate/contribution-gate@"):
                    assert set(step.get("with", {})) <= set(action["inputs"])
                    assert step["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert "ref" not in step.get("with", {})  # the event's default: never the contribution's head
    review_job, sign_job = (next(iter(w["jobs"].values())) for w in workflows)
    assert review_job["permissions"]["pull-requests"] == "write" and review_job["permissions"]["statuses"] == "write"
    assert sign_job["permissions"]["contents"] == "write" and "concurrency" in sign_job
