"""Model files built in memory, opcode by opcode: malicious and benign, for the `models` check's tests
and `benchmarks/models.py`. Nothing here is ever unpickled or loaded; no binary is committed.

`MALICIOUS` and `BENIGN` map a case name to (file name, bytes). Names are what a contributor would
use (a payload hides in `notes.txt`): the check must route by content.
"""

from __future__ import annotations

import gzip
import io
import json
import lzma
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable

# -- opcodes ------------------------------------------------------------------------------------------
MARK, STOP, TUPLE, TUPLE1, TUPLE2, REDUCE, BUILD = b"(", b".", b"t", b"\x85", b"\x86", b"R", b"b"
EMPTY_DICT, EMPTY_LIST, SETITEMS, APPENDS, NONE, NEWFALSE = b"}", b"]", b"u", b"e", b"N", b"\x89"
BINPERSID, STACK_GLOBAL, MEMOIZE = b"Q", b"\x93", b"\x94"


def proto(n: int) -> bytes:
    return b"\x80" + bytes([n])


def frame(body: bytes, claimed: int | None = None) -> bytes:
    return b"\x95" + struct.pack("<Q", len(body) if claimed is None else claimed) + body


def text(value: str) -> bytes:
    raw = value.encode()
    return (b"\x8c" + bytes([len(raw)]) if len(raw) < 256 else b"X" + struct.pack("<I", len(raw))) + raw


def binunicode(value: str) -> bytes:
    raw = value.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def integer(n: int) -> bytes:
    return b"K" + bytes([n]) if 0 <= n < 256 else b"J" + struct.pack("<i", n)


def binput(i: int) -> bytes:
    return b"q" + bytes([i])


def binget(i: int) -> bytes:
    return b"h" + bytes([i])


def raw_bytes(data: bytes) -> bytes:
    return b"B" + struct.pack("<I", len(data)) + data


def glob(module: str, name: str, protocol: int) -> bytes:
    """A global reference as that protocol spells it: GLOBAL (text) before 4, STACK_GLOBAL after."""
    if protocol >= 4:
        return text(module) + MEMOIZE + text(name) + MEMOIZE + STACK_GLOBAL
    return b"c" + f"{module}\n{name}\n".encode()


def call(module: str, name: str, args: bytes, protocol: int) -> bytes:
    return glob(module, name, protocol) + MARK + args + TUPLE + REDUCE


def pickle_of(body: bytes, protocol: int = 4, framed: bool | None = None) -> bytes:
    framed = protocol >= 4 if framed is None else framed
    head = proto(protocol) if protocol >= 2 else b""
    return head + (frame(body + STOP) if framed else body + STOP)


def payload(module: str, name: str, argument: str = "id", protocol: int = 4) -> bytes:
    """A pickle whose loading calls module.name(argument)."""
    arg = (
        text(argument) if protocol >= 3 else binunicode(argument) if protocol >= 1 else b"V" + argument.encode() + b"\n"
    )
    return pickle_of(call(module, name, arg, protocol), protocol)


