"""A twelfth round: the classes of false errors found on more public projects (Terraform,
promptflow, pandas-ai, Prefect, pipenv, Django REST framework, HTTPie), each next to the true
finding it must not hide, through the installed command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

import base64
import dbm.dumb
import os
import pathlib
import pickle
import shelve
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from licenses_cases import SPDX, license_text
from test_precision_fifth_round import _whole_tree
from test_precision_fourth_round import ERROR, NONE, WARNING, check
from tokens import rand

Gate = Callable[..., Any]

# a BUSL's parameters filled in at length, as Terraform's are (its own wording is not copied here)
_BUSL_PARAMETERS = [
    "Parameters",
    "",
    "Licensor:             Example Infrastructure Corporation",
    "Licensed Work:        Provisioner Version 2.0.0 or later. The Licensed Work is (c) 2025",
    "                      Example Infrastructure Corporation.",
    "Additional Use Grant: You may make production use of the Licensed Work, provided",
    "                      Your use does not include offering the Licensed Work to third",
    "                      parties on a hosted or embedded basis in order to compete with",
    "                      the Licensor's paid version(s) of the Licensed Work. For the",
    "                      purposes of this grant:",
    "",
    '                      A "competing offering" is a Product offered to third parties',
    "                      for a fee, support arrangements included, whose capabilities",
    "                      overlap to a significant degree with those of the Licensor's",
    "                      paid version(s) of the Licensed Work. A Product that does not",
    "                      compete when it is first made available does not come to",
    "                      compete later because the Licensor releases a new version of",
    "                      the Licensed Work with more capabilities. Products offered",
    "                      free of charge do not compete.",
    "",
    '                      "Product" means software offered to end users to run in their',
    "                      own environments or offered as a service on a hosted basis.",
    "",
    '                      "Embedded" means including the source or executable code of',
    "                      the Licensed Work in a competing offering, or packaging the",
    "                      competing offering so that the Licensed Work must be accessed",
    "                      or downloaded for it to work.",
    "",
    "Change Date:          Four years from the date the Licensed Work is published.",
    "",
    "Change License:       MPL 2.0",
    "",
    "For information about alternative licensing arrangements for the Licensed Work,",
    "please contact the Licensor.",
    "",
]


def _busl_with_parameters() -> str:
    """ScanCode's BUSL-1.1 text with a long parameter block after its heading and its terms in
    another wording (here: its last five paragraphs left out; Terraform's is MariaDB's 2020 text),
    which ScanCode and the fast matcher then match in part only."""
    heading, _, terms = license_text("bsl-1.1").partition("\nTerms\n")
    paragraphs = terms.strip().split("\n\n")[:-5]
    return heading + "\n" + "\n".join(_BUSL_PARAMETERS) + "\nTerms\n\n" + "\n\n".join(paragraphs) + "\n"


def test_a_business_source_license_is_the_project_s_not_its_change_license(repo: Any, gate: Gate) -> None:
    """Terraform's LICENSE is the BUSL with its parameters filled in at length: the strong match was
    its `Change License: MPL 2.0` line, and every file's `SPDX-License-Identifier: BUSL-1.1` was an
    error (1,267 of them). The project is under the BUSL; a GPL-3.0 file added to it stays an error."""
    repo.commit_files(
        "busl project",
        {
            "LICENSE": _busl_with_parameters(),
            "main.go": f"// {SPDX}: BUSL-1.1\n\npackage main\n",
            "tools/gen.go": f"// {SPDX}: GPL-3.0-only\n\npackage tools\n",
        },
    )
    found = _whole_tree(gate, repo, "licenses")
    assert found.get(("main.go", 1), NONE) == NONE
    assert found.get(("tools/gen.go", 1)) == ERROR


def test_minified_code_in_a_page_is_no_value(based_repo: Any, gate: Gate) -> None:
    """promptflow's benchmark reports are HTML pages with a bundle inlined: `key:l})=>P.jsx(Vl` is
    a destructured key and an arrow function, not a value; a key assigned in the page still is."""
    bundle = 't.map(({title:s,key:l})=>P.jsx(Vl,{"data-sortkey":l,onClick:i,sx:{cursor:"pointer"}}))'
    check(
        gate,
        based_repo,
        {
            "benchmark/report.html": [
                ("<html><body>", NONE),
                (f"<script>{bundle}</script>", NONE),
                (f'<script>const settings = {{api_key: "{rand(32)}"}};</script>', ERROR),
                ("</body></html>", NONE),
            ],
        },
        "secrets",
    )


def _sas(expiry: datetime) -> str:
    """A blob's URL with a user delegation SAS, as Azure returns it, expiring at `expiry`."""
    signature = base64.b64encode(os.urandom(32)).decode().replace("+", "%2B").replace("/", "%2F")
    account = "store" + rand(10, "abcdefghijklmnopqrstuvwxyz0123456789")
    return (
        f"https://{account}.blob.core.windows.net/runs/flow.dag.yaml?sv=2019-07-07&sr=b&sig={signature}"
        f"&skoid={rand(8, '0123456789abcdef')}&skt=2024-05-12T20:24:15Z&sks=b&skv=2019-07-07"
        f"&st={(expiry - timedelta(hours=8)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        f"&se={expiry.strftime('%Y-%m-%dT%H:%M:%SZ')}&sp=r"
    )


