"""A ninth round: the classes of false errors found on nineteen more public projects (Redash,
Weaviate, rclone, Continue, Flowise, Synapse, crewAI, Saleor, PocketBase; then Supabase Auth, the
NATS server, huggingface_hub, Aider, Auth.js, NeMo Guardrails, k6, DeepSpeed, Temporal, LeRobot),
each next to the true finding it must not hide, through the installed command on real git
repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from test_precision_fourth_round import ERROR, NONE, WARNING, check, findings
from tokens import rand

Gate = Callable[..., Any]


def test_a_ci_folder_and_a_ci_compose_file_set_their_test_services_passwords(based_repo: Any, gate: Gate) -> None:
    """Redash's `.ci/compose.ci.yaml` starts Postgres for its CI jobs with a literal password, as
    `.github/` workflows do; the same line in the compose file a deployment uses stays an error."""
    check(
        gate,
        based_repo,
        {
            ".ci/compose.cypress.yaml": [("services:", NONE), (f'  POSTGRES_PASSWORD: "{rand(20)}"', WARNING)],
            "docker-compose.ci.yml": [("services:", NONE), (f'  POSTGRES_PASSWORD: "{rand(20)}"', WARNING)],
            "deploy/compose.yaml": [("services:", NONE), (f'  POSTGRES_PASSWORD: "{rand(20)}"', ERROR)],
        },
        "secrets",
    )


def test_a_header_s_name_an_option_s_name_and_a_pattern_are_no_values(based_repo: Any, gate: Gate) -> None:
    """Weaviate's `key := "X-Voyageai-Api-Key"` names the header a key travels in; rclone's manual
    heads a section `<h4 id="s3-ibm-api-key">--s3-ibm-api-key</h4>`; Flowise's `RFC7230_TOKEN =
    /^[...]+$/` is a regular expression. A random value under the same names stays an error."""
    check(
        gate,
        based_repo,
        {
            "modules/reranker/client.go": [
                ('\tkey := "X-Voyageai-Api-Key"', NONE),
                ('\tauth := "Ocp-Apim-Subscription-Key"', NONE),
                (f'\tkey = "{rand(32)}"', ERROR),
            ],
            "site/options.html": [('<h4 id="s3-ibm-api-key">--s3-ibm-api-key</h4>', NONE)],
            "packages/components/src/headerValidation.ts": [
                ("const RFC7230_TOKEN = /^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$/", NONE),
                (f"const TOKEN = '{rand(30)}'", ERROR),
            ],
        },
        "secrets",
    )


def test_a_uuid_with_a_short_tag_is_an_id(based_repo: Any, gate: Gate) -> None:
    """A Grafana dashboard keys each query `Q-<uuid>-0`: an id, judged as a bare UUID is (at most a
    warning, as some services' keys are UUIDs); a random key under the same name is an error."""
    dashboard = {"panels": [{"targets": [{"expr": "up", "key": f"Q-{uuid.uuid4()}-0"}]}], "key": rand(32)}
    text = json.dumps(dashboard, indent=1)
    based_repo.add("monitoring/dashboards/kubernetes.json", text + "\n")
    found = findings(gate, based_repo, "secrets")
    lines = text.splitlines()
    tagged = next(i for i, line in enumerate(lines, 1) if '"Q-' in line)
    plain = next(i for i, line in enumerate(lines, 1) if line.startswith(' "key"'))
    path = "monitoring/dashboards/kubernetes.json"
    assert found.get((path, tagged), NONE) in (NONE, WARNING) and found.get((path, plain)) == ERROR, found


def test_a_setting_commented_out_in_an_ini_file_is_a_warning(based_repo: Any, gate: Gate) -> None:
    """Grafana's sample `grafana.ini` holds `;secret_key = ...`: `;` comments a line of an INI file
    as `#` does (and `!` one of Java properties); the same setting in force stays an error."""
    check(
        gate,
        based_repo,
        {
            "tools/grafana/grafana.ini": [
                ("[security]", NONE),
                (f";secret_key = {rand(20)}", WARNING),
                (f"secret_key = {rand(20)}", ERROR),
            ],
            "src/main/resources/app.properties": [(f"!db.password={rand(16)}", WARNING)],
        },
        "secrets",
    )


def test_test_servers_and_manual_pages_hold_samples(based_repo: Any, gate: Gate) -> None:
    """rclone's `fstest/testserver/init.d/` starts throwaway FTP and S3 servers with literal
    passwords; its `MANUAL.txt` and man page `rclone.1`, Synapse's `.ronn` sources, show example
    keys and LAN addresses. The same password in a service's start script stays an error."""
    check(
        gate,
        based_repo,
        {
            "fstest/testserver/init.d/TestFTPProftpd": [("#!/usr/bin/env bash", NONE), (f"PASS={rand(16)}", WARNING)],
            "pkg/testutil/env.sh": [(f"export ADMIN_PASSWORD={rand(16)}", WARNING)],
            "MANUAL.txt": [(f"    pass = {rand(20)}", WARNING)],
            "rclone.1": [(f"secret_access_key = {rand(40)}", WARNING)],
            "debian/port_db.ronn": [(f"    password: {rand(16)}", WARNING)],
            "server/init.d/ftp": [("#!/usr/bin/env bash", NONE), (f"PASS={rand(16)}", ERROR)],
        },
        "secrets",
    )
    check(
        gate,
        based_repo,
        {"docs/rclone.1": [("Endpoint:  http://192.168.1.106:9000", WARNING)]},
        "internal-urls",
    )


