"""The scenario-level studies: tornado, Morris and Sobol' on a scenario's inputs.

Each runs the scenario's :class:`._scenario._QuantileModel` on a design of input
quantiles and reports each input with its provision and source kind.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..backends import BackendLike
from ..results._display import clip, html_table, joined, number, short_money
from ..scenario import Scenario
from ._agenda import agenda_frame
from ._common import LEVELS, REPLICATES
from ._morris import morris_indices
from ._results import TOP_HTML, MorrisResult, SobolResult
from ._scenario import Output, _meta, _model, _output
from ._sobol import sobol_indices

__all__ = [
    "ScenarioMorris",
    "ScenarioSobol",
    "TornadoResult",
    "assumption_share",
    "morris",
    "sobol",
    "tornado",
]


def _millions(v: object) -> str:
    """A money cell of a notebook table: dollars shown in whole millions."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return "" if math.isnan(float(v)) else f"{float(v) / 1e6:,.0f}"
    return str(v)


def _top(frame: pd.DataFrame, column: str, money: bool) -> str:
    """``'largest swing hires_per_year_max $27.4B'``: the first row of a sorted table."""
    if frame.empty or not np.isfinite(float(frame[column].iloc[0])):
        return ""
    value = float(frame[column].iloc[0])
    shown = short_money(value) if money else f"{value:.3f}"
    return f"largest {_WORDS.get(column, column)} {clip(str(frame.index[0]), 40)} {shown}"


_SHOWN = ["provision", "source_kind"]
#: Column names as a notebook table shows them.
_WORDS = {"mu_star": "mu*", "mu_star_low": "mu* low", "mu_star_high": "mu* high",
          "low_output": "low", "high_output": "high", "source_kind": "source kind"}


# -- tornado -------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        """One line: the output, the inputs, the central value and the largest swing."""
        parts = [repr(clip(self.label, 70)), f"{len(self.frame)} inputs",
                 f"central {short_money(self.base)}", _top(self.frame, "swing", money=True)]
        return f"TornadoResult({joined(parts)})"

    def _repr_html_(self) -> str:
        """The inputs with the largest swings, for a notebook ($ millions)."""
        cols = ["low_output", "high_output", "swing", *_SHOWN]
        return html_table(self.frame[cols].head(TOP_HTML).rename(columns=_WORDS), repr(self),
                          f"Top {min(TOP_HTML, len(self.frame))} of {len(self.frame)} inputs "
                          "by swing: the output with the input at the low and the high end of "
                          "its range, millions of dollars.", default=_millions)


def _quantile_range(dist: Any) -> tuple[float, float]:
    bounded = dist.kind in ("uniform", "triangular", "pert", "discrete") or (
        dist.kind == "normal" and "low" in dist.args and "high" in dist.args
    )
    return (0.0, 1.0) if bounded else (0.05, 0.95)


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
        results are identical on every backend. Default: the backend of
        :func:`enforcecost.backends.default_kind` (this process, unless the
        environment variable ``ENFORCECOST_BACKEND`` says ``processes``; see
        :data:`~enforcecost.backends.PARALLEL_MIN_RUNS`).
    block_size : int, optional
        Runs per parallel task (default: each batch split in four per worker).

    Returns
    -------
    TornadoResult
    """
    out = _output(output)
    with _model(scenario, out, progress, backend, workers, scheduler, block_size,
                lambda d: 2 * d + 1) as model:
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
@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        """One line: the output, the design and the input with the largest mu*."""
        r = self.result
        parts = [repr(clip(self.label, 70)), f"{len(r.names)} inputs",
                 f"{r.trajectories} trajectories", f"{r.evaluations:,} runs",
                 _top(self.to_frame(), "mu_star", money=True)]
        return f"ScenarioMorris({joined(parts)})"

    def _repr_html_(self) -> str:
        """The inputs with the largest mu*, for a notebook ($ millions)."""
        frame = self.to_frame()
        cols = ["mu_star", "mu_star_low", "mu_star_high", "sigma", "mu", *_SHOWN]
        return html_table(frame[cols].head(TOP_HTML).rename(columns=_WORDS), repr(self),
                          f"Top {min(TOP_HTML, len(frame))} of {len(frame)} inputs by mu*: "
                          "the change of the output when an input moves from its 5th to its "
                          "95th percentile, millions of dollars.", default=_millions)


def morris(
    scenario: Scenario,
    output: Output | str | None = None,
    *,
    trajectories: int = 20,
    levels: int = LEVELS,
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
        results are identical on every backend. Default: the backend of
        :func:`enforcecost.backends.default_kind` (this process, unless the
        environment variable ``ENFORCECOST_BACKEND`` says ``processes``; see
        :data:`~enforcecost.backends.PARALLEL_MIN_RUNS`).
    block_size : int, optional
        Runs per parallel task (default: each batch split in four per worker).

    Returns
    -------
    ScenarioMorris
    """
    out = _output(output)
    with _model(scenario, out, progress, backend, workers, scheduler, block_size,
                lambda d: trajectories * (d + 1)) as model:
        unit = [stats.uniform(0.0, 1.0)] * len(model.names)
        res = morris_indices(
            model, unit, trajectories, levels=levels, seed=seed, names=model.names, batch=batch
        )
    return ScenarioMorris(res, out, out.label(scenario), _meta(model.names), scenario)


