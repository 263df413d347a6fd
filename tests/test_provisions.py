"""Each provision's ledger lines, computed by hand from its module docstring.

Every test sets a small, round set of parameter values, writes the provision's
formula out as plain arithmetic (never calling the module), and compares the
ledger line by line: the amount in each fiscal year, the payer and the kind
(DESIGN §1). Money values are given in the scenario's own dollar year, so no
price conversion enters except where a test is about it (statutory fines).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pytest

import enforcecost as ec

DOLLAR_YEAR = 2017


def usd(value: float, dollar_year: int = DOLLAR_YEAR) -> dict[str, float | int]:
    """A money setting stamped with the dollar year of the test scenario."""
    return {"value": value, "dollar_year": dollar_year}


@dataclass(frozen=True)
class Booked:
    payer: str
    kind: str
    amounts: np.ndarray  # real dollars of the scenario's dollar year, one per fiscal year


def book(
    provision: str,
    parameters: dict[str, object],
    *,
    years: int = 3,
    start_year: int = 2017,
    dollar_year: int = DOLLAR_YEAR,
) -> tuple[dict[str, Booked], ec.Result]:
    """Evaluate one provision alone and return its lines by item (real dollars)."""
    sc = ec.Scenario(
        name=f"hand check: {provision}",
        provisions=[provision],
        parameters=parameters,
        years=years,
        start_year=start_year,
        dollar_year=dollar_year,
    )
    res = ec.evaluate(sc)
    led = res.ledger(basis="real")
    assert set(led["provision"]) == {provision}
    out = {}
    for item, g in led.groupby("item", sort=False):
        g = g.sort_values("fiscal_year")
        assert g["payer"].nunique() == 1
        assert g["kind"].nunique() == 1
        assert g["fiscal_year"].tolist() == list(range(start_year, start_year + years))
        out[item] = Booked(g["payer"].iloc[0], g["kind"].iloc[0], g["amount"].to_numpy())
    return out, res


def check(
    lines: dict[str, Booked], expected: dict[str, tuple[str, str, list[float]]]
) -> None:
    """Compare every booked line with (payer, kind, amounts by year); no line missing or extra."""
    assert set(lines) == set(expected)
    for item, (payer, kind, amounts) in expected.items():
        got = lines[item]
        assert (got.payer, got.kind) == (payer, kind), item
        np.testing.assert_allclose(got.amounts, amounts, rtol=1e-12, atol=1e-9, err_msg=item)


def cpi(year: int) -> float:
    """CPI-U annual average of a year with data, read from the shipped table."""
    text = resources.files("enforcecost").joinpath("data/cpi_u_annual.csv").read_text()
    levels = {int(r["year"]): float(r["cpi_u"]) for r in csv.DictReader(text.splitlines())}
    return levels[year]


# -- hiring -------------------------------------------------------------------
def test_hiring_books_payroll_support_and_one_time_hire_costs() -> None:
    lines, res = book(
        "hiring",
        {
            "ero_officers_baseline": 100,
            "ero_officers_added": 50,
            "attrition_rate": 0.1,
            "hires_per_year_max": 30,
            "training_weeks": 13,
            "officer_annual_cost": usd(100_000),
            "support_staff_per_officer": 0.5,
            "support_staff_annual_cost": usd(80_000),
            "applicants_per_hire": 40,
            "screening_cost_per_applicant": usd(100),
            "training_cost_per_officer": usd(20_000),
            "equipment_cost_per_officer": usd(10_000),
        },
    )
    # Target 150 officers. Each year 10% of the officers on board at the start
    # leave; hires fill the gap, at most 30 a year; leavers and hires are on the
    # payroll for half the year.
    # FY1: 100 on board, 10 leave, hires min(150 - 90, 30) = 30;
    #      payroll 100 - 10/2 + 30/2 = 110; end 120.
    # FY2: 120 on board, 12 leave, hires min(150 - 108, 30) = 30;
    #      payroll 120 - 6 + 15 = 129; end 138.
    # FY3: 138 on board, 13.8 leave, hires min(150 - 124.2, 30) = 25.8;
    #      payroll 138 - 6.9 + 12.9 = 144; end 150.
    payroll = np.array([110.0, 129.0, 144.0])
    hires = np.array([30.0, 30.0, 25.8])
    np.testing.assert_allclose(res.pipeline()["hires"], hires)
    np.testing.assert_allclose(res.pipeline()["officers"], [120.0, 138.0, 150.0])
    fed = ("federal", "outlay")
    check(
        lines,
        {
            "ERO officer pay and benefits": (*fed, payroll * 100_000),
            "support staff pay and benefits": (*fed, payroll * 0.5 * 80_000),
            "recruiting and applicant screening": (*fed, hires * 40 * 100),
            "basic training": (*fed, hires * 20_000),
            "equipment": (*fed, hires * 10_000),
        },
    )


def test_support_staff_are_ices_planned_ratio_per_officer_year() -> None:
    """6,597 support positions for 10,000 officers (ICE, 2018): 0.66 per officer-year, not the
    DHS OIG's 9,600 for CBP and ICE together divided by ICE's officers (0.96)."""
    assert ec.registry()["support_staff_per_officer"].value == round(6_597 / 10_000, 2)
    lines, res = book(
        "hiring",
        {"ero_officers_baseline": 100, "ero_officers_added": 0, "attrition_rate": 0,
         "officer_annual_cost": usd(100_000), "support_staff_annual_cost": usd(80_000)},
        years=2,
    )
    np.testing.assert_allclose(res.pipeline()["officer_years"], [100.0, 100.0])
    np.testing.assert_allclose(lines["support staff pay and benefits"].amounts,
                               [100 * 0.66 * 80_000] * 2, rtol=1e-12)


def test_pipeline_trainees_start_work_only_after_basic_training() -> None:
    """A hire works only after ``training_weeks``, including training that runs into next year.

    100 officers hired in FY1 (no cap, no attrition) with 26 weeks of training
    (tau = 0.5), arriving evenly over the year. A hire arriving at time u (in
    years) works from u + tau: in FY1 the cohort works the integral of
    (1 - tau - u) over u in [0, 1 - tau] = (1 - tau)^2 / 2 = 0.125 of a year
    each; those arriving after 1 - tau are still in training at the start of FY2,
    for tau^2 / 2 = 0.125 of a year each on average; from FY3 they work the
    whole year. Over the three years each hire works 2.5 - tau = 2 years
    (arrival half-way through FY1 on average, minus training).
    """
    _, res = book(
        "hiring",
        {
            "ero_officers_baseline": 0,
            "ero_officers_added": 100,
            "hires_per_year_max": float("inf"),
            "attrition_rate": 0,
            "training_weeks": 26,
            "at_large_arrests_per_officer_year": 1,
            "detainers_per_year": 0,
            "removable_population": 1e9,
        },
    )
    arrests = res.pipeline()["arrests"].to_numpy()
    np.testing.assert_allclose(arrests, [100 * 0.125, 100 * (1 - 0.125), 100.0])
    assert arrests.sum() == pytest.approx(100 * (2.5 - 0.5))
    # The payroll counts trainees: half a year in FY1, then every year in full.
    np.testing.assert_allclose(res.pipeline()["officer_years"], [50.0, 100.0, 100.0])


# -- removals -----------------------------------------------------------------
def test_removals_books_each_stage_of_the_pipeline() -> None:
    lines, res = book(
        "removals",
        {
            # 10 officers, no hiring, 30 at-large arrests each, and 100 detainers at 0.5
            # arrests each: 300 + 50 = 350 arrests, the whole enforceable population.
            "ero_officers_baseline": 10,
            "ero_officers_added": 0,
            "attrition_rate": 0,
            "at_large_arrests_per_officer_year": 30,
            "detainers_per_year": 100,
            "custodial_arrests_per_detainer": 0.5,
            "removable_population": 350,
            "self_departure_share": 0,
            "removal_program_years": float("inf"),
            # a fifth removed without a new court case
            "summary_removal_share": 0.2,
            # the border: 100 apprehensions, 50 court receipts, 30 removals a year
            "border_apprehensions": 100,
            "border_court_receipts_per_apprehension": 0.5,
            "border_removals_per_apprehension": 0.3,
            # 60% detained for 73 days (a fifth of a year); 36 beds (10 already existed)
            "detention_share": 0.6,
            "detention_days": 73,
            "detention_beds": 36,
            "detention_overrun_share": 0,
            "detention_beds_existing": 10,
            # $100 a bed-day in FY1, growing 10% a year in real terms
            "bed_day_cost": usd(100),
            "bed_day_cost_real_growth": 0.1,
            "bed_capital_cost": usd(50_000),
            # half of those not held go on ATD, 100 days at $5
            "atd_placement_share": 0.5,
            "atd_cost_per_day": usd(5),
            "atd_days": 100,
            # courts: 2 judges x 123 completions, 50 cases pending at the start
            "immigration_judges": 2,
            "cases_per_judge_year": 123,
            "court_backlog_initial": 50,
            "removal_order_share_detained": 0.75,
            "execution_rate_detained": 0.9,
            "removal_order_share_released": 0.5,
            "execution_rate_released": 0.2,
            "apprehension_cost_per_arrest": usd(1_000),
            # the courts cost $400,000 a judge-year; ICE's attorneys $2,000 a case
            "immigration_court_cost_per_judge_year": usd(400_000),
            "legal_cost_per_case": usd(2_000),
            # 40% of removals on charters at $1,500 a person, 2.5 times that in all
            "charter_cost_per_person": usd(1_500),
            "charter_removal_share": 0.4,
            "transport_to_charter_cost_ratio": 2.5,
        },
        years=2,
    )
    arrests = np.array([350.0, 0.0])
    # FY1: 70 removed at once, 280 NTAs. Detention: (350 + 100) x 0.6 = 270 people need
    # 73 days, 19,710 bed-days; 36 beds x 365 = 13,140: 2/3 placed, ADP 36; 140 interior
    # arrestees held, 210 not held, of whom half (105) on ATD; 26 new beds. FY2: the
    # border's 60 x 73 = 4,380 fit.
    bed_days = np.array([13_140.0, 4_380.0])
    bed_day_cost = np.array([100.0, 110.0])  # 10% real growth after the first year
    atd_people = np.array([105.0, 0.0])
    new_beds = np.array([26.0, 0.0])
    # Courts, FY1: 280 x 0.6 x 2/3 = 112 detained NTAs heard first; 246 - 112 = 134
    # completions left for a queue of 168 interior + 100 other (50 pending + 50 border):
    # half each, 84 interior and 50 other completed; 134 pending. FY2: the 84 + 50 + 50
    # pending all completed (184 < 246).
    receipts = np.array([330.0, 50.0])
    # Removals: 70 + 112 x 0.75 x 0.9 + 84 x 0.5 x 0.2 = 154; FY2: 84 x 0.5 x 0.2 = 8.4.
    removals = np.array([154.0, 8.4])
    flows = res.pipeline()
    np.testing.assert_allclose(flows["arrests"], arrests)
    np.testing.assert_allclose(flows["atd_people"], atd_people)
    np.testing.assert_allclose(flows["detention_adp"], [36.0, 12.0])
    np.testing.assert_allclose(flows["cases_completed"], [246.0, 184.0])
    np.testing.assert_allclose(flows["court_backlog"], [134.0, 0.0])
    np.testing.assert_allclose(flows["court_backlog_interior"], [84.0, 0.0])
    np.testing.assert_allclose(flows["removal_orders"], [126.0, 42.0])
    np.testing.assert_allclose(flows["removals"], removals)
    np.testing.assert_allclose(flows["removals_total"], removals + 30)
    fed = ("federal", "outlay")
    check(
        lines,
        {
            "apprehension": (*fed, arrests * 1_000),
            "detention": (*fed, bed_days * bed_day_cost),
            "alternatives to detention": (*fed, atd_people * 100 * 5),
            # the two judges are paid in FY2 too, though they complete only 184 cases
            "immigration courts (EOIR)": (*fed, [2 * 400_000.0] * 2),
            "ICE attorneys (OPLA)": (*fed, receipts * 2_000),
            # $1,500 per removal: 0.4 x 1,500 x 2.5
            "transport": (*fed, (removals + 30) * 1_500),
            "detention bed capital": (*fed, new_beds * 50_000),
        },
    )


COURTS: dict[str, object] = {
    # 1,000 arrests a year by 10 officers, none detained, every one an NTA; no border
    # caseload; 5 judges x 100 completions; the courts cost $300,000 a judge-year and
    # ICE's attorneys $1,000 a case
    "ero_officers_baseline": 10,
    "ero_officers_added": 0,
    "attrition_rate": 0,
    "at_large_arrests_per_officer_year": 100,
    "detainers_per_year": 0,
    "border_apprehensions": 0,
    "removable_population": 1e9,
    "detention_share": 0,
    "summary_removal_share": 0,
    "court_backlog_initial": 0,
    "immigration_judges": 5,
    "cases_per_judge_year": 100,
    "immigration_court_cost_per_judge_year": usd(300_000),
    "legal_cost_per_case": usd(1_000),
}


def test_court_costs_follow_the_judges_not_the_backlog() -> None:
    """Twice the cases with the same judges: the courts cost the same (the backlog
    grows), ICE's attorneys twice as much; more judges cost more."""
    lines, res = book("removals", COURTS)
    np.testing.assert_allclose(res.pipeline()["cases_completed"], [500.0] * 3)
    np.testing.assert_allclose(res.pipeline()["court_backlog"], [500.0, 1_000.0, 1_500.0])
    doubled, res2 = book("removals", {**COURTS, "at_large_arrests_per_officer_year": 200})
    np.testing.assert_allclose(res2.pipeline()["court_backlog"], [1_500.0, 3_000.0, 4_500.0])
    for got in (lines, doubled):
        np.testing.assert_allclose(got["immigration courts (EOIR)"].amounts, [5 * 300_000.0] * 3)
    np.testing.assert_allclose(lines["ICE attorneys (OPLA)"].amounts, [1_000 * 1_000.0] * 3)
    np.testing.assert_allclose(doubled["ICE attorneys (OPLA)"].amounts, [2_000 * 1_000.0] * 3)
    more, _ = book("removals", {**COURTS, "immigration_judges": 8})
    np.testing.assert_allclose(more["immigration courts (EOIR)"].amounts, [8 * 300_000.0] * 3)


