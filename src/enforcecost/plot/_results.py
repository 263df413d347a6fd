"""Charts of results (private: see :mod:`enforcecost.plot`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..results import Result
from . import _style as st

if TYPE_CHECKING:
    from ..money import Basis
    from ..results import Perspective

__all__ = ["compare", "distribution", "fan", "pipeline", "stacked", "waterfall"]

FloatArray = npt.NDArray[np.float64]


def _what(result: Result, perspective: str) -> str:
    side = "impact" if result.has_baseline else "cost"
    return f"{st.perspective_words(perspective)} net {side}"


def _window(result: Result) -> str:
    fy = result.fiscal_years
    return f"FY{fy[0]}\u2013FY{fy[-1]}"


def _money_kwargs(result: Result) -> dict[str, Any]:
    return {"dollar_year": result.dollar_year, "discount_rate": result.discount_rate}


# -- 2. fan -----------------------------------------------------------------------------
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
    """Net cost per fiscal year: median and 5–95 and 10–90 percentile bands.

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
    st.check_choice("show", show, ("impact", "sides"))
    ax, made = st.axes_for(ax, (8.0, 4.8))
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
        what = f"{_what(result, perspective)} by fiscal year"
        if result.has_baseline:
            what += " (policy \u2212 baseline)"
    # percentiles by year, shape (5, years): p5, p10, p50, p90, p95 (all five equal for a
    # deterministic result), and the draws they come from
    levels = [q for lo, hi, _ in _BANDS for q in (lo, hi)] + [50]
    bands = [_year_percentiles(r, perspective, basis, levels) for _, r, _, _ in series]
    scale = st.money_scale(np.concatenate([b.ravel() for b, _ in bands]))
    f = scale.factor
    crosses_zero = False
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
        crosses_zero |= bool(a.min() < 0 < a.max()) or bool(a.max() <= 0)
    if crosses_zero:
        ax.axhline(0.0, color=st.GREY, linewidth=0.8)
    st.style_axes(ax)
    st.fy_axis(ax, years)
    st.money_axis(ax, "y", scale, basis, **_money_kwargs(result))
    st.legend(ax, loc="best")
    ctx = st.Context.of(result)
    st.set_title(ax, title, st.title_text(ctx, what))
    note = ""
    if not result.deterministic:
        note = "Bands are percentiles across draws in each year"
        used = bands[0][1]
        note += (f", from the first {used:,} of the {result.draws:,} draws (a reduction-only "
                 "run keeps those in full)." if used < result.draws else ".")
    return st.finish(ax, made, footnote, st.source_line(ctx, note))


def _year_percentiles(
    result: Result, perspective: Perspective, basis: Basis, levels: Sequence[float]
) -> tuple[FloatArray, int]:
    """Percentiles of each fiscal year's net cost, shape ``(levels, years)``, and the draws used.

    A reduction-only result (which keeps no draw's amounts by year) reads its
    first draws kept in full.
    """
    red = result.reduced
    if red is not None:
        a = result.annual(perspective, basis)
        return np.asarray(np.percentile(a, levels, axis=0), dtype=np.float64), a.shape[0]
    q = np.asarray(levels, dtype=np.float64) / 100.0
    out = result.quantile(q.tolist(), perspective, basis, by="year")
    return np.asarray(out, dtype=np.float64), result.draws


