"""The report's workbook, ``tables.xlsx``: a README sheet, then one sheet per table.

Every table sheet has the same layout, so a reader (or ``pandas.read_excel(...,
header=HEADER_ROW - 1)``) finds the same thing in the same place:

- row 1: the title, with the sheet's unit (or where each column's unit is);
- row 2: what the numbers are (sign convention, draws, spans);
- row 3: the unit of each column, above it;
- row 4: the column names, frozen with the index columns;
- then the data: money in millions of dollars with thousands separators
  (``#,##0;-#,##0``), counts as whole numbers, shares as percentages, fiscal
  years as whole numbers (never text).

The README sheet says which scenario was run and when (the run manifest's
time; a workbook written outside a run, by :meth:`Result.to_excel
<enforcecost.Result.to_excel>`, has no date), by which version, the sign
convention, the units and where the sources are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .._version import __version__
from ..provisions.pipeline import FLOW_UNITS
from ..results import Result
from ..vocab import BASES, PERSPECTIVE_TITLES, Basis
from ._cells import MILLION
from ._content import ReportContent, report_content
from ._labels import basis_words, run_description, scenario_files

__all__ = [
    "COUNT",
    "HEADER_ROW",
    "MILLIONS",
    "PERCENT",
    "write_result_workbook",
    "write_workbook",
]

#: Number formats: $ millions (whole, thousands separated), counts, shares, indices.
MILLIONS = "#,##0;-#,##0"
#: Standard errors in $ millions: one decimal (they are often under a million).
MILLIONS_SE = "#,##0.0;-#,##0.0"
COUNT = "#,##0"
PERCENT = "0.0%"
YEAR = "0"
BOOLEAN = '"TRUE";"TRUE";"FALSE"'
#: The row of the column names (1-based); the data start below it.
HEADER_ROW = 4

_TITLE = Font(bold=True, size=13)
_NOTE = Font(italic=True, color="555555")
_UNIT = Font(italic=True, color="555555", size=9)
_HEAD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
_RULE = Border(bottom=Side(style="thin", color="888888"))
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
#: Width limits of a column, in characters; text columns past the limit wrap.
_MIN_WIDTH, _NUMBER_WIDTH, _TEXT_WIDTH = 8, 16, 60
#: Height of a line of text (points), and the most lines a wrapped row is given.
_LINE, _MAX_LINES = 15.0, 12  # Excel: a line of Calibri 11

_README_WIDTH = 110

_SIGN = ("Positive numbers are costs to the payer (outlays, revenue lost); negative numbers "
         "are savings or revenue gained.")


@dataclass
class _Sheet:
    """One table sheet: its frame (index columns first), words and formats."""

    name: str
    title: str
    note: str
    frame: pd.DataFrame
    index_columns: int
    units: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str | Callable[[Any], str]] = field(default_factory=dict)


# -- cells ---------------------------------------------------------------------------
def _cell_value(v: Any) -> Any:
    """A value openpyxl writes as Excel would hold it: numbers as numbers (whole years as
    whole numbers), NaN and NA empty, infinities as text (Excel has none)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        x = float(v)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    return v


def natural_format(v: Any) -> str:
    """A number format showing ``v`` in full: whole numbers with thousands separators,
    others with their decimals (up to six): ``10,000``, ``0.959``, ``35.65``."""
    if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
        return "General"
    if float(v).is_integer():
        return COUNT
    decimals = len(f"{round(float(v), 6):.6f}".rstrip("0").split(".")[1])
    return "#,##0." + "0" * max(decimals, 1)


def _width(values: Sequence[Any], header: str, number_format: str | None) -> float:
    """A column's width: its longest shown cell, header (and unit) included, within the
    limits (text wraps past them; a header is never cut)."""
    longest = len(header)
    for v in values:
        if isinstance(v, int | float) and not isinstance(v, bool):
            shown = f"{v:,.0f}" if number_format in (MILLIONS, COUNT) else f"{v:,.4g}"
            longest = max(longest, len(shown) + 1)
        elif v is not None:
            longest = max(longest, max((len(s) for s in str(v).splitlines()), default=0))
    text = any(isinstance(v, str) for v in values)
    limit = max(_TEXT_WIDTH if text else _NUMBER_WIDTH, len(header) + 2)
    return float(min(max(longest + 2, _MIN_WIDTH), limit))


def _column_name(c: Any) -> str | int:
    """A column's name as a header cell: a fiscal year as a whole number, else text."""
    return int(c) if isinstance(c, int | np.integer) else str(c)


