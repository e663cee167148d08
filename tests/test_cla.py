"""The cla check end to end on real repositories: DCO and CLA modes, events, the API, signing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fake_github import TOKEN, FakeGitHub, from_repository, serve

if TYPE_CHECKING:
    from conftest import GitRepo, Run

ADA = ("Ada Lovelace", "ada@example.org")
BOB = ("Bob Builder", "bob@example.net")
CY = ("Cy Committer", "cy@example.com")
MONA = ("Mona Lisa", "7+monalisa@users.noreply.github.com")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
PHRASE = "I have read the CLA Document and I hereby sign the CLA"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "GITHUB_TOKEN",
        "GITHUB_ACTIONS",
        "GITHUB_EVENT_PATH",
        "GITHUB_EVENT_NAME",
        "GITHUB_REPOSITORY",
        "GITHUB_API_URL",
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
    ):
        monkeypatch.delenv(name, raising=False)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def commit_as(
    repo: GitRepo,
    author: tuple[str, str],
    message: str = "change",
    *,
    committer: tuple[str, str] | None = None,
    signoff: bool = False,
    files: dict[str, str] | None = None,
) -> str:
    """A commit by `author` (committed by `committer`, default the author), optionally `git commit -s`."""
    committer = committer or author
    for path, content in (files or {}).items():
        repo.add(path, content)
    env = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": committer[0],
        "GIT_COMMITTER_EMAIL": committer[1],
    }
    repo.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message, *(["-s"] if signoff else []), env=env)
    return repo.sha()


def signed_off(message: str, who: tuple[str, str]) -> str:
    return f"{message}\n\nSigned-off-by: {who[0]} <{who[1]}>"


def base_with(repo: GitRepo, files: dict[str, str]) -> str:
    return repo.commit_files("Policy", {"README.md": "# project\n", **files})


def findings(run: Run, check: str = "cla") -> list[dict[str, Any]]:
    return [f for f in run.json()["findings"] if f["check"] == check]


def review_range(gate: Callable[..., Run], repo: GitRepo, base: str, *args: str) -> Run:
    return gate("review", "-C", repo.root, "--range", f"{base}..HEAD", "--format", "json", "--check", "cla", *args)


# -- DCO --------------------------------------------------------------------------------------------


def test_dco_range_with_authors_committers_merges_and_bots(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = base_with(repo, {".contribution-gate.toml": '[cla]\nmode = "dco"\nallow-authors = ["*@corp.example"]\n'})
    repo.git("checkout", "-q", "-b", "topic")
    commit_as(repo, ADA, signed_off("Ada's change", ADA), files={"a.txt": "a\n"})
    commit_as(repo, BOB, "Bob's patch applied by Cy", committer=CY, signoff=True)  # Cy's sign-off: the committer's
    unsigned = commit_as(repo, BOB, "Bob forgot", files={"b.txt": "b\n"})
    wrong = commit_as(repo, ADA, signed_off("Signed with another address", ("Ada Lovelace", "ada@old.example")))
    commit_as(repo, BOT, "Bump a dependency")
    commit_as(repo, ("Em Ployee", "em@corp.example"), "Covered otherwise")
    repo.git("checkout", "-q", "main")
    commit_as(repo, CY, signed_off("Meanwhile on main", CY), files={"m.txt": "m\n"})
    repo.git("checkout", "-q", "topic")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "main", env={"GIT_AUTHOR_NAME": BOB[0], "GIT_AUTHOR_EMAIL": BOB[1]})
    run = review_range(gate, repo, base)
    assert run.code == 1, run.output
    assert [(f["rule"], f["commit"], f["path"], f["line"]) for f in findings(run)] == [
        ("missing-signoff", unsigned, "", None),
        ("wrong-signoff", wrong, "", None),
    ]
    assert "Bob Builder <bob@example.net>" in findings(run)[0]["message"]
    assert f"git rebase --signoff {base[:12]}" in findings(run)[0]["remediation"]
    text = gate("review", "-C", repo.root, "--range", f"{base}..HEAD", "--check", "cla")
    assert f"(commit {unsigned[:12]})" in text.out and "fix: sign off every commit" in text.out


def test_dco_mode_comes_from_the_base_commits_dco_yml(repo: GitRepo, gate: Callable[..., Run]) -> None:
    without = base_with(repo, {})
    commit_as(repo, BOB, "adds the DCO app's config", files={".github/dco.yml": "require:\n  members: true\n"})
    run = review_range(gate, repo, without)
    assert run.code == 0 and findings(run) == []  # the contribution cannot turn the check on for itself
    with_dco = repo.sha()
    unsigned = commit_as(repo, BOB, "unsigned")
    commit_as(repo, BOB, signed_off("signed", BOB))
    run = review_range(gate, repo, with_dco)
    assert run.code == 1 and [f["commit"] for f in findings(run)] == [unsigned]


def test_dco_remediation_commit_allowed_by_dco_yml(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = base_with(repo, {".github/dco.yml": "allowRemediationCommits:\n  individual: true\n"})
    unsigned = commit_as(repo, BOB, "forgot the sign-off")
    assert review_range(gate, repo, base).code == 1
    line = f"I, {BOB[0]} <{BOB[1]}>, hereby add my Signed-off-by to this commit: {unsigned}"
    commit_as(repo, BOB, signed_off(f"DCO Remediation Commit for {BOB[0]} <{BOB[1]}>\n\n{line}", BOB))
    assert review_range(gate, repo, base).code == 0


def test_dco_edited_policy_in_the_contribution_does_not_count(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = base_with(repo, {".contribution-gate.toml": '[cla]\nmode = "dco"\n'})
    commit_as(repo, BOB, "switch it off", files={".contribution-gate.toml": '[cla]\nmode = "off"\n'})
    assert review_range(gate, repo, base).code == 1


# -- the commit-msg hook ----------------------------------------------------------------------------


def test_commit_msg_hook_honours_dco_yml_and_allowed_authors(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(based_repo.root)
    message = based_repo.write(
        ".git/COMMIT_EDITMSG", "Change\n# Signed-off-by: Test Contributor <contributor@example.com>\n"
    )
    assert gate("check-commit-msg", message).code == 0  # no DCO asked for
    based_repo.add(".github/dco.yml", "")  # the hook reads the policy being committed: the index
    run = gate("check-commit-msg", message)
    assert run.code == 1 and "git commit -s" in run.err
    based_repo.write("fixup.txt", "fixup! Change\n")
    assert gate("check-commit-msg", based_repo.root / "fixup.txt").code == 0
    based_repo.add(".contribution-gate.toml", '[cla]\nmode = "dco"\nallow-authors = ["*@example.com"]\n')
    assert gate("check-commit-msg", message).code == 0
    based_repo.add(".contribution-gate.toml", '[cla]\nmode = "off"\n')
    assert gate("check-commit-msg", message).code == 0  # an explicit mode wins over dco.yml


# -- CLA --------------------------------------------------------------------------------------------

LITE_SIGNATURES = {
    "signedContributors": [
        {
            "name": "monalisa",
            "id": 7,
            "comment_id": 1,
            "created_at": "2024-01-01T00:00:00Z",
            "repoId": 99,
            "pullRequestNo": 1,
        },
        {
            "name": "ada",
            "id": 5,
            "comment_id": 2,
            "created_at": "2024-01-02T00:00:00Z",
            "repoId": 99,
            "pullRequestNo": 2,
            "emails": ["ada@example.org"],
        },
    ]
}
CLA_POLICY = (
    '[cla]\nmode = "cla"\nsignatures = "signatures/cla.json"\nallow-authors = ["*[bot]"]\n'
    'corporate = [{ name = "Example Corp", domains = ["example.com"] }]\n'
)


def cla_base(repo: GitRepo, signers: dict[str, Any] = LITE_SIGNATURES) -> str:
    return base_with(
        repo, {".contribution-gate.toml": CLA_POLICY, "signatures/cla.json": json.dumps(signers, indent=2)}
    )


def test_cla_offline_authors_co_authors_bots_and_corporate(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = cla_base(repo)
    commit_as(repo, MONA, "noreply address of a signer")
    commit_as(repo, ADA, "an email listed in a signature")
    commit_as(repo, CY, "a corporate domain")
    commit_as(repo, BOT, "a bot")
    pair = commit_as(
        repo,
        ADA,
        "Pairing\n\nCo-authored-by: Dee <8+dee@users.noreply.github.com>\nCo-authored-by: Carol <carol@example.net>",
    )
    bob = commit_as(repo, BOB, "an unknown email")
    run = review_range(gate, repo, base)
    assert run.code == 1
    got = {(f["rule"], f["commit"]): f["message"] for f in findings(run)}
    assert set(got) == {("unsigned", pair), ("unknown-author", pair), ("unknown-author", bob)}
    assert got[("unsigned", pair)].startswith("GitHub user dee (co-author of commit")
    assert "carol@example.net" in got[("unknown-author", pair)]
    assert "Bob" not in json.dumps(findings(run))  # named by email, never by the git name


def test_cla_signatures_come_from_the_base_not_the_contribution(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = cla_base(repo)
    forged = {
        "signedContributors": [*LITE_SIGNATURES["signedContributors"], {"name": "bob", "id": 3, "emails": [BOB[1]]}]
    }
    commit_as(repo, BOB, "signs for itself", files={"signatures/cla.json": json.dumps(forged, indent=2)})
    run = review_range(gate, repo, base)
    assert run.code == 1 and [f["rule"] for f in findings(run)] == ["unknown-author"]
    repo.git("checkout", "-q", "-b", "later", base)
    signed_base = commit_as(
        repo, ADA, "a maintainer records Bob's signature", files={"signatures/cla.json": json.dumps(forged, indent=2)}
    )
    repo.git("checkout", "-q", "main")
    repo.git("rebase", "-q", signed_base)
    assert review_range(gate, repo, signed_base).code == 0


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "invalid JSON"),
        ('{"signedContributors": [{"id": 1}]}', 'has no "name"'),
        ("[1, 2]", "not a CLA signatures file"),
    ],
)
def test_bad_signature_file_in_the_base_is_exit_2_naming_it(
    repo: GitRepo, gate: Callable[..., Run], content: str, says: str
) -> None:
    base = base_with(repo, {".contribution-gate.toml": CLA_POLICY, "signatures/cla.json": content})
    commit_as(repo, BOB, "x")
    run = review_range(gate, repo, base)
    assert run.code == 2, run.output
    assert run.err.startswith(f"contribution-gate: error: signatures/cla.json (base {base[:12]}): ") and says in run.err
    assert "Traceback" not in run.output


def test_bad_dco_yml_is_exit_2_naming_it(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = base_with(repo, {".github/dco.yml": "require: [members\n"})
    commit_as(repo, BOB, "x")
    run = review_range(gate, repo, base)
    assert run.code == 2 and f".github/dco.yml (base {base[:12]}): invalid YAML" in run.err


def test_bad_cla_config_names_file_table_and_key(repo: GitRepo, gate: Callable[..., Run]) -> None:
    base = base_with(
        repo,
        {".contribution-gate.toml": '[cla]\nmode = "cla"\ncorporate = [{ name = "X", domains = ["not a domain"] }]\n'},
    )
    commit_as(repo, BOB, "x")
    run = review_range(gate, repo, base)
    assert (
        run.code == 2 and f".contribution-gate.toml (base {base[:12]}): [cla] corporate entry 1 (X) domains" in run.err
    )


# -- events and the GitHub API ----------------------------------------------------------------------


def pr_event(
    tmp_path: Path,
    base: str,
    head: str,
    *,
    name: str = "pull_request",
    author: str = "monalisa",
    author_id: int = 7,
    association: str = "CONTRIBUTOR",
) -> Path:
    payload = {
        "action": "synchronize",
        "number": 12,
        "pull_request": {
            "number": 12,
            "author_association": association,
            "user": {"login": author, "id": author_id, "type": "User"},
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
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def use_api(monkeypatch: pytest.MonkeyPatch, fake: FakeGitHub, event_name: str) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", fake.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", fake.repository)
    monkeypatch.setenv("GITHUB_EVENT_NAME", event_name)


@pytest.mark.parametrize("event_name", ["pull_request", "pull_request_target"])
def test_a_pull_request_of_over_100_commits_is_fully_checked_through_the_api(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, event_name: str
) -> None:
    base = cla_base(repo)
    work = ("Mona at work", "mona@work.example")  # no signature lists it: only the API knows it is monalisa
    stranger = ("Sam", "sam@example.net")
    shas = [commit_as(repo, stranger if n == 117 else work, f"commit {n}") for n in range(1, 131)]
    accounts = {work[1]: {"login": "monalisa", "id": 7}, stranger[1]: {"login": "sam-codes", "id": 4242}}
    fake = FakeGitHub(pulls={12: from_repository(repo.root, f"{base}..HEAD", accounts)})
    event = pr_event(tmp_path, base, repo.sha(), name=event_name)
    with serve(fake):
        use_api(monkeypatch, fake, event_name)
        run = gate("review", "-C", repo.root, "--event", event, "--format", "json", "--check", "cla")
    assert run.code == 1, run.output
    (finding,) = findings(run)
    assert finding["rule"] == "unsigned" and finding["commit"] == shas[116]
    assert finding["message"].startswith("GitHub user sam-codes (author of commit")
    assert [r.split("?")[1] for r in fake.requests] == ["per_page=100", "per_page=100&page=2"]


def test_without_a_token_unknown_emails_are_findings_that_say_so(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cla_base(repo)
    first, second = (
        commit_as(repo, ("Mona", "mona@work.example"), "a"),
        commit_as(repo, ("Mona", "mona@work.example"), "b"),
    )
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    run = gate(
        "review", "-C", repo.root, "--event", pr_event(tmp_path, base, repo.sha()), "--format", "json", "--check", "cla"
    )
    (finding,) = findings(run)
    assert finding["rule"] == "unknown-author"
    assert all(s[:12] in finding["message"] for s in (first, second)) and "mona@work.example" in finding["message"]
    assert "without GITHUB_TOKEN" in finding["message"] and "GITHUB_TOKEN" in finding["remediation"]


def test_an_email_no_account_has_is_a_finding_with_a_token(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cla_base(repo)
    commit_as(repo, ("Ghost", "ghost@example.net"), "a")
    fake = FakeGitHub(pulls={12: from_repository(repo.root, f"{base}..HEAD", {})})
    with serve(fake):
        use_api(monkeypatch, fake, "pull_request")
        run = gate(
            "review",
            "-C",
            repo.root,
            "--event",
            pr_event(tmp_path, base, repo.sha()),
            "--format",
            "json",
            "--check",
            "cla",
        )
    (finding,) = findings(run)
    assert "no GitHub account has this email" in finding["message"]
    assert finding["remediation"].startswith("link the email to your GitHub account")


def test_push_event_looks_commits_up_one_by_one(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cla_base(repo)
    commit_as(repo, ("Mona", "mona@work.example"), "pushed")
    objects = from_repository(repo.root, f"{base}..HEAD", {"mona@work.example": {"login": "monalisa", "id": 7}})
    fake = FakeGitHub(commits={o["sha"]: o for o in objects})
    push = tmp_path / "push.json"
    push.write_text(
        json.dumps({"before": base, "after": repo.sha(), "repository": {"full_name": fake.repository, "id": 99}})
    )
    with serve(fake):
        use_api(monkeypatch, fake, "push")
        run = gate("review", "-C", repo.root, "--event", push, "--format", "json", "--check", "cla")
    assert run.code == 0, run.output
    assert fake.requests == [f"/repos/octo-org/project/commits/{repo.sha()}"]


def test_dco_members_skip_with_the_event_and_the_api(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = base_with(repo, {".github/dco.yml": "require:\n  members: false\n"})
    member = commit_as(repo, ("Mona", "mona@work.example"), "by a member, signed with a key")
    outsider = commit_as(repo, BOB, "by someone else")
    accounts = {"mona@work.example": {"login": "monalisa", "id": 7}, BOB[1]: {"login": "bob", "id": 3}}
    fake = FakeGitHub(
        pulls={12: from_repository(repo.root, f"{base}..HEAD", accounts, verified=frozenset({"mona@work.example"}))}
    )
    event = pr_event(tmp_path, base, repo.sha(), association="MEMBER")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    offline = gate("review", "-C", repo.root, "--event", event, "--format", "json", "--check", "cla")
    assert [f["commit"] for f in findings(offline)] == [member, outsider]
    with serve(fake):
        use_api(monkeypatch, fake, "pull_request")
        online = gate("review", "-C", repo.root, "--event", event, "--format", "json", "--check", "cla")
    assert [f["commit"] for f in findings(online)] == [outsider]


def test_signatures_recorded_on_the_base_branch_after_the_event_count(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run after signing reuses the old event: the base branch's tip in the clone has the signature."""
    base = cla_base(repo)
    repo.git("checkout", "-q", "-b", "topic")
    commit_as(repo, BOB, "contribution")
    head = repo.sha()
    event = pr_event(tmp_path, base, head, author="bob", author_id=3)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    assert gate("review", "-C", repo.root, "--event", event, "--check", "cla").code == 1
    repo.git("checkout", "-q", "main")
    signed = {
        "signedContributors": [*LITE_SIGNATURES["signedContributors"], {"name": "bob", "id": 3, "emails": [BOB[1]]}]
    }
    tip = commit_as(repo, ADA, "Record bob's signature", files={"signatures/cla.json": json.dumps(signed, indent=2)})
    repo.git("update-ref", "refs/remotes/origin/main", tip)
    run = gate("review", "-C", repo.root, "--event", event, "--format", "json", "--check", "cla")
    assert run.code == 0, run.output
    repo.git("update-ref", "refs/remotes/origin/main", head)  # not a descendant of the base's branch: ignored
    assert gate("review", "-C", repo.root, "--event", event, "--check", "cla").code == 1


