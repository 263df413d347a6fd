"""Dollar years, the CPI-U price index, the fiscal-year window and discounting.

Conventions
-----------
* The model computes every ledger line in **real** dollars of the scenario's
  ``dollar_year`` (constant dollars).
* ``nominal`` (the CBO convention) converts each fiscal year's real amount to
  then-year dollars with the price index: ``nominal = real * P[fy] / P[dollar_year]``.
* ``pv`` discounts real amounts to the first fiscal year of the window at the
  real ``discount_rate``: ``pv = real / (1 + r) ** (fy - start_year)``.
* The price index is the CPI-U annual average (BLS series CUUR0000SA0), indexed
  by calendar year; a fiscal year uses the index of the calendar year of the
  same number. Years past the data grow at ``inflation_projection`` a year.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

__all__ = [
    "PriceIndex",
    "Window",
    "cpi_u",
    "discount_factors",
]


FloatArray = npt.NDArray[np.float64]

CPI_SOURCE = (
    "U.S. Bureau of Labor Statistics, Consumer Price Index for All Urban Consumers "
    "(CPI-U), U.S. city average, all items, annual average, series CUUR0000SA0 "
    "(1982-84=100)."
)


@dataclass(frozen=True)
class Window:
    """A budget window of consecutive federal fiscal years.

    Parameters
    ----------
    start_year : int
        First fiscal year of the window (FY ``start_year`` runs from October of
        the previous calendar year to September).
    years : int
        Number of fiscal years, >= 1.
    """

    start_year: int
    years: int

    def __post_init__(self) -> None:
        if self.years < 1:
            raise ValueError(f"'years' must be >= 1: {self.years}")

    @property
    def fiscal_years(self) -> npt.NDArray[np.int64]:
        """The fiscal years of the window, shape ``(years,)``."""
        return np.arange(self.start_year, self.start_year + self.years, dtype=np.int64)

    @property
    def end_year(self) -> int:
        """Last fiscal year of the window."""
        return self.start_year + self.years - 1


@dataclass(frozen=True)
class PriceIndex:
    """An annual price index with a constant-rate projection past its data.

    Parameters
    ----------
    years : ndarray of int, shape (k,)
        Consecutive calendar years covered by the data.
    levels : ndarray of float, shape (k,)
        Index level of each year.
    source : str
        Where the data come from.
    """

    years: npt.NDArray[np.int64]
    levels: FloatArray
    source: str = ""

    def __post_init__(self) -> None:
        years = np.asarray(self.years)
        if years.ndim != 1 or years.size == 0 or np.any(np.diff(years) != 1):
            raise ValueError("'years' must be consecutive calendar years")
        levels = np.asarray(self.levels, dtype=np.float64)
        if levels.shape != years.shape or not np.all(np.isfinite(levels) & (levels > 0)):
            raise ValueError("'levels' must be positive and finite, one per year")

    @property
    def first_year(self) -> int:
        """First year with data."""
        return int(self.years[0])

    @property
    def last_year(self) -> int:
        """Last year with data; later years are projected."""
        return int(self.years[-1])

    def level(
        self, year: npt.ArrayLike, inflation_projection: npt.ArrayLike = 0.0
    ) -> FloatArray:
        """Index level of ``year``, projected past the data.

        Parameters
        ----------
        year : array_like of int
            Calendar years, >= ``first_year``.
        inflation_projection : array_like of float
            Annual inflation (per yr) for years past ``last_year``; broadcasts
            against ``year`` (e.g. shape ``(draws, 1)`` against ``(years,)``).

        Returns
        -------
        ndarray
            The broadcast of ``year`` and ``inflation_projection``.
        """
        raw = np.asarray(year)
        if raw.dtype.kind not in "iu" and not np.all(np.isfinite(raw) & (raw == np.floor(raw))):
            raise ValueError(f"'year' must be whole calendar years: {year!r}")
        y = raw.astype(np.int64)
        if np.any(y < self.first_year):
            raise ValueError(
                f"price index starts in {self.first_year}: no level for {int(y.min())}"
            )
        g = np.asarray(inflation_projection, dtype=np.float64)
        idx = np.clip(y - self.first_year, 0, len(self.years) - 1)
        base = np.asarray(self.levels, dtype=np.float64)[idx]
        ahead = np.maximum(y - self.last_year, 0)
        return np.asarray(base * (1.0 + g) ** ahead, dtype=np.float64)

    def factor(
        self,
        from_year: npt.ArrayLike,
        to_year: npt.ArrayLike,
        inflation_projection: npt.ArrayLike = 0.0,
    ) -> FloatArray:
        """Multiplier converting dollars of ``from_year`` into dollars of ``to_year``."""
        return self.level(to_year, inflation_projection) / self.level(
            from_year, inflation_projection
        )


@cache
def cpi_u() -> PriceIndex:
    """The CPI-U annual averages shipped with the package (``data/cpi_u_annual.csv``)."""
    text = resources.files("enforcecost").joinpath("data/cpi_u_annual.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    return PriceIndex(
        years=np.array([int(r["year"]) for r in rows], dtype=np.int64),
        levels=np.array([float(r["cpi_u"]) for r in rows], dtype=np.float64),
        source=CPI_SOURCE,
    )


def discount_factors(window: Window, discount_rate: float) -> FloatArray:
    """Present-value factors ``(1 + r) ** -(fy - start_year)``, shape ``(years,)``.

    Parameters
    ----------
    window : Window
        The budget window; its first year is undiscounted.
    discount_rate : float
        Real annual discount rate (per yr), > -1.
    """
    if not discount_rate > -1.0:
        raise ValueError(f"'discount_rate' must be > -1: {discount_rate}")
    t = np.arange(window.years, dtype=np.float64)
    return np.asarray((1.0 + discount_rate) ** -t, dtype=np.float64)
