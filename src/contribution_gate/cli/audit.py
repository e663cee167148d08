"""`audit`: many repositories reviewed at once (`audit run`, the default), `audit status`, `audit merge`.

Only click is imported here: the audit package (and Ray) load when an audit command runs, never on
the pre-commit path.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..checks import CHECKS
from .group import EXIT_FAIL, EXIT_PASS, cli, wants_color

AUDIT_HELP = """Review many repositories at once: an organisation's, before open-sourcing or nightly.

\b
TARGET is a local repository (a clone, a bare or a mirror one), a clone URL
(https, ssh, file://), @FILE (one target a line) or github:ORG (the
organisation's repositories through the REST API, with GITHUB_TOKEN).
Everything is kept in --out DIR: the plan, one result per unit, and the merged
reports audit.json, audit.sarif and audit.md. Running the same command again
resumes: finished units are skipped, unfinished ones reviewed.

\b
Examples:
  contribution-gate audit ~/src/* --out audit/                  # every tracked file at HEAD
  contribution-gate audit github:my-org --out audit/ --workers 4
  contribution-gate audit @repos.txt --scope history --out audit/
  contribution-gate audit github:my-org --out audit/ --since-last   # nightly: new commits only
  contribution-gate audit @repos.txt --out part/ --shard 2/8        # one job of a CI matrix
  contribution-gate audit @repos.txt --out audit/ --engine ray --address auto
  contribution-gate audit status audit/
  contribution-gate audit merge part-*/ --out final/

\b
Exit codes: 0 every repository passed, 1 a repository failed or a unit is still
an error after its retries (or was not reviewed), 2 usage, config or git error,
3 internal error, 130 interrupted (the results already written are kept).
"""


class _DefaultRun(click.Group):
    """`audit TARGET...` is `audit run TARGET...`; `audit status` and `audit merge` are commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DefaultRun, help=AUDIT_HELP)
def audit() -> None:
    pass


def _positive(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value < 0:
        raise click.BadParameter("must be 0 or more")
    return value


@audit.command("run", help=AUDIT_HELP)
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The audit directory (its whole state).",
)
@click.option(
    "--scope",
    type=click.Choice(("tree", "history")),
    default="tree",
    show_default=True,
    help="tree: every tracked file at HEAD; history: every commit reachable from HEAD, the root included.",
)
@click.option(
    "--engine",
    type=click.Choice(("local", "ray")),
    default="local",
    show_default=True,
    help="local: worker processes on this machine; ray: a Ray cluster (the [ray] extra).",
)
@click.option(
    "--workers",
    type=int,
    default=0,
    callback=_positive,
    help="Workers (local default: CPUs, at most one per 1.5 GB free; ray: the cluster's CPUs).",
)
@click.option("--address", help="Ray cluster address (auto, ray://host:10001); default: start a local Ray.")
@click.option(
    "--check", "only", multiple=True, type=click.Choice(sorted(CHECKS)), help="Run only this check (repeatable)."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="One policy for every repository, instead of each reviewed commit's own.",
)
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning")),
    default="error",
    show_default=True,
    help="Lowest severity that fails a repository.",
)
@click.option(
    "--retries",
    type=int,
    default=2,
    show_default=True,
    callback=_positive,
    help="Attempts after the first for a unit whose worker died, timed out or hit a git error.",
)
@click.option(
    "--unit-timeout",
    type=float,
    default=3600.0,
    show_default=True,
    help="Seconds one unit may take before its worker is stopped (0: no limit).",
)
@click.option("--shard", "shard_spec", metavar="K/N", help="Review only share K of N of the plan (a CI matrix job).")
@click.option("--since-last", is_flag=True, help="Plan again: only the new commits of repositories whose head moved.")
@click.option(
    "--slice-commits",
    type=int,
    default=50_000,
    show_default=True,
    help="History scope: cut longer histories into units of about this many commits.",
)
@click.option("--plan-only", is_flag=True, help="Write plan.json and stop (the plan job of a CI matrix).")
@click.option("--force", is_flag=True, help="Plan again and review every unit, finished or not.")
@click.option("--include-archived", is_flag=True, help="github:ORG: audit archived repositories too.")
@click.option("--include-forks", is_flag=True, help="github:ORG: audit forks too.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where clone URLs are mirrored (default: DIR/mirrors).",
)
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def run_command(
    targets: tuple[str, ...],
    out: Path,
    scope: str,
    engine: str,
    workers: int,
    address: str | None,
    only: tuple[str, ...],
    config_path: Path | None,
    fail_on: str,
    retries: int,
    unit_timeout: float,
    shard_spec: str | None,
    since_last: bool,
    slice_commits: int,
    plan_only: bool,
    force: bool,
    include_archived: bool,
    include_forks: bool,
    cache: Path | None,
    no_color: bool,
    verbose: bool,
) -> None:
    from ..audit.driver import Options, run
    from ..audit.units import parse_shard

    if slice_commits < 1:
        raise click.UsageError("--slice-commits must be 1 or more")
    if unit_timeout < 0:
        raise click.UsageError("--unit-timeout must be 0 (no limit) or more")
    try:
        shard = parse_shard(shard_spec) if shard_spec else None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    _forget_hook_repository()
    options = Options(
        targets, out, scope, engine, workers, address, only, config_path, fail_on, retries,
        unit_timeout or None, shard, since_last, slice_commits, force, plan_only,
        include_archived, include_forks, cache,
    )  # fmt: skip
    outcome = run(options, _progress_stream())
    if plan_only:
        click.echo(
            f"planned {len(outcome.mine)} units of {outcome.merged['totals']['repositories']} repositories: {out / 'plan.json'}"
        )
        sys.exit(EXIT_PASS)
    _print_summary(
        outcome.merged,
        out,
        wants_color(no_color, sys.stdout),
        f"reviewed {outcome.reviewed}, skipped {outcome.skipped} finished",
    )
    sys.exit(EXIT_PASS if outcome.passed else EXIT_FAIL)


