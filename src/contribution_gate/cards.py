"""Model and dataset cards (a README.md's YAML front matter) and license files, read minimally for
the AI-BOM: license, base model, datasets, task.

Stop-gap: the `licenses` check (issue 6) will own license detection (SPDX matching, AI licenses);
`license_of` is the one function it replaces. The front-matter reader understands the flat keys
cards use (`key: value`, `key: [a, b]` and `- item` lists), not all of YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CARD_NAMES = ("README.md", "readme.md", "README.MD")
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING", "LICENSE.MD")
_KNOWN_TEXTS = (  # (pattern in a license file, SPDX id or license name)
    (re.compile(r"Apache License\s+Version 2\.0", re.IGNORECASE), "Apache-2.0"),
    (re.compile(r"^\s*MIT License|Permission is hereby granted, free of charge", re.IGNORECASE | re.MULTILINE), "MIT"),
    (re.compile(r"Redistribution and use in source and binary forms.*?Neither the name", re.IGNORECASE | re.DOTALL), "BSD-3-Clause"),
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


def front_matter(text: str) -> dict[str, object]:
    """The flat keys of a Markdown file's `---` YAML front matter."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    data: dict[str, object] = {}
    key: str | None = None
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and key is not None and line[:1] in (" ", "-"):
            current = data.get(key)
            if isinstance(current, list):
                current.append(_scalar(item.group(1)))
            continue
        pair = re.match(r"^([A-Za-z0-9_.-]+)\s*:\s*(.*)$", line)
        if pair is None:
            continue  # nested mappings (model-index ...) are not needed here
        key, value = pair.group(1), pair.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            data[key] = [_scalar(v) for v in value[1:-1].split(",") if v.strip()]
        elif value:
            data[key] = _scalar(value)
        else:
            data[key] = []
    return data


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


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
