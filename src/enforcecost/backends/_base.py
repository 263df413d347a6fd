"""What every backend shares: the :class:`Backend` protocol, the options a backend
is made from (:class:`Options`), and the helpers of their implementations."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, TypeVar, runtime_checkable

__all__ = [
    "BLOCKS_AHEAD",
    "Backend",
    "BackendLike",
    "Factory",
    "Kind",
    "Options",
    "available_cpus",
]

B = TypeVar("B")
R = TypeVar("R")
#: A backend's name: a key of :data:`enforcecost.backends.BACKENDS`.
Kind = str
#: Blocks in flight per worker: enough to keep every worker busy while the
#: client combines, few enough to bound the client's memory.
BLOCKS_AHEAD = 2
_CONNECT_TIMEOUT = 10.0  # seconds


def available_cpus() -> int:
    """The cores this process may run on (at least 1).

    ``os.process_cpu_count()`` (Python 3.13+), else the size of the process's
    CPU affinity mask (``os.sched_getaffinity``, Linux), else ``os.cpu_count()``.
    """
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        n = count()
    elif hasattr(os, "sched_getaffinity"):
        n = len(os.sched_getaffinity(0))
    else:  # pragma: no cover - macOS, Windows
        n = os.cpu_count()
    return max(int(n or 1), 1)


@runtime_checkable
class Backend(Protocol):
    """Runs a function on blocks and yields the results in block order."""

    @property
    def workers(self) -> int:
        """Blocks it can run at once."""

    def map_blocks(self, fn: Callable[[B], R], blocks: Iterable[B]) -> Iterator[R]:
        """``fn(block)`` for each block, yielded in the order of ``blocks``.

        ``fn`` and the blocks must pickle for backends that run elsewhere.
        """

    def close(self) -> None:
        """Release what the backend started (processes, a cluster, a connection)."""


#: What the ``backend=`` argument of a study accepts.
BackendLike = Backend | Kind | Any | None


@dataclass(frozen=True)
class Options:
    """The arguments of :func:`~enforcecost.backends.get_backend`, checked.

    Parameters
    ----------
    workers : int, optional
        Workers of a local pool or cluster (None: one per core this process may
        use, :func:`available_cpus`).
    scheduler : str, optional
        Address of a running Dask scheduler.
    client : dask.distributed.Client, optional
        A connected client, left open.
    connect_timeout : float
        Seconds to wait for ``scheduler``.
    """

    workers: int | None = None
    scheduler: str | None = None
    client: Any = None
    connect_timeout: float = _CONNECT_TIMEOUT

    @property
    def remote(self) -> bool:
        """Whether a running cluster was given (a ``scheduler`` or a ``client``)."""
        return self.scheduler is not None or self.client is not None

    def local_workers(self) -> int:
        """``workers``, or one per available core (:func:`available_cpus`) if not given."""
        return self.workers if self.workers is not None else available_cpus()

    def require_local(self, kind: Kind) -> None:
        """Raise ValueError if a running cluster was given to the local backend ``kind``."""
        if self.remote:
            raise ValueError(f"a Dask scheduler or client needs backend 'dask', not {kind!r}")


class Factory(Protocol):
    """Makes a backend from checked :class:`Options` (the values of the registry)."""

    def __call__(self, options: Options, /) -> Backend:
        """The backend; raise ValueError for options it cannot honour."""


class _Closing:
    """Context-manager support for backends."""

    def close(self) -> None:
        """Release what the backend started."""

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _check_workers(workers: object) -> int:
    """``workers`` if it is a whole number >= 1, else ValueError."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"'workers' must be a whole number >= 1: {workers!r}")
    return workers


def _in_order(
    submit: Callable[[B], Any], result: Callable[[Any], R], cancel: Callable[[Any], None],
    blocks: Iterable[B], ahead: int,
) -> Iterator[R]:
    """Submit blocks keeping at most ``ahead`` in flight; yield results in block order."""
    pending: deque[Any] = deque()
    try:
        for block in blocks:
            pending.append(submit(block))
            if len(pending) >= ahead:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        for future in pending:  # an error, or the caller stopped early
            cancel(future)
