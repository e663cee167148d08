"""What the gate prints and writes, through the installed command on real repositories: no planted
credential in any field of any format, no workflow command under GitHub Actions, no control
character reaching a terminal, and SARIF that GitHub code scanning takes.

Outputs are read as bytes (a text-mode pipe would turn a CR into a newline and hide it).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import hidden_cases
import pytest
import tokens
from sarif_rules import github_upload_problems
from workflow_commands import command_lines, runner_commands

if TYPE_CHECKING:
    from conftest import GitRepo

FORMATS = ("text", "json", "sarif", "markdown", "github")


def private_url(last: int) -> str:
    """A line naming a private address (an internal-urls finding), built so this file holds none."""
    return f'URL = "http://{".".join(("10", "1", "7", str(last)))}/"\n'


DCO_POLICY = '[cla]\nmode = "dco"\n'


class Outputs:
    """One run of the installed command: exit code, stdout, stderr, and the files it wrote."""

    def __init__(self, code: int, out: bytes, err: bytes, files: dict[str, str]) -> None:
        self.code, self.out, self.err, self.files = code, out.decode("utf-8"), err.decode("utf-8"), files

    @property
    def everything(self) -> str:
        return "\n".join([self.out, self.err, *self.files.values()])


Runner = Callable[..., Outputs]


@pytest.fixture
def run(gate_command: list[str], tmp_path: Path) -> Runner:
    """`run(*args, actions=False, reports=())`: the installed command, optionally as a GitHub
    Actions step (summary and output files), optionally writing other formats with --report."""

    def go(*args: str | Path, actions: bool = False, reports: tuple[str, ...] = ()) -> Outputs:
        out_dir = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}"
        out_dir.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        extra = [f"--report={fmt}:{out_dir / ('report.' + fmt)}" for fmt in reports]
        if actions:
            env |= {
                "GITHUB_ACTIONS": "true",
                "GITHUB_STEP_SUMMARY": str(out_dir / "summary.md"),
                "GITHUB_OUTPUT": str(out_dir / "output.txt"),
            }
        proc = subprocess.run(
            [*gate_command, *map(str, args), *extra], capture_output=True, env=env, timeout=120, check=False
        )
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(out_dir.iterdir())}
        return Outputs(proc.returncode, proc.stdout, proc.stderr, files)

    return go


def fragments(secret: str) -> set[str]:
    """Pieces of a token's random body (its first 10 characters may be a public prefix)."""
    return tokens.secret_fragments(secret[10:], 8)


def assert_nowhere(secrets: dict[str, str], text: str) -> None:
    leaks = {where: piece for where, secret in secrets.items() for piece in fragments(secret) if piece in text}
    assert not leaks, leaks


# -- 1. every field that can carry contribution text is redacted, in every format ------------------


@pytest.fixture
def planted(based_repo: GitRepo) -> tuple[GitRepo, dict[str, str]]:
    """A range whose one commit plants a token in: a file name (glued to a suffix) and another file
    name, the author's name, the author's email, a sign-off in the message and its subject, and an
    added line. Other findings name those files (internal addresses) and the commit (DCO)."""
    secrets = {
        "path": tokens.github_token(),
        "path2": tokens.BUILDERS["stripe-key"](),
        "author name": tokens.openai_key(),
        "author email": tokens.npm_token(),
        "sign-off": tokens.anthropic_key(),
        "subject": tokens.groq_key(),
        "excerpt": tokens.huggingface_token(),
    }
    based_repo.commit_files("policy", {".contribution-gate.toml": DCO_POLICY})
    based_repo.add(f"keys/{secrets['path']}-old.py", private_url(3))
    based_repo.add(f"deploy/{secrets['path2']}.env", private_url(4))
    based_repo.add("src/client.py", tokens.secret_line("HF_TOKEN", secrets["excerpt"]))
    message = f"deploy with {secrets['subject']}\n\nSigned-off-by: Bot {secrets['sign-off']} <bot@example.com>\n"
    based_repo.git(
        "commit",
        "-q",
        "--no-verify",
        "-m",
        message,
        env={
            "GIT_AUTHOR_NAME": f"Dev {secrets['author name']}",
            "GIT_AUTHOR_EMAIL": f"{secrets['author email']}@ex.org",
        },
    )
    return based_repo, secrets


