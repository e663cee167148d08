"""The GitHub API client against a local server: Link pagination, the 250-commit cap, errors."""

from __future__ import annotations

import pytest
from fake_github import TOKEN, FakeGitHub, commit_object, serve

from contribution_gate.errors import GateError
from contribution_gate.github.api import Account, Api, CommitAccounts, account_of


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server is reached directly, whatever proxy the environment names."""
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def sha(n: int) -> str:
    return f"{n:040x}"


def pr_commits(count: int) -> list[dict]:
    return [
        commit_object(
            sha(n),
            [sha(n - 1)],
            ("P", f"p{n}@example.net"),
            ("P", f"p{n}@example.net"),
            "m",
            {"login": f"user{n}", "id": 1000 + n},
            verified=n % 2 == 0,
        )
        for n in range(1, count + 1)
    ]


def test_account_of_rest_commit_objects() -> None:
    item = pr_commits(2)[1]
    assert account_of(item) == Account("user2", 1002, "User", True)
    assert account_of({**item, "author": None}) is None
    assert account_of({"author": {"login": "app[bot]", "id": 3, "type": "Bot"}}) == Account("app[bot]", 3, "Bot", False)


def test_pull_request_commits_follow_every_next_link() -> None:
    with serve(FakeGitHub(pulls={7: pr_commits(230)})) as fake:
        api = Api(TOKEN, fake.repository, fake.url)
        listed = list(api.pull_commits(7))
    assert [c["sha"] for c in listed] == [sha(n) for n in range(1, 231)]
    assert len(fake.requests) == 3  # 100 + 100 + 30
    assert fake.requests[0] == "/repos/octo-org/project/pulls/7/commits?per_page=100"
    assert fake.requests[2].endswith("page=3")


def test_commits_beyond_the_pull_request_listing_are_fetched_one_by_one() -> None:
    everything = pr_commits(260)
    fake = FakeGitHub(pulls={7: everything}, commits={c["sha"]: c for c in everything})
    with serve(fake):
        lookup = CommitAccounts(Api(TOKEN, fake.repository, fake.url), 7)
        found = lookup([sha(1), sha(150), sha(255)])
        again = lookup([sha(150), sha(255)])
    assert found == {
        sha(1): Account("user1", 1001),
        sha(150): Account("user150", 1150, verified=True),
        sha(255): Account("user255", 1255),
    }
    assert again == {sha(150): found[sha(150)], sha(255): found[sha(255)]}
    pages = [r for r in fake.requests if "/pulls/" in r]
    singles = [r for r in fake.requests if "/commits/" in r and "/pulls/" not in r]
    assert len(pages) == 3 and singles == [f"/repos/octo-org/project/commits/{sha(255)}"]


def test_without_a_pull_request_each_commit_is_asked_for() -> None:
    one = pr_commits(1)[0]
    fake = FakeGitHub(commits={one["sha"]: one})
    with serve(fake):
        assert CommitAccounts(Api(TOKEN, fake.repository, fake.url))([sha(1)]) == {sha(1): Account("user1", 1001)}


def test_bad_token_is_a_one_line_error_that_says_what_to_fix() -> None:
    with serve(FakeGitHub(pulls={7: pr_commits(1)})) as fake, pytest.raises(GateError, match="HTTP 401.*token"):
        list(Api("wrong", fake.repository, fake.url).pull_commits(7))


def test_unknown_pull_request_and_unreachable_server() -> None:
    with serve(FakeGitHub()) as fake, pytest.raises(GateError, match="HTTP 404.*GITHUB_REPOSITORY"):
        list(Api(TOKEN, fake.repository, fake.url).pull_commits(8))
    with pytest.raises(GateError, match="cannot reach the GitHub API"):
        Api(TOKEN, "o/r", "http://127.0.0.1:9").get("http://127.0.0.1:9/x")


def test_a_next_link_to_another_server_is_refused() -> None:
    fake = FakeGitHub(pulls={7: pr_commits(150)}, link_host="http://evil.example")
    with serve(fake), pytest.raises(GateError, match="another server"):
        list(Api(TOKEN, fake.repository, fake.url).pull_commits(7))
