"""Model and dataset cards: the YAML front matter of a README.md on a model hub.

`license:` holds a hub id (`apache-2.0`, `llama3.1`, `creativeml-openrail-m`, ...) or a list of
them; `license: other` points at `license_name` and `license_link`. ScanCode does not know the
hub's ids, so `config/licenses.toml` maps them ([hub]); ids the hub shares with SPDX resolve
directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .licenses_ids import Expr, Lic, Op, catalog
from .licenses_model import MODEL_CARD, Detection

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
    if not end:
        return
    import yaml  # only for cards

    try:
        meta = yaml.safe_load("\n".join(lines[1 : end - 1]))
    except yaml.YAMLError:
        return
    if not isinstance(meta, dict) or "license" not in meta and "license_name" not in meta:
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