def _write_sheet(ws: Worksheet, sheet: _Sheet) -> None:
    frame = sheet.frame
    columns = [_column_name(c) for c in frame.columns]
    ws["A1"] = sheet.title
    ws["A1"].font = _TITLE
    ws["A2"] = sheet.note
    ws["A2"].font = _NOTE
    for j, col in enumerate(columns, start=1):
        unit = sheet.units.get(str(col), "")
        if unit:
            cell = ws.cell(row=HEADER_ROW - 1, column=j, value=unit)
            cell.font = _UNIT
            cell.alignment = Alignment(horizontal="right" if j > sheet.index_columns
                                       else "left")
        head = ws.cell(row=HEADER_ROW, column=j, value=col)
        head.font, head.fill, head.border = _HEAD, _HEAD_FILL, _RULE
        numeric = pd.api.types.is_numeric_dtype(frame.iloc[:, j - 1].dtype)
        head.alignment = Alignment(horizontal="right" if numeric and j > sheet.index_columns
                                   else "left", vertical="bottom")
        if isinstance(col, int):
            head.number_format = YEAR
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=HEADER_ROW + 1):
        for j, v in enumerate(row, start=1):
            value = _cell_value(v)
            cell = ws.cell(row=i, column=j, value=value)
            fmt = sheet.formats.get(str(columns[j - 1]))
            if isinstance(value, bool):
                # Excel shows a logical cell as TRUE/FALSE whatever its format; LibreOffice
                # reads the format, and without it may show 1/0
                cell.number_format = BOOLEAN
            elif callable(fmt):
                cell.number_format = fmt(value)
            elif fmt is not None and isinstance(value, int | float) and not isinstance(value,
                                                                                      bool):
                cell.number_format = fmt
            if isinstance(value, str) and len(value) > _TEXT_WIDTH:
                cell.alignment = _WRAP
            else:
                cell.alignment = _TOP
            if row[0] == "Total":  # the CBO tables' sum row
                cell.font, cell.border = _HEAD, Border(top=Side(style="thin", color="888888"))
        longest = max((len(v) for v in row if isinstance(v, str)), default=0)
        if longest > _TEXT_WIDTH:  # wrapped text: a row tall enough for it
            ws.row_dimensions[i].height = _LINE * min(math.ceil(longest / _TEXT_WIDTH * 1.1),
                                                      _MAX_LINES)
    for j, col in enumerate(columns, start=1):
        values = [_cell_value(v) for v in frame.iloc[:, j - 1].tolist()]
        fmt = sheet.formats.get(str(col))
        header = max(str(col), sheet.units.get(str(col), ""), key=len)
        ws.column_dimensions[get_column_letter(j)].width = _width(
            values, header, fmt if isinstance(fmt, str) else None)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=sheet.index_columns + 1)


# -- the sheets ----------------------------------------------------------------------
def _table_sheets(content: ReportContent) -> list[_Sheet]:
    res = content.result
    side = "impact" if res.has_baseline else "cost"
    draws = ("" if res.deterministic
             else f" Means over {run_description(res).removeprefix('means of ')}.")
    sheets = []
    for name, table in content.tables.items():
        perspective, basis = name.rsplit("_", 1)
        frame = table.reset_index()
        years = [c for c in frame.columns if str(c).isdigit()]
        frame = frame.rename(columns={c: int(c) for c in years})
        money = [c for c in frame.columns if c != "provision"]
        spans = ", ".join(str(c) for c in money if isinstance(c, str))
        sheets.append(_Sheet(
            name=name[:31],
            title=(f"{PERSPECTIVE_TITLES[perspective]}: net {side} by provision and fiscal "
                   f"year, millions of {basis_words(res, cast(Basis, basis))}"),
            note=f"{_SIGN} Columns {spans}: totals over those fiscal years.{draws}",
            frame=frame,
            index_columns=1,
            units={str(c): "$ millions" for c in money},
            formats={str(c): MILLIONS for c in money},
        ))
    return sheets


def _percentile_sheet(content: ReportContent) -> _Sheet:
    res = content.result
    fy = res.fiscal_years
    frame = (content.percentiles / MILLION).reset_index()
    money = [c for c in frame.columns if c not in ("perspective", "provision")]
    what = ("the central values (one deterministic run: every percentile is the same)"
            if res.deterministic else run_description(res).removeprefix("means of "))
    return _Sheet(
        name="percentiles_nominal",
        title=(f"Distribution of the net cost over FY{fy[0]}-FY{fy[-1]}, by perspective and "
               "provision: millions of nominal dollars"),
        note=(f"Mean, standard deviation and percentiles (p5 = 5th) of the window total over "
              f"{what}; *_se: their Monte Carlo standard errors. {_SIGN}"),
        frame=frame,
        index_columns=2,
        units=dict.fromkeys(money, "$ millions"),
        formats={c: MILLIONS_SE if c.endswith("_se") else MILLIONS for c in money},
    )


