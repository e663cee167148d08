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
    change = FileChange(
        path=path, status="A", commit="c" * 40, added=tuple(AddedLine(i, t) for i, t in enumerate(lines, 1))
    )
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


@pytest.mark.parametrize(("line", "rule", "secret"), POSITIVES, ids=[f"{p[1]}-{i}" for i, p in enumerate(POSITIVES)])
def test_detects_and_redacts(line: str, rule: str, secret: str | None) -> None:
    (finding,) = scan(line)
    assert (finding.rule, finding.severity, finding.line, finding.end_line) == (rule, Severity.ERROR, 1, 1)
    assert "****" in finding.excerpt
    if secret is not None:
        assert secret not in finding.excerpt and secret[4:12] not in finding.excerpt
        assert secret not in finding.fingerprint and secret not in finding.message
    assert finding.remediation


# every token rule, in the quoting styles of the files contributions carry
STYLES = [
    ("src/settings.py", 'KEY = "{}"'),
    ("deploy/.env", "KEY={}"),
    ("deploy/values.yaml", "key: {}"),
    ("config/app.json", '  "key": "{}",'),
    ("infra/main.tf", '  key = "{}"'),
    ("scripts/run.sh", "export KEY='{}'"),
    ("docs/setup.md", "    curl -H 'Authorization: Bearer {}' https://api.acme.io"),
]


@pytest.mark.parametrize("rule", sorted(tokens.BUILDERS))
@pytest.mark.parametrize(("path", "style"), STYLES, ids=[s[0].rsplit(".", 1)[-1] for s in STYLES])
def test_every_token_rule_in_every_file_type(rule: str, path: str, style: str) -> None:
    secret = tokens.BUILDERS[rule]()
    (finding,) = scan(style.format(secret), path=path)
    # a JWT is no provider's format: in documentation (and tests) it is an example session, a warning
    expected = Severity.WARNING if rule == "jwt" and path.startswith("docs/") else Severity.ERROR
    assert (finding.rule, finding.severity) == (rule, expected)
    assert secret not in finding.excerpt and secret[4:] not in finding.excerpt


def near_misses() -> list[tuple[str, str]]:
    """Lines one step away from a token format: wrong length, alphabet or context."""
    return [
        ("replicate, 36 characters", "r8" + "_" + rand(36)),
        ("xai, 79 characters", "xa" + "i-" + rand(79)),
        ("openrouter, not hex", "sk-" + "or-v1-" + rand(64, "ghijklmnopqrstuvwyz")),
        ("perplexity, 47 characters", "pp" + "lx-" + rand(47)),
        ("langsmith, other kind", "lsv2" + "_zz_" + rand(32, "0123456789abcdef") + "_" + rand(10, "0123456789abcdef")),
        ("huggingface, with digits", "hf" + "_" + rand(34)),
        ("google, 34 characters", "AI" + "za" + rand(34)),
        ("stripe test key", "sk" + "_test_" + rand(24)),
        ("aws id, lower case", "ak" + "ia" + rand(16, "abcdefghijklmnopqrstuvwyz234567")),
        ("gitlab, too short", "gl" + "pat-" + rand(12)),
        ("jwt without a JSON header, in prose", "see eyJ" + rand(12) + " in the docs"),
        ("pypi, 20 characters", "pypi" + "-" + rand(20)),
        ("wandb hex, 39 characters", 'wandb_run_id = "' + rand(39, "0123456789abcdef") + '"'),
        ("cohere, no name", 'cache_key = "' + rand(40) + '"'),
        ("slack, no digits", "xo" + "xb-" + rand(24, "abcdefghijklmnopqrstuvwyz")),
        (
            "discord, the user id is not a number",
            "DISCORD_BOT=" + "MTk" + rand(23) + "." + tokens.b64url(6) + "." + tokens.b64url(38),
        ),
        (
            "a badge's public token",
            ".. image:: https://codecov.io/gh/acme/app/branch/main/graph/badge.svg?token=" + rand(10),
        ),
        (
            "a chart's public token",
            "![cov](https://codecov.io/gh/acme/app/graphs/sunburst.svg?branch=main&token=" + rand(10) + ")",
        ),
        ("discord token shape, no discord near", "see " + tokens.discord_token() + " in the logs"),
    ]