def test_markdown_has_a_cla_section_to_paste_as_a_comment(
    repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cla_base(repo)
    commit_as(repo, MONA, "signed already")
    commit_as(repo, ("Bob", "3+bob@users.noreply.github.com"), "not yet")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    run = gate(
        "review",
        "-C",
        repo.root,
        "--event",
        pr_event(tmp_path, base, repo.sha(), author="bob", author_id=3),
        "--format",
        "markdown",
    )
    assert run.code == 1
    section = run.out[run.out.index("### Contributor License Agreement") :]
    assert "1 of 2 contributors covered" in section
    assert "| ❌ not signed | @bob |" in section  # the pull request's author is mentioned
    assert "| ✅ signed | `monalisa` |" in section  # nobody else is
    assert f"```\n{PHRASE}\n```" in section


def test_issue_comment_signs_and_review_refuses_the_event(
    based_repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    based_repo.commit_files(
        "CLA", {".contribution-gate.toml": CLA_POLICY, "signatures/cla.json": json.dumps(LITE_SIGNATURES, indent=2)}
    )
    before = (based_repo.root / "signatures/cla.json").read_text()
    event = tmp_path / "issue_comment.json"
    event.write_text(
        json.dumps(
            {
                "action": "created",
                "issue": {
                    "number": 12,
                    "pull_request": {"url": "https://api.github.com/repos/octo-org/project/pulls/12"},
                },
                "comment": {
                    "id": 555,
                    "body": PHRASE,
                    "created_at": "2025-02-03T04:05:06Z",
                    "user": {"login": "bob", "id": 3, "type": "User"},
                },
                "repository": {"id": 99, "full_name": "octo-org/project"},
            }
        )
    )
    output = tmp_path / "output"
    monkeypatch.chdir(based_repo.root)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "issue_comment")
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    run = gate("cla", "sign", "--event", event)
    assert run.code == 0 and "bob signed the CLA" in run.out
    after = (based_repo.root / "signatures/cla.json").read_text()
    assert after.startswith(before[: before.rindex("}\n  ]")])
    assert json.loads(after)["signedContributors"][-1] == {
        "name": "bob",
        "id": 3,
        "comment_id": 555,
        "created_at": "2025-02-03T04:05:06Z",
        "repoId": 99,
        "pullRequestNo": 12,
    }
    again = gate("cla", "sign", "--event", event, "--signatures", "signatures/cla.json")
    assert again.code == 0 and "already signed" in again.out
    assert (based_repo.root / "signatures/cla.json").read_text() == after
    assert output.read_text() == "signed=true\nsigner=bob\nsigned=false\nsigner=bob\n"
    refused = gate("review", "--event", event)
    assert refused.code == 2 and "cla sign" in refused.err


def test_sign_into_a_bad_signatures_file_is_exit_2(
    based_repo: GitRepo, gate: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    based_repo.write("signatures/version1/cla.json", "{broken")
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps(
            {
                "action": "created",
                "issue": {"number": 1, "pull_request": {}},
                "comment": {"id": 1, "body": PHRASE, "user": {"login": "bob", "id": 3}},
            }
        )
    )
    monkeypatch.chdir(based_repo.root)
    run = gate("cla", "sign", "--event", event)
    assert run.code == 2 and "signatures/version1/cla.json" in run.err and "invalid JSON" in run.err
