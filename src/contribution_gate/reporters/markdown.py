r"""The Markdown report: a compact review for a job summary (`$GITHUB_STEP_SUMMARY`) or a PR comment.

Verdict first, one line naming what was reviewed, a table of checks, then the findings grouped by
check with the fix for each kind and how to mark one a false positive. Suppressed findings are
only counted; the review's warnings (ignored policy keys, an empty range) are quoted under the table.

Everything a contribution controls (paths, messages, excerpts, error text) is untrusted:
- plain text is escaped: Markdown punctuation gets a backslash (`|` too, so a table cell holds),
  `&`, `<` and `>` become entities (no raw HTML), and a zero-width space follows `@` so nobody
  is mentioned, and splits `://` and `www.` so no bare link is made;
- paths and excerpts are code spans, fenced with more backticks than they contain; GitHub renders
  no HTML, mention or emphasis inside code. In a table a code span's `|` gets a backslash too: GFM
  splits rows before it parses code spans and drops the backslash of every `\|` it kept.
Untrusted text is always flattened to one line (line breaks and control characters shown as
escapes), so it can never end a row or start a block.

A comment holds at most 65,536 characters: the report stays under 64 KiB of UTF-8 by listing
findings only while they fit and ending with how many were left out.
"""

from __future__ import annotations

import re
from typing import Any

from ..policy import Judged, Outcome
from ..review import CheckRun, Review
from .common import _plural, describe_target, false_positive_line, fix_line, tally
from .untrusted import visible

LIMIT = 64 * 1024  # bytes of UTF-8, which also bounds the characters
_RESERVE = 1024  # room kept for the closing notes
_STATUS = {"pass": "✅ pass", "fail": "❌ fail", "error": "💥 error", "skipped": "⏭️ skipped"}
_OUTCOME = {Outcome.FAIL: "❌ error", Outcome.WARN: "⚠️ warning"}
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_AUTOLINK = re.compile(r"(?i)://|\bwww\.")  # GFM links these bare: a zero-width space stops it
_FIXES_HEAD = ["", "**How to fix, or mark a false positive**", ""]


def one_line(text: str) -> str:
    """Untrusted text on a single line, control and format characters shown as escapes."""
    return visible(text)


