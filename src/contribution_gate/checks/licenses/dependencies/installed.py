"""Licenses from installed copies: the Python distributions of the environment the gate runs in
(`importlib.metadata`), and, in the working tree of a local review, `node_modules/<name>/package.json`
and Composer's `vendor/composer/installed.json`.

A copy counts only for the version asked for (or, for a range, one inside it). Names are checked
before they become paths: nothing outside `node_modules/` or `vendor/` is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .model import NPM, PACKAGIST, PYPI, Dep

Reader = Callable[[str], "bytes | None"]
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]{0,213}/)?[a-z0-9][a-z0-9._~-]{0,213}$", re.IGNORECASE)
_MAX_JSON = 8 << 20


class Found:
    """What an installed copy declares: its license as (text, how to read it) candidates, best
    first (an SPDX expression, a free-text name, trove classifiers), and the version installed."""

    __slots__ = ("candidates", "version")

    def __init__(self, candidates: list[tuple[str, str]], version: str) -> None:
        self.candidates, self.version = candidates, version


class Installed:
    def __init__(self, work_tree: Reader | None) -> None:
        self._read = work_tree
        self._composer: dict[str, tuple[str, str | None]] | None = None

    def find(self, dep: Dep, accept: Callable[[str], bool]) -> Found | None:
        """The installed copy of `dep` whose version `accept` takes, with its declared license."""
        if dep.ecosystem == PYPI:
            return _python(dep.name, accept)
        if dep.ecosystem == NPM and self._read is not None and _NPM_NAME.match(dep.name) and ".." not in dep.name:
            return self._npm(dep.name, accept)
        if dep.ecosystem == PACKAGIST and self._read is not None:
            return self._php(dep.name, accept)
        return None

    def _npm(self, name: str, accept: Callable[[str], bool]) -> Found | None:
        doc = self._json(f"node_modules/{name}/package.json")
        if not isinstance(doc, dict) or not isinstance(doc.get("version"), str) or not accept(doc["version"]):
            return None
        value = doc.get("license")
        if isinstance(value, dict):
            value = value.get("type")
        if not isinstance(value, str) and isinstance(doc.get("licenses"), list):
            names = [v.get("type") if isinstance(v, dict) else v for v in doc["licenses"]]
            value = " OR ".join(n for n in names if isinstance(n, str)) or None
        return Found([(value, "expression")], doc["version"]) if isinstance(value, str) and value.strip() else None

    def _php(self, name: str, accept: Callable[[str], bool]) -> Found | None:
        if self._composer is None:
            self._composer = {}
            doc = self._json("vendor/composer/installed.json")
            packages = doc.get("packages") if isinstance(doc, dict) else doc
            for item in packages if isinstance(packages, list) else ():
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    licenses = item.get("license")
                    names = [v for v in licenses if isinstance(v, str)] if isinstance(licenses, list) else []
                    self._composer[item["name"].lower()] = (str(item.get("version", "")), " OR ".join(names) or None)
        version, license_ = self._composer.get(name.lower(), ("", None))
        if license_ and version and accept(version):
            return Found([(license_, "expression")], version)
        return None

    def _json(self, path: str) -> Any:
        assert self._read is not None
        try:
            data = self._read(path)
        except OSError:
            return None
        if data is None or len(data) > _MAX_JSON:
            return None
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            return None


def _python(name: str, accept: Callable[[str], bool]) -> Found | None:
    import importlib.metadata as metadata

    try:
        dist = metadata.distribution(name)
    except (metadata.PackageNotFoundError, ValueError):
        return None
    version = dist.version
    if not isinstance(version, str) or not accept(version):
        return None
    meta: Any = dist.metadata
    candidates: list[tuple[str, str]] = []
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        candidates.append((expression, "expression"))
    free = (meta.get("License") or "").strip()
    if free and "\n" not in free and len(free) <= 200 and free.upper() not in ("UNKNOWN", "NONE"):
        candidates.append((free, "name"))
    classifiers = [c.strip() for c in meta.get_all("Classifier") or () if c.startswith("License ::")]
    classifiers = [c for c in classifiers if c != "License :: OSI Approved"]
    if classifiers:
        candidates.append(("\n".join(classifiers), "classifier"))
    return Found(candidates, version) if candidates else None
