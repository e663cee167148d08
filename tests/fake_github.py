"""A local stand-in for the GitHub REST API: http.server on 127.0.0.1 in a thread.

It answers what the cla check asks, in the documented shapes:
- GET /repos/{owner}/{repo}/pulls/{number}/commits?per_page=&page= : the pull request's commits,
  oldest first, paginated with a `Link` header (rel="next", "last", "first", "prev"), and like
  GitHub at most 250 commits in all;
- GET /repos/{owner}/{repo}/commits/{sha} : one commit (422 when it does not exist);
and 401 without the expected `Authorization: Bearer` token. Every request is recorded.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "test-token-for-the-local-api"
PR_COMMITS_LIMIT = 250


@dataclass
class FakeGitHub:
    repository: str = "octo-org/project"
    pulls: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    commits: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    url: str = ""
    link_host: str | None = None  # to send a next page to another host


def commit_object(
    sha: str,
    parents: list[str],
    author: tuple[str, str],
    committer: tuple[str, str],
    message: str,
    account: Mapping[str, Any] | None,
    verified: bool = False,
) -> dict[str, Any]:
    """A commit as the REST API returns it (the fields the check reads, and a few more)."""
    person = dict(account.items()) if account else None
    if person is not None:
        person.setdefault("type", "User")
        person.setdefault("site_admin", False)
    return {
        "sha": sha,
        "node_id": "C_" + sha[:10],
        "commit": {
            "author": {"name": author[0], "email": author[1], "date": "2024-01-01T00:00:00Z"},
            "committer": {"name": committer[0], "email": committer[1], "date": "2024-01-01T00:00:00Z"},
            "message": message,
            "verification": {
                "verified": verified,
                "reason": "valid" if verified else "unsigned",
                "signature": None,
                "payload": None,
            },
        },
        "url": f"https://api.github.com/repos/o/r/commits/{sha}",
        "author": person,
        "committer": None,
        "parents": [{"sha": p} for p in parents],
    }


def from_repository(
    root: Path, revs: str, accounts: Mapping[str, Mapping[str, Any] | None], verified: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """API commit objects for `git log revs` of a real repository; `accounts` maps author emails."""
    out = subprocess.run(
        ["git", "log", "--reverse", "--topo-order", "--format=%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e", revs],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    objects = []
    for record in filter(str.strip, out.split("\x1e")):
        sha, parents, an, ae, cn, ce, message = record.lstrip("\n").split("\x00")
        objects.append(
            commit_object(sha, parents.split(), (an, ae), (cn, ce), message, accounts.get(ae), ae in verified)
        )
    return objects


class _Handler(BaseHTTPRequestHandler):
    api: FakeGitHub

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:  # http.server's name
        api = self.api
        api.requests.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        segments = parts.path.strip("/").split("/")
        prefix = ["repos", *api.repository.split("/")]
        if segments[:3] != prefix:
            return self._send(404, {"message": "Not Found"})
        rest = segments[3:]
        if len(rest) == 3 and rest[0] == "pulls" and rest[2] == "commits" and int(rest[1]) in api.pulls:
            listed = api.pulls[int(rest[1])][:PR_COMMITS_LIMIT]
            per_page = min(int(query.get("per_page", ["30"])[0]), 100)
            page = int(query.get("page", ["1"])[0])
            last = max(1, -(-len(listed) // per_page))
            links = []
            host = api.link_host or f"http://{self.headers['Host']}"
            for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
                if 1 <= number <= last and not (rel in ("last", "first") and number == page):
                    links.append(f'<{host}{parts.path}?per_page={per_page}&page={number}>; rel="{rel}"')
            return self._send(200, listed[(page - 1) * per_page : page * per_page], ", ".join(links))
        if len(rest) == 2 and rest[0] == "commits":
            found = api.commits.get(rest[1])
            if found is None:
                return self._send(422, {"message": f"No commit found for SHA: {rest[1]}"})
            return self._send(200, found)
        return self._send(404, {"message": "Not Found"})

    def _send(self, status: int, body: Any, link: str = "") -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if link:
            self.send_header("Link", link)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve(api: FakeGitHub) -> Iterator[FakeGitHub]:
    """Run the fake API on a free port of 127.0.0.1; `api.url` is its base URL."""
    handler = type("Handler", (_Handler,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
