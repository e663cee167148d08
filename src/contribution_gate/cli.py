"""The command line: a thin click layer, and the only module that knows exit codes.

0 pass (warnings allowed), 1 fail, 2 usage/config/git error, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .checks import CHECKS
from .errors import GateError

EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("text", "json")

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

\b
Exit codes: 0 pass (warnings allowed), 1 fail, 2 usage, config or git error,
3 internal error, 130 interrupted.
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="contribution-gate")
def cli() -> None:
    """Stop a contribution from leaking secrets and other things that must not leave.

    \b
    Examples:
      contribution-gate demo                  # try it on a throw-away repository
      contribution-gate review                # review the staged change (or the last commit)
      contribution-gate review --range origin/main..HEAD --format json
    """


@cli.command(help=REVIEW_HELP)
@click.option("--staged", is_flag=True, help="Review the index against HEAD (what `git commit` records).")
@click.option("--range", "range_spec", metavar="BASE..HEAD", help="Review every commit of a range (BASE...HEAD: from the merge base).")
@click.option("--all-files", is_flag=True, help="Review every tracked file at HEAD, as if all of it were added.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here; the terminal gets a one-line verdict.")
@click.option("--check", "only", multiple=True, type=click.Choice(sorted(CHECKS)), help="Run only this check (repeatable).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's.")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
@click.option("-v", "--verbose", is_flag=True, help="Show suppressed findings, timings and tracebacks.")
@click.option("-C", "--repo", "repo_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Repository to review (default: the current directory).")
def review(
    staged: bool,
    range_spec: str | None,
    all_files: bool,
    fmt: str,
    output: Path | None,
    only: tuple[str, ...],
    config_path: Path | None,
    no_color: bool,
    verbose: bool,
    repo_dir: Path,
) -> None:
    from .session import run

    if sum((staged, bool(range_spec), all_files)) > 1:
        raise click.UsageError("choose one target: --staged, --range or --all-files")
    color = _wants_color(no_color, sys.stdout)
    result = run(repo_dir, staged, range_spec, all_files, only, config_path, _progress(range_spec, all_files), verbose)
    for warning in result.warnings:
        click.echo(f"contribution-gate: warning: {warning}", err=True)
    from .reporters import REPORTERS
    from .reporters.common import summary_line

    rendered = REPORTERS[fmt](result.review, color and output is None and fmt == "text")
    if output is not None:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            raise GateError(f"cannot write the report to {output}: {exc.strerror}") from None
        click.echo(f"{summary_line(result.review)} (report: {output})")
    else:
        click.echo(rendered, nl=False)
    sys.exit(EXIT_PASS if result.review.passed else EXIT_FAIL)


@cli.command()
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def demo(no_color: bool) -> None:
    """Build a throw-away repository with a sample contribution and review it.

    \b
    Example:
      contribution-gate demo      # prints the review and where the repository is
    """
    from .demo import build_demo_repository
    from .session import run

    where = build_demo_repository()
    click.echo(f"Demo repository with a staged sample contribution: {where}\n")
    result = run(where, True, None, False, (), None, None, False)
    from .reporters.text import render

    click.echo(render(result.review, _wants_color(no_color, sys.stdout)), nl=False)
    click.echo(f"\nLook around: cd {where} && git diff --cached; then run `contribution-gate review` there.")
    sys.exit(EXIT_PASS if result.review.passed else EXIT_FAIL)


def _wants_color(no_color: bool, stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return not no_color and "NO_COLOR" not in os.environ and bool(isatty and isatty())


def _progress(range_spec: str | None, all_files: bool):  # type: ignore[no-untyped-def]
    """A progress line on stderr for long reviews, only when stderr is a terminal."""
    if not (range_spec or all_files) or not sys.stderr.isatty():
        return None
    from .progress import ProgressLine

    return ProgressLine(sys.stderr)


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: the one error boundary that turns every failure into an exit code."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args or "--verbose" in args
    try:
        code = cli.main(args=args, prog_name="contribution-gate", standalone_mode=False)
        sys.exit(code or 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        click.echo(f"contribution-gate: error: {exc.format_message()}{hint}", err=True)
        sys.exit(EXIT_USAGE)
    except click.Abort:
        click.echo("contribution-gate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("\ncontribution-gate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except GateError as exc:
        if verbose:
            traceback.print_exc()
        click.echo(f"contribution-gate: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - the boundary: never a bare traceback
        if verbose:
            traceback.print_exc()
        click.echo(f"contribution-gate: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
