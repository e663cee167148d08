"""Helpers of the audit tests: fixture repositories with findings, reviewers that misbehave on
purpose (killed mid-unit, slow), and a local GitHub REST API listing an organisation's repositories.

Module-level classes, so that forked, spawned and Ray workers can unpickle them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tokens import aws_access_key_id, github_token, secret_line

from contribution_gate.audit.reviewer import Reviewer, ReviewerArgs
from contribution_gate.audit.units import Unit

TOKEN = "audit-test-api-token"


def fill(repo: Any, n: int) -> None:
    """Commits with findings of several checks: a token, an internal address, a clean file."""
    repo.commit_files("first", {"README.md": f"# project {n}\n", "src/app.py": "def main():\n    return 0\n"})
    repo.commit_files("config", {"settings.py": secret_line("TOKEN", github_token())})
    if n % 2:
        deploy = "curl http://10.1.2.3:8080/admin\n"  # contribution-gate: allow[internal-urls] (the fixture's finding)
        repo.commit_files("deploy", {"deploy.sh": deploy})
    repo.commit_files("more", {f"mod{n}.py": secret_line("AWS_ACCESS_KEY_ID", aws_access_key_id())})


def comparable(findings: list[dict[str, Any]]) -> list[str]:
    """Findings as sorted JSON lines, without the `repo` the audit adds."""
    return sorted(json.dumps({k: v for k, v in f.items() if k != "repo"}, sort_keys=True) for f in findings)


def without_times(merged: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in merged.items() if k not in ("started", "finished")}


class KillOnce:
    """A reviewer factory whose reviewer SIGKILLs its own process on the first attempt of one
    repository's unit (a marker file says it already did)."""

    def __init__(self, slug: str, marker: Path, delay: float = 0.0) -> None:
        self.slug, self.marker, self.delay = slug, marker, delay

    def __call__(self, args: ReviewerArgs) -> Reviewer:
        return _Killing(args, self)


class _Killing(Reviewer):
    def __init__(self, args: ReviewerArgs, plan: KillOnce) -> None:
        super().__init__(args)
        self.plan = plan

    def run(self, unit: Unit, attempt: int = 1) -> dict[str, Any]:
        if unit.slug == self.plan.slug and not self.plan.marker.exists():
            self.plan.marker.write_text(f"{os.getpid()}\n")
            (Path(os.environ.get("TMPDIR", "/tmp")) / "half-written.tmp").write_text("x")  # what a kill leaves
            time.sleep(self.plan.delay)
            os.kill(os.getpid(), signal.SIGKILL)
        return super().run(unit, attempt)


class Slow:
    """A reviewer factory whose reviews take `seconds` longer."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, args: ReviewerArgs) -> Reviewer:
        return _Slow(args, self.seconds)


class _Slow(Reviewer):
    def __init__(self, args: ReviewerArgs, seconds: float) -> None:
        super().__init__(args)
        self.seconds = seconds

    def run(self, unit: Unit, attempt: int = 1) -> dict[str, Any]:
        time.sleep(self.seconds)
        return super().run(unit, attempt)


def run_slow_driver(out: str, seconds: float, *targets: str) -> None:
    """`python -c` entry of the driver-killed test: an audit whose units take `seconds` more."""
    from contribution_gate.audit.driver import Options, run

    run(Options(tuple(targets), Path(out), workers=1, checks=("secrets",)), factory=Slow(seconds))


# -- a local GitHub REST API -------------------------------------------------------------------


@contextmanager
def github_org(repos: list[dict[str, Any]], per_page: int = 2) -> Iterator[tuple[str, list[str]]]:
    """Serve GET /orgs/{org}/repos like GitHub: pages of `per_page` with a Link header, 401 without
    the token. Yields the API's URL and the list of request paths."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            parts = urlsplit(self.path)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._send(401, {"message": "Bad credentials"})
            segments = parts.path.strip("/").split("/")
            if len(segments) != 3 or segments[0] != "orgs" or segments[2] != "repos":
                return self._send(404, {"message": "Not Found"})
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            chunk = repos[(page - 1) * per_page : page * per_page]
            last = max(1, -(-len(repos) // per_page))
            link = None
            if page < last:
                base = f"http://{self.headers['Host']}{parts.path}?type=all&per_page={per_page}"
                link = f'<{base}&page={page + 1}>; rel="next", <{base}&page={last}>; rel="last"'
            return self._send(200, chunk, link)

        def _send(self, code: int, body: Any, link: str | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            if link:
                self.send_header("Link", link)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def api_repo(name: str, clone_url: str, **flags: Any) -> dict[str, Any]:
    """A repository object as `GET /orgs/{org}/repos` returns it (the fields the audit reads, and some more)."""
    return {
        "id": abs(hash(name)) % 10**8,
        "name": name.split("/")[-1],
        "full_name": name,
        "private": False,
        "fork": flags.get("fork", False),
        "archived": flags.get("archived", False),
        "disabled": False,
        "clone_url": clone_url,
        "default_branch": "main",
        "size": flags.get("size", 10),
    }


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)  # ^C is KeyboardInterrupt, even if the parent ignored it
    run_slow_driver(sys.argv[1], float(sys.argv[2]), *sys.argv[3:])
