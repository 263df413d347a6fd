"""The tables of a result as DataFrames: the CSVs of a batch run and the inputs used.

Per-scenario frames by file name, the run's summary, the parameters used, the
mean ledger, the percentiles and the comparison of several scenarios; no text
layout (:mod:`._render`) and no writing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..registry import registry
from ..results import PERSPECTIVES, Result
from ..scenario import Scenario, Setting, modified_words
from ..vocab import BASES, Basis
from ._cells import MILLION
from ._labels import perspectives_with_lines

__all__ = [
    "STATS",
    "comparison_frame",
    "describe_distribution",
    "mean_ledger",
    "parameters_used",
    "percentile_frame",
    "result_frames",
    "summary_frame",
]

#: The statistics of a percentile table, each with its Monte Carlo standard error.
STATS = ("mean", "p5", "p50", "p95")


def percentile_frame(res: Result, basis: Basis = "nominal") -> pd.DataFrame:
    """Mean and percentiles of each perspective's 5-year and window totals.

    Parameters
    ----------
    res : Result
        A Monte Carlo result (a deterministic one gives the central value in
        every column and zero standard errors).
    basis : {'nominal', 'real', 'pv'}

    Returns
    -------
    DataFrame
        Indexed by (perspective, span), for each perspective with ledger
        lines; ``span`` is ``'2017-2021'`` (the first five fiscal years, when
        the window is longer) and ``'2017-2026'`` (the window). Columns mean,
        mean_se, p5, p5_se, p50, p50_se, p95, p95_se: net cost in ``basis``
        dollars and Monte Carlo standard errors, from :meth:`Result.summary`
        (which warns :class:`~enforcecost.results.PrecisionWarning` when the
        draws are too few).
    """
    fy = res.fiscal_years
    spans: list[tuple[str, int | None]] = []
    if fy.size > 5:
        spans.append((f"{fy[0]}-{fy[4]}", 5))
    spans.append((f"{fy[0]}-{fy[-1]}", None))
    columns = [c for k in STATS for c in (k, f"{k}_se")]
    summaries = {label: res.summary(basis, years) for label, years in spans}
    rows = [
        {"perspective": p, "span": label, **summaries[label].loc[(p, "all"), columns].to_dict()}
        for p in perspectives_with_lines(res)
        for label, _ in spans
    ]
    return pd.DataFrame(rows, columns=["perspective", "span", *columns]).set_index(
        ["perspective", "span"]
    )


def mean_ledger(res: Result, basis: Basis = "nominal") -> pd.DataFrame:
    """The tidy ledger averaged over draws: fiscal_year, provision, item, payer, kind, amount.

    Equal to ``res.ledger(basis)`` grouped by (fiscal_year, provision, item,
    payer, kind) and averaged over draws, in the row order of a deterministic
    ledger, without building the per-draw frame. A deterministic result's
    ledger is returned as it is.
    """
    if res.deterministic:
        return res.ledger(basis)
    lines = res.lines
    mean = res.mean_cube(basis)  # (years, lines); also for a reduction-only result
    years, n = mean.shape
    return pd.DataFrame(
        {
            "fiscal_year": np.repeat(res.fiscal_years, n),
            **{k: np.tile(lines[k].to_numpy(), years) for k in ("provision", "item", "payer",
                                                                 "kind")},
            "amount": mean.reshape(-1),
        }
    )


_ARG_ORDER = ("low", "mode", "high", "mean", "sd", "ci90", "values", "weights")


def describe_distribution(setting: Setting,
                          number: Callable[[float], str] | None = None) -> str:
    """A setting's uncertainty as text, e.g. ``pert(low=371, mode=1500, high=3000)``.

    ``fixed`` when the setting has no distribution. A schedule by fiscal year
    shows as ``by_year(2017=300, 2019=450)``, times its multiplier's
    distribution if it has one (its ``value`` is then the central multiplier).

    Parameters
    ----------
    setting : Setting
    number : callable, optional
        How each number is written (default ``f"{v:g}"``, as in the CSV
        tables; the Markdown report passes :func:`~._cells.plain_number`).
    """
    fmt = number or _g
    schedule = ""
    if setting.schedule is not None:
        listed = ", ".join(f"{y}={_fmt_arg(v, fmt)}" for y, v in setting.schedule)
        schedule = f"by_year({listed})"
    if setting.dist is None:
        return schedule or "fixed"
    args = setting.dist.args
    keys = [k for k in _ARG_ORDER if k in args] + [k for k in args if k not in _ARG_ORDER]
    text = ", ".join(f"{k}={_fmt_arg(args[k], fmt)}" for k in keys)
    return f"{schedule} x {setting.dist.kind}({text})" if schedule else (
        f"{setting.dist.kind}({text})")


def _g(v: float) -> str:
    return f"{v:g}"


def _fmt_arg(v: Any, fmt: Callable[[float], str]) -> str:
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt_arg(x, fmt) for x in v) + "]"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return fmt(float(v))
    return str(v)


def parameters_used(scenario: Scenario) -> pd.DataFrame:
    """Every input the scenario (and its baseline) ran with, and where each came from.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    DataFrame
        One row per side (``policy``, then ``baseline`` when there is one) and
        input, in registry order. Columns: side, name, provision, value (central,
        in ``unit`` and ``dollar_year`` dollars), unit, dollar_year, distribution,
        low, high (range of the distribution), source_kind, citation (of the
        registry entry), changed (whether a scenario file or code set it) and
        set_in (that file; empty for the registry default).
    """
    reg = registry()
    sides: list[tuple[str, Scenario]] = [("policy", scenario)]
    if scenario.baseline is not None:
        sides.append(("baseline", scenario.baseline))
    rows = []
    for side, sc in sides:
        for name, s in sc.settings().items():
            p = reg[name]
            lo, hi = s.dist.range if s.dist is not None else (math.nan, math.nan)
            changed = s.source != "registry"
            rows.append(
                {
                    "side": side,
                    "name": name,
                    "provision": p.provision,
                    "value": s.value,
                    "unit": p.unit,
                    "dollar_year": "" if s.dollar_year is None else str(s.dollar_year),
                    "distribution": describe_distribution(s),
                    "low": lo,
                    "high": hi,
                    "source_kind": p.source_kind,
                    "citation": p.citation,
                    "changed": changed,
                    "set_in": s.source if changed else "",
                }
            )
    return pd.DataFrame(rows)


def result_frames(
    res: Result, bases: Iterable[Basis] = BASES, *, ledger_draws: bool = False
) -> dict[str, pd.DataFrame]:
    """Every per-scenario output table of a batch run, keyed by CSV file name.

    Parameters
    ----------
    res : Result
    bases : iterable of {'nominal', 'real', 'pv'}
    ledger_draws : bool
        For a Monte Carlo result, write the ledger of every draw (``draws x
        years x lines`` rows) instead of the mean over draws.

    Returns
    -------
    dict of str -> DataFrame
        ``table_<perspective>_<basis>.csv`` (CBO table, $ millions, means over
        draws, for each perspective with ledger lines), ``ledger_<basis>.csv``
        (tidy ledger, dollars: :func:`mean_ledger` for a Monte Carlo result
        unless ``ledger_draws``), ``summary_<basis>.csv`` (:meth:`Result.summary`,
        dollars), for a Monte Carlo result ``percentiles_<basis>.csv`` (the
        same frame: mean, sd, percentiles and their Monte Carlo standard
        errors of the window total) and ``percentiles_5yr_<basis>.csv`` (of
        the first five fiscal years; windows of five years or more),
        ``pipeline.csv`` (and ``pipeline_baseline.csv`` with a baseline),
        ``nonmonetized.csv`` and ``parameters_used.csv``. Frames with a
        meaningful index (anything but a RangeIndex) are meant to be written
        with it.

    Warns
    -----
    PrecisionWarning
        From :meth:`Result.summary`, when a Monte Carlo result has too few draws.
    """
    frames: dict[str, pd.DataFrame] = {}
    mc = not res.deterministic
    for basis in bases:
        for perspective in perspectives_with_lines(res):
            frames[f"table_{perspective}_{basis}.csv"] = res.table(perspective, basis)
        frames[f"ledger_{basis}.csv"] = (
            mean_ledger(res, basis) if mc and not ledger_draws else res.ledger(basis)
        )
        summary = res.summary(basis)
        frames[f"summary_{basis}.csv"] = summary
        if mc:
            frames[f"percentiles_{basis}.csv"] = summary
            if res.fiscal_years.size >= 5:
                frames[f"percentiles_5yr_{basis}.csv"] = res.summary(basis, years=5)
    frames["pipeline.csv"] = res.pipeline()
    if res.has_baseline:
        frames["pipeline_baseline.csv"] = res.pipeline("baseline")
    frames["nonmonetized.csv"] = res.nonmonetized()
    frames["parameters_used.csv"] = parameters_used(res.scenario)
    return frames


def summary_frame(
    results: Iterable[tuple[str, Result]], bases: Sequence[Basis] = BASES
) -> pd.DataFrame:
    """Headline totals: one row per scenario and perspective.

    Parameters
    ----------
    results : iterable of (id, Result)
        ``id`` names the scenario in the batch (its output directory).
    bases : sequence of {'nominal', 'real', 'pv'}

    Returns
    -------
    DataFrame
        Columns scenario, name, file (its path, and what was changed in code
        since it was read: :attr:`~enforcecost.Scenario.provenance`), baseline,
        perspective, start_year,
        end_year, draws (1: central values), then per basis
        ``<basis>_5yr_millions`` (first five fiscal years; NaN for a shorter
        window) and ``<basis>_window_millions`` (the whole window), net cost in
        millions of dollars (means over draws).
    """
    rows = []
    for ident, res in results:
        sc = res.scenario
        fy = res.fiscal_years
        for perspective in PERSPECTIVES:
            row: dict[str, Any] = {
                "scenario": ident,
                "name": sc.name,
                "file": "" if sc.path is None else f"{sc.path}{modified_words(sc.modified)}",
                "baseline": sc.baseline.name if sc.baseline is not None else "",
                "perspective": perspective,
                "start_year": int(fy[0]),
                "end_year": int(fy[-1]),
                "draws": res.draws,
            }
            for basis in bases:
                five = (
                    res.mean_total(perspective, basis, years=5) / MILLION
                    if fy.size >= 5
                    else math.nan
                )
                row[f"{basis}_5yr_millions"] = five
                row[f"{basis}_window_millions"] = res.mean_total(perspective, basis) / MILLION
            rows.append(row)
    return pd.DataFrame(rows)


def comparison_frame(results: Iterable[tuple[str, Result]]) -> pd.DataFrame:
    """Window totals of several scenarios: mean and 90% range per perspective.

    Returns
    -------
    DataFrame
        Indexed by scenario (its id); column name, then per perspective
        ``<perspective>_mean_millions``, ``_p5_millions`` and ``_p95_millions``:
        the nominal window total in millions of dollars.
    """
    rows = []
    for ident, res in results:
        row: dict[str, Any] = {"scenario": ident, "name": res.scenario.name}
        for perspective in PERSPECTIVES:
            p5, p95 = np.atleast_1d(res.quantile([0.05, 0.95], perspective, "nominal"))
            row[f"{perspective}_mean_millions"] = res.mean_total(perspective, "nominal") / MILLION
            row[f"{perspective}_p5_millions"] = float(p5) / MILLION
            row[f"{perspective}_p95_millions"] = float(p95) / MILLION
        rows.append(row)
    return pd.DataFrame(rows).set_index("scenario")
