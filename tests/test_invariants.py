"""Properties the model must keep for any valid parameter values (issue #2, point 10).

Parameter values are drawn by Hypothesis from each registry entry's allowed
bounds: its edges (0, 1, ``inf`` where a capacity allows it), its central value,
the ends of its default uncertainty range, and anything in between (capped at
ten times the largest of those for unbounded entries). Checks run vectorized:
a few draws at once through :func:`enforcecost.model.run_values`, as a Monte
Carlo block would.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import enforcecost as ec
from enforcecost.model import run_values
from enforcecost.provisions import KINDS, PAYERS
from enforcecost.registry import Parameter, Window
from enforcecost.results import Run

REG = ec.registry()
INPUTS = [n for n, p in REG.items() if p.role == "input"]
INF = math.inf
PROPERTY = settings(
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- value strategies ------------------------------------------------------------
def _notable(p: Parameter) -> list[float]:
    """The values of a registry entry worth trying on purpose."""
    lo, hi = p.bounds
    out = [lo, p.value]
    if p.uncertainty is not None:
        out += list(p.uncertainty.range)
    if math.isfinite(hi):
        out.append(hi)
    elif p.allow_inf:
        out.append(INF)
    return [v for v in dict.fromkeys(out) if p.allow_inf or math.isfinite(v)]


def _top(p: Parameter) -> float:
    """Largest finite value drawn at random: the upper bound, or 10x the largest notable one."""
    lo, hi = p.bounds
    if math.isfinite(hi):
        return hi
    finite = [abs(v) for v in _notable(p) if math.isfinite(v)]
    return max(10.0 * max(finite), lo + 1.0, 10.0)


def value_of(p: Parameter) -> st.SearchStrategy[float]:
    """Any allowed value of a registry entry (its bounds, inf for capacities)."""
    return st.one_of(
        st.sampled_from(_notable(p)),
        st.floats(p.bounds[0], _top(p), allow_nan=False, allow_infinity=False),
    )


def draw_of(names: Sequence[str] = INPUTS) -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries({n: value_of(REG[n]) for n in names})


def draws_of(
    names: Sequence[str] = INPUTS, max_draws: int = 4
) -> st.SearchStrategy[dict[str, np.ndarray]]:
    """A block of draws: every input's values, shape (draws,).

    The inputs in ``names`` vary; the others stay at their registry central value.
    """

    def block(rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
        return {
            n: np.array([r[n] for r in rows]) if n in names else np.full(len(rows), REG[n].value)
            for n in INPUTS
        }

    return st.lists(draw_of(names), min_size=1, max_size=max_draws).map(block)


#: The inputs the enforcement pipeline and its two provisions read.
PIPELINE = [n for n in INPUTS if REG[n].provision in ("hiring", "removals")
            or n in ("detainers_per_year",)]


def same_dollar_year(names: Sequence[str], dollar_year: int) -> dict[str, dict[str, object]]:
    """Settings that stamp money inputs with ``dollar_year``, so values need no conversion."""
    return {
        n: {"value": REG[n].value, "dollar_year": dollar_year}
        for n in names
        if REG[n].is_money and REG[n].dollar_year != "nominal"
    }


ALL = ec.Scenario(name="all provisions, registry settings")
WINDOW = Window(ALL.start_year, ALL.years)


def run(values: Mapping[str, np.ndarray], sc: ec.Scenario = ALL, window: Window = WINDOW) -> Run:
    return run_values(sc, values, window, sc.dollar_year)


def line(r: Run, provision: str, item: str) -> np.ndarray:
    """One line's amounts, shape (draws, years)."""
    hit = np.flatnonzero((r.lines["provision"] == provision) & (r.lines["item"] == item))
    assert hit.size == 1, (provision, item)
    return r.amounts[hit[0]]


def as_result(sc: ec.Scenario, policy: Run, baseline: Run | None = None) -> ec.Result:
    return ec.Result(
        scenario=sc,
        window=Window(sc.start_year, sc.years),
        dollar_year=sc.dollar_year,
        discount_rate=sc.discount_rate,
        policy_run=policy,
        baseline_run=baseline,
        deterministic=False,
    )


