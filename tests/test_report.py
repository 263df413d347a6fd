"""Reports: every file written, consistent with the tables, and reproducible from the manifest."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.cli import main
from enforcecost.report import manifest, run_manifest, scenario_record, write_report
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
    expected |= {"tables.xlsx", "report.md", "report.pdf", "manifest.json"}
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
    assert len(book["nonmonetized"]) == len(res.nonmonetized())


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
    for title in res.nonmonetized()["title"]:
        assert title in md
    for name in ("stacked_federal", "pipeline"):
        assert f"figures/{name}.png" in md


def test_pdf_has_the_pages(written: tuple[ec.Result, dict[str, Path]]) -> None:
    _, files = written
    data = files["report.pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page")
    # title + tables page, six charts, drivers, parameters (2 pages), register
    assert pages >= 10, pages


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
