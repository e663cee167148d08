"""The pull-request conversation: the sticky comment and the commit statuses, from a review or a re-check.

A comment is one Markdown document in marked blocks, so the signing job can replace the CLA part
and keep the rest of the last review as it was:

    <!-- marker -->                       (comments.MARKER: how later runs find it)
    <!-- state {"head", "others"} -->     (the head reviewed, the verdict of every check but cla)
    ## ✅/❌ contribution-gate: pass/fail  (the verdict of the whole pull request)
    <!-- cla --> ... <!-- /cla -->        (who has signed and how to sign; CLA mode only)
    <!-- review --> ... <!-- /review -->  (the Markdown report of the other checks)

Publishing never changes a review's verdict or exit code: without a token it says so and posts
nothing; a refused call (403: the job lacks `pull-requests: write` or `statuses: write`), a timeout
or an outage is a warning naming the permission or the cause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import comments, statuses
from .comments import State, Sticky
from .rest import ApiError, Client
from .statuses import CLA_CONTEXT, CONTEXT, Status

CLA_OPEN, CLA_CLOSE = "<!-- contribution-gate:cla -->", "<!-- contribution-gate:/cla -->"
REVIEW_OPEN, REVIEW_CLOSE = "<!-- contribution-gate:review -->", "<!-- contribution-gate:/review -->"
PERMISSION = {"comment": "pull-requests: write", "status": "statuses: write"}
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    """What to publish for one head commit."""

    number: int
    head: str
    body: str
    statuses: tuple[Status, ...]


def verdict_heading(passed: bool | None, head: str) -> list[str]:
    if passed is None:
        return [f"## ⏳ contribution-gate: waiting for the review of `{head[:12]}`"]
    icon, word = ("✅", "pass") if passed else ("❌", "fail")
    lines = [f"## {icon} contribution-gate: {word}", ""]
    if passed:
        lines.append(f"Everything passes for commit `{head[:12]}`: nothing left to do.")
    else:
        lines.append(f"Commit `{head[:12]}` does not pass yet: see below for what to fix.")
    return lines


def compose(
    state: State | None, head: str, cla_block: str | None, cla_passed: bool | None, review_block: str, footer: str = ""
) -> str:
    """The whole comment body from its parts; `state` None: the other checks' verdict is unknown."""
    others = None if state is None or state.head != head else state.others == "pass"
    passed: bool | None
    if cla_passed is False or others is False:
        passed = False
    elif others is None:
        passed = None
    else:
        passed = True
    lines = [comments.MARKER]
    if state is not None:
        lines.append(state.line())
    lines += verdict_heading(passed, head)
    if cla_block is not None:
        lines += ["", CLA_OPEN, cla_block.strip("\n"), CLA_CLOSE]
    tail = ["", footer] if footer else []
    room = comments.LIMIT - len("\n".join([*lines, "", REVIEW_OPEN, "", REVIEW_CLOSE, *tail])) - 2
    lines += ["", REVIEW_OPEN, _cut(review_block.strip("\n"), room), REVIEW_CLOSE, *tail]
    return "\n".join(lines) + "\n"


def _cut(text: str, room: int) -> str:
    """`text` cut at a line end to `room` characters, saying so, so the closing marker always fits."""
    if len(text) <= room:
        return text
    note = "\n\n_(cut to fit GitHub's comment limit: the job summary and the JSON report have it all)_"
    cut = text[: max(0, room - len(note))]
    return cut[: cut.rfind("\n") + 1 or len(cut)].rstrip("\n") + note


def review_block(body: str) -> str | None:
    """The review part of a comment: from its opening to the *last* closing marker, so a closing
    marker quoted inside the report (a file name in a code span) cannot cut it short."""
    start, end = body.find(REVIEW_OPEN + "\n"), body.rfind("\n" + REVIEW_CLOSE)
    if start < 0 or end < start + len(REVIEW_OPEN):
        return None
    return body[start + len(REVIEW_OPEN) + 1 : end]


