"""Commit statuses on a pull request's head: `contribution-gate` and `contribution-gate/cla`.

`POST /repos/{o}/{r}/statuses/{sha}` with `state` (`success`, `failure`, `error`, `pending`), a
`context` that names it (a later status of the same context replaces it on the pull request), a
one-line `description` and, under Actions, a `target_url` to the run that decided it. A status is a
check a branch rule can require, and unlike a job it can be turned green by the signing job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .rest import Client

CONTEXT = "contribution-gate"
CLA_CONTEXT = "contribution-gate/cla"
STATES = ("success", "failure", "error", "pending")
DESCRIPTION_LIMIT = 140  # GitHub refuses a longer description


@dataclass(frozen=True)
class Status:
    context: str
    state: str
    description: str


def one_line(text: str) -> str:
    """The description: one line, at most 140 characters, secrets masked (statuses are public)."""
    from ..reporters.untrusted import masked, visible

    flat = visible(masked(" ".join(text.split())))
    return flat if len(flat) <= DESCRIPTION_LIMIT else flat[: DESCRIPTION_LIMIT - 1] + "…"


def run_url(environ: Mapping[str, str]) -> str | None:
    """The Actions run that set the status, from GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID."""
    server, repository, run = (environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    if server.startswith("https://") and repository.count("/") == 1 and run.isdigit():
        return f"{server.rstrip('/')}/{repository}/actions/runs/{run}"
    return None


def post(client: Client, sha: str, status: Status, target_url: str | None = None) -> None:
    body = {"state": status.state, "context": status.context, "description": one_line(status.description)}
    if target_url:
        body["target_url"] = target_url
    client.request("POST", client.repo_path(f"statuses/{sha}"), body)
