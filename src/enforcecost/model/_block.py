"""One block of draws: :func:`run_block`, the pure task every backend runs.

A block draws its rows of the design, runs the model :data:`MODEL_DRAWS` draws
at a time (:func:`_run_rows`), checks every value against the exact-sum range
(:mod:`._overflow`) and adds its exact group sums, kept detail and (for
``summary``) its totals' moments and sketch to a :class:`BlockOutput`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..provisions import Flows
from ..reduce import EXACT_LIMIT, GROUP, FixedSums, QuantileSketch, group_sums
from ..results import Totals
from ..sampling import design
from ._ledger import Book, _book_sides
from ._overflow import _block_problem, _scan, _totals_problem
from ._plan import SUMMARY, Plan
from ._prices import FloatArray, _known_prices
from ._totals import _totals

#: Draws the model evaluates at a time inside a task (bounds a task's memory).
#: Read at call time from here (tests set it).
MODEL_DRAWS = 1 << 13


@dataclass
class BlockOutput:
    """What one block of draws ``[start, stop)`` hands back (per side: policy, baseline).

    Attributes
    ----------
    start, stop : int
    flows : list of FixedSums
        Each side's pipeline flows, shape ``(fields, years)``.
    kept, price : list of ndarray
        Detail modes: each side's kept amounts ``(rows, n, years)`` and price
        levels ``(n, years)``; ``summary``: those of the block's draws below
        ``plan.first`` (possibly none).
    means : list of FixedSums
        ``summary``: each side's sums of amounts per line and year, real and
        nominal (at the side's own price level), shape ``(2, lines, years)``.
    moments : FixedSums or None
        ``summary``: exact sums over the block's draws of each channel's
        distance ``d`` from the reference and of ``d**2``, shape ``(2, channels)``.
    sketch : QuantileSketch or None
        ``summary``: the block's distances ``d``, one sketch channel per channel.
    """

    start: int
    stop: int
    flows: list[FixedSums]
    kept: list[np.ndarray]
    price: list[np.ndarray]
    means: list[FixedSums]
    moments: FixedSums | None = None
    sketch: QuantileSketch | None = None


def _planned_books(plan: Plan, u: FloatArray, n: int) -> list[Book]:
    """Each side's book on the design rows ``u``, price levels broadcast to ``(n, years)``."""
    years = plan.window.years
    books = _book_sides(plan.scenario, plan.names, u, n)
    for i, (side, (lines, _, _)) in enumerate(zip(plan.sides, books, strict=True)):
        if len(lines) != len(plan.lines[i]):  # pragma: no cover - provisions book fixed lines
            raise RuntimeError(f"{side.name!r} booked {len(lines)} lines, planned "
                               f"{len(plan.lines[i])}")
    return [(lines, np.broadcast_to(price, (n, years)), flows) for lines, price, flows in books]


def _year_major(n: int, years: int) -> np.ndarray:
    """An uninitialized ``(n, years)`` array, year-major in memory (see the module notes)."""
    return np.empty((years, n)).T


def run_block(plan: Plan, block: tuple[int, int]) -> BlockOutput:
    """Evaluate draws ``block = (start, stop)`` of a planned simulation.

    A pure function of its arguments (the block draws its own design rows),
    so any backend may run it, any number of times, anywhere. The design rows
    are drawn at once (a Sobol' design jumps to row ``start`` in time that
    hardly depends on ``start``); the model runs :data:`MODEL_DRAWS` draws at
    a time, so a task's memory does not grow with the block beyond the design
    and the kept detail.

    Parameters
    ----------
    plan : Plan
        From :func:`plan_simulation`.
    block : (int, int)
        ``0 <= start < stop <= plan.draws``; ``start`` a multiple of
        :data:`~enforcecost.reduce.GROUP`, and ``stop`` too unless it is
        ``plan.draws`` (sums over draws run over aligned groups).

    Returns
    -------
    BlockOutput
        The block's share of the result (see :func:`simulate`).
    """
    start, stop = block
    if not 0 <= start < stop <= plan.draws or start % GROUP or (
        stop % GROUP and stop != plan.draws
    ):
        raise ValueError(f"block ({start}, {stop}) of {plan.draws} draws: must start, and end "
                         f"unless at the last draw, at a multiple of {GROUP}")
    n = stop - start
    years = plan.window.years
    u = design(len(plan.names), plan.draws, sampler=plan.sampler, seed=plan.seed,
               start=start, stop=stop, correlate=plan.correlate)
    summary = plan.detail == SUMMARY
    m = max(0, min(stop, plan.first) - start) if summary else n  # draws kept in full
    sides = range(len(plan.sides))
    nf = len(fields(Flows))
    out = BlockOutput(
        start, stop,
        flows=[FixedSums.zeros((nf, years)) for _ in sides],
        kept=[np.zeros((len(plan.kept[i]), m, years)) for i in sides],
        price=[np.empty((m, years)) for _ in sides],
        means=[FixedSums.zeros((2, len(plan.lines[i]), years)) for i in sides]
        if summary else [],
    )
    if summary:
        out.moments = FixedSums.zeros((2, plan.channels))
        out.sketch = Totals.empty_sketch(plan.channels)
    chunk = max(GROUP, MODEL_DRAWS - MODEL_DRAWS % GROUP)  # whole groups
    for a in range(0, n, chunk):
        b = min(a + chunk, n)
        _run_rows(plan, out, a, b, u[a:b], m)
    return out


def _run_rows(
    plan: Plan, out: BlockOutput, a: int, b: int, u: FloatArray, m: int
) -> None:
    """Add draws ``a..b`` of a block (rows ``u`` of its design) to its output.

    ``a`` is a multiple of the group size; every sum over draws is exact
    (:mod:`enforcecost.reduce`), so adding the rows in pieces gives the block's
    output bit for bit.
    """
    with np.errstate(all="ignore"):  # out-of-range values are found below, and raised
        books = _planned_books(plan, u, b - a)
        _run_books(plan, out, a, b, m, books)


def _check(plan: Plan, side: int, book: Book, first_draw: int) -> None:
    """Raise the error naming the first out-of-range value of ``book``, if it has one."""
    lines, price, flows = book
    bad = _scan(lines, price, flows)
    if bad:
        raise _block_problem(plan, side, bad, first_draw, plan.window.fiscal_years)


def _exact(sums: np.ndarray) -> bool:
    """Every group sum finite and below :data:`~enforcecost.reduce.EXACT_LIMIT` in size."""
    return bool(np.isfinite(sums).all() and np.abs(sums).max(initial=0.0) < EXACT_LIMIT)


def _run_books(
    plan: Plan, out: BlockOutput, a: int, b: int, m: int, books: list[Book]
) -> None:
    """:func:`_run_rows` once the books are made (under ``np.errstate(all="ignore")``).

    The range check: a run keeping every draw's lines scans each value
    (:func:`._overflow._scan`); a reduction-only run checks the group sums it
    computes anyway (256 times fewer values) and scans the values only when a
    sum is non-finite or beyond the exact range, to name the first bad draw.
    Either way every sum over draws is exact, so results stay identical for
    any block size.
    """
    n = b - a
    years = plan.window.years
    if not out.means:  # every draw kept: scan the values themselves
        for i, book in enumerate(books):
            _check(plan, i, book, out.start + a)
    keep = slice(a, min(b, m))  # the draws kept in full, in block positions
    groups = -(-n // GROUP)
    scratch = _year_major(n, years)
    fixed = _known_prices(plan.window, plan.scenario.dollar_year)
    for i, (lines, price, flows) in enumerate(books):
        gf = np.empty((groups, len(fields(Flows)), years))
        for j, f in enumerate(fields(Flows)):
            gf[:, j] = group_sums(getattr(flows, f.name))
        if out.means and not _exact(gf):
            _check(plan, i, books[i], out.start + a)
        out.flows[i] += FixedSums.of(gf)
        kept = out.kept[i][:, keep]
        # group sums of every line, real and nominal: (groups, bases, lines, years)
        gm = np.zeros((groups, 2, len(lines), years)) if out.means else None
        for j, (line, row) in enumerate(zip(lines, plan.rows[i], strict=True)):
            if kept.shape[1]:
                kept[row] += np.broadcast_to(line.amount, (n, years))[: kept.shape[1]]
            if gm is not None:  # a real amount the same every year (n, 1) is summed once
                gm[:, 0, j] = group_sums(line.amount)
                # years whose price level is every draw's: nominal = real sums times it
                gm[:, 1, j, :fixed] = gm[:, 0, j, :fixed] * price[0, :fixed]
                amount = np.asarray(line.amount)
                if amount.shape[1] > 1:
                    amount = amount[:, fixed:]
                gm[:, 1, j, fixed:] = group_sums(amount, price[:, fixed:],
                                                 out=scratch[:, fixed:])
        out.price[i][keep] = price[: kept.shape[1]]
        if gm is not None:
            if not _exact(gm):
                _check(plan, i, books[i], out.start + a)
            out.means[i] += FixedSums.of(gm)
    if out.sketch is not None:
        assert plan.reference is not None
        assert out.moments is not None
        # (channels, n): each draw's distance from the reference
        dist = _totals(books, n, plan.window, plan.scenario.discount_rate, plan.payers,
                       plan.spans, plan.cross_price)
        dist -= plan.reference[:, None]
        error = _totals_problem(plan, dist, out.start + a)
        if error is not None:
            raise error
        out.sketch.add(dist)
        moments = np.empty((groups, 2, plan.channels))
        moments[:, 0] = group_sums(dist.T)
        moments[:, 1] = group_sums(dist.T, dist.T, out=dist.T)  # overwrites dist
        out.moments += FixedSums.of(moments)
