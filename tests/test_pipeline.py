"""The enforcement system (pipeline, second version): people conserved, capacities
respected, the backlog's direction, and border-origin caseloads that cancel in the impact
unless they compete for beds or judges."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import enforcecost as ec
from enforcecost.provisions import Flows, run_pipeline
from enforcecost.provisions.pipeline import FLOW_UNITS

INPUTS = {n: p for n, p in ec.registry().items() if p.role == "input"}


def _central(draws: int) -> dict[str, np.ndarray]:
    return {n: np.full((draws, 1), p.value) for n, p in INPUTS.items()}


def _run(overrides: Mapping[str, object], draws: int = 1, years: int = 5) -> Flows:
    p = _central(draws)
    for name, value in overrides.items():
        a = np.asarray(value, dtype=np.float64)
        p[name] = a.reshape(draws, -1) if a.ndim else np.full((draws, 1), float(a))
    return run_pipeline(p, years)


def _before(stock: np.ndarray, start: np.ndarray | float) -> np.ndarray:
    """The stock at the start of each year: ``start``, then last year's end."""
    prev = np.empty_like(stock)
    prev[:, 0] = start
    prev[:, 1:] = stock[:, :-1]
    return prev


# -- conservation and capacities, for any inputs (Hypothesis) ----------------------------------

shares = st.floats(0.0, 1.0)
counts = st.floats(0.0, 2e6)


@st.composite
def inputs(draw: st.DrawFn) -> tuple[dict[str, np.ndarray], int]:
    years = draw(st.integers(1, 6))
    d = 3

    def per_year(strategy: st.SearchStrategy[float]) -> np.ndarray:
        return np.array([[draw(strategy) for _ in range(years)] for _ in range(d)])

    def per_draw(strategy: st.SearchStrategy[float]) -> np.ndarray:
        return np.array([[draw(strategy)] for _ in range(d)])

    p = _central(d)
    p.update(
        ero_officers_baseline=per_draw(st.floats(0, 20_000)),
        ero_officers_added=per_draw(st.floats(0, 20_000)),
        attrition_rate=per_draw(shares),
        at_large_arrests_per_officer_year=per_draw(st.floats(0, 50)),
        detainers_per_year=per_year(st.floats(0, 300_000)),
        custodial_arrests_per_detainer=per_draw(st.floats(0, 2)),
        removable_population=per_draw(st.floats(0, 12e6)),
        removal_program_years=per_draw(st.sampled_from([1.0, 3.0, 10.0, np.inf])),
        summary_removal_share=per_draw(shares),
        detention_share=per_draw(shares),
        detention_days=per_draw(st.floats(0, 400)),
        detention_beds=per_year(st.one_of(st.floats(0, 80_000), st.just(np.inf))),
        detention_overrun_share=per_draw(st.floats(0, 0.2)),
        border_apprehensions=per_year(counts),
        border_court_receipts_per_apprehension=per_draw(st.floats(0, 1)),
        border_removals_per_apprehension=per_draw(st.floats(0, 1)),
        immigration_judges=per_year(st.one_of(st.floats(0, 800), st.just(np.inf))),
        cases_per_judge_year=per_draw(st.floats(0, 1500)),
        court_backlog_initial=per_draw(counts),
        removal_order_share_detained=per_draw(shares),
        removal_order_share_released=per_draw(shares),
        execution_rate_detained=per_draw(shares),
        execution_rate_released=per_draw(shares),
    )
    return p, years


def _close(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-6 * (1.0 + np.abs(b).max()))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(inputs())
def test_people_are_conserved_every_year_of_every_draw(case: tuple[dict, int]) -> None:
    p, years = case
    f = run_pipeline(p, years)
    for field in FLOW_UNITS:
        v = getattr(f, field)
        assert v.shape == (3, years)
        # capacities may be unlimited (inf); every flow and stock is finite
        assert np.all(np.isfinite(v)) or field in ("detention_beds", "immigration_judges"), field
        assert np.all(v >= 0), field
    # interior arrestees: removed at once, completed in court, or still pending
    _close(f.arrests, f.summary_removals + f.court_completions_interior
           + f.court_backlog_interior - _before(f.court_backlog_interior, 0.0))
    # every court case: received = completed + added to the stock pending
    _close(f.court_receipts, f.cases_completed + f.court_backlog
           - _before(f.court_backlog, p["court_backlog_initial"][:, 0]))
    _close(f.court_receipts, f.notices_to_appear
           + f.border_apprehensions * p["border_court_receipts_per_apprehension"])
    _close(f.arrests, f.arrests_custodial + f.arrests_at_large)
    _close(f.arrests, f.summary_removals + f.notices_to_appear)
    _close(f.removals_total, f.removals + f.removals_border)
    # completions end in orders or other outcomes; orders are executed or not
    assert np.all(f.removal_orders <= f.court_completions_interior * (1 + 1e-12) + 1e-9)
    assert np.all(f.removals - f.summary_removals <= f.removal_orders * (1 + 1e-12) + 1e-9)
    # nobody is arrested twice: cumulative arrests within the enforceable population
    enforceable = p["removable_population"] * (1 - p["self_departure_share"])
    assert np.all(f.arrests.cumsum(axis=1) <= enforceable * (1 + 1e-12) + 1e-6)
    _close(f.removed_before, _before(f.removals.cumsum(axis=1), 0.0))
    # officers: last year's, less leavers, plus hires
    officers_before = _before(f.officers, p["ero_officers_baseline"][:, 0])
    _close(f.officers, officers_before * (1 - p["attrition_rate"]) + f.hires)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(inputs())
