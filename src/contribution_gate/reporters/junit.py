"""JUnit XML: the review as test results, for GitLab (`artifacts:reports:junit`, shown in the merge
request's test summary), Jenkins and any CI that reads JUnit.

`<testsuites name="contribution-gate">` holds one `<testsuite>` per check that ran. A check with
nothing to report is one passing test case named after it; a check that could not run is one test
case with an `<error>` (the review fails closed); every finding the review counts is a test case of
its check's suite named `rule at path:line:column`: a `<failure>` when it fails the review, else a
passing case whose `<system-out>` holds the warning. One failure per test case, because GitLab's
parser reads one (several `<failure>` elements of one case would reach it as a list). Each failure
says what was found, shows the excerpt, how to fix it and how to mark it a false positive.

The output validates against the common JUnit XSD (Jenkins xUnit's `junit-10.xsd`,
tests/reporters/test_junit_report.py). XML 1.0 cannot hold every character even escaped (NUL,
most C0 controls, U+FFFE, lone surrogates): the registry has shown control characters as escapes
already, and what XML still refuses is written as `\\uXXXX` here, so no file name makes the report
unreadable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..policy import Judged, Outcome
from ..review import CheckRun, Review
from .common import false_positive_line, fix_line, summary_line

TOOL = "contribution-gate"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold written as an escape."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def render(review: Review, color: bool = False) -> str:
    root = ET.Element("testsuites", name=TOOL)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for name in _check_names(review):
        run = next((r for r in review.checks if r.name == name), None)
        mine = [j for j in review.judged if j.finding.check == name and j.outcome is not Outcome.SUPPRESSED]
        suite = _suite(root, name, run, mine)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    seconds = sum(run.seconds for run in review.checks)
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", str(totals["errors"]))
    root.set("time", f"{seconds:.3f}")
    if not len(root):  # no check ran: one suite says so, so the report is never empty
        suite = ET.SubElement(root, "testsuite", name=TOOL, tests="0", failures="0", errors="0", skipped="0")
        ET.SubElement(suite, "system-out").text = xml_text(summary_line(review))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _check_names(review: Review) -> list[str]:
    names = [run.name for run in review.checks]
    return names + sorted({j.finding.check for j in review.judged} - set(names))


def _suite(root: ET.Element, name: str, run: CheckRun | None, mine: list[Judged]) -> ET.Element:
    suite = ET.SubElement(root, "testsuite", name=f"{TOOL}.{name}")
    classname = f"{TOOL}.{name}"
    seconds = f"{run.seconds:.3f}" if run is not None else "0.000"
    cases = errors = failures = 0
    if run is not None and run.error:
        case = ET.SubElement(suite, "testcase", name=f"{name} runs to completion", classname=classname, time=seconds)
        error = ET.SubElement(case, "error", message=xml_text(f"check {name} could not run, so the review fails"))
        error.set("type", "check-error")
        error.text = xml_text(run.error)
        cases, errors = cases + 1, errors + 1
    for judged in mine:
        _finding_case(suite, classname, judged)
        cases += 1
        failures += judged.outcome is Outcome.FAIL
    if cases == 0:
        ET.SubElement(suite, "testcase", name=name, classname=classname, time=seconds)
        cases = 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    suite.set("time", seconds)
    return suite


def _finding_case(suite: ET.Element, classname: str, judged: Judged) -> None:
    f = judged.finding
    where = (
        f.path
        + (f":{f.line}" if f.path and f.line else "")
        + (f":{f.column}" if f.path and f.line and f.column else "")
    )
    where = where or (f"commit {f.commit[:12]}" if f.commit else "the change")
    case = ET.SubElement(suite, "testcase", name=xml_text(f"{f.rule} at {where}"), classname=classname, time="0")
    body = [f.message]
    if f.commit and f.path:
        body.append(f"commit: {f.commit[:12]}")
    if f.excerpt:
        body.append(f"| {f.excerpt}")
    body += [f"fix: {fix_line(f)}", f"false positive: {false_positive_line(f)}"]
    text = xml_text("\n".join(body))
    if judged.outcome is Outcome.FAIL:
        failure = ET.SubElement(case, "failure", message=xml_text(f.message))
        failure.set("type", f"{f.check}/{f.rule}")
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = xml_text(f"{f.severity.value}: ") + text
