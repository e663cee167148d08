"""The last word on a rule's match: whether it is a finding, how severe, and why a warning.

- `generic-secret`, `netrc-password`: the name must mean a secret (`keynames`; a property list's
  `<key>` element names an entry), the value must read as one (`values.verdict`); in source code
  an unquoted value, or a call's `key=` argument, must look like a token. It is an error, except
  (a warning) in a file of tests, fixtures, examples or documentation (`context`), for a hand-made
  value or a UUID (`Verdict.SAMPLE`), under a name that says it is a test value (`TEST_PASSWORD`),
  on a comment line of source code, or in a module's documentation string (`in_documentation`).
- `url-password`, `jdbc-password`: a password that names what belongs there (`user:token@`,
  `:password@`), a placeholder, plain words (`root:whalehello@db`, a demo stack's) or a few
  characters is none; in a sample file, a warning.
- `curl-basic-auth`, `http-auth-header` and the other rules that find a credential by where it
  stands (a command's `-u`, a header, a connection string; `Rule.contextual`): in a sample file, a
  warning, as a name-based value is.
- `jwt`, `jwt-base64` (decoded first): `jwts.judge` (unsigned, or signed with a published key like jwt.io's sample: none;
  a signature that cannot verify, expired, or Supabase's anon key: a warning); in a sample file,
  a warning.
- `azure-sas-token`: past its own `se` expiry (`sas`), a warning.
- `age-secret-key`, `wireguard-private-key`, `jwk-private-key`: private keys, judged as `private-key`.
- `private-key`: in a sample file (tests, fixtures, examples, documentation, vendored code) a
  warning: TLS and signing tests need keys that parse, so their fixtures are real keys made for
  the test; elsewhere an error.
- any other rule: a "token" that reads as words is a code identifier (`MistralAIPromptSettings`
  after `mistral...=`), not a token; otherwise the rule's format check decides, in every file:
  a contributor pasting a live key into a test is the classic leak, and fixtures can be made
  obviously fake (a failing checksum, a placeholder).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ...model import Severity
from ...regions import calls_it_a_stand_in, is_comment_line
from . import jwts, keynames, sas
from .context import Context
from .passwords import default_password
from .rules import Rule, load_rules
from .values import (
    Verdict,
    base64_text,
    human_password,
    is_code,
    is_placeholder,
    patterned,
    unwrap,
    verdict,
)
from .words import is_trivial_number, pieces, words_only

if TYPE_CHECKING:
    from .blocks import Found

Judged = tuple[Severity, str]  # the severity, and why it is a warning when it is one ("" otherwise)
_ATTRIBUTES = re.compile(r"[A-Za-z_]\w{0,100}(?:(?:\.|->|::)[A-Za-z_]\w{0,100}){1,10}[,;)({\[]?")
# a constant's name (`CURLKHTYPE_ED25519`, `SSL_OP_NO_TLSv1_2`): an enum member or a macro in code
_CONSTANT = re.compile(r"[A-Z][A-Z0-9]{1,60}(?:_[A-Za-z0-9]{1,60}){1,10}[,;)]?")
# arithmetic on a plain name: `key = key*2862933555777941757 + 1` (a token may hold `*` or `%`)
_EXPRESSION = re.compile(r"[a-z_][a-z0-9_]{0,15}[*%]\w")
_NAME_RULES = frozenset(["generic-secret", "netrc-password"])
# private keys in formats of their own, judged as a PEM block is: tests of the tools that read them
# need keys that parse (sops' `age/keysource_test.go` keeps `mockIdentity = "AGE-SECRET-KEY-1..."`)
_KEY_MATERIAL = frozenset(["age-secret-key", "wireguard-private-key", "jwk-private-key"])
_URL_RULES = frozenset(["url-password", "jdbc-password"])
_EXAMPLE_RULES = _NAME_RULES | _URL_RULES | {"private-key"}  # what a documentation example shows
_KEY_ID_WORDS = frozenset(["gpg", "pgp", "gnupg"])
_KEY_ID = re.compile(r"(?:0x)?(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})")
_DIGEST_WORDS = ("hash", "sha", "md5", "digest", "checksum", "integrity", "etag", "fingerprint", "commit", "revision")
_PASSWORD_WORDS = frozenset(["password", "passwd", "passphrase", "pwd", "pass", "passwords"])
_TEST_WORDS = frozenset(["test", "tests", "testing", "demo", "e2e"])
# a URL password that names what belongs there: `https://user:token@host`, `redis://:password@host`
_NAMING_WORDS = ("password", "passwd", "pass", "pwd", "secret", "token", "apikey", "key", "credential")


_HEX32 = re.compile(r"[0-9a-f]{32}")
_KEY_ELEMENT = re.compile(r"<key>\s*$", re.IGNORECASE)
_KEY_ARGUMENT = re.compile(r"[(,]\s*key\s*=\s*[rbuRBU]?[\"']?$")  # a call's `key=` argument
_SEARCH_WORDS = ("algolia", "docsearch", "indexname", "index_name", "searchclient", "instantsearch")
FORMAT = "it fails the format's own check: a placeholder?"
PUBLIC = "a publishable key: shipped to browsers by design, still worth knowing about"
SAMPLE_FILE = "in a test, fixture, example or documentation file: a sample?"
VENDORED = "in vendored third-party code: its upstream's sample?"
CI_FILE = "in a CI configuration: a test service's credential? (a real one comes from the CI's secret store)"
HAND_MADE = "it reads as made by hand or as an id: a sample?"
API_EXAMPLE = "inside an API's documented example (`example = ...`): a sample response?"
HELP_EXAMPLE = "under an `Example:` a few lines up (a command's help text): a sample?"
TEST_NAME = "its name says it is a test value"
COMMENT = "in a comment of source code: an example?"
TEST_MODULE = "in the file's test module: a value made for a test?"
COMMENTED_OUT = "on a commented-out line of configuration: an example, or a setting left disabled?"
DOC_STRING = "in a documentation string (a docstring, an EXAMPLES or RETURN block): an example?"
JWT_SAMPLE = "a JWT whose signature cannot verify or that has expired"
SAS_EXPIRED = "a SAS that expired on {day}: it grants nothing now (rotate the account key if it was ever live)"
EXAMPLE_ABOVE = (
    "the comment above it calls it an example: a key published with what it configures? (replace it before use)"
)
TEST_KEY = "a key among tests, examples or vendored code: made for a test? (revoke it if it was used anywhere)"
NAMED_STAND_IN = (
    "its name calls it a test's, a fake or an example: made for a test? (revoke it if it was used anywhere)"
)


def severity(
    context: Context,
    rule: str,
    line: str,
    start: int,
    secret: str,
    checked: Severity,
    around: str = "",
    contextual: bool = False,
) -> Judged | None:
    """The severity of a match of `rule` whose value `secret` starts at `start` of `line` (its
    format check gave `checked`), and why it is a warning; None when it is no finding. `around`:
    the text about the line (its neighbours), which some judgements read; `contextual`: the rule
    finds a credential by where it stands (a command's `-u`, a header), not by a format."""
    if rule in _NAME_RULES:
        judged = _assigned(context, line, start, secret)
        if judged is None or judged[0] is not Severity.ERROR:
            return judged
        if _search_only_key(line, start, secret, around):
            return Severity.WARNING, PUBLIC
        if _key_reference(line, start, _above(around, line)):
            return None  # `secretKeyRef:` then `key: gcsProjectId`: the name of a Secret's or ConfigMap's key
        if _in_documented_example(around, line, start):
            return Severity.WARNING, API_EXAMPLE
        if context.code and "```" in line[:start]:
            return Severity.WARNING, DOC_STRING  # a string of Markdown with a code block: a page's example
        if context.code and _under_examples_heading(_above(around, line)):
            return Severity.WARNING, HELP_EXAMPLE  # a command's help text: `... Example:`, then the block
        return judged
    if rule in _URL_RULES:
        return _url_password(context, secret)
    if rule in ("jwt", "jwt-base64"):
        decoded = base64_text(secret) if rule == "jwt-base64" else secret
        judged = _in_comment(context, line, _jwt(context, decoded, checked) if decoded else _checked(checked))
        if judged is not None and judged[0] is Severity.ERROR and _named_as_stand_in(line[:start], ""):
            return Severity.WARNING, NAMED_STAND_IN  # Redpanda Connect's `sampleSignature: "eyJ..."`
        return judged
    if secret.isalpha() and words_only(secret):
        return None
    if rule in _KEY_MATERIAL and checked is Severity.ERROR:
        return private_key(context, line[:start], _above(around, line))
    if rule == "azure-sas-token" and checked is Severity.ERROR and (ended := sas.expired_on(line, start)):
        return Severity.WARNING, SAS_EXPIRED.format(day=ended)
    if rule == "password-hash" and context.sample:
        return None  # a seed user's or a fixture's hash (`admin`'s in a generator's template): made for it
    if contextual and context.sample and checked is Severity.ERROR:
        return Severity.WARNING, _sample(context)
    return _in_comment(context, line, _checked(checked)) if contextual else _checked(checked)


def _in_comment(context: Context, line: str, judged: Judged | None) -> Judged | None:
    """A JWT or a credential found by where it stands, on a comment line of source code (a JSDoc
    `@example`, a docstring-like comment): an example for readers more often than a leak, a
    warning; a provider's token format is not judged here."""
    if judged is not None and judged[0] is Severity.ERROR and context.code and is_comment_line(line):
        return Severity.WARNING, COMMENT
    return judged


def in_documentation(found: Found) -> Found:
    """A hit inside a module's documentation string (`EXAMPLES = r'''...'''`): a name-based value or
    a key there is an example for readers, a warning; a provider's token format stays what it is."""
    return _as_example(found, _EXAMPLE_RULES, DOC_STRING)


def in_block_comment(found: Found) -> Found:
    """A hit inside a block comment of source code: judged as on a `//` comment line, where a
    name-based value or a credential in a URL is an example more often than a leak (a warning); a
    provider's token format stays what it is."""
    return _as_example(found, _NAME_RULES | _URL_RULES, COMMENT)


def in_test_module(found: Found) -> Found:
    """A hit inside a test module kept in a source file (Rust's `#[cfg(test)] mod tests`): judged
    as in a test file, where a name-based value or a key is a warning; a provider's token format
    stays what it is."""
    return _as_example(found, _EXAMPLE_RULES, TEST_MODULE)


def _as_example(found: Found, rules: frozenset[str], note: str) -> Found:
    """An error of one of `rules` made a warning saying why (`note`); anything else as it is."""
    hit = found.hit
    if hit.severity is not Severity.ERROR or hit.rule not in rules:
        return found
    return replace(found, hit=replace(hit, severity=Severity.WARNING, note=note))


def private_key(context: Context, line: str = "", above: str = "") -> Judged:
    """A private key block (`blocks.private_key`): in a sample file, a key made for a test; on a
    comment line of source code (` * -----BEGIN ...` in a KDoc), an example of the input a function
    takes; under a comment that calls it an example (`## Example value taken from ...` above a Helm
    chart's default), an example published with what it configures."""
    if context.sample:
        return Severity.WARNING, CI_FILE if context.ci else TEST_KEY
    if context.code and is_comment_line(line):
        return Severity.WARNING, COMMENT
    if _example_comment_above(above) or _under_examples_heading(above):
        return Severity.WARNING, EXAMPLE_ABOVE
    if _named_as_stand_in(line, above):
        return Severity.WARNING, NAMED_STAND_IN
    return Severity.ERROR, ""


# words of a name that calls its key one made for tests (Bitwarden's `TEST_FAKE_RSA_KEY_0`)
_STAND_IN_NAME_WORDS = frozenset(["test", "tests", "testing", "fake", "dummy", "example", "sample", "mock", "fixture"])
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _named_as_stand_in(line: str, above: str) -> bool:
    """Whether the name a key is assigned to, on its BEGIN line or on the line that opens its value
    (`TEST_KEY = \"\"\"`, `fakeKey: |`), calls it a test's, a fake or an example."""
    head = line.split("-----BEGIN", 1)[0]
    lines = above.split("\n")[:-1]  # `above` ends where the key's line begins
    if not head.strip(" \t\"'`") and lines and _VALUE_OPENER.search(lines[-1]) and not is_comment_line(lines[-1]):
        head = lines[-1]
    return any(word.lower() in _STAND_IN_NAME_WORDS for name in _IDENTIFIER.findall(head) for word in pieces(name))


_VALUE_OPENER = re.compile(r"""(?:[:=(\[{]|[|>][-+]?)[ \t]*$|(?:\"\"\"|\'\'\')[ \t]*$|<<-?[ \t]*['"]?\w+['"]?[ \t]*$""")


# a help text's or a page's heading over what a command prints (age's `age-keygen` usage: `Examples:`,
# then `$ age-keygen` and the key it writes)
_EXAMPLES_HEADING = re.compile(r"(?im)(?:^[ \t#/*]*(?:for )?examples?:?|\bexamples?:)[ \t\"'`,]*$")


_KEY_REFERENCE = re.compile(r"(?:[sS]ecretKeyRef|configMapKeyRef|remoteRef)\s*:")
_KEY_LINE = re.compile(r"[ \t]*(?:-[ \t]*)?key[ \t]*:")


def _key_reference(line: str, start: int, above: str) -> bool:
    """A Kubernetes `key:` inside a `secretKeyRef:` or `configMapKeyRef:` (or an external secret's
    `remoteRef:`), on its line (`{secretKeyRef: {name: x, key: y}}`) or as the block's child: it names
    a key of a Secret, a ConfigMap or a vault, whose value lives there (Kubeflow's `key: gcsProjectId`)."""
    if _KEY_REFERENCE.search(line, 0, start):
        return True
    if not _KEY_LINE.match(line):
        return False
    indent = len(line) - len(line.lstrip(" -"))
    for prior in reversed(above.rstrip("\n").split("\n")[-4:]):
        if len(prior) - len(prior.lstrip(" -")) < indent:  # the parent mapping: the reference, or not
            return _KEY_REFERENCE.search(prior) is not None and prior.rstrip().endswith(":")
    return False


def _under_examples_heading(above: str) -> bool:
    """Whether one of the (up to eight) lines above ends in `Example:` or is an `Examples` heading."""
    return _EXAMPLES_HEADING.search("\n".join(above.split("\n")[-8:])) is not None


def _above(around: str, line: str) -> str:
    """The text of `around` (a line with its neighbours) before `line`, "" when it is not in it."""
    at = around.find(line)
    return around[:at] if at >= 0 else ""


def _example_comment_above(above: str) -> bool:
    """Whether one of the (up to three) comment lines right above a key's first line calls it an example."""
    lines = above.split("\n")[:-1]  # `above` ends where the key's line begins
    if lines and _VALUE_OPENER.search(lines[-1]) and not is_comment_line(lines[-1]):
        lines.pop()  # the line that opens the key's value (`hostKey: |-`, `KEY = """`)
    for text in reversed(lines[-4:]):
        if not is_comment_line(text):
            return False  # the comment block above ends here: code or a blank line
        if calls_it_a_stand_in(text):
            return True
    return False


def _sample(context: Context) -> str:
    """Why a value in a sample file is a warning: the file is third-party code, or a test's or a document's."""
    return VENDORED if context.vendored else CI_FILE if context.ci else SAMPLE_FILE


def _checked(checked: Severity) -> Judged:
    return (checked, "" if checked is Severity.ERROR else FORMAT)


def _jwt(context: Context, token: str, checked: Severity) -> Judged | None:
    judged = jwts.judge(token)
    if judged is jwts.Judgement.PUBLIC:
        return None
    if judged is jwts.Judgement.SAMPLE:
        return Severity.WARNING, JWT_SAMPLE
    if judged is jwts.Judgement.PUBLISHABLE:
        return Severity.WARNING, PUBLIC
    if context.sample and checked is Severity.ERROR:
        return Severity.WARNING, _sample(context)
    return _checked(checked)


def _assigned(context: Context, line: str, start: int, secret: str) -> Judged | None:
    if _KEY_ELEMENT.search(line, 0, start):
        return None  # a property list's `<key>` names an entry, an S3 listing's `<Key>` an object
    name = keynames.name_before(line, start)
    strength = keynames.strength(name)
    if strength is keynames.Strength.NONE or unwrap(secret) is None:
        return None
    if _in_expansion(line, start, name.text):
        return None  # `${POSTGRES_PASSWORD:?Variable not set}`: a shell expansion's default or message
    if name.compared and strength is keynames.Strength.WEAK:
        return None  # `if (key === 'SlowBuffer')`: a key of a map or a keyboard, compared
    if _in_prose(line, start, name.text):
        return None  # `Allowed values for Ed25519 keys: PureEd25519.`: a sentence, not a key
    if context.code and _KEY_ARGUMENT.search(line, 0, start) and not _token_like(secret.strip("\"'`")):
        return None  # `st.button("Submit", key="dialog2-btn")`: a widget's, a cache's or a dict's key
    if secret.startswith("eyJ") and secret.count(".") == 2:
        return _jwt(context, secret, Severity.ERROR)  # a JWT assigned: judged as one
    if _password_hash(secret):
        return None  # `htpasswd: user:$2y$10$...`: a password's hash, the `password-hash` rule's (a warning)
    if not _KEY_ID_WORDS.isdisjoint(name.words) and _KEY_ID.fullmatch(secret.strip("\"'`")):
        return None  # `gpg_signing_key=348FFC4C`: a GPG key's id or fingerprint, which is public
    if any(c.isspace() for c in secret.strip()):
        found = Verdict.SECRET  # a passphrase: the rule's filter has judged it
    else:
        lowered = line.lower()
        digest = any(word in lowered for word in _DIGEST_WORDS)
        strong = strength is keynames.Strength.STRONG
        password = not _PASSWORD_WORDS.isdisjoint(name.words)
        found = verdict(secret, min_length=8 if strong else 10, digest_context=digest, uuid=True, password=password)
    if found is Verdict.NONE or _names_the_file(context, secret):
        return None
    if found is Verdict.SECRET and _spelled_from_name(secret.strip("\"'`"), name.words):
        found = Verdict.SAMPLE  # `RUSTFS_SECRET_KEY=devrustfs123`: a local stack's made-up value
    quoted = start > 0 and line[start - 1] in "\"'`"
    if name.pair and not quoted:
        return None  # `{"get_token", (PyCFunction)f, ...}`: a name and a function, no pair of literals
    if context.code and not quoted and not _token_like(secret):
        return None  # `token = self.token`, `key = KeyFactory.build()`: code, not a value
    if context.sample:
        return Severity.WARNING, _sample(context)
    if found is Verdict.SAMPLE:
        return Severity.WARNING, HAND_MADE
    if (
        name.words[-2:] in (("write", "key"), ("ai", "key"), ("sentry", "key"))
        or "instrumentation" in name.words
        or ("segment" in name.words and not secret.strip("\"'`").startswith("sgp_"))
    ):
        # Segment's and RudderStack's `writeKey`, a VS Code extension's `aiKey`, Application
        # Insights' instrumentation key, a Sentry DSN's public `sentry_key` and any Segment key but a
        # Public API token (`sgp_`: Segment's only other key is the write key, Meilisearch's
        # `SEGMENT_API_KEY`): they only send data in, and ship inside every client
        return Severity.WARNING, PUBLIC
    if not _TEST_WORDS.isdisjoint(name.words):
        return Severity.WARNING, TEST_NAME
    if context.code and is_comment_line(line):
        return Severity.WARNING, COMMENT  # an example more often than a leak
    if _commented_out(line, context.path):
        return Severity.WARNING, COMMENTED_OUT  # `#  SA_PASSWORD: ...` of a service left disabled
    return Severity.ERROR, ""


def _commented_out(line: str, path: str) -> bool:
    """A commented-out line of a configuration file: `#` in any, `;` in INI files (Grafana's sample
    `;secret_key = ...`), `!` in Java properties."""
    first = line.lstrip()[:1]
    name = path.rsplit("/", 1)[-1].lower()
    if first == "#":
        return _is_settings_file(path)
    if first == ";":
        return name.endswith((".ini", ".cfg", ".conf"))
    return first == "!" and name.endswith(".properties")


_SETTINGS_EXTENSIONS = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".properties", ".env", ".hcl", ".tfvars")


