"""The models check's engine on files built in memory (tests/model_fixtures.py): nothing is loaded."""

from __future__ import annotations

import io
import json
import pickle

import model_fixtures as F
import pytest

from contribution_gate.checks.models import code, default_allowlist, manifests, pickles
from contribution_gate.checks.models.budget import Limits
from contribution_gate.checks.models.scan import scan, sniff

LIMITS = Limits(default_allowlist())


def problems_of(data: bytes, limits: Limits = LIMITS) -> list[tuple[str, str, str]]:
    result = scan(io.BytesIO(data), len(data), limits)
    return [(p.rule, p.where, p.detail) for p in result.problems]


def format_of(data: bytes) -> str | None:
    return scan(io.BytesIO(data), len(data), LIMITS).format


@pytest.mark.parametrize("case", list(F.MALICIOUS_BUILDERS))
def test_every_malicious_case_is_an_error(case: str) -> None:
    _name, data = F.MALICIOUS_BUILDERS[case]()
    found = scan(io.BytesIO(data), len(data), LIMITS).problems
    assert found, case
    assert all(p.severity == "error" for p in found)


@pytest.mark.parametrize("case", list(F.BENIGN_BUILDERS))
def test_no_benign_case_is_flagged(case: str) -> None:
    _name, data = F.BENIGN_BUILDERS[case]()
    assert problems_of(data) == []
    assert (format_of(data) is None) == (case in F.NOT_MODELS)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("os.system (protocol 0)", ("pickle-unsafe-global", "", "os.system")),
        ("subprocess via the memo", ("pickle-unsafe-global", "", "subprocess.check_output")),
        ("__builtin__.exec (python 2 name)", ("pickle-unsafe-global", "", "builtins.exec")),
        ("INST opcode (protocol 0)", ("pickle-unsafe-global", "", "os.system")),
        ("pickle in a zip member named .txt", ("pickle-unsafe-global", "archive/notes.txt", "os.system")),
        ("pickle in a gzip wrapper", ("pickle-unsafe-global", "gzip", "subprocess.Popen")),
        ("pickle in a tar in gzip", ("pickle-unsafe-global", "gzip > model/weights.bin", "os.system")),
        ("pickle in a numpy object array", ("pickle-unsafe-global", "object array data", "os.system")),
        ("numpy object array in an npz", ("pickle-unsafe-global", "a.npy > object array data", "posix.system")),
    ],
)
def test_where_and_what(case: str, expected: tuple[str, str, str]) -> None:
    assert expected in problems_of(F.MALICIOUS_BUILDERS[case]()[1])


@pytest.mark.parametrize("protocol", [4, 5])
def test_the_standard_framers_bare_tail_is_no_bad_frame(protocol: int) -> None:
    """After a string too large for a frame the framer writes the last few bytes (`MEMOIZE SETITEMS
    STOP`, under its minimum frame size) bare (anthropic-cookbook's vector_db.pkl)."""
    data = pickle.dumps({"a": [1.0] * 10_000, "b": "x" * 1_500_000}, protocol=protocol)
    assert problems_of(data) == []


def test_a_long_bare_run_after_a_frame_is_a_bad_frame() -> None:
    body = F.EMPTY_DICT + F.STOP
    padded = F.EMPTY_DICT + F.EMPTY_DICT + F.EMPTY_DICT + F.EMPTY_DICT
    rules = {rule for rule, _, _ in problems_of(F.proto(4) + F.frame(padded + padded) + padded + body)}
    assert "pickle-bad-frame" in rules


