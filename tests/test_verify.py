"""`--verify` (issue 15, "Is it live?") through the command on real git repositories, against
local stand-ins for each provider (tests/fake_providers.py) that answer in the documented shapes.

A live credential is `live` and an error that says to rotate it now; a revoked one `revoked` and a
warning; whatever gets no clear answer (timeout, refused connection, budget, redirect, no verifier)
`unknown` at its offline severity. Nothing is asked without the flag (or the trusted policy's
`verify = true` for the review command), a suppressed finding is never sent, a policy cannot say
where tokens go, and no output ever holds a token.
"""

from __future__ import annotations

import json
import socket
import string
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import fake_providers as fp
import pytest
import tokens
from tokens import rand

if TYPE_CHECKING:
    from conftest import GitRepo
    from processes import Run

FORMATS = ("text", "json", "sarif", "markdown", "github", "gitlab", "junit")


def aws_secret() -> str:
    return rand(40, string.ascii_letters.replace("x", "").replace("X", "") + string.digits + "/+")


def aws_file(key_id: str, secret: str) -> str:
    return f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"\n'


def _line(key: str, value: str) -> str:
    """An assignment under the provider's name (the name-based rules need it: Mistral, Cohere)."""
    return f'{key.upper()}_TOKEN = "{value}"\n'


MAKERS: dict[str, Callable[[], str]] = {
    "github": tokens.github_token,
    "gitlab": tokens.BUILDERS["gitlab-token"],
    "slack": tokens.BUILDERS["slack-token"],
    "openai": tokens.openai_key,
    "anthropic": tokens.anthropic_key,
    "huggingface": tokens.huggingface_token,
    "npm": tokens.npm_token,
    "stripe": tokens.BUILDERS["stripe-key"],
    "google": tokens.google_api_key,
    "groq": tokens.groq_key,
    "mistral": lambda: rand(32),
    "xai": tokens.BUILDERS["xai-api-key"],
    "openrouter": tokens.BUILDERS["openrouter-api-key"],
    "replicate": tokens.BUILDERS["replicate-api-token"],
    "sendgrid": tokens.BUILDERS["sendgrid-key"],
    "cohere": lambda: rand(40),
    "discord": tokens.discord_token,
    "airtable": lambda: "pat" + rand(14) + "." + rand(64, "0123456789abcdef"),
    "terraform": lambda: rand(14) + ".atlas" + "v1." + rand(66, string.ascii_letters.replace("x", "") + string.digits),
}

# Where each provider documents the credential: (header, how its value starts).
AUTH_SHAPE = {
    "gitlab": ("private-token", ""),
    "anthropic": ("x-api-key", ""),
    "google": ("x-goog-api-key", ""),
    "discord": ("authorization", "Bot "),
}


def findings(run: Run) -> list[dict[str, Any]]:
    assert run.code in (0, 1), run.err
    return [f for f in json.loads(run.out)["findings"] if f["check"] == "secrets"]


def by_validity(run: Run) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for f in findings(run):
        grouped.setdefault(f.get("validity", ""), []).append(f)
    return grouped


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every verifier pointed at a closed local port: a test that forgets a stand-in asks nobody."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    for key in [*fp.APIS, "xai"]:
        monkeypatch.setenv(fp.variable(key), f"http://127.0.0.1:{port}")
    yield


def assert_never_shown(outputs: list[str], *values: str) -> None:
    for value in values:
        for output in outputs:
            assert not [p for p in tokens.secret_fragments(value, 8) if p in output], value[:4]


# -- every provider: live is live/error, revoked is revoked/warning, the call is the documented one ------


