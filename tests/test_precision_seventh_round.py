"""A seventh round: credentials that outside suites hold in markup and JSON Web Keys (recall), and
the classes of false errors found on more public projects, each next to the true finding it must not
hide, through the installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from test_precision_fourth_round import ERROR, MIT, NONE, WARNING, check
from tokens import jwt, rand

Gate = Callable[..., Any]


def _key_block(body: list[str], kind: str = "PRIVATE KEY") -> list[str]:
    """A PEM block of `kind` around `body`, its markers built from parts (no file holds one whole)."""
    return ["-----BEGIN " + kind + "-----", *body, "-----END " + kind + "-----"]


def _key_lines(body: list[str], severity: str, kind: str = "PRIVATE KEY", indent: str = "") -> list[tuple[str, str]]:
    """The key block's lines as `check` takes them: the finding on its BEGIN line, none after."""
    lines = _key_block(body, kind)
    return [(indent + lines[0], severity), *((indent + line, NONE) for line in lines[1:])]


B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def test_markup_that_names_a_value_in_one_attribute_and_holds_it_in_another(based_repo: Any, gate: Gate) -> None:
    """.NET's `<add key="ApiKey" value="...">`, Spring's `<property name="password" value="...">`,
    `<entry name="db.password">...</entry>`: the key attribute names the value; settings that are
    versions, switches, URLs, references or placeholders are none."""
    check(
        gate,
        based_repo,
        {
            "src/App/Web.config": [
                ("<configuration><appSettings>", NONE),
                (f'  <add key="ApiKey" value="{rand(24)}" />', ERROR),
                ('  <add key="webpages:Version" value="3.0.0.0" />', NONE),
                ('  <add key="TokenLifetime" value="00:30:00" />', NONE),
                ('  <add key="ClientSecret" value="${CLIENT_SECRET}" />', NONE),
                ('  <add key="PasswordResetUrl" value="https://example.org/reset" />', NONE),
                ("</appSettings></configuration>", NONE),
            ],
            "conf/context.xml": [
                ("<beans>", NONE),
                (f'  <property name="password" value="{rand(14)}7x"/>', ERROR),
                ('  <property name="passwordEncoder" value="org.example.BCryptPasswordEncoder"/>', NONE),
                ('  <property name="password" ref="passwordBean"/>', NONE),
                (f'  <entry name="db.password">{rand(16)}</entry>', ERROR),
                ("</beans>", NONE),
            ],
            "web/login.html": [
                ('<input type="password" name="password" value="" placeholder="Password">', NONE),
                ('<label for="password">Your password</label><input id="password" name="password">', NONE),
                ('<option value="passwordless">Passwordless sign-in</option>', NONE),
            ],
        },
        "secrets",
    )


def test_a_json_web_key_s_private_member(based_repo: Any, gate: Gate) -> None:
    """The `d` of an RSA, EC or OKP key and the `k` of an `oct` key are the key; a public JWK's
    members are not, and a JOSE library's test keys are warnings."""
    private = rand(43, B64URL)
    x, y = rand(43, B64URL), rand(43, B64URL)
    public = f'{{"kty": "EC", "crv": "P-256", "x": "{x}", "y": "{y}"}}'
    check(
        gate,
        based_repo,
        {
            "deploy/signing-key.json": [
                ("{", NONE),
                ('  "kty": "EC",', NONE),
                ('  "crv": "P-256",', NONE),
                (f'  "d": "{private}",', ERROR),
                ("}", NONE),
            ],
            "deploy/hmac.json": [(f'{{"kty": "oct", "k": "{rand(43, B64URL)}", "alg": "HS256"}}', ERROR)],
            "deploy/public.json": [(public, NONE)],
            "tests/keys/rsa.json": [(f'{{"kty": "RSA", "e": "AQAB", "d": "{rand(342, B64URL)}"}}', WARNING)],
        },
        "secrets",
    )


def test_sixth_round_warnings_that_were_no_secrets(based_repo: Any, gate: Gate) -> None:
    """A WebSocket handshake's `Sec-WebSocket-Key` in a transcript and a certificate's common name
    under `auth-tls-match-cn` are no secrets; an access key of two interleaved counts
    (`A1B2C3D4...`) is made by hand, a warning; a real value beside each is still an error."""
    nonce = rand(22) + "=="
    check(
        gate,
        based_repo,
        {
            "docs/websocket.md": [("GET /chat HTTP/1.1", NONE), (f"Sec-WebSocket-Key: {nonce}", NONE)],
            "deploy/ingress.go": [
                ('    "nginx.ingress.kubernetes.io/auth-tls-match-cn": "CN=authtls",', NONE),
                (f'    "nginx.ingress.kubernetes.io/auth-secret-token": "{rand(24)}",', ERROR),
            ],
            "config/outscale.yml": [
                ("access_key: " + "".join(a + b for a, b in zip("ABCDEFGHIJ", "1234567890", strict=True)), WARNING),
                (f"secret_key: {rand(40)}", ERROR),
            ],
        },
        "secrets",
    )


