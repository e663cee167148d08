"""DCO sign-off parsing as the commit-msg hook applies it."""

from __future__ import annotations

from contribution_gate.checks.cla.signoff import Identity, as_recorded, is_signed_by, needs_signoff, parse_ident

ADA = Identity("Ada Lovelace", "ada@example.com")


def test_parse_ident_from_git_var() -> None:
    assert parse_ident("Ada Lovelace <ada@example.com> 1700000000 +0000") == ADA
    assert parse_ident("garbage") is None


def test_signed_by_matches_name_and_email_case_insensitively() -> None:
    assert is_signed_by("Fix\n\nsigned-off-by: ada lovelace <ADA@example.com>", ADA)
    assert not is_signed_by("Fix\n\nSigned-off-by: Ada Lovelace <other@example.com>", ADA)
    assert not is_signed_by("Fix", ADA)


def test_comment_lines_and_scissors_are_dropped() -> None:
    message = "Fix\n# Signed-off-by: Ada Lovelace <ada@example.com>\n"
    assert not is_signed_by(as_recorded(message), ADA)
    scissors = (
        "Fix\n# ------------------------ >8 ------------------------\nSigned-off-by: Ada Lovelace <ada@example.com>\n"
    )
    assert not is_signed_by(as_recorded(scissors), ADA)
    assert as_recorded("; comment\nFix", comment_char=";") == "Fix"


def test_autosquash_and_empty_messages_need_no_signoff() -> None:
    assert not needs_signoff("fixup! Fix")
    assert not needs_signoff("")
    assert needs_signoff("Fix")
