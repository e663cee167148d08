"""Default and weak passwords: the words people and vendors' samples use (`changeme`, `tiger`), as
they are or dressed up with digits and symbols (`P@ssw0rd1`, `tiger^5HHH`). A value made of them is
made for a sample, whatever name it stands under."""

from __future__ import annotations

import re

LEET = str.maketrans("013457@$!", "oieastasi")
LEET_S = str.maketrans("013457@$!", "oisastasi")  # a 3 for an s (`pa33w0rd`)
# words that make a password a default or a sample, in any case, with digits for letters
WEAK_PASSWORD_WORDS = (
    "pass",
    "password",
    "passw",
    "secret",
    "changeme",
    "welcome",
    "admin",
    "qwerty",
    "letmein",
    "default",
    "example",
    "sample",
    "test",
    "demo",
    "guest",
    "root",
    "user",
    "hunter",
    "dummy",
    "fake",
)
DEFAULT_PASSWORDS = frozenset(
    [
        "password",
        "pass",
        "passwd",
        "pwd",
        "pw",
        "secret",
        "changeme",
        "root",
        "admin",
        "postgres",
        "mysql",
        "redis",
        "guest",
        "test",
        "user",
        "default",
        "toor",
        "1234",
        "12345",
        "123456",
        "qwerty",
        "letmein",
        "foo",
        "bar",
        "baz",
        "qux",
        "quux",
        "foobar",
        "hello",
        "world",
        "abc",
        "xyz",
        "asdf",
        "lorem",
        "ipsum",
        "hunter2",
        "scott",
        "tiger",
    ]
)


def default_password(secret: str) -> bool:
    """A default password dressed up: digits for letters (a 3 for an e or an s), a symbol put in
    (`Pass@word1`, Microsoft's samples) and a number or symbol before or after it (`P@ssw0rd1`,
    `Welcome123!`, `Adm1n2024`, `03#pa33w0rd`)."""
    # `03#pa33w0rd` (ansible's quoting example): what stands before the word is no letter of it
    bare = secret.rstrip("0123456789!@#$%^&*.?_-").lstrip("0123456789#%^&*.?_-").lower()
    cores = {bare.translate(LEET), bare.translate(LEET_S), "".join(c for c in bare if c.isalnum()).translate(LEET)}
    if any(core in DEFAULT_PASSWORDS or core in WEAK_PASSWORD_WORDS for core in cores):
        return True
    # a default word, a symbol and a few characters to pass a server's rules (`tiger^5HHH`, MSSQL's)
    mark = _DRESSING_MARK.search(secret)
    if mark is None:
        return False
    word, dressing = secret[: mark.start()].lower(), secret[mark.end() :]
    return len(word) >= 5 and word in DEFAULT_PASSWORDS and 0 < len(dressing) <= 5


_DRESSING_MARK = re.compile(r"[!@#$%^&*?_.-]")