# -- containers ---------------------------------------------------------------------------------------
def zipped(members: dict[str, bytes], stored: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def tarred(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def npy(descr: str, shape: tuple[int, ...], data: bytes) -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data


def safetensors(
    tensors: dict[str, tuple[str, list[int], int, int]], data: bytes, header_length: int | None = None
) -> bytes:
    header = json.dumps(
        {name: {"dtype": d, "shape": s, "data_offsets": [b, e]} for name, (d, s, b, e) in tensors.items()}
    ).encode()
    return struct.pack("<Q", len(header) if header_length is None else header_length) + header + data


# -- benign model files -------------------------------------------------------------------------------
def torch_state_dict(names: list[str], protocol: int = 2) -> bytes:
    """data.pkl of torch.save({name: tensor}): OrderedDict of _rebuild_tensor_v2 over persistent storages."""
    body = glob("collections", "OrderedDict", protocol) + b")" + REDUCE + MARK
    for index, name in enumerate(names):
        storage = (
            MARK
            + text("storage")
            + glob("torch", "FloatStorage", protocol)
            + text(str(index))
            + text("cpu")
            + integer(4)
            + TUPLE
            + BINPERSID
        )
        size = integer(2) + integer(2) + TUPLE2
        stride = integer(2) + integer(1) + TUPLE2
        args = (
            storage
            + integer(0)
            + size
            + stride
            + NEWFALSE
            + glob("collections", "OrderedDict", protocol)
            + b")"
            + REDUCE
        )
        body += text(name) + glob("torch._utils", "_rebuild_tensor_v2", protocol) + MARK + args + TUPLE + REDUCE
    body += SETITEMS
    return pickle_of(body, protocol, framed=protocol >= 4)


def torch_zip(names: list[str], extra: dict[str, bytes] | None = None) -> bytes:
    members = {"archive/data.pkl": torch_state_dict(names), "archive/byteorder": b"little", "archive/version": b"3\n"}
    for index in range(len(names)):
        members[f"archive/data/{index}"] = struct.pack("<4f", 0.5, -1.0, 2.0, 0.25)
    members.update(extra or {})
    return zipped(members)


def torch_legacy(names: list[str]) -> bytes:
    """The pre-1.6 torch.save format: five pickles (magic, protocol, sys info, object, keys), then storages."""
    magic = proto(2) + b"\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little") + STOP
    version = proto(2) + b"M\xe9\x03" + STOP
    info = proto(2) + EMPTY_DICT + MARK + text("little_endian") + b"\x88" + SETITEMS + STOP
    keys = proto(2) + EMPTY_LIST + MARK + b"".join(text(str(i)) for i in range(len(names))) + APPENDS + STOP
    storages = b"".join(struct.pack("<q", 4) + struct.pack("<4f", 1, 2, 3, 4) for _ in names)
    return magic + version + info + torch_state_dict(names) + keys + storages


def numpy_array_pickle(protocol: int = 2) -> bytes:
    """pickle.dumps(numpy.arange(4, dtype=float32)) as numpy writes it: _reconstruct, then BUILD."""
    body = (
        glob("numpy.core.multiarray", "_reconstruct", protocol)
        + MARK
        + glob("numpy", "ndarray", protocol)
        + integer(0)
        + TUPLE1
    )
    body += glob("_codecs", "encode", protocol) + MARK + text("b") + text("latin1") + TUPLE + REDUCE + TUPLE + REDUCE
    dtype = glob("numpy", "dtype", protocol) + MARK + text("f4") + integer(0) + integer(1) + TUPLE + REDUCE
    dtype += MARK + integer(3) + text("<") + NONE + NONE + NONE + b"J\xff\xff\xff\xff" * 2 + integer(0) + TUPLE + BUILD
    state = (
        MARK
        + integer(1)
        + integer(4)
        + TUPLE1
        + dtype
        + NEWFALSE
        + raw_bytes(struct.pack("<4f", 0, 1, 2, 3))
        + TUPLE
        + BUILD
    )
    return pickle_of(body + state, protocol)


# -- pickles an unpickler runs but a header-based scanner does not recognise ---------------------------
def headerless_protocol0() -> bytes:
    """`N0` (None, POP) before the payload: no PROTO, no recognisable start, still runs os.system."""
    return b"N0c" + b"os\nsystem\n(S'id'\ntR."


def protocol1_header() -> bytes:
    """PROTO 1, which no pickler writes but every unpickler accepts."""
    return proto(1) + b"c" + b"os\nsystem\n(S'id'\ntR."


def headerless_protocol4() -> bytes:
    """Protocol 4 opcodes (FRAME, SHORT_BINUNICODE, STACK_GLOBAL) without a PROTO."""
    body = call("os", "system", text("id"), 4) + STOP
    return frame(body)


def long_line_first(size: int = (1 << 20) + 4096) -> bytes:
    """A protocol 0 STRING longer than 1 MiB, popped, then the payload: a walker that gives up on
    long lines calls this "not a pickle"."""
    return b"S'" + b"a" * size + b"'\n0c" + b"os\nsystem\n(S'id'\ntR."


def crossed_frame() -> bytes:
    """A FRAME that ends inside BINUNICODE's length. Read from bytes (`pickle.loads`, a file with
    peek()) the length is 0xffff and the string swallows the payload; read from an io.BytesIO, as
    torch.load reads a zip's data.pkl, CPython's unpickler drops the frame's last bytes, reads the
    length from after the frame (0) and runs os.system."""
    hidden = b"\x00\x00\x00\x00" + b"0c" + b"os\nsystem\n(S'id'\ntR."
    return proto(4) + frame(b"X\xff\xff") + hidden + b"\x00" * (2 + 0xFFFF - len(hidden)) + STOP


def main_module_import() -> bytes:
    """Importing a package's __main__ runs its program: no call and no STOP needed."""
    return b"c" + b"unittest.__main__\nmain\n" + b"\xff"


def requirements_txt() -> bytes:
    """Text whose first bytes are opcodes (GLOBAL lick.requests) that nothing could run."""
    return b"click\nrequests\nnumpy>=1.24\ntorch==2.3.1\n"


def _builders() -> tuple[dict[str, Callable[[], tuple[str, bytes]]], dict[str, Callable[[], tuple[str, bytes]]]]:
    sneaky_memo = pickle_of(  # module and name reach STACK_GLOBAL through the memo, not right before it
        text("sub" + "process")
        + binput(0)
        + text("check_output")
        + binput(1)
        + NONE
        + b"0"
        + binget(0)
        + binget(1)
        + STACK_GLOBAL
        + MARK
        + EMPTY_LIST
        + text("id")
        + b"a"
        + TUPLE
        + REDUCE,
        4,
    )
    bad_frame_body = call("os", "system", text("id"), 4) + STOP
    malicious = {
        "os.system (protocol 0)": lambda: ("model.pkl", payload("os", "system", "id", 0)),
        "posix.system (protocol 2)": lambda: ("model.bin", payload("posix", "system", "id", 2)),
        "subprocess via the memo": lambda: ("model.pt", sneaky_memo),
        "builtins.eval": lambda: ("weights.pkl", payload("builtins", "eval", "1+1", 4)),
        "__builtin__.exec (python 2 name)": lambda: ("weights.pkl", payload("__builtin__", "exec", "pass", 2)),
        "importlib.import_module": lambda: ("model.ckpt", payload("importlib", "import_module", "os", 3)),
        "pip.main": lambda: ("model.ckpt", payload("pip", "main", "install", 4)),
        "pkgutil.resolve_name": lambda: ("model.ckpt", payload("pkgutil", "resolve_name", "os:system", 4)),
        "profile.run": lambda: ("model.ckpt", payload("profile", "run", "print(1)", 4)),
        "codecs.open": lambda: ("model.ckpt", payload("codecs", "open", "/etc/hostname", 4)),
        "marshal.loads": lambda: ("model.ckpt", payload("marshal", "loads", "c", 3)),
        "INST opcode (protocol 0)": lambda: ("model.pkl", b"(S'id'\nios\nsystem\n."),
        "FRAME length mismatch": lambda: ("model.bin", proto(4) + frame(bad_frame_body, len(bad_frame_body) - 7)),
        "truncated stream": lambda: ("model.bin", payload("collections", "OrderedDict", "x", 4)[:-6]),
        "pickle in a zip member named .txt": lambda: (
            "model.pt",
            torch_zip(["w"], {"archive/notes.txt": payload("os", "system", "id", 2)}),
        ),
        "torch zip with a malicious data.pkl": lambda: (
            "model.pt",
            zipped({"archive/data.pkl": payload("os", "system", "id", 2), "archive/version": b"3\n"}),
        ),
        "pickle in a gzip wrapper": lambda: ("weights.gz", gzip.compress(payload("subprocess", "Popen", "id", 3))),
        "pickle in a tar in gzip": lambda: (
            "bundle.tgz",
            gzip.compress(tarred({"model/weights.bin": payload("os", "system", "id", 4)})),
        ),
        "pickle in a numpy object array": lambda: ("array.npy", npy("|O", (1,), payload("os", "system", "id", 3))),
        "numpy object array in an npz": lambda: (
            "arrays.npz",
            zipped({"a.npy": npy("|O", (1,), payload("posix", "system", "id", 4))}),
        ),
        "protocol 0 without PROTO (N0cos...)": lambda: ("notes.txt", headerless_protocol0()),
        "PROTO 1 header": lambda: ("model.bin", protocol1_header()),
        "protocol 4 opcodes without PROTO": lambda: ("model.bin", headerless_protocol4()),
        "headerless data.pkl in a torch zip": lambda: (
            "model.pt",
            zipped({"archive/data.pkl": headerless_protocol0(), "archive/version": b"3\n"}),
        ),
        "zip member with a 1 MiB line first": lambda: (
            "model.pt",
            zipped({"archive/data.pkl": long_line_first(), "archive/version": b"3\n"}),
        ),
        "data.pkl unsafe only as torch reads it": lambda: (
            "model.pt",
            zipped({"archive/data.pkl": crossed_frame(), "archive/version": b"3\n"}),
        ),
        "import of a __main__ module": lambda: ("weights.bin", main_module_import()),
        "joblib zlib-compressed pickle": lambda: ("model.joblib", zlib.compress(payload("os", "system", "id", 4), 3)),
        "joblib lzma-compressed pickle": lambda: (
            "model.joblib",
            lzma.compress(payload("os", "system", "id", 4), format=lzma.FORMAT_ALONE),
        ),
        "Keras Lambda in a zip after a prefix": lambda: ("model.keras", b"\x00PREFIX" * 64 + keras_archive(True)),
    }
    benign = {
        "torch zip state dict": lambda: ("pytorch_model.bin", torch_zip(["encoder.weight", "encoder.bias"])),
        "torch legacy state dict": lambda: ("model.pt", torch_legacy(["weight"])),
        "numpy array pickle": lambda: ("array.pkl", numpy_array_pickle(2)),
        "numpy float array": lambda: ("array.npy", npy("<f4", (4,), struct.pack("<4f", 0, 1, 2, 3))),
        "npz of float arrays": lambda: ("arrays.npz", zipped({"a.npy": npy("<f4", (2,), b"\x00" * 8)}, stored=False)),
        "plain containers (protocol 5)": lambda: ("data.pkl", pickle_of(EMPTY_DICT + text("k") + EMPTY_LIST + b"s", 5)),
        "safetensors": lambda: (
            "model.safetensors",
            safetensors({"a": ("F32", [2, 2], 0, 16), "b": ("BF16", [4], 16, 24)}, b"\x00" * 24),
        ),
        "joblib zlib-compressed numpy array": lambda: ("array.joblib", zlib.compress(numpy_array_pickle(2), 3)),
        "requirements.txt (click, requests)": lambda: ("requirements.txt", requirements_txt()),
        "notes starting with N. and I": lambda: ("NOTES", b"N.B. read this first\nIt is short.\n"),
    }
    return malicious, benign


MALICIOUS_BUILDERS, BENIGN_BUILDERS = _builders()
NOT_MODELS = frozenset(("requirements.txt (click, requests)", "notes starting with N. and I"))  # benign text


def malicious() -> dict[str, tuple[str, bytes]]:
    return {name: build() for name, build in MALICIOUS_BUILDERS.items()}


def benign() -> dict[str, tuple[str, bytes]]:
    return {name: build() for name, build in BENIGN_BUILDERS.items()}


def corrupt_safetensors() -> dict[str, bytes]:
    layout = {"a": ("F32", [2], 0, 8), "b": ("F32", [2], 8, 16)}
    good = safetensors(layout, b"\x00" * 16)
    return {
        "lying header length": safetensors(layout, b"\x00" * 16, header_length=len(good) + 100),
        "trailing bytes": good + b"\x00" * 4,
        "overlapping offsets": safetensors({"a": ("F32", [2], 0, 8), "b": ("F32", [2], 4, 12)}, b"\x00" * 12),
        "shape does not match offsets": safetensors({"a": ("F32", [3], 0, 8)}, b"\x00" * 8),
        "gap between tensors": safetensors({"a": ("F32", [2], 0, 8), "b": ("F32", [2], 12, 20)}, b"\x00" * 20),
        "unknown dtype": safetensors({"a": ("Q7", [2], 0, 8)}, b"\x00" * 8),
    }


# -- GGUF, ONNX, configs --------------------------------------------------------------------------------
def _u32(n: int) -> bytes:
    return struct.pack("<I", n)


def _u64(n: int) -> bytes:
    return struct.pack("<Q", n)


def _gguf_string(value: str) -> bytes:
    raw = value.encode()
    return _u64(len(raw)) + raw


def gguf(
    metadata: dict[str, str | int], tensors: list[tuple[str, list[int], int, int]], data: bytes, version: int = 3
) -> bytes:
    """A GGUF file: header, metadata (strings and uint32s), tensor infos, 32-byte aligned data."""
    out = b"GGUF" + _u32(version) + _u64(len(tensors)) + _u64(len(metadata))
    for key, value in metadata.items():
        out += _gguf_string(key) + (_u32(8) + _gguf_string(value) if isinstance(value, str) else _u32(4) + _u32(value))
    for name, dims, kind, offset in tensors:
        out += _gguf_string(name) + _u32(len(dims)) + b"".join(_u64(d) for d in dims) + _u32(kind) + _u64(offset)
    return out + b"\x00" * (-len(out) % 32) + data


def _varint(n: int) -> bytes:
    out = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def _field(number: int, value: bytes | int) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def onnx_model(location: str | None = None, in_subgraph: bool = False) -> bytes:
    """A ModelProto with one initializer; `location` makes its data external."""
    tensor = _field(1, 4) + _field(2, 1) + _field(8, b"weight")
    if location is None:
        tensor += _field(9, struct.pack("<4f", 1, 2, 3, 4))
    else:
        tensor += _field(13, _field(1, b"location") + _field(2, location.encode())) + _field(14, 1)
    graph = _field(2, b"main") + _field(5, tensor)
    if in_subgraph:  # the tensor sits in an If node's then_branch attribute
        inner = _field(2, b"then") + _field(5, tensor)
        node = _field(4, b"If") + _field(5, _field(1, b"then_branch") + _field(6, inner) + _field(20, 5))
        graph = _field(1, node) + _field(2, b"main")
    return _field(1, 8) + _field(2, b"fixture") + _field(7, graph) + _field(8, _field(2, 17))


SAFE_TEMPLATE = "{% for message in messages %}<|{{ message['role'] }}|>{{ message['content'] }}{% endfor %}"
EVIL_TEMPLATE = (
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}{% for m in messages %}{{ m.content }}{% endfor %}"
)


def keras_config(lambda_layer: bool = False, module: str = "keras.layers") -> bytes:
    layers = [{"module": module, "class_name": "Dense", "config": {"units": 2}, "registered_name": None}]
    if lambda_layer:
        layers.append(
            {
                "module": "keras.layers",
                "class_name": "Lambda",
                "config": {"function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAA"}}},
            }
        )
    model = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": layers}}
    return json.dumps(model, indent=1).encode()


def keras_archive(lambda_layer: bool = False, module: str = "keras.layers") -> bytes:
    return zipped(
        {
            "metadata.json": b'{"keras_version": "3.0.0"}',
            "config.json": keras_config(lambda_layer, module),
            "model.weights.h5": b"\x89HDF\r\n\x1a\n" + b"\x00" * 64,
        }
    )
