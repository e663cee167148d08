"""The classes of false errors (and the misses) a fifth labelling round found on 21 public
repositories nobody here wrote (AI servers and SDKs; web applications in Elixir, TypeScript, Ruby,
PHP and Swift; curl, redis, dbt, Pulumi's examples, Sentry's self-hosted set-up), each next to the
true finding it must not hide, through the installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from licenses_cases import license_text
from test_precision_fourth_round import ERROR, MIT, NONE, WARNING, check
from tokens import rand

Gate = Callable[..., Any]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _whole_tree(gate: Gate, repo: Any, *checks: str) -> dict[tuple[str, int], str]:
    """The worst severity on each (path, line) of `review --all-files`, for `checks`."""
    only = [arg for name in checks for arg in ("--check", name)]
    run = gate("review", "--all-files", *only, "--format", "json", "-C", str(repo.root))
    assert run.code in (0, 1), run.output
    rank = {"note": 0, WARNING: 1, ERROR: 2}
    found: dict[tuple[str, int], str] = {}
    for finding in json.loads(run.out)["findings"]:
        where = (finding["path"], finding["line"] or 0)
        if rank[finding["severity"]] > rank.get(found.get(where, "note"), 0):
            found[where] = finding["severity"]
    return found


def test_constants_member_chains_and_colours_are_no_values(based_repo: Any, gate: Gate) -> None:
    """curl's `knownkey.keytype = CURLKHTYPE_ED25519;`, Lua's `ch2token = json->cfg->ch2token;`, an
    editor theme's `"debugTokenExpression.value": "#a6accd99"`."""
    check(
        gate,
        based_repo,
        {
            "lib/vssh/libssh.c": [
                ("static void f(void) {", NONE),
                ("  knownkey.keytype = CURLKHTYPE_ED25519;", NONE),
                ("  const json_token_type_t *ch2token = json->cfg->ch2token;", NONE),
                (f'  const char *api_key = "{rand(24)}9";', ERROR),
                ("}", NONE),
            ],
            "web/dist/assets/theme.js": [
                ('const e={"debugTokenExpression.value":"#a6accd99","tokenColor":"#e4f0fb"};', NONE)
            ],
        },
        "secrets",
    )


def test_a_rust_test_module_holds_test_values(based_repo: Any, gate: Gate) -> None:
    """dbt's `#[cfg(test)] mod tests { ... "dbtc_abc123" ... "http://ch.prod.internal:9000" }`: test
    code inside the file it tests; above the module the same lines are the code's own."""
    token = f"dbtc_{rand(6)}9"
    check(
        gate,
        based_repo,
        {
            "crates/auth/src/chain.rs": [
                (f'const CLOUD_TOKEN: &str = "{token}{rand(20)}";', ERROR),
                ('const MIRROR: &str = "https://mirror.prod.internal/duckdb";', ERROR),
                ("", NONE),
                ("#[cfg(test)]", NONE),
                ("mod tests {", NONE),
                ("    use super::*;", NONE),
                ('    const YAML: &str = r#"', NONE),
                (f'    token-value: "{token}"', WARNING),
                ('"#;', NONE),
                (f'    const ENV: [(&str, &str); 1] = [("DBT_CLOUD_TOKEN", "{token}{rand(8)}")];', WARNING),
                ('    const URI: &str = "http://ch.prod.internal:9000";', WARNING),
                ("}", NONE),
            ],
        },
        "secrets",
        "internal-urls",
    )


def test_placeholder_key_bodies_are_no_keys(based_repo: Any, gate: Gate) -> None:
    """Sentry's example configuration: a BEGIN line over `privatekeyprivatekey...`; a key of random
    base64 under the same line stays one."""
    begin, end = "#   -----BEGIN RSA " + "PRIVATE KEY-----", "#   -----END RSA " + "PRIVATE KEY-----"
    placeholder = [(begin, NONE), *[("#   " + "privatekey" * 4, NONE)] * 3, (end, NONE)]
    real = [(begin[4:], ERROR), *[(rand(64, B64), NONE)] * 3, (end[4:], NONE)]
    check(gate, based_repo, {"sentry/config.yml": placeholder, "deploy/app.pem": real}, "secrets")