def test_planted_tokens_reach_no_format(planted: tuple[GitRepo, dict[str, str]], run: Runner) -> None:
    repo, secrets = planted
    for fmt in FORMATS:
        others = tuple(f for f in FORMATS if f != fmt)
        result = run(
            "review", "--range", "HEAD~1..HEAD", "-C", repo.root, "--format", fmt, actions=True, reports=others
        )
        assert result.code == 1, result.err
        assert set(result.files) >= {"summary.md", "output.txt", *(f"report.{f}" for f in others)}
        assert_nowhere(secrets, result.everything)
    report = json.loads(result.files["report.json"])
    rules = {(f["check"], f["rule"]) for f in report["findings"]}
    assert {("internal-urls", "private-address"), ("cla", "wrong-signoff"), ("secrets", "huggingface-token")} <= rules
    paths = {f["path"] for f in report["findings"]}
    assert f"keys/{secrets['path'][:4]}****-old.py" in paths  # masked, the rest of the name kept
    (dco,) = [f for f in report["findings"] if f["rule"] == "wrong-signoff"]
    assert "****" in dco["message"] and "Dev sk-p****" in dco["message"]


def test_tokens_in_errors_and_warnings_are_masked(based_repo: GitRepo, run: Runner, tmp_path: Path) -> None:
    ref, key = tokens.BUILDERS["gitlab-token"](), tokens.github_token()
    bad_ref = run("review", "--range", f"{ref}..HEAD", "-C", based_repo.root, actions=True)
    assert bad_ref.code == 2 and len(bad_ref.err.splitlines()) == 1, bad_ref.err
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[checks]\n"{key}" = 1\n', encoding="utf-8")
    warned = run("review", "--all-files", "--config", policy, "-C", based_repo.root, "--format", "json")
    assert warned.code == 0 and "unknown key" in warned.err
    assert_nowhere({"ref": ref, "policy key": key}, bad_ref.everything + warned.everything)


# -- 2. nothing the gate prints under GitHub Actions is a workflow command -------------------------

INJECTED = "x\n::stop-commands::pwned\n  ::add-mask::m\r::set-output name=a::b ##[error]legacy"


@pytest.fixture
def injecting(based_repo: GitRepo, tmp_path: Path) -> tuple[GitRepo, Path]:
    """A policy key, file names and an added line that each try to start workflow commands."""
    policy = tmp_path / "policy.toml"
    policy.write_text(f"[checks]\n{json.dumps(INJECTED)} = 1\n", encoding="utf-8")  # a TOML basic string
    based_repo.add("a\r::add-mask::x.py", private_url(3))
    based_repo.add("##[error]b.py", private_url(4).replace("\n", "  # ::error::c\n"))
    based_repo.add("  ::warning::c.py", private_url(5))
    based_repo.commit("inject")
    return based_repo, policy


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_line_is_a_workflow_command_under_actions(injecting: tuple[GitRepo, Path], run: Runner, fmt: str) -> None:
    repo, policy = injecting
    result = run(
        "review", "--range", "HEAD~1..HEAD", "--config", policy, "-C", repo.root, "--format", fmt, actions=True
    )
    assert result.code == 1, result.err
    assert "\r" not in result.out + result.err
    assert "stop-commands::pwned" in result.err  # the warning is there, escaped, on one line
    assert len([line for line in result.err.splitlines() if "warning:" in line]) == 1
    assert command_lines(result.err) == []
    if fmt == "github":  # our annotations, group and stop-commands block, nothing else
        commands = runner_commands(result.out)
        assert {c.name for c in commands} <= {"error", "warning", "notice", "group", "endgroup"}
        files = {c.properties.get("file") for c in commands if c.name == "error"}
        assert {"a\\r::add-mask::x.py", "##[error]b.py", "  ::warning::c.py"} <= files
    else:
        assert command_lines(result.out) == []


def test_errors_under_actions_are_no_commands(based_repo: GitRepo, run: Runner) -> None:
    result = run("review", "--range", "a\n::add-mask::b\r::error::c..HEAD", "-C", based_repo.root, actions=True)
    assert result.code == 2 and len(result.err.splitlines()) == 1, result.err
    assert command_lines(result.out + result.err) == []


# -- 3. control characters are shown, not acted on ---------------------------------------------------

RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\u2066", "\u200b", "\x00")
HOSTILE_NAMES = (
    "e\x1b[31mred\x1b[0m.py",
    "o\x1b]8;;mailto:x@evil.example\x07link\x1b]8;;\x07.py",
    "r\rfake.py",
    "c\x9b2Jclear.py",
    "bidi\u202ecod.exe.py",
    "iso\u2066late\u2069d.py",
    "zero\u200bwidth.py",
    "t\x1b]0;title\x1b\\.py",
)
LEGIT_NAMES = ("données/日本語 ✓.py", "emoji/👩‍💻.py", "فارسی/می‌خواهم.py")  # ZWJ and ZWNJ are kept


