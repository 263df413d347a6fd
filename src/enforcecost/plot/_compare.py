"""The compare chart: scenarios side by side.

Private: the public name is :func:`enforcecost.plot.compare`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes

from ..results._headline import HEADLINE_WORDS, headline_value
from . import _format as fmt
from . import _style as st
from ._common import axes_for, finish, money_kwargs, window_words

if TYPE_CHECKING:
    from ..results import Perspective, Result
    from ..vocab import Basis

__all__ = ["compare"]


def compare(
    results: Sequence[Result] | Mapping[str, Result],
    perspective: Perspective = "federal",
    basis: Basis = "nominal",
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """Scenarios side by side: the headline window total with its 5th–95th percentile range.

    One row per result, labelled with its scenario name (or ``labels``, or the
    keys of a mapping); each marks the result's headline, the **mean** over its
    draws (the rule of :mod:`enforcecost.results._headline`, which
    :func:`enforcecost.compare` tabulates). A deterministic result is a point
    without a range (its central-values total). Each shows its impact
    against its own baseline, or its cost when it has none (marked "(cost)").

    Parameters
    ----------
    results : sequence of Result, or mapping of str to Result
        A mapping's keys are the row labels (as :func:`enforcecost.compare`
        takes them).
    perspective, basis
        As in :meth:`Result.total`.
    labels : sequence of str, optional
        Row labels in place of the scenario names.
    ax, title, footnote
        See the module notes.
    **kwargs
        Passed to each :meth:`~matplotlib.axes.Axes.errorbar` call.

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        No results, ``labels`` of the wrong length, or ``real``/``pv`` totals
        in different dollar years (or discount rates) that cannot be compared.
    """
    if isinstance(results, Mapping):
        if labels is None:
            labels = list(results)
        results = list(results.values())
    results = list(results)
    if not results:
        raise ValueError("'results' must hold at least one Result: got none")
    if labels is not None and len(labels) != len(results):
        raise ValueError(f"'labels' must have one label per result ({len(results)}): "
                         f"got {len(labels)}")
    if basis != "nominal":
        years = {r.dollar_year for r in results}
        rates = {r.discount_rate for r in results} if basis == "pv" else set()
        if len(years) > 1 or len(rates) > 1:
            raise ValueError(
                f"'results' must share a dollar year (and discount rate) for basis {basis!r}: "
                f"dollar years {sorted(years)}, rates {sorted(rates)}; use basis='nominal' "
                "or re-run in one dollar year"
            )
    windows = {(int(r.fiscal_years[0]), int(r.fiscal_years[-1])) for r in results}
    impacts = {r.has_baseline for r in results}
    n = len(results)
    ax, made = axes_for(ax, (8.0, max(3.0, 1.6 + 0.55 * n)))
    stats: list[tuple[float, float, float, bool]] = []
    for r in results:
        lo, hi = np.atleast_1d(r.quantile([0.05, 0.95], perspective, basis))
        stats.append((headline_value(r, perspective, basis), float(lo), float(hi),
                      r.deterministic))
    scale = fmt.money_scale([v for s in stats for v in s[:3]])
    f = scale.factor
    y = np.arange(n)[::-1]
    mc_label_done = det_label_done = False
    for yi, (mean, lo, hi, det) in zip(y, stats, strict=True):
        if det:
            opts: dict[str, Any] = {"fmt": "D", "color": st.COLORS["orange"],
                                    "markeredgecolor": st.COLORS["black"], "markersize": 6,
                                    "label": None if det_label_done
                                    else "Central values (no range)"}
            det_label_done = True
            xerr = None
        else:
            opts = {"fmt": "o", "color": st.COLORS["blue"], "markersize": 6, "capsize": 4,
                    "elinewidth": 1.4, "label": None if mc_label_done
                    else f"{HEADLINE_WORDS.capitalize()} (headline), with 5th\u201395th "
                    "percentile range"}
            mc_label_done = True
            xerr = [[(mean - lo) / f], [(hi - mean) / f]]
        opts.update(kwargs)
        ax.errorbar([mean / f], [yi], xerr=xerr, **opts)
        right = (hi if not det else mean) / f
        ax.annotate(fmt.fmt_money(mean), (right, yi), xytext=(6, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=st.FONT["annotation"])
    names = []
    given = list(labels) if labels is not None else [r.scenario.name for r in results]
    for i, r in enumerate(results):
        name = given[i]
        if labels is None and given.count(name) > 1:
            name += " (central values)" if r.deterministic else f" ({r.draws:,} draws)"
        if len(impacts) > 1 and not r.has_baseline:
            name += " (cost)"
        if len(windows) > 1:
            name += f" ({window_words(r)})"
        names.append(textwrap.fill(name, 30))
    ax.set_yticks(y, names)
    ax.set_ylim(-0.7, n - 0.3)
    ax.margins(x=0.15)
    lo_all = min(s[1] for s in stats)
    if lo_all < 0:
        ax.axvline(0.0, color=st.COLORS["black"], linewidth=0.8)
    else:
        ax.set_xlim(left=0.0)  # lengths from zero, so totals compare by eye
    st.style_axes(ax, grid="x")
    first = results[0]
    fmt.money_axis(ax, "x", scale, basis, **money_kwargs(first))
    st.legend(ax, loc="best")
    side = "impact" if impacts == {True} else ("cost" if impacts == {False} else
                                                 "impact (or cost)")
    span = window_words(first) if len(windows) == 1 else "over each window"
    default = f"{st.perspective_words(perspective)} net {side}, {span}, by scenario"
    st.set_title(ax, title, default)
    files = ", ".join(dict.fromkeys(st.Context.of(r).file or "?" for r in results))
    draws = sorted({r.draws for r in results if not r.deterministic})
    runs = []
    if draws:
        counts = f"{draws[0]:,}" if len(draws) == 1 else f"{draws[0]:,}\u2013{draws[-1]:,}"
        runs.append(f"circles: {HEADLINE_WORDS} of {counts} draws (the headline), bars "
                    "5th\u201395th percentile")
    if any(r.deterministic for r in results):
        runs.append("diamonds: central values (one deterministic run)")
    head = st.source_line(st.Context(), "")[:-1]
    text = (f"{head}, scenarios {files}; {'; '.join(runs)}. Each impact is against the "
            "scenario's own baseline, on the same draws.")
    return finish(ax, made, footnote, text)
