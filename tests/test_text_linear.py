"""The text checks take time linear in what they read, whatever a contribution holds.

Each case is a hostile line (or file) aimed at one pattern of `internal-urls`, `proprietary-markers`,
the `licenses` check's text and manifest readers, or the excerpt scrubber: repeated delimiters,
near-miss prefixes, `# # #`, quotes and escapes, blank runs, dotted numbers in SVG paths, long label
chains, long base64. It is built at 50 KB and at 500 KB and the check's CPU time is compared: linear
work grows about 10 times, quadratic work 100 times; the bound is 30. A new pattern gets a new row
in `CASES` (a builder of `size` characters and what to run it through).

The repository passes its own gate: internal names and private addresses are assembled at run time.
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from contribution_gate.checks import internal_urls, proprietary_markers
from contribution_gate.checks.licenses import manifests, phrases, spdx
from contribution_gate.checks.licenses.text import lines_for_scancode
from contribution_gate.checks.textkinds import kind_of
from contribution_gate.model import AddedLine, FileChange
from contribution_gate.redaction import excerpt, redact, scrub

SMALL, BIG = 50_000, 500_000
RATIO = 30  # ten times the text: linear ~10 times the time, quadratic ~100
FLOOR = 0.01  # seconds: below this a run is noise
DOT, COLON = ".", ":"
IP = DOT.join(["10", "11", "86", "39"])  # a private address, as an SVG path's numbers read
TLD = "inter" + "nal"
ZONE = DOT.join(["corp", "example-co", "io"])
URLS = internal_urls.options({"domains": [ZONE]})
MARKS = proprietary_markers.options({"organizations": ["Acme Corp"], "markers": ["project falcon"]})
PHRASE = "Confi" + "dential"


def repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    """`head`, then `unit` repeated to about `size` characters, then `tail`."""
    return head + unit * max(1, size // max(1, len(unit))) + tail


def b64(size: int) -> str:
    return base64.b64encode(random.Random(7).randbytes(size * 3 // 4 + 3)).decode()[:size]


def change_of(path: str, text: str) -> FileChange:
    lines = text.split("\n")
    return FileChange(path=path, status="A", added=tuple(AddedLine(i, t) for i, t in enumerate(lines, 1)))


def urls(path: str) -> Callable[[str], object]:
    """Run internal-urls on `text` as the file `path`, and scrub the excerpts as the review does."""
    return lambda text: [scrub(f.excerpt) for f in internal_urls.scan_file(change_of(path, text), URLS)]


def markers(path: str) -> Callable[[str], object]:
    return lambda text: [scrub(f.excerpt) for f in proprietary_markers.scan_file(change_of(path, text), MARKS)]


def licenses(path: str) -> Callable[[str], object]:
    """The licenses check's own readers (SPDX tags, manifests, the lines ScanCode would get and the
    AI-license statements among them); ScanCode itself is not ours to time."""

    def run(text: str) -> object:
        change = change_of(path, text)
        lowered = [line.text.lower() for line in change.added]
        found: list[object] = list(spdx.detections(change.added, lowered, kind_of(path)))
        if manifests.is_manifest(path):
            found += manifests.detections(path, text)
        chosen = lines_for_scancode(change.added, "\n".join(lowered), kind_of(path))
        return found + phrases.statements(chosen) + phrases.title(chosen)

    return run


def scrubbed(limit: int | None = 200) -> Callable[[str], object]:
    return lambda text: scrub(text, limit=limit)


def redacted(text: str) -> object:
    return redact(text, text.split())


def around_middle(text: str) -> object:
    return excerpt(text, len(text) // 2, len(text) // 2 + 10)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[int], str]  # about `size` characters of hostile text
    run: Callable[[str], object]


CASES = [
    # internal-urls
    Case(
        "svg path of dotted numbers", lambda n: repeat("M" + IP + " ", n, '<svg><path d="', '"/></svg>'), urls("p.svg")
    ),
    Case("svg path of addresses", lambda n: repeat(" " + IP, n, '<svg><path d="', '"/>'), urls("p.svg")),
    Case("addresses in a JSON list", lambda n: repeat(f'"{IP}", ', n, '{"hosts": [', "]}"), urls("c.json")),
    Case("addresses after a key", lambda n: repeat(f"{IP}, ", n, "allowed_ips: "), urls("c.yaml")),
    Case("addresses in code literals", lambda n: repeat(f'"{IP}", ', n, "HOSTS = ["), urls("app.py")),
    Case("addresses in a help text", lambda n: repeat(f"use {IP} or ", n, 'HELP = "', '"'), urls("app.py")),
    Case("addresses after a comment", lambda n: repeat(f"{IP} ", n, "x = 1  # "), urls("app.py")),
    Case("short literals before an address", lambda n: repeat('"a", ', n, "x = [", f'"{IP}"]'), urls("app.py")),
    Case("escaped quotes before an address", lambda n: repeat('\\"', n, 'x = "', " " + IP), urls("app.js")),
    Case("one long label chain", lambda n: repeat("a.", n, "host: ", TLD), urls("c.yaml")),
    Case("many label chains", lambda n: repeat(f"a.b.c.{TLD} ", n, "hosts: "), urls("c.yaml")),
    Case("an IPv6 zone of dots", lambda n: repeat("a.", n, "host: fd00" + "::1%", "-"), urls("c.conf")),
    Case("a URL's long user", lambda n: repeat("a", n, "http://", "@"), urls("c.conf")),
    Case("hex and colon runs", lambda n: repeat("fd00:", n, "", "g"), urls("c.conf")),
    Case("a hosts-file line that fails late", lambda n: repeat("db.corp ", n, IP + " ", "!"), urls("hosts")),
    Case("a URL of many hosts", lambda n: repeat(f"db.corp.{TLD},", n, "mongodb://", "/x"), urls("c.conf")),
    Case("a finding per URL", lambda n: repeat(f"http://wiki.corp.{TLD}/ ", n), urls("c.conf")),
    Case("URLs and addresses", lambda n: repeat(f"http://wiki.{TLD}/ {IP} ", n), urls("c.conf")),
    Case("URL authorities of colons", lambda n: repeat("a:", n, "http://", "x"), urls("c.conf")),
    Case("URL scheme separators", lambda n: repeat("://", n), urls("c.conf")),
    Case("blanks between a key and its host", lambda n: repeat(" \t", n, "host", IP), urls("c.conf")),
    Case("list items before a host", lambda n: repeat("a,", n, "x= ", IP), urls("c.conf")),
    Case("arrows and commas before hosts", lambda n: repeat(">,", n, "x", IP), urls("c.conf")),
    Case("leading blanks, then keys", lambda n: repeat(f"host: {IP} ", n // 2, " " * (n // 2)), urls("c.conf")),
    Case("a zone's near misses", lambda n: repeat("corp.example-co.", n, "", "i"), urls("c.conf")),
    Case("lines of a YAML list", lambda n: repeat(f"  - {IP}\n", n, "servers:\n"), urls("c.yaml")),
    # proprietary-markers
    Case("a heading of # # #", lambda n: repeat("# ", n, "# ", PHRASE), markers("doc.md")),
    Case("a heading of = = =", lambda n: repeat("= ", n, "= ", PHRASE + " x"), markers("doc.md")),
    Case("HTML headings left open", lambda n: repeat("<h1>", n, PHRASE + " "), markers("page.html")),
    Case("a docstring of blanks", lambda n: repeat(" ", n, '"""', PHRASE + " x"), markers("m.py")),
    Case('a line of """ and blanks', lambda n: repeat('""" ', n, "", PHRASE + " x"), markers("m.py")),
    Case("escaped quotes in JSON", lambda n: repeat('\\"', n, '{"a": "', " " + PHRASE), markers("d.json")),
    Case(
        "short literals in JSON", lambda n: repeat('"a": "b", ', n, "{", f'"notice": "{PHRASE}"}}'), markers("d.json")
    ),
    Case("short literals in C", lambda n: repeat('"a", ', n, "/* " + PHRASE + " */ x = {", "};"), markers("s.c")),
    Case("escaped quotes in C", lambda n: repeat('\\"', n, 'char *s = "', " */ " + PHRASE), markers("s.c")),
    Case("front matter key of blanks", lambda n: repeat(" ", n, "---\ntitle", f": {PHRASE}\n---\nx"), markers("d.md")),
    Case("a data header of blanks", lambda n: repeat(" ", n, "- note", f" x: {PHRASE}"), markers("d.yaml")),
    Case("dotted words before a label", lambda n: repeat("a.", n, PHRASE + " "), markers("d.yaml")),
    Case(
        "a classification value of blanks",
        lambda n: repeat(" ", n, "classification: a", "x " + PHRASE),
        markers("d.yaml"),
    ),
    Case("a classification tag of blanks", lambda n: repeat(" ", n, "<classification>a", "x"), markers("d.xml")),
    Case("keys that end in class", lambda n: repeat("class: class", n, PHRASE + " "), markers("d.yaml")),
    Case("many labels in one comment", lambda n: repeat(PHRASE + " ", n, "# "), markers("m.py")),
    Case("decoration before a label", lambda n: repeat("*", n, "# ", " " + PHRASE + " - x"), markers("m.py")),
    Case("a block comment of blanks", lambda n: repeat(" ", n, "/* " + PHRASE, "x"), markers("s.c")),
    Case("a copyright of numbers", lambda n: repeat("1 ", n, "# Copyright ", "x Acme Corp"), markers("m.py")),
    Case("a declaration of blanks", lambda n: repeat(" ", n, "# this document", "x " + PHRASE), markers("m.py")),
    Case("a table's title row", lambda n: repeat("a,", n, PHRASE + ","), markers("t.csv")),
    Case("an RST comment of colons", lambda n: repeat("a:", n, ".. " + PHRASE + " "), markers("d.rst")),
    Case("HTML comments left open", lambda n: repeat("<!--", n, PHRASE + " "), markers("d.md")),
    Case("a heading over a long underline", lambda n: repeat("=", n, PHRASE + "\n"), markers("d.md")),
    Case("TLP near misses", lambda n: repeat("tlp: ", n, "# ", "amber"), markers("m.py")),
    Case("copyright signs", lambda n: repeat("© ", n, "# ", "Acme Corp"), markers("m.py")),
    Case("pyproject lines without a table", lambda n: repeat(f"x = '{PHRASE}'\n", n), markers("pyproject.toml")),
    # the licenses check
    Case("an SPDX tag of blanks", lambda n: repeat(" ", n, "# SPDX-License-Identifier: MIT", "x"), licenses("a.py")),
    Case("blanks before an SPDX tag", lambda n: repeat(" ", n, "", "x spdx-license-identifier"), licenses("a.py")),
    Case("setup.cfg blanks", lambda n: repeat(" ", n, "[metadata]\nlicense = MIT\nk", "x = 1"), licenses("setup.cfg")),
    Case(
        "a TOML key of many parts",
        lambda n: repeat(".a", n, "[project]\nlicense = 'MIT'\na", " = 1"),
        licenses("pyproject.toml"),
    ),
    Case("gemspec arrays left open", lambda n: repeat(".license = [", n), licenses("x.gemspec")),
    Case("gemspec strings left open", lambda n: repeat('.license = "', n), licenses("x.gemspec")),
    Case(
        "pom licenses without names", lambda n: repeat("<license>", n, "<licenses>", "</licenses>"), licenses("pom.xml")
    ),
    Case(
        "a pom name of blanks",
        lambda n: repeat(" ", n, "<licenses><license><name>", "MIT </name></license></licenses>"),
        licenses("pom.xml"),
    ),
    Case(
        "many license classifiers",
        lambda n: repeat('  "License :: OSI Approved :: MIT License",\n', n, "[project]\nclassifiers = [\n", "]"),
        licenses("pyproject.toml"),
    ),
    Case(
        "a docstring of license lines",
        lambda n: repeat("    licensed under the MIT license\n", n, 'def f():\n    """\n', '    """'),
        licenses("a.py"),
    ),
    Case(
        "quoted declarations", lambda n: repeat('"licensed under the Gemma Terms of Use" ', n, "# "), licenses("a.py")
    ),
    # excerpts
    Case("an internal URL and base64", lambda n: repeat("QUFB", n, f"see http://wiki.{TLD}/x data "), scrubbed()),
    Case(
        "an internal URL and base64, whole",
        lambda n: repeat("QUFB", n, f"see http://wiki.{TLD}/x data "),
        scrubbed(None),
    ),
    Case("a long base64 token", lambda n: b64(n), scrubbed(None)),
    Case("URL passwords left open", lambda n: repeat("a://b:", n), scrubbed(None)),
    Case("a URL password without its host", lambda n: repeat("p", n, "x://u:"), scrubbed(None)),
    Case("secret names in one word", lambda n: repeat("token", n, "", " = x"), scrubbed(None)),
    Case("assignments without values", lambda n: repeat("password=", n), scrubbed(None)),
    Case("blanks", lambda n: repeat(" ", n, "", "x"), scrubbed(None)),
    Case("an excerpt around the middle", lambda n: repeat("QUFB", n, "password = "), around_middle),
    Case("many secrets to redact", lambda n: " ".join(f"tok{i:07d}" for i in range(n // 11)), redacted),
]


def cpu(case: Case, size: int) -> float:
    text = case.build(size)
    started = time.process_time()
    case.run(text)
    return time.process_time() - started


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_time_grows_linearly(case: Case) -> None:
    small = min(cpu(case, SMALL) for _ in range(2))
    big = cpu(case, BIG)
    if big >= RATIO * max(small, FLOOR):  # one slow run (a collection, a busy machine) is not a trend
        big = min(big, *(cpu(case, BIG) for _ in range(2)))
    assert big < RATIO * max(small, FLOOR), f"{case.name}: {small:.3f}s at {SMALL:,} characters, {big:.3f}s at {BIG:,}"
