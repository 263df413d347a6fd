"""Appropriations buy capacity (issue #15): a scenario's ``[appropriations]`` tables, their
budget authority spent out into outlays by a stated rule, the outlays as the settings of the
``appropriation_outlays_<account>`` inputs, and what the pipeline buys with them.

References are computed by hand here, independently of ``scenario/_appropriations.py``:
the spend-out of a CBO profile, of ``"even"`` and of ``"annual"`` money; the outlays of the
shipped revival scenario from its TOML and the data file; the funded beds, officers and judges
from the unit costs (the formulas of ``provisions/pipeline.py``'s notes); every error a
scenario file can make in an ``[appropriations]`` table, and the command line's exit 2.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import enforcecost as ec
from enforcecost import Problem, ScenarioError, load_scenario
from enforcecost.cli import main
from enforcecost.provisions import Flows, run_pipeline
from enforcecost.registry import cpi_u
from enforcecost.scenario import ACCOUNTS, Appropriation, budget_table
from enforcecost.scenario._appropriations import outlay_settings, parse_appropriations

WriteToml = Callable[..., Path]

PACKAGE = Path(ec.__file__).resolve().parent
DATA = PACKAGE / "data" / "appropriations_2025.toml"
REVIVAL = PACKAGE / "data" / "scenarios" / "revival_2025" / "revival_as_enacted.toml"
#: The CBO profile of the House Judiciary title (data file, [spend_out.cbo_house_judiciary_2025]),
#: written out here so that a change to the data shows up as a failure.
JUDICIARY = (0.0, 0.083801, 0.134406, 0.192727, 0.239597, 0.17748, 0.11153, 0.043455, 0.005651)
#: A window of the revival's shape, FY2025-FY2034, in 2025 dollars.
HEAD = """\
[scenario]
name = "appropriations test"
start_year = 2025
years = 10
dollar_year = 2025
"""
WINDOW = range(2025, 2035)
INPUTS = {n: p for n, p in ec.registry().items() if p.role == "input"}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def _one(spec: Mapping[str, Any], name: str = "a") -> Appropriation:
    """One appropriation table, checked and resolved (no problems expected)."""
    apps, problems = parse_appropriations({name: spec}, "test.toml")
    assert problems == []
    [app] = apps
    return app


def _approx(got: Mapping[int, float], expected: Mapping[int, float]) -> None:
    """The same years, each amount to rounding (1e-12 relative)."""
    assert sorted(got) == sorted(expected)
    for year, amount in expected.items():
        assert got[year] == pytest.approx(amount, rel=1e-12, abs=1e-6), year


# -- (a) the spend-out arithmetic, by hand ----------------------------------------------------

def test_the_judiciary_profile_is_the_data_files(data: dict[str, Any]) -> None:
    assert tuple(data["spend_out"]["cbo_house_judiciary_2025"]["fractions"]) == JUDICIARY


def test_a_cbo_profile_spends_out_by_hand() -> None:
    app = _one({"account": "detention", "budget_authority": {"2025": 100e6},
                "spend_out": "cbo_house_judiciary_2025", "source": "test"})
    # 100 million x each fraction, FY2025 on: 0, 100e6 x 0.083801 = 8,380,100, ...
    _approx(app.outlays(), {
        2025: 0.0, 2026: 8_380_100.0, 2027: 13_440_600.0, 2028: 19_272_700.0,
        2029: 23_959_700.0, 2030: 17_748_000.0, 2031: 11_153_000.0, 2032: 4_345_500.0,
        2033: 565_100.0,
    })


def test_a_profile_starts_in_the_year_appropriated_and_takes_the_share() -> None:
    app = _one({"account": "personnel", "budget_authority": {"2026": 200e6}, "share": 0.25,
                "spend_out": "cbo_house_judiciary_2025", "source": "test"})
    assert app.budget_authority == ((2026, 50e6),)  # the share is applied to the BA
    # 200e6 x 0.25 = 50e6 outlaid from FY2026: 0, 50e6 x 0.083801 = 4,190,050, ...
    _approx(app.outlays(), {
        2026: 0.0, 2027: 4_190_050.0, 2028: 6_720_300.0, 2029: 9_636_350.0,
        2030: 11_979_850.0, 2031: 8_874_000.0, 2032: 5_576_500.0, 2033: 2_172_750.0,
        2034: 282_550.0,
    })


def test_even_spends_each_years_money_evenly_through_its_last_year() -> None:
    app = _one({"account": "courts", "budget_authority": {"2025": 90e6, "2027": 30e6},
                "available_through": 2029, "spend_out": "even", "source": "test"})
    # FY2025's 90 over FY2025-FY2029 (18 a year); FY2027's 30 over FY2027-FY2029 (10 a year)
    _approx(app.outlays(), {2025: 18e6, 2026: 18e6, 2027: 28e6, 2028: 28e6, 2029: 28e6})


def test_even_money_of_its_last_year_is_outlaid_in_that_year() -> None:
    app = _one({"account": "courts", "budget_authority": {"2029": 7e6},
                "available_through": 2029, "spend_out": "even", "source": "test"})
    assert app.outlays() == {2029: 7e6}


def test_annual_money_is_outlaid_in_its_year() -> None:
    app = _one({"account": "removal_operations", "budget_authority": {"2030": 5e9, "2032": 7e9},
                "share": 0.25, "spend_out": "annual", "source": "test"})
    assert app.outlays() == {2030: 1.25e9, 2032: 1.75e9}


def test_an_enacted_appropriation_takes_its_amount_and_availability(
    data: dict[str, Any],
) -> None:
    app = _one({"enacted": "pl119_21_sec90003_detention", "spend_out": "even"})
    enacted = data["appropriation"]["pl119_21_sec90003_detention"]
    assert enacted["budget_authority"] == {"2025": 45_000_000_000}
    assert enacted["available_through"] == 2029
    assert (app.account, app.budget_authority, app.available_through, app.law) == (
        "detention", ((2025, 45e9),), 2029, "P.L. 119-21 sec. 90003")
    _approx(app.outlays(), dict.fromkeys(range(2025, 2030), 9e9))  # 45 / 5


@pytest.mark.parametrize(
    ("rule", "extra", "fractions_sum"),
    [("cbo_house_judiciary_2025", {}, math.fsum(JUDICIARY)),
     ("even", {"available_through": 2031}, 1.0),
     ("annual", {}, 1.0)],
)
def test_outlays_sum_to_ba_times_share_times_the_fractions(
    rule: str, extra: dict[str, Any], fractions_sum: float,
) -> None:
    ba = {"2025": 3.0e9, "2027": 1.1e9, "2028": 0.7e9}
    app = _one({"account": "detention", "budget_authority": ba, "share": 0.6,
                "spend_out": rule, "source": "test", **extra})
    assert math.fsum(app.outlays().values()) == pytest.approx(
        (3.0e9 + 1.1e9 + 0.7e9) * 0.6 * fractions_sum, rel=1e-12)


# -- (b) the scenario's settings ---------------------------------------------------------------

def test_the_settings_are_each_accounts_summed_outlays_in_every_window_year(
    write_toml: WriteToml,
) -> None:
    path = write_toml(HEAD + """
