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
per-group float sums over aligned groups of :data:`~enforcecost._sums.GROUP`
draws (see :mod:`enforcecost._sums`): they do not depend on the blocks, which
start at multiples of the group size.

**Memory layout.** Every ``(draws, years)`` array of the model is year-major
in memory (a transposed ``(years, draws)`` array): each year's values are
contiguous, so sums over draws and the running totals over years read
memory in order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._sketch import QuantileSketch
from ._sums import EXACT_LIMIT, GROUP, VALUE_LIMIT, FixedSums, group_sums
from .backends import BLOCKS_AHEAD, BackendLike, using_backend
from .errors import Problem, ScenarioError
from .provisions import BOOKS, Flows, Line, run_pipeline
from .registry import Window, cpi_u, discount_factors, registry
from .results import (
    ALL_ITEMS,
    ALL_PROVISIONS,
    Channels,
    Means,
    Reduced,
    Result,
    Run,
    Totals,
)
from .sampling import Correlate, check_seed, design
from .scenario import (
    MAX_DRAWS,
    Sampler,
    Scenario,
    Setting,
    correlation_draws_needed,
    correlation_draws_problems,
)
from .vocab import BASES, PAYERS, PAYERS_OF, PERSPECTIVES

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

FloatArray = np.ndarray
Detail = Literal["lines", "provisions", "payers", "summary"]


def parameter_arrays(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int
) -> dict[str, FloatArray]:
    """Turn values per draw into the arrays the provisions read.

    Parameters
    ----------
    scenario : Scenario
        Gives each input's setting (unit and dollar year).
    values : mapping of name -> ndarray, shape (draws,)
        Every input's value per draw, in its setting's unit and dollar year.
    window : Window
        The fiscal years.
    dollar_year : int
        The constant-dollar base of the run.

    Returns
    -------
    dict of name -> ndarray
        Shape ``(draws, 1)``; money in real ``dollar_year`` dollars, except
        nominal (statutory) amounts, which are ``(draws, years)``: their real
        value in each fiscal year.
    """
    return _parameter_arrays(scenario, values, window, dollar_year, {})


def _parameter_arrays(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int,
    levels: dict[int | str, FloatArray], settings: Mapping[str, Setting] | None = None,
) -> dict[str, FloatArray]:
    """:func:`parameter_arrays`; ``levels`` caches the price level of each dollar
    year (``'nominal'``: of each fiscal year) for the caller; ``settings``: the
    scenario's, if the caller has them."""
    reg = registry()
    out: dict[str, FloatArray] = {}
    base_level = _level(levels, dollar_year, values, window)
    to_real: dict[int | str, FloatArray] = {}  # dollar year -> conversion factor
    for name, setting in (scenario.settings() if settings is None else settings).items():
        v = np.asarray(values[name], dtype=np.float64)[:, None]
        if reg[name].is_money:
            dy = setting.dollar_year
            if dy is None:  # a Setting built without one: the registry's
                dy = reg[name].dollar_year
            assert dy is not None
            if dy not in to_real:
                to_real[dy] = base_level / _level(levels, dy, values, window)
            v = v * to_real[dy]
        out[name] = v
    return out


def _level(
    levels: dict[int | str, FloatArray], year: int | str, values: Mapping[str, FloatArray],
    window: Window,
) -> FloatArray:
    """CPI-U level of ``year`` (``'nominal'``: of each fiscal year) per draw, cached.

    A year with data has one level for every draw (the projection does not
    reach it): a scalar, equal to every draw's value.
    """
    if year not in levels:
        index = cpi_u()
        g = np.asarray(values["inflation_projection"], dtype=np.float64)[:, None]
        if year == "nominal":  # (draws, years), year-major (see the module notes)
            levels[year] = index.level(window.fiscal_years[:, None], g.T).T
        elif isinstance(year, int) and index.first_year <= year <= index.last_year:
            levels[year] = index.level(year)
        else:
            levels[year] = index.level(year, g)
    return levels[year]


def _book(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int,
    settings: Mapping[str, Setting] | None = None,
) -> tuple[list[Line], FloatArray, Flows]:
    """The ledger lines, price levels (draws, years) and pipeline flows of one block."""
    levels: dict[int | str, FloatArray] = {}
    p = _parameter_arrays(scenario, values, window, dollar_year, levels, settings)
    flows = run_pipeline(p, window.years)
    lines: list[Line] = []
    for provision in scenario.provisions:
        for line in BOOKS[provision](p, flows):
            a = np.asarray(line.amount)
            if a.ndim == 2 and not a.flags.f_contiguous:  # year-major, as the flows
                line = replace(line, amount=np.asfortranarray(a))
            lines.append(line)
    price = (_level(levels, "nominal", values, window)
             / _level(levels, dollar_year, values, window))
    return lines, price, flows


def _labels(lines: Sequence[Line]) -> pd.DataFrame:
    return pd.DataFrame(
        [(ln.provision, ln.item, ln.payer, ln.kind) for ln in lines],
        columns=["provision", "item", "payer", "kind"],
    )


def run_values(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int
) -> Run:
    """Evaluate one scenario on given values per draw (the model's single entry point).

    Parameters
    ----------
    scenario : Scenario
    values : mapping of name -> ndarray, shape (draws,)
        Every input's value per draw, in its setting's unit and dollar year.
    window : Window
    dollar_year : int
        Constant-dollar base of the run.

    Returns
    -------
    Run
        Every ledger line, shape ``(lines, draws, years)``.
    """
    lines, price, flows = _book(scenario, values, window, dollar_year)
    amounts = np.empty((len(lines), flows.arrests.shape[0], window.years))
    for i, line in enumerate(lines):
        amounts[i] = line.amount
    return Run(scenario=scenario, lines=_labels(lines), amounts=amounts, price=price, flows=flows)


def uncertain_inputs(scenario: Scenario) -> list[str]:
    """The uncertain inputs of a scenario and its baseline (union, registry order)."""
    names = set(scenario.uncertain())
    if scenario.baseline is not None:
        names |= set(scenario.baseline.uncertain())
    return [n for n in registry() if n in names]


