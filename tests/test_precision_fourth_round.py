"""The classes of false errors a fourth labelling round found on 21 public repositories nobody here
wrote (web frameworks and apps, AI SDKs and servers, Go, Rust and Terraform infrastructure), each
next to the true finding it must not hide, through the installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Callable
from typing import Any

import tokens
from tokens import rand

Gate = Callable[..., Any]
HEX = "0123456789abcdef"
NONE, WARNING, ERROR = "none", "warning", "error"
MIT = (
    "MIT License\n\nCopyright (c) 2024 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a "
    'copy of this software and associated documentation files (the "Software"), to deal in the Software without '
    "restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, "
    "sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do "
    "so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be "
    'included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT '
    "WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, "
    "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE "
    "LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING "
    "FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n"
)


def findings(gate: Gate, repo: Any, *checks: str) -> dict[tuple[str, int], str]:
    """The worst severity on each (path, line) of the staged change, for `checks` (all: none given)."""
    only = [arg for name in checks for arg in ("--check", name)]
    run = gate("review", "--staged", *only, "--format", "json", "-C", str(repo.root))
    assert run.code in (0, 1), run.output
    rank = {NONE: 0, "note": 0, WARNING: 1, ERROR: 2}
    found: dict[tuple[str, int], str] = {}
    for finding in json.loads(run.out)["findings"]:
        where = (finding["path"], finding["line"] or 0)
        if rank[finding["severity"]] > rank[found.get(where, NONE)]:
            found[where] = finding["severity"] if finding["severity"] != "note" else NONE
    return found


def check(gate: Gate, repo: Any, files: dict[str, list[tuple[str, str]]], *checks: str) -> None:
    """Stage each file (lines with the severity each must get) and compare the report with them."""
    expected: dict[tuple[str, int], str] = {}
    for path, lines in files.items():
        repo.add(path, "".join(line + "\n" for line, _ in lines))
        for number, (_, severity) in enumerate(lines, 1):
            expected[(path, number)] = severity
    found = findings(gate, repo, *checks)
    wrong = {
        where: (want, found.get(where, NONE)) for where, want in expected.items() if found.get(where, NONE) != want
    }
    assert not wrong, wrong  # (path, line): (expected, found), never a value


def test_translations_hold_words_under_secret_names(based_repo: Any, gate: Gate) -> None:
    """Rails' `config/locales/*.yml`, gettext catalogues: the interface's words for "password"."""
    check(
        gate,
        based_repo,
        {
            "config/locales/da.yml": [("da:", NONE), ("  devise:", NONE), ("    password: Adgangskode", NONE)],
            "config/locales/fi.yml": [("fi:", NONE), ("  forgot_password: Unohditko salasanasi?", NONE)],
            "po/fi.po": [('msgid "password"', NONE), ('msgstr "Salasana"', NONE)],
            "config/settings.yml": [(f"password: {rand(12)}!{rand(4)}", ERROR)],
        },
        "secrets",
    )


def test_values_that_are_types_paths_code_or_prose_are_not_secrets(based_repo: Any, gate: Gate) -> None:
    check(
        gate,
        based_repo,
        {
            "schema.graphql": [
                ("type Mutation {", NONE),
                ("  login(email: String!, password: String!): Boolean", NONE),
                ("}", NONE),
            ],
            "src/types.ts": [("export interface Login { token: string; password?: string }", NONE)],
            "pkg/sync/store.go": [
                ("package sync", NONE),
                ('const policyDBGroupsListKey = "policydb/groups/"', NONE),
                ('const AnnotationKeyHook = "argocd.argoproj.io/hook"', NONE),
                ("func f() {", NONE),
                ("\tkey := appsv1.GnuPGPublicKey{", NONE),
                ("\tkey = key*2862933555777941757 + 1", NONE),
                ("}", NONE),
                (f'const signingKey = "{rand(40)}"', ERROR),
            ],
            "operator/addons.yaml": [
                ("spec:", NONE),
                ("  description: |", NONE),
                ("    Allowed values for Ed25519 keys: PureEd25519.", NONE),
                (f"  apiKey: {rand(32)}", ERROR),
            ],
            "src/ws.rs": [(f'        .header("sec-websocket-key", "{rand(22)}==")', NONE)],
            "web/src/Config.js": [
                (
                    "export const c = { prompt: { key: '按照如下格式输入：APIKey-AppId，例如：fastgpt-0000aaaabbbb-1111' } };",
                    NONE,
                )
            ],
        },
        "secrets",
    )


def test_sample_passwords_of_vendor_docs_are_placeholders(based_repo: Any, gate: Gate) -> None:
    """Microsoft's SQL Server samples: `yourStrong(!)Password`, `Pass@word1`; a typed alphabet in base64."""
    alphabet = base64.b64encode((string.ascii_uppercase + "abcdef").encode()).decode()
    check(
        gate,
        based_repo,
        {
            "src/appsettings.json": [
                ('{"A": "Host=localhost;Database=App;Username=postgres;Password=yourStrong(!)Password",', NONE),
                (' "B": "Server=db,1433;Database=x;User Id=sa;Password=Pass@word1;TrustServerCertificate=true",', NONE),
                (f' "C": "Server=db.acme.io;Database=x;User Id=app;Password={rand(14)}#{rand(4)};"}}', ERROR),
            ],
            ".github/workflows/ci.yml": [("env:", NONE), (f'  MINIO_KMS_SECRET_KEY: "my-minio-key:{alphabet}"', NONE)],
        },
        "secrets",
    )


