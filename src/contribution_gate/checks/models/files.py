"""What the models check finds in one committed file it was routed to (`routes`): imported only
when a change holds such a file, so that reviews of ordinary code never load the pickle walker,
the archive readers or the format parsers."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

from ...content import chunks, size_of
from ...model import FileChange, Finding, Severity, fingerprint
from . import code, manifests, opcodes, pickles
from .budget import MAX_JSON_VALUES, Meter, json_values
from .problems import UNSCANNED, Problem, capped
from .routes import Routes
from .settings import ID, Options

if TYPE_CHECKING:
    from ...surveys import Survey

MAX_TEXT = 64 << 20
_BESIDE_WEIGHTS = re.compile(
    r"(?i)(?:\.(?:safetensors|bin|pt|pth|ckpt|gguf|onnx|h5|keras|msgpack|npz|pkl)|^config\.json)$"
)
REMEDIATION = {
    "pickle": "Ship the weights as safetensors. If this pickle must stay, review every global it imports and add the trusted ones to [models] allow-globals.",
    "archive": "Repack the archive so that every member can be read (no encryption, no duplicate names, no nesting beyond six levels).",
    "safetensors": "Re-export the file with the safetensors library; a valid file's offsets tile its data exactly.",
    "gguf": "Re-export the file with llama.cpp's gguf tools; its header must fit the file.",
    "onnx": "Keep external data files inside the model's directory and name them by relative paths.",
    "npy": "Re-save the array with numpy.save.",
    "remote-code": "Review the code the config names (trust_remote_code runs it), or use a model class the library ships and drop auto_map.",
    "model-code": "Review this code before anyone loads the model with trust_remote_code; weights do not need it.",
    "chat-template-code": "Use a template of plain loops, conditions and message fields: no attributes starting with _, no |attr.",
    "keras": "Replace Lambda layers and custom modules with layers keras ships, or review the code and load with safe_mode.",
    "lfs-unscanned": "Fetch the Git LFS objects so the gate can scan them: `git lfs pull`, or `lfs: true` in actions/checkout.",
    "lfs-object-mismatch": "The local object does not match its pointer: re-add the file (`git lfs track`, `git add`) and review it.",
    "unscanned": "Make the content available to the gate, or review the file by hand.",
    "checksum": "Review the change, then regenerate the manifest (`sha256sum FILES > SHA256SUMS`), or restore the listed file.",
    "aibom-outdated": "Run `contribution-gate aibom` and commit the updated AI-BOM with the model.",
    "over-budget": "If such a file is expected here, raise the [models] setting the message names (max-size, max-opcodes, max-seconds).",
    "too-many-problems": "Fix the problems listed; the file has more of the same kind.",
}


def _finding(
    change: FileChange, problem: Problem, opts: Options | None = None, path: str | None = None, line: int | None = None
) -> Finding:
    path = path or change.path
    family = next((k for k in REMEDIATION if problem.rule == k), None) or next(
        (k for k in REMEDIATION if problem.rule.startswith(k)), "unscanned"
    )
    severity = Severity(problem.severity)
    unscanned = problem.rule in UNSCANNED or (problem.rule == "too-many-problems" and problem.detail == "unscanned")
    if unscanned and opts is not None:
        severity = opts.unscanned
    where = f" (in {problem.where})" if problem.where else ""
    return Finding(
        check=ID,
        rule=problem.rule,
        severity=severity,
        path=path,
        line=line,
        end_line=line,
        message=problem.message + where,
        remediation=REMEDIATION[family],
        fingerprint=fingerprint(ID, problem.rule, path, f"{problem.where}|{problem.detail}"),
        commit=change.commit,
    )


def _unscanned(change: FileChange, opts: Options, why: str) -> Finding:
    return _finding(change, Problem("unscanned", f"not scanned: {why}", "warning", "", "unscanned"), opts)


@contextmanager
def _opened(change: FileChange, opts: Options) -> Iterator[tuple[BinaryIO | None, Finding | None]]:
    """The committed file's content, or (None, the finding that says why it cannot be read)."""
    if opts.content is None or change.blob is None:
        yield None, _unscanned(change, opts, "the file's content cannot be read here")
        return
    with opts.content.open(change.blob) as stream:
        yield stream, None if stream is not None else _unscanned(change, opts, "git cannot provide the file's content")


def binary(change: FileChange, opts: Options) -> Iterator[Finding]:
    """A binary file read by its format; a model file is then checked against its manifests."""
    meter = opts.limits.meter()
    with _opened(change, opts) as (stream, unreadable):
        if stream is None:
            if unreadable is not None:
                yield unreadable
            return
        surveyed = opts.surveys.of(change.blob) if opts.surveys is not None else None
        found, is_model = _scan_stream(change, stream, opts, meter, surveyed=surveyed)
    yield from found
    if is_model:  # after the blob is closed: reading other files must not spool it
        yield from _tree_rules(change, opts, meter)


