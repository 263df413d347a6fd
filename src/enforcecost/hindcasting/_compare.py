"""Run a scenario of past years and set its pipeline beside the published outcomes."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import Problem, ScenarioError
from ..model import correlation_plan, magnitude_problems, run_design, uncertain_inputs
from ..registry import series
from ..results._display import clip, html_table, joined
from ..sampling import check_seed, design
from ..scenario import SAMPLERS, Sampler, Scenario, load_scenario
from ._targets import COMPARISONS, Comparison

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["BAND", "Hindcast", "hindcast"]

#: The band of the model's draws set beside each published value: 5th to 95th percentile.
BAND = (0.05, 0.95)

_COLUMNS = ("quantity", "label", "fiscal_year", "actual", "quality", "series", "reading",
            "mean", "p5", "p95", "baseline_mean", "error", "in_band", "tolerance", "within")


@dataclass(frozen=True, repr=False)
class Hindcast:
    """A scenario's pipeline, year by year, beside what ICE and EOIR published.

    Attributes
    ----------
    scenario : Scenario
        The scenario run (its policy side is compared).
    table : DataFrame
        One row per comparison and fiscal year with a published value:
        ``quantity`` (the :meth:`~enforcecost.Result.pipeline` column), ``label``,
        ``fiscal_year``, ``actual`` (the published value) and its ``quality``,
        the ``series`` it was read from and, for a stand-in (a count to a date or a
        pace over part of the year, :class:`~enforcecost.hindcasting.StandIn`), the
        ``reading`` that makes it a fiscal-year figure ("" otherwise),
        the model's ``mean``, ``p5`` and ``p95`` over the draws (people, cases or
        arrests a year; persons for the average daily population; cases for the
        pending stock), ``baseline_mean`` (the scenario's baseline, NaN without
        one), ``error`` (``mean / actual - 1``), ``in_band`` (the published value
        lies within ``p5..p95``), ``tolerance`` (the target, NaN where there is
        none) and ``within`` (``|error| <= tolerance``; NA without a target).
    draws, seed : int
    sampler : str
        The design the draws came from: the same rows ``enforcecost run`` uses.
    """

    scenario: Scenario
    table: pd.DataFrame
    draws: int
    seed: int
    sampler: str

    def summary(self) -> pd.DataFrame:
        """Per comparison: the years compared, the largest error and whether the target holds.

        Returns
        -------
        DataFrame
            Indexed by ``quantity``: ``label``, ``years`` (as ``FY2017-FY2019``),
            ``worst_error`` (the error of largest size), ``in_band`` (years whose
            published value is in the 90% band, as ``k/n``), ``tolerance``,
            ``rising`` (the model's mean rises every year, where the target asks
            it; NA otherwise) and ``met`` (every year within the tolerance, and
            rising where asked; NA without a target).
        """
        rows = []
        for c in COMPARISONS:
            t = self.table[self.table["quantity"] == c.quantity]
            if t.empty:
                continue
            worst = t["error"].iloc[int(np.argmax(t["error"].abs().to_numpy()))]
            years = t["fiscal_year"].to_numpy()
            rising: Any = (bool(np.all(np.diff(t["mean"].to_numpy()) > 0))
                           if c.rising else pd.NA)
            met: Any = pd.NA
            if c.tolerance is not None:
                met = bool(t["within"].astype(bool).all()) and (rising is pd.NA or rising)
            rows.append({
                "quantity": c.quantity, "label": c.label,
                "years": f"FY{years.min()}-FY{years.max()}" if len(years) > 1
                else f"FY{years[0]}",
                "worst_error": float(worst),
                "in_band": f"{int(t['in_band'].sum())}/{len(t)}",
                "tolerance": np.nan if c.tolerance is None else c.tolerance,
                "rising": rising, "met": met,
            })
        return pd.DataFrame(rows).set_index("quantity")

    def __repr__(self) -> str:
        """One line: the scenario, the years compared, the draws and the targets met."""
        years = sorted(set(self.table["fiscal_year"].tolist()))  # never empty: see hindcast
        span = f"FY{years[0]}\u2013FY{years[-1]}" if len(years) > 1 else f"FY{years[0]}"
        met = self.summary()["met"].dropna().astype(bool)
        targets = f"targets met {int(met.sum())} of {len(met)}" if len(met) else ""
        parts = [repr(clip(self.scenario.name, 60)), span, f"{self.draws:,} draws", targets]
        return f"Hindcast({joined(parts)})"

    def _repr_html_(self) -> str:
        """The summary per comparison (:meth:`summary`), for a notebook."""
        frame = self.summary().set_index("label")

        def share(v: object) -> str:
            return "" if not isinstance(v, float) or np.isnan(v) else f"{v:+.1%}"

        def tol(v: object) -> str:
            return "" if not isinstance(v, float) or np.isnan(v) else f"±{v:.0%}"

        def flag(v: object) -> str:
            return "" if v is pd.NA else ("yes" if v else "NO")

        return html_table(frame, repr(self),
                          "worst_error: the model's mean against the published value, the year "
                          "of largest miss; in_band: years whose published value lies in the "
                          "model's 90% band; met: every year within the tolerance (and rising "
                          "where asked).",
                          formats={"worst_error": share, "tolerance": tol, "rising": flag,
                                   "met": flag})

    def to_text(self) -> str:
        """The error table as plain text, 80 columns: one block per comparison."""
        lines = [f"Hindcast: {self.scenario.name}",
                 f"model: mean and 90% band of {self.draws:,} draws ({self.sampler}, "
                 f"seed {self.seed})",
                 "published: enforcecost series --role actual",
                 ""]
        readings: list[str] = []
        head = f"{'FY':<6}{'published':>11}{'model mean':>12}{'90% band':>23}{'error':>8}  target"
        for c in COMPARISONS:
            t = self.table[self.table["quantity"] == c.quantity]
            if t.empty:
                continue
            lines += [f"{c.label} ({c.series})", head]
            for r in t.to_dict("records"):
                band = f"{_n(r['p5'])} - {_n(r['p95'])}"
                mark = "*" if not r["in_band"] else " "
                if r["reading"]:
                    readings += textwrap.wrap(
                        f"~ FY{r['fiscal_year']} {c.label}: {r['reading']} ({r['series']})",
                        width=80, subsequent_indent="  ")
                verdict = ("" if c.tolerance is None else
                           f"±{c.tolerance:.0%} {'met' if r['within'] else 'MISSED'}")
                fy = f"{r['fiscal_year']}{'~' if r['reading'] else ''}"
                lines.append(f"{fy:<6}{_n(r['actual']):>11}{_n(r['mean']):>12}"
                             f"{band:>22}{mark}{r['error']:>+8.1%}  {verdict}")
            if c.rising:
                ok = bool(np.all(np.diff(t["mean"].to_numpy()) > 0))
                lines.append(f"{'':<6}rising every year, as published: "
                             f"{'met' if ok else 'MISSED'}")
            lines.append("")
        lines.append("* the published value lies outside the model's 90% band")
        lines += readings
        return "\n".join(lines)

    def plot(self, **kwargs: Any) -> Figure:
        """The chart: each quantity's band and mean by year, with the published points.

        Keyword arguments go to :func:`enforcecost.plot.hindcast`.
        """
        from ..plot import hindcast as chart

        return chart(self, **kwargs)


def _published(wanted: pd.DataFrame, c: Comparison) -> pd.DataFrame:
    """The published values a comparison reads, one per fiscal year, stand-ins scaled.

    The fiscal-year series where it has the year; else the first stand-in that does.
    """
    frames = []
    covered: set[int] = set()
    for name, factor, reading in ((c.series, 1.0, ""),
                                  *((x.series, x.factor, x.reading) for x in c.stand_ins)):
        rows = wanted[(wanted["series"] == name) & ~wanted["fiscal_year"].isin(covered)]
        if rows.empty:
            continue
        rows = rows.assign(value=rows["value"] * factor, reading=reading)
        covered |= set(rows["fiscal_year"].astype(int).tolist())
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=["fiscal_year", "value", "quality", "series", "reading"])
    return pd.concat(frames).sort_values("fiscal_year")


def _n(x: Any) -> str:
    return f"{x:,.0f}"


def hindcast(
    scenario: Scenario | str | Path,
    draws: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
) -> Hindcast:
    """Compare a scenario's pipeline with what ICE and EOIR published, year by year.

    The policy side is run on the rows of the design ``enforcecost run`` draws for
    the same draws, seed and sampler (one block), and each quantity of
    :data:`~enforcecost.hindcast.COMPARISONS` is set beside its published series in
    every year of the window that has a published value.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario, or a scenario file or shipped name (such as
        ``"hindcast/eo13768_as_implemented"``). Normally one marked
        ``hindcast = true``: a past as it was carried out.
    draws, seed, sampler : optional
        Default to the scenario's ``[run]`` table.

    Returns
    -------
    Hindcast

    Raises
    ------
    ScenarioError
        If the scenario's window has no year with a published value, or its values
        overflow (as :func:`~enforcecost.evaluate`).
    TypeError, ValueError
        For a bad ``draws``, ``seed`` or ``sampler``.

    Examples
    --------
    >>> import enforcecost as ec
    >>> h = ec.hindcast("hindcast/eo13768_as_implemented", draws=256)
    >>> sorted(set(h.table["fiscal_year"]))
    [2017, 2018, 2019]
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    n = sc.run.draws if draws is None else draws
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"'draws' must be a whole number >= 2 (a band needs draws): {n!r}")
    s = check_seed(sc.run.seed if seed is None else seed)
    kind = sc.run.sampler if sampler is None else sampler
    if kind not in SAMPLERS:
        raise ValueError(f"'sampler' must be one of {', '.join(SAMPLERS)}: {kind!r}")
    problems = magnitude_problems(sc)
    if problems:
        raise ScenarioError(problems)
    fiscal_years = np.arange(sc.start_year, sc.start_year + sc.years)
    actual = series(role="actual")
    names_read = [n for c in COMPARISONS for n in (c.series, *(x.series for x in c.stand_ins))]
    wanted = actual[actual["series"].isin(names_read)
                    & actual["fiscal_year"].isin(fiscal_years)]
    if wanted.empty:
        where = str(sc.path) if sc.path else "<code>"
        raise ScenarioError([Problem(
            where, "[scenario] start_year",
            f"the window FY{fiscal_years[0]}-FY{fiscal_years[-1]} has no year with a "
            "published outcome to compare with", int(sc.start_year))])
    names = uncertain_inputs(sc)
    u = design(len(names), int(n), sampler=kind, seed=s,
               correlate=correlation_plan(sc, names))
    res = run_design(sc, u, names)
    flows, base = res.policy_run.flows, res.baseline_run
    rows = []
    for c in COMPARISONS:
        pub = _published(wanted, c)
        if pub.empty:
            continue
        values = np.asarray(getattr(flows, c.quantity))
        lo, hi = np.quantile(values, BAND, axis=0)
        mean = values.mean(axis=0)
        base_mean = (np.asarray(getattr(base.flows, c.quantity)).mean(axis=0)
                     if base is not None else np.full(len(fiscal_years), np.nan))
        for r in pub.to_dict("records"):
            year, value = int(r["fiscal_year"]), float(r["value"])
            t = year - int(fiscal_years[0])
            err = mean[t] / value - 1.0
            rows.append({
                "quantity": c.quantity, "label": c.label, "fiscal_year": year,
                "actual": value, "quality": r["quality"], "series": r["series"],
                "reading": r["reading"], "mean": float(mean[t]),
                "p5": float(lo[t]), "p95": float(hi[t]), "baseline_mean": float(base_mean[t]),
                "error": float(err), "in_band": bool(lo[t] <= value <= hi[t]),
                "tolerance": np.nan if c.tolerance is None else c.tolerance,
                "within": pd.NA if c.tolerance is None else bool(abs(err) <= c.tolerance),
            })
    table = pd.DataFrame(rows, columns=list(_COLUMNS))
    table["within"] = table["within"].astype("boolean")
    return Hindcast(scenario=sc, table=table, draws=int(n), seed=s, sampler=kind)
