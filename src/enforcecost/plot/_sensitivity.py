"""Charts of sensitivity analyses (private: see :mod:`enforcecost.plot`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from ..vocab import SOURCE_KIND_LABELS
from . import _style as st

if TYPE_CHECKING:
    from ..sensitivity import ScenarioMorris, ScenarioSobol, TornadoResult

__all__ = ["morris", "sobol", "tornado"]

FloatArray = npt.NDArray[np.float64]


def _swatch(bars: BarContainer) -> Patch:
    """A legend swatch with the bars' colours but no hatch (hatching means [A])."""
    first = bars.patches[0] if bars.patches else None
    if first is None:
        return Patch()
    return Patch(facecolor=first.get_facecolor(), edgecolor=first.get_edgecolor(),
                 linewidth=first.get_linewidth())


# -- 1. tornado -------------------------------------------------------------------------
def tornado(
    tornado_result: TornadoResult,
    *,
    top: int = 15,
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

    Parameters
    ----------
    tornado_result : TornadoResult
        From :func:`enforcecost.sensitivity.tornado`.
    top : int
        Show the ``top`` inputs with the largest swing.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes
    """
    top = st.check_top(top)
    frame = tornado_result.frame.head(top).iloc[::-1]
    base = tornado_result.base
    n = len(frame)
    ax, made = st.axes_for(ax, (8.0, max(3.2, 1.4 + 0.32 * n)))
    scale = st.money_scale([base, *frame["low_output"], *frame["high_output"]])
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
        handles.append(_swatch(bars))
        for patch, hatch in zip(bars.patches, hatches, strict=True):
            patch.set_hatch(hatch)
        for yi, end, value in zip(y, out, inputs, strict=True):
            right = end >= base / f
            ax.annotate(
                st.fmt_input(float(value)), (end, yi), xytext=(3 if right else -3, 0),
                textcoords="offset points", ha="left" if right else "right", va="center",
                fontsize=st.FONT["annotation"], color=st.GREY,
            )
    ax.axvline(base / f, color=st.COLORS["black"], linewidth=1.0)
    ax.set_yticks(y, [st.input_label(str(i), k) for i, k in zip(frame.index,
                                                                   frame["source_kind"],
                                                                   strict=True)])
    ax.set_ylim(-0.6, n - 0.4)
    ax.margins(x=0.12)
    dollar_year, rate = st.basis_context(tornado_result)
    st.style_axes(ax, grid="x")
    st.money_axis(ax, "x", scale, tornado_result.output.basis, dollar_year, rate)
    handles += [
        Line2D([], [], color=st.COLORS["black"], linewidth=1.0),
        Patch(facecolor="white", edgecolor=st.EDGE, hatch=st.ASSUMPTION_HATCH),
    ]
    labels = [name for name, *_ in sides]
    labels += [f"Central value: {st.fmt_money(base)}", "[A] assumption-based input"]
    st.legend(ax, handles=handles, labels=labels, loc="best")
    ctx = st.Context.of(tornado_result)
    st.set_title(ax, title, st.title_text(ctx, f"What moves the {tornado_result.label}"))
    note = (
        "Each input alone at the ends of its range (support of bounded distributions, "
        "else 5th/95th percentiles); all others at central values; numbers at the bar "
        f"ends are the input values. {st.FOOTNOTE_A}"
    )
    return st.finish(ax, made, footnote, st.source_line(ctx, note))


# -- 6. Sobol' --------------------------------------------------------------------------


def sobol(
    scenario_sobol: ScenarioSobol,
    grouped: Literal["provision", "source_kind"] | None = None,
    *,
    top: int = 15,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """First-order (S1) and total (ST) Sobol' indices with interval whiskers.

    Parameters
    ----------
    scenario_sobol : ScenarioSobol
        From :func:`enforcecost.sensitivity.sobol`.
    grouped : None, 'provision' or 'source_kind'
        None: the ``top`` inputs by ST; ``'provision'``: the indices of each
        provision's inputs together; ``'source_kind'``: of all inputs of each
        source kind (how much of the variance rests on assumptions).
    top : int
        Inputs (or groups) shown, largest ST first.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to both :meth:`~matplotlib.axes.Axes.barh` calls.

    Returns
    -------
    Axes

    Notes
    -----
    Small designs give noisy estimates: S1 can come out below 0 or above ST;
    the whiskers (randomized-QMC intervals over replicates) show how far to
    trust them.
    """
    st.check_choice("grouped", grouped, (None, "provision", "source_kind"))
    top = st.check_top(top)
    if grouped is None:
        frame = scenario_sobol.to_frame()
        labels = [st.input_label(str(i), k) for i, k in zip(frame.index, frame["source_kind"],
                                                            strict=True)]
        assumed = (frame["source_kind"] == "assumption").to_numpy()
        what = "input"
    elif grouped == "provision":
        frame = scenario_sobol.by_provision().sort_values("ST", ascending=False, kind="stable")
        labels = [st.provision_label(str(g)) for g in frame.index]
        assumed = np.zeros(len(frame), dtype=bool)
        what = "provision (each provision's inputs together)"
    else:
        frame = scenario_sobol.by_source_kind().sort_values("ST", ascending=False,
                                                            kind="stable")
        labels = [SOURCE_KIND_LABELS.get(str(g), str(g)) + (" [A]" if g == "assumption" else "")
                  for g in frame.index]
        assumed = (frame.index == "assumption")
        what = "source kind (all inputs of a kind together)"
    # groups whose inputs do not touch this output (a provision not costed) say nothing
    touches = ((frame["ST"] != 0) | (frame["S1"] != 0)).to_numpy()
    if grouped is not None and touches.any():
        frame = frame[touches]
        labels = [lab for lab, t in zip(labels, touches, strict=True) if t]
        assumed = assumed[touches]
    keep = slice(0, top)
    frame, labels, assumed = frame.iloc[keep].iloc[::-1], labels[keep][::-1], assumed[keep][::-1]
    n = len(frame)
    ax, made = st.axes_for(ax, (8.0, max(3.2, 1.5 + 0.36 * n)))
    y = np.arange(n)
    h = 0.38
    series = (
        ("S1", h / 2, st.COLORS["blue"], "First-order S1 (alone)"),
        ("ST", -h / 2, st.COLORS["orange"], "Total effect ST (alone and in interactions)"),
    )
    handles: list[Any] = []
    for key, offset, color, name in series:
        value = frame[key].to_numpy()
        err = np.vstack([np.clip(value - frame[f"{key}_low"].to_numpy(), 0, None),
                         np.clip(frame[f"{key}_high"].to_numpy() - value, 0, None)])
        opts: dict[str, Any] = {"height": h, "color": color, "edgecolor": st.EDGE,
                                "linewidth": 0.4, "label": name,
                                "error_kw": {"ecolor": st.COLORS["black"], "elinewidth": 0.8,
                                             "capsize": 2}}
        opts.update(kwargs)
        bars = ax.barh(y + offset, value, xerr=err, **opts)
        handles.append(_swatch(bars))
        for patch, a in zip(bars.patches, assumed, strict=True):
            patch.set_hatch(st.ASSUMPTION_HATCH if a else "")
    ax.axvline(0.0, color=st.COLORS["black"], linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel("Share of the output's variance", fontsize=st.FONT["label"])
    st.style_axes(ax, grid="x")
    names = [name for *_, name in series]
    if assumed.any():
        handles.append(Patch(facecolor="white", edgecolor=st.EDGE, hatch=st.ASSUMPTION_HATCH))
        names.append("[A] assumption-based")
    st.legend(ax, handles=handles, labels=names, loc="best")
    ctx = st.Context.of(scenario_sobol)
    what = f"Sobol' indices by {what}: share of the variance of the {scenario_sobol.label}"
    st.set_title(ax, title, st.title_text(ctx, what))
    res = scenario_sobol.result
    note = (
        f"Sobol' design n = {res.n:,} \u00d7 {res.replicates} replicates "
        f"({res.evaluations:,} model runs); whiskers: {res.confidence:.0%} intervals across "
        f"replicates. {st.FOOTNOTE_A}"
    )
    return st.finish(ax, made, footnote, st.source_line(ctx, note))


# -- 7. Morris --------------------------------------------------------------------------
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
    top = st.check_top(top, 0)
    frame = scenario_morris.to_frame()
    ax, made = st.axes_for(ax, (8.0, 5.6))
    scale = st.money_scale(np.concatenate([frame["mu_star"], frame["sigma"]]))
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
    label = st.money_label(scale, scenario_morris.output.basis, *st.basis_context(scenario_morris))
    ax.xaxis.set_major_formatter(st.money_formatter(st.MoneyScale(1.0, scale.word)))
    ax.yaxis.set_major_formatter(st.money_formatter(st.MoneyScale(1.0, scale.word)))
    ax.set_xlabel(f"\u03bc*: mean absolute effect of moving one input across its range\n"
                  f"({label[0].lower()}{label[1:]})", fontsize=st.FONT["label"])
    ax.set_ylabel(f"\u03c3: spread of the effects ({label[0].lower()}{label[1:]})",
                  fontsize=st.FONT["label"])
    st.legend(ax, loc="upper left")
    ctx = st.Context.of(scenario_morris)
    st.set_title(ax, title, st.title_text(ctx, f"Morris screening of the {scenario_morris.label}"))
    _label_points(ax, list(frame.index[:top]), mu[:top], sigma[:top], assumed[:top], mu, sigma)
    res = scenario_morris.result
    note = (
        f"Morris design: {res.trajectories} trajectories, {res.levels} levels "
        f"({res.evaluations:,} model runs). Above \u03c3 = \u03bc*: effect depends strongly "
        f"on the other inputs or is nonlinear. {st.FOOTNOTE_A}"
    )
    return st.finish(ax, made, footnote, st.source_line(ctx, note))


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


