"""Report tables built from a :class:`~enforcecost.Result`: frames and plain-text layouts.

Everything here builds (DataFrames, strings) and nothing prints or writes, so
the command line and a report module share one definition of each table:

- :func:`result_frames`: every per-scenario output table, by file name;
- :func:`summary_frame`: one row per scenario and perspective with the 5-year and
  window totals in each basis (the batch run's ``summary.csv``);
- :func:`parameters_used`: every input a scenario (and its baseline) ran with;
- :func:`render_result`: CBO-style text tables of a result;
- :func:`render_registry`: the parameter registry as a text table of a given width.

Conventions follow CBO cost estimates: millions of dollars by fiscal year,
positive numbers are costs (outlays, revenue lost), negative numbers savings
or gains, ``-`` is zero and ``*`` is between -$500,000 and $500,000.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .money import BASES, Basis
from .parameters import registry
from .results import PERSPECTIVES, Perspective, Result
from .scenario import Scenario, Setting

__all__ = [
    "PERSPECTIVE_TITLES",
    "describe_distribution",
    "format_millions",
    "parameters_used",
    "perspectives_with_lines",
    "render_registry",
    "render_result",
    "render_table",
    "result_frames",
    "scenario_title",
    "short_citation",
    "summary_frame",
    "units_line",
]

#: Heading of each perspective's table.
PERSPECTIVE_TITLES: dict[str, str] = {
    "federal": "Federal budget",
    "state_local": "State and local budgets",
    "government": "All governments (federal, state and local)",
    "economy": "Economy (outside government budgets)",
}

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


def units_line(res: Result, basis: Basis) -> str:
    """The units line of a CBO-style table in ``basis`` dollars.

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
        line += f"; means of {res.draws:,} draw{'s' if res.draws != 1 else ''}"
    return line


def perspectives_with_lines(res: Result) -> list[Perspective]:
    """The perspectives that have at least one ledger line in ``res``, in standard order."""
    payers = set(res.lines["payer"])
    wanted = {
        "federal": {"federal"},
        "state_local": {"state_local"},
        "government": {"federal", "state_local"},
        "economy": {"economy"},
    }
    return [p for p in PERSPECTIVES if payers & wanted[p]]


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
    res: Result, basis: Basis = "nominal", *, footnote: str | None = None
) -> str:
    """Every perspective's CBO-style table for one result, with title and notes.

    Parameters
    ----------
    res : Result
        The evaluated scenario.
    basis : {'nominal', 'real', 'pv'}
        Dollars of the tables.
    footnote : str, optional
        Replaces the default line on non-monetized effects.

    Returns
    -------
    str
        The title, then per perspective with any ledger lines a heading, the
        units line and the table, then the notes.
    """
    blocks = [scenario_title(res)]
    if res.scenario.path is not None:
        blocks[0] += f"\nScenario file: {res.scenario.path}"
    units = units_line(res, basis)
    for perspective in perspectives_with_lines(res):
        table = res.table(perspective, basis)
        blocks.append(render_table(table, PERSPECTIVE_TITLES[perspective], units))
    n = len(res.nonmonetized())
    if footnote is None:
        footnote = (
            f"Not estimated: {n} non-monetized effect{'s' if n != 1 else ''} "
            "(see Result.nonmonetized())."
        )
    blocks.append("\n".join([*_NOTES, footnote]))
    return "\n\n".join(blocks)


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


def result_frames(res: Result, bases: Iterable[Basis] = BASES) -> dict[str, pd.DataFrame]:
    """Every per-scenario output table of a batch run, keyed by CSV file name.

    Parameters
    ----------
    res : Result
    bases : iterable of {'nominal', 'real', 'pv'}

    Returns
    -------
    dict of str -> DataFrame
        ``table_<perspective>_<basis>.csv`` (CBO table, $ millions, for each
        perspective with ledger lines), ``ledger_<basis>.csv`` (tidy ledger,
        dollars), ``summary_<basis>.csv`` (dollars), ``pipeline.csv`` (and
        ``pipeline_baseline.csv`` with a baseline), ``nonmonetized.csv`` and
        ``parameters_used.csv``. Frames with a meaningful index (anything but
        a RangeIndex) are meant to be written with it.
    """
    frames: dict[str, pd.DataFrame] = {}
    for basis in bases:
        for perspective in perspectives_with_lines(res):
            frames[f"table_{perspective}_{basis}.csv"] = res.table(perspective, basis)
        frames[f"ledger_{basis}.csv"] = res.ledger(basis)
        frames[f"summary_{basis}.csv"] = res.summary(basis)
    frames["pipeline.csv"] = res.pipeline()
    if res.has_baseline:
        frames["pipeline_baseline.csv"] = res.pipeline("baseline")
    frames["nonmonetized.csv"] = res.nonmonetized()
    frames["parameters_used.csv"] = parameters_used(res.scenario)
    return frames


def _mean(x: float | np.ndarray) -> float:
    return float(np.mean(x))


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
        end_year, then per basis ``<basis>_5yr_millions`` (first five fiscal
        years; NaN for a shorter window) and ``<basis>_window_millions`` (the
        whole window), net cost in millions of dollars (means over draws).
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
            }
            for basis in bases:
                five = (
                    _mean(res.total(perspective, basis, years=5)) / _MILLION
                    if fy.size >= 5
                    else math.nan
                )
                row[f"{basis}_5yr_millions"] = five
                row[f"{basis}_window_millions"] = _mean(res.total(perspective, basis)) / _MILLION
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
