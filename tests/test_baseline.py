"""Baselines on real repositories: accept today's findings, keep failing on new ones."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import tokens
from tokens import secret_line

Gate = Callable[..., object]


def test_baseline_create_accepts_findings_across_moves(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    secret = tokens.openai_key()
    based_repo.commit_files("legacy", {"old/creds.py": secret_line("KEY", secret)})
    assert gate("review", "--all-files", "-C", based_repo.root).code == 1

    created = gate("baseline", "create", "-C", based_repo.root)
    assert created.code == 0, created
    path = based_repo.root / ".contribution-gate-baseline.json"
    text = path.read_text()
    assert secret not in text and secret[4:12] not in text
    document = json.loads(text)
    assert [e["rule"] for e in document["findings"]] == ["openai-api-key"]
    assert "line" not in document["findings"][0]

    run = gate("review", "--all-files", "--format", "json", "-C", based_repo.root)
    assert run.code == 0, run
    (finding,) = run.json()["findings"]
    assert (finding["severity"], finding["suppressed_by"]) == ("note", "baseline")

    # moving the secret to another file and line does not churn the baseline
    based_repo.commit_files("baseline", {".contribution-gate-baseline.json": text})
    based_repo.mv("old/creds.py", "new/place.py")
    based_repo.write("new/place.py", "# moved\n" + secret_line("KEY", secret))
    based_repo.stage("new/place.py")
    assert gate("review", "--staged", "-C", based_repo.root).code == 0

    # a new secret still fails, and re-creating keeps the salt
    based_repo.add("new/other.py", secret_line("OTHER", tokens.openai_key()))
    assert gate("review", "--staged", "-C", based_repo.root).code == 1
    assert gate("baseline", "create", "-C", based_repo.root).code == 0
    assert json.loads(path.read_text())["salt"] == document["salt"]


def test_detect_secrets_baseline_is_honoured(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    secret = tokens.github_token()
    legacy = {
        "version": "1.5.0",
        "results": {
            "ci.py": [
                {
                    "type": "GitHub Token",
                    "filename": "ci.py",
                    "hashed_secret": hashlib.sha1(secret.encode()).hexdigest(),
                    "line_number": 1,
                }
            ]
        },
    }
    based_repo.commit_files(
        "migrate",
        {
            ".secrets.baseline": json.dumps(legacy),
            ".contribution-gate.toml": '[secrets]\nbaseline = ".secrets.baseline"\n',
        },
    )
    based_repo.add("ci.py", secret_line("TOKEN", secret))
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 0, run
    assert run.json()["findings"][0]["suppressed_by"] == "baseline"
    audit = gate("baseline", "audit", based_repo.root / ".secrets.baseline")
    assert audit.code == 0 and "ci.py" in audit.out


def test_missing_configured_baseline_is_a_config_error(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    based_repo.commit_files("cfg", {".contribution-gate.toml": '[secrets]\nbaseline = "nope.json"\n'})
    based_repo.add("a.py", "x = 1\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 2 and "baseline 'nope.json' does not exist" in run.err


def test_allow_regex_and_allow_paths(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    known = tokens.openai_key()
    based_repo.commit_files(
        "cfg",
        {".contribution-gate.toml": f'[secrets]\nallow = ["^{known[:30]}"]\nallow-paths = ["examples/**"]\n'},
    )
    based_repo.add("src/known.py", secret_line("KEY", known))
    based_repo.add("examples/demo.py", secret_line("KEY", tokens.openai_key()))
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 0, run
    assert [f["suppressed_by"] for f in run.json()["findings"]] == ["allow-paths"]


ZONE = "corp.acme-payments.io"
POLICY = f'[internal-urls]\ndomains = ["{ZONE}"]\n[proprietary-markers]\norganizations = ["Acme Payments"]\n'
NOTICE = "# Copyright (c) 2024 Acme Payments. All rights reserved.\n"


def test_non_secret_entries_hold_in_their_own_file_only(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    """A baselined internal host or proprietary notice does not let a new file repeat it; a secret
    stays accepted anywhere (its value is out already)."""
    url = f'URL = "https://ci.{ZONE}/job"\n'
    secret = secret_line("KEY", tokens.openai_key())
    based_repo.commit_files("legacy", {".contribution-gate.toml": POLICY, "old/app.py": NOTICE + url + secret})
    assert gate("review", "--all-files", "-C", based_repo.root).code == 1
    assert gate("baseline", "create", "-C", based_repo.root).code == 0
    path = based_repo.root / ".contribution-gate-baseline.json"
    document = json.loads(path.read_text())
    assert document["version"] == 2
    assert {(e["check"], e["path"]) for e in document["findings"]} == {
        ("internal-urls", "old/app.py"),
        ("proprietary-markers", "old/app.py"),
        ("secrets", "old/app.py"),
    }
    based_repo.commit_files("baseline", {".contribution-gate-baseline.json": path.read_text()})
    assert gate("review", "--all-files", "-C", based_repo.root).code == 0

    # the same file, edited: still accepted
    based_repo.add("old/app.py", "# edited\n" + NOTICE + url + secret)
    assert gate("review", "--staged", "-C", based_repo.root).code == 0
    # a new file repeating the host and the notice: not accepted; the secret alone is
    based_repo.git("reset", "-q", "--hard")
    based_repo.add("new/app.py", NOTICE + url + secret)
    run = gate("review", "--staged", "--format", "json", "-C", based_repo.root)
    assert run.code == 1
    assert sorted((f["check"], f["severity"]) for f in run.json()["findings"]) == [
        ("internal-urls", "error"),
        ("proprietary-markers", "error"),
        ("secrets", "note"),
    ]


def test_a_version_1_baseline_keeps_loading_scoped_to_its_recorded_paths(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    """Version 1 kept one entry per value with the first path it was seen in: it loads, and each
    non-secret entry holds for that path."""
    url = f'URL = "https://ci.{ZONE}/job"\n'
    based_repo.commit_files("legacy", {".contribution-gate.toml": POLICY, "a/app.py": url, "b/app.py": url})
    assert gate("baseline", "create", "-C", based_repo.root).code == 0
    path = based_repo.root / ".contribution-gate-baseline.json"
    document = json.loads(path.read_text())
    first = min(document["findings"], key=lambda e: e["path"])
    legacy = {**document, "version": 1, "findings": [first]}  # what version 1 wrote
    based_repo.commit_files("v1 baseline", {".contribution-gate-baseline.json": json.dumps(legacy, indent=2)})
    run = gate("review", "--all-files", "--format", "json", "-C", based_repo.root)
    assert run.code == 1, run
    assert sorted((f["path"], f["severity"]) for f in run.json()["findings"]) == [
        ("a/app.py", "note"),
        ("b/app.py", "error"),
    ]
    audit = gate("baseline", "audit", based_repo.root / ".contribution-gate-baseline.json")
    assert audit.code == 0 and "a/app.py" in audit.out


def test_baseline_create_never_replaces_a_file_that_is_not_ours(based_repo, gate) -> None:  # type: ignore[no-untyped-def]
    detect_secrets = json.dumps({"version": "1.5.0", "plugins_used": [], "results": {}}, indent=2) + "\n"
    based_repo.commit_files(
        "legacy", {".secrets.baseline": detect_secrets, "app.py": secret_line("K", tokens.openai_key())}
    )
    target = based_repo.root / ".secrets.baseline"
    for other in (detect_secrets, "not json at all\n", ""):
        target.write_text(other)
        run = gate("baseline", "create", "--output", target, "-C", based_repo.root)
        assert run.code == 2, run
        assert len(run.err.strip().splitlines()) == 1 and "--force" in run.err and not run.out
        assert target.read_text() == other
    forced = gate("baseline", "create", "--output", target, "--force", "-C", based_repo.root)
    assert forced.code == 0, forced
    assert json.loads(target.read_text())["tool"] == "contribution-gate"
    # ours is replaced without --force, keeping its salt
    salt = json.loads(target.read_text())["salt"]
    assert gate("baseline", "create", "--output", target, "-C", based_repo.root).code == 0
    assert json.loads(target.read_text())["salt"] == salt


def test_baseline_create_fails_and_writes_nothing_when_a_check_fails(based_repo, gate, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from contribution_gate.checks import licenses

    def crash(change, opts):  # type: ignore[no-untyped-def]
        raise RuntimeError("detector exploded")

    based_repo.commit_files("legacy", {"app.py": secret_line("K", tokens.openai_key())})
    monkeypatch.setattr(licenses, "scan_file", crash)
    run = gate("baseline", "create", "-C", based_repo.root)
    assert run.code == 1, run
    assert "licenses check failed" in run.err and "RuntimeError: detector exploded" in run.err
    assert "baseline not written" in run.err
    assert not (based_repo.root / ".contribution-gate-baseline.json").exists()


def test_baseline_create_fails_when_a_check_runs_out_of_time(based_repo, gate_cmd) -> None:  # type: ignore[no-untyped-def]
    """Through the installed command: a budget no check can keep stops them all; nothing is written."""
    based_repo.commit_files(
        "legacy",
        {
            ".contribution-gate.toml": "[review]\nmax-seconds-per-check = 0.000001\n",
            "app.py": secret_line("K", tokens.openai_key()),
        },
    )
    run = gate_cmd("baseline", "create", "-C", based_repo.root)
    assert run.code == 1, run
    assert "over its budget" in run.err and "Traceback" not in run.err
    assert not (based_repo.root / ".contribution-gate-baseline.json").exists()
