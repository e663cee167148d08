"""The internal-urls check on literal changes: a table of positives and near-miss negatives drawn
from the kinds of files contributions hold, plus the policy's zones and `allow`.

The repository passes its own gate: every private address, internal name and dotless URL here is
written with stand-ins that `live()` turns into the real characters at run time: a middle dot
for a dot, a two-dot punctuation for a colon, a fraction slash for a slash.
"""

from __future__ import annotations

import time

import pytest
import tokens

from contribution_gate.checks import internal_urls
from contribution_gate.config import parse
from contribution_gate.errors import ConfigError
from contribution_gate.model import AddedLine, FileChange, Severity

ZONE = "corp.acme-payments.io"


def live(text: str) -> str:
    return text.replace("·", ".").replace("⁚", ":").replace("⁄", "/")


def scan(text: str, path: str = "src/app.py", start: int = 1, **table: object) -> list:
    lines = live(text).split("\n")
    change = FileChange(
        path=path, status="A", commit="c" * 40, added=tuple(AddedLine(i, t) for i, t in enumerate(lines, start))
    )
    return list(internal_urls.scan_file(change, internal_urls.options({"domains": [ZONE], **table})))


# (path, added text, expected rules on its last line); "\n" joins lines that give context
POSITIVES = [
    # Python
    ("app/settings.py", 'API_URL = "https://jenkins.corp.acme-payments.io/job/deploy"', {"internal-domain"}),
    ("app/settings.py", 'DB_HOST = "10·20.30.40"', {"private-address"}),
    ("app/cloud.py", 'requests.get("http://169·254.169.254/latest/meta-data/iam/")', {"cloud-metadata"}),
    ("app/cache.py", 'redis = Redis(host="cache·internal", port=6379)', {"internal-tld"}),
    ("app/links.py", 'WIKI = "http:/⁄wiki/Runbooks"', {"intranet-host"}),
    ("app/links.py", "# dashboards: https://grafana.corp.acme-payments.io/d/abc", {"internal-domain"}),
    ("etl/load.py", 'engine = create_engine("postgresql://etl@10·1.2.3:5432/warehouse")', {"private-address"}),
    ("app/ts.py", 'TAILNET_PEER = "100·101.12.4:41641"', {"shared-address"}),
    # JavaScript / TypeScript
    ("web/api.js", "const api = 'http://172·16.4.20:8080/v1';", {"private-address"}),
    ("web/users.js", "fetch(`https://api.corp.acme-payments.io/users`)", {"internal-domain"}),
    ("web/live.js", "const ws = new WebSocket('ws://build-agent·lan:9000');", {"internal-tld"}),
    ("web/ci.ts", "  baseURL: 'http:/⁄jenkins:8080/',", {"intranet-host"}),
    ("web/config.ts", "export const ENDPOINT = 'https://[fd12⁚3456⁚789a⁚⁚10]:8443/health';", {"private-address"}),
    # Go
    ("cmd/main.go", 'addr := "grafana·internal:3000"', {"internal-tld"}),
    ("store/db.go", 'db, err := sql.Open("mysql", "app@tcp(10·0.12.7:3306)/shop")', {"private-address"}),
    ("cmd/meta.go", 'const imds = "http://[fd00⁚ec2⁚⁚254]/latest/meta-data/"', {"cloud-metadata"}),
    # C
    ("src/metrics.c", '#define METRICS_HOST "10·44.0.9"', {"private-address"}),
    (
        "src/upload.c",
        'curl_easy_setopt(curl, CURLOPT_URL, "https://build.corp.acme-payments.io/artifacts");',
        {"internal-domain"},
    ),
    ("src/net.c", 'static const char *kApi = "http://192·168.7.20/api";', {"private-address"}),
    # YAML
    ("deploy/values.yaml", "  host: 10·8.0.15", {"private-address"}),
    ("deploy/vault.yaml", "url: https://vault·intranet/v1/secret", {"internal-tld"}),
    ("deploy/cluster.yml", "servers:\n  - 192·168.40.2\n  - 192·168.40.3", {"private-address"}),
    ("deploy/minio.yaml", 'endpoint: "https://s3·corp:9000"', {"internal-tld"}),
    ("k8s/svc.yaml", "  clusterIP: 100·64.0.10", {"shared-address"}),
    # .env
    (".env", "DATABASE_URL=postgres://app@10·1.2.3:5432/app", {"private-address"}),
    (".env.production", "REDIS_HOST=redis-01.prod·internal", {"internal-tld"}),
    ("config/app.env", "LDAP_URL=ldaps://dc01.corp.acme-payments.io:636", {"internal-domain"}),
    (".env", "METADATA_URL=http://metadata.google·internal/computeMetadata/v1/", {"cloud-metadata"}),
    # Terraform
    ("infra/main.tf", '  endpoint = "https://10·50.1.1:8443"', {"private-address"}),
    ("infra/vpc.tf", '  cidr_blocks = ["10·30.0.0/16"]', {"private-network"}),
    ("infra/ldap.tf", '  server = "ldap·corp"', {"internal-tld"}),
    (
        "infra/vault.tf",
        'provider "vault" { address = "https://vault.corp.acme-payments.io:8200" }',
        {"internal-domain"},
    ),
    # Markdown
    ("docs/ops.md", "See the [runbook](https://wiki.corp.acme-payments.io/ops/runbook).", {"internal-domain"}),
    ("docs/forms.md", "Open http:/⁄intranet/ and search for the form.", {"intranet-host"}),
    ("docs/deploy.md", "    ssh deploy@10·12.0.8", {"private-address"}),
    ("docs/build.md", "The build server is `http://172·20.1.5:8080`.", {"private-address"}),
    ("docs/setup.md", "```sh\nDB_HOST=10·2.0.9", {"private-address"}),
    # CSV
    ("data/hosts.csv", "prod-db,10·3.4.5:5432,primary", {"private-address"}),
    ("data/services.csv", "api,https://api·internal/v2,owner", {"internal-tld"}),
    # JSON
    ("config/db.json", '  "host": "192·168.10.7",', {"private-address"}),
    ("config/dev.json", '  "url": "http://[fe80⁚⁚1%eth0]:8080/"', {"link-local-address"}),
    ("config/proxy.json", '  "proxy": "http://proxy.corp.acme-payments.io:3128"', {"internal-domain"}),
    # shell
    ("scripts/ship.sh", "scp build.tar.gz deploy@10·9.8.7:/srv/app", {"private-address"}),
    ("scripts/token.sh", "curl -s http://169·254.169.254/latest/api/token", {"cloud-metadata"}),
    ("scripts/env.sh", "export API_HOST=api·intranet", {"internal-tld"}),
    # configuration files of servers and tools
    ("etc/resolv.conf", "nameserver 10·0.0.2", {"private-address"}),
    ("nginx/site.conf", "    proxy_pass http://10·0.3.4:8080;", {"private-address"}),
    ("etc/hosts", "10·0.0.5   db01.prod·internal db01", {"private-address", "internal-tld"}),
    ("ssh/config", "  HostName bastion·corp", {"internal-tld"}),
    ("conf/server.xml", "<host>10·4.4.4</host>", {"private-address"}),
    ("src/Db.cs", 'var cs = "Server=10·0.0.5,1433;Database=app;Trusted_Connection=True";', {"private-address"}),
    ("share/mount.sh", r"net use Z: \\10·1.1.20\builds", {"private-address"}),
]