def test_settings_a_test_run_loads_and_a_c_projects_test_file_are_tests(based_repo: Any, gate: Gate) -> None:
    """outline's `.env.test`, hiredis' `test.c` (its blackhole address), a commented-out service."""
    check(
        gate,
        based_repo,
        {
            ".env.test": [(f"SECRET_KEY={rand(64, '0123456789ABCDEF')}", WARNING)],
            ".env": [(f"SECRET_KEY={rand(40)}", ERROR)],
            "deps/hiredis/test.c": [('        config.tcp.host = "192.168.254.254";  /* blackhole ip */', WARNING)],
            "docker-compose.yml": [
                ("services:", NONE),
                ("#  mssql:", NONE),
                (f'#     SA_PASSWORD: "Forge{rand(2, "0123456789")}3"', WARNING),
                ("  db:", NONE),
                ("    environment:", NONE),
                (f'      POSTGRES_PASSWORD: "{rand(14)}"', ERROR),
            ],
        },
        "secrets",
        "internal-urls",
    )


def test_elixir_documentation_and_names_made_of_words(based_repo: Any, gate: Gate) -> None:
    """Phoenix's `@moduledoc` examples (doctests), payload's `i18nKey="upload:download"`, a local
    storage key's name, a camelCase lookup name, translations in a locale-named module."""
    secret = rand(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    check(
        gate,
        based_repo,
        {
            "lib/phoenix/token.ex": [
                ("defmodule Phoenix.Token do", NONE),
                ('  @moduledoc """', NONE),
                (f'      iex> secret     = "{secret}"', WARNING),
                ('  """', NONE),
                (f'  @salt "{secret[::-1]}"', NONE),
                (f'  def key, do: secret_key_base("{secret[:16]}{rand(16)}")', NONE),
                ("end", NONE),
            ],
            "packages/ui/src/Export.tsx": [
                ('          <Translation i18nKey="upload:download" t={t} />', NONE),
                ("const localStorageClipboardKey = '_payloadClipboard'", NONE),
            ],
            "data/static/users.yml": [("- email: b@juice-sh.op", NONE), ("  key: bjoernGoogle", NONE)],
            "packages/translations/src/languages/da.ts": [("    password: 'Adgangskode',", NONE)],
            "src/config.ts": [(f"export const apiKey = '{rand(20)}{rand(4, '0123456789')}'", ERROR)],
        },
        "secrets",
    )


def test_a_vagrant_host_only_address_is_a_local_machine(based_repo: Any, gate: Gate) -> None:
    check(
        gate,
        based_repo,
        {
            "vagrant/Vagrantfile": [
                ('Vagrant.configure("2") do |config|', NONE),
                ('  config.vm.network "private_network", ip: "192.168.56.110"', WARNING),
                ('  config.vm.provision "shell", inline: "curl http://10.40.2.7:8080/setup"', ERROR),
                ("end", NONE),
            ]
        },
        "internal-urls",
    )


def test_legacy_azure_keys_are_found_where_they_are_used_and_published_ones_never(based_repo: Any, gate: Gate) -> None:
    """Pulumi's examples: keys without the 2023 marker in a connection string, a Cosmos DB URL and
    beside a Cosmos host, errors even in a README (their format is checked, not a name); the keys
    emulators are built with are published and are no finding."""
    key = base64.b64encode(os.urandom(64)).decode()
    azurite = "".join(("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu", "Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="))
    check(
        gate,
        based_repo,
        {
            "secrets-provider/azure/README.md": [
                (f'  + connectionString: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={key}"', ERROR)
            ],
            "src/mongo.ts": [
                (f"// mongodb://acme:{key}@acme.mongo.cosmos.azure.com:10255/?ssl=true", ERROR),
                ("//   {", NONE),
                (f'//     password: "{key}",', ERROR),
                ('//     host: "acme.documents.azure.com",', NONE),
            ],
            ".env.dev-azure.example": [
                (
                    f"STORAGE=AccountName=devstoreaccount1;AccountKey={azurite};BlobEndpoint=http://127.0.0.1:10000/",
                    NONE,
                ),
                (f"S3_SECRET_ACCESS_KEY={azurite}", NONE),
            ],
        },
        "secrets",
    )


def test_credential_stores_are_found_by_their_format(based_repo: Any, gate: Gate) -> None:
    """juice-shop's `incident-support.kdbx`: a KeePass database, whatever its name; a keystore among
    tests is a test's."""
    based_repo.add("ftp/incident-support.kdbx", bytes.fromhex("03d9a29a67fb4bb5") + os.urandom(1500))
    based_repo.add("tests/fixtures/server.keystore", bytes.fromhex("feedfeed00000002") + os.urandom(600))
    based_repo.add("assets/logo.bin", bytes.fromhex("00ff00ff00000002") + os.urandom(600))
    run = gate("review", "--staged", "--check", "secrets", "--format", "json", "-C", str(based_repo.root))
    found = {(f["path"], f["rule"]): f["severity"] for f in json.loads(run.out)["findings"]}
    assert found == {
        ("ftp/incident-support.kdbx", "credential-store"): ERROR,
        ("tests/fixtures/server.keystore", "credential-store"): WARNING,
    }
    assert run.code == 1


@pytest.mark.parametrize(("ci", "severity", "code"), [(False, WARNING, 0), (True, ERROR, 1)], ids=["local", "ci"])
def test_an_encrypted_fixture_archive_is_unscanned_not_an_error(
    based_repo: Any, gate: Gate, monkeypatch: pytest.MonkeyPatch, ci: bool, severity: str, code: int
) -> None:
    """juice-shop's `test/files/passwordProtected.zip`: no model loader opens an encrypted member
    without its password; like any content the gate cannot read, it is reported at the policy's
    `unscanned` severity (by default a warning on a developer's machine, an error in CI, where
    what the gate cannot read fails closed)."""
    import zipfile

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)

    path = based_repo.root / "test" / "files" / "passwordProtected.zip"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("secret.txt", b"x" * 40)
    raw = bytearray(path.read_bytes())
    raw[6] |= 1  # the local header's general purpose flag: encrypted
    central = raw.find(b"PK\x01\x02")
    raw[central + 8] |= 1  # and the central directory's
    path.write_bytes(bytes(raw))
    based_repo.stage("test/files/passwordProtected.zip")
    run = gate("review", "--staged", "--check", "models", "--format", "json", "-C", str(based_repo.root))
    rules = {f["rule"]: f["severity"] for f in json.loads(run.out)["findings"]}
    assert rules == {"archive-encrypted": severity}
    assert run.code == code