def test_a_frame_whose_length_does_not_match_is_unexplained() -> None:
    body = F.EMPTY_DICT + F.STOP
    assert problems_of(F.proto(4) + F.frame(body)) == []
    rules = {rule for rule, _, _ in problems_of(F.proto(4) + F.frame(body, len(body) - 1))}
    assert rules == {"pickle-bad-frame"}
    longer = problems_of(F.proto(4) + F.frame(body, len(body) + 50))
    assert [r for r, _, _ in longer] == ["pickle-truncated"]  # the unpickler needs the frame's bytes


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (F.proto(2) + b"\xff" + F.STOP, "pickle-unknown-opcode"),
        (F.proto(4) + F.text("a"), "pickle-truncated"),
        (F.proto(2) + b"h\x05" + F.STOP, "pickle-invalid"),  # reads a memo slot never written
        (F.proto(2) + b"\x82\x01" + F.STOP, "pickle-extension-registry"),
        (F.proto(4) + b"P1\n" + F.text("system") + F.STACK_GLOBAL + F.STOP, "pickle-computed-global"),
        (F.proto(4) + F.NONE + F.text("system") + F.STACK_GLOBAL + F.STOP, "pickle-invalid"),  # None is no str
        (F.proto(2) + F.NONE + F.STOP + b"junk after", "pickle-trailing-data"),
    ],
)
def test_what_the_walker_cannot_explain_is_an_error(data: bytes, rule: str) -> None:
    assert rule in {r for r, _, _ in problems_of(data)}


def test_the_opcode_and_size_budgets() -> None:
    many = F.pickle_of(F.EMPTY_LIST + F.MARK + F.integer(1) * 500 + F.APPENDS, 2)
    assert problems_of(many) == []
    assert {r for r, _, _ in problems_of(many, Limits(LIMITS.allow, max_opcodes=100))} == {"pickle-over-budget"}
    assert {r for r, _, _ in problems_of(many, Limits(LIMITS.allow, max_size=100))} == {"over-budget"}
    bomb = F.gzip.compress(b"\x80\x02" + b"\x00" * 5000)  # starts like a pickle, so it is decompressed
    assert {r for r, _, _ in problems_of(bomb, Limits(LIMITS.allow, max_size=1000))} == {"over-budget"}


def test_the_allowlist_is_extended_per_repository() -> None:
    data = F.payload("mypkg.layers", "Custom", "x", 4)
    assert [d for _, _, d in problems_of(data)] == ["mypkg.layers.Custom"]
    extended = Limits(LIMITS.allow.extended(["mypkg.layers.Custom"]))
    assert problems_of(data, extended) == []
    dotted = F.pickle_of(F.call("mypkg", "layers.Custom", F.text("x"), 4))
    assert [d for _, _, d in problems_of(dotted, extended)] == [
        "mypkg.layers.Custom"
    ]  # attribute paths need module:name
    assert problems_of(dotted, Limits(LIMITS.allow.extended(["mypkg:layers.Custom"]))) == []


def test_the_default_allowlist_holds_no_code_runner() -> None:
    allow = default_allowlist()
    for module, name in [
        ("builtins", "getattr"),
        ("builtins", "eval"),
        ("torch.storage", "_load_from_bytes"),
        ("os", "system"),
    ]:
        assert not allow.allows(module, name)
    assert allow.allows("torch._utils", "_rebuild_tensor_v2") and allow.allows("collections", "OrderedDict")


@pytest.mark.parametrize(("case", "data"), list(F.corrupt_safetensors().items()))
def test_corrupt_safetensors(case: str, data: bytes) -> None:
    assert format_of(data) == "safetensors"
    assert {r for r, _, _ in problems_of(data)} == {"safetensors-invalid"}, case


def test_safetensors_with_duplicate_keys_or_bad_json() -> None:
    header = b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'
    assert [r for r, _, _ in problems_of(F.struct.pack("<Q", len(header)) + header + b"\0" * 4)] == [
        "safetensors-invalid"
    ]
    assert [r for r, _, _ in problems_of(F.struct.pack("<Q", 6) + b'{"a": ' + b"\0" * 4)] == ["safetensors-invalid"]


def test_gguf_header_sanity_and_chat_template() -> None:
    good = F.gguf(
        {"general.architecture": "llama", "tokenizer.chat_template": F.SAFE_TEMPLATE}, [("t", [4], 0, 0)], b"\0" * 16
    )
    assert format_of(good) == "gguf" and problems_of(good) == []
    evil = F.gguf({"tokenizer.chat_template": F.EVIL_TEMPLATE}, [("t", [4], 0, 0)], b"\0" * 16)
    assert {r for r, _, _ in problems_of(evil)} == {"chat-template-code"}
    assert [r for r, _, _ in problems_of(F.gguf({}, [("t", [4], 0, 4096)], b"\0" * 16))] == ["gguf-invalid"]
    assert [r for r, _, _ in problems_of(good[:40])] == ["gguf-invalid"]
    assert [r for r, _, _ in problems_of(b"GGUF" + F._u32(9) + b"\0" * 16)] == ["gguf-invalid"]


