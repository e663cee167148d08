"""The terminal report through the installed command on real repositories: every line fits the
width (COLUMNS, else the terminal's, else 80), the verdict comes first, the excerpt of a minified
line is the part around the finding with a caret under its column, timings only with -v."""

from __future__ import annotations

import os
import pty
import re
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest
import samples
import tokens
import wcwidth

from contribution_gate.reporters import REPORTERS
from contribution_gate.review import CheckRun

if TYPE_CHECKING:
    from conftest import GitRepo, Run

GateCmd = Callable[..., "Run"]

ZONE = "corp.acme-payments.io"
POLICY = f'[internal-urls]\ndomains = ["{ZONE}"]\n'
DEEP = "src/" + "/".join(f"a_rather_long_directory_name_number_{i}" for i in range(5)) + "/settings_module.py"
WIDE = "docs/設定ファイルの説明書/日本語のとても長いファイル名の設定ファイル.py"
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def width(line: str) -> int:
    shown = _SGR.sub("", line)
    cells = wcwidth.wcswidth(shown)
    assert cells >= 0, f"a control character reached the terminal: {shown!r}"
    return cells


class Leaky(NamedTuple):
    root: Path
    token: str
    host: str
    minified: str


@pytest.fixture
def leaky(based_repo: GitRepo) -> Leaky:
    """A staged change with a long path, a long message, a wide-character path and a minified line
    holding a token and an internal host far from its start."""
    token = tokens.github_token()
    host = "build." + ZONE
    minified = (
        "var a=1;" * 700 + f'var t="{token}";' + "var b=2;" * 300 + f'fetch("https://{host}/x");' + "var c=3;" * 400
    )
    based_repo.commit_files("policy", {".contribution-gate.toml": POLICY})
    for path, text in {
        DEEP: tokens.secret_line("GITHUB_TOKEN", tokens.github_token()),
        WIDE: tokens.secret_line("TOKEN", tokens.github_token()),
        "web/app.min.js": minified + "\n",
    }.items():
        based_repo.add(path, text)
    return Leaky(based_repo.root, token, host, minified)


