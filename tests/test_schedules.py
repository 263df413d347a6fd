"""Year-by-year inputs: parsing, validation, the step rule, the model and the studies."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import enforcecost as ec
from enforcecost import Scenario, ScenarioError, Setting, load_scenario
from enforcecost.errors import RegistryError
from enforcecost.model._values import parameter_arrays
from enforcecost.registry import Window, load_registry, registry
from enforcecost.scenario import schedule_values

WriteToml = Callable[..., Path]
HEAD = '[scenario]\nname = "test"\n'
JUDGES = {"by_year": {"2017": 300, "2019": 450, "2022": 200}}


def problems(spec: object, **fields: object) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        Scenario(name="t", parameters={"immigration_judges": spec}, **fields)  # type: ignore[arg-type]
    return [(p.key, p.rule) for p in info.value.problems]


# -- parsing -------------------------------------------------------------------------------------
def test_a_file_schedule_is_parsed_with_string_years(write_toml: WriteToml) -> None:
    path = write_toml(HEAD + "[parameters]\nimmigration_judges = { by_year = "
                      "{ 2016 = 289, 2018 = 338, 2019 = 442 } }\n"
                      "report_cost = { by_year = { 2017 = 1.0e5 }, dollar_year = 2016 }\n")
    sc = load_scenario(path)
    s = sc.parameters["immigration_judges"]
    assert s.schedule == ((2016, 289.0), (2018, 338.0), (2019, 442.0))
    assert (s.value, s.dist, s.source) == (1.0, None, str(path))
    assert sc.parameters["report_cost"].dollar_year == 2016
    assert "immigration_judges" not in sc.uncertain()  # a schedule overrides the registry's


def test_a_multiplier_is_the_settings_distribution() -> None:
    mult = {"dist": "pert", "low": 0.9, "mode": 1, "high": 1.2}
    sc = Scenario(name="t", parameters={"immigration_judges": {**JUDGES, "multiplier": mult}})
    s = sc.parameters["immigration_judges"]
    assert s.dist is not None
    assert s.dist.kind == "pert"
    assert s.value == s.dist.central
    assert sc.uncertain().count("immigration_judges") == 1


def test_every_problem_at_once(write_toml: WriteToml) -> None:
    path = write_toml(HEAD + '[parameters]\ndetention_share = { by_year = { 2017 = 0.5, '
                      'x = 0.2, 2018 = "a", 2019 = 1.5, 2020 = inf }, extra = 1, '
                      'multiplier = { dist = "pert", low = 1 } }\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = [(p.file, p.key, p.rule) for p in info.value.problems]
    key = "[parameters] detention_share"
    assert (str(path), f"{key}.extra", "unknown key (a schedule takes by_year, multiplier "
            "and dollar_year)") in found
    rules = [r for f, k, r in found if k == f"{key}.by_year"]
    assert rules[0] == "a listed year must be a whole fiscal year from 1900 to 2100"
    assert rules[1].startswith("FY2018: must be a number")
    assert rules[2] == "FY2019: must be within [0, 1]"
    assert rules[3].startswith("FY2020: must be")
    assert any(k == f"{key}.multiplier" and "mode" in r for _, k, r in found)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("name", ["inflation_projection", "discount_rate"])
def test_inputs_read_once_per_draw_refuse_a_schedule(name: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(
            f"[parameters] {name}.by_year: cannot be scheduled by year")):
        Scenario(name="t", parameters={name: {"by_year": {2017: 0.02}}})


def test_inf_only_where_allowed() -> None:
    Scenario(name="t", parameters={"immigration_judges": {"by_year": {2017: float("inf")}}})
    with pytest.raises(ScenarioError, match=re.escape(
            "cases_per_judge_year.by_year: FY2017: must be finite (only capacities accept inf)")):
        Scenario(name="t", parameters={"cases_per_judge_year": {"by_year": {2017: np.inf}}})


@pytest.mark.parametrize(("spec", "key", "rule"), [
    ({"by_year": {}}, "by_year", "must be a non-empty table {year = value, ...}"),
    ({"by_year": [1, 2]}, "by_year", "must be a non-empty table"),
    ({"by_year": {"2017.5": 3}}, "by_year", "a listed year must be a whole fiscal year"),
    ({"by_year": {2017: 3, "2017": 4}}, "by_year", "must not list a year twice"),
    ({"by_year": {2017: 3}, "value": 3}, "value", "unknown key"),
    ({"by_year": {2017: 3}, "dollar_year": 2016}, "dollar_year", "only money parameters"),
    ({"by_year": {2017: 3}, "multiplier": 2}, "multiplier", "must be a distribution table"),
    ({"by_year": {2017: 300}, "multiplier": {"dist": "uniform", "low": -1, "high": 2}},
     "multiplier", "reaches -1 x 300 = -300 in FY2017, which must be within [0, inf]"),
])
def test_entry_rules(spec: dict[str, object], key: str, rule: str) -> None:
    assert any(k == f"[parameters] immigration_judges.{key}" and r.startswith(rule)
               for k, r in problems(spec)), problems(spec)


@pytest.mark.parametrize(("listed", "rule"), [
    ({2018: 1, 2020: 2}, "must give the value in force at the start of the window, FY2017 "
                         "(list a year <= 2017); the first listed is FY2018"),
    ({2017: 1, 2027: 2}, "lists years after the window's end, FY2026 (they would never apply)"),
    ({2015: 1, 2016: 2, 2017: 3}, "lists years before FY2017 other than the latest"),
])
def test_window_rules(listed: dict[int, int], rule: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(
            f"<code>: [parameters] immigration_judges.by_year: {rule}")):
        Scenario(name="t", parameters={"immigration_judges": {"by_year": listed}})


def test_window_problems_come_with_the_others() -> None:
    with pytest.raises(ScenarioError) as info:
        Scenario(name="t", years=3, parameters={"immigration_judges": {"by_year": {2025: 1}},
                                                "ero_officers_added": -5})
    keys = [p.key for p in info.value.problems]
    assert keys == ["[parameters] ero_officers_added", "[parameters] immigration_judges.by_year",
                    "[parameters] immigration_judges.by_year"]


def test_a_year_before_the_start_sets_the_value_in_force() -> None:
    sc = Scenario(name="t", parameters={"immigration_judges": {"by_year": {2015: 1, 2019: 2}}})
    assert sc.parameters["immigration_judges"].schedule == ((2015, 1.0), (2019, 2.0))


def test_the_window_is_checked_again_when_it_changes() -> None:
    sc = Scenario(name="t", parameters={"immigration_judges": {"by_year": {2017: 1, 2020: 2}}})
    sc.replace(start_year=2018, years=3)
    with pytest.raises(ScenarioError, match="after the window's end, FY2019"):
        sc.replace(years=3)


def test_settings_in_code_are_checked() -> None:
    ok = Setting(1.0, None, None, "<code>", ((2017, 300.0), (2020, 500.0)))
    Scenario(name="t", parameters={"immigration_judges": ok})
    bad = Setting(1.0, None, None, "<code>", ((2020, 5.0), (2017, -1.0)))
    with pytest.raises(ScenarioError, match="must list distinct years in order"):
        Scenario(name="t", parameters={"immigration_judges": bad})
    neg = Setting(1.0, None, None, "<code>", ((2017, -1.0),))
    with pytest.raises(ScenarioError, match=re.escape("FY2017: must be within [0, inf]")):
        Scenario(name="t", parameters={"immigration_judges": neg})


# -- the rule between and after listed years -----------------------------------------------------
def test_step_rule() -> None:
    schedule = ((2016, 289.0), (2018, 338.0), (2021, 442.0))
    got = schedule_values(schedule, np.arange(2014, 2024))
    assert got.tolist() == [289.0, 289.0, 289.0, 289.0, 338.0, 338.0, 338.0, 442.0, 442.0,
                            442.0]


# -- the model -----------------------------------------------------------------------------------
def test_arrays_are_year_major_and_money_is_converted_each_year() -> None:
    sc = Scenario(name="t", parameters={
        "bed_day_cost": {"by_year": {2017: 100, 2020: 150}, "dollar_year": 2016},
        "immigration_judges": {**JUDGES, "multiplier": {"dist": "uniform", "low": 0.5,
                                                        "high": 1.5}}})
    window = Window(2017, 10)
    scalar = Scenario(name="t", parameters={"bed_day_cost": {"value": 100, "dollar_year": 2016}})
    values = {n: np.full(3, s.value) for n, s in sc.settings().items()}
    values["immigration_judges"] = np.array([0.5, 1.0, 1.5])
    p = parameter_arrays(sc, values, window, 2017)
    assert p["immigration_judges"].shape == (3, 10)
    assert p["immigration_judges"].T.flags.c_contiguous  # each year's draws contiguous
    np.testing.assert_array_equal(p["immigration_judges"][:, 2], [225.0, 450.0, 675.0])
    q = parameter_arrays(scalar, {n: np.full(1, s.value) for n, s in scalar.settings().items()},
                         window, 2017)
    assert p["bed_day_cost"][0, 0] == q["bed_day_cost"][0, 0]
    np.testing.assert_allclose(p["bed_day_cost"][0, 3], 1.5 * q["bed_day_cost"][0, 0])


def test_judges_schedule_sets_court_completions_by_year() -> None:
    judges = {2017: 300.0, 2019: 450.0, 2022: 200.0}
    sc = Scenario(name="t", parameters={"immigration_judges": {"by_year": judges}})
    flows = ec.evaluate(sc).pipeline()
    reg = sc.settings()
    backlog = reg["court_backlog_initial"].value
    for year, row in flows.iterrows():
        in_force = judges[max(y for y in judges if y <= year)]
        pending = backlog + row["arrests"]
        completed = min(pending, in_force * reg["cases_per_judge_year"].value)
        assert row["cases_completed"] == pytest.approx(completed, rel=1e-12)
        backlog = pending - completed
    assert flows["cases_completed"].nunique() > 1


def test_an_unchanged_scenario_keeps_its_results() -> None:
    eo = load_scenario("eo13768")
    flat = eo.replace(parameters={"immigration_judges": {
        "by_year": {2017: eo.settings()["immigration_judges"].value}}})
    a, b = ec.evaluate(eo.fixed()), ec.evaluate(flat.fixed())
    assert a.summary().equals(b.summary())


@pytest.fixture(scope="module")
def uncertain() -> Scenario:
    return load_scenario("eo13768").replace(parameters={
        "immigration_judges": {**JUDGES, "multiplier": {"dist": "pert", "low": 0.8, "mode": 1,
                                                        "high": 1.3}},
        "bed_day_cost": {"by_year": {2017: 126, 2018: 140, 2023: 160},
                         "multiplier": {"dist": "uniform", "low": 0.9, "high": 1.1}},
    })


@pytest.mark.parametrize("sampler", ["sobol", "lhs", "random"])
def test_same_bits_whatever_the_block_size(uncertain: Scenario, sampler: str) -> None:
    runs = [ec.simulate(uncertain, draws=300, seed=3, sampler=sampler, block_size=b)
            for b in (300, 128, 77)]
    for other in runs[1:]:
        np.testing.assert_array_equal(runs[0].total("government"), other.total("government"))
        np.testing.assert_array_equal(runs[0].total("federal"), other.total("federal"))
        assert runs[0].pipeline().equals(other.pipeline())


def test_same_bits_with_worker_processes(uncertain: Scenario) -> None:
    one = ec.simulate(uncertain, draws=200, seed=4, block_size=64)
    two = ec.simulate(uncertain, draws=200, seed=4, block_size=64, workers=2)
    np.testing.assert_array_equal(one.total("government"), two.total("government"))


def test_a_schedule_varies_by_year_and_draw(uncertain: Scenario) -> None:
    res = ec.simulate(uncertain, draws=64, seed=1)
    completed = res.pipeline()["cases_completed"]
    assert completed.nunique() > 1


def test_a_schedules_multiplier_is_one_input_of_a_study(uncertain: Scenario) -> None:
    from enforcecost.model import uncertain_inputs

    names = uncertain_inputs(uncertain)
    assert names.count("immigration_judges") == 1
    t = ec.tornado(uncertain)
    frame = t.to_frame()
    assert "immigration_judges" in frame.index
    assert "bed_day_cost" in frame.index
    sobol = ec.sobol(uncertain, n=64, replicates=16).to_frame()
    assert sobol.index.tolist().count("immigration_judges") == 1


def test_a_schedules_multiplier_can_be_correlated(uncertain: Scenario) -> None:
    sc = uncertain.replace(correlations=[("immigration_judges", "cases_per_judge_year", 0.5)])
    a = ec.simulate(sc, draws=256, seed=2, block_size=256)
    b = ec.simulate(sc, draws=256, seed=2, block_size=100)
    np.testing.assert_array_equal(a.total("government"), b.total("government"))


def test_magnitude_checks_see_every_year(write_toml: WriteToml) -> None:
    path = write_toml(HEAD + "[parameters]\nbed_day_cost = { by_year = { 2017 = 133, "
                      "2020 = 1.0e30 } }\n")
    with pytest.raises(ScenarioError, match=r"bed_day_cost.*FY2020") as info:
        load_scenario(path)
    assert "'by_year': {'2017': 133.0, '2020': 1e+30}" in str(info.value)


def test_reports_show_the_schedule() -> None:
    from enforcecost.report._frames import describe_distribution

    mult = {"dist": "uniform", "low": 0.9, "high": 1.1}
    sc = Scenario(name="t", parameters={"immigration_judges": {**JUDGES, "multiplier": mult},
                                        "detention_beds": {"by_year": {2017: 3e4}}})
    assert describe_distribution(sc.parameters["immigration_judges"]) == (
        "by_year(2017=300, 2019=450, 2022=200) x uniform(low=0.9, high=1.1)")
    assert describe_distribution(sc.parameters["detention_beds"]) == "by_year(2017=30000)"


# -- a constant schedule is the scalar, bit for bit ------------------------------------------------
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(judges=st.floats(0, 5000), cost=st.floats(0, 1000), start=st.integers(2010, 2017))
def test_a_constant_schedule_is_the_scalar(judges: float, cost: float, start: int) -> None:
    scalar = Scenario(name="t", parameters={"immigration_judges": judges, "bed_day_cost": cost})
    sched = Scenario(name="t", parameters={
        "immigration_judges": {"by_year": {start: judges}},
        "bed_day_cost": {"by_year": {str(start): cost}},
    })
    a, b = ec.evaluate(scalar), ec.evaluate(sched)
    assert a.summary().equals(b.summary())
    assert a.pipeline().equals(b.pipeline())
    assert a.lines.equals(b.lines)


# -- the registry --------------------------------------------------------------------------------
ENTRY = """[x]
provision = "removals"
description = "d"
unit = "judges"
value = 1
bounds = [0, 500]
source_kind = "assumption"
citation = "none found: a test"
by_year = { 2016 = 289, 2018 = 338 }
uncertainty = { dist = "uniform", low = 0.9, high = 1.1 }
"""


def test_a_registry_entry_takes_a_schedule() -> None:
    param = load_registry(ENTRY)["x"]
    assert param.by_year == ((2016, 289.0), (2018, 338.0))
    assert Setting.from_registry(param).schedule == param.by_year


@pytest.mark.parametrize(("old", "new", "rule"), [
    ("high = 1.1", "high = 1.6", "x: uncertainty reaches 1.6 x FY2018 338, outside the bounds"),
    ("value = 1", "value = 2", "x: value 2 x FY2016 289 must be within [0, 500]"),
    ("2018 = 338", 'y = "a"', "x: by_year lists 'y', not a whole year"),
    ("2018 = 338", '2018 = "a"', "x: by_year.2018 must be a number"),
    ("{ 2016 = 289, 2018 = 338 }", "{}", "x: by_year must be a non-empty table"),
])
def test_registry_schedule_rules(old: str, new: str, rule: str) -> None:
    with pytest.raises(RegistryError, match=re.escape(rule)):
        load_registry(ENTRY.replace(old, new))


def test_a_registry_rate_read_once_per_draw_refuses_a_schedule() -> None:
    text = ENTRY.replace("[x]", "[inflation_projection]").replace('"removals"', '"money"')
    with pytest.raises(RegistryError, match=re.escape(
            "inflation_projection: by_year: cannot be scheduled by year")):
        load_registry(text)


def test_a_registry_schedule_reaches_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = registry()
    judges = ((2017, 300.0), (2019, 450.0), (2022, 200.0))
    monkeypatch.setitem(reg, "immigration_judges", dataclasses.replace(  # type: ignore[arg-type]
        reg["immigration_judges"], value=1.0, uncertainty=None, by_year=judges))
    from_registry = ec.evaluate(Scenario(name="t")).pipeline()
    from_file = ec.evaluate(Scenario(name="t", parameters={
        "immigration_judges": {"by_year": dict(judges)}})).pipeline()
    assert from_registry.equals(from_file)


def test_the_pipeline_chart_draws_a_scheduled_capacity_by_year() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from enforcecost import plot

    sc = Scenario(name="t", parameters={"immigration_judges": {"by_year": JUDGES["by_year"]}})
    ax = plot.pipeline(ec.evaluate(sc))
    texts = [t.get_text() for a in ax.figure.axes for t in a.texts]
    assert any(t == "court capacity 112K\u2013252K" for t in texts), texts
    steps = [line for a in ax.figure.axes for line in a.lines
             if line.get_drawstyle() == "steps-mid"]
    [step] = steps
    cases = ec.registry()["cases_per_judge_year"].value
    expected = [300 * cases] * 2 + [450 * cases] * 3 + [200 * cases] * 5
    assert step.get_ydata().tolist() == pytest.approx(expected, rel=1e-12)


def test_every_input_scheduled_at_once() -> None:
    """Every input a schedule: constant ones give the scalar's bits; changing ones run."""
    eo = load_scenario("eo13768").fixed()
    scheduled = [n for n in eo.settings() if n not in ("inflation_projection", "discount_rate")]
    # A registry schedule (agreements_287g_added, the 2025 fees) is given as itself, cut
    # to the window as a scenario's must be (the value in force at its start, then the
    # listed years inside it); any other input flat.
    first, last = eo.start_year, eo.start_year + eo.years - 1

    def in_window(schedule: tuple[tuple[int, float], ...]) -> dict[int, float]:
        inside = {y: v for y, v in schedule if first < y <= last}
        return {first: float(schedule_values(schedule, [first])[0]), **inside}

    flat = {n: {"by_year": in_window(s.schedule) if s.schedule else {2017: s.value}}
            for n, s in eo.settings().items() if n in scheduled}
    a, b = ec.evaluate(eo), ec.evaluate(eo.replace(parameters=flat))
    assert a.summary().equals(b.summary())
    assert a.lines.equals(b.lines)
    assert a.pipeline().equals(b.pipeline())
    reg = registry()
    moving = {}
    for n in scheduled:
        v = eo.settings()[n].value
        later = min(v * 1.25, reg[n].bounds[1]) if np.isfinite(v) else v
        moving[n] = {"by_year": {2017: v, 2021: later}}
    c = ec.evaluate(eo.replace(parameters=moving))
    assert np.isfinite(c.lines.select_dtypes("number").to_numpy()).all()
    assert not c.summary().equals(a.summary())
