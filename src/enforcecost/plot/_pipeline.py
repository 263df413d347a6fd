"""The pipeline chart: the enforcement pipeline against its capacities.

Private: the public name is :func:`enforcecost.plot.pipeline`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..provisions import capacity, schedule_values
from . import _format as fmt
from . import _style as st
from ._common import FloatArray, check_choice, finish

if TYPE_CHECKING:
    from ..results import Result

__all__ = ["pipeline"]


_PANELS = (
    ("officers", "ERO officers on board"),
    ("arrests", "Arrests per year"),
    ("detention_adp", "Detained (daily average)"),
    ("cases_completed", "Court cases per year"),
    ("removals", "Removals per year"),
)


_PANEL_CAP = {"officers": "target", "detention_adp": "beds", "cases_completed": "courts"}


def _setting_mean(scenario: Any, name: str, deterministic: bool,
                  years: FloatArray) -> FloatArray:
    """A setting's central (deterministic) or mean value in each fiscal year."""
    setting = scenario.settings()[name]
    if deterministic or setting.dist is None:
        level = float(setting.value)
    else:
        level = float(setting.dist.mean())
    if setting.schedule is None:
        return np.full(len(years), level)
    # a schedule: its multiplier (central or mean) times each year's value
    return np.asarray(schedule_values(setting.schedule, years) * level, dtype=np.float64)


def pipeline(
    result: Result,
    side: Literal["policy", "baseline"] = "policy",
    *,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """The enforcement pipeline by fiscal year, in five small panels, capacities drawn.

    Panels: officers on board (and the hiring target); arrests (and the
    demand when it is in range); detention average daily population (and the
    bed capacity, ``detention_beds``); court cases completed (and the court
    capacity, ``immigration_judges`` × ``cases_per_judge_year``, and the
    backlog); removals. The other side of a result with a baseline is drawn in
    grey for comparison. A sixth panel says which capacity binds. Means over
    draws for a Monte Carlo result (capacities at their mean values).

    Parameters
    ----------
    result : Result
    side : {'policy', 'baseline'}
    ax : Axes, optional
        None: a new figure of 2 × 3 panels, and the **first panel** (officers)
        is returned (the others are ``ax.figure.axes``). Given: the panels are
        drawn as insets inside ``ax`` (its own frame hidden; the panels are
        ``ax.child_axes``) and ``ax`` is returned. Small multiples read better
        than five differently scaled lines on one normalized axis.
    title, footnote
        See the module notes; the title goes on the figure (``ax=None``) or on
        ``ax``.
    **kwargs
        Passed to the main line of every panel (:meth:`~matplotlib.axes.Axes.plot`).

    Returns
    -------
    Axes
    """
    check_choice("side", side, ("policy", "baseline"))
    if side == "baseline" and not result.has_baseline:
        raise ValueError("'side' is 'baseline' but this result has no baseline")
    scenario = result.scenario if side == "policy" else result.scenario.baseline
    flows = result.pipeline(side)
    other_side: Literal["policy", "baseline"] = "baseline" if side == "policy" else "policy"
    other = result.pipeline(other_side) if result.has_baseline else None
    made = ax is None
    if ax is None:
        _, axes = st.new_figure((11.0, 6.6), nrows=2, ncols=3)
        panels, holder = axes[:5], axes[5]
        host = axes[0]
    else:
        host = ax
        ax.set_axis_off()
        boxes = [(0.0 + c * 0.36, 0.56 - r * 0.56, 0.27, 0.36) for r in (0, 1) for c in (0, 1, 2)]
        subs = [ax.inset_axes(b) for b in boxes]
        panels, holder = subs[:5], subs[5]
    deterministic = result.deterministic
    years = result.fiscal_years

    def mean(name: str) -> FloatArray:
        return _setting_mean(scenario, name, deterministic, years)

    with np.errstate(invalid="ignore"):
        cap = {
            "target": mean("ero_officers_baseline") + mean("ero_officers_added"),
            "beds": mean("detention_beds"),
            "courts": capacity(mean("immigration_judges"), mean("cases_per_judge_year")),
        }
    main_color = st.COLORS["blue"]
    side_name = side.capitalize()
    other_name = other_side.capitalize()
    for panel, (key, panel_title) in zip(panels, _PANELS, strict=True):
        opts: dict[str, Any] = {"color": main_color, "marker": "o", "markersize": 3,
                                "linewidth": 1.8, "label": side_name}
        opts.update(kwargs)
        panel.plot(years, flows[key], **opts)
        if other is not None:
            panel.plot(years, other[key], color=st.GREY, linewidth=1.2, linestyle="-",
                       marker="s", markersize=2.5, label=other_name)
        _capacity_lines(panel, key, flows, cap, years)
        panel.set_title(panel_title, loc="left", fontsize=st.FONT["label"] + 0.5)
        top = max(float(np.nanmax(flows[key])), float(np.nanmax(other[key])) if other is not None
                  else 0.0, *(float(v[np.isfinite(v)].max()) for k, v in cap.items()
                             if _PANEL_CAP.get(key) == k and np.isfinite(v).any()))
        if key == "cases_completed":
            top = max(top, float(flows["court_backlog"].max()))
        panel.set_ylim(0.0, max(top, 1.0) * 1.12)
        panel.yaxis.set_major_formatter(fmt.count_formatter())
        st.style_axes(panel)
        fmt.fy_axis(panel, years, max_labels=4 if made else 3)
        panel.set_xlabel("")
    # the sixth panel: the legend and what binds
    holder.set_axis_off()
    handles = [
        Line2D([], [], color=main_color, marker="o", markersize=3, linewidth=1.8),
        Line2D([], [], color=st.COLORS["vermillion"], linestyle="--", linewidth=1.4),
        Line2D([], [], color=st.COLORS["green"], linestyle=":", linewidth=1.6),
    ]
    names = [side_name + (" (mean over draws)" if not deterministic else ""),
             "Capacity or target", "Demand / court backlog"]
    if other is not None:
        handles.insert(1, Line2D([], [], color=st.GREY, marker="s", markersize=2.5,
                                 linewidth=1.2))
        names.insert(1, other_name)
    holder.legend(handles, names, loc="upper left", fontsize=st.FONT["legend"],
                  frameon=False, borderaxespad=0.0)
    holder.text(0.0, 0.42, _binding_text(flows, cap), transform=holder.transAxes, ha="left",
                va="top", fontsize=st.FONT["annotation"] + 0.5, linespacing=1.5)
    ctx = st.Context.of(result)
    name = scenario.name if scenario is not None else ctx.name
    default = f"{name}\nEnforcement pipeline by fiscal year ({side})"
    text = default if title is None else title
    fig = st.figure_of(host)
    if made and fig is not None:
        if text:
            fig.suptitle(text, x=0.01, ha="left", fontsize=st.FONT["title"])
        finish(host, True, footnote, st.source_line(ctx, "Capacities at central (mean) "
                                                     "values of the scenario's settings."))
    else:
        st.set_title(host, title, default)
    return host


_LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
              "alpha": 0.8}


