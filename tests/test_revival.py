"""The 2025 revival: its scenarios, the two eras compared, and the report's sections.

Figures asserted come from the scenario files and the appropriations data file
(recomputed here), or are invariants (totals equal their parts, the impact equals the
policy side less the baseline, nothing booked twice).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost import ScenarioError
from enforcecost.registry import registry
from enforcecost.report._sections import budget_section, era_section

REVIVAL = "revival_2025/revival_as_enacted"
VARIANTS = ("revival_2025/revival_not_renewed", "revival_2025/revival_fast_hiring",
            "revival_2025/revival_courts_binding")


@pytest.fixture(scope="module")
def r25() -> ec.Result:
    return ec.simulate(ec.load_scenario(REVIVAL), draws=64, seed=3)


@pytest.fixture(scope="module")
def r17() -> ec.Result:
    return ec.simulate(ec.load_scenario("eo13768"), draws=64, seed=3)


# -- the scenarios ------------------------------------------------------------------------

@pytest.mark.parametrize("name", [REVIVAL, *VARIANTS, "revival_2025/pre_2025_continuation",
                                  "hindcast/revival_as_implemented"])
def test_every_revival_scenario_loads_and_runs(name: str) -> None:
    sc = ec.load_scenario(name)
    r = ec.evaluate(sc)
    assert np.isfinite(r.total("federal"))


def test_the_revival_starts_in_fy2025_and_runs_ten_years_against_fy2024_levels() -> None:
    sc = ec.load_scenario(REVIVAL)
    assert (sc.start_year, sc.years, sc.dollar_year) == (2025, 10, 2025)
    assert sc.baseline is not None
    assert sc.baseline.name == "Pre-2025 continuation (FY2024 levels)"
    base = sc.baseline.settings()
    # FY2024 levels, as the baseline file states them
    assert base["detention_beds"].value == 41_500
    assert base["ero_officers_baseline"].value == 6_000
    assert base["agreements_287g_baseline"].value == 135
    # the baseline has no appropriations: its funding inputs stay at the registry's zero
    assert sc.baseline.appropriations == ()
    assert "appropriation_outlays_detention" not in sc.baseline.parameters


def test_registry_resets_an_inherited_setting() -> None:
    """The baseline holds the order's other provisions at pre-order levels; the revival
    takes the registry's values back with "registry"."""
    sc = ec.load_scenario(REVIVAL)
    assert sc.baseline is not None
    reg = registry()
    for name in ("i9_audits_per_year", "entry_fines_assessed_per_year", "voice_staff"):
        assert name in sc.baseline.parameters
        assert name not in sc.parameters
        assert sc.settings()[name].value == reg[name].value


