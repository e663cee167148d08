"""The command line: a thin click layer over the review (see `group` for the exit codes).

`main` is the one error boundary that turns every failure into an exit code; each command module
registers its commands on the group when imported here.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from .. import warmstart

warmstart.install()  # before the modules below compile their patterns and make their dataclasses

import click  # noqa: E402

from ..errors import GateError  # noqa: E402
from ..reporters.untrusted import masked, visible, visible_lines  # noqa: E402
from ..review import failure  # noqa: E402
from . import audit, baseline, cla, inventory, review, server  # noqa: E402
from .group import _NO_ARGS_IS_HELP, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, cli  # noqa: E402
from .streams import guarded_output  # noqa: E402

__all__ = ["audit", "baseline", "cla", "cli", "inventory", "main", "review", "server"]


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: the one error boundary that turns every failure into an exit code, with every
    byte printed going through the output guard (cli.streams)."""
    with guarded_output(os.environ):
        _main(sys.argv[1:] if argv is None else argv)


def _main(args: list[str]) -> NoReturn:
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
        click.echo(f"contribution-gate: error: {_one_line(exc.format_message())}{hint}", err=True)
        sys.exit(EXIT_USAGE)
    except click.Abort:
        click.echo("contribution-gate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("\ncontribution-gate: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except GateError as exc:
        _traceback(verbose)
        click.echo(f"contribution-gate: error: {_one_line(str(exc))}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        _traceback(verbose)
        click.echo(
            f"contribution-gate: internal error: {visible(failure(exc))} (run with -v for the traceback)", err=True
        )
        sys.exit(EXIT_INTERNAL)


def _traceback(verbose: bool) -> None:
    """With -v, the traceback of the error being handled, masked like every other output."""
    if verbose:
        import traceback

        click.echo(visible_lines(masked(traceback.format_exc())), err=True)


def _one_line(message: str) -> str:
    """An error text, which can quote a file name, a ref or a policy key: secrets masked, one line."""
    return visible(masked(message))
