"""Redaction of excerpts: a report (and a public CI log) never carries a secret.

Checks redact what they matched; `scrub` is the review's last guard for every excerpt of every check,
so a line holding a secret stays redacted even in another check's finding.

Linear on any input, whatever its length: `scrub` reads only what it shows and `CONTEXT` characters
after it (a run of non-blank characters that cut splits cannot be judged, so it is masked); a
check's `excerpt` of a long line is cut around its finding from the line judged whole, once per line
however many findings it has. The patterns have no two quantifiers that can match the same
characters from one start: a URL password is looked for from a literal `://`, an assignment from
the start of a name that holds a keyword; many known secrets are found in one Aho-Corasick pass.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

import ahocorasick_rs

from .checks.keywords import find_matches, utf8_safe
from .model import Excerpt

KEEP = 4
MAX_EXCERPT = 200
CONTEXT = 4096  # characters read beyond what is shown: a secret the window cuts is still seen whole
_URL_PASSWORD = re.compile(r"(?<=[a-zA-Z0-9+.-])://[^\s:/@'\"]*:(?P<secret>[^\s@/'\"]+)(?=@)")
_ASSIGNED = re.compile(
    r"(?i)(?<![\w.-])(?=[\w.-]*?(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|auth|credential|private[_-]?key))"
    r"[\w.-]*[\"']?\s*(?::=|=>|=|:)\s*[\"']?(?P<secret>[^\s\"',;]{6,})"
)
# a run of 24 token characters or more with a letter and a digit; `=` only as base64's padding at
# its end (`NAME=value` is two runs), and never a CONSTANT_NAME (`LOCALAI_WEBRTC_NAT_1TO1_IPS`)
_TOKEN_LIKE = re.compile(
    r"(?<![\w/+=-])(?![A-Z][A-Z0-9]{0,15}(?:_[A-Z0-9]{1,15}){1,12}(?![\w/+=-]))"
    r"(?P<secret>(?=[\w+/-]*\d)(?=[\w+/-]*[A-Za-z])[\w+/-]{24,}={0,2})(?![\w/+=-])"
)
_OPAQUE = (_URL_PASSWORD, _ASSIGNED, _TOKEN_LIKE)
_NAMED = (_URL_PASSWORD, _ASSIGNED)
_MASKED = "****"
_FEW = 8  # secrets `redact` replaces one by one


def mask(secret: str) -> str:
    """Keep at most the first four characters: `ghp_****`."""
    return secret[: min(KEEP, max(len(secret) // 4, 0))] + _MASKED


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each of `secrets` masked wherever it occurs (the longest first where two overlap).
    Many secrets are found in one pass (Aho-Corasick), not one pass each."""
    unique = sorted({s for s in secrets if s}, key=len, reverse=True)
    if len(unique) <= _FEW:
        for secret in unique:
            text = text.replace(secret, mask(secret))
        return text
    out: list[str] = []
    at = 0
    automaton = ahocorasick_rs.AhoCorasick(
        [utf8_safe(u) for u in unique], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )
    for index, begin, finish in find_matches(automaton, text):
        out += (text[at:begin], mask(unique[index]))
        at = finish
    return "".join(out) + text[at:]


def scrub(text: str, limit: int | None = MAX_EXCERPT, opaque_tokens: bool = True) -> str:
    """Mask whatever in `text` looks like a credential, then shorten it to `limit` for a report.

    `opaque_tokens=False` keeps long letter-and-digit runs (paths in error messages) and masks only
    what a rule, a URL password or a secret-named assignment marks as a credential. With a `limit`,
    only the first `limit + CONTEXT` characters are read.
    """
    first = len(text) - len(text.lstrip())
    end = len(text) if limit is None else min(len(text), first + limit + CONTEXT)
    shown = _masked(text, first, end, first, end, opaque_tokens).strip()
    if limit is not None and (len(shown) > limit or end < len(text)):
        return shown[: limit - 1] + "…"
    return shown


def excerpt(text: str, start: int, end: int, secrets: Iterable[str] = (), limit: int = MAX_EXCERPT) -> str:
    """What a report shows of a line: at most `limit` characters around `text[start:end]`, with `…`
    where the line goes on, `secrets` (what the check matched) masked and, for a long line, every
    credential of the line (judged on the whole line, once: a line's later excerpts reuse it). A line
    that fits keeps its length (the review scrubs every excerpt)."""
    return window(text, start, end, secrets, limit).text


