"""Dollar conversion: CPI-U price levels by year and draw.

Money lives in :mod:`enforcecost.money` (the CPI-U index, windows, discount
factors), which is moving into a ``registry/`` package; the conversion the model
makes from it stays here, beside the values it converts, so that move does not
touch the model.

A price level is that of a dollar year (``int``) or, for ``'nominal'``, of each
fiscal year of the window, per draw: the CPI-U where it has data, beyond that
its projection by each draw's ``inflation_projection``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..registry import Window, cpi_u

FloatArray = np.ndarray


def _level(
    levels: dict[int | str, FloatArray], year: int | str, values: Mapping[str, FloatArray],
    window: Window,
) -> FloatArray:
    """CPI-U level of ``year`` (``'nominal'``: of each fiscal year) per draw, cached.

    Parameters
    ----------
    levels : dict
        The cache, filled here: ``year -> level``.
    year : int or 'nominal'
    values : mapping of name -> ndarray, shape (draws,)
        Reads ``inflation_projection``.
    window : Window

    Returns
    -------
    ndarray
        Shape ``(draws, 1)`` for a dollar year, ``(draws, years)`` (year-major)
        for ``'nominal'``. A year with data has one level for every draw (the
        projection does not reach it): a scalar, equal to every draw's value.
    """
    if year not in levels:
        index = cpi_u()
        g = np.asarray(values["inflation_projection"], dtype=np.float64)[:, None]
        if year == "nominal":  # (draws, years), year-major (see the package notes)
            levels[year] = index.level(window.fiscal_years[:, None], g.T).T
        elif isinstance(year, int) and index.first_year <= year <= index.last_year:
            levels[year] = index.level(year)
        else:
            levels[year] = index.level(year, g)
    return levels[year]


def _known_prices(window: Window, dollar_year: int) -> int:
    """The leading fiscal years whose price level (nominal over ``dollar_year``
    dollars) is the same for every draw: both years have CPI-U data, which the
    inflation projection does not reach (see :func:`_level`)."""
    index = cpi_u()
    if not index.first_year <= dollar_year <= index.last_year:
        return 0
    return int(np.sum(window.fiscal_years <= index.last_year))


def _price(
    levels: dict[int | str, FloatArray], values: Mapping[str, FloatArray], window: Window,
    dollar_year: int,
) -> FloatArray:
    """Nominal dollars per real ``dollar_year`` dollar in each fiscal year, per draw.

    Shape ``(draws, years)`` (year-major), or ``(1, years)`` when no year is projected.
    """
    price: FloatArray = (_level(levels, "nominal", values, window)
                         / _level(levels, dollar_year, values, window))
    return price
