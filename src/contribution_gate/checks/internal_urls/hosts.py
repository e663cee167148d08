"""Which hosts are internal: the data of `config/internal_urls.toml`, the policy's zones and
`allow`, and the verdict on each host a line names in a host position.
"""

from __future__ import annotations

import bisect
import fnmatch
import ipaddress
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ...errors import CheckError
from ...model import AddedLine, Severity
from ...resources import data_file, data_toml, tomllib
from . import positions
from .context import CI, DOCUMENTATION, EXAMPLES, SAMPLE, TEST, VENDORED
from .positions import HostRef, Keys

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_ADDRESS_FIX = (
    "Use a documentation address (192.0.2.0/24, 2001:db8::/32) or read it from configuration; if it is "
    "meant to be published, add it to [internal-urls] allow."
)
_NAME_FIX = (
    "Use a public host or a documentation name (example.com, *.example) or read it from configuration; "
    "if it is meant to be published, add it to [internal-urls] allow."
)
_REMEDIATION = {
    "internal-domain": "Internal host names must not be published. " + _NAME_FIX,
    "internal-tld": _NAME_FIX,
    "intranet-host": "A name without a domain resolves only inside a network. " + _NAME_FIX,
    "private-address": _ADDRESS_FIX,
    "shared-address": _ADDRESS_FIX,
    "link-local-address": _ADDRESS_FIX,
    "private-network": "A private range shows the internal network's layout. " + _ADDRESS_FIX,
    "cloud-metadata": (
        "Not a leak (every cloud instance answers at this address), but the metadata service hands out "
        "the machine's credentials: make sure this is not a debugging leftover or a request a user can "
        "steer; if it is deliberate, mark the line `contribution-gate: allow[internal-urls]`."
    ),
}
_CONTEXTS = {
    TEST: "a test (a sample value?)",
    CI: "a CI job's configuration (its runner's own network?)",
    DOCUMENTATION: "documentation or example code (an example?)",
    SAMPLE: "sample or recorded data (not this project's host?)",
    VENDORED: "vendored third-party code (its upstream's host?)",
    EXAMPLES: "a repository of examples (an example?)",
}
_NAME_WORD = re.compile(r"[a-z]+")  # the words of a dotless name: `fake-random-test-host`, `localhost-2`
_WHERE = {
    "url": "in a URL",
    "host-port": "as host:port",
    "user-at": "as user@host",
    "unc": "in a network path",
    "hosts-file": "in a hosts entry",
    "key": "as a host setting",
    "network": "as a network setting",
    "container": "as a container's address",
    "literal": "as a literal",
    "name": "named",
}


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    severity: Severity
    host: str
    message: str  # without the path
    password: str = ""
    at: int = 0  # where on the line the host is
    container: bool = False  # an address the file gives a container (`ipv4_address:`)

    @property
    def remediation(self) -> str:
        return _REMEDIATION[self.rule]


@dataclass(frozen=True)
class Data:
    tlds: dict[str, Severity]
    ranges: dict[str, tuple[Network, ...]]
    metadata: frozenset[str]
    example_domains: tuple[str, ...]
    example_tlds: frozenset[str]
    example_names: frozenset[str]
    schemes: frozenset[str]
    placeholders: frozenset[str]
    placeholder_words: frozenset[str]
    placeholder_parts: tuple[str, ...]
    keys: Keys
    defaults: dict[str, str]  # address -> the software that gives it by default
    default_networks: tuple[tuple[Network, str], ...] = ()  # ranges software hands out by default


