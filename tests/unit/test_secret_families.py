"""Every credential family of config/secret_rules.toml: a positive and near misses for each.

Tokens are made at run time from the rule's own `token` data (`tokens.from_pattern`), or by hand
below for the formats with a checksum or a context; no file holds a literal token. Each rule in
the `prefix` or `names` form gets: a generated token found as its rule (an error, or a warning for
publishable keys and for random tokens that fail a checksum), and near misses that are not found
as that rule (glued to a word, one character short or long, no provider name, x'd out).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import string
from pathlib import Path
from urllib.parse import unquote

import pytest
import tokens
from tokens import rand

from contribution_gate.checks import secrets
from contribution_gate.checks.secrets import families as families_module
from contribution_gate.checks.secrets.formats import looks_random
from contribution_gate.checks.secrets.rules import load_rules, rule_tables
from contribution_gate.checks.secrets.words import words_only
from contribution_gate.model import AddedLine, FileChange, Finding, Severity

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[2]
TABLES = [dict(t) for t in rule_tables()]
RULES = {rule.id: rule for rule in load_rules()}
FORM_TABLES = [t for t in TABLES if "token" in t]
HEX = "0123456789abcdef"
UPPER_DIGITS = string.ascii_uppercase.replace("X", "") + string.digits
# names-form suffixes tried in turn: one must make the rule fire (name-pattern picks among them)
SUFFIXES = ("_API_KEY", "_SECRET", "_TOKEN", "_ADMIN_KEY", "_ACCESS_TOKEN", "_KEY")


def scan(line: str, path: str = "deploy/app.env") -> list[Finding]:
    change = FileChange(path=path, status="A", commit="c" * 40, added=(AddedLine(1, line),))
    return list(secrets.scan_file(change, secrets.Options()))


def found(line: str, path: str = "deploy/app.env") -> dict[str, Severity]:
    return {f.rule: f.severity for f in scan(line, path)}


def _prefixes(table: dict[str, object]) -> list[str]:
    prefix = table["prefix"]
    return [prefix] if isinstance(prefix, str) else list(prefix)  # type: ignore[arg-type]


def _value(table: dict[str, object], sizes: str = "random") -> str:
    """A token of the rule's format; for a `names` rule, one that reads as random (a value made
    of words only, about 1 in 100 of `[a-z0-9-]{20}`, is left to the other rules by design, and
    so are letters that read as an identifier's words, `judge.severity`: about 1 in 150 of
    `[a-zA-Z]{20}`)."""
    while True:
        body = tokens.from_pattern(str(table["token"]), sizes)
        if "%" in body and not unquote(body).isascii():
            continue  # `%E6` drawn from `[A-Za-z0-9%]`: a real token's escapes are ASCII (`%2F`, `%3D`)
        if "prefix" in table:
            token = _prefixes(table)[0] + body
            if not (token.isalpha() and words_only(token)):  # `LTAIGIqSceGfFLas`: 1 in 750 reads as words
                return token
            continue
        if looks_random(body) and not (body.isalpha() and words_only(body)):
            return body


def _positive(table: dict[str, object], value: str) -> str | None:
    """A line where the rule should find `value`: after a neutral key for a prefixed token, under
    the provider's name for a named one (the first suffix the rule takes)."""
    if "prefix" in table:
        return f'credential = "{value}"'
    name = str(table["names"][0]).upper().replace("-", "_")  # type: ignore[index]
    for suffix in SUFFIXES:
        line = f'{name}{suffix}="{value}"'
        if table["id"] in found(line):
            return line
    return None


def _expected(table: dict[str, object]) -> Severity:
    rule = RULES[str(table["id"])]
    return Severity.WARNING if rule.public or rule.validate else Severity.ERROR


def test_the_rule_set_is_broad_and_every_family_is_listed_once() -> None:
    ids = [t["id"] for t in TABLES]
    assert len(ids) == len(set(ids)) >= 250
    listed = families_module.families()
    assert len({f.rule for f in listed}) == len(listed)
    assert {f.category for f in listed} <= set(families_module.CATEGORIES)
    per_category = {c: sum(1 for f in listed if f.category == c) for c in families_module.CATEGORIES}
    assert per_category["ai"] >= 30 and all(per_category.values()), per_category


@pytest.mark.parametrize("table", FORM_TABLES, ids=[str(t["id"]) for t in FORM_TABLES])
def test_a_generated_token_is_found_as_its_family(table: dict[str, object]) -> None:
    value = _value(table)
    line = _positive(table, value)
    assert line is not None, f"no name form finds {table['id']}"
    (finding,) = [f for f in scan(line) if f.rule == table["id"]]
    assert finding.severity is _expected(table)
    assert value not in finding.excerpt and value[4:] not in finding.excerpt
    assert finding.remediation and RULES[str(table["id"])].category


