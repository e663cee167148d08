"""The classes of false errors a sixth labelling round found on Java, Kotlin and configuration-heavy
projects (a code generator's samples, an API gateway's Perl test suite, Maven manifests), each next
to the true finding it must not hide, through the installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from test_precision_fifth_round import _whole_tree
from test_precision_fourth_round import ERROR, NONE, WARNING, check
from tokens import rand

Gate = Callable[..., Any]
HEX = "0123456789abcdef"


def test_perl_tests_generator_samples_and_templates_are_samples(based_repo: Any, gate: Gate) -> None:
    """APISIX's Test::Nginx suite (`t/plugin/*.t`, `t/certs/`), JHipster's
    `generate-sample/templates/test-integration/` and `__test-support__/` apps, a generator's
    `.yml.ejs` template, a benchmark's `fake-apisix/`: what they hold is made up for them."""
    secret = rand(24)
    check(
        gate,
        based_repo,
        {
            "t/plugin/openid-connect.t": [(f'    session = {{secret = "{secret}9"}}', WARNING)],
            ".blueprint/generate-sample/templates/test-integration/react/.yo-rc.json": [
                (f'  "jwtSecretKey": "{secret}A1"', WARNING)
            ],
            "lib/jdl/__test-support__/files/app/.yo-rc.json": [(f'  "rememberMeKey": "{secret}B2"', WARNING)],
            "generators/kubernetes/templates/consul.yml.ejs": [(f"  gossip-key: {secret}C3", WARNING)],
            "benchmark/fake-apisix/conf/config.yaml": [(f"  admin_key: {secret}D4", WARNING)],
            "src/latest/settings.yaml": [(f"  admin_key: {secret}E5", ERROR)],
        },
        "secrets",
    )


def test_namespaced_rule_ids_and_documented_default_keys_are_no_secrets(based_repo: Any, gate: Gate) -> None:
    """JHipster's `ruleKey: 'java:S1128'` (a SonarQube rule), APISIX's documented admin key."""
    admin = "".join(("edd1c9f0", "34335f13", "6f87ad84", "b625c8f1"))
    check(
        gate,
        based_repo,
        {
            "generators/spring-boot/generator.ts": [
                ("      ruleKey: 'java:S1128',", NONE),
                (f"      apiKey: '{rand(28, HEX)}',", ERROR),
            ],
            "conf/config.yaml": [("deployment:", NONE), ("  admin:", NONE), (f"    key: {admin}", NONE)],
        },
        "secrets",
    )


def test_a_root_pom_declares_the_project_s_license(repo: Any, gate: Gate) -> None:
    """keycloak-quickstarts' `<name>Apache License, Version 2.0.0</name>` and wrongsecrets'
    `<name>AGPLv3 License</name>`: names of known licenses, in the manifest that declares the project's."""
    pom = (
        '<?xml version="1.0"?>\n<project>\n  <groupId>org.acme</groupId>\n  <artifactId>app</artifactId>\n'
        "  <licenses>\n    <license>\n      <name>{}</name>\n    </license>\n  </licenses>\n</project>\n"
    )
    repo.commit_files("apache", {"pom.xml": pom.format("Apache License, Version 2.0.0")})
    assert ERROR not in _whole_tree(gate, repo, "licenses").values()
    repo.commit_files("agpl", {"pom.xml": pom.format("AGPLv3 License")})
    assert ERROR not in _whole_tree(gate, repo, "licenses").values()
    run = gate("licenses", "--format", "json", "-C", str(repo.root))
    assert "AGPL-3.0" in run.out


def test_a_folder_named_like_a_word_with_test_inside_is_no_test_folder(based_repo: Any, gate: Gate) -> None:
    """`latest/`, `contest/`: words, not tests; `tests_e2e/` and `test-integration/` are tests."""
    value = f"{rand(20)}7"
    check(
        gate,
        based_repo,
        {
            "contest/config.yaml": [(f"api_key: {value}", ERROR)],
            "tests_e2e/config.yaml": [(f"api_key: {value}", WARNING)],
        },
        "secrets",
    )
    run = gate("review", "--staged", "--check", "secrets", "--format", "json", "-C", str(based_repo.root))
    assert json.loads(run.out)["verdict"] == "fail"


def test_stand_in_files_ci_scripts_and_test_service_accounts(based_repo: Any, gate: Gate) -> None:
    """APISIX's `conf/cert/ssl_PLACE_HOLDER.key`, keycloak's `.github/scripts/start-local-server.sh`
    (a CI job's server arguments) and a Google service account's JSON among tests: made for the
    project's own tooling, warnings; the same key file under another name stays an error."""
    body = "\\n".join(rand(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(3))
    begin, end = "-----BEGIN " + "PRIVATE KEY-----", "-----END " + "PRIVATE KEY-----"
    account = f'{{"type": "service_account", "private_key": "{begin}\\n{body}\\n{end}\\n", "client_email": "a@b.iam"}}'
    pem = [(begin, WARNING), *[(rand(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop0123456789+/"), NONE)] * 3]
    check(
        gate,
        based_repo,
        {
            "conf/cert/ssl_PLACE_HOLDER.key": [*pem, (end, NONE)],
            "conf/cert/server.key": [(begin, ERROR), *pem[1:], (end, NONE)],
            ".github/scripts/start-local-server.sh": [
                (f'  SERVER_ARGS="$SERVER_ARGS --spi-hmac-secret={rand(30)}7"', WARNING)
            ],
            "t/plugin/google-cloud-logging/config.json": [(account, WARNING)],
        },
        "secrets",
    )
