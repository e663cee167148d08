"""The progress line on a terminal, and error messages that never quote a secret."""

from __future__ import annotations

import io

import tokens

from contribution_gate.progress import ProgressLine
from contribution_gate.review import failure


def test_progress_line_redraws_and_erases_itself() -> None:
    stream = io.StringIO()
    progress = ProgressLine(stream, interval=0)
    progress(3, 2)
    progress(10, 4)
    progress.close()
    text = stream.getvalue()
    assert "reviewing 3 files, 2 commits" in text and "reviewing 10 files, 4 commits" in text
    assert text.endswith("\r\x1b[K")


def test_silent_when_nothing_was_drawn() -> None:
    stream = io.StringIO()
    ProgressLine(stream).close()
    assert stream.getvalue() == ""


def test_a_crash_message_quoting_a_secret_is_masked() -> None:
    secret = tokens.openai_key()
    message = failure(ValueError(f"cannot parse line: KEY = '{secret}'"))
    assert message.startswith("ValueError: cannot parse line")
    assert secret not in message and secret[8:20] not in message
