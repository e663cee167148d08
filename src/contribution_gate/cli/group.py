"""The click group and what every command shares: exit codes, output options, reporting a review.

0 pass (warnings allowed), 1 fail, 2 usage/config/git error, 3 internal error, 130 interrupted:
only this package knows them; everything below it raises `GateError` or returns values.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import __version__
from ..checks import CHECKS
from ..errors import GateError

# click >= 8.2 raises this for a group run without a command; older click prints the help itself.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("text", "json", "sarif", "markdown", "github", "gitlab", "junit")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="contribution-gate")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Stop a contribution from leaking secrets and other things that must not leave.

    \b
    Examples:
      contribution-gate demo                  # try it on a throw-away repository
      contribution-gate review                # review the staged change (or the last commit)
      contribution-gate review --range origin/main..HEAD --format json
    """
    from .streams import guarded_output

    ctx.with_resource(guarded_output(os.environ))  # already on through main(); this covers click's own runners


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every reviewing command shares: formats, outputs, policy, colour, verbosity."""
    for option in reversed(
        [
            click.option(
                "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
            ),
            click.option(
                "--output",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Write the report here; the terminal gets a one-line verdict.",
            ),
            click.option(
                "--report",
                "extra",
                multiple=True,
                metavar="FORMAT:PATH",
                help="Also write a report in another format (repeatable), e.g. sarif:gate.sarif.",
            ),
            click.option(
                "--fail-on",
                type=click.Choice(("error", "warning")),
                default="error",
                show_default=True,
                help="Lowest severity that fails the review.",
            ),
            click.option(
                "--check",
                "only",
                multiple=True,
                type=click.Choice(sorted(CHECKS)),
                help="Run only this check (repeatable).",
            ),
            click.option(
                "--config",
                "config_path",
                type=click.Path(path_type=Path),
                help="Policy file to use instead of the repository's.",
            ),
            click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too)."),
            click.option(
                "-v", "--verbose", is_flag=True, help="Per-check timings in the report; tracebacks on errors."
            ),
            click.option(
                "-C",
                "--repo",
                "repo_dir",
                type=click.Path(file_okay=False, path_type=Path),
                default=Path("."),
                help="Repository to review (default: the current directory).",
            ),
        ]
    ):
        command = option(command)
    return command


def verify_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--verify/--no-verify`: ask each found credential's provider whether it is live (network)."""
    return click.option(
        "--verify/--no-verify",
        default=None,
        help="Ask each found credential's own provider, read-only, whether it is live (live: rotate now; "
        "revoked: a warning). Default: [secrets] verify of the policy for review, off for hook.",
    )(command)