@lru_cache(maxsize=1)
def load_data() -> Data:
    path = data_file("internal_urls.toml")
    try:
        raw = data_toml("internal_urls.toml")
        tlds = dict.fromkeys(raw["top-level-names"]["error"], Severity.ERROR)
        tlds.update(dict.fromkeys(raw["top-level-names"]["warning"], Severity.WARNING))
        ranges = {name: tuple(ipaddress.ip_network(r) for r in cidrs) for name, cidrs in raw["ranges"].items()}
        metadata = frozenset(
            str(ipaddress.ip_address(v)) if v[0].isdigit() or ":" in v else v for v in raw["cloud-metadata"]["values"]
        )
        examples, dotless, keys = raw["examples"], raw["dotless"], raw["keys"]
        return Data(
            tlds=tlds,
            ranges=ranges,
            metadata=metadata,
            example_domains=tuple(examples["domains"]),
            example_tlds=frozenset(examples["top-level-names"]),
            example_names=frozenset(examples["names"]),
            schemes=frozenset(dotless["schemes"]),
            placeholders=frozenset(dotless["placeholders"]),
            placeholder_words=frozenset(dotless["placeholder-words"]),
            placeholder_parts=tuple(dotless["placeholder-parts"]),
            keys=Keys(
                *(
                    frozenset(k for name in keys[kind] for k in (name, name.replace("_", "")))
                    for kind in ("host", "network", "spaced", "container")
                )
            ),
            defaults={str(ipaddress.ip_address(a)): what for a, what in raw["default-addresses"].items()},
            default_networks=tuple(
                (ipaddress.ip_network(n), what) for n, what in raw.get("default-networks", {}).items()
            ),
        )
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise CheckError(f"cannot load the internal-urls data from {path}: {exc}") from None


