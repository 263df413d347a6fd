"""Blocks on local worker processes, which end with the process that started them."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from ._base import BLOCKS_AHEAD, Options, _check_workers, _Closing, _in_order
from ._lifetime import _start_worker

__all__ = ["Processes"]

B = TypeVar("B")
R = TypeVar("R")
#: Imported by the fork server before it forks a worker: the model, and the module
#: that warms its caches and makes it end with its parent (both must stay importable).
_FORKSERVER_PRELOAD = ["enforcecost.model", "enforcecost.backends._preload"]


def _process_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` with the model preloaded and its caches warm (workers start in
    milliseconds, ready for their first block, and a fresh server is safe with
    threads in this process), else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_FORKSERVER_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


class Processes(_Closing):
    """Blocks on local worker processes.

    Parameters
    ----------
    workers : int
        Worker processes, >= 1.
    """

    def __init__(self, workers: int) -> None:
        self._workers = _check_workers(workers)
        self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=_process_context(),
                                         initializer=_start_worker, initargs=(os.getpid(),))

    @classmethod
    def from_options(cls, options: Options) -> Processes:
        """The backend of ``get_backend(kind='processes')``: ``workers`` processes
        (default: one per CPU).

        Raises
        ------
        ValueError
            If a Dask scheduler or client was given.
        """
        options.require_local("processes")
        return cls(options.local_workers())

    @property
    def workers(self) -> int:
        return self._workers

    def map_blocks(self, fn: Callable[[B], R], blocks: Iterable[B]) -> Iterator[R]:
        def submit(block: B) -> Future[R]:
            return self._pool.submit(fn, block)

        def result(future: Future[R]) -> R:
            return future.result()

        def cancel(future: Future[R]) -> None:
            future.cancel()

        return _in_order(submit, result, cancel, blocks, BLOCKS_AHEAD * self._workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __repr__(self) -> str:
        return f"Processes(workers={self._workers})"
