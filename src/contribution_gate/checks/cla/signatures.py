"""CLA signatures kept in the repository, in CLA Assistant Lite's JSON format (pure text functions).

    {"signedContributors": [{"name": "octocat", "id": 583231, "comment_id": 1, "created_at": "...",
                             "repoId": 1, "pullRequestNo": 7, "emails": ["octo@example.com"]}]}

`name` is the GitHub login and `id` its numeric account id, as CLA Assistant Lite writes them, so
existing files keep working; `emails` is our optional extension for commit emails that no GitHub
account resolves offline. Signing appends one entry and keeps the file's layout and order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError

DEFAULT_PATH = "signatures/version1/cla.json"  # CLA Assistant Lite's default path-to-signatures
DEFAULT_PHRASE = "I have read the CLA Document and I hereby sign the CLA"
KEY = "signedContributors"
_SHAPE = f'{{"{KEY}": [{{"name": "login", "id": 123, ...}}]}}'


@dataclass(frozen=True, slots=True)
class Signature:
    """One signer: login (`name`), account id, and any commit emails listed for them."""

    name: str
    id: int | None = None
    emails: tuple[str, ...] = ()


def parse(text: str, source: str) -> tuple[Signature, ...]:
    """The signers of a signatures file; a file that is not in the expected shape names itself."""
    data = _load(text, source)
    signers = []
    for index, entry in enumerate(data[KEY]):
        where = f"{source}: {KEY}[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(f'{where} is not an object: each signer is {{"name": login, "id": number}}')
        name, account, emails = entry.get("name"), entry.get("id"), entry.get("emails", [])
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f'{where} has no "name" (the signer\'s GitHub login)')
        if account is not None and (not isinstance(account, int) or isinstance(account, bool)):
            raise ConfigError(f'{where} "id" must be the numeric GitHub account id, not {account!r}')
        if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
            raise ConfigError(f'{where} "emails" must be a list of email addresses')
        signers.append(Signature(name.strip(), account, tuple(e.strip().lower() for e in emails)))
    return tuple(signers)


def _load(text: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(text) if text.strip() else {KEY: []}
    except ValueError as exc:
        raise ConfigError(f"{source}: invalid JSON ({exc}): fix the file (expected {_SHAPE})") from None
    if not isinstance(data, dict) or not isinstance(data.get(KEY), list):
        raise ConfigError(f"{source}: not a CLA signatures file: expected {_SHAPE}")
    return data


def entry_for(comment: Mapping[str, Any], repository_id: int | None, number: int | None) -> dict[str, Any]:
    """The entry CLA Assistant Lite records for a signing comment, in its key order."""
    user = comment["user"]
    return {
        "name": user["login"],
        "id": user["id"],
        "comment_id": comment.get("id"),
        "created_at": comment.get("created_at"),
        "repoId": repository_id,
        "pullRequestNo": number,
    }


def has_signed(signers: tuple[Signature, ...], login: str, account: int | None) -> bool:
    """Whether a login (and account id, when both sides know it) is among the signers."""
    for signer in signers:
        if account is not None and signer.id is not None:
            if signer.id == account:
                return True
        elif signer.name.casefold() == login.casefold():
            return True
    return False


def append(text: str, entry: dict[str, Any], source: str) -> str | None:
    """The file with `entry` appended to the signers, or None when that account already signed.

    The layout of the existing file is kept: its indentation (CLA Assistant Lite writes two
    spaces), separators, escaping of non-ASCII letters and final newline; entries keep their order.
    """
    signers = parse(text, source)
    if has_signed(signers, entry["name"], entry["id"]):
        return None
    data = _load(text, source)
    data[KEY].append(entry)
    indent_match = re.search(r"\n([ \t]+)\S", text)
    indent: str | None = indent_match.group(1) if indent_match else (None if text.strip() else "  ")
    compact = indent is None and text.strip() and '": ' not in text and '", ' not in text
    separators = (",", ":") if compact else (",", ": ")
    ascii_only = bool(re.search(r"\\u[0-9a-fA-F]{4}", text)) and text.isascii()
    rendered = json.dumps(data, indent=indent, separators=separators, ensure_ascii=ascii_only)
    return rendered + ("\n" if text.endswith("\n") or not text.strip() else "")
