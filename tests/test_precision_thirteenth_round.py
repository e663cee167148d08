"""A thirteenth round: the classes of false errors (and one crash) found on more public projects
(.NET's runtime-assets, Meilisearch, Redpanda Connect, Couchbase Lite, Sentry's JavaScript SDK,
PyAirbyte), each next to the true finding it must not hide, through the installed command on real
git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from licenses_cases import license_text
from test_precision_fifth_round import _whole_tree
from test_precision_fourth_round import ERROR, NONE, WARNING, check
from tokens import github_token, jwt, rand

Gate = Callable[..., Any]
_HEX = "0123456789abcdef"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def _deflate64(data: bytes) -> bytes:
    """A zip whose one member says it is compressed with Deflate64 (method 9), which Python's
    zipfile, and so every Python model loader, cannot read (.NET's `compat/deflate64.zip`)."""
    raw = bytearray(_zip({"weights.bin": data}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = raw.find(signature)
        raw[at + offset : at + offset + 2] = (9).to_bytes(2, "little")
    return bytes(raw)


def test_a_zip_member_without_a_name_is_read_as_corrupt_not_a_crash(based_repo: Any, gate: Gate) -> None:
    """.NET's `badzipfiles/nameEmpty.zip` made both the secrets and the models check crash
    (`ZipInfo.is_dir` on an empty name): each now says the zip is corrupt and reads the rest, where
    a key in another member is still found; a member in a method no loader reads is unscanned."""
    key = github_token()
    based_repo.commit_files(
        "archives",
        {
            "testdata/nameEmpty.zip": _zip({"": b"hello", "conf/settings.env": f"GITHUB_TOKEN={key}\n".encode()}),
            "testdata/deflate64.zip": _deflate64(b"\x00" * 64),
        },
    )
    run = gate("review", "--all-files", "--format", "json", "-C", str(based_repo.root))
    assert run.code == 1, run.output
    report = json.loads(run.out)
    assert all(c["status"] != "error" for c in report["checks"]), report["checks"]
    found = {(f["check"], f["rule"], f["path"]): f["severity"] for f in report["findings"]}
    assert found[("models", "archive-corrupt", "testdata/nameEmpty.zip")] == WARNING
    assert found[("models", "archive-unreadable", "testdata/deflate64.zip")] == WARNING
    assert found[("secrets", "github-token", "testdata/nameEmpty.zip")] == ERROR


def test_words_in_code_are_no_credentials_and_samples_say_so(based_repo: Any, gate: Gate) -> None:
    """Couchbase Lite's `#define kC4AuthTypeOpenIDConnect "OpenID Connect"` names a kind of
    authentication; Redpanda Connect's `sampleSignature: "eyJ..."` calls its JWTs samples; a
    Sentry ingest URL's `sentry_key` is a DSN's public key and Meilisearch's `SEGMENT_API_KEY` a
    write key, both shipped in every client. A random macro and a JWT under a plain name stay errors."""
    check(
        gate,
        based_repo,
        {
            "C/include/c4ReplicatorTypes.h": [
                ('#define kC4AuthTypeOpenIDConnect "OpenID Connect"  ///< OpenID Connect token', NONE),
                ('#define kC4AuthTypeClientCert    "Client Cert"     ///< TLS client cert', NONE),
                (f'#define kC4ServiceAuthToken      "{rand(28)}"', ERROR),
            ],
            "internal/impl/crypto/jwt_parse.go": [
                ("var cases = []struct{ sampleSignature string }{", NONE),
                (f'\t{{sampleSignature: "{jwt()}"}},', WARNING),
                ("}", NONE),
                (f'const sessionToken = "{jwt()}"', ERROR),
            ],
            "packages/browser/src/diagnose-sdk.ts": [
                (
                    "const url = 'https://o447951.ingest.sentry.io/api/4508/envelope/?sentry_version=7"
                    f"&sentry_key={rand(32, _HEX)}&sentry_client=sentry.javascript.browser';",
                    WARNING,
                ),
            ],
            "crates/meilisearch/src/analytics/segment_analytics.rs": [
                (f'const SEGMENT_API_KEY: &str = "{rand(32)}";', WARNING),
                (f'const MASTER_API_KEY: &str = "{rand(32)}";', ERROR),
            ],
        },
        "secrets",
    )


def test_an_api_s_documented_example_is_a_sample(based_repo: Any, gate: Gate) -> None:
    """Meilisearch documents its routes with utoipa: `example = json!({ ..., "key": "<64 hex>" })`
    is a response the documentation shows, and a description in Markdown shows a request with a
    key in a code block. A key the code itself holds, in the same file, is still an error."""
    check(
        gate,
        based_repo,
        {
            "crates/meilisearch/src/routes/api_key.rs": [
                ("#[utoipa::path(", NONE),
                ("    responses(", NONE),
                ('        (status = 201, description = "Key has been created.", example = json!(', NONE),
                ("            {", NONE),
                ('                "uid": "01b4bc42-eb33-4041-b481-254d00cce834",', NONE),
                (f'                "key": "{rand(64, _HEX)}",', WARNING),
                ('                "name": "Indexing Products API key"', NONE),
                ("            }", NONE),
                ("        ))", NONE),
                ("    )", NONE),
                (")]", NONE),
                (
                    '.description("Include the API key:\\n```js\\nconst client = new MeiliSearch({ host: '
                    f"'http://localhost:7700', apiKey: '{rand(40, _HEX)}' }})\\n```\")",
                    WARNING,
                ),
                (f'static DEFAULT_KEY: &str = "{rand(64, _HEX)}";', ERROR),
            ],
        },
        "secrets",
    )


def test_a_platform_s_fixed_address_is_no_leak(based_repo: Any, gate: Gate) -> None:
    """PyAirbyte asks Google Colab's runtime API, at the same address on every Colab machine, for
    the notebook's session: as a cloud's metadata service, a warning. Another private address in
    a URL of the code stays an error."""
    check(
        gate,
        based_repo,
        {
            "airbyte/_util/meta.py": [
                ('COLAB_SESSION_URL = "http://172.28.0.12:9000/api/sessions"', WARNING),
                ('WAREHOUSE_URL = "http://172.28.4.19:9000/api/query"', ERROR),
            ],
        },
        "internal-urls",
    )


def test_a_root_license_file_for_a_part_of_the_project_grants_its_license(repo: Any, gate: Gate) -> None:
    """Mattermost's AI plugin keeps `LICENSE.txt` (Apache-2.0) and `LICENSE.enterprise` (its
    source-available license, for `enterprise/`) at its root: that license is the project's own
    arrangement for a part of it, a warning to check the file belongs there; a license neither
    root file grants stays an error."""
    enterprise = license_text("activepieces-enterprise-2023")
    repo.commit_files(
        "two root licenses",
        {
            "LICENSE.txt": license_text("apache-2.0"),
            "LICENSE.enterprise": enterprise,
            "enterprise/LICENSE": enterprise,
            "tools/LICENSE": license_text("gpl-3.0"),
        },
    )
    found = _whole_tree(gate, repo, "licenses")
    assert found.get(("enterprise/LICENSE", 1)) == WARNING
    assert found.get(("tools/LICENSE", 1)) == ERROR
