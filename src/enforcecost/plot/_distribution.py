"""The distribution chart: histogram and CDF of the window total.

Private: the public name is :func:`enforcecost.plot.distribution`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from ..results._headline import HEADLINE_WORDS, headline_value
from . import _format as fmt
from . import _style as st
from ._common import FloatArray, axes_for, finish, money_kwargs, net_words, title_text, window_words

if TYPE_CHECKING:
    from ..results import Perspective, Result
    from ..vocab import Basis

__all__ = ["distribution"]


def distribution(
    result: Result,
    perspective: Perspective = "federal",
    basis: Basis = "nominal",
    years: int | Sequence[int] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """Histogram and cumulative distribution of the window total, headline and p5/p50/p95 marked.

    The histogram (left axis, draws per bin) and the empirical CDF (a twin
    right axis, cumulative probability) of the net impact (or cost, without
    a baseline) over the window; vertical lines and CDF markers at the 5th,
    50th and 95th percentiles, each labelled with its amount, and a
    dash-dotted vermillion line at the headline, the **mean** (the rule of
    :mod:`enforcecost.results._headline`), labelled with its amount in the
    legend.

    Parameters
    ----------
    result : Result
        A Monte Carlo result (:func:`~enforcecost.simulate`).
    perspective, basis, years
        As in :meth:`Result.total`.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.hist`.

    Returns
    -------
    Axes
        The histogram's Axes (the CDF's twin is in ``ax.figure.axes``).

    Raises
    ------
    ValueError
        For a deterministic result (one run has no distribution).
    """
    if result.deterministic:
        raise ValueError(
            "'result' must be a Monte Carlo result (enforcecost.simulate): a deterministic "
            "run has no distribution"
        )
    # the draws' totals, or for a reduction-only result its sketch's buckets (every draw,
    # each at its bucket's value: within 0.05% of its distance from the central value)
    x, weights = _draws(result, perspective, basis, years)
    ax, made = axes_for(ax, (8.0, 4.8))
    pct = np.atleast_1d(result.quantile([0.05, 0.5, 0.95], perspective, basis, years))
    scale = fmt.money_scale(np.concatenate([x, pct]))
    f = scale.factor
    xs = x / f
    if weights is None:
        bins = np.histogram_bin_edges(xs, bins="auto")
        if bins.size > 61:
            bins = np.histogram_bin_edges(xs, bins=60)
    else:
        bins = np.histogram_bin_edges(xs, bins=60)
    draws = result.draws
    opts: dict[str, Any] = {"bins": bins, "color": st.COLORS["sky"], "edgecolor": "white",
                            "linewidth": 0.5, "label": f"Draws ({draws:,})"}
    opts.update(kwargs)
    ax.hist(xs, weights=weights, **opts)
    ax.set_ylabel("Draws per bin", fontsize=st.FONT["label"])
    cdf_ax = ax.twinx()
    order = np.argsort(xs, kind="stable")
    srt = xs[order]
    counts = np.ones(srt.size) if weights is None else weights[order]
    prob = np.cumsum(counts) / draws
    cdf_ax.step(srt, prob, where="post", color=st.COLORS["blue"], linewidth=1.6,
                label="Cumulative probability (right axis)")
    cdf_ax.set_ylim(0.0, 1.04)
    cdf_ax.set_ylabel("Cumulative probability", fontsize=st.FONT["label"])
    cdf_ax.spines[["top"]].set_visible(False)
    cdf_ax.tick_params(labelsize=st.FONT["tick"], color=st.GREY)
    cdf_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0%}"))
    marks = (("p5", 0.05, pct[0], "--", "right"), ("p50", 0.50, pct[1], "-", "left"),
             ("p95", 0.95, pct[2], "--", "left"))
    for name, q, value, ls, ha in marks:
        ax.axvline(value / f, color=st.COLORS["black"], linestyle=ls, linewidth=1.0)
        cdf_ax.plot([value / f], [q], marker="o", markersize=5, color=st.COLORS["vermillion"],
                    markeredgecolor=st.COLORS["black"], linestyle="none")
        # labels sit beside their CDF marker, away from the curve
        off = -6 if ha == "right" else 6
        cdf_ax.annotate(
            f"{name} {fmt.fmt_money(float(value))}", (value / f, q), xytext=(off, 0),
            textcoords="offset points", ha=ha, va="center", fontsize=st.FONT["annotation"],
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.85},
        )
    head = headline_value(result, perspective, basis, years)
    ax.axvline(head / f, color=st.COLORS["vermillion"], linestyle="-.", linewidth=1.6,
               label=f"{HEADLINE_WORDS.capitalize()} (headline) {fmt.fmt_money(head)}")
    st.style_axes(ax)
    fmt.money_axis(ax, "x", scale, basis, **money_kwargs(result))
    handles = [
        *ax.get_legend_handles_labels()[0],
        *cdf_ax.get_legend_handles_labels()[0],
        Line2D([], [], color=st.COLORS["black"], linestyle="-", linewidth=1.0),
        Line2D([], [], color=st.COLORS["black"], linestyle="--", linewidth=1.0),
    ]
    labels = [
        *ax.get_legend_handles_labels()[1],
        *cdf_ax.get_legend_handles_labels()[1],
        "Median (p50)",
        "5th and 95th percentiles",
    ]
    st.legend(cdf_ax, handles=handles, labels=labels, loc="upper left")
    ctx = st.Context.of(result)
    span = window_words(result) if years is None else _years_words(result, years)
    what = f"{net_words(result, perspective)} {span}: distribution over draws"
    st.set_title(ax, title, title_text(ctx, what))
    note = (f"The headline is the {HEADLINE_WORDS} over the draws "
            f"({fmt.fmt_money(head)}), the expected cost.")
    return finish(ax, made, footnote, st.source_line(ctx, note))


def _draws(
    result: Result, perspective: Perspective, basis: Basis, years: int | Sequence[int] | None
) -> tuple[FloatArray, FloatArray | None]:
    """Values of the draws' totals and their weights (None: one draw each).

    A reduction-only result (``detail == 'summary'``) kept no draw's totals: the
    buckets of :meth:`Result.buckets` stand for every draw (the bucket's value,
    weighted by its count).
    """
    if result.detail != "summary":
        x = np.asarray(result.total(perspective, basis, years=years), dtype=np.float64)
        return x, None
    values, counts = result.buckets(perspective, basis, years)
    return values, counts.astype(np.float64)


def _years_words(result: Result, years: int | Sequence[int]) -> str:
    fy = result.fiscal_years
    if isinstance(years, int | np.integer):
        return f"FY{fy[0]}\u2013FY{fy[int(years) - 1]}"
    ys = sorted(int(y) for y in years)
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 1:
        return f"FY{ys[0]}\u2013FY{ys[-1]}"
    return ", ".join(f"FY{y}" for y in ys)
