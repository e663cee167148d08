"""CLA mode of the `cla` check: every author and co-author of the range has signed.

A person is covered by, in this order: an `allow-authors` pattern (email or login), a signature
(their login and account id, or an email listed in the signature's `emails`), or a corporate
agreement (`[cla] corporate` domains). Logins come from GitHub noreply addresses offline and, when
GITHUB_TOKEN is set, from the API's attribution of each commit; co-authors are known by email only.
People are named by login or email, never by the free-text name git records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ...model import Commit, Finding, Severity, fingerprint
from .settings import ID, Options, noreply
from .signatures import Signature, has_signed
from .signoff import co_authors

SIGNED, CORPORATE, ALLOWED, UNSIGNED, UNKNOWN = "signed", "corporate", "allowed", "unsigned", "unknown"
COVERED = (SIGNED, CORPORATE, ALLOWED)


@dataclass(frozen=True)
class Contributor:
    """One person of the range: `login` when known, the emails seen, their commits, and the status."""

    login: str | None
    account_id: int | None
    emails: tuple[str, ...]
    commits: tuple[str, ...]
    status: str
    via: str = ""  # what covers them, or why they could not be resolved
    co_author_only: bool = False

    @property
    def name(self) -> str:
        return self.login or self.emails[0]


@dataclass(frozen=True)
class Summary:
    contributors: tuple[Contributor, ...]
    phrase: str
    signatures: str
    pr_author: str | None = None
    looked_up: bool = False
    base: str | None = None  # the parent of the range's first commit, for the fixes
    document: str | None = None  # [cla] document: the agreement's URL

    @property
    def signed(self) -> tuple[Contributor, ...]:
        return tuple(c for c in self.contributors if c.status in COVERED)

    @property
    def pending(self) -> tuple[Contributor, ...]:
        return tuple(c for c in self.contributors if c.status not in COVERED)


@dataclass
class _Person:
    login: str | None = None
    account_id: int | None = None
    emails: list[str] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)
    authored: bool = False


def evaluate(commits: Sequence[Commit], opts: Options) -> Summary:
    """Everyone who must have signed, grouped by login (else email), each with a status."""
    seen: list[tuple[str, str, bool]] = []  # (sha, email, is the commit's author)
    for commit in commits:
        if commit.is_merge:
            continue
        seen.append((commit.sha, commit.author_email.strip(), True))
        seen += [(commit.sha, person.email, False) for person in co_authors(commit.message)]
    lookup = opts.inputs.lookup
    need = list(dict.fromkeys(sha for sha, email, author in seen if author and _offline(email, opts) is None))
    accounts = dict(lookup(need)) if lookup is not None and need else {}
    people: dict[str, _Person] = {}
    for sha, email, authored in seen:
        login, account = noreply(email) or (None, None)
        looked = accounts.get(sha) if authored and _offline(email, opts) is None else None
        if looked is not None:
            login, account = looked.login, looked.id
        key = login.lower() if login else email.lower()
        person = people.setdefault(key, _Person(login, account))
        person.account_id = person.account_id or account
        if email.lower() not in person.emails:
            person.emails.append(email.lower())
        if sha not in person.commits:
            person.commits.append(sha)
        person.authored = person.authored or authored
    pr_author = opts.inputs.pr_author
    contributors = tuple(_judge(p, opts, lookup is not None) for p in people.values())
    base = commits[0].parents[0] if commits and commits[0].parents else None
    author = pr_author.login if pr_author else None
    return Summary(
        contributors, opts.phrase, opts.inputs.signatures_source, author, lookup is not None, base, opts.document
    )


def _offline(email: str, opts: Options) -> str | None:
    """What covers an email without asking GitHub, if anything."""
    login, account = noreply(email) or (None, None)
    return _cover(opts, [email.lower()], login, account)


def _cover(opts: Options, emails: list[str], login: str | None, account: int | None) -> str | None:
    pattern = opts.allowed(*emails, login)
    if pattern:
        return f"{ALLOWED}: allow-authors {pattern}"
    signers: tuple[Signature, ...] = opts.inputs.signatures
    if login and has_signed(signers, login, account):
        return f"{SIGNED}: signature of {login}"
    for signer in signers:
        listed = next((e for e in emails if e in signer.emails), None)
        if listed:
            return f"{SIGNED}: signature of {signer.name}"
    for corporation in opts.corporate:
        if any(corporation.covers(e) for e in emails):
            return f"{CORPORATE}: {corporation.name}"
    return None


def _judge(person: _Person, opts: Options, can_look_up: bool) -> Contributor:
    emails, commits = tuple(person.emails), tuple(person.commits)
    cover = _cover(opts, person.emails, person.login, person.account_id)
    if cover:
        status, _sep, via = cover.partition(": ")
        return Contributor(person.login, person.account_id, emails, commits, status, via, not person.authored)
    if person.login:
        return Contributor(person.login, person.account_id, emails, commits, UNSIGNED, "", not person.authored)
    if not person.authored:
        why = "GitHub does not say which account an email in a Co-authored-by trailer belongs to"
    elif can_look_up:
        why = "no GitHub account has this email"
    else:
        why = "without GITHUB_TOKEN its GitHub account cannot be looked up"
    return Contributor(None, None, emails, commits, UNKNOWN, why, not person.authored)


def findings(summary: Summary, opts: Options) -> Iterator[Finding]:
    """One finding per person who has not signed (or cannot be told apart)."""
    for person in summary.pending:
        where = _commits(person.commits)
        role = "co-author" if person.co_author_only else "author"
        if person.status == UNSIGNED:
            rule = "unsigned"
            message = f"GitHub user {person.login} ({role} of {where}) has not signed the CLA"
            fix = (
                f"{person.login} signs by posting a comment on the pull request whose whole text is: "
                f"{opts.phrase} (the signature is recorded in {opts.signatures_path} and the check passes on its next run)"
            )
        else:
            rule = "unknown-author"
            message = (
                f"{role} email {', '.join(person.emails)} of {where} matches no CLA signature "
                f"and no corporate domain, and {person.via}"
            )
            fix = _unknown_fix(person, opts, summary.looked_up, summary.base)
        yield Finding(
            ID,
            rule,
            Severity.ERROR,
            "",
            None,
            message,
            fix,
            fingerprint(ID, rule, "", person.name.lower()),
            commit=person.commits[0],
        )


def _unknown_fix(person: Contributor, opts: Options, looked_up: bool, base: str | None) -> str:
    listed = f'a maintainer adds the email to the signer\'s "emails" in {opts.signatures_path}'
    if person.co_author_only:
        return (
            "write the trailer with the co-author's GitHub noreply address (Co-authored-by: Name "
            f"<ID+login@users.noreply.github.com>) so their signature is found, or {listed}"
        )
    since = base[:12] if base else "--root"
    amend = (
        "amend the author to an email of your GitHub account (`git commit --amend --reset-author --no-edit`, or "
        f'`git rebase --exec "git commit --amend --reset-author --no-edit" {since}` for several)'
    )
    if looked_up:
        return f"link the email to your GitHub account (Settings > Emails) and sign, or {amend}, or {listed}"
    return f"run the check with GITHUB_TOKEN set so the commit's GitHub account is looked up, or {amend}, or {listed}"


def _commits(shas: Sequence[str], shown: int = 5) -> str:
    names = ", ".join(s[:12] for s in shas[:shown])
    more = f" and {len(shas) - shown} more" if len(shas) > shown else ""
    return f"commit{'s' if len(shas) > 1 else ''} {names}{more}"