# -- (a) costs are linear in unit costs ----------------------------------------------
#: Each money input (or group scaled together) and the lines that use it. The
#: entry fines' statutory minimum and maximum scale the fine only together, as do
#: the visitor spending of officials-type and of broadly sanctioned countries.
MONEY_LINES: dict[tuple[str, ...], set[tuple[str, str]]] = {
    ("officer_annual_cost",): {("hiring", "ERO officer pay and benefits")},
    ("support_staff_annual_cost",): {("hiring", "support staff pay and benefits")},
    ("screening_cost_per_applicant",): {("hiring", "recruiting and applicant screening")},
    ("training_cost_per_officer",): {("hiring", "basic training")},
    ("equipment_cost_per_officer",): {("hiring", "equipment")},
    ("apprehension_cost_per_arrest",): {("removals", "apprehension")},
    ("bed_day_cost",): {("removals", "detention")},
    ("atd_cost_per_day",): {("removals", "alternatives to detention")},
    ("legal_cost_per_case",): {("removals", "ICE attorneys (OPLA)")},
    ("immigration_court_cost_per_judge_year",): {("removals", "immigration courts (EOIR)")},
    ("charter_cost_per_person",): {("removals", "transport")},
    ("bed_capital_cost",): {("removals", "detention bed capital")},
    ("local_jail_cost_per_day",): {("detainers", "extra local jail days")},
    ("scaap_appropriation",): {
        ("detainers", "SCAAP payments (fixed appropriation)"),
        ("detainers", "SCAAP payments received"),
    },
    ("settlement_cost",): {("detainers", "civil-liability settlements")},
    ("local_cost_per_287g_officer_year",): {("partnerships_287g", "local officer time")},
    ("federal_cost_per_287g_agreement",): {
        ("partnerships_287g", "federal training and oversight")
    },
    ("sanctuary_grants_at_risk",): {
        ("sanctuary", "grants withheld for good (federal saving)"),
        ("sanctuary", "grants withheld for good (local loss)"),
    },
    ("cost_per_worksite_investigation",): {("worksite", "worksite investigations")},
    ("employer_fine_revenue_per_audit",): {("worksite", "employer fines collected")},
    ("entry_fine_min", "entry_fine_max"): {("entry_fines", "entry fines collected")},
    ("harboring_fine_revenue",): {("entry_fines", "harboring fines collected")},
    # the spending of a country under each type of sanction scales the loss only together
    ("visitor_spending_per_officials_sanctioned_country",
     "visitor_spending_per_broadly_sanctioned_country"): {
        ("visa_sanctions", "visitor spending lost"),
        ("visa_sanctions", "federal taxes on lost spending"),
        ("visa_sanctions", "state and local taxes on lost spending"),
    },
    ("voice_cost_per_fte",): {("victims_office", "VOICE staff added to the payroll")},
    ("report_cost",): {("reporting", "quarterly and implementation reports")},
    ("state_local_taxes_per_person",): {("tax_base", "state and local taxes not paid")},
    ("federal_taxes_per_person",): {("tax_base", "federal taxes not paid (on-budget)")},
    ("social_security_taxes_per_person",): {
        ("tax_base", "Social Security taxes not paid (off-budget)")
    },
    ("asylum_fee",): {("fees_2025", "asylum application fees")},
    ("annual_asylum_fee",): {("fees_2025", "annual asylum fees")},
    ("ead_initial_fee",): {("fees_2025", "initial work-permit fees")},
    ("parole_fee",): {("fees_2025", "parole fees")},
    ("tps_fee",): {("fees_2025", "TPS application fees")},
    ("visa_integrity_fee",): {("fees_2025", "visa integrity fees")},
    ("in_absentia_fee",): {("fees_2025", "in-absentia removal fees")},
    ("apprehension_fee",): {("fees_2025", "apprehension fees")},
    ("appropriation_outlays_state_local",): {
        ("reimbursement_2025", "reimbursement grants paid (federal outlay)"),
        ("reimbursement_2025", "reimbursement grants received (state and local gain)"),
    },
    ("appropriation_outlays_operations",): {
        ("operations_2025", "ICE operations outlays (transport, IT, fleet, facilities, other)"),
    },
}


