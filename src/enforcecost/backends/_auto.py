"""The default backend: local processes on every core for a large study, else this process.

A study given no ``backend``, ``workers`` or ``scheduler`` runs where
:func:`auto_backend` says: on local processes, one per core this process may
use (:func:`available_cpus`), when its work is large enough to gain from them
(at least :data:`PARALLEL_MIN_DRAWS` draws of a reduction-only
:func:`~enforcecost.simulate`; :data:`PARALLEL_MIN_RUNS` model runs of a
sensitivity study, which on the measured machine never gained), and in this
process otherwise. Both thresholds are measured
(``benchmarks/bench_auto_backend.py``; the figures are quoted with them). Only
*where* the blocks run depends on the machine: every backend gives the same
bits (sums over draws are exact; see :mod:`enforcecost.reduce`), so a result
never depends on the number of cores or on the machine's speed.

The environment variable :data:`BACKEND_ENV` (``ENFORCECOST_BACKEND``) sets
the default for every study of the process: ``inprocess``, ``processes``
(every core, whatever the size) or ``auto`` (the rule above; also when it is
unset or empty). An explicit ``backend``, ``workers`` or ``scheduler``
argument (the CLI's ``--workers`` and ``--scheduler``) always wins over it.
A worker process of a pool never starts a pool of its own: there the
default is this process.
"""

from __future__ import annotations

import multiprocessing
import os

from ._base import BackendLike, Kind, available_cpus

__all__ = [
    "AUTO_BLOCKS_PER_WORKER",
    "BACKEND_ENV",
    "PARALLEL_MIN_DRAWS",
    "PARALLEL_MIN_RUNS",
    "auto_backend",
    "available_cpus",
    "backend_env_problem",
    "default_kind",
]

#: The environment variable that sets the default backend: ``inprocess``,
#: ``processes`` or ``auto`` (unset or empty: ``auto``).
BACKEND_ENV = "ENFORCECOST_BACKEND"
_ENV_CHOICES = ("auto", "inprocess", "processes")

#: Draws of :func:`~enforcecost.simulate` from which the default runs a
#: reduction-only simulation (``detail='summary'``: what ``auto`` keeps for the
#: largest runs) on local processes, one per core. Measured with ``python
#: benchmarks/bench_auto_backend.py --detail summary --repeat 3`` on the project's
#: 2-core machine (shared with other jobs, load about 2.5; eo13768 against its
#: baseline; fastest of three fresh processes; a first study pays for the pool's
#: start-up, the fork server importing the model, about 1.5 s; a second study in the
#: same session finds the fork server up), seconds, in-process vs two processes:
#: 100,000 draws 1.60 vs 2.94 (second study 1.05 vs 1.02); 300,000 draws 3.63 vs
#: 4.28 (3.02 vs 2.18); 1,000,000 draws 10.59 vs 9.35 (9.79 vs 7.30). A first
#: study breaks even near 540,000 draws (a second one near 100,000): 500,000. A
#: simulation that keeps per-draw detail stays in this process at any size
#: (:data:`enforcecost.model._limits.PARALLEL_DETAILS`).
PARALLEL_MIN_DRAWS = 500_000
#: Model runs of a sensitivity study (:func:`~enforcecost.sobol`,
#: :func:`~enforcecost.morris`, :func:`~enforcecost.tornado`,
#: :func:`~enforcecost.research_agenda`) from which the default runs it on local
#: processes; None: never (``ENFORCECOST_BACKEND=processes`` or ``workers=``
#: still do). Measured with ``python benchmarks/bench_auto_backend.py --study
#: --repeat 3`` (Sobol' designs of eo13768's federal total, ``by_source=False``,
#: each model call of at most 8,192 runs split into one block per worker), seconds,
#: in-process vs two processes: 180,224 runs 3.10 vs 4.48 (second study 2.47 vs
#: 2.08); 720,896 runs 7.47 vs 10.07 (6.73 vs 7.81). Processes lose more as the
#: study grows: each model call costs tens of milliseconds before its first run,
#: which every block pays again (4,096 runs take 0.066 s in process, 2 x 4,096 on
#: two workers 0.085 s), so a study's batches gain too little to pay for the pool.
PARALLEL_MIN_RUNS: int | None = None
#: Blocks per worker a default parallel simulation splits its draws into (at most
#: ``block_size`` draws each), so that every core has work until the end.
AUTO_BLOCKS_PER_WORKER = 4


def backend_env_problem() -> str | None:
    """What is wrong with :data:`BACKEND_ENV`, e.g. ``"ENFORCECOST_BACKEND must be one of
    auto, inprocess, processes (or unset): 'threads'"``; None when it is fine or unset."""
    raw = os.environ.get(BACKEND_ENV, "")
    if raw.strip().lower() in ("", *_ENV_CHOICES):
        return None
    return f"{BACKEND_ENV} must be one of {', '.join(_ENV_CHOICES)} (or unset): {raw!r}"


def default_kind(work: int, threshold: int | None) -> Kind:
    """The default backend of a study of ``work`` draws or model runs.

    Parameters
    ----------
    work : int
        Draws (or model runs) of the study.
    threshold : int or None
        Work from which local processes pay (:data:`PARALLEL_MIN_DRAWS`,
        :data:`PARALLEL_MIN_RUNS`); None: none does.

    Returns
    -------
    {'inprocess', 'processes'}
        :data:`BACKEND_ENV` if it names one; otherwise ``'processes'`` when
        ``threshold`` is not None, ``work >= threshold``, more than one core
        is available and this is not itself a worker process; else
        ``'inprocess'``.

    Raises
    ------
    ValueError
        If :data:`BACKEND_ENV` is set to anything but auto, inprocess or processes.
    """
    problem = backend_env_problem()
    if problem is not None:
        raise ValueError(f"environment variable {problem}")
    env = os.environ.get(BACKEND_ENV, "").strip().lower()
    if env in ("inprocess", "processes"):
        return env
    if multiprocessing.parent_process() is not None:
        return "inprocess"  # a worker process: no pool of pools
    large = threshold is not None and work >= threshold
    return "processes" if large and available_cpus() > 1 else "inprocess"


def auto_backend(backend: BackendLike, workers: int | None, scheduler: str | None,
                 work: int, threshold: int | None) -> BackendLike:
    """``backend`` as given, unless no ``backend``, ``workers`` or ``scheduler`` was:
    then :func:`default_kind` of the work (a backend name)."""
    if backend is not None or workers is not None or scheduler is not None:
        return backend
    return default_kind(work, threshold)
