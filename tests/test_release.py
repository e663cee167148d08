"""A release that works as documented: one version in the package, the changelog, the README's
`rev:`/`uses:` lines and the hook's help, and an annotated tag per released version."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from contribution_gate import __version__
from contribution_gate.resources import tomllib

ROOT = Path(__file__).resolve().parents[1]
TAG = f"v{__version__}"


def test_the_package_version_comes_from_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/contribution_gate/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert "CHANGELOG.md" in project["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_the_changelog_starts_with_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE)
    assert versions and versions[0] == __version__
    assert f"[{__version__}]: " in changelog


def test_every_rev_and_uses_line_of_the_readme_names_this_release() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    revs = re.findall(r"^\s*rev: (\S+)", readme, flags=re.MULTILINE)
    uses = re.findall(r"contribution-gate/contribution-gate@(\S+?)[\"\s]", readme)
    assert revs and uses
    assert set(revs) | set(uses) == {TAG}
    assert f'"version": "{__version__}"' in readme  # the JSON report's sample


def test_the_hooks_help_names_this_release(gate) -> None:  # type: ignore[no-untyped-def]
    run = gate("hook", "--help")
    assert run.code == 0
    assert f"rev: {TAG}" in run.out


def test_every_release_tag_is_annotated_and_matches_its_version() -> None:
    """Each `v*` tag this checkout has (a clone may have none yet) is annotated, and the package at
    it says that version; the changelog has a section for it."""
    listed = subprocess.run(
        ["git", "tag", "--list", "v[0-9]*", "--format=%(refname:short) %(objecttype)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for line in listed.stdout.splitlines():
        tag, kind = line.split()
        assert kind == "tag", f"{tag} is a lightweight tag: release tags are annotated (git tag -a)"
        at_tag = subprocess.run(
            ["git", "show", f"{tag}:src/contribution_gate/__init__.py"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        assert f'__version__ = "{tag[1:]}"' in at_tag
        assert f"## [{tag[1:]}]" in changelog