[appropriations.beds]
account = "detention"
budget_authority = { 2026 = 40e6 }
available_through = 2029
spend_out = "even"
source = "test"

[appropriations.more_beds]
account = "detention"
budget_authority = { 2028 = 5e6, 2040 = 1e9 }
spend_out = "annual"
source = "test"

[appropriations.before_the_window]
account = "courts"
budget_authority = { 2023 = 30e6 }
available_through = 2025
spend_out = "even"
source = "test"
""")
    sc = load_scenario(path)
    beds = sc.parameters["appropriation_outlays_detention"]
    # 40 over FY2026-FY2029 (10 a year) plus 5 in FY2028; FY2040 is outside the window
    expected = dict.fromkeys(WINDOW, 0.0) | {2026: 10e6, 2027: 10e6, 2028: 15e6, 2029: 10e6}
    assert beds.schedule == tuple(expected.items())
    assert (beds.value, beds.dist, beds.dollar_year) == (1.0, None, "nominal")
    # money appropriated before the window counts where it is outlaid in it: 10 in FY2025
    courts = sc.parameters["appropriation_outlays_courts"]
    assert courts.schedule == tuple((dict.fromkeys(WINDOW, 0.0) | {2025: 10e6}).items())
    # accounts without an appropriation keep the registry's 0
    for name in ("appropriation_outlays_personnel", "appropriation_outlays_operations",
                 "appropriation_outlays_state_local"):
        assert name not in sc.parameters
        assert sc.settings()[name].value == 0.0
    assert [a.name for a in sc.appropriations] == ["beds", "more_beds", "before_the_window"]


def _hand_outlays(data: dict[str, Any], tables: Mapping[str, Any]) -> dict[str, dict[int, float]]:
    """Each account's outlays by fiscal year, from the scenario's tables and the data file."""
    out: dict[str, dict[int, float]] = {}
    for spec in tables.values():
        enacted = data["appropriation"].get(spec.get("enacted", ""), {})
        account = spec.get("account", enacted.get("account"))
        ba = spec.get("budget_authority", enacted.get("budget_authority"))
        share = spec.get("share", 1.0)
        rule = spec["spend_out"]
        for year, amount in ba.items():
            s = int(year)
            if rule == "annual":
                fractions = [1.0]
            elif rule == "even":
                n = spec.get("available_through", enacted.get("available_through")) - s + 1
                fractions = [1.0 / n] * n
            else:
                fractions = data["spend_out"][rule]["fractions"]
            acc = out.setdefault(account, {})
            for k, f in enumerate(fractions):
                acc[s + k] = acc.get(s + k, 0.0) + amount * share * f
    return out


@pytest.fixture(scope="module")
def revival() -> ec.Scenario:
    return load_scenario("revival_2025/revival_as_enacted")


def test_the_revival_settings_are_its_spend_out_by_hand(
    data: dict[str, Any], revival: ec.Scenario,
) -> None:
    with REVIVAL.open("rb") as fh:
        tables = tomllib.load(fh)["appropriations"]
    hand = _hand_outlays(data, tables)
    assert set(hand) == set(ACCOUNTS)
    for account, name in ACCOUNTS.items():
        setting = revival.parameters[name]
        assert setting.dollar_year == "nominal"
        assert setting.schedule is not None
        assert [y for y, _ in setting.schedule] == list(WINDOW)
        _approx(dict(setting.schedule), {y: hand[account].get(y, 0.0) for y in WINDOW})
    # nothing is outlaid in FY2025 (CBO's profiles start at 0: enacted in July 2025)
    assert all(dict(revival.parameters[n].schedule or ())[2025] == 0.0
               for n in ACCOUNTS.values())


def test_a_child_table_replaces_its_parents_of_the_same_name(revival: ec.Scenario) -> None:
    # revival_not_renewed sets the four renewal tables of revival_as_enacted to 0
    not_renewed = load_scenario("revival_2025/revival_not_renewed")
    renewal = {"appropriation_outlays_detention": 9.0e9,
               "appropriation_outlays_personnel": 3.619e9,
               "appropriation_outlays_operations": 8.566e9,
               "appropriation_outlays_courts": 0.666e9}
    for name, yearly in renewal.items():
        enacted = dict(revival.parameters[name].schedule or ())
        dropped = dict(not_renewed.parameters[name].schedule or ())
        for year in WINDOW:
            assert dropped[year] == pytest.approx(
                enacted[year] - (yearly if year >= 2030 else 0.0), rel=1e-12, abs=1e-3)


@pytest.fixture(scope="module")
def revival_result(revival: ec.Scenario) -> ec.Result:
    return ec.evaluate(revival)


def _line(result: ec.Result, provision: str, payer: str, basis: str) -> np.ndarray:
    """One ledger line's amounts by fiscal year (a deterministic run)."""
    lines = result.lines
    [i] = np.flatnonzero((lines["provision"] == provision) & (lines["payer"] == payer))
    return result.cube(basis)[0, :, i]


