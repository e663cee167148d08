"""The pull-request conversation end to end through the CLI against a local GitHub: one sticky comment
edited in place, commit statuses, CLA signatures kept in another repository through the contents
API, signing and `recheck` comments, tokens without permissions, no token, and timeouts."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fake_github import (
    TOKEN,
    FakeGitHub,
    from_repository,
    human_comment,
    pull_object,
    serve,
)

from contribution_gate.github.comments import MARKER

if TYPE_CHECKING:
    from conftest import GitRepo, Run

PHRASE = "I have read the CLA Document and I hereby sign the CLA"
ADA = ("Ada Lovelace", "ada@example.org")
BOB = ("Bob Builder", "bob@example.net")
SIGNATURES_REPO = "octo-org/cla-signatures"
SIGNATURES_PATH = "signatures/cla.json"
POLICY = (
    '[cla]\nmode = "cla"\n'
    f'signatures-repo = "{SIGNATURES_REPO}"\nsignatures = "{SIGNATURES_PATH}"\n'
    'document = "https://example.org/cla.html"\n'
)
ADA_SIGNED = {
    "signedContributors": [
        {
            "name": "ada",
            "id": 5,
            "comment_id": 2,
            "created_at": "2024-01-02T00:00:00Z",
            "repoId": 99,
            "pullRequestNo": 2,
            "emails": [ADA[1]],
        }
    ]
}
GITHUB_VARIABLES = (
    "GITHUB_TOKEN",
    "GITHUB_ACTIONS",
    "GITHUB_EVENT_PATH",
    "GITHUB_EVENT_NAME",
    "GITHUB_REPOSITORY",
    "GITHUB_API_URL",
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_SERVER_URL",
    "GITHUB_RUN_ID",
    "CLA_SIGNATURES_TOKEN",
    "CONTRIBUTION_GATE_API_TIMEOUT",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in GITHUB_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def commit_as(repo: GitRepo, author: tuple[str, str], message: str, files: dict[str, str] | None = None) -> str:
    for path, content in (files or {}).items():
        repo.add(path, content)
    env = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": author[0],
        "GIT_COMMITTER_EMAIL": author[1],
    }
    repo.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message, env=env)
    return repo.sha()


class PullRequest:
    """A pull request #12 on branch `topic` of a real repository, known to the fake GitHub."""

    def __init__(self, repo: GitRepo, fake: FakeGitHub, base: str, head: str, event: Path) -> None:
        self.repo, self.fake, self.base, self.head, self.event = repo, fake, base, head, event

    def signatures(self) -> list[str]:
        text = self.fake.files[(SIGNATURES_REPO, "main", SIGNATURES_PATH)]
        return [entry["name"] for entry in json.loads(text)["signedContributors"]]

    def cla(self) -> str | None:
        return self.fake.status_of(self.head, "contribution-gate/cla")

    def overall(self) -> str | None:
        return self.fake.status_of(self.head, "contribution-gate")

    def comments(self) -> list[dict[str, Any]]:
        return self.fake.comments.get(12, [])


