"""The secrets check against hostile contributions, through the installed command on real
repositories (issue 13): lines that made it backtrack, passphrases with spaces, detect-secrets'
families on long lines, large files, and tokens outside file contents (a file's name, a commit's
author, committer and message). No report format may carry a secret past its first 4 characters."""

from __future__ import annotations

import string
import time
from typing import TYPE_CHECKING

import pytest
import tokens
from tokens import rand

from contribution_gate.checks.secrets.lines import OVERLAP, WINDOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import GitRepo
    from processes import Run

FORMATS = ("text", "json", "sarif", "markdown", "github")
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
LOWER_DIGITS = string.ascii_lowercase + string.digits


def _letters(n: int) -> str:
    return rand(n, "abcdefghijklmnopqrstuvwyz")


def assert_never_shown(outputs: list[str], *values: str) -> None:
    """No 8-character piece of any value in any output (a mask keeps at most its first 4)."""
    for value in values:
        for output in outputs:
            assert not [p for p in tokens.secret_fragments(value, 8) if p in output], value[:4]


def every_format(gate_cmd: Callable[..., Run], root: object, *args: str) -> list[Run]:
    return [gate_cmd("review", *args, "--format", fmt, "-v", "-C", root) for fmt in FORMATS]


# -- item 1: no backtracking ------------------------------------------------------------------


@pytest.mark.parametrize("letters", [40, 60])
def test_the_55_byte_password_line_is_scanned_at_once(
    based_repo: GitRepo, gate_cmd: Callable[..., Run], letters: int
) -> None:
    """`password = "` + 40 lower-case letters + `B"` took about 2^40 steps (2x per letter)."""
    based_repo.add("settings.py", 'password = "' + _letters(letters) + 'B"\n')
    started = time.monotonic()
    run = gate_cmd("review", "--staged", "--check", "secrets", "-C", based_repo.root)
    assert run.code in (0, 1), run.output
    assert time.monotonic() - started < 60


