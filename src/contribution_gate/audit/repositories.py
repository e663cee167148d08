"""The repositories an audit reads: bare or mirror clones, never a work tree.

A local target is read in place through its git directory (a work tree's files are never read:
the policy and every file come from the reviewed commit). A clone URL is cloned once with
`--mirror` into the audit's cache and fetched when the planned commit is missing. Credentials for
private clones come from the environment (GITHUB_TOKEN, sent as an HTTP header through git's
environment, never on a command line) or the user's git credential helper; never from the unit.
Only https, ssh and, when the target names it, file:// are allowed transports: `ext::` and other
helpers that run programs are refused.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from .. import gitcmd
from ..diff import decode
from ..errors import GitError
from ..git import Repository
from .units import Unit, safe_name

_GIT_TIMEOUT = 600.0  # one clone, fetch or ls-remote; the unit's own timeout is the real bound
_SCHEMES = ("https", "ssh", "file")


def open_git_dir(git_dir: Path) -> Repository:
    """A repository opened at its git directory (`root`), as a server's hook opens one: never a
    work tree."""
    return Repository(git_dir, allow_bare=True)


def is_url(target: str) -> bool:
    """A clone URL (scheme://... or scp-like user@host:path) rather than a local path."""
    if "://" in target:
        return True
    head, sep, _ = target.partition(":")
    return bool(sep) and "@" in head and "/" not in head


def check_url(target: str) -> None:
    """Refuse what the audit must not clone or must not record: unknown transports, credentials."""
    if "://" not in target:
        return  # scp-like ssh: user@host:path
    parts = urlsplit(target)
    if parts.scheme not in _SCHEMES:
        raise GitError(f"{_shown(target)}: the audit clones over https, ssh or file:// only, not {parts.scheme!r}")
    if parts.scheme == "https" and (parts.username or parts.password):
        raise GitError(
            f"{_shown(target)}: a clone URL must not hold credentials (they would be stored in the plan): "
            "use a git credential helper or GITHUB_TOKEN"
        )


def _shown(target: str) -> str:
    parts = urlsplit(target)
    if parts.password or (parts.scheme == "https" and parts.username):
        return parts._replace(netloc=parts.hostname or "").geturl()
    return target


def git_dir_of(path: Path) -> Path:
    """The absolute git directory of a local repository (bare, mirror or a clone with a work tree)."""
    proc = _git(["rev-parse", "--absolute-git-dir"], cwd=path)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise GitError(f"{path}: not a git repository (give a clone, a bare or a mirror repository)")
    return Path(decode(proc.stdout).strip())


def remote_head(url: str, environ: Mapping[str, str] | None = None) -> str:
    """The commit a remote's HEAD names (`git ls-remote URL HEAD`)."""
    proc = _git(["ls-remote", "--", url, "HEAD"], remote=url, environ=environ)
    line = decode(proc.stdout).strip().split("\n", 1)[0]
    if proc.returncode != 0 or not line:
        reason = decode(proc.stderr).strip().splitlines()
        raise GitError(f"{_shown(url)}: cannot read its HEAD: {reason[-1] if reason else 'empty repository'}")
    return line.split()[0]


def has_commit(repo: Repository, sha: str) -> bool:
    return repo.succeeds("cat-file", "-e", f"{sha}^{{commit}}")


class Mirrors:
    """The repositories of a worker's units: local ones in place, URLs as mirrors in `cache`."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache

    def open(self, unit: Unit) -> Repository:
        """The repository with the unit's commits (a mirror is fetched when they are missing)."""
        if not is_url(unit.target):
            repo = open_git_dir(git_dir_of(Path(unit.target)))
            self._require(repo, unit, "the repository no longer has it: plan again with --force")
            return repo
        check_url(unit.target)
        digest = hashlib.sha256(unit.target.encode("utf-8")).hexdigest()[:10]
        where = self.cache / f"{safe_name(unit.slug)}-{digest}.git"
        if not where.is_dir():
            self._clone(unit.target, where)
        repo = open_git_dir(where)
        if not all(has_commit(repo, sha) for sha in _commits(unit)):
            proc = _git(["fetch", "--quiet", "--prune", "origin"], cwd=where, remote=unit.target)
            if proc.returncode != 0:
                raise GitError(f"{_shown(unit.target)}: fetch failed: {_last(proc.stderr)}")
        self._require(repo, unit, "the remote no longer has it: plan again with --force")
        return repo

    def _clone(self, url: str, where: Path) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".clone-", dir=self.cache))
        try:
            proc = _git(["clone", "--mirror", "--quiet", "--", url, str(temp / "m.git")], remote=url)
            if proc.returncode != 0:
                raise GitError(f"{_shown(url)}: clone failed: {_last(proc.stderr)}")
            try:
                os.rename(temp / "m.git", where)
            except OSError:
                if not where.is_dir():  # another worker's clone won the race: use it
                    raise
        finally:
            shutil.rmtree(temp, ignore_errors=True)

    @staticmethod
    def _require(repo: Repository, unit: Unit, hint: str) -> None:
        for sha in _commits(unit):
            if not has_commit(repo, sha):
                raise GitError(f"{_shown(unit.target)}: commit {sha[:12]} of the plan is missing: {hint}")


def _commits(unit: Unit) -> list[str]:
    return [unit.head] if unit.base is None else [unit.head, unit.base]


def _last(stderr: bytes) -> str:
    lines = decode(stderr).strip().splitlines()
    return lines[-1] if lines else "git gave no reason"


def _git(
    args: list[str], cwd: Path | None = None, remote: str | None = None, environ: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """git with no hook or pager of any repository; for a remote, the allowed transports and the
    token header (from the environment, never the command line)."""
    if remote is None:  # a local repository: the gate's pinned settings, as every review reads it
        return _completed(gitcmd.argv(args), cwd, gitcmd.environment(environ), args[0])
    env = dict(os.environ if environ is None else environ)
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"})
    config = ["-c", f"core.hooksPath={os.devnull}", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never"]
    scheme = urlsplit(remote).scheme if "://" in remote else "ssh"
    allowed = ("https", "ssh") + (("file",) if scheme == "file" else ())
    env["GIT_ALLOW_PROTOCOL"] = ":".join(allowed)
    for name in allowed:
        config += ["-c", f"protocol.{name}.allow=always"]
    env.update(_token_header(remote, env))
    return _completed(["git", "--no-pager", *config, *args], cwd, env, args[0])


def _completed(argv: list[str], cwd: Path | None, env: dict[str, str], name: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise gitcmd.not_installed() from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {name} took more than {_GIT_TIMEOUT:g} s: check the network") from None


def _token_header(url: str, env: Mapping[str, str]) -> dict[str, str]:
    """GITHUB_TOKEN as an Authorization header for the GitHub host only (GITHUB_SERVER_URL or
    github.com), through GIT_CONFIG_* variables, as actions/checkout does."""
    token = env.get("GITHUB_TOKEN", "").strip()
    host = urlsplit(env.get("GITHUB_SERVER_URL") or "https://github.com").hostname
    if not token or "://" not in url or urlsplit(url).scheme != "https" or urlsplit(url).hostname != host:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
    start = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    return {
        "GIT_CONFIG_COUNT": str(start + 1),
        f"GIT_CONFIG_KEY_{start}": f"http.https://{host}/.extraheader",
        f"GIT_CONFIG_VALUE_{start}": f"AUTHORIZATION: basic {basic}",
    }