def _is_settings_file(path: str) -> bool:
    """A configuration file whose `#` lines are comments: YAML, TOML, INI, a dotenv file, HCL (Boundary's
    packaged `boundary.hcl`: `#   key = "..."`, a block to fill in)."""
    name = path.rsplit("/", 1)[-1].lower()
    return name.endswith(_SETTINGS_EXTENSIONS) or name.startswith(".env")


_PROSE_WORD = re.compile(r"[A-Za-z][a-z'’]*,?")


def _password_hash(secret: str) -> bool:
    """Whether a value holds a password hash as the `password-hash` rule finds one (its pattern, kept
    in config/secret_rules.toml, is the one list of crypt schemes)."""
    return "$" in secret and _hash_rule().regex.search(secret) is not None


@cache
def _hash_rule() -> Rule:
    return next(rule for rule in load_rules() if rule.id == "password-hash")


def _in_expansion(line: str, start: int, name: str) -> bool:
    """A name inside a shell or compose parameter expansion (`${NAME:-default}`, `${NAME:?message}`):
    what follows it is a default or an error message, not the name's value."""
    at = line.rfind(name, 0, start) if name else -1
    return at >= 2 and line[at - 2 : at] == "${"


def _in_prose(line: str, start: int, name: str) -> bool:
    """A name that ends a run of three words or more and is followed by a colon: the end of a
    sentence ("Allowed values for Ed25519 keys:"), not a key of configuration, which starts its
    line (a command's `--from-literal=password=...` takes `=`, and stays a finding)."""
    at = line.rfind(name, 0, start) if name else -1
    if at < 0 or not line[at + len(name) : start].lstrip("\"'` ").startswith(":"):
        return False
    words = line[:at].split()
    return len(words) >= 3 and sum(1 for w in words[-4:] if _PROSE_WORD.fullmatch(w)) >= 3