def test_a_sas_past_its_own_expiry_is_a_warning(based_repo: Any, gate: Gate) -> None:
    """promptflow's HTTP recordings keep hundreds of SAS URLs that expired in 2024: Azure refuses a
    SAS after its `se`, and its signature does not reveal the key. One still valid is an error, in a
    recording too."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    check(
        gate,
        based_repo,
        {
            "recordings/azure/test_runs.yaml": [
                ("interactions:", NONE),
                (f'- response: {{"sasUrl": "{_sas(datetime(2024, 5, 13, 16, 37, 47))}"}}', WARNING),
                (f'- response: {{"sasUrl": "{_sas(now + timedelta(days=30))}"}}', ERROR),
            ],
            "deploy/settings.env": [(f"BLOB_URL={_sas(now + timedelta(days=365))}", ERROR)],
        },
        "secrets",
    )


def _shelf(folder: Path, values: dict[str, Any]) -> bytes:
    """The `.dat` file of a `shelve` on `dbm.dumb`, made by Python's own modules: one pickle per
    value, each starting on a 512-byte block, the gaps filled with NUL bytes."""
    base = str(folder / "cache.shelve")
    with shelve.Shelf(dbm.dumb.open(base, "c"), protocol=pickle.HIGHEST_PROTOCOL) as shelf:
        shelf.update(values)
    return Path(base + ".dat").read_bytes()


def test_a_shelve_s_pickles_are_each_read_past_their_block_padding(based_repo: Any, gate: Gate, tmp_path: Path) -> None:
    """promptflow records its tools' calls in `*.shelve.dat` files: the NUL bytes that pad each
    pickle to its block were "bytes nothing explains" and hid the pickles after the first. Now each
    is read: timestamps are data, a class no allowlist names is still an error."""
    clean = tmp_path / "clean"
    clean.mkdir()
    tainted = tmp_path / "tainted"
    tainted.mkdir()
    stamp = {"took": timedelta(seconds=1.5), "at": datetime(2024, 5, 13, tzinfo=timezone.utc)}
    based_repo.commit_files(
        "recordings",
        {
            "recordings/local/clean.shelve.dat": _shelf(clean, {"a": stamp, "b": ["x" * 700], "c": stamp}),
            "recordings/local/tainted.shelve.dat": _shelf(
                tainted, {"a": stamp, "b": ["x" * 700], "c": pathlib.PurePosixPath("/etc")}
            ),
        },
    )
    found = _whole_tree(gate, based_repo, "models")
    assert found.get(("recordings/local/clean.shelve.dat", 0), NONE) == NONE
    assert found.get(("recordings/local/tainted.shelve.dat", 0)) == ERROR


def test_an_open_core_project_s_enterprise_directories_carry_their_own_license(repo: Any, gate: Gate) -> None:
    """pandas-ai's LICENSE (PostHog's wording, Langfuse's too; its pyproject.toml says MIT) says that what resides under its
    `ee/` directories is licensed under `ee/LICENSE`, an enterprise license: there it is the
    project's own arrangement (a warning), anywhere else in the MIT project still an error."""
    carve_out = (
        "Portions of this software are licensed as follows:\n\n"
        '- All content that resides under any "pkg/ee/" directory of this repository, if such directories\n'
        '  exist, is licensed under the license defined in "pkg/ee/LICENSE".\n'
        "- Content outside of the above mentioned directories is available under the MIT license below.\n\n"
    )
    enterprise = license_text("activepieces-enterprise-2023")
    repo.commit_files(
        "open core",
        {
            "LICENSE": carve_out + license_text("mit"),
            "pyproject.toml": '[project]\nname = "pkg"\nversion = "1.0"\nlicense = "MIT"\n',
            "pkg/ee/LICENSE": enterprise,
            "extensions/ee/connector/LICENSE": enterprise,
            "extensions/connector/LICENSE": enterprise,
        },
    )
    found = _whole_tree(gate, repo, "licenses")
    assert found.get(("pkg/ee/LICENSE", 1)) == WARNING
    assert found.get(("extensions/ee/connector/LICENSE", 1)) == WARNING
    assert found.get(("extensions/connector/LICENSE", 1)) == ERROR


