"""Runs the verification requests of one review within three bounds.

- Per request: a timeout (connect and each read), never more than what is left of the budget.
- At once: at most `concurrency` requests in flight, so a review with many findings does not
  flood a provider (or trip its rate limit).
- In all: a total budget; what has not answered when it runs out is `unknown`, and the review
  goes on. Workers are daemon threads, so one stuck on a server that drips bytes cannot hold the
  process past its verdict.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .answers import Answer, Request, Response, Validity
from .http import Failed, safe, send

Send = Callable[[Request, float, tuple[str, ...]], Response]
Progress = Callable[[int, int], None]  # (answered, asked): drawn on a terminal's stderr


@dataclass(frozen=True)
class Job:
    """One question to one provider: the request, how to read its answer, the values it carries
    (masked in any error text)."""

    request: Request
    read: Callable[[Response, Request], Answer]
    secrets: tuple[str, ...]


def run(
    jobs: Sequence[Job],
    timeout: float,
    budget: float,
    concurrency: int,
    sender: Send = send,
    progress: Progress | None = None,
) -> list[Answer]:
    """One answer per job, in order, within the bounds above; `progress` hears of each answer and,
    at the end, of all (so a line it draws can be erased)."""
    answers: list[Answer | None] = [None] * len(jobs)
    if not jobs:
        return []
    answered = [0]
    closed = [False]  # the review went on: a late answer is dropped, and draws nothing
    deadline = time.monotonic() + budget
    lock = threading.Lock()
    done = threading.Condition(lock)
    queue = list(range(len(jobs)))
    queue.reverse()

    def work() -> None:
        while True:
            with lock:
                if not queue:
                    return
                index = queue.pop()
            left = deadline - time.monotonic()
            answer = _ask(jobs[index], min(timeout, left), sender) if left > 0 else None
            with done:
                if closed[0]:
                    return
                answers[index] = answer if answer is not None else _over(budget)
                answered[0] += 1
                if progress is not None:
                    progress(answered[0], len(jobs))
                done.notify_all()

    if progress is not None:
        progress(0, len(jobs))
    for _ in range(max(1, min(concurrency, len(jobs)))):
        threading.Thread(target=work, name="contribution-gate-verify", daemon=True).start()
    with done:
        while any(a is None for a in answers):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            done.wait(left)
        queue.clear()  # nothing more starts; what is in flight finishes on its own
        closed[0] = True
        if progress is not None:
            progress(len(jobs), len(jobs))
        return [a if a is not None else _over(budget) for a in answers]


def _ask(job: Job, timeout: float, sender: Send) -> Answer:
    try:
        return job.read(sender(job.request, timeout, job.secrets), job.request)
    except Failed as exc:
        return Answer(Validity.UNKNOWN, f"no answer: {exc}")
    except Exception as exc:  # one provider's odd answer never stops the review
        return Answer(Validity.UNKNOWN, f"{job.request.shown}: {safe(f'{type(exc).__name__}: {exc}', job.secrets)}")


def _over(budget: float) -> Answer:
    return Answer(
        Validity.UNKNOWN, f"no answer within the verification budget of {budget:g} s ([secrets] verify-budget)"
    )
