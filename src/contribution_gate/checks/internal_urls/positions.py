"""Where one line names a host: URLs, `host:port`, `user@host`, UNC paths, hosts-file lines, and
the values of host-like keys (`DB_HOST=`, `server:`, `Data Source=`, `--host`, `<host>`), also as
items of a YAML list under such a key.

Pure text work: `internal_urls` decides which of these hosts are internal. A bare address in prose
(`release 10.2.3.4`) is in none of these positions and is never returned.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from ...model import AddedLine
from ...regions import calls_it_a_stand_in, in_stand_in_definition, is_comment_line
from ..textkinds import string_literals

URL = re.compile(r"(?i)(?<![\w+.-])(?P<scheme>[a-z][\w+.-]{0,30})://(?P<auth>[^\s/?#\"'<>`\\|(){}]*)")
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IPV6 = r"(?:[fF][cdCD][0-9a-fA-F]{0,2}|[fF][eE][89abAB][0-9a-fA-F]):[0-9a-fA-F:]+(?:%[\w.]+)?"
_HOST_PART = rf"(?:{_LABEL}\.)*{_LABEL}"
IPV4_TOKEN = re.compile(rf"(?<![\w.]){_IPV4}(?![\w]|\.\d)")
_SPLIT_PORT = re.compile(r"^(?P<host>[^:]*)(?::(?P<port>\d{0,5}))?$")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+s(?![a-z])|[A-Z]+(?![a-z])|\d+")  # DB_HOST, clusterIP, AllowedIPs
# what may stand before a host that is a key's value: the key, a separator, an opening bracket,
# earlier items of a list, an opening quote; or an XML element:
#   (?P<key>data\s+source|[A-Za-z_][\w.-]*)["'\]]?[ \t]*(?P<sep>=>|:=|=|:(?!//)|[ \t])[ \t]*
#   (?:[\[({][ \t]*)?(?:["']?[^\s,"'=]+["']?[ \t]*,[ \t]*)*(?P<quote>["']?)$   or   <(?P<tag>[\w.-]+)>[ \t]*$
# A search for that from every offset of the text before a host takes time with the square of its
# length for each host; it is matched backwards instead, on the reversed text, from the host: one
# anchored match. A search takes the match that starts first (the longest key, list): of two readings
# of a list item with a colon (`a: b:c, ` and `nameserver :8080, `), the one that starts first wins.
# (the item's characters unrolled: a run of plain ones, then runs each led by a `>` or a `:` that may be
# in an item; a `>` before `=` ends an item only when `=>` cannot be the separator: `host=>,`)
_ITEM = (
    r"""(?:[ \t]*,[ \t]*["']?(?:(?:[^\s,"'=>:]|{inner})[^\s,"'=>:]*(?:(?:{inner})[^\s,"'=>:]*)*(?:>(?==))??"""
    r"""|>(?==))["']?)*"""
)
_KEY_SEP = (
    r"""(?:[ \t]*[\[({])?(?:[ \t]*(?P<sep>>=|=:|=|(?<!//):)[ \t]*|(?P<space>[ \t])[ \t]*)["'\]]?"""
    r"""(?P<key>ecruos\s+atad|[\w.-]*[A-Za-z_])|[ \t]*>(?P<tag>[\w.-]+)<"""
)
_KEY_BEFORE_REVERSED = tuple(
    re.compile(r"""(?P<quote>["']?)""" + _ITEM.format(inner=inner) + _KEY_SEP, re.IGNORECASE)
    for inner in (r">(?!=)|(?<=//):", r">(?!=)|:")  # items without colons first: `:` as the separator
)
_KEY_OR_TAG = re.compile(r"[A-Za-z_<]")
_REACH = 160  # how far before a host its key, separator and earlier list items are looked for


@dataclass(frozen=True, slots=True)
class KeyBefore:
    """What stands before a host: `key` (or the XML element `tag`), its separator, the opening quote;
    `start` is where the key starts in the line."""

    start: int
    key: str
    sep: str
    quote: str
    tag: bool


def key_before(text: str, start: int) -> KeyBefore | None:
    """The key whose value the host at `text[start:]` is (see `_KEY_BEFORE_REVERSED`), else None."""
    if start <= 0:
        return None
    low = max(0, start - _REACH)
    before = text[start - 1 : low - 1 if low else None : -1]
    if _KEY_OR_TAG.search(before) is None:
        return None  # no letter for a key, no `<` for an element: a list of numbers
    found = None
    for pattern in _KEY_BEFORE_REVERSED if ":" in before else _KEY_BEFORE_REVERSED[:1]:
        match = pattern.match(before)
        if match is not None and (found is None or match.end() > found.end()):
            found = match
    if found is None:
        return None
    begin = start - found.end()
    if found.group("tag") is not None:
        return KeyBefore(begin, found.group("tag")[::-1], "", "", True)
    sep = found.group("sep")[::-1] if found.group("sep") is not None else found.group("space")
    return KeyBefore(begin, found.group("key")[::-1], sep, found.group("quote"), False)


_LIST_ITEM = re.compile(r"^(?P<indent>\s*)-\s+[\"']?")
_LIST_KEY = re.compile(r"^(?P<indent>\s*)[\"']?(?P<key>[\w.-]+)[\"']?\s*:\s*(?:#.*)?$")
# an address (IPv6: a run of hex digits and colons with a colon after its first character), then names
_HOSTS_FILE = re.compile(
    rf"^\s*(?:{_IPV4}|(?=[0-9a-fA-F:][0-9a-fA-F]*:)[0-9a-fA-F:]+)(?:[ \t]+{_HOST_PART})+[ \t]*(?:#.*)?$"
)


@dataclass(frozen=True, slots=True)
class HostRef:
    """A host named in a host position. `where`: url, host-port, user-at, unc, hosts-file, key
    (a host-like key's value), network (a network key's value) or container (a container's address
    on a network its file defines). `prefix` is a CIDR length."""

    host: str
    start: int
    where: str
    scheme: str = ""
    prefix: int | None = None
    password: str = ""  # a URL's userinfo password, for the excerpt's redaction
    cut: bool = False  # a URL's host that a space cuts short: `"https://exam le.com/"` names no host `exam`


@dataclass(frozen=True)
class Keys:
    host: frozenset[str]
    network: frozenset[str]
    spaced: frozenset[str]
    container: frozenset[str] = frozenset()

    def kind(self, key: str, spaced: bool) -> str | None:
        """`key`, `network` or `container` for a host-like, network or container address key, else
        None (`DB_HOST`, `clusterIP`, `subnet`, `ipv4_address`)."""
        low = key.lower().replace("-", "_")
        words = [w.lower() for w in _WORDS.findall(key)] or [low]
        names = {low, low.replace("_", ""), words[-1], "_".join(words[-2:]), "".join(words[-2:])}
        if spaced and not names & self.spaced:
            return None
        if names & self.container:
            return "container"
        if names & self.network:
            return "network"
        return "key" if names & self.host else None


def url_refs(text: str) -> Iterator[tuple[HostRef, int]]:
    """The hosts of every URL's authority (several for `mongodb://a,b/`), with the span's end. A
    network address with a prefix for a path (`all://` + `172.16.4.0/24`, proxy routing) is a range."""
    for match in URL.finditer(text):
        if text.startswith(("\\", "{", "$", "%", "<"), match.end()):
            continue  # a regular expression (`hooks\.slack\.com`) or a template (`not{zone}.org`), not a URL
        auth = match.group("auth")
        userinfo, at, hosts = auth.rpartition("@")
        password = userinfo.partition(":")[2] if at else ""
        offset = match.start("auth") + (len(userinfo) + 1 if at else 0)
        scheme = match.group("scheme").lower()
        cut = _CUT.match(text, match.end()) is not None
        prefix = _PREFIX_PATH.match(text, match.end())
        for piece in hosts.split(","):
            host = _host_of(piece)
            if host:
                network = int(prefix.group(1)) if prefix is not None and _NETWORK_ADDRESS.match(host) else None
                yield (
                    HostRef(host, offset + piece.find(host), "url", scheme, network, password, cut),
                    match.end(),
                )
            offset += len(piece) + 1


# after a URL's authority: a space, then what goes on like a host name or a path (`exam le.com/`)
_CUT = re.compile(r"[ \t][\w-]+(?:\.[\w-]|/|:\d)")
# ... a prefix length for its whole path; with an IPv4 address ending in .0 before it: a range
_PREFIX_PATH = re.compile(r"/(\d{1,2})(?![\w./%?#-])")
_NETWORK_ADDRESS = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.0$")


def _host_of(piece: str) -> str:
    piece = piece.rstrip(".,;:!*'\"")
    if piece.startswith("["):
        return piece[1 : piece.find("]")] if "]" in piece else ""
    found = _SPLIT_PORT.match(piece)
    return found.group("host").rstrip(".") if found else ""


CODE, PROSE, CONFIG = "code", "prose", "config"
_PROSE_KEY_START = re.compile(
    r"^[\s>$`*-]*(?:(?:export|set|setx|define|const|var|let|local|readonly|declare|\$env:)\s*(?:-\w+\s+)?)?$",
    re.IGNORECASE,
)


_VERSION_WORD = re.compile(r"(?i)ver(?:sion)?s?\b|version|release|build|\btag|\brev(?:ision)?\b|semver|firmware|\bsdk")
_VALUE_END = re.compile(r"""\s*(?:$|[,;#}\]]|//)""")


_COMMENT_OPENER = re.compile(r"\s*(?:#+|//+|/?\*+|--|;+|<!--|%|rem\b)", re.IGNORECASE)
_DECORATION = re.compile(r"[\s>$`*-]*")
_PORT_AFTER = re.compile(r":\d{1,5}(?![\d:.]|\w)")
_PORT_ITEM = re.compile(r"""["']\s*,\s*\d{1,5}\s*[)\]]""")
_USER_CHAR = re.compile(r"[\w.+-]")
_QUOTES = re.compile(r"[\"'`]")
_NUMBER_START = re.compile(r"[-+]?\.?\d")
_NUMBER_END = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?|\d*\.\d+)$")
# the name of an attribute holding coordinates, right before its value's opening quote
_GEOMETRY_KEY = re.compile(
    r"(?i)(?<![\w-])(?:[\w-]+:)?(?:d|points|viewbox|transform|path|pathdata)[ \t]*[=:][ \t]*\{?$"
)


class Line:
    """One line as `positioned` reads it for each token on it: what does not depend on the token is
    worked out once, on first use, so a line with many tokens costs each of them a bounded stretch."""

    def __init__(self, lines: Sequence[AddedLine], index: int, keys: Keys) -> None:
        self.lines, self.index, self.keys = lines, index, keys
        self.text = lines[index].text
        self._sentences: dict[int, bool] = {}

    @cached_property
    def hosts_file(self) -> bool:
        """`10.1.2.3  db db.prod.internal`: an address and its names."""
        text = self.text
        if _HOSTS_FILE.match(text) is None:
            return False
        names = text.split("#")[0].split()[1:]
        # every name has a letter: `10.11.86.39 12.5 3 L` is path data going on over lines
        return any("." in name for name in names) and all(any(c.isalpha() for c in name) for name in names)

    @cached_property
    def shows_examples(self) -> bool:
        """The line says it shows examples (`e.g. 10.0.0.5`), or, holding no assignment, follows one
        by a line or two (a help text's list: `Examples: --address ':443'`, then `--address
        '172.16.34.31:9000'`), or lies in a class or function named as a stand-in (a mock
        provider's made-up members)."""
        here = self.lines[self.index].lineno
        reach = 3 if "=" not in self.text else 1
        for back in range(self.index, max(-1, self.index - reach), -1):
            if self.lines[back].lineno != here - (self.index - back):
                break
            if _EXAMPLE_MARK.search(self.lines[back].text) is not None:
                return True
        above = self.lines[self.index - 1] if self.index else None
        return (  # `# arbitrary private address` above werkzeug's `host = "10.253.155.219"`
            above is not None
            and above.lineno == here - 1
            and is_comment_line(above.text)
            and calls_it_a_stand_in(above.text)
        ) or in_stand_in_definition(self.lines, self.index)  # chroma's `class MockMemberlistProvider`

    @cached_property
    def version_at(self) -> int:
        """Where the first word of versions (`version`, `release`, ...) is, else past the end."""
        found = _VERSION_WORD.search(self.text)
        return len(self.text) + 1 if found is None else found.start()

    @cached_property
    def quotes(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {'"': [], "'": [], "`": []}
        for quote in _QUOTES.finditer(self.text):
            found[quote.group(0)].append(quote.start())
        return found

    @cached_property
    def literals(self) -> list[tuple[int, int]]:
        return list(string_literals(self.text))

    @cached_property
    def opening(self) -> tuple[int, int]:
        """(end of a comment opener at the start, end of the decoration after it)."""
        comment = _COMMENT_OPENER.match(self.text)
        start = comment.end() if comment is not None else 0
        decoration = _DECORATION.match(self.text, start)
        return start, decoration.end() if decoration is not None else start

    @cached_property
    def list_item(self) -> str | None:
        """The kind of key (`servers:`) above a YAML list item this line is (`- 10.1.2.3`), else None."""
        if _LIST_ITEM.match(self.text) is None:
            return None
        return _list_item_under_key(self.lines, self.index, self.keys)

    def in_string(self, at: int) -> bool:
        """Whether offset `at` lies inside a string literal or inline code (`conn = "Server=`)."""
        return any(bisect.bisect_left(found, at) % 2 == 1 for found in self.quotes.values())

    def opens(self, at: int) -> bool:
        """Whether what stands before offset `at` opens the line: a comment opener, decoration and at
        most a word like `export` (`export DB_HOST=...`, `$env:HOST = ...`, `# host: ...`)."""
        start, decoration = self.opening
        if at < start:
            return _PROSE_KEY_START.match(_strip_comment(self.text[:at])) is not None
        if at <= decoration:
            return True
        if at - decoration > 64:
            return False  # longer than any of those words and the blanks after it
        return _PROSE_KEY_START.match(self.text[max(start, decoration - 1) : at]) is not None

    def in_geometry(self, at: int) -> bool:
        """Whether offset `at` lies inside the quoted value of a vector graphic's geometry attribute
        (`d="M10.11.86.39"`, `points=`, `viewBox=`, `transform=`, Android's `pathData=`)."""
        literals = self.literals
        found = bisect.bisect_left(literals, (at, -1)) - 1
        if found < 0 or not literals[found][0] < at < literals[found][1]:
            return False
        opened = literals[found][0]
        return _GEOMETRY_KEY.search(self.text, max(0, opened - 24), opened) is not None

    def in_number_run(self, start: int, end: int) -> bool:
        """Whether the token text[start:end] stands among numbers (`12.5 10.11.86.39,4`): with only
        blanks or a comma between, a number before it or after it."""
        text = self.text
        stop = len(text[max(0, start - 8) : start].rstrip(" \t,")) + max(0, start - 8)
        after = text[end : end + 8].lstrip(" \t,")
        return _NUMBER_END.search(text, max(0, stop - 24), stop) is not None or _NUMBER_START.match(after) is not None

    def in_sentence(self, at: int) -> bool:
        """Whether offset `at` lies inside a string literal of three words or more (a help text)."""
        literals = self.literals
        found = bisect.bisect_left(literals, (at, -1)) - 1
        if found < 0 or not literals[found][0] < at < literals[found][1]:
            return False
        if found not in self._sentences:
            start, end = literals[found]
            self._sentences[found] = len(self.text[start:end].split(None, 3)) >= 3
        return self._sentences[found]


def positioned(line: Line, start: int, end: int, mode: str, address: bool = False) -> str | None:
    """The host position of the token text[start:end], or None when it stands in prose or code.

    `mode` is how the line reads: `code` (a key's value must be a quoted literal: `ip = "1.2.3.4"`
    is a value, `ip = 1.2.3.4` in a docstring is not), `prose` (a comment, a docstring, a document:
    a key counts only at the start of the line, `host: 1.2.3.4`, not in "if ip = 1.2.3.4 and")
    or `config` (a data file, a document's code block: every key counts). An `address` is also a
    value when it is the whole of a quoted literal (`("10.1.2.3", 8080)`) or, in configuration, the
    whole value of any key, unless a version is being talked about (`version = "10.2.3.4"`).
    """
    text = line.text
    if _PORT_AFTER.match(text, end) is not None:
        return "host-port"
    if start >= 2 and text[start - 1] == "@" and _USER_CHAR.match(text, start - 2) is not None:
        return "user-at"
    if text.endswith(("\\\\", "//"), 0, start) and not text.endswith("://", 0, start):
        return "unc"
    if line.hosts_file:
        return "hosts-file"  # `10.1.2.3  db db.prod.internal`: an address and its names
    found = key_before(text, start)
    if found is not None:
        spaced = found.sep in (" ", "\t")
        flag = spaced and text.endswith("-", 0, found.start)  # a command line's `--master-ip` before an address
        kind = line.keys.kind(found.key, spaced and not found.tag and not flag)
        quoted = bool(found.quote or found.tag) or line.in_string(found.start)
        at_start = line.opens(found.start)
        if spaced and not found.tag and not at_start and not flag:
            kind = None  # `server 10.1.2.3;` opens a line of nginx or resolv.conf; "internal host x" is prose
        if kind is not None and (mode == CONFIG or quoted or mode == PROSE and at_start):
            return kind
    if address and mode != PROSE and line.version_at >= start:
        opening = text[start - 1 : start]
        if opening in ("'", '"') and text[end : end + 1] == opening:
            if _PORT_ITEM.match(text, end):
                return "host-port"  # `("10.1.2.3", 8080)`
            return "literal"  # a literal holding nothing but the address
        if mode == CONFIG and found is not None and found.sep in (":", "=") and _VALUE_END.match(text, end):
            return "key"  # `primary: 10.1.2.3`
    return line.list_item if mode != CODE else None


def in_example_text(line: Line, start: int, mode: str) -> bool:
    """Whether the token at `start` sits in documentation text rather than in a value: a prose line,
    in code a string literal that holds a sentence or a command line (a help text), or any line
    that says it shows an example (`Examples: --address '172.16.34.31:9000'`, `e.g. 10.0.0.5`)."""
    if mode == PROSE or line.shows_examples:
        return True
    return mode == CODE and line.in_sentence(start)


_EXAMPLE_MARK = re.compile(r"(?i)\b(?:e\.g\.|eg:|examples?:|for (?:example|instance)\b|usage:)")


def _strip_comment(text: str) -> str:
    return re.sub(r"^\s*(?:#+|//+|/?\*+|--|;+|<!--|%|rem\b)", "", text, flags=re.IGNORECASE)


def _list_item_under_key(lines: Sequence[AddedLine], index: int, keys: Keys, reach: int = 30) -> str | None:
    """`- 10.1.2.3` in a YAML list whose key (`servers:`) sits on a contiguous line above."""
    item = _LIST_ITEM.match(lines[index].text)
    assert item is not None
    indent = len(item.group("indent"))
    for back in range(index - 1, max(-1, index - 1 - reach), -1):
        if lines[back].lineno != lines[index].lineno - (index - back):
            return None
        text = lines[back].text
        found = _LIST_KEY.match(text)
        if found is not None and len(found.group("indent")) <= indent:
            return keys.kind(found.group("key"), False)
        if not _LIST_ITEM.match(text) and text.strip() and not text.strip().startswith("#"):
            return None
    return None
