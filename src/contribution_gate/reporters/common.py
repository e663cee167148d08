"""What every reporter says the same way: how a target is named, how results are counted."""

from __future__ import annotations

from collections import Counter

from ..model import Finding, Severity, Target
from ..policy import Outcome
from ..review import Review
from ..wording import plural


def describe_target(target: Target) -> str:
    if target.kind == "staged":
        return "staged changes"
    if target.kind == "all-files":
        return f"all tracked files at {_short(target.head)}"
    if target.kind == "files":
        return "the named files of the working tree"
    if target.kind == "received":
        return f"the pushed commits no ref of the repository has ({', '.join(_short(t) for t in target.tips)})"
    if target.kind == "unpushed":
        return f"commits of {_short(target.head)} that no remote branch has"
    if target.base is None:
        return f"root commit {_short(target.head)}"
    return f"commits {_short(target.base)}..{_short(target.head)}"


def _short(sha: str | None) -> str:
    return (sha or "")[:12]


def tally(review: Review) -> Counter[Outcome]:
    return Counter(j.outcome for j in review.judged)


def summary_line(review: Review) -> str:
    """`FAIL: 2 errors, 1 warning, 3 notes (1 suppressed) in 4 files, 1 commit; 1 check could not run: ...`."""
    counts = tally(review)
    notes = sum(1 for j in review.judged if j.outcome is Outcome.WARN and j.finding.severity is Severity.NOTE)
    parts = [_plural(counts[Outcome.FAIL], "error"), _plural(counts[Outcome.WARN] - notes, "warning")]
    if notes:
        parts.append(_plural(notes, "note"))
    line = f"{review.verdict.upper()}: {', '.join(parts)}"
    if counts[Outcome.SUPPRESSED]:
        line += f" ({counts[Outcome.SUPPRESSED]} suppressed)"
    line += f" in {plural(review.files, 'file')}" + (f", {plural(review.commits, 'commit')}" if review.commits else "")
    if review.errors:
        line += f"; {plural(len(review.errors), 'check')} could not run: {', '.join(c.name for c in review.errors)}"
    return line


_plural = plural

# What of a check's findings the policy can accept, beyond `allow-paths` (every check has it).
_POLICY_ALLOW = {"secrets": "allow", "internal-urls": "allow", "licenses": "allow", "cla": "allow-authors"}
_MARKER = {"secrets": "pragma: allowlist secret"}


def fix_line(finding: Finding) -> str:
    """How to fix it: the check's own remediation."""
    return finding.remediation.strip() or f"See the {finding.check} check's documentation."


def false_positive_line(finding: Finding, numbered: bool = True) -> str:
    """How to mark it a false positive, in one short line: the inline marker for its line (where it
    has one; `numbered`: naming the line), a baseline (for what `baseline create` records: a file's
    findings with a value) and the policy keys that accept it."""
    ways = []
    if finding.line and finding.path:
        marker = _MARKER.get(finding.check, f"contribution-gate: allow[{finding.check}]")
        ways.append(f"`{marker}` on line {finding.line}" if numbered else f"`{marker}` on its line")
    if finding.value_key and finding.path:  # `baseline create` reviews the files, not commits
        ways.append("`contribution-gate baseline create`")
    keys = [_POLICY_ALLOW[finding.check]] if finding.check in _POLICY_ALLOW else []
    if finding.check == "models" and finding.rule == "pickle-unsafe-global":
        keys.append("allow-globals")
    if finding.path:
        keys.append("allow-paths")
    ways.append(f"[{finding.check}] {' / '.join(keys)}" if keys else f"[checks] enabled without {finding.check}")
    return ", ".join(ways[:-1]) + (", or " if len(ways) > 1 else "") + ways[-1]