def _scan_stream(
    change: FileChange, stream: BinaryIO, opts: Options, meter: Meter, where: str = "", surveyed: Survey | None = None
) -> tuple[list[Finding], bool]:
    """The findings in a binary (or LFS object) read by its format, and whether it is a model
    file (the manifests that list it are checked then); `surveyed`: another check's walk of this
    archive (`surveys`). The format readers and archive openers are imported here: a change of
    text files never needs them."""
    from .scan import MODEL_FORMATS, scan

    result = scan(stream, size_of(stream), opts.limits, meter, surveyed)
    if result.format == "lfs-pointer":
        stream.seek(0)
        return list(_lfs(change, stream.read(1025), opts, meter)), False
    if result.format == "onnx" and _another_protobuf(change.path, result.problems):
        return [], False
    found = [_finding(change, p.inside(where) if where else p, opts) for p in result.problems]
    return found, result.format in MODEL_FORMATS


def _another_protobuf(path: str, problems: list[Problem]) -> bool:
    """A protobuf that starts as an ONNX model does (a small `ir_version`, a field 7) but does not
    parse as one, in a file not named for ONNX: another schema's message (TorchServe's DALI
    pipeline, `default.dali`), which no ONNX loader would open. One named `.onnx` stays malformed."""
    named = path.lower().endswith((".onnx", ".ort", ".onnx.data"))
    return not named and bool(problems) and all(p.rule == "onnx-invalid" for p in problems)


def _read_all(change: FileChange, opts: Options) -> bytes | None:
    if opts.content is None or change.blob is None:
        return None
    with opts.content.open(change.blob) as stream:
        return None if stream is None else stream.read(MAX_TEXT)


def text(change: FileChange, opts: Options, routes: Routes) -> Iterator[Finding]:
    """A text file through the routes its name and first line opened (`routes.of_text`)."""
    meter = opts.limits.meter()
    if routes.code:
        yield from _model_code(change, opts)
    if routes.pickle and not routes.lfs:
        yield from _text_pickle(change, opts, meter)
    if not routes.reads_file:
        return
    data = _read_all(change, opts)
    if data is None:
        yield _unscanned(change, opts, "the file's content cannot be read here")
        return
    if routes.lfs:
        yield from _lfs(change, data, opts, meter)
    text = data.decode("utf-8", "replace")
    if routes.json and text.lstrip("\ufeff \t\r\n")[:1] == "{":
        yield from _json(change, text, opts, meter)
    if routes.template:
        yield from (_finding(change, p, opts) for p in code.template_problems(text, ""))
    if routes.manifest:
        yield from _verify(change, manifests.parse_manifest(change.path, text), opts, meter)


def _text_pickle(change: FileChange, opts: Options, meter: Meter) -> Iterator[Finding]:
    """A text file walked as a pickle from its first byte: reported only if loading it could run code."""
    with _opened(change, opts) as (stream, unreadable):
        if stream is None:
            if unreadable is not None:
                yield unreadable
            return
        first = stream.read(1)
        if not first or first[0] not in opcodes.FIRST:
            return
        found = pickles.scan(stream, 0, size_of(stream), opts.limits.allow, meter, strict=False)
    if found is not None:
        yield from (_finding(change, p, opts) for p in capped(found))
        yield from _tree_rules(change, opts, meter)


def _line_of(change: FileChange, needle: str) -> int | None:
    return next((line.lineno for line in change.added if needle in line.text), None)


def _json(change: FileChange, text: str, opts: Options, meter: Meter) -> Iterator[Finding]:
    values = json_values(text)
    if values > MAX_JSON_VALUES:
        yield _unscanned(change, opts, f"a JSON document of about {values} values, more than the gate parses")
        return
    try:
        data = json.loads(text)
    except ValueError:
        return
    except RecursionError:
        yield _unscanned(change, opts, "the JSON nests deeper than the gate follows")
        return
    for problem, key in code.json_problems(data):
        yield _finding(change, problem, opts, line=_line_of(change, f'"{key}"'))
    signed = manifests.parse_signature(change.path, data)
    if signed is not None:
        yield from _verify(change, signed, opts, meter)


def _model_code(change: FileChange, opts: Options) -> Iterator[Finding]:
    if opts.content is None:
        return
    directory = posixpath.dirname(change.path)
    beside = [n for n in opts.content.list_dir(directory) if _BESIDE_WEIGHTS.search(n)]
    if beside:
        problem = Problem(
            "model-code",
            f"new model code next to {', '.join(beside[:3])}: `trust_remote_code` runs it when the model loads",
            "error",
            "",
            change.path,
        )
        yield _finding(change, problem, opts, line=1)


