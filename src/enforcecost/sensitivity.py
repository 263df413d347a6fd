"""Sensitivity analysis: which inputs, and which kinds of input, drive the impact.

Scenario-level methods (:func:`tornado`, :func:`morris`, :func:`sobol`) run the
model on designs of input quantiles, policy and baseline on the same quantiles
(common random numbers), and report each input with its provision and source
kind, so a report can say how much of the uncertainty rests on assumptions.

The same estimators work on any vectorized function
(:func:`sobol_indices`, :func:`morris_indices`), and :func:`as_function` gives
the scenario's impact as a plain function of its uncertain inputs so SALib,
EMA Workbench or SciPy can drive the model too.

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

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from ._morris import MorrisResult, morris_indices
from ._sobol import SobolResult, sobol_indices
from .model import run_design, uncertain_inputs
from .money import Basis
from .parallel import Backend, BackendLike, InProcess, using_backend
from .parameters import registry
from .results import Perspective
from .scenario import Scenario

__all__ = [
    "MorrisResult",
    "Output",
    "ScenarioMorris",
    "ScenarioSobol",
    "SobolResult",
    "TornadoResult",
    "as_function",
    "morris",
    "morris_indices",
    "sobol",
    "sobol_indices",
    "tornado",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Output:
    """The model output a sensitivity study explains.

    Parameters
    ----------
    perspective : {'federal', 'state_local', 'government', 'economy'}
    basis : {'nominal', 'real', 'pv'}
    years : int, sequence of int, or None
        None: the whole window; N: the first N fiscal years; a sequence: those
        fiscal years (one fiscal year: ``[2020]``).
    provision : str or None
        One provision's lines only.
    """

    perspective: Perspective = "federal"
    basis: Basis = "nominal"
    years: int | tuple[int, ...] | None = None
    provision: str | None = None

    def label(self, scenario: Scenario) -> str:
        """Plain-words description, e.g. 'federal net cost, FY2017-FY2026, nominal $'."""
        fy0 = scenario.start_year
        if self.years is None:
            span = f"FY{fy0}-FY{fy0 + scenario.years - 1}"
        elif isinstance(self.years, int):
            span = f"FY{fy0}-FY{fy0 + self.years - 1}"
        else:
            span = ", ".join(f"FY{y}" for y in self.years)
        what = f"{self.provision} " if self.provision else ""
        side = "impact" if scenario.baseline is not None else "cost"
        return f"{self.perspective} {what}net {side}, {span}, {self.basis} dollars"


def _output(output: Output | str | None) -> Output:
    if output is None:
        return Output()
    if isinstance(output, str):
        return Output(perspective=output)  # type: ignore[arg-type]
    return output


def _outputs(
    scenario: Scenario, names: Sequence[str], output: Output, u: FloatArray
) -> FloatArray:
    """The output of each row of quantiles ``u`` (a block task: pure and picklable)."""
    res = run_design(scenario, np.asarray(u, dtype=np.float64), names)
    years = list(output.years) if isinstance(output.years, tuple) else output.years
    return np.asarray(
        res.total(output.perspective, output.basis, years=years, provision=output.provision),
        dtype=np.float64,
    )


class _QuantileModel:
    """The scenario's output as a function of its uncertain inputs' quantiles.

    With a ``backend``, each call's rows run as blocks of ``block_size`` rows
    (default: the call split into four blocks per worker) on the backend.
    """

    def __init__(
        self,
        scenario: Scenario,
        output: Output,
        progress: Callable[[int], None] | None = None,
        backend: Backend | None = None,
        block_size: int | None = None,
    ) -> None:
        self.scenario = scenario
        self.output = output
        self.progress = progress
        self.backend = backend
        if block_size is not None and (
            isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1
        ):
            raise ValueError(f"'block_size' must be a whole number >= 1: {block_size!r}")
        self.block_size = block_size
        self.names = uncertain_inputs(scenario)
        if not self.names:
            raise ValueError(f"scenario {scenario.name!r} has no uncertain inputs to analyse")
        # validate the output once, on a deterministic run (in this process)
        self.task = partial(_outputs, scenario, tuple(self.names), output)
        self.task(np.full((1, len(self.names)), np.nan))

    def __call__(self, u: FloatArray) -> FloatArray:
        u = np.asarray(u, dtype=np.float64)
        m = u.shape[0]
        if self.backend is None or m <= 1:
            y = self.task(u)
        else:
            size = self.block_size or max(1, math.ceil(m / (4 * self.backend.workers)))
            blocks = [u[i : i + size] for i in range(0, m, size)]
            y = np.concatenate(list(self.backend.map_blocks(self.task, blocks)))
        if self.progress is not None:
            self.progress(len(y))
        return y

    def reference(self, name: str) -> Any:
        """The distribution defining an input's quantiles (the policy's, else the baseline's)."""
        setting = self.scenario.settings()[name]
        if setting.dist is None:
            assert self.scenario.baseline is not None
            setting = self.scenario.baseline.settings()[name]
        assert setting.dist is not None
        return setting.dist


