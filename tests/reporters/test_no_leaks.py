"""No report carries a credential, in any field of any format the registry hands out.

Every value a contribution controls is planted with a token: a file path (alone and glued to a
suffix), an author name and email and a sign-off from a commit message (in the DCO finding's
message), a commit subject, an excerpt, a check's error text, the policy's name, and the cla check's
people (Markdown's CLA section). Credentials are assembled at run time from parts and random
characters (tests/tokens.py).
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import samples
import tokens

from contribution_gate.checks.cla.people import Contributor, Summary
from contribution_gate.model import Severity, fingerprint
from contribution_gate.redaction import scrub
from contribution_gate.reporters import REPORTERS
from contribution_gate.review import CheckRun


def fragments(secret: str) -> set[str]:
    """The mask keeps at most 4 characters: no 8 characters of the random body may show."""
    return tokens.secret_fragments(secret[10:], 8)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_only_the_redacted_excerpt_reaches_the_report(fmt: str) -> None:
    secret = tokens.openai_key()
    line = f'OPENAI_API_KEY = "{secret}"'
    excerpt = scrub(line)
    assert secret not in excerpt
    finding = replace(
        samples.finding(path="src/app.py", line=3, message="OpenAI API key added to src/app.py", excerpt=excerpt),
        fingerprint=fingerprint("secrets", "openai-api-key", "src/app.py", secret),
    )
    review = samples.review([finding], ())
    out = REPORTERS[fmt](review, False)

    assert not [w for w in fragments(secret) if w in out]
    if fmt == "json":
        assert json.loads(out)["findings"][0]["excerpt"] == excerpt
    elif fmt == "sarif":
        (result,) = json.loads(out)["runs"][0]["results"]
        assert result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == excerpt
    elif fmt == "gitlab":  # Code Quality has no snippet: the description says what and where
        (issue,) = json.loads(out)
        assert issue["description"].startswith("OpenAI API key added to src/app.py")
    else:
        assert excerpt in out


def planted() -> tuple[dict[str, str], samples.Review]:
    secrets = {
        "path": tokens.github_token(),
        "glued path": tokens.npm_token(),
        "author name": tokens.openai_key(),
        "author email": tokens.BUILDERS["gitlab-token"](),
        "sign-off in the message": tokens.anthropic_key(),
        "commit subject": tokens.groq_key(),
        "excerpt": tokens.huggingface_token(),
        "error": tokens.BUILDERS["stripe-key"](),
        "policy": tokens.BUILDERS["slack-token"](),
        "cla email": tokens.BUILDERS["pypi-token"](),
    }
    path = f"keys/{secrets['path']}.py"
    glued = f"deploy/{secrets['glued path']}-backup.env"
    findings = [
        samples.finding(
            check="internal-urls", rule="private-address", path=path, message=f"Private address added to {path}"
        ),
        samples.finding(
            check="internal-urls",
            rule="private-address",
            path=glued,
            line=None,
            message=f"Private address added to {glued}",
            excerpt="",
        ),
        samples.finding(
            check="cla",
            rule="wrong-signoff",
            path="",
            line=None,
            excerpt="",
            commit=samples.HEAD,
            message=(
                f"commit {samples.HEAD[:12]} by Dev {secrets['author name']} <{secrets['author email']}@ex.org> is "
                f'signed off by "Bot {secrets["sign-off in the message"]} <bot@example.com>"'
            ),
        ),
        samples.finding(
            check="secrets",
            rule="groq-api-key",
            path="",
            line=None,
            commit=samples.HEAD,
            message=f"Groq API key in the subject of commit {samples.HEAD[:12]}: deploy with {secrets['commit subject']}",
            excerpt=f"deploy with {secrets['commit subject']}",
        ),
        samples.finding(
            rule="huggingface-token",
            path="src/client.py",
            severity=Severity.WARNING,
            excerpt=tokens.secret_line("HF_TOKEN", secrets["excerpt"]).strip(),  # as if a check forgot to redact it
        ),
    ]
    checks = (
        CheckRun("internal-urls", "fail", 2, 0.01),
        CheckRun("licenses", "error", 0, 0.1, f"ValueError: cannot read {secrets['error']}.json"),
    )
    people = Summary(
        contributors=(
            Contributor(None, None, (f"{secrets['cla email']}@ex.org",), (samples.HEAD,), "unsigned", "no signature"),
        ),
        phrase="I have read the CLA Document and I hereby sign the CLA",
        signatures="signatures/cla.json",
    )
    review = samples.review(findings, checks, config_source=f"policy-{secrets['policy']}.toml", details={"cla": people})
    return secrets, review


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_planted_value_reaches_any_format(fmt: str) -> None:
    secrets, review = planted()
    out = REPORTERS[fmt](review, False, **({"token": "0123456789abcdef" * 2} if fmt == "github" else {}))
    leaks = {where: piece for where, secret in secrets.items() for piece in fragments(secret) if piece in out}
    assert not leaks, leaks
    assert f"keys/{secrets['path'][:4]}****.py" in out  # the path stays readable around the mask
    assert "-backup.env" in out


def test_the_raw_formats_would_leak_what_the_registry_masks() -> None:
    """The planted review does reach the formats unmasked without the registry: the test is real."""
    from contribution_gate.reporters import json_report

    secrets, review = planted()
    raw = json_report.render(review)
    assert all(secret in raw for where, secret in secrets.items() if where not in ("cla email", "excerpt"))
