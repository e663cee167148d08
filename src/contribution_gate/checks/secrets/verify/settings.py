"""When verification runs, with which bounds, and where each provider is reached.

Whether: `review --verify` / `--no-verify`, else the trusted policy's `[secrets] verify` for the
review command (CI); the hooks only with `hook --verify`. Bounds come from the policy (they only
shorten or lengthen waiting). Base URLs come from the environment alone (see providers.py): an
address in a policy is never read, so a change cannot send the tokens it holds to its own server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ....errors import ConfigError

if TYPE_CHECKING:
    from .providers import Provider

DEFAULT_TIMEOUT = 5.0  # seconds for one request (connect, and each read)
DEFAULT_BUDGET = 30.0  # seconds for every request of one review together
DEFAULT_CONCURRENCY = 4  # requests in flight at once
MAX_REQUESTS = 100  # distinct credentials asked about in one review; past them: unknown
MAX_PER_PROVIDER = 25  # and of one provider: a change full of fake tokens cannot make CI hammer one host


@dataclass(frozen=True)
class Settings:
    timeout: float = DEFAULT_TIMEOUT
    budget: float = DEFAULT_BUDGET
    concurrency: int = DEFAULT_CONCURRENCY
    urls: Mapping[str, str] = field(default_factory=dict)  # provider key -> base URL
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)  # (answered, asked)
    max_requests: int = MAX_REQUESTS
    max_per_provider: int = MAX_PER_PROVIDER

    def url(self, provider: Provider) -> str:
        return self.urls.get(provider.key, provider.url)


def wanted(flag: bool | None, table: Mapping[str, object], policy_may_ask: bool) -> bool:
    """Whether to verify: the command line's flag wins; else the policy's `verify = true` where
    the policy may turn it on (the review command, not the hooks)."""
    if flag is not None:
        return flag
    return policy_may_ask and table.get("verify") is True


def settings(
    table: Mapping[str, object], env: Mapping[str, str], progress: Callable[[int, int], None] | None = None
) -> Settings:
    """The bounds of `[secrets]` and the base URLs of the environment (a malformed one is a
    configuration error naming the variable)."""
    from .providers import PROVIDERS  # the table: only when verifying (no cost to a review without --verify)

    urls = {p.key: _base_url(p.variable, env[p.variable]) for p in PROVIDERS if env.get(p.variable, "").strip()}
    return Settings(
        timeout=float(table.get("verify-timeout", DEFAULT_TIMEOUT)),  # type: ignore[arg-type]
        budget=float(table.get("verify-budget", DEFAULT_BUDGET)),  # type: ignore[arg-type]
        concurrency=int(table.get("verify-concurrency", DEFAULT_CONCURRENCY)),  # type: ignore[call-overload]
        urls=urls,
        progress=progress,
    )


def _base_url(variable: str, value: str) -> str:
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ConfigError(
            f"{variable}={value.strip()[:80]!r} is not a base URL: give scheme, host and optional port and path, "
            "like https://api.example.com (no user, query or fragment)"
        )
    return value.strip().rstrip("/")
