"""The tornado chart: one-at-a-time swings.

Private: the public name is :func:`enforcecost.plot.tornado`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..results._headline import HEADLINE_WORDS, headline_value
from . import _format as fmt
from . import _style as st
from ._common import FOOTNOTE_A, axes_for, basis_context, check_top, finish, swatch, title_text

if TYPE_CHECKING:
    from ..results import Result
    from ..sensitivity import TornadoResult

__all__ = ["tornado"]


def tornado(
    tornado_result: TornadoResult,
    *,
    top: int = 15,
    headline: Result | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """One-at-a-time swings: the output with each input at its low and high end.

    Horizontal bars from the central output to the output with the input at
    the low end (one colour) and at the high end (another), largest swing on
    top; the input values are written at the bar ends. Assumption-based inputs
    are labelled ``[A]`` and hatched.

    The bars start from the **central values** (a one-at-a-time study varies
    each input from there), which is not the figure a result leads with: the
    headline is the **mean** over the draws (the rule of
    :mod:`enforcecost.results._headline`). Pass the Monte Carlo result as
    ``headline`` to mark it too (a dash-dotted vermillion line), so the chart
    shows the number the report leads with beside the centre of its bars.

    Parameters
    ----------
    tornado_result : TornadoResult
        From :func:`enforcecost.sensitivity.tornado`.
    top : int
        Show the ``top`` inputs with the largest swing.
    headline : Result, optional
        A result of the same scenario whose headline
        (:func:`~enforcecost.results.headline_value` of the tornado's output:
        perspective, basis, years, provision) is marked.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes
    """
    top = check_top(top)
    frame = tornado_result.frame.head(top).iloc[::-1]
    base = tornado_result.base
    n = len(frame)
    ax, made = axes_for(ax, (8.0, max(3.2, 1.4 + 0.32 * n)))
    output = tornado_result.output
    head = (None if headline is None
            else headline_value(headline, output.perspective, output.basis, output.years,
                                output.provision))
    scale = fmt.money_scale([base, *frame["low_output"], *frame["high_output"],
                             *([] if head is None else [head])])
    f = scale.factor
    y = np.arange(n)
    hatches = [st.ASSUMPTION_HATCH if k == "assumption" else "" for k in frame["source_kind"]]
    low = frame["low_output"].to_numpy() / f
    high = frame["high_output"].to_numpy() / f
    sides = (
        ("Input at low end", low, st.COLORS["blue"], frame["low_input"]),
        ("Input at high end", high, st.COLORS["orange"], frame["high_input"]),
    )
    handles: list[Any] = []
    for label, out, color, inputs in sides:
        opts: dict[str, Any] = {"color": color, "edgecolor": st.EDGE, "linewidth": 0.4,
                                "height": 0.7, "label": label}
        opts.update(kwargs)
        bars = ax.barh(y, out - base / f, left=base / f, **opts)
        handles.append(swatch(bars))
        for patch, hatch in zip(bars.patches, hatches, strict=True):
            patch.set_hatch(hatch)
        for yi, end, value in zip(y, out, inputs, strict=True):
            right = end >= base / f
            ax.annotate(
                fmt.fmt_input(float(value)), (end, yi), xytext=(3 if right else -3, 0),
                textcoords="offset points", ha="left" if right else "right", va="center",
                fontsize=st.FONT["annotation"], color=st.GREY,
            )
    ax.axvline(base / f, color=st.COLORS["black"], linewidth=1.0)
    ax.set_yticks(y, [st.input_label(str(i), k) for i, k in zip(frame.index,
                                                                   frame["source_kind"],
                                                                   strict=True)])
    ax.set_ylim(-0.6, n - 0.4)
    ax.margins(x=0.12)
    dollar_year, rate = basis_context(tornado_result)
    st.style_axes(ax, grid="x")
    fmt.money_axis(ax, "x", scale, tornado_result.output.basis, dollar_year, rate)
    handles += [
        Line2D([], [], color=st.COLORS["black"], linewidth=1.0),
        Patch(facecolor="white", edgecolor=st.EDGE, hatch=st.ASSUMPTION_HATCH),
    ]
    labels = [name for name, *_ in sides]
    labels += [f"Central value: {fmt.fmt_money(base)} (bars start here)",
               "[A] assumption-based input"]
    if head is not None:
        assert headline is not None
        ax.axvline(head / f, color=st.COLORS["vermillion"], linestyle="-.", linewidth=1.6)
        handles.append(Line2D([], [], color=st.COLORS["vermillion"], linestyle="-.",
                              linewidth=1.6))
        draws = "central values" if headline.deterministic else f"{headline.draws:,} draws"
        labels.append(f"{HEADLINE_WORDS.capitalize()} (headline, {draws}): "
                      f"{fmt.fmt_money(head)}")
    st.legend(ax, handles=handles, labels=labels, loc="upper center",
              bbox_to_anchor=(0.5, -0.09), ncol=2)
    ctx = st.Context.of(tornado_result)
    st.set_title(ax, title, title_text(ctx, f"What moves the {tornado_result.label}"))
    note = (
        "Each input alone at the ends of its range (support of bounded distributions, "
        "else 5th/95th percentiles); all others at central values; numbers at the bar "
        f"ends are the input values. {FOOTNOTE_A}"
    )
    if head is None:
        note += (f" The bars start from the central values, not the headline (the "
                 f"{HEADLINE_WORDS} over the draws).")
    return finish(ax, made, footnote, st.source_line(ctx, note))
