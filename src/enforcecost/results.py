"""Results: the (draw × fiscal year × ledger line) cube and its views.

A :class:`Result` holds the policy run and, when the scenario has a baseline,
the baseline run on the same draws. Its views (``ledger``, ``total``,
``table``, ``summary``) show the **impact** (policy − baseline) when there is a
baseline, and the scenario itself otherwise; ``.policy`` and ``.baseline`` give
each side as a Result of its own.
"""

from __future__ import annotations

import tomllib
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

__all__ = ["PERSPECTIVES", "Perspective", "Result", "Run", "nonmonetized"]

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


@dataclass(frozen=True)
class Run:
    """One scenario evaluated on a block of draws.

    Attributes
    ----------
    scenario : Scenario
    lines : DataFrame
        One row per ledger line: provision, item, payer, kind.
    amounts : ndarray, shape (draws, years, lines)
        Real dollars of the run's dollar year; positive = cost to the payer.
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
        return int(self.policy_run.amounts.shape[0])

    @property
    def fiscal_years(self) -> np.ndarray:
        """The window's fiscal years."""
        return self.window.fiscal_years

    # -- the cube ----------------------------------------------------------
    def _lines_and_real(self) -> tuple[pd.DataFrame, np.ndarray]:
        if "real" not in self._cube:
            pol = self.policy_run
            if self.baseline_run is None:
                lines, cube = pol.lines, pol.amounts
            else:
                base = self.baseline_run
                lines = (
                    pd.concat([pol.lines, base.lines])
                    .drop_duplicates()
                    .assign(_order=lambda d: d["provision"].map(PROVISIONS.index))
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
        if basis == "real":
            return real
        if basis == "nominal":
            return real * self.policy_run.price[:, :, None]
        return real * discount_factors(self.window, self.discount_rate)[None, :, None]

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
        The ``draw`` column is present for Monte Carlo results.
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
            if provision not in PROVISIONS:
                raise ValueError(f"'provision' must be one of {', '.join(PROVISIONS)}: "
                                 f"{provision!r}")
            mask = mask & (self._lines_and_real()[0]["provision"] == provision).to_numpy()
        cube = self.cube(basis)[:, self._year_mask(years)][:, :, mask]
        per_draw = cube.sum(axis=(1, 2))
        return float(per_draw[0]) if self.deterministic else per_draw

    def annual(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> np.ndarray:
        """Net cost per fiscal year, shape ``(draws, years)``."""
        return self.cube(basis)[:, :, self._mask(perspective)].sum(axis=2)

    def by_provision(
        self, perspective: Perspective = "federal", basis: Basis = "nominal"
    ) -> pd.DataFrame:
        """Mean net cost by fiscal year (rows) and provision (columns), dollars."""
        lines = self._lines_and_real()[0]
        mask = self._mask(perspective)
        cube = self.cube(basis).mean(axis=0)[:, mask]
        frame = pd.DataFrame(cube, index=pd.Index(self.fiscal_years, name="fiscal_year"))
        frame.columns = pd.Index(lines["provision"].to_numpy()[mask], name="provision")
        grouped = frame.T.groupby(level=0, sort=False).sum().T
        return grouped.reindex(columns=[p for p in PROVISIONS if p in grouped.columns])

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
        self, basis: Basis = "nominal", years: int | Sequence[int] | None = None
    ) -> pd.DataFrame:
        """Distribution of the window total by perspective and provision.

        Returns
        -------
        DataFrame
            Indexed by (perspective, provision), ``provision = 'all'`` for the
            perspective's total; columns mean, sd, p5, p10, p50, p90, p95, in
            ``basis`` dollars.
        """
        lines = self._lines_and_real()[0]
        cube = self.cube(basis)[:, self._year_mask(years)].sum(axis=1)  # (draws, lines)
        rows = []
        for perspective in PERSPECTIVES:
            mask = self._mask(perspective)
            if not mask.any():
                continue
            groups = {"all": mask}
            for prov in PROVISIONS:
                m = mask & (lines["provision"] == prov).to_numpy()
                if m.any():
                    groups[prov] = m
            for name, m in groups.items():
                x = cube[:, m].sum(axis=1)
                rows.append(
                    {
                        "perspective": perspective,
                        "provision": name,
                        "mean": x.mean(),
                        "sd": x.std(ddof=1) if x.size > 1 else 0.0,
                        **{f"p{q}": v for q, v in zip(PERCENTILES, np.percentile(x, PERCENTILES),
                                                      strict=True)},
                    }
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


def _aligned(run: Run, lines: pd.DataFrame) -> np.ndarray:
    key = pd.MultiIndex.from_frame(run.lines[_KEYS])
    pos = pd.MultiIndex.from_frame(lines[_KEYS]).get_indexer(key)
    out = np.zeros((*run.amounts.shape[:2], len(lines)))
    out[:, :, pos] = run.amounts
    return out


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"'basis' must be one of {', '.join(BASES)}: {basis!r}")
