"""One file of a repository read and written through the contents API, without git.

`GET /repos/{o}/{r}/contents/{path}?ref=BRANCH` gives the file's text (base64) and its blob `sha`;
`PUT` the same path with the new content, that `sha` and the branch makes a commit. GitHub refuses a
PUT whose `sha` is no longer the file's (409 "is at X but expected Y"; a file created meanwhile
answers 422 "sha wasn't supplied"), so `update` re-reads and applies the change again until it goes
through: two writers never overwrite each other, and nothing is lost.
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from .rest import ApiError, Client

RETRY_SECONDS = 120.0  # how long `update` keeps retrying conflicts before it gives up
_CONFLICTS = (409,)


@dataclass(frozen=True)
class Snapshot:
    text: str | None  # None: the file does not exist (yet)
    sha: str | None


class ContentsFile:
    def __init__(self, client: Client, repository: str, path: str, branch: str | None = None) -> None:
        self.client, self.repository, self.path, self.branch = client, repository, path.strip("/"), branch

    @property
    def name(self) -> str:
        return f"{self.repository}:{self.path}" + (f"@{self.branch}" if self.branch else "")

    def _url(self) -> str:
        return self.client.repo_path(f"contents/{quote(self.path)}", self.repository)

    def read(self) -> Snapshot:
        url = self._url() + (f"?ref={quote(self.branch, safe='')}" if self.branch else "")
        try:
            data = self.client.request("GET", url).data
        except ApiError as exc:
            if exc.status == 404:
                return Snapshot(None, None)
            raise
        if not isinstance(data, dict) or data.get("type") != "file" or not isinstance(data.get("sha"), str):
            raise ApiError(f"{self.name} is not a file")
        content, sha = data.get("content"), data["sha"]
        if data.get("encoding") == "base64" and isinstance(content, str):
            raw = base64.b64decode(content)
        else:  # 1-100 MB: the contents API leaves the content out; the blob has it
            blob = self.client.request("GET", self.client.repo_path(f"git/blobs/{sha}", self.repository)).data
            if not isinstance(blob, dict) or not isinstance(blob.get("content"), str):
                raise ApiError(f"{self.name}: GitHub sent no content")
            raw = base64.b64decode(blob["content"])
        try:
            return Snapshot(raw.decode("utf-8"), sha)
        except UnicodeDecodeError:
            raise ApiError(f"{self.name} is not UTF-8 text") from None

    def write(self, text: str, sha: str | None, message: str) -> None:
        body = {"message": message, "content": base64.b64encode(text.encode("utf-8")).decode("ascii")}
        if sha:
            body["sha"] = sha
        if self.branch:
            body["branch"] = self.branch
        self.client.request("PUT", self._url(), body)

    def update(
        self, change: Callable[[str], str | None], message: str, retry_seconds: float = RETRY_SECONDS
    ) -> str | None:
        """Apply `change` (current text -> new text, None: nothing to write) until GitHub takes it.

        Returns the text written, or None when `change` wanted no write."""
        deadline = time.monotonic() + retry_seconds
        pause = 0.05
        while True:
            current = self.read()
            updated = change(current.text or "")
            if updated is None:
                return None
            try:
                self.write(updated, current.sha, message)
                return updated
            except ApiError as exc:
                if not _is_conflict(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(random.uniform(0, pause))  # jitter, not a secret
            pause = min(pause * 2, 2.0)


def _is_conflict(exc: ApiError) -> bool:
    if exc.status in _CONFLICTS:
        return True
    message = exc.reply.get("message") if isinstance(exc.reply, dict) else None
    return exc.status == 422 and isinstance(message, str) and "sha" in message