def pr_event(path: Path, base: str, head: str) -> Path:
    payload = {
        "action": "synchronize",
        "number": 12,
        "pull_request": {
            "number": 12,
            "author_association": "CONTRIBUTOR",
            "user": {"login": "bob-builds", "id": 3, "type": "User"},
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head, "ref": "topic"},
        },
        "repository": {
            "id": 99,
            "full_name": "octo-org/project",
            "default_branch": "main",
            "owner": {"login": "octo-org", "type": "Organization"},
        },
    }
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def comment_event(path: Path, body: str, login: str = "bob-builds", account: int = 3, comment_id: int = 555) -> Path:
    payload = {
        "action": "created",
        "issue": {"number": 12, "pull_request": {"url": "https://api.github.com/repos/octo-org/project/pulls/12"}},
        "comment": {
            "id": comment_id,
            "body": body,
            "created_at": "2025-02-03T04:05:06Z",
            "user": {"login": login, "id": account, "type": "User"},
        },
        "repository": {"id": 99, "full_name": "octo-org/project"},
    }
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def build_pr(repo: GitRepo, tmp_path: Path, files: dict[str, str] | None = None) -> tuple[FakeGitHub, str, str, Path]:
    base = repo.commit_files("Policy", {"README.md": "# project\n", ".contribution-gate.toml": POLICY})
    repo.git("checkout", "-q", "-b", "topic")
    commit_as(repo, ADA, "Ada's part")
    head = commit_as(repo, BOB, "Bob's part", files or {"src/bob.py": "print('hi')\n"})
    accounts = {ADA[1]: {"login": "ada", "id": 5}, BOB[1]: {"login": "bob-builds", "id": 3}}
    fake = FakeGitHub(
        pulls={12: from_repository(repo.root, f"{base}..{head}", accounts)},
        pull_objects={12: pull_object(12, base, head, ("bob-builds", 3), commits=2)},
        files={(SIGNATURES_REPO, "main", SIGNATURES_PATH): json.dumps(ADA_SIGNED, indent=2) + "\n"},
    )
    return fake, base, head, pr_event(tmp_path / "pull_request.json", base, head)


@pytest.fixture
def pr(repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PullRequest]:
    fake, base, head, event = build_pr(repo, tmp_path)
    with serve(fake):
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_REPOSITORY", fake.repository)
        monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
        yield PullRequest(repo, fake, base, head, event)


def review(gate: Callable[..., Run], pr: PullRequest, *args: str) -> Run:
    return gate("review", "-C", pr.repo.root, "--event", pr.event, "--format", "json", *args)


def sign_as(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch, **who: Any
) -> Run:
    """`cla sign` as the signing job runs it: the default branch checked out, an issue_comment event."""
    pr.repo.git("checkout", "-q", "main")
    monkeypatch.chdir(pr.repo.root)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "issue_comment")
    try:
        return gate("cla", "sign", "--event", comment_event(tmp_path / "comment.json", body, **who))
    finally:
        monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
        pr.repo.git("checkout", "-q", "topic")


# -- the review's comment and statuses ---------------------------------------------------------------


