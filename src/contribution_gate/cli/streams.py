"""The last guard on everything the gate prints: stdout and stderr, whichever command wrote it.

While a command runs, `sys.stdout` and `sys.stderr` are wrapped (`guarded_output`) so that:

- control and format characters are shown as escapes (`untrusted.json_visible`: `\\u001b`,
  `\\u202e`, which also keeps a JSON document printed to stdout valid), so no file name, policy key
  or error text can drive the terminal (colours, cursor moves, OSC titles and links, CR rewrites,
  bidi reordering); tab and newline stay;
- under GitHub Actions (`GITHUB_ACTIONS=true`), no line can be a workflow command
  (`github.commands.defuse`): a line starting with `::` after blanks, or holding `##[`, is broken
  with a backslash. A partial line that could still become one is held back until it is complete.

Two things are let through on purpose, inside `permit`: the text report's own colours (SGR
sequences only; its contents were made visible by the reporter registry) and the workflow commands
of `--format github`, whose values that reporter escapes itself. The progress line draws on the
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
from ..reporters.untrusted import json_visible

_SGR = re.compile(r"\x1b\[[0-9;]*m")


class GuardedStream(io.TextIOBase):
    """A text stream that escapes unsafe characters and, for a runner, defuses command lines."""

    def __init__(self, raw: TextIO, workflow: bool) -> None:
        super().__init__()
        self.raw, self.workflow = raw, workflow
        self.commands = self.styled = False
        self._pending = ""  # the current line, not yet written (workflow mode)
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
        self.raw.write(self._guard(text))
        return len(text)

    def flush(self) -> None:
        if self._pending and not could_become_command(self._pending):
            self.raw.write(self._line(self._pending))
            self._pending, self._mid_line = "", True
        self.raw.flush()

    def close_line(self) -> None:
        """Write whatever is held back (at the end of the command)."""
        if self._pending:
            self.raw.write(self._line(self._pending))
            self._pending = ""
        self.raw.flush()

    def _guard(self, text: str) -> str:
        if self.styled:
            parts = _SGR.split(text)
            styles = _SGR.findall(text) + [""]
            text = "".join(json_visible(part) + style for part, style in zip(parts, styles, strict=True))
        else:
            text = json_visible(text)
        if not self.workflow or self.commands:
            return text
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        out = []
        for line in lines:
            out.append(self._line(line) + "\n")
            self._mid_line = False
        return "".join(out)

    def _line(self, line: str) -> str:
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
def permit(commands: bool = False, styled: bool = False) -> Iterator[None]:
    """Let stdout carry our own workflow commands or colours while the block runs."""
    stream: Any = sys.stdout
    if not isinstance(stream, GuardedStream):
        yield
        return
    if stream._pending:  # a partial line of someone else's: end it, so ours start on a line of their own
        stream.close_line()
        stream.raw.write("\n")
    before = stream.commands, stream.styled
    stream.commands, stream.styled = commands, styled
    try:
        yield
    finally:
        stream.flush()
        stream.commands, stream.styled = before


def unguarded(stream: TextIO) -> TextIO:
    """The stream under the guard: for the progress line, which draws with CR and ANSI codes."""
    return stream.raw if isinstance(stream, GuardedStream) else stream
