"""What a policy adds to the secrets check: its `[[secrets.rules]]` and, with `[secrets]
gitleaks-config`, a gitleaks config and its `.gitleaksignore`.

The gitleaks files are read from the tree the policy comes from (the session's `read`): the base
commit of a range, so a pull request can neither loosen them nor add fingerprints to ignore; the
working tree for `--staged` and `--all-files`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

from ...errors import PolicyValueError
from . import custom, gitleaks
from .plugins import PLUGINS
from .rules import load_rules
from .userrules import GITLEAKS_PREFIX, UserRules

Reader = Callable[[str], "bytes | None"]
DEFAULT_IGNORE = ".gitleaksignore"
_MADE_IN_CODE = ("private-key", "gcp-service-account-key")  # blocks.py


def adds_anything(table: Mapping[str, Any]) -> bool:
    return bool(table.get("rules")) or "gitleaks-config" in table


def builtin_ids() -> frozenset[str]:
    """The ids of our own rules, the ones a gitleaks default can map to."""
    return frozenset(
        [*(r.id for r in load_rules()), *(rule for rule, _words, _run in PLUGINS.values()), *_MADE_IN_CODE]
    )


def load(table: Mapping[str, Any], read: Reader | None = None, where: str = "") -> UserRules | None:
    """The policy's own rules and gitleaks migration, or None when it has neither. A wrong value is
    a PolicyValueError naming the key (the review adds the policy file's name)."""
    if not adds_anything(table):
        return None
    rules = list(custom.load(table.get("rules", [])))
    path = table.get("gitleaks-config")
    if path is None:
        return UserRules(rules=tuple(rules))
    if read is None:
        raise PolicyValueError("[secrets] gitleaks-config is read with the policy, from its tree: this review has none")
    text = _text(read, path, where, "gitleaks-config")
    if text is None:
        raise PolicyValueError(
            f"[secrets] gitleaks-config {path!r} does not exist ({where}): fix the path or commit the file"
        )
    builtin = builtin_ids()
    source = f"{path} ({where})"
    loaded = gitleaks.load(text, source, builtin, read)
    ignore_path = table.get("gitleaks-ignore", DEFAULT_IGNORE)
    ignore_text = _text(read, ignore_path, where, "gitleaks-ignore")
    if ignore_text is None and "gitleaks-ignore" in table:
        raise PolicyValueError(f"[secrets] gitleaks-ignore {ignore_path!r} does not exist ({where}): fix the path")
    ignored: set[tuple[str | None, str, str, int]] = set()
    notes = list(loaded.notes)
    if ignore_text is not None:
        own = frozenset(r.id.removeprefix(GITLEAKS_PREFIX) for r in loaded.rules)
        ignored, ignore_notes = gitleaks.ignored(ignore_text, f"{ignore_path} ({where})", builtin, own)
        notes.extend(ignore_notes)
    return UserRules(
        rules=(*rules, *loaded.rules),
        allowlists=tuple(loaded.allowlists),
        builtin_allowlists=tuple(loaded.builtin_allowlists),
        disabled=frozenset(loaded.disabled),
        ignored=frozenset(ignored),
        notes=tuple(notes),
    )


def inside(path: Any) -> str | None:
    """`path` as a path inside the repository (`./x` -> `x`), or None for an absolute path, one
    that climbs out (`..`) or no path at all."""
    if not isinstance(path, str) or not path.strip() or "\x00" in path:
        return None
    parts = PurePosixPath(path.strip().replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(p for p in parts if p != ".")


def _text(read: Reader, path: Any, where: str, key: str) -> str | None:
    relative = inside(path)
    if relative is None:
        raise PolicyValueError(f'[secrets] {key} must be a path inside the repository, like ".gitleaks.toml"')
    data = read(relative)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyValueError(f"[secrets] {key} {path!r} ({where}) is not UTF-8 text: save it as UTF-8") from None
