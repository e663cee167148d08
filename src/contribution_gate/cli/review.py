"""`review`, `hook` and `demo`: the commands that review a change."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from .group import (
    EXIT_FAIL,
    EXIT_PASS,
    cli,
    jobs_option,
    output_options,
    report_options,
    review_and_exit,
    verify_option,
    wants_color,
)

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
  contribution-gate review --range v1.0..HEAD --jobs 4   # four processes side by side
  contribution-gate review --staged --verify        # are found keys live? (network)
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
@verify_option
@jobs_option
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


HOOK_HELP = """Review for pre-commit: the staged change, named files, or the pushed range.

\b
At `git commit` pre-commit names the staged files, and the hook reviews what the
commit adds to them. Names that are not just staged files (`pre-commit run
--all-files`, `pre-commit run --files X`) are reviewed whole, as the work tree
has them. At pre-push (PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF) it reviews every
pushed commit; a missing or all-zero from-ref (a new branch) reviews the commits
no remote branch has yet. A hook judges with the policy being committed or
pushed (the index, the pushed head), not the working tree's or the base's.
A clean pass prints one line; warnings and findings print the report.

\b
Example .pre-commit-config.yaml:
  - repo: https://github.com/contribution-gate/contribution-gate
    rev: v{version}
    hooks:
      - id: contribution-gate
      - id: contribution-gate-commit-msg

\b
Examples:
  pre-commit run contribution-gate --all-files    # the whole tree, once, on adoption
  pre-commit run contribution-gate --files app/settings.py
  contribution-gate hook                          # the staged change, as at commit time
  contribution-gate hook --verify                 # also ask providers whether found keys are live
"""


class _KeepsArguments(click.Command):
    """A command that remembers its raw arguments (the hook checks that no file name was taken
    for an option: pre-commit puts file names after the options, with no `--` between)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["raw_args"] = list(args)
        return super().parse_args(ctx, args)


@cli.command(cls=_KeepsArguments, help=HOOK_HELP.format(version=__version__))
@click.argument("files", nargs=-1, metavar="[FILE]...")
@output_options
@verify_option
def hook(files: tuple[str, ...], **output: Any) -> None:
    from ..git import Repository
    from ..model import Target
    from ..session import choose

    raw = click.get_current_context().meta.get("raw_args", [])
    taken = [arg for arg in raw if arg.startswith("-") and os.path.lexists(arg)]
    if taken:
        raise click.UsageError(
            f"{taken[0]!r} is a file, and pre-commit passed it where an option goes: rename the file "
            "(a file name that starts with '-' could change what the hook does)"
        )
    env = os.environ
    if env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_REMOTE_NAME"):
        refs = (env.get("PRE_COMMIT_FROM_REF"), env.get("PRE_COMMIT_TO_REF"), env.get("PRE_COMMIT_LOCAL_BRANCH"))
        _pre_push(refs, bool(files), output)
    if not files:
        review_and_exit(choose(True, None, False), long=False, trust="change", compact=True, **output)
    from ..worktree import repository_paths, snapshot, staged_paths

    repo = Repository(output["repo_dir"])
    paths, notes = repository_paths(repo, files, Path.cwd())
    if set(paths) <= staged_paths(repo):  # a commit: what it adds to the files it was handed
        review_and_exit(
            choose(True, None, False), long=False, trust="change", compact=True, paths=frozenset(paths), **output
        )
    with snapshot(repo, paths) as named:
        review_and_exit(
            lambda _: Target("files", None, named.tree),
            long=True,
            trust="change",
            compact=True,
            notes=(*notes, *named.warnings),
            **output,
        )


def _pre_push(refs: tuple[str | None, ...], batched: bool, output: dict[str, Any]) -> None:
    """The pushed range; when pre-commit handed file names (it may split them over several runs
    of one push), a run of a push an earlier run passed says so in one line (see `pushes`)."""
    from .. import pushes
    from ..git import Repository, pre_push_target

    repo = Repository(output["repo_dir"])
    target = pre_push_target(repo, *refs)
    config = output.get("config_path")
    policy = Path(config).read_bytes().hex() if config and Path(config).is_file() else ""
    options = [f"{name}={value}" for name, value in sorted(output.items()) if name != "repo_dir"]
    push = pushes.key([target.base, target.head, *refs], [*options, policy], __version__)
    if batched and pushes.passed(repo, push):
        click.echo("contribution-gate: PASS (this push was reviewed by an earlier run of this hook)")
        sys.exit(EXIT_PASS)
    try:
        review_and_exit(lambda _: target, long=True, trust="change", compact=True, **output)
    except SystemExit as done:
        if done.code == EXIT_PASS:
            pushes.remember(repo, push)
        raise


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
    click.echo(f"Demo repository with a staged sample contribution:\n  {where}\n")
    result = run(where, choose(True, None, False))
    from ..reporters import REPORTERS
    from .streams import permit

    color = wants_color(no_color, sys.stdout)
    with permit(styled=color, redacted=True):
        text = REPORTERS["text"](result.review, color, **report_options("text", sys.stdout, False))
        click.echo(text, nl=False, color=color or None)
    click.echo(f"\nLook around: cd {where} && git diff --cached\nthen run `contribution-gate review` there.")
    sys.exit(EXIT_PASS if result.review.passed else EXIT_FAIL)