NEGATIVES = [
    ("app/version.py", 'version = "10·2.3.4"'),
    ("CHANGELOG.md", "Release 10·2.3.4 fixes the parser."),
    ("app/state.py", "x = threading.local()"),
    ("app/health.py", 'url = "http://localhost:8080/health"'),
    ("app/run.py", 'BIND = "127.0.0.1:5000"'),
    ("app/run.py", 'LISTEN = "0.0.0.0:8000"'),
    ("app/api.py", 'API = "https://api.example.com/v1"'),
    ("deploy/values.yaml", "host: 192.0.2.10"),
    ("deploy/values.yaml", "server: 198.51.100.7:443"),
    ("config/ip.json", '"ip": "203.0.113.5"'),
    ("cmd/main.go", 'addr := "[2001:db8::1]:8080"'),
    ("web/repo.js", "fetch('https://github.com/org/repo')"),
    ("docs/net.md", "See https://docs.python.org/3/library/ipaddress.html"),
    ("app/utils.py", "    Example: returns True if ip = 192·168.1.1 and net = 192·168.1.0/24"),
    ("app/vendor.py", "from pip._internal.utils import misc"),
    ("app/proto.py", "from google.protobuf.internal import builder"),
    ("src/net.c", "#include <sys/socket.h>"),
    ("infra/sg.tf", '  cidr_blocks = ["0.0.0.0/0"]'),
    (".env", "DATABASE_URL=postgres://app@db:5432/app"),
    ("docker-compose.yml", "      REDIS_URL: redis://redis:6379/0"),
    ("app/client.py", 'url = f"http://{host}:{port}/"'),
    ("app/client.py", 'URL = "http://%s:%d/" % (host, port)'),
    ("scripts/check.sh", "curl http://$HOST:$PORT/health"),
    ("docs/usage.md", "Point it at `http://HOST:PORT/`."),
    ("app/keys.py", "self.private = key.private"),
    ("web/nav.js", "const el = document.querySelector('.local-nav');"),
    ("cmd/app.go", 'import "example.com/internal/app"'),
    ("docs/proto.md", "Versions 1.2.3.4 and 10·0.0.1 of the protocol differ."),
    ("deploy/app.yaml", "image: nginx:1.25.3"),
    ("config/release.json", '"release": "10·1.2.3"'),
    ("docs/mdns.md", "Use a `.local` suffix only for mDNS names."),
    ("scripts/ping.sh", "ping -c 1 8.8.8.8"),
    ("app/dns.py", 'resolver.nameservers = ["1.1.1.1"]'),
    ("docs/wiki.md", "The wiki lives at http://wiki.example.com/ for the demo."),
    ("docs/test.md", "Printers answer at http://printer.test/ in the tests."),
    ("app/docker.py", 'DB_HOST = "host.docker.internal"'),
    ("app/slack.py", r"pattern = r'https://hooks\.slack\.com/services/'"),
    ("docs/ranges.md", "192·168.0.0/16 is one of the private ranges."),
    ("app/nets.py", 'ips = ipaddress.ip_network("10·0.0.0/8")'),
    ("app/clock.py", 'START = "10:30:00"'),
    ("app/mac.py", 'MAC = "fc:aa:14:3b:5e:01"'),
    ("web/dev.js", "const ws = new WebSocket('ws://localhost:3000');"),
    ("tests/test_urls.py", 'BASE = "http://a/b/c/d;p?q"'),
    ("app/ipv6.py", 'url = "http://[::1]:8080/"'),
    ("app/s3.py", 'path = "s3://my-bucket/path/to/key"'),
    ("web/links.ts", "const settings = 'chrome://settings';"),
    ("app/notcorp.py", "# mirror: https://notcorp.acme-payments.io.evil.org/"),
    ("app/community.py", 'HOME = "https://corp.acme-payments.iommunity.org/"'),
    ("app/lookalike.py", 'SITE = "https://my-corp.acme-payments.io.example.com/"'),
]


