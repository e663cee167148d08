"""`baseline create` and `baseline audit`: accepted findings, recorded without their values."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import GateError
from ..wording import plural
from .group import EXIT_FAIL, cli, progress_line


@cli.group()
def baseline() -> None:
    """Accept today's findings so adopting the gate does not block on old debt.

    \b
    Examples:
      contribution-gate baseline create                # review --all-files, accept what it finds
      contribution-gate baseline audit                 # list what the baseline accepts
      git add .contribution-gate-baseline.json
    """


@baseline.command("create")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: .contribution-gate-baseline.json at the top of the repository).",
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's."
)
@click.option(
    "-C",
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Repository (default: the current directory).",
)
@click.option("--force", is_flag=True, help="Replace the output file even when it is not a contribution-gate baseline.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def baseline_create(output: Path | None, config_path: Path | None, repo_dir: Path, force: bool, verbose: bool) -> None:
    """Review every tracked file at HEAD and accept all it finds (inline-allowed ones aside).

    \b
    Keys are keyed hashes of rule and value: no secret and no line number is stored, so
    moving a line does not churn the file. A secret is accepted anywhere; any other finding
    only in its file (its path is recorded). Re-running keeps the file's salt. A file that
    is not a contribution-gate baseline (a detect-secrets .secrets.baseline) is never
    replaced without --force, and nothing is written when a check fails to run.
    """
    from .. import baseline as accepted
    from ..files import write_atomically
    from ..git import Repository
    from ..policy import Outcome
    from ..session import choose, run

    target = Repository(repo_dir).root / accepted.DEFAULT_PATH if output is None else output
    salt = None if force else _salt_of(target)
    result = run(repo_dir, choose(False, None, True), (), config_path, progress_line(), use_baseline=False)
    for warning in result.warnings:
        click.echo(f"contribution-gate: warning: {warning}", err=True)
    if result.review.errors:
        for check in result.review.errors:
            click.echo(f"contribution-gate: error: the {check.name} check failed: {check.error}", err=True)
        click.echo(
            f"contribution-gate: baseline not written: a failed check's findings would be missing from {target}",
            err=True,
        )
        sys.exit(EXIT_FAIL)
    kept = [j.finding for j in result.review.judged if j.outcome is not Outcome.SUPPRESSED]
    write_atomically(target, accepted.create(kept, salt))
    click.echo(f"baseline: {plural(len(kept), 'finding')} accepted in {target}; commit it to apply it to reviews")


def _salt_of(target: Path) -> str | None:
    """The salt of the baseline `target` holds (kept across re-creation), or None when there is no
    file; a file that is not ours is refused."""
    from .. import baseline as accepted

    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise GateError(f"cannot read {target} ({reason}): choose another --output, or pass --force") from None
    if not accepted.is_ours(text):
        raise GateError(
            f"{target} exists and is not a contribution-gate baseline (a detect-secrets baseline?): "
            "choose another --output, or pass --force to replace it"
        )
    return accepted.parse(text, str(target)).salt or None


@baseline.command("audit")
@click.argument(
    "path", type=click.Path(dir_okay=False, path_type=Path), default=Path(".contribution-gate-baseline.json")
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def baseline_audit(path: Path, verbose: bool) -> None:
    """List what a baseline accepts (ours or a detect-secrets one): check, rule, where first seen.

    \b
    Example:
      contribution-gate baseline audit .contribution-gate-baseline.json
    """
    from .. import baseline as accepted

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(
            f"cannot read the baseline {path}: {exc.strerror}: create one with `contribution-gate baseline create`"
        ) from None
    entries = accepted.parse(text, str(path)).entries
    for entry in entries:
        where = entry.get("path") or entry.get("filename", "?")
        rule = f"{entry.get('check', 'secrets')}/{entry.get('rule') or entry.get('type', '?')}"
        click.echo(f"{rule:<40} {where}  {str(entry.get('key', entry.get('hashed_secret', '')))[:16]}")
    click.echo(f"{plural(len(entries), 'accepted finding')} in {path}")
