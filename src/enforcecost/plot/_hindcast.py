"""The hindcast chart: the model's pipeline beside what ICE and EOIR published.

Private: the public name is :func:`enforcecost.plot.hindcast`. It reads a
:class:`~enforcecost.hindcasting.Hindcast` duck-typed (its ``table``, ``scenario``,
``draws``, ``seed`` and ``summary()``), or the table alone, so this package does not
import :mod:`enforcecost.hindcast`.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import _format as fmt
from . import _style as st

__all__ = ["hindcast"]

#: The columns of a hindcast table the chart reads.
_NEEDED = ("quantity", "label", "fiscal_year", "actual", "mean", "p5", "p95",
           "baseline_mean", "tolerance")

#: What each pipeline quantity counts, for its panel's y axis (a stock or a flow).
_UNITS = {
    "arrests": "Arrests a year",
    "removals": "Removals a year",
    "removals_total": "Removals a year",
    "detention_adp": "Persons held (daily average)",
    "court_backlog": "Cases pending at year end",
    "court_receipts": "Cases received a year",
    "cases_completed": "Cases completed a year",
}

_MODEL = st.COLORS["blue"]
_TARGET_FACE = "#E3E3E3"
_MET, _MISSED = st.COLORS["green"], st.COLORS["vermillion"]

_NOTE = ("Published values: ICE and EOIR (enforcecost series --role actual); a hollow point "
         "rests on a weak source only. Behavioural parameters come from data before the "
         "order (FY2012-FY2016; for the 2025 revival FY2022-FY2024); "
         "the published values are compared with, never fitted. Band: 5th\u201395th "
         "percentile of the draws; grey box: the published value \u00b1 the target's "
         "tolerance.")


@dataclass(frozen=True)
class _Verdict:
    """A panel's target in words, and the colour it is written in."""

    text: str
    color: str
    met: bool | None  # None: no target


