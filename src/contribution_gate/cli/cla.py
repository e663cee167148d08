"""`check-commit-msg` (the DCO hook) and `cla sign` (an issue_comment workflow's step)."""

from __future__ import annotations

import os
import re
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
    """Contributor License Agreement signatures (CLA Assistant Lite's format), in the repository
    or, with [cla] signatures-repo, in another one through the GitHub API.

    \b
    Examples:
      contribution-gate cla sign --event "$GITHUB_EVENT_PATH" --signatures signatures/cla.json
      GITHUB_TOKEN=... contribution-gate cla sign --event "$GITHUB_EVENT_PATH"   # and re-check the PR
      GITHUB_TOKEN=... GITHUB_REPOSITORY=octo-org/project contribution-gate cla recheck --pr 12
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
    keeping its format and order. Anything else changes nothing and exits 0.

    \b
    Where the file lives: [cla] signatures-repo = "OWNER/NAME" writes it through the
    GitHub contents API (re-read and retried on a conflict, no git push); otherwise the
    file in the working tree is locked, re-read and replaced atomically (commit it after).
    With GITHUB_TOKEN, the phrase or a comment of just `recheck` then checks the pull
    request's CLA again from the API and edits its review comment and the
    contribution-gate/cla status. Writes signed=true|false and signer to $GITHUB_OUTPUT.

    \b
    Examples:
      contribution-gate cla sign --event "$GITHUB_EVENT_PATH"
      contribution-gate cla sign --event event.json --signatures signatures/cla.json
    """
    from ..checks.cla.signatures import DEFAULT_PHRASE
    from ..checks.cla.signing import Outcome, request_of, sign
    from ..checks.cla.store import open_store
    from ..git import Repository
    from ..github.events import read_payload
    from ..model import Target
    from ..session import load_policy
    from .conversation import recheck, say

    if event_path is None and os.environ.get("GITHUB_EVENT_PATH"):
        event_path = Path(os.environ["GITHUB_EVENT_PATH"])
    if event_path is None:
        raise click.UsageError("give --event PATH (the issue_comment event payload)")
    payload = read_payload(event_path)
    repo = Repository(".")
    table = load_policy(repo, Target("staged"), config_path).table("cla")
    store = open_store(table, os.environ, repo.root, signatures_path)
    phrase = str(table.get("phrase", DEFAULT_PHRASE))
    event_name = os.environ.get("GITHUB_EVENT_NAME")
    outcome = sign(payload, event_name, phrase, "", store.name)  # is it a signing comment at all?
    if outcome.signed:  # only a signing comment reads and writes the file, applied again until it holds
        latest: list[Outcome] = []

        def add(text: str) -> str | None:
            latest.append(sign(payload, event_name, phrase, text, store.name))
            return latest[-1].text if latest[-1].signed else None

        store.update(add, f"CLA signed by {outcome.login}")
        outcome = latest[-1]
    if os.environ.get("GITHUB_OUTPUT"):
        try:
            with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
                handle.write(f"signed={'true' if outcome.signed else 'false'}\nsigner={outcome.login or ''}\n")
        except OSError as exc:
            raise GateError(f"cannot write GITHUB_OUTPUT {os.environ['GITHUB_OUTPUT']}: {exc.strerror}") from None
    click.echo(f"contribution-gate: {outcome.message}")
    request = request_of(payload, phrase)
    if request.kind and request.number is not None and table.get("mode") == "cla":
        why = (
            f"`{request.login}` signed the CLA: checked again."
            if request.kind == "sign"
            else f"Checked again at the request of `{request.login}`."
        )
        recheck(table, store, request.number, request.repository, why)
    elif request.kind:
        say('[cla] mode is not "cla" in the policy: no CLA to check again')
    sys.exit(EXIT_PASS)


@cla_group.command("recheck")
@click.option("--pr", "number", type=click.IntRange(min=1), help="The pull request's number.")
@click.option(
    "--event",
    "event_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A pull_request_target (or pull_request, issue_comment) event naming the pull request.",
)
@click.option(
    "--signatures",
    "signatures_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signatures file (default: [cla] signatures, or the file of [cla] signatures-repo).",
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Policy file to use instead of the repository's."
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def cla_recheck(
    number: int | None, event_path: Path | None, signatures_path: Path | None, config_path: Path | None, verbose: bool
) -> None:
    """Check one pull request's CLA again and edit its review comment and status.

    \b
    What a `recheck` comment does, from a maintainer's shell or a `pull_request_target`
    job (which may then write to a pull request from a fork without checking any of it
    out): the pull request's commits come from the API (every page), the policy and the
    signatures from here. Needs GITHUB_TOKEN and GITHUB_REPOSITORY (GITHUB_API_URL for
    GitHub Enterprise Server).

    \b
    Examples:
      GITHUB_REPOSITORY=octo-org/project contribution-gate cla recheck --pr 12
      contribution-gate cla recheck --event "$GITHUB_EVENT_PATH"
    """
    from ..checks.cla.store import open_store
    from ..git import Repository
    from ..model import Target
    from ..session import load_policy
    from .conversation import recheck

    repository = None
    if event_path is not None:
        number, repository = _pull_request_of(event_path)
    if number is None:
        raise click.UsageError("give --pr NUMBER or --event PATH")
    repo = Repository(".")
    table = load_policy(repo, Target("staged"), config_path).table("cla")
    if table.get("mode") != "cla":
        raise GateError('cla recheck needs [cla] mode = "cla" in the policy')
    if not os.environ.get("GITHUB_TOKEN", "").strip() or not (os.environ.get("GITHUB_REPOSITORY") or repository):
        raise GateError("cla recheck talks to GitHub: set GITHUB_TOKEN and GITHUB_REPOSITORY (OWNER/NAME)")
    store = open_store(table, os.environ, repo.root, signatures_path)
    recheck(table, store, number, repository, "Checked again.")
    sys.exit(EXIT_PASS)


def _pull_request_of(event_path: Path) -> tuple[int, str | None]:
    """The pull request number (and repository) an event names."""
    from ..github.events import is_number, read_payload

    payload = read_payload(event_path)
    for key in ("pull_request", "issue"):
        item = payload.get(key)
        if isinstance(item, dict) and is_number(item.get("number")) and item["number"] > 0:
            repository = payload.get("repository")
            name = repository.get("full_name") if isinstance(repository, dict) else None
            valid = isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}", name)
            return int(item["number"]), name if valid else None
    raise GateError(f"{event_path}: the event names no pull request (pull_request.number or issue.number)")
