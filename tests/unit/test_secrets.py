"""The secrets check on literal changes: tables of positives and near-miss negatives.

Every credential is assembled here at run time from parts, so this file holds no literal token.
"""

from __future__ import annotations

import string

import pytest
import tokens
from tokens import rand

from contribution_gate.checks import secrets
from contribution_gate.model import AddedLine, FileChange, Severity

ALNUM = string.ascii_letters + string.digits


def scan(*lines: str, path: str = "src/app.py") -> list:
    change = FileChange(path=path, status="A", commit="c" * 40, added=tuple(AddedLine(i, t) for i, t in enumerate(lines, 1)))
    return list(secrets.scan_file(change, secrets.Options()))


OPENAI = tokens.openai_key()
ANTHROPIC = tokens.anthropic_key()
HUGGINGFACE = tokens.huggingface_token()
GOOGLE = tokens.google_api_key()
GROQ = tokens.groq_key()
GITHUB = tokens.github_token()
AWS_ID = "AK" + "IA" + rand(16, "ABCDEFGHIJKLMNOPQRSTUVWYZ234567")
NPM = tokens.npm_token()
JWT = tokens.jwt()

POSITIVES = [
    (f'OPENAI_API_KEY = "{OPENAI}"', "openai-api-key", OPENAI),
    (f"client = Anthropic(api_key='{ANTHROPIC}')", "anthropic-api-key", ANTHROPIC),
    (f"HF_TOKEN={HUGGINGFACE}", "huggingface-token", HUGGINGFACE),
    (f"gemini: {GOOGLE}", "google-api-key", GOOGLE),
    (f'groq_key = "{GROQ}"', "groq-api-key", GROQ),
    (f"token: {GITHUB}", "github-token", GITHUB),
    (f"aws_access_key_id = {AWS_ID}", "aws-access-key", AWS_ID),
    (f"//registry.npmjs.org/:_authToken={NPM}", "npm-token", NPM),
    (f"Authorization: Bearer {JWT}", "jwt", JWT),
    ('db_password = "' + rand(7) + "#" + rand(7) + '"', "generic-secret", None),
    ("api_token = '" + rand(48, "0123456789abcdef") + "'", "generic-secret", None),
    ("conn = psycopg2.connect(host=h, password='" + rand(12) + "')", "generic-secret", None),
    ("REDIS_URL=redis://:" + rand(16) + "@cache:6379/0", "url-password", None),
    ("DATABASE_URL=postgres://app:" + rand(12) + "@db.acme-payments.io/app", "url-password", None),
]


@pytest.mark.parametrize(("line", "rule", "secret"), POSITIVES, ids=[p[1] for p in POSITIVES])
def test_detects_and_redacts(line: str, rule: str, secret: str | None) -> None:
    (finding,) = scan(line)
    assert (finding.rule, finding.severity, finding.line, finding.end_line) == (rule, Severity.ERROR, 1, 1)
    assert "****" in finding.excerpt
    if secret is not None:
        assert secret not in finding.excerpt and secret[4:12] not in finding.excerpt
        assert secret not in finding.fingerprint and secret not in finding.message
    assert finding.remediation


NEGATIVES = [
    'password = "changeme"',
    'password: "<your-password>"',
    'password: "${DB_PASSWORD}"',
    'api_key: "{{ secrets.api_key }}"',
    'password = os.environ["DB_PASSWORD"]',
    'token = os.getenv("GITHUB_TOKEN")',
    'PASSWORD_FIELD = "password_field"',
    'api_key = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
    'secret = "********"',
    'api_key_id = "123e4567-e89b-12d3-a456-426614174000"',
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@example.com",
    "-----BEGIN PUBLIC KEY-----",
    "https://github.com/o/r/commit/" + rand(40, "0123456789abcdef"),
    "The secret to good code is tests.",
    'HF = "hf' + "_" + "a" * 34 + '"',
    "export GROQ_API_KEY=<your-key>",
    'if line.startswith("-----BEGIN ' + 'RSA PRIVATE KEY-----"):',
    "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
    "url = f'postgres://{user}:{password}@{host}/db'",
    'secret_name = "projects/acme/secrets/db-password/versions/latest"',
    "api_key_header: X-API-Key",
    'const PASSWORD_INPUT = "input[name=password]"',
    'PASSWORD_HASHER_VERSION="argon2id-v19"',
    "OPENAI_API_KEY: op://Engineering/OpenAI/credential",
    "aws_access_key_id = AK" + "IA" + "A" * 16,
    'google = "AI' + "za" + "0" * 35 + '"',
]


@pytest.mark.parametrize("line", NEGATIVES, ids=[f"negative-{i}" for i in range(len(NEGATIVES))])
def test_placeholders_and_references_are_not_findings(line: str) -> None:
    assert scan(line) == []


def test_a_token_failing_its_format_check_is_a_warning() -> None:
    bad_suffix = "sk-" + "ant-api03-" + rand(93) + "zz"
    (finding,) = scan(f'key = "{bad_suffix}"')
    assert finding.severity is Severity.WARNING and finding.rule == "anthropic-api-key"
    groq_without_marker = "gs" + "k_" + rand(52)
    (finding,) = scan(f'key = "{groq_without_marker}"')
    assert finding.severity is Severity.WARNING
    bad_checksum = "gh" + "p_" + rand(36)
    (finding,) = scan(f"token = {bad_checksum}")
    assert (finding.rule, finding.severity) == ("github-token", Severity.WARNING)


def test_private_key_block_reports_first_and_last_line() -> None:
    body = [rand(64, ALNUM + "+/") for _ in range(3)]
    lines = ["# key", "-----BEGIN " + "RSA PRIVATE KEY-----", *body, "-----END " + "RSA PRIVATE KEY-----"]
    (finding,) = scan(*lines, path="deploy/id_rsa")
    assert (finding.rule, finding.line, finding.end_line) == ("private-key", 2, 6)


def test_two_secrets_on_one_line_are_both_redacted() -> None:
    findings = scan(f"keys = ['{OPENAI}', '{GITHUB}']")
    assert {f.rule for f in findings} == {"openai-api-key", "github-token"}
    for finding in findings:
        assert OPENAI not in finding.excerpt and GITHUB not in finding.excerpt


def test_unquoted_values_count_in_configuration_but_not_in_code() -> None:
    value = rand(32, "0123456789abcdef")
    (finding,) = scan(f"api_token: {value}", path="deploy/values.yaml")
    assert finding.rule == "generic-secret"
    assert scan(f"api_token = {value}") == []
    assert scan("def record(self, secret: PotentialSecret) -> None:") == []
    assert scan("if (token := self._lock_state) is not None:") == []


def test_urls_on_documentation_hosts_are_examples() -> None:
    assert scan("mirror = 'https://user:" + rand(12) + "@artifactory.example.com/npm'") == []
    assert len(scan("mirror = 'https://user:" + rand(12) + "@artifactory.acme.io/npm'")) == 1


def test_binary_files_and_lock_files_are_skipped() -> None:
    change = FileChange(path="logo.png", status="A", is_binary=True)
    assert list(secrets.scan_file(change, secrets.Options())) == []
    assert scan('"integrity": "sha512-' + rand(86, ALNUM + "+/") + '=="', path="package-lock.json") == []


def test_fingerprint_is_stable_and_keyed_on_the_value() -> None:
    first, again = scan(f"k = '{OPENAI}'")[0], scan(f"other = '{OPENAI}'")[0]
    assert first.fingerprint == again.fingerprint
    assert first.fingerprint != scan(f"k = '{OPENAI}'", path="elsewhere.py")[0].fingerprint
