"""The hostile files that stalled the text checks (issue 13), reviewed through the installed command
in a real repository: each now takes seconds, and still gives its verdict.

Before: a 60-80 KB Markdown heading of `# # #`, a `.py` line of `\"\"\"` and blanks and a JSON file
whose first lines are full of escaped quotes each took 80 s to more than 120 s in
proprietary-markers; an 884 KB one-line SVG took internal-urls 2.5-5 s (22 s at twice the size); a
200 KB line with an internal URL and a base64 blob took 39 s to scrub for its excerpt; a setup.cfg
line with a long run of blanks and a TOML key of many dotted parts stalled the licenses check's
manifest readers. The bound below is ten times what each takes now on a loaded machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from processes import Run

BOUND = 30.0  # seconds
DOT = "."
TLD = "inter" + "nal"
PHRASE = "Confi" + "dential"
IP = DOT.join(["10", "11", "86", "39"])


@dataclass(frozen=True)
class Hang:
    check: str
    path: str
    content: str
    code: int  # the exit code: 1 when the file holds what the check looks for
    rule: str | None  # a rule among the findings, or None for none


HANGS = {
    "a 80 KB heading of # # #": Hang(
        "proprietary-markers", "docs/notes.md", "# " * 40_000 + PHRASE + "\n", 1, "confidentiality-label"
    ),
    'a 80 KB .py line of """ and blanks': Hang(
        "proprietary-markers", "pkg/mod.py", '"""' + " " * 80_000 + PHRASE + "\n", 1, "confidentiality-label"
    ),
    "a JSON file of escaped quotes": Hang(
        "proprietary-markers",
        "data/records.json",
        '{"a": "' + '\\"' * 40_000 + '\n"notice": "CONFIDENTIAL"}\n',
        1,
        "confidentiality-label",
    ),
    "an 884 KB one-line SVG": Hang(
        "internal-urls",
        "art/logo.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="http://wiki.corp.'
        + TLD
        + '/x"><path d="'
        + ("M" + IP + " " + IP + " ") * 34_000
        + '"/></a></svg>\n',
        1,
        "internal-tld",
    ),
    "a 200 KB line with an internal URL and base64": Hang(
        "internal-urls",
        "data/payload.dat",  # not a document (there a URL is an example: a warning)
        "see http://wiki.corp." + TLD + "/x data " + "QUFB" * 50_000 + "\n",
        1,
        "internal-tld",
    ),
    "a setup.cfg line of 40,000 blanks": Hang(
        "licenses",
        "setup.cfg",
        "[metadata]\nname = x\nlicense = MIT\nclassifiers" + " " * 40_000 + "x =\n",
        0,
        "license-detected",
    ),
    "a pyproject.toml key of 40,000 parts": Hang(
        "licenses",
        "pyproject.toml",
        "[project]\nlicense = 'MIT'\na" + ".a" * 40_000 + " = 1\n",
        0,
        "unparsable-license-expression",
    ),
}


@pytest.mark.parametrize("name", sorted(HANGS))
def test_a_hostile_file_is_reviewed_in_seconds(name: str, repo, gate_cmd: Callable[..., Run]) -> None:
    hang = HANGS[name]
    repo.add(hang.path, hang.content)
    started = time.monotonic()
    run = gate_cmd("review", "--staged", "--check", hang.check, "--format", "json", cwd=repo.root)
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, f"{name}: {elapsed:.1f}s"
    report = run.json()
    assert run.code == hang.code, run.output[-2000:]
    assert not report.get("errors"), report["errors"]
    rules = {f["rule"] for f in report["findings"]}
    assert hang.rule in rules if hang.rule else not rules, rules
    for finding in report["findings"]:
        assert len(finding["excerpt"]) <= 200  # cut around the finding, whatever the line's length
