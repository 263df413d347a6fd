"""Report tables: CBO cell formatting, text layout, and the frames a batch run writes."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost import report
from enforcecost.report import (
    describe_distribution,
    format_millions,
    parameters_used,
    perspectives_with_lines,
    render_registry,
    render_result,
    render_table,
    result_frames,
    scenario_title,
    short_citation,
    summary_frame,
    units_line,
)
from enforcecost.results import PrecisionWarning


@pytest.fixture(scope="module")
def eo() -> ec.Result:
    return ec.evaluate(ec.load_scenario("eo13768"))


@pytest.fixture(scope="module")
def calib() -> ec.Result:
    return ec.evaluate(ec.load_scenario("calibration/aaf_2015_low"))


@pytest.mark.parametrize(
    ("millions", "text"),
    [
        (0.0, "-"),
        (-0.0, "-"),
        (1e-7, "-"),  # 10 cents: zero
        (0.4999, "*"),  # $499,900
        (-0.4999, "*"),
        (0.51, "1"),
        (-0.51, "-1"),
        (1234.6, "1,235"),
        (-2500.2, "-2,500"),
        (31224.7, "31,225"),
        (1_234_567.0, "1,234,567"),
        (math.inf, "inf"),
        (math.nan, "nan"),
    ],
)
def test_format_millions_follows_cbo(millions: float, text: str) -> None:
    assert format_millions(millions) == text


def test_scenario_title_names_baseline(eo: ec.Result, calib: ec.Result) -> None:
    assert scenario_title(eo) == (
        "EO 13768, full implementation: impact relative to "
        "Pre-order baseline (Priority Enforcement Program, FY2016)"
    )
    assert "impact relative to" not in scenario_title(calib)
    assert scenario_title(calib).startswith("Calibration: AAF (2015)")


def test_units_line_per_basis(eo: ec.Result) -> None:
    assert units_line(eo, "nominal") == (
        "Millions of dollars, by fiscal year, nominal (then-year) dollars"
    )
    assert units_line(eo, "real") == "Millions of dollars, by fiscal year, constant 2017 dollars"
    assert units_line(eo, "pv") == (
        "Millions of dollars, by fiscal year, present value in 2017 dollars at 2.0% real"
    )
    with pytest.raises(ValueError, match="'basis' must be one of"):
        units_line(eo, "euros")  # type: ignore[arg-type]


def test_units_line_states_monte_carlo_means(eo: ec.Result) -> None:
    mc = replace(eo, deterministic=False)
    assert units_line(mc, "nominal").endswith("; means of 1 draw")


def test_perspectives_with_lines(eo: ec.Result, calib: ec.Result) -> None:
    assert perspectives_with_lines(eo) == ["federal", "state_local", "government", "economy"]
    assert perspectives_with_lines(calib) == ["federal", "government"]


def test_render_table_aligns_and_sets_off_total(eo: ec.Result) -> None:
    table = eo.table("federal")
    text = render_table(table, "Federal budget", "Millions of dollars")
    lines = text.splitlines()
    assert lines[:2] == ["Federal budget", "Millions of dollars"]
    header, rule = lines[2], lines[3]
    assert header.split() == [str(c) for c in table.columns]
    assert set(rule) == {"-"}
    assert lines[-2] == rule  # the Total row is set off by a rule
    body = lines[4:-2]
    assert [ln.split()[0] for ln in body] == [p for p in table.index if p != "Total"]
    # Right-aligned: every row ends where the header ends.
    assert {len(ln) for ln in [header, *body, lines[-1]]} == {len(header)}
    total_cells = lines[-1].split()
    assert total_cells[0] == "Total"
    assert total_cells[-1] == format_millions(float(table.loc["Total"].iloc[-1]))


def test_render_result_has_every_perspective_and_notes(eo: ec.Result) -> None:
    text = render_result(eo, "real")
    for title in report.PERSPECTIVE_TITLES.values():
        assert title in text
    assert text.count(units_line(eo, "real")) == 4
    n = len(eo.nonmonetized())
    assert f"Not estimated: {n} non-monetized effects" in text
    assert render_result(eo, footnote="FOOT").endswith("FOOT")


def test_render_result_skips_perspectives_without_lines(calib: ec.Result) -> None:
    text = render_result(calib)
    assert "Federal budget" in text
    assert "State and local budgets" not in text
    assert "Economy" not in text


def test_describe_distribution_in_reading_order() -> None:
    sc = ec.Scenario(
        name="d",
        parameters={
            "hires_per_year_max": {"dist": "pert", "high": 3000, "mode": 1500, "low": 371},
            "at_large_arrests_per_officer_year": {"dist": "lognormal", "ci90": [3, 6]},
            "ero_officers_added": 5000,
        },
    )
    s = sc.settings()
    assert describe_distribution(s["hires_per_year_max"]) == "pert(low=371, mode=1500, high=3000)"
    assert describe_distribution(s["at_large_arrests_per_officer_year"]) == "lognormal(ci90=[3, 6])"
    assert describe_distribution(s["ero_officers_added"]) == "fixed"


def test_parameters_used_lists_both_sides_and_what_files_changed() -> None:
    sc = ec.load_scenario("eo13768")
    used = parameters_used(sc)
    n_inputs = len(sc.settings())
    assert list(used["side"].value_counts().sort_index()) == [n_inputs, n_inputs]
    assert list(used.columns[:2]) == ["side", "name"]
    for col in ("value", "unit", "dollar_year", "distribution", "source_kind", "citation",
                "changed", "set_in"):
        assert col in used.columns
    pol = used[used["side"] == "policy"].set_index("name")
    base = used[used["side"] == "baseline"].set_index("name")
    assert pol.loc["detention_beds", "value"] == 51379
    assert pol.loc["detention_beds", "changed"]
    assert pol.loc["detention_beds", "set_in"].endswith("eo13768.toml")
    assert not pol.loc["ero_officers_added", "changed"]
    assert pol.loc["ero_officers_added", "set_in"] == ""
    assert base.loc["ero_officers_added", "value"] == 0
    assert base.loc["ero_officers_added", "set_in"].endswith("pre_eo_2016.toml")
    assert pol.loc["bed_day_cost", "dollar_year"] == "2017"
    assert pol.loc["entry_fine_min", "dollar_year"] == "nominal"
    assert pol.loc["ero_officers_added", "dollar_year"] == ""
    assert set(pol["changed"]) == {True, False}
    assert int(pol["changed"].sum()) == 1


def test_result_frames_names_and_contents(eo: ec.Result) -> None:
    frames = result_frames(eo, ["nominal", "pv"])
    expected = {
        *(f"table_{p}_{b}.csv" for p in ec.PERSPECTIVES for b in ("nominal", "pv")),
        "ledger_nominal.csv", "ledger_pv.csv", "summary_nominal.csv", "summary_pv.csv",
        "pipeline.csv", "pipeline_baseline.csv", "nonmonetized.csv", "parameters_used.csv",
    }
    assert set(frames) == expected
    pd.testing.assert_frame_equal(frames["table_state_local_pv.csv"], eo.table("state_local", "pv"))
    pd.testing.assert_frame_equal(frames["pipeline_baseline.csv"], eo.pipeline("baseline"))


def test_result_frames_without_baseline(calib: ec.Result) -> None:
    frames = result_frames(calib, ["real"])
    assert "pipeline_baseline.csv" not in frames
    assert "table_federal_real.csv" in frames
    assert "table_economy_real.csv" not in frames


def test_summary_frame_totals(eo: ec.Result, calib: ec.Result) -> None:
    frame = summary_frame([("eo", eo), ("cal", calib)], ["nominal", "real"])
    assert len(frame) == 2 * len(ec.PERSPECTIVES)
    row = frame[(frame["scenario"] == "eo") & (frame["perspective"] == "federal")].iloc[0]
    assert row["nominal_window_millions"] == pytest.approx(eo.total("federal") / 1e6, rel=1e-12)
    assert row["real_5yr_millions"] == pytest.approx(
        eo.total("federal", "real", years=5) / 1e6, rel=1e-12
    )
    assert row["baseline"].startswith("Pre-order baseline")
    assert (row["start_year"], row["end_year"]) == (2017, 2026)
    cal = frame[(frame["scenario"] == "cal") & (frame["perspective"] == "federal")].iloc[0]
    assert cal["real_window_millions"] == pytest.approx(103_900, rel=1e-3)  # AAF (2015), low
    assert "pv_window_millions" not in frame.columns


def test_summary_frame_short_window_has_no_5yr_total() -> None:
    res = ec.evaluate(ec.Scenario(name="short", years=3))
    frame = summary_frame([("s", res)], ["nominal"])
    assert frame["nominal_5yr_millions"].isna().all()
    assert np.isfinite(frame["nominal_window_millions"]).all()


def test_short_citation() -> None:
    assert short_citation('EO 13768 summary (seed): "Hires 10,000"') == "EO 13768 summary (seed)"
    assert short_citation("none found: assumption") == "none found: assumption"
    assert short_citation('"quoted only"') == '"quoted only"'
    # a quotation that continues a clause: back to the clause's start, with an ellipsis
    assert short_citation('Low: ICE pace, Gov Exec (E. Katz, Mar 2018): new hires "371"') == (
        "Low: ICE pace, Gov Exec (E. Katz, Mar 2018)\u2026")
    assert short_citation('ICE removals FY2016 "240,255"') == "ICE removals FY2016\u2026"
    # a quotation inside a parenthesis left open: before the parenthesis
    assert short_citation('Line of arrests on detainers, FY2012-FY2016 (TRAC, Table 1: "1"') == (
        "Line of arrests on detainers\u2026")
    # U.S. and initials end no sentence; one-word clauses are no place to stop
    assert short_citation('No count of U.S. hires found. Central: at launch "none"') == (
        "No count of U.S. hires found\u2026")
    # a width: the last clause end that fits, else the last whole word
    text = "none found: assumption; the range spans 60% to 95% honored."
    assert short_citation(text, 40) == "none found: assumption\u2026"
    assert short_citation(text, 15) == "none found\u2026"
    assert short_citation(text, 8) == "none\u2026"
    assert short_citation(text, len(text)) == text


@pytest.mark.parametrize("width", [None, 24, 40, 60, 100])
def test_short_citation_never_cuts_a_word(width: int | None) -> None:
    """Every registry citation: a prefix of the citation, at most ``width`` characters,
    and a cut (ellipsis) only after a whole word, at a clause end where one fits."""
    for name, p in ec.registry().items():
        short = short_citation(p.citation, width)
        assert width is None or len(short) <= width, (name, short)
        kept = short.removesuffix("\u2026")
        assert p.citation.startswith(kept), (name, short)
        assert kept.strip(), (name, short)
        if kept != short:  # cut: the citation goes on with a space or a punctuation mark
            rest = p.citation[len(kept):]
            assert rest[:1] in (" ", ",", ";", ":", ".", '"'), (name, short)
            assert not kept.endswith((",", ";", ":", " ")), (name, short)


@pytest.mark.parametrize("width", [60, 100, 240])
def test_render_registry_fits_width(width: int) -> None:
    text = render_registry(ec.parameters(), width=width)
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= width
    assert lines[0].startswith("name")
    for name in ("ero_officers_added", "detention_beds"):
        assert any(ln.startswith(name[: width - 3]) for ln in lines)
    assert "[hiring]" in lines
    assert "* reference figure" in text


def test_render_registry_wide_is_one_line_per_parameter() -> None:
    frame = ec.parameters()
    lines = render_registry(frame, width=400).splitlines()
    row = next(ln for ln in lines if ln.startswith("removable_population "))
    assert row.split()[1:3] == ["11M", "persons"]
    assert "10.5M to 12M" in row
    assert row.rstrip().endswith("EO 13768 summary (seed)")
    n_headings = frame["provision"].nunique()
    assert len(lines) == 2 + n_headings + len(frame) + 2  # header, rule, rows, note


def test_render_registry_narrow_puts_citation_below() -> None:
    lines = render_registry(ec.parameters(), width=90).splitlines()
    # at 90 columns name, value and unit fit; the dollar year (with everything after it,
    # in order) follows on the line below
    assert lines[0].split() == ["name", "value", "unit"]
    assert lines[1] == "  dollar year; kind; range; citation"
    i = next(i for i, ln in enumerate(lines) if ln.startswith("ero_officers_added "))
    assert lines[i + 1] == "  seed; EO 13768 summary (seed)"


# -- Monte Carlo results ------------------------------------------------------------------
@pytest.fixture(scope="module")
def mc() -> ec.Result:
    return ec.simulate(ec.load_scenario("eo13768"), draws=64, seed=2)


def test_run_description_and_units_line_of_monte_carlo(eo: ec.Result, mc: ec.Result) -> None:
    assert report.run_description(eo) == "central values"
    assert report.run_description(mc) == "means of 64 draws"
    assert report.run_description(mc, sampler="lhs", seed=0) == (
        "means of 64 draws (lhs sampler, seed 0)"
    )
    assert units_line(mc, "real", sampler="sobol", seed=2) == (
        "Millions of dollars, by fiscal year, constant 2017 dollars; "
        "means of 64 draws (sobol sampler, seed 2)"
    )
    assert units_line(eo, "real", sampler="sobol", seed=2) == units_line(eo, "real")


def test_mean_ledger_is_the_ledger_averaged_over_draws(eo: ec.Result, mc: ec.Result) -> None:
    keys = ["fiscal_year", "provision", "item", "payer", "kind"]
    want = mc.ledger("pv").groupby(keys, sort=False)["amount"].mean().reset_index()
    pd.testing.assert_frame_equal(report.mean_ledger(mc, "pv"), want, check_exact=False,
                                  rtol=1e-12)
    pd.testing.assert_frame_equal(report.mean_ledger(eo), eo.ledger())


def test_percentile_frame_takes_summary_rows(mc: ec.Result) -> None:
    with pytest.warns(PrecisionWarning, match="64 draws are too few"):
        frame = report.percentile_frame(mc, "nominal")
    assert list(frame.columns) == ["mean", "mean_se", "p5", "p5_se", "p50", "p50_se", "p95",
                                   "p95_se"]
    assert list(frame.index.get_level_values("span")[:2]) == ["2017-2021", "2017-2026"]
    assert list(dict.fromkeys(frame.index.get_level_values("perspective"))) == list(
        ec.PERSPECTIVES
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        window = mc.summary("nominal")
        five = mc.summary("nominal", years=5)
        text = report.render_percentiles(mc, "nominal", sampler="sobol", seed=2)
    assert frame.loc[("government", "2017-2026"), "p95"] == window.loc[("government", "all"),
                                                                       "p95"]
    assert frame.loc[("economy", "2017-2021"), "mean_se"] == five.loc[("economy", "all"),
                                                                     "mean_se"]
    assert text.splitlines()[0] == (
        "Distribution of the net cost over 64 draws (sobol sampler, seed 2)"
    )
    assert text.count("2017-2026") == len(ec.PERSPECTIVES)


def test_result_frames_of_monte_carlo(mc: ec.Result) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        frames = result_frames(mc, ["real"])
        every = result_frames(mc, ["real"], ledger_draws=True)
    assert {"percentiles_real.csv", "percentiles_5yr_real.csv", "summary_real.csv"} <= set(frames)
    assert "draw" not in frames["ledger_real.csv"].columns
    assert len(every["ledger_real.csv"]) == 64 * len(frames["ledger_real.csv"])
    pd.testing.assert_frame_equal(frames["percentiles_real.csv"], frames["summary_real.csv"])
    assert summary_frame([("mc", mc)], ["real"])["draws"].unique().tolist() == [64]


def test_perspectives_with_lines_of_one_provision(eo: ec.Result) -> None:
    assert perspectives_with_lines(eo, "hiring") == ["federal", "government"]
    assert perspectives_with_lines(eo, "visa_sanctions") == list(ec.PERSPECTIVES)
    assert perspectives_with_lines(eo, "detainers") == ["federal", "state_local", "government"]
