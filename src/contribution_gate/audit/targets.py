"""TARGET arguments to repositories: local paths, clone URLs, `@file` lists and `github:ORG`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import GateError
from .repositories import check_url, git_dir_of, is_url
from .units import safe_name


@dataclass(frozen=True)
class Source:
    target: str  # absolute path or clone URL
    name: str  # what the reports call it (before making names unique)
    size_kb: float = 0.0  # the API's size, when known

    @property
    def remote(self) -> bool:
        return is_url(self.target)


def expand(
    targets: Sequence[str], environ: Mapping[str, str], include_archived: bool = False, include_forks: bool = False
) -> list[Source]:
    """Every repository the arguments name, each once, in the order given."""
    found: list[Source] = []
    for target in targets:
        if target.startswith("@"):
            for line in _list_file(Path(target[1:])):
                if line.startswith("@"):
                    raise GateError(f"{target}: {line}: a list cannot name another list; name its targets")
                if line.startswith("github:"):
                    found += expand([line], environ, include_archived, include_forks)
                else:
                    found.append(one(line))
        elif target.startswith("github:"):
            from .github_org import list_repositories

            for listed in list_repositories(target[len("github:") :], environ, include_archived, include_forks):
                found.append(Source(listed.clone_url, listed.full_name, listed.size_kb))
        else:
            found.append(one(target))
    unique = list({source.target: source for source in found}.values())  # each once, where first named
    if not unique:
        raise GateError("no repository to audit: give paths, clone URLs, @FILE or github:ORG")
    return unique


def one(target: str) -> Source:
    """A clone URL or a local repository (read through its git directory)."""
    if is_url(target):
        check_url(target)
        return Source(target, _name_of_url(target))
    path = Path(target).expanduser()
    if not path.is_dir():
        raise GateError(f"{target}: no such directory (give a repository path, a clone URL, @FILE or github:ORG)")
    git_dir = git_dir_of(path)
    return Source(str(path.resolve()), _name_of_path(path.resolve(), git_dir))


def _list_file(path: Path) -> list[str]:
    """One target a line; blank lines and `#` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"@{path}: cannot read the list of targets ({exc}): give a UTF-8 text file") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def _name_of_url(url: str) -> str:
    path = urlsplit(url).path if "://" in url else url.partition(":")[2]
    parts = [p for p in re.split(r"[/\\]", path.removesuffix("/").removesuffix(".git")) if p]
    keep = 1 if url.startswith("file://") else 2  # owner/name on a forge; a local file:// repository by its name
    return "/".join(safe_name(p) for p in parts[-keep:]) or "repository"


def _name_of_path(path: Path, git_dir: Path) -> str:
    """`project` for /x/project, /x/project.git and /x/project/.git; a mirror laid out as
    `owner+name/repo` is called `owner+name`."""
    where = path if path != git_dir else git_dir
    name = where.name.removesuffix(".git")
    if name in ("repo", "mirror", "") and where.parent.name:
        name = where.parent.name
    return safe_name(name)
