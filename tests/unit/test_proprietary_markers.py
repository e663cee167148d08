"""The proprietary-markers check on literal changes: a table of marked lines and of the same words
used as identifiers, prose, settings and field names, from the kinds of files contributions hold.

The repository passes its own gate: every marker here is written with a middle dot inside a word
("Confid·ential"), which `live()` removes at run time.
"""

from __future__ import annotations

import time

import pytest

from contribution_gate.checks import proprietary_markers
from contribution_gate.config import parse
from contribution_gate.errors import ConfigError
from contribution_gate.model import AddedLine, FileChange, Severity

ORG = "Acme Payments"


def live(text: str) -> str:
    return text.replace("·", "")


def scan(text: str, path: str = "src/app.py", start: int = 1, **table: object) -> list:
    lines = live(text).split("\n")
    change = FileChange(
        path=path, status="A", commit="c" * 40, added=tuple(AddedLine(i, t) for i, t in enumerate(lines, start))
    )
    opts = proprietary_markers.options({"organizations": [ORG], **table})
    return list(proprietary_markers.scan_file(change, opts))


LABEL, CLASSIFICATION, TLP, COPYRIGHT, CUSTOM = (
    "confidentiality-label",
    "classification-label",
    "tlp-marking",
    "proprietary-copyright",
    "custom-marker",
)

# (path, added text, rule expected on the first line, the phrase it must name)
POSITIVES = [
    # Python
    ("app/pricing.py", "# CONFID·ENTIAL - Internal Use On·ly", LABEL, "CONFIDENTIAL"),
    ("app/pricing.py", '"""Strictly confid·ential: the pricing model."""', LABEL, "Strictly confidential"),
    ("app/model.py", "# Proprietary and Confid·ential. Do not distribute.", LABEL, "Proprietary and Confidential"),
    ("app/model.py", "# classifi·cation: restricted", CLASSIFICATION, "classification: restricted"),
    ("app/vendor.py", "# shared with us under N·DA by the vendor", LABEL, "under NDA"),
    # JavaScript
    ("web/app.js", "// Company Confid·ential", LABEL, "Company Confidential"),
    ("web/app.js", "/* INTERNAL USE ON·LY */", LABEL, "INTERNAL USE ONLY"),
    ("web/app.js", "/**\n * Confid·ential - do not distribute outside Acme", None, None),
    # Go
    ("pkg/fees.go", "// Copy·right (c) 2024 Acme Payments, Inc. All rights reserved.", COPYRIGHT, "Acme Payments"),
    ("pkg/fees.go", "// TLP:AM·BER", TLP, "TLP:AMBER"),
    ("pkg/fees.go", "// Restr·icted", LABEL, "Restricted"),
    # declarations: of a package or a module only secrecy counts (see NEGATIVES)
    ("README.md", "This module is confid·ential.", LABEL, "This module is confidential"),
    ("README.md", "This project is for internal use on·ly.", LABEL, "This project is for internal use"),
    # C
    ("src/fees.c", "/* Copy·right 2019-2024 Acme Payments Ltd. Proprietary. */", COPYRIGHT, "Acme Payments"),
    ("src/fees.c", " * TRADE SEC·RET", LABEL, "TRADE SECRET"),
    ("src/fees.c", "// Not for distri·bution.", LABEL, "Not for distribution"),
    # YAML
    ("deploy/values.yaml", "# Confid·ential", LABEL, "Confidential"),
    ("deploy/values.yaml", "data-classi·fication: confidential", CLASSIFICATION, "data-classification: confidential"),
    ("k8s/ns.yaml", "    acme.com/data-classi·fication: restricted", CLASSIFICATION, "restricted"),
    ("deploy/app.yml", 'classi·fication: "Internal Use Only"', CLASSIFICATION, "Internal Use Only"),
    ("deploy/app.yml", "# TLP:AMBER+STR·ICT", TLP, "TLP:AMBER+STRICT"),
    # .env
    (".env", "# Internal use on·ly - never commit to a public repository", LABEL, "Internal use only"),
    (".env.example", "DATA_CLASSI·FICATION=confidential", CLASSIFICATION, "confidential"),
    # Terraform
    ("infra/main.tf", '  tags = { DataClassi·fication = "Confidential" }', CLASSIFICATION, "Confidential"),
    ("infra/main.tf", "# PROPRI·ETARY - Acme Payments", LABEL, "PROPRIETARY"),
    # Markdown and other documents
    ("docs/pricing.md", "# Q3 pricing (Confid·ential)", LABEL, "Confidential"),
    ("docs/pricing.md", "**CONFID·ENTIAL**", LABEL, "CONFIDENTIAL"),
    ("docs/board.md", "> Strictly confid·ential: for the board only.", LABEL, "Strictly confidential"),
    ("docs/roadmap.md", "---\ntitle: Roadmap\nclassi·fication: internal\n---", None, None),
    ("docs/plan.md", "This document is confid·ential and must not be shared.", LABEL, "This document is confidential"),
    ("docs/plan.md", "## Internal use on·ly", LABEL, "Internal use only"),
    ("docs/plan.md", "<!-- TLP:R·ED -->", TLP, "TLP:RED"),
    ("docs/plan.rst", "Confid·ential\n============", LABEL, "Confidential"),
    ("NOTICE", "CONFID·ENTIAL", LABEL, "CONFIDENTIAL"),
    ("docs/site.html", '<meta name="classi·fication" content="Confidential">', CLASSIFICATION, "Confidential"),
    # CSV
    ("data/customers.csv", "CONFID·ENTIAL,,,", LABEL, "CONFIDENTIAL"),
    ("data/customers.csv", '"Company Confid·ential - Q3 customer list",,', LABEL, "Company Confidential"),
    ("data/prices.csv", "# classi·fication: confidential", CLASSIFICATION, "confidential"),
    # JSON
    ("data/rows.json", '{"classi·fication": "confidential", "rows": []}', CLASSIFICATION, "confidential"),
    ("data/rows.json", '{\n  "_notice": "PROPRIETARY AND CONFID·ENTIAL",', None, None),
    ("data/rows.json", '{"sensi·tivity": "restricted", "rows": []}', CLASSIFICATION, "restricted"),
    # shell and others
    ("scripts/deploy.sh", "# INTERNAL ON·LY: deploys to the private cluster", LABEL, "INTERNAL ONLY"),
    (
        "scripts/deploy.sh",
        "# Copy·right (c) 2023 Acme Payments Inc.\n# All rights reserved.",
        COPYRIGHT,
        "Acme Payments",
    ),
    ("conf/schema.xml", "<classi·fication>Restricted</classification>", CLASSIFICATION, "Restricted"),
    ("db/salaries.sql", "-- CONFID·ENTIAL: contains salary bands", LABEL, "CONFIDENTIAL"),
    ("app/pricing.py", "# Highly confid·ential — do not share", LABEL, "Highly confidential"),
    ("conf/app.ini", "; Confid·ential", LABEL, "Confidential"),
    ("conf/app.properties", "# Trade Sec·ret - Acme Payments", LABEL, "Trade Secret"),
    ("LICENSE", "Copy·right (c) 2024 Acme Payments. All rights reserved.", COPYRIGHT, "Acme Payments"),
]

