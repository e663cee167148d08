"""Developer Certificate of Origin sign-offs in commit messages (pure text functions).

The DCO app matches `Signed-off-by: Name <email>` anywhere in the message, case-insensitively;
a message as git will record it drops comment lines, and fixup!/squash!/amend! commits are
folded into another commit, so they need no sign-off of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIGNED_OFF = re.compile(r"^\s*signed-off-by:\s*(?P<name>.*?)\s*<(?P<email>[^>]*)>\s*$", re.IGNORECASE | re.MULTILINE)
_IDENT = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^>]*)>")
_AUTOSQUASH = ("fixup!", "squash!", "amend!")
_CO_AUTHOR = re.compile(r"^\s*co-authored-by:\s*(?P<name>.*?)\s*<(?P<email>[^>]*)>\s*$", re.IGNORECASE | re.MULTILINE)
# The DCO app's remediation commits (allowRemediationCommits: individual / thirdParty in .github/dco.yml).
_INDIVIDUAL = re.compile(
    r"^I, (.*) <(.*)>, hereby add my Signed-off-by to this commit: (\S+)\s*$", re.IGNORECASE | re.MULTILINE
)
_THIRD_PARTY = re.compile(
    r"^On behalf of (.*) <(.*)>, I, (.*) <(.*)>, hereby add my Signed-off-by to this commit: (\S+)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def parse_ident(ident: str) -> Identity | None:
    """`Name <email> 1700000000 +0000`, as `git var GIT_AUTHOR_IDENT` prints it."""
    match = _IDENT.match(ident.strip())
    return Identity(match["name"].strip(), match["email"].strip()) if match else None


def as_recorded(message: str, comment_char: str = "#") -> str:
    """The message without the comment lines git strips (and without git's scissors section)."""
    kept = []
    for line in message.splitlines():
        if line.startswith(f"{comment_char} ------------------------ >8 ------------------------"):
            break
        if not line.startswith(comment_char):
            kept.append(line)
    return "\n".join(kept).strip()


def signoffs(message: str) -> tuple[Identity, ...]:
    return tuple(Identity(m["name"], m["email"]) for m in _SIGNED_OFF.finditer(message))


def needs_signoff(message: str) -> bool:
    """Empty messages abort the commit anyway; autosquash commits are folded into signed ones."""
    return bool(message) and not message.startswith(_AUTOSQUASH)


def is_signed_by(message: str, *people: Identity) -> bool:
    """Whether a sign-off names one of `people` (name and email, compared case-insensitively)."""
    wanted = {(p.name.casefold(), p.email.casefold()) for p in people}
    return any((s.name.casefold(), s.email.casefold()) in wanted for s in signoffs(message))


def co_authors(message: str) -> tuple[Identity, ...]:
    """The `Co-authored-by: Name <email>` trailers GitHub reads (case-insensitive, anywhere)."""
    return tuple(Identity(m["name"], m["email"].strip()) for m in _CO_AUTHOR.finditer(message) if m["email"].strip())


@dataclass(frozen=True, slots=True)
class Remediation:
    """A line of a remediation commit: `signer` adds a sign-off to commit `sha`, for `on_behalf_of`
    (a third party) or for themselves (None)."""

    sha: str
    signer: Identity
    on_behalf_of: Identity | None = None


def remediations(message: str) -> tuple[Remediation, ...]:
    """`I, Name <email>, hereby add my Signed-off-by to this commit: SHA` lines, and their third-party
    form `On behalf of Author <email>, I, Name <email>, hereby ...`, as the DCO app reads them."""
    found = [Remediation(m[3].lower(), Identity(m[1].strip(), m[2].strip())) for m in _INDIVIDUAL.finditer(message)]
    found += [
        Remediation(m[5].lower(), Identity(m[3].strip(), m[4].strip()), Identity(m[1].strip(), m[2].strip()))
        for m in _THIRD_PARTY.finditer(message)
    ]
    return tuple(found)


def same(a: Identity, b: Identity) -> bool:
    """Name and email equal, ignoring case (as the DCO app compares them)."""
    return a.name.casefold() == b.name.casefold() and a.email.casefold() == b.email.casefold()