def test_unlimited_judges_are_the_judges_the_completions_need() -> None:
    """With ``immigration_judges = inf`` every case is completed in its year and the
    bench is completions / cases_per_judge_year: 1,000 / 100 = 10 judge-years."""
    lines, res = book("removals", {**COURTS, "immigration_judges": float("inf")})
    np.testing.assert_allclose(res.pipeline()["cases_completed"], [1_000.0] * 3)
    np.testing.assert_allclose(res.pipeline()["court_backlog"], [0.0] * 3)
    np.testing.assert_allclose(lines["immigration courts (EOIR)"].amounts, [10 * 300_000.0] * 3)


def test_bed_day_rate_compounds_year_by_year_and_follows_a_schedule() -> None:
    """The rate grows at (1 + g) ** t; a growth rate scheduled by year compounds the
    rates of the years before: 100, 100 x 1.1, 100 x 1.1 x 1.2."""
    from enforcecost.provisions._core import compound

    np.testing.assert_allclose(compound(np.array([[0.1]]), 4), [[1.0, 1.1, 1.21, 1.331]])
    scheduled = compound(np.array([[0.1, 0.2, 5.0]]), 3)
    np.testing.assert_allclose(scheduled, [[1.0, 1.1, 1.32]])
    assert compound(np.array([[0.1], [0.2]]), 3).flags.f_contiguous


