"""Regions of a source file that say what their lines are: a module's documentation kept in a
string (its examples' credentials are made up for readers), a test module kept inside the file
it tests (its values are made for the tests), and a comment that calls what follows it a stand-in
(`# arbitrary private address`, `## Example value taken from ...`). The secrets check and the
internal-urls check judge a finding there as they judge one in documentation or in a test file."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import AddedLine, AddedLines, FileChange

# a module's documentation kept in a string: Ansible's DOCUMENTATION, EXAMPLES and RETURN, a USAGE;
# a docstring: a triple-quoted string that opens the line after a `def`'s or a `class`'s header (or
# after the line that closes a signature over several lines: `) -> T:`, or oauthlib's `        headers=None):`),
# or the file (authlib's docstrings quote RFC 6749's example tokens). Each header ends its line with `:`, and
# a closing line holds one `)`, so each repeat has one way to match.
_DOCUMENTATION_STRING = re.compile(
    r"^(?:DOCUMENTATION|EXAMPLES?|RETURN|USAGE)\s*=\s*[rRuU]?(\"\"\"|''')"
    r"|^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t][^\n#]{0,400}:\n[ \t]*[rRuU]?(\"\"\"|''')"
    r"|^[^\n#()]{0,400}\)[^\n#()]{0,200}:\n[ \t]*[rRuU]?(\"\"\"|''')"
    r"|\A(?:#[^\n]*\n)*[rRuU]?(\"\"\"|''')",
    re.MULTILINE,
)


# Elixir's documentation: `@moduledoc """`, `@doc ~S"""` (its examples are doctests, run as tests)
_ELIXIR_DOCUMENTATION = re.compile(r"^[ \t]*@(?:moduledoc|doc|typedoc)[ \t]+(?:~[sS])?(\"\"\"|''')", re.MULTILINE)


def documentation_string_lines(change: FileChange) -> frozenset[int]:
    """The new file's numbers of the added lines inside documentation kept in a string: Python's
    (`EXAMPLES = r'''...'''`: an Ansible module's examples, its credentials made up for readers;
    a function's, a class's or a module's docstring) and Elixir's (`@moduledoc` and `@doc` heredocs,
    whose `iex>` examples are doctests)."""
    if change.path.endswith(".py"):
        pattern = _DOCUMENTATION_STRING
    elif change.path.endswith((".ex", ".exs")):
        pattern = _ELIXIR_DOCUMENTATION
    else:
        return frozenset()
    text = change.added.text
    found: set[int] = set()
    for match in pattern.finditer(text):
        quotes = next(group for group in match.groups() if group)
        end = text.find(quotes, match.end())
        first = text.count("\n", 0, match.end())  # the line the string opens on
        last = text.count("\n", 0, end if end >= 0 else len(text))
        found.update(change.added.lineno(i) for i in range(first, last + 1))
    return frozenset(found)


def block_comment_lines(change: FileChange) -> frozenset[int]:
    """The new file's numbers of the added lines inside a block comment of source code (`/* ... */`
    after its opening line): an API's sample response or a commented-out block quoted there is
    read as a `//` comment's line is (casdoor keeps its providers' example responses so)."""
    from .checks import textkinds  # the checks' text kinds; imported once a hit asks

    kind = textkinds.kind_of(change.path)
    if not kind.is_code or "/*" not in kind.openers or "/*" not in change.added.text:
        return frozenset()
    inside = textkinds.block_lines(change.added, kind)
    return frozenset(change.added.lineno(index) for index in inside)


# Rust keeps unit tests in the file they test: `#[cfg(test)]` before `mod tests {`, by convention last
_RUST_TEST_MODULE = re.compile(
    r"^[ \t]*#\[cfg\(test\)\][ \t]*\n(?:[ \t]*(?://[^\n]*|#\[[^\n]*)?\n)*[ \t]*(?:pub(?:\([^)\n]*\))? )?mod \w+ ?\{",
    re.MULTILINE,
)


def test_module_start(path: str, added: AddedLines) -> int | None:
    """The index of the first added line of a test module kept inside a source file (Rust's
    `#[cfg(test)] mod tests {`), from where on the file is test code; None when it has none."""
    if not path.endswith(".rs") or "#[cfg(test)]" not in added.text:
        return None
    found = _RUST_TEST_MODULE.search(added.text)
    return None if found is None else added.text.count("\n", 0, found.start())


# a comment's opening (`#`, `//`, `/*`, ` * `, `--`, `;`, `<!--`), where a C preprocessor line
# (`#define WIFI_PASSWORD "..."`, C#'s `#region`) is code, though it starts with `#`
_COMMENT_START = ("#", "//", "/*", "* ", "--", "<!--", ";")
_PREPROCESSOR = re.compile(
    r"#[ \t]*(?:define|undef|if|ifdef|ifndef|elif|else|endif|include|import|pragma|region|endregion)\b"
)
# what a comment calls a value it stands above or beside when the value stands in for any other
_STAND_IN_WORD = re.compile(
    r"(?i)\b(?:example|sample|for instance|dummy|placeholder|fake|made[- ]up|arbitrary|insecure default)\b|\be\.g\."
)


def is_comment_line(line: str) -> bool:
    """Whether a line of source code is a comment (a bare ` *` of a block comment too)."""
    stripped = line.strip()
    return (stripped.startswith(_COMMENT_START) or stripped == "*") and not _PREPROCESSOR.match(stripped)


# a definition's header: `class MockProvider(...)`, `def fake_client(`, `func newStubServer(`, `function dummyDb(`
_DEFINITION = re.compile(
    r"([ \t]*)(?:export[ \t]+)?(?:(?:p(?:ub(?:lic)?|r(?:ivate|otected))|internal|static|a(?:bstract|sync)|final)[ \t]+)*"
    r"(?:class|def|func|fn|function|struct|object)[ \t]+(?:\([^)\n]{0,80}\)[ \t]*)?([A-Za-z_]\w{0,80})"
)
_STAND_IN_DEFINITION = re.compile(r"(?i)mock|fake|dummy|stub")
_DEFINITION_REACH = 200  # lines looked back over for the definitions a line is in


def in_stand_in_definition(lines: Sequence[AddedLine], index: int) -> bool:
    """Whether line `index` lies in a class or function whose name makes it a stand-in
    (`class MockMemberlistProvider`, `def fake_cluster():`), told by indentation: the definitions
    above it, each indented less than what it holds, among the contiguous added lines."""
    text = lines[index].text
    indent = len(text) - len(text.lstrip(" \t"))
    for back in range(index - 1, max(-1, index - _DEFINITION_REACH), -1):
        if lines[back].lineno != lines[back + 1].lineno - 1 or indent == 0:
            return False
        found = _DEFINITION.match(lines[back].text)
        if found is None or len(found.group(1)) >= indent:
            continue
        if _STAND_IN_DEFINITION.search(found.group(2)) is not None:
            return True
        indent = len(found.group(1))
    return False


def calls_it_a_stand_in(comment: str) -> bool:
    """Whether a comment says the value it is about is an example or any value at all."""
    return _STAND_IN_WORD.search(comment) is not None
