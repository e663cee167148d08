"""Regions of a source file that say what their lines are: a module's documentation kept in a
string (its examples' credentials are made up for readers), a test module kept inside the file
it tests (its values are made for the tests), and a comment that calls what follows it a stand-in
(`# arbitrary private address`, `## Example value taken from ...`). The secrets check and the
internal-urls check judge a finding there as they judge one in documentation or in a test file."""

from __future__ import annotations

import re

from .model import AddedLines, FileChange

# a module's documentation kept in a string: Ansible's DOCUMENTATION, EXAMPLES and RETURN, a USAGE;
# a docstring: a triple-quoted string that opens the line after a `def`'s or a `class`'s header (or
# after the `) -> T:` that closes a signature over several lines), or the file (authlib's docstrings
# quote RFC 6749's example tokens). Each header ends its line with `:`, so each repeat has one way to match.
_DOCUMENTATION_STRING = re.compile(
    r"^(?:DOCUMENTATION|EXAMPLES?|RETURN|USAGE)\s*=\s*[rRuU]?(\"\"\"|''')"
    r"|^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t][^\n#]{0,400}:\n[ \t]*[rRuU]?(\"\"\"|''')"
    r"|^[ \t]*\)[^\n#]{0,200}:\n[ \t]*[rRuU]?(\"\"\"|''')"
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


def calls_it_a_stand_in(comment: str) -> bool:
    """Whether a comment says the value it is about is an example or any value at all."""
    return _STAND_IN_WORD.search(comment) is not None
