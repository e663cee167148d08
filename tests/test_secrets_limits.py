"""Large and hostile input, and the never-leak rule across every report format."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import tokens
from tokens import rand

from contribution_gate.checks import secrets
from contribution_gate.model import AddedLine, FileChange

ADVERSARIAL = {
    "one character": "a" * 1_000_000,
    "assignment prefixes": "password=" * 110_000,
    "token prefixes": ("sk-" + "proj-") * 100_000,
    "url shapes": "https://u:" * 100_000,
    "secret words and dots": "token.secret.key." * 60_000,
    "quotes and colons": "'key': '" * 120_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_a_one_megabyte_hostile_line_finishes(name: str) -> None:
    """No rule backtracks catastrophically: each line is scanned well inside the timeout."""
    script = textwrap.dedent(
        f"""
        from contribution_gate.checks import secrets
        from contribution_gate.model import AddedLine, FileChange
        from test_secrets_limits import ADVERSARIAL
        line = ADVERSARIAL[{name!r}]
        change = FileChange(path="min.js", status="A", added=(AddedLine(1, line),))
        list(secrets.scan_file(change, secrets.Options()))
        """
    )
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60, cwd=tests_dir, env={"PYTHONPATH": tests_dir})


def test_a_secret_deep_in_a_minified_line_is_found_and_shown_around() -> None:
    secret = tokens.openai_key()
    line = "var a=1;" * 5_000 + f'var k="{secret}";' + "var b=2;" * 5_000
    (finding,) = secrets.scan_file(
        FileChange(path="app.min.js", status="A", added=(AddedLine(1, line),)), secrets.Options()
    )
    assert finding.rule == "openai-api-key"
    assert "sk-p****" in finding.excerpt and len(finding.excerpt) < 400


def test_text_past_the_size_limit_is_not_read_and_a_warning_says_so() -> None:
    """What fits under `max-file-size` is scanned; the rest gets a warning, not a silent pass."""
    added = tuple(AddedLine(i, tokens.openai_key()) for i in range(1, 4))
    change = FileChange(path="data.txt", status="A", added=added)
    found = list(secrets.scan_file(change, secrets.options({"max-file-size": 120})))
    assert [f.rule for f in found] == ["openai-api-key", "file-too-large"]
    assert (found[0].line, found[1].severity.value) == (1, "warning")
    assert "max-file-size" in found[1].message and "max-file-size" in found[1].remediation
    assert len(list(secrets.scan_file(change, secrets.options({})))) == 3


def test_no_format_carries_any_positive(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    """Every token format, added at once: no report format holds more than 4 characters of any."""
    planted = {rule: build() for rule, build in tokens.BUILDERS.items()}
    planted["url-password"] = rand(16)
    files = {f"leaks/{rule}.env": f"VALUE={value}\n" for rule, value in planted.items() if rule != "url-password"}
    files["leaks/db.env"] = f"DATABASE_URL=postgres://app:{planted['url-password']}@db.acme.io/app\n"
    for path, content in files.items():
        based_repo.add(path, content)
    outputs = []
    for fmt in ("text", "json", "sarif", "markdown", "github"):
        run = gate("review", "--staged", "--format", fmt, "-v", "-C", based_repo.root)
        assert run.code == 1, (fmt, run)
        outputs.append(run.output)
    rules = {
        f["rule"] for f in gate("review", "--staged", "--format", "json", "-C", based_repo.root).json()["findings"]
    }
    assert set(tokens.BUILDERS) <= rules
    for value in planted.values():
        for output in outputs:
            assert not [piece for piece in tokens.secret_fragments(value, 8) if piece in output], value[:4]


@pytest.mark.parametrize("kind", ["openai", "twilio", "jwt"])
def test_a_token_is_found_once_at_every_offset_across_a_window_edge(kind: str) -> None:
    """Windows overlap: a token starting anywhere from well before an edge to past it is found
    exactly once, by the same rule as on a short line, and masked."""
    from contribution_gate.checks.secrets.lines import OVERLAP, WINDOW

    token = {
        "openai": tokens.openai_key(),
        "twilio": "AC" + rand(32, "abcdefghijkmnopqrstuvwyz0123456789"),
        "jwt": tokens.jwt(),
    }[kind]
    sample = f"twilio {token}" if kind == "twilio" else token
    (expected,) = secrets.scan_file(
        FileChange(path="a.js", status="A", added=(AddedLine(1, sample),)), secrets.Options()
    )
    for edge in (WINDOW, 2 * WINDOW + OVERLAP):
        for at in range(edge - len(sample) - 3, edge + 4):
            line = "a" * at + " " + sample + " " + "b" * (3 * WINDOW)
            found = list(
                secrets.scan_file(FileChange(path="a.js", status="A", added=(AddedLine(1, line),)), secrets.Options())
            )
            assert [f.rule for f in found] == [expected.rule], at
            assert token[4:] not in found[0].excerpt


def test_a_keyword_anywhere_on_a_long_line_enables_its_detectors_in_every_window() -> None:
    """`twilio` at the start of a minified line and its key 300 KB on: found, as on a short line."""
    key = "AC" + rand(32, "abcdefghijkmnopqrstuvwyz0123456789")
    line = "var twilio=require('twilio');" + "var a=1;" * 40_000 + f"var sid='{key}';"
    (finding,) = secrets.scan_file(
        FileChange(path="app.min.js", status="A", added=(AddedLine(1, line),)), secrets.Options()
    )
    assert finding.rule == "twilio-key" and key[4:] not in finding.excerpt
