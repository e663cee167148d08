"""License ids and the compatibility judgement, from the data in config/licenses.toml (no ScanCode)."""

from __future__ import annotations

import pytest

from contribution_gate.checks.licenses.ids import CLASSES, InvalidExpression, Lic, Op, catalog, data
from contribution_gate.checks.licenses.judge import Rules, judge


@pytest.mark.parametrize(
    ("written", "key", "spdx"),
    [
        ("Apache-2.0", "apache-2.0", "Apache-2.0"),
        ("apache-2.0", "apache-2.0", "Apache-2.0"),
        ("GPL-2.0", "gpl-2.0", "GPL-2.0-only"),  # a deprecated SPDX id
        ("GPL-2.0+", "gpl-2.0-plus", "GPL-2.0-or-later"),
        ("GPL-3.0-or-later", "gpl-3.0-plus", "GPL-3.0-or-later"),
        ("BSL-1.0", "boost-1.0", "BSL-1.0"),  # SPDX's BSL is Boost...
        ("BUSL-1.1", "bsl-1.1", "BUSL-1.1"),  # ...and BUSL is ScanCode's bsl-1.1
        (
            "LicenseRef-scancode-llama-3.1-license-2024",
            "llama-3.1-license-2024",
            "LicenseRef-scancode-llama-3.1-license-2024",
        ),
        ("llama3.1", "llama-3.1-license-2024", "LicenseRef-scancode-llama-3.1-license-2024"),
        ("llama3", "licenseref-llama-3-community", "LicenseRef-Llama-3-Community"),
        ("creativeml-openrail-m", "stable-diffusion-2022-08-22", "LicenseRef-scancode-stable-diffusion-2022-08-22"),
        ("GPLv3", "gpl-3.0", "GPL-3.0-only"),
        ("UNLICENSED", "proprietary-license", "LicenseRef-scancode-proprietary-license"),
    ],
)
def test_any_spelling_resolves_to_one_key(written: str, key: str, spdx: str) -> None:
    found = catalog().lookup(written)
    assert (found.key, found.spdx, found.known) == (key, spdx, True)


def test_scancode_keys_are_not_read_as_spdx_ids() -> None:
    assert catalog().by_key("bsl-1.0").spdx == "LicenseRef-scancode-bsl-1.0"  # Business Source 1.0, not Boost
    assert str(catalog().parse("bsl-1.1 AND mit", keys=True)) == "BUSL-1.1 AND MIT"


def test_unknown_ids_keep_their_spelling() -> None:
    found = catalog().lookup("Acme-Internal-1.0")
    assert (found.spdx, found.known) == ("Acme-Internal-1.0", False)
    assert catalog().class_of(found) == "unknown"
    found = catalog().lookup("LicenseRef-Acme-Internal")
    assert (found.spdx, found.known) == ("LicenseRef-Acme-Internal", False)


def test_a_license_ref_named_after_a_known_license_is_that_license() -> None:
    """`SPDX-License-Identifier: LicenseRef-Apache2` above the Apache-2.0 notice (huggingface/peft)."""
    assert [str(catalog().lookup(f"LicenseRef-{name}")) for name in ("Apache2", "MIT", "GPLv3")] == [
        "Apache-2.0",
        "MIT",
        "GPL-3.0-only",
    ]


@pytest.mark.parametrize(
    ("key", "klass"),
    [
        ("mit", "permissive"),
        ("cc0-1.0", "permissive"),
        ("lgpl-2.1", "weak-copyleft"),
        ("mpl-2.0", "weak-copyleft"),
        ("epl-2.0", "weak-copyleft"),
        ("gpl-2.0", "strong-copyleft"),
        ("agpl-3.0-plus", "network-copyleft"),
        ("mongodb-sspl-1.0", "network-copyleft"),
        ("cc-by-nc-sa-4.0", "non-commercial"),
        ("bsl-1.1", "source-available"),
        ("elastic-license-v2", "source-available"),
        ("commons-clause", "source-available"),
        ("llama-2-license-2023", "use-restricted"),
        ("gemma-tou-2024-04-01", "use-restricted"),
        ("bigscience-rail-1.0", "use-restricted"),
        ("stable-diffusion-2022-08-22", "use-restricted"),
        ("proprietary-license", "proprietary"),
        ("x11", "permissive"),
    ],
)
def test_classes_come_from_data_then_scancode_categories(key: str, klass: str) -> None:
    assert catalog().class_of(catalog().by_key(key)) == klass


def test_every_class_in_the_data_is_known_and_every_row_is_complete() -> None:
    table = data()
    assert set(table["classes"].values()) <= set(CLASSES)
    assert set(table["categories"].values()) <= set(CLASSES)
    for row in table["compatibility"].values():
        assert set(row) == set(CLASSES) and set(row.values()) <= {"pass", "warn", "fail"}


def test_expressions_parse_with_and_or_with_and_plus() -> None:
    expr = catalog().parse("(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0")
    assert isinstance(expr, Op) and expr.op == "AND"
    assert str(expr) == "(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH classpath-exception-2.0"
    with pytest.raises(InvalidExpression, match="not a license expression"):
        catalog().parse("MIT OR (")


