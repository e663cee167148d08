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
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from .diff import decode, whole_file
from .errors import GateError
from .git import Repository
from .model import FileChange, Target
from .trust import PolicySource, commit, untrusted

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
    such an object would pass unread. Objects are looked up in batches (a mirror push can bring
    thousands of tags), one `git cat-file` process per level of tags."""
    pending = {update.ref: update.new for update in updates if not update.deleted}
    tips: dict[str, None] = {}
    tags: list[tuple[str, str]] = []
    for _ in range(_MAX_TAG_DEPTH):
        if not pending:
            return Push(tuple(updates), tuple(tips), tuple(tags))
        kinds = _types(repo, set(pending.values()))
        peeled = _tag_targets(repo, {oid for oid in pending.values() if kinds.get(oid) == "tag"})
        following: dict[str, str] = {}
        for ref, oid in pending.items():
            kind = kinds.get(oid, "missing object")
            if kind == "commit":
                tips[oid] = None
            elif kind == "tag" and oid in peeled:
                tags.append((ref, oid))
                following[ref] = peeled[oid]
            else:
                raise GateError(
                    f"{ref} points to a {kind}, not a commit: the gate reviews commits, so it refuses the "
                    "push: push a commit (or a tag of one)"
                )
        pending = following
    raise GateError(f"{next(iter(pending))} is a chain of more than {_MAX_TAG_DEPTH} tags: the push is refused")


def _batch(repo: Repository, mode: str, oids: set[str]) -> bytes:
    """`git cat-file --batch-check` or `--batch` over `oids` (fed on stdin)."""
    with tempfile.TemporaryFile() as errors:
        proc = repo.popen(["cat-file", mode], errors, stdin=True)
        out, _ = proc.communicate("".join(f"{oid}\n" for oid in sorted(oids)).encode())
    if proc.returncode != 0:
        raise GateError(f"git cat-file {mode} failed ({proc.returncode})")
    return out


def _types(repo: Repository, oids: set[str]) -> dict[str, str]:
    found = {}
    for line in decode(_batch(repo, "--batch-check", oids)).splitlines():
        fields = line.split()
        if len(fields) == 3:
            found[fields[0]] = fields[1]
    return found


def _tag_bodies(repo: Repository, oids: set[str]) -> dict[str, str]:
    """The text of each tag object among `oids` (header, blank line, message)."""
    if not oids:
        return {}
    out, bodies, at = _batch(repo, "--batch", oids), {}, 0
    while at < len(out):
        end = out.index(b"\n", at)
        fields = decode(out[at:end]).split()
        if len(fields) != 3:  # `<oid> missing`
            at = end + 1
            continue
        oid, kind, size = fields
        if kind == "tag":
            bodies[oid] = decode(out[end + 1 : end + 1 + int(size)])
        at = end + 1 + int(size) + 1
    return bodies


def _tag_targets(repo: Repository, oids: set[str]) -> dict[str, str]:
    """The object each tag of `oids` names (its `object` header)."""
    targets = {}
    for oid, body in _tag_bodies(repo, oids).items():
        for line in body.partition("\n\n")[0].splitlines():
            if line.startswith("object "):
                targets[oid] = line.split(" ", 1)[1]
                break
    return targets


def tag_messages(repo: Repository, tags: tuple[tuple[str, str], ...]) -> Iterator[FileChange]:
    """Each pushed annotated tag's tagger and message, as a file `.git/<ref>` (a path git never
    tracks) whose every line is added: a token in a tag message leaks like one in a commit."""
    bodies = _tag_bodies(repo, {oid for _, oid in tags})
    for ref, oid in tags:
        header, _, message = bodies.get(oid, "").partition("\n\n")
        tagger = [line for line in header.splitlines() if line.startswith("tagger ")]
        yield FileChange(f".git/{ref}", "A", added=whole_file("\n".join([*tagger, message])))


def trusted_policy(repo: Repository, push: Push, policy_ref: str, named: bool) -> PolicySource:
    """The tree the server judges with: `policy_ref` (the default branch: HEAD) as it is before the
    push; its policy, baseline and project files. `named`: the server gave a policy file
    (--config), which replaces that tree's policy file only."""
    found = decode(repo.run("rev-parse", "--verify", "--quiet", f"{policy_ref}^{{commit}}", ok=(0, 1))).strip()
    if not found:
        why = "the server's own policy file (--config)" if named else "built-in defaults judge"
        return PolicySource(
            lambda path: None,
            "no default branch yet",
            f"{policy_ref} has no commit yet, so {why}"
            + ("" if named else " (the server can name a policy with --config)"),
        )
    branch = _ref_name(repo, policy_ref)
    short = branch.removeprefix("refs/heads/")
    reason = (
        f"the server's own policy file (--config), with {short}'s baseline before this push"
        if named
        else f"the server judges with {short}'s policy before this push, not the pushed one"
    )
    return PolicySource(
        commit(repo, found), f"{short} {found[:12]}", reason, _pushed_policy(repo, push, branch), "the server"
    )


def _ref_name(repo: Repository, ref: str) -> str:
    full = decode(repo.run("rev-parse", "--symbolic-full-name", ref, ok=(0, 128))).strip()
    return full or ref


def _pushed_policy(repo: Repository, push: Push, policy_ref: str) -> Callable[[str], bytes | None] | None:
    """The pushed tree a finding's explanation compares with: the policy ref's own update, else the
    one tip of the push."""
    for update in push.updates:
        if update.ref == policy_ref and not update.deleted:
            return untrusted(repo, update.new)
    return untrusted(repo, push.tips[0]) if len(push.tips) == 1 else None


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
