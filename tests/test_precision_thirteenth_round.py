"""A thirteenth round: the classes of false errors (and one crash) found on more public projects
(.NET's runtime-assets, Meilisearch, Redpanda Connect, Couchbase Lite, Sentry's JavaScript SDK,
PyAirbyte), each next to the true finding it must not hide, through the installed command on real
git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import base64
import io
import json
import os
import tarfile
import zipfile
from collections.abc import Callable
from typing import Any

from licenses_cases import license_text
from test_precision_fifth_round import _whole_tree
from test_precision_fourth_round import ERROR, NONE, WARNING, check
from tokens import github_token, jwt, rand

Gate = Callable[..., Any]
_HEX = "0123456789abcdef"
# what cannot be read is a warning on a developer's machine and an error in CI (`CI=true`): these
# tests say which, so that they read the same in both
_UNSCANNED_WARNS = '[models]\nunscanned = "warning"\n'


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
            ".contribution-gate.toml": _UNSCANNED_WARNS,
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


# -- a fourteenth round: commons-compress, libarchive, Pillow, age, TorchServe and six more ---------


def _pax_chain(links: int) -> bytes:
    """A tar whose member is preceded by `links` PAX extended headers in a row: Python's tarfile
    reads each by recursion (commons-compress' `tar/paxHeaders.bin`, `getNextTarEntry.bin`)."""
    info = tarfile.TarInfo("a")
    info.pax_headers = {"comment": "x"}
    block = info.tobuf(tarfile.PAX_FORMAT)
    return block[:1024] * links + block[1024:] + b"\0" * 1024


def _encrypted_zip(count: int) -> bytes:
    """A zip of `count` members each flagged as encrypted (bit 0 of the flags of its local header and
    its directory record: zipfile clears it when writing), unreadable without a password."""
    raw = bytearray(_zip({f"part{index}.bin": b"\x00" * 16 for index in range(count)}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        while at >= 0:
            raw[at + offset] |= 0x1
            at = raw.find(signature, at + 4)
    return bytes(raw)


def test_a_chain_of_tar_headers_and_a_zip_of_unreadable_members(based_repo: Any, gate: Gate) -> None:
    """A chain of 1,500 PAX headers exhausted the stack of both checks that read archives
    (`RecursionError`: they crashed); now the tar is corrupt, a warning. A zip of 120 encrypted
    members lists 100 and counts the rest at the same (unscanned) severity, no longer an error."""
    based_repo.commit_files(
        "archives",
        {
            ".contribution-gate.toml": _UNSCANNED_WARNS,
            "testdata/paxHeaders.tar": _pax_chain(1500),
            "testdata/encrypted.zip": _encrypted_zip(120),
        },
    )
    run = gate("review", "--all-files", "--format", "json", "-C", str(based_repo.root))
    assert run.code == 0, run.output
    report = json.loads(run.out)
    assert all(c["status"] == "pass" for c in report["checks"]), report["checks"]
    found = {(f["check"], f["rule"], f["path"]): f["severity"] for f in report["findings"]}
    assert found[("models", "archive-corrupt", "testdata/paxHeaders.tar")] == WARNING
    assert found[("models", "too-many-problems", "testdata/encrypted.zip")] == WARNING


def test_help_texts_label_public_keys_and_head_their_examples(based_repo: Any, gate: Gate) -> None:
    """age's `age-keygen` usage text shows `Public key: age1...` (a public key: its label says so)
    and, under `Examples:`, the secret key the command prints. A key in the code itself and a
    secret under a label of its own stay errors."""
    from unit.test_secret_families import age_secret_key

    recipient = "age1" + rand(58, "qpzry9x8gf2tvdw0s3jn54khce6mua7l")
    check(
        gate,
        based_repo,
        {
            "cmd/age-keygen/keygen.go": [
                ("const usage = `Usage:", NONE),
                ("    age-keygen [-o OUTPUT]", NONE),
                ("", NONE),
                ("Examples:", NONE),
                ("", NONE),
                ("    $ age-keygen", NONE),
                (f"    # public key: {recipient}", NONE),
                (f"    {age_secret_key()}", WARNING),
                ("", NONE),
                ("    $ age-keygen -o key.txt", NONE),
                (f"    Public key: {recipient}", NONE),
                ("`", NONE),
                (f'const fallback = "{age_secret_key()}"', ERROR),
            ],
            "deploy/notes.txt": [(f"    Secret key: {rand(40)}", ERROR)],
        },
        "secrets",
    )


def test_licenses_mentioned_in_pages_ci_and_bundled_notices(repo: Any, gate: Gate) -> None:
    """Pillow (MIT-CMU) mentions a GPL-licensed optional dependency in `winbuild/build.rst` and in
    a comment of its Windows workflow, and keeps the licenses of what its wheels bundle in
    `wheels/dependency_licenses/`: pages, CI and notices, warnings. A GPL header on code is an error."""
    gpl_notice = "This program is free software: you can redistribute it and/or modify it under the terms of"
    repo.commit_files(
        "pillow-like",
        {
            "LICENSE": license_text("mit"),
            "winbuild/build.rst": "Options\n=======\n\n--no-imagequant  skip GPL-licensed optional dependency libimagequant\n",
            ".github/workflows/test-windows.yml": "jobs:\n  build:\n    steps:\n      # GPL licensed\n      - run: build.cmd\n",
            "wheels/dependency_licenses/LIBLZMA.txt": license_text("gpl-2.0-plus"),
            "src/encode.c": "/*\n * "
            + gpl_notice
            + "\n * the GNU General Public License as published by the Free Software Foundation, either\n"
            + " * version 3 of the License, or (at your option) any later version.\n */\nint x;\n",
        },
    )
    found = _whole_tree(gate, repo, "licenses")
    assert found.get(("winbuild/build.rst", 4), NONE) in (NONE, WARNING)
    assert found.get((".github/workflows/test-windows.yml", 4), NONE) in (NONE, WARNING)
    assert ERROR not in {severity for (path, _), severity in found.items() if path.startswith("wheels/")}
    assert ERROR in {severity for (path, _), severity in found.items() if path == "src/encode.c"}


def test_another_schema_s_protobuf_is_not_a_broken_onnx_model(based_repo: Any, gate: Gate) -> None:
    """TorchServe's `default.dali` (a DALI pipeline) begins as an ONNX model does (a small field 1,
    a field 7) and then is not one: no ONNX loader opens it. The same bytes named `.onnx` are a
    malformed model, an error."""
    blob = b"\x08\x07\x3a\x05\x0f\x00\x01\x02\x03"  # a NUL byte: git reads it as binary
    based_repo.commit_files("protobufs", {"pipelines/default.dali": blob, "models/broken.onnx": blob})
    found = _whole_tree(gate, based_repo, "models")
    assert found.get(("pipelines/default.dali", 0), NONE) == NONE
    assert found.get(("models/broken.onnx", 0)) == ERROR


def test_a_license_field_left_to_be_filled_in_declares_nothing(repo: Any, gate: Gate) -> None:
    """Documenso (AGPL-3.0) has a test package whose `"license": "to-update"` declares nothing yet,
    as a package without the field does; its enterprise package's `"license": "COMMERCIAL"` is a
    proprietary declaration, still an error."""
    repo.commit_files(
        "workspace",
        {
            "LICENSE": license_text("agpl-3.0"),
            "packages/app-tests/package.json": '{\n  "name": "@x/app-tests",\n  "license": "to-update"\n}\n',
            "packages/ee/package.json": '{\n  "name": "@x/ee",\n  "license": "COMMERCIAL"\n}\n',
        },
    )
    found = _whole_tree(gate, repo, "licenses")
    assert found.get(("packages/app-tests/package.json", 3), NONE) == NONE
    assert found.get(("packages/ee/package.json", 3)) == ERROR


# -- a fifteenth round: ABP, Boundary, Spree, community.general and four more ------------------------


def test_a_json_file_s_start_is_no_safetensors_header(based_repo: Any, gate: Gate) -> None:
    """ABP ships a project template as a zip whose `compilerconfig.json` starts with a byte order
    mark, `[`, a line break and `{` at its ninth byte: it was read as a safetensors header claiming
    petabytes. A real safetensors file whose header does not fit is still an error."""
    text_file = '\ufeff[\r\n  {\r\n    "outputFile": "wwwroot/css/main.css"\r\n  }\r\n]\r\n'.encode()
    header = b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}'
    broken = (len(header) + 64).to_bytes(8, "little") + header + b"\x00" * 8
    based_repo.commit_files(
        "template",
        {
            "doc/Download/SimpleTaskApp.zip": _zip({"src/compilerconfig.json": text_file}),
            "models/weights.safetensors": broken,
        },
    )
    found = _whole_tree(gate, based_repo, "models")
    assert found.get(("doc/Download/SimpleTaskApp.zip", 0), NONE) == NONE
    assert found.get(("models/weights.safetensors", 0)) == ERROR


def test_translations_hcl_comments_e2e_scenarios_and_help_texts(based_repo: Any, gate: Gate) -> None:
    """ABP keeps its translations in `Localization/` folders (`<text name="Password">Adgangskode`);
    Boundary's packaged `boundary.hcl` holds a KMS block to fill in, commented out; its `enos/`
    folder holds end-to-end test scenarios; a command's help text shows a `kms` block under
    `Example:`. A key in a configuration Boundary runs with stays an error."""
    aead = base64.b64encode(os.urandom(32)).decode()
    check(
        gate,
        based_repo,
        {
            "src/Abp/Localization/Sources/Abp-da.xml": [
                ('<localizationDictionary culture="da">', NONE),
                ('  <text name="Password">Adgangskode</text>', NONE),
                ("</localizationDictionary>", NONE),
            ],
            ".release/linux/package/etc/boundary.d/boundary.hcl": [
                ('# kms "aead" {', NONE),
                ('#   purpose = "root"', NONE),
                (f'#   key = "{base64.b64encode(os.urandom(32)).decode()}"', WARNING),
                ("# }", NONE),
            ],
            "enos/modules/docker_boundary/boundary-config.hcl": [
                ('kms "aead" {', NONE),
                (f'  key = "{base64.b64encode(os.urandom(32)).decode()}"', WARNING),
                ("}", NONE),
            ],
            "internal/cmd/commands/config/encryptdecrypt.go": [
                ("var help = []string{", NONE),
                ('\t`  A "kms" block must be defined within a configuration file. Example:`,', NONE),
                ('\t"",', NONE),
                ('\t`    kms "aead" {`,', NONE),
                (f'\t`      key = "{aead}"`,', WARNING),
                ("\t`    }`,", NONE),
                ("}", NONE),
            ],
            "deploy/controller.hcl": [
                ('kms "aead" {', NONE),
                (f'  key = "{base64.b64encode(os.urandom(32)).decode()}"', ERROR),
                ("}", NONE),
            ],
        },
        "secrets",
    )
