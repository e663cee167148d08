"""Whether a value found next to a secret-sounding name reads as a credential.

The name-based rules (`generic-secret`, `netrc-password`) find *where* a value is assigned; these
tests decide whether the value is one (`verdict`): not code or a reference, not a number, a date,
a version, an address, a UUID (a sample at most) or a digest, not a placeholder, not words (`words.py`: a bigram model
tells `polar-development` from `oxpf4a93fjovt0`), and random enough for its alphabet and length.
A value built by hand (`A1B2C3D4A1B2C3D4`, `API-1234567890ABCDEF`) is a `SAMPLE`: reported, as a
warning. Every pattern here runs on at most a few hundred characters (a rule's value group is
bounded) and is linear anyway: no two repeats can trade characters (tests/regex_shape.py checks it).
"""

from __future__ import annotations

import base64
import binascii
import enum
import math
import re
from collections import Counter
from itertools import pairwise
from urllib.parse import unquote

from .der import public_key
from .passwords import DEFAULT_PASSWORDS, LEET, WEAK_PASSWORD_WORDS, default_password
from .words import is_trivial_number, named_of_words, pieces, wordiness, words_only


class Verdict(enum.IntEnum):
    """What a value reads as: not a secret, a hand-made sample, or a secret."""

    NONE = 0
    SAMPLE = 1
    SECRET = 2


