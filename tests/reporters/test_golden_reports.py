"""Each reporter, as the registry hands it out (redacted, made visible), against its golden file;
and the registry itself: every format is behind the guard, and nothing outside the package calls a
format's `render` directly."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
import samples

import contribution_gate
from contribution_gate.reporters import REPORTERS, github

TOKEN = "0123456789abcdef" * 2
RENDER: dict[str, tuple[Callable[..., str], str]] = {
    "sarif": (lambda review: REPORTERS["sarif"](review), "sarif"),
    "markdown": (lambda review: REPORTERS["markdown"](review), "md"),
    "github": (lambda review: REPORTERS["github"](review, token=TOKEN), "txt"),
    "text": (lambda review: REPORTERS["text"](review, width=80, verbose=True), "txt"),
    "json": (lambda review: REPORTERS["json"](review), "json"),
    "gitlab": (lambda review: REPORTERS["gitlab"](review), "json"),
    "junit": (lambda review: REPORTERS["junit"](review), "xml"),
}
PACKAGE = Path(contribution_gate.__file__).parent


@pytest.mark.parametrize("sample", ["with_findings", "clean"])
@pytest.mark.parametrize("fmt", sorted(RENDER))
def test_golden(fmt: str, sample: str, golden: Callable[[str, str], None]) -> None:
    render, ext = RENDER[fmt]
    review = getattr(samples, sample)()
    golden(f"{fmt}-{sample}.{ext}", render(review))


def test_registry_guards_every_format() -> None:
    assert sorted(REPORTERS) == ["github", "gitlab", "json", "junit", "markdown", "sarif", "text"]
    for name, render in REPORTERS.items():
        assert getattr(render, "guarded", False), f"{name} is not behind the guard"
        inner = render.__wrapped__  # type: ignore[attr-defined]
        assert inner.__module__ == f"contribution_gate.reporters.{'json_report' if name == 'json' else name}"
        params = list(inspect.signature(inner).parameters.values())
        assert [p.name for p in params[:2]] == ["review", "color"]
        assert all(p.default is not inspect.Parameter.empty for p in params[1:])


def test_no_module_outside_the_registry_renders_a_format_itself() -> None:
    formats = {"text", "json_report", "sarif", "markdown", "github", "gitlab", "junit"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "reporters":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module.split(".")
                names = {a.name for a in node.names}
                if module[-1] == "reporters" and names & formats or module[-1] in formats and "reporters" in module:
                    offenders.append(f"{path.relative_to(PACKAGE)}: from {node.module} import {', '.join(names)}")
    assert offenders == []


@pytest.mark.parametrize("fmt", ["sarif", "markdown", "json", "gitlab", "junit"])
def test_render_is_pure(fmt: str) -> None:
    review = samples.with_findings()
    assert REPORTERS[fmt](review, False) == REPORTERS[fmt](review, True)


def test_github_render_is_pure_given_a_token() -> None:
    review = samples.with_findings()
    assert github.render(review, token=TOKEN) == github.render(review, True, token=TOKEN)
