"""Hostile manifests and tags: the licenses check reads what it can and warns about the rest; it never
crashes and never stalls (issue 13). Timing is tested in tests/test_text_linear.py."""

from __future__ import annotations

import pytest
from licenses_cases import SPDX

from contribution_gate.checks import licenses
from contribution_gate.model import AddedLine, FileChange


def findings(path: str, text: str) -> list[tuple[str, int | None, str]]:
    """The file-license findings (a malformed manifest also warns as a dependency file, tested in
    tests/unit/test_dependency_parsers.py)."""
    change = FileChange(path, "A", added=tuple(AddedLine(i, t) for i, t in enumerate(text.splitlines(), 1)))
    opts = licenses.options({"project": "Apache-2.0"})
    return [
        (f.rule, f.line, f.message) for f in licenses.scan_file(change, opts) if not f.rule.startswith("dependency")
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("setup.cfg", "license = MIT\n"),  # no section header
        ("setup.cfg", "[metadata]\nlicense = MIT\n[metadata]\nname = x\n"),  # a section twice
        ("setup.cfg", "[metadata]\nlicense = MIT\nlicense = GPL-3.0-only\n"),  # an option twice
        (
            "package.json",
            '{"license": ' + "[" * 100_000 + "]" * 100_000 + "}",
        ),  # nesting deeper than the parser recurses
        ("pyproject.toml", "[project]\nlicense = 'MIT'\na" + ".a" * 1_000 + " = 1\n"),  # a key of many parts
    ],
)
def test_a_manifest_that_cannot_be_read_is_a_warning_not_a_crash(path: str, text: str) -> None:
    ((rule, line, message),) = findings(path, text)
    assert rule == "unparsable-license-expression" and "cannot be parsed" in message


def test_an_spdx_expression_nested_too_deep_is_a_warning_not_a_crash() -> None:
    expression = "(MIT AND (MIT OR " * 5_000 + "MIT" + "))" * 5_000
    ((rule, line, message),) = findings("a.py", f"# {SPDX}: {expression}\n")
    assert (rule, line) == ("unparsable-license-expression", 1) and "nested too deeply" in message
    assert len(message) < 600  # the expression is cut where the message quotes it


def test_long_blanks_in_setup_cfg_are_folded_and_the_license_still_read() -> None:
    text = "[metadata]\nname = x\nlicense = GPL-3.0-only\nsummary" + " " * 50_000 + "x = a\n"
    assert [rule for rule, _, _ in findings("setup.cfg", text)] == ["incompatible-license"]
