"""Whether a JSON Web Token is a credential, a sample, or provably public.

A JWT is a bearer credential only when a server would accept it. Offline, three things show that
no server will, or that anyone could have made it:

- `alg: none`: unsigned, so anyone can write one (not a finding);
- signed with a key that is published as an example (jwt.io's default keys, `secret`): anyone can
  sign the same claims (not a finding; jwt.io's sample token is one of these);
- a signature whose length does not fit its algorithm (`HS256` is 32 bytes): it cannot verify,
  so it is a truncated or hand-made sample (a warning);
- an `exp` claim in the past: expired (a warning).
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import json
import time
from typing import Any


class Judgement(enum.Enum):
    PUBLIC = "public"  # anyone can make it: not a finding
    SAMPLE = "sample"  # malformed or expired: a warning
    PUBLISHABLE = "publishable"  # made to ship in web pages (Supabase's `role: anon` key): a warning
    TOKEN = "token"  # a usable token as far as can be told offline


# keys that documentation publishes for signing example tokens
_EXAMPLE_KEYS = (
    b"your-256-bit-secret",
    b"your-384-bit-secret",
    b"your-512-bit-secret",
    b"a-string-secret-at-least-256-bits-long",
    b"secret",
    b"your-secret-key",
    b"your_secret_key",
)
_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
# signature sizes in bytes: HMAC by hash, ECDSA by curve, EdDSA, RSA by modulus (1024 to 8192 bits)
_RSA = frozenset([128, 256, 384, 512, 768, 1024])
_SIZES: dict[str, frozenset[int]] = {
    "HS256": frozenset([32]),
    "HS384": frozenset([48]),
    "HS512": frozenset([64]),
    "ES256": frozenset([64]),
    "ES256K": frozenset([64]),
    "ES384": frozenset([96]),
    "ES512": frozenset([132]),
    "EDDSA": frozenset([64, 114]),
    **{f"{family}{bits}": _RSA for family in ("RS", "PS") for bits in (256, 384, 512)},
}


def _decode(part: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (ValueError, binascii.Error):
        return None


def _json(part: str) -> dict[str, Any] | None:
    raw = _decode(part)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def judge(token: str, now: float | None = None) -> Judgement:
    """What the token `header.payload.signature` is (see the module's docstring)."""
    parts = token.split(".")
    if len(parts) != 3:
        return Judgement.TOKEN
    header, payload = _json(parts[0]), _json(parts[1])
    if header is None:
        return Judgement.TOKEN  # the rule's own format check reports it
    alg = str(header.get("alg", "")).upper()
    if alg == "NONE":
        return Judgement.PUBLIC
    signature = _decode(parts[2])
    if signature is None or (alg in _SIZES and len(signature) not in _SIZES[alg]):
        return Judgement.SAMPLE
    digest = _HMAC.get(alg)
    if digest is not None:
        signed = f"{parts[0]}.{parts[1]}".encode("ascii", "replace")
        for key in _EXAMPLE_KEYS:
            if hmac.compare_digest(hmac.new(key, signed, digest).digest(), signature):
                return Judgement.PUBLIC
    expires = payload.get("exp") if payload else None
    expired = isinstance(expires, (int, float)) and expires < (time.time() if now is None else now)
    if expired and not isinstance(expires, bool):
        return Judgement.SAMPLE
    if payload and payload.get("role") == "anon":
        return Judgement.PUBLISHABLE  # Supabase's anon key: row-level security guards its data
    return Judgement.TOKEN