def hindcast(
    h: Any,
    *,
    ncols: int = 3,
    fig: Figure | SubFigure | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Figure:
    """The hindcast as small multiples: one panel per compared quantity, by fiscal year.

    Each panel shows the model's 90% band (5th–95th percentile of the draws,
    shaded), its mean (line with markers), the baseline's mean (the pre-order
    continuation, dashed grey, where there is one) and the published value of each
    year (black points). A quantity with a target also has a grey box of
    published value ± tolerance in each year, so the mean inside the box is a
    year within the target, and its verdict (met or missed) under the title.
    Quantities with a target come first; a last panel holds the legend and the
    count of targets met.

    Parameters
    ----------
    h : Hindcast or DataFrame
        :func:`enforcecost.hindcast` (read through its ``table``, ``scenario``,
        ``draws``, ``seed`` and ``summary()``), or its ``table`` alone (columns
        ``quantity``, ``label``, ``fiscal_year``, ``actual``, ``mean``, ``p5``,
        ``p95``, ``baseline_mean``, ``tolerance``, and optionally ``quality``
        and ``within``).
    ncols : {2, 3}
        Panels per row.
    fig : Figure or SubFigure, optional
        Draw the panels in this (sub)figure, e.g. part of a report page; no
        source line is added to it. None: a new figure (through pyplot).
    title, footnote
        See the module notes of :mod:`enforcecost.plot`; the title goes on the
        figure (its ``suptitle``).
    **kwargs
        Passed to the model's mean line of every panel
        (:meth:`~matplotlib.axes.Axes.plot`).

    Returns
    -------
    Figure
        The figure holding the panels (the root figure when ``fig`` is a
        subfigure). Its first axes are the panels, in the order of the table's
        quantities; the legend's panel has its axis off.

    Raises
    ------
    ValueError
        For a bad ``ncols``, or a table without rows or missing a column.
    """
    if isinstance(ncols, bool) or ncols not in (2, 3):
        raise ValueError(f"'ncols' must be 2 or 3: {ncols!r}")
    table = _table(h)
    quantities = _order(table)
    verdicts = _verdicts(h, table, quantities)
    years = sorted({int(y) for y in table["fiscal_year"]})
    nrows = math.ceil((len(quantities) + 1) / ncols)
    made = fig is None
    if fig is None:
        new, axes = st.new_figure((3.4 * ncols, 2.45 * nrows + 1.0), nrows=nrows, ncols=ncols)
        target: Figure | SubFigure = new
    else:
        target = fig
        grid = target.subplots(nrows, ncols, squeeze=False)
        axes = [a for row in grid for a in row]
    panels, spare = axes[: len(quantities)], axes[len(quantities):]
    root = target if isinstance(target, Figure) else target.get_figure(root=True)
    assert isinstance(root, Figure)
    width_in = float(target.bbox.width) / float(root.dpi)
    # a panel's title wraps to the width of its axes (about 0.8 of its slot)
    chars = max(18, int(0.8 * width_in / ncols * 72.0 / (0.6 * (st.FONT["label"] + 0.5))))
    weak_seen = False
    for panel, q in zip(panels, quantities, strict=True):
        rows = table[table["quantity"] == q].sort_values("fiscal_year")
        weak_seen |= _panel(panel, rows, verdicts[q], years, chars, kwargs)
    _legend_panel(spare, h, table, quantities, verdicts, chars)
    ctx = replace(st.Context.of(h), deterministic=False)
    span = f"FY{years[0]}\u2013FY{years[-1]}" if len(years) > 1 else f"FY{years[0]}"
    default = f"Hindcast: model vs published, {span}"
    if ctx.name:
        default = f"{ctx.name}\n{default}"
    text = default if title is None else title
    if text:
        target.suptitle(text, x=0.01, ha="left", fontsize=st.FONT["title"])
    if made and footnote is not False:
        note = _NOTE if weak_seen else _NOTE.replace(
            "; a hollow point rests on a weak source only", "")
        st.add_footnote(root, footnote if isinstance(footnote, str)
                        else st.source_line(ctx, note))
    return root


# -- reading the hindcast ----------------------------------------------------------------
def _table(h: Any) -> pd.DataFrame:
    table = h if isinstance(h, pd.DataFrame) else getattr(h, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise ValueError("'h' must be a Hindcast (enforcecost.hindcast) or its table: "
                         f"got {type(h).__name__}")
    missing = [c for c in _NEEDED if c not in table.columns]
    if missing:
        raise ValueError(f"'h' must have the columns of a hindcast table: missing "
                         f"{', '.join(missing)}")
    if table.empty:
        raise ValueError("'h' has no rows: no year with a published value to compare")
    return table


def _has_target(rows: pd.DataFrame) -> bool:
    return bool(np.isfinite(rows["tolerance"].to_numpy(dtype=np.float64)).any())


def _order(table: pd.DataFrame) -> list[str]:
    """The table's quantities in its order, those with a target first."""
    names = list(dict.fromkeys(str(q) for q in table["quantity"]))
    targets = [q for q in names if _has_target(table[table["quantity"] == q])]
    return targets + [q for q in names if q not in targets]


def _summary(h: Any) -> pd.DataFrame | None:
    summary = getattr(h, "summary", None)
    if not callable(summary):
        return None
    frame = summary()
    return frame if isinstance(frame, pd.DataFrame) else None


def _verdicts(h: Any, table: pd.DataFrame, quantities: list[str]) -> dict[str, _Verdict]:
    """Each quantity's target in words: met, or missed and in which years."""
    summary = _summary(h)
    out: dict[str, _Verdict] = {}
    for q in quantities:
        rows = table[table["quantity"] == q].sort_values("fiscal_year")
        if not _has_target(rows):
            out[q] = _Verdict("No target: shown for context", st.GREY, None)
            continue
        tol = float(np.nanmax(rows["tolerance"].to_numpy(dtype=np.float64)))
        err = rows["mean"].to_numpy(dtype=np.float64) / rows["actual"].to_numpy(
            dtype=np.float64) - 1.0
        outside = [int(y) for y, e in zip(rows["fiscal_year"], err, strict=True)
                   if abs(e) > tol]
        rising: bool | None = None
        if summary is not None and q in summary.index and "rising" in summary.columns:
            value: Any = summary.loc[q, "rising"]
            rising = None if value is None or value is pd.NA or value != value else bool(value)
        head = f"Target \u00b1{tol:.0%}" + (", rising" if rising is not None else "")
        why = []
        if outside:
            why.append("outside in " + ", ".join(f"FY{y}" for y in outside))
        if rising is False:
            why.append("not rising every year")
        if why:
            out[q] = _Verdict(f"{head}: missed ({'; '.join(why)})", _MISSED, False)
        else:
            out[q] = _Verdict(f"{head}: met", _MET, True)
    return out


# -- drawing ---------------------------------------------------------------------------
def _panel(panel: Axes, rows: pd.DataFrame, verdict: _Verdict, years: list[int], chars: int,
           kwargs: dict[str, Any]) -> bool:
    """One quantity's panel; True when a published point rests on a weak source."""
    x = rows["fiscal_year"].to_numpy(dtype=np.float64)
    actual = rows["actual"].to_numpy(dtype=np.float64)
    mean = rows["mean"].to_numpy(dtype=np.float64)
    lo, hi = rows["p5"].to_numpy(dtype=np.float64), rows["p95"].to_numpy(dtype=np.float64)
    base = rows["baseline_mean"].to_numpy(dtype=np.float64)
    tol = rows["tolerance"].to_numpy(dtype=np.float64)
    tops = [hi, actual, mean]
    if np.isfinite(tol).any():
        box = np.where(np.isfinite(tol), tol, 0.0) * actual
        keep = np.isfinite(tol)
        panel.bar(x[keep], 2.0 * box[keep], bottom=(actual - box)[keep], width=0.42,
                  color=_TARGET_FACE, edgecolor=st.GREY, linewidth=0.5, zorder=1)
        tops.append(actual + box)
    panel.fill_between(x, lo, hi, color=_MODEL, alpha=0.2, linewidth=0, zorder=2)
    if np.isfinite(base).any():
        panel.plot(x, base, color=st.GREY, linestyle="--", linewidth=1.2, marker="s",
                   markersize=2.5, zorder=3)
        tops.append(base)
    opts: dict[str, Any] = {"color": _MODEL, "marker": "o", "markersize": 3.5,
                            "linewidth": 1.8, "zorder": 4}
    opts.update(kwargs)
    panel.plot(x, mean, **opts)
    weak = (rows["quality"].astype(str).to_numpy() == "weak" if "quality" in rows.columns
            else np.zeros(len(rows), dtype=bool))
    panel.scatter(x, actual, s=22, marker="o", zorder=5, linewidths=1.2,
                  facecolors=[("white" if w else st.COLORS["black"]) for w in weak],
                  edgecolors=st.COLORS["black"])
    top = max(float(np.nanmax(t)) for t in tops)
    panel.set_ylim(0.0, max(top, 1.0) * 1.1)
    panel.yaxis.set_major_formatter(fmt.count_formatter())
    st.style_axes(panel)
    fmt.fy_axis(panel, years, max_labels=6)
    panel.set_xlabel("")
    panel.set_ylabel(_UNITS.get(str(rows["quantity"].iloc[0]), ""),
                     fontsize=st.FONT["annotation"], color=st.GREY)
    label = textwrap.fill(str(rows["label"].iloc[0]), chars)
    small = st.FONT["annotation"]
    words = textwrap.fill(verdict.text, int(chars * (st.FONT["label"] + 0.5) / small),
                          subsequent_indent="  ")
    lines = words.count("\n") + 1
    # the verdict sits between the title and the axes: the title's pad leaves it room
    panel.set_title(label, loc="left", fontsize=st.FONT["label"] + 0.5,
                    pad=5.0 + lines * small * 1.2)
    panel.annotate(words, (0.0, 1.0), xycoords="axes fraction", xytext=(0, 3),
                   textcoords="offset points", ha="left", va="bottom", fontsize=small,
                   color=verdict.color, linespacing=1.1)
    return bool(weak.any())


def _legend_panel(spare: list[Axes], h: Any, table: pd.DataFrame, quantities: list[str],
                  verdicts: dict[str, _Verdict], chars: int) -> None:
    """The legend in the first spare slot; the targets met in the next (or, with one spare
    slot, their count as the legend's title)."""
    for a in spare:
        a.set_axis_off()
    holder = spare[0]
    draws = getattr(h, "draws", None)
    mean_words = "Model: mean" + (f" of {draws:,} draws" if isinstance(draws, int) else "")
    handles: list[Any] = [
        Patch(facecolor=_MODEL, alpha=0.2, linewidth=0),
        Line2D([], [], color=_MODEL, marker="o", markersize=3.5, linewidth=1.8),
        Line2D([], [], linestyle="none", marker="o", markersize=5,
               markerfacecolor=st.COLORS["black"], markeredgecolor=st.COLORS["black"]),
    ]
    names = ["Model: 90% band\n(5th\u201395th percentile)", mean_words, "Published (ICE, EOIR)"]
    if np.isfinite(table["tolerance"].to_numpy(dtype=np.float64)).any():
        handles.append(Patch(facecolor=_TARGET_FACE, edgecolor=st.GREY, linewidth=0.5))
        names.append("Target: published \u00b1 tolerance")
    if np.isfinite(table["baseline_mean"].to_numpy(dtype=np.float64)).any():
        handles.append(Line2D([], [], color=st.GREY, linestyle="--", linewidth=1.2,
                              marker="s", markersize=2.5))
        base = getattr(getattr(getattr(h, "scenario", None), "baseline", None), "name", None)
        names.append("Baseline: mean\n" + (textwrap.fill(str(base), 30) if base
                                            else "(the order not issued)"))
    judged = [verdicts[q] for q in quantities if verdicts[q].met is not None]
    met = sum(bool(v.met) for v in judged)
    count = f"Targets met: {met} of {len(judged)}"
    alone = len(spare) == 1 and bool(judged)  # no room for the list: the count heads the legend
    holder.legend(handles, names, loc="upper left", fontsize=st.FONT["legend"],
                  frameon=False, borderaxespad=0.0, labelspacing=0.8,
                  title=count if alone else None,
                  title_fontproperties={"size": st.FONT["label"]}, alignment="left")
    if alone or not judged:
        return
    lines = [count]
    labels = {str(q): str(lab) for q, lab in zip(table["quantity"], table["label"],
                                                 strict=True)}
    for q in quantities:
        v = verdicts[q]
        if v.met is not None:
            item = f"{labels[q]}: {'met' if v.met else 'missed'}"
            lines.append("\u2022 " + textwrap.fill(item, chars, subsequent_indent="   "))
    spare[1].text(0.0, 1.0, "\n".join(lines), transform=spare[1].transAxes, ha="left",
                  va="top", fontsize=st.FONT["annotation"] + 0.5, linespacing=1.45)
