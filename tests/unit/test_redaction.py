"""Redaction keeps at most four characters of a secret, whatever check reports the line."""

from __future__ import annotations

import tokens

from contribution_gate.redaction import excerpt, mask, redact, scrub


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


def test_a_long_text_is_cut_before_it_is_scrubbed_and_ends_with_an_ellipsis() -> None:
    text = "start " + "word " * 400_000
    shown = scrub(text)
    assert shown.startswith("start word") and shown.endswith("…") and len(shown) <= 200


def test_a_secret_across_the_cut_is_masked_whole() -> None:
    secret = tokens.github_token()
    text = "x " * 95 + f"token = {secret} " + "y " * 5_000
    shown = scrub(text)
    assert not [piece for piece in tokens.secret_fragments(secret, 5) if piece in shown]


def test_a_run_longer_than_what_is_read_is_masked_when_shown() -> None:
    blob = "QUFB" * 10_000  # no digit: not token-like, but cut unseen: it cannot be judged
    shown = scrub("data " + blob)
    assert shown.startswith("data QUFB****") and blob[:40] not in shown


def test_the_signatures_stay_and_limit_none_scrubs_everything() -> None:
    password = "Pw" + "9d8f7g6h"
    text = "x " * 10_000 + f"url = 'postgres://u:{password}@db/x'"
    assert password not in scrub(text, limit=None, opaque_tokens=False)
    assert scrub(text, limit=None).endswith("@db/x'")


def test_an_excerpt_is_cut_around_what_was_found() -> None:
    host = "wiki" + ".corp.example-co.io"
    line = "a " * 50_000 + host + " b" * 50_000
    at = line.index(host)
    shown = excerpt(line, at, at + len(host))
    assert host in shown and shown.startswith("…") and shown.endswith("…") and len(shown) <= 200
    assert excerpt("short line", 0, 5) == "short line"


def test_an_excerpt_masks_a_secret_whose_name_lies_outside_it() -> None:
    secret = "abcdefghij" * 12  # letters only: a secret by its name, not by its shape
    line = "x" * 300 + f" password={secret} " + "host.example.com" + " z" * 500
    at = line.index("host.example.com")
    shown = excerpt(line, at, at + 16)
    assert secret[40:60] not in shown and "****" in shown


def test_an_excerpt_masks_the_secrets_the_check_names() -> None:
    password = "hunter2" * 2
    url = f"postgres://app:{password}@db"
    line = "a " * 300 + url + " b" * 300
    at = line.index("@db") + 1
    assert "hunter2" not in excerpt(line, at, at + 2, [password])
    assert "hunter2" not in excerpt(url, 0, 2, [password])


def test_a_secret_beside_a_lone_surrogate_is_masked_in_place() -> None:
    secret = tokens.github_token()
    shown = redact(f"\ud800 {secret} \udcff", [secret, "x\ud800" + secret[:8]])
    assert secret not in shown and shown.startswith("\ud800 ") and shown.endswith(" \udcff")
