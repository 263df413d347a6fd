"""The fan chart: net cost per fiscal year with percentile bands.

Private: the public name is :func:`enforcecost.plot.fan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.axes import Axes

from ..results._headline import HEADLINE_WORDS
from . import _format as fmt
from . import _style as st
from ._common import FloatArray, axes_for, check_choice, finish, money_kwargs, net_words, title_text

if TYPE_CHECKING:
    from ..results import Perspective, Result
    from ..vocab import Basis

__all__ = ["fan"]


_BANDS = ((5, 95, 0.18), (10, 90, 0.32))


def fan(
    result: Result,
    perspective: Perspective = "federal",
    basis: Basis = "nominal",
    *,
    show: Literal["impact", "sides"] = "impact",
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """Net cost per fiscal year: median and 5–95 and 10–90 percentile bands, and the mean.

    For a Monte Carlo result a dash-dotted line marks each year's **mean**
    over the draws, whose sum over the window is the headline (the rule of
    :mod:`enforcecost.results._headline`); the median line is the centre of
    the bands.

    Parameters
    ----------
    result : Result
    perspective : {'federal', 'state_local', 'government', 'economy'}
    basis : {'nominal', 'real', 'pv'}
    show : {'impact', 'sides'}
        For a result with a baseline: the impact (policy − baseline, the
        default), or the policy and the baseline each with its own bands.
        Ignored without a baseline.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to the median line(s) (:meth:`~matplotlib.axes.Axes.plot`).

    Returns
    -------
    Axes

    Notes
    -----
    A deterministic result (:func:`~enforcecost.evaluate`) has no bands: its
    line(s) only.
    """
    check_choice("show", show, ("impact", "sides"))
    ax, made = axes_for(ax, (8.0, 4.8))
    years = result.fiscal_years
    if show == "sides" and result.has_baseline:
        baseline = result.baseline
        assert baseline is not None
        series = [("Policy", result.policy, st.COLORS["blue"], "o"),
                  ("Baseline", baseline, st.COLORS["orange"], "s")]
        what = f"{st.perspective_words(perspective)} net cost by fiscal year, policy and baseline"
    else:
        label = "Impact" if result.has_baseline else "Net cost"
        series = [(label, result, st.COLORS["blue"], "o")]
        what = f"{net_words(result, perspective)} by fiscal year"
        if result.has_baseline:
            what += " (policy \u2212 baseline)"
    # percentiles by year, shape (5, years): p5, p10, p50, p90, p95 (all five equal for a
    # deterministic result), and the draws they come from
    levels = [q for lo, hi, _ in _BANDS for q in (lo, hi)] + [50]
    bands = [_year_percentiles(r, perspective, basis, levels) for _, r, _, _ in series]
    scale = fmt.money_scale(np.concatenate([b.ravel() for b, _ in bands]))
    f = scale.factor
    crosses_zero = False
    r_of = {label: r for label, r, _, _ in series}
    for (label, _, color, marker), (band, _) in zip(series, bands, strict=True):
        a = band / f
        if not result.deterministic:
            for j, (lo, hi, alpha) in enumerate(_BANDS):
                ax.fill_between(years, a[2 * j], a[2 * j + 1], color=color, alpha=alpha,
                                linewidth=0, label=f"{label}: {lo}th\u2013{hi}th percentile")
            mid = a[-1]
            name = f"{label}: median"
        else:
            mid = a[-1]
            name = label
        opts: dict[str, Any] = {"color": color, "marker": marker, "markersize": 4,
                                "linewidth": 1.8, "label": name}
        opts.update(kwargs)
        ax.plot(years, mid, **opts)
        if not result.deterministic:
            mean = _year_means(r_of[label], perspective, basis) / f
            ax.plot(years, mean, color=color, linestyle="-.", linewidth=1.4,
                    label=f"{label}: {HEADLINE_WORDS} (its sum is the headline)")
        crosses_zero |= bool(a.min() < 0 < a.max()) or bool(a.max() <= 0)
    if crosses_zero:
        ax.axhline(0.0, color=st.GREY, linewidth=0.8)
    st.style_axes(ax)
    fmt.fy_axis(ax, years)
    fmt.money_axis(ax, "y", scale, basis, **money_kwargs(result))
    st.legend(ax, loc="best")
    ctx = st.Context.of(result)
    st.set_title(ax, title, title_text(ctx, what))
    note = ""
    if not result.deterministic:
        note = "Bands are percentiles across draws in each year"
        used = bands[0][1]
        note += (f", from the first {used:,} of the {result.draws:,} draws (a reduction-only "
                 "run keeps those in full)." if used < result.draws else ".")
    return finish(ax, made, footnote, st.source_line(ctx, note))


def _year_percentiles(
    result: Result, perspective: Perspective, basis: Basis, levels: Sequence[float]
) -> tuple[FloatArray, int]:
    """Percentiles of each fiscal year's net cost, shape ``(levels, years)``, and the draws used.

    From :meth:`Result.annual`: every draw's net cost by year, or for a
    reduction-only result (which keeps no draw's amounts by year) those of its
    first draws, kept in full.
    """
    # a deterministic result's Series is one row
    a = np.atleast_2d(np.asarray(result.annual(perspective, basis), dtype=np.float64))
    return np.asarray(np.percentile(a, levels, axis=0), dtype=np.float64), a.shape[0]


def _year_means(result: Result, perspective: Perspective, basis: Basis) -> FloatArray:
    """Each fiscal year's mean net cost over all draws (exact also for a reduction-only
    result), shape ``(years,)``: they sum to :meth:`Result.mean_total`."""
    return np.asarray(result.by_provision(perspective, basis).sum(axis=1), dtype=np.float64)
