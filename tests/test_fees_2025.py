"""The 2025 provisions: the immigration fees of P.L. 119-21 and the state and local
reimbursement funds, computed by hand from their module docstrings.

As in tests/test_provisions.py, each test sets round parameter values, writes the
formula out as plain arithmetic (never calling the module) and compares the ledger
line by line. Fee amounts are statutory (nominal dollars), so the hand computation
is in the ledger's nominal basis, where no price index enters.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import enforcecost as ec

START, YEARS, DOLLAR_YEAR = 2025, 3, 2025
IN_FORCE = {"by_year": {2025: 0.24, 2026: 1.0}}  # July 4 - Sep 30 of FY2025, then whole years

#: Round volumes and shares, the same for every test that does not vary them.
VOLUMES: dict[str, object] = {
    "asylum_applications_per_year": 1_000,
    "asylum_applications_pending": 2_000,
    "ead_initial_applications_per_year": 300,
    "parole_grants_per_year": 400,
    "tps_applications_per_year": 500,
    "nonimmigrant_visas_per_year": 10_000,
    "in_absentia_orders_per_year": 600,
    "border_apprehensions": 700,
    "benefit_fee_payment_share": 0.9,
    "annual_asylum_fee_payment_share": 0.5,
    "visa_integrity_fee_retained_share": 0.8,
    "in_absentia_fee_collection_rate": 0.1,
    "apprehension_fee_collection_rate": 0.05,
}

#: The registry's statutory amounts, FY2025-FY2027, nominal dollars.
FEES = {
    "asylum_fee": [100, 100, 100],
    "annual_asylum_fee": [100, 102, 102],
    "ead_initial_fee": [550, 560, 570],
    "parole_fee": [1_000, 1_020, 1_040],
    "tps_fee": [500, 510, 520],
    "visa_integrity_fee": [250, 250, 250],
    "in_absentia_fee": [5_000, 5_130, 5_250],
    "apprehension_fee": [5_000, 5_130, 5_250],
}


def scenario(parameters: dict[str, object], provisions: tuple[str, ...] = ("fees_2025",),
             years: int = YEARS) -> ec.Scenario:
    return ec.Scenario(name="hand check: 2025", provisions=list(provisions),
                       parameters=parameters, start_year=START, years=years,
                       dollar_year=DOLLAR_YEAR)


def lines(res: ec.Result, basis: str = "nominal") -> dict[str, tuple[str, str, np.ndarray]]:
    """Every ledger line by item: (payer, kind, amounts by fiscal year)."""
    led = res.ledger(basis=basis)
    out = {}
    for item, g in led.groupby("item", sort=False):
        g = g.sort_values("fiscal_year")
        assert g["payer"].nunique() == 1
        assert g["kind"].nunique() == 1
        out[item] = (g["payer"].iloc[0], g["kind"].iloc[0], g["amount"].to_numpy())
    return out


def by_hand() -> dict[str, np.ndarray]:
    """Each fee's revenue by fiscal year (then-year dollars, gains negative), by hand."""
    on = np.array([0.24, 1.0, 1.0])
    v = VOLUMES
    rows = {
        "asylum application fees": ("asylum_fee", 1_000 * 0.9),
        "annual asylum fees": ("annual_asylum_fee", 2_000 * 0.5),
        "initial work-permit fees": ("ead_initial_fee", 300 * 0.9),
        "parole fees": ("parole_fee", 400 * 0.9),
        "TPS application fees": ("tps_fee", 500 * 0.9),
        "visa integrity fees": ("visa_integrity_fee", 10_000 * 0.8),
        "in-absentia removal fees": ("in_absentia_fee", 600 * 0.1),
        "apprehension fees": ("apprehension_fee", 700 * 0.05),
    }
    assert v["asylum_applications_per_year"] == 1_000  # the arithmetic above uses VOLUMES
    return {item: -(np.array(FEES[fee], dtype=float) * paid * on)
            for item, (fee, paid) in rows.items()}


def test_fee_revenue_is_the_hand_computed_product() -> None:
    res = ec.evaluate(scenario({**VOLUMES, "fees_2025_in_force": IN_FORCE}))
    got = lines(res)
    expected = by_hand()
    assert set(got) == set(expected)
    for item, amounts in expected.items():
        payer, kind, booked = got[item]
        assert (payer, kind) == ("federal", "revenue"), item
        np.testing.assert_allclose(booked, amounts, rtol=1e-12, err_msg=item)
    # FY2025: asylum 100 x 900 x 0.24 = $21,600 of the first line, by hand.
    assert got["asylum application fees"][2][0] == pytest.approx(-21_600.0, rel=1e-12)
    # The apprehension fee's volume is the pipeline's border flow, not a parameter of its own.
    np.testing.assert_allclose(res.pipeline()["border_apprehensions"], [700.0] * 3)
    # Real dollars of FY2025: FY2025's amount is its nominal one; later years are deflated.
    real = lines(res, basis="real")["apprehension fees"][2]
    nominal = got["apprehension fees"][2]
    assert real[0] == pytest.approx(nominal[0], rel=1e-12)
    assert abs(real[1]) < abs(nominal[1])


def test_total_is_the_sum_of_the_fees() -> None:
    res = ec.evaluate(scenario({**VOLUMES, "fees_2025_in_force": IN_FORCE}))
    total = sum(a.sum() for a in by_hand().values())
    assert res.total("federal", basis="nominal") == pytest.approx(total, rel=1e-12)
    assert res.total("state_local", basis="nominal") == 0.0


