"""The command line: a thin click layer, and the only module that knows exit codes.

0 pass (warnings allowed), 1 fail, 2 usage/config/git error, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .checks import CHECKS
from .errors import GateError
from .redaction import scrub
from .review import failure

# click >= 8.2 raises this for a group run without a command; older click prints the help itself.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
FORMATS = ("text", "json", "sarif", "markdown", "github")

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


def _output_options(command):  # type: ignore[no-untyped-def]
    """Options every reviewing command shares: formats, outputs, policy, colour, verbosity."""
    for option in reversed(
        [
            click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."),
            click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here; the terminal gets a one-line verdict."),
            click.option("--report", "extra", multiple=True, metavar="FORMAT:PATH", help="Also write a report in another format (repeatable), e.g. sarif:gate.sarif."),
            click.option("--fail-on", type=click.Choice(("error", "warning")), default="error", show_default=True, help="Lowest severity that fails the review."),
            click.option("--check", "only", multiple=True, type=click.Choice(sorted(CHECKS)), help="Run only this check (repeatable)."),
            click.option("--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's."),
            click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too)."),
            click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors."),
            click.option("-C", "--repo", "repo_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Repository to review (default: the current directory)."),
        ]
    ):
        command = option(command)
    return command


@cli.command(help=REVIEW_HELP)
@click.option("--staged", is_flag=True, help="Review the index against HEAD (what `git commit` records).")
@click.option("--range", "range_spec", metavar="BASE..HEAD", help="Review every commit of a range (BASE...HEAD: from the merge base).")
@click.option("--all-files", is_flag=True, help="Review every tracked file at HEAD, as if all of it were added.")
@click.option("--event", "event_path", type=click.Path(dir_okay=False, path_type=Path), help="Review the pull request or push of a GitHub event payload (default under Actions: $GITHUB_EVENT_PATH).")
@_output_options
def review(
    staged: bool,
    range_spec: str | None,
    all_files: bool,
    event_path: Path | None,
    **output: Any,
) -> None:
    from .session import choose

    if sum((staged, bool(range_spec), all_files, event_path is not None)) > 1:
        raise click.UsageError("choose one target: --staged, --range, --all-files or --event")
    if event_path is None and not (staged or range_spec or all_files) and os.environ.get("GITHUB_ACTIONS") == "true":
        event_path = Path(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else None
    if event_path is not None:
        from .events import read_event
        from .git import event_target

        event = read_event(event_path, os.environ.get("GITHUB_EVENT_NAME"))
        _review(lambda repo: event_target(repo, event), long=True, event=event, **output)
    _review(choose(staged, range_spec, all_files), long=bool(range_spec or all_files), **output)


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
@_output_options
def hook(**output: Any) -> None:
    from .git import pre_push_target
    from .session import choose

    env = os.environ
    if env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_REMOTE_NAME"):
        refs = (env.get("PRE_COMMIT_FROM_REF"), env.get("PRE_COMMIT_TO_REF"), env.get("PRE_COMMIT_LOCAL_BRANCH"))
        _review(lambda repo: pre_push_target(repo, *refs), long=True, **output)
    _review(choose(True, None, False), long=False, **output)


def _review(
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
) -> NoReturn:
    """Run one review, print and write its reports, and exit with its verdict."""
    from .reporters import REPORTERS
    from .reporters.common import summary_line
    from .session import run

    extras = [_format_and_path(spec) for spec in extra]
    result = run(repo_dir, target_of, only, config_path, _progress() if long else None, fail_on, event=event)
    for warning in result.warnings:
        click.echo(f"contribution-gate: warning: {warning}", err=True)
    for name, path in extras:
        _write(path, REPORTERS[name](result.review, False))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from .actions import publish

        publish(result.review, os.environ)
    rendered = REPORTERS[fmt](result.review, fmt == "text" and output is None and _wants_color(no_color, sys.stdout))
    if output is not None:
        _write(output, rendered)
        click.echo(f"{summary_line(result.review)} (report: {output})")
    else:
        click.echo(rendered, nl=False)
    sys.exit(EXIT_PASS if result.review.passed else EXIT_FAIL)


def _format_and_path(spec: str) -> tuple[str, Path]:
    name, sep, path = spec.partition(":")
    if not sep or not path or name not in FORMATS:
        raise click.UsageError(f"--report {spec!r}: give FORMAT:PATH with FORMAT one of {', '.join(FORMATS)}")
    return name, Path(path)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GateError(f"cannot write the report to {path}: {exc.strerror}: choose a writable path") from None


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
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write it (default: .contribution-gate-baseline.json at the top of the repository).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's.")
@click.option("-C", "--repo", "repo_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Repository (default: the current directory).")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def baseline_create(output: Path | None, config_path: Path | None, repo_dir: Path, verbose: bool) -> None:
    """Review every tracked file at HEAD and accept all it finds (inline-allowed ones aside).

    \b
    Keys are keyed hashes of rule and value: no secret, no path and no line number is stored,
    so moving a line does not churn the file. Re-running keeps the file's salt.
    """
    from . import baseline as accepted
    from .git import Repository
    from .policy import Outcome
    from .session import choose, run

    target = Repository(repo_dir).root / accepted.DEFAULT_PATH if output is None else output
    salt = None
    if target.is_file():
        salt = accepted.parse(target.read_text(encoding="utf-8"), str(target)).salt or None
    result = run(repo_dir, choose(False, None, True), (), config_path, _progress(), use_baseline=False)
    kept = [j.finding for j in result.review.judged if j.outcome is not Outcome.SUPPRESSED]
    _write(target, accepted.create(kept, salt))
    click.echo(f"baseline: {len(kept)} finding(s) accepted in {target}; commit it to apply it to reviews")


@baseline.command("audit")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path(".contribution-gate-baseline.json"))
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def baseline_audit(path: Path, verbose: bool) -> None:
    """List what a baseline accepts (ours or a detect-secrets one): check, rule, where first seen.

    \b
    Example:
      contribution-gate baseline audit .contribution-gate-baseline.json
    """
    from . import baseline as accepted

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(f"cannot read the baseline {path}: {exc.strerror}: create one with `contribution-gate baseline create`") from None
    entries = accepted.parse(text, str(path)).entries
    for entry in entries:
        where = entry.get("path") or entry.get("filename", "?")
        rule = f"{entry.get('check', 'secrets')}/{entry.get('rule') or entry.get('type', '?')}"
        click.echo(f"{rule:<40} {where}  {entry.get('key', entry.get('hashed_secret', ''))[:16]}")
    click.echo(f"{len(entries)} accepted finding(s) in {path}")


@cli.command("check-commit-msg")
@click.argument("message_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def check_commit_msg(message_file: Path, config_path: Path | None, verbose: bool) -> None:
    """Check a commit message being written (the commit-msg hook) for a DCO sign-off.

    \b
    Only when the policy asks for it ([cla] mode = "dco", or no mode and a
    .github/dco.yml); the sign-off must name the author or committer git will
    record (`git var GIT_AUTHOR_IDENT`). Authors matching [cla] allow-authors pass.

    \b
    Examples:
      contribution-gate check-commit-msg .git/COMMIT_EDITMSG
      git commit -s        # adds the sign-off this checks for
    """
    from . import signoff
    from .checks import cla
    from .cla_inputs import DCO_FILE
    from .git import Repository
    from .model import Target
    from .session import load_policy, policy_source

    repo = Repository(".")
    target = Target("commit-msg")
    config = load_policy(repo, target, config_path)
    table = config.table("cla")
    mode, _ = cla.mode_of(table, policy_source(repo, target)[0](DCO_FILE) is not None)
    if mode != "dco" or "cla" not in config.enabled:
        sys.exit(EXIT_PASS)
    try:
        raw = message_file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise GateError(f"cannot read the commit message {message_file}: {exc.strerror}") from None
    message = signoff.as_recorded(raw, repo.comment_char())
    people = [signoff.parse_ident(repo.identity(v)) for v in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")]
    known = [p for p in people if p is not None]
    if not signoff.needs_signoff(message) or signoff.is_signed_by(message, *known):
        sys.exit(EXIT_PASS)
    author = people[0]
    if author is not None and cla.options(table).allowed(author.email, (cla.noreply(author.email) or (None,))[0]):
        sys.exit(EXIT_PASS)
    who = known[0] if known else "you"
    click.echo(
        f"contribution-gate: the commit message has no DCO sign-off by {who}: commit with `git commit -s` "
        f"(or add the line `Signed-off-by: {who}`)",
        err=True,
    )
    sys.exit(EXIT_FAIL)


@cli.group("cla")
def cla_group() -> None:
    """Contributor License Agreement signatures kept in the repository (CLA Assistant Lite's format).

    \b
    Examples:
      contribution-gate cla sign --event "$GITHUB_EVENT_PATH" --signatures signatures/cla.json
    """


@cla_group.command("sign")
@click.option("--event", "event_path", type=click.Path(dir_okay=False, path_type=Path), help="The issue_comment event payload (default under Actions: $GITHUB_EVENT_PATH).")
@click.option("--signatures", "signatures_path", type=click.Path(dir_okay=False, path_type=Path), help="The signatures file to update (default: [cla] signatures, else signatures/version1/cla.json).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def cla_sign(event_path: Path | None, signatures_path: Path | None, config_path: Path | None, verbose: bool) -> None:
    """Record the commenter's signature when a pull-request comment is the signing phrase.

    \b
    For an `on: issue_comment` workflow that checks out the default branch (never the
    contribution): a new comment whose whole text is the phrase ([cla] phrase, default
    "I have read the CLA Document and I hereby sign the CLA") appends its author
    (login, id, comment id, time, repository id, pull request number) to the file, once,
    keeping its format and order; commit the file afterwards. Anything else changes
    nothing and exits 0. Writes signed=true|false to $GITHUB_OUTPUT when set.
    """
    from .cla_sign import sign
    from .events import read_payload
    from .git import Repository
    from .model import Target
    from .session import load_policy
    from .signatures import DEFAULT_PATH, DEFAULT_PHRASE

    if event_path is None and os.environ.get("GITHUB_EVENT_PATH"):
        event_path = Path(os.environ["GITHUB_EVENT_PATH"])
    if event_path is None:
        raise click.UsageError("give --event PATH (the issue_comment event payload)")
    payload = read_payload(event_path)
    repo = Repository(".")
    table = load_policy(repo, Target("staged"), config_path).table("cla")
    configured = str(table.get("signatures", DEFAULT_PATH))
    target, shown = (signatures_path, str(signatures_path)) if signatures_path else (repo.root / configured, configured)
    try:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"cannot read the signatures file {shown}: {getattr(exc, 'strerror', None) or exc}") from None
    outcome = sign(payload, os.environ.get("GITHUB_EVENT_NAME"), str(table.get("phrase", DEFAULT_PHRASE)), current, shown)
    if outcome.signed and outcome.text is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, outcome.text)
    if os.environ.get("GITHUB_OUTPUT"):
        try:
            with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
                handle.write(f"signed={'true' if outcome.signed else 'false'}\nsigner={outcome.login or ''}\n")
        except OSError as exc:
            raise GateError(f"cannot write GITHUB_OUTPUT {os.environ['GITHUB_OUTPUT']}: {exc.strerror}") from None
    click.echo(f"contribution-gate: {outcome.message}")
    sys.exit(EXIT_PASS)


@cli.command()
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write it (default: aibom.cdx.json at the top of the repository; - for stdout).")
@click.option("-C", "--repo", "repo_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Repository (default: the current directory).")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def aibom(output: Path | None, repo_dir: Path, verbose: bool) -> None:
    """Write the AI bill of materials: every model, dataset and model-code file, as CycloneDX 1.6.

    \b
    Files are recognised by content; each component has its path, sha256, format, size,
    license (from the model card or license file), base_model lineage and a modelCard.
    With [models] require-aibom = true, a change to a model file must update it.

    \b
    Examples:
      contribution-gate aibom                          # writes aibom.cdx.json
      contribution-gate aibom --output - | jq .components
    """
    from . import aibom as bom
    from .git import Repository

    repo = Repository(repo_dir)
    items = bom.inventory(repo.root, repo.tracked(), repo.lfs_object)
    document = bom.build(items, repo.root.name)
    if output is not None and str(output) == "-":
        click.echo(document, nl=False)
        sys.exit(EXIT_PASS)
    target = output or repo.root / bom.DEFAULT_PATH
    _write(target, document)
    counts = {role: sum(1 for i in items if i.role == role) for role in ("model", "data", "code")}
    click.echo(f"aibom: {counts['model']} model(s), {counts['data']} dataset file(s), {counts['code']} model-code file(s) in {target}")
    sys.exit(EXIT_PASS)


@cli.command("licenses")
@click.option("--staged", is_flag=True, help="The index against HEAD.")
@click.option("--range", "range_spec", metavar="BASE..HEAD", help="Every commit of a range (BASE...HEAD: from the merge base).")
@click.option("--all-files", is_flag=True, help="Every tracked file at HEAD.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the inventory here; the terminal gets a one-line summary.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's.")
@click.option("-C", "--repo", "repo_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Repository (default: the current directory).")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def licenses_inventory(
    staged: bool, range_spec: str | None, all_files: bool, fmt: str, output: Path | None,
    config_path: Path | None, repo_dir: Path, verbose: bool,
) -> None:
    """List every license a change adds: file, expression, class, where it came from, verdict.

    \b
    The same detection and judgement as the review's licenses check (SPDX lines,
    manifests, model cards, license texts and notices), with passes listed too.
    Exits 1 when a license the project cannot take is found, else 0.

    \b
    Examples:
      contribution-gate licenses --all-files              # the whole tree, for an audit
      contribution-gate licenses --range origin/main..HEAD --format json --output licenses.json
    """
    from .license_inventory import build, render, summary
    from .session import choose

    if sum((staged, bool(range_spec), all_files)) > 1:
        raise click.UsageError("choose one target: --staged, --range or --all-files")
    inventory = build(repo_dir, choose(staged, range_spec, all_files), config_path)
    rendered = render(inventory, fmt)
    if output is not None:
        _write(output, rendered)
        click.echo(f"{summary(inventory)} (inventory: {output})")
    else:
        click.echo(rendered, nl=False)
    sys.exit(EXIT_FAIL if inventory.failed else EXIT_PASS)


@cli.command()
@click.option("--no-color", is_flag=True, help="No colours (NO_COLOR is honoured too).")
def demo(no_color: bool) -> None:
    """Build a throw-away repository with a sample contribution and review it.

    \b
    Example:
      contribution-gate demo      # prints the review and where the repository is
    """
    from .demo import build_demo_repository
    from .session import choose, run

    where = build_demo_repository()
    click.echo(f"Demo repository with a staged sample contribution: {where}\n")
    result = run(where, choose(True, None, False))
    from .reporters.text import render

    click.echo(render(result.review, _wants_color(no_color, sys.stdout)), nl=False)
    click.echo(f"\nLook around: cd {where} && git diff --cached; then run `contribution-gate review` there.")
    sys.exit(EXIT_PASS if result.review.passed else EXIT_FAIL)


def _wants_color(no_color: bool, stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return not no_color and "NO_COLOR" not in os.environ and bool(isatty and isatty())


def _progress() -> Any:
    """A progress line on stderr for long reviews, only when stderr is a terminal."""
    if not sys.stderr.isatty():
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
    except Exception as exc:  # noqa: BLE001 - the boundary: never a bare traceback
        _traceback(verbose)
        click.echo(f"contribution-gate: internal error: {failure(exc)} (run with -v for the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)


def _traceback(verbose: bool) -> None:
    """With -v, the traceback of the error being handled, masked like every other output."""
    if verbose:
        import traceback

        click.echo(scrub(traceback.format_exc(), limit=None, opaque_tokens=False), err=True)
