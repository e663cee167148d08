"""Where CLA signatures live: a file in this repository, or a file of another repository (or branch)
written through the contents API, out of every pull request's reach.

`[cla] signatures-repo = "OWNER/NAME"` (optional `signatures-branch`) keeps CLA Assistant Lite's file
at `signatures` in that repository: read with `GET /contents`, written with `PUT /contents` and the
file's `sha`, re-read and retried on a conflict, so concurrent signers all keep their signature and
no git push is needed. Writing needs a token that may write there: `CLA_SIGNATURES_TOKEN` when set
(another repository needs one), else `GITHUB_TOKEN` (`contents: write`, same repository). Without
`signatures-repo` the file is in the checked-out repository, locked and replaced atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from ...errors import GateError
from .signatures import DEFAULT_PATH

TOKEN_VARIABLE = "CLA_SIGNATURES_TOKEN"
Change = Callable[[str], "str | None"]


class Store(Protocol):
    name: str

    def read(self) -> str:
        """The file's text ("" before the first signature)."""
        ...

    def update(self, change: Change, message: str) -> str | None:
        """Apply `change` to the current text without losing a concurrent write; the text written."""
        ...


class LocalStore:
    """The signatures file of the working tree: flock-ed, re-read and replaced atomically."""

    def __init__(self, path: Path, name: str) -> None:
        self.path, self.name = path, name

    def read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or exc
            raise GateError(f"cannot read the signatures file {self.name}: {why}") from None

    def update(self, change: Change, message: str) -> str | None:
        from ...files import locked, write_atomically

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GateError(f"cannot create the directory of {self.name}: {exc.strerror or exc}") from None
        with locked(self.path):
            updated = change(self.read())
            if updated is not None:
                write_atomically(self.path, updated)
            return updated


class RemoteStore:
    """The signatures file of `repository` (at `branch`), through the contents API."""

    def __init__(self, contents: Any) -> None:
        self.contents = contents
        self.name = contents.name

    def read(self) -> str:
        from ...github.rest import ApiError

        try:
            return str(self.contents.read().text or "")
        except ApiError as exc:
            raise GateError(f"cannot read the CLA signatures from {self.name}: {exc}: {_hint(exc.status)}") from None

    def update(self, change: Change, message: str) -> str | None:
        from ...github.rest import ApiError

        try:
            written: str | None = self.contents.update(change, message)
            return written
        except ApiError as exc:
            raise GateError(f"cannot record the signature in {self.name}: {exc}: {_hint(exc.status)}") from None


def _hint(status: int) -> str:
    if status in (401, 403):
        return (
            f"the token may not write there: set {TOKEN_VARIABLE} to a token with contents: write on that "
            "repository, or give the job `permissions: contents: write` when it is this repository"
        )
    if status == 404:
        return "check [cla] signatures-repo and signatures-branch, and that the token can read that repository"
    if status == 409:
        return "too many signers at once: try again"
    return "try again"


def open_store(table: Mapping[str, Any], environ: Mapping[str, str], root: Path, override: Path | None = None) -> Store:
    """The store the policy names: `--signatures` or `[cla] signatures` in the working tree, or the
    file of `signatures-repo` (`--signatures` cannot be combined with it)."""
    repository = table.get("signatures-repo")
    path = str(table.get("signatures", DEFAULT_PATH))
    if not repository:
        if override is not None:
            return LocalStore(override, str(override))
        return LocalStore(root / path, path)
    if override is not None:
        raise GateError("--signatures names a local file, but [cla] signatures-repo keeps them in another repository")
    return RemoteStore(remote_file(table, environ, write=True))


def remote_file(table: Mapping[str, Any], environ: Mapping[str, str], write: bool = False) -> Any:
    """The contents-API file of `signatures-repo` (a token is optional for reading a public one)."""
    from ...github.contents import ContentsFile
    from ...github.rest import Client

    repository = str(table["signatures-repo"])
    token = environ.get(TOKEN_VARIABLE, "").strip() or environ.get("GITHUB_TOKEN", "").strip() or None
    if write and token is None:
        raise GateError(
            f"[cla] signatures-repo = {repository!r} is written through the GitHub API: set GITHUB_TOKEN "
            f"(or {TOKEN_VARIABLE} for another repository)"
        )
    client = Client.from_environ(environ, repository, token)
    branch = table.get("signatures-branch")
    return ContentsFile(client, repository, str(table.get("signatures", DEFAULT_PATH)), str(branch) if branch else None)
