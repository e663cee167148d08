"""The pieces of the output guard: visible escapes, the walk that redacts a review, workflow commands."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest
import samples
import tokens

from contribution_gate.github.commands import could_become_command, defuse
from contribution_gate.model import Severity
from contribution_gate.reporters.untrusted import UNSAFE, json_visible, masked, redacted, visible, visible_lines


def test_the_unsafe_class_covers_every_control_and_format_character_of_this_python() -> None:
    kept = {"\t", "\u200c", "\u200d"}  # tab; ZWNJ and ZWJ, which scripts and emoji need
    categories = {"Cc", "Cf", "Zl", "Zp", "Cs"}
    missing = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in categories and chr(c) not in kept and not UNSAFE.match(chr(c))
    ]
    assert missing == []
    assert not [ch for ch in kept if UNSAFE.match(ch)]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("osc\x1b]8;;x\x07", "osc\\x1b]8;;x\\x07"),
        ("cr\rlf\n", "cr\\rlf\\n"),
        ("c1\x9b2J", "c1\\x9b2J"),
        ("bidi\u202eexe", "bidi\\u202eexe"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("bad\udcff", "bad\\udcff"),
        ("tab\tkept", "tab\tkept"),
        ("données 日本語 👩\u200d💻 می\u200cخواهم", "données 日本語 👩\u200d💻 می\u200cخواهم"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_json_visible_keeps_a_json_value_and_newlines() -> None:
    value = "a\x1bb\u202ec\U000e0041d\x7f"
    document = json.dumps({"v": value}, ensure_ascii=False, indent=1)
    escaped = json_visible(document)
    assert json.loads(escaped) == {"v": value}
    assert not UNSAFE.search(escaped.replace("\n", ""))
    assert visible_lines("one\x1b\ntwo") == "one\\x1b\ntwo"


def test_masked_keeps_the_name_around_the_mask() -> None:
    github, npm = tokens.github_token(), tokens.npm_token()
    assert masked(f"keys/{github}.txt") == f"keys/{github[:4]}****.txt"
    assert masked(f" keys/{npm}-old.txt ") == f" keys/{npm[:4]}****-old.txt "
    assert masked(f"Bob_{github}") == f"Bob_{github[:4]}****"
    for plain in (
        ".yarn/cache/lodash-npm-4.17.21-6382451519-eb835a2e51.zip",
        "migrations/0012_alter_user_first_name_max_length.py",
        "src/tokenizer/token_utils_2.py",
        "5d41402abc4b2a76b9719d911017c592ae7f3c10.json",
    ):
        assert masked(plain) == plain


def test_redacted_walks_every_string_and_keeps_the_rest() -> None:
    secret = tokens.github_token()
    finding = samples.finding(path=f"a/{secret}.py", message=f"x\x1b {secret}", severity=Severity.WARNING)
    review = samples.review([finding], (), config_source="p\rq", details={"any": ({"k": [secret]},)})
    shown = redacted(review, show=True)
    f = shown.judged[0].finding
    assert secret not in f.path and secret not in f.message and "\\x1b" in f.message
    assert f.severity is Severity.WARNING and f.fingerprint == finding.fingerprint and f.line == finding.line
    assert shown.config_source == "p\\rq"
    assert secret not in json.dumps(shown.details)
    kept = redacted(review)
    assert kept.config_source == "p\rq" and "\x1b" in kept.judged[0].finding.message


@pytest.mark.parametrize(
    ("line", "defused"),
    [
        ("::stop-commands::x", "\\::stop-commands::x"),
        ("  \t::error::x", "  \t\\::error::x"),
        ("\u3000::add-mask::x", "\u3000\\::add-mask::x"),  # .NET's TrimStart takes Unicode blanks
        ("text ##[error]x", "text ##\\[error]x"),
        ("###[debug]", "###\\[debug]"),
        ("a::b", "a::b"),
        ("contribution-gate: warning: x", "contribution-gate: warning: x"),
    ],
)
def test_defuse(line: str, defused: str) -> None:
    assert defuse(line) == defused


def test_could_become_command() -> None:
    assert could_become_command("") and could_become_command("  ") and could_become_command(" :")
    assert could_become_command("abc #")
    assert not could_become_command("  ::") and not could_become_command("x") and not could_become_command(":x")


@pytest.mark.parametrize(
    "hostile",
    [
        "x-" * 500_000 + "sk-",  # one word of 1 MB holding a keyword and many glue characters
        "sk-a-b-c-d-e-f-g-h-i-j-k-l-m " * 35_000,  # 1 MB of words, each with a keyword and 13 glue characters
        ("ghp_" + "a_" * 6 + " ") * 60_000,
    ],
)
def test_glued_secrets_costs_bounded_time(hostile: str) -> None:
    """The cut-and-rescan search is bounded per text (a budget of scans), whatever its length."""
    import time

    from contribution_gate.reporters.untrusted import glued_secrets

    started = time.perf_counter()
    glued_secrets(hostile)
    assert time.perf_counter() - started < 5.0  # about 0.05 s; quadratic would be minutes
