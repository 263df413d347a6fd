"""The scenario loader: shipped files, inheritance, baselines, every validation rule with
its exact message, all problems at once, and a fuzz that only ever sees ScenarioError."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import enforcecost as ec
from enforcecost import Problem, RunConfig, Scenario, ScenarioError, Setting, load_scenario
from enforcecost.provisions import PROVISIONS
from enforcecost.registry import DIST_KINDS, Distribution, registry
from enforcecost.scenario import shipped_scenarios

WriteToml = Callable[..., Path]
KNOWN_PROVISIONS = ", ".join(PROVISIONS)
DRAWS_RULE = (
    "must be a whole number from 1 to 1,073,741,824 (2**30, the most points the Sobol' "
    "design can make)"
)


def problems_of(path: Path | str) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def rules(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.key, p.rule) for p in problems]


def only_problem(path: Path | str) -> Problem:
    [problem] = problems_of(path)
    return problem


HEAD = '[scenario]\nname = "test"\n'


# -- shipped scenarios ---------------------------------------------------------------------------
SHIPPED = sorted(shipped_scenarios())


def test_the_design_scenarios_are_shipped() -> None:
    assert {
        "pre_eo_2016",
        "eo13768",
        "mass_removal_10yr",
        "calibration/aaf_2015_low",
        "calibration/aaf_2015_high",
    } <= set(SHIPPED)
    assert len(SHIPPED) >= 8


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_loads(name: str) -> None:
    sc = load_scenario(name)
    assert sc.name.strip()
    assert sc.path == shipped_scenarios()[name]
    assert set(sc.provisions) <= set(PROVISIONS)
    for param, setting in sc.parameters.items():
        assert param in registry()
        assert setting.source.endswith(".toml")
    # the same file by path loads the same
    assert load_scenario(shipped_scenarios()[name]) == sc


@pytest.mark.parametrize(
    "name",
    [
        "eo13768",
        "eo13768_hiring_as_achieved",
        "eo13768_partial_funding",
        "eo13768_sanctuary_enjoined",
        "mass_removal_10yr",
    ],
)
def test_policy_scenarios_are_measured_against_pre_eo_2016(name: str) -> None:
    sc = load_scenario(name)
    assert sc.baseline is not None
    assert sc.baseline.path == shipped_scenarios()["pre_eo_2016"]
    assert sc.baseline.baseline is None


def test_pre_eo_2016_uses_the_fy2016_detainers() -> None:
    """The baseline's arrests follow FY2016's detainers (TRAC: 85,720) at the FY2012-FY2016
    relation; with ~5,800 officers it gives back FY2016's 110,104 arrests to 1%."""
    sc = load_scenario("pre_eo_2016")
    assert sc.settings()["detainers_per_year"].value == 85_720
    arrests = ec.evaluate(sc).pipeline().loc[2017, "arrests"]
    assert arrests == pytest.approx(110_104, rel=0.01)


# AAF (2015) table: component totals, $B of 2015; 11.2M people, 20% leave on their own.
AAF_PEOPLE = 11.2e6 * (1 - 0.2)
AAF = {
    "apprehension_cost_per_arrest": {"low": 43.5e9, "high": 243.3e9},
    "bed_day_cost": {"low": 35.7e9, "high": 35.7e9},
    "immigration_court_cost_per_judge_year": {"low": 13.4e9, "high": 13.4e9},
    "charter_cost_per_person": {"low": 11.3e9, "high": 11.3e9},
}
#: What turns each setting into a cost per person: a judge-year over the completions
#: it makes (one case each, unlimited judges), a charter cost times the charter share
#: and the gross-up (both 1: every removal priced at AAF's figure).
PER_PERSON: dict[str, Callable[[dict[str, Setting]], float]] = {
    "immigration_court_cost_per_judge_year": lambda s: 1 / s["cases_per_judge_year"].value,
    "charter_cost_per_person": lambda s: (
        s["charter_removal_share"].value * s["transport_to_charter_cost_ratio"].value),
}


@pytest.mark.parametrize("case", ["low", "high"])
def test_calibration_costs_are_back_solved_from_aaf(case: str) -> None:
    sc = load_scenario(f"calibration/aaf_2015_{case}")
    s = sc.settings()
    assert s["removable_population"].value * (1 - s["self_departure_share"].value) == AAF_PEOPLE
    assert s["removal_program_years"].value == 20
    assert (sc.start_year, sc.years, sc.dollar_year, sc.discount_rate) == (2016, 20, 2015, 0.0)
    assert math.isinf(s["immigration_judges"].value)
    assert (s["charter_removal_share"].value, s["transport_to_charter_cost_ratio"].value) == (1, 1)
    assert (s["legal_cost_per_case"].value, s["bed_day_cost_real_growth"].value) == (0, 0)
    total = 0.0
    for name, published in AAF.items():
        assert s[name].dollar_year == 2015
        assert s[name].dist is None
        # a per-person figure times 8.96M people gives AAF's component to its rounding
        per_person = s[name].value * PER_PERSON.get(name, lambda _: 1.0)(s)
        assert per_person * AAF_PEOPLE == pytest.approx(published[case], abs=0.05e9)
        total += per_person * AAF_PEOPLE
    assert total == pytest.approx({"low": 103.9e9, "high": 303.7e9}[case], abs=0.1e9)
    assert sc.provisions == ("removals",)


