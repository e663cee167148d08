"""The Markdown report, rendered by GitHub's own parser (cmark-gfm) to prove untrusted text stays inert."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import cmarkgfm
import pytest
import samples

from contribution_gate.model import Severity
from contribution_gate.reporters import markdown


class Cells(HTMLParser):
    """Table rows as lists of cell text, the text inside <code>, and every tag GitHub would render."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.codes: list[str] = []
        self.tags: set[str] = set()
        self.outside_code: list[str] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
        elif tag == "code":
            self._code += 1
            self.codes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        if self._code:
            self.codes[-1] += data
        else:
            self.outside_code.append(data)


def parse(text: str) -> Cells:
    rendered = cmarkgfm.github_flavored_markdown_to_html(text)
    assert "<!--" not in rendered, "raw HTML in the report"
    parser = Cells()
    parser.feed(rendered)
    return parser


def assert_inert(outside_code: str) -> None:
    """No mention and no bare link in the text GitHub renders outside code spans."""
    assert not re.search(r"@\w|://|www\.", outside_code), outside_code


def visible(text: str) -> str:
    return text.replace("\u200b", "")


def test_verdict_first_then_target_and_checks() -> None:
    text = markdown.render(samples.with_findings())
    lines = text.splitlines()
    assert lines[0] == "## ❌ contribution-gate: fail"
    assert lines[2].startswith("Reviewed commits 5d41402abc4b..7b8b965ad4bc (7 files, 2 commits)")
    assert "| licenses | 💥 error | 0 | 0.50 |" in lines
    assert markdown.render(samples.clean()).startswith("## ✅ contribution-gate: pass\n")


def test_tables_hold_whatever_the_contribution_wrote() -> None:
    review = samples.with_findings()
    cells = parse(markdown.render(review))
    finding_rows = [row for row in cells.rows if len(row) == 5]
    check_rows = [row for row in cells.rows if len(row) == 4]
    assert len(check_rows) == 1 + len(review.checks)
    shown = [j for j in review.judged if j.outcome.value != "suppressed"]
    assert len(finding_rows) == len(shown) + 4  # a header row per check that has findings
    assert all(len(row) in (4, 5) for row in cells.rows), cells.rows


def test_untrusted_text_renders_verbatim_in_code_and_inert_outside() -> None:
    cells = parse(markdown.render(samples.with_findings()))
    assert "x = `a` | b <script>alert(1)</script> @octocat %0A ::warning::" in cells.codes
    assert "docs/`evil`|name <b>.md" in cells.codes
    assert cells.tags <= {
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
        "strong",
        "em",
        "ul",
        "li",
        "blockquote",
    }
    outside = "".join(cells.outside_code)
    assert "Marker <b>CONFIDENTIAL</b> for @octocat | **bold** [link](https://example.com) in docs" in visible(outside)
    assert_inert(outside)


@pytest.mark.parametrize(
    "hostile",
    [
        "a\n# heading\n| x | y |\n| --- | --- |",
        "trailing backslash \\| then pipe \\",
        "``` fence ```` and ` single",
        " `leading and trailing` ",
        "<img src=x onerror=alert(1)> <!-- comment --> &amp; &#64;octocat",
        "@octocat @org/team",
        "see https://example.com/x and www.example.com or mail a@example.com",
    ],
)
def test_hostile_values_keep_one_row_and_their_text(hostile: str) -> None:
    finding = samples.finding(path=hostile, message=hostile, excerpt=hostile, severity=Severity.WARNING)
    cells = parse(markdown.render(samples.review([finding], ())))
    rows = [row for row in cells.rows if len(row) == 5]
    assert len(rows) == 2 and all(len(row) in (4, 5) for row in cells.rows)
    flat = markdown.one_line(hostile)
    assert cells.codes.count(flat) == 2  # the path and the excerpt, exactly as written (on one line)
    assert cells.tags.isdisjoint({"img", "h1", "script", "a"})
    assert_inert("".join(cells.outside_code))
    assert flat.strip() in visible(rows[1][3])  # the message, escaped, reads as written


def test_suppressed_findings_are_only_counted() -> None:
    text = markdown.render(samples.with_findings())
    assert "tests/fixtures/ci.yml" not in text
    assert "_1 finding suppressed by inline allow markers" in text


def test_remediation_once_per_rule() -> None:
    text = markdown.render(samples.review(samples.many(20), ()))
    assert text.count("Revoke the key, create a new one") == 1
    assert text.count("\n| ❌ error |") == 20
    assert "not shown" not in text


@pytest.mark.parametrize("message_size", [40, 3000])
def test_5000_findings_stay_under_64_kb(message_size: int) -> None:
    findings = samples.many(4000) + samples.many(1000, Severity.WARNING, check="internal-urls")
    findings = [replace(f, message=f.message.ljust(message_size, "x")) for f in findings]
    text = markdown.render(samples.review(findings, ()))
    assert 60 * 1024 < len(text.encode("utf-8")) < 64 * 1024  # full, but under the limit
    listed = text.count("\n| ❌ error |") + text.count("\n| ⚠️ warning |")
    assert 0 < listed < 5000
    match = re.search(r"_(\d+) more findings not shown, to keep this report under 64 KB", text)
    assert match and int(match.group(1)) == 5000 - listed
    assert text.rstrip().endswith("the JSON and SARIF reports list them all._")
    assert "**How to fix, or mark a false positive**" in text
    assert all(len(row) in (4, 5) for row in parse(text).rows)
