"""DCO mode of the `cla` check: every commit carries a sign-off by its author or committer.

As the DCO app does: a `Signed-off-by: Name <email>` line anywhere in the message, compared
case-insensitively with the author's or the committer's name and email; merge commits and GitHub
App bots (`...[bot]` accounts) need none; with `.github/dco.yml` the app's remediation commits count
(`allowRemediationCommits`), and `require: members: false` skips verified commits of the accounts
the event says are members of the organisation (which needs GITHUB_TOKEN to know whose commit it is).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...model import Commit, Finding, Severity, fingerprint
from .settings import ID, Options, noreply
from .signoff import Identity, is_signed_by, remediations, same, signoffs


def findings(commits: Sequence[Commit], opts: Options) -> Iterator[Finding]:
    """One finding per commit that lacks a matching sign-off."""
    unsigned = [c for c in commits if _needs_signoff(c, opts) and not _signed(c, commits, opts)]
    unsigned = _without_members(unsigned, opts)
    if not unsigned:
        return
    fix = _fix(commits, unsigned, opts)
    for commit in unsigned:
        author = Identity(commit.author_name, commit.author_email)
        found = signoffs(commit.message)
        if found:
            rule = "wrong-signoff"
            names = ", ".join(f'"{s}"' for s in found)
            message = (
                f"commit {commit.sha[:12]} by {author} is signed off by {names}, which matches neither its author "
                f"nor its committer ({commit.committer_name} <{commit.committer_email}>)"
            )
        else:
            rule = "missing-signoff"
            message = f"commit {commit.sha[:12]} by {author} has no Signed-off-by line (DCO)"
        yield Finding(
            ID, rule, Severity.ERROR, "", None, message, fix, fingerprint(ID, rule, "", commit.sha), commit=commit.sha
        )


def _needs_signoff(commit: Commit, opts: Options) -> bool:
    if commit.is_merge:
        return False
    login = (noreply(commit.author_email) or ("", None))[0]
    if login.lower().endswith("[bot]"):
        return False
    return opts.allowed(commit.author_email, login or None) is None


def _signed(commit: Commit, commits: Sequence[Commit], opts: Options) -> bool:
    author = Identity(commit.author_name, commit.author_email)
    if is_signed_by(commit.message, author, Identity(commit.committer_name, commit.committer_email)):
        return True
    dco = opts.inputs.dco_file
    if dco is None or not dco.individual:
        return False
    for other in commits:
        other_author = Identity(other.author_name, other.author_email)
        for line in remediations(other.message):
            if line.sha != commit.sha.lower():
                continue
            if line.on_behalf_of is None and same(line.signer, author) and same(other_author, author):
                return True
            other_committer = Identity(other.committer_name, other.committer_email)
            if (
                line.on_behalf_of is not None
                and dco.third_party
                and same(line.on_behalf_of, author)
                and (same(line.signer, other_author) or same(line.signer, other_committer))
            ):
                return True
    return False


def _without_members(unsigned: list[Commit], opts: Options) -> list[Commit]:
    """Drop verified commits of members (dco.yml `require: members: false`) and of bot accounts."""
    lookup, dco = opts.inputs.lookup, opts.inputs.dco_file
    skip_members = dco is not None and not dco.require_members and bool(opts.inputs.members)
    if not unsigned or lookup is None:
        return unsigned
    accounts = lookup([c.sha for c in unsigned])
    kept = []
    for commit in unsigned:
        account = accounts.get(commit.sha)
        if account is not None and account.type == "Bot":
            continue
        if account is not None and skip_members and account.verified and account.login.lower() in opts.inputs.members:
            continue
        kept.append(commit)
    return kept


def _fix(commits: Sequence[Commit], unsigned: Sequence[Commit], opts: Options) -> str:
    """How to add the missing sign-offs: amend the last commit, or rebase the range with --signoff."""
    if len(unsigned) == 1 and unsigned[0].sha == commits[-1].sha:
        fix = "sign off the last commit: `git commit --amend --signoff --no-edit`, then `git push --force-with-lease`"
    else:
        first = commits[0].parents[0] if commits[0].parents else None
        base = first[:12] if first else "--root"
        fix = f"sign off every commit: `git rebase --signoff {base}`, then `git push --force-with-lease`"
    fix += "; the sign-off must name the commit's author (git config user.name and user.email)"
    dco = opts.inputs.dco_file
    if dco is not None and dco.individual:
        fix += (
            ". Without rewriting history: push a signed-off commit whose message has the line "
            "`I, Name <email>, hereby add my Signed-off-by to this commit: <full sha>` for each commit"
        )
    return fix