class Verdicts:
    """The policy's zones and `allow` with the shipped data: which hosts of a line are internal."""

    def __init__(self, data: Data, zones: tuple[str, ...], allow: tuple[str, ...]) -> None:
        self.data = data
        self.zones = zones
        self.networks: tuple[Network, ...] = tuple(n for n in map(_network, allow) if n is not None)
        self.globs = tuple(a.lower().lstrip(".") for a in allow if _network(a) is None)
        self._range_bounds = frozenset(
            bound
            for name in ("private", "unique-local", "shared")
            for r in data.ranges.get(name, ())
            for bound in (r.network_address, r.broadcast_address)
        )
        tlds = "|".join(re.escape(t) for t in sorted(data.tlds, key=len, reverse=True))
        self.tokens = re.compile(
            rf"(?:(?<![\w.%-])(?P<v4>{positions._IPV4})(?![\w]|\.\d)|(?<![\w.:%-])\[?(?P<v6>{positions._IPV6})\]?"
            rf"|(?<![\w.:%-])(?P<name>(?:{positions._LABEL}\.)+(?:{tlds})))(?:/(?P<prefix>\d{{1,3}}))?(?![\w-]|\.[A-Za-z0-9])",
            re.IGNORECASE,
        )
        names = "|".join(re.escape(z) for z in sorted(zones, key=len, reverse=True))
        # a zone on label boundaries; after a template's `{svc}.` too
        self.zone = (
            re.compile(rf"(?<![\w-])(?<![\w-]\.)((?:[a-z0-9_-]+\.)*(?:{names}))(?![\w-]|\.[a-z0-9])") if zones else None
        )
        # the searches most text fails: internal names, the private ranges' first octets (metadata
        # addresses included), IPv6 local prefixes, a URL whose host has no dot, the zones; one
        # pattern each, led by a literal: Python's re scans those far faster than one alternation
        self.candidates: tuple[re.Pattern[str], ...] = (
            re.compile(r"\.(?:" + "|".join(re.escape(t) for t in sorted(data.tlds, key=len, reverse=True)) + ")"),
            re.compile(r"1(?:0|72|92\.168|00|69\.254)\.\d"),
            re.compile(r"f[cd][0-9a-f]{0,2}:[0-9a-f]{0,4}:|fe[89ab][0-9a-f]:"),
            re.compile(r"://(?:[\w.%+-]*(?::[^\s/@]*)?@)?[\w-]+(?![\w.-])"),
        )
        others = [*zones, *(m for m in sorted(data.metadata) if not any(p.search(m) for p in self.candidates))]
        if others:  # the zones, and metadata names the patterns above would not find
            self.candidates += (re.compile("|".join(re.escape(x) for x in others)),)

    @classmethod
    def build(cls, zones: tuple[str, ...], allow: tuple[str, ...]) -> Verdicts:
        return cls(load_data(), zones, allow)

    def line_hits(
        self,
        text: str,
        lowered: str,
        lines: Sequence[AddedLine],
        index: int,
        mode_of: Callable[[int], str],
        context: str = "",
        vector: bool = False,
    ) -> Iterator[Hit]:
        """Every internal host of one line, once per rule and host; `mode_of(column)` says how the
        line reads there (`positions.CODE`, `PROSE` or `CONFIG`), asked only for hosts outside URLs
        and for errors. `context`: the file is a `test`, `documentation` or a `sample`
        (`context.file_context`), where hosts are sample values (see `_placed`). `vector`: the file
        is a vector graphic, whose dotted numbers among other numbers are coordinates."""
        seen: set[tuple[str, str]] = set()
        urls = _Spans()
        line = positions.Line(lines, index, self.data.keys)
        found: list[Hit | None] = []
        for ref, end in positions.url_refs(text):
            urls.add(ref.start, end)
            hit = self.judge(ref)
            if hit is not None:
                found.append(_placed(hit, context, line, ref.start, mode_of))
        judged: dict[tuple[str, str, int | None], Hit | None] = {}
        for match in self.tokens.finditer(text):
            start = match.start()
            if start in urls:
                continue
            address = match.group("name") is None and match.group("prefix") is None
            if address and match.group("v4") is not None and _coordinates(line, start, match.end(), vector):
                continue  # `d="M10.11.86.39"`: numbers of a path (`10.11 .86 .39`), not an address
            mode = mode_of(start)
            where = positions.positioned(line, start, match.end(), mode, address)
            if where is None:
                continue
            host = match.group("v4") or match.group("v6") or match.group("name")
            prefix = int(match.group("prefix")) if match.group("prefix") else None
            key = (host, where, prefix)
            if key not in judged:  # a line may name one host thousands of times
                judged[key] = self.judge(HostRef(host, start, where, prefix=prefix))
            hit = judged[key]
            if hit is None:
                continue
            hit = replace(hit, at=start)
            if where == "literal" and hit.severity is Severity.ERROR:
                hit = replace(hit, severity=Severity.WARNING)  # no key names it a host: test data?
            found.append(_placed(hit, context, line, start, mode_of))
        if self.zone is not None:
            found.extend(self.judge(HostRef(m.group(1), m.start(), "name")) for m in self.zone.finditer(lowered))
        for hit in found:
            if hit is not None and (hit.rule, hit.host.lower()) not in seen:
                seen.add((hit.rule, hit.host.lower()))
                yield hit

    def judge(self, ref: HostRef) -> Hit | None:
        """The finding a host in a host position makes, or None (public, example, allowed, loopback)."""
        try:
            address = ipaddress.ip_address(ref.host.split("%", 1)[0])
        except ValueError:
            hit = self._judge_name(ref)
        else:
            hit = self._judge_address(ref, address)
        return None if hit is None else replace(hit, at=ref.start)

    def _judge_address(self, ref: HostRef, address: Address) -> Hit | None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        where = _WHERE[ref.where]
        if ref.prefix is not None and ref.prefix < address.max_prefixlen:
            try:
                network = ipaddress.ip_network(f"{address}/{ref.prefix}", strict=False)
            except ValueError:
                return None
            ranges = [r for name in ("private", "unique-local", "shared") for r in self.data.ranges.get(name, ())]
            if (
                self._allowed_network(network)
                or network in ranges
                or not any(self._within(network, r) for r in ("private", "unique-local", "shared"))
            ):
                return None  # a range's own definition (10.0.0.0/8) shows nothing of a network
            return Hit("private-network", Severity.WARNING, str(network), f"Private network {network} {where}")
        if self._allowed_network(ipaddress.ip_network(address)) or address in self._range_bounds:
            # `10.0.0.0`, `192.168.0.0`: a range's first address names the range, not a host; its last
            # (`10.255.255.255`) is its broadcast, which the "my own address" idiom connects a UDP socket to
            return None
        shown = _shown(ref.host)
        if str(address) in self.data.metadata:
            return Hit(
                "cloud-metadata", Severity.WARNING, shown, f"Cloud metadata service {shown} {where}", ref.password
            )
        for name, rule, severity, label in (
            ("private", "private-address", Severity.ERROR, "Private address {} (RFC 1918)"),
            ("unique-local", "private-address", Severity.ERROR, "Private address {} (IPv6 unique local)"),
            ("shared", "shared-address", Severity.ERROR, "Shared address {} (100.64.0.0/10, carrier-grade NAT)"),
            ("link-local", "link-local-address", Severity.WARNING, "Link-local address {}"),
        ):
            if not any(address.version == r.version and address in r for r in self.data.ranges.get(name, ())):
                continue
            message = f"{label.format(shown)} {where}"
            if severity is not Severity.ERROR:
                return Hit(rule, severity, shown, message, ref.password)
            if ref.where == "network" and address.version == 4 and int(address) & 0xFF == 0:
                # `INTERNAL_SUBNET=10.x.y.0` (a VPN image's setting): a network named by its first address
                return Hit("private-network", Severity.WARNING, shown, f"Private network {shown} {where}")
            why = _sample_reason(address, ref.where, self.data.defaults, self.data.default_networks)
            if why:
                container = ref.where == "container"
                return Hit(rule, Severity.WARNING, shown, f"{message} ({why})", ref.password, container=container)
            return Hit(rule, severity, shown, message, ref.password)
        return None

    def _judge_name(self, ref: HostRef) -> Hit | None:
        host = ref.host.lower().rstrip(".")
        data = self.data
        if not host or self._allowed_name(host):
            return None
        where = _WHERE[ref.where]
        shown = _shown(host)
        if host in data.metadata:
            return Hit(
                "cloud-metadata", Severity.WARNING, host, f"Cloud metadata service {shown} {where}", ref.password
            )
        if host in data.example_names or host.rpartition(".")[2] in data.example_tlds:
            return None
        if any(host.endswith("." + name) for name in data.example_names if "." in name):
            return None  # `test.localhost.localdomain`: a name under the local machine's
        if any(host == d or host.endswith("." + d) for d in data.example_domains):
            return None
        for zone in self.zones:
            if host == zone or host.endswith("." + zone):
                return Hit(
                    "internal-domain",
                    Severity.ERROR,
                    host,
                    f"Internal host {shown} (under {zone}) {where}",
                    ref.password,
                )
        for tld, severity in data.tlds.items():
            if host.endswith("." + tld):
                return Hit(
                    "internal-tld",
                    severity,
                    host,
                    f"Host {shown} (internal-only top-level name .{tld}) {where}",
                    ref.password,
                )
        if "." not in host and ref.where == "url" and not ref.cut and self._intranet_name(ref.host, ref.scheme):
            return Hit(
                "intranet-host",
                Severity.WARNING,
                host,
                f"Intranet host {shown} (a name without a domain) {where}",
                ref.password,
            )
        return None

    def _intranet_name(self, host: str, scheme: str) -> bool:
        """A URL's dotless host like `wiki` or `jenkins:8080`; not `host:port`, `HOST`, `db`, `redis_1`,
        `a`, nor a name that says it stands in for a host (`fake-random-test-host`, `chroma-endpoint`)."""
        low = host.lower()
        data = self.data
        return (
            (scheme in data.schemes or scheme.startswith("jdbc"))
            and len(host) > 2
            and low not in data.placeholders
            and not host.isupper()
            and not host.isdigit()
            and "_" not in host
            and not low.startswith(("your", "my-", "some", "example", "www", "http", "xn--"))  # `http://www` cut short
            and re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", low) is not None
            and not any(word in data.placeholder_words for word in _NAME_WORD.findall(low))
            and not any(part in low for part in data.placeholder_parts)  # `catalogbaseurltobereplaced`
        )

    def _within(self, network: Network, name: str) -> bool:
        return any(network.version == r.version and network.subnet_of(r) for r in self.data.ranges.get(name, ()))  # type: ignore[arg-type]

    def _allowed_network(self, network: Network) -> bool:
        return any(network.version == n.version and network.subnet_of(n) for n in self.networks)  # type: ignore[arg-type]

    def _allowed_name(self, host: str) -> bool:
        return any(fnmatch.fnmatchcase(host, g) or host.endswith("." + g) for g in self.globs)


