"""The internal-urls check on the classes of false alarms measured on real repositories
(`benchmarks/real_repos.py`), through the installed command on real git repositories: without
zones, samples in tests, documentation, templates and recordings are at most warnings, cloud
metadata is a warning, stand-in names, cut hosts and drawing coordinates are no finding; ordinary
code and configuration still fail, and the organisation's zones fail everywhere.

Hosts are written with stand-ins that `live()` turns into the real characters at run time (a middle
dot for a dot, `/·/` for `//`), so the repository passes its own gate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]
ZONE = "corp·acme-payments.io"


def live(text: str) -> str:
    return text.replace("/·/", "//").replace("·", ".")


# (path, content, the (rule, severity) pairs its findings make); none of them fails a review
SAMPLES: list[tuple[str, str, set[tuple[str, str]]]] = [
    # single-label hosts in tests: stand-ins (`http://evil`, `http://git`), no finding
    (
        "tests/test_client.py",
        'BASE = "http:/·/test-server:8080"\nEVIL = "http:/·/evil/steal"\nGIT = "git+http:/·/git/repo"\n',
        set(),
    ),
    ("dotnet/Client.UnitTests/ClientTests.cs", 'var u = new Uri("https:/·/fake-random-test-host:123");\n', set()),
    # ... and names that describe a stand-in, anywhere
    ("src/plugins/chroma.py", 'store = Chroma("https:/·/chroma-endpoint")\n', set()),
    # private addresses in tests: an SSRF guard's cases, a no_proxy range (a range itself: nothing)
    (
        "tests/test_ssrf.py",
        'BLOCKED = ["http://10·0.0.1/", "http://192·168.1.1/", "http://100·64.0.1/"]\n',
        {("private-address", "warning"), ("shared-address", "warning")},
    ),
    ("tests/test_utils.py", '    ({"no_proxy": "192·168.0.0/16"}, {"all://192·168.0.0/16": None}),\n', set()),
    # URL-parser test data
    (
        "tests/models/whatwg.json",
        '[\n  {\n    "input": "http://192·168.0.1/",\n    "href": "http://192·168.0.1/"\n  }\n]\n',
        {("private-address", "warning")},
    ),
    # documentation: a docker-machine address in a tutorial, a URL in a docstring, a README
    (
        "docs/deployment/docker.md",
        "Open http://192·168.99.100/items/5 in your browser.\n",
        {("private-address", "warning")},
    ),
    (
        "src/urls.py",
        'def host():\n    """The host.\n\n    >>> URL("https://[::ffff:192·168.0.1]").host\n    """\n',
        {("private-address", "warning")},
    ),
    ("README.md", "Mail the author at <me@laptop·local>.\n", {("internal-tld", "warning")}),
    # `.internal` / `.local` sample hosts in tests
    (
        "tests/unit_tests/test_proxies.py",
        'session.proxies = {"https": "http://proxy·internal:8080"}\n',
        {("internal-tld", "warning")},
    ),
    # cloud metadata: a no_proxy list in a test, an SDK's auth code that calls it
    ("tests/test_proxy_config.py", 'no_proxy=["metadata.google·internal"]\n', {("cloud-metadata", "warning")}),
    (
        "src/sdk/auth/imds.py",
        'IMDS = "http://169·254.169.254/metadata/identity/oauth2/token"\n',
        {("cloud-metadata", "warning")},
    ),
    # recorded data: a cassette's response header, another company's audit record
    (
        "tests/cassettes/test_tracing.yaml",
        "    headers:\n      x-envoy-upstream-host:\n      - tasks·internal:8081\n",
        {("internal-tld", "warning")},
    ),
    (
        "pkg/analyzer/jira/result_output.json",
        '{\n  "RemoteAddress": "10·20.110.172"\n}\n',
        {("private-address", "warning")},
    ),
    # templates
    ("config/app.example.yaml", "db:\n  host: 10·20.30.40\n", {("private-address", "warning")}),
    # vendored third-party code, an API description's examples, a Go project's `integration/` suite,
    # the addresses old commits were made from (moby)
    (
        "vendor/github.com/acme/swarm/allocator/allocator_suite.go",
        'gw := "10·0.0.1"\ncfg := Config{Host: "10·1.0.1"}\n',
        {("private-address", "warning")},
    ),
    ("api/swagger.yaml", '        example:\n          Addr: "10·0.0.46:2377"\n', {("private-address", "warning")}),
    (
        "integration/internal/network/dns.go",
        'const dnsAddr = "10·11.12.13"\nvar c = Config{Host: dnsAddr}\n',
        {("private-address", "warning")},
    ),
    (".mailmap", "Ada Builder <ada@example·org> <ada@10·0.2.15>\n", {("private-address", "warning")}),
    # settings commented out in configuration (a stock redis.conf, an optional variable)
    ("deploy/redis.conf", "# Examples:\n#\n# bind 192·168.1.100 10·0.0.1\n", {("private-address", "warning")}),
    (
        "deploy/agent.yaml",
        "        env:\n#        - name: COLLECTOR   #OPTIONAL - on-prem install only\n#          value: 192·168.183.200\n",
        set(),
    ),
    # a log: the addresses of whoever was seen (awesome-compose's sample nginx log)
    ("elk/logstash/nginx.log", '{"remote_ip": "10·16.62.10", "status": 200}\n', {("private-address", "warning")}),
    # a compose stack's own network: the address it gives a container, and that address elsewhere
    # in the file; a network named by its first address; a router's and VirtualBox's defaults
    (
        "pihole/compose.yaml",
        "services:\n  dns:\n    networks:\n      dns-net:\n        ipv4_address: 172·20.0.2\n"
        "  pihole:\n    environment:\n      - PIHOLE_DNS_=172·20.0.2#5054\n",
        {("private-address", "warning")},
    ),
    (
        "wireguard/compose.yaml",
        "    environment:\n      - INTERNAL_SUBNET=10·13.13.0 #optional\n",
        {("private-network", "warning")},
    ),
    ("pihole/.env", "# the FRITZ!Box default\nPIHOLE_ROUTER_IP=192·168.178.1\n", {("private-address", "warning")}),
    ("volumes/iscsi.yaml", "    iscsi:\n      targetPortal: 10·0.2.15:3260\n", {("private-address", "warning")}),
    # a Helm chart's test values (chart-testing's `ci/`); an address made up by counting
    ("charts/blackbox/ci/hostAliases.yml", "hostAliases:\n  - ip: 192·168.1.2\n", {("private-address", "warning")}),
    ("charts/modbus/values.yaml", "targets:\n  - 10·1.2.3:502\n", {("private-address", "warning")}),
    # the "my own address" idiom: a UDP socket connected to a private range's broadcast address
    ("plugins/callback/logdna.py", 's.connect(("10·255.255.255", 1))\n', set()),
    # a host cut at a space: no host `exam`
    ("src/check.py", 'url = URL("https:/·/exam le.com/")\n', set()),
    # numbers of vector graphics
    ("assets/logo.svg", '<svg>\n<path d="M10·11.86.39 12 2"/>\n<path d="M 4 4\n10·11.86.39 12.5 3"/>\n</svg>\n', set()),
    ("app/res/drawable/ic_logo.xml", '<path android:pathData="M12,2,10·11.86.39,4"/>\n', set()),
    ("web/Icon.tsx", 'export const I = () => <path d="M12,2,10·11.86.39,4" />;\n', set()),
]

# ordinary code and configuration: what is internal on its face, where a host is used, fails
ERRORS: list[tuple[str, str, str]] = [
    ("src/settings.py", 'PROXY = "http://proxy·internal:8080"\n', "internal-tld"),
    ("deploy/values.yaml", "db:\n  host: 10·8.0.15\n", "private-address"),
    (".env", "DATABASE_URL=postgres://app@10·1.7.3:5432/app\n", "private-address"),
    ("src/Client.cs", 'var api = new Uri("http://172·20.1.5:8080/v1");\n', "private-address"),
    ("requirements.txt", "--index-url http://10·1.7.3/simple\nrequests==2.32.3\n", "private-address"),
    # a comment after a value hides nothing; a compose file's other hosts are hosts
    ("deploy/db.yaml", "db:\n  host: 10·8.0.16  # the primary\n", "private-address"),
    ("stack/compose.yaml", "    environment:\n      - DB_HOST=10·8.0.17\n", "private-address"),
]


def review(gate: Gate, repo: GitRepo, *target: str) -> tuple[int, dict[str, Any]]:
    run = gate("review", *target, "--check", "internal-urls", "--format", "json", "-C", repo.root)
    assert run.code in (0, 1), run.output
    return run.code, run.json()


def by_path(data: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for f in data["findings"]:
        found.setdefault(f["path"], set()).add((f["rule"], f["severity"]))
    return found


def test_samples_of_every_measured_class_do_not_fail_a_review(repo: GitRepo, gate_cmd: Gate) -> None:
    repo.commit_files("Samples", {path: live(text) for path, text, _ in SAMPLES})
    code, data = review(gate_cmd, repo, "--all-files")
    found = by_path(data)
    assert {path: found.get(path, set()) for path, _, _ in SAMPLES} == {path: rules for path, _, rules in SAMPLES}
    assert (code, data["verdict"]) == (0, "pass")


def test_every_file_of_a_repository_of_examples_is_example_code(
    tmp_path: Path, make_repo: Callable[[Path], GitRepo], gate: Gate
) -> None:
    """`kubernetes/examples`: its manifests' addresses are samples for readers to replace; a
    repository not named for examples keeps them errors (its zones would stay errors anyway)."""
    manifest = live("spec:\n  rbd:\n    monitors:\n    - 10·16.154.78:6789\n")
    verdicts = {}
    for name in ("k8s-examples", "payments"):
        repo = make_repo(tmp_path / name)
        repo.commit_files("Volumes", {"volumes/rbd/rbd.yaml": manifest})
        _, data = review(gate, repo, "--all-files")
        verdicts[name] = [(f["severity"], "a repository of examples" in f["message"]) for f in data["findings"]]
    assert verdicts == {"k8s-examples": [("warning", True)], "payments": [("error", False)]}


def test_a_demoted_finding_says_why(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("tests/test_ssrf.py", live('BLOCKED = ["http://10·0.0.1/"]\n'))
    based_repo.add("docs/setup.md", live("Open http://10·0.0.2/ in a browser.\n"))
    based_repo.add("src/app.py", live("# the dashboards: http://10·0.0.3:3000/\nX = 1\n"))
    based_repo.add("fixtures.example.json", live('{"host": "10·0.0.4"}\n'))
    _, data = review(gate, based_repo, "--staged")
    messages = {f["path"]: f["message"] for f in data["findings"]}
    assert "in a test (a sample value?)" in messages["tests/test_ssrf.py"]
    assert "in documentation or example code" in messages["docs/setup.md"]
    assert "in documentation text (an example?)" in messages["src/app.py"]
    assert "in sample or recorded data" in messages["fixtures.example.json"]


def test_ordinary_code_and_configuration_still_fail(based_repo: GitRepo, gate: Gate) -> None:
    for path, text, _ in ERRORS:
        based_repo.add(path, live(text))
    code, data = review(gate, based_repo, "--staged")
    assert (code, data["verdict"]) == (1, "fail")
    assert by_path(data) == {path: {(rule, "error")} for path, _, rule in ERRORS}


def test_the_zones_fail_everywhere_tests_documentation_and_recordings_included(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("Policy", {".contribution-gate.toml": live(f'[internal-urls]\ndomains = ["{ZONE}"]\n')})
    url = live(f"https://jenkins.{ZONE}/job/deploy")
    places = {
        "tests/test_ci.py": f'CI = "{url}"\n',
        "docs/ci.md": f"The builds run on {url}.\n",
        "src/ci.py": f"# builds: {url}\nX = 1\n",
        "tests/cassettes/ci.yaml": f"    uri: {url}\n",
        "config/ci.example.yaml": f"ci: {url}\n",
        "assets/ci.svg": f'<svg><a href="{url}"><path d="M10.11.86.39 1 2"/></a></svg>\n',
    }
    for path, text in places.items():
        based_repo.add(path, text)
    code, data = review(gate, based_repo, "--staged")
    assert code == 1
    assert by_path(data) == dict.fromkeys(places, {("internal-domain", "error")})


def test_a_drawing_keeps_the_hosts_it_names(based_repo: GitRepo, gate: Gate) -> None:
    """Coordinates are not addresses, but a diagram's label or link still names its hosts."""
    based_repo.add(
        "art/network.svg",
        live('<svg>\n<path d="M 4 4 10·11.86.39 2"/>\n<text x="4" y="8">db 10·20.30.40:5432</text>\n</svg>\n'),
    )
    code, data = review(gate, based_repo, "--staged")
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("private-address", 3)]
