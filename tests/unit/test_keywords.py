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


def test_text_with_lone_surrogates_is_searched_at_the_same_positions() -> None:
    """A decoded `\\ud800` escape or a file name read from bytes holds a lone surrogate, which the
    automaton's UTF-8 cannot: it is read as U+FFFD, one character for one."""
    text = "a\ud800 key\nb\udcff token"
    words = Keywords(["key", "token"])
    assert words.by_line(text) == {0: {"key"}, 1: {"token"}}
    assert words.found(text) == {"key", "token"}
    assert words.lines(text) == {0, 1}