def _distinct(n: int, alphabet: str) -> str:
    """`n` different characters of `alphabet`, letters and digits both: random hex of 8 and 4
    characters falls under the entropy a key needs about once in 40 draws (`a9a9a9a9`, `12067983`)."""
    while True:
        value = "".join(random.sample(alphabet, n))
        if any(c.isalpha() for c in value) and any(c.isdigit() for c in value):
            return value


def test_telemetry_keys_and_password_hashes_under_secret_names(based_repo: Any, gate: Gate) -> None:
    """A VS Code extension's `aiKey` and Application Insights' instrumentation key only send data in
    and ship inside every client: publishable, warnings. A chart's `htpasswd: user:$2y$...` is a
    password's hash, the `password-hash` rule's warning, not a secret assigned."""
    hexes = "0123456789abcdef"
    ai_key = "-".join([rand(32, hexes), rand(8, hexes), rand(4, hexes), rand(4, hexes), rand(4, hexes)])
    ai_key += "-" + rand(12, hexes) + "-7255"
    crypt = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    check(
        gate,
        based_repo,
        {
            "extension/package.json": [("{", NONE), (f'  "aiKey": "{ai_key}",', WARNING), ("}", NONE)],
            "src/telemetry.ts": [
                (f'const instrumentationKey = "{_distinct(8, hexes)}-{_distinct(4, hexes)}-xy";', WARNING)
            ],
            "charts/registry/values.yaml": [(f"htpasswd: registry_user:$2y$10${rand(53, crypt)}", WARNING)],
            "src/config.ts": [(f'const apiKey = "{rand(28)}";', ERROR)],
        },
        "secrets",
    )


def test_keys_a_comment_calls_examples_and_keys_cut_short(based_repo: Any, gate: Gate) -> None:
    """Bitnami's charts: `## Example value taken from ...` right above a chart's default key (a
    key published with the chart: a warning), and a README's key cut short by a line of `...`
    (nothing of a key: no finding); the same key with no such comment is an error."""
    body = [rand(64) for _ in range(3)]
    begin, *_, end = _key_block(body, "RSA PRIVATE KEY")
    check(
        gate,
        based_repo,
        {
            "charts/ci-server/values.yaml": [
                ("web:", NONE),
                ("  ## @param web.hostKey Private key of the web node", NONE),
                ("  ## Example value taken from the upstream chart", NONE),
                ("  hostKey: |-", NONE),
                *_key_lines(body, WARNING, "RSA PRIVATE KEY", "    "),
            ],
            "charts/ci-server/README.md": [
                ("```yaml", NONE),
                ("tls:", NONE),
                ("  key: |", NONE),
                (f"    {begin}", NONE),
                (f"    {body[0]}", NONE),
                ("    ...", NONE),
                (f"    {end}", NONE),
                ("```", NONE),
            ],
            "deploy/values.yaml": [
                ("web:", NONE),
                ("  # the web node's key", NONE),
                ("  hostKey: |-", NONE),
                *_key_lines(body, ERROR, "RSA PRIVATE KEY", "    "),
            ],
        },
        "secrets",
    )


def test_a_sub_folder_s_readme_that_tells_what_it_deploys_is_licensed(based_repo: Any, gate: Gate) -> None:
    """Bitnami's `kibana/README.md` ("Kibana container components are now licensed under the Elastic
    License") tells the terms of the image a chart deploys: a page quoting a license, a warning; a
    source file's header with the same terms is an error."""
    based_repo.commit_files("license", {"LICENSE": MIT})
    check(
        gate,
        based_repo,
        {
            "charts/minio/README.md": [
                ("# MinIO chart", NONE),
                ("", NONE),
                ("MinIO is licensed under the GNU Affero General Public License v3.0.", WARNING),
            ],
            "src/storage.py": [
                ("# This program is free software: you can redistribute it and/or modify it under", ERROR),
                ("# the terms of the GNU Affero General Public License as published by the Free", NONE),
                ("# Software Foundation, either version 3 of the License, or (at your option) any", NONE),
                ("# later version.", NONE),
            ],
        },
        "licenses",
    )


