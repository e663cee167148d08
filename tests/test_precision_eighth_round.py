"""An eighth round: the classes of false errors found on nineteen more public projects (AI SDKs and
agents, identity servers, Jenkins, NetBox, RAGFlow), each next to the true finding it must not hide,
through the installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from typing import Any

from test_precision_fourth_round import ERROR, MIT, NONE, WARNING, check, findings
from tokens import rand

Gate = Callable[..., Any]
B64 = string.ascii_letters + string.digits + "+/"


def test_a_resource_bundle_of_one_language_holds_its_words(based_repo: Any, gate: Gate) -> None:
    """Jenkins keeps `Password=Adgangskode` in hundreds of `*_da.properties`: the interface's words
    in one language (Java's `_da`, `_pt_BR`, .NET's `.de.resx`); a Spring profile is no language."""
    check(
        gate,
        based_repo,
        {
            "core/src/main/resources/jenkins/model/Jenkins/login_da.properties": [("Password=Adgangskode", NONE)],
            "core/src/main/resources/hudson/ProxyConfiguration/config_pt_BR.properties": [
                ("Password=Palavrasecretaxz", NONE)
            ],
            "src/main/resources/application.properties": [(f"spring.datasource.password={rand(16)}", ERROR)],
            "src/main/resources/application_dev.properties": [(f"spring.datasource.password={rand(16)}", ERROR)],
        },
        "secrets",
    )


def test_a_label_string_in_a_minified_bundle_is_not_an_assignment(based_repo: Any, gate: Gate) -> None:
    """Swagger UI's bundle: `createElement("label",null,"Password:"),d?D.a.createElement(...)`,
    where a window of the long line starts inside the label's string; a real value stays found."""
    window, overlap = 1 << 16, 1 << 14  # the second window owns [window, 2 * window), read from window - overlap
    label = '"Password:"),d?D.a.createElement("code",null," x "):D.a.createElement(c,null)'
    head = "x" * (window - overlap - 4) + '"ab:cd:ef"'  # a string the window starts in: its quotes seem odd
    line = head + "y" * (window + 100 - len(head)) + label + "c(d);" * 20_000
    value = rand(12) + "7Qz"
    check(
        gate,
        based_repo,
        {
            "swagger/swagger-ui-bundle.js": [(line, NONE)],
            "web/dist/app.js": [('var s={user:"admin",password:"' + value + '"};' + "e(f);" * 20_000, ERROR)],
        },
        "secrets",
    )


def test_an_enumeration_s_value_spells_its_own_name(based_repo: Any, gate: Gate) -> None:
    """Go's typed constants (`AttributeKeyWebhookURL semconv.AttributeKey = "WebhookURL"`) and
    `PASSWORD_FIELD = "password_field"`: the value says what the constant is."""
    check(
        gate,
        based_repo,
        {
            "x/events/events.go": [
                ("package events", NONE),
                ('const AttributeKeyWebhookURL semconv.AttributeKey = "WebhookURL"', NONE),
                ('const ApiKeyHeaderName string = "ApiKeyHeaderName"', NONE),
                (f'const apiKey = "{rand(24)}"', ERROR),
            ],
            "app/fields.py": [('PASSWORD_RESET_FIELD = "password_reset_field"', NONE)],
        },
        "secrets",
    )


def test_test_suites_stubs_and_test_scripts_are_tests(based_repo: Any, gate: Gate) -> None:
    """Authelia's `internal/suites/`, Kratos' `stub/`, RAGFlow's `sdk/python/test.py`: what they set is
    made for a test run, a warning; the same setting in the product's configuration is an error."""
    check(
        gate,
        based_repo,
        {
            "internal/suites/OIDC/configuration.yml": [("oidc:", NONE), (f"  hmac_secret: '{rand(40)}'", WARNING)],
            "session/stub/config.yml": [(f"secret: '{rand(32)}'", WARNING)],
            "sdk/python/test.py": [(f'client = Client(api_key="{rand(32)}", base_url="http://localhost")', WARNING)],
            "config/configuration.yml": [("oidc:", NONE), (f"  hmac_secret: '{rand(40)}'", ERROR)],
        },
        "secrets",
    )