def test_a_command_s_credential_in_documentation_or_a_test_folder_is_a_sample(based_repo: Any, gate: Gate) -> None:
    """curl's `-u` and an Authorization header in docs are examples (warnings); a project's own test
    folder (`caddytest/`) holds test keys; `latest/` is no test folder."""
    key_body = "\n".join(rand(64, tokens._B64) for _ in range(3))
    key = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + key_body + "\n-----END RSA " + "PRIVATE KEY-----"
    check(
        gate,
        based_repo,
        {
            "docs/auth.md": [
                (f"    curl -H 'Authorization: Token {rand(40, HEX)}' http://127.0.0.1:8000/api/", WARNING)
            ],
            "docs/idp.md": [(f"curl -u {rand(24)}:{rand(20)} -k https://localhost:9443/oauth2/token", WARNING)],
            "scripts/deploy.sh": [(f"curl -u deploy:{rand(20)} https://api.acme.io/v1/deploy", ERROR)],
            "caddytest/a.localhost.key": [
                (line, WARNING if n == 0 else NONE) for n, line in enumerate(key.split("\n"))
            ],
            "latest/deploy.key": [(line, ERROR if n == 0 else NONE) for n, line in enumerate(key.split("\n"))],
        },
        "secrets",
    )


def test_ci_configuration_literals_are_test_services_credentials(based_repo: Any, gate: Gate) -> None:
    """minio's workflows set a KMS test key and keep a demo server's key; a pasted provider token stays an error."""
    key_body = "\n".join(rand(64, tokens._B64) for _ in range(3))
    key = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + key_body + "\n-----END RSA " + "PRIVATE KEY-----"
    check(
        gate,
        based_repo,
        {
            ".github/workflows/go.yml": [
                ("env:", NONE),
                (f'  MINIO_KMS_SECRET_KEY: "my-minio-key:{rand(43, tokens._B64)}="', WARNING),
                (f"  GITHUB_TOKEN: {tokens.github_token()}", ERROR),
            ],
            ".gitlab-ci.yml": [("variables:", NONE), (f"  DB_PASSWORD: {rand(16)}", WARNING)],
            ".github/workflows/root.key": [
                (line, WARNING if n == 0 else NONE) for n, line in enumerate(key.split("\n"))
            ],
            "deploy/values.yaml": [(f"dbPassword: {rand(16)}", ERROR)],
        },
        "secrets",
    )


def test_an_analytics_write_key_is_publishable(based_repo: Any, gate: Gate) -> None:
    """streamlit's Segment `writeKey`: sent from every client that reports events, by design."""
    check(
        gate,
        based_repo,
        {
            "lib/app/credentials.py": [
                (f'payload = {{"type": "track", "writeKey": "{rand(32)}"}}', WARNING),
                (f'payload = {{"apiSecret": "{rand(32)}"}}', ERROR),
            ]
        },
        "secrets",
    )


def test_stripe_test_mode_keys_are_warnings_and_live_ones_errors(based_repo: Any, gate: Gate) -> None:
    test_key = "sk_" + "test_" + rand(24)
    live_key = "sk_" + "live_" + rand(24)
    check(
        gate,
        based_repo,
        {
            "settings/common.py": [
                (f'STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "{test_key}")', WARNING),
                (f'STRIPE_LIVE_KEY = "{live_key}"', ERROR),
            ]
        },
        "secrets",
    )