# a value that may be base64 (see `base64_text`)
_BASE64_VALUE = re.compile(r"[A-Za-z0-9+/]{4,}={0,2}")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
# `your` or `some` before a capital: a value that says what to put there (`yourStrong(!)Password`,
# `YourApiKey`, eShop's `@someThingComplicated1234`)
_YOUR_WORD = re.compile(r"(?:^|[^A-Za-z])(?:[Yy]our|[Ss]ome)[A-Z]")
# a type where a value would be: GraphQL's `password: String!`, TypeScript's `token: string;`
_TYPE_NAME = re.compile(
    r"\[?(?:String|Int|Float|Boolean|ID|string|number|boolean|any|unknown|str|int|bytes|bool|SecretStr|Secret)"
    r"(?:!?\]!?|!)?[?;,):]*"
)
# a setting's or a model parameter's dotted name: three parts or more, each a word, a short piece
# or an index (`fs.s3.cse.kms.keyId`, `transformer.layers.0.mlp.dense_h_to_4h.bias`)
_PROPERTY_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}(?:\.(?:[a-z_][a-zA-Z0-9_]{0,40}|[0-9]{1,4})){2,12}")
# a NATS public key (an account's, a user's, an operator's: base32 after its role's letter), the
# identity a seed (`S...`) signs for: what `nkey:` in a NATS server's configuration names
_NATS_PUBLIC_KEY = re.compile(r"[ACNOUX][A-Z2-7]{55}")
# a path of words (`policydb/groups/`) or a Kubernetes name with a DNS prefix (`argocd.argoproj.io/hook`)
_WORD_PATH = re.compile(r"(?:[a-z]{1,24}(?:-[a-z]{1,24})*[./])+(?:[a-z]{1,24}(?:-[a-z]{1,24})*)?")
# a call or index, a template or format field (`{x}`, `{f(x)}`), a URL or data URI, a decorator, a
# path, a regular expression, markup
_CODE_OR_REFERENCE = re.compile(
    r"^[A-Za-z_][\w.]*[(\[]|^\$|\$\{|^#\{|\{\{|\{[^{}\s]{0,80}\}|%\(\w+\)|%[sd]$|%\d{0,3}\.\d{0,3}[fFgGeE]|://|^@|^\.{1,2}/|^<[^<>]*>$"
    r"|\(\?|\\[wsdbWSDB]|\[\^|^[<>(]|[)}\]]$|^data:|^~/|^[A-Za-z]:\\"
    r"|\[[^\[\]]{1,80}\](?:[*+?]|\{\d)"  # a regular expression's class and quantifier: `[A-Za-z0-9]{40,90`
    r"|[\w)]=>|[A-Za-z_]\w*\.[A-Za-z_]\w*\("  # an arrow function, a method's call: minified code (`l})=>P.jsx(Vl`)
)
_SNAKE_PIECE = r"(?:\d{0,2}[A-Za-z]{1,12}\d{0,2})"
_SNAKE_CASE = re.compile(rf"{_SNAKE_PIECE}(?:_{_SNAKE_PIECE}){{1,8}}")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PIECES = re.compile(r"[-_.:/#=+@!?*&|~^]+")
_WORD = re.compile(r"[a-z]{3,}|[A-Z][a-z]{2,}")
# a word, an identifier part or a short number: `input`, `API`, `Key`, `camelCase`, `v19`, `argon2id`.
# camelCase as one lower-case run and then capitalised runs: `(?:[A-Z]?[a-z]+)+` said the same with
# two ways to split every run of letters (2^n tries on `aaaa...B`, the 55-byte hang of issue 13)
_WORDLIKE = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)*\d{0,4}|[A-Z]+\d{0,4}|[a-z]+\d[a-z]+|\d{1,4}")
# words of prose beyond identifiers: `OAuth2`, `IPv6`, `8px`, `don't`
_PROSE_WORD = re.compile(r"[A-Z]+[a-z]+\d{0,4}|\d{1,6}[a-z]{0,3}|[A-Za-z]+['’][a-z]{1,2}")
_DIGITS_IN_LETTERS = re.compile(r"[A-Za-z]\d{1,3}[A-Za-z]")
_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z0-9]"))
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'`«»“”‘’"
_PLACEHOLDER = re.compile(
    r"(?i)(?:x{4,}|\*{3,}|\.{3}|…|<[^<>]*>|&lt;|\$\{|^\$|\{\{|\{[\w.]*\}|%\(\w+\)|%s(?![^\s\x22\x27/:@])|changeme|change_me|your[_-]|example|dummy|placeholder|"
    r"redacted|replace[_-]?me|sample|not[_-]?a[_-]?real|fake|nonexist|bogus|test[_-]?(?:key|token|secret|password)|"
    r"^arn:aws:|/secrets/|^projects/|^vault:|^(?:ssm|secretsmanager|keyvault|sm)://)"
)
# a date or a time of day anywhere in the value (`2024-05-01T12:00:00Z`, `12:00:00.123`); a version
# (`v1.2.3`, `4.0.0.0`, `1.2.3-rc.1`); a dotted IPv4 address; a host name; an e-mail address
_DATE_OR_TIME = re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d")
_VERSION = re.compile(r"[vV]?\d{1,6}(?:\.\d{1,6}){1,4}(?![0-9A-Za-z])")
# a package pinned to a version: `aiohttp==3.13.5`, `django>=4.2,<5`, `lodash@^4.17.21`
_PIN = re.compile(
    r"[A-Za-z0-9][\w.\[\]-]*(?:(?:===?|[<>]=?|[~!]=)\s*[vV]?\d+(?:\.[\w*+!-]+)*)"
    r"(?:,\s*(?:===?|[<>]=?|[~!]=)\s*[vV]?\d+(?:\.[\w*+!-]+)*)*|[A-Za-z0-9@][\w./-]*@[\^~]?\d+(?:\.[\w*-]+)+"
)
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?")
_HOST = re.compile(r"(?:[a-z0-9-]{1,63}\.){1,10}[a-z]{2,24}")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,10}")
# names of algorithms and protocols: SSH key exchanges, ciphers and MACs, KDFs, JOSE and TLS
# names (`ecdh-sha2-nistp256`, `curve25519-sha256`, `aes256-gcm96`, `hmac-sha2-256-etm@openssh.com`)
_ALGORITHM_NAME = re.compile(r"[a-z0-9]{1,40}(?:[-_.@+][a-z0-9]{1,40}){1,8}")
_ALGORITHM_RUN = re.compile(r"[a-z]+")
_ALGORITHM_VOCABULARY = """
    sha md aes gcm cbc ctr ecb cfb ofb ccm xts siv ecdh ecdhe ecdsa eddsa ed curve nistp secp prime
    rsa dsa dss dh dhe hmac pbkdf scrypt bcrypt argon id chacha xchacha poly kem mlkem kyber sntrup
    ssh tls ssl etm umac blake siphash hkdf rc des tdes camellia aria gost sm rsassa pss pkcs oaep
    mgf hs rs es ps openssh com group exchange diffie hellman cert nopad base url hex crc murmur
    xxhash ripemd keccak shake x v a kw gcmkw
"""
_ALGORITHM_WORDS = frozenset(_ALGORITHM_VOCABULARY.split())
# a digest named as such (`sha256:...`, `sha512-...`, `md5=...`)
_DIGEST_PREFIX = re.compile(r"(?i)(?:sha(?:1|224|256|384|512)?|sha3-\d{3}|md5|blake2[bs]?|crc32c?)[:=-]")
_HEX = re.compile(r"[0-9a-f]{1,256}|[0-9A-F]{1,256}")
# a file's name or path: `src/app.py`, `certs/server.pem`
_FILE_NAME = re.compile(
    r"(?i)\.(?:py|pyi|js|mjs|cjs|ts|tsx|jsx|json|ya?ml|toml|txt|md|rst|pem|crt|cer|der|key|p12|pfx|jks|env|cfg|"
    r"conf|ini|xml|html?|go|rs|java|kt|rb|php|cs|sh|lock|png|jpe?g|gif|svg|csv|log|db|sqlite|zip|gz)$"
)
# a path of short segments: `/v2/webhooks`, `/api/users/me` (base64 that begins with `/` has long runs)
_ROUTE = re.compile(r"(?:/[\w.-]{1,24}){2,12}/?")
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")
_DIGEST_LENGTHS = frozenset([32, 40, 56, 64, 96, 128])
_UNITS = frozenset(["ms", "s", "m", "h", "d", "k", "kb", "mb", "gb", "tb", "px", "em", "rem", "pt", "ns", "us", "%"])
_SEPARATORS = str.maketrans("", "", "-_.")
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
# the pieces of a value that names itself: `jwt-token-123`, `my-api-key-1`
_SELF_NAMES = frozenset(
    ["password", "passwd", "pass", "pwd", "secret", "token", "key", "apikey", "jwt", "credential", "creds", "auth"]
)
# an HTTP header's name (`X-Voyageai-Api-Key`, `Ocp-Apim-Subscription-Key`, `x-goog-api-key`): words
# of letters joined by hyphens, each capitalised, lower-case or upper-case, ending in a credential's
# name; the name of the header that carries a key, not the key (a brand's word need not read as one)
_HEADER_WORD = r"(?:[A-Z](?:[a-z]{1,24}|[A-Z]{1,24})?|[a-z]{1,25})"
_HEADER_NAME = re.compile(f"{_HEADER_WORD}(?:-{_HEADER_WORD}){{1,6}}")
# a command-line option's name (`--s3-ibm-api-key` in a manual's heading), not its value
_OPTION = re.compile(r"--[a-z][a-z0-9]{0,30}(?:-[a-z0-9]{1,30}){0,8}")
_HEADER_ENDS = frozenset(["key", "token", "secret", "signature", "auth", "authorization", "apikey", "password"])
# a key that says it is for development only (Django's `django-insecure-` prefix)
_INSECURE = re.compile(r"(?i)insecure")
_ALPHABETS = (
    (frozenset("0123456789abcdef"), 16),
    (frozenset("0123456789ABCDEF"), 16),
    (frozenset("0123456789abcdefghijklmnopqrstuvwxyz"), 36),
    (frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 36),
    (frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), 62),
)
_SEQUENCE = ("0123456789abcdefghijklmnopqrstuvwxyz" * 2) + "|" + ("9876543210" * 4)
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
        or _YOUR_WORD.search(secret) is not None  # `yourStrong(!)Password`, `YourApiKey`
        or _counted_base64(secret)
        or len(set(tail)) <= 2
        or secret.lower() in _SEQUENCE  # `0123456789abcdef`, `abcdefgh`
        or bool(words)
        and all(w in DEFAULT_PASSWORDS or (w.isdigit() and len(w) <= 6) for w in words)
        and not all(w.isdigit() for w in words)
        or default_password(secret)
    )


