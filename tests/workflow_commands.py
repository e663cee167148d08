"""The output of a step read the way actions/runner reads it (`ActionCommandManager`).

A line ends at LF, CR or CRLF (.NET's ReadLine); a line is a command when, after leading white space
(.NET's TrimStart), it starts with `::name props::data`, or when it holds the legacy `##[name]`
anywhere (`ActionCommand.TryParse`); `::stop-commands::T` ignores every command up to the line
`::T::`. `runner_commands` fails on a legacy command outside a stop-commands block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGISTERED = {
    "add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error", "group", "notice",
    "remove-matcher", "save-state", "set-env", "set-output", "stop-commands", "warning",
}  # fmt: skip


@dataclass
class Command:
    name: str
    properties: dict[str, str]
    data: str


def _unescape(value: str, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for token, char in pairs:
        value = value.replace(token, char)
    return value


def runner_commands(output: str) -> list[Command]:
    """The commands a runner would process, in order; a legacy `##[` command fails the test."""
    processed: list[Command] = []
    stop: str | None = None
    for raw in re.split(r"\r\n|\r|\n", output):  # .NET's ReadLine splits on all three
        line = raw.lstrip()
        if stop is None:
            assert not line.startswith("##["), f"legacy command outside a stop-commands block: {raw!r}"
        if not line.startswith("::") or line.find("::", 2) < 0:
            continue
        end = line.find("::", 2)
        info, data = line[2:end], line[end + 2 :]
        name, _, props = info.partition(" ")
        if stop is not None:
            if name.lower() == stop.lower():
                stop = None
            continue
        if name == "stop-commands":
            stop = data
            continue
        properties = dict(p.split("=", 1) for p in props.split(",") if "=" in p)
        processed.append(Command(name, {k: _unescape(v, True) for k, v in properties.items()}, _unescape(data, False)))
    assert stop is None, "the output leaves commands stopped"
    return processed


def command_lines(output: str) -> list[str]:
    """Every line the runner would take for a command of its own (a registered name), in either
    form, ignoring stop-commands: what output with no command of ours must never contain."""
    found = []
    for raw in re.split(r"\r\n|\r|\n", output):
        line = raw.lstrip()
        if (
            line.startswith("::")
            and line.find("::", 2) > 0
            and line[2 : line.find("::", 2)].split(" ")[0].lower() in REGISTERED
        ):
            found.append(raw)
        legacy = re.search(r"##\[([^\]\s]*)", raw)
        if legacy and legacy.group(1).lower() in REGISTERED:
            found.append(raw)
    return found
