"""A local stand-in for deps.dev's v3 REST API: http.server on 127.0.0.1 in a thread.

It answers the two calls the licenses check makes, in the documented shapes
(https://docs.deps.dev/api/v3/, google/deps.dev api/v3/api.proto, JSON names in lowerCamelCase):

- GET /v3/systems/{system}/packages/{name} -> {"packageKey": {...}, "versions": [{"versionKey":
  {"system", "name", "version"}, "publishedAt", "isDefault", "isDeprecated"}]};
- GET /v3/systems/{system}/packages/{name}/versions/{version} -> {"versionKey": {...},
  "publishedAt", "isDefault", "isDeprecated", "licenses": [SPDX expressions or "non-standard"],
  "advisoryKeys", "links", "slsaProvenances", "attestations", "registries", "relatedProjects"};

with path parameters percent-encoded (`%40scope%2Fname`), 404 and deps.dev's error object for what
it does not know. Every request path is recorded; `delay` seconds are slept before each answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

SYSTEMS = {
    "npm": "NPM",
    "pypi": "PYPI",
    "go": "GO",
    "cargo": "CARGO",
    "maven": "MAVEN",
    "rubygems": "RUBYGEMS",
    "nuget": "NUGET",
}


@dataclass
class FakeDepsDev:
    # (system, name) -> {version: [licenses]}; the last version listed is the default one
    packages: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    delay: float = 0.0
    url: str = ""
    status: int = 200  # anything else: every request answers it

    def add(self, system: str, name: str, versions: dict[str, list[str]]) -> None:
        self.packages[(system, name)] = versions


def _version_object(system: str, name: str, version: str, default: bool, licenses: list[str]) -> dict[str, object]:
    return {
        "versionKey": {"system": SYSTEMS[system], "name": name, "version": version},
        "publishedAt": "2024-01-02T03:04:05Z",
        "isDefault": default,
        "isDeprecated": False,
        "licenses": licenses,
        "advisoryKeys": [],
        "links": [{"label": "SOURCE_REPO", "url": f"https://github.com/example/{name.replace('/', '-')}"}],
        "slsaProvenances": [],
        "attestations": [],
        "registries": [],
        "relatedProjects": [],
    }


def _handler(fake: FakeDepsDev) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def _send(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            fake.requests.append(self.path)
            if fake.delay:
                time.sleep(fake.delay)
            if fake.status != 200:
                self._send(fake.status, {"code": 14, "message": "unavailable", "details": []})
                return
            parts = self.path.split("?", 1)[0].split("/")
            # ['', 'v3', 'systems', system, 'packages', name(, 'versions', version)]
            if len(parts) not in (6, 8) or parts[1:3] != ["v3", "systems"] or parts[4] != "packages":
                self._send(404, {"code": 5, "message": "not found", "details": []})
                return
            system, name = unquote(parts[3]).lower(), unquote(parts[5])
            versions = fake.packages.get((system, name))
            if versions is None or system not in SYSTEMS:
                self._send(404, {"code": 5, "message": "package not found", "details": []})
                return
            default = list(versions)[-1]
            if len(parts) == 6:
                self._send(
                    200,
                    {
                        "packageKey": {"system": SYSTEMS[system], "name": name},
                        "versions": [
                            {
                                "versionKey": {"system": SYSTEMS[system], "name": name, "version": v},
                                "publishedAt": "2024-01-02T03:04:05Z",
                                "isDefault": v == default,
                                "isDeprecated": False,
                            }
                            for v in versions
                        ],
                    },
                )
                return
            version = unquote(parts[7])
            if parts[6] != "versions" or version not in versions:
                self._send(404, {"code": 5, "message": "version not found", "details": []})
                return
            self._send(200, _version_object(system, name, version, version == default, versions[version]))

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (its timeout, the review's budget) is not an error here."""


@contextmanager
def serve(fake: FakeDepsDev) -> Iterator[FakeDepsDev]:
    server = _Server(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
