"""The values of one verification: what is sent, what came back, and what that says.

Kept apart from the provider table and the runner so each can be read (and tested) alone.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Validity(str, enum.Enum):
    """What the provider said about a found credential."""

    LIVE = "live"  # it authenticated: rotate it now
    REVOKED = "revoked"  # the provider refused it as unknown, revoked or expired
    UNKNOWN = "unknown"  # no answer that says either (timeout, refused, 429/5xx, no verifier)


@dataclass(frozen=True, slots=True)
class Answer:
    """A validity and why, in words that never hold the credential (`GET /user answered 200`)."""

    validity: Validity
    why: str


@dataclass(frozen=True, slots=True)
class Request:
    """One read-only HTTP request to a provider. `shown` is how messages name it (method and path,
    never a header or a query string)."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None

    @property
    def shown(self) -> str:
        from urllib.parse import urlsplit

        return f"{self.method} {urlsplit(self.url).path or '/'}"


@dataclass(frozen=True, slots=True)
class Response:
    """A provider's answer: status, headers (lower-cased names) and the first bytes of the body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> object:
        import json

        try:
            return json.loads(self.body)
        except ValueError:
            return None
