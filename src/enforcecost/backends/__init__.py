"""Where blocks of draws run: in-process, local processes, or a Dask cluster.

A backend runs one pure function on each block of a study and hands the
results back **in block order**. Every backend runs the same function on the
same blocks and the client combines the outputs in the same order, so a
result does not depend on the backend or the number of workers.

* :class:`InProcess` (``'inprocess'``): the blocks one after another,
  nothing to install.
* :class:`Processes` (``'processes'``): local worker processes
  (:class:`concurrent.futures.ProcessPoolExecutor`, forked from a fresh server
  process that has imported the model, or spawned where there is none); no
  extra dependency.
* :class:`DaskBackend` (``'dask'``): a Dask cluster (``pip install
  "enforcecost[dask]"``): an existing :class:`dask.distributed.Client`, a
  scheduler address, or a :class:`~dask.distributed.LocalCluster` started for
  the study. Tasks lost with a worker are rerun elsewhere by the scheduler.

**The default** (no ``backend``, ``workers`` or ``scheduler`` given to a
study): local processes on every available core for a study large enough to
gain from them (:data:`PARALLEL_MIN_DRAWS` draws of a reduction-only
simulation; :data:`PARALLEL_MIN_RUNS` model runs of a sensitivity study, None:
on the measured machine none gained), this process otherwise; the environment
variable :data:`BACKEND_ENV` (``ENFORCECOST_BACKEND=inprocess``, ``processes``
or ``auto``) overrides it, and an explicit argument overrides both. See
:mod:`._auto`. Results are the same bits wherever the blocks run.

:func:`get_backend` makes the backend named by ``kind`` (or implied by its
other arguments) from the table :data:`BACKENDS`, which maps each name to a
:class:`Factory`. Each backend keeps a few blocks per worker in flight, so the
client never holds more than those outputs besides what it has combined.

**Worker memory allocator.** The model makes many short-lived arrays of a few
hundred kilobytes. With glibc's defaults each is a fresh ``mmap`` (page
faults on every use), and Dask's nanny makes it worse (it sets
``MALLOC_TRIM_THRESHOLD_=65536``): a block then costs 30-50% more CPU.
:func:`tune_malloc` keeps such arrays in the heap; it is applied in worker
processes the backends start (local processes, a ``LocalCluster``) and, for
an existing cluster, by starting workers with ``dask worker ... --preload
enforcecost.parallel`` (:func:`dask_setup`). It is never applied to the
calling process.

**Workers die with their parent.** If the calling process is killed (even by
``SIGKILL``, which runs no clean-up), the processes :class:`Processes` started
end too instead of holding their memory indefinitely: the fork server watches
its parent (a thread polling the parent pid once a second) and each worker its
fork server (by the parent-death signal on Linux, else by the same polling);
see :mod:`enforcecost.backends._lifetime`. On Windows (spawned workers) the
parent pid does not change when the parent dies, so this is not detected
there. The workers of a ``LocalCluster`` end by Dask's own mechanism (each
holds a pipe to its nanny, which lives in the calling process). Workers of an
existing cluster are the cluster's business.

**Adding a backend** takes one file and one table entry:

1. ``backends/_mine.py``: a class with ``workers``, ``map_blocks`` (results in
   block order; :func:`~enforcecost.backends._base._in_order` keeps a bounded
   number in flight) and ``close`` (subclass ``_base._Closing`` for the
   context-manager methods), and a classmethod ``from_options(options:
   Options)`` that makes it, raising ValueError for options it cannot honour
   (``options.require_local(name)`` if it takes no Dask scheduler or client).
2. ``backends/_registry.py``: ``"mine": Mine.from_options`` in :data:`BACKENDS`.

``backend="mine"`` then works in every study, and in :func:`get_backend`.
Export the class here if users should make it themselves.

Modules: ``_base`` (the protocol, :class:`Options`, shared helpers),
``_lifetime`` (worker start-up and lifetime), ``_inprocess``, ``_processes``,
``_dask`` (one backend each) and ``_registry`` (the table, the dispatch).

Examples
--------
>>> from enforcecost.backends import BACKENDS, get_backend
>>> list(BACKENDS)
['inprocess', 'processes', 'dask']
>>> with get_backend() as backend:   # in-process
...     list(backend.map_blocks(abs, [-1, 2, -3]))
[1, 2, 3]
"""

from __future__ import annotations

from ._auto import (
    AUTO_BLOCKS_PER_WORKER,
    BACKEND_ENV,
    PARALLEL_MIN_DRAWS,
    PARALLEL_MIN_RUNS,
    auto_backend,
    backend_env_problem,
    default_kind,
)
from ._base import BLOCKS_AHEAD, Backend, BackendLike, Factory, Kind, Options, available_cpus
from ._dask import DaskBackend, DaskMissingError
from ._inprocess import InProcess
from ._lifetime import dask_setup, tune_malloc, warm_caches
from ._processes import Processes
from ._registry import BACKENDS, get_backend, using_backend

__all__ = [
    "AUTO_BLOCKS_PER_WORKER",
    "BACKENDS",
    "BACKEND_ENV",
    "BLOCKS_AHEAD",
    "PARALLEL_MIN_DRAWS",
    "PARALLEL_MIN_RUNS",
    "Backend",
    "BackendLike",
    "DaskBackend",
    "DaskMissingError",
    "Factory",
    "InProcess",
    "Kind",
    "Options",
    "Processes",
    "auto_backend",
    "available_cpus",
    "backend_env_problem",
    "dask_setup",
    "default_kind",
    "get_backend",
    "tune_malloc",
    "using_backend",
    "warm_caches",
]
