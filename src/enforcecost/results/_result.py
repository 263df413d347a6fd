"""The :class:`Result`: views of one store of a scenario's draws.

``Result`` is the library's main public object: about twenty views, each a
few lines that check their arguments (:mod:`._select`) and ask the result's
store (:mod:`._store`), with the numpydoc reference of each.

Size: the class (about 450 lines) and this module are over the house limits
(250 and 400) because about 220 of those lines are that public reference;
its code is about 230 lines, none of it about how the draws are stored.
Splitting the views across mixins would scatter the one public class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

import numpy as np
import pandas as pd

from ..registry import Window, nonmonetized
from ..vocab import PERSPECTIVE_LABELS, PERSPECTIVES, Basis, Perspective
from ._display import clip, html_table, money_range, number, short_money
from ._headline import HEADLINE_BASIS, headline_frame, headline_value
from ._lines import KEYS, provision_order
from ._runs import Reduced, Run
from ._select import (
    By,
    Selection,
    check_basis,
    perspective_mask,
    provision_mask,
    year_mask,
)
from ._stats import warn_precision
from ._store import Store, open_store

if TYPE_CHECKING:
    import xarray as xr

    from ..scenario import Scenario

__all__ = ["Result"]


def _draw_index(draws: int) -> pd.RangeIndex:
    """The index of per-draw values: the design's rows 0 .. draws-1, named ``draw``."""
    return pd.RangeIndex(draws, name="draw")


