"""Contribution text on its way out: redacted in every format, made visible where people read it.

Everything a review carries can come from the contribution: file names, commit authors, committers
and messages, excerpts, messages that quote them, error texts, the cla check's people. `redacted`
walks the whole review (findings, check runs, the policy's name, every check's details, whatever
fields they gain later) and returns a copy in which every string is `masked`: `redaction.scrub`,
plus the tokens a secret rule finds in a word once the `-` or `_` glued to them is cut off
(`keys/ghp_<token>-old.txt`). So a token in a file name or an author's name is masked wherever a
report names it, not only in the finding that flagged it. Excerpts are also masked where they
merely look like tokens; paths, names and messages only where a secret rule, a URL password or a
secret-named assignment says so (long hashes in file names are common and must stay readable). The registry in this package hands
every reporter such a copy, so a new format cannot forget it.

`visible` escapes what a terminal, a log viewer or a browser would act on instead of showing:
C0 and C1 control characters (ANSI and OSC sequences start with ESC or CSI, CR rewrites a line),
line and paragraph separators, and Unicode format characters (bidi overrides such as U+202E,
zero-width spaces, tag characters), except ZWJ and ZWNJ, which emoji and several scripts need.
Every other character, letters of any script included, is kept. Formats people read get every
string escaped this way; JSON keeps the exact values and only writes such characters as `\\uXXXX`.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

import ahocorasick_rs

from ..checks.keywords import find_matches
from ..model import moved_at
from ..redaction import redact, scrub

T = TypeVar("T")

# C0 (but tab) and C1 controls, DEL, line/paragraph separators, format characters but ZWNJ/ZWJ,
# surrogates (undecodable bytes kept by surrogateescape). tests/reporters/test_untrusted.py checks
# the class covers these Unicode categories of the running Python.
_OTHER = (
    r"\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    r"\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    r"\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0001\U000e0020-\U000e007f\ud800-\udfff"
)
UNSAFE = re.compile(rf"[\x00-\x08\x0a-\x1f{_OTHER}]")
_UNSAFE_BUT_NEWLINE = re.compile(rf"[\x00-\x08\x0b-\x1f{_OTHER}]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
# fields that hold our own hashes, never contribution text
_HASHES = frozenset({"fingerprint", "value_key", "value_sha1"})
# fields where anything that merely looks like a token is masked too
_OPAQUE = frozenset({"excerpt"})


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def visible(text: str) -> str:
    """`text` on one line with every unsafe character shown as an escape (`\\x1b`, `\\u202e`)."""
    return UNSAFE.sub(lambda m: _escape(m.group(0)), text)


def visible_lines(text: str) -> str:
    """Like `visible` but newlines stay: for several lines of our own (a traceback)."""
    return _UNSAFE_BUT_NEWLINE.sub(lambda m: _escape(m.group(0)), text)


def json_visible(text: str) -> str:
    """Unsafe characters as JSON escapes (`\\u001b`): inside a JSON string the value is unchanged,
    and anywhere else it is still visible. Newlines stay (they lay the document out)."""
    return _UNSAFE_BUT_NEWLINE.sub(lambda m: _json_escape(m.group(0)), text)


def masked(text: str, opaque: bool = False) -> str:
    """`text` with every secret masked (`redaction.scrub`, plus tokens glued to a name, see
    `glued_secrets`), its surrounding blanks otherwise kept."""
    core = text.strip()
    if not core:
        return text
    start = len(text) - len(text.lstrip())
    cleaned = scrub(redact(core, glued_secrets(core)), limit=None, opaque_tokens=opaque)
    return text if cleaned == core else text[:start] + cleaned + text[start + len(core) :]


@functools.lru_cache(maxsize=1)
def _keywords() -> ahocorasick_rs.AhoCorasick:
    """The secret rules' keywords (lower case), searched in one linear pass."""
    from ..checks.secrets.rules import keywords

    return ahocorasick_rs.AhoCorasick(sorted(set(keywords())))


_WORDS = re.compile(r"[^\s/\\<>()\[\]{}'\"`,;|]+")
_GLUE = "-_"
_MAX_GLUE = 12  # glue characters per word whose pairs are tried; beyond, one at a time
_MAX_WORD = 512  # longer words (no token is) are scanned whole only
_BUDGET = 2000  # scans per text: a long hostile text costs a bounded time, then gets scrub alone


def glued_secrets(text: str) -> set[str]:
    """Tokens the secret rules find in a word of a name once what is glued to them is cut off.

    A rule wants a token to stand alone (`(?<![\\w/+=-])...(?![\\w-])`), so in a name such as
    `keys/<token>`, `keys/ghp_<token>-old.txt` or `Bob_<token>` it sees nothing. Each word of `text`
    (split at blanks, slashes, brackets and quotes) that holds a rule keyword is scanned alone, and
    again with every glue character (`-`, `_`), and every pair of them, cut in turn; the tokens found
    are masked in the original text, the longest first. The scans per text are bounded (`_BUDGET`)."""
    from ..checks.secrets.rules import scan_text

    automaton = _keywords()
    if not find_matches(automaton, text.lower()):
        return set()
    found: set[str] = set()
    budget = _BUDGET
    for match in _WORDS.finditer(text):
        word = match.group(0)
        if budget <= 0 or not find_matches(automaton, word.lower()):
            continue
        glue = [i for i, c in enumerate(word) if c in _GLUE] if len(word) <= _MAX_WORD else []
        cuts: list[tuple[int, ...]] = [(), *((i,) for i in glue)]
        if len(glue) <= _MAX_GLUE:
            cuts += [(i, j) for n, i in enumerate(glue) for j in glue[n + 1 :]]
        for cut in cuts[:budget]:
            variant = "".join(" " if i in cut else c for i, c in enumerate(word))
            found.update(m.secret for m in scan_text(variant) if m.secret in word)
        budget -= len(cuts)
    return found


def redacted(value: T, show: bool = False) -> T:
    """A copy of `value` (a Review, or anything inside one) with every string masked, and with
    `show`, made visible too. Dataclasses, tuples, lists, sets and dicts are walked; enums, numbers
    and other objects are kept as they are."""
    memo: dict[tuple[str, bool], str] = {}

    def text(value: str, field: str) -> str:
        if field in _HASHES:
            return value
        key = (value, field in _OPAQUE)
        if key not in memo:
            out = masked(value, opaque=key[1])
            memo[key] = visible(out) if show else out
        return memo[key]

    walked: T = _walk(value, "", text)
    return walked


def _walk(value: Any, field: str, text: Callable[[str, str], str]) -> Any:
    if isinstance(value, enum.Enum) or value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return text(value, field)
    if isinstance(value, tuple):
        items = [
            _walk(item, name, text)
            for item, name in zip(value, getattr(value, "_fields", ()) or [field] * len(value), strict=False)
        ]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return [_walk(item, field, text) for item in value]
    if isinstance(value, frozenset | set):
        return type(value)(_walk(item, field, text) for item in value)
    if isinstance(value, dict):
        return {_walk(k, field, text): _walk(v, field, text) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), f.name, text) for f in dataclasses.fields(value) if f.init}
        if changes.get("excerpt_at") is not None:  # a finding: where it starts in its excerpt moves along
            old, at = getattr(value, "excerpt", ""), getattr(value, "excerpt_at", None)
            changes["excerpt_at"] = moved_at(old, at, changes["excerpt"], lambda part: text(part, "excerpt"))
        return dataclasses.replace(value, **changes)
    return value
