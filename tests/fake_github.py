"""A local stand-in for the GitHub REST API: http.server on 127.0.0.1 in a thread.

It answers what the gate asks, in the documented shapes (docs.github.com/rest):
- GET /repos/{owner}/{repo}/pulls/{number}/commits?per_page=&page= : the pull request's commits,
  oldest first, paginated with a `Link` header (rel="next", "last", "first", "prev"), and like
  GitHub at most 250 commits in all;
- GET /repos/{owner}/{repo}/commits/{sha} : one commit (422 when it does not exist);
- GET /repos/{owner}/{repo}/pulls/{number} : the pull request (head, base, user, commits count);
- GET /repos/{owner}/{repo}/issues/{number}/comments (paginated like the commits), POST the same
  path {"body"} -> 201, PATCH /repos/{owner}/{repo}/issues/comments/{id} {"body"} -> 200: comments
  the token writes are by `github-actions[bot]` (type "Bot");
- POST /repos/{owner}/{repo}/statuses/{sha} {"state", "context", "description", "target_url"} -> 201
  (422 for a state GitHub does not know or a description over 140 characters);
- GET /repos/{owner}/{repo}/contents/{path}?ref=BRANCH -> {"type": "file", "encoding": "base64",
  "content", "sha", ...} or 404; PUT {"message", "content", "sha", "branch"} -> 201 (created) or 200,
  409 when `sha` is not the file's current blob sha, 422 when the file exists and no sha is given;
and 401 without the expected `Authorization: Bearer` token (reads of `public` repositories need
none), 403 "Resource not accessible by integration" for what `denied` lists (`comments`,
`statuses`, `contents`, `pulls`), and an answer held back past the client's timeout for what `hang`
lists. Every request is recorded as "METHOD path" in `calls` (GETs also as the path in `requests`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import threading
import time
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
    pull_objects: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)  # every status posted, with its "sha"
    files: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (repo, branch, path) -> text
    default_branch: str = "main"
    public: set[str] = field(default_factory=set)  # repositories readable without a token
    denied: set[str] = field(default_factory=set)
    hang: set[str] = field(default_factory=set)
    hang_seconds: float = 5.0
    stale_reads: int = 0  # this many first contents reads answer the files as they were at start (forces conflicts)
    conflicts: int = 0
    calls: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    initial_files: dict[tuple[str, str, str], str] = field(default_factory=dict)
    next_id: int = 1000
    me: str | None = None
    edits: int = 0  # GET /user: the token's person (None: 403, as for GITHUB_TOKEN)

    def status_of(self, sha: str, context: str) -> str | None:
        """The state GitHub shows for `context` on `sha`: the latest posted."""
        states = [s["state"] for s in self.statuses if s["sha"] == sha and s["context"] == context]
        return states[-1] if states else None

    def sticky(self, number: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.get(number, []) if c["user"]["type"] == "Bot"]


def blob_sha(text: str) -> str:
    """The git blob sha of `text`, as the contents API gives it."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's object name, not a secret


def pull_object(
    number: int, base: str, head: str, author: tuple[str, int] = ("monalisa", 7), commits: int = 1
) -> dict[str, Any]:
    """A pull request as GET /repos/{o}/{r}/pulls/{n} returns it (the fields the gate reads, and a few more)."""
    return {
        "number": number,
        "state": "open",
        "title": "A change",
        "user": {"login": author[0], "id": author[1], "type": "User"},
        "author_association": "CONTRIBUTOR",
        "head": {"sha": head, "ref": "topic", "label": f"{author[0]}:topic"},
        "base": {"sha": base, "ref": "main", "label": "octo-org:main"},
        "commits": commits,
    }


