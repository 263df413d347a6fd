"""Report tables built from a :class:`~enforcecost.Result`: frames and plain-text layouts.

Everything here builds (DataFrames, strings) and nothing prints or writes, so
the command line and a report module share one definition of each table:

- :func:`result_frames`: every per-scenario output table, by file name;
- :func:`summary_frame`: one row per scenario and perspective with the 5-year and
  window totals in each basis (the batch run's ``summary.csv``);
- :func:`parameters_used`: every input a scenario (and its baseline) ran with;
- :func:`mean_ledger`: the ledger averaged over Monte Carlo draws;
- :func:`percentile_frame`: mean and percentiles (with Monte Carlo standard
  errors) of each perspective's 5-year and window totals;
- :func:`render_result`: CBO-style text tables of a result (and, for a Monte
  Carlo result, its percentile tables);
- :func:`render_registry`: the parameter registry as a text table of a given width;
- :func:`render_tornado`, :func:`render_morris`, :func:`render_sobol`: the top
  drivers of a sensitivity study.

Conventions follow CBO cost estimates: millions of dollars by fiscal year,
positive numbers are costs (outlays, revenue lost), negative numbers savings
or gains, ``-`` is zero and ``*`` is between -$500,000 and $500,000.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .money import BASES, Basis
from .parameters import registry
from .results import PERSPECTIVES, Perspective, Result
from .scenario import Scenario, Setting
from .vocab import PAYERS_OF, PERSPECTIVE_TITLES

if TYPE_CHECKING:
    from .sensitivity import ScenarioMorris, ScenarioSobol, TornadoResult

__all__ = [
    "PERSPECTIVE_TITLES",
    "assumption_share",
    "describe_distribution",
    "format_millions",
    "mean_ledger",
    "parameters_used",
    "percentile_frame",
    "perspectives_with_lines",
    "render_morris",
    "render_percentiles",
    "render_registry",
    "render_result",
    "render_sobol",
    "render_table",
    "render_tornado",
    "result_frames",
    "run_description",
    "scenario_title",
    "short_citation",
    "summary_frame",
    "units_line",
]


_MILLION = 1e6
_ZERO_DOLLARS = 0.5  # below half a dollar a cell shows "-" (zero)
_NOTES = (
    "Positive numbers are costs to the payer (outlays, revenue lost); negative numbers are "
    "savings or gains.",
    "- = zero; * = between -$500,000 and $500,000. Components may not sum to totals "
    "because of rounding.",
)


# -- labels ------------------------------------------------------------------------
def scenario_title(res: Result) -> str:
    """The title line: the scenario's name and what it is measured against.

    Examples
    --------
    >>> import enforcecost as ec
    >>> scenario_title(ec.evaluate(ec.load_scenario("eo13768")))[:50]
    'EO 13768, full implementation: impact relative to '
    """
    sc = res.scenario
    if res.has_baseline and sc.baseline is not None:
        return f"{sc.name}: impact relative to {sc.baseline.name}"
    return f"{sc.name} (no baseline: the scenario's own costs)"


def run_description(
    res: Result, *, sampler: str | None = None, seed: int | None = None
) -> str:
    """How a result's numbers were drawn, e.g. ``means of 4,096 draws (sobol sampler, seed 1)``.

    ``central values`` for a deterministic result. ``sampler`` and ``seed``
    (which a :class:`~enforcecost.Result` does not record) are added when given.

    Examples
    --------
    >>> import enforcecost as ec
    >>> sc = ec.load_scenario("eo13768")
    >>> run_description(ec.simulate(sc, draws=64, seed=1), sampler="sobol", seed=1)
    'means of 64 draws (sobol sampler, seed 1)'
    >>> run_description(ec.evaluate(sc))
    'central values'
    """
    if res.deterministic:
        return "central values"
    text = f"means of {res.draws:,} draw{'s' if res.draws != 1 else ''}"
    how = [f"{sampler} sampler"] if sampler is not None else []
    if seed is not None:
        how.append(f"seed {seed}")
    return f"{text} ({', '.join(how)})" if how else text


def units_line(
    res: Result, basis: Basis, *, sampler: str | None = None, seed: int | None = None
) -> str:
    """The units line of a CBO-style table in ``basis`` dollars.

    For a Monte Carlo result it ends with :func:`run_description` (the cells
    are means over draws).

    Examples
    --------
    >>> import enforcecost as ec
    >>> units_line(ec.evaluate(ec.load_scenario("eo13768")), "pv")
    'Millions of dollars, by fiscal year, present value in 2017 dollars at 2.0% real'
    """
    if basis == "nominal":
        money = "nominal (then-year) dollars"
    elif basis == "real":
        money = f"constant {res.dollar_year} dollars"
    elif basis == "pv":
        money = f"present value in {res.dollar_year} dollars at {res.discount_rate:.1%} real"
    else:
        raise ValueError(f"'basis' must be one of {', '.join(BASES)}: {basis!r}")
    line = f"Millions of dollars, by fiscal year, {money}"
    if not res.deterministic:
        line += "; " + run_description(res, sampler=sampler, seed=seed)
    return line


def _money_words(res: Result, basis: Basis) -> str:
    """``units_line`` without its first words, e.g. 'nominal (then-year) dollars'."""
    return units_line(res, basis).split(", by fiscal year, ", 1)[1].split(";", 1)[0]


def perspectives_with_lines(res: Result, provision: str | None = None) -> list[Perspective]:
    """The perspectives that have at least one ledger line in ``res`` (of ``provision``,
    when given), in standard order."""
    lines = res.lines
    if provision is not None:
        lines = lines[lines["provision"] == provision]
    payers = set(lines["payer"])
    return [p for p in PERSPECTIVES if payers & set(PAYERS_OF[p])]


def format_millions(x: float) -> str:
    """One cell of a CBO table, ``x`` in millions of dollars.

    Whole millions with thousands separators; ``-`` for zero; ``*`` for a
    nonzero amount that rounds to zero (between -$500,000 and $500,000).

    Examples
    --------
    >>> [format_millions(x) for x in (0.0, 0.3, -0.4, 1234.5, -2500.2)]
    ['-', '*', '*', '1,234', '-2,500']
    """
    if not math.isfinite(x):
        return str(x)
    if abs(x) * _MILLION < _ZERO_DOLLARS:
        return "-"
    whole = round(x)
    if whole == 0:
        return "*"
    return f"{whole:,}"


# -- text tables ---------------------------------------------------------------------
def render_table(table: pd.DataFrame, title: str = "", units: str = "") -> str:
    """Lay out a table of ``Result.table`` (millions of dollars) as CBO-style text.

    Parameters
    ----------
    table : DataFrame
        Rows are provisions and a last ``Total`` row; columns fiscal years and totals.
    title, units : str
        Heading and units lines printed above the table (omitted when empty).

    Returns
    -------
    str
        Right-aligned columns, the ``Total`` row set off by a rule.
    """
    labels = [str(i) for i in table.index]
    label_w = max([len(s) for s in labels] + [len("Total")])
    cells = [[format_millions(float(v)) for v in row] for row in table.to_numpy()]
    headers = [str(c) for c in table.columns]
    widths = [
        max([len(h), *(len(r[j]) for r in cells)]) for j, h in enumerate(headers)
    ]

    def line(label: str, values: Sequence[str]) -> str:
        body = "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))
        return f"{label.ljust(label_w)}  {body}".rstrip()

    rule = "-" * (label_w + 2 + sum(widths) + 2 * (len(widths) - 1))
    out = [s for s in (title, units) if s]
    out += [line("", headers), rule]
    for label, row in zip(labels, cells, strict=True):
        if label == "Total":
            out.append(rule)
        out.append(line(label, row))
    return "\n".join(out)


def render_result(
    res: Result,
    basis: Basis = "nominal",
    *,
    footnote: str | None = None,
    sampler: str | None = None,
    seed: int | None = None,
    percentiles: bool = True,
) -> str:
    """Every perspective's CBO-style table for one result, with title and notes.

    Parameters
    ----------
    res : Result
        The evaluated (or simulated) scenario.
    basis : {'nominal', 'real', 'pv'}
        Dollars of the tables.
    footnote : str, optional
        Replaces the default line on non-monetized effects.
    sampler, seed : optional
        How a Monte Carlo result was drawn, for its units lines.
    percentiles : bool
        For a Monte Carlo result, add :func:`render_percentiles` after the
        CBO tables (this computes :meth:`Result.summary`, which may warn
        :class:`~enforcecost.results.PrecisionWarning`).

    Returns
    -------
    str
        The title, then per perspective with any ledger lines a heading, the
        units line and the table (means over draws for a Monte Carlo result),
        then the percentile tables, then the notes.
    """
    blocks = [scenario_title(res)]
    if res.scenario.path is not None:
        blocks[0] += f"\nScenario file: {res.scenario.path}"
    units = units_line(res, basis, sampler=sampler, seed=seed)
    for perspective in perspectives_with_lines(res):
        table = res.table(perspective, basis)
        blocks.append(render_table(table, PERSPECTIVE_TITLES[perspective], units))
    if percentiles and not res.deterministic:
        blocks.append(render_percentiles(res, basis, sampler=sampler, seed=seed))
    n = len(res.nonmonetized())
    if footnote is None:
        footnote = (
            f"Not estimated: {n} non-monetized effect{'s' if n != 1 else ''} "
            "(see Result.nonmonetized())."
        )
    blocks.append("\n".join([*_NOTES, footnote]))
    return "\n\n".join(blocks)


# -- uncertainty -------------------------------------------------------------------------
_STATS = ("mean", "p5", "p50", "p95")


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
    columns = [c for k in _STATS for c in (k, f"{k}_se")]
    summaries = {label: res.summary(basis, years) for label, years in spans}
    rows = [
        {"perspective": p, "span": label, **summaries[label].loc[(p, "all"), columns].to_dict()}
        for p in perspectives_with_lines(res)
        for label, _ in spans
    ]
    return pd.DataFrame(rows, columns=["perspective", "span", *columns]).set_index(
        ["perspective", "span"]
    )


def _fmt_se(millions: float) -> str:
    """A standard error in millions: whole millions, or one significant digit below 1."""
    if not math.isfinite(millions):
        return str(millions)
    if millions * _MILLION < _ZERO_DOLLARS:
        return "0"
    if millions >= 0.5:
        return f"{round(millions):,}"
    return f"{millions:.1g}"


def _layout(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """A text table: the first ``left`` columns left-aligned, the rest right-aligned."""
    widths = [max([len(h), *(len(r[j]) for r in rows)]) for j, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.ljust(w) if j < left else c.rjust(w)
            for j, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return [line(headers), rule, *(line(r) for r in rows)]


def render_percentiles(
    res: Result, basis: Basis = "nominal", *, sampler: str | None = None, seed: int | None = None
) -> str:
    """Per perspective, the 5-year and window totals' mean, p5, p50 and p95 ($ millions).

    Each number is followed by its Monte Carlo standard error (``se``), from
    :func:`percentile_frame`.

    Parameters
    ----------
    res : Result
        A Monte Carlo result.
    basis : {'nominal', 'real', 'pv'}
    sampler, seed : optional
        How the draws were made, for the heading.

    Returns
    -------
    str
    """
    frame = percentile_frame(res, basis) / _MILLION
    over = run_description(res, sampler=sampler, seed=seed).removeprefix("means of ")
    out = [
        f"Distribution of the net cost over {over}",
        f"Millions of dollars, {_money_words(res, basis)}; "
        "se = Monte Carlo standard error of the number to its left",
    ]
    headers = ["", *(h for k in _STATS for h in (k, "se"))]
    for perspective in dict.fromkeys(frame.index.get_level_values("perspective")):
        part = frame.loc[perspective]
        rows = [
            [str(span), *(
                cell
                for k in _STATS
                for cell in (format_millions(float(r[k])), _fmt_se(float(r[f"{k}_se"])))
            )]
            for span, r in part.iterrows()
        ]
        out += ["", PERSPECTIVE_TITLES[str(perspective)], *_layout(headers, rows)]
    return "\n".join(out)


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


# -- sensitivity -------------------------------------------------------------------------
def _fmt_index(x: float) -> str:
    if not math.isfinite(x):
        return "nan"
    text = f"{x:.3f}"
    return "0.000" if float(text) == 0 else text  # no "-0.000"


def _fmt_interval(low: float, high: float, fmt: Any = _fmt_index) -> str:
    return f"[{fmt(low)}, {fmt(high)}]"


def _millions(x: float) -> str:
    return format_millions(x / _MILLION)


def _more(shown: int, total: int, what: str) -> list[str]:
    rest = total - shown
    return [f"... and {rest:,} more input{'s' if rest != 1 else ''} ({what})"] if rest > 0 else []


def render_tornado(res: TornadoResult, *, top: int = 15) -> str:
    """The ``top`` inputs of a tornado study by swing, as text ($ millions).

    Parameters
    ----------
    res : TornadoResult
        From :func:`enforcecost.sensitivity.tornado`.
    top : int
        Rows shown (largest swings first).

    Returns
    -------
    str
        A heading with the output and its central value, then per input: name,
        provision, source kind, the output with the input at the low and at
        the high end of its range and the swing between them.
    """
    frame = res.frame
    shown = frame.iloc[:top]
    rows = [
        [str(name), str(r["provision"]), str(r["source_kind"]), _millions(r["low_output"]),
         _millions(r["high_output"]), _millions(r["swing"])]
        for name, r in shown.iterrows()
    ]
    headers = ["input", "provision", "source kind", "low $M", "high $M", "swing $M"]
    return "\n".join([
        f"Tornado: {res.label}",
        "Each uncertain input at the low and the high end of its range, the others at their "
        "central values;",
        "low/high: the output then, millions of dollars. "
        f"Central value: {_millions(res.base)}.",
        "",
        *_layout(headers, rows, left=3),
        *_more(len(shown), len(frame), "smaller swings"),
    ])


def render_morris(res: ScenarioMorris, *, top: int = 15) -> str:
    """The ``top`` inputs of a Morris screening by mu*, as text ($ millions).

    Parameters
    ----------
    res : ScenarioMorris
        From :func:`enforcecost.sensitivity.morris`.
    top : int
        Rows shown (largest mu* first).

    Returns
    -------
    str
        A heading with the design, then per input: name, provision, source
        kind, mu* with its bootstrap interval, sigma and mu.
    """
    frame = res.to_frame()
    shown = frame.iloc[:top]
    m = res.result
    rows = [
        [str(name), str(r["provision"]), str(r["source_kind"]), _millions(r["mu_star"]),
         _fmt_interval(r["mu_star_low"], r["mu_star_high"], _millions), _millions(r["sigma"]),
         _millions(r["mu"])]
        for name, r in shown.iterrows()
    ]
    headers = ["input", "provision", "source kind", "mu* $M", f"{m.confidence:.0%} interval",
               "sigma $M", "mu $M"]
    return "\n".join([
        f"Morris screening: {res.label}",
        f"{m.trajectories} trajectories, {m.levels} levels, {m.evaluations:,} model runs. "
        "Elementary effects: the change of the output when an input",
        "moves from its 5th to its 95th percentile, millions of dollars. mu* = mean absolute "
        "effect (bootstrap interval);",
        "sigma = their spread (non-linear effects or interactions); mu = mean (signed).",
        "",
        *_layout(headers, rows, left=3),
        *_more(len(shown), len(frame), "smaller mu*"),
    ])


def assumption_share(res: ScenarioSobol) -> str:
    """A sentence: the share of the variance that inputs resting on assumptions explain.

    The grouped total-order index of the ``assumption`` source kind, with its
    confidence interval.
    """
    if res.by_source is None:
        return "Source-kind groups were not computed."
    frame = res.by_source_kind()
    if "assumption" not in frame.index:
        return "No uncertain input rests on an assumption: every one has a cited source."
    st, low, high = frame.loc["assumption", ["ST", "ST_low", "ST_high"]].to_numpy(dtype=float)
    if not math.isfinite(st):
        return "The output does not vary with the inputs: its Sobol' indices are undefined."
    conf = res.by_source.confidence
    return (
        f"Inputs resting on assumptions explain {st:.0%} of the variance (total-order, grouped; "
        f"{conf:.0%} interval {low:.0%} to {high:.0%})."
    )


def _index_rows(frame: pd.DataFrame, lead: Sequence[str]) -> list[list[str]]:
    return [
        [str(name), *(str(r[c]) for c in lead), _fmt_index(r["S1"]),
         _fmt_interval(r["S1_low"], r["S1_high"]), _fmt_index(r["ST"]),
         _fmt_interval(r["ST_low"], r["ST_high"])]
        for name, r in frame.iterrows()
    ]


def render_sobol(res: ScenarioSobol, *, top: int = 15) -> str:
    """The ``top`` inputs of a Sobol' study by total index, the grouped indices and
    the share resting on assumptions, as text.

    Parameters
    ----------
    res : ScenarioSobol
        From :func:`enforcecost.sensitivity.sobol`.
    top : int
        Input rows shown (largest ST first).

    Returns
    -------
    str
        A heading with the design and the output's mean and standard
        deviation, the inputs' S1 and ST with intervals, the indices grouped
        by provision and by source kind, and :func:`assumption_share`.
    """
    r = res.result
    frame = res.to_frame()
    shown = frame.iloc[:top]
    conf = f"{r.confidence:.0%} interval"
    runs = r.evaluations + (res.by_source.evaluations if res.by_source is not None else 0)
    sd = math.sqrt(float(r.variance))
    out = [
        f"Sobol' indices: {res.label}",
        f"{r.n:,} base points in {r.replicates} scrambled replicates, {runs:,} model runs; "
        f"output mean {_millions(float(r.mean))}, sd {_millions(sd)} ($ millions).",
        "S1: share of the variance an input explains alone; ST: including its interactions. "
        "Intervals from the replicates.",
        "",
        *_layout(["input", "provision", "source kind", "S1", conf, "ST", conf],
                 _index_rows(shown, ["provision", "source_kind"]), left=3),
        *_more(len(shown), len(frame), "smaller ST"),
        "",
        "By provision (the inputs of each provision together)",
        *_layout(["provision", "S1", conf, "ST", conf],
                 _index_rows(res.by_provision().sort_values("ST", ascending=False), [])),
    ]
    if res.by_source is not None:
        out += [
            "",
            "By source kind (the inputs resting on each kind of source together)",
            *_layout(["source kind", "S1", conf, "ST", conf],
                     _index_rows(res.by_source_kind().sort_values("ST", ascending=False), [])),
        ]
    out += ["", assumption_share(res)]
    return "\n".join(out)


# -- frames ----------------------------------------------------------------------------
_ARG_ORDER = ("low", "mode", "high", "mean", "sd", "ci90", "values", "weights")


def describe_distribution(setting: Setting) -> str:
    """A setting's uncertainty as text, e.g. ``pert(low=371, mode=1500, high=3000)``.

    ``fixed`` when the setting has no distribution.
    """
    if setting.dist is None:
        return "fixed"
    args = setting.dist.args
    keys = [k for k in _ARG_ORDER if k in args] + [k for k in args if k not in _ARG_ORDER]
    text = ", ".join(f"{k}={_fmt_arg(args[k])}" for k in keys)
    return f"{setting.dist.kind}({text})"


def _fmt_arg(v: Any) -> str:
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_fmt_arg(x) for x in v) + "]"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"{v:g}"
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
        Columns scenario, name, file, baseline, perspective, start_year,
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
                "file": "" if sc.path is None else str(sc.path),
                "baseline": sc.baseline.name if sc.baseline is not None else "",
                "perspective": perspective,
                "start_year": int(fy[0]),
                "end_year": int(fy[-1]),
                "draws": res.draws,
            }
            for basis in bases:
                five = (
                    res.mean_total(perspective, basis, years=5) / _MILLION
                    if fy.size >= 5
                    else math.nan
                )
                row[f"{basis}_5yr_millions"] = five
                row[f"{basis}_window_millions"] = res.mean_total(perspective, basis) / _MILLION
            rows.append(row)
    return pd.DataFrame(rows)


# -- the registry ------------------------------------------------------------------------
def short_citation(citation: str) -> str:
    """The source named at the start of a citation, without its quotation.

    Examples
    --------
    >>> short_citation('EO 13768 summary (seed): "Hires 10,000 additional officers"')
    'EO 13768 summary (seed)'
    """
    head = citation.split('"', 1)[0].rstrip(" :,;(")
    return head or citation


_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def _fmt_value(v: float, compact_from: float = 1e6) -> str:
    """A registry number for a narrow column: ``10,000``, ``0.96``, ``11M``, ``244.7B``."""
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if abs(v) >= compact_from:
        for size, suffix in _SUFFIXES:
            if abs(v) >= size:
                return f"{v / size:.4g}{suffix}"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.6g}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."


_MIN_CITATION = 20


def render_registry(frame: pd.DataFrame, width: int = 100) -> str:
    """The parameter registry as a text table no wider than ``width``.

    Parameters
    ----------
    frame : DataFrame
        :func:`enforcecost.parameters` or rows of it (indexed by name).
    width : int
        Maximum line length (the terminal width). The citation column takes
        what is left; when fewer than 20 characters are left, each citation goes
        on its own indented line. Anything longer is cut with ``...``.

    Returns
    -------
    str
        A heading line per provision, then one row per parameter: name, value,
        unit, dollar year, range (of the default uncertainty; empty when
        fixed), source kind (``*``: a reference figure, not a model input) and
        short citation. Large numbers are abbreviated (``11M``, ``244.7B``);
        ``--csv`` gives them in full.
    """
    headers = ["name", "value", "unit", "dollar year", "range", "kind", "citation"]
    rows: list[tuple[str, list[str]]] = []
    for name, r in frame.iterrows():
        lo, hi = float(r["low"]), float(r["high"])
        rng = "" if math.isnan(lo) else f"{_fmt_value(lo, 1e4)} to {_fmt_value(hi, 1e4)}"
        kind = str(r["source_kind"]) + ("*" if r["role"] == "reference" else "")
        cells = [
            str(name),
            _fmt_value(float(r["value"])),
            str(r["unit"]),
            str(r["dollar_year"]),
            rng,
            kind,
            short_citation(str(r["citation"])),
        ]
        rows.append((str(r["provision"]), cells))
    widths = [max([len(h), *(len(c[j]) for _, c in rows)]) for j, h in enumerate(headers)]
    room = width - sum(widths[:-1]) - 2 * (len(headers) - 1)
    inline = room >= _MIN_CITATION
    ncols = len(headers) if inline else len(headers) - 1
    if inline:
        widths[-1] = min(widths[-1], room)

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if j == 1 else _clip(c, w).ljust(w)
            for j, (c, w) in enumerate(zip(cells[:ncols], widths[:ncols], strict=True))
        ]
        return _clip("  ".join(parts).rstrip(), width)

    head = line(headers) if inline else line(headers) + "\n  citation"
    out = [head, _clip("-" * (sum(widths[:ncols]) + 2 * (ncols - 1)), width)]
    current = None
    for provision, cells in rows:
        if provision != current:
            out.append(f"[{provision}]")
            current = provision
        out.append(line(cells))
        if not inline:
            out.append(_clip("  " + cells[-1], width))
    if any(c[5].endswith("*") for _, c in rows):
        out += ["", _clip("* reference figure: context and cross-checks, not a model input", width)]
    return "\n".join(out)