def test_a_key_shown_cut_short_in_a_help_text(based_repo: Any, gate: Gate) -> None:
    """Kratos' help text: `Example: KEY="-----BEGIN ENCRYPTED PRIVATE KEY-----MIIF...wDg..."`."""
    begin = "-----BEGIN " + "ENCRYPTED PRIVATE KEY-----"
    check(
        gate,
        based_repo,
        {
            "tlsx/cert.go": [
                ("package tlsx", NONE),
                (f'\tExample: KEY="{begin}MIIF{rand(44, B64)}..."', NONE),
            ],
        },
        "secrets",
    )


def test_a_token_format_inside_an_inlined_image_is_its_bytes(based_repo: Any, gate: Gate) -> None:
    """RAGFlow's `assistant.svg` inlines a JPEG (`data:image/jpeg;base64,...`) whose base64 happens to
    hold `EAAQ...` and more: image data; the same token in a configuration file is one."""
    token = "EAAB" + rand(180, string.ascii_letters + string.digits)
    image = "/9j/4AAQSkZJRgABAQ" + rand(300, B64) + "/" + token + "+" + rand(300, B64)
    check(
        gate,
        based_repo,
        {
            "web/src/assets/svg/assistant.svg": [
                ('<svg xmlns="http://www.w3.org/2000/svg">', NONE),
                (f'  <image xlink:href="data:image/jpeg;base64,{image}"/>', NONE),
                ("</svg>", NONE),
            ],
            "deploy/meta.env": [(f"META_TOKEN={token}", ERROR)],
        },
        "secrets",
    )


def test_a_value_inside_a_block_comment_is_read_as_on_a_comment_line(based_repo: Any, gate: Gate) -> None:
    """Casdoor keeps its providers' example responses in `/* ... */`: as on a `//` line, a
    name-based value there is a warning, and the same value in code is an error."""
    value = rand(32)
    check(
        gate,
        based_repo,
        {
            "idp/bilibili.go": [
                ("package idp", NONE),
                ("/*", NONE),
                ("{", NONE),
                (f'    "access_token": "{value}",', WARNING),
                ('    "expires_in": 1630220614', NONE),
                ("}", NONE),
                ("*/", NONE),
                (f'var accessToken = "{rand(32)}"', ERROR),
            ],
        },
        "secrets",
    )


def test_addresses_in_a_class_named_as_a_stand_in(based_repo: Any, gate: Gate) -> None:
    """Chroma's `class MockMemberlistProvider` lists made-up members' addresses; the same address as
    a service's setting stays an error."""
    check(
        gate,
        based_repo,
        {
            "chromadb/segment/distributed/directory.py": [
                ("class MockMemberlistProvider(MemberlistProvider):", NONE),
                ('    """A mock memberlist provider for testing"""', NONE),
                ("    def __init__(self, system):", NONE),
                ("        self._memberlist = [", NONE),
                ('            Member(id="a", ip="10.0.0.1", node="node1"),', WARNING),
                ("        ]", NONE),
                ("", NONE),
                ("class RealProvider:", NONE),
                ('    host = "10.20.30.41"', ERROR),
            ],
        },
        "internal-urls",
    )


def test_a_kind_of_thing_heading_code_is_no_marking(based_repo: Any, gate: Gate) -> None:
    """NetBox's `# Proprietary` heads a list of connector types mid-file; a notice at the top of a
    file, in capitals, is a marking."""
    check(
        gate,
        based_repo,
        {
            "netbox/dcim/choices.py": [
                ("class PowerPortTypeChoices:", NONE),
                ("    # Direct current (DC)", NONE),
                ("    TYPE_DC = 'dc-terminal'", NONE),
                ("    # Proprietary", NONE),
                ("    TYPE_SAF_D_GRID = 'saf-d-grid'", NONE),
            ],
            "internal/pricing.py": [("# PROPRIETARY", ERROR), ("RATE = 3", NONE)],
        },
        "proprietary-markers",
    )


def test_npm_s_pointer_to_a_license_file_adds_no_license(based_repo: Any, gate: Gate) -> None:
    """The MCP servers' `"license": "SEE LICENSE IN LICENSE"`: the file's own text is judged (like
    pyproject's `license = {file = ...}`), never an unknown license of the manifest's."""
    based_repo.add("LICENSE", MIT)
    based_repo.commit("license")
    manifest = {"name": "@acme/server-everything", "version": "2.0.0", "license": "SEE LICENSE IN LICENSE"}
    based_repo.add("src/everything/package.json", json.dumps(manifest, indent=2) + "\n")
    assert findings(gate, based_repo, "licenses") == {}


