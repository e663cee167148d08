"""The credential families the secrets check knows, listed from the rule data, for the README.

    python -m contribution_gate.checks.secrets.families --markdown

prints the table the README's secrets section holds between its `secret-families` markers (a test
checks that the two are the same, so the list is never written by hand). Families come from our
rules (`config/secret_rules.toml`, grouped by their `category`), the detectors made in code
(private key blocks), and the detect-secrets plugins the check loads.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from .formats import CHECK_NAMES
from .plugins import PLUGINS
from .rules import load_rules

# category -> the heading it has in the README, in the README's order
CATEGORIES = {
    "ai": "AI providers",
    "cloud": "cloud, hosting and databases",
    "code": "source control, CI/CD, registries and secret stores",
    "monitoring": "monitoring, analytics and feature flags",
    "messaging": "messaging, email and social",
    "payments": "payments, commerce and crypto",
    "saas": "productivity, CRM, content and other APIs",
    "http": "HTTP clients and command lines",
    "connection": "connection strings, credential files, keys and tokens",
    "assignments": "assignments (a secret-sounding name and a value)",
    "plugins": "detect-secrets plugins",
}
DEFAULT_CATEGORY = "assignments"
BEGIN = "<!-- secret-families:begin (generated: python -m contribution_gate.checks.secrets.families --markdown) -->"
END = "<!-- secret-families:end -->"
# detectors made in code, not in the rule data (checks/secrets/blocks.py)
_IN_CODE = (
    ("private-key", "connection", "PEM, OpenSSH and PGP blocks, one string literal per line too"),
    ("gcp-service-account-key", "connection", "the private key of a service account's JSON"),
    ("rails-master-key", "connection", "`config/master.key`, `config/credentials/*.key`: 32 hex digits"),
    ("credential-store", "connection", "a KeePass database or a Java keystore, by its format"),
)


@dataclass(frozen=True)
class Family:
    rule: str
    category: str
    note: str = ""  # the offline check, `warning` for publishable keys, or what a code detector reads
    checked: bool = False  # the rule has an offline format check


def families() -> list[Family]:
    """Every family, in rule order within each category."""
    found = []
    for rule in load_rules():
        kind = rule.validate.partition(":")[0]
        notes = [CHECK_NAMES[kind]] if kind else []
        if rule.public:
            notes.append("warning")
        found.append(Family(rule.id, rule.category or DEFAULT_CATEGORY, ", ".join(notes), bool(kind)))
    found.extend(Family(rule, category, note) for rule, category, note in _IN_CODE)
    found.extend(Family(rule, "plugins") for rule, _words, _run in PLUGINS.values())
    return found


def markdown() -> str:
    """The README's table: one row per category, its families with their checks."""
    listed = families()
    checked = sum(1 for f in listed if f.checked)
    lines = [
        BEGIN,
        f"{len(listed)} families ({checked} with an offline format check; `warning`: a publishable or test-mode key, "
        "reported but never an error):",
        "",
        "| category | families |",
        "|---|---|",
    ]
    for category, heading in CATEGORIES.items():
        members = [f for f in listed if f.category == category]
        if members:
            shown = ", ".join(f"`{f.rule}`" + (f" ({f.note})" if f.note else "") for f in members)
            lines.append(f"| {heading} ({len(members)}) | {shown} |")
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="the README's table (the default)")
    parser.add_argument("--ids", action="store_true", help="one rule id per line")
    args = parser.parse_args(argv)
    if args.ids:
        sys.stdout.write("".join(f"{f.rule}\n" for f in families()))
    else:
        sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