#: Money that buys capacity (beds, officers, judges) rather than pricing a line: it acts
#: through the pipeline (tests/test_appropriations.py); zero in every registry draw, so
#: the unit costs stay linear below.
FUNDING = {"appropriation_outlays_detention", "appropriation_outlays_personnel",
           "appropriation_outlays_courts"}


def test_every_money_input_has_its_lines_listed() -> None:
    """A new money parameter must be added to MONEY_LINES (and so to the linearity check)."""
    money = {n for n in INPUTS if REG[n].is_money}
    listed = {n for group in MONEY_LINES for n in group}
    assert listed | FUNDING == money
    assert not listed & FUNDING


GROUPS = sorted(MONEY_LINES)


@settings(PROPERTY, max_examples=10)
@given(
    values=draws_of(),
    ks=st.lists(
        st.one_of(st.sampled_from([0.0, 2.0]), st.floats(0.0, 10.0)),
        min_size=len(GROUPS), max_size=len(GROUPS),
    ),
)
def test_costs_scale_linearly_with_one_unit_cost(
    values: dict[str, np.ndarray], ks: list[float]
) -> None:
    """Multiplying a unit cost by k multiplies exactly its lines by k; nothing else moves.

    Every unit cost (or group) in turn, each by its own k, on the same draws; with no
    appropriation buying capacity (``FUNDING`` at zero: a bed-day, officer-year or
    judge-year cost also sets how much capacity such money buys).
    """
    values = {**values, **{n: np.zeros_like(values[n]) for n in FUNDING}}
    before = run(values)
    keys = list(zip(before.lines["provision"], before.lines["item"], strict=True))
    for group, k in zip(GROUPS, ks, strict=True):
        after = run({**values, **{n: values[n] * k for n in group}})
        uses = MONEY_LINES[group]
        assert uses <= set(keys)
        for i, key in enumerate(keys):
            where = f"{key} with {group} x {k}"
            if key in uses:
                # a few roundings apart (a group's costs are combined before scaling:
                # the entry fine's level between its scaled minimum and maximum)
                np.testing.assert_allclose(
                    after.amounts[i], k * before.amounts[i], rtol=1e-10, atol=1e-9,
                    err_msg=where,
                )
            else:
                np.testing.assert_array_equal(after.amounts[i], before.amounts[i], err_msg=where)


# -- (b) the pipeline: monotone in capacity, never more out than in --------------------
CAPACITY = ["ero_officers_added", "ero_officers_baseline", "at_large_arrests_per_officer_year",
            "hires_per_year_max", "detainers_per_year", "custodial_arrests_per_detainer"]


@PROPERTY
@given(
    values=draws_of(PIPELINE),
    name=st.sampled_from(CAPACITY),
    more=st.one_of(st.sampled_from([INF]), st.floats(0.0, 1e4)),
)
def test_more_officers_never_mean_fewer_arrests(
    values: dict[str, np.ndarray], name: str, more: float
) -> None:
    """Cumulative arrests (through every year) never fall when a capacity input rises.

    Arrests in a single year can fall: more arrests earlier leave fewer people
    to arrest later. What must not fall is the number arrested so far.
    """
    if math.isinf(more) and not REG[name].allow_inf:
        more = 1e4
    raised = values[name] + more
    low = np.cumsum(run(values).flows.arrests, axis=1)
    high = np.cumsum(run({**values, name: raised}).flows.arrests, axis=1)
    assert np.all(high >= low * (1 - 1e-12) - 1e-9)


