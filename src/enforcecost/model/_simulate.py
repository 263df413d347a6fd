"""Blockwise Monte Carlo: :func:`simulate` checks, plans, maps :func:`run_block` over
the blocks on a backend, and assembles the outputs in block order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Literal

from ..backends import BackendLike, using_backend
from ..reduce import GROUP
from ..results import Result
from ..scenario import Sampler, Scenario
from ._assemble import _Assembly
from ._block import run_block
from ._limits import check_simulation, default_block_size, local_workers, simulation_backend
from ._plan import Detail


def simulate(
    scenario: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
    *,
    block_size: int | None = None,
    detail: Detail | Literal["auto"] = "auto",
    max_bytes: int = 1 << 30,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    backend: BackendLike = None,
    force: bool = False,
) -> Result:
    """Monte Carlo over every uncertain input, policy and baseline on the same draws.

    Parameters
    ----------
    scenario : Scenario
        The scenario (and its baseline).
    draws, seed, sampler : optional
        Default to the scenario's ``[run]`` table (``seed=0`` is a seed).
    block_size : int, optional
        Draws per task (block; default :data:`BLOCK_SIZE`, 32,768, or on
        several local workers the draws split into
        :data:`~enforcecost.backends.AUTO_BLOCKS_PER_WORKER` blocks per
        worker if that is less), rounded up to a multiple of
        :data:`~enforcecost.reduce.GROUP` (256; sums over draws run over
        aligned groups of draws). A task draws its rows of the design at once
        (``8 * inputs`` bytes a draw) and runs the model :data:`MODEL_DRAWS`
        draws at a time (about 110 MB for the shipped scenarios), so memory
        hardly grows with it beyond the kept detail of its draws; larger
        blocks mean fewer tasks (each jumps to its first Sobol' row, at a
        cost that hardly depends on the row). Results do not depend on it.
    detail : {'auto', 'lines', 'provisions', 'payers', 'summary'}
        What is kept of each draw: every ledger line; lines summed by
        provision, payer and kind; or by payer and kind only (``8 * rows *
        years`` bytes per draw and side); or, for studies too large for any
        of those, ``summary``: no per-draw values, only reductions whose size
        does not grow with the draws: exact means of every line and year,
        the distribution of the net totals by perspective and basis for the
        window and its first five years (exact means and standard
        deviations; percentiles from mergeable quantile sketches, about 5 MB,
        see :class:`~enforcecost.results.Totals`), and the first
        :data:`FIRST_DRAWS` draws in full, which views by fiscal year read (see
        :class:`~enforcecost.results.Reduced`). ``auto`` keeps the finest
        per-draw detail whose cube fits in ``max_bytes``, else ``summary``.
    max_bytes : int
        Memory budget of the kept per-draw cube (policy and baseline), bytes.
    progress : callable, optional
        Called with the number of draws finished after each block (in order).
    workers : int, optional
        Run the blocks on this many local processes (no extra dependency);
        with ``backend='dask'``, the size of the local Dask cluster started.
    scheduler : str, optional
        Address of a running Dask scheduler, e.g. ``'tcp://host:8786'``
        (needs ``pip install "enforcecost[dask]"``).
    backend : Backend, dask.distributed.Client or {'inprocess', 'processes', 'dask'}, optional
        Where blocks run (:func:`enforcecost.parallel.get_backend`). A backend
        or client passed in is left open. Default (none of ``backend``,
        ``workers``, ``scheduler`` given): local processes on every available
        core for a reduction-only run (``detail`` ``'summary'``, what ``auto``
        keeps for the largest runs) of at least
        :data:`~enforcecost.backends.PARALLEL_MIN_DRAWS` draws (a measured
        threshold), this process otherwise; the environment variable
        ``ENFORCECOST_BACKEND`` (``inprocess``, ``processes``, ``auto``)
        overrides the default (:mod:`enforcecost.backends`). The result is
        the same, to the last bit, wherever the blocks run.
    force : bool
        Start even when the estimated memory (:func:`memory_estimate`: the
        kept detail on the client, plus the working memory of the blocks
        running here) exceeds the memory available (:func:`available_memory`).
        The check only decides whether a run starts, never its result.

    Returns
    -------
    Result
        ``total()`` returns a Series of the draws' totals (index ``draw``), except for a
        reduction-only result (``detail='summary'``), which keeps no draw's
        totals: read its distribution with ``summary()`` and ``quantile()``.
        ``pipeline()`` gives the means over draws.

    Raises
    ------
    ScenarioError
        Before any work starts, listing every limit exceeded (see
        :func:`check_simulation`): more than :data:`~enforcecost.scenario.MAX_DRAWS`
        draws; no more draws than the inputs the rank correlations relate; a
        ledger amount that could be non-finite or reach
        :data:`~enforcecost.reduce.VALUE_LIMIT` (:func:`magnitude_problems`);
        more memory than available (unless ``force``). During the run, if a
        block meets such an amount after all (the first such draw is named).

    Notes
    -----
    Results are identical, to the last bit, for any ``block_size``, backend and
    number of workers (see the module notes), because every value summed over
    draws stays below :data:`~enforcecost.reduce.VALUE_LIMIT` (``2**84``
    dollars), which is enforced. Memory: each task holds one
    block; the client holds the kept detail and, at a time, the outputs of
    a few blocks per worker.

    Examples
    --------
    >>> import enforcecost as ec
    >>> res = ec.simulate(ec.load_scenario("eo13768"), draws=256, seed=1)
    >>> res.total("federal").shape
    (256,)
    """
    plan = check_simulation(scenario, draws, seed, sampler, block_size=block_size,
                            detail=detail, max_bytes=max_bytes, workers=workers,
                            scheduler=scheduler, backend=backend, force=force)
    backend = simulation_backend(plan, backend, workers, scheduler)
    if block_size is None:
        block_size = default_block_size(plan.draws, local_workers(backend, workers))
    size = -(-int(block_size) // GROUP) * GROUP  # whole groups of draws
    assembly = _Assembly(plan)
    with using_backend(backend, workers=workers, scheduler=scheduler) as be:
        for out in be.map_blocks(partial(run_block, plan), _blocks(plan.draws, size)):
            assembly.add(out)
            if progress is not None:
                progress(out.stop - out.start)
    return assembly.result()



def _blocks(draws: int, size: int) -> Iterator[tuple[int, int]]:
    """The blocks ``(start, stop)`` of ``size`` draws, made one at a time (lazily)."""
    for start in range(0, draws, size):
        yield start, min(start + size, draws)
