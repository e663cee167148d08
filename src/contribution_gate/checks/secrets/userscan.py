"""A project's own rules run over a file's added lines, and merged with what ours found there.

The same machinery as our rules, in a pass of its own (so a policy without rules costs nothing):
one Aho-Corasick pass over each block of lines (`blocks.blocks`) finds the rules' keywords, and
only lines holding one meet those rules; a long line is read in the same windows (`lines.WINDOW`,
`OVERLAP`). A rule without keywords runs on every line, as in gitleaks: RE2 searches the encoded
block once and only the lines where a match starts are read again. On a line where both passes
found something, every finding's excerpt masks every value of the line (ours and the user's); a
value both found is reported once, by our rule. Values go through the same placeholder test and
`[secrets] allow` as ours, and findings get the same fingerprints, so baselines and inline markers
work alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ...model import FileChange, Finding, fingerprint, value_key
from ..keywords import Keywords
from .blocks import CHUNK, Found, Numbers, blocks
from .goregex import compile_pattern
from .lines import OVERLAP, WINDOW, Hit, LineExcerpts
from .userrules import UserRule, UserRules
from .values import is_placeholder

ID = "secrets"
_NEW_NAMES = frozenset("ARC")
_TOKEN_CHARS = "_-+/=."


class _Selector:
    """Which rules a line needs, from the keywords on it; built once per set of rules. A rule
    without keywords runs everywhere; `prefilters` holds, for each such rule, its pattern with `^`
    and `$` at line ends, which finds the lines it can match in one search of a block (None when
    the pattern holds `\\A` or `\\z`, whose meaning the block would change: every line is read)."""

    def __init__(self, rules: Sequence[UserRule]) -> None:
        self.by_keyword: dict[str, list[UserRule]] = {}
        everywhere: list[UserRule] = []
        for rule in rules:
            if rule.regex is None:
                continue
            if not rule.keywords:
                everywhere.append(rule)
            for word in rule.keywords:
                self.by_keyword.setdefault(word, []).append(rule)
        self.index = Keywords(self.by_keyword) if self.by_keyword else None
        self.everywhere = tuple(everywhere)
        self.prefilters = {id(rule): _line_prefilter(rule) for rule in everywhere}
        self._chosen: dict[frozenset[str], tuple[UserRule, ...]] = {}

    def rules_for(self, words: frozenset[str]) -> tuple[UserRule, ...]:
        chosen = self._chosen.get(words)
        if chosen is None:
            unique = {id(r): r for w in sorted(words) for r in self.by_keyword.get(w, ())}
            chosen = self._chosen[words] = tuple(unique.values())
        return chosen


def _line_prefilter(rule: UserRule) -> Any:
    pattern = rule.regex.pattern if rule.regex is not None else ""
    if "\\A" in pattern or "\\z" in pattern:
        return None
    return compile_pattern(f"(?m:{pattern})")


_SELECTORS: dict[int, tuple[UserRules, _Selector]] = {}


def _selector(user: UserRules) -> _Selector:
    held = _SELECTORS.get(id(user))
    if held is not None and held[0] is user:
        return held[1]
    made = _Selector(user.rules)
    _SELECTORS.clear()  # one policy per review: keep the last only
    _SELECTORS[id(user)] = (user, made)
    return made


def skips_file(user: UserRules, change: FileChange) -> bool:
    """Whether a global allowlist (its paths or commits) takes the whole file out, as gitleaks does."""
    return any(a.skips_file(change.path, change.commit) for a in user.allowlists)


def skips_commit(user: UserRules, sha: str) -> bool:
    return any(a.skips_file("", sha) for a in user.allowlists)


def without_disabled(user: UserRules, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings of rules the policy did not turn off (a gitleaks config's `disabledRules`)."""
    return (f for f in findings if f.rule not in user.disabled)


def path_findings(user: UserRules, change: FileChange) -> Iterator[Finding]:
    """gitleaks' path-only rules: adding (or renaming to) a file whose path matches is the finding."""
    if change.status[:1] not in _NEW_NAMES:
        return
    for rule in user.rules:
        if rule.regex is not None or rule.skips_file(change.path, change.commit):
            continue
        if any(a.allows("", "", "", change.path, change.commit) for a in rule.allowlists):
            continue
        yield Finding(
            check=ID,
            rule=rule.id,
            severity=rule.severity,
            path=change.path,
            line=None,
            commit=change.commit,
            message=f"{rule.title}: the change adds {change.path}, a file this rule forbids",
            remediation="Remove the file from the change; if it held credentials, revoke them.",
            fingerprint=fingerprint(ID, rule.id, change.path, change.path),
            value_key=value_key(ID, rule.id, change.path),
        )


