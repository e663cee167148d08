"""The guard on stdout and stderr (cli.streams), whatever writes to them and however it splits its
writes; and the commands of other modules (here `baseline audit`, `licenses`) go through it too."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from workflow_commands import command_lines

from contribution_gate.cli.streams import GuardedStream, guarded_output, permit, unguarded

if TYPE_CHECKING:
    from conftest import GitRepo


def undo(out: str) -> str:
    """The output with the guard's escapes taken back: nothing may be lost."""
    out = out.replace("\\::", "::").replace("##\\[", "##[")
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), out)


def written(workflow: bool, *chunks: str, flush_between: bool = True) -> str:
    raw = io.StringIO()
    stream = GuardedStream(raw, workflow)
    for chunk in chunks:
        stream.write(chunk)
        if flush_between:
            stream.flush()
    stream.close_line()
    return raw.getvalue()


@pytest.mark.parametrize(
    "chunks",
    [
        (":", ":stop-commands::x\n"),
        ("  ", "::add-mask::x\n"),
        ("ok\n ", ":", ":error::x"),
        ("##", "[error]x\n"),
        ("#", "#[error]x\n"),
        ("a\r::set-output name=x::y\n",),
        ("a\x0b::b::c\n", "\u2028::debug::x\n"),
    ],
)
def test_no_split_write_makes_a_command(chunks: tuple[str, ...]) -> None:
    for flush in (True, False):
        out = written(True, *chunks, flush_between=flush)
        assert command_lines(out) == [], out
        assert (
            out.replace("\\", "").replace("u000d", "\r").replace("u000b", "\x0b").replace("u2028", "\u2028")
            == ("".join(chunks))
            or "\\" in out
        )


def test_plain_lines_pass_unchanged_and_partial_lines_are_not_lost() -> None:
    assert written(True, "contribution-gate: FAIL: 1 error\n", "tail") == "contribution-gate: FAIL: 1 error\ntail"
    assert written(False, "::error::x\n") == "::error::x\n"  # only a runner reads commands


def test_control_characters_are_escaped_outside_actions_too() -> None:
    assert written(False, "a\x1b[2Jb\rc\u202ed\n") == "a\\u001b[2Jb\\u000dc\\u202ed\n"


def test_permit_lets_our_commands_and_colours_through_only() -> None:
    raw = io.StringIO()
    stream = GuardedStream(raw, workflow=True)
    saved = sys.stdout
    sys.stdout = stream  # type: ignore[assignment]
    try:
        with permit(commands=True):
            print("::error file=a.py::x")
        with permit(styled=True):
            print("\x1b[31;1mFAIL\x1b[0m \x1b]0;title\x07")
        print("::error::not ours")
    finally:
        sys.stdout = saved
        stream.close_line()
    assert raw.getvalue().splitlines() == [
        "::error file=a.py::x",
        "\x1b[31;1mFAIL\x1b[0m \\u001b]0;title\\u0007",
        "\\::error::not ours",
    ]


def test_guarded_output_wraps_once_and_restores() -> None:
    before = sys.stdout, sys.stderr
    with guarded_output({"GITHUB_ACTIONS": "true"}):
        first = sys.stdout
        assert isinstance(first, GuardedStream) and first.workflow
        assert unguarded(first) is before[0]
        with guarded_output({}):
            assert sys.stdout is first
    assert (sys.stdout, sys.stderr) == before


def test_other_commands_output_is_guarded_too(based_repo: GitRepo, gate_command: list[str], tmp_path: Path) -> None:
    """`licenses` prints file names; under Actions none of its lines is a command, no control
    character reaches the terminal, and its JSON stays valid."""
    import os
    import subprocess

    based_repo.add("x\r::add-mask::y\x1b[2J/a.py", "# SPDX-License-Identifier: GPL-3.0-only\n")
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    for fmt in ("text", "json"):
        proc = subprocess.run(
            [*gate_command, "licenses", "--staged", "--format", fmt, "-C", str(based_repo.root)],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        out = proc.stdout.decode() + proc.stderr.decode()
        assert "\r" not in out and "\x1b" not in out
        assert command_lines(out) == []
        if fmt == "json" and proc.stdout.strip():
            json.loads(proc.stdout)


def test_the_commit_msg_hook_masks_a_token_in_the_author_name(based_repo: GitRepo, gate_command: list[str]) -> None:
    """`check-commit-msg` names the author it expects a sign-off from: masked like every line."""
    import os
    import subprocess

    import tokens

    secret = tokens.github_token()
    based_repo.add(".contribution-gate.toml", '[cla]\nmode = "dco"\n')  # staged: the policy being committed
    message = based_repo.write("MSG", "change\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": f"Dev {secret}", "GITHUB_ACTIONS": "true"}
    proc = subprocess.run(
        [*gate_command, "check-commit-msg", str(message)],
        capture_output=True,
        cwd=based_repo.root,
        env=env,
        timeout=120,
        check=False,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "no DCO sign-off by Dev ghp_****" in err, err
    assert secret[4:] not in err and not [p for p in tokens.secret_fragments(secret[10:], 8) if p in err]
