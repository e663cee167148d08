"""The labelled corpus of `markers_corpus.py`: families of positives and negatives for the
`internal-urls` and `proprietary-markers` checks, generated from a seed.

Internal hosts and markers are written with a middle dot: `H()` turns it into a dot (hosts; a
two-dot punctuation into a colon) and `M()` removes it (markers), so this file passes the gate it
measures.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

URLS, MARKERS = "internal-urls", "proprietary-markers"
ZONE, ZONE2, ORG = "corp.acme-payments.io", "acmepay.net", "Acme Payments"
POLICY = f"""[internal-urls]
domains = ["{ZONE}", "{ZONE2}"]
allow = ["10·99.0.0/16", "*.lab.{ZONE2}"]

[proprietary-markers]
organizations = ["{ORG}"]
markers = ["Project Nightingale", "/ACME-[A-Z]{{3}}-[0-9]{{4}}/"]
"""


def H(text: str) -> str:
    return text.replace("·", ".").replace("⁚", ":")


def M(text: str) -> str:
    return text.replace("·", "")


@dataclass
class Case:
    check: str
    family: str
    positive: bool
    ext: str
    lines: list[str]
    label: int | None = None  # 1-based line of a positive
    pad: int = 0  # filler lines before the case (past a file's header)


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, items):  # type: ignore[no-untyped-def]
        return self.r.choice(items)

    def n(self, lo: int, hi: int) -> int:
        return self.r.randint(lo, hi)

    def private(self) -> str:
        return self.pick(
            [
                f"10.{self.n(0, 98)}.{self.n(0, 255)}.{self.n(1, 254)}",
                f"172.{self.n(16, 31)}.{self.n(0, 255)}.{self.n(1, 254)}",
                f"192.168.{self.n(0, 255)}.{self.n(1, 254)}",
            ]
        )

    def ula(self) -> str:
        return f"fd{self.n(0, 255):02x}:{self.n(0, 65535):x}:{self.n(0, 65535):x}::{self.n(1, 255):x}"

    def svc(self) -> str:
        return self.pick(
            ["billing", "ledger", "payments", "auth", "search", "reports", "kyc", "fraud", "etl", "builds"]
        )

    def env(self) -> str:
        return self.pick(["prod", "stage", "dev", "eu1", "us2"])

    def port(self) -> int:
        return self.pick([80, 443, 5432, 3306, 6379, 8080, 8443, 9092, 9200, 27017])


FILLER = {
    "py": "value_{i} = compute({i})",
    "js": "const v{i} = f({i});",
    "ts": "const v{i}: number = f({i});",
    "go": "\tv{i} := f({i})",
    "c": "int v{i} = f({i});",
    "yaml": "key{i}: value{i}",
    "md": "Paragraph {i} of the guide.",
    "sh": "echo step {i}",
    "tf": "# step {i}",
    "env": "VAR_{i}=v{i}",
    "sql": "SELECT {i};",
    "csv": "r{i},v{i}",
    "java": "int v{i} = f({i});",
    "ini": "key{i} = v{i}",
    "conf": "# {i}",
    "rst": "Paragraph {i}.",
    "xml": "<v>{i}</v>",
}


def case(check: str, family: str, positive: bool, ext: str, text: str, label: int | None = 1, pad: int = 0) -> Case:
    return Case(check, family, positive, ext, text.split("\n"), label if positive else None, pad)


# -- internal-urls ------------------------------------------------------------------------------


def url_positives(g: Gen) -> list[Case]:
    out: list[Case] = []

    def P(family, ext, text, label=1):
        return out.append(case(URLS, family, True, ext, text, label))

    for _ in range(3):
        s, e, p = g.svc(), g.env(), g.port()
        P("zone-url", "py", f'{s.upper()}_URL = "https://{s}.{e}.{ZONE}/api/v2"')
        P("zone-url", "js", f"const {s} = await fetch(`https://{s}.{ZONE}:{p}/v1/items`);")
        P("zone-url", "md", f"See the [{s} runbook](https://wiki.{ZONE}/display/{s.upper()}/Runbook).")
        P("zone-url", "yaml", f"  webhook: https://hooks.{ZONE2}/{s}/notify")
        P("zone-name", "py", f"# the {s} workers run on {s}-{g.n(1, 9)}.{e}.{ZONE}")
        P("zone-name", "md", f"Mail {s}-team@{ZONE2} or ask in the {s} channel.")
        ip, ip2 = g.private(), g.private()
        P("private-url", "py", H(f'requests.get("http://{ip}:{p}/health", timeout=5)'))
        P("private-url", "sh", H(f"curl -fsS http://{ip}/metrics | grep up"))
        P("private-url", "md", H(f"Grafana answers on http://{ip}:3000/ for the team."))
        P("private-host-port", "go", H(f'\tclient := redis.NewClient(&redis.Options{{Addr: "{ip}:6379"}})'))
        P("private-host-port", "yaml", H(f"  bootstrap: {ip}:9092"))
        P("private-host-port", "java", H(f'    private static final String BROKER = "{ip}:{p}";'))
        P("private-key", "env", H(f"{s.upper()}_DB_HOST={ip}"))
        P("private-key", "yaml", H(f"    host: {ip}"))
        P("private-key", "tf", H(f'  endpoint = "{ip}"'))
        P("private-key", "ini", H(f"address = {ip}"))
        P("private-key", "xml", H(f"<server>{ip}</server>"))
        P("connection-string", "java", H(f'    String url = "jdbc:mysql://{ip}:3306/{s}?useSSL=true";'))
        P("connection-string", "py", H(f'DSN = "host={ip} port=5432 dbname={s} user=app"'))
        P("connection-string", "env", H(f"MONGO_URI=mongodb://{ip}:27017,{ip2}:27017/{s}?replicaSet=rs0"))
        P("connection-string", "ts", H(f'const cs = "Server={ip},1433;Database={s};Encrypt=true";'))
        P("ssh-target", "sh", H(f"rsync -az dist/ deploy@{ip}:/srv/{s}/"))
        P("ssh-target", "md", H(f"    ssh ops@{ip} sudo systemctl restart {s}"))
        P("yaml-list", "yaml", H(f"seeds:\n  - {ip}\n  - 192.0.2.{g.n(1, 254)}"), 2)
        P("ipv6-ula", "yaml", f"  address: {g.ula()}")
        P("ipv6-ula", "py", f'API = "http://[{g.ula()}]:{p}/"')
        P("shared-address", "env", H(f"TAILSCALE_PEER=100.{g.n(64, 127)}.{g.n(0, 255)}.{g.n(1, 254)}:41641"))
        P("link-local", "json", H(f'  "url": "http://169.254.{g.n(1, 168)}.{g.n(1, 254)}/status"'))
        P("internal-tld", "env", H(f"{s.upper()}_URL=https://{s}.{e}·internal/"))
        P("internal-tld", "go", H(f'\tconst addr = "{s}-{e}·corp:{p}"'))
        P("internal-tld", "yaml", H(f"  url: https://{s}·intranet/login"))
        P("internal-tld", "py", H(f'LDAP = "ldaps://dc{g.n(1, 4)}.{e}·private:636"'))
        P("internal-tld", "sh", H(f"scp report.csv ops@{s}·lan:/tmp/"))
        name = g.pick(
            [
                "wiki",
                "jira",
                "confluence",
                "jenkins",
                "nexus",
                "artifactory",
                "sonar",
                "kibana",
                "intranet",
                "gerrit",
                "teamcity",
                "helpdesk",
            ]
        )
        P("dotless-url", "py", f'{name.upper()} = "http:/·/{name}/{s}"'.replace("/·/", "//"))
        P("dotless-url", "md", f"File a ticket at http:/·/{name}:{p}/browse/OPS.".replace("/·/", "//"))
        P("code-literal", "py", H(f'sock.connect(("{ip}", {p}))'))
        P("code-literal", "cs", H(f'var ep = new IPEndPoint(IPAddress.Parse("{ip}"), {p});'))
        P("code-literal", "go", H(f'\tpeer := net.ParseIP("{ip}")'))
        P("tool-config", "ini", H(f"{s}0{g.n(1, 9)} ansible_host={ip} ansible_user=deploy"))
        P("tool-config", "yaml", H(f"      - targets: ['{ip}:9100']"))
        P("tool-config", "yaml", H(f"  - host: {s}.{e}.{ZONE}"))
        P("tool-config", "yaml", H(f'extra_hosts:\n  - "{s}:{ip}"'), 2)
        P("cli-flag", "sh", H(f"./bin/spark-class --master-ip {ip} --port 7077"))
        P("cli-flag", "md", H(f"    {s}-agent --bind-address={ip} --verbose"))
        P("cidr", "tf", H(f'  cidr_blocks = ["10.{g.n(0, 98)}.0.0/16"]'))
        P("cidr", "conf", H(f"AllowedIPs = 10.{g.n(0, 98)}.{g.n(0, 255)}.0/24"))
    P("metadata", "py", H('TOKEN_URL = "http://169·254.169.254/latest/api/token"'))
    P("metadata", "sh", H('curl -H "Metadata-Flavor: Google" http://metadata.google·internal/computeMetadata/v1/'))
    P("metadata", "go", H('\tconst imds = "http://[fd00⁚ec2⁚⁚254]/latest/meta-data/"'))
    P("hosts-file", "conf", H(f"{g.private()}   ledger.prod·internal ledger"))
    P("nginx", "conf", H(f"    server {g.private()}:8080 max_fails=3;"))
    P("resolv", "conf", H(f"nameserver {g.private()}"))
    return out


def url_negatives(g: Gen) -> list[Case]:
    out: list[Case] = []

    def N(family, ext, text, pad=0):
        return out.append(case(URLS, family, False, ext, text, None, pad))

    for _ in range(3):
        a, b, c = g.n(0, 30), g.n(0, 30), g.n(0, 300)
        N("versions", "py", H(f'__version__ = "10.{a}.{b}.{c}"'))
        N("versions", "md", H(f"Release 10.{a}.{b}.{c} fixes the parser; 192.{a}.{b}.{c} follows."))
        N("versions", "json", H(f'  "version": "172.{g.n(16, 31)}.{b}.{c}",'))
        N("versions", "txt", H(f"requests==2.{a}.{b} urllib3>=1.26.{c} build 10.{a}.{b}.{c}"))
        N("loopback", "py", f'BIND = "127.0.0.1:{g.port()}"')
        N("loopback", "yaml", f"  url: http://localhost:{g.port()}/health")
        N("loopback", "go", '\taddr := "[::1]:8080"')
        N("loopback", "env", "LISTEN=0.0.0.0:8000")
        N("documentation", "yaml", f"  host: 192.0.2.{g.n(1, 254)}")
        N("documentation", "md", f"Point the client at https://api.example.com/ or 203.0.113.{g.n(1, 254)}:443.")
        N("documentation", "py", f'SERVER = "[2001:db8::{g.n(1, 255):x}]:{g.port()}"')
        N("documentation", "env", f"DB_HOST=db.{g.pick(['test', 'example', 'invalid'])}")
        N("public", "py", 'resp = requests.get("https://pypi.org/simple/requests/")')
        N("public", "yaml", "  nameservers: [1.1.1.1, 8.8.8.8]")
        N("public", "md", "Docs: https://docs.python.org/3/library/ipaddress.html")
        N(
            "code-attributes",
            "py",
            g.pick(
                [
                    "_state = threading.local()",
                    "self.key = key.private",
                    "from google.protobuf.internal import builder",
                    "ctx = werkzeug.local.LocalProxy(get)",
                    "path = home / '.local' / 'bin'",
                ]
            ),
        )
        N("code-attributes", "js", "const el = document.querySelector('.local-nav');")
        N(
            "templates",
            "py",
            g.pick(
                ['url = f"http://{host}:{port}/"', 'URL = "http://%s:%d/" % (host, port)', 'BASE = "http://HOST:PORT/"']
            ),
        )
        N("templates", "sh", "curl http://$HOST:$PORT/health")
        N("templates", "md", "Open `https://<your-server>/admin` once it runs.")
        N(
            "compose-services",
            "yaml",
            g.pick(
                [
                    "      REDIS_URL: redis://redis:6379/0",
                    "      DATABASE_URL: postgres://app@db:5432/app",
                    "      BROKER: amqp://rabbitmq:5672//",
                    "      API: http://backend:8000/",
                ]
            ),
        )
        N("prose-addresses", "md", H(f"RFC 1918 reserves 10.0.0.0/8; we moved off 192.168.{a}.0/24 last year."))
        N(
            "prose-addresses",
            "py",
            H(f"    Example: returns True if ip = 192.168.{a}.{b} and net = 192.168.{a}.0/24"),
            12,
        )
        N("allowed", "tf", H(f'  cidr_blocks = ["10.99.{a}.0/24"]'))
        N("allowed", "py", H(f'LAB = "http://ci.lab.{ZONE2}:8080/"'))
        N("lookalikes", "md", f"Phishing seen from https://not{ZONE}.evil.org/ and http://{ZONE}munity.net/.")
        N("lookalikes", "py", f'MIRROR = "https://my-{ZONE}.example.com/"')
        N(
            "regex-patterns",
            "py",
            g.pick([r"pattern = r'https://hooks\.slack\.com/services/'", r'IP = re.compile(r"^10\.\d+\.\d+\.\d+$")']),
        )
        N(
            "hex-times-macs",
            "py",
            g.pick(['MAC = "fc:aa:14:3b:5e:01"', 'START = "10:30:00"', "MASK = 0xfd00", 'ZONE = "fe80"']),
        )
        N(
            "literal-versions",
            "py",
            H(
                g.pick(
                    [
                        f'VERSION = ("10.{a}.{b}.{c}")',
                        f'assert parse_version("10.{a}.{b}.{c}") > base',
                        f'release = "192.168.{b}.{c}"  # calendar build',
                    ]
                )
            ),
        )
        N(
            "ranges-themselves",
            "tf",
            H(g.pick(['  cidr_blocks = ["10.0.0.0/8"]', '  source_ranges = ["172.16.0.0/12", "192.168.0.0/16"]'])),
        )
        N("ranges-themselves", "py", H('PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "100.64.0.0/10")]'))
        N(
            "other-schemes",
            "py",
            g.pick(
                [
                    'path = "s3://data-lake/raw/"',
                    'page = "chrome://settings"',
                    'image = "docker://alpine"',
                    'url = "file:///tmp/x"',
                ]
            ),
        )
    return out


# -- proprietary-markers --------------------------------------------------------------------------

LABELS = [
    "CONFID·ENTIAL",
    "Confid·ential",
    "Strictly Confid·ential",
    "COMPANY CONFID·ENTIAL",
    "Proprietary and Confid·ential",
    "Confid·ential - Internal Use Only",
    "Restr·icted",
    "PROPRIETARY - Acme Pay·ments",
    "Highly Confid·ential",
    "Not for distri·bution",
    "Trade Sec·ret - Acme Payments",
    "CONFID·ENTIAL - DO NOT DISTRIBUTE",
]
# labels of a file's leading notice only: mid-file they usually note a private API
NOTICES = [
    "INTERNAL USE ON·LY",
    "Internal Use On·ly - Do Not Distri·bute",
    "For internal use on·ly",
    "Do not distri·bute",
]
COMMENTS = {
    "py": "# {}",
    "sh": "# {}",
    "yaml": "# {}",
    "tf": "# {}",
    "js": "// {}",
    "go": "// {}",
    "java": "// {}",
    "c": "/* {} */",
    "sql": "-- {}",
    "ini": "; {}",
    "ts": "// {}",
    "conf": "# {}",
}


def marker_positives(g: Gen) -> list[Case]:
    out: list[Case] = []

    def P(family, ext, text, label=1, pad=0):
        return out.append(case(MARKERS, family, True, ext, text, label, pad))

    for _ in range(3):
        ext = g.pick(sorted(COMMENTS))
        P("comment-label", ext, M(COMMENTS[ext].format(g.pick(LABELS))), pad=g.pick([0, 50]))
        P("comment-notice", ext, M(COMMENTS[ext].format(g.pick(NOTICES))))
        P("comment-label", "c", M(f"/*\n * {g.pick(LABELS)}\n */"), 2)
        P(
            "file-header",
            "py",
            M(
                f'"""{g.pick(["Internal use on·ly", "Confid·ential", "For internal use on·ly"])}: the {g.svc()} engine."""'
            ),
        )
        P("file-header", "sh", M(f"#!/bin/sh\n# {g.pick(['Internal use on·ly', 'Do not distri·bute'])}"), 2)
        P(
            "doc-heading",
            "md",
            M(f"# {g.svc().title()} plan ({g.pick(['Confid·ential', 'CONFID·ENTIAL', 'Internal Use On·ly'])})"),
        )
        P(
            "doc-heading",
            "md",
            M(f"## {g.pick(['INTERNAL USE ON·LY', 'Confid·ential', 'Strictly Confid·ential'])}"),
            pad=20,
        )
        P("doc-heading", "rst", M(f"{g.pick(['Confid·ential', 'Restr·icted'])}\n============"))
        P(
            "doc-line",
            "md",
            M(
                g.pick(
                    [
                        "**CONFID·ENTIAL**",
                        "> Strictly confid·ential: for the board only.",
                        "*Internal Use On·ly*",
                        "CONFID·ENTIAL - DO NOT DISTRI·BUTE",
                    ]
                )
            ),
            pad=g.pick([0, 40]),
        )
        P(
            "front-matter",
            "md",
            M(
                f"---\ntitle: {g.svc().title()} roadmap\n{g.pick(['classi·fication', 'confidentiality', 'sensi·tivity'])}: "
                f"{g.pick(['internal', 'confidential', 'restricted'])}\n---"
            ),
            3,
        )
        P(
            "data-header",
            "csv",
            M(
                f"{g.pick(['CONFID·ENTIAL', 'Company Confid·ential - Q3 customers', 'INTERNAL USE ON·LY'])},,,\nid,name,amount"
            ),
        )
        P(
            "data-header",
            "json",
            M(
                f'{{\n  "_notice": "{g.pick(["PROPRIETARY AND CONFID·ENTIAL", "Internal use on·ly", "Confid·ential"])}",\n  "rows": []\n}}'
            ),
            2,
        )
        P("classification", "yaml", M(f"  data-classi·fication: {g.pick(['confidential', 'restricted', 'internal'])}"))
        P("classification", "json", M(f'  "classi·fication": "{g.pick(["Confidential", "Restricted", "Internal"])}",'))
        P("classification", "tf", M(f'    DataClassi·fication = "{g.pick(["Confidential", "Restricted"])}"'))
        P("classification", "env", M(f"DATA_CLASSI·FICATION={g.pick(['confidential', 'restricted'])}"))
        P("classification", "xml", M(f"<classi·fication>{g.pick(['Confidential', 'Restricted'])}</classification>"))
        P("tlp", g.pick(["py", "md", "yaml"]), M(g.pick(["# TLP:AM·BER", "# TLP:R·ED", "# TLP:AMBER+STR·ICT"])))
        P(
            "org-copyright",
            g.pick(["py", "go", "c"]),
            M(
                f"{'#' if g.r.random() < 0.5 else '//'} Copy·right (c) {g.n(2015, 2024)} "
                f"{ORG}{g.pick(['', ', Inc.', ' Ltd.'])}. {g.pick(['All rights reserved.', 'Proprietary.'])}"
            ),
        )
        P(
            "org-copyright",
            "java",
            M(f"/*\n * Copy·right © 2019-{g.n(2020, 2024)} {ORG} Inc.\n * All rights reserved.\n */"),
            2,
        )
        P(
            "custom",
            g.pick(["py", "md", "yaml"]),
            M(
                g.pick(
                    [
                        "# Project Nightin·gale rollout",
                        "codename: Project Nightin·gale",
                        "See ACME-S·EC-1234 for the details.",
                    ]
                )
            ),
        )
        P(
            "declaration",
            g.pick(["md", "txt"]),
            M(
                g.pick(
                    [
                        "This document is confid·ential and must not be forwarded.",
                        "This file contains propri·etary information of Acme Payments.",
                    ]
                )
            ),
            pad=5,
        )
        P(
            "org-label",
            g.pick(["py", "yaml", "sh"]),
            M(g.pick(["# Globex Corp Confid·ential", "# ACME CONFID·ENTIAL", "# Initech - Restr·icted"])),
        )
        P(
            "org-label",
            g.pick(["js", "go", "java"]),
            M(g.pick(["// Globex Confid·ential", "/** Proprietary and confid·ential */"])),
        )
        P(
            "notice",
            g.pick(["html", "md"]),
            M(g.pick(["<!-- Company Confid·ential -->", "<!-- CONFID·ENTIAL - internal use only -->"])),
        )
        P("notice", "py", M("# CONFID·ENTIALITY NOTICE: the contents of this file are private."))
        P("notice", "tex", M("% CONFID·ENTIAL"))
        P("notice", "txt", M("PROPRIETARY AND CONFID·ENTIAL"), pad=2)
        P(
            "nda",
            *g.pick(
                [
                    ("py", M("# Shared with us under N·DA by the card network.")),
                    ("go", M("// Subject to N·DA: do not publish.")),
                ]
            ),
        )
    return out


def marker_negatives(g: Gen) -> list[Case]:
    out: list[Case] = []

    def N(family, ext, text, pad=0):
        return out.append(case(MARKERS, family, False, ext, text, None, pad))

    for _ in range(3):
        N(
            "identifiers",
            "py",
            g.pick(
                [
                    "confidential = False",
                    "def is_confidential(self) -> bool:",
                    "RESTRICTED_MODE = True",
                    "class ProprietaryFormat(Reader):",
                    "send(msg, internal_use_only=True)",
                ]
            ),
        )
        N("identifiers", "go", g.pick(["type Confidential struct{}", "if cfg.Restricted { return nil }"]))
        N(
            "comment-prose",
            "py",
            g.pick(
                [
                    "# Keep your API key confidential.",
                    "# Runs the sandbox in restricted mode.",
                    "# proprietary formats are converted to PDF first",
                    "# do not distribute the cache across workers",
                ]
            ),
        )
        N(
            "comment-prose",
            "js",
            g.pick(["// access is restricted to admins", "// the vendor's proprietary protocol is undocumented"]),
        )
        N(
            "api-notes",
            "py",
            g.pick(
                [
                    '    """For internal use only."""',
                    "    # Internal use only; may change without notice.",
                    '    """Internal use only: called by the scheduler."""',
                ]
            ),
            pad=70,
        )
        N("api-notes", "go", "// internalOnly is for internal use by the scheduler.", pad=40)
        N(
            "api-notes",
            "c",
            g.pick(
                [" * INTERNAL ONLY: This interface has not been stabilised and may change", "// For internal use only"]
            ),
            pad=25,
        )
        N("wrapped-prose", "c", "/// The updates are applied lazily unless the strategy is\n/// restricted.", pad=30)
        N(
            "word-lists",
            "txt",
            "\n".join(
                g.pick(["confidential", "restricted", "proprietary"]) if i == 3 else w
                for i, w in enumerate(["abandon", "ability", "able", "x", "about"])
            ),
            pad=100,
        )
        N(
            "schemas",
            "json",
            g.pick(['  "confidential": {"type": "boolean", "default": false},', '{"restricted": true, "name": "x"}']),
        )
        N("schemas", "csv", "id,name,confidential,restricted,owner")
        N("schemas", "sql", "  confidential BOOLEAN NOT NULL DEFAULT FALSE,")
        N(
            "third-party-copyright",
            "txt",
            f"Copyright (c) {g.n(2001, 2024)} {g.pick(['Other Corp', 'The Foo Authors', 'Jane Doe'])}. All rights reserved.",
        )
        N(
            "third-party-copyright",
            "py",
            f"# Copyright (c) {g.n(2015, 2024)} {ORG}. All rights reserved.\n# Licensed under the MIT License.",
        )
        N(
            "third-party-copyright",
            "txt",
            g.pick(
                [
                    "into proprietary programs.  If your program is a subroutine library, you may",
                    "Licensor's trademarks, copyrights, patents, trade secrets or any other",
                ]
            ),
            pad=30,
        )
        N(
            "settings",
            "yaml",
            g.pick(
                [
                    "mode: restricted",
                    "visibility: internal",
                    "access: restricted",
                    "sensitivity: 0.75",
                    "classification: public",
                ]
            ),
        )
        N("settings", "json", '  "access": "restricted",')
        N(
            "level-lists",
            "md",
            g.pick(["- Confidential", "| Restricted | Only admins can read it |", "1. Internal"]),
            pad=3,
        )
        N("level-lists", "py", 'LEVELS = ["public", "internal", "confidential", "restricted"]')
        N("tlp-other", "py", g.pick(["# TLP:GREEN", "# TLP:CLEAR"]))
        N("tlp-other", "md", "The TLP:RED label means no sharing beyond the meeting.", pad=8)
        N(
            "doc-prose",
            "md",
            g.pick(
                [
                    "Never commit files marked Strictly Confidential.",
                    "## Restricted mode",
                    "## Confidential computing",
                    "Keep the token confidential and rotate it often.",
                    "Trade secrets are protected by law.",
                ]
            ),
            pad=4,
        )
        N(
            "product-names",
            g.pick(["py", "md", "go"]),
            g.pick(
                [
                    "# Uses Azure Confidential Computing for the enclave.",
                    "# Proprietary NVIDIA driver required",
                    "## Proprietary software",
                    "// Restricted users cannot post.",
                ]
            ),
        )
        N(
            "trailing-enum",
            "py",
            g.pick(["    CONFIDENTIAL = 3  # Confidential", "    RESTRICTED = 4  # Restricted"]),
            pad=10,
        )
        N("schemas", "csv", "Name,Email,Confidential,Notes")
        N(
            "strings-in-code",
            "py",
            g.pick(
                [
                    'LABEL = "CONFIDENTIAL"',
                    "msg = 'This document is confidential'",
                    'raise PermissionError("restricted")',
                ]
            ),
        )
    return out


FAMILIES: list[Callable[[Gen], list[Case]]] = [url_positives, url_negatives, marker_positives, marker_negatives]
