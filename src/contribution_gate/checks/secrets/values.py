"""Whether a value found next to a secret-sounding name reads as a credential.

The name-based rules (`generic-secret`, `netrc-password`) find *where* a value is assigned; these
tests decide whether the value is one: not code, a reference, a placeholder, a word or prose. Every
pattern here runs on at most a few hundred characters (a rule's value group is bounded) and is
linear anyway: no two repeats can trade characters (tests/regex_shape.py checks it).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# a call or index, a template or format field (`{x}`, `{f(x)}`), a URL, a decorator, a path, a regular
# expression, markup
_CODE_OR_REFERENCE = re.compile(
    r"^[A-Za-z_][\w.]*[(\[]|^\$|\$\{|\{\{|\{[^{}\s]{0,80}\}|%\(\w+\)|%[sd]$|://|^@|^\.{0,2}/|^<[^<>]*>$"
    r"|\(\?|\\[wsdbWSDB]|\[\^|^[<>]|[)}\]]$"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PIECES = re.compile(r"[-_.:/#=+@!?*&|~^]+")
_WORD = re.compile(r"[a-z]{3,}|[A-Z][a-z]{2,}")
# a word, an identifier part or a short number: `input`, `API`, `Key`, `camelCase`, `v19`, `argon2id`.
# camelCase as one lower-case run and then capitalised runs: `(?:[A-Z]?[a-z]+)+` said the same with
# two ways to split every run of letters (2^n tries on `aaaa...B`, the 55-byte hang of issue 13)
_WORDLIKE = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*\d{0,4}|[A-Z]+\d{0,4}|[a-z]+\d[a-z]+|\d{1,4}")
# words of prose beyond identifiers: `OAuth2`, `IPv6`, `8px`, `don't`
_PROSE_WORD = re.compile(r"[A-Z]+[a-z]+\d{0,4}|\d{1,6}[a-z]{0,3}|[A-Za-z]+['’][a-z]{1,2}")
_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'`«»“”‘’"
_PLACEHOLDER = re.compile(
    r"(?i)(?:x{4,}|\*{3,}|\.{3}|…|<[^<>]*>|\$\{|^\$|\{\{|\{[\w.]*\}|%\(|%s|changeme|change_me|your[_-]|example|dummy|placeholder|"
    r"redacted|replace[_-]?me|sample|not[_-]?a[_-]?real|fake|test[_-]?(?:key|token|secret|password)|"
    r"^arn:aws:|/secrets/|^projects/|^vault:|^(?:ssm|secretsmanager|keyvault|sm)://)"
)
_SEQUENCE = ("0123456789abcdefghijklmnopqrstuvwxyz" * 2) + "|" + ("9876543210" * 4)
_DEFAULT_PASSWORDS = frozenset(
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
    ]
)
# the last word of a name that holds a secret itself (`DB_PASSWORD`, `apiKey`, `secrets`), not one
# that describes it (`password_hint`, `token_description`, `secret_message`)
_SECRET_WORDS = frozenset(
    [
        "password",
        "passwd",
        "pwd",
        "pw",
        "pass",
        "passphrase",
        "secret",
        "token",
        "key",
        "apikey",
        "credential",
        "creds",
        "pin",
        "value",
        "val",
        "str",
        "string",
        "plain",
        "plaintext",
    ]
)
_URL_PATH_RUN = re.compile(r"[\w./-]*")
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def is_placeholder(secret: str) -> bool:
    """Template references, masked values, default passwords and the like: not credentials."""
    tail = secret[len(secret) // 3 :]  # past any prefix: `sk-proj-AAAA…`, `AKIA` + `AAAA…`
    words = [w for w in re.split(r"[\W_]+", unquote(secret).lower()) if w]  # `pass%20pass`
    return (
        bool(_PLACEHOLDER.search(secret))
        or len(set(tail)) <= 2
        or secret.lower() in _SEQUENCE  # `0123456789abcdef`, `abcdefgh`
        or bool(words)
        and all(w in _DEFAULT_PASSWORDS for w in words)
    )


def plausible(value: str) -> bool:
    """Whether a value without spaces assigned to a secret-sounding name could be a real secret.

    Not: code (`get(...)`, `${X}`, `settings.KEY`), a reference or path (`op://vault/item`,
    `prod/app/api-key`), a name or words joined by separators (`X-API-Key`, `argon2id-v19`,
    `MY_SECRET_KEY`), a single character class (`12345678`, `abcdefgh`), or shorter than eight.
    """
    value = value.strip("'\"`")
    if len(value) < 8 or _CODE_OR_REFERENCE.search(value) or len(value.split(maxsplit=1)) > 1:
        return False
    if _UUID.fullmatch(value) or sum(1 for c in _CLASSES if c.search(value)) < 2:
        return False
    pieces = [piece for piece in _PIECES.split(value) if piece]
    if ("/" in value or ":" in value) and sum(1 for p in pieces if _WORD.fullmatch(p)) >= 2:
        return False  # a reference: `github:org/repo#sha`, `prod/app/api-key`
    return not all(_WORDLIKE.fullmatch(piece) for piece in pieces)


def passphrase(value: str) -> bool:
    """Whether a value with spaces (`"s3cr3t pa55 w0rd-9f2k"`) is a passphrase rather than prose.

    Prose is made of words (`Enter your password`, `OAuth2 bearer token`, `Must be 8+ chars`); a
    passphrase has at least as many random-looking pieces (letters mixed with digits or symbols,
    not a word, a name or a number) as words, and at least one. Passphrases of dictionary words
    only (`correct horse battery staple`) read as prose and are not found.
    """
    value = value.strip()
    if len(value) < 8 or "\n" in value or _CODE_OR_REFERENCE.search(value.replace(" ", "")):
        return False
    random = words = 0
    for piece in value.split():
        if _CODE_OR_REFERENCE.search(piece):
            return False  # `+ rand(40),`: code between two string literals, not one value
        piece = piece.strip(_EDGE_PUNCTUATION)
        if not piece:
            continue
        if _random_piece(piece):
            random += 1
        else:
            words += 1
    return random >= 1 and random >= words


def _random_piece(piece: str) -> bool:
    if len(piece) < 4 or _PROSE_WORD.fullmatch(piece) or sum(1 for c in _CLASSES if c.search(piece)) < 2:
        return False
    return not all(_WORDLIKE.fullmatch(p) or _PROSE_WORD.fullmatch(p) for p in _PIECES.split(piece) if p)


def names_a_secret(name: str) -> bool:
    """Whether an assigned name's last word says it holds the secret itself: `DB_PASSWORD`,
    `apiKey`, `secret_key`, `passwords`, `TOKEN_2`; not `password_hint` or `token_description`."""
    words = [w.lower() for w in _NAME_WORDS.findall(name) if not w.isdigit()]
    if not words:
        return False
    last = words[-1]
    return last in _SECRET_WORDS or last.removesuffix("s") in _SECRET_WORDS


def after_image_query(text: str, start: int) -> bool:
    """Whether `start` follows `?name=` (or `&name=`) in the query of an image's or a badge's URL
    (`codecov.io/.../badge.svg?token=`): the token there is a public, read-only one, made to be
    published in READMEs. Linear: the URL is found by looking back at most 2,000 characters."""
    head = text[max(0, start - 2000) : start]
    if not head.endswith("="):
        return False
    url = head.split()[-1]
    for quote in "\"'`":
        url = url.rpartition(quote)[2]
    path, question, query = url.rpartition("?")
    name = query.rpartition("&")[2][:-1]
    if not question or "#" in query or not name or not all(c.isalnum() or c == "_" for c in name):
        return False
    lowered = path.lower()
    if lowered.endswith((".svg", ".png", ".gif", "/badge")):
        return True
    run = _URL_PATH_RUN.match(lowered[::-1])  # the path's last run of `[\w./-]`, read backwards
    tail = lowered[len(lowered) - run.end() :] if run else ""
    return "/graph/" in tail or "/graphs/" in tail
