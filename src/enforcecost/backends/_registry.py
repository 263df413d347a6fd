"""The table of backends by name, and the functions that choose one from it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from ._base import _CONNECT_TIMEOUT, Backend, BackendLike, Factory, Kind, Options, _check_workers
from ._dask import DaskBackend, _is_client
from ._inprocess import InProcess
from ._processes import Processes

__all__ = ["BACKENDS", "get_backend", "using_backend"]

#: Backend names (the ``kind=`` of :func:`get_backend`, the ``backend=`` of a
#: study) and what makes each from the checked :class:`Options`. Read-only.
BACKENDS: Mapping[Kind, Factory] = MappingProxyType({
    "inprocess": InProcess.from_options,
    "processes": Processes.from_options,
    "dask": DaskBackend.from_options,
})


def _implied_kind(options: Options) -> Kind:
    """The backend the options imply when none is named: a running cluster's, else a
    local pool's if ``workers`` is given, else this process."""
    if options.remote:
        return "dask"
    return "processes" if options.workers is not None else "inprocess"


def _check(options: Options) -> None:
    """Raise ValueError for invalid or conflicting options, whatever the backend."""
    workers, scheduler, client = options.workers, options.scheduler, options.client
    if workers is not None:
        _check_workers(workers)
    if scheduler is not None and not isinstance(scheduler, str):
        raise ValueError(f"'scheduler' must be an address string such as "
                         f"'tcp://host:8786': {scheduler!r}")
    if scheduler is not None and client is not None:
        raise ValueError("give a Dask 'scheduler' address or a 'client', not both")
    if options.remote and workers is not None:
        raise ValueError(
            f"'workers' sets the size of a local pool; a running Dask cluster has its own "
            f"workers: workers={workers!r} with "
            + (f"scheduler={scheduler!r}" if scheduler is not None else "a client")
        )


def get_backend(
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    *,
    kind: Kind | None = None,
    connect_timeout: float = _CONNECT_TIMEOUT,
) -> Backend:
    """The backend a study runs its blocks on.

    Parameters
    ----------
    workers : int, optional
        Local worker processes (``kind='processes'``, implied); with
        ``kind='dask'``, the workers of the local Dask cluster started.
    scheduler : str, optional
        Address of a running Dask scheduler (``'tcp://host:8786'``).
    client : dask.distributed.Client, optional
        A connected client (not closed by the backend's ``close()``).
    kind : {'inprocess', 'processes', 'dask'}, optional
        Force a kind (a name in :data:`BACKENDS`); ``'dask'`` without
        ``scheduler`` or ``client`` starts a :class:`~dask.distributed.LocalCluster`
        (``workers`` processes of one thread, on 127.0.0.1, no dashboard,
        :func:`tune_malloc` preloaded).
    connect_timeout : float
        Seconds to wait for ``scheduler``.

    Returns
    -------
    Backend
        Use it as a context manager (or call ``close()``) to release what it started.

    Raises
    ------
    ConnectionError
        If ``scheduler`` cannot be reached within ``connect_timeout``.
    DaskMissingError
        (an ImportError) if a Dask backend is asked for and Dask is not installed.
    ValueError
        For conflicting or invalid arguments.
    """
    if kind is not None and kind not in BACKENDS:
        raise ValueError(f"'backend' must be one of {', '.join(BACKENDS)}: {kind!r}")
    options = Options(workers, scheduler, client, connect_timeout)
    _check(options)
    return BACKENDS[kind if kind is not None else _implied_kind(options)](options)


@contextmanager
def using_backend(
    backend: BackendLike = None, *, workers: int | None = None, scheduler: str | None = None
) -> Iterator[Backend]:
    """The backend of a study's ``backend=``, ``workers=`` and ``scheduler=`` arguments.

    A :class:`Backend` or a Dask client passed in is used as is and left
    open; one made here is closed on exit.
    """
    if isinstance(backend, Backend) and not isinstance(backend, str):
        if workers is not None or scheduler is not None:
            raise ValueError("give 'workers' or 'scheduler' to get_backend(), not with a "
                             f"backend object: {backend!r}")
        yield backend
        return
    if _is_client(backend):
        made = get_backend(workers, scheduler, client=backend)
    elif backend is None or isinstance(backend, str):
        made = get_backend(workers, scheduler, kind=backend)
    else:
        raise ValueError(
            "'backend' must be a Backend, a dask.distributed.Client or one of "
            f"{', '.join(BACKENDS)}: {backend!r}"
        )
    try:
        yield made
    finally:
        made.close()