# -- 3. stacked -------------------------------------------------------------------------
def _provision_frame(result: Result, perspective: str, basis: str) -> pd.DataFrame:
    frame = result.by_provision(perspective, basis)  # type: ignore[arg-type]
    if "all provisions" in frame.columns:
        raise ValueError(
            "this Monte Carlo result kept totals by payer only; rerun simulate(..., "
            "detail='provisions') for charts by provision"
        )
    return frame


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
    frame = _provision_frame(result, perspective, basis)
    frame = frame.loc[:, (frame != 0).any(axis=0)]
    ax, made = st.axes_for(ax, (9.0, 5.0))
    years = result.fiscal_years
    total = frame.sum(axis=1).to_numpy()
    pos_top = np.clip(frame, 0, None).sum(axis=1).to_numpy()
    neg_bottom = np.clip(frame, None, 0).sum(axis=1).to_numpy()
    scale = st.money_scale([*pos_top, *neg_bottom, *total])
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
    st.fy_axis(ax, years)
    st.money_axis(ax, "y", scale, basis, **_money_kwargs(result))
    handles, labels = ax.get_legend_handles_labels()
    by_label = dict(zip(labels, handles, strict=True))
    # the net total first, then the provisions top-down, as they stack above zero
    order = ["Net total", *(st.provision_label(p) for p in frame.columns[::-1])]
    st.legend(ax, handles=[by_label[k] for k in order], labels=order,
            loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    ctx = st.Context.of(result)
    mean = "" if result.deterministic else ", mean over draws"
    st.set_title(ax, title, st.title_text(ctx, f"{_what(result, perspective)} by provision{mean}"))
    dropped = [p for p in result.by_provision(perspective, basis).columns
               if p not in frame.columns]
    note = ("Provisions with no amount here: " + ", ".join(
        st.provision_label(p) for p in dropped) + ".") if dropped else ""
    return st.finish(ax, made, footnote, st.source_line(ctx, note))


# -- 4. waterfall -----------------------------------------------------------------------
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
    steps = _provision_frame(result, perspective, basis).sum(axis=0)
    dropped = [st.provision_label(p) for p in steps.index[steps == 0]]
    steps = steps[steps != 0]
    baseline = result.baseline
    # means by provision are kept by every kind of result (per-draw totals of each
    # side are not, in a reduction-only run)
    start = (float(baseline.by_provision(perspective, basis).to_numpy().sum())
             if baseline is not None else 0.0)
    end = start + float(steps.sum())
    ax, made = st.axes_for(ax, (max(7.0, 2.5 + 0.62 * (len(steps) + 2)), 5.2))
    levels = start + np.concatenate([[0.0], np.cumsum(steps.to_numpy())])
    scale = st.money_scale([*levels, start, end])
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
        ax.text(xb, top + (pad if value > 0 else -pad), st.fmt_money(value, signed=True),
                ha="center", va="bottom" if value > 0 else "top",
                fontsize=st.FONT["annotation"])
    for xi, value in ((0.0, start), (float(x_end), end)):
        ax.text(xi, value / f + (pad if value >= 0 else -pad), st.fmt_money(value),
                ha="center", va="bottom" if value >= 0 else "top",
                fontsize=st.FONT["annotation"], fontweight="bold")
    names = [start_label, *(st.provision_label(p) for p in steps.index), end_label]
    ax.set_xticks(range(x_end + 1), [textwrap.fill(n, 10) for n in names])
    ax.margins(y=0.1)
    if min(levels.min(), end) < 0:
        ax.axhline(0.0, color=st.COLORS["black"], linewidth=0.8)
    st.style_axes(ax)
    st.money_axis(ax, "y", scale, basis, **_money_kwargs(result))
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
    what = (f"{st.perspective_words(perspective)} net cost {_window(result)}, "
            f"{side}{mean}")
    st.set_title(ax, title, st.title_text(ctx, what))
    note = ("Not shown (no amount here): " + ", ".join(dropped) + ".") if dropped else ""
    return st.finish(ax, made, footnote, st.source_line(ctx, note))


# -- 5. distribution --------------------------------------------------------------------
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
    """Histogram and cumulative distribution of the window total, p5/p50/p95 marked.

    The histogram (left axis, draws per bin) and the empirical CDF (a twin
    right axis, cumulative probability) of the net impact (or cost, without
    a baseline) over the window; vertical lines and CDF markers at the 5th,
    50th and 95th percentiles, each labelled with its amount.

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
    ax, made = st.axes_for(ax, (8.0, 4.8))
    pct = np.atleast_1d(result.quantile([0.05, 0.5, 0.95], perspective, basis, years))
    scale = st.money_scale(np.concatenate([x, pct]))
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
            f"{name} {st.fmt_money(float(value))}", (value / f, q), xytext=(off, 0),
            textcoords="offset points", ha=ha, va="center", fontsize=st.FONT["annotation"],
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.85},
        )
    st.style_axes(ax)
    st.money_axis(ax, "x", scale, basis, **_money_kwargs(result))
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
    span = _window(result) if years is None else _years_words(result, years)
    what = f"{_what(result, perspective)} {span}: distribution over draws"
    st.set_title(ax, title, st.title_text(ctx, what))
    mean = f"Mean {st.fmt_money(result.mean_total(perspective, basis, years))}."
    return st.finish(ax, made, footnote, st.source_line(ctx, mean))


def _draws(
    result: Result, perspective: Perspective, basis: Basis, years: int | Sequence[int] | None
) -> tuple[FloatArray, FloatArray | None]:
    """Values of the draws' totals and their weights (None: one draw each).

    A reduction-only result kept no draw's totals: its sketch's buckets of every
    draw stand for them (the bucket's value, weighted by its count).
    """
    if result.reduced is None:
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


# -- 8. compare -------------------------------------------------------------------------
def compare(
    results: Sequence[Result],
    perspective: Perspective = "federal",
    basis: Basis = "nominal",
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    footnote: bool | str | None = None,
    **kwargs: Any,
) -> Axes:
    """Scenarios side by side: mean window total with its 5th–95th percentile range.

    One row per result, labelled with its scenario name (or ``labels``); a
    deterministic result is a point without a range. Each shows its impact
    against its own baseline, or its cost when it has none (marked "(cost)").

    Parameters
    ----------
    results : sequence of Result
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
    ax, made = st.axes_for(ax, (8.0, max(3.0, 1.6 + 0.55 * n)))
    stats: list[tuple[float, float, float, bool]] = []
    for r in results:
        lo, hi = np.atleast_1d(r.quantile([0.05, 0.95], perspective, basis))
        stats.append((r.mean_total(perspective, basis), float(lo), float(hi), r.deterministic))
    scale = st.money_scale([v for s in stats for v in s[:3]])
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
                    else "Mean, with 5th\u201395th percentile range"}
            mc_label_done = True
            xerr = [[(mean - lo) / f], [(hi - mean) / f]]
        opts.update(kwargs)
        ax.errorbar([mean / f], [yi], xerr=xerr, **opts)
        right = (hi if not det else mean) / f
        ax.annotate(st.fmt_money(mean), (right, yi), xytext=(6, 0), textcoords="offset points",
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
            name += f" ({_window(r)})"
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
    st.money_axis(ax, "x", scale, basis, **_money_kwargs(first))
    st.legend(ax, loc="best")
    side = "impact" if impacts == {True} else ("cost" if impacts == {False} else
                                                 "impact (or cost)")
    span = _window(first) if len(windows) == 1 else "over each window"
    default = f"{st.perspective_words(perspective)} net {side}, {span}, by scenario"
    st.set_title(ax, title, default)
    files = ", ".join(dict.fromkeys(st.Context.of(r).file or "?" for r in results))
    draws = sorted({r.draws for r in results if not r.deterministic})
    runs = []
    if draws:
        counts = f"{draws[0]:,}" if len(draws) == 1 else f"{draws[0]:,}\u2013{draws[-1]:,}"
        runs.append(f"circles: mean of {counts} draws, bars 5th\u201395th percentile")
    if any(r.deterministic for r in results):
        runs.append("diamonds: central values (one deterministic run)")
    head = st.source_line(st.Context(), "")[:-1]
    text = (f"{head}, scenarios {files}; {'; '.join(runs)}. Each impact is against the "
            "scenario's own baseline, on the same draws.")
    return st.finish(ax, made, footnote, text)


# -- 9. pipeline ------------------------------------------------------------------------
_PANELS = (
    ("officers", "ERO officers on board"),
    ("arrests", "Arrests per year"),
    ("detention_adp", "Detained (daily average)"),
    ("cases_completed", "Court cases per year"),
    ("removals", "Removals per year"),
)


_PANEL_CAP = {"officers": "target", "detention_adp": "beds", "cases_completed": "courts"}


def _setting_mean(scenario: Any, name: str, deterministic: bool) -> float:
    setting = scenario.settings()[name]
    if deterministic or setting.dist is None:
        return float(setting.value)
    return float(setting.dist.mean())


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
    st.check_choice("side", side, ("policy", "baseline"))
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
    cap = {
        "target": _setting_mean(scenario, "ero_officers_baseline", deterministic)
        + _setting_mean(scenario, "ero_officers_added", deterministic),
        "beds": _setting_mean(scenario, "detention_beds", deterministic),
        "courts": _setting_mean(scenario, "immigration_judges", deterministic)
        * _setting_mean(scenario, "cases_per_judge_year", deterministic),
    }
    years = result.fiscal_years
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
                  else 0.0, *(v for k, v in cap.items() if _PANEL_CAP.get(key) == k
                             and np.isfinite(v)))
        if key == "cases_completed":
            top = max(top, float(flows["court_backlog"].max()))
        panel.set_ylim(0.0, max(top, 1.0) * 1.12)
        panel.yaxis.set_major_formatter(st.count_formatter())
        st.style_axes(panel)
        st.fy_axis(panel, years, max_labels=4 if made else 3)
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
        st.finish(host, True, footnote, st.source_line(ctx, "Capacities at central (mean) "
                                                     "values of the scenario's settings."))
    else:
        st.set_title(host, title, default)
    return host


_LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none",
              "alpha": 0.8}


