"""The secrets check runs in linear time on any line: every pattern is shaped so that no two repeats
can trade characters (checked on the patterns themselves), and hostile lines of 1 KB to 1 MB, built
for each family of pattern, take time proportional to their length (checked by running them)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import regex_shape

from contribution_gate import places, regions
from contribution_gate.checks.secrets import (
    blocks,
    context,
    encodings,
    formats,
    judge,
    jwts,
    keynames,
    lines,
    office,
    passwords,
    plugins,
    rules,
    values,
    words,
)
from contribution_gate.checks.secrets.rules import load_rules

TESTS = Path(__file__).resolve().parents[1]
MODULES = (
    rules, formats, values, passwords, lines, blocks, plugins, words, keynames, context, judge, jwts, encodings, office,
    regions,  # the comment and documentation regions the secrets judge reads
    places,  # where a file sits: tests, documentation, vendored code, CI
)  # fmt: skip
MODULE_PATTERNS = {
    f"{module.__name__.rsplit('.', 1)[1]}.{name}": pattern
    for module in MODULES
    for name, pattern in vars(module).items()
    if isinstance(pattern, re.Pattern)
}


def test_the_shape_test_knows_the_bad_shapes() -> None:
    """The shapes that hung the check (or would have) are reported; their linear rewrites are not."""
    assert regex_shape.problems(r"(?:[A-Z]?[a-z]+)+\d{0,4}")  # the 55-byte hang
    assert regex_shape.problems(r"\s{0,8}(?:[:=]|\s)\s{0,8}")  # adjacent repeats through an alternative
    assert regex_shape.problems(r"co(?:here)?[\w.-]{0,40}")  # an optional word the next repeat also takes
    assert regex_shape.problems(r"(?:\d{1,20}-){1,4}[A-Za-z0-9-]{10,250}")
    assert regex_shape.problems(r"(?:a|ab)(?:c|bc)*")  # alternatives that end in two places, repeated
    assert regex_shape.problems(r"(a?)+")
    assert not regex_shape.problems(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*\d{0,4}")
    assert not regex_shape.problems(r"(?:\d{1,20}-){1,4}")
    assert not regex_shape.problems(r"(?:passw(?:or)?d|pwd|api[_-]?key)[\w.-]{0,40}[:=]")
    assert regex_shape.unbounded(r"a{0,}b+c*") == ["([a]){0,}", "([b]){1,}", "([c]){0,}"]


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_every_rule_is_linear_bounded_and_fits_a_window_overlap(rule: rules.Rule) -> None:
    assert regex_shape.problems(rule.regex) == []
    assert regex_shape.unbounded(rule.regex) == []  # each start position costs a bounded amount
    assert regex_shape.longest(rule.regex) <= lines.OVERLAP  # a window sees every match whole


@pytest.mark.parametrize("name", sorted(MODULE_PATTERNS))
def test_every_pattern_of_the_check_is_linear(name: str) -> None:
    assert regex_shape.problems(MODULE_PATTERNS[name]) == []


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _keywords() -> str:
    return " ".join(sorted({*rules.keywords(), *plugins.KEYWORDS, "private key"}))


# unit of the line (repeated) or (head, unit): runs of what patterns repeat, chains of prefixes
# that almost start a token, quotes and `=` chains, and every keyword at once (every rule runs)
FAMILIES: dict[str, str | tuple[str, str]] = {
    "letters": "a",
    "letters then a capital": 'password = "' + "qwhdkeoprtzmvnbcjslaugyfixqwhdkeoprtzmvn" + 'B" ',  # the hang
    "spaces after a keyword": ("ibm api_key", " "),
    "spaces between keywords": "ibm key" + " " * 2000,
    "digits": ("telegram ", "0"),
    "base64": ("-----BEGIN " + "PRIVATE KEY-----", "Ab0+/"),
    "token prefixes": "sk-proj-",
    "slack prefixes": "xoxb-1-",
    "jwt parts": "eyJa.",
    "aws ids": "AKIA",
    "github prefixes": "ghp_",
    "url userinfo": "https://u:",
    "url chains": "a://b:c@",
    "jdbc parameters": "jdbc:a:x;password=&",
    "cohere near-misses": ("cohere ", "co"),
    "wandb names": "wandb",
    "aws secret names": "aws_secret",
    "assignment chains": "password=",
    "walrus chains": "password:=",
    "quoted assignments": 'password="',
    "quoted words": ('token = "', "ab1 "),
    "yaml words": ("secret: ", "a1 b "),
    "key quotes": "'key': '",
    "equals and quotes": '="',
    "secret words and dots": "token.secret.key.",
    "badge queries": "badge.svg?token=",
    "image query ampersands": ".svg?&a=",
    "netrc words": ("machine ", "a "),
    "artifactory": "=AKC",
    "azure storage": "AccountKey=",
    "twilio": ("twilio ", "AC"),
    "square": "sq0csp-",
    "cloudant urls": ("cloudant ", "https://a:"),
    "indirect references": ("softlayer_key = ", "a(b)="),
    "many tokens": "AKIAQWERTYUIOPASDFGHJ ",
    # the families' shapes: a provider's name assigned or called, markers inside base64 keys,
    # command lines and headers, parameter chains of connection strings and SAS URLs
    "named assignments": "MIXPANEL_SECRET=",
    "named calls": 'mixpanel.init("',
    "named words": ("cloudflare", "_api"),
    "azure key markers": "Ab0/+AStACDbAzFuJQQJ9AzSe+ACR",
    "curl user chains": ("curl ", "-u a:"),
    "auth header chains": '-H "Authorization: Bearer ',
    "http file headers": "Authorization: Basic ",
    "sas parameter chains": ("sv=2022-01-01", "&a=b"),
    "connection string chains": ("Server=a;", "b=c;"),
    "mysql argument chains": ("mysql", " -u"),
    "routable token dots": "glpat-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
    "doppler service tokens": "dp.st.a.",
    "tailscale keys": "tskey-auth-a-",
    "npmrc auth": ":_auth=",
    "every keyword": _keywords() + " ",
    "every keyword assigned": _keywords().replace(" ", "= ") + "=",
}

_MEASURE = """
import json, sys, time
from contribution_gate.checks import secrets
from contribution_gate.model import AddedLine, FileChange
from test_secrets_linear import FAMILIES, _repeat
spec = FAMILIES[sys.argv[1]]
head, unit = spec if isinstance(spec, tuple) else ("", spec)
times = {}
for size in (1 << 10, 1 << 15, 1 << 20):
    line = head + _repeat(unit, size - len(head))
    change = FileChange(path="min.js", status="A", added=(AddedLine(1, line),))
    best = None
    for _ in range(3 if size < 1 << 20 else 1):
        started = time.process_time()
        list(secrets.scan_file(change, secrets.Options()))
        spent = time.process_time() - started
        best = spent if best is None else min(best, spent)
    times[size] = best
print(json.dumps(times))
"""


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_hostile_lines_take_time_linear_in_their_length(family: str) -> None:
    """1 KB, 32 KB and 1 MB lines of one family: 32 times the text may take 32 times the time (a
    bound of 200 leaves room for noise; quadratic growth would be 1,024, exponential unbounded),
    and 1 MB stays far under a minute of CPU (measured: 0.01 to 3 s)."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_MEASURE), family],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=TESTS / "unit",
        env={"PYTHONPATH": f"{TESTS / 'unit'}:{TESTS}"},
        check=True,
    )
    times = {int(k): v for k, v in json.loads(proc.stdout).items()}
    small, large = times[1 << 15], times[1 << 20]
    assert large < 200 * small + 0.5, times
    assert large < 30, times
