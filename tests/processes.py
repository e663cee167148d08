"""What a finished process left: shared by the CLI tests (conftest) and the integration tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err

    @property
    def flat(self) -> str:
        """`output` read as prose: the report's wrapping at the terminal width (and git's `remote:`
        prefix before a server hook's lines) undone, runs of white space made one space."""
        lines = (line.removeprefix("remote:") for line in self.output.splitlines())
        return " ".join(" ".join(lines).split())

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)