@PROPERTY
@given(values=draws_of(PIPELINE))
def test_pipeline_never_puts_out_more_than_came_in(values: dict[str, np.ndarray]) -> None:
    f = run(values).flows
    enforceable = values["removable_population"] * (1 - values["self_departure_share"])
    tol = 1e-9 * (1 + enforceable[:, None])
    assert np.all(f.arrests <= f.demand + tol)
    assert np.all(f.arrests >= 0)
    assert np.all(np.cumsum(f.arrests, axis=1) <= enforceable[:, None] + tol)
    assert np.all(f.removals - f.summary_removals <= f.court_completions_interior + tol)
    assert np.all(f.court_backlog >= 0)
    assert np.all(f.hires <= values["hires_per_year_max"][:, None])
    # the beds funded: at least the lever, more only with detention money
    assert np.all(f.detention_beds >= values["detention_beds"][:, None])
    no_money = values["appropriation_outlays_detention"] == 0
    assert np.all(f.detention_beds[no_money] == values["detention_beds"][no_money, None])
    beds = f.detention_beds * (1 + values["detention_overrun_share"][:, None])
    assert np.all(f.detention_adp <= beds * (1 + 1e-12))
    assert np.all(f.officers >= 0)


# -- (c) unlimited capacity: the per-person arithmetic of the published studies ---------
REMOVAL_COSTS = ["apprehension_cost_per_arrest", "bed_day_cost", "atd_cost_per_day",
                 "legal_cost_per_case", "immigration_court_cost_per_judge_year",
                 "charter_cost_per_person", "bed_capital_cost"]
UNLIMITED = ec.Scenario(
    name="unlimited capacity",
    provisions=["removals"],
    years=12,
    parameters=same_dollar_year(REMOVAL_COSTS, 2017),
)


def _per_person(v: Mapping[str, np.ndarray], first_year_share: np.ndarray) -> dict[str, np.ndarray]:
    """Window totals of each removals line by hand, shape (draws,): everyone arrested is
    removed at once (summary route), or heard and ordered removed at the detained or
    released rate, every order executed at its rate (no border-origin caseload). With
    unlimited judges every case is completed in its year, by the judges it needs (a
    judge counted for at least one case a year); the bed-day rate does not grow."""
    people = v["removable_population"] * (1 - v["self_departure_share"])
    detained = people * v["detention_share"]
    s, d = v["summary_removal_share"], v["detention_share"]
    removed = people * (s + (1 - s) * (
        d * v["removal_order_share_detained"] * v["execution_rate_detained"]
        + (1 - d) * v["removal_order_share_released"] * v["execution_rate_released"]))
    peak_adp = detained * first_year_share * v["detention_days"] / 365
    return {
        "apprehension": people * v["apprehension_cost_per_arrest"],
        "detention": detained * v["detention_days"] * v["bed_day_cost"],
        "alternatives to detention": (people - detained) * v["atd_placement_share"]
            * v["atd_days"] * v["atd_cost_per_day"],
        "immigration courts (EOIR)": people * (1 - s) / np.maximum(v["cases_per_judge_year"], 1)
            * v["immigration_court_cost_per_judge_year"],
        "ICE attorneys (OPLA)": people * (1 - s) * v["legal_cost_per_case"],
        "transport": removed * v["charter_removal_share"] * v["charter_cost_per_person"]
            * v["transport_to_charter_cost_ratio"],
        "detention bed capital":
            np.maximum(peak_adp - v["detention_beds_existing"] * (1 + v["detention_overrun_share"]),
                       0) * v["bed_capital_cost"],
    }