@dataclass(frozen=True, repr=False)
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

    Notes
    -----
    The views read a store made from these fields when the Result is made
    (:func:`~enforcecost.results._store.open_store`): the runs' per-draw
    amounts, or ``reduced``. The store keeps its own caches (the impact's
    cube), so the Result holds no mutable state.
    """

    scenario: Scenario
    window: Window
    dollar_year: int
    discount_rate: float
    policy_run: Run
    baseline_run: Run | None = None
    deterministic: bool = True
    inputs: tuple[str, ...] = ()
    reduced: Reduced | None = None
    _store: Store = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # a derived field, set once here (how a frozen dataclass sets one)
        object.__setattr__(self, "_store", open_store(
            self.policy_run, self.baseline_run, self.reduced, self.window, self.discount_rate))

    # -- display -----------------------------------------------------------
    def _headline_perspective(self) -> Perspective | None:
        """Federal when it has ledger lines, else the first perspective that has."""
        for perspective in PERSPECTIVES:
            if perspective_mask(self._store.lines, perspective).any():
                return perspective
        return None

    def __repr__(self) -> str:
        """One line: the scenario, the draws, the window and the headline total.

        E.g. ``Result('EO 13768, full implementation', 16,384 draws, FY2017–FY2026,
        federal $34.5B [16.9–50.3])``: the mean net cost (an impact, with a
        baseline) over the window in nominal dollars and its 90% range; the
        central value for a deterministic result.
        """
        fy = self.fiscal_years
        draws = "central values" if self.deterministic else f"{self.draws:,} draws"
        return (f"Result({clip(self.scenario.name, 60)!r}, {draws}, "
                f"FY{fy[0]}\u2013FY{fy[-1]}{self._headline_words()})")

    def _headline_words(self) -> str:
        perspective = self._headline_perspective()
        if perspective is None:
            return ", no ledger lines"
        mean = headline_value(self, perspective, "nominal")
        if self.deterministic:
            return f", {perspective} {short_money(mean)}"
        p5, p95 = np.asarray(self.quantile([0.05, 0.95], perspective, "nominal"))
        return f", {perspective} {money_range(mean, float(p5), float(p95))}"

    def _headline_table(self) -> pd.DataFrame:
        """The net cost of each perspective with ledger lines, nominal $ millions.

        Returns
        -------
        DataFrame
            Indexed by perspective label; columns the mean (the central value
            of a deterministic result) over the first five fiscal years (when
            the window is longer) and over the window, and for a Monte Carlo
            result the window's 5th, 50th and 95th percentiles. Positive
            numbers are costs to the payer.
        """
        fy = self.fiscal_years
        mean = "" if self.deterministic else "mean "
        rows = {}
        for perspective in PERSPECTIVES:
            if not perspective_mask(self._store.lines, perspective).any():
                continue
            row: dict[str, float] = {}
            if fy.size > 5:
                row[f"{mean}FY{fy[0]}\u2013FY{fy[4]}"] = self.mean_total(perspective, years=5)
            row[f"{mean}FY{fy[0]}\u2013FY{fy[-1]}"] = self.mean_total(perspective)
            if not self.deterministic:
                qs = np.asarray(self.quantile([0.05, 0.5, 0.95], perspective))
                row.update(zip(("p5", "p50", "p95"), qs.tolist(), strict=True))
            rows[PERSPECTIVE_LABELS[perspective]] = {k: v / 1e6 for k, v in row.items()}
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "perspective"
        return frame

    def _repr_html_(self) -> str:
        """The headline table by perspective, for a notebook."""
        side = "impact" if self.has_baseline else "cost"
        spread = ("" if self.deterministic else " p5, p50, p95: percentiles of the window "
                  "total over the draws.")
        note = (f"Net fiscal {side}, millions of nominal dollars.{spread} "
                "Positive = cost to the payer.")
        return html_table(self._headline_table(), repr(self), note, default=number())

    def to_excel(self, path: str | Path, *, drivers: bool = False) -> Path:
        """Write the result's tables as an Excel workbook (``.xlsx``).

        The sheets of a report's ``tables.xlsx``: a README (scenario, files,
        window, draws, version, sign convention, units, where the sources are),
        the CBO tables by perspective and basis ($ millions), the percentiles,
        the parameters used, the pipeline and the non-monetized effects, each
        with a title and units row, number formats and frozen headers.

        Parameters
        ----------
        path : str or Path
            The ``.xlsx`` file to write (replaced if it exists); its folder
            must exist.
        drivers : bool
            Also run the one-at-a-time tornado study of the federal window total
            (``2 d + 1`` model runs) for a drivers sheet.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        ValueError
            If ``path`` does not end in ``.xlsx``.
        FileNotFoundError
            If its folder does not exist.

        Notes
        -----
        The README gives no date: a date is the run's, which only a run's
        manifest records (``enforcecost run`` and
        :func:`~enforcecost.report.write_report` write one, and their
        workbook's date is its time). A scenario marked ``hindcast = true``
        also runs its hindcast for a hindcast sheet.
        """
        # results sits below report; the writer loads on use (tests/test_architecture.py)
        from ..report._workbook import write_result_workbook

        return write_result_workbook(self, path, drivers=drivers)

    # -- sides -------------------------------------------------------------
    @property
    def has_baseline(self) -> bool:
        """Whether the views show an impact against a baseline."""
        return self.baseline_run is not None

    @property
    def policy(self) -> Result:
        """The scenario's own ledger (no baseline subtracted)."""
        return replace(self, baseline_run=None,
                       reduced=self._store.side(self.policy_run, "policy"))

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
            reduced=self._store.side(self.baseline_run, "baseline"),
        )

    @property
    def impact(self) -> Result:
        """This result (its views already show policy − baseline when there is one)."""
        return self

    @property
    def draws(self) -> int:
        """Number of draws (1 for a deterministic run)."""
        return self._store.draws

    @property
    def detail(self) -> str:
        """What this result kept of each draw: ``'lines'`` (every ledger line; also
        a deterministic run), ``'provisions'``, ``'payers'`` or ``'summary'``
        (means and distributions only, see :class:`Reduced`)."""
        return self._store.detail

    @property
    def first_draws(self) -> Result | None:
        """For a reduction-only result, its first draws in full (payer detail): a
        regular Result on draws ``0 .. n-1`` of the same design; None otherwise."""
        return self._store.first_draws

    @property
    def fiscal_years(self) -> np.ndarray:
        """The window's fiscal years."""
        return self.window.fiscal_years

    @property
    def lines(self) -> pd.DataFrame:
        """The ledger lines (provision, item, payer, kind), in cube order."""
        return self._store.lines.copy()

    def _select(
        self,
        perspective: str,
        basis: str,
        years: int | Sequence[int] | None = None,
        provision: str | None = None,
    ) -> Selection:
        """The checked arguments of a view (checked in this order)."""
        lines = self._store.lines
        mask = perspective_mask(lines, perspective)
        if provision is not None:
            mask = mask & provision_mask(lines, provision)
        ymask = year_mask(self.fiscal_years, years)
        check_basis(basis)
        return Selection(cast(Perspective, perspective), cast(Basis, basis), years, mask, ymask)

    # -- the cube ----------------------------------------------------------
    def cube(self, basis: Basis = "nominal") -> np.ndarray:
        """Amounts, shape ``(draws, years, lines)``, in ``basis`` dollars.

        A plain array, the fastest view (the model's own layout); the axes are
        :attr:`fiscal_years` and the rows of :attr:`lines`, and
        :meth:`to_xarray` gives the same numbers labelled.

        Parameters
        ----------
        basis : {'nominal', 'real', 'pv'}
            ``nominal``: then-year dollars (CBO convention); ``real``: constant
            ``dollar_year`` dollars; ``pv``: real, discounted to the first year.
        """
        check_basis(basis)
        return self._store.cube(basis)

    def to_xarray(self, basis: Basis = "nominal") -> xr.DataArray:
        """The amounts of :meth:`cube`, labelled: an :class:`xarray.DataArray`.

        Parameters
        ----------
        basis : {'nominal', 'real', 'pv'}
            As in :meth:`cube`.

        Returns
        -------
        xarray.DataArray
            Dims ``(draw, fiscal_year, line)``, the values of :meth:`cube`,
            named ``amount``. Coordinates:
            ``draw`` (0 .. draws-1; one draw for a deterministic run),
            ``fiscal_year``, and ``line``, a MultiIndex of the ledger lines'
            ``provision``, ``item``, ``payer`` and ``kind`` (select with
            ``da.sel(provision="hiring")`` or ``da.sel(payer="federal")``;
            sum lines with ``da.groupby("provision").sum()``). ``attrs``: the
            basis, the unit (``USD``), the dollar year of ``real`` and ``pv``
            amounts and the scenario's name. ``da.to_series()`` is the tidy
            :meth:`ledger`'s amounts in the same order.

        Raises
        ------
        ValueError
            For a reduction-only result, which keeps no draw's lines (as :meth:`cube`).

        Notes
        -----
        xarray is imported on first use (``import enforcecost`` does not).
        """
        import xarray as xr

        cube = self.cube(basis)
        lines = pd.MultiIndex.from_frame(self._store.lines[list(KEYS)])
        coords = xr.Coordinates.from_pandas_multiindex(lines, "line")
        attrs: dict[str, object] = {"basis": basis, "unit": "USD",
                                    "scenario": self.scenario.name}
        if basis != "nominal":
            attrs["dollar_year"] = self.dollar_year
        return xr.DataArray(
            cube, dims=("draw", "fiscal_year", "line"), name="amount", attrs=attrs,
            coords=coords.assign(draw=np.arange(cube.shape[0]), fiscal_year=self.fiscal_years),
        )

    def mean_cube(self, basis: Basis = "nominal") -> np.ndarray:
        """Mean amounts over draws, shape ``(years, lines)``, in ``basis`` dollars.

        ``cube(basis).mean(axis=0)``, also for a reduction-only result (whose
        exact means were kept).
        """
        check_basis(basis)
        return self._store.mean_cube(basis)

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
        cube = self.cube(basis)
        lines = self._store.lines
        d, y, n = cube.shape
        frame = pd.DataFrame(
            {
                "draw": np.repeat(np.arange(d), y * n),
                "fiscal_year": np.tile(np.repeat(self.fiscal_years, n), d),
                **{k: np.tile(lines[k].to_numpy(), d * y) for k in KEYS},
                "amount": cube.reshape(-1),
            }
        )
        return frame.drop(columns="draw") if self.deterministic else frame

    def total(
        self,
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
        provision: str | None = None,
    ) -> float | pd.Series:
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
        float or Series
            A float for a deterministic run (:func:`~enforcecost.evaluate`);
            for a Monte Carlo result (:func:`~enforcecost.simulate`) a Series
            of the ``draws`` totals, indexed by draw (a RangeIndex named
            ``draw``, the design's row) and named after ``perspective``;
            ``np.asarray`` of it is the plain array. A reduction-only result
            keeps no draw's totals (below).

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
        sel = self._select(perspective, basis, years, provision)
        per_draw = self._store.total(sel)
        if self.deterministic:
            return float(per_draw[0])
        return pd.Series(per_draw, index=_draw_index(per_draw.size), name=perspective)

    def quantile(
        self,
        q: float | Sequence[float],
        perspective: Perspective = "federal",
        basis: Basis = "nominal",
        years: int | Sequence[int] | None = None,
        *,
        by: By = "window",
    ) -> float | pd.Series | pd.DataFrame:
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
        float, Series or DataFrame
            Dollars, labelled as :meth:`pandas.Series.quantile` labels them.
            ``by='window'``: a float for a single ``q``, else a Series
            indexed by ``q`` (an Index named ``q``); ``by='year'``: a Series
            indexed by ``fiscal_year`` for a single ``q``, else a DataFrame
            with a row per fiscal year (index ``fiscal_year``) and a column
            per ``q`` (columns named ``q``). Series are named after
            ``perspective``. A deterministic result returns its total
            whatever ``q``.

        Notes
        -----
        A result with per-draw detail uses :func:`numpy.quantile` (linear
        interpolation between order statistics). A reduction-only result
        (``detail='summary'``) reads its quantile sketches for the totals of
        the whole window and of its first five years (see :class:`Totals` for
        their accuracy), and its :attr:`first_draws` for any other ``years``
        and for ``by='year'``.
        """
        out, qa, sel = self._quantile_array(q, perspective, basis, years, by)
        if by == "window":
            if qa.ndim == 0:
                return float(out)
            return pd.Series(out, index=pd.Index(qa, name="q"), name=perspective)
        fiscal = pd.Index(self.fiscal_years[sel.ymask], name="fiscal_year")
        if qa.ndim == 0:
            return pd.Series(out, index=fiscal, name=perspective)
        return pd.DataFrame(np.asarray(out).T, index=fiscal,
                            columns=pd.Index(qa, name="q"))

    def _quantile_array(
        self,
        q: float | Sequence[float],
        perspective: Perspective,
        basis: Basis,
        years: int | Sequence[int] | None,
        by: By,
    ) -> tuple[np.ndarray, np.ndarray, Selection]:
        """:meth:`quantile` as arrays: shape ``()``, ``(len(q),)``, ``(years,)`` or
        ``(len(q), years)``; the checked ``q``; the selection."""
        if by not in ("window", "year"):
            raise ValueError(f"'by' must be one of window, year: {by!r}")
        qa = np.asarray(q, dtype=np.float64)
        if qa.ndim > 1 or not np.all((qa >= 0.0) & (qa <= 1.0)):
            raise ValueError(f"'q' must be a probability or a sequence of them in [0, 1]: {q!r}")
        sel = self._select(perspective, basis, years)
        return np.asarray(self._store.quantile(sel, qa, by)), qa, sel

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
        return self._store.buckets(self._select(perspective, basis, years))

    def headline(
        self,
        basis: Basis = HEADLINE_BASIS,
        years: int | Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """The figure this result leads with, and the figures beside it, by perspective.

        The headline is the **mean** over the draws (``headline`` column,
        :data:`~enforcecost.results.HEADLINE`): the expected cost, which a
        budget should carry when costs are skewed (see
        :mod:`enforcecost.results._headline` for the rule, which the reports
        and charts follow too).

        Parameters
        ----------
        basis : {'nominal', 'real', 'pv'}
            Default ``nominal`` (:data:`~enforcecost.results.HEADLINE_BASIS`,
            then-year dollars as in a CBO estimate).
        years : int, sequence of int, or None
            As in :meth:`total` (default the whole window).

        Returns
        -------
        DataFrame
            Indexed by perspective (those with ledger lines); columns, in
            ``basis`` dollars: ``central`` (the net cost of one deterministic
            run of the same scenario at central values,
            :func:`~enforcecost.evaluate`, made here for a Monte Carlo result),
            ``mean`` (:meth:`mean_total`), ``p5``, ``p50``, ``p95``
            (:meth:`quantile`), and ``headline``, the name of the column the
            result leads with (``'mean'``). For a deterministic result all five
            equal :meth:`total`. ``attrs`` records the basis, dollar year and
            draws.

        Examples
        --------
        >>> import enforcecost as ec
        >>> res = ec.evaluate(ec.load_scenario("eo13768"))
        >>> h = res.headline()
        >>> bool(h.loc["federal", "mean"] == res.total("federal"))
        True
        """
        return headline_frame(self, basis, years)

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
        return self._store.mean_total(self._select(perspective, basis, years, provision))

    def annual(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> pd.Series | pd.DataFrame:
        """Net cost per fiscal year, dollars.

        Returns
        -------
        Series or DataFrame
            For a deterministic run (:func:`~enforcecost.evaluate`) a Series
            indexed by ``fiscal_year``, named after ``perspective``; for a
            Monte Carlo result a DataFrame of shape ``(draws, years)``, a row
            per draw (RangeIndex ``draw``) and a column per fiscal year
            (columns named ``fiscal_year``). Its rows sum to :meth:`total`.

        Notes
        -----
        A reduction-only result (``detail='summary'``) returns the rows of its
        :attr:`first_draws` (the first draws of the same design, shape
        ``(first_draws.draws, years)``): percentiles by year from them are
        those of an ordinary simulation of that many draws.
        """
        a = self._annual_array(perspective, basis)
        fiscal = pd.Index(self.fiscal_years, name="fiscal_year")
        if self.deterministic:
            return pd.Series(a[0], index=fiscal, name=perspective)
        return pd.DataFrame(a, index=_draw_index(a.shape[0]), columns=fiscal)

    def _annual_array(self, perspective: Perspective, basis: Basis) -> np.ndarray:
        """:meth:`annual` as an array of shape ``(draws, years)``."""
        return self._store.annual(self._select(perspective, basis))

    def by_provision(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> pd.DataFrame:
        """Mean net cost by fiscal year (rows) and provision (columns), dollars."""
        mask = self._select(perspective, basis).mask
        provisions = self._store.lines["provision"]
        order = sorted(dict.fromkeys(provisions[mask]), key=provision_order)
        data = {p: self._store.mean_by_year(mask & (provisions == p).to_numpy(), basis)
                for p in order}
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
        by: By = "window",
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
        ymask = year_mask(self.fiscal_years, years)
        check_basis(basis)
        n = self.draws
        fiscal = self.fiscal_years[ymask]
        rows = []
        worst: dict[str, tuple[float, str]] = {}  # perspective -> (se / sd, label)
        for perspective in PERSPECTIVES:
            mask = perspective_mask(self._store.lines, perspective)
            if not mask.any():
                continue
            for name, m in self._store.groups(mask).items():
                sel = Selection(perspective, basis, years, m, ymask)
                for j, row in enumerate(self._store.distribution(sel, by)):
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
        warn_precision(n, worst, rel_precision)
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