# -- detainers ------------------------------------------------------------------
def test_detainers_book_local_jail_days_settlements_and_a_fixed_scaap_transfer() -> None:
    params = {
        "detainers_per_year": 1000,
        "detainer_honor_rate": 0.8,
        "detainer_extra_jail_days": 2,
        "local_jail_cost_per_day": usd(50),
        "unlawful_detainer_share": 0.1,
        "suit_rate": 0.5,
        "settlement_cost": usd(1_000),
        "scaap_appropriation": usd(200_000),
    }
    lines, _ = book("detainers", params)
    honored = 1000 * 0.8
    jail = honored * 2 * 50  # 80,000
    settlements = honored * 0.1 * 0.5 * 1_000  # 40 suits: 40,000
    scaap = 200_000  # the appropriation, whatever the jail days
    expected = {
        "extra local jail days": ("state_local", "outlay", [jail] * 3),
        "civil-liability settlements": ("state_local", "outlay", [settlements] * 3),
        "SCAAP payments (fixed appropriation)": ("federal", "transfer", [scaap] * 3),
        "SCAAP payments received": ("state_local", "transfer", [-scaap] * 3),
    }
    check(lines, expected)
    # Three times the detainers: three times the jail days and suits, the same SCAAP.
    tripled, _ = book("detainers", {**params, "detainers_per_year": 3000})
    check(tripled, {
        **expected,
        "extra local jail days": ("state_local", "outlay", [3 * jail] * 3),
        "civil-liability settlements": ("state_local", "outlay", [3 * settlements] * 3),
    })


