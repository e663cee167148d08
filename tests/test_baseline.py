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
