"""Local stand-ins for the APIs `--verify` asks: http.server on 127.0.0.1 in a thread, one per
provider, answering in each provider's documented shapes.

Each stand-in knows the one call its provider documents for checking a credential (method, path,
where the credential goes) and answers like the provider: the documented success body for a live
credential, the documented refusal (status and body) for any other, a 404 for any other path.
Every request is recorded (method, path, headers, body) so tests can assert what arrived.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Credential = Callable[[Seen], str | None]  # where the provider reads the credential from a request
Answer = tuple[int, Any]


@dataclass(frozen=True)
class Api:
    """One provider's documented check: method and path, where the credential is, the answers."""

    key: str
    method: str
    path: str
    credential: Credential
    live: Callable[[], Answer]
    refused: Callable[[], Answer]
    content_type: str = "application/json"


def bearer(seen: Seen) -> str | None:
    value = seen.headers.get("authorization", "")
    return value[len("Bearer ") :] if value.startswith("Bearer ") else None


def header(name: str) -> Credential:
    return lambda seen: seen.headers.get(name.lower())


def _aws_key_id(seen: Seen) -> str | None:
    """SigV4: `AWS4-HMAC-SHA256 Credential=<key id>/<day>/<region>/sts/aws4_request, SignedHeaders=...,
    Signature=<64 hex>`, over a form body asking GetCallerIdentity."""
    found = re.fullmatch(
        r"AWS4-HMAC-SHA256 Credential=([A-Z0-9]{20})/\d{8}/us-east-1/sts/aws4_request, "
        r"SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}",
        seen.headers.get("authorization", ""),
    )
    if found is None or seen.body != b"Action=GetCallerIdentity&Version=2011-06-15":
        return None
    if not {"host", "x-amz-date"} <= set(found.group(2).split(";")):
        return None
    return found.group(1)


