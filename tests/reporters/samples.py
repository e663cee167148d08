"""Reviews built from literals for the reporter tests: no git, no checks run.

The excerpts are what the review hands a reporter: already redacted. Nothing here is a credential.
"""

from __future__ import annotations

from dataclasses import replace

from contribution_gate import policy
from contribution_gate.model import Finding, Severity, Target, fingerprint
from contribution_gate.review import CheckRun, Review

BASE = "5d41402abc4b2a76b9719d911017c592ae7f3c10"
HEAD = "7b8b965ad4bca0e41ab51de7b31363a1e0a3f2c9"
TARGET = Target("range", BASE, HEAD)


def finding(
    check: str = "secrets",
    rule: str = "openai-api-key",
    severity: Severity = Severity.ERROR,
    path: str = "src/settings.py",
    line: int | None = 12,
    message: str = "OpenAI API key added to src/settings.py",
    remediation: str = "Revoke the key, create a new one and load it from the environment.",
    excerpt: str = 'OPENAI_API_KEY = "sk-p****"',
    **extra: object,
) -> Finding:
    """A finding with a fingerprint of its own (from its location, never from a secret)."""
    fp = fingerprint(check, rule, path, f"{line}:{excerpt}:{extra.get('commit')}")
    return Finding(check, rule, severity, path, line, message, remediation, fp, excerpt, **extra)  # type: ignore[arg-type]


def review(findings: list[Finding], checks: tuple[CheckRun, ...], **extra: object) -> Review:
    options = {"config_source": "pyproject.toml at 5d41402abc4b", "files": 7, "commits": 2} | extra
    return Review(TARGET, policy.decide(findings), checks, **options)  # type: ignore[arg-type]


def with_findings() -> Review:
    """Every kind of result a reporter must handle, including hostile text from a contribution."""
    findings = [
        finding(
            end_line=12, commit=HEAD, column=19, end_column=70, excerpt_at=18
        ),  # the key's column, as checks give it
        finding(
            rule="anthropic-api-key",
            severity=Severity.WARNING,
            path="config/dev env.toml",
            line=3,
            end_line=3,
            message="Anthropic API key added to config/dev env.toml (it fails the format's own check: a placeholder?)",
            remediation="Delete the key in the Anthropic Console and read a new one from ANTHROPIC_API_KEY.",
            excerpt='key = "sk-a****"',
            commit=HEAD,
        ),
        finding(
            rule="github-token",
            path="tests/fixtures/ci.yml",
            line=8,
            message="GitHub token added to tests/fixtures/ci.yml",
            remediation="Revoke the token in the GitHub settings and use the workflow's GITHUB_TOKEN.",
            excerpt='token: "ghp_****"  # pragma: allowlist secret',
            allowed_by=frozenset({"secrets"}),
        ),
        finding(
            check="proprietary-markers",
            rule="confidential",
            severity=Severity.WARNING,
            path="docs/`evil`|name <b>.md",
            line=40,
            end_line=41,
            message="Marker <b>CONFIDENTIAL</b> for @octocat | **bold** [link](https://example.com) in docs",
            remediation="Remove the text or ask legal@example.com whether it may be published.",
            excerpt="x = `a` | b <script>alert(1)</script> @octocat %0A ::warning::",
        ),
        finding(
            check="signoff",
            rule="missing-signoff",
            path="",
            line=None,
            message="Commit 7b8b965ad4bc has no Signed-off-by trailer",
            remediation="Amend the commit with `git commit --amend --signoff` and push again.",
            excerpt="",
            commit=HEAD,
        ),
        finding(
            check="internal-urls",
            rule="internal-host",
            severity=Severity.NOTE,
            path="README.md",
            line=5,
            message="Internal host wiki.corp added to README.md",
            remediation="Replace the internal host with a public one or remove it.",
            excerpt="See https://wiki.corp/setup",
        ),
    ]
    checks = (
        CheckRun("secrets", "fail", 2, 0.0123),
        CheckRun("proprietary-markers", "pass", 1, 0.0021),
        CheckRun("signoff", "fail", 1, 0.0004),
        CheckRun("internal-urls", "pass", 1, 0.001),
        CheckRun("licenses", "error", 0, 0.5, "RuntimeError: license index missing\n::set-output name=x::y"),
    )
    return review(findings, checks)


def clean() -> Review:
    return review([], (CheckRun("secrets", "pass", 0, 0.01),), commits=0, files=3)


def many(n: int, severity: Severity = Severity.ERROR, check: str = "secrets") -> list[Finding]:
    return [
        replace(
            finding(severity=severity, check=check, path=f"src/pkg{i % 37}/module_{i}.py", line=i + 1),
            message=f"OpenAI API key added to src/pkg{i % 37}/module_{i}.py",
        )
        for i in range(n)
    ]