# -- extends and baselines -----------------------------------------------------------------------
def test_extends_inherits_then_overrides(write_toml: WriteToml) -> None:
    parent = write_toml(
        '[scenario]\nname = "parent"\ndescription = "p"\nyears = 20\nstart_year = 2018\n'
        'provisions = ["hiring", "removals"]\n'
        "[parameters]\nero_officers_added = 1000\nattrition_rate = 0.04\n"
        '[run]\ndraws = 64\nsampler = "lhs"\n',
        "parent.toml",
    )
    child = write_toml(
        '[scenario]\nname = "child"\nextends = "parent.toml"\nyears = 5\n'
        "[parameters]\nattrition_rate = 0.06\ndetention_beds = inf\n[run]\nseed = 7\n",
        "child.toml",
    )
    sc = load_scenario(child)
    assert (sc.name, sc.description, sc.years, sc.start_year) == ("child", "p", 5, 2018)
    assert sc.provisions == ("hiring", "removals")
    assert sc.run == RunConfig(draws=64, seed=7, sampler="lhs")
    assert sc.parameters["ero_officers_added"] == Setting(1000.0, None, None, str(parent))
    assert sc.parameters["attrition_rate"] == Setting(0.06, None, None, str(child))
    assert math.isinf(sc.parameters["detention_beds"].value)
    assert sc.settings()["bed_day_cost"].source == "registry"
    assert sc.baseline is None


def test_extends_a_shipped_scenario_by_name_keeps_its_baseline(write_toml: WriteToml) -> None:
    path = write_toml('[scenario]\nname = "mine"\nextends = "eo13768"\n')
    sc = load_scenario(path)
    assert sc.parameters["detention_beds"].value == 51379  # from eo13768.toml
    assert sc.baseline is not None
    assert sc.baseline.path == shipped_scenarios()["pre_eo_2016"]


def test_baseline_relative_to_the_file_wins_over_a_shipped_name(write_toml: WriteToml) -> None:
    write_toml('[scenario]\nname = "my own baseline"\n', "sub/pre_eo_2016.toml")
    path = write_toml('[scenario]\nname = "policy"\nbaseline = "pre_eo_2016.toml"\n', "sub/p.toml")
    sc = load_scenario(path)
    assert sc.baseline is not None
    assert sc.baseline.name == "my own baseline"


@pytest.mark.parametrize("ref", ["pre_eo_2016", "pre_eo_2016.toml", "calibration/aaf_2015_low"])
def test_baseline_by_shipped_name(write_toml: WriteToml, ref: str) -> None:
    sc = load_scenario(write_toml(f'{HEAD}baseline = "{ref}"\n'))
    assert sc.baseline is not None
    assert sc.baseline.path == shipped_scenarios()[ref.removesuffix(".toml")]


def test_baseline_relative_path_in_another_directory(write_toml: WriteToml) -> None:
    write_toml('[scenario]\nname = "base"\n', "bases/b.toml")
    sc = load_scenario(write_toml(f'{HEAD}baseline = "../bases/b.toml"\n', "policies/p.toml"))
    assert sc.baseline is not None
    assert sc.baseline.name == "base"


def test_baseline_is_resolved_relative_to_the_file_that_names_it(write_toml: WriteToml) -> None:
    write_toml('[scenario]\nname = "base"\n', "lib/base.toml")
    write_toml('[scenario]\nname = "lib parent"\nbaseline = "base.toml"\n', "lib/parent.toml")
    sc = load_scenario(write_toml('[scenario]\nname = "c"\nextends = "lib/parent.toml"\n'))
    assert sc.baseline is not None
    assert sc.baseline.name == "base"


def test_load_by_shipped_name_with_or_without_suffix() -> None:
    assert load_scenario("eo13768") == load_scenario("eo13768.toml")


def test_extends_cycle(write_toml: WriteToml) -> None:
    a = write_toml('[scenario]\nname = "a"\nextends = "b.toml"\n', "a.toml")
    write_toml('[scenario]\nname = "b"\nextends = "a.toml"\n', "b.toml")
    problem = only_problem(a)
    assert (problem.key, problem.rule) == ("[scenario] extends", "extends itself (a cycle)")
    assert problem.value == "a.toml -> b.toml -> a.toml"
    assert problem.file == str(a)


def test_extends_itself(write_toml: WriteToml) -> None:
    a = write_toml('[scenario]\nname = "a"\nextends = "a.toml"\n', "a.toml")
    assert only_problem(a).value == "a.toml -> a.toml"


def test_baseline_cycle(write_toml: WriteToml) -> None:
    a = write_toml('[scenario]\nname = "a"\nbaseline = "b.toml"\n', "a.toml")
    b = write_toml('[scenario]\nname = "b"\nbaseline = "a.toml"\n', "b.toml")
    problem = only_problem(a)
    assert problem == Problem(
        str(b), "[scenario] baseline", "a scenario cannot be its own baseline (a cycle)", "a.toml"
    )


def test_own_baseline(write_toml: WriteToml) -> None:
    a = write_toml(f'{HEAD}baseline = "s.toml"\n')
    assert only_problem(a).rule == "a scenario cannot be its own baseline (a cycle)"


@pytest.mark.parametrize("key", ["extends", "baseline"])
def test_missing_reference(write_toml: WriteToml, key: str) -> None:
    path = write_toml(f'{HEAD}{key} = "nowhere.toml"\n')
    assert only_problem(path) == Problem(
        str(path),
        f"[scenario] {key}",
        "no such file (relative to this file) or shipped scenario",
        "nowhere.toml",
    )


@pytest.mark.parametrize("key", ["extends", "baseline"])
def test_reference_with_an_impossible_name(write_toml: WriteToml, key: str) -> None:
    ref = "x" * 5000  # longer than any file name the OS accepts
    problem = only_problem(write_toml(f'{HEAD}{key} = "{ref}"\n'))
    assert problem.rule == "no such file (relative to this file) or shipped scenario"


def test_problems_in_a_parent_name_the_parent(write_toml: WriteToml) -> None:
    parent = write_toml('[scenario]\nname = "p"\nyears = 0\n', "parent.toml")
    child = write_toml('[scenario]\nname = "c"\nextends = "parent.toml"\n', "child.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    [problem] = info.value.problems
    assert problem.file == str(parent)
    assert str(info.value).startswith(f"1 problem in {parent}:")


def test_a_parent_value_overridden_by_the_child_is_still_checked(write_toml: WriteToml) -> None:
    parent = write_toml('[scenario]\nname = "p"\n[parameters]\nattrition_rate = 5\n', "parent.toml")
    child = write_toml(
        '[scenario]\nname = "c"\nextends = "parent.toml"\n[parameters]\nattrition_rate = 0.1\n',
        "child.toml",
    )
    assert only_problem(child) == Problem(
        str(parent), "[parameters] attrition_rate", "must be within [0, 1]", 5
    )


# -- files ---------------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.rule == (
        "file not found (nor a shipped scenario: " + ", ".join(shipped_scenarios()) + ")"
    )
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: file not found")):
        load_scenario(path)