def human_comment(comment_id: int, login: str, body: str, account: int = 99) -> dict[str, Any]:
    return {
        "id": comment_id,
        "body": body,
        "user": {"login": login, "id": account, "type": "User"},
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
    }


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
        self.api.requests.append(self.path)
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PATCH(self) -> None:
        self._route("PATCH")

    def do_PUT(self) -> None:
        self._route("PUT")

    def _route(self, method: str) -> None:
        api = self.api
        api.calls.append(f"{method} {self.path}")
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        segments = parts.path.strip("/").split("/")
        if method == "GET" and segments == ["user"]:
            if api.me is None:
                return self._send(403, {"message": "Resource not accessible by integration"})
            return self._send(200, {"login": api.me, "id": 77, "type": "User"})
        if len(segments) < 4 or segments[0] != "repos":
            return self._send(404, {"message": "Not Found"})
        repository = "/".join(segments[1:3])
        rest = segments[3:]
        kind = _kind(method, rest)
        authorised = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        if not authorised and not (method == "GET" and repository in api.public):
            return self._send(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
        if kind in api.hang:
            time.sleep(api.hang_seconds)
        if kind in api.denied:
            return self._send(
                403,
                {
                    "message": "Resource not accessible by integration",
                    "documentation_url": "https://docs.github.com/rest",
                },
            )
        if rest and rest[0] == "contents":
            return self._contents(method, repository, "/".join(rest[1:]), query)
        if repository != api.repository:
            return self._send(404, {"message": "Not Found"})
        body = self._body() if method in ("POST", "PATCH", "PUT") else None
        if (
            method == "GET"
            and len(rest) == 3
            and rest[0] == "pulls"
            and rest[2] == "commits"
            and int(rest[1]) in api.pulls
        ):
            return self._page(api.pulls[int(rest[1])][:PR_COMMITS_LIMIT], parts.path, query)
        if method == "GET" and len(rest) == 2 and rest[0] == "pulls" and int(rest[1]) in api.pull_objects:
            return self._send(200, api.pull_objects[int(rest[1])])
        if method == "GET" and len(rest) == 2 and rest[0] == "commits":
            found = api.commits.get(rest[1])
            if found is None:
                return self._send(422, {"message": f"No commit found for SHA: {rest[1]}"})
            return self._send(200, found)
        if len(rest) == 3 and rest[0] == "issues" and rest[2] == "comments" and rest[1].isdigit():
            listed = api.comments.setdefault(int(rest[1]), [])
            if method == "GET":
                return self._page(listed, parts.path, query)
            if method == "POST" and isinstance(body, dict) and isinstance(body.get("body"), str):
                with api.lock:
                    api.next_id += 1
                    made = {
                        "id": api.next_id,
                        "body": body["body"],
                        "user": (
                            {"login": api.me, "id": 77, "type": "User"}
                            if api.me
                            else {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
                        ),
                        "created_at": "2025-01-01T00:00:00Z",
                        "updated_at": "2025-01-01T00:00:00Z",
                        "html_url": f"https://github.com/{repository}/pull/{rest[1]}#issuecomment-{api.next_id}",
                    }
                    listed.append(made)
                return self._send(201, made)
        if method == "PATCH" and len(rest) == 3 and rest[:2] == ["issues", "comments"] and rest[2].isdigit():
            api.edits += 1
            for listed in api.comments.values():
                for comment in listed:
                    if comment["id"] == int(rest[2]) and isinstance(body, dict) and isinstance(body.get("body"), str):
                        comment["body"] = body["body"]
                        comment["updated_at"] = "2025-01-02T00:00:00Z"
                        return self._send(200, comment)
            return self._send(404, {"message": "Not Found"})
        if method == "POST" and len(rest) == 2 and rest[0] == "statuses":
            if not isinstance(body, dict) or body.get("state") not in ("error", "failure", "pending", "success"):
                return self._send(422, {"message": "Validation Failed", "errors": [{"field": "state"}]})
            if len(str(body.get("description") or "")) > 140:
                return self._send(422, {"message": "Validation Failed", "errors": [{"field": "description"}]})
            posted = {
                "sha": rest[1],
                "state": body["state"],
                "context": body.get("context") or "default",
                "description": body.get("description"),
                "target_url": body.get("target_url"),
            }
            api.statuses.append(posted)
            return self._send(201, {"id": len(api.statuses), **posted})
        return self._send(404, {"message": "Not Found"})

    def _page(self, listed: list[Any], path: str, query: dict[str, list[str]]) -> None:
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(listed) // per_page))
        links = []
        host = self.api.link_host or f"http://{self.headers['Host']}"
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", last), ("first", 1)):
            if 1 <= number <= last and not (rel in ("last", "first") and number == page):
                links.append(f'<{host}{path}?per_page={per_page}&page={number}>; rel="{rel}"')
        return self._send(200, listed[(page - 1) * per_page : page * per_page], ", ".join(links))

    def _contents(self, method: str, repository: str, path: str, query: dict[str, list[str]]) -> None:
        api = self.api
        if method == "GET":
            branch = query.get("ref", [api.default_branch])[0]
            key = (repository, branch, path)
            with api.lock:  # a stale replica, as GitHub's may answer: every early reader gets the same sha
                stale = api.stale_reads > 0
                api.stale_reads -= stale
                text = (api.initial_files if stale else api.files).get(key)
            if text is None:
                return self._send(404, {"message": "Not Found"})
            encoded = base64.encodebytes(text.encode("utf-8")).decode("ascii")  # GitHub wraps it at 60
            return self._send(
                200,
                {
                    "type": "file",
                    "encoding": "base64",
                    "size": len(text.encode("utf-8")),
                    "name": path.rsplit("/", 1)[-1],
                    "path": path,
                    "content": encoded,
                    "sha": blob_sha(text),
                },
            )
        if method != "PUT":
            return self._send(404, {"message": "Not Found"})
        body = self._body()
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("message"), str)
            or not isinstance(body.get("content"), str)
        ):
            return self._send(422, {"message": 'Invalid request.\n\n"message", "content" weren\'t supplied.'})
        branch = str(body.get("branch") or api.default_branch)
        key = (repository, branch, path)
        with api.lock:
            current = api.files.get(key)
            if current is not None and "sha" not in body:
                api.conflicts += 1
                return self._send(422, {"message": 'Invalid request.\n\n"sha" wasn\'t supplied.'})
            if current is not None and body["sha"] != blob_sha(current):
                api.conflicts += 1
                return self._send(409, {"message": f"{path} does not match {body['sha']}"})
            api.files[key] = base64.b64decode(body["content"]).decode("utf-8")
            sha = blob_sha(api.files[key])
        return self._send(
            201 if current is None else 200,
            {"content": {"name": path.rsplit("/", 1)[-1], "path": path, "sha": sha}, "commit": {"sha": "0" * 40}},
        )

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length)) if length else None
        except ValueError:
            return None

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
    api.initial_files = dict(api.files)
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


def _kind(method: str, rest: list[str]) -> str:
    """Which permission a call needs, for `denied` and `hang`."""
    if rest and rest[0] == "contents":
        return "contents" if method == "PUT" else "contents-read"
    if rest and rest[0] == "statuses":
        return "statuses"
    if rest and rest[0] == "issues":
        return "comments" if method != "GET" else "comments-read"
    return "pulls"