def _counted_base64(secret: str) -> bool:
    """A value holding the base64 of text made by hand (`QUJDREVGR0hJSktMTU5PUFFS...` is
    `ABCDEFGHIJKLMNOPQR...`, `patterned`): a sample key written by typing the alphabet, as in
    `my-minio-key:<base64>`."""
    for run in _BASE64_RUN.findall(secret):
        text = base64_text(run[: len(run) - len(run) % 4])
        if text is not None and len(text) >= 12 and patterned(text):
            return True
    return False


def is_code(value: str) -> bool:
    """Code, a template or a reference rather than a literal (`{password}`, `${PW}`, `f(x)`)."""
    return bool(_CODE_OR_REFERENCE.search(value))


def plausible(value: str) -> bool:
    """Whether a value assigned to a secret-sounding name could be a secret at all (the rules'
    cheap filter; `verdict` with the name and the file decides the rest)."""
    return verdict(value, uuid=True, password=True) is not Verdict.NONE


def unwrap(value: str) -> str | None:
    """The value as written between its quotes, or None when it is no literal text: escape
    sequences (`b'\\x89PNG\\r\\n'`, troff's `\\fB`, a JSON-escaped line of code) make bytes or
    markup, not a typed secret. `\\/` (JSON's escaped slash) and a trailing escaped newline (a
    notebook's source line) are read through."""
    value = value.strip("'\"`")
    if value.endswith("\\n"):
        value = value[:-2]
    if "\\" in value:
        value = value.replace("\\/", "/")
        if "\\" in value:
            return None
    return value