def _meta(names: Sequence[str]) -> pd.DataFrame:
    reg = registry()
    return pd.DataFrame(
        {
            "provision": [reg[n].provision for n in names],
            "source_kind": [reg[n].source_kind for n in names],
            "unit": [reg[n].unit for n in names],
        },
        index=pd.Index(list(names), name="input"),
    )


def as_function(
    scenario: Scenario, output: Output | str | None = None
) -> tuple[Callable[[FloatArray], FloatArray], list[Any], list[str]]:
    """The scenario's output as a plain vectorized function of its uncertain inputs.

    Parameters
    ----------
    scenario : Scenario
    output : Output or str
        What to compute (a perspective name is short for ``Output(perspective)``).

    Returns
    -------
    func : callable
        Maps an ``(n, d)`` array of input values (natural units, the registry's
        dollar years) to the ``(n,)`` outputs, in dollars.
    dists : list of scipy frozen distributions
        Each input's distribution (the policy's; for an input uncertain only
        in the baseline, the baseline's). A value ``x`` of a shared input sets
        the baseline to the same quantile of its own distribution.
    names : list of str
        The inputs, in column order.

    Examples
    --------
    >>> import enforcecost as ec
    >>> func, dists, names = ec.sensitivity.as_function(ec.load_scenario("eo13768"))
    >>> x = np.array([[d.median() for d in dists]])
    >>> func(x).shape
    (1,)
    """
    model = _QuantileModel(scenario, _output(output))
    refs = [model.reference(n) for n in model.names]
    frozen = [r.frozen() for r in refs]

    def func(x: FloatArray) -> FloatArray:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if x.shape[1] != len(frozen):
            raise ValueError(f"'x' must have {len(frozen)} columns (inputs), got {x.shape[1]}")
        u = np.column_stack([d.cdf(x[:, j]) for j, d in enumerate(frozen)])
        return model(u)

    return func, frozen, list(model.names)


# -- tornado -------------------------------------------------------------------
@dataclass(frozen=True)
class TornadoResult:
    """One-at-a-time swings: each input at the low and high end of its range.

    Attributes
    ----------
    base : float
        The output with every input at its central value.
    frame : DataFrame
        Indexed by input, sorted by swing (largest first): low_input,
        high_input (the input values, reference side), low_output,
        high_output, swing (= |high_output - low_output|), provision,
        source_kind, unit.
    output : Output
    label : str
    scenario : Scenario
        The scenario analysed.
    """

    base: float
    frame: pd.DataFrame
    output: Output
    label: str
    scenario: Scenario | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The swings table (a copy)."""
        return self.frame.copy()


def _quantile_range(dist: Any) -> tuple[float, float]:
    bounded = dist.kind in ("uniform", "triangular", "pert", "discrete") or (
        dist.kind == "normal" and "low" in dist.args and "high" in dist.args
    )
    return (0.0, 1.0) if bounded else (0.05, 0.95)


@contextmanager
def _model(
    scenario: Scenario, output: Output, progress: Callable[[int], None] | None,
    backend: BackendLike, workers: int | None, scheduler: str | None, block_size: int | None,
) -> Iterator[_QuantileModel]:
    """The study's model, its runs on the backend of the arguments (released on exit)."""
    with using_backend(backend, workers=workers, scheduler=scheduler) as be:
        yield _QuantileModel(scenario, output, progress,
                             None if isinstance(be, InProcess) else be, block_size)


