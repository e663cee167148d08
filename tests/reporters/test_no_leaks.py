"""No report carries a credential: excerpts (already redacted) pass through unchanged, nothing else leaks.

The credential is assembled at run time from parts and random characters.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import replace

import pytest
import samples

from contribution_gate.model import fingerprint
from contribution_gate.redaction import scrub
from contribution_gate.reporters import REPORTERS

_rng = random.SystemRandom()


def _rand(n: int) -> str:
    alphabet = string.ascii_letters.replace("x", "").replace("X", "") + string.digits
    return "".join(_rng.choice(alphabet) for _ in range(n - 2)) + _rng.choice(string.digits) + _rng.choice("abc")


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_only_the_redacted_excerpt_reaches_the_report(fmt: str) -> None:
    secret = "sk-" + "proj-" + _rand(40) + "T3Blbk" + "FJ" + _rand(40)
    line = f'OPENAI_API_KEY = "{secret}"'
    excerpt = scrub(line)
    assert secret not in excerpt
    finding = replace(
        samples.finding(path="src/app.py", line=3, message="OpenAI API key added to src/app.py", excerpt=excerpt),
        fingerprint=fingerprint("secrets", "openai-api-key", "src/app.py", secret),
    )
    review = samples.review([finding], ())
    out = REPORTERS[fmt](review, False)

    windows = {secret[i : i + 8] for i in range(4, len(secret) - 7)}  # the mask keeps at most 4 characters
    assert not [w for w in windows if w in out]
    if fmt == "json":
        assert json.loads(out)["findings"][0]["excerpt"] == excerpt
    elif fmt == "sarif":
        (result,) = json.loads(out)["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == excerpt
    else:
        assert excerpt in out
