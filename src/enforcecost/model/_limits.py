"""The up-front limits of a simulation: draws, correlations, magnitudes and memory.

:func:`check_simulation` lists every limit a run would exceed before any work
starts, and returns the run's :class:`~._plan.Plan`; :func:`memory_estimate`
and :func:`available_memory` decide whether it fits. :func:`available_memory`
and :func:`magnitude_problems` are looked up here at call time (tests set them).
"""

from __future__ import annotations

import os
from typing import Literal

import numpy as np

from ..backends import (
    AUTO_BLOCKS_PER_WORKER,
    BLOCKS_AHEAD,
    PARALLEL_MIN_DRAWS,
    BackendLike,
    auto_backend,
    available_cpus,
)
from ..errors import Problem, ScenarioError
from ..reduce import GROUP
from ..sampling import check_seed
from ..scenario import (
    MAX_DRAWS,
    Sampler,
    Scenario,
    correlation_draws_needed,
    correlation_draws_problems,
)
from . import _block
from ._overflow import _where, magnitude_problems
from ._plan import SUMMARY, Detail, Plan, plan_simulation

_MIB = 1 << 20
_GIB = 1 << 30
#: Peak memory of a task running the model on a chunk of draws, in ``(draws,
#: years)`` float arrays per ledger line of both sides (lines, flows, scratch,
#: design rows and parameters; tracemalloc on eo13768 with its baseline: 1.7
#: to 1.8, i.e. 63-68 MiB for 8,192 draws, 10 years and 60 lines).
_ARRAYS_PER_LINE = 2
#: Bytes of a reduction-only run's quantile sketch (about 5 MB, see :class:`Totals`).
_SKETCH_BYTES = 8 * _MIB