def _drivers_sheet(content: ReportContent) -> _Sheet | None:
    if content.drivers_table is None:
        return None
    frame = content.drivers_table.copy()
    outputs = ["low_output", "high_output", "swing"]
    frame[outputs] = frame[outputs] / MILLION
    frame = frame.reset_index()
    return _Sheet(
        name="drivers_tornado",
        title=("Drivers of the federal net cost, one input at a time (tornado): outputs in "
               "millions of nominal dollars, inputs in their own units (row 3)"),
        note=("Each uncertain input at the low and at the high end of its range, the others at "
              "their central values; low_output, high_output: the federal window total then; "
              "swing: the difference. Largest first."),
        frame=frame,
        index_columns=1,
        units={"low_input": "its unit", "high_input": "its unit",
               **dict.fromkeys(outputs, "$ millions")},
        formats={"low_input": natural_format, "high_input": natural_format,
                 **dict.fromkeys(outputs, MILLIONS)},
    )


def _parameters_sheet(content: ReportContent) -> _Sheet:
    frame = content.parameters.copy()
    frame["dollar_year"] = [int(y) if str(y).isdigit() else (y or None)
                            for y in frame["dollar_year"]]
    return _Sheet(
        name="parameters",
        title="Parameters used: every input of the policy and the baseline, in the unit of its "
              "row (column unit)",
        note=("value: the central value; low, high: the range of its distribution (empty when "
              "fixed); dollar_year: of money values. source_kind 'assumption': no source found. "
              "changed: set by the scenario file (set_in) or in code, not the registry default."),
        frame=frame,
        index_columns=2,
        units={"value": "its unit", "low": "its unit", "high": "its unit"},
        formats={"value": natural_format, "low": natural_format, "high": natural_format,
                 "dollar_year": YEAR},
    )


def _pipeline_sheet(content: ReportContent) -> _Sheet:
    res = content.result
    frame = content.pipeline.reset_index()
    flows = [c for c in frame.columns if c != "fiscal_year"]
    what = "central values" if res.deterministic else "means over the draws"
    return _Sheet(
        name="pipeline",
        title=("The enforcement pipeline of the policy by fiscal year: each column in its own "
               "unit (row 3)"),
        note=(f"Flows per fiscal year (/yr), stocks at its end, detention as its average daily "
              f"population; {what}."),
        frame=frame,
        index_columns=1,
        units={c: FLOW_UNITS.get(c, "") for c in flows},
        formats={"fiscal_year": YEAR, **dict.fromkeys(flows, COUNT)},
    )


def _nonmonetized_sheet(content: ReportContent) -> _Sheet:
    return _Sheet(
        name="nonmonetized",
        title="Effects not put in dollars: the register of non-monetized effects (no units)",
        note=("Effects of the provisions costed that have no reliable dollar estimate; "
              "direction: whether each adds to the cost or lowers it."),
        frame=content.nonmonetized.reset_index(),
        index_columns=1,
    )


def _hindcast_sheet(content: ReportContent) -> _Sheet | None:
    past = content.hindcast
    if past is None:
        return None
    frame = past.table.copy()
    frame["unit"] = [FLOW_UNITS.get(q, "") for q in frame["quantity"]]
    counts = ["actual", "mean", "p5", "p95", "baseline_mean"]
    return _Sheet(
        name="hindcast",
        title=("Hindcast: the model's pipeline beside the published outcomes, each quantity in "
               "the unit of its row (column unit); errors and tolerances as percentages"),
        note=(f"mean, p5, p95: over {past.draws:,} draws ({past.sampler}, seed {past.seed}); "
              "error: mean / actual - 1; in_band: the published value lies in p5..p95; "
              "within: |error| <= tolerance (empty without a target)."),
        frame=frame,
        index_columns=3,
        units={**dict.fromkeys(counts, "its unit"), "error": "share", "tolerance": "share"},
        formats={"fiscal_year": YEAR, **dict.fromkeys(counts, COUNT), "error": PERCENT,
                 "tolerance": PERCENT},
    )


def _section_sheets(content: ReportContent) -> list[_Sheet]:
    """A sheet per section of the scenario (budget authority; two eras), in dollars."""
    sheets = []
    for sec in content.sections:
        frame = sec.frame.reset_index()
        numbers = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
        sheets.append(_Sheet(
            name=sec.id,
            title=f"{sec.title} ({sec.unit})",
            note=sec.intro,
            frame=frame,
            index_columns=frame.shape[1] - len(numbers),
            units=dict.fromkeys(numbers, sec.unit.split(" (")[0]),
            formats={"fiscal_year": YEAR, **dict.fromkeys(numbers, COUNT)},
        ))
    return sheets


