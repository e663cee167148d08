"""What kind of text a file holds, and where its comments are: shared by `internal-urls` and
`proprietary-markers`, which both care whether a line is code, a comment, a document or data.

Line by line, with a little look-back for block comments and docstrings; no parser.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..model import AddedLine, AddedLines, FileChange

# comment openers by syntax family; a line whose first non-blank text is one is a comment line
_HASH = ("#",)
_SLASH = ("//", "/*", "*")
_DASH = ("-- ",)
_SEMI = (";",)
_HTML = ("<!--",)
_PERCENT = ("%",)
_SYNTAX: dict[str, tuple[str, ...]] = {}
for _exts, _openers in (
    (
        (
            "py pyi pyx pxd sh bash zsh fish ksh rb pl pm r yaml yml toml conf cfg env properties cmake mk nix "
            "jl cr ex exs coffee ps1 psm1 awk sed tcl gitignore dockerignore gitattributes editorconfig "
            "dockerfile makefile containerfile"
        ),
        _HASH,
    ),
    (
        (
            "c h cc cpp cxx hpp hh hxx java js jsx mjs cjs ts tsx mts cts go rs swift kt kts scala sc cs dart groovy "
            "gradle css scss less proto json5 jsonc sol zig v fs fsx"
        ),
        _SLASH,
    ),
    ("tf tfvars hcl php", _HASH + _SLASH),
    ("sql lua hs elm ada adb ads vhd vhdl", _DASH),
    ("ini", _SEMI + _HASH),
    ("lisp el clj cljs cljc edn scm rkt asm s", _SEMI),
    ("html htm xhtml xml svg vue jsp plist xsd xsl", _HTML),
    ("md markdown mdx rst txt adoc asciidoc", _HTML),
    ("tex sty cls erl hrl", _PERCENT),
    ("bat cmd", ("rem ", "::")),
    ("vb vbs bas", ("'",)),
):
    for _ext in _exts.split():
        _SYNTAX[_ext] = _openers
_UNKNOWN = _HASH + ("//", "/*", "<!--")

CODE = frozenset(
    [
        "py",
        "pyi",
        "pyx",
        "pxd",
        "js",
        "jsx",
        "mjs",
        "cjs",
        "ts",
        "tsx",
        "mts",
        "cts",
        "java",
        "kt",
        "kts",
        "scala",
        "sc",
        "groovy",
        "gradle",
        "go",
        "rb",
        "php",
        "cs",
        "c",
        "h",
        "cc",
        "cpp",
        "cxx",
        "hpp",
        "hh",
        "hxx",
        "rs",
        "swift",
        "m",
        "mm",
        "dart",
        "lua",
        "pl",
        "pm",
        "r",
        "jl",
        "ex",
        "exs",
        "erl",
        "hrl",
        "hs",
        "clj",
        "cljs",
        "cljc",
        "vue",
        "svelte",
        "sh",
        "bash",
        "zsh",
        "fish",
        "ksh",
        "ps1",
        "psm1",
        "bat",
        "cmd",
        "vb",
        "vbs",
        "sql",
        "sol",
        "zig",
        "v",
        "fs",
        "fsx",
    ]
)
# code whose lines are commands and assignments, not string literals: reads like configuration
SHELL = frozenset(["sh", "bash", "zsh", "fish", "ksh", "ps1", "psm1", "bat", "cmd"])
# prose, and manual pages (`rclone.1`: troff, sections 1 to 9; `.ronn`, their Markdown)
DOCUMENT = frozenset(
    ["md", "markdown", "mdx", "rst", "txt", "adoc", "asciidoc", "org", "textile", "rdoc", "man", "ronn", *"123456789"]
)
DATA = frozenset(
    [
        "csv",
        "tsv",
        "psv",
        "json",
        "jsonl",
        "ndjson",
        "geojson",
        "json5",
        "jsonc",
        "yaml",
        "yml",
        "toml",
        "ini",
        "cfg",
        "conf",
        "env",
        "properties",
        "tf",
        "tfvars",
        "hcl",
        "xml",
        "plist",
    ]
)
TABLE = frozenset(["csv", "tsv", "psv"])
_DOC_NAMES = frozenset(
    [
        "readme",
        "license",
        "licence",
        "notice",
        "copying",
        "authors",
        "contributors",
        "changelog",
        "changes",
        "history",
        "news",
        "metadata",
        "pkg-info",
    ]
)


@dataclass(frozen=True, slots=True)
class Kind:
    """A file's kind: its extension (or a stand-in for extension-less names) and comment openers."""

    ext: str
    openers: tuple[str, ...]

    @property
    def is_code(self) -> bool:
        return self.ext in CODE

    @property
    def is_shell(self) -> bool:
        return self.ext in SHELL

    @property
    def is_document(self) -> bool:
        return self.ext in DOCUMENT

    @property
    def is_data(self) -> bool:
        return self.ext in DATA

    @property
    def is_table(self) -> bool:
        return self.ext in TABLE


