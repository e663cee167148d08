"""The models check's settings from the policy's [models] table: what every committed file is
scanned within, the allowlist of pickle globals and the AI-BOM's place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from ...content import Content
from ...model import NO_SETUP, Setup, Severity
from ...resources import data_file, tomllib
from ...trust import in_ci

if TYPE_CHECKING:
    from ...surveys import Surveys
    from .budget import Limits
    from .pickles import Allowlist

ID = "models"
DEFAULT_MAX_SIZE = 4 << 30
DEFAULT_MAX_OPCODES = 10_000_000
DEFAULT_MAX_SECONDS = 120.0
DEFAULT_AIBOM = "aibom.cdx.json"


@dataclass(frozen=True)
class Options:
    """The check's settings; the limits (with the allowlist of globals) are built when a file
    first needs them."""

    allow_globals: tuple[str, ...] = ()
    max_size: int = DEFAULT_MAX_SIZE
    max_opcodes: int = DEFAULT_MAX_OPCODES
    max_seconds: float = DEFAULT_MAX_SECONDS
    unscanned: Severity = Severity.WARNING
    require_aibom: bool = False
    aibom: str = DEFAULT_AIBOM
    content: Content | None = None
    surveys: Surveys | None = None  # the review's surveys of archive walks (`surveys.py`)

    @cached_property
    def limits(self) -> Limits:
        from .budget import Limits

        allow = default_allowlist().extended(self.allow_globals)
        return Limits(allow, max_size=self.max_size, max_opcodes=self.max_opcodes, max_seconds=self.max_seconds)

    @cached_property
    def manifests(self) -> frozenset[str]:
        """The checksum manifests of the reviewed tree, listed once: asking git for each name a
        model file's directories could hold cost a whole-tree review a round trip per name."""
        from .manifests import may_be_manifest

        return frozenset() if self.content is None else self.content.paths(may_be_manifest)


@lru_cache(maxsize=1)
def default_allowlist() -> Allowlist:
    """`config/model_globals.toml`: the globals every repository allows."""
    from .pickles import Allowlist

    data = tomllib.loads(data_file("model_globals.toml").read_text(encoding="utf-8"))
    return Allowlist.of(g for group in data.get("globals", {}).values() for g in group)


def options(table: Mapping[str, Any], setup: Setup = NO_SETUP) -> Options:
    unscanned = table.get("unscanned") or ("error" if in_ci() else "warning")
    return Options(
        allow_globals=tuple(table.get("allow-globals", ())),
        max_size=table.get("max-size", DEFAULT_MAX_SIZE),
        max_opcodes=table.get("max-opcodes", DEFAULT_MAX_OPCODES),
        max_seconds=float(table.get("max-seconds", DEFAULT_MAX_SECONDS)),
        unscanned=Severity(unscanned),
        require_aibom=bool(table.get("require-aibom", False)),
        aibom=table.get("aibom", DEFAULT_AIBOM),
        content=setup.content,
        surveys=_watching(setup.surveys),
    )


def _watching(surveys: Surveys | None) -> Surveys | None:
    """The review's surveys, watched for members this check reads: another check's walk of an archive
    that met none stands for this check's own (`surveys.py`)."""
    if surveys is not None:
        surveys.watch(_would_read)
    return surveys


def _would_read(head: bytes, size: int) -> bool:
    from .scan import would_read  # the format sniffers: only once an archive is walked

    return would_read(head, size)
