"""Each new reporter against its golden file, and the registry that names them."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
import samples

from contribution_gate.reporters import REPORTERS, github, markdown, sarif

TOKEN = "0123456789abcdef" * 2
RENDER: dict[str, tuple[Callable[..., str], str]] = {
    "sarif": (sarif.render, "sarif"),
    "markdown": (markdown.render, "md"),
    "github": (lambda review: github.render(review, token=TOKEN), "txt"),
}


@pytest.mark.parametrize("sample", ["with_findings", "clean"])
@pytest.mark.parametrize("fmt", sorted(RENDER))
def test_golden(fmt: str, sample: str, golden: Callable[[str, str], None]) -> None:
    render, ext = RENDER[fmt]
    review = getattr(samples, sample)()
    golden(f"{fmt}-{sample}.{ext}", render(review))


def test_registry_names_every_format() -> None:
    assert REPORTERS["sarif"] is sarif.render
    assert REPORTERS["markdown"] is markdown.render
    assert REPORTERS["github"] is github.render
    for render in REPORTERS.values():
        params = list(inspect.signature(render).parameters.values())
        assert [p.name for p in params[:2]] == ["review", "color"]
        assert all(p.default is not inspect.Parameter.empty for p in params[1:])


@pytest.mark.parametrize("fmt", ["sarif", "markdown"])
def test_render_is_pure(fmt: str) -> None:
    review = samples.with_findings()
    assert REPORTERS[fmt](review, False) == REPORTERS[fmt](review, True)


def test_github_render_is_pure_given_a_token() -> None:
    review = samples.with_findings()
    assert github.render(review, token=TOKEN) == github.render(review, True, token=TOKEN)
