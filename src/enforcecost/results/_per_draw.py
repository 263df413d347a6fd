"""The per-draw store: every draw's ledger, at the detail the simulation kept.

Its caches (the impact's lines and real amounts, as large as the cube) are
``functools.cached_property`` of this mutable object, built on first use:
a Result owns one store, so a view pays for the impact cube once.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..provisions import PROVISIONS
from ..registry import Window, discount_factors
from ._lines import ALL_ITEMS, ALL_PROVISIONS, align, positions, provision_order, union_lines
from ._runs import Reduced, Run
from ._select import By, Selection, check_basis
from ._stats import draw_stats

if TYPE_CHECKING:
    from ._result import Result
    from ._store import Side

__all__ = ["PerDrawStore"]


class PerDrawStore:
    """Views of the runs' per-draw amounts: the policy's, or policy − baseline.

    Parameters
    ----------
    policy, baseline : Run, Run or None
        Amounts of shape ``(lines, draws, years)``, real dollars.
    window : Window
    discount_rate : float
    """

    first_draws: Result | None = None

    def __init__(self, policy: Run, baseline: Run | None, window: Window,
                 discount_rate: float) -> None:
        self.policy = policy
        self.baseline = baseline
        self.window = window
        self.discount_rate = discount_rate

    @property
    def detail(self) -> str:
        provisions = self.policy.lines["provision"]
        if len(provisions) and (provisions == ALL_PROVISIONS).all():
            return "payers"
        if len(provisions) and (self.policy.lines["item"] == ALL_ITEMS).all():
            return "provisions"
        return "lines"

    @property
    def draws(self) -> int:
        return int(self.policy.amounts.shape[1])

    @cached_property
    def lines(self) -> pd.DataFrame:
        if self.baseline is None:
            return self.policy.lines
        return union_lines(self.policy.lines, self.baseline.lines)

    @cached_property
    def real(self) -> np.ndarray:
        """Real amounts of the views' lines, shape ``(lines, draws, years)``."""
        if self.baseline is None:
            return self.policy.amounts
        lines = self.lines
        # policy - baseline, row by row in place: one array the size of the cube
        cube = align(self.policy.amounts, self.policy.lines, lines)
        for row, amounts in zip(positions(self.baseline.lines, lines), self.baseline.amounts,
                                strict=True):
            cube[row] -= amounts
        return cube

    def side(self, run: Run, which: Side) -> Reduced | None:
        return None  # a side is its run

    def _factor(self, basis: str) -> np.ndarray:
        """Multiplier from real to ``basis`` dollars, broadcastable to (draws, years)."""
        check_basis(basis)
        if basis == "real":
            return np.ones((1, self.window.years))
        if basis == "nominal":
            return self.policy.price
        return discount_factors(self.window, self.discount_rate)[None, :]

    @property
    def _cross_price(self) -> bool:
        """Policy and baseline project different price levels (``inflation_projection``):
        the nominal impact is then each side's nominal amounts, each at its own prices."""
        base = self.baseline
        return base is not None and not np.array_equal(self.policy.price, base.price)

    def _sides_nominal(self, mask: np.ndarray) -> np.ndarray:
        """Nominal impact of the masked lines, ``(lines, draws, years)``: policy amounts at
        the policy's price level minus baseline amounts at the baseline's."""
        base = self.baseline
        assert base is not None
        lines, pol = self.lines, self.policy
        out = np.zeros((len(lines), *pol.price.shape))
        for run, combine in ((pol, np.add), (base, np.subtract)):
            for row, amounts in zip(positions(run.lines, lines), run.amounts, strict=True):
                if mask[row]:
                    combine(out[row], amounts * run.price, out=out[row])
        return out

    def cube(self, basis: str) -> np.ndarray:
        if basis == "nominal" and self._cross_price:
            return np.moveaxis(self._sides_nominal(np.ones(len(self.lines), bool)), 0, -1)
        return np.moveaxis(self.real * self._factor(basis)[None], 0, -1)

    def mean_cube(self, basis: str) -> np.ndarray:
        return np.asarray(self.cube(basis).mean(axis=0))

    def _net(self, mask: np.ndarray, basis: str) -> np.ndarray:
        """Net amount of the masked lines per draw and year, shape (draws, years)."""
        if basis == "nominal" and self._cross_price:
            return np.asarray(self._sides_nominal(mask).sum(axis=0))
        real = self.real
        factor = self._factor(basis)
        net = np.zeros(real.shape[1:])
        for i in np.flatnonzero(mask):  # line by line, as a sum over lines: no copy of them
            net += real[i]
        return np.asarray(net * factor)

    def mean_by_year(self, mask: np.ndarray, basis: str) -> np.ndarray:
        return np.asarray(self._net(mask, basis).mean(axis=0))

    def mean_total(self, sel: Selection) -> float:
        return float(np.mean(self.total(sel)))

    def total(self, sel: Selection) -> np.ndarray:
        return np.asarray(self._net(sel.mask, sel.basis)[:, sel.ymask].sum(axis=1))

    def annual(self, sel: Selection) -> np.ndarray:
        return self._net(sel.mask, sel.basis)

    def quantile(self, sel: Selection, q: np.ndarray, by: By) -> float | np.ndarray:
        net = self._net(sel.mask, sel.basis)[:, sel.ymask]
        x = net.sum(axis=1) if by == "window" else net
        return np.asarray(np.quantile(x, q, axis=0))

    def buckets(self, sel: Selection) -> tuple[np.ndarray, np.ndarray]:
        values, counts = np.unique(self.total(sel), return_counts=True)
        return values, counts.astype(np.int64)

    def groups(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        lines = self.lines
        groups = {"all": mask}
        for prov in sorted(set(lines.loc[mask, "provision"]), key=provision_order):
            if prov in PROVISIONS:
                groups[prov] = mask & (lines["provision"] == prov).to_numpy()
        return groups

    def distribution(self, sel: Selection, by: By) -> list[dict[str, float]]:
        return draw_stats(self._net(sel.mask, sel.basis)[:, sel.ymask], by)
