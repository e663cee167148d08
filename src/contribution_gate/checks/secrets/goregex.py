"""Regular expressions written by users (`[[secrets.rules]]`, a gitleaks config), run with RE2.

A user's pattern runs on contribution text, so it must not be able to hang the gate. Python's `re`
backtracks: `(a+)+b` is exponential, and the bounded shapes gitleaks' own rules are made of
(`[\\w.-]{0,50}?(?:discord)(?:[ \\t\\w.-]{0,20})[\\s'"]{0,3}...`) cost 0.34 s per 64 KiB window of
`discorddiscord...` (5 s a MiB, per rule). RE2 (google-re2, the C++ library Go's `regexp` was
modelled on) runs every pattern in time linear in the text, 0.3 ms for the same window, and its
syntax *is* the one gitleaks' Go patterns are written in (`(?i)` anywhere, `\\z`, `(?P<n>`,
`(?<n>`, `\\Q...\\E`, `[[:alpha:]]`, `\\pL`, ASCII `\\w\\d\\s`), so a gitleaks rule needs no
translation and means what it meant there. What neither accepts (backreferences, lookarounds) is
refused with the reason; `\\C` (one byte), which RE2 takes and Go refuses, is refused too.

google-re2 is imported only when a policy has rules of its own.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

_MAX_MEMORY = 4 << 20  # per pattern: its program and DFA cache (RE2 falls back to its NFA, still linear, past it)


class PatternError(ValueError):
    """A pattern RE2 refuses, with its reason."""


@lru_cache(maxsize=1)
def _re2() -> Any:
    try:
        return importlib.import_module("re2")
    except ImportError as exc:
        raise PatternError(f"needs google-re2, which is not installed ({exc}): pip install google-re2") from None


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Any:
    """`pattern` compiled by RE2 (Go's syntax), or PatternError saying why not (compiled once: the
    policy is checked when read, and loaded again for the check)."""
    re2 = _re2()
    if _has_byte_class(pattern):
        raise PatternError(r"uses \C (any byte), which Go's syntax does not have")
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own message on stderr
    options.max_mem = _MAX_MEMORY
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(_reason(exc)) from None
    except (TypeError, ValueError) as exc:  # a NUL or a lone surrogate in the pattern
        raise PatternError(str(exc)) from None


def literal_alternation(words: tuple[str, ...]) -> Any:
    """A case-insensitive pattern matching any of `words` literally (gitleaks' stopwords)."""
    re2 = _re2()
    return compile_pattern("(?i)" + "|".join(re2.escape(w) for w in words))


def _has_byte_class(pattern: str) -> bool:
    escaped = False
    for char in pattern:
        if escaped:
            if char == "C":
                return True
            escaped = False
        elif char == "\\":
            escaped = True
    return False


def _reason(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return text.replace("\\\\", "\\") or "RE2 cannot compile it"