def test_a_trees_own_license_declarations_that_disagree_are_warnings(repo: Any, gate: Gate) -> None:
    """langfuse's LICENSE ("Portions of this software are licensed as follows": an enterprise folder
    and MIT) beside `"license": "MIT"`: in a review of the tree as it stands, the project's own
    declarations disagreeing is for its owners to look at, not a contribution to stop. A change that
    relicenses is still an error (tests/test_licenses_review.py)."""
    mixed = (
        "Copyright (c) 2023 Acme GmbH\n\nPortions of this software are licensed as follows:\n\n"
        '- All content that resides under the "ee/" directory of this repository is licensed under the '
        "license defined in ee/LICENSE.\n- Content outside of the above mentioned directories or restrictions "
        'above is available under the "MIT Expat" license as defined below.\n\n' + MIT
    )
    repo.commit_files("tree", {"LICENSE": mixed, "package.json": '{"name": "acme", "license": "MIT"}\n'})
    found = _whole_tree(gate, repo, "licenses")
    assert found.get(("LICENSE", 3)) in (WARNING, None), found
    assert ERROR not in found.values(), found


def test_a_business_source_license_project_and_ids_written_loosely(repo: Any, gate: Gate) -> None:
    """outline: a BUSL-1.1 LICENSE whose parameters name the Change License (Apache-2.0) and
    `"license": "Business Source License 1.1"`; redis: `SPDX-License-Identifier: BSD 3-Clause` and
    autoconf's `config.guess` (GPL-3.0 with its exception) in an MIT project."""
    repo.commit_files(
        "busl", {"LICENSE": license_text("bsl-1.1"), "package.json": '{"license": "Business Source License 1.1"}\n'}
    )
    assert ERROR not in _whole_tree(gate, repo, "licenses").values()

    config_guess = "\n".join(
        [
            "#! /bin/sh",
            "# Attempt to guess a canonical system name.",
            "#   Copyright 1992-2021 Free Software Foundation, Inc.",
            "",
            "# This file is free software; you can redistribute it and/or modify it",
            "# under the terms of the GNU General Public License as published by",
            "# the Free Software Foundation; either version 3 of the License, or",
            "# (at your option) any later version.",
            "#",
            "# As a special exception to the GNU General Public License, if you",
            "# distribute this file as part of a program that contains a",
            "# configuration script generated by Autoconf, you may include it under",
            "# the same distribution terms that you use for the rest of that",
            "# program.  This Exception is an additional permission under section 7",
            '# of the GNU General Public License, version 3 ("GPLv3").',
            "",
        ]
    )
    repo.commit_files("mit", {"LICENSE": MIT, "package.json": '{"license": "MIT"}\n'})
    repo.add("deps/jemalloc/build-aux/config.guess", config_guess)
    repo.add("src/fmtargs.h", "/*\n * SPDX-License-Identifier: BSD 3-Clause\n */\n")
    repo.add("src/gpl.h", "/*\n * SPDX-License-Identifier: GPL-3.0-only\n */\n")
    run = gate("review", "--staged", "--check", "licenses", "--format", "json", "-C", str(repo.root))
    errors = {(f["path"], f["line"]) for f in json.loads(run.out)["findings"] if f["severity"] == ERROR}
    assert errors == {("src/gpl.h", 2)}
