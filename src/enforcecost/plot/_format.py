"""Numbers on charts (private): money scales and labels, counts, input values, axes.

Money is plotted in $B, $M or $K chosen by magnitude, the axis label carrying
the unit, basis and dollar year ("Billions of 2017 dollars"); annotations carry
their own unit ("$31.1B"); minus signs are typographic (U+2212); fiscal years
are labelled "FY2017".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter

from ._style import FONT

__all__ = [
    "MoneyScale",
    "count_formatter",
    "fmt_count",
    "fmt_input",
    "fmt_money",
    "fy_axis",
    "money_axis",
    "money_formatter",
    "money_label",
    "money_scale",
]


@dataclass(frozen=True)
class MoneyScale:
    """Divide dollars by ``factor`` to plot in ``word`` (e.g. 1e9, 'Billions')."""

    factor: float
    word: str


def money_scale(values: npt.ArrayLike) -> MoneyScale:
    """$B, $M or $K, chosen by the largest magnitude among ``values``."""
    arr = np.abs(np.asarray(values, dtype=np.float64))
    arr = arr[np.isfinite(arr)]
    top = float(arr.max()) if arr.size else 0.0
    if top >= 1e9:
        return MoneyScale(1e9, "Billions")
    if top >= 1e6:
        return MoneyScale(1e6, "Millions")
    return MoneyScale(1e3, "Thousands")


def money_label(
    scale: MoneyScale,
    basis: str,
    dollar_year: int | None = None,
    discount_rate: float | None = None,
) -> str:
    """Axis label with unit, basis and dollar year, e.g. 'Billions of 2017 dollars'."""
    if basis == "nominal":
        return f"{scale.word} of nominal dollars"
    year = f"{dollar_year}" if dollar_year is not None else "constant"
    label = f"{scale.word} of {year} dollars"
    if basis == "pv":
        rate = f" at {discount_rate * 100:g}%" if discount_rate is not None else ""
        label += f", present value{rate}"
    return label


def _minus(text: str) -> str:
    return text.replace("-", "\u2212")


def money_formatter(scale: MoneyScale) -> FuncFormatter:
    """Tick labels in units of ``scale`` (no unit: the axis label carries it)."""

    def fmt(value: float, _pos: int | None = None) -> str:
        x = value / scale.factor
        if abs(x) < 1e-12:
            return "0"
        return _minus(f"{x:,.4g}")

    return FuncFormatter(fmt)


def fmt_money(value: float, *, signed: bool = False) -> str:
    """A dollar figure for an annotation, scaled by its own size: '$31.1B', '−$450M'."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    v = abs(value)
    if v >= 1e9:
        body = f"${v / 1e9:,.1f}B" if v < 1e11 else f"${v / 1e9:,.0f}B"
    elif v >= 1e6:
        body = f"${v / 1e6:,.1f}M" if v < 1e7 else f"${v / 1e6:,.0f}M"
    elif v >= 1e3:
        body = f"${v / 1e3:,.0f}K"
    else:
        body = f"${v:,.0f}"
    return _minus(sign) + body


def fmt_count(value: float, _pos: int | None = None) -> str:
    """People, officers, cases: '950', '150K', '1.2M'."""
    v = abs(value)
    sign = "\u2212" if value < 0 else ""
    if v >= 1e6:
        return f"{sign}{v / 1e6:.3g}M"
    if v >= 1e3:
        return f"{sign}{v / 1e3:.3g}K"
    return f"{sign}{v:.3g}"


def count_formatter() -> FuncFormatter:
    """Tick formatter for counts (see :func:`fmt_count`)."""
    return FuncFormatter(fmt_count)


def fmt_input(value: float) -> str:
    """An input value at the end of a tornado bar: '371', '3,000', '0.17'."""
    if not math.isfinite(value):
        return "unlimited" if value > 0 else _minus(f"{value}")
    v = abs(value)
    if v >= 1000:
        text = f"{value:,.0f}"
    elif v >= 1 or v == 0:
        text = f"{value:.3g}"
    else:
        text = f"{value:.2g}"
    return _minus(text)


# -- axes ------------------------------------------------------------------------
def money_axis(
    ax: Axes,
    axis: str,
    scale: MoneyScale,
    basis: str,
    dollar_year: int | None,
    discount_rate: float | None,
) -> None:
    """Label an axis plotted in dollars / ``scale.factor``."""
    label = money_label(scale, basis, dollar_year, discount_rate)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(money_formatter(MoneyScale(1.0, scale.word)))
    target.set_label_text(label, fontsize=FONT["label"])


def fy_axis(ax: Axes, years: Sequence[int] | np.ndarray, *, max_labels: int = 12) -> None:
    """Fiscal-year ticks on the x axis, labelled 'FY2017', thinned to ``max_labels``."""
    fy = [int(y) for y in years]
    if not fy:
        return
    step = max(1, math.ceil(len(fy) / max_labels))
    ticks = fy[::step]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"FY{round(v)}"))
    ax.set_xlim(fy[0] - 0.6, fy[-1] + 0.6)
    ax.set_xlabel("Fiscal year", fontsize=FONT["label"])