def test_a_directory(tmp_path: Path) -> None:
    assert only_problem(tmp_path) == Problem(
        str(tmp_path), "", "is a directory, not a scenario file"
    )


def test_invalid_toml(write_toml: WriteToml) -> None:
    path = write_toml('[scenario]\nname = "unterminated\n')
    problem = only_problem(path)
    assert problem.key == ""
    assert problem.rule.startswith("not valid TOML: ")
    assert problem.value is ...


def test_integer_too_long_for_python_is_invalid_toml(write_toml: WriteToml) -> None:
    path = write_toml(HEAD + "[parameters]\nero_officers_added = 1" + "0" * 5000 + "\n")
    assert only_problem(path).rule.startswith("not valid TOML: Exceeds the limit")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[scenario]\nname = "Pr\xe9"\n')
    assert only_problem(path).rule.startswith("not UTF-8 text: ")


# -- every validation rule, exact messages ------------------------------------------------------
CASES: list[tuple[str, str, str, Any]] = [
    # (file body after HEAD, key, rule, value)
    ("years = 0", "[scenario] years", "must be a whole number from 1 to 100", 0),
    ("years = 101", "[scenario] years", "must be a whole number from 1 to 100", 101),
    ("years = 10.0", "[scenario] years", "must be a whole number from 1 to 100", 10.0),
    ("years = true", "[scenario] years", "must be a whole number from 1 to 100", True),
    ("start_year = 1999", "[scenario] start_year", "must be a whole year from 2000 to 2100", 1999),
    (
        "dollar_year = 2101",
        "[scenario] dollar_year",
        "must be a whole year from 2000 to 2100",
        2101,
    ),
    (
        'dollar_year = "nominal"',
        "[scenario] dollar_year",
        "must be a whole year from 2000 to 2100",
        "nominal",
    ),
    ("discount_rate = 2", "[scenario] discount_rate", "must be within [-0.5, 1]", 2),
    ('discount_rate = "3%"', "[scenario] discount_rate", "must be a number", "3%"),
    ("discount_rate = nan", "[scenario] discount_rate", "must be a number, not NaN", math.nan),
    (
        "discount_rate = inf",
        "[scenario] discount_rate",
        "must be finite (only capacities accept inf)",
        math.inf,
    ),
    (
        "discount_rate = 1" + "0" * 400,
        "[scenario] discount_rate",
        "must be finite (only capacities accept inf)",
        10**400,
    ),
    ("description = 3", "[scenario] description", "must be a string", 3),
    ("provisions = []", "[scenario] provisions", "must be a non-empty list of provision names", []),
    (
        'provisions = "hiring"',
        "[scenario] provisions",
        "must be a non-empty list of provision names",
        "hiring",
    ),
    (
        'provisions = ["hiring", 3]',
        "[scenario] provisions",
        "must be a non-empty list of provision names",
        ["hiring", 3],
    ),
    (
        'provisions = ["hirng"]',
        "[scenario] provisions",
        f"unknown provision (did you mean 'hiring'?); known: {KNOWN_PROVISIONS}",
        "hirng",
    ),
    (
        'provisions = ["hiring", "hiring"]',
        "[scenario] provisions",
        "must not repeat a provision",
        ["hiring", "hiring"],
    ),
    ("extends = 5", "[scenario] extends", "must be a file name", 5),
    ("baseline = [1]", "[scenario] baseline", "must be a file name", [1]),
    (
        "start_yaer = 2017",
        "[scenario] start_yaer",
        "unknown key (did you mean 'start_year'?)",
        2017,
    ),
    ('colour = "red"', "[scenario] colour", "unknown key", "red"),
    ("[run]\ndraws = 0", "[run] draws", DRAWS_RULE, 0),
    ("[run]\ndraws = 1e3", "[run] draws", DRAWS_RULE, 1000.0),
    ("[run]\ndraws = 1_000_000_000_000", "[run] draws", DRAWS_RULE, 10**12),
    ("[run]\ndraws = 1_073_741_825", "[run] draws", DRAWS_RULE, 2**30 + 1),
    ("[run]\nseed = -1", "[run] seed", "must be a whole number >= 0", -1),
    ('[run]\nsampler = "mc"', "[run] sampler", "must be one of sobol, lhs, random", "mc"),
    ("[run]\nsampler = [1]", "[run] sampler", "must be one of sobol, lhs, random", [1]),
    ("[run]\nsampelr = 1", "[run] sampelr", "unknown key (did you mean 'sampler'?)", 1),
    (
        "[paramters]\nx = 1",
        "[paramters]",
        "unknown table (did you mean 'parameters'?); a scenario file has appropriations, "
        "correlation, parameters, run, scenario",
        ...,
    ),
    (
        "[extra]",
        "[extra]",
        "unknown table; a scenario file has appropriations, correlation, parameters, run, "
        "scenario",
        ...,
    ),
    ("[[parameters]]\nx = 1", "[parameters]", "must be a table", [{"x": 1}]),
    # [parameters]
    (
        "[parameters]\nero_oficers_added = 1",
        "[parameters] ero_oficers_added",
        "unknown parameter (did you mean 'ero_officers_added'?)",
        1,
    ),
    ("[parameters]\nzzz = 1", "[parameters] zzz", "unknown parameter", 1),
    (
        "[parameters]\nice_budget_baseline = 5",
        "[parameters] ice_budget_baseline",
        "is a reference figure (a cross-check), not a model input",
        5,
    ),
    (
        "[parameters]\nattrition_rate = 1.5",
        "[parameters] attrition_rate",
        "must be within [0, 1]",
        1.5,
    ),
    (
        "[parameters]\nattrition_rate = nan",
        "[parameters] attrition_rate",
        "must be a number, not NaN",
        math.nan,
    ),
    (
        "[parameters]\nbed_day_cost = inf",
        "[parameters] bed_day_cost",
        "must be finite (only capacities accept inf)",
        math.inf,
    ),
    (
        "[parameters]\ndetention_beds = -inf",
        "[parameters] detention_beds",
        "must be within [0, inf]",
        -math.inf,
    ),
    (
        "[parameters]\nbed_day_cost = 1" + "0" * 400,
        "[parameters] bed_day_cost",
        "must be finite (only capacities accept inf)",
        10**400,
    ),
    (
        "[parameters]\nbed_day_cost = -1" + "0" * 400,
        "[parameters] bed_day_cost",
        "must be within [0, inf]",
        -(10**400),
    ),
    (
        "[parameters]\nvoice_staff = true",
        "[parameters] voice_staff",
        "must be a number or a table {value=...}, {dist=...} or {by_year=...}",
        True,
    ),
    (
        '[parameters]\nvoice_staff = "many"',
        "[parameters] voice_staff",
        "must be a number or a table {value=...}, {dist=...} or {by_year=...}",
        "many",
    ),
    (
        "[parameters]\nvoice_staff = [1, 2]",
        "[parameters] voice_staff",
        "must be a number or a table {value=...}, {dist=...} or {by_year=...}",
        [1, 2],
    ),
    (
        "[parameters]\nvoice_staff = { value = true }",
        "[parameters] voice_staff.value",
        "must be a number (FTE)",
        True,
    ),
    (
        "[parameters]\nvoice_staff = { value = { a = 1 } }",
        "[parameters] voice_staff.value",
        "must be a number (FTE)",
        {"a": 1},
    ),
    (
        "[parameters]\nvoice_staff = { value = -1 }",
        "[parameters] voice_staff.value",
        "must be within [0, inf]",
        -1,
    ),
    ("[parameters]\nreport_cost = {}", "[parameters] report_cost", "needs 'value' or 'dist'", {}),
    (
        "[parameters]\nreport_cost = { vlaue = 3 }",
        "[parameters] report_cost.vlaue",
        "unknown key (a setting takes value, dollar_year, or dist and its keys) "
        "(did you mean 'value'?)",
        3,
    ),
    (
        "[parameters]\ndetention_share = { value = 0.5, dollar_year = 2015 }",
        "[parameters] detention_share.dollar_year",
        "only money parameters take one (unit of detention_share is 'share')",
        2015,
    ),
    (
        "[parameters]\nreport_cost = { value = 1, dollar_year = 1990 }",
        "[parameters] report_cost.dollar_year",
        "must be a whole year from 2000 to 2100, or 'nominal'",
        1990,
    ),
    (
        '[parameters]\nreport_cost = { value = 1, dollar_year = "2017" }',
        "[parameters] report_cost.dollar_year",
        "must be a whole year from 2000 to 2100, or 'nominal'",
        "2017",
    ),
    # distributions: the distribution's own rules, keyed by the spec's key
    (
        '[parameters]\natd_days = { dist = "uniform", low = 2 }',
        "[parameters] atd_days.high",
        "required for a uniform distribution",
        ...,
    ),
    (
        '[parameters]\natd_days = { dist = "beta" }',
        "[parameters] atd_days.dist",
        "must be one of discrete, lognormal, normal, pert, triangular, uniform",
        "beta",
    ),
    (
        '[parameters]\natd_days = { dist = ["pert"] }',
        "[parameters] atd_days.dist",
        "must be one of discrete, lognormal, normal, pert, triangular, uniform",
        ["pert"],
    ),
    (
        '[parameters]\natd_days = { dist = "uniform", low = 1, high = 2, mode = 1 }',
        "[parameters] atd_days.mode",
        "not a key of a uniform distribution (allowed: high, low)",
        1,
    ),
    (
        '[parameters]\natd_days = { dist = "uniform", low = "a", high = 2 }',
        "[parameters] atd_days.low",
        "must be a number",
        "a",
    ),
    (
        '[parameters]\natd_days = { dist = "uniform", low = { x = 1 }, high = 2 }',
        "[parameters] atd_days.low",
        "must be a number",
        {"x": 1},
    ),
    (
        '[parameters]\natd_days = { dist = "pert", low = 1, mode = 5, high = 4 }',
        "[parameters] atd_days.mode",
        "must be within [low, high] = [1.0, 4.0]",
        5.0,
    ),
    (
        '[parameters]\natd_days = { dist = "lognormal", ci90 = [1, 1' + "0" * 400 + "] }",
        "[parameters] atd_days.ci90",
        "must be finite",
        [1, 10**400],
    ),
    # a distribution reaching outside the parameter's bounds
    (
        '[parameters]\ntraining_weeks = { dist = "pert", low = 10, mode = 30, high = 60 }',
        "[parameters] training_weeks",
        "distribution reaches 60, which must be within [0, 52]",
        {"dist": "pert", "low": 10.0, "mode": 30.0, "high": 60.0},
    ),
    (
        '[parameters]\nbed_day_cost = { dist = "normal", mean = 100, sd = 100 }',
        "[parameters] bed_day_cost",
        f"distribution reaches {100 - 100 * 1.6448536269514722:g}, which must be within [0, inf]",
        {"dist": "normal", "mean": 100.0, "sd": 100.0},
    ),
    (
        '[parameters]\nbed_day_cost = { dist = "normal", mean = 1e308, sd = 1e308, low = 0 }',
        "[parameters] bed_day_cost",
        "distribution reaches inf, which must be finite (only capacities accept inf)",
        {"dist": "normal", "mean": 1e308, "sd": 1e308, "low": 0.0},
    ),
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b) and type(a) is type(b)