def test_capacities_are_respected(case: tuple[dict, int]) -> None:
    p, years = case
    f = run_pipeline(p, years)
    beds = np.broadcast_to(p["detention_beds"], (3, years)) * (1 + p["detention_overrun_share"])
    assert np.all(f.detention_adp <= beds * (1 + 1e-12))
    assert np.all(f.detention_adp <= f.detention_need_adp * (1 + 1e-12) + 1e-9)
    _close(f.detained_bed_days, f.detention_adp * 365)
    judges = np.broadcast_to(p["immigration_judges"], (3, years))
    with np.errstate(invalid="ignore"):
        capacity = np.where(np.isinf(judges), np.inf, judges * p["cases_per_judge_year"])
    assert np.all(f.cases_completed <= capacity * (1 + 1e-12) + 1e-9)
    custodial_cap = np.broadcast_to(p["detainers_per_year"], (3, years)) \
        * p["custodial_arrests_per_detainer"]
    assert np.all(f.arrests_custodial <= custodial_cap * (1 + 1e-12) + 1e-9)
    assert np.all(f.arrests <= f.demand * (1 + 1e-12) + 1e-9)


# -- the courts' direction ---------------------------------------------------------------------

@pytest.mark.parametrize("judges", [200, 300, 400, 600])
def test_backlog_rises_when_receipts_exceed_capacity_and_falls_otherwise(judges: int) -> None:
    f = _run({"immigration_judges": judges, "court_backlog_initial": 500_000}, years=4)
    capacity = judges * INPUTS["cases_per_judge_year"].value
    change = np.diff(np.concatenate([[500_000.0], f.court_backlog[0]]))
    gap = f.court_receipts[0] - capacity
    assert np.all(np.sign(change) == np.sign(gap)), (change, gap)
    np.testing.assert_allclose(change, gap)  # the queue never empties here


def test_detained_docket_is_heard_first() -> None:
    """Too few judges for the detained docket: every completion is of a detained case."""
    f = _run({"immigration_judges": 10, "detention_beds": np.inf}, years=2)
    capacity = 10 * INPUTS["cases_per_judge_year"].value
    np.testing.assert_allclose(f.cases_completed, capacity)
    np.testing.assert_allclose(f.court_completions_interior, capacity)


# -- the border-origin caseload ---------------------------------------------------------------

def _impact(beds: float, judges: float, border: float, existing: float = 34_000) -> float:
    world = {"border_apprehensions": border, "detention_beds": beds,
             "immigration_judges": judges, "detention_beds_existing": existing}
    base = ec.load_scenario("pre_eo_2016").replace(parameters=world)
    policy = ec.load_scenario("eo13768").replace(parameters=world, baseline=base)
    return float(ec.evaluate(policy).total("federal", basis="real"))


def test_border_inflows_cancel_in_the_impact_when_no_capacity_binds() -> None:
    """Unlimited beds and judges, and no existing beds whose use would spare capital."""
    low, high = (_impact(np.inf, np.inf, b, existing=0) for b in (200_000, 900_000))
    assert high == pytest.approx(low, rel=1e-12)


def test_border_inflows_compete_for_beds_when_they_bind() -> None:
    """With beds at the pre-order level on both sides, a larger border caseload leaves
    fewer beds to the order's extra arrests: the impact on detention falls."""
    low, high = (_impact(34_000, np.inf, b) for b in (200_000, 900_000))
    assert high < low * 0.99


def test_flow_units_document_every_field() -> None:
    from dataclasses import fields
    assert list(FLOW_UNITS) == [f.name for f in fields(Flows)]
    doc = Flows.__doc__ or ""
    assert all(f"{f.name} :" in doc for f in fields(Flows))
