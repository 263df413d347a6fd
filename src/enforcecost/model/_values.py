"""Values per draw: from a design of quantiles to the parameter arrays the provisions read.

A design gives each uncertain input a quantile per draw; :func:`_values` turns
the quantiles into values in each setting's unit and dollar year, and
:func:`_side_values` does so for the policy and its baseline on the same rows
(common random numbers: the baseline reuses the policy's values of every input
it sets alike). :func:`parameter_arrays` then expands an input scheduled by fiscal year
(its value per draw is the schedule's multiplier) to each year's value, and
converts money to real dollars of the run's dollar year (:mod:`._prices`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from ..registry import Window, registry
from ..scenario import Scenario, Setting, schedule_values
from ._prices import FloatArray, _level


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



def _sides(scenario: Scenario) -> tuple[Scenario, ...]:
    """The policy and its baseline, if any."""
    return (scenario,) if scenario.baseline is None else (scenario, scenario.baseline)


def _side_values(
    sides: Sequence[Scenario], names: Sequence[str], u: FloatArray | None, draws: int,
) -> Iterator[tuple[Mapping[str, Setting], dict[str, FloatArray]]]:
    """Each side's settings and values per draw on the same design rows ``u``.

    Parameters
    ----------
    sides : sequence of Scenario
        The policy, then its baseline (if any).
    names : sequence of str
        The inputs the columns of ``u`` stand for.
    u : ndarray, shape (draws, len(names)), or None
        Quantiles (NaN: central value); None: central values.
    draws : int

    Yields
    ------
    (settings, values)
        Per side: its settings (built from the registry once per side) and
        every input's values, shape ``(draws,)``. An input the baseline sets
        as the policy does shares the policy's array (common random numbers).

    Notes
    -----
    A generator on purpose: a caller that books each side as it comes
    (:func:`._ledger._book_sides`) allocates the baseline's arrays after the
    policy's book is done, an order glibc's default allocator serves from the
    heap; making every side's values first made the model's arrays fresh
    mappings, and the in-process pipeline 2.7 times slower in a process that
    did not call :func:`enforcecost.backends.tune_malloc` (measured).
    """
    shared: dict[str, tuple[Setting, FloatArray]] | None = None
    for side in sides:
        settings = side.settings()
        values = _values(side, names, u, draws, reuse=shared, settings=settings)
        if shared is None:
            shared = {name: (settings[name], v) for name, v in values.items()}
        yield settings, values


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
        nominal (statutory) amounts and scheduled inputs (a setting with a
        ``schedule``: each draw's multiplier times each year's value), which
        are ``(draws, years)``, year-major: their value in each fiscal year.
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
        if setting.schedule is not None:  # the multiplier times each year's value
            # (draws, years) laid out year-major, as provisions.by_year lays it out
            v = np.multiply(schedule_values(setting.schedule, window.fiscal_years)[:, None],
                            v.T).T
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
