"""Finding which lines hold any of many keywords, the prefilter every check runs first.

An Aho-Corasick automaton (pyahocorasick) finds all keywords in one pass over a file's added text,
about six times faster than a regular expression alternation of the same words; after a hit the
scan skips to the next line, so the work grows with matching lines, not with matches.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick


class Keywords:
    """A set of lower-case keywords, searched in lower-cased text."""

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word, word)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def lines(self, text: str) -> set[int]:
        """Indexes of the lines of `text` (newline-separated) that hold at least one keyword."""
        found: set[int] = set()
        if self._empty:
            return found
        line, counted, line_end = 0, 0, -1
        for end, _ in self._automaton.iter(text):
            if end < line_end:
                continue
            line += text.count("\n", counted, end)
            counted = end
            found.add(line)
            line_end = text.find("\n", end)
            if line_end < 0:
                break
        return found

    def by_line(self, text: str) -> dict[int, set[str]]:
        """Every keyword on each line of `text` that holds one, by line index: one pass that both
        selects the lines and says which rules each of them needs."""
        found: dict[int, set[str]] = {}
        if self._empty:
            return found
        line, counted = 0, 0
        for end, word in self._automaton.iter(text):
            line += text.count("\n", counted, end)
            counted = end
            if line in found:
                found[line].add(word)
            else:
                found[line] = {word}
        return found

    def found(self, text: str) -> set[str]:
        """Which keywords `text` holds (for one line: it walks every match)."""
        return set() if self._empty else {word for _, word in self._automaton.iter(text)}