def available_memory() -> int | None:
    """Bytes of memory available to start a run, or None when the system does not say.

    ``MemAvailable`` of ``/proc/meminfo`` (Linux: free memory plus what the
    kernel can reclaim), else ``os.sysconf`` free physical pages.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for row in fh:
                if row.startswith("MemAvailable:"):
                    return int(row.split()[1]) * 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def memory_estimate(plan: Plan, block_size: int, tasks: int = 1) -> tuple[int, str]:
    """Estimated peak memory of a simulation on this machine, in bytes, with its parts.

    Parameters
    ----------
    plan : Plan
        From :func:`plan_simulation`: draws, years, lines and the kept detail.
    block_size : int
        Draws per block (rounded up to whole groups, at most the draws).
    tasks : int
        Blocks running at once on this machine (1 in-process, the workers of
        local processes, 0 when they all run elsewhere).

    Returns
    -------
    (int, str)
        Bytes: what the client keeps (the kept detail, policy and baseline,
        ``8 * (rows + 1) * draws * years`` bytes, the ``+ 1`` the price
        levels; for ``summary`` only the first :data:`FIRST_DRAWS` draws and
        the quantile sketch), plus the blocks in flight (each block's kept
        detail, :data:`~enforcecost.parallel.BLOCKS_AHEAD` per task) and each
        running task's working memory (its rows of the design, ``8 * inputs``
        bytes a draw, and for ``lhs`` a permutation of all the draws, 8 bytes
        each; the model on :data:`MODEL_DRAWS` draws at a time, about
        ``16 * lines * years`` bytes a draw). And a description of the parts.
    """
    item = np.dtype(np.float64).itemsize
    years = plan.window.years
    summary = plan.detail == SUMMARY
    rows = sum(len(k) for k in plan.kept) + len(plan.sides)  # kept rows + price levels
    size = min(-(-block_size // GROUP) * GROUP, plan.draws)
    client = rows * (plan.first if summary else plan.draws) * years * item
    output = rows * (min(size, plan.first) if summary else size) * years * item
    if summary:
        client += _SKETCH_BYTES
        output += _SKETCH_BYTES
    design_rows = size * len(plan.names) * item + (plan.draws * item if plan.sampler == "lhs"
                                                   else 0)
    lines = sum(len(side) for side in plan.lines)
    model_rows = min(size, _block.MODEL_DRAWS) * years * lines * _ARRAYS_PER_LINE * item
    task = design_rows + model_rows + output
    flight = BLOCKS_AHEAD * max(tasks, 1) * output
    total = client + flight + tasks * task
    text = (f"{client / _MIB:,.0f} MiB kept on the client ({plan.detail} detail of "
            f"{plan.draws:,} draws x {years} years), {flight / _MIB:,.0f} MiB of block outputs "
            f"in flight, {tasks} task{'s' if tasks != 1 else ''} of {task / _MIB:,.0f} MiB "
            f"(blocks of {size:,} draws)")
    return total, text


#: Draws per block of a simulation in this process (or where the workers are unknown).
BLOCK_SIZE = 1 << 15


def default_block_size(draws: int, workers: int) -> int:
    """The default ``block_size`` of :func:`simulate`: :data:`BLOCK_SIZE`, or on
    ``workers > 1`` local workers the draws split into
    :data:`~enforcecost.backends.AUTO_BLOCKS_PER_WORKER` blocks per worker if
    that is smaller (whole groups of draws; never below one group). Results do not
    depend on it.

    Examples
    --------
    >>> default_block_size(10_000, 1), default_block_size(100_000, 2)
    (32768, 12544)
    """
    if workers <= 1 or draws <= 0:
        return BLOCK_SIZE
    split = -(-draws // (AUTO_BLOCKS_PER_WORKER * workers))
    return min(BLOCK_SIZE, max(GROUP, -(-split // GROUP) * GROUP))


def local_workers(backend: BackendLike, workers: int | None) -> int:
    """Local workers the blocks of ``backend`` will run on (1 when unknown: a cluster)."""
    if isinstance(workers, int) and not isinstance(workers, bool) and workers >= 1:
        return workers
    if backend == "processes":
        return available_cpus()
    if backend is not None and not isinstance(backend, str):
        count = getattr(backend, "workers", 1)
        return count if isinstance(count, int) and count >= 1 else 1
    return 1


#: The kept detail whose simulations the default runs on local processes from
#: :data:`~enforcecost.backends.PARALLEL_MIN_DRAWS` draws: reduction-only runs, whose
#: blocks send back a few numbers per group of draws. A block of per-draw detail sends
#: back every draw's kept lines (about 10 KB a draw at ``lines`` detail for eo13768),
#: and copying them from the workers costs more than the second core saves:
#: ``benchmarks/bench_auto_backend.py --detail D`` (one fresh process each, machine
#: shared with other jobs), seconds in-process vs two processes, ``lines`` 100,000
#: draws 4.40 vs 6.61 and 200,000 draws 7.62 vs 12.54; ``provisions`` 300,000 draws
#: 7.76 vs 10.66; ``payers`` 300,000 draws 7.39 vs 15.90 and 500,000 draws 18.63 vs
#: 30.64.
PARALLEL_DETAILS = (SUMMARY,)


def simulation_backend(plan: Plan, backend: BackendLike, workers: int | None,
                       scheduler: str | None) -> BackendLike:
    """Where a simulation's blocks run: as given, else the default of its plan.

    With none of ``backend``, ``workers``, ``scheduler``:
    :func:`~enforcecost.backends.default_kind` of the plan's draws for a detail in
    :data:`PARALLEL_DETAILS` (local processes from
    :data:`~enforcecost.backends.PARALLEL_MIN_DRAWS` draws), in-process otherwise
    (unless ``ENFORCECOST_BACKEND`` says otherwise). Results do not depend on it.
    """
    work = plan.draws if plan.detail in PARALLEL_DETAILS else 0
    return auto_backend(backend, workers, scheduler, work, PARALLEL_MIN_DRAWS)


def _local_tasks(workers: int | None, scheduler: str | None, backend: BackendLike) -> int:
    """Blocks that run at once on this machine (0: on a cluster elsewhere)."""
    if scheduler is not None or (backend is not None and not isinstance(backend, str)):
        return 0 if scheduler is not None else int(getattr(backend, "workers", 1) or 1)
    if workers is None and backend == "processes":
        return available_cpus()  # one per core
    return max(1, int(workers or 1))


def check_simulation(
    scenario: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
    *,
    block_size: int | None = None,
    detail: Detail | Literal["auto"] = "auto",
    max_bytes: int = 1 << 30,
    workers: int | None = None,
    scheduler: str | None = None,
    backend: BackendLike = None,
    force: bool = False,
    draws_key: str | None = None,
) -> Plan:
    """Every up-front limit of :func:`simulate`, checked before any work starts.

    The draws (at most :data:`~enforcecost.scenario.MAX_DRAWS`, and more
    than the inputs the scenario's rank correlations relate); the magnitudes
    of the ledger (:func:`magnitude_problems`); and, unless ``force``, the
    estimated memory (:func:`memory_estimate`) against the memory available
    (:func:`available_memory`). Takes :func:`simulate`'s arguments.

    Parameters
    ----------
    force : bool
        Start even when the memory estimate exceeds the memory available.
    draws_key : str, optional
        How the problems name the number of draws (default ``"[run] draws"``
        when it is the scenario's, else ``"draws"``; the CLI says ``"--draws"``).

    Returns
    -------
    Plan
        The simulation's plan.

    Raises
    ------
    ScenarioError
        Listing every limit exceeded, with the file and key, the rule and the value.
    """
    where = _where(scenario)
    key = draws_key or ("[run] draws" if draws is None else "draws")
    draws = scenario.run.draws if draws is None else draws
    seed = scenario.run.seed if seed is None else check_seed(seed, "None or a non-negative integer")
    sampler = scenario.run.sampler if sampler is None else sampler
    if isinstance(draws, bool) or not (isinstance(draws, int | np.integer) and draws >= 1):
        raise ValueError(f"'draws' must be a whole number >= 1: {draws!r}")
    if block_size is not None and (isinstance(block_size, bool) or not (
        isinstance(block_size, int | np.integer) and block_size >= 1
    )):
        raise ValueError(f"'block_size' must be a whole number >= 1: {block_size!r}")
    draws = int(draws)
    problems: list[Problem] = []
    if draws > MAX_DRAWS:
        problems.append(Problem(where, key, f"must be at most {MAX_DRAWS:,} (2**30, the most "
                                "points the Sobol' design can make)", draws))
    need = correlation_draws_needed(scenario.correlations)
    if need and draws < need:
        problems += correlation_draws_problems(scenario.correlations, draws, where, key) or [
            Problem(where, key, f"a Monte Carlo run of this scenario's rank correlations needs "
                    f"at least {need} draws (for central values only, use evaluate())", draws)]
    problems += magnitude_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    plan = plan_simulation(scenario, draws, seed, sampler, detail=detail, max_bytes=max_bytes)
    if not force:
        runs_on = simulation_backend(plan, backend, workers, scheduler)
        size = (default_block_size(plan.draws, local_workers(runs_on, workers))
                if block_size is None else int(block_size))
        needed, parts = memory_estimate(plan, size, _local_tasks(workers, scheduler, runs_on))
        free = available_memory()
        if free is not None and needed > free:
            raise ScenarioError([Problem(
                where, key, f"a run of {draws:,} draws needs an estimated "
                f"{needed / _GIB:,.1f} GiB ({parts}), more than the {free / _GIB:,.1f} GiB of "
                f"memory available; use fewer draws, detail='summary' (kept detail is "
                f"{plan.detail}), or force=True (the CLI's --force) to start anyway", draws)])
    return plan
