"""`--verify`: is a found credential live? Asked of its own provider, read-only, bounded, opt-in.

Offline, the secrets check says a value has a credential's shape (and checksum). Asked, the
provider says whether it works: a live token must be rotated now, a revoked one only removed.
The review calls `verify` after judging (so a suppressed finding is never sent anywhere) and
before the verdict (a revoked credential becomes a warning).

- `providers.py`: one table entry per provider: the documented read-only call, its host, how its
  answer reads; base URLs only from the environment, never from the reviewed change's policy;
- `aws.py`: Signature Version 4 for STS GetCallerIdentity, with hmac and hashlib;
- `http.py`: one request: timeout, bounded body, no redirects, errors without the token;
- `runner.py`: the per-request timeout, the concurrency limit and the total budget;
- `findings.py`: answers onto findings (validity, severity, message, outcome);
- `settings.py`: whether to verify and with which bounds.
"""

from __future__ import annotations

from typing import Any

from .settings import Settings, settings, wanted

__all__ = ["Settings", "settings", "verify", "wanted"]


def __getattr__(name: str) -> Any:
    """`verify` (the providers' table, the HTTP client) is imported when a review asks, not when
    one only reads whether to ask."""
    if name == "verify":
        from .findings import verify

        return verify
    raise AttributeError(name)