def _lfs(change: FileChange, data: bytes, opts: Options, meter: Meter) -> Iterator[Finding]:
    pointer = manifests.parse_lfs_pointer(data)
    if pointer is None or opts.content is None:
        return
    local = opts.content.lfs_object(pointer.oid)
    if local is None:
        yield _finding(
            change,
            Problem(
                "lfs-unscanned",
                f"the Git LFS object {pointer.oid[:12]} ({pointer.size} bytes) is not in this clone, so it was not scanned",
                "warning",
                "",
                pointer.oid,
            ),
            opts,
        )
        return
    with open(local, "rb") as stream:
        actual = _sha256(stream, meter)
        size = size_of(stream)
        if actual is None:
            yield _finding(change, meter.over_time(), opts)
            return
        if actual != pointer.oid or size != pointer.size:
            yield _finding(
                change,
                Problem(
                    "lfs-object-mismatch",
                    f"the local Git LFS object for {pointer.oid[:12]} has sha256 {actual[:12]} and {size} bytes, "
                    f"not what the pointer says ({pointer.size} bytes)",
                    "error",
                    "",
                    pointer.oid,
                ),
                opts,
            )
            return
        found, is_model = _scan_stream(change, stream, opts, meter, where="Git LFS object")
    yield from found
    if is_model:
        yield from _tree_rules(change, opts, meter)


def _sha256(stream: BinaryIO, meter: Meter) -> str | None:
    """The stream's sha256, or None when the file's time budget runs out first."""
    digest = hashlib.sha256()
    for block in chunks(stream):
        if meter.expired():
            return None
        digest.update(block)
    return digest.hexdigest()


class _Hashes:
    """The sha256 of files as the reviewed tree has them (an LFS pointer's oid stands for its
    object), each computed once per committed file, within its time budget."""

    def __init__(self, opts: Options, meter: Meter) -> None:
        self.opts, self.meter = opts, meter
        self.known: dict[str, str | None] = {}

    def of(self, path: str) -> str | None:
        if path not in self.known:
            assert self.opts.content is not None
            with self.opts.content.open_path(path) as stream:
                if stream is None:
                    self.known[path] = None
                else:
                    pointer = manifests.parse_lfs_pointer(stream.read(1025))
                    self.known[path] = pointer.oid if pointer else _sha256(stream, self.meter)
        return self.known[path]


def _tree_rules(change: FileChange, opts: Options, meter: Meter) -> list[Finding]:
    """A model file against the manifests that list it and, with require-aibom, the AI-BOM."""
    if opts.content is None:
        return []
    found: list[Finding] = []
    hashes = _Hashes(opts, meter)
    for candidate in manifests.candidates(change.path):
        if candidate not in opts.manifests:
            continue
        with opts.content.open_path(candidate) as stream:
            text = None if stream is None else stream.read(MAX_TEXT).decode("utf-8", "replace")
        if text is not None:
            entries = [e for e in manifests.parse_manifest(candidate, text) if e.path == change.path]
            found += _verify(change, entries, opts, meter, manifest=candidate, hashes=hashes)
    if opts.require_aibom:
        with opts.content.open_path(opts.aibom) as stream:
            recorded = manifests.recorded_hashes(stream.read(MAX_TEXT)) if stream is not None else {}
        actual = hashes.of(change.path)
        if meter.expired():
            return [*found, _finding(change, meter.over_time(), opts)]
        if actual is not None and actual not in recorded.get(change.path, set()):
            state = "does not list it" if change.path not in recorded else "records another sha256"
            problem = Problem(
                "aibom-outdated", f"the model file changed and the AI-BOM {opts.aibom} {state}", "error", "", opts.aibom
            )
            found.append(_finding(change, problem, opts))
    return found


def _verify(
    change: FileChange,
    entries: list[manifests.Entry],
    opts: Options,
    meter: Meter,
    manifest: str | None = None,
    hashes: _Hashes | None = None,
) -> list[Finding]:
    """Every entry's file, as the reviewed tree has it, must have the listed sha256."""
    if opts.content is None:
        return []
    where = manifest or change.path
    hashes = hashes or _Hashes(opts, meter)
    found = []
    for entry in entries:
        actual = hashes.of(entry.path)
        if meter.expired():
            found.append(_finding(change, meter.over_time(), opts, path=where))
            break
        if actual == entry.sha256:
            continue
        if actual is None:
            problem = Problem(  # a release's checksums name downloads kept elsewhere: nothing here to verify
                "checksum-missing-file",
                f"{where} lists {entry.path}, which is not in the tree, so its sha256 is not verified here",
                "note",
                "",
                entry.path,
            )
        else:
            problem = Problem(
                "checksum-mismatch",
                f"{entry.path} does not match the sha256 {where} lists for it ({entry.sha256[:12]}, file {actual[:12]})",
                "error",
                "",
                entry.path,
            )
        found.append(_finding(change, problem, opts, path=where, line=entry.line))
    return found