def tornado(
    scenario: Scenario,
    output: Output | str | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    backend: BackendLike = None,
    block_size: int | None = None,
) -> TornadoResult:
    """One-at-a-time sensitivity: each uncertain input at its low and high end.

    The ends are the support of bounded distributions (uniform, triangular,
    PERT, discrete, doubly truncated normal) and the 5th/95th percentiles
    otherwise (:attr:`Distribution.range`); all other inputs stay at their
    central values. An input shared by policy and baseline moves to the same
    quantile on both sides. Costs ``2 d + 1`` model runs.

    Parameters
    ----------
    scenario : Scenario
    output : Output or str
        What to explain (a perspective name is short for ``Output(perspective)``).
    progress : callable, optional
        Called with the number of model runs after each batch.
    workers : int, optional
        Run the model on this many local processes.
    scheduler : str, optional
        Address of a running Dask scheduler (``'tcp://host:8786'``).
    backend : Backend, dask.distributed.Client or {'inprocess', 'processes', 'dask'}, optional
        Where blocks of runs go (:func:`enforcecost.parallel.get_backend`);
        results are identical on every backend.
    block_size : int, optional
        Runs per parallel task (default: each batch split in four per worker).

    Returns
    -------
    TornadoResult
    """
    out = _output(output)
    with _model(scenario, out, progress, backend, workers, scheduler, block_size) as model:
        d = len(model.names)
        u = np.full((2 * d + 1, d), np.nan)
        for j, name in enumerate(model.names):
            lo, hi = _quantile_range(model.reference(name))
            u[2 * j, j], u[2 * j + 1, j] = lo, hi
        y = model(u)
    refs = [model.reference(n) for n in model.names]
    frame = _meta(model.names).assign(
        low_input=[r.range[0] for r in refs],
        high_input=[r.range[1] for r in refs],
        low_output=y[0 : 2 * d : 2],
        high_output=y[1 : 2 * d : 2],
    )
    frame["swing"] = (frame["high_output"] - frame["low_output"]).abs()
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    cols = ["low_input", "high_input", "low_output", "high_output", "swing",
            "provision", "source_kind", "unit"]
    return TornadoResult(float(y[-1]), frame[cols], out, out.label(scenario), scenario)


# -- Morris --------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioMorris:
    """Morris elementary effects of a scenario's inputs on an output.

    Inputs are moved in quantile space (each input's distribution mapped to
    [0, 1]); effects are in dollars per 0.9 of quantile (the 5th to 95th
    percentile of the input), so inputs with different units compare.
    """

    result: MorrisResult
    output: Output
    label: str
    meta: pd.DataFrame = field(repr=False)
    scenario: Scenario | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """mu, mu_star (with interval), sigma per input, with provision and source kind,
        sorted by mu_star."""
        frame = self.result.to_frame().join(self.meta)
        return frame.sort_values("mu_star", ascending=False, kind="stable")


def morris(
    scenario: Scenario,
    output: Output | str | None = None,
    *,
    trajectories: int = 20,
    levels: int = 4,
    seed: int | None = None,
    batch: int | None = 8192,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    backend: BackendLike = None,
    block_size: int | None = None,
) -> ScenarioMorris:
    """Morris screening of a scenario: ``trajectories * (d + 1)`` model runs.

    Parameters
    ----------
    scenario : Scenario
    output : Output or str
    trajectories, levels : int
        Morris design size (see :func:`morris_indices`).
    seed : int, optional
    batch : int or None
        Model runs evaluated at a time (bounds memory; results do not depend on it).
    progress : callable, optional
        Called with the number of model runs after each batch.
    workers : int, optional
        Run the model on this many local processes.
    scheduler : str, optional
        Address of a running Dask scheduler (``'tcp://host:8786'``).
    backend : Backend, dask.distributed.Client or {'inprocess', 'processes', 'dask'}, optional
        Where blocks of runs go (:func:`enforcecost.parallel.get_backend`);
        results are identical on every backend.
    block_size : int, optional
        Runs per parallel task (default: each batch split in four per worker).

    Returns
    -------
    ScenarioMorris
    """
    out = _output(output)
    with _model(scenario, out, progress, backend, workers, scheduler, block_size) as model:
        unit = [stats.uniform(0.0, 1.0)] * len(model.names)
        res = morris_indices(
            model, unit, trajectories, levels=levels, seed=seed, names=model.names, batch=batch
        )
    return ScenarioMorris(res, out, out.label(scenario), _meta(model.names), scenario)


