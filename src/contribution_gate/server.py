"""The server side: what a `pre-receive` hook of a bare repository reviews (GitLab server hooks,
Gitea, GitHub Enterprise Server, plain git over ssh or http).

git runs pre-receive once per push, before any ref moves, with `<old> <new> <ref>` lines on stdin
and the pushed objects in a quarantine directory (GIT_QUARANTINE_PATH; GIT_OBJECT_DIRECTORY points
there, GIT_ALTERNATE_OBJECT_DIRECTORIES at the repository's objects) that git deletes when the hook
rejects the push. Every git process of the gate inherits that environment, so it sees the pushed
objects; what it writes (the remerge of a merge) lands in the quarantine and goes with it.

One review covers the push: the commits of every updated ref that no ref of the repository has yet
(a new branch: only its new commits; a ref moved to a commit the repository has: nothing; a
deletion: nothing), and the messages of pushed annotated tags. It is judged with the policy of the
default branch as the server has it before the push (or a file the server names), never the
pushed one: a push that loosens the policy is judged by the policy it loosens.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from .diff import decode, whole_file
from .errors import GateError
from .git import Repository
from .model import FileChange, Target
from .trust import PolicySource, commit

_HEX = frozenset("0123456789abcdef")
_MAX_TAG_DEPTH = 32  # a tag of a tag of ...: git allows chains; a bound keeps a crafted one finite


@dataclass(frozen=True)
class Update:
    """One line of pre-receive's input: a ref and its old and new object names."""

    old: str
    new: str
    ref: str

    @property
    def deleted(self) -> bool:
        return not self.new.strip("0")


def parse_updates(text: str) -> list[Update]:
    """pre-receive's stdin; a line of another shape is an error naming it (git never sends one)."""
    updates = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split(" ")
        if len(fields) != 3 or not all(_is_oid(f) for f in fields[:2]) or not fields[2].startswith("refs/"):
            raise GateError(
                f"stdin line {number}: expected '<old> <new> <ref>' as git gives a pre-receive hook "
                "(run the gate from the repository's hooks/pre-receive)"
            )
        updates.append(Update(*fields))
    return updates


def _is_oid(text: str) -> bool:
    return len(text) in (40, 64) and set(text) <= _HEX


@dataclass(frozen=True)
class Push:
    """What a push brings: the commits to review (tips) and the annotated tags (ref, tag object)."""

    updates: tuple[Update, ...]
    tips: tuple[str, ...]
    tags: tuple[tuple[str, str], ...]

    @property
    def target(self) -> Target | None:
        return Target("received", None, self.tips[0], self.tips) if self.tips else None


def read_push(repo: Repository, updates: list[Update]) -> Push:
    """Each updated ref's new object, peeled to its commit through any annotated tags (each of
    which is reviewed too). A ref to a tree or a blob is refused: the gate reviews commits, and
    such an object would pass unread."""
    tips: dict[str, None] = {}
    tags: list[tuple[str, str]] = []
    for update in updates:
        if update.deleted:
            continue
        oid, kind = update.new, decode(repo.run("cat-file", "-t", update.new)).strip()
        for _ in range(_MAX_TAG_DEPTH):
            if kind != "tag":
                break
            tags.append((update.ref, oid))
            header = decode(repo.run("cat-file", "tag", oid)).partition("\n\n")[0]
            fields = dict(line.split(" ", 1) for line in header.splitlines() if " " in line)
            oid, kind = fields.get("object", ""), fields.get("type", "")
        if kind != "commit":
            raise GateError(
                f"{update.ref} points to a {kind or 'tag chain too long'}, not a commit: the gate reviews "
                "commits, so it refuses the push: push a commit (or a tag of one)"
            )
        tips[oid] = None
    return Push(tuple(updates), tuple(tips), tuple(tags))


def tag_messages(repo: Repository, tags: tuple[tuple[str, str], ...]) -> Iterator[FileChange]:
    """Each pushed annotated tag's tagger and message, as a file `.git/<ref>` (a path git never
    tracks) whose every line is added: a token in a tag message leaks like one in a commit."""
    for ref, oid in tags:
        header, _, message = decode(repo.run("cat-file", "tag", oid)).partition("\n\n")
        tagger = [line for line in header.splitlines() if line.startswith("tagger ")]
        yield FileChange(f".git/{ref}", "A", added=whole_file("\n".join([*tagger, message])))


def trusted_policy(repo: Repository, push: Push, policy_ref: str, named: bool) -> PolicySource:
    """The policy the server judges with: `policy_ref` (the default branch: HEAD) as it is before
    the push. `named`: the server gave a policy file (--config), which wins."""
    if named:
        return PolicySource(lambda path: None, "server", "the server's own policy file (--config)")
    found = decode(repo.run("rev-parse", "--verify", "--quiet", f"{policy_ref}^{{commit}}", ok=(0, 1))).strip()
    if not found:
        return PolicySource(
            lambda path: None,
            "no default branch yet",
            f"{policy_ref} has no commit yet, so built-in defaults judge (the server can name a policy with --config)",
        )
    name = _ref_name(repo, policy_ref)
    pushed = _pushed_policy(repo, push, name)
    return PolicySource(
        commit(repo, found),
        f"{name.removeprefix('refs/heads/')} {found[:12]}",
        f"the server judges with {name.removeprefix('refs/heads/')}'s policy before this push, not the pushed one",
        pushed,
        "the server",
    )


def _ref_name(repo: Repository, ref: str) -> str:
    full = decode(repo.run("rev-parse", "--symbolic-full-name", ref, ok=(0, 128))).strip()
    return full or ref


def _pushed_policy(repo: Repository, push: Push, policy_ref: str) -> Callable[[str], bytes | None] | None:
    """The pushed tree a finding's explanation compares with: the policy ref's own update, else the
    one tip of the push."""
    for update in push.updates:
        if update.ref == policy_ref and not update.deleted:
            return commit(repo, update.new)
    return commit(repo, push.tips[0]) if len(push.tips) == 1 else None


class OutOfTime(BaseException):
    """The review ran past the hook's time budget. A BaseException, so no `except Exception` of a
    check takes it for the check's own failure."""


@contextmanager
def time_budget(seconds: float, on_expiry: Callable[[], None]) -> Iterator[None]:
    """Raise OutOfTime in this (main) thread after `seconds`, even inside a wait on git. Where
    there is no SIGALRM (Windows), `on_expiry` ends the process from a timer thread instead."""
    if seconds <= 0:
        yield
        return
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

        def expire(signum: int, frame: object) -> None:
            raise OutOfTime

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    timer = threading.Timer(seconds, on_expiry)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def on_gitlab(environ: Mapping[str, str]) -> bool:
    """Whether GitLab runs the hook (it sets GL_ID and GL_REPOSITORY for server hooks): a line that
    starts `GL-HOOK-ERR:` is then shown in its web UI too."""
    return bool(environ.get("GL_ID") or environ.get("GL_REPOSITORY"))