@pytest.mark.parametrize(
    ("body", "key", "rule", "value"), CASES, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)]
)
def test_validation_rule(write_toml: WriteToml, body: str, key: str, rule: str, value: Any) -> None:
    path = write_toml(HEAD + body + "\n")
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: {key}: {rule}")) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert (problem.file, problem.key, problem.rule) == (str(path), key, rule)
    assert _same(problem.value, value), (problem.value, value)


def test_a_table_that_is_not_a_table(write_toml: WriteToml) -> None:
    path = write_toml('run = 5\n[scenario]\nname = "x"\n')
    assert only_problem(path) == Problem(str(path), "[run]", "must be a table", 5)


def test_name_is_required(write_toml: WriteToml) -> None:
    path = write_toml("[scenario]\nyears = 5\n")
    assert only_problem(path) == Problem(str(path), "[scenario] name", "required")


@pytest.mark.parametrize(
    ("text", "rule"),
    [('""', "must not be empty"), ('"  "', "must not be empty"), ("1", "must be a string")],
)
def test_name_must_be_a_nonempty_string(write_toml: WriteToml, text: str, rule: str) -> None:
    problem = only_problem(write_toml(f"[scenario]\nname = {text}\n"))
    assert (problem.key, problem.rule) == ("[scenario] name", rule)


