"""The Markdown report's CLA section: who has signed, who has not, and how to sign.

A maintainer can paste it as a pull-request comment. People are shown by login or email in code
spans; only the pull request's author (from the event, not from anything a commit says) is
@-mentioned, so a contribution cannot make the comment notify strangers.
"""

from __future__ import annotations

import re
from typing import Any

from .common import _plural
from .markdown import code, escape

_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_STATUS = {"signed": "✅ signed", "corporate": "✅ corporate CLA", "allowed": "✅ exempt", "unsigned": "❌ not signed", "unknown": "❓ unknown"}


def section(summary: Any) -> list[str]:
    """Lines of the section for a `cla_people.Summary`."""
    people = summary.contributors
    if not people:
        return []
    pending = summary.pending
    lines = ["", "### Contributor License Agreement", ""]
    lines.append(f"{len(people) - len(pending)} of {_plural(len(people), 'contributor')} covered; "
                 f"signatures read from {code(summary.signatures)}.")
    lines += ["", "| | Contributor | Commits | How |", "| --- | --- | ---: | --- |"]
    for person in [*pending, *summary.signed]:
        role = " (co-author)" if person.co_author_only else ""
        lines.append(f"| {_STATUS.get(person.status, escape(person.status))} | {_who(person, summary.pr_author)}{role} "
                     f"| {len(person.commits)} | {escape(person.via)} |")
    if not pending:
        return lines
    fence = "`" * max(3, max((len(r) + 1 for r in re.findall(r"`+", summary.phrase)), default=0))
    lines += ["", "**How to sign**: each contributor marked ❌ posts a comment on this pull request whose whole text is:",
              "", fence, summary.phrase, fence, "",
              "The signature is recorded and the check passes when it runs again."]
    if any(p.status == "unknown" for p in pending):
        lines += ["", ("An email marked ❓ belongs to no known account: link it to your GitHub account (Settings > Emails) "
                       "and sign, or amend the commits' author to your account's email, or a maintainer lists the email "
                       "in your signature's `emails`.")]
    return lines


def _who(person: Any, pr_author: str | None) -> str:
    login = person.login
    if login and pr_author and login.lower() == pr_author.lower() and _LOGIN.match(login) and person.status not in ("signed", "corporate", "allowed"):
        return f"@{login}"
    return code(login or ", ".join(person.emails), in_table=True)
