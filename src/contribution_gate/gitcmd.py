"""How every git process of the gate starts: what the reviewed repository may not change.

The gate reads repositories it does not trust (a pull request's clone, a contributor's checkout), and
such a repository's `.git/config` can name programs git runs on its own: an fsmonitor, hooks, a
pager, external diff and textconv drivers, merge drivers, and a lazy fetch through a remote helper
(`ext::` runs a shell command). Every git command line starts with these settings, which override
the repository's (`-c` wins over every config file), so pointing the gate at an untrusted clone runs
nothing of its. Settings that would change what git shows (signatures, output encoding, replace
refs, the size past which every file is "binary") are pinned too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import GitError

# Lazy fetches of a partial clone (actions/checkout with `filter: blob:none`) may use https, which runs
# only git's own code; every other transport can run a program (`ext::` a shell command, `file://`
# the configured upload-pack, ssh the configured ssh command, a `vcs` helper its own binary). A
# repository's `protocol.<name>.allow=always` beats a bare `protocol.allow=never`, so each is named.
_BLOCKED = ("ext", "fd", "file", "git", "ssh", "http", "ftp", "ftps", "testgit")

CONFIG: tuple[str, ...] = (
    "--no-pager",  # never a pager (core.pager, pager.<command>)
    "--no-replace-objects",  # what is pushed, not what refs/replace/* pretends
    *("-c", "core.fsmonitor=false"),  # reading the index runs no fsmonitor hook or daemon
    *("-c", f"core.hooksPath={os.devnull}"),  # no hook, whatever a command would run
    *("-c", "core.bigFileThreshold=512m"),  # git's default: a tiny value makes every file "binary"
    *("-c", "core.quotePath=false"),
    *("-c", "diff.noprefix=false"),
    *("-c", "diff.algorithm=default"),
    *("-c", "diff.suppressBlankEmpty=false"),
    *("-c", "log.showSignature=false"),  # no gpg, ssh-keygen or gpgsm for signatures
    *("-c", "i18n.logOutputEncoding=UTF-8"),  # commit messages as the parser reads them
    *("-c", "merge.default=text"),  # --remerge-diff: git's own merge (drivers: git.merge_driver_overrides)
    *("-c", "merge.conflictStyle=merge"),
    *("-c", "credential.helper="),  # the empty value clears every configured helper
    *("-c", "core.askPass="),
    *("-c", "maintenance.auto=false"),  # a lazy fetch starts no background maintenance
    *("-c", "gc.auto=0"),
    *("-c", "protocol.allow=never"),
    *(arg for name in _BLOCKED for arg in ("-c", f"protocol.{name}.allow=never")),
    *("-c", "protocol.https.allow=always"),
)

ENVIRONMENT = {
    "GIT_PAGER": "cat",
    "GIT_TERMINAL_PROMPT": "0",  # no credential prompt: a fetch that needs one fails
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_OPTIONAL_LOCKS": "0",  # never refresh and rewrite the index as a side effect
    "GIT_ALLOW_PROTOCOL": "https",  # beats every protocol.*.allow a config file sets
    "GIT_GRAFT_FILE": os.devnull,  # no .git/info/grafts rewriting parents
}
_DROPPED = ("GIT_EXTERNAL_DIFF", "GIT_PAGER_IN_USE")


def argv(args: Sequence[str], extra: Sequence[str] = ()) -> list[str]:
    """The command line of `git <args>`, with the pinned settings (`extra`: more `-c` pairs)."""
    return ["git", *CONFIG, *extra, *args]


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a git process: the caller's (GIT_INDEX_FILE and GIT_DIR of a hook stay),
    with the variables above."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in _DROPPED}
    env.update(ENVIRONMENT)
    return env


def outside_any_repository(directory: Path) -> dict[str, str]:
    """The environment for `git diff --no-index` in `directory`: no repository is found, so no
    repository's config or attributes apply."""
    env = environment()
    for name in ("GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY"):
        env.pop(name, None)
    env["GIT_DIR"] = str(directory / "no-repository")
    env["GIT_CEILING_DIRECTORIES"] = str(directory.parent)
    return env


def not_installed() -> GitError:
    return GitError("git is not installed or not on PATH: install git")


# what git says when the repository lacks an object it needs (a partial clone offline, a clone whose
# object store was cut short), and what to do about it
_MISSING = ("unable to read", "missing blob", "bad object", "could not fetch", "promisor remote")
_MISSING_FIX = (
    " (the repository lacks objects the review reads: a partial clone that cannot fetch them, or an "
    "incomplete copy; run `git fetch` with network access, or clone without --filter, and review again)"
)


def failed(command: str, stderr: bytes, code: int | None) -> GitError:
    """The error for a git command that failed: the last line of its stderr, and the fix when the
    repository lacks an object (`fatal: unable to read <sha>`)."""
    lines = stderr.decode("utf-8", errors="replace").strip().splitlines()
    last = lines[-1] if lines else str(code)
    hint = _MISSING_FIX if any(word in last.lower() for word in _MISSING) else ""
    return GitError(f"git {command} failed: {last}{hint}")
