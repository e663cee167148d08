"""`check-commit-msg` (the DCO hook) and `cla sign` (an issue_comment workflow's step)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import GateError
from .group import EXIT_FAIL, EXIT_PASS, cli


@cli.command("check-commit-msg")
@click.argument("message_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's."
)
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
    from ..checks.cla import settings, signoff
    from ..checks.cla.inputs import DCO_FILE
    from ..git import Repository
    from ..model import Target
    from ..session import load_policy, policy_source

    repo = Repository(".")
    target = Target("commit-msg")
    config = load_policy(repo, target, config_path)
    table = config.table("cla")
    mode, _ = settings.mode_of(table, policy_source(repo, target)[0](DCO_FILE) is not None)
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
    if author is not None and settings.options(table).allowed(
        author.email, (settings.noreply(author.email) or (None,))[0]
    ):
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
@click.option(
    "--event",
    "event_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The issue_comment event payload (default under Actions: $GITHUB_EVENT_PATH).",
)
@click.option(
    "--signatures",
    "signatures_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signatures file to update (default: [cla] signatures, else signatures/version1/cla.json).",
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's."
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def cla_sign(event_path: Path | None, signatures_path: Path | None, config_path: Path | None, verbose: bool) -> None:
    """Record the commenter's signature when a pull-request comment is the signing phrase.

    \b
    For an `on: issue_comment` workflow that checks out the default branch (never the
    contribution): a new comment whose whole text is the phrase ([cla] phrase, default
    "I have read the CLA Document and I hereby sign the CLA") appends its author
    (login, id, comment id, time, repository id, pull request number) to the file, once,
    keeping its format and order; commit the file afterwards. Anything else changes
    nothing and exits 0. Concurrent runs on one file each keep their signature (the file is
    locked, re-read and replaced atomically). Writes signed=true|false to $GITHUB_OUTPUT when set.
    """
    from ..checks.cla.signatures import DEFAULT_PATH, DEFAULT_PHRASE
    from ..checks.cla.signing import sign
    from ..files import locked, write_atomically
    from ..git import Repository
    from ..github.events import read_payload
    from ..model import Target
    from ..session import load_policy

    if event_path is None and os.environ.get("GITHUB_EVENT_PATH"):
        event_path = Path(os.environ["GITHUB_EVENT_PATH"])
    if event_path is None:
        raise click.UsageError("give --event PATH (the issue_comment event payload)")
    payload = read_payload(event_path)
    repo = Repository(".")
    table = load_policy(repo, Target("staged"), config_path).table("cla")
    configured = str(table.get("signatures", DEFAULT_PATH))
    target, shown = (signatures_path, str(signatures_path)) if signatures_path else (repo.root / configured, configured)
    phrase = str(table.get("phrase", DEFAULT_PHRASE))
    event_name = os.environ.get("GITHUB_EVENT_NAME")
    outcome = sign(payload, event_name, phrase, _read(target, shown), shown)
    if outcome.signed:  # only a signing comment touches the file: under a lock, re-read, written whole
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GateError(f"cannot create the directory of {shown}: {exc.strerror or exc}") from None
        with locked(target):
            outcome = sign(payload, event_name, phrase, _read(target, shown), shown)
            if outcome.signed and outcome.text is not None:
                write_atomically(target, outcome.text)
    if os.environ.get("GITHUB_OUTPUT"):
        try:
            with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
                handle.write(f"signed={'true' if outcome.signed else 'false'}\nsigner={outcome.login or ''}\n")
        except OSError as exc:
            raise GateError(f"cannot write GITHUB_OUTPUT {os.environ['GITHUB_OUTPUT']}: {exc.strerror}") from None
    click.echo(f"contribution-gate: {outcome.message}")
    sys.exit(EXIT_PASS)


def _read(target: Path, shown: str) -> str:
    """The signatures file's text ("" before the first signature)."""
    try:
        return target.read_text(encoding="utf-8") if target.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"cannot read the signatures file {shown}: {getattr(exc, 'strerror', None) or exc}") from None
