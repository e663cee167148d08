"""The project's own (outbound) license: `[licenses] project` in the policy, else what the tree the
policy comes from declares (the base commit for a range): pyproject.toml, package.json, Cargo.toml,
then a LICENSE file read by ScanCode (a LICENSE-CODE file first: the license of the code where the
repository's LICENSE covers its documentation).

Resolved at most once per run and only when a detection needs judging, so a change without any
license in it never pays for it (loading the license catalog costs about 60 ms). A declared value
that names no license is then a policy error (`PolicyValueError`: exit 2 naming the file and key),
not a crash of the check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...errors import PolicyValueError

if TYPE_CHECKING:
    from .ids import Expr

Reader = Callable[[str], "bytes | None"]
_MANIFESTS = ("pyproject.toml", "package.json", "Cargo.toml")
# a file that says it licenses the code comes first: Microsoft's repositories license their
# documentation under LICENSE (CC-BY-4.0) and their code under LICENSE-CODE (MIT)
_LICENSE_FILES = (
    "LICENSE-CODE",
    "LICENSE-CODE.txt",
    "LICENSE-CODE.md",
    "LICENSE_CODE",
    "CODE_LICENSE",
    "LICENSE",
    "LICENSE.txt",
    "LICENSE.md",
    "LICENCE",
    "LICENCE.txt",
    "LICENCE.md",
    "COPYING",
    "COPYING.txt",
)
HOW_TO_DECLARE = (
    'declare the project\'s license so the gate can judge compatibility: `[licenses] project = "Apache-2.0"` '
    "in .contribution-gate.toml (any SPDX expression), or `license` in pyproject.toml or package.json"
)


class Project:
    """The outbound license, found on first use: (expression or None, where it came from)."""

    def __init__(self, declared: str | None = None, read: Reader | None = None, where: str = "") -> None:
        self._declared = declared
        self._read = read
        self._where = where
        self._lock = threading.Lock()
        self._found: tuple[Expr | None, str] | None = None
        self._granted: frozenset[str] | None = None
        self._files: dict[str, Expr | None] = {}  # a root license file's license, read once for both uses

    def get(self) -> tuple[Expr | None, str]:
        with self._lock:
            if self._found is None:
                self._found = self._resolve()
            return self._found

    def granted(self) -> frozenset[str]:
        """The license keys the repository's root license files grant, all of them (`LICENSE` and
        `COPYING` of a project under two licenses: Unsloth's core Apache-2.0, its Studio AGPL-3.0),
        read on first use; none when the policy declares the project's license."""
        from .ids import licenses_of

        with self._lock:
            if self._granted is None:
                found: set[str] = set()
                if not self._declared and self._read is not None:
                    for name in _LICENSE_FILES:
                        expr = self._from_license_file(name)
                        if expr is not None:
                            found.update(lic.key for lic in licenses_of(expr))
                self._granted = frozenset(found)
            return self._granted

    def _resolve(self) -> tuple[Expr | None, str]:
        from .ids import InvalidExpression, catalog, licenses_of

        if self._declared:
            try:
                expr = catalog().parse(self._declared)
            except InvalidExpression as exc:
                raise PolicyValueError(
                    f"[licenses] project {self._declared!r} is no license expression ({exc}): write an SPDX "
                    'expression such as "Apache-2.0"'
                ) from None
            unknown = [str(lic) for lic in licenses_of(expr) if not lic.known]
            if unknown:
                raise PolicyValueError(
                    f"[licenses] project names {', '.join(unknown)}, which is no SPDX or ScanCode license id: "
                    'write it like "Apache-2.0", "GPL-3.0-or-later" or "LicenseRef-scancode-<key>"'
                )
            return expr, "[licenses] project"
        if self._read is None:
            return None, ""
        for name in _MANIFESTS:
            found = self._from_manifest(name)
            if found is not None:
                return found, f"{name} ({self._where})"
        for name in _LICENSE_FILES:
            found = self._from_license_file(name)
            if found is not None:
                return found, f"{name} ({self._where})"
        return None, ""

    def _text(self, name: str) -> str | None:
        assert self._read is not None
        data = self._read(name)
        return data.decode("utf-8", "replace") if data is not None else None

    def _from_manifest(self, name: str) -> Expr | None:
        from . import manifests
        from .ids import licenses_of

        text = self._text(name)
        if text is None:
            return None
        for found in manifests.detections(name, text):
            if found.expr is not None and all(lic.known for lic in licenses_of(found.expr)):
                return found.expr
        return None

    def _from_license_file(self, name: str) -> Expr | None:
        if name not in self._files:
            self._files[name] = self._read_license_file(name)
        return self._files[name]

    def _read_license_file(self, name: str) -> Expr | None:
        from .detect import scancode_detections

        text = self._text(name)
        if text is None:
            return None
        lines = [(i + 1, line) for i, line in enumerate(text.splitlines())]
        strong = [d for d in scancode_detections(lines, name, whole_file=True) if d.strong and d.expr is not None]
        if not strong:
            return None
        # the text that covers most of the file: a BUSL's "Change License: Apache License, Version
        # 2.0" line is a parameter of the license, not the license
        widest = max(strong, key=lambda d: (d.end_line or d.line or 0) - (d.line or 0))
        return widest.expr