def escape(text: str) -> str:
    """Untrusted text as inert Markdown: no formatting, no HTML, no mention, one line."""
    text = _PUNCTUATION.sub(r"\\\1", one_line(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _AUTOLINK.sub(lambda m: m.group(0)[:-1] + "&#8203;" + m.group(0)[-1], text.replace("@", "@&#8203;"))


def code(text: str, in_table: bool = False) -> str:
    """Untrusted text as an inline code span that no backtick inside can close."""
    text = one_line(text)
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text or ' '}{fence}"


def render(review: Review, color: bool = False) -> str:
    head = _head(review)
    if review.details.get("cla") is not None:  # who has signed the CLA, who has not, how to sign
        head += cla_section(review.details["cla"])
    body: list[str] = []
    size = _size(head)
    budget = LIMIT - _RESERVE
    shown = [j for j in review.judged if j.outcome is not Outcome.SUPPRESSED]
    listed = 0
    full = False
    for check in _check_names(review):
        mine = [j for j in shown if j.finding.check == check]
        if not mine or full:
            continue
        group = [
            "",
            f"### {escape(check)}",
            "",
            "| | Where | Rule | Finding | Excerpt |",
            "| --- | --- | --- | --- | --- |",
        ]
        fixes: dict[tuple[str, str, str], None] = {}  # (rule, remediation, false positive), in order of first use
        grown = _size(group) + _size(_FIXES_HEAD)  # bytes this group will add, with its fixes
        for judged in mine:
            item = _finding(judged)
            fix = (judged.finding.rule, fix_line(judged.finding), false_positive_line(judged.finding, numbered=False))
            extra = _size(item) + (0 if fix in fixes else _size([_fix_line(fix)]))
            if size + grown + extra > budget:
                full = True
                break
            group.extend(item)
            fixes.setdefault(fix)
            grown += extra
            listed += 1
        if fixes:
            body.extend(group + _fixes(fixes))
            size += grown
    return "\n".join(head + body + _tail(review, len(shown) - listed)) + "\n"


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _check_names(review: Review) -> list[str]:
    names = [run.name for run in review.checks]
    return names + sorted({j.finding.check for j in review.judged} - set(names))


def _head(review: Review) -> list[str]:
    icon = "✅" if review.passed else "❌"
    counts = tally(review)
    stats = [_plural(review.files, "file")] + ([_plural(review.commits, "commit")] if review.commits else [])
    result = [_plural(counts[Outcome.FAIL], "error"), _plural(counts[Outcome.WARN], "warning")]
    if counts[Outcome.SUPPRESSED]:
        result.append(f"{counts[Outcome.SUPPRESSED]} suppressed")
    lines = [
        f"## {icon} contribution-gate: {review.verdict}",
        "",
        f"Reviewed {escape(describe_target(review.target))} ({', '.join(stats)}) with policy "
        f"{code(review.config_source)}: {', '.join(result)}.",
    ]
    if review.checks:
        lines += ["", "| Check | Status | Findings | Seconds |", "| --- | --- | ---: | ---: |"]
        lines += [_check_row(run) for run in review.checks]
    for run in review.errors:
        lines += [
            "",
            f"> 💥 **{escape(run.name)} could not run**, so the review fails: {code(run.error or 'unknown error')}",
        ]
    for warning in review.warnings:
        lines += ["", f"> ⚠️ {escape(warning)}"]
    return lines


def _check_row(run: CheckRun) -> str:
    status = _STATUS.get(run.status, escape(run.status))
    return f"| {escape(run.name)} | {status} | {run.findings} | {run.seconds:.2f} |"


def _finding(judged: Judged) -> list[str]:
    f = judged.finding
    where = [code(f.path, in_table=True)] if f.path else []
    if f.path and f.line:
        column = f", column {f.column}" if f.column else ""
        where.append(f"line {f.line}{column}" + (f"–{f.end_line}" if f.end_line and f.end_line != f.line else ""))
    if f.commit:
        where.append(f"commit {code(f.commit[:12], in_table=True)}")
    excerpt = code(f.excerpt, in_table=True) if f.excerpt else ""
    return [
        f"| {_OUTCOME.get(judged.outcome, '')} | {' '.join(where)} | {code(f.rule, in_table=True)} | {escape(f.message)} | {excerpt} |"
    ]


def _fix_line(fix: tuple[str, str, str]) -> str:
    rule, remediation, false_positive = fix
    return f"- {code(rule)}: {escape(remediation)}\n  - false positive: {escape(false_positive)}"


def _fixes(fixes: dict[tuple[str, str, str], None]) -> list[str]:
    return [*_FIXES_HEAD, *(_fix_line(fix) for fix in fixes)] if fixes else []


def _tail(review: Review, left_out: int) -> list[str]:
    lines = []
    suppressed = tally(review)[Outcome.SUPPRESSED]
    if suppressed:
        lines += [
            "",
            f"_{_plural(suppressed, 'finding')} suppressed by inline allow markers (kept in the JSON and SARIF reports)._",
        ]
    if left_out:
        lines += [
            "",
            f"_{_plural(left_out, 'more finding')} not shown, to keep this report under 64 KB; "
            "the JSON and SARIF reports list them all._",
        ]
    return lines


_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_SIGNING = {
    "signed": "✅ signed",
    "corporate": "✅ corporate CLA",
    "allowed": "✅ exempt",
    "unsigned": "❌ not signed",
    "unknown": "❓ unknown",
}


def cla_section(summary: Any) -> list[str]:
    """The CLA section for a `checks.cla.people.Summary`: who has signed, who has not, and how to sign.

    A maintainer can paste it as a pull-request comment. People are shown by login or email in code
    spans; only the pull request's author (from the event, not from anything a commit says) is
    @-mentioned, so a contribution cannot make the comment notify strangers.
    """
    people = summary.contributors
    if not people:
        return []
    pending = summary.pending
    lines = ["", "### Contributor License Agreement", ""]
    lines.append(
        f"{len(people) - len(pending)} of {_plural(len(people), 'contributor')} covered; "
        f"signatures read from {code(summary.signatures)}."
    )
    lines += ["", "| | Contributor | Commits | How |", "| --- | --- | ---: | --- |"]
    for person in [*pending, *summary.signed]:
        role = " (co-author)" if person.co_author_only else ""
        lines.append(
            f"| {_SIGNING.get(person.status, escape(person.status))} | {_who(person, summary.pr_author)}{role} "
            f"| {len(person.commits)} | {escape(person.via)} |"
        )
    if not pending:
        return lines
    fence = "`" * max(3, max((len(r) + 1 for r in re.findall(r"`+", summary.phrase)), default=0))
    lines += [
        "",
        "**How to sign**: each contributor marked ❌ posts a comment on this pull request whose whole text is:",
        "",
        fence,
        one_line(summary.phrase),
        fence,
        "",
        "The signature is recorded and the check passes when it runs again.",
    ]
    if any(p.status == "unknown" for p in pending):
        lines += [
            "",
            (
                "An email marked ❓ belongs to no known account: link it to your GitHub account (Settings > Emails) "
                "and sign, or amend the commits' author to your account's email, or a maintainer lists the email "
                "in your signature's `emails`."
            ),
        ]
    return lines


def _who(person: Any, pr_author: str | None) -> str:
    login = person.login
    if (
        login
        and pr_author
        and login.lower() == pr_author.lower()
        and _LOGIN.match(login)
        and person.status not in ("signed", "corporate", "allowed")
    ):
        return f"@{login}"
    return code(login or ", ".join(person.emails), in_table=True)