# (path, added text, first line number): the words as identifiers, prose, settings and names
NEGATIVES = [
    ("app/flags.py", "confidential = False", 1),
    ("app/flags.py", "def is_confidential(self):", 1),
    ("app/keys.py", "# Keep your API key confidential.", 1),
    ("app/sandbox.py", "# Runs the sandbox in restricted mode.", 1),
    ("web/user.js", "if (user.isRestricted) { return; }", 1),
    ("pkg/token.go", "// Restricted returns whether the token has limited scopes.", 1),
    ("src/util.c", "/* This function is for internal use only. */", 120),
    ("deploy/values.yaml", "confidential: true", 1),
    ("deploy/values.yaml", "mode: restricted", 1),
    ("schema/form.json", '{"confidential": {"type": "boolean"}}', 1),
    ("data/people.csv", "id,name,confidential,email", 1),
    ("docs/keys.md", "Keep the token confidential and rotate it often.", 1),
    ("docs/modes.md", "## Restricted mode", 1),
    ("docs/tee.md", "## Confidential computing", 1),
    ("docs/levels.md", "- Confidential", 3),
    ("docs/levels.md", "| Restricted | Only admins |", 3),
    ("LICENSE", "Copyright (c) 2010-2024 Other Corp. All rights reserved.", 1),
    ("app/ms.py", "# Copyright (c) Acme Payments. All rights reserved.\n# Licensed under the MIT License.", 1),
    ("app/own.py", "# Copyright 2024 Acme Payments", 1),
    ("scripts/sh.sh", 'echo "restricted shell"', 1),
    ("infra/vars.tf", 'variable "restricted_cidrs" {}', 1),
    ("app/levels.py", 'CLASSIFICATION = "confidential"', 1),
    ("app/levels.py", 'LEVELS = ["public", "internal", "confidential", "restricted"]', 1),
    ("web/msg.js", "const msg = 'This document is confidential';", 1),
    ("docs/law.md", "Trade secrets are protected by law in most countries.", 1),
    ("app/intel.py", "# TLP:GREEN", 1),
    ("app/intel.py", "# TLP:CLEAR", 1),
    ("docs/tlp.md", "The TLP:RED label means no sharing beyond the people present.", 5),
    ("app/run.py", "restricted = True  # set when running in restricted mode", 1),
    ("pkg/types.go", "type Confidential struct{}", 1),
    ("deploy/values.yaml", "classification: public", 1),
    ("ml/config.yaml", "sensitivity: 0.8", 1),
    ("docs/policy.md", 'We never publish anything marked "Internal Use Only".', 1),
    ("app/errors.py", 'raise PermissionError("restricted")', 1),
    ("app/notice.py", "# See NOTICE for the proprietary rights of third parties.", 1),
    ("src/lic.c", "// SPDX-License-Identifier: LicenseRef-Proprietary", 1),
    ("pkg/METADATA", "Classifier: License :: Other/Proprietary License", 8),
    ("app/fields.py", '    """Return the restricted subset of fields."""', 40),
    ("web/convert.js", "// proprietary formats such as .docx are converted first", 1),
    ("docs/cia.md", "Confidentiality, integrity and availability.", 1),
    ("deploy/values.yaml", "# Internal use only", 120),
    ("app/cache.py", "# do not distribute the cache across workers", 1),
    ("app/sched.py", "# For internal use by the scheduler only.", 60),
    ("NOTICE", "All rights reserved.", 1),
    ("pkg/internal/doc.go", "// Package internal holds helpers for internal use.", 1),
    ("app/api.py", "    yield req  # type: ignore[misc]  # Internal use only, returns PreparedRequest", 290),
    ("app/api.py", '    """For internal use when backend raises UnsupportedOperation"""', 295),
    ("app/scan.py", '    """A label in quotes ("Proprietary and Confid·ential") is a mention."""', 30),
    ("app/scan.py", "# files marked `CONFID·ENTIAL` are skipped", 1),
    # of a package or module, "for internal use" scopes an API (containerd's sysx, vendored by moby)
    ("sysx/README.md", "This package is for internal use only. It is intended to only have\ntemporary changes", 1),
    ("lib/README.md", "This module is for internal use.", 1),
]