def test_registry_reset_of_an_unknown_name_is_a_problem(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('[scenario]\nname = "x"\n[parameters]\nvoice_stafff = "registry"\n')
    with pytest.raises(ScenarioError, match="unknown parameter"):
        ec.load_scenario(f)


def test_compare_with_resolves_against_the_file_and_an_empty_one_drops_it(
    tmp_path: Path,
) -> None:
    sc = ec.load_scenario(REVIVAL)
    assert sc.compare_with is not None
    assert Path(sc.compare_with).name == "eo13768.toml"
    assert ec.load_scenario("hindcast/revival_as_implemented").compare_with is None
    f = tmp_path / "s.toml"
    f.write_text('[scenario]\nname = "x"\ncompare_with = "no_such.toml"\n')
    with pytest.raises(ScenarioError, match="compare_with: no such file"):
        ec.load_scenario(f)


def _values(name: str) -> dict[str, tuple[object, ...]]:
    """Each input's value, distribution and schedule (not the file that set it)."""
    return {n: (s.value, s.dist, s.schedule)
            for n, s in ec.load_scenario(name).settings().items()}


def test_the_variants_differ_from_the_revival_only_where_they_say() -> None:
    main = _values(REVIVAL)
    fast = _values("revival_2025/revival_fast_hiring")
    assert fast["hires_per_year_max"][0] == 12_000
    assert {n for n in main if main[n] != fast[n]} == {"hires_per_year_max"}
    courts = _values("revival_2025/revival_courts_binding")
    assert {n for n in main if main[n] != courts[n]} == {"immigration_judges"}
    # not renewed: the renewal tables' outlays (2030 on) are gone, the acts' remain
    kept = ec.budget_authority(ec.load_scenario("revival_2025/revival_not_renewed"))
    assert kept.loc[kept["appropriation"].str.startswith("renewal"),
                    "budget_authority"].sum() == 0
    assert kept["budget_authority"].sum() == pytest.approx(
        45e9 + 29.85e9 + 31.075e9 + 3.33e9 + 10e9 + 3.5e9)


# -- two eras -------------------------------------------------------------------------------

def test_compare_eras_tabulates_each_results_own_totals(r17: ec.Result, r25: ec.Result) -> None:
    eras = ec.compare_eras({"2017": r17, "2025": r25})
    assert repr(eras) == "EraComparison(2017 FY2017\u2013FY2026, 2025 FY2025\u2013FY2034)"
    p = eras.perspectives()
    assert p.loc["federal", "2017"] == r17.mean_total("federal", "nominal")
    assert p.loc["federal", "2025"] == r25.mean_total("federal", "nominal")
    # the provisions sum to the perspective's total
    out = eras.outlays("federal")
    for era in ("2017", "2025"):
        assert out[era].sum() == pytest.approx(p.loc["federal", era], rel=1e-12)
    # the 2025 acts' provisions book nothing in 2017
    assert out.loc["ICE operations (2025 acts)", "2017"] == 0
    assert out.loc["ICE operations (2025 acts)", "2025"] > 0


def test_the_eras_pipeline_is_the_policy_side_and_its_impact(
    r17: ec.Result, r25: ec.Result,
) -> None:
    eras = ec.compare_eras({"2017": r17, "2025": r25})
    pipe = eras.pipeline()
    pol, base = r25.pipeline("policy"), r25.pipeline("baseline")
    arrests = "ICE interior arrests a year"
    assert pipe.loc[arrests, ("2025", "policy")] == pytest.approx(pol["arrests"].mean())
    assert pipe.loc[arrests, ("2025", "impact")] == pytest.approx(
        pol["arrests"].mean() - base["arrests"].mean())
    officers = "ERO officers on board"
    assert pipe.loc[officers, ("2017", "policy")] == pytest.approx(
        r17.pipeline("policy")["officers"].max())
    backlog = "Court cases pending, end of window"
    assert pipe.loc[backlog, ("2017", "policy")] == pytest.approx(
        r17.pipeline("policy")["court_backlog"].iloc[-1])


def test_compare_eras_needs_two(r17: ec.Result) -> None:
    with pytest.raises(ValueError, match="at least two eras"):
        ec.compare_eras({"2017": r17})


def test_the_eras_chart_draws(r17: ec.Result, r25: ec.Result) -> None:
    import matplotlib.pyplot as plt

    fig = ec.compare_eras({"2017": r17, "2025": r25}).plot()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "ICE operations (2025 acts)" in labels
    assert "Officer hiring" in labels
    plt.close(fig)


# -- the report's sections ---------------------------------------------------------------------

def test_the_budget_section_adds_up(r25: ec.Result) -> None:
    sec = budget_section(r25)
    assert sec is not None
    frame = sec.frame
    ba = ec.budget_authority(r25.scenario)
    window = ba[ba["fiscal_year"].between(2025, 2034)]
    assert frame["budget_authority"].sum() == pytest.approx(window["budget_authority"].sum())
    assert frame["outlays_spend_out"].sum() == pytest.approx(window["outlays"].sum())
    # CBO's House Judiciary title, as transcribed in the data file ($ millions)
    assert frame["cbo_house_judiciary_title_vii_outlays"].sum() == pytest.approx(73_458e6)
    # the model's federal outlays: the mean over draws of the federal outlay and
    # transfer lines, in nominal dollars
    lines = r25.lines
    keep = ((lines["payer"] == "federal")
            & lines["kind"].isin(("outlay", "transfer"))).to_numpy()
    np.testing.assert_allclose(frame["model_federal_outlays"].to_numpy(),
                               r25.mean_cube("nominal")[:, keep].sum(axis=1))
    assert sec.rows[-1][0] == "FY2025\u20132034"
    assert budget_section(ec.evaluate(ec.load_scenario("eo13768"))) is None


def test_the_era_section_shows_both_windows(r17: ec.Result, r25: ec.Result) -> None:
    sec = era_section(r25, r17)
    assert sec.header == ("", "FY2017\u2013FY2026", "FY2025\u2013FY2034")
    assert sec.chart == "eras"
    rows = {r[0]: r for r in sec.rows}
    assert rows["ICE operations (2025 acts)"][1] == "-"
    assert isinstance(sec.frame, pd.DataFrame)


def test_the_levers_are_each_eras_central_inputs_over_its_window(
    r17: ec.Result, r25: ec.Result,
) -> None:
    lev = ec.compare_eras({"2017": r17, "2025": r25}).levers()
    # 2017: the registry's 10,000 officers; the revival: none (the money sets them)
    assert lev.loc["ERO officers added (target)", "2017"] == 10_000
    assert lev.loc["ERO officers added (target)", "2025"] == 0
    # the revival's detainers: 222,021 in FY2025, then 260,975 for nine years
    assert lev.loc["Detainers a year", "2025"] == pytest.approx((222_021 + 9 * 260_975) / 10)
    ba = ec.budget_authority(r25.scenario)
    assert lev.loc["Budget authority appropriated in the window ($)", "2025"] == pytest.approx(
        ba["budget_authority"].sum())
    assert lev.loc["Budget authority appropriated in the window ($)", "2017"] == 0