def verdict(
    value: str, *, min_length: int = 8, digest_context: bool = False, uuid: bool = False, password: bool = False
) -> Verdict:
    """What a value without spaces reads as (`digest_context`: the name or the line speaks of a
    hash; `uuid`: a random UUID is a sample, as some services' keys are UUIDs, rather than nothing;
    `password`: the name says password, where people's passwords are made of words).

    Not a secret: code or a reference (`get(...)`, `${X}`, `settings.KEY`, `op://vault/item`),
    a number, a date or time, a version, an address or host, a digest in a digest's context,
    a placeholder, a value that names itself (`jwt-token-123`, `my-api-key-1`), an algorithm's
    name (`ecdh-sha2-nistp256`), words
    (`X-API-Key`, `polar-development`, `IAmSensitive`; but a password of words with digits and
    symbols, `Summer2024!Corp`, is one), one class of characters, or too little entropy for its
    length and alphabet. A sample: a value made mostly of counting runs or of one unit repeated
    (`abcd1234abcd1234`), or a key that says it is for development only (`django-insecure-...`).
    Percent escapes are decoded first.
    """
    raw = unwrap(value)
    if raw is None or _CODE_OR_REFERENCE.search(raw) or _TYPE_NAME.fullmatch(raw) or raw.startswith("/^"):
        return Verdict.NONE  # (`/^...`: a regular expression literal, `RFC7230_TOKEN = /^[!#$%&'*+...]+$/`)
    text = unquote(raw) if "%" in raw else raw
    if _PROPERTY_NAME.fullmatch(text) and _dotted_name(text.split(".")):
        return Verdict.NONE  # `fs.s3.cse.kms.keyId`: a setting's name (Hadoop's, Spring's), not its value
    if "/" in text and _WORD_PATH.fullmatch(text):
        return Verdict.NONE  # a path or a name of lower-case words (`policydb/groups/`), not a token
    if len(text) < min_length or len(text.split(maxsplit=1)) > 1:
        return Verdict.NONE
    if text.isalpha() and not text.isascii():
        return Verdict.NONE  # `Slaptažodis`, `Lösenord`: a word of a translation, not a token
    if sum(1 for c in text if c.isalpha() and not c.isascii()) >= 3:
        return Verdict.NONE  # `按照如下格式输入：APIKey-AppId`: a sentence of a language written without spaces
    decoded = base64_text(text)
    if decoded is not None:  # `password: bXlwYXNzd29yZA==` (a Kubernetes Secret's data): judged as the text
        return verdict(decoded, min_length=min_length, digest_context=digest_context, uuid=uuid, password=password)
    if (
        _structured(text)
        or is_placeholder(text)
        or names_itself(text)
        or header_name(text)
        or _NATS_PUBLIC_KEY.fullmatch(text)
        or _OPTION.fullmatch(text)
        or _FILE_NAME.search(text)
        or algorithm_name(text)
    ):
        return Verdict.NONE
    if text.startswith("/") and (_ROUTE.fullmatch(text) or words_only(text) or _reference(text)):
        return Verdict.NONE  # a path: `/run/secrets/db_password` (base64 may begin with `/` too)
    body = text.translate(_SEPARATORS)  # `s-s4t2ud-d91c...`: dashes join parts, they are no alphabet
    if UUID.fullmatch(text) or _affixed_uuid(text):  # as often an id (a request's, a share's) as a key
        return Verdict.SAMPLE if uuid and entropy(body) >= _entropy_floor(body) else Verdict.NONE
    if _DIGEST_PREFIX.match(text) or (digest_context and len(text) in _DIGEST_LENGTHS and _HEX.fullmatch(text)):
        return Verdict.NONE
    if text.startswith("M") and public_key(text):
        return Verdict.NONE
    core = body.strip(_PUNCTUATION)  # `#bygroup`, `:symbol`: a sign before a word adds no class
    classes = sum(1 for c in _CLASSES if c.search(core))
    if classes < 2 or _reference(text) or _slug(text):
        return Verdict.NONE
    if words_only(text):
        return Verdict.SECRET if password and human_password(text) else Verdict.NONE
    if not password and (named_of_words(text) or _tagged_name(text) or _capitalised_word(text) or _snake_case(text)):
        return Verdict.NONE
    if entropy(body) < _entropy_floor(body):
        return Verdict.NONE
    if patterned(text) or _INSECURE.search(text):
        return Verdict.SAMPLE
    return Verdict.SECRET


