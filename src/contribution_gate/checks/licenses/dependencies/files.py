"""Which files declare dependencies, which parser reads each, and how manifests and lockfiles of
one directory pair up (a lockfile pins what its manifest asks for).

A file is recognised by its name alone (a set lookup), so a change without any of these files
pays nothing for the dependency review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import dotnet, go, java, javascript, names, php, python, ruby, rust
from .model import CARGO, GO, MAVEN, NPM, NUGET, PACKAGIST, PYPI, RUBYGEMS, Parsed

Parser = Callable[[str, str], Parsed]  # (text, path) -> what the file names


@dataclass(frozen=True, slots=True)
class Kind:
    """A dependency file: its parser, ecosystem, whether it is a lockfile, and the file names of
    its partners in the same directory (a lockfile's manifests, a manifest's lockfiles)."""

    parse: Parser
    ecosystem: str
    lockfile: bool
    partners: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "pyproject.toml": Kind(python.pyproject, PYPI, False, ("poetry.lock", "uv.lock", "pdm.lock")),
    "setup.cfg": Kind(python.setup_cfg, PYPI, False),
    "pipfile": Kind(python.pipfile, PYPI, False, ("Pipfile.lock",)),
    "pipfile.lock": Kind(python.pipfile_lock, PYPI, True, ("Pipfile",)),
    "poetry.lock": Kind(python.poetry_lock, PYPI, True, ("pyproject.toml",)),
    "uv.lock": Kind(python.uv_lock, PYPI, True, ("pyproject.toml",)),
    "pdm.lock": Kind(python.pdm_lock, PYPI, True, ("pyproject.toml",)),
    "package.json": Kind(
        javascript.package_json, NPM, False, ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")
    ),
    "package-lock.json": Kind(javascript.package_lock, NPM, True, ("package.json",)),
    "npm-shrinkwrap.json": Kind(javascript.package_lock, NPM, True, ("package.json",)),
    "yarn.lock": Kind(javascript.yarn_lock, NPM, True, ("package.json",)),
    "pnpm-lock.yaml": Kind(javascript.pnpm_lock, NPM, True, ("package.json",)),
    "go.mod": Kind(go.go_mod, GO, False),
    "cargo.toml": Kind(rust.cargo_toml, CARGO, False, ("Cargo.lock",)),
    "cargo.lock": Kind(rust.cargo_lock, CARGO, True, ("Cargo.toml",)),
    "pom.xml": Kind(java.pom_xml, MAVEN, False),
    names.CATALOG: Kind(java.version_catalog, MAVEN, False),
    names.GRADLE_LOCK: Kind(java.gradle_lockfile, MAVEN, True),
    "gemfile.lock": Kind(ruby.gemfile_lock, RUBYGEMS, True),
    "composer.json": Kind(php.composer_json, PACKAGIST, False, ("composer.lock",)),
    "composer.lock": Kind(php.composer_lock, PACKAGIST, True, ("composer.json",)),
    "packages.lock.json": Kind(dotnet.packages_lock, NUGET, True),
    names.REQUIREMENTS: Kind(python.requirements, PYPI, False),
}


def kind_of(path: str) -> Kind | None:
    """The dependency file `path` is, or None."""
    key = names.name_key(path)
    return KINDS[key] if key is not None else None


def sibling(path: str, name: str) -> str:
    directory = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    return directory + name
