"""The last guard on everything the gate prints: stdout and stderr, whichever command wrote it.

While a command runs, `sys.stdout` and `sys.stderr` are wrapped (`guarded_output`) so that, line by
line:

- secrets are masked (`untrusted.masked`) in whatever no report of the registry has redacted
  already: warnings, errors, and the output of every other command;
- control and format characters are shown as escapes (`untrusted.json_visible`: `\\u001b`,
  `\\u202e`, which also keeps a JSON document printed to stdout valid), so no file name, policy key
  or error text can drive the terminal (colours, cursor moves, OSC titles and links, CR rewrites,
  bidi reordering); tab and newline stay;
- under GitHub Actions (`GITHUB_ACTIONS=true`), no line can be a workflow command
  (`github.commands.defuse`): a line starting with `::` after blanks, or holding `##[`, is broken
  with a backslash. A partial line that could still become one is held back until it is complete.

Two things are let through on purpose, inside `permit`: the text report's own colours (SGR
sequences only; its contents were made visible by the reporter registry) and the workflow commands
of `--format github`, whose values that reporter escapes itself. A report of the registry is not
masked twice. The progress line draws on the
raw stream (`unguarded`).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from ..github.commands import could_become_command, defuse
from ..reporters.untrusted import json_visible, masked

_SGR = re.compile(r"\x1b\[[0-9;]*m")


class GuardedStream(io.TextIOBase):
    """A text stream that masks secrets, escapes unsafe characters and, for a runner, defuses
    command lines. It works on whole lines: a partial line waits for its end or a flush."""

    def __init__(self, raw: TextIO, workflow: bool) -> None:
        super().__init__()
        self.raw, self.workflow = raw, workflow
        self.commands = self.styled = self.redacted = False
        self._pending = ""  # the current line, not yet written
        self._mid_line = False  # part of the current line was written already

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw, "errors", None) or "strict"

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        lines = (self._pending + self._escaped(text)).split("\n")
        self._pending = lines.pop()
        out = []
        for line in lines:
            out.append(self._line(line) + "\n")
            self._mid_line = False
        if out:
            self.raw.write("".join(out))
        return len(text)

    def flush(self) -> None:
        """Write the partial line too, unless it could still become a workflow command."""
        if self._pending and not (self.workflow and not self.commands and could_become_command(self._pending)):
            self.raw.write(self._line(self._pending))
            self._pending, self._mid_line = "", True
        self.raw.flush()

    def close_line(self) -> None:
        """Write whatever is held back (at the end of the command)."""
        if self._pending:
            self.raw.write(self._line(self._pending))
            self._pending = ""
        self.raw.flush()

    def _escaped(self, text: str) -> str:
        if not self.styled:
            return json_visible(text)
        parts, styles = _SGR.split(text), [*_SGR.findall(text), ""]
        return "".join(json_visible(part) + style for part, style in zip(parts, styles, strict=True))

    def _line(self, line: str) -> str:
        if not self.redacted:
            line = masked(line)
        if not self.workflow or self.commands:
            return line
        return line.replace("##[", "##\\[") if self._mid_line else defuse(line)


@contextlib.contextmanager
def guarded_output(environ: Mapping[str, str]) -> Iterator[None]:
    """Wrap stdout and stderr for the duration (a no-op when they are wrapped already)."""
    if isinstance(sys.stdout, GuardedStream) or isinstance(sys.stderr, GuardedStream):
        yield
        return
    workflow = environ.get("GITHUB_ACTIONS") == "true"
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = GuardedStream(out, workflow), GuardedStream(err, workflow)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, GuardedStream):
                with contextlib.suppress(Exception):
                    stream.close_line()
        sys.stdout, sys.stderr = out, err


@contextlib.contextmanager
def permit(commands: bool = False, styled: bool = False, redacted: bool = False) -> Iterator[None]:
    """Let stdout carry our own workflow commands or colours while the block runs; `redacted`:
    what is written is a report the registry redacted already (not masked a second time)."""
    stream: Any = sys.stdout
    if not isinstance(stream, GuardedStream):
        yield
        return
    if stream._pending:  # a partial line of someone else's: end it, so ours start on a line of their own
        stream.close_line()
        stream.raw.write("\n")
    before = stream.commands, stream.styled, stream.redacted
    stream.commands, stream.styled, stream.redacted = commands, styled, redacted
    try:
        yield
    finally:
        stream.close_line()
        stream.commands, stream.styled, stream.redacted = before


def unguarded(stream: TextIO) -> TextIO:
    """The stream under the guard: for the progress line, which draws with CR and ANSI codes."""
    return stream.raw if isinstance(stream, GuardedStream) else stream
