"""The command line: a thin click layer over the review (see `group` for the exit codes).

`main` is the one error boundary that turns every failure into an exit code; each command module
registers its commands on the group when imported here.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..errors import GateError
from ..redaction import scrub
from ..review import failure
from . import baseline, cla, inventory, review
from .group import _NO_ARGS_IS_HELP, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, cli

__all__ = ["baseline", "cla", "cli", "inventory", "main", "review"]


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: the one error boundary that turns every failure into an exit code."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args or "--verbose" in args
    try:
        code = cli.main(args=args, prog_name="contribution-gate", standalone_mode=False)
        sys.exit(code or 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except _NO_ARGS_IS_HELP as exc:  # `contribution-gate` alone: the help, not an error message
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        hint = f" (see: {ctx.command_path} --help)" if ctx else ""
        click.echo(f"contribution-gate: error: {exc.format_message()}{hint}", err=True)
        sys.exit(EXIT_USAGE)
    except click.Abort:
        click.echo("contribution-gate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("\ncontribution-gate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except GateError as exc:
        _traceback(verbose)
        click.echo(f"contribution-gate: error: {scrub(str(exc), limit=None, opaque_tokens=False)}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        _traceback(verbose)
        click.echo(f"contribution-gate: internal error: {failure(exc)} (run with -v for the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)


def _traceback(verbose: bool) -> None:
    """With -v, the traceback of the error being handled, masked like every other output."""
    if verbose:
        import traceback

        click.echo(scrub(traceback.format_exc(), limit=None, opaque_tokens=False), err=True)