@pytest.mark.parametrize("table", FORM_TABLES, ids=[str(t["id"]) for t in FORM_TABLES])
def test_near_misses_are_not_found_as_the_family(table: dict[str, object]) -> None:
    rule = str(table["id"])
    line = _positive(table, _value(table))
    assert line is not None
    head = line[: line.index('"') + 1]  # `credential = "` or the name the rule took, `MIXPANEL_SECRET="`
    low, high = sre_parse.parse(str(table["token"])).getwidth()
    prefix = _prefixes(table)[0] if "prefix" in table else ""
    misses = {"one character short": _value(table, "min")[:-1]}
    if high < 200:
        misses["x'd out"] = prefix + "x" * high
    if low == high:
        misses["one character long"] = _value(table) + "a"
    for case, value in misses.items():
        assert rule not in found(f'{head}{value}"'), case
    value = _value(table)
    if "prefix" in table:
        assert rule not in found(f'credential = "a{value}"'), "glued to a word"
    else:
        assert rule not in found(f'credential = "{value}"'), "no provider name"
        assert rule not in found(f'{str(table["names"][0]).upper()}_SHA256 = "{value}"'), "a digest's name"  # type: ignore[index]


@pytest.mark.parametrize(
    "line",
    [
        "[DEBUG] Using mixpanel Secret=" + "{value}",
        'const mixpanelSecret string = "{value}"',
        "mixpanel api secret: {value}",
        "<mixpanel_secret>{value}</mixpanel_secret>",
        'os.environ.setdefault("MIXPANEL_SECRET", "{value}")',
    ],
)
def test_a_provider_name_finds_its_value_in_the_ways_code_and_logs_assign_it(line: str) -> None:
    value = rand(32, HEX)
    assert found(line.format(value=value)).get("mixpanel-api-secret") is Severity.ERROR


@pytest.mark.parametrize(
    "line",
    [
        "mixpanel is great and {value} is a hash",  # no assignment
        "MIXPANEL_SECRET_SHA = {value}",  # a digest's name
        "mixpanel the project secret is here = {value}",  # more than two words between
    ],
)
def test_a_provider_name_without_an_assignment_of_a_value_is_no_finding(line: str) -> None:
    assert "mixpanel-api-secret" not in found(line.format(value=rand(32, HEX)))


@pytest.mark.parametrize(
    "value",
    [
        "ya" + "29.A0ARrdaM-abcdef" + "ghij0123456789",
        "sh" + "pat_0123456789" + "abcdef0123456789abcdef",
        "nt" + "n_" + rand(11, string.digits) + "ABCDEFGH" + rand(27),
    ],
    ids=["google-oauth", "shopify", "notion"],
)
def test_a_token_counting_up_is_a_self_describing_fake(value: str) -> None:
    """`abcdefgh`, `01234567`: a run no random token has; fixtures build fakes from them."""
    assert [f for f in scan(f'token = "{value}"') if f.severity is Severity.ERROR] == []


# ---- the formats with an offline check: valid ones are errors, random ones warnings ----------


def _base62_crc(body: str) -> str:
    value, digits = binascii.crc32(body.encode()), ""
    for _ in range(6):
        value, digit = divmod(value, 62)
        digits = (string.digits + string.ascii_uppercase + string.ascii_lowercase)[digit] + digits
    return digits


def grafana_service_account_token() -> str:
    body = "gl" + "sa_" + rand(32)
    return body + "_" + binascii.crc32(body.encode()).to_bytes(4, "little").hex()


def _base36(value: int) -> str:
    digits = ""
    while True:
        value, digit = divmod(value, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not value:
            return digits


def gitlab_routable_token(prefix: str = "gl" + "pat-") -> str:
    payload = base64.urlsafe_b64encode(
        b"o:" + rand(6).encode() + b"\nu:" + rand(5).encode() + rand(16).encode() + b"\x10"
    )
    encoded = payload.decode().rstrip("=")
    head = prefix + encoded + "." + _base36(len(encoded)).rjust(2, "0")
    return head + _base36(binascii.crc32(head.encode())).rjust(7, "0")


def _b64json(data: dict[str, object]) -> str:
    return base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def sentry_org_token() -> str:
    payload = _b64json(
        {"iat": 1700000000.0, "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": rand(8)}
    )
    return "sntr" + "ys_" + payload + "_" + rand(43)


def grafana_cloud_token() -> str:
    return (
        "gl" + "c_" + _b64json({"o": rand(6, string.digits), "n": "stack-" + rand(8), "k": rand(24), "m": {"r": "us"}})
    )


def grafana_api_key() -> str:
    return _b64json({"k": rand(32), "n": "deploy", "id": 1})


def onepassword_service_account_token() -> str:
    data = {"signInAddress": "my.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256"}}
    data.update(
        {"email": rand(12).lower() + "@1passwordserviceaccounts.com", "srpX": rand(64, HEX), "muk": {"k": rand(43)}}
    )
    data.update(
        {
            "secretKey": "A3-" + rand(6, UPPER_DIGITS) + "-" + rand(11, UPPER_DIGITS),
            "throttleSecret": {"seed": rand(64, HEX)},
        }
    )
    return "op" + "s_" + _b64json(data)