def window(text: str, start: int, end: int, secrets: Iterable[str] = (), limit: int = MAX_EXCERPT) -> Excerpt:
    """`excerpt`, with where `text[start:end]` is: its offset in what is shown, and its columns in
    the line (1-based characters)."""
    known = tuple(sorted({s for s in secrets if s}))
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    end = max(start, end)
    if len(text) <= limit:
        shown = redact(text, known)
        return Excerpt(shown, len(shown) - len(redact(text[start:], known)), start + 1, end + 1)
    width = max(limit - 2, 1)
    if end - start >= width:
        left = start
    else:
        left = max(0, start - (width - (end - start)) // 2)
    right = min(len(text), left + width)
    left = max(0, right - width)
    spans = _line_spans(text, known)
    lead = "…" if left > 0 else ""
    before = _render(text, spans, left, start)
    shown = lead + _render(text, spans, left, right) + ("…" if right < len(text) else "")
    at = len(lead) + len(before) if shown.startswith(lead + before) else len(lead)
    return Excerpt(shown, min(at, len(shown)), start + 1, end + 1)


@functools.lru_cache(maxsize=4)
def _line_spans(text: str, known: tuple[str, ...]) -> list[tuple[int, int]]:
    return _merged(_spans(text, True, known))


def _masked(text: str, low: int, high: int, left: int, right: int, opaque_tokens: bool) -> str:
    """`text[left:right]` with every credential masked, judged from `text[low:high]`, which holds
    it; a run of non-blank characters that the cut at `low` or `high` splits is masked."""
    region = text[low:high]
    spans = _spans(region, opaque_tokens)
    if low > 0 and _joined(text, low):
        spans.append((0, _run_end(region, 0)))
    if high < len(text) and _joined(text, high):
        spans.append((_run_start(region, len(region)), len(region)))
    return _render(text, [(begin + low, finish + low) for begin, finish in _merged(spans)], left, right)


def _render(text: str, spans: list[tuple[int, int]], left: int, right: int) -> str:
    """`text[left:right]` with each of `spans` (sorted, apart) masked."""
    out: list[str] = []
    at = left
    first = max(0, bisect.bisect_right(spans, (left, len(text) + 1)) - 1)  # the last that starts before `left`
    for begin, finish in spans[first:]:
        if finish <= at:
            continue
        if begin >= right:
            break
        if begin < at:
            out.append(_MASKED)  # the secret starts before what is shown
        else:
            out += (text[at:begin], mask(text[begin:finish]))
        at = finish
    if at < right:
        out.append(text[at:right])
    return "".join(out)


def _spans(text: str, opaque_tokens: bool, known: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where `text` holds credentials: what the secret rules match and the `known` secrets (every
    copy of each), encoded segments that decode to what they match (base64, hex, percent, escapes,
    entities), URL passwords, secret-named assignments and, with `opaque_tokens`, long
    letter-and-digit runs."""
    from .checks.secrets.encodings import secret_spans
    from .checks.secrets.rules import scan_text

    spans: list[tuple[int, int]] = []
    secrets = sorted({m.secret for m in scan_text(text) if m.secret} | {s for s in known if s})
    if secrets:
        automaton = ahocorasick_rs.AhoCorasick(
            [utf8_safe(s) for s in secrets], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        spans.extend((begin, finish) for _, begin, finish in find_matches(automaton, text))
    spans.extend(secret_spans(text, lambda decoded: any(m.secret for m in scan_text(decoded))))
    for pattern in _OPAQUE if opaque_tokens else _NAMED:
        for found in pattern.finditer(text):
            if not found.group("secret").endswith(_MASKED):  # masked already by the check
                spans.append(found.span("secret"))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, finish in sorted(spans):
        if merged and begin < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        elif finish > begin:
            merged.append((begin, finish))
    return merged


def _joined(text: str, at: int) -> bool:
    """Whether a cut at `at` splits a run of non-blank characters."""
    return not text[at - 1].isspace() and not text[at].isspace()


def _run_end(text: str, at: int) -> int:
    while at < len(text) and not text[at].isspace():
        at += 1
    return at


def _run_start(text: str, at: int) -> int:
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return at
