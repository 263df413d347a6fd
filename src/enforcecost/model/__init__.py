"""Run the provisions over a window for a block of draws.

Data flow: settings (registry + scenario) → values per draw in each setting's
own unit and dollar year → parameter arrays in real dollars of the scenario's
dollar year → the enforcement pipeline → each provision's ledger lines → a
:class:`~enforcecost.results.Run`.

**Blockwise Monte Carlo.** :func:`simulate` splits the draws into blocks and
runs one pure, picklable task per block, :func:`run_block` ``(plan, (start,
stop)) -> BlockOutput``, where the :class:`Plan` holds the scenario, the
uncertain inputs, the design (draws, seed, sampler) and what to keep. A block
draws its rows of the design itself (:func:`~enforcecost.sampling.design`
reaches any rows), so every backend (:mod:`enforcecost.parallel`: in-process,
local processes, Dask) runs the same code, and the client assembles the
outputs in block order. Every per-draw number depends only on the draw, and
every sum over draws is exact (below), so **a seed gives identical results
whatever the block size, backend or worker count**.

**Exact sums.** Means over draws (pipeline flows; a reduction-only run's
amounts per line and year and the moments of its totals) are exact sums of
per-group float sums over aligned groups of :data:`~enforcecost.reduce.GROUP`
draws (see :mod:`enforcecost.reduce`): they do not depend on the blocks, which
start at multiples of the group size.

**Memory layout.** Every ``(draws, years)`` array of the model is year-major
in memory (a transposed ``(years, draws)`` array): each year's values are
contiguous, so sums over draws and the running totals over years read
memory in order.

Layout (private modules behind this facade):

- :mod:`._values`: values per draw from a design, the policy's and baseline's
  on the same rows (:func:`uncertain_inputs`, :func:`parameter_arrays`);
- :mod:`._prices`: the dollar conversion, CPI-U price levels by year and draw
  (kept here while :mod:`enforcecost.money` moves to a registry package);
- :mod:`._ledger`: booking lines (:func:`run_values`) and wrapping runs;
- :mod:`._evaluate`: :func:`evaluate`, :func:`run_design` (one block);
- :mod:`._plan`: :class:`Plan`, :func:`plan_simulation` and the kept detail;
- :mod:`._totals`: the net totals per draw a reduction-only run keeps;
- :mod:`._block`: :func:`run_block`, :class:`BlockOutput`;
- :mod:`._assemble`: the client adding block outputs in order;
- :mod:`._overflow`: :func:`magnitude_problems` and the per-block backstop;
- :mod:`._limits`: :func:`check_simulation`, :func:`memory_estimate`;
- :mod:`._simulate`: :func:`simulate`.

Tunables are read at call time from the module that uses them:
:data:`MODEL_DRAWS` from :mod:`._block`, :data:`FIRST_DRAWS` from
:mod:`._plan`, :data:`TOTAL_LIMIT` from :mod:`._overflow`,
:func:`available_memory` and :func:`magnitude_problems` (in
:func:`check_simulation`) from :mod:`._limits`.
"""

from __future__ import annotations

from ..results import ALL_ITEMS, ALL_PROVISIONS
from ._block import MODEL_DRAWS, BlockOutput, run_block
from ._evaluate import evaluate, run_design
from ._ledger import run_values
from ._limits import available_memory, check_simulation, memory_estimate
from ._overflow import TOTAL_LIMIT, magnitude_problems
from ._plan import (
    DETAILS,
    FIRST_DRAWS,
    SUMMARY,
    Detail,
    Plan,
    correlation_plan,
    plan_simulation,
)
from ._simulate import simulate
from ._values import parameter_arrays, uncertain_inputs

__all__ = [
    "ALL_ITEMS",
    "ALL_PROVISIONS",
    "DETAILS",
    "FIRST_DRAWS",
    "MODEL_DRAWS",
    "SUMMARY",
    "TOTAL_LIMIT",
    "BlockOutput",
    "Detail",
    "Plan",
    "available_memory",
    "check_simulation",
    "correlation_plan",
    "evaluate",
    "magnitude_problems",
    "memory_estimate",
    "parameter_arrays",
    "plan_simulation",
    "run_block",
    "run_design",
    "run_values",
    "simulate",
    "uncertain_inputs",
]
