"""Ledger lines: their labels, their order, and amounts moved between line sets.

A set of ledger lines is a DataFrame with one row per line and the columns
:data:`KEYS`; amounts have lines on their first axis, in the frame's order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..provisions import PROVISIONS

__all__ = [
    "ALL_ITEMS",
    "ALL_PROVISIONS",
    "KEYS",
    "align",
    "positions",
    "provision_order",
    "union_lines",
]

#: The columns that identify a ledger line.
KEYS = ["provision", "item", "payer", "kind"]
#: Labels of lines summed over provisions or items in a Monte Carlo result's kept detail.
ALL_PROVISIONS = "all provisions"
ALL_ITEMS = "all items"


def provision_order(provision: str) -> int:
    """Rank of a provision in :data:`~enforcecost.provisions.PROVISIONS` (others last)."""
    return PROVISIONS.index(provision) if provision in PROVISIONS else len(PROVISIONS)


def union_lines(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The lines of either side, in provision order (the cube order of an impact)."""
    return (
        pd.concat([first, second])
        .drop_duplicates()
        .assign(_order=lambda d: d["provision"].map(provision_order))
        .sort_values("_order", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def positions(lines: pd.DataFrame, to: pd.DataFrame) -> np.ndarray:
    """The row of ``to`` of each line, shape ``(len(lines),)``."""
    key = pd.MultiIndex.from_frame(lines[KEYS])
    return np.asarray(pd.MultiIndex.from_frame(to[KEYS]).get_indexer(key))


def align(values: np.ndarray, lines: pd.DataFrame, to: pd.DataFrame) -> np.ndarray:
    """``values`` (first axis: ``lines``) placed on the rows of ``to``; zeros elsewhere.

    Returns
    -------
    ndarray, shape ``(len(to), *values.shape[1:])``
    """
    out = np.zeros((len(to), *values.shape[1:]))
    out[positions(lines, to)] = values
    return out