def test_scaap_adds_nothing_to_the_impact_of_more_detainers() -> None:
    """SCAAP is a fixed appropriation prorated over claims (registry scaap_appropriation):
    against a baseline with fewer detainers, the federal impact is nil and states and
    localities bear the whole extra jail cost."""
    params = {"detainer_honor_rate": 1.0, "detainer_extra_jail_days": 2,
              "local_jail_cost_per_day": usd(50), "unlawful_detainer_share": 0.0}
    base = ec.Scenario(name="few", provisions=["detainers"], years=3,
                       dollar_year=DOLLAR_YEAR, parameters={**params, "detainers_per_year": 100})
    sc = base.replace(name="many", parameters={**params, "detainers_per_year": 600},
                      baseline=base)
    res = ec.evaluate(sc)
    assert res.total("federal", basis="real") == 0.0
    # 500 more honored detainers x 2 days x $50 = $50,000 a year, for 3 years.
    assert res.total("state_local", basis="real") == pytest.approx(3 * 500 * 2 * 50, rel=1e-12)
    scaap = ec.registry()["scaap_appropriation"]
    assert scaap.value == 210e6
    assert scaap.dollar_year == 2016
    led = res.policy.ledger(basis="nominal")
    paid = led[led["item"] == "SCAAP payments (fixed appropriation)"]["amount"].to_numpy()
    np.testing.assert_allclose(paid[0], 210e6 * cpi(2017) / cpi(2016), rtol=1e-12)


