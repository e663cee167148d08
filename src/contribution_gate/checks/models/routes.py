"""Which parts of the models check a committed text file needs, told from its name and first line
alone: most files of a change need none, and then nothing more of the check is imported."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...model import FileChange
from .manifests import is_manifest_name

if TYPE_CHECKING:
    from ...content import Content

LFS_LINE = "version https://git-lfs.github.com/spec/"
_JSON_HINTS = ('"auto_map"', '"chat_template"', '"class_name"', '"dsseEnvelope"')
_TEMPLATE_EXTENSIONS = frozenset(["", "jinja", "jinja2", "j2", "txt", "tmpl", "template"])
_CODE_NAME = re.compile(
    r"^(?:modeling|configuration|tokenization|processing|image_processing|feature_extraction)_\w+\.py$"
)
# first bytes an unpickler does not refuse at once (it would need something already on the stack,
# a mark or the memo); INST is in: the pure-Python unpickler imports before it looks for its MARK
FIRST = frozenset(b"(FIJKLMNPSTUVXcGi}])BC\x80\x82\x83\x84\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x95\x96\x97")


@dataclass(frozen=True)
class Routes:
    """What to look at in one text file: each flag one kind of model artefact it may be."""

    lfs: bool = False  # a Git LFS pointer
    pickle: bool = False  # its first byte is one an unpickler accepts
    json: bool = False  # a config with auto_map, a chat template, a Keras config, a signature
    template: bool = False  # a chat template file
    code: bool = False  # new model code (`modeling_*.py`)
    manifest: bool = False  # a checksum manifest

    @property
    def any(self) -> bool:
        return self.lfs or self.pickle or self.json or self.template or self.code or self.manifest

    @property
    def pickle_only(self) -> bool:
        """Only the pickle route, open because line 1 is not among the added lines (a modified file)."""
        return self.pickle and not (self.lfs or self.json or self.template or self.code or self.manifest)

    @property
    def reads_file(self) -> bool:
        """Whether a route needs the whole file (the code and pickle routes read it themselves)."""
        return self.lfs or self.json or self.template or self.manifest


def of_text(change: FileChange) -> Routes:
    name = posixpath.basename(change.path)
    line = first_line(change)
    joined = change.added.text
    return Routes(
        lfs=(line or "").startswith(LFS_LINE),
        pickle=_pickle_candidate(change, line) is not False,
        json=any(hint in joined for hint in _JSON_HINTS),
        template=_template_name(name) and ("{{" in joined or "{%" in joined),
        code=bool(_CODE_NAME.match(name)) and change.status in ("A", "C", "R"),
        manifest=is_manifest_name(change.path),
    )


def first_line(change: FileChange) -> str | None:
    """Line 1 when the change adds it, without making an object of every added line."""
    lines = change.added
    if not lines or lines.lineno(0) != 1:
        return None
    end = lines.text.find("\n")
    return lines.text if end < 0 else lines.text[:end]


def _template_name(name: str) -> bool:
    """A chat template file (`chat_template.jinja`, `chat_template_tool_use.j2`): a template's or a
    text's extension, or none; source code named for templates (trl's `chat_template_utils.py`,
    whose strings hold templates among its own code) is code, and a JSON file is the JSON route's."""
    stem, extension = posixpath.splitext(name)
    return "chat_template" in stem and extension[1:].lower() in _TEMPLATE_EXTENSIONS


def starts_like_a_pickle(change: FileChange, content: Content | None) -> bool:
    """The committed file's first byte is one an unpickler accepts (True when it cannot be read:
    the file reader says why): a modified text file mostly is not, and costs one byte then."""
    if content is None or change.blob is None:
        return True
    with content.open(change.blob) as stream:
        first = stream.read(1) if stream is not None else None
    return first is None or (first[:1] != b"" and first[0] in FIRST)


def _pickle_candidate(change: FileChange, line: str | None) -> bool | None:
    """Whether the text's first byte is one an unpickler accepts, judged from its first line (`line`,
    when the change adds it); None when only the file can tell (line 1 is not among the added lines)."""
    if line is not None:
        first = line[:1]
        return first == "\ufffd" or (first.isascii() and first != "" and ord(first) in FIRST)
    return None if change.added or change.status != "A" else False