def test_two_reviews_make_one_comment_then_signing_turns_it_green(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = review(gate, pr, "--pr-comment")
    assert first.code == 1, first.output
    assert [f["rule"] for f in first.json()["findings"]] == ["unsigned"]
    assert "review comment created" in first.err
    second = review(gate, pr, "--pr-comment")
    assert second.code == 1 and ("review comment edited" in second.err or "review comment unchanged" in second.err)
    (comment,) = pr.comments()
    assert comment["body"].startswith(MARKER)
    body = comment["body"]
    assert "## ❌ contribution-gate: fail" in body
    assert "`bob-builds`" in body or "@bob-builds" in body
    assert PHRASE in body and "[Contributor License Agreement](https://example.org/cla.html)" in body
    assert "### The other checks: ✅ pass" in body
    assert (pr.overall(), pr.cla()) == ("failure", "failure")
    assert [c for c in pr.fake.calls if c.startswith("POST /repos/octo-org/project/issues/12/comments")] == [
        "POST /repos/octo-org/project/issues/12/comments"
    ]

    signed = sign_as(gate, pr, tmp_path, PHRASE, monkeypatch)
    assert signed.code == 0, signed.output
    assert "bob-builds signed the CLA" in signed.out
    assert pr.signatures() == ["ada", "bob-builds"]
    assert (pr.overall(), pr.cla()) == ("success", "success")
    (comment,) = pr.comments()
    assert "## ✅ contribution-gate: pass" in comment["body"]
    assert "`bob-builds` signed the CLA: checked again." in comment["body"]
    assert "### The other checks: ✅ pass" in comment["body"]  # the rest of the last review is kept

    passing = review(gate, pr, "--pr-comment")
    assert passing.code == 0, passing.output
    (comment,) = pr.comments()
    assert "## ✅ contribution-gate: pass" in comment["body"]
    assert f"Everything passes for commit `{pr.head[:12]}`" in comment["body"]
    assert (pr.overall(), pr.cla()) == ("success", "success")


def test_recheck_comment_checks_again_without_signing(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert review(gate, pr, "--pr-comment").code == 1
    assert pr.cla() == "failure"
    key = (SIGNATURES_REPO, "main", SIGNATURES_PATH)  # a maintainer records Bob's paper CLA by hand
    recorded = json.loads(pr.fake.files[key])
    recorded["signedContributors"].append({"name": "bob-builds", "id": 3})
    pr.fake.files[key] = json.dumps(recorded, indent=2) + "\n"
    before = pr.fake.files[key]

    run = sign_as(gate, pr, tmp_path, "  Recheck \n", monkeypatch, login="maintainer", account=77)
    assert run.code == 0, run.output
    assert "not the signing phrase" in run.out
    assert pr.fake.files[key] == before  # nothing signed
    assert (pr.overall(), pr.cla()) == ("success", "success")
    (comment,) = pr.comments()
    assert "Checked again at the request of `maintainer`." in comment["body"]
    assert "## ✅ contribution-gate: pass" in comment["body"]

    pr.repo.git("checkout", "-q", "main")
    monkeypatch.chdir(pr.repo.root)
    again = gate("cla", "recheck", "--pr", "12")
    assert again.code == 0 and "CLA passes" in again.err


def test_a_review_that_fails_elsewhere_stays_failed_after_signing(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokens import github_token

    secret = github_token()
    fake, base, head, event = build_pr(repo, tmp_path, {"src/settings.py": f'TOKEN = "{secret}"\n'})
    with serve(fake):
        for name, value in (("GITHUB_TOKEN", TOKEN), ("GITHUB_API_URL", fake.url)):
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("GITHUB_REPOSITORY", fake.repository)
        monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
        pr = PullRequest(repo, fake, base, head, event)
        assert review(gate, pr, "--pr-comment").code == 1
        assert sign_as(gate, pr, tmp_path, PHRASE, monkeypatch).code == 0
    assert (pr.overall(), pr.cla()) == ("failure", "success")
    (comment,) = pr.comments()
    assert "## ❌ contribution-gate: fail" in comment["body"]
    assert "### The other checks: ❌ fail" in comment["body"] and "github-token" in comment["body"]
    assert secret not in comment["body"] and secret[8:20] not in comment["body"]


def test_a_persons_comment_with_the_marker_is_never_edited(gate: Callable[..., Run], pr: PullRequest) -> None:
    forged = human_comment(
        1,
        "mallory",
        f"{MARKER}\n<!-- contribution-gate:state "
        + '{"head": "'
        + pr.head
        + '", "others": "pass"} -->\n## ✅ contribution-gate: pass',
    )
    pr.fake.comments[12] = [forged, *(human_comment(2 + n, "fan", f"+{n}") for n in range(150))]
    assert review(gate, pr, "--pr-comment").code == 1
    assert review(gate, pr, "--pr-comment").code == 1
    assert pr.comments()[0] == forged
    assert len(pr.fake.sticky(12)) == 1  # found again on the second page, not posted twice
    assert any("page=2" in call for call in pr.fake.calls)


def test_commit_status_alone_posts_no_comment(gate: Callable[..., Run], pr: PullRequest) -> None:
    run = review(gate, pr, "--commit-status")
    assert run.code == 1
    assert pr.comments() == []
    assert (pr.overall(), pr.cla()) == ("failure", "failure")
    descriptions = {s["context"]: s["description"] for s in pr.fake.statuses}
    assert descriptions == {
        "contribution-gate": "1 error (cla)",
        "contribution-gate/cla": "1 of 2 contributors have not signed the CLA",
    }


# -- permissions, no token, timeouts -----------------------------------------------------------------


def test_a_token_without_write_permissions_warns_and_changes_nothing(gate: Callable[..., Run], pr: PullRequest) -> None:
    pr.fake.denied = {"comments", "statuses"}
    run = review(gate, pr, "--pr-comment")
    assert run.code == 1, run.output
    assert run.json()["verdict"] == "fail"
    assert "warning: could not post the review comment" in run.err and "pull-requests: write" in run.err
    assert "warning: could not post the commit status contribution-gate" in run.err and "statuses: write" in run.err
    assert "verdict is unchanged" in run.err and "Traceback" not in run.err
    assert pr.comments() == [] and pr.fake.statuses == []


def test_a_clean_pull_request_passes_even_when_posting_is_refused(gate: Callable[..., Run], pr: PullRequest) -> None:
    key = (SIGNATURES_REPO, "main", SIGNATURES_PATH)
    pr.fake.files[key] = json.dumps(
        {"signedContributors": [*ADA_SIGNED["signedContributors"], {"name": "bob-builds", "id": 3}]}
    )
    pr.fake.denied = {"comments", "statuses"}
    run = review(gate, pr, "--pr-comment")
    assert run.code == 0, run.output
    assert "pull-requests: write" in run.err


def test_without_a_token_it_says_so_and_only_prints(
    gate: Callable[..., Run], pr: PullRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    pr.fake.public.add(SIGNATURES_REPO)  # a public signatures repository reads without a token
    run = review(gate, pr, "--pr-comment")
    assert run.code == 1, run.output
    assert "GITHUB_TOKEN is not set, so nothing is posted" in run.err
    assert "status contribution-gate/cla" in run.err and MARKER in run.err and PHRASE in run.err
    assert [c.split("?")[0] for c in pr.fake.calls] == [f"GET /repos/{SIGNATURES_REPO}/contents/{SIGNATURES_PATH}"]


def test_every_call_has_a_timeout(gate: Callable[..., Run], pr: PullRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRIBUTION_GATE_API_TIMEOUT", "0.3")
    pr.fake.hang, pr.fake.hang_seconds = {"comments-read", "statuses"}, 2.0
    run = review(gate, pr, "--pr-comment")
    assert run.code == 1, run.output
    assert run.err.count("no answer within 0.3 s") == 2, run.err  # the comment, then the first status
    assert "verdict is unchanged" in run.err


def test_signatures_repository_that_does_not_answer_fails_the_review_closed(
    gate: Callable[..., Run], pr: PullRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTRIBUTION_GATE_API_TIMEOUT", "0.3")
    pr.fake.hang = {"contents-read"}
    pr.fake.hang_seconds = 2.0
    run = review(gate, pr)
    assert run.code == 2 and "cannot read the CLA signatures from octo-org/cla-signatures" in run.err
    assert "no answer within 0.3 s" in run.err


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("signatures-repo", '"not a repository"', 'must be a repository as "OWNER/NAME"'),
        ("document", '"javascript:alert(1)"', "must be an https:// URL"),
        ("signatures-branch", '"a..b"', "must be a branch name"),
    ],
)
def test_bad_conversation_settings_are_exit_2(
    based_repo: GitRepo, gate: Callable[..., Run], key: str, value: str, says: str
) -> None:
    based_repo.write(".contribution-gate.toml", f'[cla]\nmode = "cla"\n{key} = {value}\n')
    run = gate("review", "-C", based_repo.root, "--all-files")
    assert run.code == 2 and f"[cla] {key}" in run.err and says in run.err


def test_pr_comment_needs_an_event(based_repo: GitRepo, gate: Callable[..., Run]) -> None:
    run = gate("review", "-C", based_repo.root, "--pr-comment")
    assert run.code == 2 and "--event" in run.err


# -- concurrent signers ------------------------------------------------------------------------------

SIGNERS = 10


def test_ten_concurrent_signers_all_end_up_in_the_remote_file(
    based_repo: GitRepo, gate_command: list[str], tmp_path: Path
) -> None:
    based_repo.commit_files("Policy", {".contribution-gate.toml": POLICY})
    fake = FakeGitHub(stale_reads=SIGNERS)  # the first ten reads see the same version: conflicts are certain
    with serve(fake):
        env = {k: v for k, v in os.environ.items() if k not in GITHUB_VARIABLES}
        env.update(
            GITHUB_TOKEN=TOKEN,
            GITHUB_API_URL=fake.url,
            GITHUB_REPOSITORY=fake.repository,
            GITHUB_EVENT_NAME="issue_comment",
            no_proxy="127.0.0.1,localhost",
        )
        processes = [
            subprocess.Popen(
                [
                    *gate_command,
                    "cla",
                    "sign",
                    "--event",
                    str(comment_event(tmp_path / f"c{i}.json", PHRASE, f"signer-{i}", 500 + i, 1000 + i)),
                ],
                cwd=based_repo.root,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(SIGNERS)
        ]
        results = [(p.wait(timeout=180), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0] * SIGNERS, results
    assert all("signed the CLA" in out for _, out, _ in results), results
    signed = json.loads(fake.files[(SIGNATURES_REPO, "main", SIGNATURES_PATH)])["signedContributors"]
    assert sorted(s["name"] for s in signed) == sorted(f"signer-{i}" for i in range(SIGNERS))
    assert len({s["comment_id"] for s in signed}) == SIGNERS
    assert fake.conflicts >= SIGNERS - 1  # the first round: one write wins, the others re-read and retry


def test_pull_request_target_recheck_from_the_api_alone(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request from a fork: the review's token could not write; a `pull_request_target` job
    checks the CLA from the API with the default branch checked out, and posts."""
    pr.repo.git("checkout", "-q", "main")
    monkeypatch.chdir(pr.repo.root)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request_target")
    monkeypatch.delenv("GITHUB_REPOSITORY")  # the event names it
    run = gate("cla", "recheck", "--event", pr.event)
    assert run.code == 0, run.output
    assert pr.cla() == "failure" and pr.overall() is None  # the other checks' verdict is not known here
    (comment,) = pr.comments()
    assert "## ❌ contribution-gate: fail" in comment["body"]
    assert "has not posted here yet" in comment["body"] and PHRASE in comment["body"]
    key = (SIGNATURES_REPO, "main", SIGNATURES_PATH)
    recorded = json.loads(pr.fake.files[key])
    recorded["signedContributors"].append({"name": "bob-builds", "id": 3})
    pr.fake.files[key] = json.dumps(recorded)
    assert gate("cla", "recheck", "--event", pr.event).code == 0
    assert pr.cla() == "success" and pr.overall() is None
    (comment,) = pr.comments()
    assert f"## ⏳ contribution-gate: waiting for the review of `{pr.head[:12]}`" in comment["body"]
    assert not any(call.startswith("GET /repos/octo-org/project/commits/") for call in pr.fake.calls)
    assert gate("cla", "recheck").code == 2  # neither --pr nor --event


def test_a_new_push_after_the_review_keeps_the_overall_status_alone(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert review(gate, pr, "--pr-comment").code == 1
    newer = commit_as(pr.repo, BOB, "Another part")
    pr.fake.pull_objects[12]["head"]["sha"] = newer
    pr.fake.pull_objects[12]["commits"] = 3
    accounts = {ADA[1]: {"login": "ada", "id": 5}, BOB[1]: {"login": "bob-builds", "id": 3}}
    pr.fake.pulls[12] = from_repository(pr.repo.root, f"{pr.base}..{newer}", accounts)
    assert sign_as(gate, pr, tmp_path, PHRASE, monkeypatch).code == 0
    assert pr.fake.status_of(newer, "contribution-gate/cla") == "success"
    assert pr.fake.status_of(newer, "contribution-gate") is None  # its review has not run yet
    (comment,) = pr.comments()
    assert "New commits were pushed: their review will post here." in comment["body"]


def test_more_commits_than_github_lists_fail_the_recheck_closed(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pr.fake.pull_objects[12]["commits"] = 300
    assert sign_as(gate, pr, tmp_path, PHRASE, monkeypatch).code == 0
    assert pr.cla() == "failure"
    assert "only the first 250 commits" in pr.comments()[0]["body"]
    assert pr.fake.statuses[-1]["description"].startswith("not every commit could be listed")


def test_a_maintainers_own_token_finds_its_own_comment_again(gate: Callable[..., Run], pr: PullRequest) -> None:
    """Run from a shell with a person's token: that person's comment is the sticky one, a stranger's
    comment with the marker still is not."""
    pr.fake.me = "maintainer"
    pr.fake.comments[12] = [human_comment(1, "mallory", f"{MARKER}\nforged")]
    assert review(gate, pr, "--pr-comment").code == 1
    assert review(gate, pr, "--pr-comment").code == 1
    bodies = [c["body"] for c in pr.comments()]
    assert len(bodies) == 2 and bodies[0] == f"{MARKER}\nforged"
    assert pr.comments()[1]["user"]["login"] == "maintainer"


def test_a_changed_review_edits_the_same_comment(gate: Callable[..., Run], pr: PullRequest) -> None:
    assert review(gate, pr, "--pr-comment").code == 1
    assert review(gate, pr, "--pr-comment", "--fail-on", "warning").code == 1  # same body: not edited
    assert pr.fake.edits == 0
    key = (SIGNATURES_REPO, "main", SIGNATURES_PATH)
    pr.fake.files[key] = json.dumps(
        {"signedContributors": [*ADA_SIGNED["signedContributors"], {"name": "bob-builds", "id": 3}]}
    )
    assert review(gate, pr, "--pr-comment").code == 0
    assert pr.fake.edits == 1 and len(pr.comments()) == 1
    assert "## ✅ contribution-gate: pass" in pr.comments()[0]["body"]


def test_a_bad_timeout_is_a_usage_error_before_the_review(
    gate: Callable[..., Run], pr: PullRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTRIBUTION_GATE_API_TIMEOUT", "forever")
    run = review(gate, pr, "--pr-comment")
    assert run.code == 2 and "CONTRIBUTION_GATE_API_TIMEOUT" in run.err and run.out == ""


def test_a_next_page_on_another_server_never_gets_the_token(gate: Callable[..., Run], pr: PullRequest) -> None:
    pr.fake.comments[12] = [human_comment(n, "fan", f"+{n}") for n in range(1, 150)]
    pr.fake.link_host = "http://127.0.0.2:9"
    run = review(gate, pr, "--pr-comment")
    assert run.code == 1
    assert "refusing to send the token there" in run.err and "verdict is unchanged" in run.err
    assert not any(c["user"]["type"] == "Bot" for c in pr.comments())


def test_a_huge_review_is_cut_inside_its_block_and_the_comment_stays_under_the_limit() -> None:
    from contribution_gate.github.comments import LIMIT, State
    from contribution_gate.github.conversation import compose, review_block

    head = "a" * 40
    report = "\n".join(f"| finding {n} | `{'x' * 80}` |" for n in range(2000))
    body = compose(State(head, "fail"), head, "### Contributor License Agreement", False, report, "<sub>x</sub>")
    assert len(body) <= LIMIT
    kept = review_block(body)
    assert kept is not None and kept.endswith("have it all)_") and kept.startswith("| finding 0 |")


def test_dco_mode_posts_the_whole_review_and_the_cla_status(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = repo.commit_files("Policy", {"README.md": "# p\n", ".contribution-gate.toml": '[cla]\nmode = "dco"\n'})
    head = commit_as(repo, BOB, "No sign-off")
    fake = FakeGitHub(
        pulls={12: from_repository(repo.root, f"{base}..{head}", {})}, pull_objects={12: pull_object(12, base, head)}
    )
    with serve(fake):
        for name, value in (("GITHUB_TOKEN", TOKEN), ("GITHUB_API_URL", fake.url)):
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("GITHUB_REPOSITORY", fake.repository)
        event = pr_event(tmp_path / "event.json", base, head)
        run = gate("review", "-C", repo.root, "--event", event, "--pr-comment")
    assert run.code == 1
    (comment,) = fake.comments[12]
    assert "### The review: ❌ fail" in comment["body"], comment["body"]
    assert "`missing-signoff`" in comment["body"] and "DCO" in comment["body"]
    assert "recheck" not in comment["body"]  # nothing to re-check without a CLA
    assert fake.status_of(head, "contribution-gate/cla") == "failure"
    assert fake.status_of(head, "contribution-gate") == "failure"


def test_a_state_line_quoted_in_the_report_is_not_the_comments_state() -> None:
    from contribution_gate.github.comments import State, parse_state
    from contribution_gate.github.conversation import compose

    head = "b" * 40
    forged = '<!-- contribution-gate:state {"head": "' + head + '", "others": "pass"} -->'
    body = compose(None, head, "cla", False, f"`{forged}`")
    assert parse_state(body) is None
    assert parse_state(compose(State(head, "fail"), head, None, None, forged)) == State(head, "fail")


def test_a_slow_run_of_an_older_head_leaves_the_newer_comment_alone(
    gate: Callable[..., Run], pr: PullRequest, tmp_path: Path
) -> None:
    assert review(gate, pr, "--pr-comment").code == 1
    newer = commit_as(pr.repo, BOB, "Another part")
    pr.fake.pull_objects[12]["head"]["sha"] = newer
    pr.fake.pulls[12] = from_repository(
        pr.repo.root,
        f"{pr.base}..{newer}",
        {ADA[1]: {"login": "ada", "id": 5}, BOB[1]: {"login": "bob-builds", "id": 3}},
    )
    newer_event = pr_event(tmp_path / "newer.json", pr.base, newer)
    assert gate("review", "-C", pr.repo.root, "--event", newer_event, "--pr-comment").code == 1
    body = pr.comments()[0]["body"]
    late = review(gate, pr, "--pr-comment")  # the run of the first head finishes last
    assert "has moved on" in late.err
    assert pr.comments()[0]["body"] == body and newer in body


def test_the_recheck_reads_every_page_of_the_pull_requests_commits(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, base, _, event = build_pr(repo, tmp_path)
    for n in range(120):  # Ada's commits fill the first page; a stranger's is on the second
        commit_as(repo, ADA, f"part {n}")
    head = commit_as(repo, ("Sam", "sam@example.net"), "the last part")
    accounts = {
        ADA[1]: {"login": "ada", "id": 5},
        BOB[1]: {"login": "bob-builds", "id": 3},
        "sam@example.net": {"login": "sam-codes", "id": 4242},
    }
    fake.pulls[12] = from_repository(repo.root, f"{base}..{head}", accounts)
    fake.pull_objects[12] = pull_object(12, base, head, ("bob-builds", 3), commits=len(fake.pulls[12]))
    fake.files[(SIGNATURES_REPO, "main", SIGNATURES_PATH)] = json.dumps(
        {"signedContributors": [*ADA_SIGNED["signedContributors"], {"name": "bob-builds", "id": 3}]}
    )
    with serve(fake):
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_REPOSITORY", fake.repository)
        pr = PullRequest(repo, fake, base, head, event)
        run = sign_as(gate, pr, tmp_path, "recheck", monkeypatch)
    assert run.code == 0, run.output
    assert "still missing from sam-codes" in run.err
    assert fake.status_of(head, "contribution-gate/cla") == "failure"
    assert any(call.endswith("commits?per_page=100&page=2") for call in fake.calls)
