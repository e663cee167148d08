#!/usr/bin/env python3
"""Regenerate `config/license_refs.json.gz`, the reference data of the licenses check's fast matcher,
from an installed ScanCode-toolkit (`pip install 'contribution-gate[scancode]'`).

    python benchmarks/make_license_refs.py            # writes config/license_refs.json.gz
    python benchmarks/make_license_refs.py --check    # exit 1 when the committed file is stale

What it takes from ScanCode's LicenseDB data (`licensedcode/data`, CC-BY-4.0, (c) nexB Inc. and
others; the license texts themselves are those of their authors, which allow verbatim copies):

- the full text of each license of `TOP` (the most used licenses of open-source code and data:
  GitHub's and ClearlyDefined's counts, the SPDX list's OSI and Creative Commons families, the
  model hub's common ids);
- every rule of ScanCode (a text, notice, tag, reference, intro or clue) of at most `MAX_TOKENS`
  tokens whose license expression uses only those licenses and the keys that are no license on their
  own (`unknown-license-reference`, `warranty-disclaimer`, ...), and ScanCode's false-positive rules
  of that length: these are the usual headers ("Licensed under the Apache License, Version 2.0 ..."),
  notices, tags (`:license: BSD`) and mentions, with ScanCode's own license keys and relevance;
- ScanCode's stop words (HTML entities and tags that its tokenizer drops) and its equivalent words
  (`license`, `licence` and `licenses` are one token to it).

Texts and rules are stored as their tokens (lower case, ScanCode's tokenizer), not as prose: the
matcher compares tokens, so the file is as small as the data allows (about 0.7 MB compressed) and
the check needs no ScanCode to read it.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import re
import sys
import zlib
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "config" / "license_rules.json.gz"  # the exact matcher: every rule, as checksums
TEXTS = PROJECT / "config" / "license_texts.json.gz"  # the approximate matcher: the TOP texts, as tokens
MAX_TOKENS = 120

# ScanCode keys of the licenses the fast matcher knows by their full text, headers and notices.
TOP = re.findall(
    r"\S+",
    """
mit apache-2.0 bsd-new bsd-simplified isc bsd-zero mit-0 x11 unlicense cc0-1.0 wtfpl-2.0 zlib
boost-1.0 bsd-original bsd-plus-patent bsd-new-nomod apache-1.0 apache-1.1 python psf-2.0
unicode-dfs-2016 uoi-ncsa postgresql openssl-ssleay openssl ssleay libpng libpng-v2 ijg curl
historical w3c zpl-2.0 zpl-2.1 upl-1.0 blueoak-1.0.0 mulanpsl-2.0 fair json beerware afl-3.0 ecl-2.0
ms-pl artistic-2.0 artistic-perl-1.0 ruby php-3.01 vim ofl-1.1
gpl-1.0 gpl-1.0-plus gpl-2.0 gpl-2.0-plus gpl-3.0 gpl-3.0-plus lgpl-2.0 lgpl-2.0-plus lgpl-2.1
lgpl-2.1-plus lgpl-3.0 lgpl-3.0-plus agpl-3.0 agpl-3.0-plus mpl-1.0 mpl-1.1 mpl-2.0 epl-1.0 epl-2.0
cddl-1.0 cddl-1.1 cpl-1.0 eupl-1.1 eupl-1.2 osl-3.0 ms-rl lppl-1.3c sleepycat gfdl-1.2 gfdl-1.2-plus
gfdl-1.3 gfdl-1.3-plus classpath-exception-2.0 gcc-exception-3.1 autoconf-exception-3.0 llvm-exception
openssl-exception-gpl-3.0-plus cc-by-2.0 cc-by-3.0 cc-by-4.0 cc-by-sa-2.0 cc-by-sa-3.0 cc-by-sa-4.0
cc-by-nc-4.0 cc-by-nc-sa-4.0 cc-by-nd-4.0 cc-by-nc-nd-4.0 cc-by-nc-3.0 cc-by-nc-sa-3.0 cc-by-nd-3.0
cc-by-nc-nd-3.0 mongodb-sspl-1.0 bsl-1.1 elastic-license-v2 polyform-noncommercial-1.0.0
commons-clause
""",
)
# keys that are no license on their own: rules of these settle a mention ("see LICENSE") as nothing
NO_LICENSE = ["unknown-license-reference", "warranty-disclaimer", "free-unknown", "other-permissive"]
KINDS = (
    ("is_license_text", "text"),
    ("is_license_notice", "notice"),
    ("is_license_tag", "tag"),
    ("is_license_reference", "reference"),
    ("is_license_intro", "intro"),
    ("is_license_clue", "clue"),
    ("is_false_positive", "false-positive"),
)
_WORD = re.compile(r"[^_\W]+(?:\+[^_\W]*)?")  # ScanCode's query_pattern, written without ambiguity
_KEY = re.compile(r"[a-z0-9][a-z0-9.+_-]*")


def scancode_data() -> Path:
    import licensedcode

    return Path(licensedcode.__file__).parent / "data"


def split(path: Path) -> tuple[dict[str, Any], str]:
    import yaml

    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---"):
        _, front, body = text.split("---", 2)
        return yaml.safe_load(front) or {}, body
    return {}, text


def equivalents() -> dict[str, str]:
    """ScanCode's equivalent words (one token id for `license`, `licence`, `licenses`; US and UK
    spellings; common typos): each word of a group -> the group's first word."""
    from licensedcode.legalese import common_license_words

    groups: dict[int, list[str]] = {}
    for word, tid in common_license_words.items():
        groups.setdefault(tid, []).append(word)
    return {w: min(group) for group in groups.values() if len(group) > 1 for w in group if w != min(group)}