class _Spans:
    """The spans of a line's URLs, added left to right: `offset in spans` in logarithmic time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        if self.ends and start <= self.ends[-1]:
            self.ends[-1] = max(self.ends[-1], end)
        else:
            self.starts.append(start)
            self.ends.append(end)

    def __contains__(self, offset: int) -> bool:
        at = bisect.bisect_right(self.starts, offset) - 1
        return at >= 0 and offset < self.ends[at]


def _coordinates(line: positions.Line, start: int, end: int, vector: bool) -> bool:
    """Whether a dotted quad is numbers of a drawing: in a geometry attribute's value anywhere, and
    in a vector graphic also among other numbers (path data that goes on over several lines)."""
    return line.in_geometry(start) or vector and line.in_number_run(start, end)


def _placed(hit: Hit, context: str, line: positions.Line, at: int, mode_of: Callable[[int], str]) -> Hit | None:
    """The finding `hit` makes where it stands. The organisation's zones are errors everywhere. A
    host judged by its face alone is at most a warning in a test, documentation, example code,
    recorded data (`context`) and in documentation text of any file (a comment, a docstring, a help
    text: `positions.in_example_text`); there, a dotless name in a test and a private range in documentation
    are no finding at all."""
    if hit.rule == "internal-domain":
        return hit
    if context == TEST and hit.rule == "intranet-host":
        return None  # `http://test-server`, `http://evil`: a test's stand-ins for hosts
    if context == DOCUMENTATION and hit.rule == "private-network":
        return None  # a range in a document's sample configuration shows nothing of a network
    if hit.severity is not Severity.ERROR:
        return hit
    if context:
        return replace(hit, severity=Severity.WARNING, message=f"{hit.message} in {_CONTEXTS[context]}")
    if positions.in_example_text(line, at, mode_of(at)):
        return replace(hit, severity=Severity.WARNING, message=f"{hit.message} in documentation text (an example?)")
    return hit


def _sample_reason(
    address: Address, where: str, defaults: dict[str, str], networks: tuple[tuple[Network, str], ...] = ()
) -> str:
    """Why a private address is a sample rather than a host of the organisation's, or "": software
    gives it by default, it is made up by counting, or a compose file gives it to a container."""
    default = defaults.get(str(address))
    if default is not None:
        return f"the default address of {default}?"
    default = next((what for network, what in networks if address in network), None)
    if default is not None:
        return f"in {default}, a range given out by default?"
    if _counting(address):
        return "made up by counting: an example?"
    if where == "container":
        return "on a network the file defines?"
    return ""


def _counting(address: Address) -> bool:
    """An IPv4 address whose last three numbers count up (`10.1.2.3`, `10.2.3.4`, `172.16.17.18`):
    written as an example, the way `1234` is written for a PIN."""
    if address.version != 4:
        return False
    octets = address.packed
    return octets[1] + 1 == octets[2] and octets[2] + 1 == octets[3] and octets[1] > 0


def _shown(host: str) -> str:
    """A host as a message names it: a name longer than DNS allows is shortened (it is data, not a host)."""
    return host if len(host) <= 253 else f"{host[:120]}…{host[-40:]}"


def _network(value: str) -> Network | None:
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None
