"""Where blocks of draws run: in-process, local processes, or a Dask cluster.

A backend runs one pure function on each block of a study and hands the
results back **in block order**. Every backend runs the same function on the
same blocks and the client combines the outputs in the same order, so a
result does not depend on the backend or the number of workers.

* :class:`InProcess` (the default): the blocks one after another, nothing to install.
* :class:`Processes`: local worker processes (:class:`concurrent.futures.ProcessPoolExecutor`,
  forked from a fresh server process that has imported the model, or spawned
  where there is none); no extra dependency.
* :class:`DaskBackend`: a Dask cluster (``pip install "enforcecost[dask]"``):
  an existing :class:`dask.distributed.Client`, a scheduler address, or a
  :class:`~dask.distributed.LocalCluster` started for the study. Tasks lost
  with a worker are rerun elsewhere by the scheduler.

Each backend keeps a few blocks per worker in flight, so the client never
holds more than those outputs besides what it has combined.

**Worker memory allocator.** The model makes many short-lived arrays of a few
hundred kilobytes. With glibc's defaults each is a fresh ``mmap`` (page
faults on every use), and Dask's nanny makes it worse (it sets
``MALLOC_TRIM_THRESHOLD_=65536``): a block then costs 30-50% more CPU.
:func:`tune_malloc` keeps such arrays in the heap; it is applied in worker
processes this module starts (local processes, a ``LocalCluster``) and, for
an existing cluster, by starting workers with ``dask worker ... --preload
enforcecost.parallel``. It is never applied to the calling process.

**Workers die with their parent.** If the calling process is killed (even by
``SIGKILL``, which runs no clean-up), the processes :class:`Processes` started
end too instead of holding their memory indefinitely: the fork server watches
its parent (:func:`_serve_forks`, a thread polling the parent pid once a
second) and each worker its fork server (:func:`_start_worker`, by the
parent-death signal on Linux, else by the same polling). On Windows (spawned
workers) the parent pid does not change when the parent dies, so this is not
detected there. The workers of a ``LocalCluster`` end by Dask's own mechanism
(each holds a pipe to its nanny, which lives in the calling process). Workers
of an existing cluster are the cluster's business.

Examples
--------
>>> import enforcecost as ec
>>> from enforcecost.parallel import get_backend
>>> with get_backend() as backend:   # in-process
...     list(backend.map_blocks(abs, [-1, 2, -3]))
[1, 2, 3]
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

__all__ = [
    "Backend",
    "BackendLike",
    "DaskBackend",
    "DaskMissingError",
    "InProcess",
    "Processes",
    "dask_setup",
    "get_backend",
    "tune_malloc",
    "using_backend",
    "warm_caches",
]

B = TypeVar("B")
R = TypeVar("R")
Kind = Literal["inprocess", "processes", "dask"]
_KINDS: tuple[str, ...] = ("inprocess", "processes", "dask")
#: Blocks in flight per worker: enough to keep every worker busy while the
#: client combines, few enough to bound the client's memory.
_AHEAD = 2
_CONNECT_TIMEOUT = 10.0  # seconds
# glibc mallopt parameters (malloc.h) and the values tune_malloc sets
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD = 32 << 20  # arrays below 32 MiB come from the heap...
_TRIM_THRESHOLD = 128 << 20  # ...and up to 128 MiB of freed heap is kept for reuse
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_WATCH_INTERVAL = 1.0  # seconds between checks of the parent pid, where there is no prctl
#: In the fork server and the workers forked from it: the server's pid and its
#: parent's when it started (None elsewhere).
_server_pid: int | None = None
_server_parent: int | None = None


def tune_malloc() -> bool:
    """Let glibc's allocator reuse memory for the model's many mid-sized arrays.

    Sets ``M_MMAP_THRESHOLD`` to 32 MiB and ``M_TRIM_THRESHOLD`` to 128 MiB
    with ``mallopt``: arrays below 32 MiB come from the heap and freed memory
    is kept for the next block instead of being unmapped and faulted in again.
    Peak memory is unchanged (it is set by the live arrays); CPU per block
    drops by a quarter against glibc's defaults and by a third against Dask
    workers' defaults. Called in worker processes this module starts; call it
    yourself to speed up in-process runs.

    Returns
    -------
    bool
        Whether the settings were applied (False off glibc, e.g. macOS, Windows, musl).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) == 1
                and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD) == 1)


def warm_caches() -> None:
    """Build, in this process, what every block reads first.

    The parameter registry, the CPI-U series and the inverse CDF of every
    registry default distribution (each built once per process and cached).
    Worker processes call it before their first task, so that a study's first
    blocks do not wait for it; an error here would recur, and be reported, in
    the block that needs the same thing.
    """
    from .money import cpi_u
    from .parameters import registry

    try:
        cpi_u()
        for param in registry().values():
            if param.uncertainty is not None:
                param.uncertainty.ppf(0.5)
    except Exception:  # a warm-up only: the block that needs it reports the error
        pass


def _parent_death_signal(sig: int) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent thread ends.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); False where it is unavailable. The
    "parent" is the *thread* that forked this process, so use it only where
    that thread lives as long as its process.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
        return False
    return bool(prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0)


def _exit_when(gone: Callable[[], bool], interval: float = _WATCH_INTERVAL) -> None:
    """End this process (``os._exit(1)``) now if ``gone()``, else once it becomes true.

    A daemon thread checks every ``interval`` seconds.
    """
    if gone():
        os._exit(1)

    def watch() -> None:
        while not gone():
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="enforcecost-watch-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX only: on Windows ``os.kill`` terminates)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - it exists, and is not ours
        return True
    return True