def merged(
    user: UserRules, change: FileChange, limit: int, allow: Sequence[Any], ours: Iterable[Found]
) -> Iterator[Found]:
    """What our rules found in the file (`ours`, in line order), with what the user's rules find
    merged in, less what the policy's allowlists, disabled rules and gitleaks fingerprints remove."""
    theirs = _user_lines(user, change, limit, allow)
    text = change.added.text
    lines = _LineText(change) if _reads_lines(user) else None
    for lineno, grouped in itertools.groupby(ours, key=lambda f: f.line):
        group = list(grouped)
        live = [f for f in group if f.hit.rule not in user.disabled]  # a disabled rule claims no value
        kept = [f for f in live if _keeps_ours(user, change, f, lines)]
        mine = theirs.pop(lineno, None)
        if mine is not None:
            begin, end, hits = mine
            hits = [h for h in hits if not any(_same_value(h, f.hit) for f in live)]
            shown = LineExcerpts(text, begin, end, [*(f.hit for f in group), *hits])  # every value masked
            kept = [replace(f, excerpt=shown.around(f.hit)) for f in kept]
            kept += [Found(h, lineno, lineno, h.secret, shown.around(h)) for h in hits]
        yield from (f for f in kept if _not_ignored(user, change, f))
    for lineno, (begin, end, hits) in sorted(theirs.items()):
        shown = LineExcerpts(text, begin, end, hits)
        for hit in hits:
            found = Found(hit, lineno, lineno, hit.secret, shown.around(hit))
            if _not_ignored(user, change, found):
                yield found


def _same_value(mine: Hit, ours: Hit) -> bool:
    overlap = mine.start < ours.end and ours.start < mine.end
    return overlap and (mine.secret in ours.secret or ours.secret in mine.secret)


def _not_ignored(user: UserRules, change: FileChange, found: Found) -> bool:
    rule, path = found.hit.rule, change.path
    if rule in user.disabled:
        return False
    ignored = user.ignored
    return not ignored or (
        (None, path, rule, found.line) not in ignored and (change.commit, path, rule, found.line) not in ignored
    )


def _reads_lines(user: UserRules) -> bool:
    return any(a.reads_lines for a in user.allowlists) or any(a.reads_lines for _, a in user.builtin_allowlists)


class _LineText:
    """An added line's text by its number, for allowlists that test whole lines (made on first use)."""

    def __init__(self, change: FileChange) -> None:
        self._change = change
        self._text: dict[int, str] | None = None

    def __getitem__(self, lineno: int) -> str:
        if self._text is None:
            self._text = {line.lineno: line.text for line in self._change.added}
        return self._text.get(lineno, "")


def _keeps_ours(user: UserRules, change: FileChange, found: Found, lines: _LineText | None) -> bool:
    """Whether a finding of our rules survives the global allowlists and those a gitleaks config
    gave the default rule ours stand in for (a value stands for the match: ours has no other)."""
    allowlists = [*user.allowlists, *(a for rule, a in user.builtin_allowlists if rule == found.hit.rule)]
    if not allowlists:
        return True
    secret, line = found.hit.secret, lines[found.line] if lines is not None else ""
    return not any(a.allows(secret, secret, line, change.path, change.commit) for a in allowlists)


_LineHits = tuple[int, int, list[Hit]]  # the line's start and end in the text, and its hits