def test_a_rails_master_key_is_found_by_its_file(based_repo: Any, gate: Gate) -> None:
    """32 hex digits with no keyword: the file's name says what they are."""
    check(
        gate,
        based_repo,
        {
            "config/master.key": [(rand(32, HEX), ERROR)],
            "config/credentials/production.key": [(rand(32, HEX), ERROR)],
            "test/dummy/config/master.key": [(rand(32, HEX), WARNING)],
            "docs/master.key.md": [(rand(32, HEX), NONE)],
        },
        "secrets",
    )


def test_example_and_docker_addresses_are_no_internal_hosts(based_repo: Any, gate: Gate) -> None:
    check(
        gate,
        based_repo,
        {
            "cli/safety.go": [
                ("const hint = `Bind to a private interface only (e.g. --address 10.0.0.5:8080)`", WARNING),
                ("var help = `Examples: --address '172.16.34.31:9000'`", WARNING),
                ("var usage = `Examples: --address ':443'", NONE),
                ("      --address '172.16.34.32:9000'`", WARNING),
                ('var db = "10.20.30.41:5432"', ERROR),
            ],
            "src/constants.js": [('export const U = "http://model-runner.docker.internal/engines/v1";', NONE)],
        },
        "internal-urls",
    )


def test_checksums_of_downloads_kept_elsewhere_are_notes(based_repo: Any, gate: Gate) -> None:
    """An installer's `*.sha256` names a release tarball fetched at build time, never in the tree."""
    check(
        gate,
        based_repo,
        {
            "hack/installers/checksums/tool-v1.0.0-linux-amd64.tar.gz.sha256": [
                (f"{rand(64, HEX)}  tool-v1.0.0-linux-amd64.tar.gz", NONE)
            ]
        },
        "models",
    )


def test_license_exceptions_private_packages_and_vendored_headers(based_repo: Any, gate: Gate) -> None:
    """An exception only adds permissions (AGPL with OpenSSL's), `GPL-2.0 WITH Linux-syscall-note`
    headers are for system calls, a private `UNLICENSED` package is never published, `Apache
    License` is Apache-2.0; a vendored file's header is a warning, the vendored package's own
    license file an error."""
    based_repo.commit_files("license", {"LICENSE": MIT})
    check(
        gate,
        based_repo,
        {
            "vendor/example.org/libc/limits.go": [
                ("// SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note", NONE),
                ("package limits", NONE),
            ],
            "vendor/example.org/cddl/sys.go": [
                ("// SPDX-License-Identifier: CDDL-1.0", WARNING),
                ("package sys", NONE),
            ],
            "vendor/example.org/gpl/LICENSE": [("SPDX-License-Identifier: GPL-3.0-only", ERROR)],
            "examples/demo/package.json": [
                ('{"name": "@example/demo", "private": true, "license": "UNLICENSED"}', NONE)
            ],
            "sdk/package.json": [('{"name": "demo-sdk", "license": "Apache License"}', NONE)],
        },
        "licenses",
    )


def test_code_after_a_block_comment_is_no_comment(based_repo: Any, gate: Gate) -> None:
    check(
        gate,
        based_repo,
        {
            "public/widget.min.js": [
                ("/**", NONE),
                (" * @license Demo v1.0 (MIT)", NONE),
                (" */var sql={begin:/\\bPARALLEL\\s+(UNSAFE|RESTRICTED|SAFE)\\b/};", NONE),
            ],
            "src/notes.js": [("/*", NONE), (" * INTERNAL USE ONLY", ERROR), (" */", NONE)],
        },
        "proprietary-markers",
    )


def test_a_projects_own_license_exception_is_no_incompatible_license(repo: Any, gate: Gate) -> None:
    """diaspora's COPYRIGHT: AGPL-3.0 with the OpenSSL linking exception, in an AGPL-3.0 project."""
    repo.commit_files("project", {"package.json": '{"name": "social", "version": "1.0.0", "license": "AGPL-3.0"}\n'})
    notice = [
        "Social is copyright Social Inc., 2010, and files herein are licensed under the Affero General",
        "Public License version 3, or any later version of the AGPL, unless otherwise noted.",
        "",
        "In addition, as a special exception, the copyright holders give permission to link the code of",
        "portions of this program with the OpenSSL library under certain conditions as described in each",
        "individual source file, and distribute linked combinations including the two.",
        "",
        "You must obey the GNU Affero General Public License V3 or later in all respects for all of the",
        "code used other than OpenSSL. If you modify file(s) with this exception, you may extend this",
        "exception to your version of the file(s), but you are not obligated to do so. If you do not wish",
        "to do so, delete this exception statement from your version. If you delete this exception",
        "statement from all source files in the program, then also delete it here.",
    ]
    check(gate, repo, {"COPYRIGHT": [(line, NONE) for line in notice]}, "licenses")