def _unlimited(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    d = next(iter(values.values())).size
    return {
        **values,
        "at_large_arrests_per_officer_year": np.full(d, INF),
        "detention_beds": np.full(d, INF),
        "immigration_judges": np.full(d, INF),
        "immigration_judges_max": np.full(d, INF),
        "court_backlog_initial": np.zeros(d),
        "border_apprehensions": np.zeros(d),
        "bed_day_cost_real_growth": np.zeros(d),
    }


@PROPERTY
@given(
    values=draws_of(PIPELINE),
    program=st.lists(
        st.one_of(st.integers(1, UNLIMITED.years).map(float), st.floats(1.0, UNLIMITED.years)),
        min_size=4, max_size=4,
    ),
)
def test_unlimited_capacity_reduces_to_per_person_arithmetic(
    values: dict[str, np.ndarray], program: list[float]
) -> None:
    """Population x (1 - self-departure) x unit cost, spread evenly over the program years."""
    d = values["removable_population"].size
    p = np.array(program[:d])
    v = {**_unlimited(values), "removal_program_years": p}
    r = run(v, UNLIMITED, Window(UNLIMITED.start_year, UNLIMITED.years))
    people = v["removable_population"] * (1 - v["self_departure_share"])
    t = np.arange(UNLIMITED.years)
    share = (np.minimum(t + 1, p[:, None]) - np.minimum(t, p[:, None])) / p[:, None]
    np.testing.assert_allclose(r.flows.arrests, people[:, None] * share, rtol=1e-9, atol=1e-6)
    for item, expected in _per_person(v, 1 / p).items():
        got = line(r, "removals", item).sum(axis=1)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-3, err_msg=item)


@PROPERTY
@given(values=draws_of(PIPELINE))
def test_unlimited_capacity_without_a_program_deadline_removes_everyone_in_year_one(
    values: dict[str, np.ndarray],
) -> None:
    d = values["removable_population"].size
    v = {**_unlimited(values), "removal_program_years": np.full(d, INF)}
    r = run(v, UNLIMITED, Window(UNLIMITED.start_year, UNLIMITED.years))
    people = v["removable_population"] * (1 - v["self_departure_share"])
    np.testing.assert_allclose(r.flows.arrests[:, 0], people, rtol=1e-12)
    assert np.all(r.flows.arrests[:, 1:] == 0)
    for item, expected in _per_person(v, np.ones(d)).items():
        amounts = line(r, "removals", item)
        np.testing.assert_allclose(amounts[:, 0], expected, rtol=1e-9, atol=1e-3, err_msg=item)
        assert np.all(amounts[:, 1:] == 0), item


# -- (d) transfers and perspectives ------------------------------------------------------
@PROPERTY
@given(values=draws_of())
def test_transfers_net_to_zero_and_government_is_federal_plus_state_local(
    values: dict[str, np.ndarray],
) -> None:
    r = run(values)
    assert set(r.lines["payer"]) <= set(PAYERS)
    assert set(r.lines["kind"]) <= set(KINDS)
    transfers = (r.lines["kind"] == "transfer").to_numpy()
    assert set(r.lines.loc[transfers, "payer"]) <= {"federal", "state_local"}
    net = r.amounts[transfers].sum(axis=0)
    scale = np.abs(r.amounts[transfers]).sum(axis=0)
    assert np.all(np.abs(net) <= 1e-12 * scale)

    res = as_result(ALL, r)
    for basis in ec.BASES:
        fed = res.total("federal", basis=basis)
        local = res.total("state_local", basis=basis)
        gov = res.total("government", basis=basis)
        size = np.abs(res.cube(basis)).sum(axis=(1, 2))
        np.testing.assert_allclose(gov, fed + local, rtol=0, atol=1e-12 * size.max() + 1e-6)
        # Government's total is its non-transfer lines: the transfers cancel.
        cube = res.cube(basis)
        gov_lines = r.lines["payer"].isin(["federal", "state_local"]).to_numpy()
        own = cube[:, :, gov_lines & ~transfers].sum(axis=(1, 2))
        np.testing.assert_allclose(gov, own, rtol=0, atol=1e-12 * size.max() + 1e-6)


# -- (e) nominal, real, present value; impact -----------------------------------------------
def _cpi() -> dict[int, float]:
    text = resources.files("enforcecost").joinpath("data/cpi_u_annual.csv").read_text()
    return {int(r["year"]): float(r["cpi_u"]) for r in csv.DictReader(text.splitlines())}


def _level(year: int, g: float) -> float:
    """CPI-U of a year, projected at ``g`` a year past the data."""
    cpi = _cpi()
    last = max(cpi)
    return cpi[year] if year <= last else cpi[last] * (1 + g) ** (year - last)


