"""The net impact totals per draw that a reduction-only run keeps the distribution of.

:func:`_totals` reads only what it is given (no :class:`~._plan.Plan`), so the
plan can take its reference totals (the central run's) before it is built.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..registry import Window, discount_factors
from ..results import Channels
from ..vocab import BASES, PAYERS_OF, PERSPECTIVES
from ._ledger import Book


def _perspectives(payers: Sequence[str]) -> tuple[str, ...]:
    """The perspectives whose totals are kept: those with ledger lines of ``payers``."""
    return tuple(p for p in PERSPECTIVES if set(PAYERS_OF[p]) & set(payers))


def _totals(
    books: Sequence[Book], n: int, window: Window, discount_rate: float,
    payers: Sequence[str], spans: Sequence[int], cross_price: bool,
) -> np.ndarray:
    """Net impact totals per draw, one row per channel of the kept distributions.

    Parameters
    ----------
    books : sequence of Book
        Policy, then baseline: lines ``(n, years)`` or ``(n, 1)`` and price
        levels ``(n, years)``, real dollars.
    n : int
        Draws.
    window : Window
    discount_rate : float
    payers : sequence of str
        Payers with ledger lines (vocabulary order).
    spans : sequence of int
        First-N-years spans of the window, ascending, the last the window.
    cross_price : bool
        Each side's nominal amounts at its own price level (see ``Plan``).

    Returns
    -------
    ndarray

        Shape ``(channels, n)``, in the layout of :class:`~enforcecost.results.Channels`:
        per perspective, basis and span the window totals, dollars.

    Notes
    -----
    Sums run in a fixed order (lines in booking order, payers in perspective
    order, years one by one), so each draw's totals do not depend on the
    other draws of its block. Computed year-major: ``(years, n)`` arrays.
    """
    years = window.years
    perspectives = _perspectives(payers)
    spans = tuple(spans)
    net = {p: np.zeros((years, n)) for p in payers}
    # with different price levels, nominal = policy at its prices - baseline at its own
    nominal = {p: np.zeros((years, n)) for p in payers} if cross_price else None
    for side, (lines, side_price, _) in enumerate(books):
        combine = np.add if side == 0 else np.subtract  # policy - baseline, in place
        for line in lines:
            if line.payer in net:
                amount = np.asarray(line.amount).T
                combine(net[line.payer], amount, out=net[line.payer])
                if nominal is not None:
                    combine(nominal[line.payer], amount * side_price.T,
                            out=nominal[line.payer])
    price = books[0][1].T
    pv = discount_factors(window, discount_rate)[:, None]
    layout = Channels(perspectives, spans)
    factors = {"nominal": price, "pv": pv}  # real to basis dollars (real: none)
    out = np.empty((layout.size, n))
    for perspective in perspectives:
        nets = [net[q] for q in PAYERS_OF[perspective] if q in net]
        real = nets[0] if len(nets) == 1 else nets[0] + nets[1]
        for basis in BASES:
            if basis == "nominal" and nominal is not None:
                sides = [nominal[q] for q in PAYERS_OF[perspective] if q in nominal]
                amounts = sides[0] if len(sides) == 1 else sides[0] + sides[1]
            else:
                amounts = real if basis == "real" else real * factors[basis]
            rows = layout.spans_of(perspective, basis)
            running = amounts[0].copy()  # year by year, in order: the first t years
            for t in range(1, spans[-1]):
                if t in spans:
                    out[rows[spans.index(t)]] = running
                running += amounts[t]
            out[rows[-1]] = running  # spans ascend: the last is the longest
    return out