def _basis_words(res: Result, basis: Basis) -> str:
    """``'real: constant 2017 dollars'`` (``'nominal (then-year) dollars'`` says its name)."""
    words = basis_words(res, basis)
    return words if words.startswith(basis) else f"{basis}: {words}"


def _readme(ws: Worksheet, content: ReportContent, sheets: Sequence[_Sheet],
            dated: bool) -> None:
    res = content.result
    sc = res.scenario
    fy = res.fiscal_years
    rows: list[tuple[str, str]] = [
        ("Scenario", sc.name),
        ("Scenario file", scenario_files(res).removeprefix("Scenario file: ")),
    ]
    if res.has_baseline and sc.baseline is not None:
        rows.append(("Baseline", f"{sc.baseline.name} (every number is the impact: the "
                                 "scenario minus its baseline on the same draws)"))
    record = content.manifest.scenarios[0]  # how it was drawn (sampler, seed) when known
    rows += [("Window", f"FY{fy[0]}-FY{fy[-1]} ({fy.size} fiscal years)"),
             ("Run", record.description)]
    if dated:
        rows.append(("Date of the run", f"{content.manifest.created_utc} (UTC, from the run's "
                                        "manifest.json)"))
    rows += [
        ("enforcecost version", __version__),
        ("Sign convention", _SIGN),
        ("Units", "Money in millions of dollars by fiscal year (federal fiscal years, October "
                  f"to September): {'; '.join(_basis_words(res, b) for b in BASES)}. "
                  "Each sheet states its unit in row 1 and each column's unit in row 3."),
        ("Headline", "\n".join(line.strip() for line in content.headline)),
        ("Sources", "Every input's source, with its quotation, is in sheet 'parameters' "
                    "(column citation); the cited registry: `enforcecost params`; published "
                    "outcomes and historical inputs: `enforcecost series`."),
        ("Sheets", "\n".join(f"{s.name}: {s.title}" for s in sheets)),
    ]
    ws["A1"] = f"enforcecost workbook: {sc.name}"
    ws["A1"].font = _TITLE
    for i, (key, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=key).font = _HEAD
        ws.cell(row=i, column=1).alignment = _TOP
        ws.cell(row=i, column=2, value=value).alignment = _WRAP
        lines = sum(max(math.ceil(len(line) / _README_WIDTH), 1)
                    for line in value.splitlines())
        ws.row_dimensions[i].height = _LINE * lines + 2
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = _README_WIDTH


def write_workbook(content: ReportContent, path: Path, *, dated: bool = True) -> None:
    """Write ``tables.xlsx``: the README sheet, the CBO tables by perspective and basis,
    the percentiles, the drivers (with a tornado study), the parameters used, the pipeline,
    the non-monetized effects and (for a scenario marked ``hindcast = true``) the
    hindcast's table, a sheet each (layout in this module's docstring).

    Parameters
    ----------
    content : ReportContent
    path : Path
    dated : bool
        Give the date of the run on the README sheet: the time of the content's
        run manifest (the one the report's ``manifest.json`` records). False
        outside a run, which then gives no date.
    """
    sheets = [
        *_table_sheets(content),
        _percentile_sheet(content),
        *[s for s in (_drivers_sheet(content),) if s is not None],
        _parameters_sheet(content),
        _pipeline_sheet(content),
        _nonmonetized_sheet(content),
        *_section_sheets(content),
        *[s for s in (_hindcast_sheet(content),) if s is not None],
    ]
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "README"
    _readme(readme, content, sheets, dated)
    for sheet in sheets:
        _write_sheet(book.create_sheet(sheet.name), sheet)
    book.save(path)


def write_result_workbook(res: Result, path: str | Path, *, drivers: bool = False) -> Path:
    """The workbook of one result (what :meth:`Result.to_excel` writes).

    The sheets of a report's ``tables.xlsx``, without a date (no run manifest).
    ``drivers`` runs the one-at-a-time tornado study (``2 d + 1`` model runs) for
    the drivers sheet; a scenario marked ``hindcast = true`` runs its hindcast.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValueError(f"'path' must name an .xlsx file: {str(path)!r}")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"'path': no such directory: {str(target.parent)!r}")
    content = report_content(res, drivers=drivers)
    write_workbook(content, target, dated=False)
    return target
