"""Plumbing shared by the chart functions (private): arguments, figures, footnotes, words.

Every chart ``chart(obj, ..., *, ax=None, title=None, footnote=None, **kwargs)``
gets its Axes from :func:`axes_for` and ends with :func:`finish`; helpers used by
more than one chart live here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.patches import Patch

from ._style import Context, add_footnote, figure_of, new_figure, perspective_words

if TYPE_CHECKING:
    from ..results import Result

__all__ = [
    "FOOTNOTE_A",
    "FloatArray",
    "axes_for",
    "basis_context",
    "check_choice",
    "check_top",
    "finish",
    "money_kwargs",
    "net_words",
    "provision_frame",
    "swatch",
    "title_text",
    "window_words",
]

FloatArray = npt.NDArray[np.float64]

FOOTNOTE_A = "Inputs flagged [A] rest on an assumption, not a published source."


def axes_for(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Axes, bool]:
    """The Axes to draw in, and whether this call made its figure."""
    if ax is not None:
        return ax, False
    _, axes = new_figure(figsize)
    return axes[0], True


def finish(ax: Axes, made: bool, footnote: bool | str | None, default: str) -> Axes:
    """Add the source line (``default``, or the ``footnote`` string) when the chart
    made its figure and ``footnote`` is not False; return ``ax``."""
    if made and footnote is not False:
        fig = figure_of(ax)
        if fig is not None:
            add_footnote(fig, footnote if isinstance(footnote, str) else default)
    return ax


def check_choice(name: str, value: object, options: Sequence[object]) -> None:
    """ValueError naming the argument, the allowed values and the value given."""
    if value not in options:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name!r} must be one of {shown}: {value!r}")


def check_top(value: object, minimum: int = 1) -> int:
    """``top`` must be a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"'top' must be a whole number >= {minimum}: {value!r}")
    return int(value)


def title_text(ctx: Context, what: str) -> str:
    """Scenario name (when known) over what the chart shows."""
    return f"{ctx.name}\n{what}" if ctx.name else what


def basis_context(obj: Any) -> tuple[int | None, float | None]:
    """Dollar year and discount rate of the run behind ``obj``, when known."""
    ctx = Context.of(obj)
    return ctx.dollar_year, ctx.discount_rate


# -- words and data shared by the charts of results ----------------------------------
def net_words(result: Result, perspective: str) -> str:
    """'Federal net impact' (against a baseline) or 'Federal net cost'."""
    side = "impact" if result.has_baseline else "cost"
    return f"{perspective_words(perspective)} net {side}"


def window_words(result: Result) -> str:
    """The result's window in words: 'FY2017–FY2026'."""
    fy = result.fiscal_years
    return f"FY{fy[0]}\u2013FY{fy[-1]}"


def money_kwargs(result: Result) -> dict[str, Any]:
    """Dollar year and discount rate of ``result``, as :func:`money_axis` keywords."""
    return {"dollar_year": result.dollar_year, "discount_rate": result.discount_rate}


def provision_frame(result: Result, perspective: str, basis: str) -> pd.DataFrame:
    """:meth:`Result.by_provision`, or ValueError when the result kept payer totals only."""
    frame = result.by_provision(perspective, basis)  # type: ignore[arg-type]
    if "all provisions" in frame.columns:
        raise ValueError(
            "this Monte Carlo result kept totals by payer only; rerun simulate(..., "
            "detail='provisions') for charts by provision"
        )
    return frame


def swatch(bars: BarContainer) -> Patch:
    """A legend swatch with the bars' colours but no hatch (hatching means [A])."""
    first = bars.patches[0] if bars.patches else None
    if first is None:
        return Patch()
    return Patch(facecolor=first.get_facecolor(), edgecolor=first.get_edgecolor(),
                 linewidth=first.get_linewidth())
