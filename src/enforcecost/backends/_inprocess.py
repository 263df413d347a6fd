"""The default backend: blocks one after another in the calling process."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ._base import Options, _Closing

__all__ = ["InProcess"]

B = TypeVar("B")
R = TypeVar("R")


class InProcess(_Closing):
    """Blocks one after another in this process (the default)."""

    @classmethod
    def from_options(cls, options: Options) -> InProcess:
        """The backend of ``get_backend(kind='inprocess')`` (``workers`` is ignored).

        Raises
        ------
        ValueError
            If a Dask scheduler or client was given.
        """
        options.require_local("inprocess")
        return cls()

    @property
    def workers(self) -> int:
        return 1

    def map_blocks(self, fn: Callable[[B], R], blocks: Iterable[B]) -> Iterator[R]:
        return map(fn, blocks)

    def __repr__(self) -> str:
        return "InProcess()"
