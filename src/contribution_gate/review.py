"""The orchestrator: stream the change once through every check, judge, and give one verdict.

Git's output is consumed as a stream: each file change is handed to every check as it arrives, so
a long range is never held in memory. A check that raises, or that runs past its time budget for
the review (`[review] max-seconds-per-check`, looked at between files), is stopped and marked
`error`, and the review fails closed with the reason in the report.

Every copy of a finding is judged (inline markers are per line), then one per fingerprint is kept,
the worst: a marked copy never hides an unmarked one. In a range, a finding allowed by a marker in
one commit is looked for again in the file as the range leaves it: if it survives there unmarked
(the marker was removed later), the allowance does not hold.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import policy
from .baseline import Baseline
from .checks import CHECKS, Check, load, reads_commits, scan_commit, scan_commits, summarize
from .config import Config
from .content import Content
from .diff import decode
from .errors import ConfigError, PolicyValueError
from .model import AddedLines, Commit, FileChange, Finding, Setup, Target, with_excerpt
from .policy import Judged, Outcome
from .redaction import scrub
from .surveys import Surveys

Progress = Callable[[int, int], None]  # (files seen, commits seen)
MAX_RESCAN = 32 << 20  # bytes of a file read again to confirm a marker (past it: not confirmed)


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
    policy_reason: str = ""  # why the policy named by config_source judged (the session's choice, see trust.py)
    warnings: tuple[str, ...] = field(
        default=(), compare=False
    )  # what the user must see: ignored policy keys, an empty range

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
    """One check while the stream flows: its options, path filter, findings, time so far and budget."""

    check: Check
    opts: Any
    excluded: Callable[[str], bool]
    allowed: Callable[[str], bool]
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    budget: float | None = None  # seconds for the whole review; None: no limit
    policy_source: str = ""
    marked: dict[str, str | None] = field(default_factory=dict)  # path of a marker-allowed finding -> last commit

    def scan(self, change: FileChange) -> None:
        """The check's work on one file of the stream; a path where a marker allowed a finding is
        followed to its last change (None: deleted), where the marker must still stand."""
        if self.excluded(change.path):
            return
        before = len(self.findings)
        self.call(_scan_file, self.check, change, self.opts)
        new = self.findings[before:]
        if change.path in self.marked or (change.commit is not None and any(map(policy.marker_allows, new))):
            self.marked[change.path] = change.commit if change.status != "D" else None

    def call(self, work: Callable[..., Iterable[Finding]], *args: Any) -> None:
        """Run one piece of the check's work, timing it; the first crash, or the time budget running
        out, stops the check. A wrong policy value found while working is the policy's error."""
        if self.error is not None:
            return
        started = time.perf_counter()
        try:
            self.findings.extend(work(*args))
        except PolicyValueError as exc:
            raise ConfigError(f"{self.policy_source}: {exc}") from None
        except Exception as exc:
            self.error = failure(exc)
        self.seconds += time.perf_counter() - started
        self.check_budget()

    def check_budget(self) -> None:
        """Past its budget for the review, the check stops with an error saying so."""
        if self.error is None and self.budget is not None and self.seconds > self.budget:
            self.error = (
                f"stopped after {self.seconds:.1f} s, over its budget of {self.budget:g} s for one review "
                f"([review] max-seconds-per-check): its findings are incomplete; raise the budget or "
                f"exclude paths (exclude-paths) it need not read"
            )


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
    verify: Any = None,
    repository: str = "",
    jobs: int | None = 1,
) -> Review:
    """Run the selected checks over the stream of commits and file changes of `target`.

    `content` (whole files of the reviewed tree) defaults to the one `git.collect` attaches to its
    stream; checks that read files get it through their options. `verify` (the settings of
    `--verify`): the counted secrets findings are asked of their providers before the verdict.
    `repository`: the reviewed repository's name (see `Setup`). `jobs`: processes that may review
    parts of a stream that can be cut (`items.split`, see `parallel.py`); None: one per CPU, for
    a range or tree big enough to gain from it."""
    if content is None:
        content = getattr(items, "content", None)
    loaded = inputs or {}  # check id -> what the session loaded for it from outside the change
    whole_tree = target.kind in ("all-files", "files")
    surveys = Surveys()  # one archive walk told to the checks that would walk it again
    running = {
        name: _start(name, config, Setup(content, loaded.get(name), repository, whole_tree, surveys))
        for name in select_checks(config, only)
    }
    keep_commits = any(reads_commits(run.check, run.opts) for run in running.values())
    cut = _cut(items, jobs)
    if cut is None:
        streamed = _stream(items, running, keep_commits, progress)
    else:
        from . import parallel  # multiprocessing: only a review that is cut pays for importing it
        from .parts import default_jobs

        work = lambda part, tick: _stream(part, _fresh(running), keep_commits, tick, parts=True)  # noqa: E731
        workers = default_jobs() if jobs is None else jobs
        streamed = _merged(parallel.run_parts(cut, workers, work, progress), running)
    files, commit_count, commits = streamed.files, streamed.commits, streamed.kept
    details: dict[str, Any] = {}
    for name, run in running.items():
        run.call(_confirm_markers, run, content)
        run.call(scan_commits, run.check, commits, run.opts)
        run.call(_summarize, details, name, run.check, commits, run.opts)
    close = getattr(content, "close", None)  # a reader reopened after the stream ended (markers)
    if close is not None:
        close()
    found = (f for run in running.values() for f in run.findings)
    path_allowed = lambda f: running[f.check].allowed(f.path)  # noqa: E731
    decided = policy.decide(found, fail_on, baseline, path_allowed, one_per_fingerprint=True)
    if verify is not None and "secrets" in running:  # the providers' time is the secrets check's (-v)
        from .checks.secrets.verify import verify as ask_providers

        started = time.perf_counter()
        decided = tuple(sorted(ask_providers(decided, verify, fail_on), key=lambda j: j.finding.sort_key))
        running["secrets"].seconds += time.perf_counter() - started
    judged = tuple(replace(j, finding=with_excerpt(_without_value(j.finding), scrub)) for j in decided)
    checks = tuple(_summary(name, run, judged) for name, run in running.items())
    return Review(target, judged, checks, config.source, files, commit_count, details)