_AWS_OK = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""
_AWS_REFUSED = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>
  <Message>The security token included in the request is invalid.</Message></Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>"""

_OPENAI_REFUSED = {
    "error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}
}
_MODELS = {
    "object": "list",
    "data": [{"id": "model-1", "object": "model", "created": 1700000000, "owned_by": "system"}],
}

APIS: dict[str, Api] = {
    "github": Api(
        "github",
        "GET",
        "/user",
        bearer,
        lambda: (200, {"login": "octocat", "id": 1, "type": "User"}),
        lambda: (
            401,
            {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"},
        ),
    ),
    "gitlab": Api(
        "gitlab",
        "GET",
        "/api/v4/personal_access_tokens/self",
        header("PRIVATE-TOKEN"),
        lambda: (200, {"id": 4, "name": "ci", "revoked": False, "active": True, "scopes": ["read_api"], "user_id": 3}),
        lambda: (401, {"message": "401 Unauthorized"}),
    ),
    "slack": Api(
        "slack",
        "POST",
        "/api/auth.test",
        bearer,
        lambda: (
            200,
            {
                "ok": True,
                "url": "https://team.slack.com/",
                "team": "Team",
                "user": "bot",
                "team_id": "T1",
                "user_id": "U1",
            },
        ),
        lambda: (200, {"ok": False, "error": "invalid_auth"}),
    ),
    "openai": Api("openai", "GET", "/v1/models", bearer, lambda: (200, _MODELS), lambda: (401, _OPENAI_REFUSED)),
    "anthropic": Api(
        "anthropic",
        "GET",
        "/v1/models",
        header("x-api-key"),
        lambda: (
            200,
            {
                "data": [
                    {"type": "model", "id": "claude-x", "display_name": "Claude", "created_at": "2025-01-01T00:00:00Z"}
                ],
                "has_more": False,
                "first_id": "claude-x",
                "last_id": "claude-x",
            },
        ),
        lambda: (401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
    ),
    "huggingface": Api(
        "huggingface",
        "GET",
        "/api/whoami-v2",
        bearer,
        lambda: (200, {"type": "user", "id": "62f264b9", "name": "someone", "auth": {"type": "access_token"}}),
        lambda: (401, {"error": "Invalid credentials in Authorization header"}),
    ),
    "npm": Api(
        "npm",
        "GET",
        "/-/whoami",
        bearer,
        lambda: (200, {"username": "someone"}),
        lambda: (401, {"error": "Unauthorized"}),
    ),
    "stripe": Api(
        "stripe",
        "GET",
        "/v1/balance",
        bearer,
        lambda: (
            200,
            {"object": "balance", "available": [{"amount": 0, "currency": "usd"}], "livemode": True, "pending": []},
        ),
        lambda: (401, {"error": {"message": "Invalid API Key provided.", "type": "invalid_request_error"}}),
    ),
    "aws": Api(
        "aws",
        "POST",
        "/",
        _aws_key_id,
        lambda: (200, _AWS_OK),
        lambda: (403, _AWS_REFUSED),
        "text/xml",
    ),
    "google": Api(
        "google",
        "GET",
        "/v1beta/models",
        header("x-goog-api-key"),
        lambda: (200, {"models": [{"name": "models/gemini-x", "displayName": "Gemini"}]}),
        lambda: (
            400,
            {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "API_KEY_INVALID",
                            "domain": "googleapis.com",
                        }
                    ],
                }
            },
        ),
    ),
    "groq": Api("groq", "GET", "/openai/v1/models", bearer, lambda: (200, _MODELS), lambda: (401, _OPENAI_REFUSED)),
    "mistral": Api(
        "mistral",
        "GET",
        "/v1/models",
        bearer,
        lambda: (200, _MODELS),
        lambda: (401, {"message": "Unauthorized", "request_id": "r1"}),
    ),
    "xai": Api(
        "xai",
        "GET",
        "/v1/api-key",
        bearer,
        lambda: (200, {"name": "k", "api_key_blocked": False, "api_key_disabled": False, "team_blocked": False}),
        lambda: (401, {"code": "Client specified an invalid argument", "error": "Incorrect API key provided"}),
    ),
    "openrouter": Api(
        "openrouter",
        "GET",
        "/api/v1/key",
        bearer,
        lambda: (200, {"data": {"label": "k", "usage": 0, "limit": None, "is_free_tier": True}}),
        lambda: (401, {"error": {"message": "No auth credentials found", "code": 401}}),
    ),
    "replicate": Api(
        "replicate",
        "GET",
        "/v1/account",
        bearer,
        lambda: (200, {"type": "user", "username": "someone", "name": "Someone"}),
        lambda: (
            401,
            {"title": "Unauthenticated", "detail": "You did not pass a valid authentication token", "status": 401},
        ),
    ),
    "cohere": Api(
        "cohere",
        "POST",
        "/v1/check-api-key",
        bearer,
        lambda: (200, {"valid": True, "organization_id": "org-1", "owner_id": "user-1"}),
        lambda: (401, {"message": "invalid api token"}),
    ),
    "discord": Api(
        "discord",
        "GET",
        "/api/v10/users/@me",
        lambda seen: (
            seen.headers.get("authorization", "")[len("Bot ") :]
            if seen.headers.get("authorization", "").startswith("Bot ")
            else None
        ),
        lambda: (200, {"id": "80351110224678912", "username": "bot", "discriminator": "0", "bot": True}),
        lambda: (401, {"message": "401: Unauthorized", "code": 0}),
    ),
    "airtable": Api(
        "airtable",
        "GET",
        "/v0/meta/whoami",
        bearer,
        lambda: (200, {"id": "usrL2PNC5o3H4lBEi", "scopes": ["schema.bases:read"]}),
        lambda: (401, {"error": {"type": "AUTHENTICATION_REQUIRED", "message": "Authentication required"}}),
    ),
    "terraform": Api(
        "terraform",
        "GET",
        "/api/v2/account/details",
        bearer,
        lambda: (200, {"data": {"id": "user-V3R563qtJNcExAkN", "type": "users", "attributes": {"username": "admin"}}}),
        lambda: (401, {"errors": [{"status": "401", "title": "unauthorized"}]}),
        "application/vnd.api+json",
    ),
    "sendgrid": Api(
        "sendgrid",
        "GET",
        "/v3/scopes",
        bearer,
        lambda: (200, {"scopes": ["mail.send"]}),
        lambda: (401, {"errors": [{"field": None, "message": "authorization required"}]}),
    ),
}


@dataclass
class Stand:
    """A running stand-in: its URL, the credentials it accepts, what it saw."""

    api: Api
    live: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    delay: float = 0.0  # seconds before answering (concurrency tests)
    hang: bool = False  # never answer (timeouts)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: threading.Event = field(default_factory=threading.Event)


def _handler(stand: Stand) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            with stand.lock:
                stand.seen.append(seen)
                stand.in_flight += 1
                stand.most_in_flight = max(stand.most_in_flight, stand.in_flight)
            answer: tuple[int, Any] | None = None
            try:
                if stand.hang:
                    stand.released.wait(30)
                    return
                if stand.delay:
                    time.sleep(stand.delay)
                api = stand.api
                if (self.command, self.path) != (api.method, api.path):
                    answer = (404, {"message": "Not Found"})
                else:
                    credential = api.credential(seen)
                    known = credential is not None and credential in stand.live
                    answer = api.live() if known else api.refused()
            finally:
                # Leave the count before answering: once the answer is written the client may
                # send its next request before this thread would get the lock back.
                with stand.lock:
                    stand.in_flight -= 1
            self._send(*answer)

        do_GET = do_POST = _serve

        def _send(self, status: int, body: Any) -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", self.server_content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        server_content_type = stand.api.content_type

    return Handler


@contextmanager
def serve(key: str, live: set[str] | None = None, **options: Any) -> Iterator[Stand]:
    """A stand-in for provider `key` accepting the credentials in `live`, running while in use."""
    stand = Stand(APIS[key], set(live or ()), **options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stand))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stand.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield stand
    finally:
        stand.released.set()
        server.shutdown()
        server.server_close()


def variable(key: str) -> str:
    """The environment variable that points the gate's verifier for `key` at a stand-in."""
    return "GITHUB_API_URL" if key == "github" else f"CONTRIBUTION_GATE_VERIFY_{key.upper()}_URL"
