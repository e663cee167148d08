"""The keyword prefilter every check runs first: which lines hold which keywords."""

from __future__ import annotations

from contribution_gate.checks.keywords import Keywords


def test_lines_and_their_keywords_counted_in_characters_not_bytes() -> None:
    text = "ünïcödé før the fïrst line\nno hit here\nthe key and the token\n€€€ password"
    words = Keywords(["key", "token", "pass", "password"])
    assert words.by_line(text) == {2: {"key", "token"}, 3: {"pass", "password"}}  # overlapping: both
    assert words.lines(text) == {2, 3}
    assert words.found("a passkey") == {"pass", "key"}


def test_no_keywords_finds_nothing() -> None:
    empty = Keywords([])
    assert (empty.by_line("key"), empty.lines("key"), empty.found("key")) == ({}, set(), set())
