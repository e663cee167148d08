"""`github:ORG`: an organisation's repositories, listed through the GitHub REST API.

`GET /orgs/{org}/repos?type=all&per_page=100`, every page followed through the `Link` header
(github/api.py), with GITHUB_TOKEN; GITHUB_API_URL names the server (GitHub Enterprise Server
too). Archived and forked repositories are skipped unless asked for; disabled ones always are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import GateError

_ORG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


@dataclass(frozen=True)
class Listed:
    clone_url: str
    full_name: str
    size_kb: float


def list_repositories(
    org: str, environ: Mapping[str, str], include_archived: bool = False, include_forks: bool = False
) -> list[Listed]:
    """The organisation's repositories to audit, in the API's order."""
    if not _ORG.fullmatch(org):
        raise GateError(f"github:{org}: not an organisation name (letters, digits and hyphens)")
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise GateError(f"github:{org}: set GITHUB_TOKEN to a token that can list the organisation's repositories")
    from ..github.api import DEFAULT_URL, Api

    api = Api(token, org, environ.get("GITHUB_API_URL") or DEFAULT_URL)
    found = []
    try:
        for item in api.pages(f"/orgs/{quote(org)}/repos?type=all&per_page=100"):
            listed = _listed(item, include_archived, include_forks)
            if listed is not None:
                found.append(listed)
    except GateError as exc:
        raise GateError(f"github:{org}: listing its repositories failed: {exc}") from None
    return found


def _listed(item: Any, include_archived: bool, include_forks: bool) -> Listed | None:
    if not isinstance(item, dict):
        return None
    if item.get("disabled") or (item.get("archived") and not include_archived):
        return None
    if item.get("fork") and not include_forks:
        return None
    url, name = item.get("clone_url"), item.get("full_name")
    if not isinstance(url, str) or not isinstance(name, str) or urlsplit(url).scheme not in ("https", "ssh", "file"):
        return None
    if urlsplit(url).username or urlsplit(url).password:
        return None  # a clone URL with credentials in it is not one the API gives
    size = item.get("size")
    return Listed(url, name, float(size) if isinstance(size, (int, float)) else 0.0)