@pytest.mark.parametrize(
    ("location", "escapes"),
    [
        (None, False),
        ("weights.bin", False),
        ("data/w.bin", False),
        ("../../etc/passwd", True),
        ("/etc/passwd", True),
        ("a/../../b", True),
        ("C:\\w.bin", True),
        ("..\\w.bin", True),
    ],
)
def test_onnx_external_data_paths(location: str | None, escapes: bool) -> None:
    for data in (F.onnx_model(location), F.onnx_model(location, in_subgraph=True)):
        assert format_of(data) == "onnx"
        assert ([r for r, _, _ in problems_of(data)] == ["onnx-external-data-escape"]) is escapes


def test_keras_archives_and_hdf5() -> None:
    assert problems_of(F.keras_archive()) == [] and format_of(F.keras_archive()) == "keras"
    assert [r for r, _, _ in problems_of(F.keras_archive(lambda_layer=True))] == ["keras-lambda"]
    assert [(r, d) for r, _, d in problems_of(F.keras_archive(module="evil_pkg.layers"))] == [
        ("keras-module", "evil_pkg.layers")
    ]
    hdf5 = b"\x89HDF\r\n\x1a\n" + b"\0" * 100 + F.keras_config(lambda_layer=True)
    assert [r for r, _, _ in problems_of(hdf5)] == ["keras-lambda"]


def test_model_code_in_configs() -> None:
    config = {
        "model_type": "x",
        "auto_map": {"AutoModel": "modeling_x.XModel", "AutoConfig": "configuration_x.XConfig"},
    }
    [(problem, key)] = code.json_problems(config)
    assert (problem.rule, key, problem.detail) == (
        "remote-code",
        "auto_map",
        "configuration_x.XConfig,modeling_x.XModel",
    )
    tokenizer = {
        "chat_template": [
            {"name": "default", "template": F.SAFE_TEMPLATE},
            {"name": "tool_use", "template": F.EVIL_TEMPLATE},
        ]
    }
    assert {p.rule for p, _ in code.json_problems(tokenizer)} == {"chat-template-code"}
    assert code.json_problems({"chat_template": F.SAFE_TEMPLATE}) == []
    for bad in (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x|attr('__class__') }}",
        "{{ m['__globals__'] }}",
        "{% set x = self._TemplateReference__context %}",
        "{{ lipsum.__globals__ }}",
    ):
        assert code.template_problems(bad, ""), bad
    assert code.template_problems("literal __class__ text, {{ message.content }}", "") == []


def test_sniffing_ignores_names_and_plain_files() -> None:
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00", 10) is None
    assert sniff(b"\x00\x01GGUF\x00", 6) is None
    assert sniff(b"def main():\n    return 0\n", 25) is None
    assert sniff(b"cos\nsystem\n(S'id'\ntR.", 21) == "pickle?"


def test_manifests_and_lfs_pointers() -> None:
    digest = "ab" * 32
    text = f"{digest}  model.safetensors\n{digest} *sub/w.bin\nSHA256 (other.bin) = {digest}\n# comment\n"
    entries = manifests.parse_manifest("models/SHA256SUMS", text)
    assert [(e.path, e.line) for e in entries] == [
        ("models/model.safetensors", 1),
        ("models/sub/w.bin", 2),
        ("models/other.bin", 3),
    ]
    assert [e.path for e in manifests.parse_manifest("m/model.bin.sha256", digest + "\n")] == ["m/model.bin"]
    assert manifests.candidates("a/b/w.bin")[:2] == [
        "a/b/w.bin.sha256",
        "a/b/SHA256SUMS",
    ] and "SHA256SUMS" in manifests.candidates("a/b/w.bin")
    pointer = manifests.parse_lfs_pointer(
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{digest}\nsize 12\n".encode()
    )
    assert pointer == manifests.LfsPointer(digest, 12)
    assert manifests.parse_lfs_pointer(b"version https://git-lfs.github.com/spec/v1\noid md5:00\nsize 1\n") is None


