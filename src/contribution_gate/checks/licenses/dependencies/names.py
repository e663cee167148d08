"""Which files declare dependencies, by name alone: a set lookup and two suffix tests, so asking
costs nothing on a change without manifests or lockfiles and imports no parser."""

from __future__ import annotations

MANIFESTS = frozenset(
    (
        "pyproject.toml",
        "setup.cfg",
        "pipfile",
        "package.json",
        "go.mod",
        "cargo.toml",
        "pom.xml",
        "libs.versions.toml",
        "composer.json",
    )
)
LOCKFILES = frozenset(
    (
        "pipfile.lock",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "cargo.lock",
        "gradle.lockfile",
        "gemfile.lock",
        "composer.lock",
        "packages.lock.json",
    )
)
REQUIREMENTS, CATALOG, GRADLE_LOCK = "requirements", "libs.versions.toml", "gradle.lockfile"


def name_key(path: str) -> str | None:
    """The kind of dependency file `path` is, as a key of `files.KINDS`, or None."""
    lowered = path.lower()
    name = lowered.rsplit("/", 1)[-1]
    if name in MANIFESTS or name in LOCKFILES:
        return name
    if name.endswith(".versions.toml") and "/gradle/" in f"/{lowered}":
        return CATALOG
    if name.endswith(".lockfile") and "/dependency-locks/" in f"/{lowered}":
        return GRADLE_LOCK
    if is_requirements(lowered):
        return REQUIREMENTS
    return None


def is_requirements(path: str) -> bool:
    """`requirements*.txt`/`.in`, `*-requirements.txt`, and any `.txt`/`.in` in a `requirements/`
    directory; constraint files add nothing and are not read."""
    parts = path.lower().split("/")
    name = parts[-1]
    if not name.endswith((".txt", ".in")) or name.startswith("constraint"):
        return False
    return "requirements" in name or (len(parts) > 1 and parts[-2] in ("requirements", "reqs"))


def is_dependency_file(path: str) -> bool:
    return name_key(path) is not None


def is_lockfile(path: str) -> bool:
    """A lockfile: its license fields are its packages' licenses, which the dependency review
    judges (the file-license detectors leave them alone)."""
    key = name_key(path)
    return key is not None and (key in LOCKFILES or key == GRADLE_LOCK)