_last: tuple[FileChange | None, str] = (None, "")


def lowered_text(change: FileChange) -> str:
    """The change's added lines joined by newlines, lower-cased: what both checks' prefilters read.
    The review hands each file to every check in turn, so the last one is kept for the next check."""
    global _last
    if _last[0] is not change:
        _last = (change, change.added.text.lower())
    return _last[1]


def kind_of(path: str) -> Kind:
    name = path.rsplit("/", 1)[-1].lower()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        ext = name
    if name.startswith(".env") or ext == "env":
        ext = "env"
    elif name in ("dockerfile", "makefile", "containerfile") or stem in ("dockerfile", "containerfile"):
        ext = name.split(".")[0]
    elif not dot and name in _DOC_NAMES or (stem.split(".")[0] in _DOC_NAMES and ext not in _SYNTAX):
        ext = "txt"
    return Kind(ext, _SYNTAX.get(ext, _UNKNOWN))


_CLOSERS = ("*/", "-->", "*)", "-}")


def comment_of(text: str, kind: Kind) -> str | None:
    """The text of a whole-line comment (`# x`, `// x`, ` * x`, `<!-- x -->`, `-- x`), else None."""
    stripped = text.lstrip()
    low = stripped[:5].lower()
    for opener in kind.openers:
        if low.startswith(opener):
            if opener == "*" and stripped[1:2] not in ("", " ", "\t", "*", "/"):
                return None  # `*args`, `*ptr = x`: code
            if opener == "*" and stripped.startswith("*/"):
                return None if stripped[2:].strip() else ""  # `*/var sql={...}`: the comment ended, code goes on
            if opener == "#" and stripped.startswith(("#!", "#include", "#define", "#if", "#pragma", "#import")):
                return None if not stripped.startswith("#!") else ""
            body = stripped[len(opener) :]
            return _without_closer(body.lstrip(opener[:1] if opener in ("#", "//", ";", "%") else "")).strip()
    return None


def _without_closer(text: str) -> str:
    """`text` without the block comment's closer that ends it (`*/`, `-->`, `*)`, `-}`)."""
    trimmed = text.rstrip()
    for closer in _CLOSERS:
        if trimmed.endswith(closer):
            return trimmed[: -len(closer)]
    return text


def trailing_comment_of(text: str, kind: Kind) -> str | None:
    """The comment after code on a line (`x = 1  # note`, `f(); // note`), else None."""
    at = trailing_comment_at(text, kind)
    return None if at is None else text[at:].strip()


def trailing_comment_at(text: str, kind: Kind) -> int | None:
    """Where the text of a comment after code starts on a line, else None."""
    for opener in kind.openers:
        if opener in ("#", "//", "-- "):
            at = text.find(" " + opener + " ")
            if at > 0 and text[:at].strip():
                return at + len(opener) + 2
    return None


# tokens that decide what is a comment, a block or a string, by the quotes still live (see `_Tokens`)
_PY_TOKENS = "#[^\\n]*|(?P<q>{triples}{singles})"
_C_TOKENS = "//[^\\n]*|(?P<open>/\\*)|(?P<q>{singles})"
_QUOTE_TOKENS = "(?P<q>{singles})"
# the first quote of its kind with an even number of backslashes before it: what closes a literal
_CLOSING = {q: re.compile(rf"(?<!\\)(?:\\\\)*{q}") for q in "\"'`"}
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)


