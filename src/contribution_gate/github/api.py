"""The GitHub REST API, only for what git cannot say: which account a commit belongs to.

Used only when GITHUB_TOKEN is set. GITHUB_API_URL names the server as Actions sets it (GitHub
Enterprise Server too); GITHUB_REPOSITORY (or the event's repository) names the repository.
A pull request's commits are listed with full pagination (the `Link` header's `rel="next"`, 100 per
page); that endpoint stops at 250 commits, so any commit it did not list is asked for on its own.
Every failure is a GateError that says what to fix, so the review fails closed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import GateError

DEFAULT_URL = "https://api.github.com"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_TIMEOUT = 30


@dataclass(frozen=True, slots=True)
class Account:
    """The GitHub account a commit is attributed to, and whether GitHub verified its signature."""

    login: str
    id: int | None = None
    type: str = "User"
    verified: bool = False


class Api:
    """A token-authenticated client for one repository."""

    def __init__(self, token: str, repository: str, url: str = DEFAULT_URL) -> None:
        self.token, self.repository, self.url = token, repository, url.rstrip("/")

    def get(self, url: str) -> tuple[Any, str | None]:
        """One GET: the decoded JSON and the next page's URL, if any."""
        import urllib.error  # only here: http.client and ssl cost a review that calls no API
        import urllib.request

        if urlsplit(url)[:2] != urlsplit(self.url)[:2]:
            raise GateError(
                f"the GitHub API sent a next page on another server ({url}): refusing to send the token there"
            )
        request = urllib.request.Request(
            url,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.token}",
                "User-Agent": "contribution-gate",
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                body, link = response.read(), response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise GateError(f"GitHub API {_path(url)}: HTTP {exc.code} {exc.reason}: {_hint(exc.code)}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GateError(
                f"cannot reach the GitHub API at {self.url} ({reason}): check GITHUB_API_URL and the network"
            ) from None
        try:
            data = json.loads(body)
        except ValueError:
            raise GateError(f"GitHub API {_path(url)}: the answer is not JSON: check GITHUB_API_URL") from None
        found = _NEXT.search(link or "")
        return data, (found.group(1) if found else None)

    def pages(self, path: str) -> Iterator[Any]:
        """Every item of a paginated list, following `Link: <...>; rel="next"` to the end."""
        url: str | None = f"{self.url}{path}"
        while url:
            data, url = self.get(url)
            if not isinstance(data, list):
                raise GateError(f"GitHub API {path}: expected a list, got {type(data).__name__}")
            yield from data

    def pull_commits(self, number: int) -> Iterator[dict[str, Any]]:
        yield from self.pages(f"/repos/{quote(self.repository)}/pulls/{number}/commits?per_page=100")

    def commit(self, sha: str) -> dict[str, Any]:
        data, _ = self.get(f"{self.url}/repos/{quote(self.repository)}/commits/{quote(sha)}")
        return data if isinstance(data, dict) else {}


def _path(url: str) -> str:
    return urlsplit(url).path


def _hint(code: int) -> str:
    if code in (401, 403):
        return "the token is missing, expired or lacks read access to the repository (permissions: contents: read, pull-requests: read)"
    if code == 404:
        return "check GITHUB_REPOSITORY and the pull request number, and that the token can read the repository"
    if code == 429:
        return "rate limited: try again later"
    return "try again; if it persists, run without GITHUB_TOKEN (emails are then matched offline)"


def account_of(item: Mapping[str, Any]) -> Account | None:
    """The account of a commit object of the REST API (None: no account has the author's email)."""
    author = item.get("author")
    if not isinstance(author, dict) or not isinstance(author.get("login"), str):
        return None
    verification = (item.get("commit") or {}).get("verification") or {}
    account = author.get("id")
    return Account(
        author["login"],
        account if isinstance(account, int) else None,
        str(author.get("type") or "User"),
        bool(verification.get("verified")),
    )


class CommitAccounts:
    """sha -> Account lookups for the cla check, fetched lazily and remembered.

    With a pull request number the pull request's commits are listed once (all pages); commits it
    does not list (beyond its 250) are fetched one by one.
    """

    def __init__(self, api: Api, pull_request: int | None = None) -> None:
        self.api, self.pull_request = api, pull_request
        self.known: dict[str, Account | None] = {}
        self._listed = False

    def __call__(self, shas: Sequence[str]) -> dict[str, Account | None]:
        wanted = [s for s in shas if s not in self.known]
        if wanted and self.pull_request is not None and not self._listed:
            self._listed = True
            for item in self.api.pull_commits(self.pull_request):
                if isinstance(item, dict) and isinstance(item.get("sha"), str):
                    self.known[item["sha"]] = account_of(item)
        for sha in wanted:
            if sha not in self.known:
                self.known[sha] = account_of(self.api.commit(sha))
        return {sha: self.known.get(sha) for sha in shas}