# -- partnerships_287g ------------------------------------------------------------
def test_287g_books_local_officer_time_and_federal_oversight() -> None:
    lines, _ = book(
        "partnerships_287g",
        {
            "agreements_287g_baseline": 10,
            "agreements_287g_added": 5,
            "officers_per_287g_agreement": 4,
            "local_cost_per_287g_officer_year": usd(1_000),
            "federal_cost_per_287g_agreement": usd(2_000),
        },
    )
    agreements = 10 + 5
    check(
        lines,
        {
            "local officer time": ("state_local", "outlay", [agreements * 4 * 1_000] * 3),
            "federal training and oversight": ("federal", "outlay", [agreements * 2_000] * 3),
        },
    )


def test_287g_agreements_follow_their_schedule_by_fiscal_year() -> None:
    """Agreements in force = baseline + the year's added agreements (step rule)."""
    lines, _ = book(
        "partnerships_287g",
        {
            "agreements_287g_baseline": 10,
            "agreements_287g_added": {"by_year": {2017: 5, 2019: 20}},
            "officers_per_287g_agreement": 4,
            "local_cost_per_287g_officer_year": usd(1_000),
            "federal_cost_per_287g_agreement": usd(2_000),
        },
        years=4,
    )
    agreements = np.array([15.0, 15.0, 30.0, 30.0])  # FY2018 carries FY2017's 5
    check(
        lines,
        {
            "local officer time": ("state_local", "outlay", agreements * 4 * 1_000),
            "federal training and oversight": ("federal", "outlay", agreements * 2_000),
        },
    )


def test_287g_registry_path_is_the_dated_counts() -> None:
    """The registry's agreements in force by fiscal year: 60 (Jul 2017), 76 (Mar 2018, carried
    into FY2019), 142 (Jun 2020), then 150 (Sep 2020) held; the baseline keeps 35."""
    reg = ec.registry()
    assert reg["agreements_287g_baseline"].value == 35
    _, res = book(
        "partnerships_287g",
        {"officers_per_287g_agreement": 1, "local_cost_per_287g_officer_year": usd(1),
         "federal_cost_per_287g_agreement": usd(0)},
        years=10,
    )
    led = res.ledger(basis="real")
    local = led[led["item"] == "local officer time"].sort_values("fiscal_year")
    np.testing.assert_allclose(local["amount"], [60, 76, 76, 142] + [150] * 6, rtol=1e-12)
    dated = ec.series(role="input")
    counts = dict(zip(dated["series"], dated["value"], strict=True))
    assert [counts[f"agreements_287g_active_{d}"] for d in
            ("jan2017", "jul2017", "mar2018", "jun2020", "sep2020")] == [35, 60, 76, 142, 150]