def test_the_tables_are_big_enough() -> None:
    assert len(POSITIVES) >= 40 and len(NEGATIVES) >= 40
    kinds = {path.rsplit("/", 1)[-1].rsplit(".", 1)[-1] for path, *_ in POSITIVES}
    assert {"py", "js", "go", "c", "yaml", "env", "tf", "md", "csv", "json", "sh"} <= kinds


@pytest.mark.parametrize(("path", "text", "rule", "phrase"), POSITIVES, ids=[f"{p}:{t[:30]}" for p, t, *_ in POSITIVES])
def test_flags(path: str, text: str, rule: str | None, phrase: str | None) -> None:
    findings = scan(text, path)
    assert findings, "nothing found"
    if rule is not None:
        first = [f for f in findings if f.line == 1]
        assert rule in {f.rule for f in first}
        assert any(f"'{phrase}" in f.message or phrase in f.message for f in first if f.rule == rule)
    for finding in findings:
        assert finding.check == "proprietary-markers" and finding.severity is Severity.ERROR
        assert finding.remediation and finding.message.endswith(f"added to {path}")


@pytest.mark.parametrize(("path", "text", "start"), NEGATIVES, ids=[f"{p}:{t[:30]}" for p, t, _ in NEGATIVES])
def test_does_not_flag(path: str, text: str, start: int) -> None:
    assert scan(text, path, start) == []


@pytest.mark.parametrize(
    ("path", "text", "line", "rule"),
    [
        ("web/app.js", "/**\n * Confid·ential - do not distribute outside Acme", 2, LABEL),
        ("docs/roadmap.md", "---\ntitle: Roadmap\nclassi·fication: internal\n---", 3, CLASSIFICATION),
        ("data/rows.json", '{\n  "_notice": "PROPRIETARY AND CONFID·ENTIAL",', 2, LABEL),
    ],
)
def test_flags_lines_in_context(path: str, text: str, line: int, rule: str) -> None:
    assert [(f.line, f.rule) for f in scan(text, path)] == [(line, rule)]


