"""The cla check's policy: `[cla]` read into `Options`, and what the session loads for it (`Inputs`).

The check's face (`checks/cla/__init__.py`), its DCO and CLA halves and the session's loader all
import these from here, so no part of the check imports the face back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...github.api import Account
from ...model import NO_SETUP, Setup
from .signatures import DEFAULT_PATH, DEFAULT_PHRASE, Signature

ID = "cla"
MODES = ("off", "dco", "cla")
Lookup = Callable[[Sequence[str]], Mapping[str, "Account | None"]]
_NOREPLY = re.compile(
    r"(?i)^(?:(?P<id>\d+)\+)?(?P<login>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\[bot\])?)@users\.noreply\.github\.com$"
)


@dataclass(frozen=True)
class DcoFile:
    """What `.github/dco.yml` says, in the DCO app's terms."""

    require_members: bool = True
    individual: bool = False  # allowRemediationCommits.individual
    third_party: bool = False  # allowRemediationCommits.thirdParty (needs individual too)


@dataclass(frozen=True)
class Inputs:
    """What the session loads for this check from the base commit, the event and the API."""

    dco_file: DcoFile | None = None
    signatures: tuple[Signature, ...] = ()
    signatures_source: str = DEFAULT_PATH
    pr_author: Account | None = None
    members: frozenset[str] = frozenset()  # logins the event says are members (lower case)
    lookup: Lookup | None = None  # sha -> account, only when GITHUB_TOKEN is set


@dataclass(frozen=True)
class Corporation:
    name: str
    domains: tuple[str, ...]

    def covers(self, email: str) -> bool:
        domain = email.rpartition("@")[2].lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class Options:
    mode: str = "off"
    mode_source: str = "default"
    allow_authors: tuple[str, ...] = ()
    corporate: tuple[Corporation, ...] = ()
    phrase: str = DEFAULT_PHRASE
    signatures_path: str = DEFAULT_PATH
    inputs: Inputs = Inputs()
    document: str | None = None  # the CLA's text, linked from the comment

    @property
    def reads_commits(self) -> bool:
        """Off, the check needs no commits: the review then does not keep them in memory."""
        return self.mode != "off"

    def allowed(self, *names: str | None) -> str | None:
        """The allow-authors pattern one of `names` (emails, logins) matches, if any."""
        for pattern in self.allow_authors:
            compiled = _glob(pattern)
            if any(name and compiled.fullmatch(name) for name in names):
                return pattern
        return None


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    inputs = setup.loaded or Inputs()
    mode, source = mode_of(table, inputs.dco_file is not None)
    corporate = tuple(
        Corporation(str(c["name"]), tuple(d.strip().lower().lstrip("*.").rstrip(".") for d in c["domains"]))
        for c in table.get("corporate", ())
    )
    return Options(
        mode,
        source,
        tuple(table.get("allow-authors", ())),
        corporate,
        " ".join(str(table.get("phrase", DEFAULT_PHRASE)).split()),
        str(table.get("signatures", DEFAULT_PATH)),
        inputs,
        str(table["document"]) if table.get("document") else None,
    )


def mode_of(table: Mapping[str, Any], has_dco_file: bool) -> tuple[str, str]:
    """The mode and what set it: `[cla] mode`, else `.github/dco.yml` in the base, else off."""
    if "mode" in table:
        return str(table["mode"]), "[cla] mode"
    if has_dco_file:
        return "dco", ".github/dco.yml"
    return "off", "default"


def _glob(pattern: str) -> re.Pattern[str]:
    """An anchored, case-insensitive glob where only `*` and `?` are wildcards (`[bot]` is literal)."""
    parts = (".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern.strip())
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def noreply(email: str) -> tuple[str, int | None] | None:
    """(login, account id) of a GitHub noreply address, `ID+login@users.noreply.github.com`."""
    found = _NOREPLY.match(email.strip())
    if found is None:
        return None
    return found["login"], int(found["id"]) if found["id"] else None
