"""deps.dev's v3 REST API, for the licenses of package versions no local source knows.

`GET /v3/systems/{system}/packages/{name}/versions/{version}` answers a version, whose `licenses`
are SPDX expressions ("non-standard" when the license has no SPDX id; empty when unknown; several
with no stated relation); `GET /v3/systems/{system}/packages/{name}` lists a package's versions
with the default one (`isDefault`) marked. Path parameters are percent-encoded whole (`@` and `/`
of npm scopes included). The base URL is `DEPS_DEV_API_URL` when set.

Each request has a timeout; a connection that fails marks the service down for the rest of the
review, so a machine without network waits once, not once per package.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

DEFAULT_URL = "https://api.deps.dev"
ENV = "DEPS_DEV_API_URL"
TIMEOUT = 10.0
_MAX_BODY = 16 << 20
OK, MISSING, FAILED = "ok", "missing", "failed"


@dataclass(frozen=True)
class Answer:
    """What one request gave: `status` ok, missing (404) or failed (with `why`)."""

    status: str
    value: Any = None
    why: str = ""


@dataclass
class Client:
    url: str = field(default_factory=lambda: os.environ.get(ENV, "").strip() or DEFAULT_URL)
    timeout: float = TIMEOUT
    down: str = ""  # why the service is not answering, once a connection failed

    def version(self, system: str, name: str, version: str, timeout: float | None = None) -> Answer:
        """The licenses of one version: Answer(ok, [expressions]) or missing or failed."""
        path = (
            f"/v3/systems/{quote(system, safe='')}/packages/{quote(name, safe='')}/versions/{quote(version, safe='')}"
        )
        answer = self._get(path, timeout)
        if answer.status != OK:
            return answer
        licenses = answer.value.get("licenses") if isinstance(answer.value, dict) else None
        if licenses is None:
            licenses = []
        if not isinstance(licenses, list) or not all(isinstance(x, str) for x in licenses):
            return Answer(FAILED, why="deps.dev answered a version without a list of licenses")
        return Answer(OK, [x.strip() for x in licenses if x.strip()][:20])

    def package(self, system: str, name: str, timeout: float | None = None) -> Answer:
        """A package's versions: Answer(ok, {"versions": [...], "default": version or None})."""
        answer = self._get(f"/v3/systems/{quote(system, safe='')}/packages/{quote(name, safe='')}", timeout)
        if answer.status != OK:
            return answer
        items = answer.value.get("versions") if isinstance(answer.value, dict) else None
        if not isinstance(items, list):
            return Answer(FAILED, why="deps.dev answered a package without a list of versions")
        versions: list[str] = []
        default = None
        for item in items:
            key = item.get("versionKey") if isinstance(item, dict) else None
            version = key.get("version") if isinstance(key, dict) else None
            if isinstance(version, str) and version:
                versions.append(version)
                if item.get("isDefault") is True:
                    default = version
        return Answer(OK, {"versions": versions, "default": default})

    def _get(self, path: str, timeout: float | None) -> Answer:
        import urllib.error
        import urllib.request

        if self.down:
            return Answer(FAILED, why=self.down)
        request = urllib.request.Request(
            self.url.rstrip("/") + path, headers={"Accept": "application/json", "User-Agent": "contribution-gate"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                body = response.read(_MAX_BODY + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return Answer(MISSING, why="deps.dev does not know this package version")
            return Answer(FAILED, why=f"deps.dev answered HTTP {exc.code}")
        except TimeoutError:
            self.down = f"deps.dev did not answer within {timeout or self.timeout:.1f} s"
            return Answer(FAILED, why=self.down)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            if isinstance(getattr(exc, "reason", None), TimeoutError):
                self.down = f"deps.dev did not answer within {timeout or self.timeout:.1f} s"
                return Answer(FAILED, why=self.down)
            reason = getattr(exc, "reason", exc)
            self.down = f"deps.dev cannot be reached at {self.url} ({reason})"
            return Answer(FAILED, why=self.down)
        if len(body) > _MAX_BODY:
            return Answer(FAILED, why="deps.dev's answer is larger than 16 MiB")
        try:
            return Answer(OK, json.loads(body))
        except (ValueError, RecursionError):
            return Answer(FAILED, why=f"deps.dev's answer is not JSON: check {ENV}")
