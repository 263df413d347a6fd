"""What a view asks of a result's store: checked lines, years and basis.

Each view checks its arguments in one order (perspective, provision, years,
basis) and hands the store a :class:`Selection`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..provisions import PROVISIONS
from ..vocab import BASES, PAYERS_OF, PERSPECTIVES, Basis, Perspective

__all__ = ["By", "Selection", "check_basis", "perspective_mask", "provision_mask", "year_mask"]

#: What a distribution is of: the total over the selected years, or each year.
By = Literal["window", "year"]


@dataclass(frozen=True, eq=False)
class Selection:
    """The checked arguments of a view.

    Attributes
    ----------
    perspective : str
    basis : str
    years : int, sequence of int, or None
        As the caller gave them (a store may pass them on to its first draws).
    mask : ndarray of bool, shape (lines,)
        The selected ledger lines (the perspective's, and maybe one provision's).
    ymask : ndarray of bool, shape (years,)
        The selected fiscal years of the window.
    """

    perspective: Perspective
    basis: Basis
    years: int | Sequence[int] | None
    mask: np.ndarray
    ymask: np.ndarray


def check_basis(basis: str) -> None:
    """Raise ``ValueError`` unless ``basis`` is one of :data:`~enforcecost.vocab.BASES`."""
    if basis not in BASES:
        raise ValueError(f"'basis' must be one of {', '.join(BASES)}: {basis!r}")


def perspective_mask(lines: pd.DataFrame, perspective: str) -> np.ndarray:
    """The lines a perspective pays for, shape ``(lines,)``."""
    if perspective not in PAYERS_OF:
        raise ValueError(
            f"'perspective' must be one of {', '.join(PERSPECTIVES)}: {perspective!r}"
        )
    return lines["payer"].isin(PAYERS_OF[perspective]).to_numpy()


def provision_mask(lines: pd.DataFrame, provision: str) -> np.ndarray:
    """The lines of one provision, shape ``(lines,)`` (``ValueError`` if the lines
    were summed over provisions)."""
    if provision not in PROVISIONS:
        raise ValueError(
            f"'provision' must be one of {', '.join(PROVISIONS)}: {provision!r}"
        )
    kept = lines["provision"]
    if not kept.isin(PROVISIONS).any() and len(kept):
        raise ValueError(
            "this Monte Carlo result kept totals by payer only; rerun simulate(..., "
            "detail='provisions') or with a larger max_bytes for provision detail"
        )
    return (kept == provision).to_numpy()


def year_mask(fiscal_years: np.ndarray, years: int | Sequence[int] | None) -> np.ndarray:
    """The selected fiscal years, shape ``(years,)``: all (None), the first N (an
    int), or those listed."""
    fy = fiscal_years
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