def outcome(inbound: str, project: str, **rules: tuple[str, ...]) -> str:
    return judge(catalog().parse(inbound), catalog().parse(project), Rules(**rules)).outcome


@pytest.mark.parametrize(
    ("inbound", "project", "expected"),
    [
        # into Apache-2.0: permissive passes; file-level copyleft warns; the rest fails
        ("MIT", "Apache-2.0", "pass"),
        ("BSD-3-Clause", "Apache-2.0", "pass"),
        ("Apache-2.0", "Apache-2.0", "pass"),
        ("LGPL-2.1-only", "Apache-2.0", "warn"),
        ("MPL-2.0", "Apache-2.0", "warn"),
        ("EPL-2.0", "Apache-2.0", "warn"),
        ("GPL-2.0-only", "Apache-2.0", "fail"),
        ("GPL-3.0-or-later", "Apache-2.0", "fail"),
        ("AGPL-3.0-only", "Apache-2.0", "fail"),
        ("SSPL-1.0", "Apache-2.0", "fail"),
        ("CC-BY-NC-4.0", "Apache-2.0", "fail"),
        ("BUSL-1.1", "Apache-2.0", "fail"),
        ("llama3.1", "Apache-2.0", "fail"),
        ("Acme-Internal-1.0", "Apache-2.0", "fail"),
        # a GPL-3.0 project takes GPL-3.0, LGPL and permissive code, not GPL-2.0-only
        ("GPL-3.0-only", "GPL-3.0-only", "pass"),
        ("GPL-3.0-or-later", "GPL-3.0-only", "pass"),
        ("GPL-2.0-or-later", "GPL-3.0-only", "pass"),
        ("LGPL-2.1-only", "GPL-3.0-only", "pass"),
        ("Apache-2.0", "GPL-3.0-only", "pass"),
        ("MIT", "GPL-3.0-or-later", "pass"),
        ("GPL-2.0-only", "GPL-3.0-only", "fail"),
        ("GPL-2.0-only", "GPL-3.0-or-later", "fail"),
        ("AGPL-3.0-only", "GPL-3.0-only", "warn"),
        ("EPL-1.0", "GPL-3.0-only", "fail"),
        # GPL-2.0-only cannot take Apache-2.0 or GPL-3.0
        ("Apache-2.0", "GPL-2.0-only", "fail"),
        ("GPL-3.0-only", "GPL-2.0-only", "fail"),
        ("LGPL-2.1-only", "GPL-2.0-only", "pass"),
        ("GPL-3.0-only", "GPL-2.0-or-later", "warn"),
        # AGPL projects take GPL-3.0
        ("GPL-3.0-only", "AGPL-3.0-only", "pass"),
        ("MIT", "AGPL-3.0-or-later", "pass"),
        # OR: the best choice; AND: the worst part; WITH an exception: the exception's class
        ("GPL-2.0-only OR MIT", "Apache-2.0", "pass"),
        ("GPL-2.0-only AND MIT", "Apache-2.0", "fail"),
        ("(MIT OR GPL-3.0-only) AND LGPL-2.1-only", "Apache-2.0", "warn"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0", "warn"),
        # a dual-licensed project must be able to take the code under each of its licenses
        ("Apache-2.0", "MIT OR Apache-2.0", "pass"),
        ("LGPL-3.0-only", "MIT OR Apache-2.0", "warn"),
        # a proprietary project: permissive passes, strong copyleft fails, the rest wants a look
        ("MIT", "LicenseRef-scancode-proprietary-license", "pass"),
        ("GPL-3.0-only", "LicenseRef-scancode-proprietary-license", "fail"),
        ("llama3.1", "LicenseRef-scancode-proprietary-license", "warn"),
    ],
)
def test_compatibility(inbound: str, project: str, expected: str) -> None:
    assert outcome(inbound, project) == expected


def test_allow_and_deny_override_the_table() -> None:
    assert outcome("GPL-3.0-only", "Apache-2.0", allow=("GPL-3.0-only",)) == "pass"
    assert outcome("llama3.1", "Apache-2.0", allow=("LicenseRef-scancode-llama-*",)) == "pass"
    assert outcome("MIT", "Apache-2.0", deny=("MIT",)) == "fail"
    assert outcome("AGPL-3.0-or-later", "AGPL-3.0-only", deny=("AGPL-*",)) == "fail"
    # a denied choice of an OR is still avoidable
    assert outcome("GPL-2.0-only OR MIT", "Apache-2.0", deny=("GPL-2.0-only",)) == "pass"
    # a whole expression
    assert outcome("MIT AND CC-BY-NC-4.0", "Apache-2.0", allow=("MIT AND CC-BY-NC-4.0",)) == "pass"
    assert outcome("MIT AND CC-BY-SA-4.0", "Apache-2.0", deny=("MIT AND CC-BY-SA-4.0",)) == "fail"


def test_a_judgement_names_the_license_that_decided_it_with_its_obligations() -> None:
    found = judge(catalog().parse("MIT AND llama3.1"), catalog().parse("Apache-2.0"))
    assert found.outcome == "fail" and found.culprit == catalog().lookup("llama3.1")
    assert found.klass == "use-restricted"
    assert "700 million monthly active users" in found.obligations
    assert "use restrictions" in found.reason
    assert isinstance(found.culprit, Lic)