def test_operations_are_booked_as_the_nominal_outlays_deflated(
    revival: ec.Scenario, revival_result: ec.Result,
) -> None:
    # real = nominal x P[dollar year] / P[fiscal year]: the CPI-U, projected past its data
    # at the central inflation_projection (registry/_money.py, model/_values.py)
    schedule = np.array([v for _, v in revival.parameters["appropriation_outlays_operations"]
                         .schedule or ()])
    g = revival.settings()["inflation_projection"].value
    index = cpi_u()
    deflator = np.array([index.level(revival.dollar_year, g) / index.level(fy, g)
                         for fy in WINDOW])
    assert index.last_year < 2034  # years past the data are deflated too
    assert g > 0
    # the baseline (pre-2025 continuation) has no appropriations: the impact is the policy's
    real = _line(revival_result, "operations_2025", "federal", "real")
    np.testing.assert_allclose(real, schedule * deflator, rtol=1e-12, atol=0)
    np.testing.assert_allclose(_line(revival_result, "operations_2025", "federal", "nominal"),
                               schedule, rtol=1e-12, atol=0)
    assert schedule[0] == 0.0
    assert real[0] == 0.0
    assert schedule[1:].min() > 0


def test_reimbursement_is_a_transfer_that_nets_to_zero(
    revival: ec.Scenario, revival_result: ec.Result,
) -> None:
    schedule = np.array([v for _, v in revival.parameters["appropriation_outlays_state_local"]
                         .schedule or ()])
    paid = _line(revival_result, "reimbursement_2025", "federal", "nominal")
    received = _line(revival_result, "reimbursement_2025", "state_local", "nominal")
    np.testing.assert_allclose(paid, schedule, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(received, -paid)
    lines = revival_result.lines
    assert set(lines.loc[lines["provision"] == "reimbursement_2025", "kind"]) == {"transfer"}
    assert set(lines.loc[lines["provision"] == "operations_2025", "kind"]) == {"outlay"}


# -- (c) the pipeline: what the money buys -----------------------------------------------------

YEARS = 5


def _params(draws: int = 2, **overrides: Any) -> dict[str, np.ndarray]:
    """Every input at its registry central value, ``(draws, 1)``; overrides by name."""
    p = {n: np.full((draws, 1), float(q.value)) for n, q in INPUTS.items()}
    for name, value in overrides.items():
        a = np.asarray(value, dtype=np.float64)
        p[name] = a.reshape(draws, -1) if a.ndim else np.full((draws, 1), float(a))
    return p


def _money(draws: int, t: int, amount: float) -> np.ndarray:
    """A schedule ``(draws, YEARS)`` with ``amount`` in year ``t`` only."""
    m = np.zeros((draws, YEARS))
    m[:, t] = amount
    return m


@pytest.mark.parametrize("growth", [0.0, 0.5])
@pytest.mark.parametrize("t", [0, 3])
def test_detention_money_buys_beds_at_the_grown_bed_day_cost(growth: float, t: int) -> None:
    m, cost, lever = 1.3e9, 150.0, 41_500.0
    p = _params(appropriation_outlays_detention=_money(2, t, m), bed_day_cost=cost,
                bed_day_cost_real_growth=growth, detention_beds=lever)
    beds = run_pipeline(p, YEARS).detention_beds
    # growth 0.5: 1.5 ** t is exact, as is the product over the years before t
    assert (beds[:, t] == lever + m / (cost * (1.0 + growth) ** t * 365)).all()
    others = [y for y in range(YEARS) if y != t]
    assert (beds[:, others] == lever).all()


@pytest.mark.parametrize("cost", [0.0, 5e-324])
def test_money_at_a_degenerate_unit_cost_buys_nothing(cost: float) -> None:
    """A unit cost of zero, or one so small the quotient overflows, prices nothing: the
    capacity stays at the lever and every flow stays finite (no inf - inf downstream)."""
    money = _money(2, 1, 1.0e9)
    p = _params(appropriation_outlays_personnel=money, officer_annual_cost=cost,
                support_staff_annual_cost=cost, hires_per_year_max=np.inf,
                appropriation_outlays_detention=money, bed_day_cost=cost,
                appropriation_outlays_courts=money, immigration_court_cost_per_judge_year=cost)
    f = run_pipeline(p, YEARS)
    lever = INPUTS["ero_officers_baseline"].value + INPUTS["ero_officers_added"].value
    assert (f.officer_target == lever).all()
    assert (f.detention_beds == INPUTS["detention_beds"].value).all()
    assert (f.immigration_judges == INPUTS["immigration_judges"].value).all()
    for name in ("officers", "officer_years", "arrests", "detention_adp", "removals"):
        assert np.isfinite(getattr(f, name)).all(), name


def test_detention_money_at_the_registry_growth_rate() -> None:
    m = 2.0e9
    p = _params(appropriation_outlays_detention=_money(2, 4, m))
    cost, g = INPUTS["bed_day_cost"].value, INPUTS["bed_day_cost_real_growth"].value
    beds = run_pipeline(p, YEARS).detention_beds[:, 4]
    np.testing.assert_allclose(
        beds, INPUTS["detention_beds"].value + m / (cost * (1.0 + g) ** 4 * 365), rtol=1e-14)


def test_the_funded_beds_set_the_detention_capacity() -> None:
    # everyone arrested needs a bed, more than the beds: the ADP is the funded beds run over
    m = 1.095e9  # at 100 a bed-day: 30,000 more beds in year 2
    p = _params(appropriation_outlays_detention=_money(1, 2, m), bed_day_cost=100.0,
                bed_day_cost_real_growth=0.0, detention_beds=1000.0, detention_share=1.0,
                draws=1)
    flows = run_pipeline(p, YEARS)
    over = 1.0 + INPUTS["detention_overrun_share"].value
    assert flows.detention_beds[0, 2] == 1000.0 + 30_000.0
    assert (flows.detention_need_adp[0] > 31_000.0 * over).all()  # the beds bind every year
    assert flows.detention_adp[0, 2] == pytest.approx(31_000.0 * over, rel=1e-12)
    assert flows.detention_adp[0, 1] == pytest.approx(1000.0 * over, rel=1e-12)
    assert flows.detention_adp[0, 3] == pytest.approx(1000.0 * over, rel=1e-12)


@pytest.mark.parametrize("t", [0, 2])
def test_personnel_money_buys_officers_at_pay_plus_support(t: int) -> None:
    m, officer, support_per, support = 2.5e9, 139_000.0, 0.66, 120_000.0
    p = _params(appropriation_outlays_personnel=_money(2, t, m), officer_annual_cost=officer,
                support_staff_per_officer=support_per, support_staff_annual_cost=support,
                ero_officers_baseline=6000.0, ero_officers_added=500.0)
    flows = run_pipeline(p, YEARS)
    target = flows.officer_target
    assert (target[:, t] == 6500.0 + m / (officer + support_per * support)).all()
    assert (target[:, [y for y in range(YEARS) if y != t]] == 6500.0).all()
    # the hires fill the gap to the target, within the hiring cap
    assert (flows.hires[:, t] > 0).all()


@pytest.mark.parametrize(
    ("judges_max", "expected"),
    [(math.inf, 553.0 + 0.4e9 / 1.25e6),  # no cap: 553 + 320
     (900.0, 873.0),                       # a cap above it does not bind
     (800.0, 800.0)],                      # P.L. 119-21's cap binds
)
def test_courts_money_buys_judges_within_the_cap(judges_max: float, expected: float) -> None:
    p = _params(appropriation_outlays_courts=_money(2, 1, 0.4e9),
                immigration_court_cost_per_judge_year=1.25e6, immigration_judges=553.0,
                immigration_judges_max=judges_max)
    judges = run_pipeline(p, YEARS).immigration_judges
    assert (judges[:, 1] == expected).all()
    assert (judges[:, [0, 2, 3, 4]] == 553.0).all()


def test_the_judges_cap_binds_the_lever_too() -> None:
    p = _params(immigration_judges=900.0, immigration_judges_max=800.0)
    assert (run_pipeline(p, YEARS).immigration_judges == 800.0).all()


def test_unlimited_judges_stay_unlimited_with_money() -> None:
    p = _params(appropriation_outlays_courts=_money(2, 1, 0.4e9), immigration_judges=math.inf)
    assert np.isinf(run_pipeline(p, YEARS).immigration_judges).all()


def _same_flows(a: Flows, b: Flows) -> None:
    for f in fields(Flows):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


def test_zero_money_gives_the_same_flows_bit_for_bit() -> None:
    # the registry's 0 (no appropriation) and a schedule of zeros, for every account
    base = run_pipeline(_params(draws=3), YEARS)
    zeros = np.zeros((3, YEARS))
    scheduled = run_pipeline(_params(draws=3, **dict.fromkeys(ACCOUNTS.values(), zeros)), YEARS)
    _same_flows(base, scheduled)
    # ... and the capacities are the levers exactly
    assert (base.detention_beds == INPUTS["detention_beds"].value).all()
    assert (base.officer_target == INPUTS["ero_officers_baseline"].value
            + INPUTS["ero_officers_added"].value).all()
    assert (base.immigration_judges == INPUTS["immigration_judges"].value).all()


def test_a_scenario_with_zero_appropriations_has_the_same_bits(write_toml: WriteToml) -> None:
    eo = load_scenario("eo13768")
    assert eo.appropriations == ()  # every 2017 scenario has none
    tables = "".join(
        f'\n[appropriations.none_{acc}]\naccount = "{acc}"\n'
        f'budget_authority = {{ 2017 = 0, 2020 = 0 }}\nspend_out = "cbo_house_judiciary_2025"\n'
        f'source = "test"\n' for acc in ACCOUNTS)
    path = write_toml(f'[scenario]\nname = "zero"\nextends = "eo13768"\n{tables}')
    zero = load_scenario(path)
    assert len(zero.appropriations) == len(ACCOUNTS)
    a, b = ec.evaluate(eo), ec.evaluate(zero)
    for basis in ("real", "nominal", "pv"):
        np.testing.assert_array_equal(a.cube(basis), b.cube(basis))
    assert a.pipeline().equals(b.pipeline())


# -- (d) errors ------------------------------------------------------------------------------

PROFILES = "'even', 'annual' or a [spend_out] profile of the data file " \
    "(cbo_house_judiciary_2025, cbo_house_homeland_2025)"
ERRORS = [
    ('enacted = "pl119_21_sec90003_detentio"\nspend_out = "annual"',
     "[appropriations.a] enacted",
     "must name an [appropriation] of the data file (did you mean "
     "'pl119_21_sec90003_detention'?)", "pl119_21_sec90003_detentio"),
    ('account = "beds"\nbudget_authority = { 2025 = 1e9 }\nspend_out = "annual"\n'
     'source = "s"', "[appropriations.a] account",
     "must be one of detention, personnel, courts, removal_operations, state_local", "beds"),
    ('account = ["detention"]\nbudget_authority = { 2025 = 1e9 }\nspend_out = "annual"\n'
     'source = "s"', "[appropriations.a] account",
     "must be one of detention, personnel, courts, removal_operations, state_local",
     ["detention"]),
    ('enacted = "pl119_21_sec100053_fletc_facilities"\nspend_out = "annual"',
     "[appropriations.a] account",
     "the enacted account 'facility' is not one the model costs; set account to one of "
     "detention, personnel, courts, removal_operations, state_local", "facility"),
    ('account = "detention"\nbudget_authority = { 2025 = 1e9 }\nsource = "s"',
     "[appropriations.a] spend_out", f"required: {PROFILES}", ...),
    ('account = "detention"\nbudget_authority = { 2025 = 1e9 }\nspend_out = "fast"\n'
     'source = "s"', "[appropriations.a] spend_out", f"must be {PROFILES}", "fast"),
    ('account = "detention"\nbudget_authority = { 2025 = 1e9 }\nspend_out = "even"\n'
     'source = "s"', "[appropriations.a] available_through",
     "required with spend_out = 'even'", ...),
    ('account = "detention"\nbudget_authority = { 2030 = 1e9 }\navailable_through = 2029\n'
     'spend_out = "even"\nsource = "s"', "[appropriations.a] available_through",
     "is before a year of its budget authority", 2029),
    ('enacted = "pl119_21_sec90003_detention"\nbudget_authority = { 2025 = 1e9 }\n'
     'spend_out = "annual"', "[appropriations.a]",
     "takes 'enacted' or 'budget_authority', not both",
     {"enacted": "pl119_21_sec90003_detention", "budget_authority": {"2025": 1e9},
      "spend_out": "annual"}),
    ('account = "detention"\nbudget_authority = { 2025 = 1e9 }\nspend_out = "annual"',
     "[appropriations.a]", "needs 'enacted', or 'budget_authority', 'account' and 'source'",
     {"account": "detention", "budget_authority": {"2025": 1e9}, "spend_out": "annual"}),
    ('account = "detention"\nbudget_authority = { 2025 = inf }\nspend_out = "annual"\n'
     'source = "s"', "[appropriations.a] budget_authority",
     "must be a table {fiscal year = finite dollars >= 0}", {"2025": math.inf}),
    ('account = "detention"\nbudget_authority = { 2025 = -1 }\nspend_out = "annual"\n'
     'source = "s"', "[appropriations.a] budget_authority",
     "must be a table {fiscal year = finite dollars >= 0}", {"2025": -1}),
    ('enacted = "pl119_21_sec90003_detention"\nshare = 0\nspend_out = "annual"',
     "[appropriations.a] share", "must be a number in (0, 1]", 0),
    ('enacted = "pl119_21_sec90003_detention"\nspend_out = "annual"\nshares = 0.5',
     "[appropriations.a] shares",
     "unknown key (an appropriation takes enacted or budget_authority and source, account, "
     "share, available_through, spend_out, note) (did you mean 'share'?)", 0.5),
]


@pytest.mark.parametrize(("body", "key", "rule", "value"), ERRORS,
                         ids=[f"{i}-{e[1].split()[-1]}" for i, e in enumerate(ERRORS)])
def test_a_bad_table_is_a_scenario_error(
    write_toml: WriteToml, body: str, key: str, rule: str, value: Any,
) -> None:
    path = write_toml(f"{HEAD}\n[appropriations.a]\n{body}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems == [Problem(str(path), key, rule, value)]


def test_an_input_set_by_parameters_and_appropriations_is_an_error(
    write_toml: WriteToml,
) -> None:
    path = write_toml(HEAD + """
[parameters]
appropriation_outlays_detention = 1e9
appropriation_outlays_courts = 1e8

[appropriations.beds]
enacted = "pl119_21_sec90003_detention"
spend_out = "cbo_house_judiciary_2025"
""")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    # the courts' setting is not set by a table: only the detention one is a problem
    assert info.value.problems == [Problem(
        str(path), "[parameters] appropriation_outlays_detention",
        "is set by the [appropriations] tables: set one or the other", None)]


def test_the_command_line_reports_a_bad_table_with_exit_2(
    write_toml: WriteToml, capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_toml(HEAD + """
[parameters]
appropriation_outlays_detention = 1e9

[appropriations.beds]
enacted = "pl119_21_sec90003_detentio"
spend_out = "even"

[appropriations.judges]
account = ["courts"]
budget_authority = { 2025 = 1e9 }
spend_out = "even"
source = "test"

[appropriations.both]
enacted = "pl119_21_sec90003_detention"
budget_authority = { 2025 = 1e9 }
spend_out = "annual"
""")
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out == ""
    assert (f"{path}: [appropriations.beds] enacted: must name an [appropriation] of the "
            "data file (did you mean 'pl119_21_sec90003_detention'?), got "
            "'pl119_21_sec90003_detentio'") in err
    assert (f"{path}: [appropriations.judges] account: must be one of detention, personnel, "
            "courts, removal_operations, state_local, got ['courts']") in err
    assert (f"{path}: [appropriations.both]: takes 'enacted' or 'budget_authority', "
            "not both") in err
    assert "1 of 1 input invalid" in err
    assert "Traceback" not in err
    assert "internal error" not in err


def test_the_command_line_reports_a_conflict_with_exit_2(
    write_toml: WriteToml, capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_toml(HEAD + """
[parameters]
appropriation_outlays_state_local = { by_year = { 2025 = 1e9 } }

[appropriations.funds]
enacted = "pl119_21_sec90005b_sbsrf"
spend_out = "cbo_house_homeland_2025"
""")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert (f"{path}: [parameters] appropriation_outlays_state_local: is set by the "
            "[appropriations] tables: set one or the other") in err
    assert "Traceback" not in err
    assert "internal error" not in err


def test_the_shipped_revival_scenarios_validate(capsys: pytest.CaptureFixture[str]) -> None:
    names = [n for n in ec.shipped_scenarios() if "revival" in n]
    assert len(names) >= 5
    assert main(["validate", *names]) == 0
    assert all(ln.startswith("ok: ") for ln in capsys.readouterr().out.splitlines())


# -- (e) budget_table --------------------------------------------------------------------------

def test_budget_authority_by_account_is_the_hand_sum(
    data: dict[str, Any], revival: ec.Scenario,
) -> None:
    enacted = {k: math.fsum(v["budget_authority"].values())
               for k, v in data["appropriation"].items()}
    ice_2025, ice_2026 = enacted["pl119_21_sec100052_ice"], enacted["pl119_98_sec202_ice"]
    assert (ice_2025, ice_2026) == (29.85e9, 31.075e9)
    hand = {  # the scenario's shares of the enacted amounts, plus five renewal years
        "detention": enacted["pl119_21_sec90003_detention"] + 5 * 9.0e9,
        "personnel": 0.297 * (ice_2025 + ice_2026) + 5 * 3.619e9,
        "removal_operations": 0.703 * (ice_2025 + ice_2026) + 5 * 8.566e9,
        "courts": enacted["pl119_21_sec100054_doj"] + 5 * 0.666e9,
        "state_local": (enacted["pl119_21_sec90005b_sbsrf"]
                        + enacted["pl119_21_sec100055_biden_fund"]),
    }
    assert hand["detention"] == 90e9
    assert hand["state_local"] == 13.5e9
    table = budget_table(revival.appropriations)
    assert list(table.columns) == ["appropriation", "account", "law", "spend_out",
                                   "fiscal_year", "budget_authority", "outlays"]
    by_account = table.groupby("account")["budget_authority"].sum()
    assert set(by_account.index) == set(hand)
    for account, total in hand.items():
        assert by_account[account] == pytest.approx(total, rel=1e-12), account
    # outlays: BA x share x the sum of the profile's fractions, per appropriation
    fractions = {name: math.fsum(p["fractions"]) for name, p in data["spend_out"].items()}
    fractions |= {"annual": 1.0, "even": 1.0}
    for app in revival.appropriations:
        rows = table[table["appropriation"] == app.name]
        ba = sum(v for _, v in app.budget_authority)
        assert rows["budget_authority"].sum() == pytest.approx(ba, rel=1e-12)
        assert rows["outlays"].sum() == pytest.approx(ba * fractions[app.spend_out], rel=1e-12)
    # the laws are the data file's
    laws = dict(zip(table["appropriation"], table["law"], strict=False))
    assert laws["detention"] == "P.L. 119-21 sec. 90003"
    assert laws["renewal_detention"] == ""


def test_a_scenario_without_appropriations_has_an_empty_table() -> None:
    table = budget_table(load_scenario("revival_2025/pre_2025_continuation").appropriations)
    assert table.empty
    assert "budget_authority" in table.columns


# -- (f) money is conserved, for any amounts and fractions (Hypothesis) -----------------------

amounts = st.floats(0.0, 1e12, allow_nan=False)
years = st.integers(2000, 2060)


@st.composite
def appropriations(draw: st.DrawFn) -> Appropriation:
    ba = draw(st.dictionaries(years, amounts, min_size=1, max_size=6))
    share = draw(st.floats(1e-6, 1.0))
    rule = draw(st.sampled_from(["profile", "even", "annual"]))
    through = None
    fractions: tuple[float, ...] = ()
    if rule == "profile":
        fractions = tuple(draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12)))
    elif rule == "annual":
        fractions = (1.0,)
    else:
        through = max(ba) + draw(st.integers(0, 10))
    return Appropriation(
        name="h", account=draw(st.sampled_from(list(ACCOUNTS))),
        budget_authority=tuple(sorted((y, v * share) for y, v in ba.items())),
        available_through=through, spend_out=rule, fractions=fractions, share=share)


@settings(max_examples=300, deadline=None)
@given(appropriations())
def test_outlays_conserve_money(app: Appropriation) -> None:
    ba = math.fsum(v for _, v in app.budget_authority)
    fractions = 1.0 if app.spend_out in ("even", "annual") else math.fsum(app.fractions)
    outlays = app.outlays()
    assert all(v >= 0 for v in outlays.values())
    assert math.fsum(outlays.values()) == pytest.approx(ba * fractions, rel=1e-9, abs=1e-3)
    if app.spend_out == "even":  # nothing outlaid after the money's last year
        assert max(outlays) <= (app.available_through or 0)
    # a window holding every outlay keeps them all, in the account's input
    first, last = min(outlays), max(outlays)
    [(name, schedule)] = outlay_settings((app,), first, last - first + 1).items()
    assert name == ACCOUNTS[app.account]
    assert [y for y, _ in schedule] == list(range(first, last + 1))
    assert math.fsum(v for _, v in schedule) == pytest.approx(
        math.fsum(outlays.values()), rel=1e-12, abs=1e-3)
