"""What a simulation hands to a :class:`~enforcecost.results.Result`: each side's
run, and what a reduction-only result keeps instead of every draw's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..provisions import Flows
from ._lines import align, union_lines
from ._totals import Totals

if TYPE_CHECKING:
    from ..scenario import Scenario
    from ._result import Result

__all__ = ["Means", "Reduced", "Run"]


@dataclass(frozen=True)
class Run:
    """One scenario evaluated on a block of draws.

    Attributes
    ----------
    scenario : Scenario
    lines : DataFrame
        One row per ledger line: provision, item, payer, kind.
    amounts : ndarray, shape (lines, draws, years)
        Real dollars of the run's dollar year; positive = cost to the payer
        (line-major, so each line's block is contiguous).
    price : ndarray, shape (draws, years)
        Price level of each fiscal year relative to the dollar year (nominal = real × price).
    flows : Flows
        The enforcement pipeline's stocks and flows (of a Monte Carlo result:
        their means over draws, shape ``(1, years)``).
    means : Means or None
        Set by a reduction-only run (``detail='summary'``), which keeps no
        draw's amounts: ``amounts`` then has shape ``(lines, 0, years)`` and
        ``price`` ``(0, years)``.
    """

    scenario: Scenario
    lines: pd.DataFrame
    amounts: np.ndarray
    price: np.ndarray
    flows: Flows
    means: Means | None = None


@dataclass(frozen=True)
class Means:
    """Mean amounts over draws of one side's ledger lines.

    Attributes
    ----------
    real : ndarray, shape (lines, years)
        Real dollars of the run's dollar year.
    nominal : ndarray, shape (lines, years)
        Then-year dollars (each draw's real amounts times its own price level).
    draws : int
        Draws averaged.
    """

    real: np.ndarray
    nominal: np.ndarray
    draws: int


@dataclass(frozen=True)
class Reduced:
    """What a reduction-only Monte Carlo result keeps instead of every draw's ledger.

    Made by ``simulate(..., detail='summary')``. Its size does not grow with
    the draws: exact means of every line and year (:meth:`Result.table`,
    :meth:`Result.by_provision`, :meth:`Result.mean_total`), the distribution
    of the impact's net totals by perspective (:class:`Totals`: means,
    standard deviations and quantile sketches, for :meth:`Result.summary`
    and :meth:`Result.quantile`) and the first draws in full. It keeps no
    draw's totals: :meth:`Result.total` raises ``ValueError``.

    Attributes
    ----------
    draws : int
    lines : DataFrame
        Ledger lines (provision, item, payer, kind) of the means, in cube order.
    mean_real, mean_nominal : ndarray, shape (lines, years)
        Exact means over all draws (fixed-point sums of group sums, see
        :mod:`enforcecost.reduce`), real and then-year dollars.
    totals : Totals or None
        The distribution of the net totals; None for one side of an impact
        (kept for the impact only).
    first_draws : Result or None
        The first draws in full, at payer detail (for per-draw views such as
        :meth:`Result.annual`).
    """

    draws: int
    lines: pd.DataFrame
    mean_real: np.ndarray
    mean_nominal: np.ndarray
    totals: Totals | None
    first_draws: Result | None

    @classmethod
    def of_runs(
        cls, policy: Run, baseline: Run | None, totals: Totals | None, first_draws: Result | None
    ) -> Reduced:
        """The reductions of the impact of reduction-only runs (the policy's alone
        without a baseline): their means, policy − baseline on the union of their lines
        (nominal: each side at its own price level)."""
        if policy.means is None or (baseline is not None and baseline.means is None):
            raise ValueError("a reduction-only result is made of runs with means")
        lines, real, nominal = policy.lines, policy.means.real, policy.means.nominal
        if baseline is not None and baseline.means is not None:
            lines = union_lines(policy.lines, baseline.lines)
            real = (align(policy.means.real, policy.lines, lines)
                    - align(baseline.means.real, baseline.lines, lines))
            nominal = (align(policy.means.nominal, policy.lines, lines)
                       - align(baseline.means.nominal, baseline.lines, lines))
        return cls(draws=policy.means.draws, lines=lines, mean_real=real, mean_nominal=nominal,
                   totals=totals, first_draws=first_draws)
