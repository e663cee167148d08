"""Redaction keeps at most four characters of a secret, whatever check reports the line."""

from __future__ import annotations

from contribution_gate.redaction import mask, redact, scrub


def test_mask_keeps_at_most_four_characters() -> None:
    assert mask("gh" + "p_abcdefghijklmnop") == "ghp_****"
    assert mask("short") == "s****"


def test_redact_every_occurrence() -> None:
    assert redact("a=SECRETVALUE1 b=SECRETVALUE1", ["SECRETVALUE1"]) == "a=SEC**** b=SEC****"


def test_scrub_masks_url_passwords_assignments_and_long_tokens() -> None:
    password = "Pw" + "9d8f7g6h"
    assert password not in scrub(f"url = 'postgres://u:{password}@db/x'")
    assert password not in scrub(f"password: {password}")
    token = "Ab1" + "x" * 10 + "Zz9" + "q" * 12
    assert token not in scrub(f"see {token} here")
    assert len(scrub("x" * 500)) <= 200
