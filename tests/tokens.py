"""Fake credentials assembled at run time from parts and random characters.

No file of this project holds a literal token that a secret scanner would flag: every prefix and
marker below is split into concatenated parts, and the bodies are random, so the repository passes
its own gate (and every other scanner).
"""

from __future__ import annotations

import random
import string

# No "x"/"X": a run of x's reads as a masked placeholder (`xxxx`) and would make a test flaky.
_ALNUM = "".join(c for c in string.ascii_letters + string.digits if c not in "xX")
_UPPER_DIGITS = "".join(c for c in string.ascii_uppercase + string.digits if c != "X")
_rng = random.SystemRandom()


def rand(n: int, alphabet: str = _ALNUM) -> str:
    """`n` random characters; always at least one letter and one digit, so no heuristic calls it a word."""
    while True:
        value = "".join(_rng.choice(alphabet) for _ in range(n))
        if n < 2 or (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            return value


def openai_key() -> str:
    """An OpenAI project key: our own rule finds it, as an error (it has the format's marker)."""
    return "sk-" + "proj-" + rand(40) + "T3Blbk" + "FJ" + rand(40)


def github_token() -> str:
    """A classic GitHub personal access token: detect-secrets' GitHub plugin finds it."""
    return "gh" + "p_" + rand(36)


def aws_access_key_id() -> str:
    """An AWS access key id: detect-secrets' AWS plugin finds it."""
    return "AK" + "IA" + rand(16, _UPPER_DIGITS)


def secret_fragments(secret: str, size: int = 5) -> set[str]:
    """Every `size`-character piece of `secret`: none may appear in a report."""
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def secret_line(name: str, secret: str, suffix: str = "") -> str:
    """A Python assignment of `secret` (with an optional trailing comment), newline included."""
    return f'{name} = "{secret}"{suffix}\n'
