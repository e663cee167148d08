"""The models check's budgets on hostile files, through `review --staged` on real repositories: every
claimed length is checked before it is read, every budget is per committed file, and a budget
exceeded is an error that names the setting, never a pass. Bounds on time are generous (10-50x the
expected time): they catch a quadratic or unbounded read, not a slow machine."""

from __future__ import annotations

import json
import struct
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import model_fixtures as F
import pytest

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def review(gate: Gate, repo: GitRepo) -> tuple[Run, list[dict[str, Any]]]:
    run = gate("review", "--staged", "--check", "models", "--format", "json", "-C", repo.root)
    return run, [f for f in run.json()["findings"] if f["check"] == "models"]


def _gguf_with_key(claimed: int, present: int) -> bytes:
    head = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", claimed)
    return head + b"k" * present + struct.pack("<II", 4, 1)


def test_a_late_duplicate_among_many_safetensors_keys_is_found_in_linear_time(based_repo: GitRepo, gate: Gate) -> None:
    count = 50_000  # the quadratic duplicate test took 53 s here, and was killed at 240 s for 200,000
    keys = {f"t{i}": {"dtype": "U8", "shape": [1], "data_offsets": [i, i + 1]} for i in range(count)}
    late = f', "t{count - 1}": {{"dtype": "U8", "shape": [1], "data_offsets": [{count - 1}, {count}]}}}}'
    header = (json.dumps(keys)[:-1] + late).encode()
    based_repo.add("model.safetensors", struct.pack("<Q", len(header)) + header + b"\x00" * count)
    started = time.monotonic()
    run, found = review(gate, based_repo)
    assert time.monotonic() - started < 30
    assert run.code == 1
    assert [(f["rule"], "duplicate key 't49999'" in f["message"]) for f in found] == [("safetensors-invalid", True)]


@pytest.mark.parametrize("length", [1 << 63, (1 << 64) - 1, 1 << 40])
def test_an_impossible_safetensors_header_length_is_an_error(based_repo: GitRepo, gate: Gate, length: int) -> None:
    header = b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
    based_repo.add("model.safetensors", struct.pack("<Q", length) + header + b"\x00" * 4)
    run, found = review(gate, based_repo)
    assert run.code == 1
    assert [(f["rule"], f"claims {length} bytes" in f["message"]) for f in found] == [("safetensors-invalid", True)]


def test_a_safetensors_header_too_large_to_parse_is_over_budget(based_repo: GitRepo, gate: Gate) -> None:
    header = b'{"a": [' + b"[]," * (6 << 20) + b"[]]}"  # millions of empty lists: gigabytes once parsed
    based_repo.add("model.safetensors", struct.pack("<Q", len(header)) + header)
    run, found = review(gate, based_repo)
    assert [(f["rule"], "not read" in f["message"]) for f in found] == [("over-budget", True)]


def test_a_gguf_name_claiming_more_than_gguf_allows_is_not_read(based_repo: GitRepo, gate: Gate) -> None:
    """The first key claims 8 MiB (600 MiB read whole took 1.2 GB): judged by its length alone."""
    based_repo.add("model.gguf", _gguf_with_key(8 << 20, 8 << 20))
    based_repo.add("other.gguf", _gguf_with_key(1 << 62, 16))  # more than the file holds
    run, found = review(gate, based_repo)
    assert run.code == 1
    assert sorted((f["path"], f["rule"], f["message"]) for f in found) == [
        ("model.gguf", "gguf-invalid", "a metadata key claims a 8388608-byte name, more than GGUF allows (65535)"),
        ("other.gguf", "gguf-invalid", "the GGUF header runs past the end of the file"),
    ]


def test_back_to_back_pickles_share_one_opcode_budget(based_repo: GitRepo, gate: Gate) -> None:
    """Three pickles of 40,000 opcodes each, under a per-pickle budget of 100,000 and over the file's."""
    one = F.proto(2) + b"N0" * 20_000 + b"N."
    based_repo.write(".contribution-gate.toml", "[models]\nmax-opcodes = 100000\n")
    based_repo.add("model.bin", one * 3)
    based_repo.add("small.bin", one * 2)
    run, found = review(gate, based_repo)
    assert run.code == 1
    assert [(f["path"], f["rule"]) for f in found] == [("model.bin", "pickle-over-budget")]
    assert "more than 100000 opcodes in this file" in found[0]["message"] and "max-opcodes" in found[0]["message"]


def test_one_opcode_budget_across_every_member_of_an_archive(based_repo: GitRepo, gate: Gate) -> None:
    one = F.proto(2) + b"N0" * 20_000 + b"N."
    based_repo.write(".contribution-gate.toml", "[models]\nmax-opcodes = 100000\n")
    based_repo.add("bundle.zip", F.zipped({f"part{i}.pkl": one for i in range(3)}, stored=False))
    run, found = review(gate, based_repo)
    assert [(f["rule"], "(in part2.pkl > offset " in f["message"]) for f in found] == [("pickle-over-budget", True)]


def test_thousands_of_tiny_pickles_back_to_back_are_a_finding(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("model.bin", (F.proto(2) + b"N.") * 5000)
    run, found = review(gate, based_repo)
    assert [f["rule"] for f in found] == ["pickle-over-budget"]
    assert "more than 1000 pickles back to back" in found[0]["message"]


def test_the_time_budget_is_per_file_and_a_finding_never_a_pass(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.write(".contribution-gate.toml", "[models]\nmax-seconds = 1\n")
    slow = F.proto(2) + b"N0" * 2_000_000 + b"N."  # about 2 s of walking, well under the opcode budget
    based_repo.add("model.bin", slow)
    based_repo.add("fine.bin", F.torch_zip(["w"]))
    run, found = review(gate, based_repo)
    assert run.code == 1
    assert [(f["path"], f["rule"]) for f in found] == [("model.bin", "over-budget")]
    assert "more than 1 seconds" in found[0]["message"] and "[models] max-seconds" in found[0]["message"]
