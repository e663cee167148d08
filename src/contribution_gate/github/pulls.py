"""A pull request and its commits, from the REST API alone: what the signing job re-checks.

The signing job holds a write token, so it never fetches or checks out the contribution; it asks
GitHub instead. `GET /repos/{o}/{r}/pulls/{n}` gives the head, base and author;
`GET .../pulls/{n}/commits?per_page=100` every commit (all pages of the `Link` header) with its
author's email, message (for `Co-authored-by:`) and the account GitHub attributes it to. That list
stops at 250 commits: `Pull.complete` says whether it holds them all. Every field is checked for
GitHub's type and form before it is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Commit
from .api import Account, account_of
from .events import is_login, is_number, is_sha
from .rest import ApiError, Client

LISTED_LIMIT = 250  # GitHub lists at most this many commits of a pull request


@dataclass(frozen=True)
class Pull:
    number: int
    head: str
    base: str
    base_ref: str | None
    author: Account | None
    state: str
    commit_count: int | None


@dataclass(frozen=True)
class PullCommits:
    commits: tuple[Commit, ...]
    accounts: Mapping[str, Account | None]

    def lookup(self, shas: Any) -> dict[str, Account | None]:
        return {sha: self.accounts.get(sha) for sha in shas}


def pull(client: Client, number: int) -> Pull:
    data = client.request("GET", client.repo_path(f"pulls/{number}")).data
    if not isinstance(data, dict):
        raise ApiError(f"pull request #{number}: GitHub sent no pull request object")
    head, base = data.get("head") or {}, data.get("base") or {}
    if not isinstance(head, dict) or not isinstance(base, dict) or not is_sha(head.get("sha")):
        raise ApiError(f"pull request #{number}: no head commit in GitHub's answer")
    if not is_sha(base.get("sha")):
        raise ApiError(f"pull request #{number}: no base commit in GitHub's answer")
    user = data.get("user")
    author = None
    if isinstance(user, dict) and is_login(user.get("login")):
        author = Account(user["login"], user["id"] if is_number(user.get("id")) else None)
    ref = base.get("ref")
    count = data.get("commits")
    return Pull(
        number,
        head["sha"],
        base["sha"],
        ref if isinstance(ref, str) and len(ref) <= 255 and ref.isprintable() else None,
        author,
        str(data.get("state") or "open"),
        count if is_number(count) else None,
    )


def commits(client: Client, number: int) -> PullCommits:
    """Every commit the API lists for the pull request, oldest first, with its account."""
    listed: list[Commit] = []
    accounts: dict[str, Account | None] = {}
    for item in client.pages(client.repo_path(f"pulls/{number}/commits?per_page=100")):
        commit = _commit(item)
        if commit is None:
            raise ApiError(f"pull request #{number}: a listed commit is not in GitHub's shape")
        listed.append(commit)
        accounts[commit.sha] = account_of(item)
    return PullCommits(tuple(listed), accounts)


def _commit(item: Any) -> Commit | None:
    if not isinstance(item, dict) or not is_sha(item.get("sha")):
        return None
    inner = item.get("commit")
    parents = item.get("parents")
    if not isinstance(inner, dict) or not isinstance(parents, list):
        return None
    author, committer = inner.get("author") or {}, inner.get("committer") or {}
    message = inner.get("message")
    if not isinstance(author, dict) or not isinstance(committer, dict) or not isinstance(message, str):
        return None
    shas = tuple(p.get("sha") for p in parents if isinstance(p, dict))
    if not all(is_sha(s) for s in shas):
        return None
    return Commit(
        item["sha"],
        tuple(str(s) for s in shas),
        _text(author.get("name")),
        _text(author.get("email")),
        _text(committer.get("name")),
        _text(committer.get("email")),
        message,
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