def test_no_fee_before_the_law_nor_in_the_2017_scenarios() -> None:
    """fees_2025_in_force is 0 unless a scenario sets it: every fee books zero."""
    assert ec.registry()["fees_2025_in_force"].value == 0.0
    res = ec.evaluate(scenario(dict(VOLUMES)))
    for item, (_, _, amounts) in lines(res).items():
        np.testing.assert_array_equal(amounts, 0.0, err_msg=item)
    shipped = ec.load_scenario("eo13768")
    # the 2017 order costs its own provisions; costed anyway, the 2025 ones book zero
    assert not {"fees_2025", "reimbursement_2025"} & set(shipped.provisions)
    eo = ec.evaluate(shipped.replace(provisions=ec.PROVISIONS))
    led = eo.ledger(basis="real")
    for provision in ("fees_2025", "reimbursement_2025"):
        mine = led[led["provision"] == provision]
        assert len(mine) > 0
        np.testing.assert_array_equal(mine["amount"].to_numpy(), 0.0, err_msg=provision)


def test_fees_are_federal_revenue_gains() -> None:
    res = ec.evaluate(scenario({**VOLUMES, "fees_2025_in_force": IN_FORCE}))
    for item, (payer, kind, amounts) in lines(res).items():
        assert (payer, kind) == ("federal", "revenue"), item
        assert np.all(amounts < 0), item  # revenue gained is negative
    assert res.total("federal", basis="real") < 0


@pytest.mark.parametrize("fee", sorted(FEES))
def test_revenue_rises_with_the_fee(fee: str) -> None:
    """Doubling one fee doubles its line and leaves the others as they were."""
    base = {**VOLUMES, "fees_2025_in_force": IN_FORCE}
    doubled = {**base, fee: {"by_year": {2025 + i: 2.0 * f for i, f in enumerate(FEES[fee])}}}
    low = lines(ec.evaluate(scenario(base)))
    high = lines(ec.evaluate(scenario(doubled)))
    changed = [item for item in low if not np.array_equal(low[item][2], high[item][2])]
    assert len(changed) == 1
    np.testing.assert_allclose(high[changed[0]][2], 2.0 * low[changed[0]][2], rtol=1e-12)
    assert np.all(high[changed[0]][2] < low[changed[0]][2])  # more revenue: more negative


def test_registry_amounts_are_the_statutory_minimums_indexed_by_the_statute() -> None:
    """FY2025 amounts are the statute's minimums; from FY2027 each year is last year's fee
    raised by 2.5 percent (the registry's central inflation) and rounded down to $10."""
    reg = ec.registry()
    statute = {"asylum_fee": 100, "annual_asylum_fee": 100, "ead_initial_fee": 550,
               "parole_fee": 1_000, "tps_fee": 500, "visa_integrity_fee": 250,
               "in_absentia_fee": 5_000, "apprehension_fee": 5_000}
    rate = reg["inflation_projection"].value
    for name, minimum in statute.items():
        p = reg[name]
        assert p.dollar_year == "nominal", name
        schedule = dict(p.by_year or ())
        assert schedule[2025] == minimum, name
        years = sorted(schedule)
        for prev, year in itertools.pairwise(years):
            if year >= 2027:
                assert schedule[year] == 10 * math.floor(schedule[prev] * (1 + rate) / 10), \
                    (name, year)
        if name in ("asylum_fee", "visa_integrity_fee"):  # the rounding holds them flat
            assert years == [2025], name


# -- reimbursement_2025 -------------------------------------------------------------------
def test_reimbursement_is_a_transfer_that_nets_to_zero() -> None:
    outlays = {"by_year": {2025: 0.0, 2026: 2.0e9, 2027: 3.0e9}}
    res = ec.evaluate(scenario({"appropriation_outlays_state_local": outlays},
                               provisions=("reimbursement_2025",)))
    got = lines(res)
    assert set(got) == {"reimbursement grants paid (federal outlay)",
                        "reimbursement grants received (state and local gain)"}
    fed = got["reimbursement grants paid (federal outlay)"]
    local = got["reimbursement grants received (state and local gain)"]
    assert fed[:2] == ("federal", "transfer")
    assert local[:2] == ("state_local", "transfer")
    np.testing.assert_allclose(fed[2], [0.0, 2.0e9, 3.0e9], rtol=1e-12)  # a cost: positive
    np.testing.assert_allclose(local[2], [0.0, -2.0e9, -3.0e9], rtol=1e-12)  # a gain
    assert res.total("federal", basis="nominal") == pytest.approx(5.0e9, rel=1e-12)
    assert res.total("state_local", basis="nominal") == pytest.approx(-5.0e9, rel=1e-12)
    for basis in ("nominal", "real", "pv"):
        assert res.total("government", basis=basis) == pytest.approx(0.0, abs=1e-3)


def test_reimbursement_books_nothing_by_default() -> None:
    reg = ec.registry()
    assert reg["appropriation_outlays_state_local"].value == 0.0
    assert reg["state_border_security_fund_appropriation"].value == 10.0e9  # 8 U.S.C. 1716
    assert reg["biden_reimbursement_fund_appropriation"].value == 3.5e9  # 34 U.S.C. 61101
    res = ec.evaluate(scenario({}, provisions=("reimbursement_2025",)))
    for item, (_, _, amounts) in lines(res).items():
        np.testing.assert_array_equal(amounts, 0.0, err_msg=item)
