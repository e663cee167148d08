"""Where one line names a host: URLs, `host:port`, `user@host`, UNC paths, hosts-file lines, and
the values of host-like keys (`DB_HOST=`, `server:`, `Data Source=`, `--host`, `<host>`), also as
items of a YAML list under such a key.

Pure text work: `internal_urls` decides which of these hosts are internal. A bare address in prose
(`release 10.2.3.4`) is in none of these positions and is never returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...model import AddedLine

URL = re.compile(r"(?i)(?<![\w+.-])(?P<scheme>[a-z][\w+.-]{0,30})://(?P<auth>[^\s/?#\"'<>`\\|(){}]*)")
_LABEL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IPV6 = r"(?:[fF][cdCD][0-9a-fA-F]{0,2}|[fF][eE][89abAB][0-9a-fA-F]):[0-9a-fA-F:]*[0-9a-fA-F:](?:%[\w.]+)?"
_HOST_PART = rf"(?:{_LABEL}\.)*{_LABEL}"
IPV4_TOKEN = re.compile(rf"(?<![\w.]){_IPV4}(?![\w]|\.\d)")
_SPLIT_PORT = re.compile(r"^(?P<host>[^:]*)(?::(?P<port>\d{0,5}))?$")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+s(?![a-z])|[A-Z]+(?![a-z])|\d+")  # DB_HOST, clusterIP, AllowedIPs
# what may stand before a host that is a key's value: the key, a separator, an opening bracket,
# earlier items of a list, an opening quote; or an XML element
_KEY_BEFORE = re.compile(
    r"""(?:(?P<key>data\s+source|[A-Za-z_][\w.-]*)["'\]]?[ \t]*(?P<sep>=>|:=|=|:(?!//)|[ \t])[ \t]*(?:[\[({][ \t]*)?"""
    r"""(?:["']?[^\s,"'=]+["']?[ \t]*,[ \t]*)*(?P<quote>["']?)|<(?P<tag>[\w.-]+)>[ \t]*)$""",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^(?P<indent>\s*)-\s+[\"']?")
_LIST_KEY = re.compile(r"^(?P<indent>\s*)[\"']?(?P<key>[\w.-]+)[\"']?\s*:\s*(?:#.*)?$")
_HOSTS_FILE = re.compile(rf"^\s*(?:{_IPV4}|[0-9a-fA-F:]+:[0-9a-fA-F:]*)(?:[ \t]+{_HOST_PART})+[ \t]*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class HostRef:
    """A host named in a host position. `where`: url, host-port, user-at, unc, hosts-file, key
    (a host-like key's value) or network (a network key's value). `prefix` is a CIDR length."""

    host: str
    start: int
    where: str
    scheme: str = ""
    prefix: int | None = None
    password: str = ""  # a URL's userinfo password, for the excerpt's redaction


@dataclass(frozen=True)
class Keys:
    host: frozenset[str]
    network: frozenset[str]
    spaced: frozenset[str]

    def kind(self, key: str, spaced: bool) -> str | None:
        """`key` or `network` for a host-like or network key, else None (`DB_HOST`, `clusterIP`)."""
        low = key.lower().replace("-", "_")
        words = [w.lower() for w in _WORDS.findall(key)] or [low]
        names = {low, low.replace("_", ""), words[-1], "_".join(words[-2:]), "".join(words[-2:])}
        if spaced and not names & self.spaced:
            return None
        if names & self.network:
            return "network"
        return "key" if names & self.host else None


def url_refs(text: str) -> Iterator[tuple[HostRef, int]]:
    """The hosts of every URL's authority (several for `mongodb://a,b/`), with the span's end."""
    for match in URL.finditer(text):
        if text.startswith(("\\", "{", "$", "%", "<"), match.end()):
            continue  # a regular expression (`hooks\.slack\.com`) or a template (`not{zone}.org`), not a URL
        auth = match.group("auth")
        userinfo, at, hosts = auth.rpartition("@")
        password = userinfo.partition(":")[2] if at else ""
        offset = match.start("auth") + (len(userinfo) + 1 if at else 0)
        for piece in hosts.split(","):
            host = _host_of(piece)
            if host:
                yield (
                    HostRef(host, offset + piece.find(host), "url", match.group("scheme").lower(), None, password),
                    match.end(),
                )
            offset += len(piece) + 1


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
_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")


_VERSION_WORD = re.compile(r"(?i)ver(?:sion)?s?\b|version|release|build|\btag|\brev(?:ision)?\b|semver|firmware|\bsdk")
_VALUE_END = re.compile(r"""\s*(?:$|[,;#}\]]|//)""")


def positioned(
    text: str,
    start: int,
    end: int,
    lines: Sequence[AddedLine],
    index: int,
    keys: Keys,
    mode: str,
    address: bool = False,
) -> str | None:
    """The host position of the token text[start:end], or None when it stands in prose or code.

    `mode` is how the line reads: `code` (a key's value must be a quoted literal: `ip = "1.2.3.4"`
    is a value, `ip = 1.2.3.4` in a docstring is not), `prose` (a comment, a docstring, a document:
    a key counts only at the start of the line, `host: 1.2.3.4`, not in "if ip = 1.2.3.4 and")
    or `config` (a data file, a document's code block: every key counts). An `address` is also a
    value when it is the whole of a quoted literal (`("10.1.2.3", 8080)`) or, in configuration, the
    whole value of any key, unless a version is being talked about (`version = "10.2.3.4"`).
    """
    after = text[end : end + 7]
    before = text[max(0, start - 160) : start]
    if re.match(r":\d{1,5}(?![\d:.]|\w)", after):
        return "host-port"
    if re.search(r"[\w.+-]@$", before):
        return "user-at"
    if before.endswith(("\\\\", "//")) and not before.endswith("://"):
        return "unc"
    if _HOSTS_FILE.match(text) and "." in text.split("#")[0].split(None, 1)[1]:
        return "hosts-file"  # `10.1.2.3  db db.prod.internal`: an address and its names
    found = _KEY_BEFORE.search(before)
    if found is not None:
        key = found.group("key") or found.group("tag")
        spaced = found.group("sep") in (" ", "\t")
        lead = text[: start - len(before) + found.start()]
        flag = spaced and lead.endswith("-")  # a command line's `--master-ip` before an address
        kind = keys.kind(key, spaced and not found.group("tag") and not flag)
        quoted = bool(found.group("quote") or found.group("tag")) or _in_string(lead)
        at_start = _PROSE_KEY_START.match(_strip_comment(lead)) is not None
        if spaced and not found.group("tag") and not at_start and not flag:
            kind = None  # `server 10.1.2.3;` opens a line of nginx or resolv.conf; "internal host x" is prose
        if kind is not None and (mode == CONFIG or quoted or mode == PROSE and at_start):
            return kind
    if address and mode != PROSE and not _VERSION_WORD.search(text[:start]):
        opening = text[start - 1 : start]
        if opening in ("'", '"') and text[end : end + 1] == opening:
            if re.match(r"""["']\s*,\s*\d{1,5}\s*[)\]]""", text[end:]):
                return "host-port"  # `("10.1.2.3", 8080)`
            return "literal"  # a literal holding nothing but the address
        if mode == CONFIG and found is not None and found.group("sep") in (":", "=") and _VALUE_END.match(text, end):
            return "key"  # `primary: 10.1.2.3`
    return _list_item_under_key(lines, index, keys) if mode != CODE and _LIST_ITEM.match(text) else None


def in_example_text(text: str, start: int, mode: str) -> bool:
    """Whether the token at `start` sits in documentation text rather than in a value: a prose line,
    or in code a string literal that holds a sentence or a command line (a help text)."""
    if mode == PROSE:
        return True
    if mode == CODE:
        for literal in _STRING.finditer(text):
            if literal.start() < start < literal.end():
                return len(literal.group(0).split()) >= 3
    return False


def _strip_comment(text: str) -> str:
    return re.sub(r"^\s*(?:#+|//+|/?\*+|--|;+|<!--|%|rem\b)", "", text, flags=re.IGNORECASE)


def _in_string(text: str) -> bool:
    """Whether the end of `text` lies inside a string literal or inline code (`conn = "Server=`)."""
    return text.count('"') % 2 == 1 or text.count("'") % 2 == 1 or text.count("`") % 2 == 1


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
