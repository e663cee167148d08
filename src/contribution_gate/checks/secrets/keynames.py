"""Whether the name a value is assigned to means a secret.

The generic rule finds a keyword (`token`, `key`, `secret`, `password`, ...) somewhere before an
assignment; the whole name is read back from the value (`name_before`) and cut into words
(`input_cost_per_token` -> input, cost, per, token). It holds a secret when one of its words is a
secret word (or ends in one: `apikey`, `authtoken`, not `monkey`) and no word says otherwise:

- a word after it that makes the name describe the secret rather than hold it: `token_type`,
  `key_id`, `password_hint`, `tokens_reset`, `secret_name`, `api_key_env`;
- a word after it that names a model's tensor (`token_embd.weight`), or a word before it that
  names a model's tokenizer or metadata (`tokenizer.ggml.tokens`, `embed_tokens`, `special_tokens`);
- a word before it that makes it no secret: a count or a limit (`max_tokens`, `num_tokens`,
  `cost_per_token`), a key of data (`primary_key`, `sort_key`, `cache_key`), a public value
  (`public_key`, `publishable_key`, `site_key`, `anon_key`), a pagination or CSRF token, a
  license's name (`license_key: AGPL-3.0-only`: a provider's license-key format is a rule of its
  own), or a name that says it is not real (`invalid_secret`, `hashed_secret`, `masked_token`).

A word the keyword only begins or ends (`tokenizer`, `keyboard`, `author`, `bypass`) is no secret
word. No regular expression runs on the text: the name is read back with a bounded loop.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from .words import pieces


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, split on white space."""
    return frozenset(text.split())


class Strength(enum.IntEnum):
    """How surely a name holds a secret: not at all, by a weak word alone (`key`, `auth`, `pass`),
    or by a word that means nothing else (`password`, `secret`, `token`, `api_key`)."""

    NONE = 0
    WEAK = 1
    STRONG = 2


_STRONG_WORDS = frozenset(
    [
        "password",
        "passwd",
        "pswd",
        "psswd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "creds",
    ]
)
_WEAK_WORDS = frozenset(["key", "auth", "pass", "pwd", "pw", "passcode"])
# a weak word after one of these is a strong one: `api_key`, `access_key`, `authKey`, `clientSecret`
_STRENGTHENERS = _words(
    """
    api access secret private priv auth client consumer master encryption
    signing session account storage app admin root db database user service shared hmac webhook
    bearer bot deploy personal subscription sas aes crypt
    """
)
# English words that end in a secret word but are not one
_LOOKALIKES = _words(
    """
    monkey donkey turkey hockey jockey whiskey lackey malarkey turnkey hotkey latchkey bypass
    compass surpass overpass underpass trespass encompass impass
    """
)
_SUFFIXES = (
    "password",
    "passwd",
    "psswd",
    "pswd",
    "secret",
    "token",
    "apikey",
    "key",
    "pass",
    "pwd",
    "credentials",
    "creds",
)
# words after the secret word that make the name describe it: its kind, name, id, where it is, when
# it expires, how long it is, how many there are
_DESCRIBERS = _words(
    """
    id ids identifier name names type types kind length len size count number num url uri urls
    endpoint host hostname port file filename files path paths dir directory folder hint hints
    description desc label labels header headers field fields param params parameter parameters
    prefix suffix format formats regex regexp expiry expires expiration expire exp expired ttl
    timeout reset resets limit limits remaining usage used cost costs price hash hashed digest
    checksum algorithm algo alg version mode policy rotation created updated at ref reference
    arn location vault manager provider source enabled required validator validation valid error
    errors message msg text placeholder example sample input button title icon class style color
    env var variable column attr attribute property option flag index idx pos position offset
    scope scopes audience issuer lifetime duration seconds secs minutes mins ms days age status
    state event events callback handler fn func function method schema spec template query cn dn
    subject
    permissions permission role roles level strength rules rule encoding bytes bits window
    bucket rate budget balance owner validity uses usages per store storename storage mapping
    map weight weights bias biases embd embed embedding embeddings
    """
)
# words before the secret word that make it no secret
_NEGATORS = _words(
    """
    public pub publishable primary foreign sort partition range hash cache cached idempotency
    dedup dedupe unique composite natural surrogate lookup row column index next prev previous
    page pagination continuation cursor sync resume max min num number total count per input
    output prompt completion completions reasoning context remaining used usage reset csrf xsrf
    hashed masked redacted invalid bad wrong fake dummy mock example sample placeholder expired
    revoked site anon search sitekey partial estimated est rate limit limits bucket refill license
    licence spdx form websocket socket annotation annotations label labels encrypted ciphertext wrapped
    ggml gguf tokenizer embed embd embedding embeddings vocab special
    """
)
# in these, the negator only counts right before the secret word (`output_tokens`, not
# `output_api_key`): they are common words of names that hold secrets too
_NEAR_ONLY = frozenset(
    ["input", "output", "context", "index", "row", "column", "page", "next", "number", "count"]
    # a model's parts: `tokenizer.ggml.tokens`, `embed_tokens` (but `embedding_api_key` holds a key)
    + ["ggml", "gguf", "tokenizer", "embed", "embd", "embedding", "embeddings", "vocab", "special"]
)
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$@")
_LOOK_BACK = 120


@dataclass(frozen=True, slots=True)
class Name:
    """A name read back from a value: its text and words (lower case, digits dropped)."""

    text: str
    words: tuple[str, ...]
    pair: bool = False  # the first of a pair of string literals, `Add("ApiKey", "...")`
    compared: bool = False  # `key === 'Buffer'`: a comparison, not an assignment


