"""Workflow commands: how the Actions runner reads a step's output, and how to stay out of it.

The runner (actions/runner, `ActionCommandManager.TryProcessCommand`) reads stdout and stderr line
by line (.NET's ReadLine: a line ends at LF, CR or CRLF) and tries two parsers on each line:

- `ActionCommand.TryParseV2`: after `TrimStart()` (Unicode white space) the line starts with `::`,
  then `name props::data`;
- the legacy `ActionCommand.TryParse`: `##[name props]data` *anywhere* in the line.

A registered name (`error`, `add-mask`, `stop-commands`, `set-output`, ...) makes it a command.
GitHub documents no escape for a line that merely starts with `::`; `@actions/core` escapes the
values inside a command (data: `%` `\\r` `\\n`; properties also `:` `,`). So `defuse` breaks both
forms with a backslash (`\\::stop-commands::x`, `##\\[error]`), which the runner does not read as
a command and a reader still understands; CR and other control characters are escaped before
(`untrusted.visible`), so no line can begin in the middle of another.
"""

from __future__ import annotations


def escape_data(value: str) -> str:
    """As `@actions/core` escapes a command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """As `@actions/core` escapes a command's property value."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line, every value escaped."""
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value not in (None, "")
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def defuse(line: str) -> str:
    """`line` (without its line break) as the runner will not read as a command."""
    line = line.replace("##[", "##\\[")
    start = len(line) - len(line.lstrip())
    return line[:start] + "\\" + line[start:] if line.startswith("::", start) else line


def could_become_command(head: str) -> bool:
    """Whether more text on this line could still make it a command (a stream holds such a head
    back until the line is complete): only blanks and at most one `:` so far, or a trailing `#`."""
    stripped = head.lstrip()
    return stripped in ("", ":") or head.endswith("#")
