"""What the `cla` check needs from outside the change, loaded before the review starts.

From the base commit (through a reader the session gives, like the policy): `.github/dco.yml`
and the signatures file, so a pull request can neither loosen the DCO rules nor sign for itself;
from the event: the pull request's author and whether they are a member; and, only when
GITHUB_TOKEN is set, a lookup of each commit's GitHub account. Bad files exit 2 naming the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...errors import ConfigError
from ...github.api import Account
from ...github.events import EventTarget
from . import signatures
from .settings import DcoFile, Inputs, mode_of

DCO_FILE = ".github/dco.yml"
MEMBER_ASSOCIATIONS = ("OWNER", "MEMBER")
Reader = Callable[[str], "bytes | None"]


def parse_dco_file(data: bytes, source: str) -> DcoFile:
    """The DCO app's settings: `require: members:` and `allowRemediationCommits: individual/thirdParty`."""
    import yaml  # only when a base commit has a dco.yml

    try:
        loaded = yaml.safe_load(data.decode("utf-8")) if data.strip() else {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: invalid YAML ({str(exc).splitlines()[0]}): fix the file") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{source}: expected a mapping such as `require: {{members: false}}`")
    require, remediation = loaded.get("require") or {}, loaded.get("allowRemediationCommits") or {}
    if not isinstance(require, dict) or not isinstance(remediation, dict):
        raise ConfigError(f"{source}: `require` and `allowRemediationCommits` must be mappings")
    flags = {
        "require.members": require.get("members", True),
        "allowRemediationCommits.individual": remediation.get("individual", False),
        "allowRemediationCommits.thirdParty": remediation.get("thirdParty", False),
    }
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: {key} must be true or false, not {value!r}")
    individual = flags["allowRemediationCommits.individual"]
    return DcoFile(flags["require.members"], individual, individual and flags["allowRemediationCommits.thirdParty"])


def load(
    table: Mapping[str, Any],
    read_base: Reader,
    base_where: str,
    read_signatures: Reader,
    signatures_where: str,
    event: EventTarget | None,
    environ: Mapping[str, str],
) -> Inputs:
    """The check's inputs; files are parsed only in the mode that uses them."""
    if table.get("mode") == "off":
        return Inputs()
    dco_data = read_base(DCO_FILE)
    dco = parse_dco_file(dco_data, f"{DCO_FILE} ({base_where})") if dco_data is not None else None
    mode, _ = mode_of(table, dco is not None)
    if mode == "off":
        return Inputs(dco)
    path = str(table.get("signatures", signatures.DEFAULT_PATH))
    source = f"{path} ({signatures_where})"
    signers: tuple[signatures.Signature, ...] = ()
    if mode == "cla" and table.get("signatures-repo"):  # out of the pull request's reach: the API
        from .store import RemoteStore, remote_file

        store = RemoteStore(remote_file(table, environ))
        source = store.name
        signers = signatures.parse(store.read(), source)
    elif mode == "cla":
        data = read_signatures(path)
        if data is not None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise ConfigError(f"{source}: not UTF-8 text: save it as UTF-8 JSON") from None
            signers = signatures.parse(text, source)
    pr_author = Account(event.author, event.author_id) if event is not None and event.author else None
    members: frozenset[str] = frozenset()
    if event is not None and dco is not None and not dco.require_members:
        logins = [event.user_owner]
        if event.association in MEMBER_ASSOCIATIONS:
            logins.append(event.author)
        members = frozenset(login.lower() for login in logins if login)
    return Inputs(dco, signers, source, pr_author, members, _lookup(event, environ))


def _lookup(event: EventTarget | None, environ: Mapping[str, str]) -> Any:
    """The GitHub API lookup of commit accounts: only for an event, and only with GITHUB_TOKEN."""
    token = environ.get("GITHUB_TOKEN", "").strip()
    repository = environ.get("GITHUB_REPOSITORY") or (event.repository if event else None)
    if event is None or not token or not repository:
        return None
    from ...github.api import DEFAULT_URL, Api, CommitAccounts

    api = Api(token, repository, environ.get("GITHUB_API_URL") or DEFAULT_URL)
    return CommitAccounts(api, event.number)
