"""The orchestrator: stream the change once through every check, judge, and give one verdict.

Git's output is consumed as a stream: each file change is handed to every check as it arrives, so
a long range is never held in memory. A check that raises is stopped and marked `error`, and the
review fails closed with the reason in the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import policy
from .baseline import Baseline
from .checks import CHECKS, Check, load, reads_commits, scan_commit, scan_commits, summarize
from .config import Config
from .content import Content
from .model import Commit, FileChange, Finding, Setup, Target
from .policy import Judged, Outcome
from .redaction import scrub

Progress = Callable[[int, int], None]  # (files seen, commits seen)


@dataclass(frozen=True)
class CheckRun:
    name: str
    status: str  # pass | fail | error | skipped
    findings: int
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class Review:
    target: Target
    judged: tuple[Judged, ...]
    checks: tuple[CheckRun, ...]
    config_source: str = "built-in defaults"
    files: int = 0
    commits: int = 0
    details: dict[str, Any] = field(default_factory=dict, compare=False)  # check id -> its summary (cla: who signed)

    @property
    def errors(self) -> tuple[CheckRun, ...]:
        return tuple(c for c in self.checks if c.status == "error")

    @property
    def passed(self) -> bool:
        return not self.errors and not any(j.outcome is Outcome.FAIL for j in self.judged)

    @property
    def verdict(self) -> str:
        return "pass" if self.passed else "fail"


@dataclass
class _Running:
    """One check while the stream flows: its options, path filter, findings and time so far."""

    check: Check
    opts: Any
    excluded: Callable[[str], bool]
    allowed: Callable[[str], bool]
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    def call(self, work: Callable[..., Iterable[Finding]], *args: Any) -> None:
        """Run one piece of the check's work, timing it; the first crash stops the check."""
        if self.error is not None:
            return
        started = time.perf_counter()
        try:
            self.findings.extend(work(*args))
        except Exception as exc:
            self.error = failure(exc)
        self.seconds += time.perf_counter() - started


def failure(exc: BaseException) -> str:
    """What a crash says in the report: its type and message, with anything secret-looking masked
    (an exception can quote the line it choked on)."""
    return scrub(f"{type(exc).__name__}: {exc}", limit=None, opaque_tokens=False)


def select_checks(config: Config, only: Sequence[str] = ()) -> list[str]:
    """Checks to run: those named by --check, else those the policy enables, that this release has."""
    wanted = list(only) if only else list(config.enabled)
    return [c for c in wanted if c in CHECKS]


def run_review(
    target: Target,
    items: Iterable[Commit | FileChange],
    config: Config,
    only: Sequence[str] = (),
    progress: Progress | None = None,
    fail_on: str = "error",
    baseline: Baseline | None = None,
    content: Content | None = None,
    inputs: dict[str, Any] | None = None,
) -> Review:
    """Run the selected checks over the stream of commits and file changes of `target`.

    `content` (whole files of the reviewed tree) defaults to the one `git.collect` attaches to its
    stream; checks that read files get it through their options."""
    if content is None:
        content = getattr(items, "content", None)
    loaded = inputs or {}  # check id -> what the session loaded for it from outside the change
    running = {name: _start(name, config, content, loaded.get(name)) for name in select_checks(config, only)}
    keep_commits = any(reads_commits(run.check, run.opts) for run in running.values())
    commits: list[Commit] = []  # held only for checks that look at commits: memory stays flat
    files = commit_count = 0
    for item in items:
        if isinstance(item, Commit):
            commit_count += 1
            if keep_commits:
                commits.append(item)
            for run in running.values():
                run.call(scan_commit, run.check, item, run.opts)
        else:
            files += 1
            for run in running.values():
                if not run.excluded(item.path):
                    run.call(_scan_file, run.check, item, run.opts)
        if progress is not None:
            progress(files, commit_count)
    details: dict[str, Any] = {}
    for name, run in running.items():
        run.call(scan_commits, run.check, commits, run.opts)
        run.call(_summarize, details, name, run.check, commits, run.opts)
    findings = _first_of_each(f for run in running.values() for f in run.findings)
    redacted = (replace(f, excerpt=scrub(f.excerpt)) for f in findings)
    judged = policy.decide(redacted, fail_on, baseline, lambda f: running[f.check].allowed(f.path))
    checks = tuple(_summary(name, run, judged) for name, run in running.items())
    return Review(target, judged, checks, config.source, files, commit_count, details)


def _summarize(details: dict[str, Any], name: str, check: Check, commits: Sequence[Commit], opts: Any) -> tuple[()]:
    found = summarize(check, commits, opts)
    if found is not None:
        details[name] = found
    return ()


def _start(name: str, config: Config, content: Content | None = None, loaded: Any = None) -> _Running:
    check = load(name)
    table = config.table(name)
    run = _Running(
        check, None, _path_filter(table.get("exclude-paths", [])), _path_filter(table.get("allow-paths", []))
    )
    try:
        run.opts = check.options(table, Setup(content, loaded))
    except Exception as exc:
        run.error = failure(exc)
    return run


def _path_filter(patterns: Sequence[str]) -> Callable[[str], bool]:
    if not patterns:
        return lambda path: False
    import pathspec  # only when a policy excludes paths

    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return spec.match_file


def _scan_file(check: Check, change: FileChange, opts: Any) -> list[Finding]:
    """A check's findings on one file, each with the checks an inline allow marker on its first or
    last line names."""
    found = list(check.scan_file(change, opts))
    if not found:
        return found
    text = {line.lineno: line.text for line in change.added}
    marked = []
    for f in found:
        allowed = policy.allowed_checks(text.get(f.line or 0, "")) | policy.allowed_checks(
            text.get(f.end_line or 0, "")
        )
        marked.append(replace(f, allowed_by=allowed) if allowed else f)
    return marked


def _first_of_each(findings: Iterable[Finding]) -> list[Finding]:
    """A secret added in one commit and kept (or re-added) later is reported once, where it began."""
    seen: set[str] = set()
    unique = []
    for f in findings:
        if f.fingerprint not in seen:
            seen.add(f.fingerprint)
            unique.append(f)
    return unique


def _summary(name: str, run: _Running, judged: Sequence[Judged]) -> CheckRun:
    mine = [j for j in judged if j.finding.check == name]
    if run.error is not None:
        status = "error"
    elif any(j.outcome is Outcome.FAIL for j in mine):
        status = "fail"
    else:
        status = "pass"
    counted = sum(1 for j in mine if j.outcome is not Outcome.SUPPRESSED)
    return CheckRun(name, status, counted, round(run.seconds, 4), run.error)