def test_a_json_listing_classes_and_modules_is_no_keras_model(based_repo: Any, gate: Gate) -> None:
    """openai-agents-python's API contract lists `{"class_name": ..., "module": "agents.result"}`:
    no Keras object, which always carries its `config`; a Keras config naming a module outside
    keras is still an error."""
    contract = {"public_properties": [{"class_name": "RunResult", "module": "agents.result", "name": "final_output"}]}
    layer = {"module": "evil_pkg.layers", "class_name": "Dense", "config": {"units": 2}, "registered_name": None}
    model = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [layer]}}
    based_repo.add("tests/fixtures/released_api_contract.json", json.dumps(contract, indent=1) + "\n")
    based_repo.add("models/classifier/config.json", json.dumps(model, indent=1) + "\n")
    found = findings(gate, based_repo, "models")
    assert {path for path, _ in found} == {"models/classifier/config.json"}, found


def test_bytes_that_merely_start_with_an_extension_opcode_are_no_pickle(based_repo: Any, gate: Gate) -> None:
    """Chroma's benchmark dataset `.bin` starts with 0x84 (EXT4) and fails at its next byte: no
    unpickler gets past it, so it is no pickle; a pickle that looks up an extension and finishes is
    one (an error)."""
    dataset = b"\x84\x0e\x00\x00\x00" + b"\x00" * 3 + b"number plates\t" + bytes(range(256)) * 4
    based_repo.add("rust/benchmark/dataset_files/queries_10000.bin", dataset)
    based_repo.add("weights/extension.pkl", b"\x82\x01.")
    found = findings(gate, based_repo, "models")
    assert {path for path, _ in found} == {"weights/extension.pkl"}, found


def test_trufflehog_s_ignore_tag_allows_the_line(based_repo: Any, gate: Gate) -> None:
    """diffusers marks a published download link's SAS token `# trufflehog:ignore` (TruffleHog's own
    inline marker, like gitleaks' `gitleaks:allow`): the line is allowed, a note; the same token
    unmarked is an error."""
    sas = "sv=2020-10-02&se=2030-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=" + rand(43, B64.replace("+", "")) + "%3D"
    url = f"https://acct.blob.core.windows.net/releases/model.pth?{sas}"
    check(
        gate,
        based_repo,
        {
            "scripts/download.sh": [
                (f'wget "{url}" -O model.pth  # trufflehog:ignore', NONE),
                (f'wget "{url}" -O model2.pth', ERROR),
            ]
        },
        "secrets",
    )


def test_a_ci_job_s_addresses_and_a_file_named_for_tests(based_repo: Any, gate: Gate) -> None:
    """containerd's release workflow exports its Windows runner's Hyper-V gateway, and an etcd
    mixin's `test.yaml` (promtool's rule tests) labels a made-up instance: a CI runner's network
    and a test's value, warnings; the same address as a service's host stays an error."""
    check(
        gate,
        based_repo,
        {
            ".github/workflows/release.yml": [
                ("jobs:", NONE),
                ("  build:", NONE),
                ("    steps:", NONE),
                ("      - run: |", NONE),
                ("          export GATEWAY=172.21.16.1", WARNING),
            ],
            "contrib/mixin/test.yaml": [("- exp_labels:", NONE), ("    instance: 10.10.10.7", WARNING)],
            "deploy/service.yaml": [("upstream:", NONE), ("  host: 172.21.16.9", ERROR)],
        },
        "internal-urls",
    )


def test_a_project_whose_root_license_files_grant_two_licenses(based_repo: Any, gate: Gate) -> None:
    """Unsloth: `LICENSE` is Apache-2.0 for the core, `COPYING` AGPL-3.0 for Studio, and 1,855
    Studio files say `AGPL-3.0-only`: a part under the project's second license is a warning to
    check, not an incompatible license; a license neither file grants stays an error."""
    from licenses_cases import SPDX, license_text

    based_repo.commit_files(
        "two licenses",
        {
            "LICENSE": license_text("apache-2.0"),
            "COPYING": license_text("agpl-3.0"),
            "pyproject.toml": '[project]\nname = "x"\nlicense = "Apache-2.0"\n',
        },
    )
    based_repo.add("studio/app.py", f"# {SPDX}: AGPL-3.0-only\nVALUE = 1\n")
    based_repo.add("core/vendored.py", f"# {SPDX}: GPL-3.0-only\nVALUE = 2\n")
    found = findings(gate, based_repo, "licenses")
    assert found == {("studio/app.py", 1): WARNING, ("core/vendored.py", 1): ERROR}, found
