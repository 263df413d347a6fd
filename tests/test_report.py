"""Reports: every file written, consistent with the tables, and reproducible from the manifest."""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.cli import main
from enforcecost.report import (
    format_millions,
    manifest,
    perspectives_with_lines,
    run_manifest,
    scenario_record,
    write_report,
)
from enforcecost.report._brief import cbo_cell, provision_basis
from enforcecost.report._workbook import HEADER_ROW
from enforcecost.results import PrecisionWarning

DRAWS, SEED = 256, 11


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[ec.Result, dict[str, Path]]:
    sc = ec.load_scenario("eo13768")
    res = ec.simulate(sc, draws=DRAWS, seed=SEED, sampler="sobol")
    folder = tmp_path_factory.mktemp("report")
    return res, write_report(res, folder, sampler="sobol", seed=SEED, command="test")


def test_every_file_is_written(written: tuple[ec.Result, dict[str, Path]]) -> None:
    _, files = written
    charts = ["stacked_federal", "fan_federal", "waterfall_federal", "distribution_federal",
              "pipeline", "tornado_federal"]
    expected = {f"{c}.{ext}" for c in charts for ext in ("png", "svg")}
    expected |= {"tables.xlsx", "report.md", "report.html", "report.pdf", "manifest.json"}
    assert set(files) == expected
    for path in files.values():
        assert path.stat().st_size > 0
    assert files["stacked_federal.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in files["fan_federal.svg"].read_bytes()[:2000]


def test_workbook_reads_back_equal_to_the_tables(
    written: tuple[ec.Result, dict[str, Path]],
) -> None:
    res, files = written
    # a title, a note and a units row above the column names (report/_workbook.py)
    book = pd.read_excel(files["tables.xlsx"], sheet_name=None, index_col=0,
                         header=HEADER_ROW - 1)
    for perspective in ("federal", "state_local", "government", "economy"):
        for basis in ("nominal", "real", "pv"):
            got = book[f"{perspective}_{basis}"]
            want = res.table(perspective, basis)  # type: ignore[arg-type]
            np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-12)
            assert list(got.index) == list(want.index)
    params = pd.read_excel(files["tables.xlsx"], sheet_name="parameters",
                           header=HEADER_ROW - 1)
    assert set(params["name"]) == set(res.scenario.settings())
    assert (params["source_kind"] == "assumption").any()
    assert len(book["nonmonetized"]) == len(_booked_effects(res))


def test_markdown_has_every_section_and_the_headline_numbers(
    written: tuple[ec.Result, dict[str, Path]],
) -> None:
    res, files = written
    md = files["report.md"].read_text()
    for heading in ["## Headline", "## Federal: by fiscal year and provision", "## Charts",
                    "## What drives the federal estimate", "## Parameters used",
                    "## Not estimated (non-monetized effects)"]:
        assert heading in md
    mean = float(np.mean(res.total("federal")))
    assert f"${mean / 1e9:,.1f} billion" in md
    # every parameter row, assumptions flagged
    assert md.count("| [A] |") == sum(
        ec.registry()[n].source_kind == "assumption" for n in res.scenario.settings()
    )
    for title in _booked_effects(res)["title"]:
        assert title in md
    for name in ("stacked_federal", "pipeline"):
        assert f"figures/{name}.png" in md


def test_markdown_reads_as_a_report(written: tuple[ec.Result, dict[str, Path]]) -> None:
    """Headline lines are list items, provisions go by their labels, numbers are written
    out (no exponent anywhere in the parameter table)."""
    res, files = written
    md = files["report.md"].read_text()
    headline = md.split("## Headline", 1)[1].split("\n## ", 1)[0]
    totals = headline.split("Share of the variance", 1)[0]  # then the assumptions' shares
    for label in ("Federal", "State and local", "All governments", "Economy"):
        (line,) = [ln for ln in totals.splitlines() if f" {label}: " in f" {ln}"]
        assert line.startswith(f"- {label}: mean $"), line
    lines = totals.strip().splitlines()
    assert lines[0].startswith("Net fiscal impact of ")  # a paragraph, a blank line, the list
    assert lines[1] == ""
    assert all(ln.startswith("- ") for ln in lines[2:])
    table = md.split("## Federal: by fiscal year and provision", 1)[1].split("\n## ", 1)[0]
    rows = [ln.split(" | ")[0].removeprefix("| ") for ln in table.splitlines()
            if ln.startswith("| ")][1:]  # after the header
    assert rows[-1] == "Total"
    assert "287(g) agreements" in rows
    assert set(rows[:-1]) <= set(ec.provisions.LABELS.values())
    assert "partnerships_287g" not in md.split("## Parameters used", 1)[0]
    params = md.split("## Parameters used", 1)[1].split("\n## ", 1)[0]
    body = [ln for ln in params.splitlines() if ln.startswith("| ") and "| name |" not in ln]
    assert len(body) == len(res.scenario.settings())
    for line in body:
        cells = line.split(" | ")
        assert not re.search(r"\d[eE][+-]?\d", " | ".join(cells[2:7])), line  # no 1.1e+07
    assert re.search(r"\| \$\d[\d.,]* (million|billion) \| USD", params)  # $73.93 million
    # the brief's references: each a sentence, or cut at a clause with an ellipsis
    page = files["report.html"].read_text()
    refs = re.findall(r'<li id="ref-\d+">(.*?) <span class="note">', page)
    assert refs
    assert all(r.endswith((".", "\u2026")) and not r.endswith(("..", "\u2026.")) for r in refs)
    assert any(r.endswith("\u2026") for r in refs)


