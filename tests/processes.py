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

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)
