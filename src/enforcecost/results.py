"""Results: the (draw × fiscal year × ledger line) cube and its views.

A :class:`Result` holds the policy run and, when the scenario has a baseline,
the baseline run on the same draws. Its views (``ledger``, ``total``,
``table``, ``summary``) show the **impact** (policy − baseline) when there is a
baseline, and the scenario itself otherwise; ``.policy`` and ``.baseline`` give
each side as a Result of its own.

A Monte Carlo result keeps either every draw's ledger at some detail (every
line, or lines summed by provision or by payer) or, for studies too large for
that (``simulate(..., detail='summary')``), only reductions whose size does
not grow with the draws: exact mean amounts per line and fiscal year, the
distribution of the net totals by perspective and basis (for the window and its
first five years: exact means and standard deviations,
quantile sketches for the percentiles) and the first draws in full
(:attr:`Result.first_draws`, which the views by fiscal year read). See
:class:`Reduced` and :class:`Totals`.
"""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ._sketch import QuantileSketch, width_for
from .money import BASES, Basis, Window, discount_factors
from .parameters import PROVISIONS
from .provisions import Flows
from .vocab import PAYERS_OF, PERSPECTIVES, Perspective

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = [
    "ALL_ITEMS",
    "ALL_PROVISIONS",
    "PERSPECTIVES",
    "Means",
    "Perspective",
    "PrecisionWarning",
    "Reduced",
    "Result",
    "Run",
    "Totals",
    "nonmonetized",
]

PERCENTILES = (5, 10, 50, 90, 95)
_KEYS = ["provision", "item", "payer", "kind"]
#: Labels of lines summed over provisions or items in a Monte Carlo result's kept detail.
ALL_PROVISIONS = "all provisions"
ALL_ITEMS = "all items"
#: Relative accuracy of the quantile sketches of a reduction-only result (see
#: :class:`Totals`). Each sketched value is a draw's distance from the central run,
#: so the error is a share of the spread, not of the level. At the 5th percentile of
#: a normal-like total that distance is about 1.6 sd, and the Monte Carlo standard
#: error of the percentile about 2.1 sd / sqrt(n): 6.7e-4 sd at 10 million draws.
#: A bucket's representative is within alpha = 5e-4 of its values (8e-4 sd there:
#: DDSketch's guarantee alone would not be well under that standard error), so the
#: views read each order statistic within its bucket (a bound of 2 alpha) as if the
#: bucket's draws were spread evenly: with many draws per bucket the error is then
#: about sqrt(P) / (2 sqrt(p (1 - p))) times the standard error, P the bucket's share
#: of the draws (1.7e-4 at p5): 3%, at any number of draws (measured on eo13768 at
#: 200,000 draws: at most 7% of the standard error over perspectives and p5..p95).
#: Size: 13,865 buckets per sign and channel (down to SKETCH_FLOOR of the largest
#: distance), 5 MiB for eo13768's 24 channels whatever the draws; alpha = 1e-4
#: would take five times as much and five times as long to merge.
SKETCH_ALPHA = 5e-4
#: Distances below this share of a channel's largest one count as zero: an absolute
#: error under 1e-6 of the largest distance (about 1e-5 sd), far below any standard error.
SKETCH_FLOOR = 2.0**-20
#: Distances below this (dollars; the resolution of the exact means) count as zero.
SKETCH_MIN = 2.0**-10


