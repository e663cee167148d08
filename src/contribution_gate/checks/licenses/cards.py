"""Model and dataset cards: the YAML front matter of a README.md on a model hub.

Read for two uses: the licenses check's `detections` (the card's license declaration, judged like
any other) and the AI-BOM's `Card` (license, base model, datasets, task). `license:` holds a hub id
(`apache-2.0`, `llama3.1`, `creativeml-openrail-m`, ...) or a list of them; `license: other` points
at `license_name` and `license_link`. ScanCode does not know the hub's ids, so
`config/licenses.toml` maps them ([hub]); ids the hub shares with SPDX resolve directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .detection import MODEL_CARD, Detection
from .ids import Expr, Lic, Op, catalog

CARD_NAMES = ("README.md", "readme.md", "README.MD")
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING", "LICENSE.MD")
_KNOWN_TEXTS = (  # (pattern in a license file, SPDX id or license name)
    (re.compile(r"Apache License\s+Version 2\.0", re.IGNORECASE), "Apache-2.0"),
    (re.compile(r"^\s*MIT License|Permission is hereby granted, free of charge", re.IGNORECASE | re.MULTILINE), "MIT"),
    (
        re.compile(r"Redistribution and use in source and binary forms.*?Neither the name", re.IGNORECASE | re.DOTALL),
        "BSD-3-Clause",
    ),
    (re.compile(r"Redistribution and use in source and binary forms", re.IGNORECASE), "BSD-2-Clause"),
    (re.compile(r"GNU GENERAL PUBLIC LICENSE\s+Version 3", re.IGNORECASE), "GPL-3.0-only"),
    (re.compile(r"GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3", re.IGNORECASE), "LGPL-3.0-only"),
    (re.compile(r"Creative Commons Attribution 4\.0", re.IGNORECASE), "CC-BY-4.0"),
    (re.compile(r"Creative Commons Attribution-NonCommercial 4\.0", re.IGNORECASE), "CC-BY-NC-4.0"),
    (re.compile(r"LLAMA 3\.1 COMMUNITY LICENSE", re.IGNORECASE), "llama3.1"),
    (re.compile(r"LLAMA 3\.2 COMMUNITY LICENSE", re.IGNORECASE), "llama3.2"),
    (re.compile(r"LLAMA 3 COMMUNITY LICENSE", re.IGNORECASE), "llama3"),
    (re.compile(r"LLAMA 2 COMMUNITY LICENSE", re.IGNORECASE), "llama2"),
    (re.compile(r"Gemma Terms of Use", re.IGNORECASE), "gemma"),
    (re.compile(r"Responsible AI License|OpenRAIL", re.IGNORECASE), "openrail"),
)


@dataclass(frozen=True)
class Card:
    """What a card says about its model or dataset (empty when there is no card)."""

    fields: dict[str, object] = field(default_factory=dict)

    def text(self, key: str) -> str | None:
        value = self.fields.get(key)
        return value if isinstance(value, str) and value else None

    def items(self, key: str) -> list[str]:
        value = self.fields.get(key)
        if isinstance(value, str) and value:
            return [value]
        return [v for v in value if isinstance(v, str) and v] if isinstance(value, list) else []


def front_matter(text: str) -> dict[str, Any]:
    """The keys of a Markdown file's `---` YAML front matter (empty when there is none or it is not YAML)."""
    lines = text.lstrip("\ufeff").splitlines()
    return _metadata(lines, front_matter_end(lines))


def _metadata(lines: Sequence[str], end: int) -> dict[str, Any]:
    if not end:
        return {}
    import yaml  # only for cards

    try:
        meta = yaml.safe_load("\n".join(lines[1 : end - 1]))
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def license_of(card: Card, license_text: str | None) -> str | None:
    """The license a card names (`license`, or `license_name` for `other`), else the one a license
    file's text is recognised as. Non-SPDX ids (`llama3.1`) are returned as they are."""
    named = card.text("license")
    if named and named.lower() not in ("other", "unknown"):
        return named
    if card.text("license_name"):
        return card.text("license_name")
    if license_text:
        for pattern, name in _KNOWN_TEXTS:
            if pattern.search(license_text[:20000]):
                return name
    return named


_CARD_NAMES = re.compile(r"(?i)^(readme|model[_-]?card|dataset[_-]?card)\.md$")
_KEY = re.compile(r"^(license|license_name|license_link)\s*:")


def is_card(path: str) -> bool:
    return bool(_CARD_NAMES.match(path.rsplit("/", 1)[-1]))


def front_matter_end(lines: Sequence[str]) -> int:
    """The number of lines the front matter spans (both `---` lines), or 0 when there is none."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, min(len(lines), 400)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    return 0


def detections(lines: Sequence[str]) -> Iterator[Detection]:
    """The card's license declaration, on the line of its `license:` key."""
    end = front_matter_end(lines)
    meta = _metadata(lines, end)
    if "license" not in meta and "license_name" not in meta:
        return
    where = {m.group(1): i + 1 for i, text in enumerate(lines[:end]) if (m := _KEY.match(text))}
    line = where.get("license") or where.get("license_name")
    value = meta.get("license")
    ids = [str(v) for v in value] if isinstance(value, list) else [str(value)] if value is not None else ["other"]
    excerpt = lines[line - 1].strip()[:200] if line else ""
    name, link = meta.get("license_name"), meta.get("license_link")
    parts: list[Expr] = []
    for hub_id in ids:
        if hub_id.strip().lower() in ("other", "unknown"):
            if not name and not link:
                parts.append(Lic("unknown", "other (no license_name or license_link)", known=False))
            else:
                parts.append(_other(str(name or ""), str(link or "")))
        else:
            parts.append(catalog().lookup(hub_id))
    expr: Expr = parts[0] if len(parts) == 1 else Op("AND", tuple(parts))
    detail = "license: " + ", ".join(ids)
    if name or link:
        detail += f" (license_name: {name or '-'}, license_link: {link or '-'})"
    yield Detection(line, line, ", ".join(ids), MODEL_CARD, expr, detail=detail, excerpt=excerpt)


def _other(name: str, link: str) -> Lic:
    """`license: other` with a name (a hub id or SPDX id, perhaps) or only a link."""
    if name:
        found = catalog().lookup(name)
        if found.known:
            return found
        return Lic(name.lower(), name, known=False)
    return Lic("unknown", f"other ({link})", known=False)
