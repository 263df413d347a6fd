"""Results: the (draw × fiscal year × ledger line) cube and its views.

A :class:`Result` holds the policy run and, when the scenario has a baseline,
the baseline run on the same draws. Its views (``ledger``, ``total``,
``table``, ``summary``) show the **impact** (policy − baseline) when there is a
baseline, and the scenario itself otherwise; ``.policy`` and ``.baseline`` give
each side as a Result of its own.
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

__all__ = ["PERSPECTIVES", "Perspective", "PrecisionWarning", "Result", "Run", "nonmonetized"]

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
        The enforcement pipeline's stocks and flows.
    """

    scenario: Scenario
    lines: pd.DataFrame
    amounts: np.ndarray
    price: np.ndarray
    flows: Flows


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

    # -- sides -------------------------------------------------------------
    @property
    def has_baseline(self) -> bool:
        """Whether the views show an impact against a baseline."""
        return self.baseline_run is not None

    @property
    def policy(self) -> Result:
        """The scenario's own ledger (no baseline subtracted)."""
        return replace(self, baseline_run=None, _cube={})

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
        )

    @property
    def impact(self) -> Result:
        """This result (its views already show policy − baseline when there is one)."""
        return self

    @property
    def draws(self) -> int:
        """Number of draws (1 for a deterministic run)."""
        return int(self.policy_run.amounts.shape[1])

    @property
    def fiscal_years(self) -> np.ndarray:
        """The window's fiscal years."""
        return self.window.fiscal_years

    # -- the cube ----------------------------------------------------------
    def _lines_and_real(self) -> tuple[pd.DataFrame, np.ndarray]:
        """Lines and real amounts, shape ``(lines, draws, years)`` (line-major inside)."""
        if "real" not in self._cube:
            pol = self.policy_run
            if self.baseline_run is None:
                lines, cube = pol.lines, pol.amounts
            else:
                base = self.baseline_run
                lines = (
                    pd.concat([pol.lines, base.lines])
                    .drop_duplicates()
                    .assign(_order=lambda d: d["provision"].map(_provision_order))
                    .sort_values("_order", kind="stable")
                    .drop(columns="_order")
                    .reset_index(drop=True)
                )
                cube = _aligned(pol, lines) - _aligned(base, lines)
            self._cube["lines"], self._cube["real"] = lines, cube
        return self._cube["lines"], self._cube["real"]  # type: ignore[return-value]

    @property
    def lines(self) -> pd.DataFrame:
        """The ledger lines (provision, item, payer, kind), in cube order."""
        return self._lines_and_real()[0].copy()

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
        factor = self._factor(basis)
        _, real = self._lines_and_real()
        return np.moveaxis(real * factor[None], 0, -1)

    def _net(self, mask: np.ndarray, basis: str) -> np.ndarray:
        """Net amount of the masked lines per draw and year, shape (draws, years)."""
        factor = self._factor(basis)
        _, real = self._lines_and_real()
        return np.asarray(real[mask].sum(axis=0) * factor)

    def _mask(self, perspective: str) -> np.ndarray:
        if perspective not in _PAYERS:
            raise ValueError(
                f"'perspective' must be one of {', '.join(PERSPECTIVES)}: {perspective!r}"
            )
        return self._lines_and_real()[0]["payer"].isin(_PAYERS[perspective]).to_numpy()

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
        summed by provision or by payer, with item ``'all items'``).
        """
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
        kept = self._lines_and_real()[0]["provision"]
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
        """
        mask = self._mask(perspective)
        if provision is not None:
            mask = mask & self._provision_mask(provision)
        per_draw = self._net(mask, basis)[:, self._year_mask(years)].sum(axis=1)
        return float(per_draw[0]) if self.deterministic else per_draw

    def annual(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> np.ndarray:
        """Net cost per fiscal year, shape ``(draws, years)``."""
        return self._net(self._mask(perspective), basis)

    def by_provision(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> pd.DataFrame:
        """Mean net cost by fiscal year (rows) and provision (columns), dollars."""
        lines = self._lines_and_real()[0]
        mask = self._mask(perspective)
        present = list(dict.fromkeys(lines.loc[mask, "provision"]))
        order = sorted(present, key=_provision_order)
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
        """
        lines = self._lines_and_real()[0]
        ymask = self._year_mask(years)
        n = self.draws
        rows = []
        imprecise = []
        for perspective in PERSPECTIVES:
            mask = self._mask(perspective)
            if not mask.any():
                continue
            groups = {"all": mask}
            for prov in sorted(set(lines.loc[mask, "provision"]), key=_provision_order):
                if prov in PROVISIONS:
                    groups[prov] = mask & (lines["provision"] == prov).to_numpy()
            for name, m in groups.items():
                x = self._net(m, basis)[:, ymask].sum(axis=1)
                row = _distribution(x)
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


def _distribution(x: np.ndarray) -> dict[str, float]:
    """Mean, sd, percentiles and their Monte Carlo standard errors of a sample."""
    n = x.size
    q = np.asarray(PERCENTILES, dtype=np.float64) / 100.0
    row = {"mean": float(x.mean()), "sd": float(x.std(ddof=1)) if n > 1 else 0.0}
    row.update({f"p{p}": float(v) for p, v in zip(PERCENTILES, np.quantile(x, q), strict=True)})
    row["mean_se"] = row["sd"] / np.sqrt(n)
    h = np.sqrt(q * (1.0 - q) / n)
    hi = np.quantile(x, np.minimum(q + h, 1.0))
    lo = np.quantile(x, np.maximum(q - h, 0.0))
    row.update({f"p{p}_se": float(v) for p, v in zip(PERCENTILES, (hi - lo) / 2.0, strict=True)})
    return row


def _aligned(run: Run, lines: pd.DataFrame) -> np.ndarray:
    key = pd.MultiIndex.from_frame(run.lines[_KEYS])
    pos = pd.MultiIndex.from_frame(lines[_KEYS]).get_indexer(key)
    out = np.zeros((len(lines), *run.amounts.shape[1:]))
    out[pos] = run.amounts
    return out


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"'basis' must be one of {', '.join(BASES)}: {basis!r}")
