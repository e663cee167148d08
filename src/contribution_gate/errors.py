"""One user-facing error family: the CLI turns each into a one-line message and exit code 2."""

from __future__ import annotations


class GateError(Exception):
    """A problem the user can fix: bad input, config or repository state."""


class ConfigError(GateError):
    """The policy file is unreadable or invalid; the message names file, table and key."""


class GitError(GateError):
    """Git refused or the repository cannot provide what the target needs."""


class CheckError(GateError):
    """A check could not run; the review fails closed and reports this reason."""


class PolicyValueError(ConfigError):
    """A policy value found wrong only when a check uses it (`[licenses] project` naming no license):
    the message names table and key; the review adds the policy file, and it exits 2 like any
    config error."""
