"""The only place that imports detect_secrets: its plugins, listed explicitly, called directly.

detect-secrets loads no plugin by default and keeps its settings in a process-wide singleton; we
instantiate the plugins ourselves and apply its heuristic filters as plain functions instead.

Their regular expressions are not ours, so what they are given is bounded instead: a window of a
line at most (the caller's), with every run of more than eight spaces cut to eight. Their
assignment patterns (`key *(?:=| +|...) *value`) put three space repeats side by side, cubic in
a run of spaces (a 10,000-character line of them took hours); no pattern of theirs gives a space
any other role, so the cut changes no match. Two of their heuristic filters are quadratic on the
line; `_indirect_reference` does the same test in one pass, and the id-string test is left out
(detect-secrets skips it for every plugin here: all are RegexBasedDetectors).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ...errors import CheckError
from ...model import Severity

# plugin class -> (our rule id, lower-case words of which one must be on the line before it runs,
# the shortest run of token characters (`[\w\\-]`) any match of its patterns holds).
# Only what our own rules (config/secret_rules.toml) do not cover better: those carry offline
# format checks and precise boundaries, so the plugins for AWS, Azure Storage, GitHub, GitLab, JWT, npm, OpenAI,
# private keys, PyPI, Slack, Discord (ours decodes the user id in the token), Stripe, SendGrid,
# Mailchimp, Telegram (ours needs no word on the line), passwords in URLs and keyword assignments
# (our generic rule, with a plausibility filter, measured better on benchmarks/secrets_corpus.py)
# are not loaded. The words are specific on purpose, and a line must hold a run as long as the
# plugin's token too: importing detect-secrets (it pulls in requests) takes 0.13 s, more than a whole
# small review, so a word in prose (`ibm` in a changelog) must not trigger it. The runs are read off
# the plugins' own patterns (tests/unit/test_secrets_plugin_runs.py checks them against the installed ones).
PLUGINS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "artifactory.ArtifactoryDetector": ("artifactory-token", ("akc", "artifactory"), 11),
    "cloudant.CloudantDetector": ("cloudant-credentials", ("cloudant",), 24),
    "ibm_cloud_iam.IbmCloudIamDetector": ("ibm-cloud-iam-key", ("ibm",), 44),
    "ibm_cos_hmac.IbmCosHmacDetector": (
        "ibm-cos-hmac",
        ("secret_access_key", "secretaccesskey", "secret-access-key"),
        48,
    ),
    "softlayer.SoftlayerDetector": ("softlayer-credentials", ("softlayer",), 64),
    "square_oauth.SquareOAuthDetector": ("square-oauth-secret", ("sq0csp-",), 50),
    "twilio.TwilioKeyDetector": ("twilio-key", ("twilio",), 34),
}
KEYWORDS = tuple(sorted({k for _, words, _ in PLUGINS.values() for k in words}))
# A short word counts only where a name or a token starts, not inside a run of base64: a
# certificate bundle or an embedded font holds "ibm" or "akc" every few lines, and the plugins
# they select want theirs after a quote, a space, `=`, `:`, `[` or the start of the line.
_SHORT = tuple(k for k in KEYWORDS if len(k) <= 4)
_SHORT_AT_A_START = re.compile("(?<![a-z0-9+/])(?:" + "|".join(map(re.escape, _SHORT)) + ")", re.IGNORECASE)
_REMEDIATION = "Revoke or rotate this credential with its provider now (it is leaked once pushed), then load it from the environment or a secret manager."


@dataclass(frozen=True, slots=True)
class PluginHit:
    rule: str
    title: str
    secret: str
    severity: Severity
    remediation: str


@lru_cache(maxsize=1)
def _loaded() -> tuple[tuple[Any, str, tuple[str, ...], int], ...]:
    from importlib import import_module

    try:
        loaded = []
        for dotted, (rule, words, run) in PLUGINS.items():
            module, _, name = dotted.rpartition(".")
            plugin = getattr(import_module(f"detect_secrets.plugins.{module}"), name)()
            loaded.append((plugin, rule, words, run))
        return tuple(loaded)
    except (ImportError, AttributeError) as exc:
        raise CheckError(
            f"detect-secrets is missing or incompatible ({exc}): pip install 'detect-secrets>=1.5'"
        ) from None


@lru_cache(maxsize=1)
def _heuristics() -> Any:
    from detect_secrets.filters import heuristic

    return heuristic


_SPACES = re.compile(" {9,}")
# an assignment or comparison, then a name and an opening bracket: `= get_secret(`, `== headers[`
_REFERENCE = re.compile(r"(?::=?|[!=]{1,3})\s{0,1000}[\w.-]{1,1000}[\[(]")


def scan_line(path: str, text: str, on_line: frozenset[str], lineno: int) -> Iterator[PluginHit]:
    """detect-secrets' findings on one line (or one window of a long line), for the plugins whose
    words are among the line's keywords `on_line`, after its own false-positive heuristics (which
    run only on what a plugin found)."""
    wanted = {word for word in on_line.intersection(KEYWORDS) if word not in _SHORT}
    if not on_line.isdisjoint(_SHORT):
        wanted.update(word.lower() for word in _SHORT_AT_A_START.findall(text))
    if not wanted or not any(
        _token_run(run).search(text) for _, words, run in PLUGINS.values() if not wanted.isdisjoint(words)
    ):
        return
    line = _SPACES.sub(" " * 8, text) if " " * 9 in text else text
    reference: bool | None = None
    for plugin, rule, words, run in _loaded():
        if wanted.isdisjoint(words) or not _token_run(run).search(text):
            continue
        for found in plugin.analyze_line(filename=path, line=line, line_number=lineno, context=None):
            secret = found.secret_value or ""
            if not secret or _filtered(path, secret):
                continue
            if reference is None:
                reference = _indirect_reference(text)
            if not reference:
                yield PluginHit(rule, found.type, secret, Severity.ERROR, _REMEDIATION)


@cache
def _token_run(length: int) -> re.Pattern[str]:
    """`length` token characters in a row: what every match of a plugin holds (PLUGINS)."""
    return re.compile(rf"[\w\\-]{{{length}}}")


def _indirect_reference(line: str) -> bool:
    """detect-secrets' `is_indirect_reference` (`secret = get_secret_key()`,
    `key = request.headers['apikey']`), without its quadratic regex: an assignment or comparison
    followed by a name and a bracket, and a closing bracket later. Like it, False past 1,000
    characters."""
    if len(line) > 1000:
        return False
    match = _REFERENCE.search(line)
    return match is not None and max(line.rfind("]"), line.rfind(")")) >= match.end()


def _filtered(path: str, secret: str) -> bool:
    h = _heuristics()
    return bool(
        h.is_lock_file(path)
        or h.is_sequential_string(secret)
        or h.is_potential_uuid(secret)
        or h.is_templated_secret(secret)
        or h.is_prefixed_with_dollar_sign(secret)
        or h.is_not_alphanumeric_string(secret)
    )