def test_model_signing_signature_lists_files() -> None:
    import base64

    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "predicateType": "https://model_signing/signature/v1.0",
        "subject": [{"name": "model", "digest": {"sha256": "cd" * 32}}],
        "predicate": {"resources": [{"name": "model.safetensors", "algorithm": "sha256", "digest": "ab" * 32}]},
    }
    bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "dsseEnvelope": {
            "payload": base64.b64encode(json.dumps(statement).encode()).decode(),
            "payloadType": "application/vnd.in-toto+json",
        },
    }
    entries = manifests.parse_signature("m/model.sig", bundle)
    assert entries is not None and ("m/model.safetensors", "ab" * 32) in [(e.path, e.sha256) for e in entries]
    assert manifests.parse_signature("x.json", {"a": 1}) is None


def test_allowlist_entries() -> None:
    allow = pickles.Allowlist.of(["a.b.C", "pkg:mod.Attr", "bad"])
    assert allow.allows("a.b", "C") and allow.allows("pkg", "mod.Attr") and not allow.allows("a", "b.C")


def test_gzip_members_inside_a_gzipped_tar_are_read() -> None:
    """A .tar.gz holding .tar.gz members (test fixtures of build tools) is an archive, not corrupt."""
    import gzip as _gzip
    import io as _io
    import tarfile as _tarfile

    from contribution_gate.checks.models import default_allowlist
    from contribution_gate.checks.models.budget import Limits
    from contribution_gate.checks.models.scan import scan

    inner = _io.BytesIO()
    with _tarfile.open(fileobj=inner, mode="w:gz") as tar:
        data = b"plain text\n"
        info = _tarfile.TarInfo("pkg/README")
        info.size = len(data)
        tar.addfile(info, _io.BytesIO(data))
    outer = _io.BytesIO()
    with _tarfile.open(fileobj=outer, mode="w:gz") as tar:
        info = _tarfile.TarInfo("fixtures/pkg-1.0.tar.gz")
        info.size = len(inner.getvalue())
        tar.addfile(info, _io.BytesIO(inner.getvalue()))
    stream = _io.BytesIO(outer.getvalue())
    result = scan(stream, len(outer.getvalue()), Limits(default_allowlist()))
    assert [p for p in result.problems if p.severity == "error"] == []
    assert _gzip.decompress(outer.getvalue())  # the fixture itself is well formed


def test_checksum_lines_are_parsed_in_linear_time() -> None:
    import time

    digest = "ab" * 32
    line = f"{digest}  x" + " " * 200_000 + "y"  # the lazy regex took 5 s at 20,000 blanks
    started = time.monotonic()
    assert [e.path for e in manifests.parse_manifest("SHA256SUMS", line)] == ["x" + " " * 200_000 + "y"]
    assert time.monotonic() - started < 10  # about 0.1 s; a quadratic scan of 400,000 characters takes hours
    assert [e.path for e in manifests.parse_manifest("SHA256SUMS", f"SHA256 (a (1).bin) = {digest}\n")] == ["a (1).bin"]


def test_chat_template_tags_are_found_in_linear_time() -> None:
    import time

    started = time.monotonic()
    assert code.template_problems("{{" * 200_000 + " x.__class__ ", "t") == []  # no closer: no tag
    assert time.monotonic() - started < 10  # about 0.1 s; a quadratic scan of 400,000 characters takes hours
    found = code.template_problems("{% if x %}{{ cycler.__init__.__globals__ }}{% endif %}", "t")
    assert {p.detail for p in found} >= {"cycler."}


def test_json_too_large_to_parse_is_unscanned_not_parsed() -> None:
    keras = F.zipped({"config.json": b'{"class_name": "Lambda", "config": [' + b"[]," * 2_100_000 + b"[]]}"})
    assert [(r, d) for r, _, d in problems_of(keras)] == [("unscanned", "json")]
