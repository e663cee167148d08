"""From provider answers to judged findings: validity, severity, message, outcome.

Only findings the review counts are verified: a suppressed one (inline marker, baseline,
allow-paths) is never sent anywhere. One request is made per distinct credential, however many
copies the change holds. An AWS access key id is verified with the secret key found in the same
file of the same commit (the nearest line), and both findings get the answer.

- `live`: `error` whatever the offline judgement was, and the message says to rotate it now;
- `revoked`: `warning` (it is dead, but it is still a credential in the history: remove it);
- `unknown`: the offline severity, and the message says why nothing is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ....model import Finding, Severity
from ....policy import Judged, Outcome
from .answers import Answer, Validity
from .http import send
from .providers import BY_RULE, PARTNER_RULES, Provider
from .runner import Job, Send, run
from .settings import Settings

ID = "secrets"


def verify(
    judged: Sequence[Judged], settings: Settings, fail_on: str = "error", sender: Send | None = None
) -> tuple[Judged, ...]:
    """`judged` with every counted secrets finding verified (see the module's docstring)."""
    asked = [i for i, j in enumerate(judged) if _counted(j)]
    if not asked:
        return tuple(judged)
    pairs = _pairs(judged, asked)
    jobs: list[Job] = []
    keys: dict[tuple[str, str, str], int] = {}  # (provider, value, partner) -> its job: one request each
    plan: dict[int, tuple[str, int] | Answer] = {}
    per_provider: dict[str, int] = {}
    for i in asked:
        f = judged[i].finding
        if f.rule in PARTNER_RULES:
            continue  # asked with its key id, below
        partner = judged[pairs[i]].finding.secret if i in pairs else None
        planned = _plan(f, partner.value if partner is not None else None)
        if isinstance(planned, Answer):
            plan[i] = planned
            continue
        provider, value, other = planned
        key = (provider.key, value, other)
        if key not in keys:
            over = _over_limit(settings, len(jobs), per_provider.get(provider.key, 0), provider.name)
            if over is not None:
                plan[i] = over
                continue
            per_provider[provider.key] = per_provider.get(provider.key, 0) + 1
            keys[key] = len(jobs)
            request = provider.build(settings.url(provider), value, other)
            jobs.append(Job(request, provider.read, tuple(v for v in (value, other) if v)))
        plan[i] = (provider.name, keys[key])
    for key_index, secret_index in pairs.items():
        plan.setdefault(secret_index, plan[key_index])
    answers = run(jobs, settings.timeout, settings.budget, settings.concurrency, sender or send, settings.progress)
    out = list(judged)
    for i in asked:
        step = plan.get(i, _NO_KEY_ID)
        if isinstance(step, Answer):
            out[i] = _apply(judged[i], step, "", fail_on)
        else:
            out[i] = _apply(judged[i], answers[step[1]], step[0], fail_on)
    return tuple(out)


def _over_limit(settings: Settings, asked: int, of_provider: int, provider: str) -> Answer | None:
    """Why no more is asked: a change full of made-up tokens cannot make the gate flood a provider
    (whose answer to many failed logins can be to block the runner's address)."""
    if asked >= settings.max_requests:
        return Answer(
            Validity.UNKNOWN, f"over the limit of {settings.max_requests} credentials asked about in one review"
        )
    if of_provider >= settings.max_per_provider:
        return Answer(
            Validity.UNKNOWN,
            f"over the limit of {settings.max_per_provider} credentials asked of {provider} in one review",
        )
    return None


_NO_KEY_ID = Answer(Validity.UNKNOWN, "no access key id was found beside it to ask AWS with")


def _counted(j: Judged) -> bool:
    """A secrets finding the review counts that is about a value (not a note such as a file too
    large to read, or a member that could not be opened)."""
    f = j.finding
    return j.outcome is not Outcome.SUPPRESSED and f.check == ID and (f.secret is not None or f.rule in BY_RULE)


def _plan(f: Finding, partner: str | None) -> tuple[Provider, str, str] | Answer:
    """The provider, value and partner value to ask with, or why nothing can be asked."""
    provider = BY_RULE.get(f.rule)
    if provider is None:
        return Answer(Validity.UNKNOWN, "no verifier for this kind of credential")
    if f.secret is None:
        return Answer(Validity.UNKNOWN, "the value is not kept for this kind of finding")
    value = f.secret.value
    if not _header_safe(value):
        return Answer(Validity.UNKNOWN, "its value cannot travel in an HTTP header as it is")
    if not provider.takes(value):
        return Answer(Validity.UNKNOWN, f"{provider.name} offers no harmless check for this kind of its credentials")
    if provider.pairs_with and not partner:
        return Answer(Validity.UNKNOWN, "its secret key was not found beside it, and the key id alone proves nothing")
    return provider, value, partner or ""


def _header_safe(value: str) -> bool:
    """Printable ASCII without spaces: nothing that could end a header or start another."""
    return bool(value) and all("!" <= c <= "~" for c in value)


def _pairs(judged: Sequence[Judged], asked: Sequence[int]) -> dict[int, int]:
    """Key id finding -> the secret key finding of the same file and commit nearest to it."""
    halves: dict[tuple[str, str | None], list[int]] = {}
    for i in asked:
        f = judged[i].finding
        if f.rule in PARTNER_RULES and f.secret is not None and _header_safe(f.secret.value):
            halves.setdefault((f.path, f.commit), []).append(i)
    pairs: dict[int, int] = {}
    for i in asked:
        f = judged[i].finding
        provider = BY_RULE.get(f.rule)
        near = halves.get((f.path, f.commit), [])
        if provider is None or not provider.pairs_with or not near:
            continue
        pairs[i] = min(near, key=lambda k: abs((judged[k].finding.line or 0) - (f.line or 0)))
    return pairs


def _apply(j: Judged, answer: Answer, provider: str, fail_on: str) -> Judged:
    f = j.finding
    if answer.validity is Validity.LIVE:
        severity = Severity.ERROR
        message = f"{f.message}; LIVE: {provider} accepted it ({answer.why}): rotate it now"
        remediation = f"Rotate it now: it works. {f.remediation}"
    elif answer.validity is Validity.REVOKED:
        severity = Severity.WARNING
        message = f"{f.message}; revoked: {provider} refused it ({answer.why}): remove it anyway"
        remediation = f"Remove it anyway: it no longer works, but a pushed value stays in the history. {f.remediation}"
    else:
        severity = f.severity
        message = f"{f.message}; validity unknown: {answer.why}"
        remediation = f.remediation
    finding = replace(f, severity=severity, message=message, remediation=remediation, validity=answer.validity.value)
    failing = severity is Severity.ERROR or (fail_on == "warning" and severity is Severity.WARNING)
    return replace(j, finding=finding, outcome=Outcome.FAIL if failing else Outcome.WARN)