def test_the_tables_are_big_enough() -> None:
    assert len(POSITIVES) >= 40 and len(NEGATIVES) >= 40
    kinds = {path.rsplit(".", 1)[-1] for path, *_ in POSITIVES}
    assert {"py", "js", "go", "c", "yaml", "env", "tf", "md", "csv", "json", "sh"} <= kinds


@pytest.mark.parametrize(("path", "text", "rules"), POSITIVES, ids=[f"{p}:{t[:30]}" for p, t, _ in POSITIVES])
def test_flags(path: str, text: str, rules: set[str]) -> None:
    findings = scan(text, path)
    last = text.count("\n") + 1
    assert {f.rule for f in findings if f.line == last} == rules
    for finding in findings:
        assert finding.check == "internal-urls" and finding.path == path
        assert finding.remediation and finding.fingerprint and finding.commit == "c" * 40
        assert finding.message.endswith(f"added to {path}")


@pytest.mark.parametrize(("path", "text"), NEGATIVES, ids=[f"{p}:{t[:30]}" for p, t in NEGATIVES])
def test_does_not_flag(path: str, text: str) -> None:
    assert scan(text, path) == []


@pytest.mark.parametrize(
    ("text", "host", "severity"),
    [
        ('URL = "https://jenkins.corp.acme-payments.io/job/deploy"', "jenkins.corp.acme-payments.io", Severity.ERROR),
        ('DB = "10·20.30.40:5432"', "10·20.30.40", Severity.ERROR),
        ('META = "http://169·254.169.254/"', "169·254.169.254", Severity.WARNING),  # public: not a leak
        ('WIKI = "http:/⁄wiki/"', "wiki", Severity.WARNING),
        ('NAS = "http://nas·lan/"', "nas.lan", Severity.WARNING),
        ('LLA = "http://169·254.10.1/"', "169·254.10.1", Severity.WARNING),
    ],
)
def test_message_names_the_host_and_severity_follows_the_signal(text: str, host: str, severity: Severity) -> None:
    (finding,) = scan(text)
    assert live(host) in finding.message and finding.severity is severity