def review_plan(review: Any, number: int, head: str, environ: Mapping[str, str]) -> Plan:
    """The comment and statuses of a full review (`review.Review`) of the pull request's head."""
    from ..reporters import REPORTERS  # the registry: every string redacted and made visible

    summary = review.details.get("cla")
    ran_cla = any(run.name == "cla" for run in review.checks)
    cla_run = next((run for run in review.checks if run.name == "cla"), None)
    others = _without(review, "cla") if summary is not None else review
    report = REPORTERS["markdown"](others).splitlines()
    if report and report[0].startswith("#"):
        title = "The other checks" if summary is not None else "The review"
        report[0] = f"### {title}: {'✅ pass' if others.passed else '❌ fail'}"
    cla_block = cla_markdown(summary, review.target) if summary is not None else None
    cla_passed = None if cla_run is None else cla_run.status == "pass"
    state = State(head, "pass" if others.passed else "fail")
    body = compose(
        state,
        head,
        cla_block,
        cla_passed if summary is not None else None,
        "\n".join(report),
        _footer(environ, summary is not None),
    )
    plan_statuses = [Status(CONTEXT, "success" if review.passed else "failure", _describe(review))]
    cla_findings = [j for j in review.judged if j.finding.check == "cla"]
    if ran_cla and cla_run is not None and (summary is not None or cla_findings or cla_run.status == "error"):
        plan_statuses.append(cla_status(cla_run.status == "pass", summary, cla_run.error))
    return Plan(number, head, body, tuple(plan_statuses))


def recheck_plan(
    summary: Any, passed: bool, number: int, head: str, sticky: Sticky | None, environ: Mapping[str, str], why: str
) -> Plan:
    """The comment and statuses after the CLA alone was checked again (a signature, `recheck`)."""
    from ..model import Target

    state = sticky.state if sticky is not None else None
    kept = review_block(sticky.body) if sticky is not None else None
    if kept is None:
        kept = f"_The review of `{head[:12]}` has not posted here yet._"
    elif state is None or state.head != head:
        kept = f"_New commits were pushed: their review will post here._\n\n{kept}"
    cla_block = f"_{why}_\n\n" + cla_markdown(summary, Target("range", None, head))
    body = compose(state, head, cla_block, passed, kept, _footer(environ, True))
    plan_statuses = [cla_status(passed, summary, None)]
    if state is not None and state.head == head:
        whole = passed and state.others == "pass"
        text = (
            "all checks pass" if whole else "the CLA passes; other checks fail" if passed else "the CLA is not signed"
        )
        plan_statuses.insert(0, Status(CONTEXT, "success" if whole else "failure", text))
    return Plan(number, head, body, tuple(plan_statuses))


CLA_HEADING = "### Contributor License Agreement"


def cla_markdown(summary: Any, target: Any) -> str:
    """The Markdown report's CLA section for `summary`, rendered through the reporters' registry
    (so it is redacted like every report) from a review that holds nothing else."""
    from ..reporters import REPORTERS
    from ..review import Review

    rendered = REPORTERS["markdown"](Review(target, (), (), details={"cla": summary}))
    start = rendered.find(CLA_HEADING)
    return rendered[start:].strip("\n") if start >= 0 else rendered.strip("\n")


def cla_status(passed: bool, summary: Any, error: str | None) -> Status:
    if error:
        return Status(CLA_CONTEXT, "error", f"the cla check could not run: {error}")
    if summary is None:
        return Status(
            CLA_CONTEXT,
            "success" if passed else "failure",
            "every commit is signed off" if passed else "commits lack a sign-off",
        )
    pending = len(summary.pending)
    total = len(summary.contributors)
    if passed:
        return Status(CLA_CONTEXT, "success", f"all {total} contributors have signed the CLA")
    if not pending:  # GitHub listed only some of the commits (over 250): fail closed
        return Status(CLA_CONTEXT, "failure", "not every commit could be listed: the review run checks them all")
    return Status(CLA_CONTEXT, "failure", f"{pending} of {total} contributors have not signed the CLA")


