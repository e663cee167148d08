"""Files that are a store of credentials by their format, whatever their name: a KeePass password
database, a Java keystore. They hold no line for a rule to read (they are encrypted or binary),
but committing one publishes every credential in it to offline guessing of its password, and a
keystore's private keys to anyone when its password is the default (`changeit`). In a sample file
(tests, examples) it is a warning, as a private key is.
"""

from __future__ import annotations

from ...content import Content
from ...model import FileChange, Finding, fingerprint
from . import judge
from .context import Context

ID = "secrets"
# (magic at offset 0, what it is): KeePass 2 (.kdbx) and 1 (.kdb), Java's JKS and JCEKS keystores
_MAGIC = (
    (bytes.fromhex("03d9a29a67fb4bb5"), "a KeePass password database"),
    (bytes.fromhex("03d9a29a65fb4bb5"), "a KeePass 1 password database"),
    (bytes.fromhex("feedfeed"), "a Java keystore (JKS)"),
    (bytes.fromhex("cececece"), "a Java keystore (JCEKS)"),
)
REMEDIATION = (
    "Remove the file from the repository (and its history), then change every credential it holds and "
    "its own password: an encrypted store can be guessed at offline once published."
)


def what_store(head: bytes) -> str | None:
    """What credential store a file is by its first bytes, else None."""
    return next((what for magic, what in _MAGIC if head.startswith(magic)), None)


def scan(change: FileChange, content: Content | None, context: Context) -> list[Finding]:
    """A finding when the committed binary `change` is a credential store."""
    if content is None or change.blob is None or change.status == "D":
        return []
    with content.open(change.blob) as stream:
        head = stream.read(8) if stream is not None else b""
    what = what_store(head)
    if what is None:
        return []
    severity, note = judge.private_key(context)
    message = f"{change.path} is {what}" + (f" ({note})" if note else "")
    return [
        Finding(
            check=ID,
            rule="credential-store",
            severity=severity,
            path=change.path,
            line=None,
            commit=change.commit,
            message=message,
            remediation=REMEDIATION,
            fingerprint=fingerprint(ID, "credential-store", change.path, what),
        )
    ]