@PROPERTY
@given(
    start_year=st.integers(2017, 2035),
    years=st.integers(1, 12),
    dollar_year=st.integers(2000, 2040),
    inflation=st.floats(-0.02, 0.1),
    rate=st.one_of(st.just(0.0), st.floats(-0.02, 0.1)),
)
def test_nominal_real_and_pv_identities(
    start_year: int, years: int, dollar_year: int, inflation: float, rate: float
) -> None:
    sc = ec.Scenario(
        name="bases", start_year=start_year, years=years, dollar_year=dollar_year,
        discount_rate=rate, parameters={"inflation_projection": inflation},
    )
    res = ec.evaluate(sc)
    real, nominal, pv = (res.cube(b)[0] for b in ("real", "nominal", "pv"))  # (years, lines)
    price = np.array([_level(fy, inflation) / _level(dollar_year, inflation)
                      for fy in res.fiscal_years])
    np.testing.assert_allclose(nominal, real * price[:, None], rtol=1e-12, atol=1e-6)
    discount = (1 + rate) ** -np.arange(years, dtype=float)
    np.testing.assert_allclose(pv, real * discount[:, None], rtol=1e-12, atol=1e-6)
    if rate == 0:
        np.testing.assert_array_equal(pv, real)
    for basis in ec.BASES:
        led = res.ledger(basis=basis)
        assert led["amount"].sum() == pytest.approx(res.cube(basis).sum(), rel=1e-9, abs=1e-3)


def _by_key(led: pd.DataFrame) -> pd.Series:
    return led.set_index(["fiscal_year", "provision", "item", "payer", "kind"])["amount"]


@pytest.mark.parametrize("basis", ec.BASES)
def test_impact_is_policy_minus_baseline_line_by_line(basis: str) -> None:
    """Including lines that only one side books (here: provisions the baseline leaves out)."""
    base = ec.Scenario(
        name="half the provisions", provisions=["hiring", "removals", "detainers", "tax_base"],
        parameters={"ero_officers_added": 0, "detainers_per_year": 85720},
    )
    policy = ec.Scenario(name="policy", parameters={"detention_beds": 51379}, baseline=base)
    res = ec.evaluate(policy)
    impact = _by_key(res.ledger(basis=basis))
    pol = _by_key(res.policy.ledger(basis=basis))
    bl = _by_key(res.baseline.ledger(basis=basis))
    expected = pol.sub(bl, fill_value=0.0)
    assert set(impact.index) == set(expected.index)
    np.testing.assert_allclose(
        impact.sort_index().to_numpy(), expected.sort_index().to_numpy(), rtol=1e-12, atol=1e-6
    )
    for perspective in ec.PERSPECTIVES:
        assert res.total(perspective, basis=basis) == pytest.approx(
            res.policy.total(perspective, basis=basis)
            - res.baseline.total(perspective, basis=basis),
            rel=1e-12, abs=1e-3,
        )


def test_nominal_impact_when_the_baseline_projects_other_inflation() -> None:
    base = ec.Scenario(name="base", parameters={"inflation_projection": 0.04})
    policy = ec.Scenario(name="policy", parameters={"inflation_projection": 0.015},
                         baseline=base)
    res = ec.evaluate(policy)
    assert res.fiscal_years[-1] > max(_cpi())  # some years are projected
    # the nominal impact is each side's then-year dollars, each at its own price level
    assert res.total("federal", basis="nominal") == pytest.approx(
        res.policy.total("federal", basis="nominal")
        - res.baseline.total("federal", basis="nominal"),
        rel=1e-12,
    )
    assert res.total("federal", basis="nominal") != pytest.approx(  # not the policy's prices
        float((res.cube("real").sum(axis=2) * res.policy_run.price).sum()), rel=1e-6
    )
    np.testing.assert_allclose(res.cube("nominal"),
                               res.policy.cube("nominal") - res.baseline.cube("nominal"),
                               rtol=1e-12, atol=1e-3)
    # a Monte Carlo result agrees, with per-draw detail and as a reduction-only one
    mc = ec.simulate(policy, draws=512, seed=3, detail="lines")
    np.testing.assert_allclose(
        mc.total("federal", "nominal"),
        mc.policy.total("federal", "nominal") - mc.baseline.total("federal", "nominal"),
        rtol=1e-12, atol=1e-3,
    )
    red = ec.simulate(policy, draws=512, seed=3, detail="summary")
    assert red.mean_total("federal", "nominal") == pytest.approx(
        float(np.mean(mc.total("federal", "nominal"))), rel=1e-12
    )
    np.testing.assert_allclose(
        red.quantile([0.05, 0.5, 0.95], "federal", "nominal"),
        np.quantile(mc.total("federal", "nominal"), [0.05, 0.5, 0.95]),
        rtol=2e-3,
    )