def _user_lines(user: UserRules, change: FileChange, limit: int, allow: Sequence[Any]) -> dict[int, _LineHits]:
    """The user's rules' hits in the first `limit` characters of the added text, by line number."""
    if change.is_binary or change.is_submodule or not change.added:
        return {}
    active = {id(r) for r in user.rules if r.regex is not None and not r.skips_file(change.path, change.commit)}
    if not active:
        return {}
    selector = _selector(user)
    scan = _Scan(user, change, active, allow)
    text = change.added.text
    numbers = Numbers(change.added)
    found: dict[int, _LineHits] = {}
    for start, end, first in blocks(text, limit):
        if end - start > CHUNK:  # one long line: its windows find their own keywords
            hits = scan.line(text, start, end, selector, None)
            if hits:
                found[numbers[first]] = (start, end, hits)
            continue
        block = text[start:end]
        wanted: dict[int, set[UserRule]] = {}
        if selector.index is not None:
            for index, words in selector.index.by_line(block.lower()).items():
                wanted.setdefault(index, set()).update(selector.rules_for(frozenset(words)))
        for rule in selector.everywhere:
            prefilter = selector.prefilters[id(rule)]
            every = range(block.count("\n") + 1) if prefilter is None else _lines_with_a_match(prefilter, block)
            for index in every:
                wanted.setdefault(index, set()).add(rule)
        if not wanted:
            continue
        offsets = list(itertools.accumulate((len(line) + 1 for line in block.split("\n")), initial=0))
        for index in sorted(wanted):
            begin, stop = start + offsets[index], start + offsets[index + 1] - 1
            hits = scan.line(text, begin, stop, selector, tuple(wanted[index]))
            if hits:
                found[numbers[first + index]] = (begin, stop, hits)
    return found


def _lines_with_a_match(prefilter: Any, block: str) -> Iterator[int]:
    """The indexes of the lines of `block` where a match of `prefilter` starts: RE2 searches the
    encoded block from each such line on, so the block is read once; the lines found are read
    again alone. A match that runs on past its line still starts in it, and a line's own match is
    never hidden, since each search starts at a line's beginning."""
    data = block.encode("utf-8", "surrogatepass")
    pos, index, counted = 0, 0, 0
    while pos <= len(data):
        match = prefilter.search(data, pos)
        if match is None:
            return
        at = match.start()
        index += data.count(b"\n", counted, at)
        counted = at
        yield index
        cut = data.find(b"\n", at)
        if cut < 0:
            return
        pos = cut + 1
        index += 1
        counted = pos


def _token_end(text: str, end: int) -> int:
    """Where the token a value ends in ends: a rule that stops mid-token (`[a-z1-9]+` before a `0`)
    must not leave the rest of it shown; the masked span runs on to the token's end."""
    limit = min(len(text), end + OVERLAP)
    while end < limit and (text[end].isalnum() or text[end] in _TOKEN_CHARS):
        end += 1
    return end


class _Scan:
    """The hits of one file's lines: a line read whole, or in windows when it is long."""

    def __init__(self, user: UserRules, change: FileChange, active: set[int], allow: Sequence[Any]) -> None:
        self.user, self.path, self.commit = user, change.path, change.commit
        self.active, self.allow = active, allow

    def line(
        self, text: str, begin: int, end: int, selector: _Selector, rules: tuple[UserRule, ...] | None
    ) -> list[Hit]:
        """Hits on text[begin:end], positions relative to `begin`; `rules` None: a long line whose
        windows choose their rules by their own keywords."""
        hits: dict[tuple[str, str, int], Hit] = {}
        short = rules is not None and end - begin <= WINDOW
        for own in range(begin, max(end, begin + 1), WINDOW):
            low, high = (begin, end) if short else (max(begin, own - OVERLAP), min(end, own + WINDOW + OVERLAP))
            window = text[low:high]
            chosen = rules
            if chosen is None or not short:
                words = frozenset(selector.index.found(window.lower())) if selector.index is not None else frozenset()
                chosen = (*selector.rules_for(words), *selector.everywhere)
            for rule in chosen:
                if id(rule) not in self.active:
                    continue
                for secret, start, stop, whole in rule.matches(window):
                    if not own <= low + start < own + WINDOW:
                        continue  # the window that owns its start reports it
                    if self._accepts(rule, secret, whole, window):
                        shift, stop = low - begin, _token_end(window, stop)
                        hit = Hit(
                            rule.id, rule.title, secret, rule.severity, rule.remediation, shift + start, shift + stop
                        )
                        hits.setdefault((rule.id, secret, hit.start), hit)
        return sorted(hits.values(), key=lambda h: h.start)

    def _accepts(self, rule: UserRule, secret: str, whole: str, line: str) -> bool:
        if is_placeholder(secret) or any(p.search(secret) for p in self.allow):
            return False
        if not rule.accepts(secret, whole, line, self.path, self.commit):
            return False
        return not any(a.allows(secret, whole, line, self.path, self.commit) for a in self.user.allowlists)