@pytest.fixture
def escaping(based_repo: GitRepo) -> GitRepo:
    for name in HOSTILE_NAMES + LEGIT_NAMES:
        based_repo.add(name, private_url(3))
    based_repo.commit("names")
    return based_repo


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "sarif"])
def test_control_characters_are_escaped_in_readable_formats(escaping: GitRepo, run: Runner, fmt: str) -> None:
    result = run("review", "--range", "HEAD~1..HEAD", "-C", escaping.root, "--format", fmt, reports=("markdown",))
    assert result.code == 1
    for text in (result.out, result.err, *result.files.values()):
        assert not [c for c in RAW if c in text], [c for c in RAW if c in text]
    if fmt != "sarif":
        assert "\\x1b[31mred\\x1b[0m" in result.out or "\\\\x1b[31mred\\\\x1b[0m" in result.out
        for name in LEGIT_NAMES:
            assert name in result.out, name


def test_json_keeps_exact_names_with_escapes_only(escaping: GitRepo, run: Runner) -> None:
    result = run("review", "--range", "HEAD~1..HEAD", "-C", escaping.root, "--format", "json")
    assert not [c for c in RAW if c in result.out]
    paths = {f["path"] for f in json.loads(result.out)["findings"]}
    assert set(HOSTILE_NAMES + LEGIT_NAMES) <= paths


# -- 4. SARIF that code scanning takes, commit-level findings included --------------------------------


def test_sarif_of_a_commit_level_finding_meets_githubs_upload_rules(based_repo: GitRepo, run: Runner) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": DCO_POLICY})
    based_repo.add("model.bin", b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x8c\x06system\x93.")
    unsigned = based_repo.commit("no sign-off")
    result = run("review", "--range", "HEAD~1..HEAD", "-C", based_repo.root, "--format", "sarif")
    assert result.code == 1, result.err
    log = json.loads(result.out)
    assert github_upload_problems(log) == []
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    dco = by_rule["cla/missing-signoff"]
    assert dco["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": f".git/commits/{unsigned}", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert dco["properties"] == {"commit": unsigned} and unsigned[:12] in dco["message"]["text"]
    whole_file = [r for r in log["runs"][0]["results"] if r["ruleId"].startswith("models/")]
    assert whole_file and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in whole_file)


# -- 5. hidden credentials: encoded and decoded values, and member paths, in every format ----------

ALL_FORMATS = (*FORMATS, "gitlab", "junit")


def test_encoded_and_archived_tokens_reach_no_format_and_members_are_named(based_repo: GitRepo, run: Runner) -> None:
    """A token base64-, percent- and hex-encoded, in a zip's `conf/.env`, a notebook's output and a
    docx: no format shows 8 characters of a token or of its encoded form (an internal address on
    the same lines makes another check's excerpt show them too), and every format names the member
    (`bundle.zip!conf/.env:2`) and the encoding."""
    token = {way: tokens.github_token() for way in hidden_cases.WAYS}
    files = hidden_cases.hidden_files(token)
    files["app/links.txt"] = str(files["app/links.txt"]).rstrip("\n") + " " + private_url(9)
    for path, data in files.items():
        based_repo.add(path, data)
    based_repo.commit("hidden tokens")
    encoded = {
        "base64 form": hidden_cases.b64(token["base64"]),
        "percent form": hidden_cases.percent(token["percent"]),
        "hex form": hidden_cases.hexed(token["hex"]),
    }
    for fmt in ALL_FORMATS:
        others = tuple(f for f in ALL_FORMATS if f != fmt)
        result = run(
            "review", "--range", "HEAD~1..HEAD", "-C", based_repo.root, "--format", fmt, actions=True, reports=others
        )
        assert result.code == 1, result.err
        assert_nowhere(token, result.everything)
        leaks = {
            w: p for w, form in encoded.items() for p in tokens.secret_fragments(form[4:], 8) if p in result.everything
        }
        assert not leaks, leaks
        for name, text in {"stdout": result.out, **result.files}.items():
            if name in ("output.txt",):
                continue
            flat = " ".join(text.replace("\\n", " ").replace("\\!", "!").split())  # Markdown escapes `!`
            assert "bundle.zip!conf/.env:2" in flat, (fmt, name)
            assert "encoded: hex" in flat, (fmt, name)
    sarif = json.loads(result.files["report.sarif"])
    assert github_upload_problems(sarif) == []
    (member,) = [r for r in sarif["runs"][0]["results"] if "bundle.zip!" in r["message"]["text"]]
    assert member["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bundle.zip"