def name_before(line: str, start: int) -> Name:
    """The name assigned the value that begins at `start`: back over an opening quote (and a
    string prefix: `b'`, `r"`), spaces, the operator (`=`, `:`, `:=`, `=>`, `,` after a quoted
    name, `>` of an XML element), spaces, a closing quote or bracket, then the name's characters.
    A name before a comma counts only as the first of a pair (`Add("ApiKey", "...")`)."""
    at = start
    low = max(0, start - _LOOK_BACK)
    while at > low and line[at - 1] in "\"'`":
        at -= 1
    if at < start and at > low and line[at - 1] in "bBrRuUfF":
        at -= 1
    at = _skip(line, at, low, " \t")
    operator_end = at
    at = _skip(line, at, low, "=:>,?|!", limit=3)
    operator = line[at:operator_end]
    comma = operator == ","
    typed = _TYPED.search(line, low, at) if operator == "=" else None
    if typed is not None:  # `const API_KEY: &str =`, `apiKey: string =`: the name, then its declared type
        text = typed["name"].lstrip("-$@.")
        return Name(text, tuple(p.lower() for p in pieces(text) if not p[0].isdigit()))
    at = _skip(line, at, low, " \t")
    at = _skip(line, at, low, "\"']`", limit=2)
    end = at
    while at > low and line[at - 1] in _NAME_CHARS:
        at -= 1
    if comma and line[max(low, at - 2) : at].strip(" \t\"'`")[-1:] not in ("(", "[", "{"):
        return Name("", ())  # `f("user", "password", "host")`: a list of values, not a name and its value
    text = line[at:end].lstrip("-$@.")
    if operator == ":" and at > low and line[at - 1] == " ":
        label = _LABEL.fullmatch(line, low, at)
        if label is not None:  # `Public key: age1...` in a program's help text: the label's words name it
            text = f"{label['words']} {text}"
    if operator == "=" and text.lower() == "value":
        keyed = _KEYED_ATTRIBUTE.search(line, low, at)
        if keyed is not None:  # `<add key="ApiKey" value="...">`: the element's key names the value
            text = keyed["name"]
    words = tuple(p.lower() for p in pieces(text) if not p[0].isdigit())
    return Name(text, words, comma, operator in ("==", "===", "!=", "!=="))


# a label of words that starts its line (after a comment's or a list's mark): `    Public key: `
_LABEL = re.compile(r"[ \t]*(?:(?:#+|//|\*|-|>)[ \t]*)?(?P<words>[A-Za-z]\w{0,30}(?: [A-Za-z]\w{0,30}){0,2}) ")

# markup that names a value in one attribute and holds it in `value=` (.NET's `<add key="ApiKey"
# value="...">`, Spring's `<property name="password" value="...">`, `<param name=... value=...>`)
_KEYED_ATTRIBUTE = re.compile(r"""\b(?:key|name)[ \t]{0,4}=[ \t]{0,4}["'](?P<name>[\w.:-]{1,80})["'][ \t]{1,40}$""")


# a name, a colon and a type (`&'static str`, `Record<string, string>`, `string[]`), up to the `=`
_TYPED = re.compile(
    r"(?P<name>[\w$.-]{1,80})[\"'\]]?[ \t]{0,4}:[ \t]{0,4}&?(?:'static[ \t])?[A-Za-z][\w.]{0,40}(?:<[\w, .]{0,40}>)?(?:\[\])?[ \t]{0,4}$"
)


def _skip(line: str, at: int, low: int, chars: str, limit: int = 16) -> int:
    moved = 0
    while at > low and line[at - 1] in chars and moved < limit:
        at -= 1
        moved += 1
    return at


def strength(name: Name) -> Strength:
    """How surely the name holds a secret (see the module's docstring)."""
    words = name.words
    for index in range(len(words) - 1, -1, -1):
        word, before = _secret_word(words[index])
        if word is None:
            continue
        after = words[index + 1 :]
        if any(w in _DESCRIBERS for w in after):
            return Strength.NONE
        previous = ((before,) if before else ()) + tuple(reversed(words[:index]))
        if _negated(previous):
            return Strength.NONE
        if word in _STRONG_WORDS or any(w in _STRENGTHENERS for w in previous):
            return Strength.STRONG
        return Strength.WEAK
    return Strength.NONE


def _secret_word(word: str) -> tuple[str | None, str]:
    """The secret word `word` is or ends in, and what comes before it in the same word
    (`hapikey` -> apikey, h; `dbpassword` -> password, db); None when it is none."""
    if word in _LOOKALIKES or word.endswith("tiktoken"):
        return None, ""  # `notiktoken`, a tox environment without OpenAI's tokenizer library
    singular = word[:-1] if word.endswith("s") and word[:-1] in _STRONG_WORDS | _WEAK_WORDS else word
    if singular in _STRONG_WORDS or singular in _WEAK_WORDS:
        return singular, ""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            head = word[: -len(suffix)]
            if suffix in ("pass", "key") and len(head) > 8 and head not in _STRENGTHENERS | _NEGATORS:
                return None, ""  # a long word ending so is an English word, not a compound
            return suffix, head
    return None, ""


def _negated(previous: tuple[str, ...]) -> bool:
    """Whether a word before the secret word (nearest first) makes it no secret."""
    for distance, word in enumerate(previous):
        if word in _NEGATORS and (distance == 0 or word not in _NEAR_ONLY):
            return True
    return False
