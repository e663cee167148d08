"""The engines that run an audit's units: `local` (worker processes, the default) and `ray`.

What every engine shares (the protocol, results of lost attempts, when a result is final) is in
`base`; `make_engine` imports an engine only when it is chosen, so Ray loads only for `--engine ray`.
"""

from __future__ import annotations

from ..reviewer import Reviewer, ReviewerArgs
from .base import Engine, ReviewerFactory

__all__ = ["Engine", "make_engine"]


def make_engine(
    name: str, args: ReviewerArgs, workers: int, address: str | None = None, factory: ReviewerFactory = Reviewer
) -> Engine:
    """The engine the command names; Ray is imported only here, only for `--engine ray`."""
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(args, workers, address, factory)
    from .local import LocalEngine

    return LocalEngine(args, workers, factory)
