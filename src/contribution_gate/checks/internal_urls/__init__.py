"""The `internal-urls` check: added lines that reference internal infrastructure.

Hosts under the organisation's zones (`[internal-urls] domains`, anywhere, matched on label
boundaries), internal-only top-level names, private and special addresses (`ipaddress`, ranges in
`config/internal_urls.toml`) and dotless intranet names in URLs. Names and addresses count only in
a host position (see `host_refs`), so version strings and attribute access are not hosts.

Speed: one search of a combined pattern over the file's lower-cased added text rejects most files;
only the lines it hits are looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ...model import NO_SETUP, AddedLine, Excerpt, FileChange, Finding, Setup, Severity, file_finding
from ...redaction import window
from ...regions import test_module_start
from ..textkinds import (
    Blocks,
    Kind,
    comment_of,
    kind_of,
    lowered_text,
    policy_lines,
    trailing_comment_at,
)
from .context import TEST, VECTOR, file_context, is_config_text, repository_context
from .hosts import Hit, Verdicts, load_data
from .positions import CODE, CONFIG, PROSE

ID = "internal-urls"
_CONFIG_KIND = kind_of("build.conf")
# HTML elements of documentation written in a string (`"<code>listeners=INTERNAL://10.1.1.5:9093</code>"`)
_DOC_MARKUP = re.compile(r"</(?:code|pre|p|li|tt|em|b|i)>|<(?:br|p)\s*/?>", re.IGNORECASE)
_ZONE_CHARS = re.compile(r"^(?:\*\.)?\.?([a-z0-9_-]+(?:\.[a-z0-9_-]+)*)\.?$")


@dataclass(frozen=True)
class Options:
    """`domains`: the organisation's zones (each covers its subdomains). `allow`: networks (CIDR or
    address) and host globs that are not findings here. `everywhere`: the context of every file
    (`examples` in a repository of examples), for those that have none of their own."""

    domains: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    everywhere: str = ""
    verdicts: Verdicts = field(default_factory=lambda: Verdicts.build((), ()), compare=False, repr=False)


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    domains = tuple(zone(d) for d in table.get("domains", ()))
    allow = tuple(table.get("allow", ()))
    return Options(domains, allow, repository_context(setup.repository), Verdicts.build(domains, allow))


def zone(domain: str) -> str:
    """`*.Corp.Example.com.` -> `corp.example.com`; ValueError for what is not a domain name."""
    found = _ZONE_CHARS.match(domain.strip().lower())
    if found is None:
        raise ValueError(f"{domain!r} is not a domain name (write it like corp.example.com)")
    return found.group(1)


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """Findings for the added lines of one file: one per host and rule on a line."""
    if change.is_binary or change.is_submodule or not change.added:
        return
    added = change.added
    joined = lowered_text(change)
    verdicts = opts.verdicts
    found = [pattern for pattern in verdicts.candidates if pattern.search(joined) is not None]
    if not found:
        return
    kind = kind_of(change.path)
    if is_config_text(change.path):
        kind = _CONFIG_KIND  # `--index-url` in requirements.txt configures pip
    lowered = joined.split("\n")
    blocks = Blocks(added, kind)
    policy = policy_lines(change.path, added)
    context = file_context(change.path, kind) or opts.everywhere
    tests_from = None if context else test_module_start(change.path, added)
    vector = kind.ext in VECTOR
    lines_hits: list[tuple[AddedLine, list[Hit]]] = []
    for index in sorted({i for pattern in found for i in _lines_matching(pattern, joined)}):
        if policy(index):
            continue  # the policy names the zones it protects
        mode = _Mode(added, index, kind, blocks)
        here = TEST if tests_from is not None and index >= tests_from else context
        hits = list(verdicts.line_hits(added[index].text, lowered[index], added, index, mode, here, vector))
        if hits:
            lines_hits.append((added[index], hits))
    containers = {hit.host for _, hits in lines_hits for hit in hits if hit.container}
    for line, hits in lines_hits:
        passwords = [h.password for h in hits if h.password]
        for hit in hits:
            if hit.host in containers and hit.severity is Severity.ERROR:
                hit = replace(hit, severity=Severity.WARNING, message=f"{hit.message} (the file gives it a container)")
            excerpt = window(line.text, hit.at, hit.at + len(hit.host), passwords)
            yield _finding(change, hit, line.lineno, excerpt)


class _Mode:
    """How line `index` reads at column `at`: code, prose (comments, docstrings, documents) or
    config (data files, shell commands, a document's code blocks). Worked out once per line, when
    a host outside a URL first asks."""

    def __init__(self, lines: Sequence[AddedLine], index: int, kind: Kind, blocks: Blocks) -> None:
        self.lines, self.index, self.kind, self.blocks = lines, index, kind, blocks
        self.line: tuple[str, int] | None = None  # (the mode, from which column on a comment is prose)

    def __call__(self, at: int) -> str:
        if self.line is None:
            self.line = self._read()
        mode, comment = self.line
        return PROSE if at >= comment else mode

    def _read(self) -> tuple[str, int]:
        text, kind, index = self.lines[self.index].text, self.kind, self.index
        never = len(text) + 1
        if kind.is_code:
            if index in self.blocks or comment_of(text, kind) is not None or _DOC_MARKUP.search(text):
                return PROSE, never  # (markup in a string: a setting's documentation, Kafka's `*_DOC`)
            comment = trailing_comment_at(text, kind)
            return CONFIG if kind.is_shell else CODE, never if comment is None else comment
        if kind.is_document:
            return CONFIG if index in self.blocks or text.startswith(("    ", "\t")) else PROSE, never
        if comment_of(text, kind) is not None:
            return PROSE, never  # `# bind 192.168.1.100`: a setting commented out, or a note about one
        comment = trailing_comment_at(text, kind)
        return CONFIG, never if comment is None else comment


def _lines_matching(pattern: re.Pattern[str], joined: str) -> list[int]:
    found: list[int] = []
    line, counted = 0, 0
    for match in pattern.finditer(joined):
        line += joined.count("\n", counted, match.start())
        counted = match.start()
        if not found or found[-1] != line:
            found.append(line)
    return found


def _finding(change: FileChange, hit: Hit, line: int, excerpt: Excerpt) -> Finding:
    message = f"{hit.message} added to {change.path}"
    return file_finding(ID, hit.rule, hit.severity, change, line, message, hit.remediation, hit.host.lower(), excerpt)


__all__ = ["ID", "Options", "load_data", "options", "scan_file", "zone"]
