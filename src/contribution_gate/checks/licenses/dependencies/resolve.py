"""The license of each package version, cheapest source first: what the lockfile records, an
installed copy, the per-user cache, then deps.dev (only when `[licenses] dependencies` is
"online"). An unpinned requirement is judged at the version it installs today: the package's
default version when the range takes it, else the highest version inside the range.

The network is used within bounds: at most `WORKERS` requests at once, each with a timeout, and
`BUDGET` seconds for all of one review; whatever is left when the budget is spent stays unresolved
(a warning naming why), never waited for. Answers are cached on the thread that owns the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..ids import Expr, InvalidExpression, Lic, Op, licenses_of
from ..manifests import interpret
from .cache import KEEP_FOUND, KEEP_MISSING, KEEP_PACKAGE, Cache
from .depsdev import MISSING, OK, Answer, Client
from .installed import Installed
from .model import PACKAGIST, PEP440, Dep, normal_name
from .versions import RangeError, best, compile_range, version_key

ONLINE, OFFLINE, OFF = "online", "offline", "off"
WORKERS = 8
BUDGET = 60.0
LOCKFILE, INSTALLED, CACHED, DEPS_DEV = "lockfile", "installed copy", "cache of deps.dev", "deps.dev"


@dataclass(frozen=True, slots=True)
class Resolution:
    """A package version's license (`expr`, as written in `text`), the version it is for, where it
    came from; or, with `expr` None, why it is not known."""

    expr: Expr | None
    text: str = ""
    version: str | None = None
    source: str = ""
    problem: str = ""


def read_license(candidates: Sequence[tuple[str, str]]) -> tuple[Expr | None, str, str]:
    """The first candidate (text, how to read it) that names only licenses the gate knows, else
    the first that parses: (expression, text, problem). Several trove classifiers (one per line)
    are a choice (OR): that is how packages use them, a dual-licensed package lists each of its
    licenses (text-unidecode: Artistic, GPL); several deps.dev expressions all apply (AND)."""
    first: tuple[Expr | None, str, str] | None = None
    for text, mode in candidates:
        parts = [p for p in text.split("\n") if p.strip()] if mode == "classifier" else [text]
        exprs: list[Expr] = []
        problem = ""
        for part in parts:
            try:
                expr, why = interpret(part, mode)
            except (InvalidExpression, RecursionError, ValueError) as exc:
                expr, why = None, str(exc)[:200]
            if expr is None:
                problem = why or f"{part[:80]!r} is not a license expression"
                break
            exprs.append(expr)
        if problem or not exprs:
            first = first or (None, text, problem or "no license")
            continue
        combined: Expr = exprs[0] if len(exprs) == 1 else Op("OR" if mode == "classifier" else "AND", tuple(exprs))
        shown = str(combined) if mode in ("classifier", "name") else text
        found = (combined, shown, "")
        if all(lic.known and lic.key not in ("non-standard", "unknown") for lic in licenses_of(combined)):
            return found
        first = first or found
    return first or (None, "", "no license is declared")


def _expressions(licenses: Sequence[str]) -> tuple[Expr | None, str, str]:
    if not licenses:
        return None, "", "deps.dev knows no license for it"
    if any(text.lower() == "non-standard" for text in licenses):
        return None, "non-standard", "deps.dev says its license is non-standard (no SPDX id)"
    expr, text, problem = read_license([(" AND ".join(f"({x})" if " " in x else x for x in licenses), "expression")])
    return expr, "; ".join(licenses) if len(licenses) > 1 else text, problem


@dataclass
class Resolver:
    """Resolves for one review; results are kept, so a package seen in several files or commits
    is looked up once."""

    mode: str
    installed: Installed = field(default_factory=lambda: Installed(None))
    cache: Cache | None = None
    client: Client | None = None
    budget: float = BUDGET
    clock: Callable[[], float] = time.monotonic
    _memo: dict[tuple[str, str, str, str], Resolution] = field(default_factory=dict)
    _deadline: float | None = None
    asked: int = 0  # requests sent to deps.dev (for the benchmark and the tests)

    def resolve(self, deps: Sequence[Dep]) -> list[Resolution]:
        out: list[Resolution | None] = []
        pending: dict[tuple[str, str, str, str], Dep] = {}
        for dep in deps:
            key = (
                dep.ecosystem,
                normal_name(dep.ecosystem, dep.name),
                dep.version or "",
                "" if dep.version else dep.spec,
            )
            found = self._memo.get(key)
            if found is None and key not in pending:
                found = self._local(dep)
                if found is None:
                    pending[key] = dep
                else:
                    self._memo[key] = found
            out.append(found)
        if pending:
            self._remote(pending)
        return [r if r is not None else self._memo[self._key(dep)] for r, dep in zip(out, deps, strict=True)]

    @staticmethod
    def _key(dep: Dep) -> tuple[str, str, str, str]:
        return (dep.ecosystem, normal_name(dep.ecosystem, dep.name), dep.version or "", "" if dep.version else dep.spec)

    # -- local sources -------------------------------------------------------------------------

    def _local(self, dep: Dep) -> Resolution | None:
        if dep.license:
            expr, text, problem = read_license([(dep.license, "expression")])
            return Resolution(expr, text, dep.version, LOCKFILE, problem)
        if dep.source_note:
            return Resolution(None, "", dep.version, "", f"it is {dep.source_note}, not a registry release")
        accept = self._acceptor(dep)
        copy = self.installed.find(dep, accept)
        if copy is not None:
            expr, text, problem = read_license(copy.candidates)
            if expr is not None:
                return Resolution(expr, text, copy.version, f"{INSTALLED} ({copy.version})", problem)
        return self._cached(dep, accept)

    def _acceptor(self, dep: Dep) -> Callable[[str], bool]:
        if dep.version:
            wanted = version_key(dep.version)
            return lambda v: version_key(v) == wanted
        if dep.spec:
            try:
                return compile_range(dep.spec, dep.spec_kind)
            except RangeError:
                try:
                    return compile_range(dep.spec, "" if dep.spec_kind == PEP440 else PEP440)
                except RangeError:
                    return lambda v: True
        return lambda v: True

    def _cached(self, dep: Dep, accept: Callable[[str], bool]) -> Resolution | None:
        if self.cache is None:
            return None
        system, name = dep.ecosystem, self._name(dep)
        version = dep.version
        if version is None:
            hit, package = self.cache.get("package", system, name, "", KEEP_PACKAGE)
            if not hit or not isinstance(package, dict):
                return None
            version = best(package.get("versions") or (), accept, package.get("default"))
            if version is None:
                return Resolution(None, "", None, "", f"no published version is inside {dep.spec or 'the range'}")
        found, licenses = self.cache.get("version", system, name, version, KEEP_FOUND)
        if not found:
            return None
        if licenses is None:
            hit, _ = self.cache.get("version", system, name, version, KEEP_MISSING)
            if not hit:
                return None
            return Resolution(None, "", version, CACHED, "deps.dev does not know this package version")
        expr, text, problem = _expressions(licenses)
        return Resolution(expr, text, version, CACHED, problem)

    # -- deps.dev ------------------------------------------------------------------------------

    def _remote(self, pending: dict[tuple[str, str, str, str], Dep]) -> None:
        if self.mode != ONLINE or self.client is None:
            why = 'no lockfile, installed copy or cache knows it, and deps.dev is not asked ([licenses] dependencies = "offline")'
            for key, dep in pending.items():
                self._memo[key] = Resolution(None, "", dep.version, "", why)
            return
        served = {k: d for k, d in pending.items() if d.ecosystem != PACKAGIST}
        for key, dep in pending.items():
            if dep.ecosystem == PACKAGIST:
                why = "deps.dev does not serve Packagist: its license comes from composer.lock or vendor/ only"
                self._memo[key] = Resolution(None, "", dep.version, "", why)
        if self._deadline is None:
            self._deadline = self.clock() + self.budget
        chosen: dict[tuple[str, str, str, str], str | None] = {k: d.version for k, d in served.items()}
        unpinned = {(d.ecosystem, self._name(d)) for k, d in served.items() if d.version is None}
        packages = self._fetch({p: self._package_call(*p) for p in unpinned})
        for (system, name), answer in packages.items():
            if answer.status == OK and self.cache is not None:
                self.cache.put("package", system, name, "", answer.value)
        problems: dict[tuple[str, str, str, str], str] = {}
        for key, dep in served.items():
            if dep.version is not None:
                continue
            answer = packages.get((dep.ecosystem, self._name(dep)), Answer("failed", why="not asked"))
            if answer.status != OK:
                problems[key] = answer.why
                continue
            version = best(answer.value["versions"], self._acceptor(dep), answer.value["default"])
            chosen[key] = version
            if version is None:
                problems[key] = f"no published version is inside {dep.spec or 'the range'}"
        wanted = {(d.ecosystem, self._name(d), v) for k, d in served.items() if (v := chosen[k]) is not None}
        versions = self._fetch({w: self._version_call(*w) for w in wanted})
        for (system, name, version), answer in versions.items():
            if self.cache is not None and answer.status in (OK, MISSING):
                self.cache.put("version", system, name, version, answer.value if answer.status == OK else None)
        for key, dep in served.items():
            version = chosen[key]
            if key in problems or version is None:
                self._memo[key] = Resolution(None, "", version, "", problems.get(key, "no version"))
                continue
            answer = versions.get((dep.ecosystem, self._name(dep), version), Answer("failed", why="not asked"))
            if answer.status != OK:
                self._memo[key] = Resolution(None, "", version, "", answer.why)
                continue
            expr, text, problem = _expressions(answer.value)
            self._memo[key] = Resolution(expr, text, version, DEPS_DEV, problem)

    def _package_call(self, system: str, name: str) -> Callable[[], Answer]:
        return lambda: self._client().package(system, name, self._left())

    def _version_call(self, system: str, name: str, version: str) -> Callable[[], Answer]:
        return lambda: self._client().version(system, name, version, self._left())

    def _client(self) -> Client:
        assert self.client is not None
        return self.client

    @staticmethod
    def _name(dep: Dep) -> str:
        return normal_name(dep.ecosystem, dep.name) if dep.ecosystem == "pypi" else dep.name

    def _left(self) -> float:
        assert self._deadline is not None
        return max(0.0, self._deadline - self.clock())

    def _fetch(self, calls: dict[tuple[str, ...], Callable[[], Answer]]) -> dict[tuple[str, ...], Answer]:
        """Run the calls, `WORKERS` at a time, until the review's budget is spent."""
        results: dict[tuple[str, ...], Answer] = {}
        if not calls:
            return results
        spent = f"not asked: the {self.budget:g} s budget for deps.dev in one review is spent"
        if self._left() <= 0:
            return {key: Answer("failed", why=spent) for key in calls}
        pool = ThreadPoolExecutor(max_workers=WORKERS)
        try:
            futures = {key: pool.submit(self._guarded, call, spent) for key, call in calls.items()}
            self.asked += len(futures)
            wait(futures.values(), timeout=self._left() + 1.0)
            for key, future in futures.items():
                results[key] = future.result() if future.done() else Answer("failed", why=spent)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return results

    def _guarded(self, call: Callable[[], Answer], spent: str) -> Answer:
        if self._left() <= 0:
            return Answer("failed", why=spent)
        try:
            return call()
        except Exception as exc:  # a worker's failure is that package's, not the review's
            return Answer("failed", why=f"asking deps.dev failed ({type(exc).__name__})")


def known(expr: Expr) -> bool:
    return all(
        isinstance(lic, Lic) and lic.known and lic.key not in ("unknown", "non-standard") for lic in licenses_of(expr)
    )
