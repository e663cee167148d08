"""What a value must be to count, and the offline checks of token formats, for the rules of
`rules.py`.

Value filters drop what is no credential at all: a value that reads as words or counts up, a
variable or placeholder, a `user:password` without a password. Format checks (`validate`) tell a
live-looking token from a placeholder, which is then reported as a warning: CRC32 checksums
(GitHub, npm, Grafana, GitLab's routable tokens), the JSON inside Sentry, Grafana, 1Password and
neptune.ai tokens and JWTs, Discord's user id, the `user:password` inside a Basic credential, the
Bech32 checksum of age keys, the version of a UUID.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from .values import is_placeholder

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


# what splits a value into pieces; a backslash too: an escape inside a string (`hunter2` `\n` `server`)
_SEPARATORS = re.compile(r"[-_.:/+=~\\]+")
# one piece of a value that reads as a word, a name part or a short number (`Key`, `v19`, `camelCase`,
# `OpenID`, `OAuth`)
_WORDISH = re.compile(
    r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*\d{0,4}|[A-Z]+\d{0,4}|\d{1,4}|[A-Z][a-z]+[A-Z]{2,4}|[A-Z]{2,4}[a-z]+"
)


def _credential(value: str) -> bool:
    """A password or token written out: not a variable, template or placeholder, and random."""
    return not value.startswith(("$", "%", "{", "<", "#{")) and not is_placeholder(value) and looks_random(value)


def _decoded_credential(value: str) -> bool:
    """A base64 password (`.npmrc`'s `_password`): printable, and a credential once decoded."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return decoded.isprintable() and len(decoded) >= 4 and not is_placeholder(decoded)


def _user_password(secret: str, _: re.Match[str]) -> bool:
    """`user:password` (or `token:` with an empty password, as curl -u takes API keys)."""
    user, colon, password = secret.partition(":")
    return bool(colon) and _credential(password or user)


def _header(secret: str, match: re.Match[str]) -> bool:
    """An Authorization header's value: a Basic credential holds `user:password`, others are tokens."""
    basic = "basic" in match.re.groupindex and match.group("basic")
    return _basic(secret, "") if basic else _credential(secret)


def _basic_or_password(secret: str, match: re.Match[str]) -> bool:
    """`.npmrc`'s `_auth` is a Basic credential, its `_password` a base64 password."""
    return _basic(secret, "") or ("_password" in match.group(0).lower() and _decoded_credential(secret))


_RUN = 8  # characters counting up in a row that no random token has (1 in 62^7 per place)


def counts_up(value: str) -> bool:
    """Whether the value holds a run of characters counting up (`abcdefgh`, `01234567`,
    `ABCDEFGH`): a fake built to look like a token (`ya29.A0Ar-abcdef0123456789`), not one."""
    run = 1
    for before, char in itertools.pairwise(value):
        run = run + 1 if ord(char) == ord(before) + 1 and char.isalnum() and before.isalnum() else 1
        if run >= _RUN:
            return True
    return False


def looks_random(value: str) -> bool:
    """Whether a token-shaped value is random rather than made of words or one repeated class:
    not `abcdefabcdefabcd` run together from words and separators, not a run of one character,
    not digits alone (an id or a number)."""
    if value.isdigit() or len(set(value)) <= 3:
        return False
    words = value.split()
    if len(words) > 1 and all(word[0].isupper() and _WORDISH.fullmatch(word) for word in words):
        return False  # a label of capitalised words (`#define kC4AuthTypeOpenIDConnect "OpenID Connect"`)
    pieces = [piece for piece in _SEPARATORS.split(value) if piece]
    return not all(_WORDISH.fullmatch(piece) for piece in pieces)


def _crc32_base62(token: str, _: str) -> bool:
    """GitHub's and npm's token format: 30 random characters, then their CRC32 in 6 base62 digits."""
    body = token.split("_", 1)[-1]
    payload, checksum = body[:-6], body[-6:]
    value = 0
    for char in checksum:
        value = value * 62 + _BASE62.index(char)
    return value == binascii.crc32(payload.encode("ascii"))


def _jwt(token: str, _: str) -> bool:
    """A JWT's first part is base64url JSON naming its algorithm."""
    head = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header


def _snowflake(token: str, _: str) -> bool:
    """A Discord token's first part is its bot's user id, a 17 to 20 digit number, in base64."""
    head = token.split(".", 1)[0]
    try:
        user_id = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
    except (ValueError, binascii.Error):
        return False
    return user_id.isdigit() and 17 <= len(user_id) <= 20


def _crc32_hex_le(token: str, _: str) -> bool:
    """Grafana's service account tokens: `glsa_<32 random>_` then the CRC32 of all before the last
    `_`, as 8 hex digits of its bytes in little-endian order."""
    body, _sep, checksum = token.rpartition("_")
    if len(checksum) != 8:
        return False
    return binascii.crc32(body.encode("ascii")).to_bytes(4, "little").hex() == checksum.lower()


def _to_base36(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not value:
            return digits


def _routable(token: str, _: str) -> bool:
    """GitLab's routable tokens: prefix, base64url payload, `.`, the payload's length in 2 base36
    digits, then the CRC32 of all that in 7 base36 digits."""
    head, _sep, tail = token.rpartition(".")
    if len(tail) != 9:
        return False
    payload = head.split("-", 1)[-1].split("_", 1)[-1] if head.startswith("glrt-t") else head.split("-", 1)[-1]
    length_ok = tail[:2] == _to_base36(len(payload)).rjust(2, "0")
    return length_ok and tail[2:] == _to_base36(binascii.crc32((head + "." + tail[:2]).encode("ascii"))).rjust(7, "0")


def _b64_json(text: str) -> Any:
    try:
        return json.loads(base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        return None


def _b64json(token: str, keys: str) -> bool:
    """A token carrying a base64 JSON object with these keys: the whole token, the part after its
    prefix (`glc_`, `ops_`), or that part up to its last `_` (Sentry's `sntrys_<json>_<secret>`)."""
    wanted = [k for k in keys.split(",") if k]
    rest = token.split("_", 1)[1] if "_" in token else token
    for part in (token, rest, rest.rpartition("_")[0]):
        data = _b64_json(part) if part else None
        if isinstance(data, dict) and all(k in data for k in wanted):
            return True
    return False


def _b64jwt(token: str, _: str) -> bool:
    """A JWT written in base64 (a Kubernetes secret's data, an env file's value): a JWT once decoded."""
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("ascii").strip()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return decoded.count(".") == 2 and _jwt(decoded, "")


def _basic(token: str, _: str) -> bool:
    """A Basic credential is base64 of `user:password`: the password must be there and not a
    placeholder or a default (`admin:admin`)."""
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, colon, password = decoded.partition(":")
    printable = decoded.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()
    return bool(colon and password and printable) and not is_placeholder(password) and password != user


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _bech32(token: str, _: str) -> bool:
    """Bech32 (BIP 173), as age writes its secret keys: a human-readable part, `1`, the data and
    a 6-character checksum over both; the check is the BCH code's remainder being 1."""
    hrp, separator, data = token.lower().rpartition("1")
    if not separator or not hrp or len(data) < 6 or any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + [_BECH32.index(c) for c in data]
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_BECH32_GENERATOR):
            if (top >> bit) & 1:
                check ^= generator
    return check == 1


_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _uuid4(token: str, _: str) -> bool:
    """A random (version 4) UUID, as npm's legacy tokens are: the version digit 4, the variant 8-b."""
    return bool(_UUID4.fullmatch(token.lower()))


def _base64_mixed(secret: str) -> bool:
    """A random base64 key (an AWS secret access key) has capitals and small letters; forty
    characters of one case of hex are a digest (a commit id, a SHA-1) under a `secret` name."""
    return any(c.isupper() for c in secret) and any(c.islower() for c in secret)


VALUE_FILTERS: dict[str, Callable[[str, re.Match[str]], bool]] = {
    "base64-mixed": lambda secret, _: _base64_mixed(secret),
    "credential": lambda secret, _: _credential(secret),
    "user-password": _user_password,
    "basic": lambda secret, _: _basic(secret, ""),
    "basic-or-password": _basic_or_password,
    "header": _header,
}
VALIDATORS = {
    "suffix": lambda secret, arg: secret.endswith(arg),
    "contains": lambda secret, arg: arg in secret,
    "prefix": lambda secret, arg: secret.startswith(tuple(arg.split(","))),
    "crc32": _crc32_base62,
    "crc32-hex-le": _crc32_hex_le,
    "gitlab-routable": _routable,
    "b64json": _b64json,
    "basic": _basic,
    "b64jwt": _b64jwt,
    "bech32": _bech32,
    "uuid4": _uuid4,
    "jwt": _jwt,
    "snowflake": _snowflake,
}
# what each check is called in the README's list of families
CHECK_NAMES = {
    "suffix": "suffix",
    "contains": "marker",
    "prefix": "header",
    "crc32": "CRC32",
    "crc32-hex-le": "CRC32",
    "gitlab-routable": "CRC32",
    "b64json": "JSON inside",
    "basic": "user:password inside",
    "b64jwt": "JWT inside",
    "bech32": "Bech32 checksum",
    "uuid4": "UUID version",
    "jwt": "JSON header",
    "snowflake": "user id inside",
}