# -- sanctuary ----------------------------------------------------------------------
def test_sanctuary_grants_withheld_for_good_are_a_transfer_from_local_to_federal() -> None:
    lines, res = book(
        "sanctuary",
        {"sanctuary_grants_at_risk": usd(1_000_000), "defund_probability": 0.3},
    )
    withheld = 1_000_000 * 0.3
    check(
        lines,
        {
            "grants withheld for good (federal saving)": ("federal", "transfer",
                                                          [-withheld] * 3),
            "grants withheld for good (local loss)": ("state_local", "transfer", [withheld] * 3),
        },
    )
    assert res.total("government", basis="real") == pytest.approx(0.0, abs=1e-6)


def test_sanctuary_central_estimate_withholds_nothing() -> None:
    """The record: withheld Byrne JAG awards were released or restored, none kept for good."""
    reg = ec.registry()
    assert reg["sanctuary_grants_at_risk"].value == 32.7e6  # 2016 Byrne JAG, sanctuaries
    assert reg["defund_probability"].value == 0.0
    lines, _ = book("sanctuary", {}, years=10)
    for booked in lines.values():
        np.testing.assert_array_equal(booked.amounts, 0.0)


# -- worksite -------------------------------------------------------------------------
def test_worksite_books_investigations_and_collected_employer_fines_as_a_revenue_gain() -> None:
    lines, _ = book(
        "worksite",
        {
            "worksite_investigations_per_year": 100,
            "cost_per_worksite_investigation": usd(1_000),
            "i9_audits_per_year": 50,
            "employer_fine_revenue_per_audit": usd(200),
            "employer_fine_collection_rate": 0.8,
        },
    )
    check(
        lines,
        {
            "worksite investigations": ("federal", "outlay", [100 * 1_000] * 3),
            # Fines in final orders x the share collected; revenue gained: negative.
            "employer fines collected": ("federal", "revenue", [-(50 * 200 * 0.8)] * 3),
        },
    )


def test_worksite_impact_prices_the_investigations_above_the_pre_order_level() -> None:
    """Registry unit costs (2010 dollars), FY2017 pre-order levels against FY2018's, one year:
    (6,848 - 1,691) x $44,552 of outlays less (5,981 - 1,360) x $3,414 x 0.89 collected."""
    sc = ec.load_scenario("eo13768").replace(provisions=["worksite"], years=1, dollar_year=2010,
                                              baseline=ec.load_scenario("pre_eo_2016").replace(
                                                  provisions=["worksite"], years=1,
                                                  dollar_year=2010))
    res = ec.evaluate(sc)
    outlays = (6_848 - 1_691) * 44_552  # $229.8M
    fines = (5_981 - 1_360) * 3_414 * 0.89  # $14.0M
    assert res.total("federal", basis="real") == pytest.approx(outlays - fines, rel=1e-12)


# -- entry_fines ------------------------------------------------------------------------
def test_entry_fines_are_revenue_and_statutory_amounts_lose_real_value() -> None:
    start, dollar_year = 2020, 2020
    lines, res = book(
        "entry_fines",
        {
            "entry_fine_min": 50,  # statutory, nominal dollars (registry)
            "entry_fine_max": 250,
            "entry_fine_level": 0.25,
            "entry_fine_repeat_multiplier": 2,
            "entry_fine_repeat_share": 0.5,
            "entry_fines_assessed_per_year": 1000,
            "fine_collection_rate": 0.1,
            "harboring_fine_revenue": usd(5_000, dollar_year),
        },
        start_year=start,
        dollar_year=dollar_year,
    )
    fine = 50 + 0.25 * (250 - 50)  # $100 then-year dollars
    per_fine = fine * (1 + 0.5 * (2 - 1))  # repeat entrants pay double: $150 on average
    nominal = 1000 * 0.1 * per_fine  # $15,000 collected a year, then-year dollars
    # In constant 2020 dollars a fixed nominal amount is worth nominal x P2020 / P[fy].
    real = [nominal * cpi(dollar_year) / cpi(fy) for fy in (2020, 2021, 2022)]
    check(
        lines,
        {
            "entry fines collected": ("federal", "revenue", [-r for r in real]),
            "harboring fines collected": ("federal", "revenue", [-5_000.0] * 3),
        },
    )
    # Real value falls with inflation; the then-year amount stays the statutory one.
    assert np.all(np.diff(np.abs(lines["entry fines collected"].amounts)) < 0)
    led = res.ledger(basis="nominal")
    fines = led[led["item"] == "entry fines collected"]["amount"].to_numpy()
    np.testing.assert_allclose(fines, -nominal, rtol=1e-12)