@dataclass
class _Streamed:
    """What a stream (or a part of one) left: counts, the commits kept, and, for a part, each
    check's state and the last commit that changed each path (None: deleted)."""

    files: int = 0
    commits: int = 0
    kept: list[Commit] = field(default_factory=list)  # held only for checks that look at commits
    states: dict[str, tuple[list[Finding], float, str | None, dict[str, str | None]]] = field(default_factory=dict)
    last_change: dict[str, str | None] = field(default_factory=dict)


def _stream(
    items: Iterable[Commit | FileChange],
    running: dict[str, _Running],
    keep_commits: bool,
    progress: Progress | None,
    parts: bool = False,
) -> _Streamed:
    """Every item through every check; `parts`: this is one part of a cut stream (a worker's)."""
    streamed = _Streamed()
    for item in items:
        if isinstance(item, Commit):
            streamed.commits += 1
            if keep_commits:
                streamed.kept.append(item)
            for run in running.values():
                run.call(scan_commit, run.check, item, run.opts)
        else:
            streamed.files += 1
            for run in running.values():
                run.scan(item)
            if parts and item.commit is not None:
                streamed.last_change[item.path] = item.commit if item.status != "D" else None
        if progress is not None:
            progress(streamed.files, streamed.commits)
    if parts:
        streamed.states = {name: (r.findings, r.seconds, r.error, r.marked) for name, r in running.items()}
    return streamed


def _cut(items: Iterable[Commit | FileChange], jobs: int | None) -> list[Any] | None:
    """The parts of the stream for `jobs` processes (None: one per CPU, when it is big enough), or
    None to review it in this process: one job, no `fork` here, a stream that cannot be cut (the
    index) or is too small to gain from it."""
    split = getattr(items, "split", None)
    if split is None or jobs == 1 or not hasattr(os, "fork"):
        return None
    return split(jobs)  # type: ignore[no-any-return]


def _fresh(running: dict[str, _Running]) -> dict[str, _Running]:
    """The checks as set up, with nothing found yet: a worker's start on each part."""
    return {name: replace(run, findings=[], seconds=0.0, marked={}) for name, run in running.items()}


