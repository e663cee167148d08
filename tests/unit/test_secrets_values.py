"""What a value next to a secret-sounding name must look like to be a finding: passphrases with
spaces are, prose is not; and the linear rewrites of two filters agree with what they replace."""

from __future__ import annotations

import random
import re

import pytest
from tokens import rand

from contribution_gate.checks import secrets
from contribution_gate.checks.secrets import plugins, values
from contribution_gate.model import AddedLine, FileChange


def scan(*lines: str, path: str = "src/settings.py") -> list:
    change = FileChange(path=path, status="A", added=tuple(AddedLine(i, t) for i, t in enumerate(lines, 1)))
    return list(secrets.scan_file(change, secrets.Options()))


def passphrase() -> str:
    """Words with letters, digits and symbols mixed in, as people make passphrases."""
    return f"s3cr3t pa55 w0rd-{rand(4)} {rand(3)}!{rand(3)}"


@pytest.mark.parametrize(
    ("path", "style"),
    [
        ("src/settings.py", 'DB_PASSWORD = "{}"'),
        ("src/settings.py", "db_password = '{}'"),
        ("deploy/values.yaml", 'password: "{}"'),
        ("config/app.json", '  "secret": "{}",'),
        ("deploy/.env", 'DB_PASSWORD="{}"'),
        ("infra/main.tf", '  admin_password = "{}"'),
        ("src/app.js", "const apiKey = `{}`;"),
    ],
)
def test_a_quoted_passphrase_is_flagged_and_masked_whole(path: str, style: str) -> None:
    value = passphrase()
    (finding,) = scan(style.format(value), path=path)
    assert finding.rule == "generic-secret"
    for word in value.split():
        assert word not in finding.excerpt  # not one piece of it shows, the first word included
    assert value[:4] + "****" in finding.excerpt


@pytest.mark.parametrize(
    "line",
    [
        'password = "Enter your password"',
        'DB_PASSWORD = "Password must be 8+ chars, 1 digit"',
        'token = "OAuth2 bearer token"',
        'secret = "The secret to good code is tests."',
        'api_key = "See docs/setup.md for the API key"',
        'password_hint = "s3cr3t pa55 w0rd-9f2k"',  # names the hint, not the password
        'token_description = "r4nd0m t0k3n f0r 7h3 API"',
        'PASSWORD_PROMPT = "Passw0rd! is weak"',
        'password = "correct horse battery staple"',  # words only: read as prose (documented)
        'secret = f"Token {token} expired"',
        'password = "%s %s" % (user, pw)',
        'print("COHERE_API_KEY=" + key + ", next")',  # the quote after `=` closes a string
        'check("api_token = \'" + token + "\'")',
        'raise ValueError("invalid password: " + reason)',
    ],
)
def test_prose_and_code_under_secret_names_are_quiet(line: str) -> None:
    assert scan(line) == []


@pytest.mark.parametrize(
    "value",
    [
        "ecdh-sha2-nistp256",
        "curve25519-sha256",
        "mlkem768x25519-sha256",
        "aes256-gcm96",
        "hmac-sha2-256-etm@openssh.com",
    ],
)
def test_an_algorithm_s_name_under_a_key_name_is_no_secret(value: str) -> None:
    """Go's x/crypto/ssh names its key exchanges `KeyExchangeECDHP256 = "ecdh-sha2-nistp256"`."""
    assert values.algorithm_name(value)
    assert scan(f'\tKeyExchangeAlgo = "{value}"', path="ssh/common.go") == []


@pytest.mark.parametrize("value", ["x9f-k2lq-8zpm", "aes256-" + "k2lq9zpm", "Ecdh-Sha2-Nistp256"])
def test_a_value_with_any_other_part_is_no_algorithm_name(value: str) -> None:
    assert not values.algorithm_name(value)


def test_an_unquoted_value_in_configuration_is_masked_to_the_end_of_its_line() -> None:
    first, rest = rand(12), f"{rand(6)} {rand(6)}"
    (finding,) = scan(f"password: {first} {rest}  # rotated monthly", path="deploy/values.yaml")
    assert first not in finding.excerpt and rest.split()[0] not in finding.excerpt
    assert "rotated monthly" in finding.excerpt  # the comment is not part of the value


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        ("DB_PASSWORD", True),
        ("password", True),
        ("apiKey", True),
        ("secret_key", True),
        ("passwords", True),
        ("TOKEN_2", True),
        ("password_hint", False),
        ("passwordHint", False),
        ("token_description", False),
        ("secret_message", False),
    ],
)
def test_a_name_holds_a_secret_when_its_last_word_says_so(name: str, holds: bool) -> None:
    assert values.names_a_secret(name) is holds


_OLD_IMAGE_QUERY = re.compile(r"(?i)(?:\.(?:svg|png|gif)|/badge|/graphs?/[\w./-]*)\?(?:[^\s\"'`?#]*&)?\w+=$")


def test_the_badge_url_test_agrees_with_the_regex_it_replaces() -> None:
    """The old test searched the whole line before every match (quadratic); the new one looks back."""
    rng = random.Random(13)
    parts = ["/badge", ".svg", ".PNG", ".gif", "/graph/", "/graphs/", "x", "?", "&", "=", "token", "#", " ", "'", "a/b"]
    for _ in range(20000):
        head = "".join(rng.choice(parts) for _ in range(rng.randint(1, 9)))
        assert values.after_image_query(head + "V", len(head)) == bool(_OLD_IMAGE_QUERY.search(head)), head


def test_the_indirect_reference_filter_agrees_with_detect_secrets() -> None:
    from detect_secrets.filters.heuristic import is_indirect_reference

    rng = random.Random(7)
    for _ in range(20000):
        line = "".join(rng.choice("ab=!:([)] .-_x\t") for _ in range(rng.randint(0, 24)))
        assert plugins._indirect_reference(line) == is_indirect_reference(line), line


def test_a_jdbc_password_needs_a_jdbc_url() -> None:
    secret = rand(14)
    (finding,) = scan(f"url = 'jdbc:postgresql://db:5432/app?user=app&password={secret}'")
    assert finding.rule == "jdbc-password" and secret not in finding.excerpt
    assert [f.rule for f in scan(f"see https://api.acme.io/login?user=app&password={secret} jdbc:")] != [
        "jdbc-password"
    ]