@audit.command("status")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the merged audit as JSON.")
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def status_command(directory: Path, as_json: bool, no_color: bool) -> None:
    """Show an audit's units (done, failed, errors, pending) from its files; nothing is reviewed.

    \b
    Examples:
      contribution-gate audit status audit/
      contribution-gate audit status audit/ --json | jq .totals
    Exit codes: 0 complete and passing, 1 otherwise, 2 no audit there.
    """
    from ..audit.driver import status

    merged = status(directory)
    if as_json:
        import json

        click.echo(json.dumps(merged, indent=1, ensure_ascii=False))
    else:
        _print_summary(merged, directory, wants_color(no_color, sys.stdout), None)
    sys.exit(EXIT_PASS if merged["verdict"] == "pass" else EXIT_FAIL)


@audit.command("merge")
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Where the merged audit goes."
)
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def merge_command(directories: tuple[Path, ...], out: Path, no_color: bool) -> None:
    """Join the results of CI shards (or of several runs of one plan) and rebuild the reports.

    \b
    Example (the merge job of a matrix):
      contribution-gate audit merge part-*/ --out final/
      cat final/audit.md >> "$GITHUB_STEP_SUMMARY"
    Exit codes: 0 every unit reviewed and passing, 1 otherwise (a missing unit fails).
    """
    from ..audit.driver import merge_dirs

    merged = merge_dirs(directories, out)
    _print_summary(merged, out, wants_color(no_color, sys.stdout), None)
    sys.exit(EXIT_PASS if merged["verdict"] == "pass" else EXIT_FAIL)


def _forget_hook_repository() -> None:
    """An audit names its repositories: a GIT_DIR or index of the shell it runs in must not redirect it."""
    for name in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
    ):
        os.environ.pop(name, None)


def _progress_stream() -> Any:
    if not sys.stderr.isatty():
        return None
    from .streams import unguarded

    return unguarded(sys.stderr)


def _print_summary(merged: dict[str, Any], out: Path, color: bool, tail: str | None) -> None:
    from ..reporters.untrusted import visible

    totals = merged["totals"]
    styles = {"pass": "green", "fail": "red", "error": "red", "pending": "yellow", "incomplete": "yellow"}
    failing = [r for r in merged["repos"] if r["verdict"] != "pass"]
    for repo in failing[:20]:
        counts = ", ".join(f"{name} {sum(c.values())}" for name, c in repo["counts_by_check"].items() if c)
        reason = repo["errors"][0]["message"] if repo["errors"] else counts
        line = f"  {repo['verdict']:<7} {visible(repo['slug'])}" + (f": {visible(reason)}" if reason else "")
        click.echo(click.style(line[:200], fg=styles[repo["verdict"]]) if color else line[:200])
    if len(failing) > 20:
        click.echo(f"  ... and {len(failing) - 20} more (see {out / 'audit.md'})")
    verdict = merged["verdict"]
    head = f"audit {verdict}" if not color else click.style(f"audit {verdict}", fg=styles[verdict], bold=True)
    click.echo(
        f"{head}: {totals['repositories']} repositories ({totals['repositories_failed']} failing), "
        f"{totals['units']} units: {totals['pass']} pass, {totals['fail']} fail, {totals['error']} error, "
        f"{totals['pending']} pending" + (f"; {tail}" if tail else "")
    )
    click.echo(f"reports: {out / 'audit.json'}, {out / 'audit.sarif'}, {out / 'audit.md'}")
