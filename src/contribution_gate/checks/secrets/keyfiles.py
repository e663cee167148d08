"""Files that are a key by their name and shape, with no keyword in them for a rule to find.

Rails' master key: `config/master.key`, or `config/credentials/<environment>.key` beside
`<environment>.yml.enc`, holds 32 hex digits that decrypt the committed `credentials.yml.enc`, so
the two together are every credential of the application. Rails' generator puts the key in
`.gitignore`; committing it is the classic Rails leak. In a sample file (tests, examples) it is a
warning, as a private key is.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from ...model import AddedLines
from . import judge
from .blocks import Found
from .lines import Hit, Kind, LineExcerpts

_RAILS_KEY = re.compile(r"[0-9a-f]{32}")
TITLE = "Rails master key (decrypts credentials.yml.enc)"
REMEDIATION = (
    "Remove the key file from the repository and add it to .gitignore, then rotate every credential in "
    "credentials.yml.enc (`bin/rails credentials:edit` with a new key: rm the key and the encrypted file, "
    "re-create both); deploy the key through RAILS_MASTER_KEY."
)


def is_key_file(path: str) -> bool:
    """Whether `path` is where Rails keeps a master key."""
    directory, name = posixpath.split(path)
    return name == "master.key" or (posixpath.basename(directory) == "credentials" and name.endswith(".key"))


def found_in(kind: Kind, added: AddedLines) -> Iterator[Found]:
    """The key, when the change adds a key file's first line and it is one."""
    if not added or added.lineno(0) != 1 or not is_key_file(kind.path):
        return
    line = added.text.split("\n", 1)[0]
    value = line.strip()
    if not _RAILS_KEY.fullmatch(value):
        return
    severity, note = judge.private_key(kind.context)
    start = line.find(value)
    hit = Hit("rails-master-key", TITLE, value, severity, REMEDIATION, start, start + len(value), note)
    yield Found(hit, 1, 1, value, LineExcerpts(line, 0, len(line), [hit]).around(hit))
