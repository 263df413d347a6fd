"""Blocks as tasks on a Dask cluster: a client, a scheduler address, or a
:class:`~dask.distributed.LocalCluster` started for the study."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ._base import BLOCKS_AHEAD, Options, _Closing, _in_order

__all__ = ["DaskBackend", "DaskMissingError"]

B = TypeVar("B")
R = TypeVar("R")
#: Preloaded in the workers of a LocalCluster (its ``dask_setup`` tunes malloc
#: and warms caches): the documented ``dask worker --preload`` module.
_WORKER_PRELOAD = ["enforcecost.parallel"]


class DaskMissingError(ImportError):
    """Dask is needed for this backend but is not installed."""


def _distributed() -> Any:
    """The ``distributed`` module, or a clear error naming the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise DaskMissingError(
            "running on Dask needs dask.distributed, which is not installed: "
            "pip install 'enforcecost[dask]'"
        ) from exc
    return distributed


def _is_client(obj: object) -> bool:
    """Whether ``obj`` is a :class:`dask.distributed.Client` (without importing Dask)."""
    mod = sys.modules.get("distributed")
    return mod is not None and isinstance(obj, mod.Client)


class DaskBackend(_Closing):
    """Blocks as tasks on a Dask cluster.

    Parameters
    ----------
    client : dask.distributed.Client
    owned : bool
        Close the client (and ``cluster``) in :meth:`close`; False for a client
        the caller passed in.
    cluster : object, optional
        A cluster this backend started (closed with it).

    Notes
    -----
    Each task carries its function and block (a block is only its draw range,
    the function holds the scenario: a few kilobytes), so a task can run on any
    worker and be rerun if its worker dies; tasks have unique keys.
    """

    def __init__(self, client: Any, *, owned: bool = False, cluster: Any = None) -> None:
        self.client = client
        self._owned = owned
        self._cluster = cluster

    @classmethod
    def from_options(cls, options: Options) -> DaskBackend:
        """The backend of ``get_backend(kind='dask')``.

        On ``options.client`` (left open), else connected to
        ``options.scheduler``, else on a LocalCluster of ``options.workers``
        processes started for it.

        Raises
        ------
        ConnectionError
            If the scheduler cannot be reached within ``options.connect_timeout``.
        DaskMissingError
            If Dask is not installed.
        """
        if options.client is not None:
            return cls(options.client)
        if options.scheduler is not None:
            return _connect(options.scheduler, options.connect_timeout)
        return _local_cluster(options.local_workers())

    @property
    def workers(self) -> int:
        info = self.client.scheduler_info()
        threads = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        return max(threads, 1)

    def map_blocks(self, fn: Callable[[B], R], blocks: Iterable[B]) -> Iterator[R]:
        token = uuid.uuid4().hex[:12]
        name = getattr(getattr(fn, "func", fn), "__name__", "block")
        counter = iter(range(sys.maxsize))

        def submit(block: B) -> Any:
            return self.client.submit(fn, block, key=f"enforcecost-{name}-{token}-{next(counter)}")

        def result(future: Any) -> R:
            out: R = future.result()
            future.release()
            return out

        def cancel(future: Any) -> None:
            future.cancel()

        return _in_order(submit, result, cancel, blocks, BLOCKS_AHEAD * self.workers)

    def close(self) -> None:
        if self._owned:
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()

    def __repr__(self) -> str:
        return f"DaskBackend({self.client!r})"


def _connect(address: str, timeout: float) -> DaskBackend:
    """A backend on a new client of the scheduler at ``address`` (closed with it)."""
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ConnectionError(
            f"cannot reach the Dask scheduler at {address!r} within {timeout:g} s: {exc}"
        ) from exc
    except ValueError as exc:
        raise ValueError(
            f"'scheduler' must be a Dask scheduler address such as 'tcp://host:8786': "
            f"{address!r} ({exc})"
        ) from exc
    return DaskBackend(client, owned=True)


def _local_cluster(workers: int) -> DaskBackend:
    """A backend on a LocalCluster of ``workers`` processes started for it."""
    distributed = _distributed()
    cluster = distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, preload=_WORKER_PRELOAD,  # tune_malloc in workers
        # no dashboard; the scheduler's HTTP server (health, metrics) on a free port,
        # not 8787, which another cluster may hold
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    try:
        client = distributed.Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    return DaskBackend(client, owned=True, cluster=cluster)