def _capacity_lines(
    panel: Axes, key: str, flows: pd.DataFrame, cap: dict[str, FloatArray], years: FloatArray
) -> None:
    red, green = st.COLORS["vermillion"], st.COLORS["green"]
    small = st.FONT["annotation"]

    def level(values: FloatArray, text: str) -> None:
        value = float(values[0])
        if (values == value).all():  # the same every year: one level
            panel.axhline(value, color=red, linestyle="--", linewidth=1.4)
        else:  # scheduled by year: a step at each fiscal year (unlimited years left out)
            panel.plot(years, np.where(np.isfinite(values), values, np.nan), color=red,
                       linestyle="--", linewidth=1.4, drawstyle="steps-mid")
            value = float(values[np.isfinite(values)][0])
        panel.annotate(text, (0.02, value), xycoords=("axes fraction", "data"),
                       xytext=(0, 3), textcoords="offset points", fontsize=small, color=red,
                       va="bottom", bbox=_LABEL_BOX)

    def count(values: FloatArray) -> str:
        finite = values[np.isfinite(values)]
        lo, hi = float(finite.min()), float(finite.max())
        return fmt.fmt_count(lo) if lo == hi else f"{fmt.fmt_count(lo)}\u2013{fmt.fmt_count(hi)}"

    def corner(text: str, color: str) -> None:
        panel.text(0.02, 0.04, text, transform=panel.transAxes, fontsize=small, color=color,
                   va="bottom", bbox=_LABEL_BOX)

    if key == "officers" and np.isfinite(cap["target"]).any():
        level(cap["target"], f"hiring target {count(cap['target'])}")
    elif key == "arrests":
        demand = flows["demand"].to_numpy()
        if demand.max() <= 4 * max(float(flows["arrests"].max()), 1.0):
            panel.plot(years, demand, color=green, linestyle=":", linewidth=1.6)
        else:
            corner(f"demand {fmt.fmt_count(demand.min())}\u2013{fmt.fmt_count(demand.max())}\n"
                   "(off scale)", green)
    elif key == "detention_adp":
        if np.isfinite(cap["beds"]).any():
            level(cap["beds"], f"bed capacity {count(cap['beds'])}")
        else:
            corner("bed capacity: unlimited", red)
    elif key == "cases_completed":
        backlog = flows["court_backlog"].to_numpy()
        panel.plot(years, backlog, color=green, linestyle=":", linewidth=1.6)
        panel.annotate("backlog", (years[-1], float(backlog[-1])), xytext=(0, 4),
                       textcoords="offset points", ha="right", va="bottom", fontsize=small,
                       color=green, bbox=_LABEL_BOX)
        if np.isfinite(cap["courts"]).any():
            level(cap["courts"], f"court capacity {count(cap['courts'])}")
        else:
            corner("court capacity: unlimited", red)


def _binding_text(flows: pd.DataFrame, cap: dict[str, FloatArray]) -> str:
    """Plain words on which capacity binds: shares of capacity used, years bound."""
    years = len(flows)
    bound = int((flows["arrests"] < 0.98 * flows["demand"]).sum())
    lines = ["What binds:", f"\u2022 Officers limit arrests\n   in {bound} of {years} years"]
    beds, courts = cap["beds"], cap["courts"]
    if np.isfinite(beds).all() and (beds > 0).all():
        adp = flows["detention_adp"].to_numpy()
        at = int(np.argmax(adp / beds))  # the year closest to its capacity
        lines.append(f"\u2022 Beds: peak {fmt.fmt_count(float(adp[at]))} of "
                     f"{fmt.fmt_count(float(beds[at]))} ({adp[at] / beds[at]:.0%})")
    else:
        lines.append("\u2022 Beds: unlimited")
    if np.isfinite(courts).all() and (courts > 0).all():
        used = flows["cases_completed"].to_numpy() / courts
        end = float(flows["court_backlog"].iloc[-1])
        span = (f"{used.min():.0%}" if round(used.min(), 2) == round(used.max(), 2)
                else f"{used.min():.0%}\u2013{used.max():.0%}")
        lines.append(f"\u2022 Courts: {span} of capacity;\n"
                     f"   backlog {fmt.fmt_count(end)} at the end")
    else:
        lines.append("\u2022 Courts: unlimited")
    return "\n".join(lines)