def tokens(text: str, stopwords: frozenset[str], same: dict[str, str]) -> list[str]:
    text = text.replace("{{", " ").replace("}}", " ").lower()
    return [same.get(t, t) for t in _WORD.findall(text) if t not in stopwords]


def build() -> dict[str, Any]:
    from licensedcode.stopwords import STOPWORDS

    data = scancode_data()
    stop = frozenset(STOPWORDS)
    same = equivalents()
    texts: list[list[Any]] = []
    entries: list[list[Any]] = []
    for path in sorted((data / "licenses").glob("*.LICENSE")):
        meta, body = split(path)
        words = tokens(body, stop, same)
        key = path.name[: -len(".LICENSE")]
        if not words or meta.get("is_deprecated"):  # ScanCode indexes every other license with a text
            continue
        entries.append(entry(path.name, key, "text", 100, words))
        if key in TOP:
            texts.append([path.name, key, " ".join(words)])
    missing = set(TOP) - {t[1] for t in texts}
    if missing:
        raise SystemExit(f"ScanCode has no license text for {sorted(missing)}: update TOP")
    for path in sorted((data / "rules").glob("*.RULE")):
        meta, body = split(path)
        kind = next((name for flag, name in KINDS if meta.get(flag)), None)
        words = tokens(body, stop, same)
        if kind is None or not words or meta.get("is_deprecated"):
            continue
        expression = str(meta.get("license_expression") or "")
        entries.append(entry(path.name, expression, kind, int(meta.get("relevance", 100)), words))
    buckets: dict[str, list[list[Any]]] = {}
    for item in sorted(entries, key=lambda e: (e[0], e[5], e[1])):  # by anchor, then shortest first
        buckets.setdefault(item[0], []).append(item[1:])
    # each bucket as one string, "name|expression|kind|relevance|length|hash|crc" joined by ";":
    # the matcher splits a bucket when a text reaches it
    for item in entries:
        assert not any(c in str(f) for f in item[1:] for c in "|;"), item
    anchors = {k: ";".join("|".join(map(str, e)) for e in v) for k, v in buckets.items()}
    return {
        "about": "Reference data of the licenses check's fast matcher (benchmarks/make_license_refs.py): "
        "ScanCode's license texts and rules as token checksums, and the full texts of the most used "
        "licenses as tokens. From ScanCode's LicenseDB data (https://scancode-licensedb.aboutcode.org), "
        "(c) nexB Inc. and others, CC-BY-4.0; the license texts are those of their authors.",
        "license": "CC-BY-4.0",
        "scancode": importlib.metadata.version("scancode-toolkit-mini"),
        "anchor": ANCHOR,
        "hash": [BASE, MODULUS],
        "stopwords": sorted(stop),
        "equivalents": same,
        "texts": texts,  # written apart, to TEXTS
        "anchors": anchors,
    }


ANCHOR = 4  # tokens a rule is looked up by (fewer for a shorter rule)
BASE, MODULUS = 65_599, (1 << 31) - 1  # the polynomial hash of token sequences (a filter; crc32 confirms)


def entry(name: str, expression: str, kind: str, relevance: int, words: list[str]) -> list[Any]:
    """[anchor, name, expression, kind, relevance, length, hash, crc32]: a rule as the exact
    matcher looks it up (by its first tokens) and compares it (its length, the polynomial hash of
    its tokens' crc32s, which a window's prefix sums give for any stretch in one step, and the crc32
    of its tokens joined by spaces, checked on a hash hit), without its text."""
    value = 0
    for word in words:
        value = (value * BASE + zlib.crc32(word.encode())) % MODULUS
    joined = " ".join(words)
    return [" ".join(words[:ANCHOR]), name, expression, kind, relevance, len(words), value, zlib.crc32(joined.encode())]


def encode(refs: dict[str, Any]) -> bytes:
    raw = json.dumps(refs, separators=(",", ":"), sort_keys=True).encode()
    return gzip.compress(raw, compresslevel=9, mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed files differ")
    args = parser.parse_args()
    refs = build()
    head = {k: v for k, v in refs.items() if k not in ("texts", "anchors", "equivalents")}
    files = {
        OUT: {**head, "equivalents": refs["equivalents"], "anchors": refs["anchors"]},
        TEXTS: {**head, "texts": refs["texts"]},
    }
    if args.check:
        stale = [p for p, d in files.items() if not p.is_file() or json.loads(gzip.decompress(p.read_bytes())) != d]
        print("STALE: " + ", ".join(str(p.relative_to(PROJECT)) for p in stale) if stale else "up to date")
        return 1 if stale else 0
    for path, content in files.items():
        blob = encode(content)
        path.write_bytes(blob)
        print(f"{path.relative_to(PROJECT)}: {len(blob) / 1024:.0f} KiB compressed")
    rules = sum(v.count(";") + 1 for v in refs["anchors"].values())
    print(f"{rules} rules, {len(refs['texts'])} texts (ScanCode {refs['scancode']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