LETTER = (612.0, 792.0)  # US letter, points
LETTER = (612.0, 792.0)  # US letter, points


def _pdf_pages(path: Path) -> list[tuple[tuple[float, float], str]]:
    """Each page's size (points) and text."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(path)
    return [((float(pg.mediabox.width), float(pg.mediabox.height)), pg.extract_text())
            for pg in reader.pages]


def test_pdf_brief_is_letter_with_page_numbers_date_and_version(
    written: tuple[ec.Result, dict[str, Path]],
) -> None:
    """The typeset brief: every page US letter, numbered "Page k of n", with the run's
    date (from the manifest), the version and the scenario; page 1 the summary."""
    pytest.importorskip("typst")
    res, files = written
    pages = _pdf_pages(files["report.pdf"])
    n = len(pages)
    assert n >= 6, n  # summary, tables, charts, basis, uncertainty, register, references
    created = json.loads(files["manifest.json"].read_text())["created_utc"]
    when = pd.Timestamp(created)
    date = f"{when:%B} {when.day}, {when.year}"
    for k, (size, text) in enumerate(pages, start=1):
        assert size == LETTER, (k, size)
        flat = " ".join(text.split())
        assert f"Page {k} of {n}" in flat, (k, flat[-200:])
        assert date in flat
        assert f"enforcecost {ec.__version__}" in flat
        assert res.scenario.name in flat
    first = " ".join(pages[0][1].split())
    for words in ("What the order does", "What it costs", "What is not estimated",
                  "90% range"):
        assert words in first
    p5, p95 = res.quantile([0.05, 0.95], "federal")
    assert (f"${p5 / 1e9:,.1f} billion to ${p95 / 1e9:,.1f} billion") in first
    every = " ".join(" ".join(t.split()) for _, t in pages)
    # the sign convention and the legend under each CBO table, the references numbered
    assert every.count("* = between") >= len(perspectives_with_lines(res))
    assert "References" in every
    assert "[1]" in every


def test_html_brief_is_self_contained_with_the_headline(
    written: tuple[ec.Result, dict[str, Path]],
) -> None:
    """No external src or href (anchors only), charts inline, the headline figures and
    each perspective's CBO table with its 5- and 10-year totals."""
    res, files = written
    html = files["report.html"].read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    assert links, "the contents' anchors"
    assert all(link.startswith("#") for link in links), links
    assert "<link" not in html
    assert "<script" not in html
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert html.count("<svg") >= 5
    for perspective in perspectives_with_lines(res):
        mean = res.mean_total(perspective, "nominal")
        assert f"${mean / 1e9:,.1f} billion" in html
    table = res.table("federal", "nominal")
    total = format_millions(float(table.loc["Total"].iloc[-1])).replace("-", "\u2212")
    assert total in html
    assert "FY2017" in html
    assert "2017\u20132021" in html
    assert "* = between" in html


def test_every_provision_has_a_basis_paragraph() -> None:
    """From its module docstring (the docs are not installed), without the pointer to them."""
    for name in ec.PROVISIONS:
        title, text = provision_basis(name)
        assert title, name
        assert title != name, name
        assert len(text.split()) >= 10, (name, text)
        assert "``" not in text, (name, text)
        assert "docs/basis_of_estimate" not in text, (name, text)
    assert cbo_cell(-2500.2) == "\u22122,500"  # a true minus
    assert [cbo_cell(x) for x in (0.0, 0.4, -0.4)] == ["-", "*", "*"]