# what opens an API's documented example around a value: utoipa's `example = json!(`, springdoc's
# `@ExampleObject(value = `, FastAPI's and pydantic's `examples=[`, JSON Schema's `"examples": [`
_EXAMPLE_OPENER = re.compile(r"""\bexamples?["']?\s*[:=]\s*(?:json!\s*)?$|\bExampleObject\s*$""", re.I)
_OPENERS, _CLOSERS = "([{", ")]}"


def _in_documented_example(around: str, line: str, start: int) -> bool:
    """Whether the value sits inside a bracket that an `example`/`examples` key opens, a few lines up
    at most (Meilisearch documents its API with `example = json!({ ..., "key": "d0552b..." })`):
    a response the documentation shows, not a key the code uses. Brackets in strings are counted too:
    at worst a value is taken for one outside an example, which it was before."""
    before = _above(around, line) + line[:start]
    depth = 0
    for index in range(len(before) - 1, -1, -1):
        char = before[index]
        if char in _CLOSERS:
            depth += 1
        elif char in _OPENERS:
            if depth:
                depth -= 1
            elif _EXAMPLE_OPENER.search(before, max(0, index - 40), index):
                return True
    return False


def _search_only_key(line: str, start: int, secret: str, around: str) -> bool:
    """An Algolia search-only key: an `apiKey` of 32 hex digits beside its `appId` and an index
    (DocSearch's configuration, InstantSearch's client). It is made to ship in web pages; admin
    keys have names and rules of their own (`algolia-admin-key`)."""
    if not _HEX32.fullmatch(secret.strip("\"'`")):
        return False
    name = keynames.name_before(line, start)
    if not {"api", "apikey", "search"} & set(name.words):
        return False
    nearby = (around or line).lower()
    return ("appid" in nearby or "app_id" in nearby or "applicationid" in nearby) and any(
        word in nearby for word in _SEARCH_WORDS
    )


