"""`--verify`'s validity in every format, and still no credential in any of them: a finding that
carries its found value in memory (as the review has it before dropping it), a planted token in a
message and an excerpt, and the validity each format must show (JSON field, SARIF property, the
words of the message elsewhere)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import samples
import tokens

from contribution_gate.model import Secret, Severity
from contribution_gate.redaction import scrub
from contribution_gate.reporters import REPORTERS

LIVE = "LIVE: GitHub accepted it (GET /user answered 200): rotate it now"
REVOKED = "revoked: npm refused it (GET /-/whoami answered 401): remove it anyway"


def verified() -> tuple[list[str], samples.Review]:
    live, revoked, unknown = tokens.github_token(), tokens.npm_token(), tokens.openai_key()
    findings = [
        replace(
            samples.finding(rule="github-token", path="src/a.py", line=1, excerpt=scrub(f'A = "{live}"')),
            message=f"GitHub token added to src/a.py; {LIVE}",
            validity="live",
            secret=Secret(live),
        ),
        replace(
            samples.finding(
                rule="npm-token", path="src/b.py", line=2, severity=Severity.WARNING, excerpt=f'B = "{revoked}"'
            ),
            message=f"npm access token added to src/b.py; {REVOKED}",
            validity="revoked",
            secret=Secret(revoked),
        ),
        replace(
            samples.finding(rule="openai-api-key", path="src/c.py", line=3),
            message=f"OpenAI API key added to src/c.py; validity unknown: no answer: GET /v1/models: timed out ({unknown})",
            validity="unknown",
            secret=Secret(unknown),
        ),
    ]
    return [live, revoked, unknown], samples.review(findings, ())


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_validity_shows_and_no_value_leaks(fmt: str) -> None:
    values, review = verified()
    out = REPORTERS[fmt](review, False)
    for value in values:
        assert not [p for p in tokens.secret_fragments(value[4:], 8) if p in out], (fmt, value[:4])
    flat = " ".join(out.split())
    if fmt == "json":
        got = {f["rule"]: (f["validity"], f["severity"]) for f in json.loads(out)["findings"]}
        assert got == {
            "github-token": ("live", "error"),
            "npm-token": ("revoked", "warning"),
            "openai-api-key": ("unknown", "error"),
        }
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert sorted(r["properties"]["validity"] for r in results) == ["live", "revoked", "unknown"]
    else:
        assert "LIVE: GitHub accepted it" in flat and "rotate it now" in flat, fmt
        assert "revoked: npm refused it" in flat, fmt
        assert "validity unknown" in flat, fmt


def test_json_has_no_validity_when_nothing_was_asked() -> None:
    review = samples.review([samples.finding()], ())
    (finding,) = json.loads(REPORTERS["json"](review, False))["findings"]
    assert "validity" not in finding
