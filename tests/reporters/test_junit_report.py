"""`--format junit`: parsed with an XML parser and validated against the JUnit XSD GitLab and
Jenkins read (tests/reporters/schemas/junit.xsd, with lxml): one test case per check, a failure per
finding that fails the review, an error for a check that could not run; hostile text stays XML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
import samples
import tokens
from lxml import etree
from report_schemas import JUNIT_XSD, validate_junit

from contribution_gate.reporters import REPORTERS
from contribution_gate.review import CheckRun

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
GateCmd = Callable[..., "Run"]


def test_the_schema_refuses_what_gitlab_cannot_read() -> None:
    JUNIT_XSD.assertValid(
        etree.fromstring(b'<testsuites><testsuite name="s" tests="0" failures="0" errors="0"/></testsuites>')
    )
    two = b'<testsuites><testsuite name="s" tests="1" failures="2" errors="0"><testcase name="t" classname="c"><failure/><failure/></testcase></testsuite></testsuites>'
    assert not JUNIT_XSD.validate(etree.fromstring(two))


def test_a_real_review_as_junit(based_repo: GitRepo, gate_cmd: GateCmd) -> None:
    token = tokens.github_token()
    based_repo.add("src/app.py", tokens.secret_line("TOKEN", token))
    based_repo.add("src/other.py", tokens.secret_line("KEY", tokens.openai_key()))
    run = gate_cmd("review", "--staged", "--format", "junit", "-C", based_repo.root)
    assert run.code == 1, run
    root = validate_junit(run.out)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    secrets = suites["contribution-gate.secrets"]
    cases = secrets.findall("testcase")
    assert len(cases) == 2 and secrets.get("failures") == "2"
    case = next(c for c in cases if "src/app.py" in (c.get("name") or ""))
    column = tokens.secret_line("TOKEN", token).index(token) + 1
    assert case.get("name") == f"github-token at src/app.py:1:{column}"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "secrets/github-token"
    assert "GitHub token added to src/app.py" in (failure.get("message") or "")
    body = failure.text or ""
    assert "\nfix: " in body and "\nfalse positive: `pragma: allowlist secret` on line 1" in body
    for check in ("internal-urls", "proprietary-markers", "licenses", "models"):  # clean checks: one passing case
        (clean,) = suites[f"contribution-gate.{check}"].findall("testcase")
        assert clean.get("name") == check and not list(clean)
    assert root.get("failures") == "2" and root.get("errors") == "0"
    assert not [p for p in tokens.secret_fragments(token[4:], 8) if p in run.out]


def test_every_kind_of_result_validates() -> None:
    root = validate_junit(REPORTERS["junit"](samples.with_findings()))
    (crashed,) = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert crashed.get("name") == "licenses runs to completion"
    error = crashed.find("error")
    assert error is not None and "license index missing" in (error.text or "")
    warnings = [c for c in root.iter("testcase") if c.find("system-out") is not None]
    assert all((c.findtext("system-out") or "").startswith(("warning: ", "note: ")) for c in warnings)
    assert not any("github-token" in (c.get("name") or "") for c in root.iter("testcase"))  # suppressed: left out
    assert root.get("failures") == "2" and root.get("errors") == "1"


@pytest.mark.parametrize(
    "hostile", ["a\x00b\x1b[31m.py", "x\ufffe\uffff.py", "tab\tand\u2028line\u202esep.py", "]]>&<\"'.py"]
)
def test_text_xml_cannot_hold_is_escaped(hostile: str) -> None:
    finding = samples.finding(path=hostile, message=f"found in {hostile}", excerpt=f"value {hostile}")
    review = samples.review([finding], (CheckRun("secrets", "fail", 1, 0.01),))
    out = REPORTERS["junit"](review)
    root = validate_junit(out)
    (case,) = root.iter("testcase")
    assert (case.get("name") or "").startswith("openai-api-key at ")


def test_no_check_ran_is_still_a_report() -> None:
    review = replace(samples.clean(), checks=())
    root = validate_junit(REPORTERS["junit"](review))
    assert [s.get("name") for s in root.iter("testsuite")] == ["contribution-gate"]
