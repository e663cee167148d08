"""Where each key of a JSON document sits: `json` gives values but no line numbers, so one linear
pass over the tokens (strings, brackets, colons, commas, newlines) records the line of every object
key down to a depth. A duplicate key keeps its last line, as `json.loads` keeps its last value.
"""

from __future__ import annotations

import contextlib
import re

Path = tuple[str | int, ...]
# A string token, or one structural character. Each alternative starts with a different
# character, so the scan is linear; a string's body is one run of non-quote, non-backslash
# characters or escapes.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,\n]')


def key_lines(text: str, depth: int) -> dict[Path, int]:
    """(key path -> 1-based line) for every object key at most `depth` levels deep; array items
    are numbered in the path. Meant for text `json.loads` accepted."""
    import json

    found: dict[Path, int] = {}
    stack: list[list[str | int]] = []  # per open container: ["{", last key] or ["[", index]
    path: list[str | int] = []
    line = 1
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
        elif first == '"':
            if expect_key:
                key = token[1:-1]
                if "\\" in key:
                    with contextlib.suppress(ValueError):
                        key = json.loads(token)
                stack[-1][1] = key
                if len(stack) <= depth:
                    found[tuple(path) + (key,)] = line
                expect_key = False
        elif first in "{[":
            if stack:
                path.append(stack[-1][1])
            stack.append([first, "" if first == "{" else 0])
            expect_key = first == "{"
        elif first in "}]":
            if stack:
                stack.pop()
                if path and len(path) >= len(stack):
                    path.pop()
            expect_key = False
        elif first == ",":
            if stack and stack[-1][0] == "[":
                index = stack[-1][1]
                stack[-1][1] = index + 1 if isinstance(index, int) else 0
            expect_key = bool(stack) and stack[-1][0] == "{"
    return found
