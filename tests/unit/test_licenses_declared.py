"""The licenses check on declared licenses: SPDX tags, manifests and model cards, read without
ScanCode, from FileChanges built from literals; the findings' wording; what stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from licenses_cases import SPDX, card

from contribution_gate.checks import licenses
from contribution_gate.model import AddedLine, FileChange, Severity


def change(path: str, text: str, status: str = "A", first: int = 1, blob: str | None = None) -> FileChange:
    lines = tuple(AddedLine(first + i, line) for i, line in enumerate(text.splitlines()))
    return FileChange(path, status, blob=blob, added=lines)


def found(c: FileChange, project: str | None = "Apache-2.0", **table: object) -> list[tuple[str, int | None, str]]:
    opts = licenses.options({"project": project, **table} if project else dict(table))
    return [(f.rule, f.line, f.severity.value) for f in licenses.scan_file(c, opts)]


def inventory(c: FileChange, read: dict[str, bytes] | None = None) -> list[tuple[int | None, str, str, str]]:
    opts = licenses.options({"project": "Apache-2.0"})
    if read is not None:
        opts = licenses.Options(opts.project, read_blob=read.get, outbound=opts.outbound)
    return [
        (a.detection.line, a.detection.expression, a.detection.source, a.verdict) for a in licenses.assessed(c, opts)
    ]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("a.c", f"// {SPDX}: GPL-2.0-only"),
        ("a.c", f"/* {SPDX}: GPL-2.0-only */"),
        ("a.py", f"# {SPDX}: GPL-2.0-only"),
        ("a.sql", f"-- {SPDX}: GPL-2.0-only"),
        ("a.html", f"<!-- {SPDX}: GPL-2.0-only -->"),
        ("a.rst", f".. {SPDX}: GPL-2.0-only"),
        ("a.tex", f"% {SPDX}: GPL-2.0-only"),
        ("a.el", f";; {SPDX}: GPL-2.0-only"),
        ("a.bat", f"@rem {SPDX}: GPL-2.0-only"),
        ("a.hs", f"{{- {SPDX}: GPL-2.0-only -}}"),
        ("a.txt", f"{SPDX}: GPL-2.0-only"),
        ("a.c", f" * {SPDX}: GPL-2.0-only"),
    ],
)
def test_spdx_tags_after_any_comment_opener(path: str, line: str) -> None:
    assert inventory(change(path, line + "\n")) == [(1, "GPL-2.0-only", "SPDX line", "fail")]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("tags.py", f'TAG = "{SPDX}: GPL-3.0-only"\n'),
        ("tags.md", f"Start files with `{SPDX}: GPL-3.0-only`.\n"),
        ("tags.md", f"# Tags\n\n```c\n// {SPDX}: GPL-3.0-only\n```\n"),
        ("tags.py", f"print('{SPDX}: ' + expr)\n"),
    ],
)
def test_prose_and_strings_about_tags_are_not_tags(path: str, text: str) -> None:
    assert inventory(change(path, text)) == []


def test_an_unparsable_tag_warns_naming_it() -> None:
    c = change("x.py", f"# {SPDX}: MIT OR (\n")
    opts = licenses.options({"project": "Apache-2.0"})
    (finding,) = licenses.scan_file(c, opts)
    assert (finding.rule, finding.severity) == ("unparsable-license-expression", Severity.WARNING)
    assert "'MIT OR ('" in finding.message and "SPDX expression" in finding.remediation


def test_a_failing_finding_says_what_where_why_and_what_to_do() -> None:
    c = change("vendor/x/package.json", '{\n  "name": "x",\n  "license": "GPL-3.0-only"\n}\n')
    (finding,) = licenses.scan_file(c, licenses.options({"project": "Apache-2.0"}))
    assert (finding.rule, finding.severity, finding.line) == ("incompatible-license", Severity.ERROR, 3)
    assert "GPL-3.0-only" in finding.message and "Apache-2.0" in finding.message
    assert "strong copyleft" in finding.message and '"license"' in finding.message
    assert "Remove it" in finding.remediation and "[licenses] allow" in finding.remediation
    assert finding.excerpt == '"license": "GPL-3.0-only"'
    assert "GPL-3.0-only" not in finding.fingerprint


def test_a_model_card_under_a_use_restricted_license_lists_its_obligations() -> None:
    (finding,) = licenses.scan_file(
        change("models/x/README.md", card("llama3.1")), licenses.options({"project": "Apache-2.0"})
    )
    assert finding.rule == "incompatible-license" and finding.line == 2
    assert "Llama 3.1 Community License" in finding.message
    assert "700 million monthly active users" in finding.message and "Acceptable Use Policy" in finding.message
    assert "model or dataset" in finding.remediation


def test_a_weak_copyleft_license_warns() -> None:
    c = change("lib/x.c", f"// {SPDX}: LGPL-2.1-or-later\n")
    assert found(c) == [("license-needs-review", 1, "warning")]


def test_without_a_project_license_everything_is_a_note_and_nothing_fails() -> None:
    c = change("lib/x.c", f"// {SPDX}: GPL-3.0-only\n")
    assert found(c, project=None) == [("license-detected", 1, "note"), ("project-license-undeclared", None, "note")]
    opts = licenses.options({})
    first = [f for f in licenses.scan_file(c, opts) if f.rule == "project-license-undeclared"]
    other = [
        f
        for f in licenses.scan_file(change("lib/y.c", f"// {SPDX}: MIT\n"), opts)
        if f.rule == "project-license-undeclared"
    ]
    assert first[0].fingerprint == other[0].fingerprint  # the review keeps one
    assert 'project = "Apache-2.0"' in first[0].remediation


def test_allow_and_deny_from_the_policy() -> None:
    c = change("lib/x.c", f"// {SPDX}: GPL-3.0-only\n")
    assert found(c, allow=["GPL-3.0-only"]) == []
    assert found(change("lib/y.c", f"// {SPDX}: MIT\n"), deny=["MIT"]) == [("incompatible-license", 1, "error")]


def test_a_bad_project_license_is_a_policy_error_with_a_reason() -> None:
    from contribution_gate.errors import PolicyValueError

    c = change("lib/x.c", f"// {SPDX}: MIT\n")
    with pytest.raises(PolicyValueError, match="no SPDX or ScanCode license id"):
        list(licenses.scan_file(c, licenses.options({"project": "Apach-2.0"})))


# -- manifests and cards: only what the change adds ---------------------------------------------------


def test_a_version_bump_in_a_manifest_is_not_a_license() -> None:
    c = change("web/package.json", '  "version": "1.0.1",\n', status="M", first=3, blob="b" * 40)
    assert inventory(c, read={}) == []


def test_a_license_line_added_to_a_manifest_is_read_with_the_whole_file() -> None:
    whole = '{\n  "name": "x",\n  "version": "1.0.0",\n  "license": "AGPL-3.0-or-later"\n}\n'
    c = change("web/package.json", '  "license": "AGPL-3.0-or-later"\n', status="M", first=4, blob="b" * 40)
    assert inventory(c, read={"b" * 40: whole.encode()}) == [(4, "AGPL-3.0-or-later", "manifest", "fail")]
    unchanged = change("web/package.json", '  "name": "y",\n', status="M", first=2, blob="c" * 40)
    assert inventory(unchanged, read={"c" * 40: whole.replace('"x"', '"y"').encode()}) == []


def test_a_card_edited_below_its_front_matter_is_not_re_reported() -> None:
    whole = card("llama3.1", body="# Model\n\nNew section.\n")
    lines = whole.splitlines()
    c = change("models/x/README.md", "New section.\n", status="M", first=len(lines), blob="d" * 40)
    assert inventory(c, read={"d" * 40: whole.encode()}) == []
    relicensed = change("models/x/README.md", "license: llama3.1\n", status="M", first=2, blob="d" * 40)
    assert inventory(relicensed, read={"d" * 40: whole.encode()}) == [
        (2, "LicenseRef-scancode-llama-3.1-license-2024", "model card", "fail")
    ]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("pyproject.toml", '[project]\nname = "x"\nlicense = {file = "LICENSE"}\n', []),
        ("pyproject.toml", '[tool.poetry]\nname = "x"\nlicense = "MPL-2.0"\n', [(3, "MPL-2.0", "warn")]),
        ("setup.cfg", "[metadata]\nclassifiers =\n    License :: OSI Approved :: MIT License\n", [(3, "MIT", "pass")]),
        ("x.gemspec", "spec.license = 'Apache-2.0'\n", [(1, "Apache-2.0", "pass")]),
        ("x.gemspec", "spec.licenses = %w[MIT GPL-3.0]\n", [(1, "MIT AND GPL-3.0-only", "fail")]),
        ("composer.json", '{"license": "proprietary"}\n', [(1, "LicenseRef-scancode-proprietary-license", "fail")]),
        # npm's pointer to a file, like pyproject's `{file = ...}`: the file's own text is judged
        ("package.json", '{"license": "SEE LICENSE IN LICENSE.txt"}\n', []),
        ("package.json", "{not json\n", []),
        # a name with its id in parentheses (pipenv's pyproject.toml)
        ("pyproject.toml", '[project]\nname = "x"\nlicense = { text = "MIT License (MIT)" }\n', [(3, "MIT", "pass")]),
        ("setup.cfg", "[metadata]\nlicense = BSD License (BSD-3-Clause)\n", [(2, "BSD-3-Clause", "pass")]),
        ("setup.cfg", "[metadata]\nlicense = Mozilla (MPL)\n", [(2, "Mozilla (MPL)", "fail")]),
        (
            "pom.xml",
            "<licenses><license><name>The Apache Software License, Version 2.0</name></license></licenses>\n",
            [(1, "Apache-2.0", "pass")],
        ),
    ],
)
def test_manifest_spellings(path: str, text: str, expected: list[tuple[int, str, str]]) -> None:
    got = [
        (line, expr, verdict) for line, expr, source, verdict in inventory(change(path, text)) if source == "manifest"
    ]
    assert got == expected


def test_broken_card_yaml_is_not_a_license() -> None:
    assert inventory(change("models/x/README.md", "---\nlicense: [unclosed\n---\n# x\n")) == []


# -- what stays cheap ----------------------------------------------------------------------------------


def test_scancode_is_never_imported_without_a_license_signal_or_for_declarations() -> None:
    """A typical code change, SPDX tags, manifests and model cards: no ScanCode in the process."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from contribution_gate.checks import licenses
        from contribution_gate.model import AddedLine, FileChange

        def change(path, text):
            return FileChange(path, "A", added=tuple(AddedLine(i + 1, t) for i, t in enumerate(text.splitlines())))

        opts = licenses.options({{"project": "Apache-2.0"}})
        changes = [
            change("src/app.py", "import os\\n\\ndef main(gpl_path, license_key):\\n    return os.getcwd()\\n"),
            change("src/b.c", "// {SPDX}: GPL-2.0-only\\nint b;\\n"),
            change("pkg/package.json", '{{"name": "x", "license": "MIT"}}\\n'),
            change("m/README.md", "---\\nlicense: llama3.1\\n---\\n# Model\\n"),
        ]
        rules = [f.rule for c in changes for f in licenses.scan_file(c, opts)]
        print(json.dumps([rules, "licensedcode" in sys.modules, "scancode" in sys.modules]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    rules, licensedcode, scancode = json.loads(proc.stdout)
    assert rules == ["incompatible-license", "incompatible-license"]
    assert licensedcode is False and scancode is False


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        (
            '[licenses]\nproject = "MIT OR"\n',
            "[licenses] project holds 'MIT OR', which is not an SPDX license expression",
        ),
        ('[licenses]\nproject = "Apache 2.0/MIT"\n', "[licenses] project holds 'Apache 2.0/MIT'"),
        ('[licenses]\nallow = ["(MIT"]\n', "[licenses] allow holds '(MIT'"),
        ('[licenses]\ndeny = "GPL-3.0-only"\n', "[licenses] deny must be a list of strings"),
    ],
)
def test_the_policy_names_a_malformed_license_setting(toml: str, problem: str) -> None:
    from contribution_gate.config import parse
    from contribution_gate.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        parse(toml, ".contribution-gate.toml")
    assert str(raised.value).startswith(".contribution-gate.toml: " + problem)


def test_the_policy_accepts_ids_globs_and_expressions() -> None:
    from contribution_gate.config import parse

    table = '[licenses]\nproject = "GPL-2.0-or-later WITH Classpath-exception-2.0"\nallow = ["LicenseRef-scancode-llama-*", "MIT AND CC-BY-4.0"]\ndeny = ["AGPL-*"]\n'
    assert parse(table, "x.toml").table("licenses")["deny"] == ["AGPL-*"]
