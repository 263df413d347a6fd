"""Worker processes: their start-up and their lifetime.

Worker start-up: :func:`tune_malloc` (glibc's allocator keeps the model's
mid-sized arrays in the heap) and :func:`warm_caches` (what every block reads
first), applied by the initializer of local workers (:func:`_start_worker`),
the fork server (:mod:`enforcecost.backends._preload`) and the Dask preload hook
(:func:`dask_setup`).

Lifetime: workers die with their parent, even a parent killed by ``SIGKILL``.
The fork server polls its parent pid (:func:`_serve_forks`); each worker
forked from it ends with it by the parent-death signal on Linux, else by the
same polling (:func:`_start_worker`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["dask_setup", "tune_malloc", "warm_caches"]

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
    workers' defaults. Called in the worker processes the backends start;
    call it yourself to speed up in-process runs.

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
    from ..registry import cpi_u, registry

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
    """In the fork server (from :mod:`enforcecost.backends._preload`): end with the parent.

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
    """Initializer of local workers (:class:`~enforcecost.backends.Processes`).

    The worker ends with its parent, and :func:`tune_malloc` is applied.

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