def test_without_typst_the_pdf_falls_back_to_matplotlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the typst package not importable, report.pdf is still written (the matplotlib
    pages, US letter) and report.html too."""
    monkeypatch.setitem(sys.modules, "typst", None)  # import typst raises ImportError
    res = ec.evaluate(ec.load_scenario("eo13768"))
    files = write_report(res, tmp_path, command="test", drivers=False)
    data = files["report.pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    assert b"Matplotlib" in data  # the fallback's producer, not Typst
    assert files["report.html"].is_file()
    pages = _pdf_pages(files["report.pdf"])
    assert len(pages) >= 5
    assert pages[0][0] == LETTER


def test_manifest_reruns_the_same_numbers(written: tuple[ec.Result, dict[str, Path]]) -> None:
    res, files = written
    man = json.loads(files["manifest.json"].read_text())
    assert man["enforcecost"] == ec.__version__
    assert man["run"] == {"monte_carlo": True, "draws": DRAWS, "seed": SEED, "sampler": "sobol"}
    assert any(p.endswith("eo13768.toml") for p in man["files_sha256"])
    assert any(p.endswith("pre_eo_2016.toml") for p in man["files_sha256"])
    # Rebuild the scenario from the manifest's resolved parameters alone and rerun.
    def rebuilt(params: dict[str, dict[str, object]], name: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, s in params.items():
            spec: dict[str, object] = dict(s["distribution"]) if s["distribution"] else {
                "value": s["value"]}
            if s["dollar_year"] is not None:
                spec["dollar_year"] = s["dollar_year"]
            if s["distribution"]:
                spec["value"] = s["value"]
            if s["by_year"]:  # a schedule (agreements_287g_added): its distribution multiplies it
                spec = {"by_year": {int(y): v for y, v in s["by_year"].items()},
                        **({"multiplier": dict(s["distribution"])} if s["distribution"] else {}),
                        **({"dollar_year": s["dollar_year"]} if s["dollar_year"] else {})}
            out[key] = spec
        return out

    sc = man["scenario"]
    window = {k: sc[k] for k in ("start_year", "years", "dollar_year", "discount_rate")}
    base = ec.Scenario(name="baseline", **window,
                       parameters=rebuilt(man["parameters"]["baseline"], "b"))
    again = ec.Scenario(name=sc["name"], **window, provisions=tuple(sc["provisions"]),
                        parameters=rebuilt(man["parameters"]["policy"], "p"), baseline=base)
    run = man["run"]
    res2 = ec.simulate(again, draws=run["draws"], seed=run["seed"], sampler=run["sampler"])
    np.testing.assert_array_equal(res2.total("government"), res.total("government"))


def test_one_manifest_gives_the_json_and_the_run_text(
    written: tuple[ec.Result, dict[str, Path]],
) -> None:
    """The report's manifest.json and the run's text file render the same data."""
    res, files = written
    central = ec.evaluate(ec.load_scenario("eo13768_partial_funding"))
    records = [
        scenario_record(res, "mc", sampler="sobol", seed=SEED, notes=["too few draws"]),
        scenario_record(central, "central", why_central="no uncertain inputs"),
    ]
    run = run_manifest(records, command="enforcecost run x", bases=["nominal", "pv"])
    path = central.scenario.path
    assert run.to_text() == (
        f"enforcecost {ec.__version__}\n"
        "command: enforcecost run x\n"
        "bases: nominal, pv\n"
        "scenarios:\n"
        f"  mc: {res.scenario.path} ({res.scenario.name})\n"
        f"    run: Monte Carlo, {DRAWS} draws (sobol sampler, seed {SEED})\n"
        "    ledger_<basis>.csv: means over draws (--ledger-draws for every draw)\n"
        "    precision note: too few draws\n"
        f"  central: {path} ({central.scenario.name})\n"
        "    run: central values (no uncertain inputs)\n"
        "    ledger_<basis>.csv: the central values' ledger\n"
    )
    written_json = json.loads(files["manifest.json"].read_text())
    for got in (json.loads(run.to_json("mc")), manifest(res, sampler="sobol", seed=SEED)):
        assert set(got) == set(written_json)
        for key in ("scenario", "files_sha256", "run", "parameters"):
            assert got[key] == written_json[key]
    with pytest.raises(ValueError, match="'ident' is needed"):
        run.to_dict()


def test_report_command_writes_a_comparison(tmp_path: Path) -> None:
    scen = tmp_path / "small.toml"
    scen.write_text(
        '[scenario]\nname = "Small"\nprovisions = ["victims_office", "reporting"]\n'
        'baseline = "pre_eo_2016"\n[run]\ndraws = 64\n'
    )
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        code = main(["report", str(scen), "eo13768_sanctuary_enjoined", "--out", str(out),
                     "--draws", "64", "--quiet"])
    assert code == 0
    assert (out / "small" / "report.pdf").is_file()
    comp = pd.read_csv(out / "comparison" / "comparison.csv", index_col=0)
    assert list(comp.index) == ["small", "eo13768_sanctuary_enjoined"]
    assert (out / "comparison" / "comparison_federal.png").is_file()
    # run --no-report writes the tables only
    out2 = tmp_path / "out2"
    assert main(["run", str(scen), "--out", str(out2), "--draws", "1", "--no-report",
                 "--quiet"]) == 0
    assert not (out2 / "small" / "report.pdf").exists()
    assert (out2 / "small" / "table_federal_nominal.csv").is_file()


def test_a_reduction_only_result_reports_from_its_distributions(tmp_path: Path) -> None:
    """``detail='summary'`` keeps no draw's totals: the headline and the charts use the
    exact means, the quantile sketches and their buckets."""
    res = ec.simulate(ec.load_scenario("eo13768"), draws=DRAWS, seed=SEED, detail="summary")
    files = write_report(res, tmp_path, sampler="sobol", seed=SEED, command="test",
                         drivers=False)
    assert {"distribution_federal.png", "fan_federal.png", "report.md"} <= set(files)
    md = files["report.md"].read_text()
    p5, p95 = res.quantile([0.05, 0.95], "federal")
    assert (f"mean ${res.mean_total('federal') / 1e9:,.1f} billion, 90% range "
            f"${p5 / 1e9:,.1f} billion to ${p95 / 1e9:,.1f} billion") in md
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        row = res.summary().loc[("federal", "all")]
    assert row["p5"] == p5
    assert row["mean"] == res.mean_total("federal")


def test_the_headline_leads_with_the_rule_and_shows_the_others() -> None:
    """Each headline line leads with results.HEADLINE (the mean) and shows the central
    values (evaluate of the same scenario), the median and the 90% range beside it."""
    from enforcecost.report._cells import money_words
    from enforcecost.report._content import _headline
    from enforcecost.results import HEADLINE

    sc = ec.load_scenario("eo13768")
    res = ec.simulate(sc, draws=64, seed=SEED)
    lines = _headline(res)
    assert f"(headline: the {HEADLINE} of 64 draws, the expected cost):" in lines[0]
    (federal,) = [ln for ln in lines if ln.strip().startswith("Federal:")]
    central = ec.evaluate(sc).total("federal")
    p5, p50, p95 = res.quantile([0.05, 0.5, 0.95], "federal")
    assert federal.strip() == (
        f"Federal: mean {money_words(res.mean_total('federal'))}, 90% range "
        f"{money_words(p5)} to {money_words(p95)} (median {money_words(p50)}; "
        f"central values {money_words(central)}; FY2017-FY2026, nominal)")
    det = _headline(ec.evaluate(sc))
    assert f"Federal: {money_words(central)} (FY2017-FY2026, nominal, central values)" in [
        ln.strip() for ln in det]


def _booked_effects(res: ec.Result) -> pd.DataFrame:
    """The effects a report lists: those of the provisions that book something."""
    from enforcecost.report._labels import active_provisions

    reg = res.nonmonetized()
    return reg[reg["provision"].isin([*active_provisions(res), "general"])]


def test_a_2017_report_leaves_out_what_books_nothing(tmp_path: Path) -> None:
    """The 2025 provisions book nothing in a 2017 scenario: no basis paragraph, no effect."""
    from enforcecost.report._labels import active_provisions

    res = ec.simulate(ec.load_scenario("eo13768"), draws=64, seed=1)
    booked = active_provisions(res)
    assert "fees_2025" not in booked
    assert "operations_2025" not in booked
    assert {"hiring", "removals", "tax_base"} <= set(booked)
    revival = ec.evaluate(ec.load_scenario("revival_2025/revival_as_enacted"))
    assert {"fees_2025", "operations_2025", "reimbursement_2025"} <= set(
        active_provisions(revival))