# -- visa_sanctions -----------------------------------------------------------------------
def test_visa_sanctions_book_lost_spending_by_sanction_type_and_taxes_on_it() -> None:
    lines, _ = book(
        "visa_sanctions",
        {
            "sanctions_per_year": 2,
            "recalcitrant_countries": 5,
            "visitor_spending_per_officials_sanctioned_country": usd(100e6),
            "visitor_spending_per_broadly_sanctioned_country": usd(10e6),
            "broad_sanction_share": 0.25,
            "nearly_all_share_of_broad": 0.5,
            "visa_loss_share_officials": 0.02,
            "visa_loss_share_all_b": 0.6,
            "visa_loss_share_nearly_all": 0.8,
            "reciprocity_probability": 0.2,
            "tax_share_of_spending": 0.2,
            "visitor_tax_federal_share": 0.6,
        },
    )
    sanctioned = np.array([2.0, 4.0, 5.0])  # 2 a year, capped at the 5 on the list
    officials = 0.75 * 100e6 * 0.02  # 3 in 4 sanctions on officials: 1.5M a country
    broad = 0.25 * 10e6 * (0.5 * 0.6 + 0.5 * 0.8)  # half all-B, half nearly all: 1.75M
    lost = sanctioned * (officials + broad) * (1 + 0.2)  # 3.9M a sanctioned country
    np.testing.assert_allclose(lost, [7.8e6, 15.6e6, 19.5e6])
    taxes = lost * 0.2
    check(
        lines,
        {
            "visitor spending lost": ("economy", "economy", lost),
            "federal taxes on lost spending": ("federal", "revenue", taxes * 0.6),
            "state and local taxes on lost spending": ("state_local", "revenue", taxes * 0.4),
        },
    )


def test_visa_sanctions_on_officials_only_lose_only_the_officials_share() -> None:
    """With no broad sanctions the broad spending and loss shares drop out entirely."""
    lines, _ = book(
        "visa_sanctions",
        {
            "sanctions_per_year": 1,
            "recalcitrant_countries": 23,
            "visitor_spending_per_officials_sanctioned_country": usd(50e6),
            "visitor_spending_per_broadly_sanctioned_country": usd(1e12),
            "broad_sanction_share": 0,
            "nearly_all_share_of_broad": 1,
            "visa_loss_share_officials": 0.01,
            "visa_loss_share_all_b": 1,
            "visa_loss_share_nearly_all": 1,
            "reciprocity_probability": 0,
            "tax_share_of_spending": 0.25,
            "visitor_tax_federal_share": 0.5,
        },
    )
    lost = np.array([1.0, 2.0, 3.0]) * 50e6 * 0.01  # 500,000 a sanctioned country
    np.testing.assert_allclose(lines["visitor spending lost"].amounts, lost, rtol=1e-12)
    np.testing.assert_allclose(lines["state and local taxes on lost spending"].amounts,
                               lost * 0.25 * 0.5, rtol=1e-12)


# -- victims_office and reporting ------------------------------------------------------------
def test_victims_office_books_staff_added_to_the_payroll() -> None:
    lines, _ = book("victims_office", {"voice_staff": 10, "voice_cost_per_fte": usd(100_000)})
    check(lines, {"VOICE staff added to the payroll": ("federal", "outlay", [10 * 100_000] * 3)})