def _snake_case(text: str) -> bool:
    """An identifier in one case with its words joined by underscores (`jinja2_env_sync`, a
    settings key; `DDMMYYYY_TIME_12H`, an enum's member): pieces of letters with at most two digits
    before or after them. A token in one case has long pieces, or digits all through them."""
    return _SNAKE_CASE.fullmatch(text) is not None and (text.islower() or text.isupper())


def _capitalised_word(text: str) -> bool:
    """A word with a capital and lower-case letters after it (`Wolfgang`, `Berlin`: a name, Gradio's
    tokens of a tagged sentence), which a bigram table may score as no English word. A token of
    letters alone mixes its cases all along: one of n letters has this shape once in 2^n."""
    return text.isalpha() and text.isascii() and text[0].isupper() and text[1:].islower()


def base64_text(value: str) -> str | None:
    """The printable text a value is the base64 encoding of (`bXlwYXNzd29yZA==` is `mypassword`),
    else None. Random bytes are printable text about once in 10^10 for a 24-character value, so a
    token (which encodes random bytes, or is no encoding at all) is never read as one."""
    if len(value) % 4 or not _BASE64_VALUE.fullmatch(value):
        return None
    try:
        text = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() and text.strip() else None


def algorithm_name(text: str) -> bool:
    """A lower-case name of parts that are all algorithm words and numbers (`ecdh-sha2-nistp256`):
    an SSH or TLS setting's value, not a secret."""
    low = text.lower() if text.isupper() else text  # JOSE's upper-case names: `A128CBC-HS256`, `ECDH-ES+A128KW`
    if not _ALGORITHM_NAME.fullmatch(low):
        return False
    runs = _ALGORITHM_RUN.findall(low)
    return len(runs) >= 2 and all(run in _ALGORITHM_WORDS for run in runs)


def _reference(text: str) -> bool:
    """A path or reference made of words (`github:org/repo#<sha>`, `prod/app/api-key`,
    `/Default/CodeStyle/=<guid>/@Value`): a `/` or `:`, two parts that are words, and words for
    at least half of what is not hex digits (ids, hashes). Base64's `/` joins random runs."""
    if "/" not in text and ":" not in text:
        return False
    parts = [part for part in _PIECES.split(text) if part]
    words = [p for p in parts if _WORD.search(p) and words_only(p)]
    if len(words) < 2:
        return False
    rest = sum(len(p) for p in parts if not all(c in _HEXDIGITS for c in p))
    return sum(len(p) for p in words) * 2 >= rest


def _slug(text: str) -> bool:
    """An identifier of words, acronyms and numbers joined by `-`, `_` or `.`, none mixing letters
    and digits (`adi-bsd-2011`, `AGPL-3.0-only`, `Adobe-Glyph`): a name (a license's, a
    package's), where a token mixes them (`db0r-s20dgab9a0iv`) or has groups of random letters."""
    parts = [part for part in re.split(r"[-_.]", text) if part]
    if len(parts) < 2:
        return False
    return all(p.isdigit() or (p.isalpha() and (p.islower() or len(p) <= 4 or wordiness(p) >= 0.3)) for p in parts)