def test_problem_prints_as_file_table_key_rule_value() -> None:
    p = Problem("a.toml", "[parameters] bed_day_cost", "must be within [0, inf]", -1)
    assert str(p) == "a.toml: [parameters] bed_day_cost: must be within [0, inf], got -1"
    assert str(Problem("a.toml", "", "file not found")) == "a.toml: file not found"
    assert str(Problem("a.toml", "[x] y", "required")) == "a.toml: [x] y: required"


def test_long_values_are_shortened_in_messages() -> None:
    text = str(Problem("a.toml", "[run] seed", "r", "x" * 1000))
    assert len(text) < 300
    assert text.endswith("(1002 characters)")
    huge = str(Problem("a.toml", "[run] seed", "r", 1 << 20_000))  # beyond int -> str limits
    assert huge == "a.toml: [run] seed: r, got <an integer of 20001 bits>"


def test_error_message_lists_every_problem() -> None:
    err = ScenarioError(
        [
            Problem("a.toml", "[scenario] years", "must be >= 1", 0),
            Problem("b.toml", "[run] seed", "must be >= 0", -1),
        ]
    )
    assert str(err) == (
        "2 problems in a.toml, b.toml:\n"
        "  a.toml: [scenario] years: must be >= 1, got 0\n"
        "  b.toml: [run] seed: must be >= 0, got -1"
    )
    assert isinstance(err, ValueError)


def test_a_file_with_many_mistakes_reports_all_of_them(write_toml: WriteToml) -> None:
    path = write_toml(
        '[scenario]\nname = ""\nstart_yaer = 2017\nyears = 0\ndollar_year = 1999\n'
        'provisions = ["hirng"]\nbaseline = "nowhere.toml"\n'
        "[paramters]\n"
        "[parameters]\nero_oficers_added = 1\nattrition_rate = 1.5\nbed_day_cost = inf\n"
        'voice_staff = "many"\natd_days = { dist = "uniform", low = 2 }\n'
        "report_cost = { value = 1, dollar_year = 1990 }\n"
        '[run]\ndraws = 0\nseed = -1\nsampler = "mc"\n'
    )
    found = problems_of(path)
    assert {p.file for p in found} == {str(path)}
    assert sorted(rules(found)) == sorted(
        [
            (
                "[paramters]",
                "unknown table (did you mean 'parameters'?); a scenario file has "
                "appropriations, correlation, parameters, run, scenario",
            ),
            ("[scenario] start_yaer", "unknown key (did you mean 'start_year'?)"),
            ("[scenario] name", "must not be empty"),
            ("[scenario] years", "must be a whole number from 1 to 100"),
            ("[scenario] dollar_year", "must be a whole year from 2000 to 2100"),
            (
                "[scenario] provisions",
                f"unknown provision (did you mean 'hiring'?); known: {KNOWN_PROVISIONS}",
            ),
            ("[scenario] baseline", "no such file (relative to this file) or shipped scenario"),
            (
                "[parameters] ero_oficers_added",
                "unknown parameter (did you mean 'ero_officers_added'?)",
            ),
            ("[parameters] attrition_rate", "must be within [0, 1]"),
            ("[parameters] bed_day_cost", "must be finite (only capacities accept inf)"),
            ("[parameters] voice_staff",
             "must be a number or a table {value=...}, {dist=...} or {by_year=...}"),
            ("[parameters] atd_days.high", "required for a uniform distribution"),
            (
                "[parameters] report_cost.dollar_year",
                "must be a whole year from 2000 to 2100, or 'nominal'",
            ),
            ("[run] draws", DRAWS_RULE),
            ("[run] seed", "must be a whole number >= 0"),
            ("[run] sampler", "must be one of sobol, lhs, random"),
        ]
    )
    with pytest.raises(ScenarioError, match=r"^16 problems in "):
        load_scenario(path)


def test_problems_in_scenario_and_baseline_are_reported_together(write_toml: WriteToml) -> None:
    base = write_toml('[scenario]\nname = "b"\nyears = 0\n', "b.toml")
    policy = write_toml('[scenario]\nname = "p"\nbaseline = "b.toml"\n[run]\ndraws = 0\n', "p.toml")
    found = problems_of(policy)
    assert sorted((p.file, p.key) for p in found) == [
        (str(base), "[scenario] years"),
        (str(policy), "[run] draws"),
    ]


