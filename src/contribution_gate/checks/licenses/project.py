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

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...errors import PolicyValueError

if TYPE_CHECKING:
    from .detection import Detection
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
PARTLY = 60  # score of a partly matched license text that still names the file's license
_PARAMETER = re.compile(
    r"\s*(?:Change\s+License|Change\s+Date|Licensed\s+Work|Licensor|Additional\s+Use\s+Grant)\s*:", re.I
)
# `resides under the "ee/", "web/src/ee/", and/or "worker/src/ee/" directories of this repository`
_CARVE_OUT = re.compile(
    r'resides under (?:the |any |all )?((?:"[^"]{1,100}"[,\s]*(?:and/or |and |or )?)+)director', re.I
)
# root files that grant a part of the project its own license, beside the main one: Mattermost's
# `LICENSE.enterprise` (its `enterprise/` directory), an LGPL project's `COPYING.LESSER`, a Rust
# crate's `LICENSE-APACHE` and `LICENSE-MIT`
_MORE_LICENSE_FILES = (
    *("LICENSE.enterprise", "LICENSE-enterprise", "LICENSE.ee", "LICENSE-EE", "LICENSE.commercial"),
    *("COPYING.LESSER", "COPYING.LIB", "LICENSE-APACHE", "LICENSE-MIT", "LICENSE.APACHE", "LICENSE.MIT"),
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
        self._carve_outs: tuple[str, ...] | None = None
        self._files: dict[str, Expr | None] = {}  # a license file's license, read once for every use
        self._parts: dict[str, tuple[str, Expr] | None] = {}  # a directory -> its own license file and license
        self._texts: dict[str, str | None] = {}

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
                    for name in _LICENSE_FILES + _MORE_LICENSE_FILES:
                        expr = self._from_license_file(name)
                        if expr is not None:
                            found.update(lic.key for lic in licenses_of(expr))
                self._granted = frozenset(found)
            return self._granted

    def carved_out(self, path: str) -> str | None:
        """The directory of `path` that the root license file gives its own license, or None: an
        open-core project's LICENSE says `All content that resides under the "ee/" directory ... is
        licensed under the license defined in "ee/LICENSE"` (PostHog's wording, and Langfuse's and
        pandas-ai's after it). A path is in a carve-out under it, or under a directory of the same
        name elsewhere (pandas-ai's `any "pandasai/ee/" directory` means `extensions/ee/` too)."""
        with self._lock:
            if self._carve_outs is None:
                self._carve_outs = self._read_carve_outs()
        parts = path.split("/")[:-1]
        for carved in self._carve_outs:
            inner = carved.split("/")
            if parts[: len(inner)] == inner or inner[-1] in parts:
                return carved
        return None

    def licensed_part(self, path: str) -> tuple[str, Expr] | None:
        """The nearest directory above `path`, below the root, with a license file of its own, and the
        license of that file: a part of the repository under its own license (AWX keeps its Ansible
        collection, GPL-3.0, under `awx_collection/COPYING` in an Apache-2.0 repository). A license file
        is no part of what it licenses: it is judged as the project's terms decide. None when no
        directory above it has one, or the policy declares the project's license."""
        if self._declared or self._read is None:
            return None
        folders = path.split("/")[:-1]
        for depth in range(len(folders), 0, -1):
            directory = "/".join(folders[:depth])
            with self._lock:
                if directory not in self._parts:
                    self._parts[directory] = self._license_of_directory(directory)
                found = self._parts[directory]
            if found is not None and found[0] != path:
                return directory, found[1]
        return None

    def _license_of_directory(self, directory: str) -> tuple[str, Expr] | None:
        for name in _LICENSE_FILES:
            expr = self._from_license_file(f"{directory}/{name}")
            if expr is not None:
                return f"{directory}/{name}", expr
        return None

    def _read_carve_outs(self) -> tuple[str, ...]:
        if self._declared or self._read is None:
            return ()
        for name in _LICENSE_FILES:
            text = self._text(name)
            if text is not None:
                return tuple(
                    quoted.strip("/")
                    for sentence in _CARVE_OUT.findall(" ".join(text.split()))
                    for quoted in re.findall(r'"([^"]{1,100})"', sentence)
                    if quoted.strip("/")
                )
        return ()

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
        """A file's text, read once: a root license file serves the project's license, the licenses
        it grants and its carve-outs."""
        assert self._read is not None
        if name not in self._texts:
            data = self._read(name)
            self._texts[name] = data.decode("utf-8", "replace") if data is not None else None
        return self._texts[name]

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
        from .detection import LICENSE_TEXT

        text = self._text(name)
        if text is None:
            return None
        lines = text.splitlines()
        found = [
            d
            for d in scancode_detections(list(enumerate(lines, 1)), name, whole_file=True)
            if d.expr is not None and not _a_parameter(lines, d)
        ]
        strong = [d for d in found if d.strong]
        # a text whose parameters are filled in at length (Terraform's BUSL: its Licensor, its
        # Additional Use Grant) matches its license in part only; most of it is still that license
        chosen = strong or [d for d in found if d.source == LICENSE_TEXT and (d.score or 0) >= PARTLY]
        if not chosen:
            return None
        # the text that covers most of the file
        widest = max(chosen, key=lambda d: (d.end_line or d.line or 0) - (d.line or 0))
        return widest.expr


def _a_parameter(lines: list[str], detection: Detection) -> bool:
    """Whether a detection is one of its license's parameters, not the file's license: a BUSL's
    `Change License: MPL 2.0` (the license the work turns into years later), its `Licensed Work`."""
    first = detection.line or 0
    return 0 < first <= len(lines) and bool(_PARAMETER.match(lines[first - 1]))
