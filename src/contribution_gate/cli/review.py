"""`review`, `hook` and `demo`: the commands that review a change."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .group import EXIT_FAIL, EXIT_PASS, cli, output_options, review_and_exit, wants_color

REVIEW_HELP = """Review what a change adds and give one verdict: pass or fail.

\b
With no target: the staged change when something is staged, else the last commit.
The policy comes from .contribution-gate.toml or [tool.contribution-gate] in
pyproject.toml; for a range it is read from the BASE commit, so a contribution
cannot loosen its own gate.

\b
Examples:
  contribution-gate review                          # staged change, or the last commit
  contribution-gate review --staged                 # what `git commit` would record
  contribution-gate review --range origin/main..HEAD
  contribution-gate review --range origin/main...HEAD --format json --output gate.json
  contribution-gate review --all-files --check secrets
  NO_COLOR=1 contribution-gate review --no-color -v
  GITHUB_TOKEN=... contribution-gate review --event "$GITHUB_EVENT_PATH" --pr-comment

\b
Exit codes: 0 pass (warnings allowed), 1 fail, 2 usage, config or git error,
3 internal error, 130 interrupted.
"""


@cli.command(help=REVIEW_HELP)
@click.option("--staged", is_flag=True, help="Review the index against HEAD (what `git commit` records).")
@click.option(
    "--range",
    "range_spec",
    metavar="BASE..HEAD",
    help="Review every commit of a range (BASE...HEAD: from the merge base).",
)
@click.option("--all-files", is_flag=True, help="Review every tracked file at HEAD, as if all of it were added.")
@click.option(
    "--event",
    "event_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Review the pull request or push of a GitHub event payload (default under Actions: $GITHUB_EVENT_PATH).",
)
@click.option(
    "--pr-comment",
    is_flag=True,
    help="Post the review as one pull-request comment, edited in place on later runs, and set commit "
    "statuses (needs --event and GITHUB_TOKEN with pull-requests: write, statuses: write).",
)
@click.option(
    "--commit-status",
    is_flag=True,
    help="Set the commit statuses contribution-gate and contribution-gate/cla on the head (statuses: write).",
)
@output_options
def review(
    staged: bool,
    range_spec: str | None,
    all_files: bool,
    event_path: Path | None,
    pr_comment: bool,
    commit_status: bool,
    **output: Any,
) -> None:
    from ..session import choose

    if sum((staged, bool(range_spec), all_files, event_path is not None)) > 1:
        raise click.UsageError("choose one target: --staged, --range, --all-files or --event")
    if event_path is None and not (staged or range_spec or all_files) and os.environ.get("GITHUB_ACTIONS") == "true":
        event_path = Path(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else None
    if (pr_comment or commit_status) and event_path is None:
        raise click.UsageError("--pr-comment and --commit-status need --event PATH (a pull_request event)")
    if event_path is not None:
        from ..git import event_target
        from ..github.events import read_event
        from .conversation import review_publisher

        event = read_event(event_path, os.environ.get("GITHUB_EVENT_NAME"))
        after = review_publisher(event, pr_comment, pr_comment or commit_status)
        review_and_exit(lambda repo: event_target(repo, event), long=True, event=event, after=after, **output)
    review_and_exit(choose(staged, range_spec, all_files), long=bool(range_spec or all_files), **output)


HOOK_HELP = """Review for pre-commit: the staged change, or at pre-push the pushed range.

\b
pre-commit sets PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF at pre-push; a missing or
all-zero from-ref (a new branch) reviews the commits no remote branch has yet.

\b
Example .pre-commit-config.yaml:
  - repo: https://github.com/contribution-gate/contribution-gate
    rev: v0.1.0
    hooks:
      - id: contribution-gate
      - id: contribution-gate-commit-msg
"""


@cli.command(help=HOOK_HELP)
@output_options
def hook(**output: Any) -> None:
    from ..git import pre_push_target
    from ..session import choose

    env = os.environ
    if env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_REMOTE_NAME"):
        refs = (env.get("PRE_COMMIT_FROM_REF"), env.get("PRE_COMMIT_TO_REF"), env.get("PRE_COMMIT_LOCAL_BRANCH"))
        review_and_exit(lambda repo: pre_push_target(repo, *refs), long=True, **output)
    review_and_exit(choose(True, None, False), long=False, **output)


@cli.command()
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def demo(no_color: bool) -> None:
    """Build a throw-away repository with a sample contribution and review it.

    \b
    Example:
      contribution-gate demo      # prints the review and where the repository is
    """
    from ..demo import build_demo_repository
    from ..session import choose, run

    where = build_demo_repository()
    click.echo(f"Demo repository with a staged sample contribution: {where}\n")
    result = run(where, choose(True, None, False))
    from ..reporters import REPORTERS
    from .streams import permit

    color = wants_color(no_color, sys.stdout)
    with permit(styled=color, redacted=True):
        click.echo(REPORTERS["text"](result.review, color), nl=False, color=color or None)
    click.echo(f"\nLook around: cd {where} && git diff --cached; then run `contribution-gate review` there.")
    sys.exit(EXIT_PASS if result.review.passed else EXIT_FAIL)