def test_zones_match_on_label_boundaries() -> None:
    assert [f.rule for f in scan("# https://ci.corp.acme-payments.io/")] == ["internal-domain"]
    assert [f.rule for f in scan("# ci.corp.acme-payments.io holds the runners")] == ["internal-domain"]
    assert [f.rule for f in scan("# the zone corp.acme-payments.io.")] == ["internal-domain"]
    assert scan("# notcorp.acme-payments.io.evil.org") == []
    assert scan("# corp.acme-payments.iommunity and xcorp.acme-payments.io") == []


def test_credentials_in_a_url_are_redacted_in_the_excerpt() -> None:
    password = tokens.rand(15)
    (finding,) = scan(f'DSN = "postgres://app:{password}@10·1.2.3:5432/db"')
    assert password not in finding.excerpt and live(f"app:{password[:3]}****@10·1.2.3") in finding.excerpt
    assert password not in finding.fingerprint


def test_allow_takes_cidrs_addresses_and_host_globs() -> None:
    allow = {"allow": ["10·30.0.0/16", "192·168.7.20", "*.lab.acme-payments.io", "wiki", "ci.corp.acme-payments.io"]}
    allow = {"allow": [live(a) for a in allow["allow"]]}
    assert scan('  cidr_blocks = ["10·30.0.0/16"]', "main.tf", **allow) == []
    assert scan('DB = "10·30.4.5:5432"', **allow) == []
    assert [f.rule for f in scan('DB = "10·31.4.5:5432"', **allow)] == ["private-address"]
    assert scan('API = "http://192·168.7.20/api"', **allow) == []
    assert scan('URL = "http://build·lab.acme-payments.io/"', **allow) == []
    assert scan('WIKI = "http:/⁄wiki/"', **allow) == []
    assert scan('CI = "https://ci.corp.acme-payments.io/"', **allow) == []
    assert [f.rule for f in scan('CD = "https://cd.corp.acme-payments.io/"', **allow)] == ["internal-domain"]


def test_address_in_documentation_text_is_a_warning() -> None:
    (finding,) = scan('    help="run workers on remote hosts, e.g. --tx socket=192·168.1.102:8888"')
    assert finding.severity is Severity.WARNING and "example" in finding.message
    (finding,) = scan("# the database answers on 10·1.2.3:5432", "deploy/notes.py")
    assert finding.severity is Severity.WARNING
    (finding,) = scan('DB = "10·1.7.3:5432"')
    assert finding.severity is Severity.ERROR


def test_one_finding_per_host_and_rule_on_a_line() -> None:
    findings = scan('URLS = ["http://10·1.2.3/a", "http://10·1.2.3/b", "http://10·1.2.4/"]')
    assert sorted(f.message.split()[2] for f in findings) == [live("10·1.2.3"), live("10·1.2.4")]


def test_fingerprint_is_stable_and_keyed_on_the_host() -> None:
    first = scan('A = "http://10·1.2.3/a"', "x.py")[0]
    second = scan('B = "http://10·1.2.3/b"', "x.py", start=40)[0]
    assert first.fingerprint == second.fingerprint and first.value_key == second.value_key