def test_round_seven_c_classes(based_repo: Any, gate: Gate) -> None:
    """authlib's docstrings quoting RFC 6749's example responses, JOSE's JSDoc `@example` JWTs,
    dex's storage conformance tests and jose's `tap/` suite, oauth2-proxy's `local-environment/`
    (its client secret the base64 of words), SQLAlchemy's `scott:tiger` test databases: made for
    readers or tests. The same values in plain code stay errors."""
    import base64

    token = rand(22)
    words = base64.b64encode(b"oauth2-proxy-client-secret\n").decode()
    check(
        gate,
        based_repo,
        {
            "authlib/grants/code.py": [
                ("def create_token_response(self):", NONE),
                ('    """Respond with the token:', NONE),
                ("", NONE),
                (f'        "access_token":"{token}",', WARNING),
                ('    """', NONE),
                (f'    access_token = "{rand(24)}"', ERROR),
            ],
            "src/jwt/verify.ts": [
                ("/**", NONE),
                (" * @example", NONE),
                (f" *   '{jwt()}'", WARNING),
                (" */", NONE),
            ],
            "storage/conformance/jwks.go": [(f'{{"kty": "RSA", "e": "AQAB", "d": "{rand(86)}"}}', WARNING)],
            "tap/fixtures.ts": [(f'const jwk = {{"kty": "OKP", "crv": "Ed25519", "d": "{rand(43)}"}}', WARNING)],
            "contrib/local-environment/proxy.cfg": [
                (f'cookie_secret="{rand(43)}="', WARNING),
                (f'client_secret="{words}"', WARNING),
            ],
            "deploy/proxy.cfg": [(f'cookie_secret="{rand(43)}="', ERROR)],
            "setup.cfg": [("[db]", NONE), ("mssql = mssql+pyodbc://scott:tiger^5HHH@mssql2022:1433/test", NONE)],
        },
        "secrets",
    )


def test_password_hashes_in_samples_are_no_finding(based_repo: Any, gate: Gate) -> None:
    """A documented example's users (`alice: $2y$10$...` in `documentation/examples/`), a generator's
    seed users in templates and Jest snapshots: hashes made for them; a database dump's are a warning."""
    crypt = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    check(
        gate,
        based_repo,
        {
            "documentation/examples/web-config.yml": [(f"  alice: $2y$10${rand(53, crypt)}", NONE)],
            "generators/liquibase/__snapshots__/users.spec.ts.snap": [
                (f"1;admin;$2a$10${rand(53, crypt)};Admin", NONE)
            ],
            "generators/templates/data/user.csv.ejs": [(f"1;admin;$2a$10${rand(53, crypt)};Admin", NONE)],
            "resources/db-dumps/dump.txt": [(f"user_1, $2b$10${rand(53, crypt)}", WARNING)],
        },
        "secrets",
    )


def test_a_placeholder_host_run_together_is_no_intranet_host(based_repo: Any, gate: Gate) -> None:
    """eShopOnWeb's `http://catalogbaseurltobereplaced/`: a name that says it is replaced at
    deployment; `http://wiki/` is an intranet host."""
    check(
        gate,
        based_repo,
        {
            "src/Services/UriComposer.cs": [
                ('    var url = "http://catalogbaseurltobereplaced/images/1.png";', NONE),
                ('    var wiki = "http://wiki/pages/onboarding";', WARNING),
            ]
        },
        "internal-urls",
    )


def test_round_seven_c_values_that_are_no_secrets(based_repo: Any, gate: Gate) -> None:
    """A JOSE algorithm under a name with `token` (`id_token_encryption_enc: A128CBC-HS256`), a JWE's
    `encrypted_key` (ciphertext, public in every JWE), eShop's `Password=@someThingComplicated1234`,
    nginx's `http://unix:/run/app.sock`: none is a leak."""
    check(
        gate,
        based_repo,
        {
            "authlib/oidc/claims.py": [('        self.setdefault("id_token_encryption_enc", "A128CBC-HS256")', NONE)],
            "src/jwe/decrypt.py": [(f'    jwe = {{"encrypted_key": "{rand(43)}", "iv": "{rand(22)}"}}', NONE)],
            "src/Web/appsettings.json": [
                ('  "Db": "Server=sqlserver,1433;User Id=sa;Password=@someThingComplicated1234;"', NONE)
            ],
            "deploy/nginx.conf": [("    proxy_pass http://unix:/run/app.sock;", NONE)],
        },
        "secrets",
        "internal-urls",
    )