class Blocks:
    """`index in blocks`: whether a line lies inside a block (see `block_lines`), worked out for
    the whole file the first time it is asked, so files that never ask pay nothing."""

    def __init__(self, lines: Sequence[AddedLine], kind: Kind) -> None:
        self._lines, self._kind = lines, kind
        self._inside: frozenset[int] | None = None

    def __contains__(self, index: object) -> bool:
        if self._inside is None:
            self._inside = block_lines(self._lines, self._kind)
        return index in self._inside


def block_lines(lines: Sequence[AddedLine], kind: Kind) -> frozenset[int]:
    """Indexes of the lines inside a block comment (`/* */`, `<!-- -->`), a Python triple-quoted
    string or, in a document, a fenced code block, after the line that opens it.

    Each run of contiguous added lines is read on its own, from outside any block: what lies
    above a hunk was not added and is unknown.
    """
    if kind.ext in ("py", "pyi", "pyx"):
        spans = _python_spans
    elif kind.is_document:
        spans = _fence_spans
    elif "/*" in kind.openers:
        spans = _c_spans
    elif "<!--" in kind.openers:
        spans = _html_spans
    else:
        return frozenset()
    inside: set[int] = set()
    for start, text in _contiguous(lines):
        breaks: list[int] | None = None  # found on the first span (None, not []: a line has no break)
        for opened, closed in spans(text):
            if breaks is None:
                breaks = _breaks(text)
            first = start + bisect.bisect_left(breaks, opened) + 1
            last = start + bisect.bisect_left(breaks, closed)
            inside.update(range(first, last + 1))
    return frozenset(inside)


def _contiguous(lines: Sequence[AddedLine]) -> Iterator[tuple[int, str]]:
    """(index of its first line, text) of each run of consecutive line numbers, read from the
    numbers and the joined text when `lines` has them (`AddedLines`: a whole file is one run, its
    text as it is) rather than line object by line object."""
    if isinstance(lines, AddedLines) and lines.text.count("\n") + 1 == len(lines):
        numbers, whole = lines.numbers(), lines.text
    else:
        numbers, whole = [line.lineno for line in lines], None
    if not numbers:  # (an empty AddedLines: its text "" is no line)
        return
    cuts = [i for i in range(1, len(numbers)) if numbers[i] != numbers[i - 1] + 1]
    if not cuts and whole is not None:
        yield 0, whole
        return
    texts = whole.split("\n") if whole is not None else [line.text for line in lines]
    start = 0
    for end in [*cuts, len(numbers)]:
        yield start, "\n".join(texts[start:end])
        start = end


def _breaks(text: str) -> list[int]:
    """Offsets of the newlines of `text`."""
    found, at = [], text.find("\n")
    while at >= 0:
        found.append(at)
        at = text.find("\n", at + 1)
    return found


class _Tokens:
    """A search for the next token of `template` that skips the quotes no literal can open: when a
    one-line literal does not close, every later quote of its kind on that line is escaped, so none
    of them opens one that closes either. Trying each would be quadratic (`"\\"\\"\\"...`); instead
    that quote is left out of the search up to the end of the line."""

    def __init__(self, text: str, template: str, quotes: str) -> None:
        self.text, self.template = text, template
        self.dead = dict.fromkeys(quotes, -1)  # a quote before this offset opens no literal
        self.line = (0, -1)  # (an offset, the end of its line): each line's end is looked for once
        self.every = _token_pattern(template, frozenset(quotes))

    def search(self, pos: int) -> re.Match[str] | None:
        while True:
            if all(until <= pos for until in self.dead.values()):  # most searches: every quote live
                return self.every.search(self.text, pos)
            dead = frozenset(q for q, until in self.dead.items() if until > pos)
            limit = min((self.dead[q] for q in dead), default=len(self.text))
            found = _token_pattern(self.template, frozenset(self.dead) - dead).search(self.text, pos, limit)
            if found is not None or limit >= len(self.text):
                return found
            pos = limit  # a newline: the quotes left out are live again

    def literal(self, at: int) -> int:
        """Where to read on after the quote at `at`: past its literal, or past the quote alone."""
        start, stop = self.line
        if not start <= at < stop:
            newline = self.text.find("\n", at)
            stop = len(self.text) if newline < 0 else newline
            self.line = (at, stop)
        end = literal_end(self.text, at, stop)
        if end > 0:
            return end
        self.dead[self.text[at]] = -end
        return at + 1


