"""Which tree's policy judges a change, and why: the base's, the change's own, or the server's.

Wherever someone else's change is judged (CI: an `--event` review or a `--range` under CI; the
review command's ranges; a server's pre-receive hook) the policy comes from a tree the change
cannot edit: the base commit, or the server's default branch, so a contribution cannot loosen its
own gate. On the developer's own machine there is no one to protect against (hooks can be
skipped), so the local hooks judge with the policy being committed (the index) or pushed (the
pushed head): advice followed at commit time (an allow list, a baseline) holds at push time too.

The same tree gives everything else a policy points to: the baseline, the cla check's files, the
project's own license.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import GateError
from .model import Target

if TYPE_CHECKING:
    from .git import Repository
    from .github.events import EventTarget

Reader = Callable[[str], "bytes | None"]
TRUSTS = ("base", "change")  # the review command's ranges and CI / the local hooks


@dataclass(frozen=True)
class PolicySource:
    """A tree the policy files are read from, named for the report (`where` goes into the policy's
    name: `.contribution-gate.toml (base 1a2b3c4d5e6f)`), with the reason it judges. `untrusted` is
    the change's own tree where it was not trusted to judge, so a finding only it would allow can
    say so (`untrusted_by`: "CI", "the server", "a range review")."""

    read: Reader
    where: str
    reason: str
    untrusted: Reader | None = None
    untrusted_by: str = ""


def in_ci(event: EventTarget | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the review runs in CI, where the checked-out change is the contributor's."""
    env = os.environ if environ is None else environ
    return event is not None or env.get("CI", "").lower() in ("true", "1") or env.get("GITHUB_ACTIONS") == "true"


def work_tree(repo: Repository) -> Reader:
    def read(path: str) -> bytes | None:
        file = repo.root / path
        return file.read_bytes() if file.is_file() else None

    return read


def commit(repo: Repository, sha: str) -> Reader:
    return lambda path: repo.show(sha, path)


UNTRUSTED_MAX_BYTES = 256 << 10  # a policy file, baseline or manifest read from an untrusted tree
_MAX_DOTS = 64  # tomllib's time grows with the square of a dotted key's parts


def untrusted(repo: Repository, sha: str) -> Reader:
    """A commit's files, for judging a finding again under a policy nobody vetted (the change's
    own): a file past UNTRUSTED_MAX_BYTES, or a TOML key of many dotted parts, is refused with
    a GateError, so explaining a verdict never costs more than giving it."""

    def read(path: str) -> bytes | None:
        size = repo.run("cat-file", "-s", f"{sha}:{path}", ok=(0, 128)).strip()
        if not size:
            return None
        if int(size) > UNTRUSTED_MAX_BYTES:
            raise GateError(f"{path} of {sha[:12]} is larger than {UNTRUSTED_MAX_BYTES} bytes")
        data = repo.show(sha, path)
        lines = data.split(b"\n") if data is not None and path.endswith(".toml") else []
        if any(line.split(b"=", 1)[0].count(b".") > _MAX_DOTS for line in lines):
            raise GateError(f"{path} of {sha[:12]} has a key of more than {_MAX_DOTS} dotted parts")
        return data

    return read


def index(repo: Repository) -> Reader:
    """Files as the index has them (stage 0; GIT_INDEX_FILE honoured: `git commit -a` and hooks
    run against a temporary index)."""
    return lambda path: repo.show(":0", path)


def tree_of(repo: Repository, target: Target) -> tuple[Reader, str]:
    """The tree the review command reads a target's policy from: a range's base commit; the
    index for the commit-msg hook (the message's commit records the index); else the work tree."""
    if target.kind == "range" and target.base is not None:
        return commit(repo, target.base), f"base {target.base[:12]}"
    if target.kind == "commit-msg":
        return index(repo), "index"
    return work_tree(repo), "working tree"


def for_target(repo: Repository, target: Target, trust: str, event: EventTarget | None = None) -> PolicySource:
    """The policy source of a review: `trust` "change" for the local hooks, "base" otherwise."""
    if trust == "change":
        if target.kind in ("staged", "commit-msg"):
            return PolicySource(index(repo), "index", "a local hook judges with the policy being committed")
        if target.kind in ("range", "unpushed") and target.head is not None:
            return PolicySource(
                commit(repo, target.head),
                f"pushed {target.head[:12]}",
                "a local hook judges with the policy being pushed",
            )
    read, where = tree_of(repo, target)
    if target.kind == "range" and target.base is not None and target.head is not None:
        who = "CI" if in_ci(event) else "a range review"
        return PolicySource(
            read, where, f"{who} judges with the base's policy, not the change's", untrusted(repo, target.head), who
        )
    return PolicySource(
        read,
        where,
        "" if where == "working tree" else f"read from the {where}",  # yours: nothing to explain
    )


@dataclass
class Recorder:
    """A reader that remembers what it gave (path -> bytes or None), so the files a review's policy
    came from can be compared with another tree's afterwards."""

    read: Reader
    seen: dict[str, bytes | None] = field(default_factory=dict)

    def __call__(self, path: str) -> bytes | None:
        if path not in self.seen:
            self.seen[path] = self.read(path)
        return self.seen[path]
