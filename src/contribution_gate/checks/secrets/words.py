"""Whether a string reads as words (a name, an identifier, prose) or as random characters.

A value is cut into pieces at separators, at letter/digit boundaries and at camelCase humps
(`MistralAIPromptSettings` -> Mistral, AI, Prompt, Settings). The letters of the pieces are scored by
a character bigram model of English and code identifiers: log2(P(bigram) / (1/676)) for each
pair of letters inside a piece, positive for words (`development` 1.4 on average, `Settings`
2.6), negative for random letters (`fjovt` -3.9, `Awdp` -3.2). The table below holds that score, quantised to 0-9 (score =
1.2 * digit - 6), for every pair of lower-case letters; it was counted once from the words of the
CPython 3.11 standard library's sources (1.25 million words of English docstrings and identifiers,
tests left out) and is kept here as data. ASCII text is cut by one linear search, other text by one
pass over its characters.
"""

from __future__ import annotations

import re
from itertools import pairwise

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_BIGRAMS = (
    "16663350604877060778554440"  # a
    "52326110450511530441501051"  # b
    "71427216506632721547521040"  # c
    "53258230610502610553500130"  # d
    "64775752403868465878254751"  # e
    "51335520700412620534501020"  # f
    "30106035500425300563410001"  # g
    "60017000601221600425300020"  # h
    "55665760203768750577150405"  # i
    "10005000000000300010200000"  # j
    "30016020400303110140104000"  # k
    "73258710701713630265612050"  # l
    "74137200501342660153400020"  # m
    "72677571504424741267540030"  # n
    "45673640404668560867645411"  # o
    "70237203601611650646422050"  # p
    "00000000000000000000500000"  # q
    "73558361704456730666543050"  # r
    "51528245603453662367613050"  # s
    "72448408703432740766714262"  # t
    "45436440400656350766100000"  # u
    "60106000400010200000000000"  # v
    "50025005600214400530001000"  # w
    "32524200400110040016000220"  # x
    "01213000300223350355002000"  # y
    "20005000300000300000000000"  # z
)
_WORDY = 0.3  # a value whose letters score at least this reads as words
_DIGITS = "0123456789"


def _class(char: str) -> str:
    if char.isdigit():
        return "d"
    if char.isupper():
        return "u"
    if char.islower():
        return "l"
    return ""


# `pieces` of ASCII text in one search: a capital with its lower-case letters or with the capitals
# that do not begin the next word (`HTTPServer`: HTTP, Server), a lower-case run, a digit run
_ASCII_PIECE = re.compile(r"[A-Z](?:[a-z]+|[A-Z]*(?![a-z]))|[a-z]+|[0-9]+")


def pieces(value: str) -> list[str]:
    """The letter and digit runs of `value`, camelCase humps split: `apiKeyV2` -> api, Key, V, 2;
    `HTTPServer` -> HTTP, Server. Anything else (`-`, `_`, `.`, `/`, spaces) separates."""
    if value.isascii():
        return _ASCII_PIECE.findall(value)
    out: list[str] = []
    current = ""
    for char in value:
        kind = _class(char)
        if not kind:
            if current:
                out.append(current)
            current = ""
            continue
        if current:
            last = _class(current[-1])
            if last == "u" and kind == "l" and len(current) > 1 and current[-2].isupper():
                out.append(current[:-1])  # HTTPServer: the last capital begins the next word
                current = current[-1]
            elif (last == "d") != (kind == "d") or (last == "l" and kind == "u"):
                out.append(current)
                current = ""
        current += char
    if current:
        out.append(current)
    return out


def wordiness(value: str) -> float:
    """The mean bigram score of the letters of `value` (inside its pieces, each pair's score no
    lower than -3 so that one odd pair in a name, `jwt`, `azure`, does not sink it). Names and
    identifiers score above 0.3 (98 in 100 of three-word names drawn from a C# code base), random
    tokens of 16 to 48 characters below it (99 in 100 of every alphabet). Letters of a script the
    table does not know, or none at all, score 1.0: nothing says they are random."""
    total = 0.0
    count = 0
    for piece in pieces(value):
        word = piece.lower()
        if not word.isascii() or not word.isalpha():
            continue
        for first, second in pairwise(word):
            level = ord(_BIGRAMS[_LETTERS.index(first) * 26 + _LETTERS.index(second)]) - 48
            total += max(level * 1.2 - 6, -3.0)
            count += 1
    return total / count if count else 1.0


# numbers that name things: powers of two, 2^16 - 1 and + 1 (RSA's exponent), Curve25519's prime (`Ed25519PrivateKey`)
_NAMING_NUMBERS = frozenset(str(n) for n in (*(2**k for k in range(14, 25)), 65535, 65537, 25519))


def is_trivial_number(piece: str) -> bool:
    """A run of digits that is no random number: up to four digits, a number that names something
    (`25519`, `65537`, `16384`), or a run that counts up or down or repeats (`123456789`, `0000`, `9876`)."""
    if len(piece) <= 4 or piece in _NAMING_NUMBERS:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(piece)}
    return len(steps) == 1 and steps <= {0, 1, 9}


def words_only(value: str) -> bool:
    """Whether `value` is made of words, acronyms and small numbers (`polar-development`,
    `IAmSensitive`, `hunter2hunter2`, `TestConfiguration.OpenAI.ApiKey`, `pydantic-mypy`) rather
    than holding random characters: its letters read as words (`wordiness`), its digit runs are
    small or counting numbers, and letters and digits do not switch places four times or more
    (`a9f3b7c1` is random even though every piece of it is short)."""
    parts = pieces(value)
    switches = sum(1 for a, b in pairwise(parts) if a[0].isdigit() != b[0].isdigit())
    if switches >= 4:
        return False
    if not all(is_trivial_number(p) for p in parts if p[0] in _DIGITS):
        return False
    return wordiness(value) >= _WORDY


def named_of_words(text: str) -> bool:
    """A name of two to four words of letters (`bjoernGoogle`, `_payloadClipboard`,
    `upload:download`): camel humps or separators, each of 3 to 12 letters, lower-case or
    capitalised. Words a bigram table scores low (`payload`, `Google`) are words all the same;
    a token of letters alone breaks into humps of one or two (`kQmZpXvB`) or one long run."""
    parts = pieces(text)
    if not 2 <= len(parts) <= 4 or len(text) - sum(map(len, parts)) > 3:
        return False
    return all(3 <= len(p) <= 12 and p.isalpha() and (p.islower() or p[1:].islower()) for p in parts)
