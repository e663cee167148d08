"""The warm start (`warmstart.py`): patterns and dataclass methods kept between runs give the same
review as a cold start, and a cache that is missing, broken or unwritable changes nothing but time.

The installed command runs as a subprocess with a cache directory of the test's own, on a real git
repository; the pattern rebuild is compared with `re` on every pattern of the secret rules."""

from __future__ import annotations

import _sre
import json
import re
from pathlib import Path
from typing import Any

import tokens

from contribution_gate import warmstart
from contribution_gate.checks.secrets.rules import load_rules


def _review(gate_cmd: Any, repo: Any, cache: Path) -> tuple[int, dict[str, Any]]:
    run = gate_cmd("review", "--staged", "--format", "json", "-C", repo.root, env={"XDG_CACHE_HOME": str(cache)})
    data = json.loads(run.out)
    for check in data["checks"]:
        check.pop("seconds", None)
    return run.code, data


def test_a_warm_start_reviews_as_a_cold_one(based_repo: Any, gate_cmd: Any, tmp_path: Path) -> None:
    based_repo.add("app/settings.py", f'GITHUB_TOKEN = "{tokens.github_token()}"\nHOST = "10.20.30.41"\n')
    based_repo.add("docs/notes.md", "# Notes\n\nINTERNAL USE ONLY\n")
    cache = tmp_path / "cache"
    cold = _review(gate_cmd, based_repo, cache)
    kept = list((cache / "contribution-gate" / "data").glob("warmstart.*.marshal"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    warm = _review(gate_cmd, based_repo, cache)
    assert cold == warm and cold[0] == 1
    assert {f["check"] for f in cold[1]["findings"]} >= {"secrets", "internal-urls", "proprietary-markers"}
    kept[0].write_bytes(b"\x00not marshal")  # a broken cache is read as none
    assert _review(gate_cmd, based_repo, cache) == cold
    blocked = tmp_path / "a-file"  # a cache directory that cannot be made: nothing is kept
    blocked.write_text("x")
    assert _review(gate_cmd, based_repo, blocked) == cold


def test_patterns_rebuilt_from_their_opcodes_are_re_s_patterns() -> None:
    """Every rule's pattern, rebuilt the way a warm start does, matches as `re` compiles it."""
    samples = ["ghp_" + "a1" * 18, "AKIA" + "B2" * 8, 'password = "s3cr3t-' + "x9" * 8 + '"', "-----BEGIN", ""]
    for rule in load_rules():
        fresh = re.compile(rule.pattern)
        entry = warmstart._opcodes(fresh, rule.pattern, 0)
        rebuilt = _sre.compile(rule.pattern, *entry)
        assert (rebuilt.pattern, rebuilt.flags, rebuilt.groupindex) == (fresh.pattern, fresh.flags, fresh.groupindex)
        for text in samples:
            a, b = fresh.search(text), rebuilt.search(text)
            assert (a and a.span(), a and a.groups()) == (b and b.span(), b and b.groups()), rule.id