def jobs_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--jobs N`: processes that review a long range or a big tree side by side."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=0,
        metavar="N",
        callback=lambda ctx, param, value: value or None,
        help="Processes that review parts of a long range or a big tree side by side (default 0: one per "
        "CPU, up to 4 and as the free memory allows, when it has 200 commits or 400 files or more; 1: one process).",
    )(command)


def review_and_exit(
    target_of: Any,
    long: bool,
    fmt: str,
    output: Path | None,
    extra: tuple[str, ...],
    fail_on: str,
    only: tuple[str, ...],
    config_path: Path | None,
    no_color: bool,
    verbose: bool,
    repo_dir: Path,
    event: Any = None,
    compact: bool = False,
    notes: tuple[str, ...] = (),
    after: Callable[[Any], None] | None = None,
    **session: Any,
) -> NoReturn:
    """Run one review, print and write its reports, and exit with its verdict. `compact` (the
    hooks): a clean pass is its summary line alone; `notes`: warnings of the caller's own;
    `after` gets the review before the exit (the pull-request conversation, which never changes the
    verdict); `session`: more of session.run's options (trust, paths)."""
    from ..reporters import REPORTERS
    from ..reporters.common import summary_line
    from ..reporters.untrusted import masked, visible
    from ..session import run
    from .streams import permit

    extras = [format_and_path(spec) for spec in extra]
    progress = progress_line() if long else None
    if session.get("verify") is not False:
        session.setdefault("verify_progress", asking_line())
    result = run(repo_dir, target_of, only, config_path, progress, fail_on, event=event, **session)
    warnings = [*notes, *result.warnings, *nothing_reviewed(result.review)]
    for warning in warnings:
        click.echo(f"contribution-gate: warning: {visible(masked(warning))}", err=True)
    review = result.review
    if warnings:  # the reports carry them too (redacted like everything in a review)
        review = dataclasses.replace(review, warnings=tuple(warnings))
    for name, path in extras:
        write_report(path, REPORTERS[name](review, False, **report_options(name, None, verbose)))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from ..github.actions import publish

        publish(review, os.environ)
    color = fmt == "text" and output is None and wants_color(no_color, sys.stdout)
    rendered = REPORTERS[fmt](review, color, **report_options(fmt, None if output else sys.stdout, verbose))
    if compact and fmt == "text" and output is None and _clean(review):
        rendered = f"contribution-gate: {summary_line(review)}\n"
    if output is not None:
        write_report(output, rendered)
        click.echo(f"{summary_line(review)} (report: {visible(str(output))})")
    else:
        with permit(commands=fmt == "github", styled=color, redacted=True):  # our annotations, our colours
            click.echo(rendered, nl=False, color=color or None)
    if after is not None:
        after(review)
    sys.exit(EXIT_PASS if review.passed else EXIT_FAIL)


def nothing_reviewed(review: Any) -> list[str]:
    """A warning when a range turned out to hold no commit (BASE and HEAD name the same commit, or
    HEAD is the merge base of BASE...HEAD): the review passed on nothing, which the user must know."""
    target = review.target
    if target.kind != "range" or review.commits or target.base is None or target.head is None:
        return []
    return [
        f"the range {target.base[:12]}..{target.head[:12]} has no commits, so nothing was reviewed: "
        "check that BASE..HEAD names the commits you meant (git log BASE..HEAD lists them)"
    ]


def _clean(review: Any) -> bool:
    """A pass with nothing to show: no finding that is not suppressed, no check that could not run."""
    from ..policy import Outcome

    return bool(review.passed) and not review.errors and all(j.outcome is Outcome.SUPPRESSED for j in review.judged)


def format_and_path(spec: str) -> tuple[str, Path]:
    name, sep, path = spec.partition(":")
    if not sep or not path or name not in FORMATS:
        raise click.UsageError(f"--report {spec!r}: give FORMAT:PATH with FORMAT one of {', '.join(FORMATS)}")
    return name, Path(path)


def write_report(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GateError(f"cannot write the report to {path}: {exc.strerror}: choose a writable path") from None


def report_options(fmt: str, stream: object, verbose: bool) -> dict[str, Any]:
    """What a format takes besides the review: the text report its width and verbosity."""
    return {"width": terminal_width(stream), "verbose": verbose} if fmt == "text" else {}


def terminal_width(stream: object = None) -> int:
    """The width a text report must fit: `COLUMNS` when set, else the terminal's when `stream` is
    one, else 80 (a file, a pipe, a CI log)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        try:
            return os.get_terminal_size(stream.fileno()).columns or 80  # type: ignore[attr-defined]
        except (OSError, ValueError, AttributeError):
            pass
    return 80


def asking_line() -> Any:
    """A line on stderr while `--verify` waits for providers, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from ..progress import AskingLine
    from .streams import unguarded

    return AskingLine(unguarded(sys.stderr))


def wants_color(no_color: bool, stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return not no_color and "NO_COLOR" not in os.environ and bool(isatty and isatty())


def progress_line() -> Any:
    """A progress line on stderr for long reviews, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from ..progress import ProgressLine
    from .streams import unguarded

    return ProgressLine(unguarded(sys.stderr))