@pytest.mark.parametrize(("case", "line"), near_misses(), ids=[c for c, _ in near_misses()])
def test_near_misses_are_not_errors(case: str, line: str) -> None:
    assert [f for f in scan(line, path="deploy/.env") if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("COHERE_API_KEY=" + rand(40), "cohere-api-key"),
        ('client = cohere.ClientV2(api_key="' + rand(40) + '")', "cohere-api-key"),
        ("MISTRAL_API_KEY: " + rand(32), "mistral-api-key"),
        ("wandb.login(key='" + rand(40, "0123456789abcdef") + "')", "wandb-api-key"),
        ("aws_secret_access_key = " + rand(40, ALNUM + "/+"), "aws-secret-key"),
        ("jdbc:postgresql://db:5432/app?user=app&password=" + rand(14), "jdbc-password"),
        ("machine api.acme.io login bot password " + rand(20), "netrc-password"),
        ("DISCORD_BOT=" + tokens.discord_token(), "discord-bot-token"),
        ("client.run('" + tokens.discord_token() + "')  # discord bot", "discord-bot-token"),
    ],
    ids=[
        "cohere-env",
        "cohere-client",
        "mistral",
        "wandb-login",
        "aws-secret",
        "jdbc",
        "netrc",
        "discord-env",
        "discord-run",
    ],
)
def test_keys_named_by_their_context(line: str, rule: str) -> None:
    (finding,) = scan(line, path="deploy/notes.md")
    assert finding.rule == rule


def test_keys_next_to_their_endpoint_or_key_id() -> None:
    azure = rand(32, "0123456789abcdef")
    findings = scan("endpoint: https://acme.openai.azure.com/", "api_key: " + azure, path="deploy/values.yaml")
    assert [(f.rule, f.line) for f in findings] == [("azure-openai-key", 2)]
    elsewhere = scan("endpoint: https://api.acme.io/", "api_key: " + azure, path="deploy/values.yaml")
    assert [f.rule for f in elsewhere] == ["generic-secret"]  # still a secret, not an Azure one
    aws_secret = rand(40, ALNUM + "/+")
    findings = scan(
        "[default]",
        "aws_access_key_id = " + tokens.BUILDERS["aws-access-key"](),
        "secret = " + aws_secret,
        path="credentials",
    )
    assert sorted(f.rule for f in findings) == ["aws-access-key", "aws-secret-key"]


def test_service_account_json_and_slack_webhook() -> None:
    body = rand(64, ALNUM + "+/")
    line = '  "private_key": "-----BEGIN ' + "PRIVATE KEY-----\\n" + body + "\\n-----END " + 'PRIVATE KEY-----\\n",'
    (finding,) = scan('  "type": "service_account",', line, path="sa.json")
    assert (finding.rule, finding.line) == ("gcp-service-account-key", 2)
    hook = (
        "https://hooks."
        + "slack.com/services/T"
        + rand(9, "ABCDEFGHJKLMNPQRSTUVWYZ0123456789")
        + "/B"
        + rand(9, "ABCDEFGHJKLMNPQRSTUVWYZ0123456789")
        + "/"
        + rand(24)
    )
    (finding,) = scan(f"SLACK_WEBHOOK={hook}", path=".env")
    assert finding.rule == "slack-webhook"


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
    'TOKEN = "0123456789abcdef" * 2',
    'secret = "abcdefghijklmnop"',
    '("http://user:pass%20pass@complex.url.com/path", ("user", "pass pass")),',
    '@click.group(context_settings={"token_normalize_func": normalize_token})',
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


def test_unquoted_values_count_in_configuration_and_in_code_only_when_random() -> None:
    """In source code an unquoted value is an expression unless it could be no identifier: a random
    token there sits in a comment, a docstring or a raw string (Go tests' `API_KEY=...` inputs)."""
    value = rand(32, "0123456789abcdef")
    (finding,) = scan(f"api_token: {value}", path="deploy/values.yaml")
    assert finding.rule == "generic-secret"
    (finding,) = scan(f"# api_token = {value}")
    assert finding.rule == "generic-secret"
    assert scan("def record(self, secret: PotentialSecret) -> None:") == []
    assert scan("if (token := self._lock_state) is not None:") == []
    assert scan("api_key = build_key(settings.service_name)") == []
    assert scan("password = self.password_from_environment") == []


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


def test_a_hex_digest_near_an_aws_key_is_no_aws_secret_key() -> None:
    """detect-secrets' test data: `hex_secret = '<40 hex digits>'` a few lines from an access key id.
    Forty characters of one case of hex are a digest's shape; an AWS secret key is random base64."""
    key_id = f"aws_access_key_id = '{tokens.aws_access_key_id()}'"
    digest = f"hex_secret = '{rand(40, '0123456789abcdef')}'"
    secret = f"aws_secret = '{rand(20, string.ascii_uppercase)}{rand(19, string.ascii_lowercase)}/'"
    rules = {f.line: f.rule for f in scan(key_id, digest, secret)}
    assert rules.get(2) != "aws-secret-key", rules
    assert rules.get(3) == "aws-secret-key", rules
