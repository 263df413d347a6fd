"""The summary store: what a reduction-only result keeps (a :class:`Reduced`).

Exact means of every line and year, the kept distributions of the impact's
net totals (:class:`~._totals.Totals`) and the first draws in full. Views of
totals the distributions keep (the window's, its first five years') read
them; other per-draw views read the first draws; views of every draw's
ledger or totals raise ``ValueError`` (:func:`not_kept`). Nothing is cached:
every view reads arrays of shape ``(lines, years)`` or smaller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..registry import Window, discount_factors
from ._runs import Reduced, Run
from ._select import By, Selection
from ._stats import draw_stats, sketched
from ._totals import Totals

if TYPE_CHECKING:
    from ._result import Result
    from ._store import Side

__all__ = ["SummaryStore", "not_kept"]


def not_kept(what: str, first: int) -> ValueError:
    """The error of a view of a reduction-only result that needs ``what`` (``first``:
    the draws it keeps in full)."""
    return ValueError(
        f"this Monte Carlo result did not keep {what}: simulate(..., detail='summary') keeps "
        "mean amounts and the distribution of the impact's net totals by perspective "
        "(quantile sketches of the window and first-five-year totals), no draw's totals. "
        "Use summary() or quantile() for the distribution, mean_total(), table() or "
        f"by_provision() for means, .first_draws for its first {first:,} draws in full, or "
        "rerun with detail='payers' (or finer) and fewer draws or a larger max_bytes"
    )


class SummaryStore:
    """Views of a reduction-only result.

    Parameters
    ----------
    reduced : Reduced
    window : Window
    discount_rate : float
    alone : bool
        The result has no baseline (so a side of it keeps the totals' distributions).
    """

    detail = "summary"

    def __init__(self, reduced: Reduced, window: Window, discount_rate: float,
                 alone: bool) -> None:
        self.reduced = reduced
        self.window = window
        self.discount_rate = discount_rate
        self.alone = alone

    @property
    def draws(self) -> int:
        return self.reduced.draws

    @property
    def lines(self) -> pd.DataFrame:
        return self.reduced.lines

    @property
    def first_draws(self) -> Result | None:
        return self.reduced.first_draws

    def _not_kept(self, what: str) -> ValueError:
        first = self.first_draws
        return not_kept(what, 0 if first is None else first.draws)

    def _first(self) -> Result:
        """The first draws (the views the distributions do not keep)."""
        first = self.first_draws
        if first is None:  # pragma: no cover - every reduction-only result keeps them
            raise self._not_kept("its first draws")
        return first

    def _totals(self) -> Totals:
        """The kept distributions (of an impact, not of its sides)."""
        if self.reduced.totals is None:
            raise self._not_kept("the distribution of each side (only the impact's)")
        return self.reduced.totals

    def side(self, run: Run, which: Side) -> Reduced | None:
        """A side's means (and the distributions, if this result has no baseline)."""
        red = self.reduced
        assert run.means is not None
        first = red.first_draws
        if first is not None:
            first = first.policy if which == "policy" else first.baseline
        return Reduced(
            draws=red.draws,
            lines=run.lines,
            mean_real=run.means.real,
            mean_nominal=run.means.nominal,
            totals=red.totals if self.alone else None,
            first_draws=first,
        )

    def _means(self, basis: str) -> np.ndarray:
        """Mean amounts, shape (lines, years)."""
        red = self.reduced
        if basis == "nominal":
            return red.mean_nominal
        if basis == "real":
            return red.mean_real
        return red.mean_real * discount_factors(self.window, self.discount_rate)[None, :]

    def cube(self, basis: str) -> np.ndarray:
        raise self._not_kept("every draw's ledger lines")

    def mean_cube(self, basis: str) -> np.ndarray:
        return self._means(basis).T

    def mean_by_year(self, mask: np.ndarray, basis: str) -> np.ndarray:
        return np.asarray(self._means(basis)[mask].sum(axis=0))

    def mean_total(self, sel: Selection) -> float:
        return float(self._means(sel.basis)[sel.mask][:, sel.ymask].sum())

    def total(self, sel: Selection) -> np.ndarray:
        raise self._not_kept("per-draw totals")

    def annual(self, sel: Selection) -> np.ndarray:
        if self.first_draws is None:
            raise self._not_kept("per-draw amounts by year")
        return self.first_draws._annual_array(sel.perspective, sel.basis)

    def quantile(self, sel: Selection, q: np.ndarray, by: By) -> float | np.ndarray:
        totals = self._totals()
        channel = totals.kept_channel(sel.perspective, sel.basis, sel.ymask)
        if by == "year" or channel is None:  # not sketched: the first draws
            return self._first()._quantile_array(q.tolist(), sel.perspective, sel.basis,
                                                 sel.years, by)[0]
        if channel < 0:  # no ledger lines: every total is 0
            return np.zeros(q.shape)
        return np.asarray(totals.quantile(np.asarray([channel]), q)[0])

    def buckets(self, sel: Selection) -> tuple[np.ndarray, np.ndarray]:
        totals = self._totals()
        channel = totals.kept_channel(sel.perspective, sel.basis, sel.ymask)
        if channel is None:
            return self._first().buckets(sel.perspective, sel.basis, sel.years)
        if channel < 0:  # no ledger lines: every total is 0
            return np.zeros(1), np.asarray([self.draws], dtype=np.int64)
        values, counts = totals.sketch.buckets(channel)
        return totals.reference[channel] + values, counts

    def groups(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        self._totals()  # a side keeps no distribution
        return {"all": mask}

    def distribution(self, sel: Selection, by: By) -> list[dict[str, float]]:
        totals = self._totals()
        means = self._means(sel.basis)[sel.mask][:, sel.ymask].sum(axis=0)
        channel = totals.kept_channel(sel.perspective, sel.basis, sel.ymask)
        if by == "window":
            means = means.sum(keepdims=True)
            if channel is not None:
                return [sketched(totals, channel, float(means[0]))]
        # not sketched: the first draws' distribution, the exact means
        annual = self._first()._annual_array(sel.perspective, sel.basis)
        stats = draw_stats(annual[:, sel.ymask], by)
        for row, mean in zip(stats, means, strict=True):
            row["mean"] = float(mean)
            row["mean_se"] = row["sd"] / np.sqrt(self.draws)
        return stats