def test_binary_and_empty_changes_have_no_findings() -> None:
    change = FileChange(path="x.bin", status="A", is_binary=True, added=(AddedLine(1, live("http://10·1.2.3/")),))
    assert list(internal_urls.scan_file(change, internal_urls.options({}))) == []


def test_a_change_without_candidates_costs_almost_nothing() -> None:
    lines = tuple(AddedLine(i, f"    value_{i} = compute(item, {i}) + offset  # step {i}") for i in range(1, 50_001))
    change = FileChange(path="big.py", status="A", added=lines)
    opts = internal_urls.options({"domains": [ZONE]})
    started = time.perf_counter()
    assert list(internal_urls.scan_file(change, opts)) == []
    assert time.perf_counter() - started < 0.5  # ~3 MB: one join and one search


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[internal-urls]\ndomains = ["https://corp.example.com"]', "domains holds 'https://corp.example.com'"),
        ('[internal-urls]\ndomains = "corp.example.com"', "domains must be a list of strings"),
        ('[internal-urls]\nallow = ["10.0.0.0/33"]', "allow holds '10.0.0.0/33'"),  # not an address
        ('[internal-urls]\nallow = ["host name"]', "allow holds 'host name'"),
    ],
)
def test_policy_keys_are_validated(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse(text, "x.toml")
    assert needle in str(error.value)


def test_policy_accepts_zones_and_allow_entries() -> None:
    policy = '[internal-urls]\ndomains = ["*.Corp.Example.com", "example.internal"]\nallow = ["10·20.0.0/16", "fd00⁚⁚/8", "*.lab.example.com"]\n'
    config = parse(live(policy), "x.toml")
    assert config.warnings == ()
    opts = internal_urls.options(config.table("internal-urls"))
    assert opts.domains == ("corp.example.com", "example.internal")


def test_a_host_deep_in_a_long_line_is_shown_around_it() -> None:
    password = tokens.rand(15)
    line = "x = 1; " * 20_000 + f'DSN = "postgres://app:{password}@10·1.2.3:5432/db"; ' + "y = 2; " * 20_000
    (finding,) = scan(line, path="app.js")
    assert live("10·1.2.3") in finding.excerpt and len(finding.excerpt) <= 200
    assert password not in finding.excerpt and finding.excerpt.startswith("…") and finding.excerpt.endswith("…")


def test_a_name_longer_than_dns_allows_is_shortened_in_the_message() -> None:
    host = "a." * 5_000 + "corp.acme-payments.io"
    (finding,) = scan(f'API = "https://{host}/x"')
    assert finding.rule == "internal-domain" and len(finding.message) < 400


# -- where hosts are samples (issue 14: real code) ---------------------------------------------


@pytest.mark.parametrize(
    ("path", "context"),
    [
        ("tests/test_url.py", "test"),
        ("pkg/x/x_test.go", "test"),
        ("dotnet/src/Connectors.UnitTests/Services/ChatTests.cs", "test"),
        ("dotnet/src/Connectors.UnitTests/TestData/response.json", "test"),
        ("python/integration_tests/cases.py", "test"),
        ("web/e2e/login.ts", "test"),
        ("docs/deployment/docker.md", "documentation"),
        ("README.md", "documentation"),
        ("docs/plugins/conversion_table.py", "documentation"),
        ("examples/client.py", "documentation"),
        ("site/index.html", "documentation"),
        ("recordings/session.yaml", "sample"),
        ("captures/login.har", "sample"),
        ("pkg/analyzer/jira/result_output.json", "sample"),
        ("config/app.example.yaml", "sample"),
        (".env.sample", "sample"),
        ("deploy/values.dist.yml", "sample"),
        ("src/app/settings.py", ""),
        ("src/app/response.py", ""),  # code named for what it handles, not a recording
        ("infra/outputs.tf", ""),  # configuration, not a recording
        ("deploy/values.yaml", ""),
        (".env", ""),
        ("src/latest/contest.py", ""),
        ("requirements-dev.txt", ""),  # a build's configuration, not a document
        ("requirements/base.txt", ""),
        ("docs/requirements.txt", ""),
        ("CMakeLists.txt", ""),
    ],
)
def test_file_context(path: str, context: str) -> None:
    from contribution_gate.checks.internal_urls.context import file_context
    from contribution_gate.checks.textkinds import kind_of

    assert file_context(path, kind_of(path)) == context


@pytest.mark.parametrize(
    ("path", "text", "rule", "severity"),
    [
        ("src/app.py", 'DB = "10·1.7.3:5432"', "private-address", Severity.ERROR),
        ("src/app.py", 'DB = "10·1.2.3:5432"', "private-address", Severity.WARNING),  # counted up: an example
        ("src/app.py", 'API = "https://api·internal/v1"', "internal-tld", Severity.ERROR),
        ("tests/test_app.py", 'API = "https://api·internal/v1"', "internal-tld", Severity.WARNING),
        ("tests/test_app.py", 'API = "https://api.corp.acme-payments.io/v1"', "internal-domain", Severity.ERROR),
        ("docs/setup.md", "Open http://10·1.2.3:8080/ in a browser.", "private-address", Severity.WARNING),
        ("docs/setup.md", "See https://wiki.corp.acme-payments.io/x.", "internal-domain", Severity.ERROR),
        ("src/app.py", "# grafana: http://10·1.2.3:3000/", "private-address", Severity.WARNING),
        ("src/app.py", 'IMDS = "http://169·254.169.254/latest/api/token"', "cloud-metadata", Severity.WARNING),
        ("config/app.example.yaml", "host: 10·1.2.3", "private-address", Severity.WARNING),
        ("config/app.yaml", "host: 10·1.7.3", "private-address", Severity.ERROR),
        ("src/proxy.py", 'MOUNTS = {"all://10·1.0.0/16": None}', "private-network", Severity.WARNING),
    ],
)
def test_severity_follows_the_place(path: str, text: str, rule: str, severity: Severity) -> None:
    (finding,) = scan(text, path)
    assert (finding.rule, finding.severity) == (rule, severity)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("tests/test_url.py", 'assert parse("git+http:/⁄git/repo")'),
        ("tests/test_url.py", 'url = "http:/⁄evil/steal"'),
        ("src/app.py", 'url = "https:/⁄fake-random-test-host:123"'),
        ("src/app.py", 'store = Chroma("https:/⁄chroma-endpoint")'),
        ("src/app.py", 'client.get("http:/⁄docker/info")'),
        ("src/app.py", 'url = URL("https:/⁄exam le.com/")'),
        ("src/app.py", 'URL = "http:/⁄xn--6qqa088eba/"'),
        ("tests/test_utils.py", '({"no_proxy": "192·168.0.0/16"}, {"all://192·168.0.0/16": None}),'),
        ("icons/logo.svg", '<path d="M10·11.86.39 12 2"/>'),
        ("icons/logo.svg", "10·11.86.39 12.5 3"),
        ("icons/logo.svg", "-4.2,10·11.86.39"),
        ("icons/logo.svg", '<polygon points="10·11.86.39 1,2"/>'),
        ("res/drawable/ic.xml", '<path android:pathData="M12,2,10·11.86.39,4"/>'),
        ("web/Icon.tsx", '<path d="M12,2,10·11.86.39,4" />'),
        ("web/icon.js", '  d: "M12,2,10·11.86.39,4",'),
        ("etc/hosts.txt", "10·11.86.39 12.5 3"),
        ("web/page.html", "10·11.86.39 12.5 3 L 4 4"),
        ("src/app.py", 'rv = client.get("/", "http://www.localhost·localdomain:3000/")'),
        ("src/deps.py", "new Constraint('>=', '10·0.0.0'),"),
        ("src/nets.py", 'FIRST = "192·168.0.0"'),
    ],
)
def test_stand_ins_cut_hosts_ranges_and_coordinates_are_not_findings(path: str, text: str) -> None:
    assert scan(text, path) == []


def test_a_drawing_still_names_a_host_among_words() -> None:
    (finding,) = scan('<text x="4" y="8">db01 10·20.30.40:5432</text>', "art/network.svg")
    assert finding.rule == "private-address"
    assert [f.rule for f in scan('<a href="http://10·20.30.40/">x</a>', "art/network.svg")] == ["private-address"]
    assert [f.rule for f in scan("wiki = 'http:/⁄wiki/Runbooks'")] == ["intranet-host"]  # a real dotless name
