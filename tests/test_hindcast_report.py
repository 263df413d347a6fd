"""The hindcast chart (``plot.hindcast``) and the hindcast section of a report.

One hindcast of the shipped scenario (256 draws) and one report of it are made per
module; a report of a scenario not marked ``hindcast = true`` has no such section.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import enforcecost as ec
from enforcecost import plot
from enforcecost.plot import _style as st
from enforcecost.report import write_report
from enforcecost.report._workbook import HEADER_ROW
from enforcecost.results import PrecisionWarning

NAME = "hindcast/eo13768_as_implemented"
DRAWS, SEED = 256, 2017


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def h() -> ec.Hindcast:
    return ec.hindcast(NAME, draws=DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The report of the hindcast scenario, 256 draws (no tornado study)."""
    res = ec.simulate(ec.load_scenario(NAME), draws=DRAWS, seed=SEED, sampler="sobol")
    folder = tmp_path_factory.mktemp("hindcast_report")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        return write_report(res, folder, sampler="sobol", seed=SEED, drivers=False)


def panels(fig: Figure) -> list[Axes]:
    """The chart's panels: its axes with an axis (the legend's slots have none)."""
    return [a for a in fig.axes if a.axison]


def published_points(ax: Axes) -> np.ndarray:
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    return np.asarray(points.get_offsets())


def notes(fig: Figure) -> list[str]:
    """Texts written on the figure itself, other than its suptitle."""
    return [t.get_text() for t in fig.texts
            if t.get_text() and t.get_text() != fig.get_suptitle()]


