"""The stacked chart: net cost per fiscal year by provision.

Private: the public name is :func:`enforcecost.plot.stacked`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes

from . import _format as fmt
from . import _style as st
from ._common import axes_for, finish, money_kwargs, net_words, provision_frame, title_text

if TYPE_CHECKING:
    from ..results import Perspective, Result
    from ..vocab import Basis

__all__ = ["stacked"]


def stacked(
    result: Result,
    perspective: Perspective = "federal",
    basis: Basis = "nominal",
    *,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """Net cost per fiscal year stacked by provision (means over draws).

    Costs stack above zero and savings (negative amounts) below it; a black
    line with diamonds marks each year's net total. Provisions with no amount
    in this perspective are left out.

    Parameters
    ----------
    result : Result
    perspective, basis
        As in :meth:`Result.total`.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to each provision's :meth:`~matplotlib.axes.Axes.bar` call.

    Returns
    -------
    Axes
    """
    frame = provision_frame(result, perspective, basis)
    frame = frame.loc[:, (frame != 0).any(axis=0)]
    ax, made = axes_for(ax, (9.0, 5.0))
    years = result.fiscal_years
    total = frame.sum(axis=1).to_numpy()
    pos_top = np.clip(frame, 0, None).sum(axis=1).to_numpy()
    neg_bottom = np.clip(frame, None, 0).sum(axis=1).to_numpy()
    scale = fmt.money_scale([*pos_top, *neg_bottom, *total])
    f = scale.factor
    up = np.zeros(len(years))
    down = np.zeros(len(years))
    for provision in frame.columns:
        v = frame[provision].to_numpy() / f
        bottom = np.where(v >= 0, up, down)
        opts: dict[str, Any] = {"width": 0.72, "label": st.provision_label(provision),
                                **st.provision_style(provision)}
        opts.update(kwargs)
        ax.bar(years, v, bottom=bottom, **opts)
        up = np.where(v >= 0, up + v, up)
        down = np.where(v < 0, down + v, down)
    ax.plot(years, total / f, color=st.COLORS["black"], marker="D", markersize=4,
            linewidth=1.2, label="Net total")
    if (neg_bottom < 0).any():
        ax.axhline(0.0, color=st.COLORS["black"], linewidth=0.8)
    st.style_axes(ax)
    fmt.fy_axis(ax, years)
    fmt.money_axis(ax, "y", scale, basis, **money_kwargs(result))
    handles, labels = ax.get_legend_handles_labels()
    by_label = dict(zip(labels, handles, strict=True))
    # the net total first, then the provisions top-down, as they stack above zero
    order = ["Net total", *(st.provision_label(p) for p in frame.columns[::-1])]
    st.legend(ax, handles=[by_label[k] for k in order], labels=order,
            loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    ctx = st.Context.of(result)
    mean = "" if result.deterministic else ", mean over draws"
    st.set_title(ax, title, title_text(ctx, f"{net_words(result, perspective)} by provision{mean}"))
    dropped = [p for p in result.by_provision(perspective, basis).columns
               if p not in frame.columns]
    note = ("Provisions with no amount here: " + ", ".join(
        st.provision_label(p) for p in dropped) + ".") if dropped else ""
    return finish(ax, made, footnote, st.source_line(ctx, note))
