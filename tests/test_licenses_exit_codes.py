"""The `licenses` inventory's exit code follows what it lists, and a `[licenses] project` that names
no license is a config error (exit 2, one line naming the file and key) for `review` and `licenses`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from licenses_cases import SPDX

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
# a license file holding only the AGPL's title: a weak match, which the review only warns on
AGPL_TITLE = "GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007\n\nsee the website\n"


def test_licenses_exits_1_whenever_it_lists_a_fail(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": '[licenses]\nproject = "MIT"\n'})
    based_repo.add("LICENSE", AGPL_TITLE)
    run = gate("licenses", "--staged", "-C", based_repo.root)
    assert "fail (weak match)" in run.out
    assert run.code == 1, run  # before: 0 while listing `fail`
    as_json = gate("licenses", "--staged", "--format", "json", "-C", based_repo.root)
    assert as_json.code == 1 and json.loads(as_json.out)["summary"]["fail"] == 1
    review = gate("review", "--staged", "--check", "licenses", "-C", based_repo.root)
    assert review.code == 0  # the review warns on a weak match (fails with --fail-on warning)
    assert gate("review", "--staged", "--check", "licenses", "--fail-on", "warning", "-C", based_repo.root).code == 1


def test_licenses_exits_0_when_everything_passes(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": '[licenses]\nproject = "MIT"\n'})
    based_repo.add("src/tool.py", f"# {SPDX}: BSD-3-Clause\nx = 1\n")
    run = gate("licenses", "--staged", "-C", based_repo.root)
    assert run.code == 0 and "pass" in run.out


@pytest.mark.parametrize("project", ["Foo-Unknown-1.0", "MIT Apache-2.0", "MIT OR NoSuchLicense"])
@pytest.mark.parametrize("command", ["review", "licenses"])
def test_a_project_license_naming_no_license_is_a_config_error(
    based_repo: GitRepo, gate: Gate, project: str, command: str
) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": f'[licenses]\nproject = "{project}"\n'})
    based_repo.add("src/tool.py", f"# {SPDX}: GPL-3.0-only\nx = 1\n")
    run = gate(command, "--staged", "-C", based_repo.root)
    assert run.code == 2, run  # before: 1 (the check crashed) for review
    (line,) = run.err.strip().splitlines()
    assert ".contribution-gate.toml" in line and "[licenses] project" in line and "Traceback" not in run.err
    assert not run.out


def test_the_config_error_comes_from_the_base_of_a_range_too(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    based_repo.commit_files("policy", {"pyproject.toml": '[tool.contribution-gate.licenses]\nproject = "Nope-1.0"\n'})
    base = based_repo.sha()
    based_repo.commit_files("gpl", {"src/tool.py": f"# {SPDX}: GPL-3.0-only\nx = 1\n"})
    run = gate_cmd("review", "--range", f"{base}..HEAD", "-C", based_repo.root)
    assert run.code == 2, run
    (line,) = run.err.strip().splitlines()
    assert "pyproject.toml (base" in line and "[licenses] project" in line