def test_a_local_setup_s_addresses_are_samples(based_repo: Any, gate: Gate) -> None:
    """oauth2-proxy's `contrib/local-environment/kubernetes/custom-dns.yaml`: a kind cluster's pod
    address for a local demo; the same address in a deployment's configuration is an error."""
    address = ".".join(["10", "244", "0", "1"])
    check(
        gate,
        based_repo,
        {
            "contrib/local-environment/kubernetes/custom-dns.yaml": [(f"      {address} dex.localtest.me", WARNING)],
            "deploy/kubernetes/custom-dns.yaml": [(f"      {address} dex.corp-sso.io", ERROR)],
        },
        "internal-urls",
    )


def test_a_parameter_expansion_s_message_is_no_value(based_repo: Any, gate: Gate) -> None:
    """full-stack-fastapi-template's compose file: `${POSTGRES_PASSWORD:?Variable not set}` names a
    variable and the message shown when it is unset; a literal password beside it is a finding."""
    check(
        gate,
        based_repo,
        {
            "compose.yml": [
                ("services:", NONE),
                ("  backend:", NONE),
                ("    environment:", NONE),
                ("      DATABASE_URL: postgresql://postgres:${POSTGRES_PASSWORD:?Variable not set}@db:5432/app", NONE),
                ("      SMTP_PASSWORD: ${SMTP_PASSWORD:-Overridden1}", NONE),
                (f"      API_SECRET: {rand(20)}7", ERROR),
            ]
        },
        "secrets",
    )


def test_setting_names_and_stand_in_servers(based_repo: Any, gate: Gate) -> None:
    """aws-cli's `EMRFS_CSE_KMS_KEY_ID_KEY = 'fs.s3.cse.kms.keyId'` names a Hadoop setting; urllib3's
    `dummyserver/certs/server.key` is a test server's key; a random value and a key elsewhere stay."""
    body = [rand(64) for _ in range(3)]
    check(
        gate,
        based_repo,
        {
            "awscli/customizations/emr/constants.py": [
                ("EMRFS_CSE_KMS_KEY_ID_KEY = 'fs.s3.cse.kms.keyId'", NONE),
                (f"EMRFS_SECRET_KEY = '{rand(24)}'", ERROR),
            ],
            "dummyserver/certs/server.key": _key_lines(body, WARNING),
            "server/certs/server.key": _key_lines(body, ERROR),
        },
        "secrets",
    )


def test_an_address_under_a_comment_that_calls_it_arbitrary(based_repo: Any, gate: Gate) -> None:
    """werkzeug's `get_interface_ip`: `# arbitrary private address` above the address it connects a
    UDP socket to (to learn the interface's own address); without such a comment it is an error."""
    address = ".".join(["10", "253", "155", "219"])
    check(
        gate,
        based_repo,
        {
            "src/werkzeug/serving.py": [
                ("def get_interface_ip(family):", NONE),
                ("    # arbitrary private address", NONE),
                (f'    host = "{address}"', WARNING),
                ("    # the build server", NONE),
                (f'    host = "{address[:-1]}8"', ERROR),
            ]
        },
        "internal-urls",
    )


def test_an_example_program_s_dependencies_are_not_the_project_s(
    based_repo: Any, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """go-redis's `example/*/go.mod`: a sample program's packages, which the project never ships; an
    unknown license there is no warning (68 in go-redis), at the project's root it is."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(based_repo.root / ".cache-home"))
    based_repo.commit_files("license", {"LICENSE": MIT})
    check(
        gate,
        based_repo,
        {
            "example/autopipeline/requirements.txt": [("zz-unknown-sample-package==1.0.0", NONE)],
            "requirements.txt": [("zz-unknown-project-package==1.0.0", WARNING)],
        },
        "licenses",
    )


def test_a_corrupt_fixture_archive_is_unscanned_not_an_error(
    based_repo: Any, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """twine's `tests/fixtures/malformed.tar.gz`: what no loader can open is reported at the
    policy's `unscanned` severity (a warning on a developer's machine), like an encrypted member."""
    import json

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    path = based_repo.root / "tests" / "fixtures" / "malformed.tar.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"not gzip data at all" * 8)
    based_repo.stage("tests/fixtures/malformed.tar.gz")
    run = gate("review", "--staged", "--check", "models", "--format", "json", "-C", str(based_repo.root))
    rules = {f["rule"]: f["severity"] for f in json.loads(run.out)["findings"]}
    assert rules == {"archive-corrupt": WARNING}
    assert run.code == 0
