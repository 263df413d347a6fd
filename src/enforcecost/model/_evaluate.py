"""Deterministic and design evaluation in one block: :func:`evaluate`, :func:`run_design`."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ScenarioError
from ..results import Result
from ..scenario import Scenario
from ._ledger import _book_sides, _result, _run
from ._overflow import magnitude_problems
from ._prices import FloatArray
from ._values import _sides


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
    draws = 1 if u is None else u.shape[0]
    sides = _sides(scenario)
    runs = [_run(side, book, scenario.years)
            for side, book in zip(sides, _book_sides(scenario, names, u, draws), strict=True)]
    return _result(scenario, runs[0], runs[1] if len(runs) > 1 else None, u is None, names)


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
        :data:`~enforcecost.reduce.VALUE_LIMIT` (see :func:`magnitude_problems`).
    """
    problems = magnitude_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    return run_design(scenario, None, [])
