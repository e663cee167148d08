"""`pre-receive`: the gate as a server-side hook of a bare repository (see `server`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ..checks import CHECKS
from ..errors import GateError
from .group import EXIT_FAIL, EXIT_PASS, cli

if TYPE_CHECKING:
    from ..session import Result

PRE_RECEIVE_HELP = """Review a push on the server, before any ref moves (a pre-receive hook).

\b
Reads git's `<old> <new> <ref>` lines on stdin and reviews, in one review, the
commits of the updated refs that no ref of the repository has yet (a new branch:
only its new commits; a deletion: nothing) and the messages of pushed annotated
tags. The policy is the default branch's (HEAD) as it is before the push, never
the pushed one; --config names a file of the server's instead. Needs no work
tree, works inside git's quarantine. The findings go to the pusher; a failing
review rejects the push (exit 1).

\b
A review that cannot finish (past --timeout, a check that could not run, a git,
config or internal error) rejects the push too (fail closed), unless --fail-open
lets it through with a warning. A failing finding rejects it either way.

\b
Examples (the hook script, in the bare repository's hooks/pre-receive):
  #!/bin/sh
  exec contribution-gate pre-receive
  exec contribution-gate pre-receive --timeout 4 --fail-open   # GitHub Enterprise: 5 s limit
  exec contribution-gate pre-receive --config /etc/contribution-gate.toml

\b
Exit codes: 0 accept the push, 1 reject it.
"""


@cli.command("pre-receive", help=PRE_RECEIVE_HELP)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds for the whole review (0: no limit); past it the push is rejected, or accepted with --fail-open.",
)
@click.option(
    "--fail-open", is_flag=True, help="Accept the push when the review cannot finish (findings still reject)."
)
@click.option(
    "--policy-ref",
    default="HEAD",
    show_default=True,
    help="Ref whose policy judges every push, as it is before the push.",
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="A policy file of the server's, read as it is."
)
@click.option(
    "--check", "only", multiple=True, type=click.Choice(sorted(CHECKS)), help="Run only this check (repeatable)."
)
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning")),
    default="error",
    show_default=True,
    help="Lowest severity that rejects the push.",
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on internal errors.")
@click.option(
    "-C",
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The repository (default: the current directory, where git runs its hooks).",
)
def pre_receive(
    timeout: float,
    fail_open: bool,
    policy_ref: str,
    config_path: Path | None,
    only: tuple[str, ...],
    fail_on: str,
    verbose: bool,
    repo_dir: Path,
) -> None:
    from ..server import OutOfTime, time_budget

    text = sys.stdin.read()

    def out_of_time_hard() -> None:  # no SIGALRM: end the process from the timer thread
        os.write(2, f"contribution-gate: {_out_of_time(timeout, fail_open)}\n".encode())
        os._exit(EXIT_PASS if fail_open else EXIT_FAIL)

    try:
        with time_budget(timeout, out_of_time_hard):
            result = _review(text, repo_dir, policy_ref, config_path, only, fail_on)
    except OutOfTime:
        _cannot_finish(_out_of_time(timeout, fail_open), fail_open)
    except GateError as exc:
        _cannot_finish(f"{exc}: {_verdict(fail_open)}", fail_open)
    except Exception as exc:
        if verbose:
            import traceback

            traceback.print_exc()
        from ..review import failure

        _cannot_finish(f"internal error ({failure(exc)}): {_verdict(fail_open)}", fail_open)
    if result is None:
        sys.exit(EXIT_PASS)  # deletions, or refs moved to commits the repository has
    _report(result, fail_open)


def _review(
    text: str, repo_dir: Path, policy_ref: str, config_path: Path | None, only: tuple[str, ...], fail_on: str
) -> Result | None:
    from ..git import Repository
    from ..server import parse_updates, read_push, tag_messages, trusted_policy
    from ..session import run

    repo = Repository(repo_dir, allow_bare=True)
    push = read_push(repo, parse_updates(text))
    target = push.target
    if target is None:
        return None
    return run(
        repo_dir,
        lambda _: target,
        only,
        config_path,
        None,
        fail_on,
        policy=lambda r, _: trusted_policy(r, push, policy_ref, config_path is not None),
        more=lambda r, _: tag_messages(r, push.tags),
    )


def _report(result: Result, fail_open: bool) -> NoReturn:
    from ..policy import Outcome
    from ..reporters import REPORTERS
    from ..reporters.common import summary_line
    from ..reporters.untrusted import masked, visible
    from ..server import on_gitlab
    from .streams import permit

    review = result.review
    for warning in result.warnings:
        click.echo(f"contribution-gate: warning: {visible(masked(warning))}")
    shown = [j for j in review.judged if j.outcome is not Outcome.SUPPRESSED]
    if review.passed and not shown and not result.warnings:
        click.echo(f"contribution-gate: {summary_line(review)}")
        sys.exit(EXIT_PASS)
    with permit(redacted=True):
        click.echo(REPORTERS["text"](review, False), nl=False)
    failing = any(j.outcome is Outcome.FAIL for j in review.judged)
    if review.passed or (fail_open and not failing):
        if not review.passed:
            click.echo("contribution-gate: warning: a check could not run, and --fail-open accepts the push anyway")
        sys.exit(EXIT_PASS)
    click.echo(
        "contribution-gate: the push is rejected: remove what the findings name from the commits "
        "(`git commit --amend`, `git rebase -i`), or mark a false positive, then push again"
    )
    if on_gitlab(os.environ):
        click.echo(f"GL-HOOK-ERR: contribution-gate rejected the push: {summary_line(review)}")
    sys.exit(EXIT_FAIL)


def _verdict(fail_open: bool) -> str:
    return "the push is accepted unreviewed (--fail-open)" if fail_open else "the push is rejected (fail closed)"


def _out_of_time(timeout: float, fail_open: bool) -> str:
    return f"the review did not finish within {timeout:g} s (--timeout): {_verdict(fail_open)}"


def _cannot_finish(message: str, fail_open: bool) -> NoReturn:
    from ..reporters.untrusted import masked, visible
    from ..server import on_gitlab

    click.echo(f"contribution-gate: {'warning' if fail_open else 'error'}: {visible(masked(message))}", err=True)
    if not fail_open and on_gitlab(os.environ):
        click.echo("GL-HOOK-ERR: contribution-gate could not review the push, so it is rejected", err=True)
    sys.exit(EXIT_PASS if fail_open else EXIT_FAIL)
