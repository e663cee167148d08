"""The models check and the AI-BOM on real repositories, through `review --staged`, `--range` and the CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import model_fixtures as F
import pytest

if TYPE_CHECKING:
    from conftest import GitRepo, Run

Gate = Callable[..., "Run"]


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reviews here are local (pre-commit) unless a test says otherwise."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def models_findings(run: Run) -> list[dict[str, Any]]:
    return [f for f in run.json()["findings"] if f["check"] == "models"]


def review(gate: Gate, repo: GitRepo, *args: str) -> Run:
    return gate("review", *(args or ("--staged",)), "--check", "models", "--format", "json", "-C", repo.root)


def lfs_pointer(data: bytes) -> bytes:
    oid = hashlib.sha256(data).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(data)}\n".encode()


def store_lfs_object(repo: GitRepo, data: bytes, oid: str | None = None) -> None:
    oid = oid or hashlib.sha256(data).hexdigest()
    path = repo.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_every_malicious_file_fails_and_no_benign_file_is_flagged(based_repo: GitRepo, gate: Gate) -> None:
    for index, (name, data) in enumerate(F.malicious().values()):
        based_repo.add(f"bad/{index}/{name}", data)
    for index, (name, data) in enumerate(F.benign().values()):
        based_repo.add(f"good/{index}/{name}", data)
    run = review(gate, based_repo)
    assert run.code == 1
    flagged = {f["path"] for f in models_findings(run) if f["severity"] == "error"}
    assert {p.split("/")[1] for p in flagged if p.startswith("bad/")} == {
        str(i) for i in range(len(F.MALICIOUS_BUILDERS))
    }
    assert not [f for f in models_findings(run) if f["path"].startswith("good/")]
    finding = next(f for f in models_findings(run) if f["rule"] == "pickle-unsafe-global")
    assert finding["line"] is None and finding["excerpt"] == "" and finding["remediation"]
    assert run.json()["checks"] == [
        {
            "name": "models",
            "status": "fail",
            "findings": len(models_findings(run)),
            "seconds": run.json()["checks"][0]["seconds"],
        }
    ]


def test_a_pickle_added_and_removed_inside_a_range_is_still_found(based_repo: GitRepo, gate: Gate) -> None:
    base = based_repo.sha()
    added = based_repo.commit_files("add weights", {"weights/model.bin": F.payload("os", "system", "id", 2)})
    based_repo.git("rm", "-q", "weights/model.bin")
    based_repo.commit("remove them again")
    run = review(gate, based_repo, "--range", f"{base}..HEAD")
    assert [(f["rule"], f["path"], f["commit"]) for f in models_findings(run)] == [
        ("pickle-unsafe-global", "weights/model.bin", added)
    ]
    assert run.code == 1


def test_a_protocol_0_pickle_is_text_and_still_caught(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("notes/readme.txt", F.payload("os", "system", "id", 0))
    run = review(gate, based_repo)
    assert [(f["rule"], f["path"]) for f in models_findings(run)] == [("pickle-unsafe-global", "notes/readme.txt")]


@pytest.mark.parametrize(
    ("case", "rule"),
    [
        ("protocol 0 without PROTO (N0cos...)", "pickle-unsafe-global"),
        ("PROTO 1 header", "pickle-unsafe-global"),
        ("protocol 4 opcodes without PROTO", "pickle-unsafe-global"),
        ("headerless data.pkl in a torch zip", "pickle-unsafe-global"),
        ("zip member with a 1 MiB line first", "pickle-unsafe-global"),
        ("data.pkl unsafe only as torch reads it", "pickle-bad-frame"),
        ("import of a __main__ module", "pickle-unsafe-global"),
    ],
)
def test_pickles_without_a_recognisable_header_are_walked(
    based_repo: GitRepo, gate: Gate, case: str, rule: str
) -> None:
    """Routing never depends on a header: whatever an unpickler runs is walked, text or binary, at
    the top or inside an archive, and a walk the walker cannot finish is a finding."""
    name, data = F.MALICIOUS_BUILDERS[case]()
    based_repo.add(f"weights/{name}", data)
    run = review(gate, based_repo)
    assert run.code == 1
    assert {(f["rule"], f["path"]) for f in models_findings(run)} >= {(rule, f"weights/{name}")}


def test_text_that_merely_starts_with_opcodes_is_not_a_pickle(based_repo: GitRepo, gate: Gate) -> None:
    """Files of real histories whose first bytes are opcodes that import nothing, or import a name
    and then fail before anything could run: no finding."""
    based_repo.add("requirements.txt", F.requirements_txt())
    based_repo.add("docs/requirements.txt", "cython\nnumpy\nscipy\n")
    based_repo.add("setup.cfg", "[metadata]\nname = x\n")
    based_repo.add("tool.py", "import os\nimport sys\n")
    based_repo.add("LICENSE", "Copyright (c) 2024 Example\n\nPermission is hereby granted\n")
    based_repo.add("NOTES", "N.B. the first line is NONE then STOP\nIt is text.\n")
    based_repo.add("Makefile", "install:\n\tpip install -e .\n")
    run = review(gate, based_repo)
    assert run.code == 0 and models_findings(run) == []


def test_a_text_pickle_changed_below_its_first_line_is_walked_from_its_first_byte(
    based_repo: GitRepo, gate: Gate
) -> None:
    based_repo.commit_files("data", {"data/values.txt": "(S'a'\nS'b'\nt.\n"})  # a harmless protocol 0 pickle
    assert review(gate, based_repo).code == 0
    based_repo.add("data/values.txt", "(S'a'\nS'b'\nt0cos\nsystem\n(S'id'\ntR.\n")  # line 1 unchanged
    run = review(gate, based_repo)
    assert [(f["rule"], f["path"], f["message"][:33]) for f in models_findings(run)] == [
        ("pickle-unsafe-global", "data/values.txt", "the pickle imports os.system (run")
    ]


def test_benign_weights_pass_and_allow_globals_extends_the_allowlist(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("model/pytorch_model.bin", F.torch_zip(["w"]))
    based_repo.add("model/custom.pkl", F.payload("mypkg.layers", "Custom", "x", 4))
    run = review(gate, based_repo)
    assert [(f["rule"], f["path"]) for f in models_findings(run)] == [("pickle-unsafe-global", "model/custom.pkl")]
    based_repo.write(".contribution-gate.toml", '[models]\nallow-globals = ["mypkg.layers.Custom"]\n')
    assert review(gate, based_repo).code == 0


# -- Git LFS --------------------------------------------------------------------------------------------
def test_lfs_pointer_with_a_matching_local_object_is_scanned(based_repo: GitRepo, gate: Gate) -> None:
    weights, evil = F.torch_zip(["w"]), F.payload("os", "system", "id", 2)
    store_lfs_object(based_repo, weights)
    store_lfs_object(based_repo, evil)
    based_repo.add("model/weights.bin", lfs_pointer(weights))
    assert review(gate, based_repo).code == 0
    based_repo.add("model/other.bin", lfs_pointer(evil))
    run = review(gate, based_repo)
    assert [(f["rule"], f["path"]) for f in models_findings(run)] == [("pickle-unsafe-global", "model/other.bin")]
    assert "Git LFS object" in models_findings(run)[0]["message"]


def test_lfs_pointer_whose_object_does_not_match(based_repo: GitRepo, gate: Gate) -> None:
    claimed = F.torch_zip(["w"])
    store_lfs_object(based_repo, F.payload("os", "system", "id", 2), oid=hashlib.sha256(claimed).hexdigest())
    based_repo.add("model/weights.bin", lfs_pointer(claimed))
    run = review(gate, based_repo)
    assert [(f["rule"], f["severity"]) for f in models_findings(run)] == [("lfs-object-mismatch", "error")]


def test_an_unfetched_lfs_object_is_unscanned_a_warning_locally_and_an_error_in_ci(
    based_repo: GitRepo, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    based_repo.add("model/weights.bin", lfs_pointer(b"never fetched"))
    run = review(gate, based_repo)
    assert [(f["rule"], f["severity"]) for f in models_findings(run)] == [("lfs-unscanned", "warning")]
    assert run.code == 0
    monkeypatch.setenv("CI", "true")
    run = review(gate, based_repo)
    assert [(f["rule"], f["severity"]) for f in models_findings(run)] == [("lfs-unscanned", "error")] and run.code == 1
    monkeypatch.delenv("CI")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert review(gate, based_repo, "--staged", "--format", "json").code == 1
    monkeypatch.delenv("GITHUB_ACTIONS")
    based_repo.write(".contribution-gate.toml", '[models]\nunscanned = "error"\n')
    assert review(gate, based_repo).code == 1


# -- model code and checksums ----------------------------------------------------------------------------
def test_remote_code_and_new_modeling_files_next_to_weights(based_repo: GitRepo, gate: Gate) -> None:
    config = {"model_type": "x", "auto_map": {"AutoModel": "modeling_x.XModel"}}
    based_repo.add("model/config.json", json.dumps(config, indent=2) + "\n")
    based_repo.add("model/modeling_x.py", "import torch\n\nclass XModel(torch.nn.Module):\n    pass\n")
    based_repo.add("src/modeling_utils.py", "def helper():\n    return 1\n")  # not next to weights
    based_repo.add("model/tokenizer_config.json", json.dumps({"chat_template": F.EVIL_TEMPLATE}) + "\n")
    run = review(gate, based_repo)
    found = sorted((f["rule"], f["path"], f["line"]) for f in models_findings(run))
    assert ("remote-code", "model/config.json", 3) in found
    assert ("model-code", "model/modeling_x.py", 1) in found
    assert {r for r, p, _ in found if p == "model/tokenizer_config.json"} == {"chat-template-code"}
    assert not [p for _, p, _ in found if p.startswith("src/")]


def test_keras_lambda_in_a_config_json(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.add("keras/config.json", F.keras_config(lambda_layer=True).decode())
    run = review(gate, based_repo)
    assert [f["rule"] for f in models_findings(run)] == ["keras-lambda"]


def test_checksum_manifests(based_repo: GitRepo, gate: Gate) -> None:
    weights = F.safetensors({"a": ("F32", [2], 0, 8)}, b"\x00" * 8)
    digest = hashlib.sha256(weights).hexdigest()
    based_repo.add("model/model.safetensors", weights)
    based_repo.add("model/SHA256SUMS", f"{digest}  model.safetensors\n")
    assert review(gate, based_repo).code == 0
    based_repo.commit("weights with their checksum")
    changed = F.safetensors({"a": ("F32", [2], 0, 8)}, b"\x01" * 8)
    based_repo.add("model/model.safetensors", changed)  # the manifest does not change
    run = review(gate, based_repo)
    assert [(f["rule"], f["path"], f["line"]) for f in models_findings(run)] == [
        ("checksum-mismatch", "model/SHA256SUMS", 1)
    ]
    based_repo.add(
        "model/SHA256SUMS", f"{hashlib.sha256(changed).hexdigest()}  model.safetensors\n{digest}  gone.bin\n"
    )
    run = review(gate, based_repo)
    assert [(f["rule"], f["line"], f["severity"]) for f in models_findings(run)] == [
        ("checksum-missing-file", 2, "note")
    ]


# -- the AI-BOM ------------------------------------------------------------------------------------------
def _model_repo(repo: GitRepo) -> None:
    card = (
        "---\nlicense: other\nlicense_name: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\npipeline_tag: text-generation\n"
        "datasets:\n  - org/instructions\ntags: [chat]\n---\n# My model\n"
    )
    repo.add("models/chat/README.md", card)
    repo.add(
        "models/chat/config.json", json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}) + "\n"
    )
    repo.add("models/chat/model.safetensors", F.safetensors({"a": ("F32", [2], 0, 8)}, b"\x00" * 8))
    repo.add("models/tiny/model.onnx", F.onnx_model())
    repo.add(
        "models/tiny/LICENSE",
        "                                 Apache License\n                           Version 2.0, January 2004\n",
    )
    repo.add("models/remote/modeling_x.py", "class X:\n    pass\n")
    repo.add("data/train.parquet", b"PAR1" + b"\x00" * 16 + b"PAR1")
    repo.commit("models")


def test_aibom_is_valid_cyclonedx_1_6_with_licenses_lineage_and_model_card(based_repo: GitRepo, gate: Gate) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    _model_repo(based_repo)
    run = gate("aibom", "-C", based_repo.root)
    assert run.code == 0, run.output
    assert "2 models, 1 dataset file, 1 model-code file" in run.out
    text = (based_repo.root / "aibom.cdx.json").read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    assert document["specVersion"] == "1.6"
    by_path = {c["name"]: c for c in document["components"]}
    chat = by_path["models/chat/model.safetensors"]
    assert chat["type"] == "machine-learning-model"
    assert chat["hashes"] == [
        {
            "alg": "SHA-256",
            "content": hashlib.sha256((based_repo.root / "models/chat/model.safetensors").read_bytes()).hexdigest(),
        }
    ]
    assert chat["licenses"] == [{"license": {"name": "llama3.1"}}]
    assert [a["name"] for a in chat["pedigree"]["ancestors"]] == ["meta-llama/Llama-3.1-8B"]
    assert chat["modelCard"]["modelParameters"]["task"] == "text-generation"
    assert chat["modelCard"]["modelParameters"]["modelArchitecture"] == "LlamaForCausalLM"
    assert by_path["models/tiny/model.onnx"]["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    assert by_path["data/train.parquet"]["type"] == "data"
    assert by_path["models/remote/modeling_x.py"]["type"] == "file"
    again = gate("aibom", "--output", "-", "-C", based_repo.root)
    assert again.out == text  # the same tree gives the same document


def test_require_aibom(based_repo: GitRepo, gate: Gate) -> None:
    based_repo.commit_files("policy", {".contribution-gate.toml": "[models]\nrequire-aibom = true\n"})
    based_repo.add("model.safetensors", F.safetensors({"a": ("F32", [2], 0, 8)}, b"\x00" * 8))
    run = review(gate, based_repo)
    assert [(f["rule"], f["path"]) for f in models_findings(run)] == [("aibom-outdated", "model.safetensors")]
    assert gate("aibom", "-C", based_repo.root).code == 0
    based_repo.stage("aibom.cdx.json")
    assert review(gate, based_repo).code == 0
    based_repo.commit("model and its AI-BOM")
    based_repo.add("model.safetensors", F.safetensors({"a": ("F32", [2], 0, 8)}, b"\x02" * 8))
    assert [f["rule"] for f in models_findings(review(gate, based_repo))] == ["aibom-outdated"]


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('unscanned = "sometimes"', "unscanned"),
        ('allow-globals = ["os system"]', "allow-globals"),
        ('max-size = "big"', "max-size"),
        ("require-aibom = 1", "require-aibom"),
        ("max-opcodes = 0", "max-opcodes"),
    ],
)
def test_bad_models_options_exit_2_naming_the_key(based_repo: GitRepo, gate: Gate, table: str, key: str) -> None:
    based_repo.write(".contribution-gate.toml", f"[models]\n{table}\n")
    based_repo.add("x.txt", "x\n")
    run = gate("review", "--staged", "-C", based_repo.root)
    assert run.code == 2
    assert ".contribution-gate.toml" in run.err and "[models]" in run.err and key in run.err


def test_large_binaries_are_read_only_as_far_as_their_format_needs(
    based_repo: GitRepo, gate: Gate, tmp_path: Path
) -> None:
    big = F.safetensors({"a": ("U8", [20 << 20], 0, 20 << 20)}, b"\x00" * (20 << 20))
    based_repo.add("big.safetensors", big)
    run = review(gate, based_repo)
    assert run.code == 0 and models_findings(run) == []