def neptune_api_token() -> str:
    return _b64json(
        {"api_address": "https://app.neptune.ai", "api_url": "https://app.neptune.ai", "api_key": tokens.b64url(40)}
    )


CHECKED = {
    "grafana-service-account-token": grafana_service_account_token,
    "gitlab-routable-token": gitlab_routable_token,
    "sentry-org-token": sentry_org_token,
    "grafana-cloud-token": grafana_cloud_token,
    "grafana-api-key": grafana_api_key,
    "onepassword-service-account-token": onepassword_service_account_token,
    "neptune-api-token": neptune_api_token,
    "jwt-base64": lambda: base64.b64encode(tokens.jwt().encode()).decode(),
}


def test_every_checked_format_has_a_builder() -> None:
    form_checked = {str(t["id"]) for t in FORM_TABLES if "validate" in t}
    assert form_checked == set(CHECKED)


@pytest.mark.parametrize("rule", sorted(CHECKED))
def test_a_token_passing_its_check_is_an_error_and_a_broken_one_a_warning(rule: str) -> None:
    token = CHECKED[rule]()
    assert found(f'credential = "{token}"').get(rule) is Severity.ERROR
    if RULES[rule].validate.startswith("b64json"):  # one character less in the middle: no JSON inside
        broken = token[: len(token) // 2] + token[len(token) // 2 + 1 :]
    else:  # a checksum that does not add up
        broken = token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")
    assert found(f'credential = "{broken}"').get(rule) is Severity.WARNING


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_checksum(hrp: str, data: list[int]) -> list[int]:
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data + [0] * 6
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            check ^= generator if (top >> bit) & 1 else 0
    check ^= 1
    return [(check >> 5 * (5 - i)) & 31 for i in range(6)]


def age_secret_key() -> str:
    """What age-keygen writes: Bech32 of 32 random bytes under `age-secret-key-`, upper-cased."""
    bits = "".join(f"{b:08b}" for b in tokens._rng.randbytes(32)) + "0000"  # 256 bits, padded to 52 groups of 5
    data = [int(bits[i : i + 5], 2) for i in range(0, 260, 5)]
    hrp = "age-secret-" + "key-"
    return (hrp + "1" + "".join(_BECH32[v] for v in data + _bech32_checksum(hrp, data))).upper()


def test_an_age_key_with_its_bech32_checksum_is_an_error_and_a_broken_one_a_warning() -> None:
    key = age_secret_key()
    assert found(f"AGE_KEY={key}").get("age-secret-key") is Severity.ERROR
    broken = key[:-1] + ("Q" if key[-1] != "Q" else "P")
    assert found(f"AGE_KEY={broken}").get("age-secret-key") is Severity.WARNING


def test_a_legacy_npm_token_that_is_no_random_uuid_is_a_warning() -> None:
    not_v4 = NPM_UUID[:14] + "1" + NPM_UUID[15:]
    assert (
        found(f"//registry.npmjs.org/:_authToken={not_v4}", ".npmrc").get("npm-legacy-auth-token") is Severity.WARNING
    )


def test_a_runner_token_in_the_routable_format_is_checked_too() -> None:
    token = gitlab_routable_token("gl" + "rt-t1_")
    assert found(f"token: {token}").get("gitlab-routable-token") is Severity.ERROR


# ---- rules written as a regex: each one's own table -------------------------------------------

AWS_SECRET = rand(40, tokens._ALNUM + "/+")
PASSWORD = rand(6) + "#" + rand(8)
BASIC = base64.b64encode(f"deploy:{PASSWORD}".encode()).decode()
BEARER = tokens.b64url(40)
AZURE_KEY = rand(86, tokens._ALNUM + "+/") + "=="  # a key made before Azure's 2023 format: 64 random bytes
NPM_UUID = "-".join([rand(8, HEX), rand(4, HEX), "4" + rand(3, HEX), "a" + rand(3, HEX), rand(12, HEX)])  # version 4
_UUID = "-".join(rand(n, HEX) for n in (8, 4, 4, 4, 12))
REGEX_CASES: list[tuple[str, str, str]] = [
    # (rule, path, line)
    ("curl-basic-auth", "scripts/deploy.sh", f"curl -u deploy:{PASSWORD} https://api.acme.io/v1"),
    ("curl-basic-auth", "Makefile", f"curl --user 'deploy:{PASSWORD}' https://api.acme.io/v1"),
    ("curl-basic-auth", "scripts/call.sh", f'    --user "{BEARER}:" \\'),  # a continuation line near `curl`
    ("http-auth-header", "scripts/deploy.sh", f"curl -H 'Authorization: Bearer {BEARER}' https://api.acme.io"),
    ("http-auth-header", "Makefile", f'\tcurl --header "Authorization: Basic {BASIC}" https://api.acme.io'),
    ("http-auth-header", "scripts/get.sh", f'wget --header="Authorization: Token {BEARER}" https://api.acme.io'),
    ("httpie-auth-header", "scripts/call.sh", f"http GET https://api.acme.io/items Authorization:'Bearer {BEARER}'"),
    ("http-key-header", "scripts/purge.sh", f'curl -X POST https://api.acme.io/purge -H "X-Auth-Key: {BEARER}"'),
    (
        "http-key-header",
        "scripts/api.sh",
        f"curl --header 'PRIVATE-TOKEN: {BEARER}' https://git.acme.io/api/v4/projects",
    ),
    ("http-file-auth-header", "api/requests.http", f"Authorization: Bearer {BEARER}"),
    ("http-file-auth-header", "api/login.rest", f"Authorization: Basic {BASIC}"),
    ("httpie-basic-auth", "scripts/call.sh", f"https -a deploy:{PASSWORD} POST api.acme.io/items"),
    ("wget-password", "scripts/fetch.sh", f"wget --user=deploy --password={PASSWORD} https://files.acme.io/a.tgz"),
    ("docker-login-password", "ci/push.sh", f"docker login -u deploy -p {PASSWORD} registry.acme.io"),
    ("mysql-cli-password", "scripts/backup.sh", f"mysqldump -u root -p{PASSWORD} app > dump.sql"),
    ("sshpass-password", "scripts/copy.sh", f"sshpass -p '{PASSWORD}' scp a.tgz deploy@host:/srv"),
    ("aws-cli-secret-key", "scripts/setup.sh", f"aws configure set aws_secret_access_key {AWS_SECRET}"),
    ("aws-cli-secret-key", "README.md", f"aws configure set default.aws_secret_access_key {AWS_SECRET}"),
    ("npm-legacy-auth-token", ".npmrc", f"//registry.npmjs.org/:_authToken={NPM_UUID}"),
    ("npm-auth-password", ".npmrc", f"//npm.acme.io/:_auth={BASIC}"),
    ("npm-auth-password", ".npmrc", "//npm.acme.io/:_password=" + base64.b64encode(PASSWORD.encode()).decode()),
    ("nuget-config-password", "NuGet.config", f'    <add key="ClearTextPassword" value="{PASSWORD}" />'),
    (
        "connection-string-password",
        "appsettings.json",
        f'"Db": "Server=db.acme.io;Database=app;User Id=app;Password={PASSWORD};"',
    ),
    ("docker-config-auth", ".docker/config.json", f'"auth": "{BASIC}"'),
    ("docker-config-auth", "ci/env.tf", f'config = "{{\\"auths\\":{{\\"ghcr.io\\":{{\\"auth\\":\\"{BASIC}\\"}}}}}}"'),
    (
        "azure-sas-token",
        "config.yaml",
        f"url: https://acme.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&sig={rand(43)}%3D",
    ),
    (
        "azure-shared-access-key",
        "local.settings.json",
        f'"Conn": "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey={rand(43)}="',
    ),
    (
        "azure-app-configuration-secret",
        "appsettings.json",
        f'"AppConfig": "Endpoint=https://acme.azconfig.io;Id={rand(4)}-l0-s0:{rand(20)};Secret={rand(43)}="',
    ),
    ("wireguard-private-key", "wg0.conf", "PrivateKey = " + rand(42) + "A="),
    ("airtable-pat", "config.py", 'AIRTABLE_TOKEN = "pat' + rand(14) + "." + rand(64, HEX) + '"'),
    ("shell-auth-header", "scripts/env.sh", f"AUTH_HEADER='Authorization: Bearer {BEARER}'"),
    ("shell-auth-header", "Makefile", f"\tAUTH := Authorization: Basic {BASIC}"),
    (
        "gitlab-session-cookie",
        "scripts/scrape.sh",
        'curl -b "_gitlab_session=' + rand(32, HEX) + '" https://git.acme.io',
    ),
    ("freemius-secret-key", "freemius.php", "    'secret_key' => 'sk_" + rand(29) + "',"),
    ("sql-password", "db/init.sql", f"CREATE USER app IDENTIFIED BY '{PASSWORD}';"),
    ("sql-password", "db/roles.sql", f"ALTER ROLE admin WITH ENCRYPTED PASSWORD '{PASSWORD}';"),
    ("sql-password", "db/grant.sql", f"SET PASSWORD FOR 'bob'@'%' = PASSWORD('{PASSWORD}');"),
    ("cli-password-option", "scripts/decrypt.sh", f"gpg --batch --passphrase {PASSWORD} -d backup.gpg"),
    ("cli-password-option", "scripts/connect.ps1", f"Connect-Server -User admin -Password '{PASSWORD}'"),
    ("libcurl-password-option", "src/fetch.c", f'curl_easy_setopt(curl, CURLOPT_USERPWD, "deploy:{PASSWORD}");'),
    ("c-macro-secret", "src/config.h", f'#define WIFI_PASSWORD "{PASSWORD}"'),
    (
        "azure-storage-key",
        "deploy/app.env",
        f"STORAGE=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={AZURE_KEY};",
    ),
    (
        "azure-cosmosdb-url-key",
        "src/db.ts",
        f'const url = "mongodb://acme:{AZURE_KEY}@acme.mongo.cosmos.azure.com:10255/"',
    ),
    (
        "azure-cosmosdb-password",
        "src/db.ts",
        f'const db = {{\n  password: "{AZURE_KEY}",\n  host: "acme.documents.azure.com",',
    ),
    (
        "powershell-plaintext-password",
        "deploy/setup.ps1",
        f'$pw = ConvertTo-SecureString "{PASSWORD}" -AsPlainText -Force',
    ),
    ("gradle-credentials", "build.gradle", f"        password '{PASSWORD}'"),
    (
        "aspnet-data-protection-key",
        "src/Web/key-768c1632.xml",
        '      <masterKey p4:requiresEncryption="true" xmlns:p4="http://schemas.asp.net/2015/03/dataProtection">\n'
        "        <!-- Warning: the key below is in an unencrypted form. -->\n"
        f"        <value>{rand(86, tokens._ALNUM + '+/')}==</value>",
    ),
    ("teamwork-api-token", "config.py", f'TEAMWORK = "tkn.v1_{rand(71)}="'),
    (
        "microsoft-teams-webhook",
        "notify.sh",
        f"URL=https://outlook.office.com/webhook/{_UUID}@{_UUID}/IncomingWebhook/{rand(32, HEX)}/{_UUID}",
    ),
    (
        "jwk-private-key",
        "keys/signing.json",
        f'{{"kty": "OKP", "crv": "Ed25519", "x": "{rand(43)}", "d": "{rand(43)}"}}',
    ),
    ("jwk-private-key", "keys/signing.json", f'{{\n  "kty": "EC",\n  "crv": "P-256",\n  "d": "{rand(43)}",'),
    ("jwk-private-key", "src/keys.js", f"const jwk = {{ kty: 'oct', k: '{rand(43)}' }};"),
]
REGEX_MISSES: list[tuple[str, str, str]] = [
    ("aspnet-data-protection-key", "config/settings.xml", f"<setting><value>{rand(64)}</value></setting>"),
    ("powershell-plaintext-password", "deploy/setup.ps1", "$pw = ConvertTo-SecureString $env:PW -AsPlainText -Force"),
    (
        "powershell-plaintext-password",
        "deploy/setup.ps1",
        '$pw = ConvertTo-SecureString "$Password" -AsPlainText -Force',
    ),
    ("powershell-plaintext-password", "deploy/setup.ps1", f'$s = ConvertTo-SecureString "{PASSWORD}"  # encrypted'),
    ("gradle-credentials", "build.gradle", '        password project.findProperty("repoPassword")'),
    ("gradle-credentials", "build.gradle", '        password "$System.env.REPO_PASSWORD"'),
    ("gradle-credentials", "src/Build.groovy", f"        password '{PASSWORD}'"),
    ("password-hash", "docs/crypt.md", "Hashes look like $6$salt$ and $2b$12$ followed by the digest."),
    ("jwk-private-key", "keys/public.json", f'{{"kty": "EC", "crv": "P-256", "x": "{rand(43)}", "y": "{rand(43)}"}}'),
    ("jwk-private-key", "src/app.js", f'const point = {{"d": "{rand(43)}"}}; // no JWK near'),
    ("jwk-private-key", "keys/signing.json", '{"kty": "RSA", "e": "AQAB", "d": "${JWK_D}"}'),
    ("azure-storage-key", "deploy/app.env", f"AccountKey={AZURE_KEY[4:]}"),
    ("sql-password", "db/init.sql", "CREATE USER app IDENTIFIED BY 'password';"),
    ("cli-password-option", "scripts/run.sh", 'mysqladmin --password="$DB_PASSWORD" status'),
    ("cli-password-option", "docs/cli.md", "mytool --password <your-password>"),
    ("c-macro-secret", "src/config.h", "#define PASSWORD_LENGTH 16"),
    ("c-macro-secret", "src/config.h", '#define TOKEN_HEADER "Authorization"'),
    ("azure-cosmosdb-url-key", "src/db.ts", f'const url = "mongodb://acme:{AZURE_KEY}@db.acme.io:10255/"'),
    ("azure-cosmosdb-password", "src/db.ts", f'const db = {{\n  password: "{AZURE_KEY}",\n  host: "db.acme.io",'),
    ("curl-basic-auth", "scripts/deploy.sh", 'curl -u "$USER:$TOKEN" https://api.acme.io'),
    ("curl-basic-auth", "scripts/deploy.sh", "curl -u deploy https://api.acme.io  # prompts for the password"),
    ("curl-basic-auth", "scripts/run.sh", f"docker run -u 1000:1000 acme/app  # no curl near\n{PASSWORD}"),
    ("curl-basic-auth", "scripts/deploy.sh", "curl -u user:password https://api.acme.io"),
    ("http-auth-header", "scripts/deploy.sh", 'curl -H "Authorization: Bearer $TOKEN" https://api.acme.io'),
    ("http-auth-header", "scripts/deploy.sh", 'curl -H "Authorization: Bearer <your-token>" https://api.acme.io'),
    (
        "http-auth-header",
        "scripts/deploy.sh",
        "curl -H 'Authorization: Basic " + base64.b64encode(b"user:pass").decode() + "' x",
    ),
    ("http-auth-header", "src/client.py", f'headers = {{"Authorization": "Bearer {BEARER}"}}'),
    ("http-file-auth-header", "api/requests.http", "Authorization: Bearer {{token}}"),
    ("http-file-auth-header", "docs/http.md", f"Authorization: Bearer {BEARER}"),
    ("shell-auth-header", "src/client.py", f"HEADER = 'Authorization: Bearer {BEARER}'"),
    ("shell-auth-header", "scripts/env.sh", 'AUTH_HEADER="Authorization: Bearer ${TOKEN}"'),
    ("npm-legacy-auth-token", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
    ("docker-config-auth", "package.json", '"auth": "bearer"'),
    ("aws-cli-secret-key", "scripts/setup.sh", "aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY"),
    ("mysql-cli-password", "scripts/backup.sh", "mysqldump -u root -p app > dump.sql"),
    ("wget-password", "scripts/fetch.sh", "wget --ask-password https://files.acme.io/a.tgz"),
    ("docker-login-password", "ci/push.sh", 'docker login -u deploy -p "$REGISTRY_PASSWORD" registry.acme.io'),
    ("azure-sas-token", "config.yaml", "url: https://acme.blob.core.windows.net/c?sv=2022-11-02&sig=<signature>"),
    ("http-key-header", "scripts/purge.sh", 'curl -H "X-Api-Key: $API_KEY" https://api.acme.io'),
    ("http-key-header", "scripts/purge.sh", 'curl -H "X-Api-Key: your-api-key-here" https://api.acme.io'),
]


@pytest.mark.parametrize(("rule", "path", "line"), REGEX_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(REGEX_CASES)])
def test_regex_families_find_their_positives(rule: str, path: str, line: str) -> None:
    near = "curl https://api.acme.io \\\n" if rule == "curl-basic-auth" and "curl" not in line else ""
    findings = scan_lines(near + line, path)
    assert findings.get(rule) is Severity.ERROR, findings


@pytest.mark.parametrize(
    ("rule", "path", "line"),
    [
        ("curl-basic-auth", "docs/api.md", f"curl --user 'deploy:{PASSWORD}' https://api.acme.io/v1"),
        ("http-key-header", "docs/api.md", f"curl --header 'PRIVATE-TOKEN: {BEARER}' https://git.acme.io/api/v4"),
        ("http-auth-header", "examples/client.sh", f"curl -H 'Authorization: Token {BEARER}' https://api.acme.io"),
        ("connection-string-password", "tests/settings.json", f'"Db": "Server=db1;User Id=app;Password={PASSWORD};"'),
    ],
    ids=["curl-docs", "header-docs", "auth-examples", "connection-tests"],
)
def test_a_command_s_credential_in_docs_tests_or_examples_is_a_warning(rule: str, path: str, line: str) -> None:
    """No provider format to check: like a name-based value, it is the sample's there."""
    assert scan_lines(line, path).get(rule) is Severity.WARNING


@pytest.mark.parametrize(
    ("rule", "path", "line"), REGEX_MISSES, ids=[f"{c[0]}-{i}" for i, c in enumerate(REGEX_MISSES)]
)
def test_regex_families_skip_their_near_misses(rule: str, path: str, line: str) -> None:
    assert rule not in scan_lines(line, path)


def scan_lines(text: str, path: str) -> dict[str, Severity]:
    lines = text.split("\n")
    change = FileChange(
        path=path, status="A", commit="c" * 40, added=tuple(AddedLine(i, t) for i, t in enumerate(lines, 1))
    )
    return {f.rule: f.severity for f in secrets.scan_file(change, secrets.Options())}


def _group_source(pattern: str, name: str = "secret") -> str:
    """The text of a named group of a pattern, found by matching its parentheses."""
    start = pattern.index(f"(?P<{name}>") + len(f"(?P<{name}>")
    depth, at, in_class = 1, start, False
    while depth:
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        at += 1
    return pattern[start : at - 1]


CONTEXT_RULES = {rule for rule, _, _ in REGEX_CASES} | {"password-hash"}  # its own test, below
OLD_RULES = {  # the rules that predate the families (tests/unit/test_secrets.py has their tables)
    *tokens.BUILDERS,
    "aws-secret-key", "slack-webhook", "url-password", "jdbc-password", "discord-bot-token", "cohere-api-key",
    "mistral-api-key", "azure-openai-key", "generic-secret", "netrc-password", "jwt",
}  # fmt: skip
SELF_CONTAINED = [t for t in TABLES if "regex" in t and t["id"] not in CONTEXT_RULES | OLD_RULES]


@pytest.mark.parametrize("table", SELF_CONTAINED, ids=[str(t["id"]) for t in SELF_CONTAINED])
def test_a_regex_family_finds_a_token_made_from_its_secret_group(table: dict[str, object]) -> None:
    """The rules whose regex holds the whole token (a marker in the middle, a webhook URL): a token
    made from the secret group is found as its rule; one character short, it is not."""
    group = _group_source(str(table["regex"]))
    value = tokens.from_pattern(group)
    assert found(f'value = "{value}"').get(str(table["id"])) is _expected(table)
    shortest = tokens.from_pattern(group, "min")
    assert str(table["id"]) not in found(f'value = "{shortest[:-2]}"')


def test_a_private_key_in_concatenated_literals_or_a_build_log_is_found() -> None:
    """As CredSweeper's samples write them: a Java string concatenated a line at a time (`+   "MII..."`),
    and the output of `openssl genpkey` in a build log, each line behind the same prefix."""
    body = [rand(64) for _ in range(4)]
    begin, end = "-----BEGIN " + "RSA PRIVATE KEY-----", "-----END " + "RSA PRIVATE KEY-----"
    java = [f'    PRIVATE_KEY = "{begin}\\n"', *(f'     +   "{b}\\n"' for b in body), f'      + "{end}\\n";']
    log = [f"#6 0.245 {begin}", *(f"#6 0.245 {b}" for b in body), f"#6 0.245 {end}"]

    def rules(lines: list[str], path: str) -> set[str]:
        added = tuple(AddedLine(n, text) for n, text in enumerate(lines, 1))
        return {f.rule for f in secrets.scan_file(FileChange(path, "A", added=added), secrets.Options())}

    assert rules(java, "src/Keys.java") == {"private-key"}
    assert rules(log, "build.log") == {"private-key"}
    parser = ['    if line.startswith("' + begin + '"):', "        return parse_pkcs1_private_key_block(lines)"]
    assert rules(parser, "src/pem.py") == set()


# ---- the families the issue names, through the installed command on a real repository ---------


def test_a_private_key_in_escaped_newlines_of_any_kind_is_found() -> None:
    body = "\\n".join(rand(64) for _ in range(4))
    for kind in ("EC", "ECDSA", "OPENSSH", "RSA"):
        line = (
            f'"private_key": "-----BEGIN {kind} '
            + f"PRIVATE KEY-----\\n{body}\\n-----END {kind} "
            + 'PRIVATE KEY-----\\n"'
        )
        assert "private-key" in found(line, "keys.json") or "gcp-service-account-key" in found(line, "keys.json"), kind


def test_the_named_families_through_the_gate(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    """The families the issue listed as missing, each in the kind of file it leaks from."""
    key_lines = "".join(f'    "{rand(64)}\\n"\n' for _ in range(6))
    files = {
        "scripts/deploy.sh": f"curl -u deploy:{PASSWORD} https://api.acme.io/v1\naws configure set aws_secret_access_key {AWS_SECRET}\n",
        "api/requests.http": f"GET https://api.acme.io/items\nAuthorization: Bearer {BEARER}\n",
        ".npmrc": f"//registry.npmjs.org/:_authToken={NPM_UUID}\n",
        "src/keys.py": 'KEY = (\n    "-----BEGIN RSA '
        + 'PRIVATE KEY-----\\n"\n'
        + key_lines
        + '    "-----END RSA '
        + 'PRIVATE KEY-----\\n"\n)\n',
        "deploy/tokens.env": "\n".join(
            [
                "NOTION_TOKEN=" + "nt" + "n_" + rand(11, string.digits) + rand(35),
                "SRC_ACCESS_TOKEN=" + "sg" + "p_" + rand(16, HEX) + "_" + rand(40, HEX),
                "FLY_API_TOKEN=" + "fm" + "2_" + rand(200, tokens._ALNUM + "+/"),
                "OP_SERVICE_ACCOUNT_TOKEN=" + onepassword_service_account_token(),
                "VAULT_TOKEN=" + "hv" + "s." + rand(92),
                "CLOUDFLARE_API_TOKEN=" + rand(40),
                "GRAFANA_TOKEN=" + grafana_service_account_token(),
                "JIRA_API_TOKEN=" + "ATA" + "TT3" + rand(180) + "=" + rand(8, HEX.upper()),
                "DATABRICKS_TOKEN=" + "da" + "pi" + rand(32, HEX),
                "OC_TOKEN=" + "sha256" + "~" + tokens.b64url(43),
                "AZURE_CLIENT_SECRET=" + rand(3) + "8Q" + "~" + rand(34),
                "FB_ACCESS_TOKEN=" + "EA" + "AG" + rand(180),
                "MIXPANEL_API_SECRET=" + rand(32, HEX),
                "POSTHOG_PERSONAL_API_KEY=" + "ph" + "x_" + rand(43),
            ]
        )
        + "\n",
        "web/analytics.js": "posthog.init('" + "ph" + "c_" + rand(43) + "')\nmixpanel.init('" + rand(32, HEX) + "')\n",
    }
    for path, content in files.items():
        based_repo.add(path, content)
    run = gate("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert run.code == 1, run
    got = {(f["path"], f["rule"], f["severity"]) for f in run.json()["findings"]}
    expected = {
        ("scripts/deploy.sh", "curl-basic-auth", "error"),
        ("scripts/deploy.sh", "aws-cli-secret-key", "error"),
        ("api/requests.http", "http-file-auth-header", "error"),
        (".npmrc", "npm-legacy-auth-token", "error"),
        ("src/keys.py", "private-key", "error"),
        ("web/analytics.js", "posthog-project-api-key", "warning"),
        ("web/analytics.js", "mixpanel-project-token", "warning"),
    }
    expected |= {
        ("deploy/tokens.env", rule, "error")
        for rule in (
            "notion-api-token",
            "sourcegraph-access-token",
            "flyio-access-token",
            "onepassword-service-account-token",
            "vault-service-token",
            "cloudflare-api-token",
            "grafana-service-account-token",
            "atlassian-api-token",
            "databricks-token",
            "openshift-user-token",
            "azure-ad-client-secret",
            "facebook-access-token",
            "mixpanel-api-secret",
            "posthog-personal-api-key",
        )
    }
    assert expected <= got, expected - got
    assert PASSWORD not in run.output and BEARER not in run.output and NPM_UUID not in run.output


# ---- the README's list is the generator's ------------------------------------------------------


def test_the_readme_lists_the_families_the_generator_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(families_module.BEGIN) + ".*?" + re.escape(families_module.END) + "\n", readme, re.S)
    assert block is not None, "README.md has no secret-families block"
    assert block.group(0) == families_module.markdown(), (
        "README.md's families list is stale: run python -m contribution_gate.checks.secrets.families --markdown"
    )


def test_a_token_holding_percent_escapes_is_one_finding() -> None:
    """Bedrock's short-term keys are URL-encoded (`%2B`): the decoding pass finds the same key at
    the same place again, which is the same finding, not a second one."""
    prefix = "bedrock-api-key-" + "YmVkcm9jay5hbWF6b25hd3MuY29t"
    value = prefix + rand(40) + "%2B" + rand(20) + "%3D" + rand(12)
    found = [f for f in scan(f'credential = "{value}"') if f.rule == "aws-bedrock-short-lived-api-key"]
    assert len(found) == 1


CRYPT = "./" + string.ascii_letters + string.digits


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("conf/htpasswd", f"admin:$apr1${rand(8, CRYPT)}${rand(22, CRYPT)}"),
        ("conf/users", f"bob:$2y$10${rand(53, CRYPT)}"),
        ("deploy/docker-compose.yml", f'      - "basicauth.users=admin:$$apr1$${rand(8, CRYPT)}$${rand(22, CRYPT)}"'),
        ("etc/shadow", f"root:$6${rand(16, CRYPT)}${rand(86, CRYPT)}:19000:0:99999:7:::"),
        ("etc/shadow", f"app:$5$rounds=5000${rand(16, CRYPT)}${rand(43, CRYPT)}:19000::::::"),
        ("roast.txt", f"$krb5asrep$23$svc@ACME.IO:{rand(32, HEX)}${rand(128, HEX)}"),
    ],
    ids=["apr1", "bcrypt", "compose-label", "sha512crypt", "sha256crypt-rounds", "krb5-asrep"],
)
def test_a_password_hash_is_a_warning(path: str, line: str) -> None:
    """A crypt(3), bcrypt or Kerberos AS-REP hash: not the password, crackable when it is weak."""
    assert scan_lines(line, path).get("password-hash") is Severity.WARNING