def _dotted_name(parts: list[str]) -> bool:
    """Parts of a dotted name: each short, an index, words (`dense_h_to_4h`: each of its pieces) or
    one lower-case word the bigram table does not know (`weight`), and one of them words at least."""
    chunks = [chunk for part in parts if not part.isdigit() for chunk in part.split("_") if len(chunk) > 4]
    worded = [words_only(chunk) for chunk in chunks]
    return (not chunks or any(worded)) and all(
        ok or (chunk.isalpha() and chunk.islower() and len(chunk) <= 12)
        for chunk, ok in zip(chunks, worded, strict=True)
    )


def _tagged_name(text: str) -> bool:
    """A name of two words or more with a short tag of hex or digits after it (trl's sentinels
    `tool_arg_key_b9d4f5c2`, a test's `cache_dir_20240611`): at most 32 random bits, made to be
    told apart, not to be guessed."""
    *words, tag = re.split(r"[_-]", text)
    return (
        len(words) >= 2
        and 4 <= len(tag) <= 8
        and _HEX.fullmatch(tag) is not None
        and all(w.isalpha() and (len(w) <= 4 or words_only(w)) for w in words)
    )


def header_name(text: str) -> bool:
    """The name of an HTTP header that carries a credential (`X-Voyageai-Api-Key`), not one."""
    return _HEADER_NAME.fullmatch(text) is not None and text.rpartition("-")[2].lower() in _HEADER_ENDS


def _affixed_uuid(text: str) -> bool:
    """A UUID with a short tag before or after it: an id as a dashboard's query key (`Q-<uuid>-0`),
    a request's (`req_<uuid>`) or a URN (`urn:uuid:<uuid>`) writes it, judged as the UUID itself."""
    found = UUID.search(text)
    if found is None:
        return False
    rest = text[: found.start()] + text[found.end() :]
    return len(rest) <= 10 and not any(len(part) > 5 for part in _PIECES.split(rest))


def names_itself(text: str) -> bool:
    """A value that says what it stands for, with little else: `jwt-token-123`, `my-api-key-1`,
    `test_secret_abc` (a name-like word of a secret, and at most three short words or small
    numbers besides)."""
    parts = pieces(text)
    lowered = [p.lower() for p in parts]
    if _SELF_NAMES.isdisjoint(lowered):
        return False
    rest = [p for p, low in zip(parts, lowered, strict=True) if low not in _SELF_NAMES]
    if len(rest) > 3:
        return False
    return all(is_trivial_number(p) if p[0].isdigit() else len(p) <= 4 or wordiness(p) >= 0.3 for p in rest)


def human_password(text: str) -> bool:
    """A password as people make them: words with digits and symbols mixed in, three classes of
    characters or more (`Summer2024!Corp`), and no default or self-describing word in it once
    digits read as letters (`P@ssw0rd1`, `Welcome123!`, `changeme2024`)."""
    if len(text) < 8 or "=" in text or sum(1 for c in _CLASSES if c.search(text)) < 3:
        return False  # `prompt=True`: an argument, not a password
    letters = text.lower().translate(LEET)
    return not any(word in letters for word in WEAK_PASSWORD_WORDS) and not patterned(text)


def _structured(text: str) -> bool:
    """A number (with a unit: `30s`, `1.5GB`), a colour (`#a6accd99`), a style's declarations
    (`color:#56DB3A`, Symfony's dumper themes), a date or time, a version, a package pinned to one
    (`aiohttp==3.13.5`), an IPv4 address, a host name or an e-mail address."""
    if _number(text) or _COLOUR.fullmatch(text) or _DATE_OR_TIME.search(text) or _VERSION.match(text):
        return True
    if _style(text):
        return True
    if _NAMESPACED_ID.fullmatch(text):
        return True
    if _PIN.fullmatch(text):
        return True
    return bool(_IPV4.fullmatch(text) or _HOST.fullmatch(text) or _EMAIL.fullmatch(text))