def _die_with_parent(parent: int, *, signal_ok: bool) -> str:
    """End this process when its parent process ``parent`` ends.

    Parameters
    ----------
    parent : int
        The pid this process's parent must have; if it is already another
        (the parent died before this ran), the process exits now.
    signal_ok : bool
        Use the parent-death signal (``SIGKILL``) if available: only where the
        thread that forked this process lives as long as the parent process.
        Otherwise, or off Linux, a thread polls :func:`os.getppid` (an orphan
        is adopted by init or a subreaper, so its parent pid changes).

    Returns
    -------
    str
        ``'signal'`` or ``'watch'``: the mechanism set up.
    """
    if signal_ok and _parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent:  # it died before the signal was set: nobody would send it
            os._exit(1)
        return "signal"
    _exit_when(lambda: os.getppid() != parent)
    return "watch"


def _serve_forks() -> None:
    """In the fork server (from :mod:`enforcecost._preload`): end with the parent.

    A thread polls the parent pid rather than the parent-death signal, which
    the kernel sends when the *thread* that started the server ends: a server
    started by a study on a short-lived thread would die, and take with it the
    workers of pools other threads still use. The server's pid and its
    parent's are kept for the workers forked from it (:func:`_start_worker`).
    """
    global _server_pid, _server_parent
    _server_pid, _server_parent = os.getpid(), os.getppid()
    _die_with_parent(_server_parent, signal_ok=False)


def _start_worker(parent: int) -> None:
    """Initializer of :class:`Processes` workers: end with the parent, tune malloc.

    Parameters
    ----------
    parent : int
        The pid of the process that made the pool.

    Notes
    -----
    A worker forked from the fork server ends with the server (which ends
    with its parent), by the parent-death signal where available: the server
    forks from its main thread, which lives as long as the server. If the
    server's parent is not ``parent`` -- ``parent`` died while the server was
    importing, before it read its parent's pid, or the server was inherited
    by a forked copy of the process that started it -- the worker also
    watches ``parent`` itself. A spawned worker (no fork server) polls its
    parent pid.
    """
    if _server_pid is None:  # spawned, from the thread that submitted: no signal
        _die_with_parent(parent, signal_ok=False)
    else:  # forked from the server, which set these (inherited)
        _die_with_parent(_server_pid, signal_ok=True)
        if _server_parent != parent:
            _exit_when(lambda: not _alive(parent))
    tune_malloc()


def dask_setup(worker: Any = None) -> None:
    """Dask preload hook: ``dask worker ADDRESS --preload enforcecost.parallel``
    applies :func:`tune_malloc` and :func:`warm_caches` in each worker process."""
    tune_malloc()
    warm_caches()


class DaskMissingError(ImportError):
    """Dask is needed for this backend but is not installed."""


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


class InProcess(_Closing):
    """Blocks one after another in this process (the default)."""

    @property
    def workers(self) -> int:
        return 1

    def map_blocks(self, fn: Callable[[B], R], blocks: Iterable[B]) -> Iterator[R]:
        return map(fn, blocks)

    def __repr__(self) -> str:
        return "InProcess()"


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


def _process_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` with the model preloaded and its caches warm (workers start in
    milliseconds, ready for their first block, and a fresh server is safe with
    threads in this process), else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["enforcecost.model", "enforcecost._preload"])
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

        return _in_order(submit, result, cancel, blocks, _AHEAD * self._workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __repr__(self) -> str:
        return f"Processes(workers={self._workers})"


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

        return _in_order(submit, result, cancel, blocks, _AHEAD * self.workers)

    def close(self) -> None:
        if self._owned:
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()

    def __repr__(self) -> str:
        return f"DaskBackend({self.client!r})"


def _check_workers(workers: object) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"'workers' must be a whole number >= 1: {workers!r}")
    return workers


def _connect(address: str, timeout: float) -> DaskBackend:
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


def _local_cluster(workers: int | None) -> DaskBackend:
    distributed = _distributed()
    n = workers if workers is not None else max(os.cpu_count() or 1, 1)
    cluster = distributed.LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, preload=["enforcecost.parallel"],  # tune_malloc in workers
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
        Force a kind; ``'dask'`` without ``scheduler`` or ``client`` starts a
        :class:`~dask.distributed.LocalCluster` (``workers`` processes of one
        thread, on 127.0.0.1, no dashboard, :func:`tune_malloc` preloaded).
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
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"'backend' must be one of {', '.join(_KINDS)}: {kind!r}")
    if workers is not None:
        _check_workers(workers)
    if scheduler is not None and not isinstance(scheduler, str):
        raise ValueError(f"'scheduler' must be an address string such as "
                         f"'tcp://host:8786': {scheduler!r}")
    if scheduler is not None and client is not None:
        raise ValueError("give a Dask 'scheduler' address or a 'client', not both")
    remote = scheduler is not None or client is not None
    if remote and workers is not None:
        raise ValueError(
            f"'workers' sets the size of a local pool; a running Dask cluster has its own "
            f"workers: workers={workers!r} with "
            + (f"scheduler={scheduler!r}" if scheduler is not None else "a client")
        )
    if remote and kind not in (None, "dask"):
        raise ValueError(f"a Dask scheduler or client needs backend 'dask', not {kind!r}")
    if client is not None:
        return DaskBackend(client)
    if scheduler is not None:
        return _connect(scheduler, connect_timeout)
    if kind == "dask":
        return _local_cluster(workers)
    if kind == "processes" or (kind is None and workers is not None):
        return Processes(workers if workers is not None else max(os.cpu_count() or 1, 1))
    return InProcess()


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
        made = get_backend(workers, scheduler, kind=backend)  # type: ignore[arg-type]
    else:
        raise ValueError(
            "'backend' must be a Backend, a dask.distributed.Client or one of "
            f"{', '.join(_KINDS)}: {backend!r}"
        )
    try:
        yield made
    finally:
        made.close()