def _capacity_lines(
    panel: Axes, key: str, flows: pd.DataFrame, cap: dict[str, float], years: FloatArray
) -> None:
    red, green = st.COLORS["vermillion"], st.COLORS["green"]
    small = st.FONT["annotation"]

    def level(value: float, text: str) -> None:
        panel.axhline(value, color=red, linestyle="--", linewidth=1.4)
        panel.annotate(text, (0.02, value), xycoords=("axes fraction", "data"),
                       xytext=(0, 3), textcoords="offset points", fontsize=small, color=red,
                       va="bottom", bbox=_LABEL_BOX)

    def corner(text: str, color: str) -> None:
        panel.text(0.02, 0.04, text, transform=panel.transAxes, fontsize=small, color=color,
                   va="bottom", bbox=_LABEL_BOX)

    if key == "officers" and np.isfinite(cap["target"]):
        level(cap["target"], f"hiring target {st.fmt_count(cap['target'])}")
    elif key == "arrests":
        demand = flows["demand"].to_numpy()
        if demand.max() <= 4 * max(float(flows["arrests"].max()), 1.0):
            panel.plot(years, demand, color=green, linestyle=":", linewidth=1.6)
        else:
            corner(f"demand {st.fmt_count(demand.min())}\u2013{st.fmt_count(demand.max())}\n"
                   "(off scale)", green)
    elif key == "detention_adp":
        if np.isfinite(cap["beds"]):
            level(cap["beds"], f"bed capacity {st.fmt_count(cap['beds'])}")
        else:
            corner("bed capacity: unlimited", red)
    elif key == "cases_completed":
        backlog = flows["court_backlog"].to_numpy()
        panel.plot(years, backlog, color=green, linestyle=":", linewidth=1.6)
        panel.annotate("backlog", (years[-1], float(backlog[-1])), xytext=(0, 4),
                       textcoords="offset points", ha="right", va="bottom", fontsize=small,
                       color=green, bbox=_LABEL_BOX)
        if np.isfinite(cap["courts"]):
            level(cap["courts"], f"court capacity {st.fmt_count(cap['courts'])}")
        else:
            corner("court capacity: unlimited", red)