# -- the chart -------------------------------------------------------------------------
def test_one_panel_per_quantity_with_the_published_points(h: ec.Hindcast) -> None:
    fig = plot.hindcast(h)
    assert isinstance(fig, Figure)
    table = h.table
    quantities = list(dict.fromkeys(table["quantity"]))
    axes = panels(fig)
    assert len(axes) == len(quantities) == 7
    # the four with a target first, in the table's order
    with_target = [q for q in quantities if table.loc[table["quantity"] == q,
                                                      "tolerance"].notna().any()]
    assert len(with_target) == 4
    order = with_target + [q for q in quantities if q not in with_target]
    for ax, q in zip(axes, order, strict=True):
        rows = table[table["quantity"] == q].sort_values("fiscal_year")
        assert ax.get_title(loc="left").replace("\n", " ") == rows["label"].iloc[0]
        np.testing.assert_allclose(published_points(ax),
                                   rows[["fiscal_year", "actual"]].to_numpy(dtype=float))
        # the model's mean (the line with markers) and its 90% band
        (mean,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"]
        np.testing.assert_allclose(np.asarray(mean.get_ydata(), dtype=float), rows["mean"])
        (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
        ys = band.get_paths()[0].vertices[:, 1]
        assert ys.min() == pytest.approx(rows["p5"].min())
        assert ys.max() == pytest.approx(rows["p95"].max())
        # the baseline, dashed, where there is one
        dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert len(dashed) == int(rows["baseline_mean"].notna().any())
        # a target's box: published value ± tolerance, each year
        boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
        if q in with_target:
            tol = rows["tolerance"].to_numpy()
            np.testing.assert_allclose([b.get_height() for b in boxes],
                                       2 * tol * rows["actual"].to_numpy())
            np.testing.assert_allclose([b.get_y() for b in boxes],
                                       (1 - tol) * rows["actual"].to_numpy())
        else:
            assert boxes == []
        assert ax.get_ylim()[0] == 0.0
        assert ax.xaxis.get_major_formatter()(2017, 0) == "FY2017"


def test_arrests_fy2017_is_drawn_at_the_published_value(h: ec.Hindcast) -> None:
    (ax,) = [a for a in panels(plot.hindcast(h))
             if a.get_title(loc="left").startswith("ICE administrative arrests")]
    points = dict(published_points(ax).tolist())
    assert points[2017] == 143_470


def test_verdicts_say_met_or_missed(h: ec.Hindcast) -> None:
    fig = plot.hindcast(h)
    summary = h.summary()
    for ax, (q, row) in zip(panels(fig), summary.iterrows(), strict=False):
        words = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
        if pd.isna(row["met"]):
            assert "No target" in words, q
        else:
            assert (": met" in words) == bool(row["met"]), q
    met = int(summary["met"].dropna().astype(bool).sum())
    assert any(f"Targets met: {met} of 4" in t.get_text() for a in fig.axes for t in a.texts)


def test_title_footnote_and_kwargs(h: ec.Hindcast) -> None:
    fig = plot.hindcast(h)
    assert "Hindcast: model vs published, FY2017\u2013FY2019" in fig.get_suptitle()
    (note,) = notes(fig)
    assert note.startswith(f"Source: enforcecost {ec.__version__}")
    assert "--role actual" in note.replace("\n", " ")
    assert "never fitted" in note.replace("\n", " ")
    plt.close("all")
    fig = plot.hindcast(h, title="My title", footnote="My source.", linewidth=3.5)
    assert fig.get_suptitle() == "My title"
    assert notes(fig) == ["My source."]
    for ax in panels(fig):
        (mean,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"]
        assert mean.get_linewidth() == 3.5
    plt.close("all")
    assert notes(plot.hindcast(h, footnote=False, title="")) == []


def test_two_columns_the_table_alone_and_a_given_figure(h: ec.Hindcast) -> None:
    fig = plot.hindcast(h, ncols=2)
    assert len(fig.axes) == 8  # 4 rows of 2: the legend in the last slot
    assert len(panels(fig)) == 7
    plt.close("all")
    fig = plot.hindcast(h.table)  # the table alone: no scenario, still the chart
    assert len(panels(fig)) == 7
    assert fig.get_suptitle() == "Hindcast: model vs published, FY2017\u2013FY2019"
    plt.close("all")
    page = Figure(figsize=(8.5, 11), layout="constrained")
    top, _ = page.subfigures(2, 1)
    assert plot.hindcast(h, fig=top) is page
    assert len(panels(page)) == 7
    assert notes(page) == []  # no source line on a figure the chart did not make
    assert plt.get_fignums() == []  # and no pyplot figure made


def test_bad_arguments(h: ec.Hindcast) -> None:
    with pytest.raises(ValueError, match="'ncols' must be 2 or 3: 4"):
        plot.hindcast(h, ncols=4)
    with pytest.raises(ValueError, match="missing actual"):
        plot.hindcast(h.table.drop(columns="actual"))
    with pytest.raises(ValueError, match="no rows"):
        plot.hindcast(h.table.iloc[:0])
    with pytest.raises(ValueError, match="must be a Hindcast"):
        plot.hindcast(42)


def test_the_hindcast_plot_method_is_the_chart(h: ec.Hindcast) -> None:
    fig = h.plot(footnote=False)
    assert isinstance(fig, Figure)
    assert len(panels(fig)) == 7
    assert st.figure_of(fig.axes[0]) is fig
    assert notes(fig) == []


# -- the report ------------------------------------------------------------------------
def test_the_report_has_the_hindcast_section(report: dict[str, Path],
                                             h: ec.Hindcast) -> None:
    md = report["report.md"].read_text(encoding="utf-8")
    assert "## Hindcast: the model against what ICE and EOIR published" in md
    section = md.split("## Hindcast", 1)[1].split("\n## ", 1)[0]
    assert "143,470" in section  # published FY2017 ICE administrative arrests
    assert "| quantity | FY | published | model mean | 90% band | error | target |" in section
    assert f"of {DRAWS} draws (sobol sampler, seed {SEED})" in section  # the run's draws
    assert "**What the hindcast shows.**" in section
    summary = h.summary()
    met = int(summary["met"].dropna().astype(bool).sum())
    judged = int(summary["met"].notna().sum())
    assert f"Of the {judged} targets set before the hindcast was run, {met} are met" in section
    for label in summary.loc[summary["met"].notna(), "label"]:
        assert label in section
    assert "![hindcast](figures/hindcast.png)" in section
    assert "](figures/hindcast.png)" not in md.split("## Hindcast", 1)[0]  # not twice
    assert {"hindcast.png", "hindcast.svg"} <= set(report)
    assert report["hindcast.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_workbook_has_the_hindcast_sheet(report: dict[str, Path], h: ec.Hindcast) -> None:
    sheet = pd.read_excel(report["tables.xlsx"], sheet_name="hindcast", header=HEADER_ROW - 1)
    # the table's columns, then each row's unit
    assert list(sheet.columns) == [*h.table.columns, "unit"]
    assert set(sheet.loc[sheet["quantity"] == "arrests", "unit"]) == {"arrests/yr"}
    np.testing.assert_array_equal(sheet["actual"], h.table["actual"])
    np.testing.assert_allclose(sheet["mean"], h.table["mean"], rtol=1e-12)
    row = sheet[(sheet["quantity"] == "arrests") & (sheet["fiscal_year"] == 2017)]
    assert row["actual"].item() == 143_470


def test_the_pdf_has_the_hindcast_page(report: dict[str, Path], h: ec.Hindcast) -> None:
    """The brief (PDF and HTML) has the hindcast section: its findings, each quantity
    with a target and the published value of FY2017 arrests."""
    data = report["report.pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    text = " ".join(" ".join(pg.extract_text().split())
                    for pg in pypdf.PdfReader(report["report.pdf"]).pages)
    html = report["report.html"].read_text(encoding="utf-8")
    summary = h.summary()
    for body in (text, html):
        assert "Hindcast: the model against what ICE and EOIR published" in body
        assert "What the hindcast shows." in body
        assert "143,470" in body  # ICE administrative arrests (interior), FY2017, published
        for label in summary.loc[summary["met"].notna(), "label"]:
            assert label in body
    assert 'id="chart-hindcast"' in html


def test_a_scenario_not_marked_hindcast_has_no_section(tmp_path: Path) -> None:
    res = ec.evaluate(ec.load_scenario("eo13768"))
    assert not res.scenario.hindcast
    files = write_report(res, tmp_path, drivers=False)
    md = files["report.md"].read_text(encoding="utf-8")
    assert "Hindcast" not in md
    assert "hindcast.png" not in files
    with pd.ExcelFile(files["tables.xlsx"]) as book:
        assert "hindcast" not in book.sheet_names