def publish(
    plan: Plan,
    client: Client | None,
    comment: bool,
    post_statuses: bool,
    say: Warn,
    warn: Warn,
    environ: Mapping[str, str],
    existing: Sticky | None = None,
) -> None:
    """Post the comment and the statuses; every failure is a warning, never an exit code."""
    if client is None:
        warn("GITHUB_TOKEN is not set, so nothing is posted on the pull request; this is what would be:")
        for status in plan.statuses if post_statuses else ():
            say(f"status {status.context} on {plan.head[:12]}: {status.state}: {statuses.one_line(status.description)}")
        if comment:
            say(f"comment on pull request #{plan.number}:\n{plan.body}")
        return
    if comment:
        try:
            sticky = existing if existing is not None else comments.find(client, plan.number)
            if _outdated(client, plan, sticky):
                say(f"pull request #{plan.number} has moved on from {plan.head[:12]}: its comment is left as it is")
            else:
                done, number = comments.upsert(client, plan.number, plan.body, sticky)
                say(f"pull request #{plan.number}: review comment {done} (id {number})")
        except ApiError as exc:
            warn(_failed("the review comment", exc, "comment"))
    if post_statuses:
        url = statuses.run_url(environ)
        for status in plan.statuses:
            try:
                statuses.post(client, plan.head, status, url)
                say(f"status {status.context} on {plan.head[:12]}: {status.state}")
            except ApiError as exc:
                warn(_failed(f"the commit status {status.context}", exc, "status"))
                if exc.status in (401, 403, 404) or exc.status == 0:
                    break


def _outdated(client: Client, plan: Plan, sticky: Sticky | None) -> bool:
    """Whether a slow run of an older head would overwrite the comment of a newer one: only asked
    when the comment was last written for another head."""
    state = sticky.state if sticky is not None else None
    if state is None or state.head == plan.head:
        return False
    from . import pulls

    return pulls.pull(client, plan.number).head != plan.head


def _failed(what: str, exc: ApiError, kind: str) -> str:
    if exc.status in (403, 429) and "rate limit" in str(exc).lower():
        why = "GitHub's rate limit: the next run posts it"
    elif exc.status in (401, 403):
        why = f"the token may not do this: give the job `permissions: {PERMISSION[kind]}`"
        if kind == "comment":
            why += " (a pull request from a fork gets a read-only token on `pull_request`)"
    elif exc.status == 404:
        why = "check GITHUB_REPOSITORY and the pull request number"
    elif exc.status == 0:
        why = "GitHub did not answer"
    else:
        why = "GitHub refused it"
    return f"could not post {what}: {exc}: {why}; the review's verdict is unchanged"


def _without(review: Any, check: str) -> Any:
    return replace(
        review,
        judged=tuple(j for j in review.judged if j.finding.check != check),
        checks=tuple(run for run in review.checks if run.name != check),
        details={k: v for k, v in review.details.items() if k != check},
    )


def _describe(review: Any) -> str:
    from ..policy import Outcome

    errors = sum(1 for j in review.judged if j.outcome is Outcome.FAIL)
    warnings = sum(1 for j in review.judged if j.outcome is Outcome.WARN)
    crashed = [run.name for run in review.errors]
    if crashed:
        return f"{', '.join(crashed)} could not run: the review fails"
    if review.passed:
        return "passed" + (f" with {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
    failing = sorted({j.finding.check for j in review.judged if j.outcome is Outcome.FAIL})
    return f"{errors} error{'s' if errors != 1 else ''} ({', '.join(failing)})"


def _footer(environ: Mapping[str, str], cla: bool) -> str:
    url = statuses.run_url(environ)
    run = f"[this run]({url})" if url else "contribution-gate"
    recheck = "; comment `recheck` to check the CLA again" if cla else ""
    return f"<sub>Written by {run}. This comment is edited in place on every run{recheck}.</sub>"
