"""What `review --pr-comment/--commit-status`, `cla sign` and `cla recheck` post on a pull request.

Only messages and wiring live here; `github.conversation` decides what the comment and statuses
say. Nothing here changes an exit code: every API problem is a warning on stderr.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import click

from ..reporters.untrusted import masked, visible_lines


def say(message: str) -> None:
    click.echo(f"contribution-gate: {visible_lines(masked(message))}", err=True)


def warn(message: str) -> None:
    click.echo(f"contribution-gate: warning: {visible_lines(masked(message))}", err=True)


def client_for(environ: Mapping[str, str], repository: str | None) -> Any:
    """A REST client with GITHUB_TOKEN, or None without a token (then nothing is posted)."""
    from ..github.rest import Client

    token = environ.get("GITHUB_TOKEN", "").strip()
    repository = environ.get("GITHUB_REPOSITORY") or repository
    if not token or not repository:
        return None
    return Client.from_environ(environ, repository, token)


def review_publisher(event: Any, comment: bool, status: bool) -> Callable[[Any], None] | None:
    """The step run after a review of `event` that posts its comment and statuses."""
    if not (comment or status):
        return None
    from ..github.rest import timeout_from

    environ = dict(os.environ)
    timeout_from(environ)  # a bad CONTRIBUTION_GATE_API_TIMEOUT is a usage error before the review, not after

    def publish(review: Any) -> None:
        from ..github.conversation import publish as post
        from ..github.conversation import review_plan

        if event is None or event.number is None:
            warn("--pr-comment and --commit-status need a pull_request event (--event): nothing posted")
            return
        client = client_for(environ, event.repository)
        if client is None and not environ.get("GITHUB_TOKEN", "").strip():
            pass  # `post` says so and prints what it would post
        elif client is None:
            warn("no GITHUB_REPOSITORY and the event names no repository: nothing posted")
            return
        post(review_plan(review, event.number, event.head, environ), client, comment, status, say, warn, environ)

    return publish


def recheck(table: Mapping[str, Any], store: Any, number: int, repository: str | None, why: str) -> None:
    """Check the pull request's CLA again from the API and update its comment and statuses."""
    from ..checks.cla.recheck import recheck as check_again
    from ..github import comments
    from ..github.conversation import publish, recheck_plan
    from ..github.rest import ApiError

    environ = dict(os.environ)
    client = client_for(environ, repository)
    if client is None:
        warn(f"GITHUB_TOKEN or GITHUB_REPOSITORY is not set, so pull request #{number} is not checked again")
        return
    try:
        result = check_again(table, client, number, store.read(), store.name)
        sticky = comments.find(client, number)
    except ApiError as exc:
        warn(f"could not check pull request #{number} again: {exc}: the token needs pull-requests: read")
        return
    if not result.complete:
        why += " GitHub lists only the first 250 commits of a pull request: the review run checks the rest."
    plan = recheck_plan(result.summary, result.passed, number, result.head, sticky, environ, why)
    pending = ", ".join(p.name for p in result.summary.pending)
    say(f"pull request #{number}: CLA {'passes' if result.passed else 'still missing from ' + (pending or '?')}")
    publish(plan, client, True, True, say, warn, environ, existing=sticky)
