"""The workbook, opened with openpyxl as Excel would: a README first, a title and units row
on every sheet, number formats, whole-number fiscal years, frozen headers, column widths.

Also :meth:`Result.to_excel`, the same workbook from the API (no run, so no date).
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import enforcecost as ec
from enforcecost.provisions.pipeline import FLOW_UNITS
from enforcecost.report import write_report
from enforcecost.report._workbook import (
    COUNT,
    HEADER_ROW,
    MILLIONS,
    natural_format,
)

DRAWS, SEED = 128, 5
TABLES = [f"{p}_{b}" for p in ("federal", "state_local", "government", "economy")
          for b in ("nominal", "real", "pv")]


@pytest.fixture(scope="module")
def mc() -> ec.Result:
    return ec.simulate(ec.load_scenario("eo13768"), draws=DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def report(mc: ec.Result, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workbook")
    return write_report(mc, folder, sampler="sobol", seed=SEED, command="test")


@pytest.fixture(scope="module")
def book(report: dict[str, Path]) -> Workbook:
    return load_workbook(report["tables.xlsx"])


def readme(ws: Worksheet) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in ws.iter_rows(min_row=3, max_col=2, values_only=True)
            if r[0] is not None}


def header(ws: Worksheet) -> list[object]:
    return [c.value for c in ws[HEADER_ROW]]


def column(ws: Worksheet, name: str) -> list[object]:
    j = header(ws).index(name) + 1
    return [ws.cell(row=i, column=j).value for i in range(HEADER_ROW + 1, ws.max_row + 1)]


def test_the_sheets_in_order(book: Workbook) -> None:
    assert book.sheetnames == ["README", *TABLES, "percentiles_nominal", "drivers_tornado",
                               "parameters", "pipeline", "nonmonetized"]


def test_readme_says_what_was_run_when_and_how_to_read_it(
    book: Workbook, report: dict[str, Path], mc: ec.Result,
) -> None:
    ws = book["README"]
    assert ws["A1"].value == "enforcecost workbook: EO 13768, full implementation"
    rows = readme(ws)
    assert rows["Scenario"] == "EO 13768, full implementation"
    assert rows["Scenario file"] == "eo13768.toml; baseline: pre_eo_2016.toml"
    assert rows["Window"] == "FY2017-FY2026 (10 fiscal years)"
    assert rows["Run"] == f"means of {DRAWS} draws (sobol sampler, seed {SEED})"
    # the date is the run manifest's, not the clock's when the sheet was written
    created = json.loads(report["manifest.json"].read_text())["created_utc"]
    assert rows["Date of the run"].startswith(created)
    assert rows["enforcecost version"] == ec.__version__
    assert rows["Sign convention"].startswith("Positive numbers are costs to the payer")
    assert "millions of dollars" in rows["Units"]
    assert "constant 2017 dollars" in rows["Units"]
    assert "'parameters'" in rows["Sources"]
    assert "enforcecost params" in rows["Sources"]
    mean = mc.mean_total("federal") / 1e9
    assert f"Federal: mean ${mean:,.1f} billion" in rows["Headline"]
    for name in book.sheetnames[1:]:
        assert f"{name}: " in rows["Sheets"]


@pytest.mark.parametrize("name", TABLES)
def test_cbo_tables(book: Workbook, mc: ec.Result, name: str) -> None:
    ws = book[name]
    perspective, basis = name.rsplit("_", 1)
    title = str(ws["A1"].value)
    assert "net impact by provision and fiscal year, millions of " in title
    assert {"nominal": "nominal (then-year) dollars", "real": "constant 2017 dollars",
            "pv": "present value in 2017 dollars"}[basis] in title
    assert "Positive numbers are costs to the payer" in str(ws["A2"].value)
    assert f"Means over {DRAWS} draws." in str(ws["A2"].value)
    head = header(ws)
    # fiscal years are whole numbers, not text; then the 5-year and window totals
    assert head[:11] == ["provision", *range(2017, 2027)]
    assert all(type(y) is int for y in head[1:11])
    assert head[11:] == ["2017-2021", "2017-2026"]
    assert [c.value for c in ws[HEADER_ROW - 1]][1:] == ["$ millions"] * 12
    want = mc.table(perspective, basis)  # type: ignore[arg-type]
    got = np.array([[c.value for c in row[1:]] for row in
                    ws.iter_rows(min_row=HEADER_ROW + 1, max_row=ws.max_row)], dtype=float)
    np.testing.assert_allclose(got, want.to_numpy(), rtol=1e-12)
    assert column(ws, "provision") == list(want.index)
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=ws.max_row, min_col=2):
        assert {c.number_format for c in row} == {MILLIONS}
    assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    total = ws.cell(row=ws.max_row, column=1)
    assert total.value == "Total"
    assert total.font.bold


def test_every_sheet_has_a_title_a_units_row_frozen_headers_and_widths(book: Workbook) -> None:
    for ws in book.worksheets[1:]:
        assert ws["A1"].font.bold, ws.title
        assert ws["A1"].value, ws.title
        assert ws["A2"].value, ws.title
        assert ws.freeze_panes is not None
        assert int(ws.freeze_panes[1:]) == HEADER_ROW + 1, ws.title
        for j, name in enumerate(header(ws), start=1):
            letter = ws.cell(row=HEADER_ROW, column=j).column_letter
            width = ws.column_dimensions[letter].width
            assert len(str(name)) + 2 <= width <= 62, (ws.title, name, width)
            assert ws.cell(row=HEADER_ROW, column=j).font.bold


def test_units_are_the_same_across_money_sheets(book: Workbook, mc: ec.Result) -> None:
    # the percentiles and the drivers are in $ millions too (not dollars)
    ws = book["percentiles_nominal"]
    assert "millions of nominal dollars" in str(ws["A1"].value)
    first = dict(zip(header(ws), [c.value for c in ws[HEADER_ROW + 1]],
                                  strict=True))
    assert (first["perspective"], first["provision"]) == ("federal", "all")
    assert first["mean"] == pytest.approx(mc.mean_total("federal") / 1e6, rel=1e-9)
    assert ws.cell(row=HEADER_ROW + 1, column=3).number_format == MILLIONS
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    drivers = book["drivers_tornado"]
    swing = column(drivers, "swing")
    assert max(float(s) for s in swing) < 1e6  # millions, not dollars
    assert "millions of nominal dollars" in str(drivers["A1"].value)


def test_pipeline_units_by_column_and_integer_years(book: Workbook, mc: ec.Result) -> None:
    ws = book["pipeline"]
    head = header(ws)
    units = dict(zip(head, [c.value for c in ws[HEADER_ROW - 1]], strict=True))
    for name in head[1:]:
        assert units[name] == FLOW_UNITS[str(name)]
    years = column(ws, "fiscal_year")
    assert years == list(range(2017, 2027))
    assert all(type(y) is int for y in years)
    assert ws.cell(row=HEADER_ROW + 1, column=2).number_format == COUNT
    assert column(ws, "arrests") == pytest.approx(mc.pipeline()["arrests"].tolist())


def test_parameters_sheet(book: Workbook, mc: ec.Result) -> None:
    ws = book["parameters"]
    names = column(ws, "name")
    assert set(names) == set(mc.scenario.settings())
    years = {y for y in column(ws, "dollar_year") if y is not None}
    assert "nominal" in years
    assert all(type(y) is int for y in years - {"nominal"})
    values = column(ws, "value")
    # Excel has no infinity: an unbounded value is written as text
    assert "inf" in values
    j = header(ws).index("value") + 1
    row = names.index("ero_officers_added") + HEADER_ROW + 1
    assert ws.cell(row=row, column=j).value == 10_000
    assert ws.cell(row=row, column=j).number_format == "#,##0"


@pytest.mark.parametrize(("value", "fmt"), [
    (10_000.0, "#,##0"), (0.959, "#,##0.000"), (35.65, "#,##0.00"), (0.0005, "#,##0.0000"),
    ("inf", "General"), (3, "#,##0"),
])
def test_natural_format(value: object, fmt: str) -> None:
    assert natural_format(value) == fmt


def test_to_excel(mc: ec.Result, tmp_path: Path) -> None:
    path = mc.to_excel(tmp_path / "result.xlsx")
    assert path == tmp_path / "result.xlsx"
    book = load_workbook(path)
    assert book.sheetnames[0] == "README"
    assert "drivers_tornado" not in book.sheetnames  # no study unless asked
    rows = readme(book["README"])
    # written outside a run: no manifest, so no date (never the clock's)
    assert "Date of the run" not in rows
    assert rows["Scenario"] == "EO 13768, full implementation"
    assert book["federal_nominal"].freeze_panes == f"B{HEADER_ROW + 1}"
    changed = ec.evaluate(mc.scenario.replace(parameters={"ero_officers_added": 5000}))
    rows = readme(load_workbook(changed.to_excel(tmp_path / "half.xlsx",
                                                 drivers=True))["README"])
    assert rows["Scenario file"] == ("eo13768.toml, modified in code: ero_officers_added; "
                                     "baseline: pre_eo_2016.toml")
    assert "central values" in rows["Run"]
    assert "drivers_tornado" in load_workbook(tmp_path / "half.xlsx").sheetnames


def test_to_excel_bad_paths(mc: ec.Result, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'path' must name an \.xlsx file: .*result\.csv"):
        mc.to_excel(tmp_path / "result.csv")
    with pytest.raises(FileNotFoundError, match="'path': no such directory"):
        mc.to_excel(tmp_path / "missing" / "result.xlsx")