def _names_the_file(context: Context, secret: str) -> bool:
    """A value that the file's own path holds (`key: bsd-new` in `licenses/bsd-new.LICENSE`) is the
    name of what the file describes: a secret in a file name is the name's finding (`metadata`)."""
    value = secret.strip("\"'`").lower()
    return len(value) >= 8 and value in context.path.lower()


_JOINERS = re.compile(r"[-_.]")
# a name's words that say what the value is, not whose: `password123` is a password people use
_SECRET_WORDS = frozenset(["password", "passwd", "pass", "pwd", "secret", "key", "token", "auth", "api", "access"])
_MADE_UP_WORDS = frozenset(["dev", "test", "local", "demo", "my", "default", "admin", "example", "sample", "the"])


def _spelled_from_name(value: str, name_words: tuple[str, ...]) -> bool:
    """Whether a value is its name's own words (one at least), glued to `dev`, `test`, `local`
    and the like, with a small number after them: `devrustfs123` under `RUSTFS_SECRET_KEY`, as a
    development stack's compose file sets its services' credentials. Nobody draws a secret so."""
    bare = value.rstrip("0123456789")
    digits, letters = value[len(bare) :], _JOINERS.sub("", bare).lower()  # `devrustfs-service123`
    if not letters.isalpha() or (digits and not is_trivial_number(digits)):
        return False
    own = {word for word in name_words if len(word) >= 3 and word.isalpha()} - _SECRET_WORDS
    vocabulary = own | _MADE_UP_WORDS
    # can `letters` be cut into words of the vocabulary, one of them the name's own?
    reach: dict[int, bool] = {0: False}  # end of a cut -> whether a word of the name was used
    for end in range(1, len(letters) + 1):
        for start, used in list(reach.items()):
            if start < end and letters[start:end] in vocabulary:
                reach[end] = reach.get(end, False) or used or letters[start:end] in own
    return reach.get(len(letters), False)