@pytest.mark.parametrize("key", sorted(MAKERS))
def test_each_provider_live_and_revoked(
    key: str, based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    live, revoked = MAKERS[key](), MAKERS[key]()
    based_repo.add("app/settings.py", _line(key, live) + "\n\n" + _line(key, revoked))
    with fp.serve(key, {live}) as stand:
        monkeypatch.setenv(fp.variable(key), stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    grouped = by_validity(run)
    assert [f["severity"] for f in grouped["live"]] == ["error"], grouped
    assert [f["severity"] for f in grouped["revoked"]] == ["warning"], grouped
    assert "rotate it now" in grouped["live"][0]["message"]
    assert "remove it anyway" in grouped["revoked"][0]["message"]
    assert run.code == 1
    api = fp.APIS[key]
    assert {(s.method, s.path) for s in stand.seen} == {(api.method, api.path)}
    assert len(stand.seen) == 2
    header, scheme = AUTH_SHAPE.get(key, ("authorization", "Bearer "))
    sent = sorted(s.headers.get(header, "") for s in stand.seen)
    expected = sorted(scheme + v for v in (live, revoked))
    assert sent == expected
    for seen in stand.seen:  # the credential travels in its header only: never in the URL
        assert live not in seen.path and revoked not in seen.path
    if key == "anthropic":
        assert {s.headers.get("anthropic-version") for s in stand.seen} == {"2023-06-01"}
    assert_never_shown([run.out, run.err], live, revoked)


def test_aws_pair_is_signed_and_the_secret_never_sent(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    live_id, dead_id = tokens.BUILDERS["aws-access-key"](), tokens.BUILDERS["aws-access-key"]()
    live_secret, dead_secret = aws_secret(), aws_secret()
    based_repo.add("deploy/live.cfg", aws_file(live_id, live_secret))
    based_repo.add("deploy/old.cfg", aws_file(dead_id, dead_secret))
    with fp.serve("aws", {live_id}) as stand:
        monkeypatch.setenv(fp.variable("aws"), stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    got = {(f["path"], f["rule"]): (f.get("validity"), f["severity"]) for f in findings(run)}
    assert got[("deploy/live.cfg", "aws-access-key")] == ("live", "error")
    assert got[("deploy/live.cfg", "aws-secret-key")] == ("live", "error")
    assert got[("deploy/old.cfg", "aws-access-key")] == ("revoked", "warning")
    assert got[("deploy/old.cfg", "aws-secret-key")] == ("revoked", "warning")
    assert len(stand.seen) == 2
    for seen in stand.seen:
        assert seen.method == "POST" and seen.path == "/"
        assert seen.headers["content-type"].startswith("application/x-www-form-urlencoded")
        assert seen.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=")
        assert live_secret not in json.dumps(seen.headers) + seen.body.decode()
        assert dead_secret not in json.dumps(seen.headers) + seen.body.decode()


def test_a_key_id_alone_is_not_sent(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    key_id = tokens.BUILDERS["aws-access-key"]()
    based_repo.add("deploy/only.cfg", f'aws_access_key_id = "{key_id}"\n')
    with fp.serve("aws", {key_id}) as stand:
        monkeypatch.setenv(fp.variable("aws"), stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    (finding,) = findings(run)
    assert finding["validity"] == "unknown" and finding["severity"] == "error"
    assert "secret key was not found" in finding["message"]
    assert stand.seen == []


# -- the done-when case, through the installed command in every format ------------------------------


def test_installed_command_reports_live_and_revoked_in_every_format(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    live, revoked = tokens.github_token(), tokens.github_token()
    based_repo.add("src/config.py", f'A = "{live}"\n\nB = "{revoked}"\n')
    based_repo.commit("add config")
    with fp.serve("github", {live}) as stand:
        env = {"GITHUB_API_URL": stand.url}
        runs = {
            fmt: gate_cmd(
                "review", "--range", "HEAD~1..HEAD", "--verify", "--format", fmt, cwd=based_repo.root, env=env
            )
            for fmt in FORMATS
        }
    assert {run.code for run in runs.values()} == {1}
    grouped = by_validity(runs["json"])
    assert [f["severity"] for f in grouped["live"]] == ["error"]
    assert [f["severity"] for f in grouped["revoked"]] == ["warning"]
    results = json.loads(runs["sarif"].out)["runs"][0]["results"]
    assert sorted((r["level"], r["properties"]["validity"]) for r in results) == [
        ("error", "live"),
        ("warning", "revoked"),
    ]
    gitlab = json.loads(runs["gitlab"].out)
    assert sorted((i["severity"], "LIVE" in i["description"]) for i in gitlab) == [("critical", True), ("minor", False)]
    for fmt in ("text", "markdown", "github", "junit"):
        flat = " ".join(runs[fmt].out.split())
        assert "LIVE: GitHub accepted it" in flat and "rotate it now" in flat, fmt
        assert "revoked: GitHub refused it" in flat, fmt
    assert_never_shown([r.out + r.err for r in runs.values()], live, revoked)


# -- bounds -------------------------------------------------------------------------------------------


def test_a_server_that_never_answers_is_unknown_within_the_timeout(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    token = tokens.openai_key()
    based_repo.add("app.py", f'KEY = "{token}"\n')
    based_repo.add(".contribution-gate.toml", "[secrets]\nverify-timeout = 0.5\nverify-budget = 20\n")
    with fp.serve("openai", {token}, hang=True) as stand:
        monkeypatch.setenv(fp.variable("openai"), stand.url)
        started = time.monotonic()
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
        elapsed = time.monotonic() - started
    (finding,) = findings(run)
    assert finding["validity"] == "unknown" and finding["severity"] == "error"
    assert "timed out" in finding["message"]
    assert elapsed < 10  # a 0.5 s timeout, with a generous margin
    checks = {c["name"]: c for c in json.loads(run.out)["checks"]}
    assert checks["secrets"]["seconds"] >= 0.4  # the wait is the secrets check's time (-v shows it)
    assert run.code == 1


def test_the_total_budget_bounds_every_request_together(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    values = [tokens.openai_key() for _ in range(6)]
    based_repo.add("app.py", "".join(f'KEY{i} = "{v}"\n\n' for i, v in enumerate(values)))
    based_repo.add(
        ".contribution-gate.toml", "[secrets]\nverify-timeout = 30\nverify-budget = 1\nverify-concurrency = 2\n"
    )
    with fp.serve("openai", set(values), hang=True) as stand:
        monkeypatch.setenv(fp.variable("openai"), stand.url)
        started = time.monotonic()
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
        elapsed = time.monotonic() - started
    found = findings(run)
    assert len(found) == 6 and {f["validity"] for f in found} == {"unknown"}
    assert all(f["severity"] == "error" for f in found)
    assert any("verification budget of 1 s" in f["message"] for f in found)
    assert elapsed < 15  # the budget (1 s), not 6 x 30 s of timeouts
    assert len(stand.seen) <= 2  # only two were ever in flight


def test_concurrency_limit_is_respected(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    values = [tokens.github_token() for _ in range(8)]
    based_repo.add("app.py", "".join(f'T{i} = "{v}"\n\n' for i, v in enumerate(values)))
    based_repo.add(".contribution-gate.toml", "[secrets]\nverify-concurrency = 3\n")
    with fp.serve("github", set(values), delay=0.2) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    assert {f["validity"] for f in findings(run)} == {"live"}
    assert len(stand.seen) == 8
    assert 1 <= stand.most_in_flight <= 3


def test_refused_connection_and_5xx_keep_the_offline_severity(
    based_repo: GitRepo, gate: Callable[..., Run], no_network: None
) -> None:
    token = tokens.github_token()
    based_repo.add("app.py", f'T = "{token}"\n')
    run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    (finding,) = findings(run)
    assert finding["validity"] == "unknown" and finding["severity"] == "error"
    assert "no answer" in finding["message"]
    assert_never_shown([run.out, run.err], token)


def test_a_redirect_is_not_followed(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    """A provider (or something in its place) that redirects never gets the token sent on."""
    token = tokens.huggingface_token()
    based_repo.add("app.py", f'T = "{token}"\n')
    with fp.serve("huggingface", {token}) as elsewhere:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Redirect(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(302)
                self.send_header("Location", elsewhere.url + "/api/whoami-v2")
                self.send_header("Content-Length", "0")
                self.end_headers()

        server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            monkeypatch.setenv(fp.variable("huggingface"), f"http://127.0.0.1:{server.server_address[1]}")
            run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
        finally:
            server.shutdown()
            server.server_close()
    (finding,) = findings(run)
    assert finding["validity"] == "unknown" and "302" in finding["message"]
    assert elsewhere.seen == []


# -- when it runs, and for what ---------------------------------------------------------------------


def test_nothing_is_asked_without_the_flag(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.github_token()
    based_repo.add("app.py", f'T = "{token}"\n')
    with fp.serve("github", {token}) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
        hooked = gate("hook", "--format", "json", "-C", based_repo.root)
    assert stand.seen == []
    assert all("validity" not in f for f in findings(run))
    assert run.code == 1 and hooked.code == 1


def test_policy_turns_it_on_for_review_but_not_for_the_hook(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.github_token()
    based_repo.add(".contribution-gate.toml", "[secrets]\nverify = true\n")
    based_repo.add("app.py", f'T = "{token}"\n')
    with fp.serve("github", set()) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        hooked = gate("hook", "--format", "json", "-C", based_repo.root)
        assert stand.seen == []  # the pre-commit hook never asks unless told to
        asked = gate("hook", "--verify", "--format", "json", "-C", based_repo.root)
        assert len(stand.seen) == 1
        reviewed = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
        assert len(stand.seen) == 2
        gate("review", "--staged", "--no-verify", "--format", "json", "-C", based_repo.root)
        assert len(stand.seen) == 2
    assert all("validity" not in f for f in findings(hooked))
    assert [f["validity"] for f in findings(asked)] == ["revoked"]
    assert [f["validity"] for f in findings(reviewed)] == ["revoked"]
    assert reviewed.code == 0  # a revoked token is a warning


def test_ci_range_verifies_with_the_base_policy(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": "[secrets]\nverify = true\n"})
    base = based_repo.sha()
    token = tokens.npm_token()
    based_repo.commit_files("add", {"ci/.npmrc-token.txt": f"token {token}\n"})
    with fp.serve("npm", {token}) as stand:
        monkeypatch.setenv(fp.variable("npm"), stand.url)
        monkeypatch.setenv("CI", "true")
        run = gate("review", "--range", f"{base}..HEAD", "--format", "json", "-C", based_repo.root)
    assert [(f["validity"], f["severity"]) for f in findings(run)] == [("live", "error")]
    assert run.code == 1


def test_a_suppressed_finding_is_never_sent(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    marked, counted = tokens.github_token(), tokens.github_token()
    based_repo.add("app.py", f'A = "{marked}"  # pragma: allowlist secret\n\nB = "{counted}"\n')
    with fp.serve("github", {marked, counted}) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    assert [s.headers["authorization"] for s in stand.seen] == [f"Bearer {counted}"]
    got = sorted((f["suppressed"], f.get("validity")) for f in findings(run))
    assert got == [(False, "live"), (True, None)]


def test_copies_of_one_token_are_asked_once(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.github_token()
    based_repo.add("a.py", f'A = "{token}"\n')
    based_repo.add("b.py", f'B = "{token}"\n')
    with fp.serve("github", {token}) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    assert len(stand.seen) == 1
    assert [f["validity"] for f in findings(run)] == ["live", "live"]


def test_no_verifier_is_unknown_at_the_offline_severity(
    based_repo: GitRepo, gate: Callable[..., Run], no_network: None
) -> None:
    pypi = tokens.BUILDERS["pypi-token"]()
    based_repo.add("app.py", f'T = "{pypi}"\n')
    run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    (finding,) = findings(run)
    assert finding["validity"] == "unknown" and finding["severity"] == "error"
    assert "no verifier" in finding["message"]


# -- where tokens may go ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "policy",
    [
        '[secrets]\nverify = true\nverify-github-url = "{url}"\n',
        '[secrets]\nverify-url = "{url}"\n',
        '[secrets.verify]\ngithub = "{url}"\n',
    ],
)
def test_a_policy_cannot_send_tokens_to_its_own_server(
    policy: str, based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = tokens.github_token()
    with fp.serve("github", {token}) as attacker, fp.serve("github", {token}) as github:
        based_repo.add(".contribution-gate.toml", policy.format(url=attacker.url))
        based_repo.add("app.py", f'T = "{token}"\n')
        monkeypatch.setenv("GITHUB_API_URL", github.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    assert attacker.seen == []
    assert len(github.seen) == 1
    assert "never from a policy" in " ".join(run.err.split())
    assert any("never from a policy" in w for w in json.loads(run.out)["warnings"])


def test_a_malformed_base_url_is_a_one_line_error(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    based_repo.add("app.py", f'T = "{tokens.openai_key()}"\n')
    monkeypatch.setenv(fp.variable("openai"), "ftp://example.invalid/?key=1")
    run = gate("review", "--staged", "--verify", "-C", based_repo.root)
    assert run.code == 2
    assert "CONTRIBUTION_GATE_VERIFY_OPENAI_URL" in run.err and "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1


# -- what the user sees while waiting ----------------------------------------------------------------


def test_waiting_is_shown_on_a_terminal_and_erased(based_repo: GitRepo, gate_command: list[str]) -> None:
    import os
    import pty
    import subprocess

    token = tokens.github_token()
    based_repo.add("app.py", f'T = "{token}"\n')
    with fp.serve("github", {token}, delay=0.3) as stand:
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [*gate_command, "review", "--staged", "--verify", "--format", "json", "-C", str(based_repo.root)],
            stdout=subprocess.PIPE,
            stderr=slave,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GITHUB_API_URL": stand.url, "TERM": "dumb"},
        )
        os.close(slave)
        out, _ = proc.communicate(timeout=120)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 1
    assert "asking providers whether found credentials are live: 0 of 1 answered" in err
    assert err.endswith("\r\x1b[K")  # the line is erased once every provider answered
    assert token[8:] not in err
    assert [f["validity"] for f in json.loads(out)["findings"]] == ["live"]


def test_nothing_on_stderr_when_it_is_not_a_terminal(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    token = tokens.github_token()
    based_repo.add("app.py", f'T = "{token}"\n')
    with fp.serve("github", {token}) as stand:
        run = gate_cmd("review", "--staged", "--verify", cwd=based_repo.root, env={"GITHUB_API_URL": stand.url})
    assert run.code == 1 and run.err == ""


def test_baseline_create_never_asks(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`baseline create` records what is there; the policy's `verify = true` is for reviews."""
    token = tokens.github_token()
    based_repo.commit_files(
        "add", {".contribution-gate.toml": "[secrets]\nverify = true\n", "app.py": f'T = "{token}"\n'}
    )
    with fp.serve("github", {token}) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        created = gate("baseline", "create", "-C", based_repo.root)
    assert created.code == 0, created
    assert stand.seen == []


def test_a_server_that_drips_its_answer_is_cut_by_the_budget(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """One byte every 0.2 s never trips a read timeout; the total budget still ends the wait, and
    the process exits with its verdict (a worker stuck reading cannot hold it)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    stop = threading.Event()

    class Drip(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            while not stop.is_set():
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                stop.wait(0.2)

    token = tokens.openai_key()
    based_repo.add("app.py", f'KEY = "{token}"\n')
    based_repo.add(".contribution-gate.toml", "[secrets]\nverify-timeout = 1\nverify-budget = 2\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        run = gate_cmd(
            "review",
            "--staged",
            "--verify",
            "--format",
            "json",
            cwd=based_repo.root,
            env={fp.variable("openai"): f"http://127.0.0.1:{server.server_address[1]}"},
        )
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    (finding,) = findings(run)
    assert finding["validity"] == "unknown" and finding["severity"] == "error"
    assert "budget of 2 s" in finding["message"]
    assert elapsed < 30  # 2 s of budget plus start-up, with a wide margin


def test_a_note_about_the_file_gets_no_validity(
    based_repo: GitRepo, gate: Callable[..., Run], no_network: None
) -> None:
    """Only findings about a value are asked about: `file-too-large` says nothing of a credential."""
    based_repo.add(".contribution-gate.toml", "[secrets]\nmax-file-size = 20\n")
    based_repo.add("big.txt", "x = 1\n" * 20 + f'T = "{tokens.github_token()}"\n')
    run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    found = findings(run)
    assert {f["rule"] for f in found} == {"file-too-large"}
    assert [f for f in found if "validity" in f] == []


def test_a_change_full_of_tokens_cannot_flood_a_provider(
    based_repo: GitRepo, gate: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    values = [tokens.github_token() for _ in range(27)]
    based_repo.add("many.py", "".join(f'T{i} = "{v}"\n\n' for i, v in enumerate(values)))
    with fp.serve("github", set()) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        run = gate("review", "--staged", "--verify", "--format", "json", "-C", based_repo.root)
    assert len(stand.seen) == 25
    found = findings(run)
    assert sorted(f["validity"] for f in found) == ["revoked"] * 25 + ["unknown"] * 2
    assert all("over the limit of 25" in f["message"] for f in found if f["validity"] == "unknown")


def test_the_review_holds_no_found_value(based_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The value travels inside a finding only until providers are asked; the review drops it."""
    from contribution_gate.session import choose, run

    token = tokens.github_token()
    based_repo.add("app.py", f'T = "{token}"\n')
    with fp.serve("github", {token}) as stand:
        monkeypatch.setenv("GITHUB_API_URL", stand.url)
        for verify in (True, False):
            review = run(based_repo.root, choose(True, None, False), verify=verify).review
            assert [j.finding.validity for j in review.judged] == (["live"] if verify else [""])
            assert all(j.finding.secret is None for j in review.judged)
            assert token not in repr(review)
