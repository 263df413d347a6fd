"""What every provision shares: ledger lines, parameter arrays and structural constants.

Structural constants are facts of the calendar or of the averaging convention, not
figures about the world; every figure about the world is a parameter in the registry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..vocab import KINDS, PAYERS, Kind, Payer

__all__ = [
    "DAYS_PER_YEAR",
    "KINDS",
    "MID_YEAR",
    "PAYERS",
    "WEEKS_PER_YEAR",
    "FloatArray",
    "Kind",
    "Line",
    "Params",
    "Payer",
    "by_year",
    "capacity",
    "compound",
    "schedule_values",
]

FloatArray = npt.NDArray[np.float64]

#: Parameter arrays by public name, each broadcastable to ``(draws, years)``:
#: shape ``(draws, 1)`` for a value constant over the window, ``(draws, years)``
#: for one that changes by year (statutory amounts fixed in nominal dollars).
Params = Mapping[str, FloatArray]


DAYS_PER_YEAR = 365
WEEKS_PER_YEAR = 52
#: Flows spread evenly over a year are, on average, half-way through it.
MID_YEAR = 0.5


@dataclass(frozen=True)
class Line:
    """One ledger line booked by a provision.

    Attributes
    ----------
    provision : str
        The provision module that books it.
    item : str
        What is paid or received, in plain words.
    payer : {'federal', 'state_local', 'economy'}
        Whose budget (``economy`` for effects outside any budget).
    kind : {'outlay', 'revenue', 'transfer', 'economy'}
        Spending, a revenue change, a transfer between governments, or an
        economic effect.
    amount : ndarray, broadcastable to (draws, years)
        Real dollars of the scenario's dollar year; positive is a cost to the
        payer (outlay, revenue lost, grant lost), negative a gain.
    """

    provision: str
    item: str
    payer: Payer
    kind: Kind
    amount: FloatArray


def capacity(stock: npt.ArrayLike, rate: npt.ArrayLike) -> FloatArray:
    """A capacity ``stock * rate`` in which any infinite factor means unlimited.

    ``0 * inf`` is NaN in IEEE arithmetic; here it is ``inf``: a capacity set to
    ``inf`` lifts the limit whatever it multiplies. A product beyond the largest
    float (money bought beds at a near-zero cost) is ``inf`` too: unlimited.

    Examples
    --------
    >>> capacity([0.0, 2.0], [np.inf, 3.0]).tolist()
    [inf, 6.0]
    """
    s = np.asarray(stock, dtype=np.float64)
    r = np.asarray(rate, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(np.where(np.isinf(s) | np.isinf(r), np.inf, s * r), dtype=np.float64)


def by_year(per_draw: npt.ArrayLike, per_year: npt.ArrayLike) -> FloatArray:
    """The product of a per-draw value and a per-year schedule, ``(draws, years)``.

    Laid out year-major in memory (each year's draws contiguous), as the
    pipeline's flows are, so that the arrays a provision computes from it keep
    that layout and the model's sums over draws read them in order.

    Parameters
    ----------
    per_draw : array_like, shape (draws, 1)
    per_year : array_like, shape (years,)

    Examples
    --------
    >>> by_year(np.array([[1.0], [2.0]]), np.arange(1.0, 4.0)).tolist()
    [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]
    """
    d = np.asarray(per_draw, dtype=np.float64)
    y = np.asarray(per_year, dtype=np.float64)
    return np.asarray(np.multiply(y[:, None], d.T).T, dtype=np.float64)


def compound(rate: npt.ArrayLike, years: int) -> FloatArray:
    """The growth factor of each year of the window at ``rate`` a year, ``(draws, years)``.

    The first year's factor is 1; year ``t``'s is the product of ``1 + rate`` over
    the years before it (``(1 + rate) ** t`` for a rate constant over the window).
    Laid out year-major, as :func:`by_year` lays it out.

    Parameters
    ----------
    rate : array_like, shape (draws, 1) or (draws, years)
        Growth per year (a fraction: 0.02 is 2% a year); a rate with years is
        read year by year.
    years : int
        Window length.

    Examples
    --------
    >>> compound(np.array([[0.1], [0.0]]), 3).round(12).tolist()
    [[1.0, 1.1, 1.21], [1.0, 1.0, 1.0]]
    >>> compound(np.array([[0.1, 0.5, 9.0]]), 3).round(12).tolist()
    [[1.0, 1.1, 1.65]]
    """
    r = np.asarray(rate, dtype=np.float64)
    growth = np.broadcast_to(1.0 + r, (r.shape[0], years))
    out = np.ones((years, r.shape[0])).T  # year-major
    np.cumprod(growth[:, :-1], axis=1, out=out[:, 1:])
    return out


def schedule_values(
    schedule: Sequence[tuple[int, float]], fiscal_years: npt.ArrayLike,
) -> FloatArray:
    """A schedule's value in each fiscal year, by the step rule.

    A year takes the value of the latest listed year at or before it (budgets
    and headcounts change at fiscal-year boundaries); a year before the first
    listed takes the first value. Scenario and registry schedules
    (:mod:`enforcecost.scenario`) are read by this one rule.

    Parameters
    ----------
    schedule : sequence of (int, float)
        ``(fiscal year, value)`` pairs, years ascending.
    fiscal_years : array_like of int

    Examples
    --------
    >>> schedule_values(((2016, 289.0), (2017, 338.0), (2019, 442.0)),
    ...                 [2015, 2017, 2018, 2019, 2020]).tolist()
    [289.0, 338.0, 338.0, 442.0, 442.0]
    """
    years = np.array([y for y, _ in schedule])
    values = np.array([v for _, v in schedule], dtype=np.float64)
    i = np.searchsorted(years, np.asarray(fiscal_years), side="right") - 1
    return np.asarray(values[np.maximum(i, 0)], dtype=np.float64)
