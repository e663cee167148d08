"""The token runs `plugins.PLUGINS` requires before it imports detect-secrets, read off the installed
plugins' own patterns: a run set too long would hide a plugin's credential, so a detect-secrets
release that shortens a pattern fails here instead of missing tokens quietly."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from dataclasses import dataclass
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest

from contribution_gate.checks.secrets import plugins


def _is_token(char: int) -> bool:
    return re.fullmatch(r"[\w\\-]", chr(char)) is not None


@dataclass(frozen=True)
class Run:
    """What a piece of a pattern guarantees of token characters in a row: `full` when every
    character it matches is one (then `width` is how few it matches), else the run it starts with
    (`head`), ends with (`tail`) and holds anywhere (`best`)."""

    full: bool
    width: int = 0
    head: int = 0
    tail: int = 0
    best: int = 0

    @classmethod
    def of_width(cls, width: int) -> Run:
        return cls(True, width, width, width, width)


BREAK = Run(False)


def _then(left: Run, right: Run) -> Run:
    if left.full and right.full:
        return Run.of_width(left.width + right.width)
    return Run(
        False,
        head=left.width + right.head if left.full else left.head,
        tail=right.width + left.tail if right.full else right.tail,
        best=max(left.best, right.best, left.tail + right.head),
    )


def _class_is_token(items: list[tuple[object, object]]) -> bool:
    for op, value in items:
        if op is c.LITERAL and _is_token(value):  # type: ignore[arg-type]
            continue
        if op is c.RANGE and all(_is_token(ch) for ch in range(value[0], value[1] + 1)):  # type: ignore[index]
            continue
        if op is c.CATEGORY and value in (c.CATEGORY_DIGIT, c.CATEGORY_WORD):
            continue
        return False
    return True


def _run(pattern: object) -> Run:
    run = Run.of_width(0)
    for op, value in pattern:  # type: ignore[attr-defined]
        run = _then(run, _item(op, value))
    return run


def _item(op: object, value: object) -> Run:
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return Run.of_width(0)  # zero width: the characters on either side stay side by side
    if op is c.LITERAL:
        return Run.of_width(1) if _is_token(value) else BREAK  # type: ignore[arg-type]
    if op is c.IN:
        return Run.of_width(1) if _class_is_token(value) else BREAK  # type: ignore[arg-type]
    if op is c.SUBPATTERN:
        return _run(value[-1])  # type: ignore[index]
    if op is c.BRANCH:
        runs = [_run(branch) for branch in value[1]]  # type: ignore[index]
        if all(run.full for run in runs):
            return Run.of_width(min(run.width for run in runs))
        return Run(
            False, head=min(r.head for r in runs), tail=min(r.tail for r in runs), best=min(r.best for r in runs)
        )
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        least, _most, inner = value  # type: ignore[misc]
        run = _run(inner)
        if run.full:
            return Run.of_width(least * run.width)
        if least == 0:
            return BREAK  # present or not: only what is certain counts
        return Run(False, head=run.head, tail=run.tail, best=max(run.best, run.tail + run.head if least > 1 else 0))
    return BREAK


def guaranteed_run(pattern: str) -> int:
    run = _run(_parser.parse(pattern))
    return run.width if run.full else run.best


@pytest.mark.parametrize("dotted", sorted(plugins.PLUGINS))
def test_the_run_a_plugin_needs_is_what_its_patterns_guarantee(dotted: str) -> None:
    module, _, name = dotted.rpartition(".")
    detector = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)
    least = min(guaranteed_run(pattern.pattern) for pattern in detector.denylist)
    assert plugins.PLUGINS[dotted][2] == least


def test_the_reading_of_a_pattern() -> None:
    assert guaranteed_run(r"AC[a-z0-9]{32}") == 34
    assert guaranteed_run(r"(?:\s|=)AKC[a-zA-Z0-9]{10,}(?:\s|$)") == 13
    assert guaranteed_run(r"key(?: *)=(?:\"|)([a-f0-9]{48})") == 48
    assert guaranteed_run(r"(?:ab|abcd)x") == 3
    assert guaranteed_run(r"a.b") == 1


def test_a_plugin_word_in_prose_does_not_load_detect_secrets() -> None:
    """`ibm` or `twilio` on a line without a token that long: detect-secrets stays unimported."""
    code = (
        "import sys\n"
        "from contribution_gate.checks.secrets import plugins\n"
        "lines = ['Twilio and IBM Cloud are supported', 'akc = short', 'softlayer_api_key = abc123']\n"
        "hits = [h for n, t in enumerate(lines) for h in plugins.scan_line('a.md', t, frozenset(t.lower().split()) | {'ibm', 'twilio', 'akc', 'softlayer'}, n)]\n"
        "assert not hits\n"
        "print('detect_secrets' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_plugin_token_is_still_found() -> None:
    token = "AC" + "3f9a1c7e" * 4  # a Twilio account SID's shape
    line = f'twilio_sid = "{token}"'
    hits = list(plugins.scan_line("app.py", line, frozenset({"twilio"}), 1))
    assert [hit.rule for hit in hits] == ["twilio-key"]