def test_victims_office_central_estimate_hires_no_one() -> None:
    """VOICE "will not hire any new staff" (2017): its 34 staff were moved from existing
    posts, an existing-resource cost, so nothing is booked at the central value."""
    assert ec.registry()["voice_staff"].value == 0
    lines, _ = book("victims_office", {}, years=10)
    np.testing.assert_array_equal(lines["VOICE staff added to the payroll"].amounts, 0.0)


def test_reporting_books_reports_at_their_cost() -> None:
    lines, _ = book("reporting", {"reports_per_year": 4, "report_cost": usd(50_000)})
    check(
        lines,
        {"quarterly and implementation reports": ("federal", "outlay", [4 * 50_000] * 3)},
    )


# -- tax_base ------------------------------------------------------------------------------
def test_tax_base_loses_taxes_from_the_removal_on() -> None:
    """A person removed pays no taxes for the rest of the year of the removal (half of
    it on average) and none in later years; Social Security is a line of its own."""
    lines, res = book(
        "tax_base",
        {
            # 150 removals a year: 10 officers x 30 arrests (no detainers, no border
            # caseload), all cases completed at once (no backlog, unlimited courts and
            # beds), every case ordered removed and half the orders carried out.
            "ero_officers_baseline": 10,
            "ero_officers_added": 0,
            "attrition_rate": 0,
            "at_large_arrests_per_officer_year": 30,
            "detainers_per_year": 0,
            "border_apprehensions": 0,
            "removable_population": 10_000,
            "detention_beds": float("inf"),
            "immigration_judges": float("inf"),
            "court_backlog_initial": 0,
            "summary_removal_share": 0,
            "removal_order_share_detained": 1,
            "removal_order_share_released": 1,
            "execution_rate_detained": 0.5,
            "execution_rate_released": 0.5,
            "state_local_taxes_per_person": usd(1_000),
            "federal_taxes_per_person": usd(2_000),
            "social_security_taxes_per_person": usd(500),
        },
    )
    np.testing.assert_allclose(res.pipeline()["removals"], [150.0, 150.0, 150.0])
    # people gone: removed in earlier years + half of this year's removals
    gone = np.array([0.0 + 75.0, 150.0 + 75.0, 300.0 + 75.0])
    check(
        lines,
        {
            "state and local taxes not paid": ("state_local", "revenue", gone * 1_000),
            "federal taxes not paid (on-budget)": ("federal", "revenue", gone * 2_000),
            "Social Security taxes not paid (off-budget)": ("federal", "revenue", gone * 500),
        },
    )


def test_every_provision_is_hand_checked_here() -> None:
    tested = {
        "hiring", "removals", "detainers", "partnerships_287g", "sanctuary", "worksite",
        "entry_fines", "visa_sanctions", "victims_office", "reporting", "tax_base",
    }
    # The 2025 provisions are hand-checked in tests/test_fees_2025.py (fees, reimbursement)
    # and tests/test_appropriations.py (operations: the nominal schedule, deflated).
    elsewhere = {"fees_2025", "reimbursement_2025", "operations_2025"}
    assert tested | elsewhere == set(ec.PROVISIONS)


def test_by_year_is_the_outer_product_laid_out_year_major() -> None:
    from enforcecost.provisions._core import by_year

    out = by_year(np.array([[1.0], [2.0], [-0.5]]), np.array([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(out, np.array([[1.0], [2.0], [-0.5]]) * [1.0, 2.0, 3.0, 4.0])
    assert out.flags.f_contiguous


def test_every_provision_books_year_major_lines() -> None:
    """The model's sums over draws read each year's draws as one run; a provision
    whose lines were laid out otherwise would be copied by the model (slower)."""
    from enforcecost import model
    from enforcecost.provisions import BOOKS, run_pipeline
    from enforcecost.registry import Window

    sc = ec.load_scenario("eo13768")
    window = Window(sc.start_year, sc.years)
    values = {name: np.full(64, s.value) for name, s in sc.settings().items()}
    p = model._values._parameter_arrays(sc, values, window, sc.dollar_year, {})
    flows = run_pipeline(p, window.years)
    assert flows.arrests.strides[0] == 8
    for provision in sc.provisions:
        for line in BOOKS[provision](p, flows):
            assert np.asarray(line.amount).strides[0] == 8, (provision, line.item)