class PrecisionWarning(UserWarning):
    """Too few Monte Carlo draws for the precision a summary shows."""


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
class Totals:
    r"""The distribution of a reduction-only result's net totals, by perspective.

    One *channel* per perspective, basis and span (window totals: the whole
    window and its first five years, bases nominal, real and pv; 24 channels
    with four perspectives and ten years). Each channel keeps, over all draws,
    the exact mean and mean square of the draws' distances from the total of
    the run at central values, and a quantile sketch of those distances
    (:class:`~enforcecost._sketch.QuantileSketch`, relative accuracy
    :data:`SKETCH_ALPHA`). Its size does not depend on the number of draws,
    and it is the same, bit for bit, whatever the blocks the draws ran in.

    Attributes
    ----------
    perspectives : tuple of str
        Perspectives with ledger lines, in :data:`PERSPECTIVES` order.
    spans : tuple of int
        Window totals over the first N fiscal years, e.g. ``(5, 10)``.
    reference : ndarray, shape (channels,)
        Central-value totals (dollars).
    moments : ndarray, shape (2, channels)
        Mean distance from the reference and mean squared distance over
        all draws (dollars, dollars squared), from exact fixed-point sums.
    sketch : QuantileSketch
        The distances, ``channels`` channels.
    draws : int

    Notes
    -----
    Quantiles are ``reference + Q``, with ``Q`` the sketch's quantile of the
    distances: :func:`numpy.quantile`'s (linear) definition with each order
    statistic read within its bucket, so within :math:`2 \alpha / (1 -
    \alpha)` (0.1%) of the distance from the central value of the draws of
    rank :math:`\lfloor q (n - 1) \rfloor` and the next (a share of the
    spread, not of the level), and in practice far closer (see
    :data:`SKETCH_ALPHA`); distances below :data:`SKETCH_FLOOR` of the
    channel's largest count as 0. The standard deviation is
    :math:`\sqrt{(\overline{d^2} - \bar d^2)\, n / (n - 1)}`.
    """

    perspectives: tuple[str, ...]
    spans: tuple[int, ...]
    reference: np.ndarray
    moments: np.ndarray
    sketch: QuantileSketch
    draws: int

    @staticmethod
    def size(perspectives: int, spans: int) -> int:
        """Number of channels."""
        return perspectives * len(BASES) * spans

    @staticmethod
    def empty_sketch(channels: int) -> QuantileSketch:
        """An empty sketch of ``channels`` channels with the accuracy of every result."""
        return QuantileSketch.empty(channels, SKETCH_ALPHA, SKETCH_MIN,
                                    width_for(SKETCH_ALPHA, SKETCH_FLOOR))

    @property
    def nbytes(self) -> int:
        """Memory held by the distributions (bytes): fixed, whatever the draws."""
        return int(self.sketch.nbytes + self.reference.nbytes + self.moments.nbytes)

    def window(self, perspective: str, basis: str, span: int) -> int:
        """Channel of a perspective's total over the first ``span`` years."""
        p, b, s = self.perspectives.index(perspective), BASES.index(basis), \
            self.spans.index(span)
        return (p * len(BASES) + b) * len(self.spans) + s

    def sd(self, channels: np.ndarray) -> np.ndarray:
        """Sample standard deviation (``ddof=1``) of the channels' totals (0 for one draw)."""
        n = self.draws
        if n <= 1:
            return np.zeros(np.shape(channels))
        m1, m2 = self.moments[0][channels], self.moments[1][channels]
        return np.asarray(np.sqrt(np.maximum(m2 - m1 * m1, 0.0) * (n / (n - 1))))

    def quantile(self, channels: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Quantiles of the channels' totals, shape ``(*channels.shape, *q.shape)``."""
        dist = self.sketch.quantile(q)[channels]
        ref = self.reference[channels].reshape(np.shape(channels) + (1,) * np.ndim(q))
        return np.asarray(ref + dist)


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
        :mod:`enforcecost._sums`), real and then-year dollars.
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


@cache
def _register() -> pd.DataFrame:
    text = resources.files("enforcecost").joinpath("data/nonmonetized.toml").read_text("utf-8")
    return pd.DataFrame(tomllib.loads(text)["effect"]).set_index("id")


def nonmonetized() -> pd.DataFrame:
    """The register of effects the model does not put a dollar figure on.

    Returns
    -------
    DataFrame
        Indexed by id: provision, title, description, direction, source.
    """
    return _register().copy()