def run_unset_columns(gate_cmd: GateCmd, monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> Run:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    return gate_cmd(*args)


def test_every_line_fits_80_columns_when_not_a_terminal(
    leaky: Leaky, gate_cmd: GateCmd, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = run_unset_columns(gate_cmd, monkeypatch, "review", "--staged", "-C", leaky.root)
    assert run.code == 1, run
    lines = run.out.splitlines()
    assert [line for line in lines if width(line) > 80] == []
    assert len(lines) > 20
    joined = " ".join(run.out.split())
    assert DEEP.split("/")[-1] in joined and "日本語" in run.out  # the long and the wide paths are there, wrapped
    assert not [piece for piece in tokens.secret_fragments(leaky.token[4:], 8) if piece in run.out]


def test_the_verdict_comes_first_and_timings_only_with_verbose(
    leaky: Leaky, gate_cmd: GateCmd, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = run_unset_columns(gate_cmd, monkeypatch, "review", "--staged", "-C", leaky.root)
    lines = plain.out.splitlines()
    verdict = next(i for i, line in enumerate(lines) if line.startswith("FAIL: "))
    first_finding = next(i for i, line in enumerate(lines) if line.startswith("error ["))
    assert verdict < first_finding and verdict <= 2
    assert lines[-1].startswith("FAIL: ") or lines[-2].startswith("FAIL: ")  # and again at the end
    assert not re.search(r"\d\.\d\ds$", plain.out, re.MULTILINE) and "checks:" not in lines

    verbose = run_unset_columns(gate_cmd, monkeypatch, "review", "--staged", "-v", "-C", leaky.root)
    assert "checks:" in verbose.out.splitlines()
    assert re.search(r"^  secrets +fail +\d+ findings +\d+\.\d\ds$", verbose.out, re.MULTILINE)
    assert [line for line in verbose.out.splitlines() if width(line) > 80] == []


def test_a_minified_line_shows_the_part_holding_each_finding(
    leaky: Leaky, gate_cmd: GateCmd, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = run_unset_columns(gate_cmd, monkeypatch, "review", "--staged", "-C", leaky.root)
    lines = run.out.splitlines()
    for what, rule, shown in (
        (leaky.token, "secrets/github-token", leaky.token[:4] + "****"),
        (leaky.host, "internal-urls/internal-domain", leaky.host),
    ):
        column = leaky.minified.index(what) + 1
        head = next(i for i, line in enumerate(lines) if f"web/app.min.js:1:{column}" in line)
        assert rule in lines[head]
        excerpt = next(i for i in range(head, head + 6) if lines[i].startswith("    | ") and shown in lines[i])
        caret = lines[excerpt + 1]
        assert caret.strip() == "| ^" or caret.rstrip().endswith("^")
        assert caret.index("^") == lines[excerpt].index(shown)  # the caret is under the finding
        assert lines[excerpt].startswith("    | …") and lines[excerpt].endswith("…")  # a window of the line


def test_columns_set_the_width(leaky: Leaky, gate_cmd: GateCmd) -> None:
    narrow = gate_cmd("review", "--staged", "-C", leaky.root, env={"COLUMNS": "50"})
    assert narrow.code == 1
    assert [line for line in narrow.out.splitlines() if width(line) > 50] == []
    wide = gate_cmd("review", "--staged", "-C", leaky.root, env={"COLUMNS": "160"})
    assert max(map(width, wide.out.splitlines())) > 80
    assert [line for line in wide.out.splitlines() if width(line) > 160] == []


def test_a_terminal_s_own_width_is_used(leaky: Leaky, gate_command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS unset and stdout a terminal of 60 columns (a pseudo-terminal): the report fits 60."""
    monkeypatch.delenv("COLUMNS", raising=False)
    master, slave = pty.openpty()
    _set_size(slave, rows=40, cols=60)
    proc = subprocess.Popen(
        [*gate_command, "review", "--staged", "--no-color", "-C", str(leaky.root)],
        stdout=slave,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "TERM": "dumb"},
    )
    os.close(slave)
    out = _read_all(master)
    assert proc.wait(timeout=120) == 1
    lines = out.replace("\r\n", "\n").splitlines()
    assert any(line.startswith("FAIL: ") for line in lines)
    assert [line for line in lines if width(line) > 60] == []
    assert max(map(width, lines)) > 50  # it used the room it had


def _set_size(fd: int, rows: int, cols: int) -> None:
    import fcntl

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_file_report_fits_too(
    leaky: Leaky, gate_cmd: GateCmd, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = tmp_path / "gate.txt"
    run = run_unset_columns(
        gate_cmd, monkeypatch, "review", "--staged", "--report", f"text:{report}", "--format", "json", "-C", leaky.root
    )
    assert run.code == 1
    assert [line for line in report.read_text(encoding="utf-8").splitlines() if width(line) > 80] == []


HOSTILE = [
    "x" * 5000,  # one word longer than any line
    "日本語" * 300,  # wide characters, two columns each
    "a\u0301" * 400 + " e\u200d" * 300,  # combining marks and joiners: no width of their own
    "\x1b[2J\x1b]0;title\x07 \u202e reversed \r over",  # escapes, shown as text
    "word " * 2000,
    "/".join(["dir"] * 800) + "/file.py",
]


@pytest.mark.parametrize("columns", [20, 33, 80, 131])
def test_hostile_text_never_overflows(columns: int) -> None:
    findings = [
        samples.finding(path=text[:3000], message=f"found in {text}", excerpt=text[:200], column=7, excerpt_at=6)
        for text in HOSTILE
    ]
    crash = CheckRun("models", "error", 0, 0.1, "RuntimeError: " + HOSTILE[4])
    review = samples.review(findings, (crash, CheckRun("secrets", "fail", len(findings), 0.2)))
    out = REPORTERS["text"](review, width=columns, verbose=True)
    assert [line for line in out.splitlines() if width(line) > columns] == []
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out


def test_a_megabyte_message_is_laid_out_in_linear_time() -> None:
    def render(size: int) -> float:
        finding = samples.finding(message="m " * (size // 2), path="p/" * (size // 4))
        review = samples.review([finding], (CheckRun("secrets", "fail", 1, 0.1, None),))
        started = time.perf_counter()
        out = REPORTERS["text"](review, width=80)
        assert len(out) < 200_000  # a terminal gets a bounded part; the JSON report has it all
        return time.perf_counter() - started

    assert render(4 << 20) < 5.0  # about 0.1 s: a generous bound, never a hang
