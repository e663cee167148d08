"""`baseline create` and `baseline audit`: accepted findings, recorded without their values."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import GateError
from .group import cli, progress_line, write_report


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
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def baseline_create(output: Path | None, config_path: Path | None, repo_dir: Path, verbose: bool) -> None:
    """Review every tracked file at HEAD and accept all it finds (inline-allowed ones aside).

    \b
    Keys are keyed hashes of rule and value: no secret, no path and no line number is stored,
    so moving a line does not churn the file. Re-running keeps the file's salt.
    """
    from .. import baseline as accepted
    from ..git import Repository
    from ..policy import Outcome
    from ..session import choose, run

    target = Repository(repo_dir).root / accepted.DEFAULT_PATH if output is None else output
    salt = None
    if target.is_file():
        salt = accepted.parse(target.read_text(encoding="utf-8"), str(target)).salt or None
    result = run(repo_dir, choose(False, None, True), (), config_path, progress_line(), use_baseline=False)
    kept = [j.finding for j in result.review.judged if j.outcome is not Outcome.SUPPRESSED]
    write_report(target, accepted.create(kept, salt))
    click.echo(f"baseline: {len(kept)} finding(s) accepted in {target}; commit it to apply it to reviews")


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
        click.echo(f"{rule:<40} {where}  {entry.get('key', entry.get('hashed_secret', ''))[:16]}")
    click.echo(f"{len(entries)} accepted finding(s) in {path}")
