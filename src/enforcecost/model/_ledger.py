"""Booking: parameter arrays → the pipeline → each provision's ledger lines, and their runs.

:func:`_book` is the model proper (one side, one chunk of draws);
:func:`_book_sides` books the policy and its baseline on the same design rows;
:func:`run_values` and :func:`_result` wrap books as the
:class:`~enforcecost.results.Run` and :class:`~enforcecost.results.Result` a
caller reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ..provisions import BOOKS, Flows, Line, run_pipeline
from ..registry import Window
from ..results import Reduced, Result, Run
from ..scenario import Scenario, Setting
from ._prices import FloatArray, _price
from ._values import _parameter_arrays, _side_values, _sides

#: One side's booking of a chunk of draws: its ledger lines (booking order),
#: price levels ``(draws, years)`` (or ``(1, years)``) and pipeline flows.
Book = tuple[list[Line], FloatArray, Flows]


def _book(
    scenario: Scenario, values: Mapping[str, FloatArray], window: Window, dollar_year: int,
    settings: Mapping[str, Setting] | None = None,
) -> Book:
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
    return lines, _price(levels, values, window, dollar_year), flows


def _book_sides(
    scenario: Scenario, names: Sequence[str], u: FloatArray | None, draws: int,
) -> list[Book]:
    """The policy's and its baseline's books on the same design rows ``u``.

    Over the policy's window, in its constant dollars; the baseline reuses
    the policy's values of every input it sets alike (see
    :func:`._values._side_values`).

    Parameters
    ----------
    scenario : Scenario
        The policy, with its baseline (if any).
    names : sequence of str
        The inputs the columns of ``u`` stand for.
    u : ndarray, shape (draws, len(names)), or None
        Quantiles (NaN: central value); None: central values (``draws`` 1).
    draws : int

    Returns
    -------
    list of Book
        Policy, then baseline.
    """
    window = Window(scenario.start_year, scenario.years)
    sides = _sides(scenario)
    return [
        _book(side, values, window, scenario.dollar_year, settings)
        for side, (settings, values) in zip(sides, _side_values(sides, names, u, draws),
                                            strict=True)
    ]


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
    return _run(scenario, _book(scenario, values, window, dollar_year), window.years)


def _run(scenario: Scenario, book: Book, years: int) -> Run:
    """A side's book as a :class:`~enforcecost.results.Run`: amounts ``(lines, draws, years)``."""
    lines, price, flows = book
    amounts = np.empty((len(lines), flows.arrests.shape[0], years))
    for i, line in enumerate(lines):
        amounts[i] = line.amount
    return Run(scenario=scenario, lines=_labels(lines), amounts=amounts, price=price, flows=flows)


def _result(
    scenario: Scenario, policy: Run, baseline: Run | None, deterministic: bool,
    names: Sequence[str], reduced: Reduced | None = None,
) -> Result:
    """The :class:`~enforcecost.results.Result` of a scenario's policy and baseline runs."""
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