@dataclass(frozen=True)
class Result:
    """A scenario's evaluated ledger (and its baseline's), with tables and totals.

    Attributes
    ----------
    scenario : Scenario
    window : Window
    dollar_year : int
        Constant-dollar base of ``real`` and ``pv``.
    discount_rate : float
        Real rate for ``pv``.
    policy_run, baseline_run : Run, Run or None
    deterministic : bool
        True for :func:`~enforcecost.evaluate` (one run at central values).
    inputs : tuple of str
        The uncertain inputs that were sampled.
    reduced : Reduced or None
        For a reduction-only Monte Carlo result (``simulate(...,
        detail='summary')``): what it kept instead of every draw's ledger.
        Views that need every draw's lines or totals (:meth:`ledger`,
        :meth:`cube`, :meth:`total`) then raise ``ValueError``;
        :meth:`summary` and :meth:`quantile` read the kept distributions,
        :meth:`annual` reads :attr:`first_draws`.
    """

    scenario: Scenario
    window: Window
    dollar_year: int
    discount_rate: float
    policy_run: Run
    baseline_run: Run | None = None
    deterministic: bool = True
    inputs: tuple[str, ...] = ()
    _cube: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    reduced: Reduced | None = None

    # -- sides -------------------------------------------------------------
    @property
    def has_baseline(self) -> bool:
        """Whether the views show an impact against a baseline."""
        return self.baseline_run is not None

    @property
    def policy(self) -> Result:
        """The scenario's own ledger (no baseline subtracted)."""
        return replace(self, baseline_run=None, _cube={},
                       reduced=self._side_reduced(self.policy_run, "policy"))

    @property
    def baseline(self) -> Result | None:
        """The baseline's ledger over this scenario's window, or None."""
        if self.baseline_run is None:
            return None
        assert self.scenario.baseline is not None
        return replace(
            self,
            scenario=self.scenario.baseline,
            policy_run=self.baseline_run,
            baseline_run=None,
            _cube={},
            reduced=self._side_reduced(self.baseline_run, "baseline"),
        )

    def _side_reduced(self, run: Run, side: str) -> Reduced | None:
        """One side's reductions (its means; per-draw totals only if it is the impact)."""
        red = self.reduced
        if red is None:
            return None
        assert run.means is not None
        first = red.first_draws
        if first is not None:
            first = first.policy if side == "policy" else first.baseline
        return Reduced(
            draws=red.draws,
            lines=run.lines,
            mean_real=run.means.real,
            mean_nominal=run.means.nominal,
            totals=red.totals if self.baseline_run is None else None,
            first_draws=first,
        )

    @property
    def impact(self) -> Result:
        """This result (its views already show policy − baseline when there is one)."""
        return self

    @property
    def draws(self) -> int:
        """Number of draws (1 for a deterministic run)."""
        if self.reduced is not None:
            return self.reduced.draws
        return int(self.policy_run.amounts.shape[1])

    @property
    def detail(self) -> str:
        """What this result kept of each draw: ``'lines'`` (every ledger line; also
        a deterministic run), ``'provisions'``, ``'payers'`` or ``'summary'``
        (means and distributions only, see :class:`Reduced`)."""
        if self.reduced is not None:
            return "summary"
        provisions = self.policy_run.lines["provision"]
        if len(provisions) and (provisions == ALL_PROVISIONS).all():
            return "payers"
        if len(provisions) and (self.policy_run.lines["item"] == ALL_ITEMS).all():
            return "provisions"
        return "lines"

    @property
    def first_draws(self) -> Result | None:
        """For a reduction-only result, its first draws in full (payer detail): a
        regular Result on draws ``0 .. n-1`` of the same design; None otherwise."""
        return None if self.reduced is None else self.reduced.first_draws

    @property
    def fiscal_years(self) -> np.ndarray:
        """The window's fiscal years."""
        return self.window.fiscal_years

    # -- the cube ----------------------------------------------------------
    def _lines(self) -> pd.DataFrame:
        """The ledger lines of the views, in cube order."""
        if self.reduced is not None:
            return self.reduced.lines
        if "lines" not in self._cube:
            if self.baseline_run is None:
                self._cube["lines"] = self.policy_run.lines
            else:
                self._cube["lines"] = union_lines(self.policy_run.lines, self.baseline_run.lines)
        return self._cube["lines"]  # type: ignore[return-value]

    def _lines_and_real(self) -> tuple[pd.DataFrame, np.ndarray]:
        """Lines and real amounts, shape ``(lines, draws, years)`` (line-major inside)."""
        if self.reduced is not None:
            raise self._not_kept("every draw's ledger lines")
        if "real" not in self._cube:
            lines = self._lines()
            pol = self.policy_run
            if self.baseline_run is None:
                cube = pol.amounts
            else:  # policy - baseline, row by row in place: one array the size of the cube
                base = self.baseline_run
                cube = _aligned(pol, lines)
                for row, amounts in zip(_positions(base.lines, lines), base.amounts,
                                        strict=True):
                    cube[row] -= amounts
            self._cube["real"] = cube
        return self._lines(), self._cube["real"]  # type: ignore[return-value]

    def _not_kept(self, what: str) -> ValueError:
        n = 0 if self.first_draws is None else self.first_draws.draws
        return ValueError(
            f"this Monte Carlo result did not keep {what}: simulate(..., detail='summary') keeps "
            "mean amounts and the distribution of the impact's net totals by perspective "
            "(quantile sketches of the window and first-five-year totals), no draw's totals. "
            "Use summary() or quantile() for the distribution, mean_total(), table() or "
            f"by_provision() for means, .first_draws for its first {n:,} draws in full, or "
            "rerun with detail='payers' (or finer) and fewer draws or a larger max_bytes"
        )

    @property
    def lines(self) -> pd.DataFrame:
        """The ledger lines (provision, item, payer, kind), in cube order."""
        return self._lines().copy()

    def _factor(self, basis: str) -> np.ndarray:
        """Multiplier from real to ``basis`` dollars, broadcastable to (draws, years)."""
        _check_basis(basis)
        if basis == "real":
            return np.ones((1, self.window.years))
        if basis == "nominal":
            return self.policy_run.price
        return discount_factors(self.window, self.discount_rate)[None, :]

    def cube(self, basis: Basis = "nominal") -> np.ndarray:
        """Amounts, shape ``(draws, years, lines)``, in ``basis`` dollars.

        Parameters
        ----------
        basis : {'nominal', 'real', 'pv'}
            ``nominal``: then-year dollars (CBO convention); ``real``: constant
            ``dollar_year`` dollars; ``pv``: real, discounted to the first year.
        """
        _check_basis(basis)
        lines, real = self._lines_and_real()
        if basis == "nominal" and self._cross_price:
            return np.moveaxis(self._sides_nominal(lines, np.ones(len(lines), bool)), 0, -1)
        factor = self._factor(basis)
        return np.moveaxis(real * factor[None], 0, -1)

    @property
    def _cross_price(self) -> bool:
        """Policy and baseline project different price levels (``inflation_projection``):
        the nominal impact is then each side's nominal amounts, each at its own prices."""
        base = self.baseline_run
        return base is not None and not np.array_equal(self.policy_run.price, base.price)

    def _sides_nominal(self, lines: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
        """Nominal impact of the masked lines, ``(lines, draws, years)``: policy amounts at
        the policy's price level minus baseline amounts at the baseline's."""
        base = self.baseline_run
        assert base is not None
        pol = self.policy_run
        out = np.zeros((len(lines), *pol.price.shape))
        for run, combine in ((pol, np.add), (base, np.subtract)):
            for row, amounts in zip(_positions(run.lines, lines), run.amounts, strict=True):
                if mask[row]:
                    combine(out[row], amounts * run.price, out=out[row])
        return out

    def mean_cube(self, basis: Basis = "nominal") -> np.ndarray:
        """Mean amounts over draws, shape ``(years, lines)``, in ``basis`` dollars.

        ``cube(basis).mean(axis=0)``, also for a reduction-only result (whose
        exact means were kept).
        """
        _check_basis(basis)
        if self.reduced is None:
            return np.asarray(self.cube(basis).mean(axis=0))
        return self._mean_lines(basis).T

    def _mean_lines(self, basis: str) -> np.ndarray:
        """Mean amounts of a reduction-only result, shape (lines, years)."""
        red = self.reduced
        assert red is not None
        if basis == "nominal":
            return red.mean_nominal
        if basis == "real":
            return red.mean_real
        return red.mean_real * discount_factors(self.window, self.discount_rate)[None, :]

    def _net(self, mask: np.ndarray, basis: str) -> np.ndarray:
        """Net amount of the masked lines per draw and year, shape (draws, years)."""
        lines, real = self._lines_and_real()
        if basis == "nominal" and self._cross_price:
            return np.asarray(self._sides_nominal(lines, mask).sum(axis=0))
        factor = self._factor(basis)
        net = np.zeros(real.shape[1:])
        for i in np.flatnonzero(mask):  # line by line, as a sum over lines: no copy of them
            net += real[i]
        return np.asarray(net * factor)

    def _mask(self, perspective: str) -> np.ndarray:
        if perspective not in PAYERS_OF:
            raise ValueError(
                f"'perspective' must be one of {', '.join(PERSPECTIVES)}: {perspective!r}"
            )
        return self._lines()["payer"].isin(PAYERS_OF[perspective]).to_numpy()

    def _year_mask(self, years: int | Sequence[int] | None) -> np.ndarray:
        fy = self.fiscal_years
        if years is None:
            return np.ones(fy.size, dtype=bool)
        if isinstance(years, int | np.integer):
            if not 1 <= years <= fy.size:
                raise ValueError(f"'years' must be from 1 to {fy.size} (first N years): {years}")
            return np.arange(fy.size) < years
        wanted = np.asarray(list(years))
        missing = sorted(set(wanted.tolist()) - set(fy.tolist()))
        if missing:
            raise ValueError(
                f"'years' must be fiscal years of the window {fy[0]}-{fy[-1]}: {missing}"
            )
        return np.isin(fy, wanted)

    # -- views -------------------------------------------------------------
    def ledger(self, basis: Basis = "nominal") -> pd.DataFrame:
        """Tidy ledger: ``[draw,] fiscal_year, provision, item, payer, kind, amount``.

        ``amount`` is in ``basis`` dollars, positive for a cost to the payer.
        The ``draw`` column is present for Monte Carlo results, whose lines are
        the detail :func:`~enforcecost.simulate` kept (every line, or lines
        summed by provision or by payer, with item ``'all items'``). A
        reduction-only result (``detail='summary'``) has no per-draw ledger:
        ``ValueError`` (see ``tables.mean_ledger`` for the mean ledger).
        """
        _check_basis(basis)
        lines = self._lines_and_real()[0]
        cube = self.cube(basis)
        d, y, n = cube.shape
        frame = pd.DataFrame(
            {
                "draw": np.repeat(np.arange(d), y * n),
                "fiscal_year": np.tile(np.repeat(self.fiscal_years, n), d),
                **{k: np.tile(lines[k].to_numpy(), d * y) for k in _KEYS},
                "amount": cube.reshape(-1),
            }
        )
        return frame.drop(columns="draw") if self.deterministic else frame

    def _provision_mask(self, provision: str) -> np.ndarray:
        if provision not in PROVISIONS:
            raise ValueError(
                f"'provision' must be one of {', '.join(PROVISIONS)}: {provision!r}"
            )
        kept = self._lines()["provision"]
        if not kept.isin(PROVISIONS).any() and len(kept):
            raise ValueError(
                "this Monte Carlo result kept totals by payer only; rerun simulate(..., "
                "detail='provisions') or with a larger max_bytes for provision detail"
            )
        return (kept == provision).to_numpy()

    def total(
        self,
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
        provision: str | None = None,
    ) -> float | np.ndarray:
        """Net fiscal cost over the window (outlays + revenue lost − revenue gained).

        Parameters
        ----------
        perspective : {'federal', 'state_local', 'government', 'economy'}
            Whose budget; ``government`` is federal and state/local together
            (transfers between them cancel).
        basis : {'nominal', 'real', 'pv'}
        years : int, sequence of int, or None
            None: the whole window; an int N: the first N fiscal years (a
            5-year total is ``years=5``); a sequence: those fiscal years.
        provision : str, optional
            Only that provision's lines.

        Returns
        -------
        float or ndarray
            A float for a deterministic run, an array of shape ``(draws,)``
            for a Monte Carlo result, except a reduction-only one (below).

        Raises
        ------
        ValueError
            For a reduction-only result (``simulate(..., detail='summary')``,
            what ``detail='auto'`` picks when per-draw detail does not fit
            ``max_bytes``): it keeps no draw's totals, only their distribution.
            Use :meth:`summary` or :meth:`quantile` (percentiles, standard
            deviation), :meth:`mean_total` (the mean), :attr:`first_draws`
            (per-draw totals of its first draws), or rerun with a larger
            ``max_bytes`` or ``detail='payers'`` (or finer).
        """
        mask = self._mask(perspective)
        if provision is not None:
            mask = mask & self._provision_mask(provision)
        ymask = self._year_mask(years)
        _check_basis(basis)
        if self.reduced is not None:
            raise self._not_kept("per-draw totals")
        per_draw = self._net(mask, basis)[:, ymask].sum(axis=1)
        return float(per_draw[0]) if self.deterministic else per_draw

    def quantile(
        self,
        q: float | Sequence[float],
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
        *,
        by: Literal["window", "year"] = "window",
    ) -> float | np.ndarray:
        """Quantiles over draws of the net cost, for any result (also a reduction-only one).

        Parameters
        ----------
        q : float or sequence of float
            Probabilities in [0, 1] (0.05 for the 5th percentile).
        perspective, basis, years
            As in :meth:`total`.
        by : {'window', 'year'}
            ``window``: of the total over ``years``; ``year``: of each fiscal
            year's net cost (of ``years``; default every year of the window).

        Returns
        -------
        float or ndarray
            ``by='window'``: a float for a single ``q``, else shape
            ``(len(q),)``; ``by='year'``: shape ``(years,)`` or
            ``(len(q), years)``, dollars. A deterministic result returns its
            total whatever ``q``.

        Notes
        -----
        A result with per-draw detail uses :func:`numpy.quantile` (linear
        interpolation between order statistics). A reduction-only result
        (``detail='summary'``) reads its quantile sketches for the totals of
        the whole window and of its first five years (see :class:`Totals` for
        their accuracy), and its :attr:`first_draws` for any other ``years``
        and for ``by='year'``.
        """
        if by not in ("window", "year"):
            raise ValueError(f"'by' must be one of window, year: {by!r}")
        qa = np.asarray(q, dtype=np.float64)
        if qa.ndim > 1 or not np.all((qa >= 0.0) & (qa <= 1.0)):
            raise ValueError(f"'q' must be a probability or a sequence of them in [0, 1]: {q!r}")
        mask = self._mask(perspective)
        ymask = self._year_mask(years)
        _check_basis(basis)
        if self.reduced is not None:
            totals = self._kept_distributions()
            channel = self._window_channel(totals, perspective, basis, ymask)
            if by == "year" or channel is None:  # not sketched: the first draws
                return self._first().quantile(q, perspective, basis, years, by=by)
            out = (np.zeros(qa.shape) if channel < 0  # no ledger lines: every total is 0
                   else totals.quantile(np.asarray([channel]), qa)[0])
        else:
            net = self._net(mask, basis)[:, ymask]
            x = net.sum(axis=1) if by == "window" else net
            out = np.quantile(x, qa, axis=0)
        return float(out) if np.ndim(out) == 0 else np.asarray(out)

    def buckets(
        self,
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The draws' totals binned: values (increasing, dollars) and draws at each.

        For a reduction-only result (``detail='summary'``), which keeps no
        draw's totals, the buckets of its quantile sketch: each bucket's
        representative value (within :data:`SKETCH_ALPHA` of the distance
        from the central value of every draw in it) and how many draws fell
        in it, over all draws, e.g. for a histogram (for ``years`` other than
        the whole window or its first five years: those of its first draws).
        Otherwise each distinct total of :meth:`total` and its count.
        ``years`` as in :meth:`quantile`.
        """
        mask = self._mask(perspective)
        ymask = self._year_mask(years)
        _check_basis(basis)
        if self.reduced is None:
            x = self._net(mask, basis)[:, ymask].sum(axis=1)
            values, counts = np.unique(x, return_counts=True)
            return values, counts.astype(np.int64)
        totals = self._kept_distributions()
        channel = self._window_channel(totals, perspective, basis, ymask)
        if channel is None:
            return self._first().buckets(perspective, basis, years)
        if channel < 0:  # no ledger lines: every total is 0
            return np.zeros(1), np.asarray([self.draws], dtype=np.int64)
        values, counts = totals.sketch.buckets(channel)
        return totals.reference[channel] + values, counts

    def _kept_distributions(self) -> Totals:
        """The distributions a reduction-only result kept (its impact's only)."""
        red = self.reduced
        assert red is not None
        if red.totals is None:
            raise self._not_kept("the distribution of each side (only the impact's)")
        return red.totals

    def _first(self) -> Result:
        """The first draws of a reduction-only result (the views it did not sketch)."""
        first = self.first_draws
        if first is None:  # pragma: no cover - every reduction-only result keeps them
            raise self._not_kept("its first draws")
        return first

    @staticmethod
    def _window_channel(
        totals: Totals, perspective: str, basis: str, ymask: np.ndarray
    ) -> int | None:
        """Sketch channel of a kept window total (whole window or first five years),
        -1 for a perspective without ledger lines, None when not sketched."""
        span = int(ymask.sum())
        if span not in totals.spans or not ymask[:span].all():
            return None
        if perspective not in totals.perspectives:
            return -1
        return totals.window(perspective, basis, span)

    def mean_total(
        self,
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
        provision: str | None = None,
    ) -> float:
        """Mean over draws of :meth:`total`, for any result (also one side of a
        reduction-only impact, from its exact means).

        Parameters are those of :meth:`total`.
        """
        mask = self._mask(perspective)
        if provision is not None:
            mask = mask & self._provision_mask(provision)
        ymask = self._year_mask(years)
        _check_basis(basis)
        if self.reduced is not None:
            return float(self._mean_lines(basis)[mask][:, ymask].sum())
        return float(np.mean(self._net(mask, basis)[:, ymask].sum(axis=1)))

    def annual(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> np.ndarray:
        """Net cost per fiscal year, shape ``(draws, years)``.

        A reduction-only result (``detail='summary'``) returns the rows of its
        :attr:`first_draws` (the first draws of the same design, shape
        ``(first_draws.draws, years)``): percentiles by year from them are
        those of an ordinary simulation of that many draws.
        """
        if self.reduced is not None:
            if self.reduced.first_draws is None:
                raise self._not_kept("per-draw amounts by year")
            return self.reduced.first_draws.annual(perspective, basis)
        return self._net(self._mask(perspective), basis)

    def by_provision(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> pd.DataFrame:
        """Mean net cost by fiscal year (rows) and provision (columns), dollars."""
        lines = self._lines()
        mask = self._mask(perspective)
        _check_basis(basis)
        present = list(dict.fromkeys(lines.loc[mask, "provision"]))
        order = sorted(present, key=_provision_order)
        if self.reduced is not None:
            mean = self._mean_lines(basis)
            data = {p: mean[mask & (lines["provision"] == p).to_numpy()].sum(axis=0)
                    for p in order}
        else:
            data = {
                p: self._net(mask & (lines["provision"] == p).to_numpy(), basis).mean(axis=0)
                for p in order
            }
        frame = pd.DataFrame(data, index=pd.Index(self.fiscal_years, name="fiscal_year"))
        frame.columns.name = "provision"
        return frame

    def table(
        self,
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        scale: float = 1e6,
    ) -> pd.DataFrame:
        """CBO-style table: provisions × fiscal years, with 5- and full-window totals.

        Parameters
        ----------
        perspective, basis
            As in :meth:`total`.
        scale : float
            Divide amounts by this (default: millions of dollars).

        Returns
        -------
        DataFrame
            Rows: each provision and ``Total``; columns: each fiscal year, then
            ``FY..-FY..`` totals for the first five years (when the window is
            longer) and the whole window. Means over draws.
        """
        by = self.by_provision(perspective, basis).T / scale
        by.columns = [f"{y}" for y in self.fiscal_years]
        by.loc["Total"] = by.sum(axis=0)
        fy = self.fiscal_years
        if fy.size > 5:
            by[f"{fy[0]}-{fy[4]}"] = by.iloc[:, :5].sum(axis=1)
        by[f"{fy[0]}-{fy[-1]}"] = by.iloc[:, : fy.size].sum(axis=1)
        by.index.name = "provision"
        return by

    def summary(
        self,
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
        *,
        by: Literal["window", "year"] = "window",
        rel_precision: float = 0.05,
    ) -> pd.DataFrame:
        """Distribution of the net cost by perspective and provision (and fiscal year).

        Parameters
        ----------
        basis : {'nominal', 'real', 'pv'}
        years : int, sequence of int, or None
            As in :meth:`total`.
        by : {'window', 'year'}
            ``window`` (default): of the total over ``years``; ``year``: of
            each fiscal year's net cost (each of ``years``, default every
            year of the window), one row per fiscal year.
        rel_precision : float
            Warn (:class:`PrecisionWarning`) when a perspective total's Monte
            Carlo standard error of the mean, p5, p50 or p95 exceeds this share
            of its standard deviation (default 5%).

        Returns
        -------
        DataFrame
            Indexed by (perspective, provision), ``provision = 'all'`` for the
            perspective's total, and with ``by='year'`` by fiscal_year too;
            columns mean, sd, p5, p10, p50, p90, p95 and their Monte Carlo
            standard errors ``mean_se``, ``p5_se``, ..., in ``basis`` dollars.

        Notes
        -----
        The standard error of the mean is ``sd / sqrt(n)`` (conservative for
        scrambled Sobol' and Latin hypercube designs, whose errors are smaller).
        The standard error of the ``p``-quantile is the order-statistic estimate
        ``(Q(p + h) - Q(p - h)) / 2`` with ``h = sqrt(p (1 - p) / n)``, the
        spread of quantiles one binomial standard deviation apart.

        A reduction-only result (``simulate(..., detail='summary')``) has the
        perspective rows (``provision = 'all'``) only. ``mean`` is the exact
        mean over all draws. For the totals of the whole window and of its
        first five years, ``sd`` comes from exact sums of squares and the
        percentiles from quantile sketches, within 0.1% of the draws' distance
        from the central value and in practice a few percent of their
        standard errors (see :class:`Totals`); for other ``years`` and for
        ``by='year'``, ``sd``, the percentiles and their standard errors are
        those of its :attr:`first_draws` (``mean_se`` is ``sd / sqrt(n)``
        over all draws).

        Examples
        --------
        >>> import enforcecost as ec
        >>> res = ec.simulate(ec.load_scenario("eo13768"), draws=4096, seed=1)
        >>> res.summary("real", by="year").loc[("federal", "all", 2017), "p95"] > 0
        True
        """
        if by not in ("window", "year"):
            raise ValueError(f"'by' must be one of window, year: {by!r}")
        lines = self._lines()
        ymask = self._year_mask(years)
        _check_basis(basis)
        n = self.draws
        totals = None if self.reduced is None else self._kept_distributions()
        fiscal = self.fiscal_years[ymask]
        rows = []
        worst: dict[str, tuple[float, str]] = {}  # perspective -> (se / sd, label)
        for perspective in PERSPECTIVES:
            mask = self._mask(perspective)
            if not mask.any():
                continue
            groups = {"all": mask}
            for prov in sorted(set(lines.loc[mask, "provision"]), key=_provision_order):
                if prov in PROVISIONS and totals is None:
                    groups[prov] = mask & (lines["provision"] == prov).to_numpy()
            for name, m in groups.items():
                if totals is None:
                    stats = _draw_stats(self, m, basis, ymask, by)
                else:
                    means = self._mean_lines(basis)[m][:, ymask].sum(axis=0)
                    channel = self._window_channel(totals, perspective, basis, ymask)
                    if by == "window":
                        means = means.sum(keepdims=True)
                    if by == "window" and channel is not None:
                        stats = [_sketched(totals, channel, float(means[0]))]
                    else:  # not sketched: the first draws' distribution, the exact means
                        first = self._first()
                        stats = _draw_stats(first, first._mask(perspective), basis, ymask, by)
                        for row, mean in zip(stats, means, strict=True):
                            row["mean"] = float(mean)
                            row["mean_se"] = row["sd"] / np.sqrt(n)
                for j, row in enumerate(stats):
                    key: dict[str, object] = {"perspective": perspective, "provision": name}
                    label: str = perspective
                    if by == "year":
                        key["fiscal_year"] = int(fiscal[j])
                        label = f"{perspective} FY{fiscal[j]}"
                    rows.append({**key, **row})
                    if name == "all" and n > 1 and row["sd"] > 0:
                        ratio = max(row[k] for k in ("mean_se", "p5_se", "p50_se", "p95_se"))
                        ratio /= row["sd"]
                        if ratio > rel_precision and ratio > worst.get(perspective, (0.0,))[0]:
                            worst[perspective] = (ratio, label)
        if worst:
            warnings.warn(
                f"{n} draws are too few for the precision shown: Monte Carlo standard "
                f"errors exceed {rel_precision:.0%} of the spread for "
                + ", ".join(f"{label} (se {ratio:.1%} of sd)" for ratio, label in worst.values())
                + "; use more draws",
                PrecisionWarning,
                stacklevel=2,
            )
        index = ["perspective", "provision", *(["fiscal_year"] if by == "year" else [])]
        return pd.DataFrame(rows).set_index(index)

    def pipeline(self, side: Literal["policy", "baseline"] = "policy") -> pd.DataFrame:
        """The enforcement pipeline (officers, arrests, detention, courts, removals) by year.

        Means over draws; ``side='baseline'`` for the baseline's.
        """
        if side not in ("policy", "baseline"):
            raise ValueError(f"'side' must be one of policy, baseline: {side!r}")
        run = self.policy_run if side == "policy" else self.baseline_run
        if run is None:
            raise ValueError("this result has no baseline")
        return run.flows.to_frame(self.fiscal_years)

    def nonmonetized(self) -> pd.DataFrame:
        """The register of effects not put in dollars, for the provisions costed."""
        reg = nonmonetized()
        keep = reg["provision"].isin([*self.scenario.provisions, "general"])
        return reg[keep]


def _provision_order(provision: str) -> int:
    return PROVISIONS.index(provision) if provision in PROVISIONS else len(PROVISIONS)


_CHUNK = 1 << 20  # values at a time in the standard deviation of a large sample


def _sd(x: np.ndarray, mean: float) -> float:
    """Sample standard deviation; large samples in chunks (no temporary as large as ``x``)."""
    n = x.size
    if n <= 1:
        return 0.0
    if n <= _CHUNK:
        return float(x.std(ddof=1))
    ss = sum(float(np.sum((x[i : i + _CHUNK] - mean) ** 2)) for i in range(0, n, _CHUNK))
    return float(np.sqrt(ss / (n - 1)))


def _distribution(x: np.ndarray) -> dict[str, float]:
    """Mean, sd, percentiles and their Monte Carlo standard errors of a sample.

    ``x`` is reordered in place (quantiles by partial sorting, without a copy).
    """
    n = x.size
    q = np.asarray(PERCENTILES, dtype=np.float64) / 100.0
    mean = float(x.mean())
    row = {"mean": mean, "sd": _sd(x, mean)}
    # order statistics do not depend on the order of x: partitioning in place is exact
    quantiles = np.quantile(x, q, overwrite_input=True)
    row.update({f"p{p}": float(v) for p, v in zip(PERCENTILES, quantiles, strict=True)})
    row["mean_se"] = row["sd"] / np.sqrt(n)
    h = np.sqrt(q * (1.0 - q) / n)
    hi = np.quantile(x, np.minimum(q + h, 1.0), overwrite_input=True)
    lo = np.quantile(x, np.maximum(q - h, 0.0), overwrite_input=True)
    row.update({f"p{p}_se": float(v) for p, v in zip(PERCENTILES, (hi - lo) / 2.0, strict=True)})
    return row


def _draw_stats(
    result: Result, mask: np.ndarray, basis: str, ymask: np.ndarray, by: str
) -> list[dict[str, float]]:
    """:func:`_distribution` of a result's per-draw net cost of the masked lines: of the
    total over the selected years (``by='window'``), or of each selected year."""
    net = result._net(mask, basis)[:, ymask]
    if by == "window":
        return [_distribution(net.sum(axis=1))]
    return [_distribution(np.ascontiguousarray(net[:, j])) for j in range(net.shape[1])]


def _sketched(totals: Totals, channel: int, mean: float) -> dict[str, float]:
    """:func:`_distribution` of a kept distribution (one channel), with its exact mean."""
    n = totals.draws
    q = np.asarray(PERCENTILES, dtype=np.float64) / 100.0
    h = np.sqrt(q * (1.0 - q) / n)
    k = q.size
    quantiles = totals.quantile(np.asarray([channel]), np.concatenate(
        [q, np.minimum(q + h, 1.0), np.maximum(q - h, 0.0)]))[0]
    sd = float(totals.sd(np.asarray([channel]))[0])
    row = {"mean": mean, "sd": sd}
    row.update({f"p{p}": float(v) for p, v in zip(PERCENTILES, quantiles[:k], strict=True)})
    row["mean_se"] = sd / np.sqrt(n)
    se = (quantiles[k : 2 * k] - quantiles[2 * k :]) / 2.0
    row.update({f"p{p}_se": float(v) for p, v in zip(PERCENTILES, se, strict=True)})
    return row


def union_lines(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The lines of either side, in provision order (the cube order of an impact)."""
    return (
        pd.concat([first, second])
        .drop_duplicates()
        .assign(_order=lambda d: d["provision"].map(_provision_order))
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _positions(lines: pd.DataFrame, to: pd.DataFrame) -> np.ndarray:
    """The row of ``to`` of each line."""
    key = pd.MultiIndex.from_frame(lines[_KEYS])
    return np.asarray(pd.MultiIndex.from_frame(to[_KEYS]).get_indexer(key))


def align(values: np.ndarray, lines: pd.DataFrame, to: pd.DataFrame) -> np.ndarray:
    """``values`` (first axis: ``lines``) placed on the rows of ``to``; zeros elsewhere."""
    out = np.zeros((len(to), *values.shape[1:]))
    out[_positions(lines, to)] = values
    return out


def _aligned(run: Run, lines: pd.DataFrame) -> np.ndarray:
    return align(run.amounts, run.lines, lines)


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"'basis' must be one of {', '.join(BASES)}: {basis!r}")
