"""The licenses check through `review` and the `licenses` inventory on real repositories: the
project's license from the base, whole license files, notes without a project license, policy
overrides, and the gate's own policy and tests not being findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from licenses_cases import APACHE2, GPL3_PLUS, SPDX, card, commented, license_text

from contribution_gate.checks.licenses import scancode
from contribution_gate.git import Repository, collect, resolve_target
from contribution_gate.review import Review, run_review
from contribution_gate.session import load_policy, run

if TYPE_CHECKING:
    from conftest import GitRepo, Run

GATE_CONFIG = '[licenses]\nproject = "Apache-2.0"\n'


@pytest.fixture(scope="module", autouse=True)
def scancode_index() -> Iterator[None]:
    scancode.warm()
    yield


def review(repo: GitRepo, *, staged: bool = False, range_spec: str | None = None, all_files: bool = False) -> Review:
    """A review as the CLI runs it (session.run: policy, check inputs and content from the session)."""
    return run(repo.root, lambda r: resolve_target(r, staged, range_spec, all_files), only=("licenses",)).review


def found(result: Review) -> list[tuple[str, str, int | None, str]]:
    return [(j.finding.rule, j.finding.path, j.finding.line, j.outcome.value) for j in result.judged]


def gpl_source() -> str:
    return "#!/usr/bin/env python3\n" + commented(GPL3_PLUS) + "\nprint('hi')\n"


def test_a_staged_gpl_header_fails_an_apache_project(based_repo: GitRepo) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add("src/tool.py", gpl_source())
    result = review(based_repo, staged=True)
    assert result.verdict == "fail"
    assert found(result) == [("incompatible-license", "src/tool.py", 2, "fail")]
    finding = result.judged[0].finding
    assert finding.end_line == 13 and finding.commit is None
    assert "GPL-3.0-or-later" in finding.message and "Apache-2.0" in finding.message
    assert [(c.name, c.status, c.findings) for c in result.checks] == [("licenses", "fail", 1)]


def test_a_confidentiality_phrase_in_prose_is_no_proprietary_license(based_repo: GitRepo) -> None:
    """ScanCode's two-word confidentiality rule (proprietary_97) matched a lease's clause
    (anthropic-cookbook's sample data): a marking the proprietary-markers check judges, at most a
    warning here; a SPDX tag of a LicenseRef named after a known license is that license (peft)."""
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add(
        "data/sample-lease.txt",
        "The Licensee shall keep the terms of this license agreement strictly " + "confidential.\n",
    )
    based_repo.add("src/te.py", "# SPDX-License-Identifier: LicenseRef-Apache2\nimport os\n")
    result = review(based_repo, staged=True)
    assert result.verdict == "pass"
    assert found(result) == [("incompatible-license", "data/sample-lease.txt", 1, "warn")]


def test_third_party_notices_and_a_classifier_that_names_no_license(based_repo: GitRepo) -> None:
    """streamlit's NOTICES attributes JSZip ("MIT or GPLv3"): a bundled component's terms, a warning;
    haystack's `License :: Freely Distributable` classifier names no license at all."""
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add("NOTICES", "JSZip\n\n" + license_text("gpl-3.0"))
    based_repo.add(
        "pyproject.toml",
        '[project]\nname = "x"\nclassifiers = ["License :: Freely Distributable", "License :: OSI Approved :: Apache Software License"]\n',
    )
    result = review(based_repo, staged=True)
    assert result.verdict == "pass"
    assert {(rule, path, outcome) for rule, path, _, outcome in found(result)} == {
        ("incompatible-license", "NOTICES", "warn")
    }


def test_the_code_license_file_is_the_projects_license(based_repo: GitRepo) -> None:
    """microsoft/autogen: LICENSE is CC-BY-4.0 (the documentation's), LICENSE-CODE is MIT (the code's)."""
    based_repo.commit_files("licenses", {"LICENSE": license_text("cc-by-4.0"), "LICENSE-CODE": license_text("mit")})
    based_repo.add("src/tool.py", "#!/usr/bin/env python3\n" + commented(GPL3_PLUS) + "\nprint('hi')\n")
    result = review(based_repo, staged=True)
    assert found(result) == [("incompatible-license", "src/tool.py", 2, "fail")]
    assert "a project licensed MIT (LICENSE-CODE" in result.judged[0].finding.message


def test_a_gpl_header_in_test_data_is_a_warning_in_source_an_error(based_repo: GitRepo) -> None:
    """Tests quote licenses (a Gutenberg text in ripgrep's test data, PyPI's classifier list in
    poetry's fixtures) far more often than they copy code: a warning that still names it."""
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add("tests/data/sample.py", gpl_source())
    based_repo.add("src/tool_test.py", gpl_source())
    based_repo.add("src/tool.py", gpl_source())
    result = review(based_repo, staged=True)
    assert result.verdict == "fail"
    assert sorted(found(result)) == [
        ("incompatible-license", "src/tool.py", 2, "fail"),
        ("incompatible-license", "src/tool_test.py", 2, "warn"),
        ("incompatible-license", "tests/data/sample.py", 2, "warn"),
    ]
    assert all("test data?" in j.finding.message for j in result.judged if j.finding.path != "src/tool.py")


def test_patent_grants_and_certificates_of_origin_are_not_incompatible_licenses(based_repo: GitRepo) -> None:
    """Go's `PATENTS` (Google's extra patent grant beside BSD) and a vendored `DCO` text (a certificate
    of origin, no license) in an Apache-2.0 project: no error (moby vendors dozens of them); a
    documentation page quoting a license in an example is a warning, the same page elsewhere fails."""
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add("vendor/golang.org/x/net/PATENTS", license_text("google-patent-license-golang"))
    based_repo.add("vendor/github.com/agext/levenshtein/DCO", license_text("dco-1.1"))
    page = "## Labels\n\n" + commented(GPL3_PLUS, "") + "\n"
    based_repo.add("api/docs/v1.18.md", page)
    based_repo.add("src/notice.md", page)
    result = review(based_repo, staged=True)
    outcomes = {(path, outcome) for _, path, _, outcome in found(result)}
    assert outcomes == {("api/docs/v1.18.md", "warn"), ("src/notice.md", "fail")}, found(result)
    (doc,) = [j.finding for j in result.judged if j.finding.path == "api/docs/v1.18.md"]
    assert "documentation page" in doc.message


def test_a_choice_of_licenses_with_copies_of_its_options_offers_the_choice(based_repo: GitRepo) -> None:
    """spdx/tools-golang's `LICENSE.code` (vendored by moby): "Apache-2.0 OR GPL-2.0-or-later", then
    both texts. The texts are the options' copies, not licenses required on top: an Apache-2.0
    project takes it; the same GPL text alone still fails."""
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    choice = (
        "The source code is provided and may be used, at your option, under either:\n"
        "* Apache License, version 2.0 (Apache-2.0), OR\n"
        "* GNU General Public License, version 2.0 or later (GPL-2.0-or-later).\n\n"
        "Copies of both licenses are included below.\n\n"
    )
    based_repo.add("vendor/tools/LICENSE.code", choice + license_text("apache-2.0") + "\n" + license_text("gpl-2.0"))
    based_repo.add("vendor/other/LICENSE", license_text("gpl-2.0"))
    result = review(based_repo, staged=True)
    outcomes = {
        path: (outcome, j.finding.message)
        for (_, path, _, outcome), j in zip(found(result), result.judged, strict=True)
    }
    assert outcomes["vendor/other/LICENSE"][0] == "fail", outcomes
    assert outcomes.get("vendor/tools/LICENSE.code", ("pass", ""))[0] == "pass", outcomes


def test_an_apache_header_passes_and_no_license_at_all_is_silent(based_repo: GitRepo) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add("src/Main.java", commented(APACHE2, "//") + "class Main {}\n")
    based_repo.add("src/plain.py", "def license_of(gpl_path):\n    return None\n")
    result = review(based_repo, staged=True)
    assert result.verdict == "pass" and found(result) == []


def test_the_project_license_comes_from_the_base_manifest_and_a_contribution_cannot_relicense(repo: GitRepo) -> None:
    base = repo.commit_files("base", {"pyproject.toml": '[project]\nname = "p"\nlicense = "MIT"\n', "p.py": "x = 1\n"})
    repo.commit_files(
        "relicense and vendor",
        {
            "pyproject.toml": '[project]\nname = "p"\nlicense = "GPL-3.0-only"\n',
            "third_party/gpl/COPYING": license_text("gpl-3.0"),
        },
    )
    result = review(repo, range_spec=f"{base}..HEAD")
    assert result.verdict == "fail"
    assert sorted(found(result)) == [
        ("incompatible-license", "pyproject.toml", 3, "fail"),
        ("incompatible-license", "third_party/gpl/COPYING", 1, "fail"),
    ]
    assert all("a project licensed MIT (pyproject.toml (base " in j.finding.message for j in result.judged)


def test_a_license_file_the_contribution_rewrites_is_read_whole(repo: GitRepo) -> None:
    base = repo.commit_files("base", {"LICENSE": license_text("mit"), "p.py": "x = 1\n"})
    gpl = license_text("gpl-2.0")
    repo.commit_files("switch", {"LICENSE": gpl})
    result = review(repo, range_spec=f"{base}..HEAD")
    assert found(result) == [("incompatible-license", "LICENSE", 1, "fail")]
    assert "GPL-2.0-only" in result.judged[0].finding.message
    assert "a project licensed MIT (LICENSE (base" in result.judged[0].finding.message


def test_editing_a_license_file_s_year_is_not_a_new_license(repo: GitRepo) -> None:
    text = license_text("bsd-new").replace("<year>", "2023")
    base = repo.commit_files(
        "base", {".contribution-gate.toml": '[licenses]\nproject = "MIT"\n', "vendor/LICENSE": text}
    )
    repo.commit_files("year", {"vendor/LICENSE": text.replace("2023", "2024")})
    assert found(review(repo, range_spec=f"{base}..HEAD")) == []


def test_without_a_project_license_the_review_passes_with_notes(based_repo: GitRepo) -> None:
    based_repo.add("src/tool.py", gpl_source())
    based_repo.add("models/m/README.md", card("llama3.1"))
    result = review(based_repo, staged=True)
    assert result.verdict == "pass"
    assert sorted(found(result)) == [
        ("license-detected", "models/m/README.md", 2, "warn"),
        ("license-detected", "src/tool.py", 2, "warn"),
        ("project-license-undeclared", "models/m/README.md", None, "warn"),
    ]
    assert {j.finding.severity.value for j in result.judged} == {"note"}


def test_the_base_policy_allows_denies_and_excludes(repo: GitRepo) -> None:
    policy = '[licenses]\nproject = "Apache-2.0"\nallow = ["GPL-3.0-or-later"]\ndeny = ["MIT"]\nexclude-paths = ["fixtures/**"]\n'
    base = repo.commit_files("base", {".contribution-gate.toml": policy})
    repo.commit_files(
        "contribution",
        {
            "src/tool.py": gpl_source(),
            "src/small.py": f"# {SPDX}: MIT\n",
            "fixtures/agpl.js": f"// {SPDX}: AGPL-3.0-only\n",
            ".contribution-gate.toml": '[licenses]\nproject = "Apache-2.0"\nallow = ["MIT", "AGPL-3.0-only"]\n',
        },
    )
    result = review(repo, range_spec=f"{base}..HEAD")
    assert found(result) == [("incompatible-license", "src/small.py", 1, "fail")]
    assert "deny" in result.judged[0].finding.message


def test_a_model_card_commit_in_a_range_is_reported_at_its_commit(repo: GitRepo) -> None:
    base = repo.commit_files("base", {".contribution-gate.toml": GATE_CONFIG})
    first = repo.commit_files("card", {"models/m/README.md": card("gemma")})
    repo.commit_files("edit body", {"models/m/README.md": card("gemma", body="# Model\n\nMore text.\n")})
    result = review(repo, range_spec=f"{base}..HEAD")
    assert [(f, j.finding.commit) for f, j in zip(found(result), result.judged, strict=False)] == [
        (("incompatible-license", "models/m/README.md", 2, "fail"), first)
    ]


def test_the_gate_s_own_policy_and_tests_are_not_findings(based_repo: GitRepo) -> None:
    """Lists of license ids in a policy, tests that build tags and texts at run time, docs about it."""
    based_repo.commit_files("policy", {".contribution-gate.toml": GATE_CONFIG})
    based_repo.add(
        ".contribution-gate.toml",
        GATE_CONFIG + 'deny = ["GPL-3.0-only", "AGPL-3.0-only", "SSPL-1.0"]\n# GPL and AGPL code is refused\n',
    )
    based_repo.add(
        "tests/test_policy.py",
        (
            "from cases import SPDX, commented, GPL3_PLUS\n\n"
            "def test_gpl_header_fails(gate):\n"
            "    text = commented(GPL3_PLUS)\n"
            "    tag = f'// {SPDX}: GPL-2.0-only'\n"
            "    assert gate(text, tag).outcome == 'fail'  # a GPL-3.0 header in an Apache-2.0 project\n"
        ),
    )
    based_repo.add(
        "docs/licenses.md",
        (
            "# Licenses\n\nWhy not GPL? The project is Apache-2.0, so GPL-3.0 code cannot come in.\n\n"
            f"```c\n// {SPDX}: GPL-2.0-only\n```\n"
        ),
    )
    result = review(based_repo, staged=True)
    assert found(result) == [] and result.verdict == "pass"


def test_run_review_without_a_session_still_judges_declarations(based_repo: GitRepo) -> None:
    based_repo.add("vendor/package.json", '{"name": "v", "license": "AGPL-3.0-only"}\n')
    repository = Repository(based_repo.root)
    target = resolve_target(repository, True, None, False)
    policy = load_policy(repository, target, None)
    from contribution_gate.config import Config

    config = Config(tables={**policy.tables, "licenses": {"project": "Apache-2.0"}})
    result = run_review(target, collect(repository, target), config, ("licenses",))
    assert found(result) == [("incompatible-license", "vendor/package.json", 1, "fail")]


# -- the inventory -----------------------------------------------------------------------------------


@pytest.fixture
def inventoried(based_repo: GitRepo) -> GitRepo:
    based_repo.commit_files(
        "contribution",
        {
            ".contribution-gate.toml": GATE_CONFIG,
            "src/tool.py": gpl_source(),
            "vendor/left-pad/LICENSE": "MIT License\n\nCopyright (c) 2016 Jane Roe\n\n" + license_text("mit"),
            "web/package.json": '{\n  "name": "web",\n  "license": "MIT"\n}\n',
            "lib/x.c": f"// {SPDX}: LGPL-2.1-or-later\n",
        },
    )
    return based_repo


def test_inventory_lists_every_license_with_its_source_and_verdict(
    inventoried: GitRepo, gate: Callable[..., Run]
) -> None:
    out = gate("licenses", "--all-files", "-C", inventoried.root)
    assert out.code == 1, out.output
    lines = out.out.splitlines()
    assert lines[0].startswith("contribution-gate licenses: all tracked files at ")
    assert "project license: Apache-2.0 ([licenses] project)" in lines[0]
    rows = [line.split() for line in lines[2:6]]
    assert rows == [
        ["lib/x.c:1", "LGPL-2.1-or-later", "weak", "copyleft", "SPDX", "line", "warn"],
        ["src/tool.py:2-13", "GPL-3.0-or-later", "strong", "copyleft", "license", "notice", "fail"],
        ["vendor/left-pad/LICENSE:5-22", "MIT", "permissive", "license", "text", "pass"],
        ["web/package.json:3", "MIT", "permissive", "manifest", "pass"],
    ]
    assert lines[-1] == "4 licenses in 4 of 7 files: 1 fail, 1 warn, 2 pass"


def test_inventory_json_and_exit_codes(inventoried: GitRepo, gate: Callable[..., Run], tmp_path: Any) -> None:
    out = gate("licenses", "--all-files", "--format", "json", "-C", inventoried.root)
    data = out.json()
    assert data["tool"] == "contribution-gate" and data["target"]["kind"] == "all-files"
    assert data["project"] == {"expression": "Apache-2.0", "source": "[licenses] project"}
    assert data["summary"] == {"fail": 1, "warn": 1, "pass": 2, "unjudged": 0, "unreadable": 0}
    tool = next(e for e in data["licenses"] if e["path"] == "src/tool.py")
    assert tool["expression"] == "GPL-3.0-or-later" and tool["verdict"] == "fail" and tool["strong"] is True
    assert tool["source"] == "license notice" and "gpl-3.0-plus" in tool["detail"] and tool["score"] == 100.0
    assert "strong copyleft" in tool["reason"]
    clean = gate("licenses", "--range", "HEAD~1..HEAD~1", "-C", inventoried.root)
    assert clean.code == 0 and "0 licenses" in clean.out
    written = tmp_path / "licenses.json"
    quiet = gate("licenses", "--all-files", "--format", "json", "--output", written, "-C", inventoried.root)
    assert quiet.code == 1 and "(inventory: " in quiet.out and written.exists()
    assert gate("licenses", "--all-files", "--staged").code == 2


def test_inventory_of_a_staged_change_without_a_project_license(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """Through the installed command: nothing judged, exit 0, and how to declare the license."""
    based_repo.add("src/tool.py", gpl_source())
    out = gate_cmd("licenses", "--staged", cwd=based_repo.root)
    assert out.code == 0, out.output
    assert "project license: not declared" in out.out
    assert "GPL-3.0-or-later" in out.out and "unjudged" in out.out
    assert '[licenses] project = "Apache-2.0"' in out.out
