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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

from ._sketch import QuantileSketch
from ._sums import GROUP, FixedSums, group_sums
from .backends import BackendLike, using_backend
from .money import Window, cpi_u, discount_factors
from .parameters import registry
from .provisions import BOOKS, Flows, Line, run_pipeline
from .results import (
    ALL_ITEMS,
    ALL_PROVISIONS,
    Means,
    Reduced,
    Result,
    Run,
    Totals,
    align,
    union_lines,
)
from .sampling import Correlate, check_seed, design
from .scenario import Sampler, Scenario, Setting
from .vocab import PAYERS, PAYERS_OF, PERSPECTIVES

__all__ = [
    "ALL_ITEMS",
    "ALL_PROVISIONS",
    "DETAILS",
    "FIRST_DRAWS",
    "MODEL_DRAWS",
    "SUMMARY",
    "BlockOutput",
    "Detail",
    "Plan",
    "evaluate",
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
    names: Sequence[str],
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
    """
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

    Shape ``(channels, n)``, in the layout of :class:`~enforcecost.results.Totals`:
    per perspective, basis (nominal, real, pv) and span the window totals.
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
    out = np.empty((plan.channels, n))
    for p, perspective in enumerate(plan.perspectives):
        payers = [net[q] for q in PAYERS_OF[perspective] if q in net]
        real = payers[0] if len(payers) == 1 else payers[0] + payers[1]
        for b, factor in enumerate((price, None, pv)):
            if b == 0 and nominal is not None:
                sides = [nominal[q] for q in PAYERS_OF[perspective] if q in nominal]
                amounts = sides[0] if len(sides) == 1 else sides[0] + sides[1]
            else:
                amounts = real if factor is None else real * factor
            row = (p * 3 + b) * len(spans)
            running = amounts[0].copy()  # year by year, in order: the first t years
            for t in range(1, spans[-1]):
                if t in spans:
                    out[row + spans.index(t)] = running
                running += amounts[t]
            out[row + len(spans) - 1] = running  # spans ascend: the last is the longest
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
    books = _book_sides(plan, u, n)
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
        pol = runs[0]
        assert pol.means is not None
        if len(runs) == 1:
            lines, real, nominal = pol.lines, pol.means.real, pol.means.nominal
        else:
            base = runs[1]
            assert base.means is not None
            lines = union_lines(pol.lines, base.lines)
            base_nominal = base.means.nominal  # each side at its own price level
            real = align(pol.means.real, pol.lines, lines) - align(base.means.real,
                                                                   base.lines, lines)
            nominal = (align(pol.means.nominal, pol.lines, lines)
                       - align(base_nominal, base.lines, lines))
        assert plan.reference is not None
        assert self.moments is not None
        assert self.sketch is not None
        totals = Totals(
            perspectives=plan.perspectives, spans=plan.spans,
            reference=plan.reference, moments=self.moments.mean(n),  # mean d, mean d**2
            sketch=self.sketch, draws=n,
        )
        reduced = Reduced(
            draws=n, lines=lines, mean_real=real, mean_nominal=nominal, totals=totals,
            first_draws=_result(plan.scenario, first[0], first[1] if len(first) > 1 else None,
                                False, plan.names),
        )
        res = _result(plan.scenario, runs[0], runs[1] if len(runs) > 1 else None, False,
                      plan.names)
        return Result(
            scenario=res.scenario, window=res.window, dollar_year=res.dollar_year,
            discount_rate=res.discount_rate, policy_run=res.policy_run,
            baseline_run=res.baseline_run, deterministic=False, inputs=res.inputs,
            reduced=reduced,
        )


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

    Returns
    -------
    Result
        ``total()`` returns arrays of shape ``(draws,)``, except for a
        reduction-only result (``detail='summary'``), which keeps no draw's
        totals: read its distribution with ``summary()`` and ``quantile()``.
        ``pipeline()`` gives the means over draws.

    Notes
    -----
    Results are identical, to the last bit, for any ``block_size``, backend and
    number of workers (see the module notes). Memory: each task holds one
    block; the client holds the kept detail and, at a time, the outputs of
    a few blocks per worker.

    Examples
    --------
    >>> import enforcecost as ec
    >>> res = ec.simulate(ec.load_scenario("eo13768"), draws=256, seed=1)
    >>> res.total("federal").shape
    (256,)
    """
    draws = scenario.run.draws if draws is None else draws
    seed = scenario.run.seed if seed is None else check_seed(seed, "None or a non-negative integer")
    sampler = scenario.run.sampler if sampler is None else sampler
    if isinstance(draws, bool) or not (isinstance(draws, int | np.integer) and draws >= 1):
        raise ValueError(f"'draws' must be a whole number >= 1: {draws!r}")
    if isinstance(block_size, bool) or not (
        isinstance(block_size, int | np.integer) and block_size >= 1
    ):
        raise ValueError(f"'block_size' must be a whole number >= 1: {block_size!r}")
    plan = plan_simulation(scenario, int(draws), seed, sampler, detail=detail,
                           max_bytes=max_bytes)
    size = -(-int(block_size) // GROUP) * GROUP  # whole groups of draws
    blocks = [(start, min(start + size, plan.draws)) for start in range(0, plan.draws, size)]
    assembly = _Assembly(plan)
    with using_backend(backend, workers=workers, scheduler=scheduler) as be:
        for out in be.map_blocks(partial(run_block, plan), blocks):
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