def _binding_text(flows: pd.DataFrame, cap: dict[str, float]) -> str:
    """Plain words on which capacity binds: shares of capacity used, years bound."""
    years = len(flows)
    bound = int((flows["arrests"] < 0.98 * flows["demand"]).sum())
    lines = ["What binds:", f"\u2022 Officers limit arrests\n   in {bound} of {years} years"]
    if np.isfinite(cap["beds"]) and cap["beds"] > 0:
        peak = float(flows["detention_adp"].max())
        lines.append(f"\u2022 Beds: peak {st.fmt_count(peak)} of "
                     f"{st.fmt_count(cap['beds'])} ({peak / cap['beds']:.0%})")
    else:
        lines.append("\u2022 Beds: unlimited")
    if np.isfinite(cap["courts"]) and cap["courts"] > 0:
        used = flows["cases_completed"].to_numpy() / cap["courts"]
        end = float(flows["court_backlog"].iloc[-1])
        span = (f"{used.min():.0%}" if round(used.min(), 2) == round(used.max(), 2)
                else f"{used.min():.0%}\u2013{used.max():.0%}")
        lines.append(f"\u2022 Courts: {span} of capacity;\n"
                     f"   backlog {st.fmt_count(end)} at the end")
    else:
        lines.append("\u2022 Courts: unlimited")
    return "\n".join(lines)
