"""Where a file's hosts are samples rather than infrastructure: tests, documentation and example
code (and every file of a repository of examples), recorded data, vector graphics, vendored
third-party code.

Without the organisation's zones the check judges hosts by their face alone (a private address, an
internal-only top-level name), and in these files such a host is nearly always a sample value: the
input of a URL parser's test, a no_proxy range under test, a docker-machine address in a tutorial,
a third party's address in a recorded response. So there they are at most warnings (`hosts.py`);
the zones stay errors everywhere.
"""

from __future__ import annotations

import re

from ...places import (
    DOC_FOLDERS,
    EXAMPLE_FOLDERS,
    LOCAL_SETUP_FOLDERS,
    is_api_description,
    is_ci_path,
    is_examples_repository,
    is_test_folder,
    is_test_path,
    is_vendored_path,
)
from ..textkinds import Kind

TEST, DOCUMENTATION, SAMPLE, VENDORED, EXAMPLES, CI = "test", "documentation", "sample", "vendored", "examples", "ci"

# folders of documentation and of example code for readers to copy
_DOC_FOLDERS = DOC_FOLDERS | EXAMPLE_FOLDERS
# text files that configure a build: `requirements-dev.txt`, `requirements/base.txt`, `CMakeLists.txt`
_CONFIG_TEXT = re.compile(r"requirements[^/]*$|constraints[^/]*\.txt$|cmakelists\.txt$|requirements/[^/]*$")
# folders of recorded exchanges (VCR cassettes, HAR captures, snapshot tests)
_RECORDING_FOLDERS = frozenset(
    ["cassettes", "vcr_cassettes", "recordings", "snapshots", "__snapshots__", "golden", "goldens", "mocks"]
)
# formats that record what happened (an HTTP archive, a log): their addresses are whoever was seen
_RECORD_FORMATS = frozenset(["har", "log"])
# records of people, not of hosts: `.mailmap` maps the addresses commits were once made from
_RECORD_NAMES = frozenset([".mailmap"])
# words of a file name that make it a template or a sample: `config.example.yaml`, `.env.sample`
_SAMPLE_WORDS = frozenset(["example", "examples", "sample", "samples", "template", "dist", "demo", "mock", "fake"])
# ... and, for the formats recordings are kept in, a recorded output: `result_output.json`, `response.xml`
_RECORDED_WORDS = frozenset(
    ["output", "outputs", "response", "responses", "result", "results", "expected", "golden", "snapshot"]
    + ["recorded", "recording", "cassette", "capture", "captured", "dump", "fixture", "fixtures"]
)
_RECORDED_FORMATS = frozenset(["json", "jsonl", "ndjson", "har", "yaml", "yml", "xml", "log", "txt", "csv", "tsv"])
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# vector graphics and font outlines: runs of numbers (`10.11.86.39` is `10.11 .86 .39`), not addresses
VECTOR = frozenset(["svg", "eps", "ps", "ai", "ttx", "glif", "vml"])


def repository_context(name: str) -> str:
    """`examples` for a repository of examples (`places.is_examples_repository`), where every
    file is example code; else ""."""
    return EXAMPLES if is_examples_repository(name) else ""


def is_config_text(path: str) -> bool:
    """A text file that configures a build (`requirements.txt`, `CMakeLists.txt`): read as
    configuration, not as a document."""
    return _CONFIG_TEXT.search(path.lower()) is not None


def file_context(path: str, kind: Kind) -> str:
    """`test`, `ci` (a CI service's configuration), `documentation`, `sample` or `vendored`
    (third-party code kept in the repository) for a file whose hosts are sample values, else ""."""
    *folders, name = path.split("/")
    low = [f.lower() for f in folders]
    if is_vendored_path(path):
        return VENDORED
    if is_test_path(path) or any(is_test_folder(f) for f in low):
        return TEST
    if is_ci_path(path):
        return CI  # a job's runner, its containers and VMs: containerd's Hyper-V gateway `172.21.16.1`
    if not is_config_text(path) and (
        kind.is_document
        or kind.ext in ("html", "htm", "xhtml", "ipynb")
        or any(f in _DOC_FOLDERS for f in low)
        or is_api_description(name)
    ):
        return DOCUMENTATION
    if any(f in _RECORDING_FOLDERS for f in low) or kind.ext in _RECORD_FORMATS or name.lower() in _RECORD_NAMES:
        return SAMPLE
    if not LOCAL_SETUP_FOLDERS.isdisjoint(low):
        return SAMPLE  # a local setup's addresses: a kind cluster's pods, a compose network
    if not kind.is_code:
        words = {w.lower() for w in _WORD.findall(name.rsplit(".", 1)[0] if "." in name[1:] else name)}
        words |= set(name.lower().split(".")[1:])  # `.env.example`, `app.sample.yaml`
        if words & _SAMPLE_WORDS or (kind.ext in _RECORDED_FORMATS and words & _RECORDED_WORDS):
            return SAMPLE
    return ""
