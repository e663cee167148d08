"""The `models` check: model artefacts a change adds or modifies, read by content and never loaded.

Binaries are routed by their first bytes (`scan`): pickles (default-deny on globals),
archives and compressed wrappers (recursed into), numpy object arrays, safetensors, GGUF, ONNX,
HDF5. Text files are looked at when their content says so: a Git LFS pointer (verified against the
local object, else `unscanned`), a JSON config with `auto_map`, a chat template or a Keras config,
a checksum manifest or model-signing signature, new `modeling_*.py` next to weights, and any text
whose first byte an unpickler accepts (walked as a pickle: it is one only if loading it could run
code). A model file must match every checksum manifest that lists it, and, with `require-aibom`,
the AI-BOM's recorded hash. Everything read for one committed file shares one budget of bytes,
opcodes and time (`budget.Meter`, `containers.Budget`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import FileChange, Finding
from . import routes
from .settings import ID, Options, default_allowlist, options

__all__ = ["ID", "Options", "default_allowlist", "options", "scan_file"]


def scan_file(change: FileChange, opts: Options) -> Iterator[Finding]:
    """One committed file, within one budget of opcodes and time for everything read for it. A
    text file that no route concerns (most of any change) costs a look at its name and first line."""
    if change.status == "D" or change.blob is None or change.is_submodule:
        return
    if change.is_binary:
        from . import files

        yield from files.binary(change, opts)
        return
    found = routes.of_text(change)
    if found.pickle_only and not routes.starts_like_a_pickle(change, opts.content):
        return
    if found.any:
        from . import files

        yield from files.text(change, opts, found)
