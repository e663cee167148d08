"""A small GitHub REST client that writes: JSON in and out, every status kept, a timeout on each call.

`api.Api` only reads (and turns every failure into an error that stops the review); the pull-request
conversation must also create, edit and PUT, tell a 409 conflict from a 403 missing permission, and
go on without the comment when GitHub is slow or down. So every call returns a `Reply` or raises
`ApiError` carrying the HTTP status (0: no answer at all: refused, timed out, not JSON).

A token is optional (public repositories answer reads without one). Pagination follows the `Link`
header's `rel="next"` and never sends the token to another server. Each call waits at most
`CONTRIBUTION_GATE_API_TIMEOUT` seconds (default 30).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import GateError

DEFAULT_URL = "https://api.github.com"
DEFAULT_TIMEOUT = 30.0
TIMEOUT_VARIABLE = "CONTRIBUTION_GATE_API_TIMEOUT"
_NEXT = re.compile(r'<([^<>]{1,2000})>\s{0,10};\s{0,10}rel="?next"?')
_MAX_BODY = 32 * 1024 * 1024  # no answer we use is larger; a bigger one is refused, not read into memory


class ApiError(GateError):
    """A call that did not succeed: `status` is the HTTP status, 0 when GitHub never answered."""

    def __init__(self, message: str, status: int = 0, reply: Any = None) -> None:
        super().__init__(message)
        self.status, self.reply = status, reply


@dataclass(frozen=True)
class Reply:
    status: int
    data: Any
    next_url: str | None = None


def timeout_from(environ: Mapping[str, str]) -> float:
    """Seconds each call may take: CONTRIBUTION_GATE_API_TIMEOUT, else 30; a bad value is an error."""
    raw = environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise GateError(f"{TIMEOUT_VARIABLE}={raw[:20]!r}: give a number of seconds between 0 and 600")
    return seconds


class Client:
    """One repository on one GitHub server (GITHUB_API_URL, GitHub Enterprise Server too)."""

    def __init__(
        self, repository: str, token: str | None = None, url: str = DEFAULT_URL, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.repository, self.token, self.url, self.timeout = repository, token, url.rstrip("/"), timeout

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], repository: str, token: str | None = None) -> Client:
        token = token if token is not None else environ.get("GITHUB_TOKEN", "").strip() or None
        return cls(repository, token, environ.get("GITHUB_API_URL") or DEFAULT_URL, timeout_from(environ))

    def repo_path(self, tail: str, repository: str | None = None) -> str:
        """`/repos/OWNER/NAME/tail` for this client's repository (or another one)."""
        return f"/repos/{repository or self.repository}/{tail.lstrip('/')}"

    def request(self, method: str, path_or_url: str, body: Any = None, accept: str | None = None) -> Reply:
        """One call; a 2xx answer is a Reply, anything else an ApiError with its status."""
        import urllib.error  # only here: http.client and ssl cost a review that calls no API
        import urllib.request

        url = path_or_url if "://" in path_or_url else f"{self.url}{path_or_url}"
        if urlsplit(url)[:2] != urlsplit(self.url)[:2]:
            raise ApiError(f"GitHub sent a link to another server ({_shown(url)}): refusing to send the token there")
        headers = {
            "Accept": accept or "application/vnd.github+json",
            "User-Agent": "contribution-gate",
            "X-GitHub-Api-Version": "2022-11-28",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        what = f"{method} {urlsplit(url).path}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw, status, link = response.read(_MAX_BODY + 1), response.status, response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            reply = _decode(_read_error(exc))
            message = reply.get("message") if isinstance(reply, dict) else None
            detail = f": {str(message)[:200]}" if message else ""
            raise ApiError(f"{what}: HTTP {exc.code}{detail}", exc.code, reply) from None
        except TimeoutError:
            raise ApiError(f"{what}: no answer within {self.timeout:g} s ({TIMEOUT_VARIABLE} sets the limit)") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise ApiError(
                    f"{what}: no answer within {self.timeout:g} s ({TIMEOUT_VARIABLE} sets the limit)"
                ) from None
            raise ApiError(f"cannot reach the GitHub API at {self.url} ({reason}): check GITHUB_API_URL") from None
        if len(raw) > _MAX_BODY:
            raise ApiError(f"{what}: the answer is larger than {_MAX_BODY // (1024 * 1024)} MiB")
        decoded = _decode(raw) if raw.strip() else None
        if raw.strip() and decoded is None:
            raise ApiError(f"{what}: the answer is not JSON: check GITHUB_API_URL")
        found = _NEXT.search(link or "")
        return Reply(status, decoded, found.group(1) if found else None)

    def pages(self, path: str, limit: int = 100) -> Iterator[Any]:
        """Every item of a list, following `Link: <...>; rel="next"` (at most `limit` pages)."""
        url: str | None = path
        for _ in range(limit):
            if not url:
                return
            reply = self.request("GET", url)
            if not isinstance(reply.data, list):
                raise ApiError(f"GET {urlsplit(url).path}: expected a list, got {type(reply.data).__name__}")
            yield from reply.data
            url = reply.next_url
        if url:
            raise ApiError(f"GET {urlsplit(path).path}: more than {limit} pages")


def _read_error(exc: Any) -> bytes:
    try:
        return bytes(exc.read(64 * 1024))
    except OSError:
        return b""


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _shown(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def environ_token(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    return env.get("GITHUB_TOKEN", "").strip() or None