# -- values: dollar years, inf, distributions --------------------------------------------------
def test_dollar_year_on_a_parameter(write_toml: WriteToml) -> None:
    sc = load_scenario(
        write_toml(
            HEAD + "[parameters]\n"
            "apprehension_cost_per_arrest = { value = 18310, dollar_year = 2008 }\n"
            'report_cost = { value = 1, dollar_year = "nominal" }\nbed_day_cost = 140\n'
            'legal_cost_per_case = { dist = "uniform", low = 800, high = 1600, '
            "dollar_year = 2010 }\n"
        )
    )
    s = sc.settings()
    assert (
        s["apprehension_cost_per_arrest"].value,
        s["apprehension_cost_per_arrest"].dollar_year,
    ) == (18310.0, 2008)
    assert s["report_cost"].dollar_year == "nominal"
    assert s["bed_day_cost"].dollar_year == registry()["bed_day_cost"].dollar_year == 2017
    assert s["legal_cost_per_case"].dollar_year == 2010
    assert s["legal_cost_per_case"].value == 1200.0  # the uniform's central value
    assert s["ero_officers_added"].dollar_year is None


@pytest.mark.parametrize(
    "name",
    [
        "hires_per_year_max",
        "at_large_arrests_per_officer_year",
        "detention_beds",
        "immigration_judges",
        "removal_program_years",
    ],
)
def test_capacities_accept_inf(write_toml: WriteToml, name: str) -> None:
    sc = load_scenario(write_toml(f"{HEAD}[parameters]\n{name} = inf\n"))
    assert math.isinf(sc.parameters[name].value)
    # an integer beyond the float range is inf too
    sc = load_scenario(write_toml(f"{HEAD}[parameters]\n{name} = 1{'0' * 400}\n"))
    assert math.isinf(sc.parameters[name].value)


@pytest.mark.parametrize(
    "name", [n for n, p in registry().items() if p.role == "input" and not p.allow_inf]
)
def test_inf_is_refused_elsewhere(write_toml: WriteToml, name: str) -> None:
    path = write_toml(f"{HEAD}[parameters]\n{name} = inf\n")
    problem = only_problem(path)
    assert problem.rule == "must be finite (only capacities accept inf)"


def test_value_and_dist_together(write_toml: WriteToml) -> None:
    sc = load_scenario(
        write_toml(
            HEAD + '[parameters]\nbed_day_cost = { value = 130, dist = "triangular", low = 126, '
            "mode = 133, high = 164 }\n"
        )
    )
    s = sc.parameters["bed_day_cost"]
    assert s.value == 130.0
    assert s.dist == Distribution("triangular", {"low": 126.0, "mode": 133.0, "high": 164.0})
    assert sc.uncertain().count("bed_day_cost") == 1


# -- Scenario built in code ----------------------------------------------------------------------
def test_scenario_in_code_uses_plain_values() -> None:
    sc = Scenario(
        name="half",
        parameters={
            "ero_officers_added": 5000,
            "bed_day_cost": {"dist": "triangular", "low": 126, "mode": 133, "high": 164},
        },
    )
    assert sc.parameters["ero_officers_added"] == Setting(5000.0, None, None, "<code>")
    assert sc.parameters["bed_day_cost"].value == 133.0
    assert sc.provisions == PROVISIONS
    assert sc.discount_rate == registry()["discount_rate"].value
    assert sc.path is None


@pytest.mark.parametrize(
    ("kwargs", "key", "rule", "value"),
    [
        ({"years": 0}, "[scenario] years", "must be a whole number from 1 to 100", 0),
        ({"name": 5}, "[scenario] name", "must be a string", 5),
        ({"discount_rate": "x"}, "[scenario] discount_rate", "must be a number", "x"),
        (
            {"provisions": None},
            "[scenario] provisions",
            "must be a non-empty list of provision names",
            None,
        ),
        (
            {"provisions": "hiring"},
            "[scenario] provisions",
            "must be a non-empty list of provision names",
            "hiring",
        ),
        (
            {"parameters": {"bed_day_cost": -1}},
            "[parameters] bed_day_cost",
            "must be within [0, inf]",
            -1,
        ),
        ({"parameters": {3: 1}}, "[parameters] 3", "a parameter name must be a string", 1),
        (
            {"parameters": {"bogus": Setting(1.0)}},
            "[parameters] bogus",
            "unknown parameter",
            Setting(1.0),
        ),
        (
            {"parameters": {"attrition_rate": Setting(2.0)}},
            "[parameters] attrition_rate.value",
            "must be within [0, 1]",
            2.0,
        ),
        ({"parameters": [1]}, "[parameters]", "must be a table", [1]),
        ({"run": {"draws": 5}}, "[run]", "must be a RunConfig", {"draws": 5}),
        ({"run": RunConfig(draws=0)}, "[run] draws", DRAWS_RULE, 0),
        (
            {"baseline": "pre_eo_2016"},
            "[scenario] baseline",
            "must be a Scenario or None",
            "pre_eo_2016",
        ),
    ],
)
def test_scenario_in_code_is_checked_like_a_file(
    kwargs: dict[str, Any], key: str, rule: str, value: Any
) -> None:
    with pytest.raises(ScenarioError, match=re.escape(f"<code>: {key}: {rule}")) as info:
        Scenario(name=kwargs.pop("name", "x"), **kwargs)
    [problem] = info.value.problems
    assert problem == Problem("<code>", key, rule, value)


def test_scenario_in_code_with_an_out_of_range_distribution_setting() -> None:
    dist = Distribution("uniform", {"low": 0.5, "high": 1.5})
    with pytest.raises(ScenarioError) as info:
        Scenario(name="x", parameters={"attrition_rate": Setting(0.6, dist)})
    assert rules(info.value.problems) == [
        ("[parameters] attrition_rate", "distribution reaches 1.5, which must be within [0, 1]")
    ]


