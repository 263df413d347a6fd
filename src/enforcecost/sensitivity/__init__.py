"""Sensitivity analysis: which inputs, and which kinds of input, drive the impact.

Scenario-level methods (:func:`tornado`, :func:`morris`, :func:`sobol`) run the
model on designs of input quantiles, policy and baseline on the same quantiles
(common random numbers), and report each input with its provision and source
kind, so a report can say how much of the uncertainty rests on assumptions.
:func:`research_agenda` ranks the inputs resting on assumptions by their
Sobol' share of each perspective's variance, with their range and citation:
the next unsourced numbers to chase.

The same estimators work on any vectorized function
(:func:`sobol_indices`, :func:`morris_indices`), and :func:`as_function` gives
the scenario's impact as a plain function of its uncertain inputs so SALib,
EMA Workbench or SciPy can drive the model too.

**Methods and test functions.** :data:`METHODS` is the table of the
scenario-level methods: each one's study, options and their defaults, the
model runs it will make, its tables and its chart, so a front end (the CLI)
drives every method the same way. :mod:`enforcecost.sensitivity.test_functions`
has the Ishigami, Sobol' G and linear functions with their analytic indices,
to check an estimator against.

**Parallel studies.** The estimators call the model on batches of design rows
(``batch=``, on the client). Given ``workers=``, ``scheduler=`` or ``backend=``
(:mod:`enforcecost.parallel`), each batch is split into blocks of
``block_size`` rows that run in parallel, each block a pure task
``(scenario, inputs, output, rows) -> outputs``, and the outputs come back in
row order. Each run's output depends only on its own row, so the indices are
identical to an in-process study's. The estimators run on the client. A
Sobol' study there generates one batch of design rows at a time and reduces
the outputs as they arrive: its memory is ``16 * n`` bytes for the outputs of
``A`` and ``B`` (one number per base point) plus the per-replicate sums and
one batch of rows, whatever the number of runs. A Morris study makes its
trajectories' rows per batch too and keeps one output per run (``d + 1`` per
trajectory, the size of the elementary effects it returns).
"""

from __future__ import annotations

from . import test_functions
from ._agenda import (
    AGENDA_COLUMNS,
    ResearchAgenda,
    agenda_frame,
    agenda_runs,
    research_agenda,
)
from ._methods import METHODS, Method
from ._morris import morris_indices
from ._results import ConfidenceInterval, MorrisResult, SobolResult
from ._scenario import Output, as_function
from ._sobol import sobol_indices
from ._studies import (
    ScenarioMorris,
    ScenarioSobol,
    TornadoResult,
    assumption_share,
    morris,
    sobol,
    tornado,
)

__all__ = [
    "AGENDA_COLUMNS",
    "METHODS",
    "ConfidenceInterval",
    "Method",
    "MorrisResult",
    "Output",
    "ResearchAgenda",
    "ScenarioMorris",
    "ScenarioSobol",
    "SobolResult",
    "TornadoResult",
    "agenda_frame",
    "agenda_runs",
    "as_function",
    "assumption_share",
    "morris",
    "morris_indices",
    "research_agenda",
    "sobol",
    "sobol_indices",
    "test_functions",
    "tornado",
]
