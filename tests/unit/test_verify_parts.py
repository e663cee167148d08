"""The parts of `--verify` on their own: AWS's SigV4 test vector, the in-memory value that never
prints, the policy keys that may not say where tokens go, and what each provider's answer means."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import tokens
from reporters import samples

from contribution_gate.checks.secrets.verify import aws, providers
from contribution_gate.checks.secrets.verify.answers import Request, Response, Validity
from contribution_gate.config import parse
from contribution_gate.model import Secret


def test_sigv4_matches_aws_test_vector_get_vanilla() -> None:
    """aws-sig-v4-test-suite `get-vanilla`: AWS's published example key, date and signature."""
    headers = aws.sign(
        "GET",
        "https://example.amazonaws.com/",
        {},
        b"",
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "us-east-1",
        "service",
        datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc),
    )
    assert headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )
    assert headers["X-Amz-Date"] == "20150830T123600Z"


def test_caller_identity_request_holds_no_secret() -> None:
    secret = tokens.rand(40)
    request = aws.caller_identity("https://sts.amazonaws.com", "AKIDEXAMPLE", secret)
    assert request.method == "POST" and request.body == aws.STS_BODY
    assert secret not in repr(request)
    assert "/us-east-1/sts/aws4_request" in request.headers["Authorization"]


def test_a_kept_value_never_prints() -> None:
    token = tokens.github_token()
    finding = samples.finding(secret=Secret(token))
    assert token not in repr(finding) and token not in str(finding)
    assert token not in repr(Secret(token)) and token not in f"{Secret(token)}"


@pytest.mark.parametrize(
    "text",
    [
        '[secrets]\nverify-openai-url = "http://evil.example"\n',
        '[secrets]\nverify-host = "evil.example"\n',
        '[secrets.verify]\nopenai = "http://evil.example"\n',
        '[secrets]\nverifier-endpoint = "http://evil.example"\n',
    ],
)
def test_policy_keys_naming_an_address_are_dropped_with_a_warning(text: str) -> None:
    config = parse(text, ".contribution-gate.toml")
    table = config.table("secrets")
    assert not [k for k in table if k.startswith("verif")]
    assert any("never from a policy" in w for w in config.warnings)


def test_policy_bounds_are_validated() -> None:
    config = parse("[secrets]\nverify = true\nverify-timeout = 2\nverify-budget = 10\nverify-concurrency = 2\n", "p")
    assert config.warnings == ()
    for bad in ("verify = 1", "verify-timeout = 0", "verify-budget = 9999", "verify-concurrency = 100"):
        with pytest.raises(Exception, match=bad.split(" ")[0]):
            parse(f"[secrets]\n{bad}\n", "p")


def _read(key: str, status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> Validity:
    provider = next(p for p in providers.PROVIDERS if p.key == key)
    request = Request("GET", "https://host/path")
    return provider.read(Response(status, headers or {}, body), request).validity


@pytest.mark.parametrize(
    ("key", "status", "body", "headers", "validity"),
    [
        ("github", 200, b"{}", {}, Validity.LIVE),
        ("github", 401, b"{}", {}, Validity.REVOKED),
        ("github", 403, b"{}", {}, Validity.LIVE),  # an installation token may not read /user
        ("github", 403, b"{}", {"x-ratelimit-remaining": "0"}, Validity.UNKNOWN),
        ("github", 429, b"{}", {}, Validity.UNKNOWN),
        ("openai", 503, b"{}", {}, Validity.UNKNOWN),
        ("openai", 301, b"", {}, Validity.UNKNOWN),
        ("gitlab", 200, b'{"active": false, "revoked": true}', {}, Validity.REVOKED),
        ("slack", 200, b'{"ok": false, "error": "token_revoked"}', {}, Validity.REVOKED),
        ("slack", 200, b'{"ok": false, "error": "ratelimited"}', {}, Validity.UNKNOWN),
        ("slack", 200, b"not json", {}, Validity.UNKNOWN),
        (
            "google",
            403,
            b'{"error": {"status": "PERMISSION_DENIED", "details": [{"reason": "SERVICE_DISABLED"}]}}',
            {},
            Validity.LIVE,
        ),
        ("google", 403, b'{"error": {"status": "PERMISSION_DENIED"}}', {}, Validity.UNKNOWN),
        ("aws", 403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>", {}, Validity.UNKNOWN),
        ("stripe", 403, b"{}", {}, Validity.LIVE),  # a restricted key without the balance permission
        ("xai", 200, b'{"api_key_blocked": true}', {}, Validity.REVOKED),
    ],
)
def test_answers_read_as_documented(
    key: str, status: int, body: bytes, headers: dict[str, str], validity: Validity
) -> None:
    assert _read(key, status, body, headers) is validity


def test_every_provider_names_rules_that_exist_and_an_https_host() -> None:
    from contribution_gate.checks.secrets.rules import load_rules

    known = {rule.id for rule in load_rules()}
    for provider in providers.PROVIDERS:
        assert provider.url.startswith("https://"), provider.key
        assert set(provider.rules) <= known, provider.key
        assert set(provider.pairs_with) <= known | {"aws-cli-secret-key"}, provider.key


def test_the_readme_lists_every_provider_and_its_variable() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Is it live?") : readme.index("## The internal-urls check")]
    for provider in providers.PROVIDERS:
        row = next((line for line in section.splitlines() if line.startswith(f"| {provider.name} |")), None)
        assert row is not None, provider.name
        assert f"`{provider.variable}`" in row and provider.url in row, provider.name
        assert all(f"`{rule}`" in row for rule in provider.rules), provider.name
