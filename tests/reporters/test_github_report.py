"""GitHub workflow commands: caps, escaping, and no command a contribution can inject.

`runner_commands` (tests/workflow_commands.py) reads the output the way actions/runner does.
"""

from __future__ import annotations

import re

import pytest
import samples
from workflow_commands import Command, runner_commands

from contribution_gate.model import Severity
from contribution_gate.reporters import github
from contribution_gate.reporters.common import false_positive_line

TOKEN = "f" * 32


def annotations(output: str) -> list[Command]:
    return [c for c in runner_commands(output) if c.name in ("error", "warning", "notice")]


def test_every_command_is_ours() -> None:
    commands = runner_commands(github.render(samples.with_findings()))
    assert {c.name for c in commands} == {"error", "warning", "notice", "group", "endgroup"}
    errors = [c for c in commands if c.name == "error"]
    assert errors[0].properties == {"title": "contribution-gate licenses crashed"}
    assert errors[0].data.endswith("RuntimeError: license index missing\n::set-output name=x::y")


def test_annotation_values_round_trip() -> None:
    found = {c.properties.get("title"): c for c in annotations(github.render(samples.with_findings()))}
    hostile = found["contribution-gate proprietary-markers/confidential"]
    assert hostile.properties == {
        "file": "docs/`evil`|name <b>.md",
        "line": "40",
        "endLine": "41",
        "title": "contribution-gate proprietary-markers/confidential",
    }
    assert hostile.data.splitlines() == [
        "Marker <b>CONFIDENTIAL</b> for @octocat | **bold** [link](https://example.com) in docs",
        "x = `a` | b <script>alert(1)</script> @octocat %0A ::warning::",
        "Fix: Remove the text or ask legal@example.com whether it may be published.",
        "False positive: `contribution-gate: allow[proprietary-markers]` on line 40, or [proprietary-markers] allow-paths",
    ]
    assert found["contribution-gate secrets/github-token (suppressed)"].name == "notice"
    assert "file" not in found["contribution-gate signoff/missing-signoff"].properties


@pytest.mark.parametrize(
    ("value", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100% done", "100%25 done", "100%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping_as_the_toolkit(value: str, data: str, prop: str) -> None:
    assert github.escape_data(value) == data
    assert github.escape_property(value) == prop


@pytest.mark.parametrize(
    ("path", "message", "excerpt"),
    [
        ("a.py\n::set-output name=x::y", "found", "x"),
        ("a.py", "message with ::error::injected\n::add-mask::v\r::debug::d", "e"),
        ("b.py", "m", "ex\n  ::set-env name=A::B\n##[error]legacy"),
        ("c,line=1,title=x:y.py", "m", "::stop-commands::abc"),
        (f"{TOKEN}.py\n::{TOKEN}::", "m", "e"),
    ],
)
def test_a_contribution_cannot_inject_commands(path: str, message: str, excerpt: str) -> None:
    finding = samples.finding(path=path, message=message, excerpt=excerpt)
    out = github.render(samples.review([finding], ()))
    commands = runner_commands(out)
    assert [c.name for c in commands] == ["error", "group", "endgroup"]
    (error,) = annotations(out)
    assert error.properties["file"] == path
    assert (
        error.data
        == f"{message}\n{excerpt}\nFix: {finding.remediation}\nFalse positive: {false_positive_line(finding)}"
    )


def test_a_fixed_token_found_in_the_output_is_refused() -> None:
    finding = samples.finding(path=f"{TOKEN}.py")
    with pytest.raises(ValueError):
        github.render(samples.review([finding], ()), token=TOKEN)
    with pytest.raises(ValueError):
        github.render(samples.with_findings(), token="short")
    with pytest.raises(ValueError):
        github.render(samples.with_findings(), token="a" * 20 + "::")


def test_random_token_each_run() -> None:
    first, second = (github.render(samples.with_findings()) for _ in range(2))
    tokens = [re.search(r"^::stop-commands::(\w+)$", out, re.M).group(1) for out in (first, second)]  # type: ignore[union-attr]
    assert tokens[0] != tokens[1] and all(re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens)
    assert f"\n::{tokens[0]}::\n" in first


def test_caps_per_severity_and_the_left_out_notice() -> None:
    findings = (
        samples.many(30)
        + samples.many(30, Severity.WARNING, "internal-urls")
        + samples.many(30, Severity.NOTE, "markers")
    )
    out = github.render(samples.review(findings, ()), token=TOKEN)
    kinds = [c.name for c in annotations(out)]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10  # most severe first
    left_out = annotations(out)[-1]
    assert left_out.properties == {} and left_out.data.startswith("contribution-gate: 61 more annotations left out")
    listing = out[out.index("::stop-commands::") : out.index(f"::{TOKEN}::")]
    assert listing.count("\nerror [") == 30 and listing.count("\nwarning [") == 60


def test_total_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github, "PER_SEVERITY", 40)
    findings = samples.many(45) + samples.many(45, Severity.WARNING, "internal-urls")
    kinds = [c.name for c in annotations(github.render(samples.review(findings, ()), token=TOKEN))]
    assert len(kinds) == 50 and kinds[:40] == ["error"] * 40 and kinds[40:] == ["warning"] * 9 + ["notice"]


def test_no_left_out_notice_at_the_cap() -> None:
    out = github.render(samples.review(samples.many(10), ()), token=TOKEN)
    assert [c.name for c in annotations(out)] == ["error"] * 10
    assert "left out" not in out


def test_ends_with_the_verdict() -> None:
    out = github.render(samples.with_findings(), token=TOKEN)
    assert out.splitlines()[-1].startswith("contribution-gate: FAIL: 2 errors, 2 warnings, 1 note (1 suppressed)")
    clean = github.render(samples.clean())
    assert clean == "contribution-gate: PASS: 0 errors, 0 warnings in 3 files\n"
