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

from ..backends import BLOCKS_AHEAD, BackendLike
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


def _local_tasks(workers: int | None, scheduler: str | None, backend: BackendLike) -> int:
    """Blocks that run at once on this machine (0: on a cluster elsewhere)."""
    if scheduler is not None or (backend is not None and not isinstance(backend, str)):
        return 0 if scheduler is not None else int(getattr(backend, "workers", 1) or 1)
    return max(1, int(workers or 1))


def check_simulation(
    scenario: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
    *,
    block_size: int = 1 << 15,
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
    if isinstance(block_size, bool) or not (
        isinstance(block_size, int | np.integer) and block_size >= 1
    ):
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
        needed, parts = memory_estimate(plan, int(block_size),
                                        _local_tasks(workers, scheduler, backend))
        free = available_memory()
        if free is not None and needed > free:
            raise ScenarioError([Problem(
                where, key, f"a run of {draws:,} draws needs an estimated "
                f"{needed / _GIB:,.1f} GiB ({parts}), more than the {free / _GIB:,.1f} GiB of "
                f"memory available; use fewer draws, detail='summary' (kept detail is "
                f"{plan.detail}), or force=True (the CLI's --force) to start anyway", draws)])
    return plan