# -- Sobol' --------------------------------------------------------------------
@dataclass(frozen=True)
class ScenarioSobol:
    """Sobol' indices of a scenario's inputs, and of groups of them.

    Attributes
    ----------
    result : SobolResult
        Per input (and per provision group).
    by_source : SobolResult or None
        Grouped by source kind (seed, published, derived, assumption).
    output : Output
    label : str
    """

    result: SobolResult
    by_source: SobolResult | None
    output: Output
    label: str
    meta: pd.DataFrame = field(repr=False)
    scenario: Scenario | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """S1, S1_low, S1_high, ST, ST_low, ST_high per input, with provision and source
        kind, sorted by ST."""
        frame = self.result.to_frame().join(self.meta)
        return frame.sort_values("ST", ascending=False, kind="stable")

    def by_provision(self) -> pd.DataFrame:
        """Grouped indices by provision."""
        return self.result.group_frame()

    def by_source_kind(self) -> pd.DataFrame:
        """Grouped indices by source kind; ``assumption`` is the share resting on no source."""
        if self.by_source is None:
            raise ValueError("run sobol(..., by_source=True) for source-kind groups")
        frame: pd.DataFrame = self.by_source.group_frame()
        return frame

    def top(self, k: int = 5) -> list[str]:
        """The ``k`` inputs with the largest total index."""
        return list(self.to_frame().index[:k])


def sobol(
    scenario: Scenario,
    output: Output | str | None = None,
    *,
    n: int = 4096,
    replicates: int = 16,
    seed: int | None = None,
    by_source: bool = True,
    batch: int | None = 8192,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    backend: BackendLike = None,
    block_size: int | None = None,
) -> ScenarioSobol:
    """Sobol' first-order and total indices of a scenario's output.

    Randomized-QMC intervals (``replicates`` independent scramblings), grouped
    indices by provision, and (``by_source``) a second design grouped by
    source kind. Costs ``n * (d + G + 2)`` model runs per design.

    Parameters
    ----------
    scenario : Scenario
    output : Output or str
    n : int
        Base points over all replicates; ``n / replicates`` a power of 2.
    replicates : int
        Independent scramblings for the confidence intervals.
    seed : int, optional
    by_source : bool
        Also run the design grouped by source kind.
    batch : int or None
        Model runs evaluated at a time (bounds memory; results do not depend on it).
    progress : callable, optional
        Called with the number of model runs after each batch.
    workers : int, optional
        Run the model on this many local processes.
    scheduler : str, optional
        Address of a running Dask scheduler (``'tcp://host:8786'``).
    backend : Backend, dask.distributed.Client or {'inprocess', 'processes', 'dask'}, optional
        Where blocks of runs go (:func:`enforcecost.parallel.get_backend`);
        results are identical on every backend.
    block_size : int, optional
        Runs per parallel task (default: each batch split in four per worker).

    Returns
    -------
    ScenarioSobol
    """
    out = _output(output)
    with _model(scenario, out, progress, backend, workers, scheduler, block_size) as model:
        meta = _meta(model.names)
        unit = [stats.uniform(0.0, 1.0)] * len(model.names)
        res = sobol_indices(
            model, unit, n, seed=seed, replicates=replicates,
            groups=list(meta["provision"]), names=model.names, batch=batch,
        )
        by_src = None
        if by_source:
            by_src = sobol_indices(
                model, unit, n, seed=seed, replicates=replicates,
                groups=list(meta["source_kind"]), names=model.names, batch=batch,
            )
    return ScenarioSobol(res, by_src, out, out.label(scenario), meta, scenario)