def test_header_phrases_count_in_the_leading_notice_or_next_to_a_label() -> None:
    text = "#!/usr/bin/env python\n# Internal use on·ly\n\nimport os\n# INTERNAL USE ON·LY: may change without notice\n"
    assert [(f.line, f.rule) for f in scan(text, "app/x.py")] == [(2, LABEL)]
    assert [f.rule for f in scan('"""Internal use on·ly."""\nimport os\n', "app/x.py")] == [LABEL]
    assert scan("# Internal use on·ly", "app/x.py", 3) == []  # the hunk does not start the file
    assert scan("# INTERNAL USE ON·LY", "app/x.py", 200) == []
    assert [f.rule for f in scan("# Confid·ential - internal use only", "app/x.py", 200)] == [LABEL]
    assert [f.rule for f in scan("# CONFID·ENTIAL", "app/x.py", 200)] == [LABEL]
    assert scan("# restric·ted.", "app/x.py", 200) == []  # the end of a wrapped sentence


def test_one_finding_per_line_names_every_phrase() -> None:
    (finding,) = scan("# CONFID·ENTIAL - Internal Use On·ly - Do not distri·bute")
    assert "'CONFIDENTIAL'" in finding.message and "'Internal Use Only'" in finding.message
    assert "'Do not distribute'" in finding.message and "in a comment" in finding.message


def test_copyright_needs_a_configured_organisation() -> None:
    line = "# Copy·right (c) 2024 Acme Payments. All rights reserved."
    assert [f.rule for f in scan(line)] == [COPYRIGHT]
    change = FileChange(path="a.py", status="A", added=(AddedLine(1, live(line)),))
    assert list(proprietary_markers.scan_file(change, proprietary_markers.options({}))) == []


def test_policy_markers_are_phrases_or_regular_expressions_and_count_anywhere() -> None:
    markers = {"markers": ["Project Blue·bird", "/ACME-SEC-\\d+/"]}
    markers = {"markers": [live(m) for m in markers["markers"]]}
    (finding,) = scan('codename = "Project Blue·bird"', **markers)
    assert finding.rule == CUSTOM and "'Project Bluebird'" in finding.message
    (finding,) = scan("Ticket acme-sec-1234 describes the leak.", "docs/x.md", **markers)
    assert finding.rule == CUSTOM and "acme-sec-1234" in finding.message
    assert scan('codename = "Project Bluebirds"', **markers) == []


def test_fingerprint_is_keyed_on_the_phrase_not_the_line() -> None:
    first = scan("# CONFID·ENTIAL", "a.py")[0]
    second = scan("# Confid·ential", "a.py", 7)[0]
    assert first.fingerprint == second.fingerprint


def test_binary_changes_have_no_findings() -> None:
    change = FileChange(path="x.pdf", status="A", is_binary=True, added=(AddedLine(1, live("CONFID·ENTIAL")),))
    assert list(proprietary_markers.scan_file(change, proprietary_markers.options({}))) == []


def test_a_change_without_candidates_costs_almost_nothing() -> None:
    lines = tuple(AddedLine(i, f"    value_{i} = compute(item, {i}) + offset  # step {i}") for i in range(1, 50_001))
    change = FileChange(path="big.py", status="A", added=lines)
    opts = proprietary_markers.options({"organizations": [ORG], "markers": ["Project Bluebird"]})
    started = time.perf_counter()
    assert list(proprietary_markers.scan_file(change, opts)) == []
    assert time.perf_counter() - started < 5  # ~3 MB: one join and a few literal searches (about 0.05 s), never a hang


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[proprietary-markers]\nmarkers = ["/[a/"]', "markers holds an invalid regular expression '/[a/'"),
        ('[proprietary-markers]\nmarkers = "x"', "markers must be a list of strings"),
        ("[proprietary-markers]\norganizations = [1]", "organizations must be a list of strings"),
    ],
)
def test_policy_keys_are_validated(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse(text, "x.toml")
    assert needle in str(error.value)


def test_a_label_deep_in_a_long_line_is_shown_around_it() -> None:
    line = "# " + "— " * 50_000 + "Confid·ential" + " —" * 50_000
    (finding,) = scan(line)
    assert "Confidential" in finding.excerpt and len(finding.excerpt) <= 200
