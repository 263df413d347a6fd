"""The Morris chart: mu* against sigma.

Private: the public name is :func:`enforcecost.plot.morris`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from . import _format as fmt
from . import _style as st
from ._common import FOOTNOTE_A, FloatArray, axes_for, basis_context, check_top, finish, title_text

if TYPE_CHECKING:
    from ..sensitivity import ScenarioMorris

__all__ = ["morris"]


def morris(
    scenario_morris: ScenarioMorris,
    *,
    top: int = 8,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """Morris screening: mu* (importance) against sigma (nonlinearity, interactions).

    Each input is a point; assumption-based inputs are vermillion triangles,
    others blue circles; the ``top`` inputs by mu* are labelled. Reference
    lines sigma = mu* (above: strongly nonlinear or interacting) and
    sigma = 0.1 mu* (below: nearly linear).

    Parameters
    ----------
    scenario_morris : ScenarioMorris
        From :func:`enforcecost.sensitivity.morris`.
    top : int
        Inputs labelled by name.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.scatter` calls.

    Returns
    -------
    Axes
    """
    top = check_top(top, 0)
    frame = scenario_morris.to_frame()
    ax, made = axes_for(ax, (8.0, 5.6))
    scale = fmt.money_scale(np.concatenate([frame["mu_star"], frame["sigma"]]))
    f = scale.factor
    mu, sigma = frame["mu_star"].to_numpy() / f, frame["sigma"].to_numpy() / f
    assumed = (frame["source_kind"] == "assumption").to_numpy()
    for mask, marker, color, name in (
        (~assumed, "o", st.COLORS["blue"], "Input with a source"),
        (assumed, "^", st.COLORS["vermillion"], "[A] assumption-based input"),
    ):
        opts: dict[str, Any] = {"marker": marker, "color": color, "s": 28,
                                "edgecolor": st.COLORS["black"], "linewidth": 0.5,
                                "label": name, "zorder": 3}
        opts.update(kwargs)
        ax.scatter(mu[mask], sigma[mask], **opts)
    top_x = float(max(mu.max(), sigma.max(), 1e-12)) * 1.08
    ax.set_xlim(0.0, top_x)
    ax.set_ylim(0.0, top_x)
    for ratio, ls, text in ((1.0, "--", "\u03c3 = \u03bc*"), (0.1, ":", "\u03c3 = 0.1 \u03bc*")):
        ax.plot([0, top_x], [0, ratio * top_x], color=st.GREY, linestyle=ls, linewidth=0.9)
        xt = top_x * (0.97 if ratio <= 1 else 0.97 / ratio)
        ax.annotate(text, (xt, ratio * xt), xytext=(0, 3), textcoords="offset points",
                    ha="right", va="bottom", fontsize=st.FONT["annotation"], color=st.GREY,
                    rotation=0)
    st.style_axes(ax, grid="both")
    label = fmt.money_label(scale, scenario_morris.output.basis, *basis_context(scenario_morris))
    ax.xaxis.set_major_formatter(fmt.money_formatter(fmt.MoneyScale(1.0, scale.word)))
    ax.yaxis.set_major_formatter(fmt.money_formatter(fmt.MoneyScale(1.0, scale.word)))
    ax.set_xlabel(f"\u03bc*: mean absolute effect of moving one input across its range\n"
                  f"({label[0].lower()}{label[1:]})", fontsize=st.FONT["label"])
    ax.set_ylabel(f"\u03c3: spread of the effects ({label[0].lower()}{label[1:]})",
                  fontsize=st.FONT["label"])
    st.legend(ax, loc="upper left")
    ctx = st.Context.of(scenario_morris)
    st.set_title(ax, title, title_text(ctx, f"Morris screening of the {scenario_morris.label}"))
    _label_points(ax, list(frame.index[:top]), mu[:top], sigma[:top], assumed[:top], mu, sigma)
    res = scenario_morris.result
    note = (
        f"Morris design: {res.trajectories} trajectories, {res.levels} levels "
        f"({res.evaluations:,} model runs). Above \u03c3 = \u03bc*: effect depends strongly "
        f"on the other inputs or is nonlinear. {FOOTNOTE_A}"
    )
    return finish(ax, made, footnote, st.source_line(ctx, note))


def _label_points(
    ax: Axes, names: Sequence[Any], x: FloatArray, y: FloatArray, assumed: npt.NDArray[np.bool_],
    all_x: FloatArray, all_y: FloatArray,
) -> None:
    """Name the points beside them without covering other labels or points.

    Each label goes right of its point, else left of it, else as little above
    as it takes, with a leader line to the point when it had to move up.
    """
    if len(names) == 0:
        return
    texts = []
    for i, name in enumerate(names):
        label = st.input_label(str(name), "assumption" if assumed[i] else "")
        texts.append(ax.annotate(
            label, (x[i], y[i]), xytext=(6, 0), textcoords="offset points",
            ha="left", va="center", fontsize=st.FONT["annotation"],
        ))
    fig = st.figure_of(ax)
    get_renderer = getattr(getattr(fig, "canvas", None), "get_renderer", None)
    if fig is None or get_renderer is None:
        return
    fig.draw_without_rendering()  # lay the figure out so extents are final
    renderer = get_renderer()
    to_points = 72.0 / fig.dpi
    frame = ax.get_window_extent(renderer)
    r = 4.5 / to_points  # every point, labelled or not, is an obstacle
    placed = [Bbox.from_extents(px - r, py - r, px + r, py + r)
              for px, py in ax.transData.transform(np.column_stack([all_x, all_y]))]

    def free(box: Bbox) -> bool:
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and box.y1 <= frame.y1
        return inside and not any(
            box.x0 < o.x1 and o.x0 < box.x1 and box.y0 < o.y1 + 1 and o.y0 < box.y1 + 1
            for o in placed
        )

    order = sorted(range(len(texts)), key=lambda i: -float(x[i]))
    for i in order:
        right = texts[i].get_window_extent(renderer)
        left = right.translated(-(right.width + 12.0 / to_points), 0)
        if free(right):
            placed.append(right)
            continue
        if free(left):
            texts[i].set_horizontalalignment("right")
            texts[i].xyann = (-6.0, 0.0)
            placed.append(left)
            continue
        box, shift = (right if right.x1 <= frame.x1 else left), 0.0
        side = 6.0 if box is right else -6.0
        if box is left:
            texts[i].set_horizontalalignment("right")
        step = box.height / 4
        while not free(box.translated(0, shift)) and shift < frame.height:
            shift += step
        placed.append(box.translated(0, shift))
        texts[i].xyann = (side, shift * to_points)
        ax.annotate("", (x[i], y[i]), xytext=(side, shift * to_points),
                    textcoords="offset points",
                    arrowprops={"arrowstyle": "-", "color": st.GREY, "linewidth": 0.5,
                                "shrinkA": 0, "shrinkB": 3})
