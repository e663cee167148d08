"""Fake credentials assembled at run time from parts and random characters.

No file of this project holds a literal token that a secret scanner would flag: every prefix and
marker below is split into concatenated parts, and the bodies are random, so the repository passes
its own gate (and every other scanner).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import random
import re
import string

# No "x"/"X": a run of x's reads as a masked placeholder (`xxxx`) and would make a test flaky.
_ALNUM = "".join(c for c in string.ascii_letters + string.digits if c not in "xX")
_UPPER_DIGITS = "".join(c for c in string.ascii_uppercase + string.digits if c != "X")
_rng = random.SystemRandom()
# words the secrets check reads as a placeholder wherever they occur: one in a random token (about
# one build in twenty thousand) would make a test flaky
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)fake|dummy|sample|example|redacted|placeholder|change_?me|your[_-]|replace[_-]?me|not[_-]?a[_-]?real|test[_-]?(?:key|token|secret|password)"
)


def rand(n: int, alphabet: str = _ALNUM) -> str:
    """`n` random characters drawn until they look as random as a real token does (one draw in a
    few dozen does not): with a mixed alphabet, letters and digits that change places four times at
    least, so no heuristic reads words and numbers (`6635EEFF920E`); from eight characters on,
    nine tenths of the entropy such a draw has on average."""
    mixed = any(c.isdigit() for c in alphabet) and any(c.isalpha() for c in alphabet)
    while True:
        value = "".join(_rng.choice(alphabet) for _ in range(n))
        if _PLACEHOLDER_WORDS.search(value):
            continue
        if n >= 2 and mixed and not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            continue
        if n >= 8 and mixed and _switches(value) < 4:
            continue
        if n >= 8 and _entropy(value) < 0.9 * _expected_entropy(n, len(set(alphabet))):
            continue
        return value


def _switches(value: str) -> int:
    """How often a run of digits and a run of other characters meet."""
    return sum(1 for a, b in itertools.pairwise(value) if a.isdigit() != b.isdigit())


def _entropy(value: str) -> float:
    return -sum(value.count(c) / len(value) * math.log2(value.count(c) / len(value)) for c in set(value))


def _expected_entropy(n: int, alphabet: int) -> float:
    """About the entropy of `n` random characters of an alphabet of this size: log2 of the distinct
    characters they are expected to hold."""
    return math.log2(alphabet * (1 - (1 - 1 / alphabet) ** n)) if alphabet > 1 else 0.0


def openai_key() -> str:
    """An OpenAI project key: our own rule finds it, as an error (it has the format's marker)."""
    return "sk-" + "proj-" + rand(40) + "T3Blbk" + "FJ" + rand(40)


_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def with_crc32(prefix: str) -> str:
    """GitHub's and npm's format: 30 random characters, then their CRC32 as 6 base62 digits."""
    body = rand(30)
    value, digits = binascii.crc32(body.encode()), ""
    for _ in range(6):
        value, digit = divmod(value, 62)
        digits = _BASE62[digit] + digits
    return prefix + body + digits


def github_token(kind: str = "p") -> str:
    """A classic GitHub token (`ghp_`, `gho_`, ...) with a valid checksum: an error."""
    return with_crc32("gh" + kind + "_")


def npm_token() -> str:
    return with_crc32("np" + "m_")


def anthropic_key() -> str:
    return "sk-" + "ant-" + "api03-" + rand(93) + "AA"


def huggingface_token() -> str:
    return "hf" + "_" + rand(34, string.ascii_letters.replace("x", "").replace("X", ""))


def google_api_key() -> str:
    return "AI" + "za" + rand(35)


def groq_key() -> str:
    return "gs" + "k_" + rand(20) + "WGdyb3" + "FY" + rand(24)


def jwt() -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return part({"alg": "HS256", "typ": "JWT"}) + "." + part({"sub": rand(8), "iat": 1700000000}) + "." + rand(43)


def aws_access_key_id() -> str:
    """An AWS access key id: detect-secrets' AWS plugin finds it."""
    return "AK" + "IA" + rand(16, _UPPER_DIGITS)


def secret_fragments(secret: str, size: int = 5) -> set[str]:
    """Every `size`-character piece of `secret`: none may appear in a report."""
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def secret_line(name: str, secret: str, suffix: str = "") -> str:
    """A Python assignment of `secret` (with an optional trailing comment), newline included."""
    return f'{name} = "{secret}"{suffix}\n'


_HEX = "0123456789abcdef"
_LETTERS = "".join(c for c in string.ascii_letters if c not in "xX")
_B64 = _ALNUM + "+/"


def b64url(n: int) -> str:
    return rand(n, _ALNUM + "-_")


def discord_token() -> str:
    """A bot's user id (a snowflake) in base64, a timestamp part and an HMAC part."""
    user_id = "1" + rand(18, string.digits)
    head = base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=")
    return head + "." + b64url(6) + "." + b64url(38)


# One builder per rule of config/secret_rules.toml, each a valid instance of its format.
BUILDERS = {
    "openai-api-key": openai_key,
    "anthropic-api-key": anthropic_key,
    "huggingface-token": huggingface_token,
    "google-api-key": google_api_key,
    "groq-api-key": groq_key,
    "replicate-api-token": lambda: "r8" + "_" + rand(37),
    "xai-api-key": lambda: "xa" + "i-" + rand(80),
    "openrouter-api-key": lambda: "sk-" + "or-v1-" + rand(64, _HEX),
    "perplexity-api-key": lambda: "pp" + "lx-" + rand(48),
    "langsmith-api-key": lambda: "lsv2" + "_pt_" + rand(32, _HEX) + "_" + rand(10, _HEX),
    "wandb-api-key": lambda: "wandb" + "_v1_" + rand(60),
    "aws-bedrock-api-key": lambda: "AB" + "SK" + "QmVkcm9ja0FQSUtleS" + rand(110, _ALNUM),
    "aws-access-key": lambda: "AK" + "IA" + rand(16, "ABCDEFGHIJKLMNOPQRSTUVWYZ234567"),
    "github-token": github_token,
    "github-fine-grained-token": lambda: "github" + "_pat_" + rand(22) + "_" + rand(59),
    "gitlab-token": lambda: "gl" + "pat-" + rand(20),
    "slack-token": lambda: "xo" + "xb-" + rand(11, string.digits) + "-" + rand(12, string.digits) + "-" + rand(24),
    "stripe-key": lambda: "sk" + "_live_" + rand(24),
    "npm-token": npm_token,
    "pypi-token": lambda: "pypi" + "-AgEIcHlwaS5vcmc" + b64url(70),
    "jwt": jwt,
    "sendgrid-key": lambda: "S" + "G." + b64url(22) + "." + b64url(43),
    "mailchimp-key": lambda: rand(32, _HEX) + "-u" + "s" + rand(2, string.digits),
}


# ---- tokens of any rule of config/secret_rules.toml, made from the rule's own token pattern ----

try:  # Python 3.11+
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_PRINTABLE = [chr(c) for c in range(33, 127)]
_CATEGORY_CHARS = {
    _sre_constants.CATEGORY_DIGIT: string.digits,
    _sre_constants.CATEGORY_WORD: _ALNUM + "_",
    _sre_constants.CATEGORY_SPACE: " ",
}


def _class_chars(items: list[tuple[object, object]]) -> list[str]:
    """The characters of a parsed character class (printable ASCII), without `x`/`X` where the
    class has other letters (a run of x's reads as a mask)."""
    negate = bool(items) and items[0][0] is _sre_constants.NEGATE
    chosen: set[str] = set()
    for op, arg in items[1:] if negate else items:
        if op is _sre_constants.LITERAL:
            chosen.add(chr(arg))  # type: ignore[arg-type]
        elif op is _sre_constants.RANGE:
            low, high = arg  # type: ignore[misc]
            chosen.update(chr(c) for c in range(low, high + 1))
        elif op is _sre_constants.CATEGORY:
            chosen.update(_CATEGORY_CHARS.get(arg, ""))
    chars = [c for c in _PRINTABLE if c not in chosen] if negate else sorted(chosen)
    plain = [c for c in chars if c.isalnum() and c not in "xX"]
    return plain if negate and plain else [c for c in chars if c not in "xX"] or chars


def _generate(parsed: object, sizes: str) -> str:
    out: list[str] = []
    for op, arg in parsed:  # type: ignore[attr-defined]
        if op is _sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is _sre_constants.IN:
            out.append(_rng.choice(_class_chars(arg)))
        elif op is _sre_constants.ANY:
            out.append(_rng.choice(_ALNUM))
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT):
            low, high, body = arg
            high = min(high, low + 64)
            count = low if sizes == "min" else high if sizes == "max" else _rng.randint(low, high)
            out.extend(_generate(body, sizes) for _ in range(count))
        elif op is _sre_constants.SUBPATTERN:
            out.append(_generate(arg[-1], sizes))
        elif op is _sre_constants.BRANCH:
            out.append(_generate(_rng.choice(arg[1]), sizes))
        # AT (anchors) and ASSERT / ASSERT_NOT (lookarounds) add no characters
    return "".join(out)


def from_pattern(pattern: str, sizes: str = "random") -> str:
    """A random string the regular expression `pattern` matches in full (lookarounds aside):
    how the family tests build a token of every rule from the rule's own `token` data, so no
    file holds one. `sizes`: "random", or "min"/"max" repeat counts."""
    parsed = _sre_parse.parse(pattern)
    while True:
        value = _generate(parsed, sizes)
        if not _PLACEHOLDER_WORDS.search(value) and "xxxx" not in value.lower() and not re.search("(?i)%[sd(]", value):
            return value