def test_replace_merges_parameters_and_checks() -> None:
    sc = load_scenario("eo13768")
    half = sc.replace(parameters={"ero_officers_added": 5000}, years=5)
    assert half.parameters["ero_officers_added"].value == 5000.0
    assert half.parameters["detention_beds"] == sc.parameters["detention_beds"]  # kept
    assert half.years == 5
    assert half.baseline == sc.baseline
    assert "ero_officers_added" not in sc.parameters  # the original is unchanged
    # what comes from code is sourced and reported as "<code>", not as the file
    assert half.parameters["ero_officers_added"].source == "<code>"
    assert half.parameters["detention_beds"].source == str(sc.path)
    assert half.path == sc.path
    assert sc.replace(run=RunConfig(draws=8)).run == RunConfig(draws=8)
    assert sc.replace(baseline=None).baseline is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"parameters": {"attrition_rate": 2}},
            Problem("<code>", "[parameters] attrition_rate", "must be within [0, 1]", 2),
        ),
        (
            {"years": 0},
            Problem("<code>", "[scenario] years", "must be a whole number from 1 to 100", 0),
        ),
        ({"parameters": [1]}, Problem("<code>", "[parameters]", "must be a table", [1])),
        ({"run": 5}, Problem("<code>", "[run]", "must be a RunConfig", 5)),
        (
            {"run": RunConfig(seed=-1)},
            Problem("<code>", "[run] seed", "must be a whole number >= 0", -1),
        ),
        (
            {"baseline": "pre_eo_2016"},
            Problem("<code>", "[scenario] baseline", "must be a Scenario or None", "pre_eo_2016"),
        ),
    ],
)
def test_replace_checks_changes_as_code(changes: dict[str, Any], problem: Problem) -> None:
    sc = load_scenario("eo13768")
    with pytest.raises(ScenarioError, match=re.escape(str(problem))) as info:
        sc.replace(**changes)
    assert info.value.problems == [problem]



def test_parameters_cannot_be_changed_in_place() -> None:
    """Settings change only through replace(), which checks them; a scenario still pickles."""
    import copy
    import pickle

    sc = Scenario(name="a", parameters={"ero_officers_added": 5000})
    with pytest.raises(TypeError, match="does not support item assignment"):
        sc.parameters["ero_officers_added"] = Setting(-1.0)  # type: ignore[index]
    with pytest.raises(AttributeError):
        sc.parameters.update({})  # type: ignore[attr-defined]
    for twin in (pickle.loads(pickle.dumps(sc)), copy.deepcopy(sc)):
        assert twin == sc
        with pytest.raises(TypeError, match="does not support item assignment"):
            twin.parameters["ero_officers_added"] = Setting(-1.0)  # type: ignore[index]
    wider = sc.replace(parameters={"bed_day_cost": 140})
    assert sorted(wider.parameters) == ["bed_day_cost", "ero_officers_added"]
    with pytest.raises(TypeError, match="does not support item assignment"):
        wider.parameters["bed_day_cost"] = Setting(1.0)  # type: ignore[index]


@pytest.mark.parametrize("number", [np.int64(5000), np.int32(5000), np.float64(5000.0),
                                    np.float32(5000.0)])
def test_numpy_numbers_are_parameter_values(number: Any) -> None:
    sc = Scenario(name="a", parameters={
        "ero_officers_added": number,
        "bed_day_cost": {"value": np.int64(133)},
        "detention_share": {"dist": "triangular", "low": np.int64(0), "mode": 0.5,
                            "high": np.float64(1.0)},
    })
    assert sc.parameters["ero_officers_added"].value == 5000.0
    assert sc.parameters["bed_day_cost"].value == 133.0
    assert sc.parameters["detention_share"].dist == Distribution(
        "triangular", {"low": 0.0, "mode": 0.5, "high": 1.0})


@pytest.mark.parametrize("flag", [True, np.True_])
def test_a_bool_is_not_a_parameter_value(flag: Any) -> None:
    with pytest.raises(ScenarioError, match=r"ero_officers_added: must be a number or a table"):
        Scenario(name="a", parameters={"ero_officers_added": flag})

def test_fixed_drops_correlations_with_the_distributions() -> None:
    sc = load_scenario("eo13768").replace(correlations=[("voice_staff", "bed_day_cost", 0.5)])
    assert sc.correlations == (("bed_day_cost", "voice_staff", 0.5),)
    fixed = sc.fixed()
    assert fixed.correlations == ()
    assert fixed.uncertain() == []


def test_replace_checks_correlations_as_code() -> None:
    sc = load_scenario("eo13768")
    with pytest.raises(ScenarioError) as info:
        sc.replace(correlations=[("voice_staff", "bed_day_cost", 1.5)])
    assert [(p.file, p.key, p.rule) for p in info.value.problems] == [
        ("<code>", "[[correlation]] #1 rank", "must be a number strictly between -1 and 1")
    ]


def test_fixed_removes_every_distribution() -> None:
    sc = load_scenario("eo13768")
    assert sc.uncertain()
    assert sc.baseline is not None
    assert sc.baseline.uncertain()
    fixed = sc.fixed()
    assert fixed.uncertain() == []
    assert fixed.baseline is not None
    assert fixed.baseline.uncertain() == []
    central = {n: s.value for n, s in sc.settings().items()}
    assert {n: s.value for n, s in fixed.settings().items()} == central
    # the baseline keeps its own central values (FY2016 detainers, not the registry's)
    assert fixed.baseline.settings()["detainers_per_year"].value == 85_720
    assert sc.uncertain()  # the original keeps its distributions


# -- fuzz: only ever a Scenario or a ScenarioError -------------------------------------------------
def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)  # pragma: no cover


def _document(tables: dict[str, Any]) -> str:
    top = [f"{_key(k)} = {_toml(v)}" for k, v in tables.items() if not isinstance(v, dict)]
    body = []
    for name, table in tables.items():
        if isinstance(table, dict):
            body.append(f"[{_key(name)}]")
            body += [f"{_key(k)} = {_toml(v)}" for k, v in table.items()]
    return "\n".join(top + body) + "\n"


NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 2017, 1999, 2101, 0.5, 1e308, -1e308, 5e-324, 10**400]),
)
SCALARS = st.one_of(
    NUMBERS,
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from([*DIST_KINDS, "nominal", "sobol", "hiring", ""]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=8,
)
PARAM_NAMES = st.one_of(st.sampled_from(list(registry())), st.text(max_size=10))
SPEC_KEYS = st.sampled_from(
    [
        "value",
        "dollar_year",
        "dist",
        "low",
        "mode",
        "high",
        "mean",
        "sd",
        "ci90",
        "values",
        "weights",
        "vlaue",
    ]
)
SPECS = st.one_of(
    VALUES,
    st.dictionaries(SPEC_KEYS, st.one_of(NUMBERS, VALUES), max_size=6),
    st.builds(
        lambda kind, rest: {"dist": kind, **rest},
        st.sampled_from(list(DIST_KINDS)),
        st.dictionaries(SPEC_KEYS, st.one_of(NUMBERS, st.lists(NUMBERS, max_size=3)), max_size=4),
    ),
)
REFS = st.sampled_from(
    [
        "pre_eo_2016",
        "eo13768.toml",
        "s.toml",
        "other.toml",
        "missing.toml",
        "",
        ".",
        "/",
        "x" * 300,
        "sub/../other.toml",
        "a\x00b",
    ]
)
SCENARIO_TABLES = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.text(max_size=8), VALUES),
        "description": VALUES,
        "extends": st.one_of(REFS, VALUES),
        "baseline": st.one_of(REFS, VALUES),
        "start_year": st.one_of(st.integers(1990, 2110), VALUES),
        "years": st.one_of(st.integers(-2, 120), VALUES),
        "dollar_year": st.one_of(st.integers(1990, 2110), VALUES),
        "discount_rate": st.one_of(st.floats(-1, 2), VALUES),
        "provisions": st.one_of(
            st.lists(st.sampled_from([*PROVISIONS, "hirng"]), max_size=4), VALUES
        ),
        "extra": VALUES,
    },
)
RUN_TABLES = st.fixed_dictionaries(
    {}, optional={"draws": NUMBERS, "seed": NUMBERS, "sampler": SCALARS, "sampelr": VALUES}
)
DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "scenario": st.one_of(SCENARIO_TABLES, VALUES),
        "parameters": st.one_of(st.dictionaries(PARAM_NAMES, SPECS, max_size=5), VALUES),
        "run": st.one_of(RUN_TABLES, VALUES),
        "paramters": st.dictionaries(st.text(max_size=5), VALUES, max_size=2),
        "correlation": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "inputs": st.one_of(st.lists(PARAM_NAMES, max_size=3), VALUES),
                        "rank": st.one_of(NUMBERS, VALUES),
                        "extra": VALUES,
                    },
                ),
                max_size=3,
            ),
            VALUES,
        ),
    },
).map(_document)
SHIPPED_TEXT = shipped_scenarios()["eo13768"].read_text(encoding="utf-8")
MUTATED = st.builds(
    lambda i, j, junk: (SHIPPED_TEXT[:i] + junk + SHIPPED_TEXT[i + j :]).replace(
        'baseline = "pre_eo_2016.toml"', 'baseline = "pre_eo_2016"'
    ),
    st.integers(0, len(SHIPPED_TEXT)),
    st.integers(0, 40),
    st.text(max_size=20),
)
RAW = st.one_of(
    DOCUMENTS.map(str.encode),
    MUTATED.map(str.encode),
    st.binary(max_size=200),
    st.just(b"[parameters]\nx = 1" + b"0" * 5000 + b"\n"),
)


def _check_outcome(path: Path) -> None:
    """Load ``path``: a Scenario, or a ScenarioError of well-formed problems, nothing else."""
    try:
        sc = load_scenario(path)
    except ScenarioError as exc:
        error = exc
    else:
        assert isinstance(sc, Scenario)
        sc.settings()
        sc.fixed()
        return
    assert error.problems
    for p in error.problems:
        assert isinstance(p, Problem)
        assert isinstance(p.file, str)
        assert isinstance(p.key, str)
        assert isinstance(p.rule, str)
        assert p.rule
    assert str(error).splitlines()[0].startswith(f"{len(error.problems)} problem")


@pytest.mark.slow  # about 6 s: hypothesis builds large documents and writes two files each
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(main=RAW, other=RAW)
def test_fuzz_load_only_raises_scenario_error(tmp_path: Path, main: bytes, other: bytes) -> None:
    (tmp_path / "other.toml").write_bytes(other)
    path = tmp_path / "s.toml"
    path.write_bytes(main)
    _check_outcome(path)


@settings(max_examples=100, deadline=None)
@given(
    params=st.dictionaries(st.one_of(PARAM_NAMES, st.integers()), SPECS, max_size=4),
    years=VALUES,
    provisions=VALUES,
    correlations=st.one_of(
        VALUES, st.lists(st.tuples(PARAM_NAMES, PARAM_NAMES, NUMBERS), max_size=3)
    ),
)
def test_fuzz_scenario_in_code_only_raises_scenario_error(
    params: dict[Any, Any], years: Any, provisions: Any, correlations: Any
) -> None:
    try:
        Scenario(
            name="x",
            parameters=params,
            years=years,
            provisions=provisions,
            correlations=correlations,
        )
    except ScenarioError as exc:
        error = exc
    else:
        return
    assert all(p.file == "<code>" for p in error.problems)
    assert str(error).startswith(f"{len(error.problems)} problem")


def test_fuzz_helpers_write_valid_toml(tmp_path: Path) -> None:
    doc = _document(
        {
            "scenario": {"name": "n", "years": 3},
            "parameters": {
                "bed_day_cost": {"dist": "uniform", "low": 1, "high": 2.5},
                "detention_beds": math.inf,
            },
        }
    )
    path = tmp_path / "ok.toml"
    path.write_text(doc, encoding="utf-8")
    sc = load_scenario(path)
    assert sc.years == 3
    assert math.isinf(sc.parameters["detention_beds"].value)


# keep the package namespace honest: the loader's public names are re-exported
def test_public_names() -> None:
    assert ec.load_scenario is load_scenario
    assert ec.Scenario is Scenario
    assert ec.shipped_scenarios is shipped_scenarios
