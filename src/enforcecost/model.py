"""Run the provisions over a window for a block of draws.

Data flow: settings (registry + scenario) → values per draw in each setting's
own unit and dollar year → parameter arrays in real dollars of the scenario's
dollar year → the enforcement pipeline → each provision's ledger lines → a
:class:`~enforcecost.results.Run`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any, Literal

import numpy as np
import pandas as pd

from .money import Window, cpi_u
from .parameters import registry
from .provisions import BOOKS, Flows, Line, run_pipeline
from .results import Result, Run
from .sampling import design
from .scenario import Sampler, Scenario, Setting

__all__ = [
    "ALL_ITEMS",
    "ALL_PROVISIONS",
    "DETAILS",
    "Detail",
    "evaluate",
    "parameter_arrays",
    "run_design",
    "run_values",
    "simulate",
    "uncertain_inputs",
]

FloatArray = np.ndarray
Detail = Literal["lines", "provisions", "payers"]


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
    index = cpi_u()
    g = np.asarray(values["inflation_projection"], dtype=np.float64)[:, None]
    base_level = index.level(dollar_year, g)
    out: dict[str, FloatArray] = {}
    reg = registry()
    to_real: dict[int | str, FloatArray] = {}  # dollar year -> conversion factor
    for name, setting in scenario.settings().items():
        v = np.asarray(values[name], dtype=np.float64)[:, None]
        if reg[name].is_money:
            dy = setting.dollar_year
            if dy is None:  # a Setting built without one: the registry's
                dy = reg[name].dollar_year
            assert dy is not None
            if dy not in to_real:
                years = window.fiscal_years if dy == "nominal" else dy
                to_real[dy] = base_level / index.level(years, g)
            v = v * to_real[dy]
        out[name] = v
    return out


def _book(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int
) -> tuple[list[Line], FloatArray, Flows]:
    """The ledger lines, price levels (draws, years) and pipeline flows of one block."""
    p = parameter_arrays(scenario, values, window, dollar_year)
    flows = run_pipeline(p, window.years)
    lines: list[Line] = []
    for provision in scenario.provisions:
        lines.extend(BOOKS[provision](p, flows))
    index = cpi_u()
    g = np.asarray(values["inflation_projection"], dtype=np.float64)[:, None]
    price = index.level(window.fiscal_years, g) / index.level(dollar_year, g)
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
) -> dict[str, FloatArray]:
    """Each input's values per draw; ``reuse`` holds another side's (setting, values)."""
    out = {}
    for name, setting in scenario.settings().items():
        if reuse is not None and name in reuse and reuse[name][0] == setting:
            out[name] = reuse[name][1]
            continue
        value = np.full(draws, setting.value)
        if u is not None and setting.dist is not None and name in names:
            q = u[:, names.index(name)]
            drawn = ~np.isnan(q)
            value[drawn] = setting.dist.ppf(q[drawn])
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


#: Ledger detail a Monte Carlo result keeps, finest first: every line; lines
#: summed by (provision, payer, kind); lines summed by (payer, kind).
DETAILS: tuple[Detail, ...] = ("lines", "provisions", "payers")
_GROUP_KEYS: dict[str, list[str]] = {
    "provisions": ["provision", "payer", "kind"],
    "payers": ["payer", "kind"],
}
ALL_PROVISIONS = "all provisions"
ALL_ITEMS = "all items"


def _grouping(lines: pd.DataFrame, detail: Detail) -> tuple[pd.DataFrame, list[int]]:
    """Labels of the kept detail, and the kept row each line is summed into."""
    if detail == "lines":
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


def _choose_detail(
    detail: Detail | Literal["auto"], draws: int, years: int, lines: pd.DataFrame,
    sides: int, max_bytes: int,
) -> Detail:
    if detail != "auto":
        if detail not in DETAILS:
            raise ValueError(f"'detail' must be 'auto' or one of {', '.join(DETAILS)}: {detail!r}")
        return detail
    for level in DETAILS:
        k = len(_grouping(lines, level)[0])
        if sides * draws * years * k * np.dtype(np.float64).itemsize <= max_bytes:
            return level
    return DETAILS[-1]


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
) -> Result:
    """Monte Carlo over every uncertain input, policy and baseline on the same draws.

    Parameters
    ----------
    scenario : Scenario
        The scenario (and its baseline).
    draws, seed, sampler : optional
        Default to the scenario's ``[run]`` table (``seed=0`` is a seed).
    block_size : int
        Draws computed at a time; memory for the computation grows with it.
        Results do not depend on it.
    detail : {'auto', 'lines', 'provisions', 'payers'}
        Ledger detail kept per draw: every line; lines summed by provision,
        payer and kind; or by payer and kind only. ``auto`` keeps the finest
        detail whose per-draw cube fits in ``max_bytes``.
    max_bytes : int
        Memory budget of the kept per-draw cube (policy and baseline), bytes.
    progress : callable, optional
        Called with the number of draws finished after each block.

    Returns
    -------
    Result
        ``total()`` returns arrays of shape ``(draws,)``. ``pipeline()`` gives
        the means over draws.

    Examples
    --------
    >>> import enforcecost as ec
    >>> res = ec.simulate(ec.load_scenario("eo13768"), draws=256, seed=1)
    >>> res.total("federal").shape
    (256,)
    """
    draws = scenario.run.draws if draws is None else draws
    seed = scenario.run.seed if seed is None else seed
    sampler = scenario.run.sampler if sampler is None else sampler
    if not (isinstance(draws, int | np.integer) and draws >= 1):
        raise ValueError(f"'draws' must be a whole number >= 1: {draws!r}")
    if not (isinstance(block_size, int | np.integer) and block_size >= 1):
        raise ValueError(f"'block_size' must be a whole number >= 1: {block_size!r}")
    names = uncertain_inputs(scenario)
    years = scenario.years
    window = Window(scenario.start_year, years)
    sides: list[Scenario] = [scenario]
    if scenario.baseline is not None:
        sides.append(scenario.baseline)
    kept: list[dict[str, Any]] = []
    for start in range(0, draws, block_size):
        stop = min(start + block_size, draws)
        u = design(len(names), draws, sampler=sampler, seed=seed, start=start, stop=stop)
        shared: dict[str, tuple[Setting, FloatArray]] | None = None
        for i, side in enumerate(sides):
            values = _values(side, names, u, stop - start, reuse=shared)
            if i == 0:
                settings = side.settings()
                shared = {n: (settings[n], v) for n, v in values.items()}
            lines, price, flows = _book(side, values, window, scenario.dollar_year)
            if len(kept) <= i:
                level = _choose_detail(detail, draws, years, _labels(lines), len(sides),
                                       max_bytes)
                labels, rows = _grouping(_labels(lines), level)
                kept.append({
                    "scenario": side, "labels": labels, "rows": rows,
                    "amounts": np.zeros((len(labels), draws, years)),
                    "price": np.empty((draws, years)),
                    "flows": {f.name: np.zeros((1, years)) for f in fields(Flows)},
                })
            k = kept[i]
            for line, row in zip(lines, k["rows"], strict=True):
                k["amounts"][row, start:stop] += line.amount
            k["price"][start:stop] = price
            for name, acc in k["flows"].items():
                acc += getattr(flows, name).sum(axis=0, keepdims=True) / draws
        if progress is not None:
            progress(stop - start)
    runs = [
        Run(scenario=k["scenario"], lines=k["labels"], amounts=k["amounts"],
            price=k["price"], flows=Flows(**k["flows"]))
        for k in kept
    ]
    return _result(scenario, runs[0], runs[1] if len(runs) > 1 else None, False, names)