def _token_like(secret: str) -> bool:
    """An unquoted value in source code (in a comment, a docstring, a raw string of a test) counts
    when it could be no identifier: sixteen characters or more, letters and digits, not words, and
    no chain of attributes (`x25519.X25519PrivateKey`)."""
    if _ATTRIBUTES.fullmatch(secret) or _CONSTANT.fullmatch(secret) or _EXPRESSION.match(secret):
        return False
    return len(secret) >= 16 and any(c.isdigit() for c in secret) and not words_only(secret)


def _url_password(context: Context, secret: str) -> Judged | None:
    raw = unwrap(secret)
    if raw is None or is_code(raw):
        return None  # `postgres://app:{password}@db/app`: a template
    text = unquote(raw)
    lowered = text.lower()
    if len(text) <= 2 or (text.isdigit() and len(text) <= 6) or is_placeholder(text):
        return None
    if words_only(text) and (any(word in lowered for word in _NAMING_WORDS) or not human_password(text)):
        return None  # `token`, `mypassword`: it says what belongs there; `whalehello`: a demo's words
    if default_password(text):
        return None  # `scott:tiger^5HHH@mssql/test`: Oracle's sample account, dressed for MSSQL's rules
    if context.sample:
        return Severity.WARNING, _sample(context)
    if patterned(text):
        return Severity.WARNING, HAND_MADE
    return Severity.ERROR, ""