@functools.cache
def _token_pattern(template: str, live: frozenset[str]) -> re.Pattern[str]:
    """`template` with its quotes (`{singles}`, and `{triples}` for Python's) limited to `live`."""
    quotes = sorted(live)
    singles = "|".join(re.escape(q) for q in quotes) or "(?!)"
    triples = "".join(f"{re.escape(q * 3)}|" for q in quotes if q in "\"'")
    return re.compile(template.format(triples=triples, singles=singles))


def string_literals(text: str, quotes: str = "\"'") -> Iterator[tuple[int, int]]:
    """The spans of the one-line string literals of `text` (quotes included, backslash escapes),
    left to right, as a search for `"(?:[^"\\\n]|\\.)*"` would find them, in one pass."""
    tokens = _Tokens(text, _QUOTE_TOKENS, quotes)
    pos = 0
    while (found := tokens.search(pos)) is not None:
        pos = tokens.literal(found.start())
        if pos > found.start() + 1:  # closed: a literal that does not close is read past its quote alone
            yield found.start(), pos


def literal_end(text: str, at: int, stop: int | None = None) -> int:
    """After the one-line string literal that the quote at `at` opens: the offset past its closing
    quote, or, when it does not close, minus the offset where it stops (its line's end, `stop` when
    the caller knows it)."""
    if stop is None:
        newline = text.find("\n", at + 1)
        stop = len(text) if newline < 0 else newline
    closing = _CLOSING[text[at]].search(text, at + 1, stop)
    return -stop if closing is None else closing.end()


def _python_spans(text: str) -> Iterator[tuple[int, int]]:
    tokens = _Tokens(text, _PY_TOKENS, "\"'")
    pos = 0
    while (found := tokens.search(pos)) is not None:
        quote = found.group("q")
        if quote is None:  # a comment
            pos = found.end()
        elif len(quote) == 3:
            end = text.find(quote, found.end())
            end = len(text) if end < 0 else end
            yield found.start(), end
            pos = end + 3
        else:
            pos = tokens.literal(found.start())


def _c_spans(text: str) -> Iterator[tuple[int, int]]:
    tokens = _Tokens(text, _C_TOKENS, "\"'")
    pos = 0
    while (found := tokens.search(pos)) is not None:
        if found.group("q") is not None:
            pos = tokens.literal(found.start())
        elif found.group("open") is None:  # a comment
            pos = found.end()
        else:
            end = text.find("*/", found.end())
            end = len(text) if end < 0 else end
            yield found.start(), end
            pos = end + 2


def _html_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    while (opened := text.find("<!--", pos)) >= 0:
        end = text.find("-->", opened + 4)
        end = len(text) if end < 0 else end
        yield opened, end
        pos = end + 3


def _fence_spans(text: str) -> Iterator[tuple[int, int]]:
    fences = [m.start() for m in _FENCE.finditer(text)]
    yield from zip(fences[::2], [*fences[1::2], len(text)], strict=False)


def policy_lines(path: str, lines: Sequence[AddedLine]) -> Callable[[int], bool]:
    """Whether line `index` belongs to the gate's own policy, which names the organisation's zones
    and markers on purpose: all of `.contribution-gate.toml`, and the `[tool.contribution-gate]`
    tables of `pyproject.toml` (their header must be among the contiguous added lines above).
    Worked out for every line in one pass the first time it is asked."""
    if path == ".contribution-gate.toml":
        return lambda index: True
    if path != "pyproject.toml":
        return lambda index: False
    owned: list[bool] = []

    def ours(index: int) -> bool:
        if not owned:
            inside = False
            for at, line in enumerate(lines):
                if at and line.lineno != lines[at - 1].lineno + 1:
                    inside = False  # a new hunk: the table above it was not added
                name = _table_name(line.text)
                if name is not None:
                    inside = name.replace('"', "").startswith("tool.contribution-gate")
                owned.append(inside)
        return owned[index]

    return ours


def _table_name(text: str) -> str | None:
    """The name of a TOML table header (`[name]`, `[[name]]`) on the line, else None."""
    stripped = text.lstrip()
    close = stripped.find("]", 1) if stripped.startswith("[") else -1
    if close < 0:
        return None
    inner = stripped[1:close]
    if inner.startswith("[") and inner[1:].strip():
        return inner[1:].strip()
    return inner.strip() or inner or None