# -- (f) 0 x inf, and no NaN anywhere -------------------------------------------------------
def test_zero_officers_with_unlimited_productivity_arrest_everyone() -> None:
    d = 3
    values = {n: np.full(d, s.value) for n, s in ALL.settings().items()}
    values.update(
        ero_officers_baseline=np.zeros(d),
        ero_officers_added=np.zeros(d),
        at_large_arrests_per_officer_year=np.full(d, INF),
        removable_population=np.array([0.0, 1e3, 11e6]),
        self_departure_share=np.array([0.0, 0.2, 1.0]),
    )
    r = run(values)
    assert np.all(np.isfinite(r.amounts))
    enforceable = values["removable_population"] * (1 - values["self_departure_share"])
    np.testing.assert_array_equal(r.flows.arrests[:, 0], enforceable)
    assert np.all(r.flows.arrests[:, 1:] == 0)
    assert np.all(line(r, "hiring", "ERO officer pay and benefits") == 0)


def test_unlimited_capacities_times_zero_are_unlimited() -> None:
    """beds inf x 365, judges inf x 0 cases each: no limit, never NaN."""
    d = 2
    values = {n: np.full(d, s.value) for n, s in ALL.settings().items()}
    values.update(
        detention_beds=np.full(d, INF),
        immigration_judges=np.full(d, INF),
        cases_per_judge_year=np.array([0.0, 700.0]),
        hires_per_year_max=np.full(d, INF),
        court_backlog_initial=np.zeros(d),
    )
    f = run(values).flows
    np.testing.assert_allclose(f.cases_completed, f.court_receipts, rtol=1e-12)
    np.testing.assert_array_equal(f.court_backlog, 0.0)
    np.testing.assert_allclose(
        f.detained_bed_days,
        (f.arrests + f.border_apprehensions)
        * values["detention_share"][:, None] * values["detention_days"][:, None],
    )
    np.testing.assert_allclose(f.hires[:, 0], values["ero_officers_added"] + (
        values["ero_officers_baseline"] * values["attrition_rate"]))


def _check_finite(values: dict[str, np.ndarray]) -> None:
    r = run(values)
    assert np.all(np.isfinite(r.amounts))
    assert np.all(np.isfinite(r.price))
    for name in ("officers", "hires", "officer_years", "arrests", "demand",
                 "detained_bed_days", "detention_adp", "new_beds", "atd_people",
                 "cases_completed", "court_backlog", "removals", "removed_before"):
        assert np.all(np.isfinite(getattr(r.flows, name))), name
    res = as_result(ALL, r)
    for basis in ec.BASES:
        for perspective in ec.PERSPECTIVES:
            assert np.all(np.isfinite(res.total(perspective, basis=basis)))


@PROPERTY
@given(values=draws_of(max_draws=4))
def test_no_nan_for_any_valid_values(values: dict[str, np.ndarray]) -> None:
    _check_finite(values)


@pytest.mark.slow
@settings(PROPERTY, max_examples=200)
@given(values=draws_of(max_draws=8))
def test_no_nan_for_any_valid_values_thoroughly(values: dict[str, np.ndarray]) -> None:
    """The same check with more, larger blocks of draws (about a minute)."""
    _check_finite(values)