def _values(
    scenario: Scenario,
    names: Sequence[str],
    u: FloatArray | None,
    draws: int,
    reuse: Mapping[str, tuple[Setting, FloatArray]] | None = None,
    settings: Mapping[str, Setting] | None = None,
) -> dict[str, FloatArray]:
    """Each input's values per draw; ``reuse`` holds another side's (setting, values);
    ``settings``: the scenario's, if the caller has them."""
    out = {}
    column = {name: i for i, name in enumerate(names)}
    has_nan = np.isnan(u).any(axis=0) if u is not None else None  # per design column
    for name, setting in (scenario.settings() if settings is None else settings).items():
        if reuse is not None and name in reuse and reuse[name][0] == setting:
            out[name] = reuse[name][1]
            continue
        if u is not None and has_nan is not None and setting.dist is not None and name in column:
            q = u[:, column[name]]
            if not has_nan[column[name]]:
                out[name] = setting.dist.ppf(q)
                continue
            drawn = ~np.isnan(q)
            value = np.full(draws, setting.value)
            value[drawn] = setting.dist.ppf(q[drawn])
        else:
            value = np.full(draws, setting.value)
        out[name] = value
    return out


def _runs(
    scenario: Scenario, u: FloatArray | None, names: Sequence[str]
) -> tuple[Run, Run | None]:
    """Policy and baseline runs on the same quantiles ``u`` (common random numbers)."""
    draws = 1 if u is None else u.shape[0]
    window = Window(scenario.start_year, scenario.years)
    values = _values(scenario, names, u, draws)
    policy = run_values(scenario, values, window, scenario.dollar_year)
    if scenario.baseline is None:
        return policy, None
    base = scenario.baseline
    settings = scenario.settings()
    shared = {n: (settings[n], v) for n, v in values.items()}
    base_values = _values(base, names, u, draws, reuse=shared)
    return policy, run_values(base, base_values, window, scenario.dollar_year)


def _result(
    scenario: Scenario, policy: Run, baseline: Run | None, deterministic: bool,
    names: Sequence[str], reduced: Reduced | None = None,
) -> Result:
    return Result(
        scenario=scenario,
        window=Window(scenario.start_year, scenario.years),
        dollar_year=scenario.dollar_year,
        discount_rate=scenario.discount_rate,
        policy_run=policy,
        baseline_run=baseline,
        deterministic=deterministic,
        inputs=tuple(names),
        reduced=reduced,
    )


def run_design(scenario: Scenario, u: FloatArray | None, names: Sequence[str]) -> Result:
    """Evaluate a scenario (and its baseline) on a design of quantiles, in one block.

    Parameters
    ----------
    scenario : Scenario
    u : ndarray, shape (draws, len(names)), or None
        Quantiles in [0, 1] of each named input's distribution, the same for
        the policy and the baseline (common random numbers); NaN keeps that
        input at its central value. None: one run at central values.
    names : sequence of str
        The inputs the columns of ``u`` stand for.

    Returns
    -------
    Result
        With every ledger line of every draw.
    """
    policy, baseline = _runs(scenario, u, names)
    return _result(scenario, policy, baseline, u is None, names)


def evaluate(scenario: Scenario) -> Result:
    """One deterministic run at every input's central value.

    Parameters
    ----------
    scenario : Scenario
        With its baseline, if any (evaluated over this scenario's window,
        dollar year and discount rate).

    Returns
    -------
    Result
        ``total()`` returns floats.

    Examples
    --------
    >>> import enforcecost as ec
    >>> res = ec.evaluate(ec.load_scenario("eo13768"))
    >>> res.total("federal", basis="nominal") > 0
    True

    Raises
    ------
    ScenarioError
        If a ledger amount is not finite or beyond
        :data:`~enforcecost._sums.VALUE_LIMIT` (see :func:`magnitude_problems`).
    """
    problems = magnitude_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    return run_design(scenario, None, [])




# -- blockwise Monte Carlo ------------------------------------------------------------------
#: Ledger detail a Monte Carlo result keeps per draw, finest first: every line;
#: lines summed by (provision, payer, kind); lines summed by (payer, kind).
DETAILS: tuple[Detail, ...] = ("lines", "provisions", "payers")
#: The reduction-only mode: exact means, distributions of the totals by perspective
#: (quantile sketches), no per-draw values (see :class:`~enforcecost.results.Reduced`).
SUMMARY: Detail = "summary"
#: Draws a reduction-only result keeps in full (payer detail), for per-draw views.
FIRST_DRAWS = 1 << 14
#: Draws the model evaluates at a time inside a task (bounds a task's memory).
MODEL_DRAWS = 1 << 13
_GROUP_KEYS: dict[str, list[str]] = {
    "provisions": ["provision", "payer", "kind"],
    "payers": ["payer", "kind"],
}
_FIVE_YEARS = 5