def test_identifiers_lock_files_and_a_stack_s_made_up_values(based_repo: Any, gate: Gate) -> None:
    """JupyterHub's `key = 'jinja2_env_sync'` and Documenso's `key: 'DDMMYYYY_TIME_12H'` are a
    settings key and an enum's member; Formbricks' `i18n.lock` records checksums of its messages
    (`.../new_password: <md5>`, and `add_api_key`, whose `dd_api_key` is no Datadog name); its
    `docker-compose.dev.yml` sets `RUSTFS_SECRET_KEY=devrustfs123` for a local store. A random
    value in each place stays an error."""
    hex32 = "0123456789abcdef"
    check(
        gate,
        based_repo,
        {
            "jupyterhub/handlers/base.py": [
                ("if sync:", NONE),
                ("    key = 'jinja2_env_sync'", NONE),
                (f"    key = '{rand(24)}'", ERROR),
            ],
            "packages/lib/constants/date-formats.ts": [
                ("export const FORMATS = [", NONE),
                ("  { key: 'DDMMYYYY_TIME_12H', label: 'DD/MM/YYYY HH:mm AM/PM' },", NONE),
                ("];", NONE),
            ],
            "apps/web/i18n.lock": [
                ("checksums:", NONE),
                (f"  auth/forgot-password/reset/new_password: {rand(32, hex32)}", NONE),
                (f"  workspace/api_keys/add_api_key: {rand(32, hex32)}", NONE),
            ],
            "deploy/monitoring.yaml": [(f"dd_api_key: {rand(32, hex32)}", ERROR)],
            "docker-compose.dev.yml": [
                ("services:", NONE),
                ("  rustfs:", NONE),
                ("    environment:", NONE),
                ("      - RUSTFS_SECRET_KEY=devrustfs123", WARNING),
                ("      - RUSTFS_SERVICE_PASSWORD=devrustfs-service123", WARNING),
                (f"      - RUSTFS_ADMIN_PASSWORD={rand(20)}", ERROR),
            ],
        },
        "secrets",
    )


def test_a_private_key_in_its_own_format_is_judged_as_a_pem_block(based_repo: Any, gate: Gate) -> None:
    """sops tests its age support with `mockIdentity string = "AGE-SECRET-KEY-1..."` in
    `age/keysource_test.go`: a key made for the test, a warning as a PEM key in a test is; the
    same key in a program's source is an error."""
    from unit.test_secret_families import age_secret_key

    key = age_secret_key()
    check(
        gate,
        based_repo,
        {
            "age/keysource_test.go": [("var (", NONE), (f'\tmockIdentity string = "{key}"', WARNING), (")", NONE)],
            "cmd/sops/identity.go": [(f'const identity = "{age_secret_key()}"', ERROR)],
        },
        "secrets",
    )
