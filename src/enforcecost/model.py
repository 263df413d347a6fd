"""Run the provisions over a window for a block of draws.

Data flow: settings (registry + scenario) → values per draw in each setting's
own unit and dollar year → parameter arrays in real dollars of the scenario's
dollar year → the enforcement pipeline → each provision's ledger lines → a
:class:`~enforcecost.results.Run`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .money import Window, cpi_u
from .parameters import registry
from .provisions import BOOKS, Line, run_pipeline
from .results import Result, Run
from .sampling import design
from .scenario import Sampler, Scenario

__all__ = ["evaluate", "parameter_arrays", "run_values", "simulate", "uncertain_inputs"]

FloatArray = np.ndarray


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
    for name, setting in scenario.settings().items():
        v = np.asarray(values[name], dtype=np.float64)[:, None]
        if reg[name].is_money:
            if setting.dollar_year == "nominal":
                v = v * base_level / index.level(window.fiscal_years, g)
            else:
                v = v * base_level / index.level(setting.dollar_year, g)
        out[name] = v
    return out


def run_values(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int
) -> Run:
    """Evaluate one scenario on given values per draw (the model's single entry point)."""
    p = parameter_arrays(scenario, values, window, dollar_year)
    flows = run_pipeline(p, window.years)
    draws = flows.arrests.shape[0]
    lines: list[Line] = []
    for provision in scenario.provisions:
        lines.extend(BOOKS[provision](p, flows))
    shape = (draws, window.years)
    amounts = np.stack([np.broadcast_to(line.amount, shape) for line in lines], axis=-1)
    labels = pd.DataFrame(
        [(ln.provision, ln.item, ln.payer, ln.kind) for ln in lines],
        columns=["provision", "item", "payer", "kind"],
    )
    index = cpi_u()
    g = np.asarray(values["inflation_projection"], dtype=np.float64)[:, None]
    price = index.level(window.fiscal_years, g) / index.level(dollar_year, g)
    return Run(scenario=scenario, lines=labels, amounts=amounts, price=price, flows=flows)


def uncertain_inputs(scenario: Scenario) -> list[str]:
    """The uncertain inputs of a scenario and its baseline (union, registry order)."""
    names = set(scenario.uncertain())
    if scenario.baseline is not None:
        names |= set(scenario.baseline.uncertain())
    return [n for n in registry() if n in names]


def _values(
    scenario: Scenario, names: Sequence[str], u: FloatArray | None, draws: int
) -> dict[str, FloatArray]:
    out = {}
    for name, setting in scenario.settings().items():
        if u is not None and setting.dist is not None:
            out[name] = setting.dist.ppf(u[:, names.index(name)])
        else:
            out[name] = np.full(draws, setting.value)
    return out


def _result(scenario: Scenario, u: FloatArray | None, names: Sequence[str], draws: int) -> Result:
    window = Window(scenario.start_year, scenario.years)
    policy = run_values(scenario, _values(scenario, names, u, draws), window, scenario.dollar_year)
    baseline = None
    if scenario.baseline is not None:
        base = scenario.baseline
        baseline = run_values(base, _values(base, names, u, draws), window, scenario.dollar_year)
    return Result(
        scenario=scenario,
        window=window,
        dollar_year=scenario.dollar_year,
        discount_rate=scenario.discount_rate,
        policy_run=policy,
        baseline_run=baseline,
        deterministic=u is None,
        inputs=tuple(names),
    )


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
    return _result(scenario, None, [], 1)


def simulate(
    scenario: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
) -> Result:
    """Monte Carlo over every uncertain input, policy and baseline on the same draws.

    Parameters
    ----------
    scenario : Scenario
        The scenario (and its baseline).
    draws, seed, sampler : optional
        Default to the scenario's ``[run]`` table.

    Returns
    -------
    Result
        ``total()`` returns arrays of shape ``(draws,)``.
    """
    draws = scenario.run.draws if draws is None else draws
    seed = scenario.run.seed if seed is None else seed
    sampler = scenario.run.sampler if sampler is None else sampler
    if draws < 1:
        raise ValueError(f"'draws' must be >= 1: {draws}")
    names = uncertain_inputs(scenario)
    u = design(len(names), draws, sampler=sampler, seed=seed)
    return _result(scenario, u, names, draws)
