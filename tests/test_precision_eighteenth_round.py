"""An eighteenth and a nineteenth round: the classes of false errors found on Ory Hydra, AWX and Dex, then
Jaeger, Great Expectations and MindsDB, each next to the true finding it must not hide, through the
command on real git repositories.

Every credential-shaped value is built at run time from parts and random characters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import model_fixtures as F
from licenses_cases import license_text
from test_precision_fifth_round import _whole_tree
from test_precision_fourth_round import ERROR, NONE, WARNING, check
from tokens import rand

Gate = Callable[..., Any]


def test_conformance_runs_and_test_snapshots_are_tests(based_repo: Any, gate: Gate) -> None:
    """Hydra keeps the logs of its OpenID certification runs (`internal/certification/*/OP-*.txt`, tokens
    and client secrets of 2018's test clients: 1,996 errors) and Go snapshot tests' records
    (`.snapshots/TestHandler-*.json`); Jest keeps `__snapshots__/`. Their values are a test run's. The same
    secret in the server's configuration is still an error."""
    check(
        gate,
        based_repo,
        {
            "internal/certification/CIT.F.T.T.s/OP-ClientAuth-Basic-Dynamic.txt": [
                ("Test tool version: 2.1.3", NONE),
                (f'    "client_secret": "{rand(20)}{rand(4, "0123456789")}",', WARNING),
            ],
            "test/conformance/config.yaml": [(f"client_secret: {rand(20)}{rand(4, '0123456789')}", WARNING)],
            "client/.snapshots/TestHandler-case=create_clients.json": [
                ("{", NONE),
                (f'  "client_secret": "{rand(20)}{rand(4, "0123456789")}",', WARNING),
                ("}", NONE),
            ],
            "web/src/__snapshots__/login.test.js.snap": [
                (f'  "password": "{rand(10)}{rand(4, "0123456789")}",', WARNING)
            ],
            "internal/config/hydra.json": [(f'{{"client_secret": "{rand(20)}{rand(4, "0123456789")}"}}', ERROR)],
        },
        "secrets",
    )


def test_a_part_of_the_repository_under_its_own_license_file(based_repo: Any, gate: Gate) -> None:
    """AWX (Apache-2.0) keeps its Ansible collection under `awx_collection/` with its own GPL-3.0 `COPYING`,
    and its modules' headers say GPL-3.0-or-later (57 errors); its `licenses/` folder holds its dependencies'
    license texts (uWSGI's GPL-2.0 with the GCC exception). Each is a part under its own terms, a warning; the
    part's own license file is judged as the project's terms decide (the one error that says a part is GPL),
    and the same header elsewhere in the Apache-2.0 code is still an error."""
    header = "# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)\n"
    based_repo.commit_files(
        "awx",
        {
            "LICENSE.md": license_text("apache-2.0"),
            "awx_collection/COPYING": license_text("gpl-3.0"),
            "awx_collection/plugins/modules/job_launch.py": header + "\nDOCUMENTATION = ''\n",
            "licenses/uWSGI.txt": license_text("gpl-2.0"),
            "awx/main/tasks.py": header + "\nimport os\n",
        },
    )
    found = _whole_tree(gate, based_repo, "licenses")
    assert found.get(("awx_collection/plugins/modules/job_launch.py", 1)) == WARNING, found
    assert found.get(("awx_collection/COPYING", 1)) == ERROR, found
    assert {severity for (path, _), severity in found.items() if path == "licenses/uWSGI.txt"} == {WARNING}, found
    assert found.get(("awx/main/tasks.py", 1)) == ERROR, found


def test_docker_desktops_own_names_for_the_host_are_no_internal_hosts(based_repo: Any, gate: Gate) -> None:
    """AWX's development entrypoint points at `docker.for.mac.host.internal`, Docker Desktop's older name for
    the host machine (as `host.docker.internal` is): no intranet host. Another `.internal` host stays one."""
    check(
        gate,
        based_repo,
        {
            "tools/docker-compose/entrypoint.sh": [
                ("export SDB_NOTIFY_HOST='docker.for.mac.host.internal'", NONE),
                ("export DB_HOST='db.payments.internal'", ERROR),
            ],
        },
        "internal-urls",
    )


# -- a nineteenth round: Jaeger, Great Expectations, MindsDB and six more -----------------------------


def test_a_documentation_sites_packages_are_development_dependencies(based_repo: Any, gate: Gate) -> None:
    """MindsDB's `docs/package-lock.json` installs Mintlify's CLI (Elastic-2.0) to build its pages: what a
    documentation site installs never ships, so it is a development dependency (a warning); the same package
    in the product's own lockfile is still an error."""
    lock = (
        '{"name": "%s", "lockfileVersion": 3, "packages": {"": {"name": "%s", "dependencies": '
        '{"@mintlify/cli": "4.0.1"}}, "node_modules/@mintlify/cli": {"version": "4.0.1", "license": "Elastic-2.0"}}}'
    )
    based_repo.commit_files("MIT project", {"LICENSE": license_text("mit")})
    check(
        gate,
        based_repo,
        {
            "docs/package-lock.json": [(lock % ("docs", "docs"), WARNING)],
            "web/package-lock.json": [(lock % ("web", "web"), ERROR)],
        },
        "licenses",
    )


def test_a_license_tools_settings_explain_licenses_without_carrying_one(based_repo: Any, gate: Gate) -> None:
    """Jaeger's `.fossa.yml` explains in a comment that "Using GPL-licensed development tools to build Apache
    2.0 licensed software" is fine: the settings of a license-compliance tool speak of licenses, they do not
    license the project's code. The same sentence in a source file is still judged."""
    comment = "# production dependencies. Using GPL-licensed development tools to build"
    based_repo.commit_files("Apache project", {"LICENSE": license_text("apache-2.0")})
    found_before = _whole_tree(gate, based_repo, "licenses")
    assert not found_before, found_before
    based_repo.commit_files("settings", {".fossa.yml": comment + "\nversion: 3\n", "cmd/tools.py": comment + "\n"})
    found = _whole_tree(gate, based_repo, "licenses")
    assert found.get((".fossa.yml", 1)) == WARNING, found
    assert found.get(("cmd/tools.py", 1)) == ERROR, found


def test_a_pandas_frame_pickle_is_data(based_repo: Any, gate: Gate) -> None:
    """Great Expectations keeps `tests/test_sets/Titanic.pkl`, a pandas DataFrame pickled with protocol 2:
    its globals rebuild a frame from blocks of arrays. A pickle that calls pandas' `read_pickle` (which
    opens a file and unpickles it) is still refused."""
    frame = (
        F.call("pandas.core.indexes.base", "_new_Index", F.glob("pandas.core.indexes.range", "RangeIndex", 2), 2)
        + b"0"  # POP: the index made, the frame next
        + F.glob("pandas.core.frame", "DataFrame", 2)
        + b")\x81"  # EMPTY_TUPLE, NEWOBJ
        + b"0"
        + F.glob("pandas.core.internals", "BlockManager", 2)
    )
    based_repo.commit_files(
        "test sets",
        {
            ".contribution-gate.toml": '[models]\nunscanned = "warning"\n',
            "tests/test_sets/Titanic.pkl": F.pickle_of(frame, 2),
            "tests/test_sets/loader.pkl": F.payload("pandas.io.pickle", "read_pickle", "/tmp/x.pkl", 2),
        },
    )
    found = _whole_tree(gate, based_repo, "models")
    assert ("tests/test_sets/Titanic.pkl", 0) not in found, found
    assert found.get(("tests/test_sets/loader.pkl", 0)) == ERROR, found


def test_a_key_named_in_a_kubernetes_reference_is_no_value(based_repo: Any, gate: Gate) -> None:
    """Kubeflow Pipelines' GCP patch reads `PROJECT_ID` with `configMapKeyRef:` and `key: gcsProjectId`: the
    name of a ConfigMap's key, as `secretKeyRef:` names a Secret's and an external secret's `remoteRef:` a
    vault's. A random value under `key:` of the manifest's own data is still an error."""
    check(
        gate,
        based_repo,
        {
            "manifests/kustomize/env/gcp/gcp-configurations-patch.yaml": [
                ("env:", NONE),
                ("  - name: PROJECT_ID", NONE),
                ("    valueFrom:", NONE),
                ("      configMapKeyRef:", NONE),
                ("        name: pipeline-install-config", NONE),
                ("        key: gcsProjectId", NONE),
                ("      secretKeyRef:", NONE),
                ("        key: awsSecretAccessKey2", NONE),
                ("data:", NONE),
                (f"  key: {rand(14)}{rand(4, '0123456789')}{rand(6)}", ERROR),
            ],
        },
        "secrets",
    )
