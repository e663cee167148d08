"""How counts read: `1 commit`, `2 commits`, never `1 commits` or `commit(s)`."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, in the plural unless the count is one (`many` for irregular words)."""
    return f"{count} {word if count == 1 else many or word + 's'}"
