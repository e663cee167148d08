"""Checksum manifests and Git LFS pointers: what a file's sha256 is claimed to be.

- `SHA256SUMS`-style files (`<hex>  <path>`, `<hex> *<path>`, BSD `SHA256 (<path>) = <hex>`) and
  `<file>.sha256` (a bare hex for `<file>`, or the same lines);
- OpenSSF model-signing signatures (a Sigstore bundle whose DSSE payload is an in-toto statement
  listing the model's files with their digests);
- the AI-BOM (`aibom.cdx.json`), whose components record each model file's sha256;
- Git LFS pointers (`version https://git-lfs.github.com/spec/v1`, `oid sha256:<hex>`, `size <n>`).
Paths in a manifest are relative to the manifest's directory.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from .budget import MAX_JSON_VALUES, json_values

_HEX = frozenset("0123456789abcdefABCDEF")
_MANIFEST_NAMES = frozenset(("sha256sums", "sha256sums.txt", "checksums.sha256", "sha256sum.txt", "checksums.txt"))
_LFS_VERSION = "version https://git-lfs.github.com/spec/v1"
PATH_PROPERTY = "contribution-gate:path"  # the AI-BOM component property naming a file


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the repository root
    sha256: str
    line: int | None = None


def is_manifest_name(path: str) -> bool:
    """SHA256SUMS-style manifests are found by name: that is how people and `sha256sum -c` find them."""
    name = posixpath.basename(path).lower()
    return name in _MANIFEST_NAMES or name.endswith(".sha256")


def parse_manifest(path: str, text: str) -> list[Entry]:
    """The entries of a checksum manifest at `path` (repository-relative). Lines are split with
    string methods, not regexes: a lazy name followed by trailing blanks rescans the line from
    every position."""
    base = posixpath.dirname(path)
    name = posixpath.basename(path)
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        found = _gnu(line) or _bsd(line)
        if found is None and name.lower().endswith(".sha256") and _hex(line.strip()):
            found = line.strip(), name[: -len(".sha256")]
        if found is not None:
            digest, listed = found
            entries.append(Entry(_join(base, listed), digest.lower(), number))
    return entries


def _hex(text: str) -> bool:
    return len(text) == 64 and all(c in _HEX for c in text)


def _gnu(line: str) -> tuple[str, str] | None:
    """`<sha256>  <path>`, `<sha256> *<path>` (binary mode), `\\<sha256>  <path>` (escaped name)."""
    text = line.lstrip()
    text = text[1:] if text.startswith("\\") else text
    digest, rest = text[:64], text[64:]
    if not _hex(digest) or not rest[:1].isspace():
        return None
    rest = rest.lstrip()
    listed = (rest[1:] if rest.startswith("*") else rest).rstrip()
    return (digest, listed) if listed else None


def _bsd(line: str) -> tuple[str, str] | None:
    """`SHA256 (<path>) = <sha256>`."""
    text = line.strip()
    if not text.startswith("SHA256"):
        return None
    rest = text[6:].lstrip()
    digest, before = rest[-64:], rest[:-64].rstrip()
    if not _hex(digest) or not before.endswith("="):
        return None
    before = before[:-1].rstrip()
    if not before.startswith("(") or not before.endswith(")") or len(before) < 3:
        return None
    return digest, before[1:-1]


def _join(base: str, listed: str) -> str:
    listed = listed.replace("\\", "/")
    while listed.startswith("./"):
        listed = listed[2:]
    return posixpath.normpath(posixpath.join(base, listed)) if base else posixpath.normpath(listed)


def parse_signature(path: str, data: object) -> list[Entry] | None:
    """The files an OpenSSF model-signing signature (Sigstore bundle, DSSE, in-toto) lists, or None
    when `data` is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("dsseEnvelope"), dict):
        return None
    try:
        payload = base64.b64decode(data["dsseEnvelope"].get("payload", ""), validate=True)
        if json_values(payload) > MAX_JSON_VALUES:
            return None
        statement = json.loads(payload)
    except (ValueError, binascii.Error, TypeError, RecursionError):
        return None
    if not isinstance(statement, dict) or "model_signing" not in str(statement.get("predicateType", "")):
        return None
    base = posixpath.dirname(path)
    entries = []
    predicate: dict[str, Any] = statement["predicate"] if isinstance(statement.get("predicate"), dict) else {}
    for item in list(predicate.get("resources") or []) + list(statement.get("subject") or []):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        digest = item.get("digest")
        value = (
            digest.get("sha256") if isinstance(digest, dict) else digest if item.get("algorithm") == "sha256" else None
        )
        if isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{64}", value):
            entries.append(Entry(_join(base, item["name"]), value.lower()))
    return entries


_CANDIDATE_NAMES = ("SHA256SUMS", "sha256sums.txt", "checksums.sha256")


def may_be_manifest(path: str) -> bool:
    """Whether a path of the tree has a name `candidates` gives (`<file>.sha256`, SHA256SUMS, ...)."""
    name = posixpath.basename(path)
    return name.endswith(".sha256") or name in _CANDIDATE_NAMES


def candidates(path: str) -> list[str]:
    """Manifests that may list `path`: `<path>.sha256`, and SHA256SUMS-style files in its directory
    and every directory above it."""
    found = [f"{path}.sha256"]
    directory = posixpath.dirname(path)
    while True:
        found += [posixpath.join(directory, n) if directory else n for n in _CANDIDATE_NAMES]
        if not directory:
            return found
        directory = posixpath.dirname(directory)


@dataclass(frozen=True)
class LfsPointer:
    oid: str
    size: int


def parse_lfs_pointer(data: bytes) -> LfsPointer | None:
    """A Git LFS pointer file (at most 1024 bytes, version line first), or None."""
    if len(data) > 1024:
        return None
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None
    if not lines or lines[0].strip() != _LFS_VERSION:
        return None
    fields = dict(line.split(" ", 1) for line in lines[1:] if " " in line)
    oid, size = fields.get("oid", ""), fields.get("size", "")
    if not oid.startswith("sha256:") or not re.fullmatch(r"[0-9a-f]{64}", oid[7:]) or not size.isdigit():
        return None
    return LfsPointer(oid[7:], int(size))


def recorded_hashes(document: bytes) -> dict[str, set[str]]:
    """path -> the sha256 values an AI-BOM records for it (nested components included)."""
    if json_values(document) > MAX_JSON_VALUES:
        return {}  # not read: the AI-BOM then lists nothing, so every model file is reported
    try:
        data = json.loads(document)
    except (ValueError, RecursionError):
        return {}
    found: dict[str, set[str]] = {}
    stack = list(data.get("components", [])) if isinstance(data, dict) else []
    while stack:
        component = stack.pop()
        if not isinstance(component, dict):
            continue
        stack.extend(component.get("components") or [])
        props = {p.get("name"): p.get("value") for p in component.get("properties") or [] if isinstance(p, dict)}
        path = props.get(PATH_PROPERTY) or component.get("bom-ref")
        for digest in component.get("hashes") or []:
            if isinstance(digest, dict) and digest.get("alg") == "SHA-256" and isinstance(path, str):
                found.setdefault(path, set()).add(str(digest.get("content", "")).lower())
    return found
