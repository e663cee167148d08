"""An eleventh round: the classes of false errors found on more public projects (Bitwarden's server,
Symfony, Spring Boot, Kafka among them), each next to the true finding it must not hide, through the
installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from typing import Any

from test_precision_fourth_round import ERROR, NONE, WARNING, check
from test_precision_seventh_round import _key_lines
from tokens import rand

Gate = Callable[..., Any]
_TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _signature() -> str:
    """A webhook's HMAC-SHA1 signature as providers send it: base64 of 20 bytes, its first 22
    characters letters and digits and its 23rd a `/` or `+` (drawn until it is so)."""
    while True:
        value = base64.b64encode(os.urandom(20)).decode()
        if value[:22].isalnum() and value[22] in "+/":
            return value


def test_a_provider_s_named_value_is_the_whole_value_assigned(based_repo: Any, gate: Gate) -> None:
    """Symfony's Mailchimp fixtures carry `"X-Mandrill-Signature": "<base64>"`: its first 22
    characters are the shape of a Mandrill key, but the value goes on; a key of that shape under
    the provider's name stays an error."""
    check(
        gate,
        based_repo,
        {
            "src/Mailer/Webhook/reject.json": [
                ("{", NONE),
                (f'  "X-Mandrill-Signature": "{_signature()}",', NONE),
                (f'  "mandrill_api_key": "{rand(22, _TOKEN)}"', ERROR),
                ("}", NONE),
            ],
        },
        "secrets",
    )


def test_a_key_its_name_calls_a_test_s_is_a_warning(based_repo: Any, gate: Gate) -> None:
    """Bitwarden's Rust SDK keeps a pool of `const TEST_FAKE_RSA_KEY_0: &str = "-----BEGIN ...`
    keys for seeding test data, outside any test folder; a key under a plain name stays an error."""
    body = [rand(64) for _ in range(3)]
    check(
        gate,
        based_repo,
        {
            "util/sdk/src/rsa_keys.rs": [
                *(
                    (line if i else 'const TEST_FAKE_RSA_KEY_0: &str = "' + line, severity)
                    for i, (line, severity) in enumerate(_key_lines(body, WARNING))
                ),
                ('";', NONE),
            ],
            "util/sdk/src/signing.rs": [
                *(
                    (line if i else 'const SIGNING_KEY: &str = "' + line, severity)
                    for i, (line, severity) in enumerate(_key_lines(body, ERROR))
                ),
                ('";', NONE),
            ],
        },
        "secrets",
    )


def test_styles_feature_flags_and_test_fixtures(based_repo: Any, gate: Gate) -> None:
    """Symfony's dumper themes (`'key' => 'color:#56DB3A'`) are styles; Bitwarden's feature flags
    spell their constant's last words after a ticket's tag; Spring Boot keeps test keys in Gradle's
    `src/testFixtures/` and names them `test-key.pem`. A random value under a key's name, a user's
    name and password, and a key in a main source set stay errors."""
    body = [rand(64) for _ in range(3)]
    check(
        gate,
        based_repo,
        {
            "src/Dumper/HtmlDumper.php": [
                ("<?php", NONE),
                ("    'key' => 'color:#56DB3A',", NONE),
                ("    'note' => 'font-weight:bold;color:#FF8400',", NONE),
                (f"    'key' => '{rand(24)}',", ERROR),
                (f"    'auth' => 'admin:{rand(16)}',", ERROR),
            ],
            "src/Core/Constants.cs": [
                (
                    '    public const string NoLogoutOnKeyUpgradeRotation = "pm-31050-no-logout-key-upgrade-rotation";',
                    NONE,
                ),
                (
                    '    public const string EnableAccountEncryptionV2PasswordRegistration = "pm-27278-v2-password-registration";',
                    NONE,
                ),
                (f'    public const string RegistrationPassword = "{rand(20)}";', ERROR),
            ],
            "module/web-server/src/testFixtures/resources/server/test-key.pem": _key_lines(body, WARNING),
            "module/web-server/src/main/resources/server/key.pem": _key_lines(body, ERROR),
            "config/test-cert-key.pem": _key_lines(body, WARNING),
        },
        "secrets",
    )


def test_an_address_in_a_setting_s_documentation_markup_is_an_example(based_repo: Any, gate: Gate) -> None:
    """Kafka documents its settings in strings of HTML (`"<code>listeners=INTERNAL://10.1.1.5:9093
    </code>%n" +`): prose about a setting, read as a comment is; the same address in a URL the code
    connects to stays an error."""
    check(
        gate,
        based_repo,
        {
            "server/src/main/java/org/acme/network/SocketServerConfigs.java": [
                ("public class SocketServerConfigs {", NONE),
                ('    public static final String LISTENER_DOC = "For example:%n" +', NONE),
                ('        "<code>listeners=INTERNAL://10.1.1.5:9093</code>%n";', NONE),
                ('    public static final String METRICS = "http://10.1.1.5:9093/metrics";', ERROR),
                ("}", NONE),
            ],
        },
        "internal-urls",
    )
