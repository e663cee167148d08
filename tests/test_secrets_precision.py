"""The secrets check on real code (issue 14, precision): every class of false alarm seen on public
repositories, and the true findings next to them, through the installed command on real git
repositories. Each test stages files of one class and reads the JSON report: no finding, a
warning (a sample: tests, docs, hand-made values) or an error (what a maintainer wants stopped).

Every credential-shaped value is built here at run time from parts and random characters."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string
from pathlib import Path
from typing import TYPE_CHECKING

import hidden_cases as cases
import pytest
import tokens
from tokens import rand

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import GitRepo
    from processes import Run

HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
LICENSE_NAME = "bsd-systemics-" + "w3works"  # a license's name, which is also its file's
B64 = "".join(c for c in ALNUM if c not in "xX") + "+/"  # no `xxxx` (a masked placeholder)
NONE, WARNING, ERROR = "none", "warning", "error"


def review(gate_cmd: Callable[..., Run], repo: GitRepo) -> dict[tuple[str, int], str]:
    """The worst severity of the secrets findings on each (path, line) of the staged change."""
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", repo.root)
    assert run.code in (0, 1), run.output
    found: dict[tuple[str, int], str] = {}
    for finding in run.json()["findings"]:
        where = (finding["path"], finding["line"])
        if found.get(where) != ERROR:
            found[where] = finding["severity"]
    return found


def check(gate_cmd: Callable[..., Run], repo: GitRepo, files: dict[str, list[tuple[str, str]]]) -> None:
    """Stage each file (lines with the severity each must get) and compare the report with them."""
    expected: dict[tuple[str, int], str] = {}
    for path, lines in files.items():
        repo.add(path, "".join(line + "\n" for line, _ in lines))
        for number, (_, severity) in enumerate(lines, 1):
            expected[(path, number)] = severity
    found = review(gate_cmd, repo)
    wrong = {
        where: (want, found.get(where, NONE)) for where, want in expected.items() if found.get(where, NONE) != want
    }
    assert not wrong, wrong  # (path, line): (expected, found), never a value


def jwt(header: dict[str, object], claims: dict[str, object], key: bytes | None = None, signature: str = "") -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    signed = part(header) + "." + part(claims)
    if key is not None:
        digest = hmac.new(key, signed.encode(), hashlib.sha256).digest()
        signature = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return signed + "." + signature


# -- the name must mean a secret ----------------------------------------------------------------


def test_names_that_count_limit_or_describe_a_secret_are_not_findings(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    value = rand(40)
    check(
        gate_cmd,
        based_repo,
        {
            "src/pricing.py": [
                ('MODEL = {"input_cost_per_token": 0.00000028, "max_tokens": 4096}', NONE),
                (f'TOKENIZER = "{rand(6)}{rand(3, "0123456789")}k_base"', NONE),
                ('token_type = "Bearer"', NONE),
                (f'next_page_token = "{value}"', NONE),
                (f'public_key = "{rand(44)}"', NONE),
                (f'primary_key = "{rand(32)}"', NONE),
                (f'csrf_token = "{rand(32)}"', NONE),
                (f'invalid_secret = "{rand(32)}"', NONE),
                (f'password_hint = "{rand(16)}"', NONE),
                (f'keyboard_layout = "{rand(24)}"', NONE),
                (f'monkey = "{rand(24)}"', NONE),
                (f'secret_name = "{rand(24)}"', NONE),
            ],
            "config/limits.yaml": [
                ("x-ratelimit-remaining-tokens: 149984", NONE),
                ("x-ratelimit-reset-tokens: 6m0s", NONE),
                ("anthropic-ratelimit-tokens-reset: 2024-05-01T12:00:00Z", NONE),
                (f"token_created_at: 2025-01-0{rand(1, '123456789')}T10:00:00.000Z", NONE),
            ],
        },
    )


def test_names_that_hold_a_secret_are_errors_in_code_and_configuration(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    check(
        gate_cmd,
        based_repo,
        {
            "src/settings.py": [
                (f'DB_PASSWORD = "{rand(40)}"', ERROR),
                (f'self.api_key = "{rand(48, HEX)}"', ERROR),
                (f'stripe_secret = b"{rand(40)}"', ERROR),
            ],
            "config/app.yaml": [(f"hapikey: {rand(36)}", ERROR), (f"  auth_token: {rand(40)}", ERROR)],
            "config/app.json": [(f'{{"client_secret" : "{rand(64, HEX)}"}}', ERROR)],
            "deploy/.env": [(f"KEY={rand(40)}", ERROR), (f"export SERVICE_CREDS={rand(40)}", ERROR)],
            "src/Storage.cs": [(f'context.Add("AccountKey", "{rand(86, B64)}==");', ERROR)],
            "config/settings.xml": [(f"<password>{rand(40)}</password>", ERROR)],
            "src/client.go": [(f'\tapiKey   :=   "{rand(40)}"', ERROR)],
        },
    )


# -- the value must read as a secret -------------------------------------------------------------


def test_values_that_are_no_secret_are_not_findings(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    digest = rand(64, HEX)
    check(
        gate_cmd,
        based_repo,
        {
            "config/values.yaml": [
                ("api_key: 4.0.0.0", NONE),
                ("secret: 2024-05-01T12:00:00+00:00", NONE),
                ("token: 12345678901234567890", NONE),
                (f"cache_key: {digest}", NONE),
                (f"image_token: sha256:{digest}", NONE),
                (f"token_hash: {digest}", NONE),
                (f'key: "{digest}"  # sha256 of the archive', NONE),
                ("api_key: 00000000-0000-0000-0000-000000000000", NONE),
                ("api_key: your-api-key-here", NONE),
                ("password: <your password>", NONE),
                ("secret: xxxxxxxxxxxxxxxx", NONE),
                ("token: jwt-token-123", NONE),
                ("api_key: super-secret-api-key-12345", NONE),
                ("metadata_key: pydantic-mypy-metadata", NONE),
                ("auth_token: ${AUTH_TOKEN}", NONE),
                ("auth_token: '{{ secrets.token }}'", NONE),
            ],
            "src/app.py": [
                ("api_key = settings.OPENAI_API_KEY", NONE),
                ("client = Client(api_key=TestConfiguration.OpenAI.ApiKey)", NONE),
                ("service = Service(credential=credential)", NONE),
                ("password = b'\\x89PNG\\r\\n\\x1a\\n'", NONE),
                ("password = 'P@ssw0rd1'", NONE),
                ("password = 'IAmSensitive'", NONE),
                ("secret = os.environ['APP_SECRET']", NONE),
            ],
            "docs/trufflehog.1": [(".B \\fB--token=TOKEN\\fR", NONE)],
            "notebooks/demo.ipynb": [('    "svc = Chat(service_id=sid, credential=credential)\\n",', NONE)],
        },
    )


def test_code_and_data_that_only_name_a_key_are_not_findings(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """Seen on real trees (CPython, site-packages, ReSharper settings, C extensions): names, paths,
    format strings, casts and type annotations where a name-based rule expects a value."""
    guid = "_002D".join(rand(n, HEX) for n in (8, 4, 4, 4, 12))
    check(
        gate_cmd,
        based_repo,
        {
            f"data/licenses/{LICENSE_NAME}.LICENSE": [
                ("---", NONE),
                ("key: " + LICENSE_NAME, NONE),
                ("spdx_license_key: LicenseRef-scancode-bsd-systemics-w3works", NONE),
                ("homepage_url: https://docs.google.com/forms/d/e/x/viewform?formkey=" + rand(34), NONE),
            ],
            "src/Project.DotSettings": [
                (f'<s:String x:Key="/Default/CodeStyle/Naming/UserRules/={guid}/@EntryIndexedValue">', NONE)
            ],
            "ext/_yaml.c": [
                ('  {"get_token", (PyCFunction)__pyx_pw_5_yaml_7CParser_17get_token, METH_NOARGS, 0},', NONE)
            ],
            "src/hpke.pyi": [("    x25519_key: x25519.X25519PrivateKey,", NONE)],
            "src/msvc.py": [('    toolskey = "VS%0.f0COMNTOOLS" % version', NONE)],
            "src/lexer.py": [('    elif token == "#bygroup":', NONE)],
            "src/cli.py": [("@click.option('--password', prompt=True, hide_input=True)", NONE)],
            "src/db.py": [('URL = url("postgresql", "user", "password", "localhost:5432/dbname")', NONE)],
            "src/safer.js": [("if (key === 'SlowBuffer' || key === 'Buffer') continue", NONE)],
            "dist/registry.cjs": [(f'      key: "{public_key_der()}",', NONE)],
        },
    )


def public_key_der() -> str:
    """A P-256 public key as DER SubjectPublicKeyInfo in base64 (npm's registry signing keys)."""
    algorithm = bytes.fromhex("301306072a8648ce3d020106082a8648ce3d030107")
    point = b"\x04" + bytes(random.getrandbits(8) for _ in range(64))
    bits = b"\x03\x42\x00" + point
    body = algorithm + bits
    return base64.b64encode(b"\x30" + bytes([len(body)]) + body).decode()


def test_hand_made_values_and_passwords_of_words(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """A value holding a run counting up (eight characters or more) is a self-describing fake (no
    finding, as for every token format), one short unit repeated has too little
    entropy to be a key; a password made of words with digits and symbols (as people make them) is
    an error under a password's name."""
    unit = rand(6)
    check(
        gate_cmd,
        based_repo,
        {
            "config/app.yaml": [
                ("api_key: API-" + "1234567890" + "ABCDEFGHIJKLMNO" + "1234", NONE),
                (f"api_secret: {unit * 6}", NONE),
                ("db_password: Sum" + "mer" + str(2000 + len(unit)) + "!" + "Corp", ERROR),
                ("greeting_text: Sum" + "mer" + str(2000 + len(unit)) + "!" + "Corp", NONE),
                ("admin_password: \"'03#" + "pa33" + "w0rd'\"", NONE),  # ansible's quoting example
            ],
            "src/site/settings.py": [
                (
                    "SECRET_KEY = 'django-insecure-" + rand(50, "abcdefghijklmnopqrstuvwyz0123456789!@#^&-_=+") + "'",
                    WARNING,
                )
            ],
        },
    )


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_base64_values_are_judged_as_the_text_they_encode(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """Kubernetes Secrets keep their data base64-encoded (kubernetes/examples): `mypassword`, a
    user name or a vendor's name encoded is still no secret; an encoded password as people make
    them, an encoded key and random bytes encoded still are."""
    human = "Sum" + "mer" + str(2000 + random.randint(10, 99)) + "!" + "Corp"
    check(
        gate_cmd,
        based_repo,
        {
            "deploy/chap-secret.yaml": [
                ("apiVersion: v1", NONE),
                ("kind: Secret", NONE),
                ("data:", NONE),
                ("  key: " + b64("my" + "password"), NONE),
                ("  node.session.auth.password: " + b64("pass" + "word"), NONE),
                ("  apiPassword: " + b64("storage" + "os"), NONE),
                ("  db_password: " + b64(human), ERROR),
                (
                    "  ceph_key: " + b64(base64.b64encode(bytes(random.getrandbits(8) for _ in range(28))).decode()),
                    ERROR,
                ),
                ("  token: " + base64.b64encode(bytes(random.getrandbits(8) for _ in range(24))).decode(), ERROR),
            ]
        },
    )


def test_a_property_lists_key_element_names_an_entry(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """`<key>DTSDKBuild</key>` in an Info.plist (ollama) and `<Key>` in an S3 listing name an entry
    or an object; the value is the element after them."""
    check(
        gate_cmd,
        based_repo,
        {
            "app/Info.plist": [("\t<key>DTSDKBuild</key>", NONE), ("\t<string>22" + "E" + "236</string>", NONE)],
            "tests/listing.xml": [("<Contents><Key>" + rand(12) + "Build" + rand(8) + "</Key></Contents>", NONE)],
        },
    )


def test_a_demo_stacks_password_of_words_in_a_connection_url(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """awesome-compose: `mysql://root:whalehello@db:3306` in the compose file that sets the same
    words as the database's root password; a password as people make them still fails."""
    human = "Whale" + str(random.randint(10, 99)) + "!" + "hello"
    check(
        gate_cmd,
        based_repo,
        {
            "stack/compose.yml": [
                ("      DATABASE_URL: mysql://root:" + "whale" + "hello@db:3306/mysql", NONE),
                ("      REPLICA_URL: mysql://root:" + human + "@db:3306/mysql", ERROR),
            ]
        },
    )


def test_every_file_of_a_repository_of_examples_is_a_sample(
    tmp_path: Path, make_repo: Callable[[Path], GitRepo], gate_cmd: Callable[..., Run]
) -> None:
    """kubernetes/examples: name-based values are warnings in every file of a repository whose name
    says it holds examples; a provider's token stays an error there too."""
    repo = make_repo(tmp_path / "k8s-examples")
    repo.commit_files("Init", {"README.md": "# examples\n"})
    check(
        gate_cmd,
        repo,
        {
            "volumes/scaleio/secret.yaml": [("  password: " + rand(6) + "IO" + rand(4, string.digits), WARNING)],
            "volumes/ci/app.env": [("GITHUB_TOKEN=" + tokens.github_token(), ERROR)],
        },
    )


def test_a_version_pin_under_a_tokenizer_libraries_name_is_no_secret(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """sentry-python's tox.ini: `py3.9-langchain-notiktoken-v0.1.20: aiohttp==3.13.5`, 243 times.
    `tiktoken` is OpenAI's tokenizer, not a token; a package pinned to a version is no value."""
    check(
        gate_cmd,
        based_repo,
        {
            "tox.ini": [
                ("[testenv]", NONE),
                ("deps =", NONE),
                ("    py3.9-langchain-notiktoken-v0.1.20: aiohttp==3.13.5", NONE),
                ("    py3.12-openai-tiktoken: tiktoken>=0.7,<1", NONE),
            ],
            "config/app.ini": [("api_token = " + rand(24), ERROR)],
        },
    )


def test_product_names_and_a_key_cut_short_in_an_example(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """crewAI maps variable names to products (`"AZURE_OPENAI_API_KEY": "Azure OpenAI"`); Portkey's
    gateway shows a key's first characters in a comment; a block closed on its own line (trufflehog's
    HTML decoder fixture) and a PEM key with its armor headers stay keys."""
    header = "-----BEGIN RSA " + "PRIVATE KEY-----"
    check(
        gate_cmd,
        based_repo,
        {
            "src/validate.py": [('    "AZURE_OPENAI_API_KEY": "Azure OpenAI",', NONE)],
            "src/types.ts": [
                ("  oraclePrivateKey?: string; // example: " + header + "\\n" + rand(16) + "...", NONE),
                ("  oracleKeyPassphrase?: string; // example: password", NONE),
            ],
            "tests/fixtures/html.go": [
                (
                    "chunk := `<pre>" + header + "<br>" + rand(22) + "<br>-----END RSA " + "PRIVATE KEY-----</pre>`",
                    WARNING,
                )
            ],
            "deploy/legacy.pem": [
                (header, ERROR),
                ("Proc-Type: 4,ENCRYPTED", NONE),
                ("DEK-Info: AES-128-CBC," + rand(32, HEX).upper(), NONE),
                ("", NONE),
                (base64.b64encode(bytes(random.getrandbits(8) for _ in range(48))).decode(), NONE),
                ("-----END RSA " + "PRIVATE KEY-----", NONE),
            ],
        },
    )


def test_an_ansible_modules_examples_and_a_kdoc_key_are_examples(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """community.general keeps made-up credentials in each module's `EXAMPLES = r'''...'''`
    (50 errors) and sample output in `RETURN`; okhttp's KDoc shows the key a function parses.
    The same values in code stay errors."""
    key = rand(32, HEX)
    header = "-----BEGIN " + "PRIVATE KEY-----"
    body = base64.b64encode(bytes(random.getrandbits(8) for _ in range(48))).decode()
    check(
        gate_cmd,
        based_repo,
        {
            "plugins/modules/datadog_monitor.py": [
                ("DOCUMENTATION = r'''", NONE),
                ("module: datadog_monitor", NONE),
                ("'''", NONE),
                ("EXAMPLES = r'''", NONE),
                ("- name: Create a metric monitor", NONE),
                ("  community.general.datadog_monitor:", NONE),
                (f"    api_key: {key}", WARNING),
                ("'''", NONE),
                ("RETURN = r'''", NONE),
                (f'    sample: {{"otp_secret": "{rand(16, string.ascii_uppercase + "234567")}"}}', WARNING),
                ("'''", NONE),
                (f'API_KEY = "{key}"', ERROR),
            ],
            "okhttp-tls/src/HeldCertificate.kt": [
                ("  /**", NONE),
                ("   * A typical input string looks like this:", NONE),
                ("   * ```", NONE),
                ("   * " + header, WARNING),
                ("   * " + body, NONE),
                ("   * -----END " + "PRIVATE KEY-----", NONE),
                ("   */", NONE),
            ],
        },
    )


def test_widget_keys_translations_and_a_supabase_anon_key(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """streamlit's `st.button("Submit", key="dialog2-btn")`, gradio's Lithuanian "password" label,
    langgraph's Supabase anon key (`role: anon`, made for browsers: a warning); a token passed as
    `key=` and Supabase's service-role key stay errors."""
    now = 1_900_000_000
    anon = jwt({"alg": "HS256", "typ": "JWT"}, {"iss": "supabase", "role": "anon", "exp": now}, rand(32).encode())
    service = jwt(
        {"alg": "HS256", "typ": "JWT"}, {"iss": "supabase", "role": "service_role", "exp": now}, rand(32).encode()
    )
    check(
        gate_cmd,
        based_repo,
        {
            "app/pages/st_dialog.py": [
                ('    if st.button("Submit", key="dialog2-btn"):', NONE),
                (f'    client = Client(url, key="{rand(20)}7")', ERROR),
            ],
            "js/core/src/lang/lt.json": [('  "password": "Slapta' + "\u017e" + 'odis",', NONE)],
            "libs/cli/constants.py": [(f'SUPABASE_PUBLIC_API_KEY = "{anon}"', WARNING)],
            "libs/cli/admin.py": [(f'SUPABASE_SERVICE_KEY = "{service}"', ERROR)],
        },
    )


# -- the file says what its values are -------------------------------------------------------------


def test_scanner_baselines_and_lock_files_hold_no_name_based_findings(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    baseline = {
        "version": "1.5.0",
        "results": {
            "src/app.py": [
                {"type": "Secret Keyword", "hashed_secret": rand(40, HEX), "is_verified": False, "line_number": 3}
            ]
        },
    }
    text = json.dumps(baseline, indent=2)
    lines = text.splitlines()
    based_repo.add(".secrets.baseline", text + "\n")
    based_repo.add("audit/secrets-report.json", text + "\n")  # the same data under any name
    based_repo.add("poetry.lock", f'[metadata]\ncontent-hash = "{rand(64, HEX)}"\napi_key = "{rand(32)}"\n')
    found = review(gate_cmd, based_repo)
    assert found == {}, (len(lines), found)


def test_tests_docs_examples_and_templates_make_name_based_findings_warnings(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    secret_key = rand(64, HEX)
    check(
        gate_cmd,
        based_repo,
        {
            "docs_src/security/tutorial004.py": [
                ("# openssl rand -hex 32", NONE),
                (f'SECRET_KEY = "{secret_key}"', WARNING),
            ],
            "docs/setup.md": [(f"    export API_TOKEN={rand(40)}", WARNING)],
            "tests/test_client.py": [(f'client = Client(api_key="{rand(40)}")', WARNING)],
            "pkg/detectors/acme/acme_test.go": [(f"\t[DEBUG] Using API_KEY={rand(32)}", WARNING)],
            "deploy/.env.example": [(f"SESSION_SECRET={rand(48)}", WARNING)],
            "src/engine.go": [(f"// - acme api key: {rand(40)}", WARNING)],
            "src/config.go": [(f"API_KEY={rand(32)}", ERROR)],  # a raw string's line in source code
        },
    )


def test_vendored_code_and_api_descriptions_make_name_based_findings_warnings(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """Third-party code kept in the repository (moby's `vendor/`, pip's `_vendor/`, Yarn's own
    release in `.yarn/`) carries its upstream's test vectors and examples, and an OpenAPI
    description's `example:` values are documentation; a provider's token stays an error there."""
    check(
        gate_cmd,
        based_repo,
        {
            "vendor/github.com/acme/fernet/verify.json": [(f'{{"secret": "{rand(43)}="}}', WARNING)],
            "src/pkg/_vendor/client/settings.py": [(f'API_KEY = "{rand(32)}"', WARNING)],
            "third_party/sdk/config.go": [(f'\tpassword := "{rand(10)}9{rand(6)}"', WARNING)],
            "web/node_modules/lib/index.js": [(f'const apiKey = "{rand(40)}";', WARNING)],
            ".yarn/releases/yarn-4.9.1.cjs": [(f'var authToken="{rand(36)}";', WARNING)],
            "api/swagger.yaml": [(f'                "password": "{rand(8)}1{rand(5)}"', WARNING)],
            "vendor/github.com/acme/ci/deploy.sh": [(f"export GH_TOKEN={tokens.github_token()}", ERROR)],
            "vendors.py": [(f'API_KEY = "{rand(32)}"', ERROR)],  # a file's name, not a vendored folder
        },
    )


def _key_block() -> list[str]:
    body = [rand(64, tokens._B64) for _ in range(4)]
    return ["-----BEGIN " + "RSA PRIVATE KEY-----", *body, "-----END " + "RSA PRIVATE KEY-----"]


def test_private_keys_of_tests_and_vendored_code_are_warnings(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """TLS and signing tests need keys that parse, so their fixtures are real keys made for the test
    (moby's `testdata/*.pem`, go-crypto's test vectors): a warning there, an error anywhere else."""
    expected = {
        "integration/testdata/https/server-key.pem": "warning",
        "integration/resources/tls/local.key": "warning",  # a Go project's integration suite (traefik)
        "charts/node-exporter/ci/tls-secret-values.yaml": "warning",  # a Helm chart's test values
        "vendor/github.com/acme/pgp/keys_test_data.go": "warning",
        "deploy/server-key.pem": "error",
    }
    for path in expected:
        based_repo.add(path, "\n".join(_key_block()) + "\n")
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    found = {f["path"]: (f["rule"], f["severity"], f["message"]) for f in run.json()["findings"]}
    assert {p: f[:2] for p, f in found.items()} == {p: ("private-key", s) for p, s in expected.items()}, found
    assert "made for a test?" in found["integration/testdata/https/server-key.pem"][2]


def test_an_archive_among_fixtures_holds_samples(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """A package kept as a test fixture (poetry's `tests/.../fixtures/*.tar.gz` of old sdists) holds
    that package's own samples: its members are judged as samples; the same archive elsewhere is not."""
    member = {
        "SQLAlchemy-1.2.12/setup.cfg": f"[db]\npostgresql=postgresql://scott:{rand(6)}7{rand(5)}@127.0.0.1/test\n"
    }
    based_repo.add("tests/repositories/fixtures/stubbed/SQLAlchemy-1.2.12.tar.gz", cases.tarred_gz(member))
    based_repo.add("dist/SQLAlchemy-1.2.12.tar.gz", cases.tarred_gz(member))
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    found = {f["path"]: (f["rule"], f["severity"]) for f in run.json()["findings"]}
    assert found == {
        "tests/repositories/fixtures/stubbed/SQLAlchemy-1.2.12.tar.gz": ("url-password", "warning"),
        "dist/SQLAlchemy-1.2.12.tar.gz": ("url-password", "error"),
    }, found


# -- JWTs: provably public, samples, and tokens -----------------------------------------------------


def test_jwts_that_anyone_can_make_or_no_server_accepts(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    hs256 = {"alg": "HS256", "typ": "JWT"}
    sample = jwt(hs256, {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}, key=b"your-256-" + b"bit-secret")
    unsigned = jwt({"alg": "none"}, {"sub": rand(8)}, signature=rand(20))
    truncated = jwt(hs256, {"sub": rand(8)}, signature=rand(27))
    expired = jwt(hs256, {"sub": rand(8), "exp": 1600000000}, signature=tokens.b64url(43))
    live = jwt(hs256, {"sub": rand(8), "exp": 4102444800}, signature=tokens.b64url(43))
    check(
        gate_cmd,
        based_repo,
        {
            "docs/tutorial/oauth2-jwt.md": [(sample, NONE)],
            "src/client.py": [
                (f'TOKEN = "{unsigned}"', NONE),
                (f'HEADERS = {{"Authorization": "Bearer {truncated}"}}', WARNING),
                (f'SESSION = "{expired}"', WARNING),
                (f'SERVICE = "{live}"', ERROR),
            ],
            "tests/test_auth.py": [(f'HEADERS = {{"Authorization": "Bearer {live}"}}', WARNING)],
        },
    )


# -- passwords in URLs --------------------------------------------------------------------------------


def test_url_passwords_that_name_their_slot_or_sit_in_tests(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    password = rand(16)
    check(
        gate_cmd,
        based_repo,
        {
            "src/remotes.py": [
                ('SANITISED = "https://user:token@github.com/acme/app.git"', NONE),
                ('EXAMPLE = "https://user%40example.com:password@github.com/acme/app.git"', NONE),
                ('DOC = "HTTPS://jo%40email.com:a%20secret@host.acme.io:1234/"', NONE),
                ('EMOJI = "http://user:%F0%9F%92%A9@db.acme.io/"', NONE),
                (f'CACHE = "redis://:{password}@cache.acme-payments.io:6379/0"', ERROR),
            ],
            "tests/test_urls.py": [(f'URL = "postgres://app:{rand(16)}@db.acme-payments.io/app"', WARNING)],
        },
    )


# -- a code identifier is no token ----------------------------------------------------------------------


def test_a_class_name_after_a_provider_name_is_no_key(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    check(
        gate_cmd,
        based_repo,
        {
            "src/Client.cs": [
                ("var mistralSettings = MistralAIPromptExecutionSettings.FromExecutionSettings(settings);", NONE),
                (f'var mistral_key = "{rand(32)}";', ERROR),
            ]
        },
    )


# -- every copy is reported ------------------------------------------------------------------------------


def test_each_copy_of_a_secret_in_a_file_is_a_finding_of_its_own(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """Each place must be cleaned up; a baseline that accepts the value still accepts every copy."""
    key = tokens.openai_key()
    based_repo.commit_files("add a", {"src/a.py": f'A = "{key}"\nB = 1\nC = "{key}"\n'})
    run = gate_cmd("review", "--all-files", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    found = run.json()["findings"]
    assert sorted(f["line"] for f in found) == [1, 3]
    assert len({f["fingerprint"] for f in found}) == 2
    create = gate_cmd("baseline", "create", "-C", based_repo.root)
    assert create.code == 0, create.output
    again = gate_cmd("review", "--all-files", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert again.code == 0, again.output
    assert [f["suppressed_by"] for f in again.json()["findings"]] == ["baseline", "baseline"]


@pytest.mark.parametrize("path", ["src/settings.py", "tests/test_settings.py"])
def test_a_real_format_token_is_an_error_in_any_file(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], path: str
) -> None:
    """Token formats with an offline check are judged the same everywhere: fixtures can be made
    obviously fake (a failing checksum is a warning), a live-looking key in a test is a leak."""
    check(gate_cmd, based_repo, {path: [(f'TOKEN = "{tokens.github_token()}"', ERROR)]})


def test_a_scanners_own_rules_are_patterns_not_secrets(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """A rule file (gitleaks', a project's `[[secrets.rules]]`, this project's own) names its
    capture group `secret` and writes the value as a character class with a quantifier: a
    pattern, not a value. A real value under the same names next to them is still found."""
    check(
        gate_cmd,
        based_repo,
        {
            "config/rules.toml": [
                ("regex = '''(?i:Secret=)(?P<secret>[A-Za-z0-9+/]{40,88}={0,2})(?![A-Za-z0-9+/=])'''", NONE),
                ("regex = '''(?i:Authorization:\\s{0,8}Bearer\\s{1,8})(?P<secret>[A-Za-z0-9._~+/=-]{8,4000})'''", NONE),
                (f'client_secret = "{rand(40)}"', ERROR),
            ],
            "src/patterns.py": [
                ('TOKEN_PATTERN = r"<token>[a-z0-9]{32}</token>"', NONE),
                (f'api_secret = "{rand(32, HEX)}"', ERROR),
            ],
        },
    )


def test_an_algolia_search_key_beside_its_app_id_is_publishable(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """DocSearch's configuration (prettier's website, a vendored yarn release): an `apiKey` of 32
    hex beside `appId` and `indexName` is a search-only key, made for web pages: a warning. The
    same value with no search client around is an error."""
    app_id = rand(10, string.ascii_uppercase + string.digits)
    check(
        gate_cmd,
        based_repo,
        {
            "website/docusaurus.config.js": [
                ("module.exports = {", NONE),
                ("  algolia: {", NONE),
                (f'    appId: "{app_id}",', NONE),
                (f'    apiKey: "{rand(32, HEX)}",', WARNING),
                ('    indexName: "docs",', NONE),
                ("  },", NONE),
                ("};", NONE),
            ],
            "dist/cli.cjs": [(f'var c={{appId:"{app_id}",apiKey:"{rand(32, HEX)}",indexName:"npm-search"}};', WARNING)],
            "src/settings.js": [(f'export const apiKey = "{rand(32, HEX)}";', ERROR)],
        },
    )