def _grouping(lines: pd.DataFrame, detail: str) -> tuple[pd.DataFrame, list[int]]:
    """Labels of the kept detail, and the kept row each line is summed into."""
    if detail in ("lines", SUMMARY):
        return lines, list(range(len(lines)))
    keys = _GROUP_KEYS[detail]
    labels = lines[keys].drop_duplicates().reset_index(drop=True)
    if "provision" not in keys:
        labels.insert(0, "provision", ALL_PROVISIONS)
    labels.insert(1, "item", ALL_ITEMS)
    labels = labels[["provision", "item", "payer", "kind"]]
    pos = pd.MultiIndex.from_frame(labels[keys]).get_indexer(
        pd.MultiIndex.from_frame(lines[keys])
    )
    return labels, [int(i) for i in pos]


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a block task needs besides its rows: picklable, the same for every block.

    Attributes
    ----------
    scenario : Scenario
        With its baseline, if any.
    names : tuple of str
        The uncertain inputs (columns of the design).
    draws, seed : int
    sampler : {'sobol', 'lhs', 'random'}
        The design: rows ``start..stop`` of ``design(len(names), draws, ...)``.
    detail : {'lines', 'provisions', 'payers', 'summary'}
        What each draw keeps.
    lines : tuple of DataFrame
        Every ledger line (provision, item, payer, kind) of each side, in booking order.
    rows : tuple of tuple of int
        Each side's kept row of each line: the detail's rows; for ``summary``
        the payer rows of the draws kept in full.
    kept : tuple of DataFrame
        Labels of each side's kept rows.
    payers, spans, reference
        ``summary``: payers with ledger lines, first-N-years spans of the
        window totals, and the central-value total of each channel of the
        kept distributions, shape ``(channels,)`` (the layout of
        :class:`~enforcecost.results.Totals`).
    first : int
        ``summary``: draws kept in full.
    cross_price : bool
        The baseline's price level can differ from the policy's (different
        ``inflation_projection``): the nominal impact is then each side's
        amounts at its own price level, policy minus baseline.
    """

    scenario: Scenario
    names: tuple[str, ...]
    draws: int
    seed: int
    sampler: Sampler
    detail: Detail
    lines: tuple[pd.DataFrame, ...]
    rows: tuple[tuple[int, ...], ...]
    kept: tuple[pd.DataFrame, ...]
    payers: tuple[str, ...] = ()
    spans: tuple[int, ...] = ()
    reference: np.ndarray | None = None
    first: int = 0
    cross_price: bool = False

    @property
    def sides(self) -> tuple[Scenario, ...]:
        base = self.scenario.baseline
        return (self.scenario,) if base is None else (self.scenario, base)

    @property
    def window(self) -> Window:
        return Window(self.scenario.start_year, self.scenario.years)

    @property
    def perspectives(self) -> tuple[str, ...]:
        """``summary``: the perspectives whose totals are kept (those with ledger lines)."""
        return tuple(p for p in PERSPECTIVES if set(PAYERS_OF[p]) & set(self.payers))

    @property
    def channels(self) -> int:
        """``summary``: channels of the kept distributions."""
        return Totals.size(len(self.perspectives), len(self.spans))


@dataclass
class BlockOutput:
    """What one block of draws ``[start, stop)`` hands back (per side: policy, baseline).

    Attributes
    ----------
    start, stop : int
    flows : list of FixedSums
        Each side's pipeline flows, shape ``(fields, years)``.
    kept, price : list of ndarray
        Detail modes: each side's kept amounts ``(rows, n, years)`` and price
        levels ``(n, years)``; ``summary``: those of the block's draws below
        ``plan.first`` (possibly none).
    means : list of FixedSums
        ``summary``: each side's sums of amounts per line and year, real and
        nominal (at the side's own price level), shape ``(2, lines, years)``.
    moments : FixedSums or None
        ``summary``: exact sums over the block's draws of each channel's
        distance ``d`` from the reference and of ``d**2``, shape ``(2, channels)``.
    sketch : QuantileSketch or None
        ``summary``: the block's distances ``d``, one sketch channel per channel.
    """

    start: int
    stop: int
    flows: list[FixedSums]
    kept: list[np.ndarray]
    price: list[np.ndarray]
    means: list[FixedSums]
    moments: FixedSums | None = None
    sketch: QuantileSketch | None = None


def _book_sides(
    plan: Plan, u: FloatArray | None, n: int
) -> list[tuple[list[Line], FloatArray, Flows]]:
    """Each side's ledger lines, price levels and flows on the design rows ``u``."""
    window = plan.window
    out = []
    shared: dict[str, tuple[Setting, FloatArray]] | None = None
    for i, side in enumerate(plan.sides):
        settings = side.settings()  # built from the registry: once per side
        values = _values(side, plan.names, u, n, reuse=shared, settings=settings)
        if i == 0:
            shared = {name: (settings[name], v) for name, v in values.items()}
        lines, price, flows = _book(side, values, window, plan.scenario.dollar_year, settings)
        if len(lines) != len(plan.lines[i]):  # pragma: no cover - provisions book fixed lines
            raise RuntimeError(f"{side.name!r} booked {len(lines)} lines, planned "
                               f"{len(plan.lines[i])}")
        out.append((lines, np.broadcast_to(price, (n, window.years)), flows))
    return out


def _known_prices(window: Window, dollar_year: int) -> int:
    """The leading fiscal years whose price level (nominal over ``dollar_year``
    dollars) is the same for every draw: both years have CPI-U data, which the
    inflation projection does not reach (see :func:`_level`)."""
    index = cpi_u()
    if not index.first_year <= dollar_year <= index.last_year:
        return 0
    return int(np.sum(window.fiscal_years <= index.last_year))


def _year_major(n: int, years: int) -> np.ndarray:
    """An uninitialized ``(n, years)`` array, year-major in memory (see the module notes)."""
    return np.empty((years, n)).T


def _totals(
    plan: Plan, books: Sequence[tuple[list[Line], FloatArray, Flows]], n: int
) -> np.ndarray:
    """Net impact totals per draw, one row per channel of the kept distributions.

    Shape ``(channels, n)``, in the layout of :class:`~enforcecost.results.Channels`:
    per perspective, basis and span the window totals.
    Sums run in a fixed order (lines in booking order, payers in perspective
    order, years one by one), so each draw's totals do not depend on the
    other draws of its block. Computed year-major: ``(years, n)`` arrays.
    """
    years = plan.window.years
    net = {p: np.zeros((years, n)) for p in plan.payers}
    # with different price levels, nominal = policy at its prices - baseline at its own
    nominal = {p: np.zeros((years, n)) for p in plan.payers} if plan.cross_price else None
    for side, (lines, side_price, _) in enumerate(books):
        combine = np.add if side == 0 else np.subtract  # policy - baseline, in place
        for line in lines:
            if line.payer in net:
                amount = np.asarray(line.amount).T
                combine(net[line.payer], amount, out=net[line.payer])
                if nominal is not None:
                    combine(nominal[line.payer], amount * side_price.T,
                            out=nominal[line.payer])
    price = books[0][1].T
    pv = discount_factors(plan.window, plan.scenario.discount_rate)[:, None]
    spans = plan.spans
    layout = Channels(plan.perspectives, spans)
    factors = {"nominal": price, "pv": pv}  # real to basis dollars (real: none)
    out = np.empty((layout.size, n))
    for perspective in plan.perspectives:
        payers = [net[q] for q in PAYERS_OF[perspective] if q in net]
        real = payers[0] if len(payers) == 1 else payers[0] + payers[1]
        for basis in BASES:
            if basis == "nominal" and nominal is not None:
                sides = [nominal[q] for q in PAYERS_OF[perspective] if q in nominal]
                amounts = sides[0] if len(sides) == 1 else sides[0] + sides[1]
            else:
                amounts = real if basis == "real" else real * factors[basis]
            rows = layout.spans_of(perspective, basis)
            running = amounts[0].copy()  # year by year, in order: the first t years
            for t in range(1, spans[-1]):
                if t in spans:
                    out[rows[spans.index(t)]] = running
                running += amounts[t]
            out[rows[-1]] = running  # spans ascend: the last is the longest
    return out


def run_block(plan: Plan, block: tuple[int, int]) -> BlockOutput:
    """Evaluate draws ``block = (start, stop)`` of a planned simulation.

    A pure function of its arguments (the block draws its own design rows),
    so any backend may run it, any number of times, anywhere. The design rows
    are drawn at once (a Sobol' design jumps to row ``start`` in time that
    hardly depends on ``start``); the model runs :data:`MODEL_DRAWS` draws at
    a time, so a task's memory does not grow with the block beyond the design
    and the kept detail.

    Parameters
    ----------
    plan : Plan
        From :func:`plan_simulation`.
    block : (int, int)
        ``0 <= start < stop <= plan.draws``; ``start`` a multiple of
        :data:`~enforcecost._sums.GROUP`, and ``stop`` too unless it is
        ``plan.draws`` (sums over draws run over aligned groups).

    Returns
    -------
    BlockOutput
        The block's share of the result (see :func:`simulate`).
    """
    start, stop = block
    if not 0 <= start < stop <= plan.draws or start % GROUP or (
        stop % GROUP and stop != plan.draws
    ):
        raise ValueError(f"block ({start}, {stop}) of {plan.draws} draws: must start, and end "
                         f"unless at the last draw, at a multiple of {GROUP}")
    n = stop - start
    years = plan.window.years
    u = design(len(plan.names), plan.draws, sampler=plan.sampler, seed=plan.seed,
               start=start, stop=stop, correlate=correlation_plan(plan.scenario, plan.names))
    summary = plan.detail == SUMMARY
    m = max(0, min(stop, plan.first) - start) if summary else n  # draws kept in full
    sides = range(len(plan.sides))
    nf = len(fields(Flows))
    out = BlockOutput(
        start, stop,
        flows=[FixedSums.zeros((nf, years)) for _ in sides],
        kept=[np.zeros((len(plan.kept[i]), m, years)) for i in sides],
        price=[np.empty((m, years)) for _ in sides],
        means=[FixedSums.zeros((2, len(plan.lines[i]), years)) for i in sides]
        if summary else [],
    )
    if summary:
        out.moments = FixedSums.zeros((2, plan.channels))
        out.sketch = Totals.empty_sketch(plan.channels)
    chunk = max(GROUP, MODEL_DRAWS - MODEL_DRAWS % GROUP)  # whole groups
    for a in range(0, n, chunk):
        b = min(a + chunk, n)
        _run_rows(plan, out, a, b, u[a:b], m)
    return out


def _run_rows(
    plan: Plan, out: BlockOutput, a: int, b: int, u: FloatArray, m: int
) -> None:
    """Add draws ``a..b`` of a block (rows ``u`` of its design) to its output.

    ``a`` is a multiple of the group size; every sum over draws is exact
    (:mod:`enforcecost._sums`), so adding the rows in pieces gives the block's
    output bit for bit.
    """
    n = b - a
    years = plan.window.years
    with np.errstate(all="ignore"):  # out-of-range values are found below, and raised
        books = _book_sides(plan, u, n)
        for i, (lines, price, flows) in enumerate(books):
            bad = _scan(lines, price, flows)
            if bad:
                raise _block_problem(plan, i, bad, out.start + a, plan.window.fiscal_years)
    keep = slice(a, min(b, m))  # the draws kept in full, in block positions
    groups = -(-n // GROUP)
    scratch = _year_major(n, years)
    fixed = _known_prices(plan.window, plan.scenario.dollar_year)
    for i, (lines, price, flows) in enumerate(books):
        gf = np.empty((groups, len(fields(Flows)), years))
        for j, f in enumerate(fields(Flows)):
            gf[:, j] = group_sums(getattr(flows, f.name))
        out.flows[i] += FixedSums.of(gf)
        kept = out.kept[i][:, keep]
        # group sums of every line, real and nominal: (groups, bases, lines, years)
        gm = np.zeros((groups, 2, len(lines), years)) if out.means else None
        for j, (line, row) in enumerate(zip(lines, plan.rows[i], strict=True)):
            if kept.shape[1]:
                kept[row] += np.broadcast_to(line.amount, (n, years))[: kept.shape[1]]
            if gm is not None:  # a real amount the same every year (n, 1) is summed once
                gm[:, 0, j] = group_sums(line.amount)
                # years whose price level is every draw's: nominal = real sums times it
                gm[:, 1, j, :fixed] = gm[:, 0, j, :fixed] * price[0, :fixed]
                amount = np.asarray(line.amount)
                if amount.shape[1] > 1:
                    amount = amount[:, fixed:]
                gm[:, 1, j, fixed:] = group_sums(amount, price[:, fixed:],
                                                 out=scratch[:, fixed:])
        out.price[i][keep] = price[: kept.shape[1]]
        if gm is not None:
            out.means[i] += FixedSums.of(gm)
    if out.sketch is not None:
        assert plan.reference is not None
        assert out.moments is not None
        dist = _totals(plan, books, n)  # (channels, n): each draw's distance from the reference
        dist -= plan.reference[:, None]
        error = _totals_problem(plan, dist, out.start + a)
        if error is not None:
            raise error
        out.sketch.add(dist)
        moments = np.empty((groups, 2, plan.channels))
        moments[:, 0] = group_sums(dist.T)
        moments[:, 1] = group_sums(dist.T, dist.T, out=dist.T)  # overwrites dist
        out.moments += FixedSums.of(moments)


def _choose_detail(
    detail: str, draws: int, years: int, lines: Sequence[pd.DataFrame], max_bytes: int,
) -> Detail:
    if detail != "auto":
        if detail not in (*DETAILS, SUMMARY):
            raise ValueError(f"'detail' must be 'auto' or one of {', '.join(DETAILS)}, "
                             f"{SUMMARY}: {detail!r}")
        return detail
    for level in DETAILS:
        k = sum(len(_grouping(side, level)[0]) for side in lines)
        if draws * years * k * np.dtype(np.float64).itemsize <= max_bytes:
            return level
    return SUMMARY


def plan_simulation(
    scenario: Scenario,
    draws: int,
    seed: int,
    sampler: Sampler,
    *,
    detail: Detail | Literal["auto"] = "auto",
    max_bytes: int = 1 << 30,
) -> Plan:
    """The :class:`Plan` of a simulation: lines, kept detail and reference totals.

    Books one run at central values of each side (milliseconds) to learn the
    lines; a ``summary`` plan also takes its reference totals from it.
    """
    names = tuple(uncertain_inputs(scenario))
    window = Window(scenario.start_year, scenario.years)
    sides = [scenario] if scenario.baseline is None else [scenario, scenario.baseline]
    books = []
    shared: dict[str, tuple[Setting, FloatArray]] | None = None
    for i, side in enumerate(sides):
        values = _values(side, names, None, 1, reuse=shared)
        if i == 0:
            settings = side.settings()
            shared = {n: (settings[n], v) for n, v in values.items()}
        with np.errstate(all="ignore"):  # out-of-range values: magnitude_problems, run_block
            books.append(_book(side, values, window, scenario.dollar_year))
    lines = tuple(_labels(b[0]) for b in books)
    level = _choose_detail(detail, draws, window.years, lines, max_bytes)
    grouped = [_grouping(side, "payers" if level == SUMMARY else level) for side in lines]
    plan = Plan(
        scenario=scenario, names=names, draws=draws, seed=seed, sampler=sampler,
        detail=level, lines=lines, rows=tuple(tuple(g[1]) for g in grouped),
        kept=tuple(g[0] for g in grouped),
    )
    if level != SUMMARY:
        return plan
    present = set().union(*(set(side["payer"]) for side in lines))
    payers = tuple(p for p in PAYERS if p in present)
    spans = (_FIVE_YEARS, window.years) if window.years > _FIVE_YEARS else (window.years,)
    cross = len(sides) == 2 and (
        scenario.settings()["inflation_projection"]
        != sides[1].settings()["inflation_projection"]
    )
    central = Plan(scenario, names, 1, seed, sampler, SUMMARY, lines, plan.rows, plan.kept,
                   payers=payers, spans=spans, cross_price=cross)
    central_books = [(b[0], np.broadcast_to(b[1], (1, window.years)), b[2]) for b in books]
    with np.errstate(all="ignore"):
        reference = _totals(central, central_books, 1)[:, 0]
    return Plan(
        scenario=scenario, names=names, draws=draws, seed=seed, sampler=sampler,
        detail=SUMMARY, lines=lines, rows=plan.rows, kept=plan.kept, payers=payers,
        spans=spans, reference=reference, first=min(draws, FIRST_DRAWS), cross_price=cross,
    )


class _Assembly:
    """The client's side of a simulation: adds block outputs, in block order."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        years = plan.window.years
        nf = len(fields(Flows))
        self.flows = [FixedSums.zeros((nf, years)) for _ in plan.sides]
        m = plan.first if plan.detail == SUMMARY else plan.draws
        self.kept = [np.zeros((len(k), m, years)) for k in plan.kept]
        self.price = [np.empty((m, years)) for _ in plan.sides]
        self.means: list[FixedSums] = []
        self.moments: FixedSums | None = None
        self.sketch: QuantileSketch | None = None
        if plan.detail == SUMMARY:
            self.means = [
                FixedSums.zeros((2, len(lines), years))
                for i, lines in enumerate(plan.lines)
            ]
            self.moments = FixedSums.zeros((2, plan.channels))
            self.sketch = Totals.empty_sketch(plan.channels)
        self.done = 0

    def add(self, out: BlockOutput) -> None:
        if out.start != self.done:  # pragma: no cover - backends return blocks in order
            raise RuntimeError(f"block {out.start}-{out.stop} out of order (at {self.done})")
        for i in range(len(self.plan.sides)):
            self.flows[i] += out.flows[i]
            m = out.kept[i].shape[1]
            self.kept[i][:, out.start : out.start + m] = out.kept[i]
            self.price[i][out.start : out.start + m] = out.price[i]
            if self.means:
                self.means[i] += out.means[i]
        if self.sketch is not None:  # exact sums and counts: any order gives the same
            assert self.moments is not None
            assert out.sketch is not None
            assert out.moments is not None
            self.moments += out.moments
            self.sketch.merge(out.sketch)
        self.done = out.stop

    def result(self) -> Result:
        plan = self.plan
        n = plan.draws
        flows = [
            Flows(**{f.name: acc.mean(n)[j][None, :] for j, f in enumerate(fields(Flows))})
            for acc in self.flows
        ]
        if plan.detail != SUMMARY:
            runs = [
                Run(scenario=side, lines=plan.kept[i], amounts=self.kept[i],
                    price=self.price[i], flows=flows[i])
                for i, side in enumerate(plan.sides)
            ]
            return _result(plan.scenario, runs[0], runs[1] if len(runs) > 1 else None, False,
                           plan.names)
        years = plan.window.years
        means = [acc.mean(n) for acc in self.means]
        runs = [
            Run(scenario=side, lines=plan.lines[i], amounts=np.empty((len(plan.lines[i]), 0,
                years)), price=np.empty((0, years)), flows=flows[i],
                means=Means(real=means[i][0], nominal=means[i][1], draws=n))
            for i, side in enumerate(plan.sides)
        ]
        first = [
            Run(scenario=side, lines=plan.kept[i], amounts=self.kept[i], price=self.price[i],
                flows=flows[i])
            for i, side in enumerate(plan.sides)
        ]
        assert plan.reference is not None
        assert self.moments is not None
        assert self.sketch is not None
        totals = Totals(
            perspectives=plan.perspectives, spans=plan.spans,
            reference=plan.reference, moments=self.moments.mean(n),  # mean d, mean d**2
            sketch=self.sketch, draws=n,
        )
        baseline = runs[1] if len(runs) > 1 else None
        reduced = Reduced.of_runs(
            runs[0], baseline, totals,
            _result(plan.scenario, first[0], first[1] if len(first) > 1 else None, False,
                    plan.names),
        )
        return _result(plan.scenario, runs[0], baseline, False, plan.names, reduced)


def simulate(
    scenario: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
    *,
    block_size: int = 1 << 15,
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
    block_size : int
        Draws per task (block), rounded up to a multiple of
        :data:`~enforcecost._sums.GROUP` (256; sums over draws run over
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
        Where blocks run (:func:`enforcecost.parallel.get_backend`); default
        in-process. A backend or client passed in is left open.
    force : bool
        Start even when the estimated memory (:func:`memory_estimate`: the
        kept detail on the client, plus the working memory of the blocks
        running here) exceeds the memory available (:func:`available_memory`).
        The check only decides whether a run starts, never its result.

    Returns
    -------
    Result
        ``total()`` returns arrays of shape ``(draws,)``, except for a
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
        :data:`~enforcecost._sums.VALUE_LIMIT` (:func:`magnitude_problems`);
        more memory than available (unless ``force``). During the run, if a
        block meets such an amount after all (the first such draw is named).

    Notes
    -----
    Results are identical, to the last bit, for any ``block_size``, backend and
    number of workers (see the module notes), because every value summed over
    draws stays below :data:`~enforcecost._sums.VALUE_LIMIT` (``2**84``
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
    size = -(-int(block_size) // GROUP) * GROUP  # whole groups of draws
    assembly = _Assembly(plan)
    with using_backend(backend, workers=workers, scheduler=scheduler) as be:
        for out in be.map_blocks(partial(run_block, plan), _blocks(plan.draws, size)):
            assembly.add(out)
            if progress is not None:
                progress(out.stop - out.start)
    return assembly.result()


def correlation_plan(scenario: Scenario, names: Sequence[str]) -> Correlate | None:
    """The scenario's rank correlations as design columns and matrix (None without any).

    Policy and baseline share one design, so the policy's correlations apply to both.
    """
    if not scenario.correlations:
        return None
    inputs = sorted({n for a, b, _ in scenario.correlations for n in (a, b)}, key=names.index)
    matrix = np.eye(len(inputs))
    for a, b, r in scenario.correlations:
        i, j = inputs.index(a), inputs.index(b)
        matrix[i, j] = matrix[j, i] = r
    cols = tuple(names.index(n) for n in inputs)
    return cols, tuple(tuple(float(x) for x in row) for row in matrix)


# -- limits: checked before a run starts, and per block as a backstop -------------------------
#: Largest distance (dollars) of a draw's net total from its central value in
#: a reduction-only run (``detail='summary'``), whose squares are summed over
#: draws: ``sqrt(VALUE_LIMIT) = 2**42`` (about 4.4e12), so that every square
#: stays below :data:`~enforcecost._sums.VALUE_LIMIT` and its group sums exact.
TOTAL_LIMIT = float(np.sqrt(VALUE_LIMIT))
#: The probability at which the extent of an unbounded distribution (lognormal,
#: normal not truncated on both sides) is probed: designs draw quantiles that
#: are multiples of at least ``2**-53`` (numpy's uniform doubles), so their
#: draws lie between the quantiles ``2**-53`` and ``1 - 2**-53``.
_TAIL = 2.0**-53
_BOUNDED = ("uniform", "triangular", "pert", "discrete")
_BASES = ("real", "nominal")
_RULE = (
    f"every ledger amount (and pipeline flow) of every draw and year, real and nominal, "
    f"must be finite and below 2**84 = {VALUE_LIMIT:.3g} dollars (VALUE_LIMIT: sums over "
    f"draws are exact, whatever the block size, only for sums of 256 draws below "
    f"2**93 = {EXACT_LIMIT:.3g}; 2**93 / 256 / 2, halved for rounding)"
)
_MIB = 1 << 20
_GIB = 1 << 30
#: Peak memory of a task running the model on a chunk of draws, in ``(draws,
#: years)`` float arrays per ledger line of both sides (lines, flows, scratch,
#: design rows and parameters; tracemalloc on eo13768 with its baseline: 1.7
#: to 1.8, i.e. 63-68 MiB for 8,192 draws, 10 years and 60 lines).
_ARRAYS_PER_LINE = 2
#: Bytes of a reduction-only run's quantile sketch (about 5 MB, see :class:`Totals`).
_SKETCH_BYTES = 8 * _MIB


class _Reads(dict[str, Any]):
    """Parameter arrays that record which names are read (for messages)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self.read: list[str] = []

    def __getitem__(self, key: str) -> Any:
        if key not in self.read:
            self.read.append(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return default


def _reads(side: Scenario, dollar_year: int) -> dict[str, list[str]]:
    """The parameters each provision (and ``'pipeline'``) reads, at central values."""
    settings = side.settings()
    window = Window(side.start_year, side.years)
    values = {n: np.full(1, s.value) for n, s in settings.items()}
    out: dict[str, list[str]] = {}
    with np.errstate(all="ignore"):
        p = _Reads(_parameter_arrays(side, values, window, dollar_year, {}, settings))
        flows = run_pipeline(p, window.years)
        out["pipeline"] = list(p.read)
        for provision in side.provisions:
            p.read = []
            BOOKS[provision](p, flows)
            out[provision] = list(p.read)
    return out


def _where(side: Scenario) -> str:
    return str(side.path) if side.path is not None else "<code>"


@dataclass(frozen=True)
class _Overflow:
    """A value out of range: ``what`` (a line or flow) in draw ``row`` (of the
    values scanned) and fiscal year ``year``."""

    what: str
    provision: str  # the provision booking the line, or 'pipeline'
    row: int
    year: int
    basis: str
    value: float

    def text(self) -> str:
        unit = "people" if self.provision == "pipeline" else f"{self.basis} dollars"
        return f"{self.what} reaches {self.value:.3g} {unit} in FY{self.year}"


@dataclass(frozen=True)
class _Bad:
    """A line (or flow) with values out of range: its values, shape ``(rows, years)``."""

    what: str
    provision: str
    real: np.ndarray
    nominal: np.ndarray | None

    def mask(self) -> np.ndarray:
        bad = ~(np.abs(self.real) < VALUE_LIMIT)  # NaN fails every comparison
        if self.nominal is not None:
            bad |= ~(np.abs(self.nominal) < VALUE_LIMIT)
        return np.asarray(bad)

    def first(self, rows: Sequence[int], years: np.ndarray) -> _Overflow:
        """The first value out of range in ``rows`` (in order; real before nominal)."""
        for r in rows:
            for basis, v in (("real", self.real), ("nominal", self.nominal)):
                if v is None:
                    continue
                bad = ~(np.abs(v[r]) < VALUE_LIMIT)
                if bad.any():
                    t = int(np.argmax(bad))
                    return _Overflow(self.what, self.provision, int(r), int(years[t]), basis,
                                     float(v[r, t]))
        raise ValueError("no value out of range in these rows")  # pragma: no cover


def _fine(a: np.ndarray) -> bool:
    """Every value of ``a`` finite and below :data:`VALUE_LIMIT` in magnitude (NaN is not)."""
    return a.size == 0 or bool(a.max() < VALUE_LIMIT and -a.min() < VALUE_LIMIT)


def _scan(lines: Sequence[Line], price: FloatArray, flows: Flows) -> list[_Bad]:
    """The lines (booking order) and pipeline flows with a value out of range.

    Reads each line's values twice (a max and a min); its nominal amounts are
    formed only when the real extreme times the largest price level could
    reach the limit. Call under ``np.errstate(all="ignore")``.
    """
    out: list[_Bad] = []
    top = float(np.max(price)) if price.size else 1.0
    for line in lines:
        a = np.asarray(line.amount)
        real_ok = _fine(a)
        if real_ok and a.size and max(float(a.max()), -float(a.min())) * top < VALUE_LIMIT:
            continue
        real = np.broadcast_to(a, price.shape)
        nominal = real * price
        if real_ok and _fine(nominal):
            continue
        out.append(_Bad(f"ledger line {line.provision} / {line.item} ({line.payer})",
                        line.provision, real, nominal))
    for f in fields(Flows):
        a = np.asarray(getattr(flows, f.name))
        if not _fine(a):
            out.append(_Bad(f"pipeline flow {f.name}", "pipeline",
                            np.broadcast_to(a, price.shape), None))
    return out


def _extent(dist: Any) -> tuple[float, float, str]:
    """The lowest and highest values a design can draw from ``dist``, and what they are."""
    a = dist.args
    if dist.kind in _BOUNDED or (dist.kind == "normal" and "low" in a and "high" in a):
        lo, hi = dist.range
        return lo, hi, "end of its distribution"
    with np.errstate(all="ignore"):
        lo, hi = dist.frozen().ppf([_TAIL, 1.0 - _TAIL])
    return float(lo), float(hi), "end of what a design draws from it (quantile 2**-53)"


def _named(
    side: Scenario, settings: Mapping[str, Setting], reads: Sequence[str],
    among: Sequence[str] | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """File, key and values of the parameters read that the scenario sets (else all read)."""
    pool = [n for n in reads if among is None or n in among]
    chosen = [n for n in pool if settings[n].source != "registry"] or pool
    file = next((settings[n].source for n in chosen if settings[n].source != "registry"),
                _where(side))
    key = "[parameters] " + ", ".join(chosen) if chosen else "[parameters]"
    shown = {n: _spec(settings[n]) for n in chosen}
    return file, key, shown


def _spec(setting: Setting) -> Any:
    """A setting as a scenario file writes it: its distribution, else its value."""
    return setting.value if setting.dist is None else setting.dist.to_spec()


def _reads_of(reads: Mapping[str, list[str]], o: _Overflow) -> list[str]:
    names = list(reads.get(o.provision, []))
    if o.basis == "nominal" and "inflation_projection" not in names:
        names.append("inflation_projection")  # nominal dollars: the price level's input
    return names


def _more(n: int) -> str:
    if not n:
        return ""
    return f" (and {n} more line{'s' if n != 1 else ''} or flow{'s' if n != 1 else ''})"


def _side_problems(side: Scenario, dollar_year: int) -> list[Problem]:
    """Probe one side at its central values, each uncertain input at each end of its
    extent (the others central), and every uncertain input at its low and high end."""
    window = Window(side.start_year, side.years)
    settings = side.settings()
    names = [n for n, s in settings.items() if s.dist is not None]
    rows = 3 + 2 * len(names)
    values = {n: np.full(rows, s.value, dtype=np.float64) for n, s in settings.items()}
    ends: dict[str, str] = {}
    for k, n in enumerate(names):
        lo, hi, ends[n] = _extent(settings[n].dist)
        values[n][[1 + 2 * k, rows - 2]] = lo
        values[n][[2 + 2 * k, rows - 1]] = hi
    with np.errstate(all="ignore"):
        lines, price, flows = _book(side, values, window, dollar_year, settings)
        bad = _scan(lines, np.broadcast_to(price, (rows, window.years)), flows)
    if not bad:
        return []
    years = window.fiscal_years
    found: dict[tuple[str, str], list[_Overflow]] = {}
    for b in bad:
        hit = np.asarray(b.mask().any(axis=1))
        if hit[0]:
            found.setdefault(("central", b.provision), []).append(b.first([0], years))
        elif hit[1 : rows - 2].any():
            for k, n in enumerate(names):
                if hit[1 + 2 * k] or hit[2 + 2 * k]:
                    o = b.first([1 + 2 * k, 2 + 2 * k], years)
                    found.setdefault(("input", n), []).append(o)
        else:
            found.setdefault(("joint", b.provision), []).append(b.first([rows - 2, rows - 1],
                                                                        years))
    reads = _reads(side, dollar_year)
    out = []
    for (cause, subject), hits in found.items():
        o, more = hits[0], _more(len(hits) - 1)
        if cause == "input":
            setting = settings[subject]
            assert setting.dist is not None
            end = "low" if o.row % 2 else "high"
            file, given = setting.source, ""
            if file == "registry":  # the registry's distribution, with this scenario's values
                file = _where(side)
                _, key, _ = _named(side, settings, _reads_of(reads, o))
                given = f" (the registry's distribution; with {key.removeprefix('[parameters] ')})"
            out.append(Problem(
                file, f"[parameters] {subject}",
                f"at {values[subject][o.row]:.6g}, the {end} {ends[subject]}{given}, "
                f"{o.text()}{more}; {_RULE}", setting.dist.to_spec()))
        elif cause == "central":
            file, key, shown = _named(side, settings, _reads_of(reads, o))
            out.append(Problem(
                file, key, f"at the central values, {o.text()}{more}; "
                f"{subject} reads {', '.join(_reads_of(reads, o))}; {_RULE}", shown))
        else:
            end = "low" if o.row == rows - 2 else "high"
            file, key, shown = _named(side, settings, _reads_of(reads, o), names)
            out.append(Problem(
                file, key, f"with every uncertain input at the {end} end of its "
                f"distribution, {o.text()}{more}; {subject} reads "
                f"{', '.join(_reads_of(reads, o))}; {_RULE}", shown))
    return out


def magnitude_problems(scenario: Scenario) -> list[Problem]:
    """Check that a scenario's ledger stays finite and within the exact-sum range.

    Evaluates each side (policy, baseline) on a small probe: central values;
    each uncertain input at the low and at the high end of what a design can
    draw from it (its support, or its quantiles ``2**-53`` and ``1 - 2**-53``
    for unbounded kinds), the others central; and every uncertain input at its
    low, then high end at once. Every ledger amount (real and nominal) and
    pipeline flow must be finite and below :data:`~enforcecost._sums.VALUE_LIMIT`
    (``2**84`` dollars) in magnitude: sums over draws are then exact whatever
    the block size. The probe cannot see every combination of inputs, so a
    Monte Carlo run checks every block as well (:func:`run_block`).

    Parameters
    ----------
    scenario : Scenario
        With its baseline, if any.

    Returns
    -------
    list of Problem
        One per input (or set of fixed values) that takes a line out of range,
        naming the file and key that set it, the line, the year and the value.
    """
    sides = [scenario] if scenario.baseline is None else [scenario, scenario.baseline]
    return [p for side in sides for p in _side_problems(side, scenario.dollar_year)]


def _block_problem(
    plan: Plan, side: int, bad: Sequence[_Bad], first_draw: int, years: np.ndarray,
) -> ScenarioError:
    """The error for out-of-range values found while running draws from ``first_draw`` on."""
    row = min(int(np.argmax(b.mask().any(axis=1))) for b in bad)
    o = next(b.first([row], years) for b in bad if b.mask()[row].any())
    sc = plan.sides[side]
    reads = _reads_of(_reads(sc, plan.scenario.dollar_year), o)
    file, key, _ = _named(sc, sc.settings(), reads)
    return ScenarioError([Problem(
        file, key, f"in draw {first_draw + row} of {plan.draws:,} (seed {plan.seed}, "
        f"{plan.sampler}), {o.text()}; {o.provision} reads {', '.join(reads)}; {_RULE}",
        o.value)])


def _totals_problem(plan: Plan, dist: np.ndarray, first_draw: int) -> ScenarioError | None:
    """The error if a draw's total is too far from the central total (``summary`` only)."""
    if _fine_total(dist):
        return None
    bad = ~(np.abs(dist) < TOTAL_LIMIT)
    draw = int(np.argmax(bad.any(axis=0)))
    channel = int(np.argmax(bad[:, draw]))
    spans = len(plan.spans)
    perspective = plan.perspectives[channel // (3 * spans)]
    basis = ("nominal", "real", "pv")[channel // spans % 3]
    span = plan.spans[channel % spans]
    return ScenarioError([Problem(
        _where(plan.scenario), "[run] draws",
        f"in draw {first_draw + draw} of {plan.draws:,} (seed {plan.seed}, {plan.sampler}), "
        f"the {perspective} {basis} total over {span} years is {dist[channel, draw]:.3g} "
        f"dollars from its central value; "
        f"a reduction-only run (detail='summary', chosen for large runs) sums the squares of "
        f"these distances exactly only below 2**42 = {TOTAL_LIMIT:.3g} dollars "
        f"(sqrt of VALUE_LIMIT); keep per-draw detail (detail='payers', fewer draws)",
        plan.draws)])


def _fine_total(dist: np.ndarray) -> bool:
    return dist.size == 0 or bool(dist.max() < TOTAL_LIMIT and -dist.min() < TOTAL_LIMIT)


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
    model_rows = min(size, MODEL_DRAWS) * years * lines * _ARRAYS_PER_LINE * item
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


def _blocks(draws: int, size: int) -> Iterator[tuple[int, int]]:
    """The blocks ``(start, stop)`` of ``size`` draws, made one at a time (lazily)."""
    for start in range(0, draws, size):
        yield start, min(start + size, draws)
