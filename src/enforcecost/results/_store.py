"""The store protocol: what a :class:`~enforcecost.results.Result`'s views read.

A result keeps its draws in one of two ways, each a store:

- :class:`~enforcecost.results._per_draw.PerDrawStore`: every draw's ledger
  (every line, or lines summed by provision or by payer), from the runs;
- :class:`~enforcecost.results._summary.SummaryStore`: reductions only (exact
  means, the totals' kept distributions, the first draws in full), from a
  :class:`~enforcecost.results.Reduced`.

``Result`` checks a view's arguments (a :class:`~._select.Selection`) and asks
its store; a view a store cannot give raises ``ValueError`` there. Stores
are built once per Result (:func:`open_store`) and hold their own caches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
import pandas as pd

from ..registry import Window
from ._per_draw import PerDrawStore
from ._runs import Reduced, Run
from ._select import By, Selection
from ._summary import SummaryStore

if TYPE_CHECKING:
    from ._result import Result

__all__ = ["Side", "Store", "open_store"]

Side = Literal["policy", "baseline"]


class Store(Protocol):
    """One result's ledger lines and amounts, however kept (amounts in dollars;
    ``basis`` one of nominal, real, pv, already checked)."""

    @property
    def detail(self) -> str:
        """``'lines'``, ``'provisions'``, ``'payers'`` or ``'summary'``."""

    @property
    def draws(self) -> int:
        """Number of draws."""

    @property
    def lines(self) -> pd.DataFrame:
        """The ledger lines of the views, in cube order (not to be modified)."""

    @property
    def first_draws(self) -> Result | None:
        """The first draws in full, for a store that keeps no other draw."""

    def side(self, run: Run, which: Side) -> Reduced | None:
        """What the Result of one side (``run``) keeps besides its run."""

    def cube(self, basis: str) -> np.ndarray:
        """Amounts, shape ``(draws, years, lines)``."""

    def mean_cube(self, basis: str) -> np.ndarray:
        """Mean amounts over draws, shape ``(years, lines)``."""

    def mean_by_year(self, mask: np.ndarray, basis: str) -> np.ndarray:
        """Mean net amount of the masked lines by year, shape ``(years,)``."""

    def mean_total(self, sel: Selection) -> float:
        """Mean over draws of the selection's net total."""

    def total(self, sel: Selection) -> np.ndarray:
        """The selection's net total per draw, shape ``(draws,)``."""

    def annual(self, sel: Selection) -> np.ndarray:
        """Net amount of the selected lines per draw and year, shape ``(draws, years)``."""

    def quantile(self, sel: Selection, q: np.ndarray, by: By) -> float | np.ndarray:
        """Quantiles ``q`` of the selection's net total (``by='window'``) or of each
        selected year's (``by='year'``), shape as :meth:`Result.quantile`."""

    def buckets(self, sel: Selection) -> tuple[np.ndarray, np.ndarray]:
        """The selection's totals binned: values (increasing) and draws at each."""

    def groups(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """The rows of a summary of a perspective's lines ``mask``: ``'all'``, and
        each provision when the store keeps their draws."""

    def distribution(self, sel: Selection, by: By) -> list[dict[str, float]]:
        """Mean, sd, percentiles and their standard errors of the selection's net
        total (``by='window'``, one row) or of each selected year (``by='year'``)."""


def open_store(
    policy: Run, baseline: Run | None, reduced: Reduced | None, window: Window,
    discount_rate: float,
) -> Store:
    """The store of a Result's fields: its reductions if any, else its runs."""
    if reduced is not None:
        return SummaryStore(reduced, window, discount_rate, alone=baseline is None)
    return PerDrawStore(policy, baseline, window, discount_rate)
