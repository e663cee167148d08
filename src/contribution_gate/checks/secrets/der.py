"""Whether a base64 value is a public key in DER: a published identity, never a secret.

Read by the values' judge (`values.verdict`) before it weighs a value's randomness: a public key is
as random as a private one, and stands in configuration under names like `key` as often.
"""

from __future__ import annotations

import base64
import binascii


def public_key(text: str) -> bool:
    """A public key in DER, base64-encoded (`MFkwEwYHKoZIzj0CAQ...`, `MIIBIjANBgkqhkiG9w0BAQEF...`):
    a SubjectPublicKeyInfo, a SEQUENCE whose first element is the algorithm's SEQUENCE and whose
    second is a BIT STRING. A private key (PKCS#8) begins with its version, an INTEGER."""
    try:
        der = base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        return False
    at = _der_header(der, 0, 0x30)
    inner = _der_header(der, at, 0x30) if at else 0
    if not inner:
        return False
    length = _der_length(der, at + 1)
    if length is None:
        return False
    end = inner + length[0]
    return end < len(der) and der[end] == 0x03


def _der_header(der: bytes, at: int, tag: int) -> int:
    """Where the contents of the DER element of `tag` at `at` begin (0 if it is not one)."""
    if at >= len(der) or der[at] != tag:
        return 0
    length = _der_length(der, at + 1)
    return 0 if length is None else at + 1 + length[1]


def _der_length(der: bytes, at: int) -> tuple[int, int] | None:
    """A DER length at `at`: (the length, how many bytes it took)."""
    if at >= len(der):
        return None
    first = der[at]
    if first < 0x80:
        return first, 1
    size = first & 0x7F
    if not 0 < size <= 3 or at + 1 + size > len(der):
        return None
    return int.from_bytes(der[at + 1 : at + 1 + size], "big"), 1 + size