# -- Sobol' --------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
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

    def agenda(self, kinds: Sequence[str] = ("assumption",)) -> pd.DataFrame:
        """The inputs of ``kinds`` ranked by total index, with their range and citation.

        Parameters
        ----------
        kinds : sequence of str, default ('assumption',)
            Source kinds to list.

        Returns
        -------
        DataFrame
            :func:`~enforcecost.sensitivity.agenda_frame` of this study's
            per-input indices: ``rank`` 1 is the input of ``kinds`` with the
            largest ``ST``.

        Raises
        ------
        ValueError
            If the study has no scenario attached, or ``kinds`` names no
            source kind.
        """
        if self.scenario is None:
            raise ValueError("this study has no scenario attached: run sobol(scenario, ...)")
        return agenda_frame(self.result.to_frame(), self.scenario, self.output.perspective,
                            kinds)

    def __repr__(self) -> str:
        """One line: the output, the design and the input with the largest total index."""
        r = self.result
        parts = [repr(clip(self.label, 70)), f"{len(r.names)} inputs", f"n={r.n:,}",
                 f"{r.replicates} replicates", _top(self.to_frame(), "ST", money=False)]
        return f"ScenarioSobol({joined(parts)})"

    def _repr_html_(self) -> str:
        """The inputs with the largest total indices, for a notebook."""
        frame = self.to_frame()
        cols = ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", *_SHOWN]
        return html_table(frame[cols].head(TOP_HTML).rename(columns=_WORDS), repr(self),
                          f"Top {min(TOP_HTML, len(frame))} of {len(frame)} inputs by ST "
                          "(share of the output's variance with interactions); "
                          f"{self.result.confidence:.0%} intervals. {assumption_share(self)}",
                          default=number(3))


def sobol(
    scenario: Scenario,
    output: Output | str | None = None,
    *,
    n: int = 4096,
    replicates: int = REPLICATES,
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
        results are identical on every backend. Default: the backend of
        :func:`enforcecost.backends.default_kind` (this process, unless the
        environment variable ``ENFORCECOST_BACKEND`` says ``processes``; see
        :data:`~enforcecost.backends.PARALLEL_MIN_RUNS`).
    block_size : int, optional
        Runs per parallel task (default: each batch split in four per worker).

    Returns
    -------
    ScenarioSobol
    """
    out = _output(output)
    with _model(scenario, out, progress, backend, workers, scheduler, block_size,
                lambda d: n * (d + 2) * (1 + by_source)) as model:
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


def assumption_share(res: ScenarioSobol) -> str:
    """A sentence: the share of the variance that inputs resting on assumptions explain.

    The grouped total-order index of the ``assumption`` source kind, with its
    confidence interval.
    """
    if res.by_source is None:
        return "Source-kind groups were not computed."
    frame = res.by_source_kind()
    if "assumption" not in frame.index:
        return "No uncertain input rests on an assumption: every one has a cited source."
    st, low, high = frame.loc["assumption", ["ST", "ST_low", "ST_high"]].to_numpy(dtype=float)
    if not math.isfinite(st):
        return "The output does not vary with the inputs: its Sobol' indices are undefined."
    conf = res.by_source.confidence
    return (
        f"Inputs resting on assumptions explain {st:.0%} of the variance (total-order, grouped; "
        f"{conf:.0%} interval {low:.0%} to {high:.0%})."
    )
