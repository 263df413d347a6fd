"""Results: the (draw × fiscal year × ledger line) cube and its views.

A :class:`Result` holds the policy run and, when the scenario has a baseline,
the baseline run on the same draws. Its views (``ledger``, ``total``,
``table``, ``summary``) show the **impact** (policy − baseline) when there is a
baseline, and the scenario itself otherwise; ``.policy`` and ``.baseline`` give
each side as a Result of its own.

A Monte Carlo result keeps either every draw's ledger at some detail (every
line, or lines summed by provision or by payer) or, for studies too large for
that (``simulate(..., detail='summary')``), only reductions: exact mean
amounts per line and fiscal year, each draw's net totals by perspective and
basis for the window and its first five years, and the first draws in full
(:attr:`Result.first_draws`). See :class:`Reduced`.
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

from .money import BASES, Basis, Window, discount_factors
from .parameters import PROVISIONS
from .provisions import Flows

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

Perspective = Literal["federal", "state_local", "government", "economy"]
PERSPECTIVES: tuple[Perspective, ...] = ("federal", "state_local", "government", "economy")
_PAYERS: dict[str, tuple[str, ...]] = {
    "federal": ("federal",),
    "state_local": ("state_local",),
    "government": ("federal", "state_local"),
    "economy": ("economy",),
}
PERCENTILES = (5, 10, 50, 90, 95)
_KEYS = ["provision", "item", "payer", "kind"]
#: Labels of lines summed over provisions or items in a Monte Carlo result's kept detail.
ALL_PROVISIONS = "all provisions"
ALL_ITEMS = "all items"
#: Bases in the order of the axis of :attr:`Totals.reference`.
_BASES: tuple[Basis, ...] = ("nominal", "real", "pv")


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
    """Each draw's net totals by payer, basis and span, kept in compact form.

    A total is stored as its float32 deviation from the total of the run at
    central values, so the rounding error is at most ``2**-24`` (6e-8) of the
    draw's distance from the central value: a relative error of the spread,
    not of the level, far below the Monte Carlo standard error of any
    percentile (about ``sd / sqrt(draws)``). ``government`` is ``federal +
    state_local``.

    Attributes
    ----------
    payers : tuple of str
        Payers with ledger lines (``federal``, ``state_local``, ``economy``).
    spans : tuple of int
        Totals over the first N fiscal years, e.g. ``(5, 10)``.
    reference : ndarray, shape (payers, 3, spans)
        Central-value totals, bases nominal, real, pv.
    deviation : ndarray of float32, shape (payers, 3, spans, draws)
        Each draw's total minus the reference.
    """

    payers: tuple[str, ...]
    spans: tuple[int, ...]
    reference: np.ndarray
    deviation: np.ndarray

    @property
    def nbytes(self) -> int:
        """Memory held by the per-draw values."""
        return int(self.deviation.nbytes)

    def values(self, perspective: str, basis: str, span: int) -> np.ndarray:
        """Net totals per draw, shape ``(draws,)``, float64."""
        b, s = _BASES.index(basis), self.spans.index(span)
        out = np.zeros(self.deviation.shape[-1])
        for payer in _PAYERS[perspective]:
            if payer in self.payers:
                p = self.payers.index(payer)
                out += self.deviation[p, b, s]  # cast in buffered chunks: no float64 copy
                out += self.reference[p, b, s]
        return out


@dataclass(frozen=True)
class Reduced:
    """What a reduction-only Monte Carlo result keeps instead of every draw's ledger.

    Made by ``simulate(..., detail='summary')``. The views need per draw only
    perspective totals (:meth:`Result.total`, :meth:`Result.summary`) and
    otherwise means (:meth:`Result.table`, :meth:`Result.by_provision`), so
    those are kept: memory is ``4 * payers * 3 * spans`` bytes per draw
    (72 for a ten-year window with three payers) instead of ``8 * lines *
    years * 2``.

    Attributes
    ----------
    draws : int
    lines : DataFrame
        Ledger lines (provision, item, payer, kind) of the means, in cube order.
    mean_real, mean_nominal : ndarray, shape (lines, years)
        Exact means over all draws (sums of fixed-point values, see
        :mod:`enforcecost.model`), real and then-year dollars.
    totals : Totals or None
        Per-draw totals; None for one side of an impact (kept for the impact only).
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
        Views that need every draw's lines (:meth:`ledger`, :meth:`cube`,
        :meth:`total` of one provision or of other spans) then raise
        ``ValueError``; :meth:`annual` reads :attr:`first_draws`.
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
        (perspective totals only, see :class:`Reduced`)."""
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
            "per-draw totals by perspective (window and first five years) and mean amounts "
            f"only. Use .first_draws for its first {n:,} draws in full, table() or "
            "by_provision() for means, or rerun with detail='payers' (or finer) and fewer "
            "draws or a larger max_bytes"
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
        _, real = self._lines_and_real()
        factor = self._factor(basis)
        return np.moveaxis(real * factor[None], 0, -1)

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
        factor = self._factor(basis)
        _, real = self._lines_and_real()
        net = np.zeros(real.shape[1:])
        for i in np.flatnonzero(mask):  # line by line, as a sum over lines: no copy of them
            net += real[i]
        return np.asarray(net * factor)

    def _mask(self, perspective: str) -> np.ndarray:
        if perspective not in _PAYERS:
            raise ValueError(
                f"'perspective' must be one of {', '.join(PERSPECTIVES)}: {perspective!r}"
            )
        return self._lines()["payer"].isin(_PAYERS[perspective]).to_numpy()

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
            A float for a deterministic run, an array of shape ``(draws,)`` otherwise.

        Notes
        -----
        A reduction-only result (``simulate(..., detail='summary')``) kept
        per-draw totals of the impact by perspective for the whole window and
        its first five years only (see :class:`Totals` for their precision):
        other ``years``, a ``provision``, or one side of an impact raise
        ``ValueError``.
        """
        mask = self._mask(perspective)
        if provision is not None:
            mask = mask & self._provision_mask(provision)
        ymask = self._year_mask(years)
        _check_basis(basis)
        if self.reduced is not None:
            return self._kept_total(perspective, basis, ymask, years, provision)
        per_draw = self._net(mask, basis)[:, ymask].sum(axis=1)
        return float(per_draw[0]) if self.deterministic else per_draw

    def _kept_total(
        self, perspective: str, basis: str, ymask: np.ndarray,
        years: int | Sequence[int] | None, provision: str | None,
    ) -> np.ndarray:
        """Per-draw totals of a reduction-only result."""
        red = self.reduced
        assert red is not None
        if provision is not None:
            raise self._not_kept("per-draw totals by provision")
        if red.totals is None:
            raise self._not_kept("per-draw totals of each side (only the impact's)")
        span = int(ymask.sum())
        if span not in red.totals.spans or not ymask[:span].all():
            spans = " or ".join(
                "the whole window" if k == ymask.size else f"its first {k} fiscal years"
                for k in reversed(red.totals.spans)
            )
            raise ValueError(
                f"'years' must be {spans} for a result that kept per-draw totals only "
                f"(simulate(..., detail='summary')): {years!r}"
            )
        return red.totals.values(perspective, basis, span)

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
        rel_precision: float = 0.05,
    ) -> pd.DataFrame:
        """Distribution of the window total by perspective and provision.

        Parameters
        ----------
        basis : {'nominal', 'real', 'pv'}
        years : int, sequence of int, or None
            As in :meth:`total`.
        rel_precision : float
            Warn (:class:`PrecisionWarning`) when a perspective total's Monte
            Carlo standard error of the mean, p5, p50 or p95 exceeds this share
            of its standard deviation (default 5%).

        Returns
        -------
        DataFrame
            Indexed by (perspective, provision), ``provision = 'all'`` for the
            perspective's total; columns mean, sd, p5, p10, p50, p90, p95 and
            their Monte Carlo standard errors ``mean_se``, ``p5_se``, ...,
            in ``basis`` dollars.

        Notes
        -----
        The standard error of the mean is ``sd / sqrt(n)`` (conservative for
        scrambled Sobol' and Latin hypercube designs, whose errors are smaller).
        The standard error of the ``p``-quantile is the order-statistic estimate
        ``(Q(p + h) - Q(p - h)) / 2`` with ``h = sqrt(p (1 - p) / n)``, the
        spread of quantiles one binomial standard deviation apart.

        A reduction-only result (``simulate(..., detail='summary')``) has the
        perspective rows (``provision = 'all'``) only, for the window or its
        first five years: ``mean`` is the exact mean, the other columns come
        from the kept per-draw totals (:class:`Totals`).
        """
        lines = self._lines()
        ymask = self._year_mask(years)
        _check_basis(basis)
        n = self.draws
        rows = []
        imprecise = []
        for perspective in PERSPECTIVES:
            mask = self._mask(perspective)
            if not mask.any():
                continue
            groups = {"all": mask}
            for prov in sorted(set(lines.loc[mask, "provision"]), key=_provision_order):
                if prov in PROVISIONS and self.reduced is None:
                    groups[prov] = mask & (lines["provision"] == prov).to_numpy()
            for name, m in groups.items():
                if self.reduced is None:
                    row = _distribution(self._net(m, basis)[:, ymask].sum(axis=1))
                else:
                    row = _distribution(self._kept_total(perspective, basis, ymask, years, None))
                    row["mean"] = float(self._mean_lines(basis)[m][:, ymask].sum())
                rows.append({"perspective": perspective, "provision": name, **row})
                if name == "all" and n > 1 and row["sd"] > 0:
                    worst = max(row[k] for k in ("mean_se", "p5_se", "p50_se", "p95_se"))
                    if worst > rel_precision * row["sd"]:
                        imprecise.append(f"{perspective} (se {worst / row['sd']:.1%} of sd)")
        if imprecise:
            warnings.warn(
                f"{n} draws are too few for the precision shown: Monte Carlo standard "
                f"errors exceed {rel_precision:.0%} of the spread for "
                + ", ".join(imprecise)
                + "; use more draws",
                PrecisionWarning,
                stacklevel=2,
            )
        return pd.DataFrame(rows).set_index(["perspective", "provision"])

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
