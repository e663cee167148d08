"""`cla sign` run by many processes at once on one signatures file: every signature is kept."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import GitRepo

PHRASE = "I have read the CLA Document and I hereby sign the CLA"
SIGNERS = 20


def _event(directory: Path, index: int) -> Path:
    event = directory / f"comment-{index}.json"
    event.write_text(
        json.dumps(
            {
                "action": "created",
                "issue": {"number": 7, "pull_request": {}},
                "comment": {
                    "id": 1000 + index,
                    "body": PHRASE,
                    "created_at": "2025-01-01T00:00:00Z",
                    "user": {"login": f"signer-{index}", "id": 500 + index, "type": "User"},
                },
                "repository": {"id": 1},
            }
        )
    )
    return event


def test_twenty_concurrent_signs_keep_twenty_signatures(
    based_repo: GitRepo, gate_command: list[str], tmp_path: Path
) -> None:
    """Before the lock, 20 runs kept 2-6 signatures and all exited 0."""
    env = {**os.environ, "GITHUB_EVENT_NAME": "issue_comment"}
    env.pop("GITHUB_OUTPUT", None)
    env.pop("GITHUB_EVENT_PATH", None)
    signatures = based_repo.root / "signatures" / "version1" / "cla.json"
    processes = [
        subprocess.Popen(
            [*gate_command, "cla", "sign", "--event", str(_event(tmp_path, i))],
            cwd=based_repo.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(SIGNERS)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0] * SIGNERS, results
    assert all("signed the CLA" in out for _, out, _ in results)
    signed = json.loads(signatures.read_text())["signedContributors"]
    assert sorted(s["name"] for s in signed) == sorted(f"signer-{i}" for i in range(SIGNERS))
    assert len({s["comment_id"] for s in signed}) == SIGNERS
    assert [p.name for p in signatures.parent.iterdir()] == ["cla.json"]  # no temporary or lock file left