# a rule's or an issue's id in its namespace: SonarQube's `java:S1234`, `python:S5332`
_NAMESPACED_ID = re.compile(r"[a-z][a-z0-9-]{1,20}:[A-Z]{0,4}-?\d{1,6}")
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
# CSS declarations of the usual properties (`color:#56DB3A`, `font-weight:bold;color:#fff`): a
# property the stylesheets know, never a user's name before a password
_DECLARATION = re.compile(r"([a-z]+(?:-[a-z]+){0,2}):[^:;\s]{1,60}", re.IGNORECASE)
_CSS_WORDS = frozenset(
    ("color", "colour", "background", "border", "font", "weight", "size", "style", "margin", "padding", "width")
    + ("height", "display", "position", "align", "decoration", "spacing", "shadow", "opacity", "cursor")
    + ("overflow", "visibility", "fill", "stroke", "radius", "family", "transform", "transition")
    + ("top", "left", "right", "bottom")
)


def _style(text: str) -> bool:
    """Declarations of a style, `;`-separated (a value is judged without white space)."""
    declarations = text.removesuffix(";").split(";")
    return len(declarations) <= 20 and all(
        (found := _DECLARATION.fullmatch(declaration)) is not None
        and found.group(1).lower().rsplit("-", 1)[-1] in _CSS_WORDS
        for declaration in declarations
    )


def _number(text: str) -> bool:
    body = text.lower()
    for unit in _UNITS:
        if body.endswith(unit) and body[: -len(unit)][-1:].isdigit():
            body = body[: -len(unit)]
            break
    try:
        float(body.replace("_", "").replace(",", ""))
    except ValueError:
        return body.startswith(("0x", "-0x")) and _HEX.fullmatch(body.lstrip("-")[2:]) is not None
    return True


def entropy(text: str) -> float:
    """Shannon entropy of `text`, in bits per character."""
    counts = Counter(text)
    size = len(text)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def _entropy_floor(text: str) -> float:
    """Four fifths of the entropy a random string of this length over its alphabet has on average
    (about its first percentile): log2 of the expected number of distinct characters when the
    string is shorter than its alphabet, else the alphabet's bits less the small-sample bias
    (Miller-Madow). The alphabet is the smallest common one (hex, lower case and digits, letters
    and digits, any) that holds nine tenths of the characters: `sk_` before 48 hex digits is hex."""
    size = len(text)
    alphabet = 78
    for chars, bits in _ALPHABETS:
        if sum(1 for c in text if c in chars) * 10 >= size * 9:
            alphabet = bits
            break
    if size < alphabet:
        expected = math.log2(alphabet * (1 - (1 - 1 / alphabet) ** size))
    else:
        expected = math.log2(alphabet) - (alphabet - 1) / (2 * size * math.log(2))
    return 0.8 * expected


def patterned(text: str) -> bool:
    """Made by hand: one unit repeated (`A1B2C3A1B2C3`, `hunter2hunter2`), at least half of it in
    runs of four or more characters that count up or down (`1234567890`, `ABCDEFGH`, `9876`), or
    two such counts interleaved (`A1B2C3D4E5F6G7H8I9J0`)."""
    size = len(text)
    for unit in range(1, size // 2 + 1):
        if text[unit:] == text[: size - unit]:  # the text shifted by one unit is itself
            return True
    return _counting(text) or (size >= 8 and _counting(text[0::2]) and _counting(text[1::2]))


def _counting(text: str) -> bool:
    """At least half of `text` in runs of four or more characters that count up or down."""
    size = len(text)
    counted = run = 1
    total = 0
    for prev, char in pairwise(text):
        if abs(ord(char) - ord(prev)) == 1 and char.isalnum() and prev.isalnum():
            run += 1
            continue
        total += run if run >= 4 else 0
        run = counted
    total += run if run >= 4 else 0
    return total * 2 >= size


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
    """A piece of a passphrase that is no word: digits inside letters (`s3cr3t`, `w0rd-x9k`), or
    letters that read as random (`nhf8`)."""
    if len(piece) < 4 or _PROSE_WORD.fullmatch(piece) or sum(1 for c in _CLASSES if c.search(piece)) < 2:
        return False
    if _DIGITS_IN_LETTERS.search(piece):
        return True
    if words_only(piece):
        return False  # `OpenAI`, `HuggingFace`: words written together, a product's name
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