def _merged(done: Sequence[_Streamed], running: dict[str, _Running]) -> _Streamed:
    """The parts' results, in order, put into `running` as the serial stream would have left it:
    findings in stream order, times added up (over the budget: the check's error, as if it had
    run alone), the first error, and each marker-allowed path followed to its last change."""
    total = _Streamed()
    for part in done:
        total.files += part.files
        total.commits += part.commits
        total.kept += part.kept
        for name, (findings, seconds, error, marked) in part.states.items():
            run = running[name]
            run.findings += findings
            run.seconds += seconds
            run.error = run.error or error
            for path in run.marked.keys() & part.last_change.keys():
                run.marked[path] = part.last_change[path]
            run.marked.update(marked)
    for run in running.values():
        run.check_budget()
    return total


def _without_value(finding: Finding) -> Finding:
    """The finding without the found value it carried for `--verify`: nothing past the review holds it."""
    return finding if finding.secret is None else replace(finding, secret=None)


def _summarize(details: dict[str, Any], name: str, check: Check, commits: Sequence[Commit], opts: Any) -> tuple[()]:
    found = summarize(check, commits, opts)
    if found is not None:
        details[name] = found
    return ()


def _start(name: str, config: Config, setup: Setup) -> _Running:
    check = load(name)
    table = config.table(name)
    run = _Running(
        check,
        None,
        _path_filter(table.get("exclude-paths", [])),
        _path_filter(table.get("allow-paths", [])),
        budget=config.seconds_per_check,
        policy_source=config.source,
    )
    try:
        run.opts = check.options(table, setup)
    except PolicyValueError as exc:
        raise ConfigError(f"{config.source}: {exc}") from None
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
    last line names (a marker that allows nothing is named in the finding's message)."""
    found = list(check.scan_file(change, opts))
    if not found:
        return found
    text = {line.lineno: line.text for line in change.added}
    return [_marked(f, text) for f in found]


def _marked(f: Finding, text: dict[int, str]) -> Finding:
    lines = {f.line or 0, f.end_line or 0}
    marks = policy.Markers()
    for number in lines:
        if number in text:
            marks = marks | policy.markers(text[number])
    if marks.allowed:
        f = replace(f, allowed_by=marks.allowed)
    if marks.problems and not policy.marker_allows(f):
        f = replace(f, message=f"{f.message} (the inline marker allows nothing: {'; '.join(marks.problems)})")
    return f


def _confirm_markers(run: _Running, content: Content | None) -> tuple[()]:
    """In a range, a finding a marker allowed in one commit still counts when its file was changed
    later and, as the range leaves it, holds the same finding with no marker: the marker was
    removed (for a one-line finding the later commit re-adds the line and is judged itself; for a
    multi-line one, such as a key block, only the rescan sees it). A file that cannot be read
    again confirms nothing, so the finding counts."""
    rescanned: dict[str, list[Finding] | None] = {}
    for index, f in enumerate(run.findings):
        if f.commit is None or not policy.marker_allows(f) or f.path not in run.marked:
            continue
        if run.marked[f.path] in (f.commit, None):  # the marked version is the last, or the file is gone
            continue
        if f.path not in rescanned:
            rescanned[f.path] = _rescan(run, f.path, content)
        survivors = rescanned[f.path]
        if survivors is None:
            note = "its allow marker could not be confirmed: the file as the range leaves it cannot be read"
        elif any(s.fingerprint == f.fingerprint and not policy.marker_allows(s) for s in survivors):
            note = "its allow marker was removed by a later commit of the range"
        else:
            continue
        run.findings[index] = replace(f, allowed_by=frozenset(), message=f"{f.message} ({note})")
    return ()


def _rescan(run: _Running, path: str, content: Content | None) -> list[Finding] | None:
    """The check's findings on the file as the reviewed tree has it, every line taken as added."""
    if content is None:
        return None
    with content.open_path(path) as stream:
        if stream is None:
            return []
        data = stream.read(MAX_RESCAN + 1)
    if len(data) > MAX_RESCAN or b"\x00" in data:
        return None
    lines = decode(data).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    added = AddedLines("\n".join(line.rstrip("\r") for line in lines), (range(1, len(lines) + 1),))
    return _scan_file(run.check, FileChange(path, "A", added=added), run.opts)


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