def test_text_that_starts_like_a_pickle_but_names_no_global_is_no_pickle(based_repo: Any, gate: Gate) -> None:
    """Continue's tree-sitter queries start `(import_declaration\\n  (scoped_identifier`, which an
    unpickler reads as MARK, then INST of a name no module holds: it raises before calling anything.
    A protocol-0 pickle that calls `os.system`, or imports a module that acts on import, stays an error."""
    based_repo.add(
        "extensions/tree-sitter/import-queries/java.scm",
        "(import_declaration\n  (scoped_identifier\n    (identifier) @import))\n",
    )
    based_repo.add("models/evil.pkl", "cos\nsystem\n(S'echo hi'\ntR.")
    based_repo.add("models/odd.pkl", "cantigravity\n  (x\n.")
    found = findings(gate, based_repo, "models")
    assert found == {("models/evil.pkl", 0): ERROR, ("models/odd.pkl", 0): ERROR}, found


def test_a_model_parameter_s_dotted_name_and_a_nats_public_key_are_no_secrets(based_repo: Any, gate: Gate) -> None:
    """DeepSpeed lists a checkpoint's parameters (`key: transformer.layers.0.mlp.dense_h_to_4h.bias`);
    a NATS server's configuration names each account by its public nkey (`nkey: A...`, the identity a
    seed `S...` signs for). A random key or a seed under the same names stays an error."""
    base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    check(
        gate,
        based_repo,
        {
            "deepspeed/runtime/state_dict_factory.py": [
                ("LAYOUT = '''", NONE),
                ("key: transformer.layers.0.mlp.dense_h_to_4h.bias, shape: torch.Size([4256])", NONE),
                ("key: transformer.layers.0.mlp.dense_4h_to_h.weight, shape: torch.Size([4256, 4256])", NONE),
                ("'''", NONE),
                (f"key = '{rand(32)}'", ERROR),
            ],
            "server/configs/accounts.conf": [
                ("accounts: {", NONE),
                (f"  A: {{ nkey: AD{rand(54, base32)} }}", NONE),  # `AD`: no other family's prefix (`ATBB`)
                (f"  B: {{ nkey: UD{rand(54, base32)} }}", NONE),
                (f"  C: {{ nkey: {rand(40)} }}", ERROR),
                ("}", NONE),
            ],
        },
        "secrets",
    )


def test_an_item_of_a_list_in_a_comment_is_an_option_not_a_marking(based_repo: Any, gate: Gate) -> None:
    """Auth.js documents Bungie's OAuth client types in a list (`*   - Confidential`): an option of
    a setting. A marking in capitals, or the file's notice, stays an error."""
    check(
        gate,
        based_repo,
        {
            "packages/core/src/providers/bungie.ts": [
                ('import type { OAuthConfig } from "./index.js"', NONE),
                ("/**", NONE),
                (" * - OAuth Client Type", NONE),
                (" *   - Confidential", NONE),
                (" */", NONE),
                ("export const bungie = 1", NONE),
            ],
            "src/pricing.py": [("RATE = 3", NONE), ("# - CONFIDENTIAL", ERROR)],
            "src/notice.ts": [("// Confidential", ERROR), ("export const y = 2", NONE)],
        },
        "proprietary-markers",
    )


def test_source_code_named_for_chat_templates_is_code_and_a_sentinel_is_a_name(based_repo: Any, gate: Gate) -> None:
    """trl's `chat_template_utils.py` keeps templates among its own code (`self.`, `config.` are
    Python there) and names its probes `_arg_key_sentinel = "tool_arg_key_b9d4f5c2"`. A chat
    template file that reaches object internals, and a random key, stay errors."""
    from model_fixtures import EVIL_TEMPLATE

    source = (
        "import transformers\n"
        'TEMPLATE = "{% for m in messages %}{{ m.content }}{% endfor %}"\n'
        "def probe(self, config):\n"
        '    marker = "{{ " + self.tokenizer.eos_token + " }}" + config.name_or_path\n'
        "    return marker, transformers.__version__\n"
    )
    based_repo.add("trl/chat_template_utils.py", source)
    based_repo.add("models/chat_template.jinja", EVIL_TEMPLATE + "\n")
    found = findings(gate, based_repo, "models")
    assert found == {("models/chat_template.jinja", 0): ERROR}, found
    check(
        gate,
        based_repo,
        {
            "trl/probes.py": [
                ('_arg_key_sentinel = "tool_arg_key_b9d4f5c2"', NONE),
                (f'_api_key = "{rand(32)}"', ERROR),
            ],
        },
        "secrets",
    )


def test_ruby_interpolation_a_tagged_name_a_gpg_key_id_and_mock_folders(based_repo: Any, gate: Gate) -> None:
    """A third batch (Rails, Nomad): `"--password=#{mysql_config[:password]}"` is Ruby code;
    `RUBY2_KEYWORDS_KEY = "_aj_ruby2_keywords"` spells its name with a tag; `gpg_signing_key=348FFC4C`
    is a public key id; `nomad/mock/` holds the stand-ins tests are given. A literal password, a
    longer hex value under a key's name and a LAN address in the server's code stay errors."""
    check(
        gate,
        based_repo,
        {
            "lib/mysql_adapter.rb": [
                ('args << "--password=#{mysql_config[:password]}"', NONE),
                ('RUBY2_KEYWORDS_KEY = "_aj_ruby2_keywords"', NONE),
                (f'args << "--password={rand(16)}"', ERROR),
            ],
            "scripts/dist.sh": [
                ("gpg_signing_key=348FFC4C", NONE),
                (f"signing_key={rand(12, '0123456789ABCDEF')}", ERROR),
            ],
        },
        "secrets",
    )
    check(
        gate,
        based_repo,
        {
            "nomad/mock/node.go": [('\tAddress: "192.168.10.1",', WARNING)],
            "nomad/server_config.go": [('\tAddress: "192.168.10.1",', ERROR)],
        },
        "internal-urls",
    )