def test_a_megabyte_of_hostile_lines_is_scanned_at_once(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    """1 MB of lines built to make each pattern family backtrack, in one file and one long line."""
    unit = (
        'password = "' + _letters(40) + 'B" ibm key' + " " * 300 + "token.secret.key."
        'jdbc:a:x;password=&wandb co_api co sk-proj-xoxb-1-eyJa.badge.svg?token=AccountKey="AKC '
    )
    long_line = (unit * (600_000 // len(unit) + 1))[:600_000]
    lines = "\n".join([unit] * (400_000 // len(unit)))
    based_repo.add("data/min.js", long_line + "\n" + lines + "\n")
    started = time.monotonic()
    run = gate_cmd("review", "--staged", "--check", "secrets", "-C", based_repo.root)
    assert run.code in (0, 1), run.output
    assert time.monotonic() - started < 100  # measured: 5 to 10 s


# -- item 2: a quoted value with spaces ---------------------------------------------------------


def test_a_passphrase_under_a_secret_name_fails_and_no_word_of_it_is_shown(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    phrase = f"s3cr3t pa55 w0rd-{rand(6)} {rand(4)}!{rand(4)}"
    based_repo.add("app/settings.py", f'DB_PASSWORD = "{phrase}"\n')
    runs = every_format(gate_cmd, based_repo.root, "--staged", "--check", "secrets")
    assert all(run.code == 1 for run in runs), runs[0].output
    assert "generic-secret" in runs[0].output
    for run in runs:
        for word in phrase.split():
            assert word not in run.output, (word, run.output)


def test_prose_under_a_secret_name_passes(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    based_repo.add(
        "app/forms.py",
        'password = "Enter your password"\nPASSWORD_HELP = "At least 12 chars, 1 digit"\ntoken = "OAuth2 bearer token"\n',
    )
    run = gate_cmd("review", "--staged", "--check", "secrets", "-C", based_repo.root)
    assert run.code == 0, run.output


# -- item 3: every detect-secrets family on long lines ------------------------------------------


def _plugin_samples() -> dict[str, tuple[str, str]]:
    """A line each detect-secrets family finds, and the secret in it."""
    values = {
        "artifactory-token": "AKC" + rand(70),
        "azure-storage-key": rand(86, ALNUM + "+/") + "==",
        "ibm-cloud-iam-key": rand(44, ALNUM + "_-"),
        "ibm-cos-hmac": rand(48, HEX),
        "softlayer-credentials": rand(64, LOWER_DIGITS),
        "square-oauth-secret": "sq0" + "csp-" + rand(43),
        "telegram-bot-token": rand(9, string.digits) + ":AA" + rand(33),
        "twilio-key": "AC" + rand(32, LOWER_DIGITS),
        "cloudant-credentials": rand(64, HEX),
    }
    lines = {
        "artifactory-token": 'artifactory: "{}"',
        "azure-storage-key": "AccountName=acme;AccountKey={};",
        "ibm-cloud-iam-key": 'ibm_cloud_iam_key = "{}"',
        "ibm-cos-hmac": 'cos_hmac_secret_access_key = "{}"',
        "softlayer-credentials": 'softlayer_api_key = "{}"',
        "square-oauth-secret": "square: {}",
        "telegram-bot-token": "telegram: {}",
        "twilio-key": "twilio: {}",
        "cloudant-credentials": 'cloudant_password = "{}"',
    }
    return {name: (lines[name].format(value), value) for name, value in values.items()}


def _rules(run: Run) -> list[str]:
    return sorted(f["rule"] for f in run.json()["findings"])


def test_every_detector_finds_its_tokens_on_long_lines_and_across_window_edges(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    """Each family (our rules and detect-secrets' plugins) on a short line, then in a 300 KB line
    deep inside it and straddling the edges of the windows the line is read in: the same findings."""
    samples = _plugin_samples()
    for rule, build in tokens.BUILDERS.items():
        value = build()
        samples[rule] = (f"key: {value}", value)
    based_repo.add("short.txt", "\n".join(line for line, _ in samples.values()) + "\n")
    short = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    expected = _rules(short)
    assert len(expected) == len(samples), expected
    based_repo.git("rm", "-q", "--cached", "short.txt")
    filler = "var a=1;" * (300_000 // 8)
    edges = [WINDOW - 20, 2 * WINDOW - 3, 3 * WINDOW + OVERLAP - 10, 4 * WINDOW - OVERLAP + 5, 150_000]
    long_lines = []
    for n, (sample, _) in enumerate(samples.values()):
        at = edges[n % len(edges)]
        long_lines.append(filler[:at] + " " + sample + " " + filler[at:])
    based_repo.add("dist/app.min.js", "\n".join(long_lines) + "\n")
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert _rules(run) == expected
    assert_never_shown([run.output], *(value for _, value in samples.values()))


# -- item 4: large files ------------------------------------------------------------------------


def test_a_file_past_the_old_limit_is_scanned_to_its_end(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    secret = tokens.github_token()
    filler = "".join(f"row {i}: nothing to see here\n" for i in range(110_000))  # ~3 MiB
    based_repo.add("data/export.csv", filler + f"token,{secret}\n")
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    assert run.code == 1
    (finding,) = run.json()["findings"]
    assert (finding["rule"], finding["line"]) == ("github-token", 110_001)


def test_text_past_max_file_size_is_a_warning_naming_why(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": "[secrets]\nmax-file-size = 1048576\n"})
    first, last = tokens.github_token(), tokens.github_token()
    filler = "x" * 60 + "\n"
    based_repo.add("data/dump.txt", f"a = {first}\n" + filler * 40_000 + f"b = {last}\n")  # ~2.4 MiB
    run = gate_cmd("review", "--staged", "--check", "secrets", "--format", "json", "-C", based_repo.root)
    found = {f["rule"]: f for f in run.json()["findings"]}
    assert set(found) == {"github-token", "file-too-large"}
    assert found["github-token"]["line"] == 1
    assert found["file-too-large"]["severity"] == "warning"
    assert "max-file-size" in found["file-too-large"]["message"]


# -- item 5: file names and commit metadata -----------------------------------------------------


def test_tokens_in_a_file_name_and_in_a_commit_are_found_and_never_shown(
    based_repo: GitRepo, gate_cmd: Callable[..., Run]
) -> None:
    in_name, in_author, in_committer, in_message = (tokens.github_token() for _ in range(4))
    in_email = tokens.npm_token()
    base = based_repo.sha()
    based_repo.add(f"backups/dump-{in_name}.sql", "select 1;\n")
    env = {
        "GIT_AUTHOR_NAME": f"Build {in_author}",
        "GIT_COMMITTER_NAME": f"CI {in_committer}",
        "GIT_COMMITTER_EMAIL": f"{in_email}@ci.acme.io",
    }
    based_repo.git("commit", "-q", "--no-verify", "-m", f"Add dump\n\nuploaded with {in_message}", env=env)
    runs = every_format(gate_cmd, based_repo.root, "--range", f"{base}..HEAD", "--check", "secrets")
    assert all(run.code == 1 for run in runs), runs[0].output
    messages = [f["message"] for f in runs[1].json()["findings"]]
    for place in ("name of an added file", "author name", "committer name", "committer email", "message of commit"):
        assert any(place in m for m in messages), (place, messages)
    assert_never_shown([run.output for run in runs], in_name, in_author, in_committer, in_message, in_email)


def test_a_renamed_file_gets_its_new_name_scanned(based_repo: GitRepo, gate_cmd: Callable[..., Run]) -> None:
    secret = tokens.github_token()
    based_repo.commit_files("add", {"notes.txt": "nothing\n"})
    base = based_repo.sha()
    based_repo.mv("notes.txt", f"notes-{secret}.txt")
    based_repo.commit("rename")
    run = gate_cmd(
        "review", "--range", f"{base}..HEAD", "--check", "secrets", "--format", "json", "-C", based_repo.root
    )
    assert run.code == 1
    assert [f["rule"] for f in run.json()["findings"]] == ["github-token"]
    assert_never_shown([run.output], secret)
