"""The waterfall chart: baseline to policy, one step per provision.

Private: the public name is :func:`enforcecost.plot.waterfall`.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from . import _format as fmt
from . import _style as st
from ._common import axes_for, finish, money_kwargs, provision_frame, title_text, window_words

if TYPE_CHECKING:
    from ..results import Perspective, Result
    from ..vocab import Basis

__all__ = ["waterfall"]


def waterfall(
    result: Result,
    perspective: Perspective = "federal",
    basis: Basis = "nominal",
    *,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """From the baseline's window total to the policy's, one step per provision.

    The first bar is the baseline's net cost over the window, each step a
    provision's impact (policy − baseline), the last bar the policy's net cost
    (means over draws). Every bar is labelled with its amount. Without a
    baseline the chart starts from zero and the steps are each provision's cost.
    Provisions with no amount in this perspective are left out (and named in
    the footnote).

    Parameters
    ----------
    result : Result
    perspective, basis
        As in :meth:`Result.total`.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to the step bars (:meth:`~matplotlib.axes.Axes.bar`).

    Returns
    -------
    Axes
    """
    steps = provision_frame(result, perspective, basis).sum(axis=0)
    dropped = [st.provision_label(p) for p in steps.index[steps == 0]]
    steps = steps[steps != 0]
    baseline = result.baseline
    # means by provision are kept by every kind of result (per-draw totals of each
    # side are not, in a reduction-only run)
    start = (float(baseline.by_provision(perspective, basis).to_numpy().sum())
             if baseline is not None else 0.0)
    end = start + float(steps.sum())
    ax, made = axes_for(ax, (max(7.0, 2.5 + 0.62 * (len(steps) + 2)), 5.2))
    levels = start + np.concatenate([[0.0], np.cumsum(steps.to_numpy())])
    scale = fmt.money_scale([*levels, start, end])
    f = scale.factor
    x_end = len(steps) + 1
    total_style: dict[str, Any] = {"color": st.GREY, "edgecolor": st.EDGE, "linewidth": 0.4,
                                   "width": 0.7}
    start_label, end_label = (("Baseline", "Policy") if baseline is not None
                              else ("Start", "Total"))
    ax.bar([0], [start / f], label="Window total", **total_style)
    ax.bar([x_end], [end / f], **total_style)
    up = steps.to_numpy() > 0
    colors = np.where(up, st.COLORS["vermillion"], st.COLORS["blue"])
    opts: dict[str, Any] = {"color": colors, "edgecolor": st.EDGE, "linewidth": 0.4,
                            "width": 0.7}
    opts.update(kwargs)
    x = np.arange(1, len(steps) + 1)
    bars = ax.bar(x, steps.to_numpy() / f, bottom=levels[:-1] / f, **opts)
    for patch, is_up in zip(bars.patches, up, strict=True):
        patch.set_hatch("" if is_up else "\\\\\\\\")
    # connectors from each bar's end to the next bar
    for i, level in enumerate(levels):
        ax.plot([i + 0.35, i + 0.65], [level / f] * 2, color=st.GREY, linewidth=0.7)
    # labels: at the end of each step, above the totals
    span = (max(levels.max(), end, 0.0) - min(levels.min(), end, 0.0)) / f
    pad = 0.012 * span
    for xb, value, bottom in zip(x.tolist(), steps.to_numpy(), levels[:-1], strict=True):
        top = (bottom + value) / f
        ax.text(xb, top + (pad if value > 0 else -pad), fmt.fmt_money(value, signed=True),
                ha="center", va="bottom" if value > 0 else "top",
                fontsize=st.FONT["annotation"])
    for xi, value in ((0.0, start), (float(x_end), end)):
        ax.text(xi, value / f + (pad if value >= 0 else -pad), fmt.fmt_money(value),
                ha="center", va="bottom" if value >= 0 else "top",
                fontsize=st.FONT["annotation"], fontweight="bold")
    names = [start_label, *(st.provision_label(p) for p in steps.index), end_label]
    ax.set_xticks(range(x_end + 1), [textwrap.fill(n, 10) for n in names])
    ax.margins(y=0.1)
    if min(levels.min(), end) < 0:
        ax.axhline(0.0, color=st.COLORS["black"], linewidth=0.8)
    st.style_axes(ax)
    fmt.money_axis(ax, "y", scale, basis, **money_kwargs(result))
    handles = [
        Patch(facecolor=st.GREY, edgecolor=st.EDGE, linewidth=0.4),
        Patch(facecolor=st.COLORS["vermillion"], edgecolor=st.EDGE, linewidth=0.4),
        Patch(facecolor=st.COLORS["blue"], edgecolor=st.EDGE, linewidth=0.4, hatch="\\\\\\\\"),
    ]
    st.legend(ax, handles=handles, labels=["Window total", "Adds to net cost",
                                         "Reduces net cost"], loc="best")
    ctx = st.Context.of(result)
    mean = "" if result.deterministic else ", means over draws"
    side = "baseline to policy" if baseline is not None else "by provision"
    what = (f"{st.perspective_words(perspective)} net cost {window_words(result)}, "
            f"{side}{mean}")
    st.set_title(ax, title, title_text(ctx, what))
    note = ("Not shown (no amount here): " + ", ".join(dropped) + ".") if dropped else ""
    return finish(ax, made, footnote, st.source_line(ctx, note))
