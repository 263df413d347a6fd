"""The enforcement system: officers → arrests → routes → detention → courts → removals.

A yearly stock-and-flow over the window, vectorized over draws. It is computed once
per run and read by the ``hiring``, ``removals``, ``detainers`` and ``tax_base``
provisions, so each cost is booked once. Every flow within a year is spread evenly
over it; every quantity is per fiscal year unless it is a stock (end of year).

**Funding.** Money appropriated above the levers' funded level buys capacity at the
model's unit costs. Each ``appropriation_outlays_<account>`` is that account's
outlays in the fiscal year (the scenario's ``[appropriations]``, budget authority
spent out by a stated rule; zero when there is none, as in every 2017 scenario):

* detention: ``appropriation_outlays_detention`` / (``bed_day_cost``, grown at
  ``bed_day_cost_real_growth``, × 365) more beds that year;
* personnel: ``appropriation_outlays_personnel`` / (``officer_annual_cost`` +
  ``support_staff_per_officer`` × ``support_staff_annual_cost``) more officers in
  the year's target;
* courts: ``appropriation_outlays_courts`` / ``immigration_court_cost_per_judge_year``
  more immigration judges, at most ``immigration_judges_max`` in all.

**Officers.** ``attrition_rate`` of the officers on board at the start of a year
leave during it; hires fill the gap to ``ero_officers_baseline +
ero_officers_added`` (plus the officers funded that year), at most
``hires_per_year_max`` a year. Officer-years on the
payroll count leavers and hires for half a year. A hire works only after
``training_weeks`` of basic training: with arrivals uniform over the year, a hire's
productive share of the first year is ``(1 - tau) ** 2 / 2`` (``tau =
training_weeks / 52``), and late arrivals still train for ``tau ** 2 / 2`` of the
next year on average.

**Interior arrests** (ICE ERO administrative arrests) come by two channels, both
bounded by the demand (the enforceable population not yet arrested,
``removable_population`` × (1 − ``self_departure_share``), spread evenly over
``removal_program_years`` when that is finite):

* *custodial*: transfers from jails and prisons, ``detainers_per_year`` ×
  ``custodial_arrests_per_detainer`` (detainers are issued through Secure
  Communities and 287(g) jail screening, so both act through them);
* *at large*: officer-limited, productive officer-years ×
  ``at_large_arrests_per_officer_year``, within the demand the custodial channel
  leaves.

**Routes.** ``summary_removal_share`` of interior arrestees are removable without a
new court case (reinstated or prior final orders, stipulated removal, voluntary
return) and are removed in the year; the rest get a notice to appear (NTA).

**Border-origin caseload** (exogenous, unchanged by the order):
``border_apprehensions`` a year (U.S. Border Patrol) of whom ``detention_share`` ×
``border_detention_ratio`` are booked into ICE detention,
``border_court_receipts_per_apprehension`` become immigration-court receipts and
``border_removals_per_apprehension`` are removed by ICE without passing through the
interior flows.

**Detention.** ``detention_share`` of interior arrestees (and ``detention_share`` ×
``border_detention_ratio`` of border apprehensions) need ``detention_days`` bed-days
each. The average daily population (ADP) is bounded by the funded beds with the
overrun ICE ran before the order: (``detention_beds`` + the beds funded that year) ×
(1 + ``detention_overrun_share``) × 365 bed-days. Above it, interior and border-origin
detainees alike are released in the same proportion.
Of the interior arrestees not held (released over capacity, or never detained),
``atd_placement_share`` are enrolled in alternatives to detention (``atd_people``);
the rest are released on bond, recognizance or an order of supervision without
ATD. *Why this rule*: before the order ICE
held its population at or just over the funded level (FY2012–FY2016), and ran
over it in FY2018–FY2019 only by reprogramming funds — an outcome the model
must not assume. New beds are the rise of the peak ADP above
``detention_beds_existing`` (run over by the same share: the overrun is ICE
holding more people in the beds it has, not building).

**Courts.** Receipts are interior NTAs plus border-origin receipts. Capacity is
the judges (``immigration_judges`` plus those funded, within ``immigration_judges_max``)
× ``cases_per_judge_year`` completions. Detained NTAs are
heard first (the detained docket) and completed in the year as far as capacity
allows; the rest — released interior NTAs, detained cases over capacity,
border-origin receipts and the pending stock (``court_backlog_initial`` at the
start, all counted as not from the window's interior arrests) — wait in one queue
whose completions are shared among its cases in proportion to their number.
Completions end in a removal order with ``removal_order_share_detained`` (detained
docket) or ``removal_order_share_released`` (the queue); the rest obtain relief or
another outcome and stay. Removal orders are carried out at
``execution_rate_detained`` and ``execution_rate_released``.

**Removals** (interior) = summary removals + executed removal orders of interior
cases; ``removals_total`` adds the border-origin removals.

People are conserved every year of every draw: interior arrests = summary
removals + court completions of interior cases + the change in interior cases
pending; and completions = removal orders + other outcomes, removal orders =
executed + unexecuted (``tests/test_pipeline.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ._core import (
    DAYS_PER_YEAR,
    MID_YEAR,
    WEEKS_PER_YEAR,
    FloatArray,
    Params,
    capacity,
    compound,
)

__all__ = ["CAPACITIES", "FLOW_UNITS", "Flows", "run_pipeline"]


@dataclass(frozen=True)
class Flows:
    """The pipeline's yearly stocks and flows, each of shape ``(draws, years)``.

    Flows are per fiscal year, stocks at its end; units in :data:`FLOW_UNITS`.

    Attributes
    ----------
    officers : ERO officers on board at the end of the year.
    officer_target : the officers the year's levers and funding call for.
    hires : officers hired in the year.
    officer_years : officer-years on the payroll (in training included).
    arrests : ICE administrative arrests in the interior (custodial + at large).
    arrests_custodial : arrests by transfer from jails and prisons (detainer-linked).
    arrests_at_large : officer-limited arrests.
    demand : arrests that would be made with unlimited capacity.
    summary_removals : interior arrestees removed without a new court case.
    notices_to_appear : interior arrestees placed in court proceedings.
    border_apprehensions : border-origin inflow (U.S. Border Patrol apprehensions).
    detention_beds : beds funded in the year (the lever plus those appropriations buy).
    detention_need_adp : ADP that would be detained with unlimited beds (all origins).
    detained_bed_days : bed-days used in ICE detention (all origins).
    detention_adp : average daily population in ICE detention (all origins).
    detention_adp_interior : the part of it from interior arrests.
    new_beds : beds added above the existing stock (capital).
    atd_people : interior arrestees placed on alternatives to detention (the
        ``atd_placement_share`` of those not held in detention).
    immigration_judges : judges deciding cases in the year (inf: unlimited).
    court_receipts : immigration-court receipts (interior NTAs + border-origin).
    cases_completed : immigration-court completions (all origins).
    court_completions_interior : completions of interior cases.
    court_backlog : immigration-court cases pending at year end (all origins).
    court_backlog_interior : the part of it from interior NTAs.
    removal_orders : removal orders in interior cases.
    removals : interior removals (people ICE arrested in the interior).
    removals_border : border-origin removals by ICE.
    removals_total : ``removals + removals_border``.
    removed_before : interior removals in earlier years of the window.
    """

    officers: FloatArray
    officer_target: FloatArray
    hires: FloatArray
    officer_years: FloatArray
    arrests: FloatArray
    arrests_custodial: FloatArray
    arrests_at_large: FloatArray
    demand: FloatArray
    summary_removals: FloatArray
    notices_to_appear: FloatArray
    border_apprehensions: FloatArray
    detention_beds: FloatArray
    detention_need_adp: FloatArray
    detained_bed_days: FloatArray
    detention_adp: FloatArray
    detention_adp_interior: FloatArray
    new_beds: FloatArray
    atd_people: FloatArray
    immigration_judges: FloatArray
    court_receipts: FloatArray
    cases_completed: FloatArray
    court_completions_interior: FloatArray
    court_backlog: FloatArray
    court_backlog_interior: FloatArray
    removal_orders: FloatArray
    removals: FloatArray
    removals_border: FloatArray
    removals_total: FloatArray
    removed_before: FloatArray

    def to_frame(self, fiscal_years: np.ndarray, draw: int | None = None) -> pd.DataFrame:
        """Tidy table: fiscal_year × quantity, the mean over draws unless ``draw`` is given."""
        data = {}
        for f in fields(self):
            arr = getattr(self, f.name)
            data[f.name] = arr[draw] if draw is not None else arr.mean(axis=0)
        return pd.DataFrame(data, index=pd.Index(fiscal_years, name="fiscal_year"))


#: The unit of each :class:`Flows` field (``/yr``: a flow in the fiscal year; otherwise
#: a stock at its end, or an average over it for ``adp``).
FLOW_UNITS: dict[str, str] = {
    "officers": "officers", "officer_target": "officers", "hires": "officers/yr",
    "officer_years": "officer-yr/yr",
    "arrests": "arrests/yr", "arrests_custodial": "arrests/yr",
    "arrests_at_large": "arrests/yr", "demand": "arrests/yr",
    "summary_removals": "persons/yr", "notices_to_appear": "cases/yr",
    "border_apprehensions": "persons/yr", "detention_beds": "beds",
    "detention_need_adp": "persons (daily average)",
    "detained_bed_days": "bed-days/yr", "detention_adp": "persons (daily average)",
    "detention_adp_interior": "persons (daily average)", "new_beds": "beds/yr",
    "atd_people": "persons/yr", "immigration_judges": "judges",
    "court_receipts": "cases/yr",
    "cases_completed": "cases/yr", "court_completions_interior": "cases/yr",
    "court_backlog": "cases", "court_backlog_interior": "cases",
    "removal_orders": "orders/yr", "removals": "persons/yr",
    "removals_border": "persons/yr", "removals_total": "persons/yr",
    "removed_before": "persons",
}


#: The :class:`Flows` fields that are capacities, not flows or stocks: ``inf`` (unlimited)
#: is one of their values.
CAPACITIES: tuple[str, ...] = ("detention_beds", "immigration_judges")


def _col(p: Params, name: str, draws: int, t: int = 0) -> FloatArray:
    """``p[name]`` in year ``t`` (its only column when it is constant over the window)."""
    a = np.asarray(p[name], dtype=np.float64)
    return np.broadcast_to(a[:, t if a.shape[1] > 1 else 0], (draws,))


def run_pipeline(p: Params, years: int) -> Flows:
    """Run the pipeline over ``years`` fiscal years.

    Parameters
    ----------
    p : Params
        Parameter arrays by name, shape ``(draws, 1)``, or ``(draws, years)``
        for an input scheduled by year: year ``t`` reads its column ``t``.
        Stocks at the start of the window (the officers on board,
        ``court_backlog_initial``) read the first year's value; a quantity
        derived from inputs constant over the window is computed once.
    years : int
        Window length.

    Returns
    -------
    Flows
    """
    draws = np.asarray(p["ero_officers_baseline"]).shape[0]

    def col(name: str) -> FloatArray:
        return _col(p, name, draws)

    def per_year(f: Callable[..., FloatArray], *names: str) -> list[FloatArray]:
        """``f`` of the named inputs in each year: computed once unless one is scheduled."""
        if all(np.shape(p[n])[1] == 1 for n in names):
            value = f(*(col(n) for n in names))
            return [value] * years
        return [f(*(_col(p, n, draws, t) for n in names)) for t in range(years)]

    def given(name: str) -> list[FloatArray]:
        return per_year(lambda x: x, name)

    target = per_year(_officer_target, "ero_officers_baseline", "ero_officers_added",
                      "appropriation_outlays_personnel", "officer_annual_cost",
                      "support_staff_per_officer", "support_staff_annual_cost")
    tau = per_year(lambda w: np.minimum(w / WEEKS_PER_YEAR, 1.0), "training_weeks")
    first_year_share = [(1.0 - x) ** 2 * MID_YEAR for x in _once(tau)]
    # Training of last year's late arrivals that runs into this year, per hire.
    carried_training = [x**2 * MID_YEAR for x in _once(tau)]
    at_large_rate = given("at_large_arrests_per_officer_year")
    custodial_cap = per_year(capacity, "detainers_per_year", "custodial_arrests_per_detainer")
    enforceable = per_year(lambda n, s: n * (1.0 - s), "removable_population",
                           "self_departure_share")
    program = given("removal_program_years")
    beds = _funded_beds(p, draws, years)
    beds_cap = _pairs(lambda b, o: capacity(b, (1.0 + o) * DAYS_PER_YEAR), beds,
                      given("detention_overrun_share"))
    judges = per_year(_funded_judges, "immigration_judges", "appropriation_outlays_courts",
                      "immigration_court_cost_per_judge_year", "immigration_judges_max")
    court_cap = _pairs(capacity, judges, given("cases_per_judge_year"))
    d_share = given("detention_share")
    # beds in use without building: the existing beds, run over as ICE ran its funded ones
    beds_existing = per_year(lambda b, o: b * (1.0 + o), "detention_beds_existing",
                             "detention_overrun_share")
    attrition, hires_max = given("attrition_rate"), given("hires_per_year_max")
    summary_share = given("summary_removal_share")
    atd_share = given("atd_placement_share")
    border = given("border_apprehensions")
    border_need = per_year(lambda b, s, r, d: b * (s * r * d), "border_apprehensions",
                           "detention_share", "border_detention_ratio", "detention_days")
    bed_days_per_arrest = per_year(np.multiply, "detention_share", "detention_days")
    border_receipts = per_year(np.multiply, "border_apprehensions",
                               "border_court_receipts_per_apprehension")
    border_removed = per_year(np.multiply, "border_apprehensions",
                              "border_removals_per_apprehension")
    executed_d = per_year(np.multiply, "removal_order_share_detained", "execution_rate_detained")
    executed_r = per_year(np.multiply, "removal_order_share_released", "execution_rate_released")
    order_d, order_r = given("removal_order_share_detained"), given("removal_order_share_released")
    capped_program = [np.isinf(x) for x in _once(program)]
    # year-major memory ((years, draws) transposed): each year's column is contiguous,
    # and so is every array the provisions compute from the flows
    # the levers and capacities as given: read-only views when constant over the window
    given_flows = {"officer_target": _columns(target, draws),
                   "detention_beds": _columns(beds, draws),
                   "immigration_judges": _columns(judges, draws)}
    out = {f.name: np.empty((years, draws)).T for f in fields(Flows)
           if f.name not in given_flows}
    out.update(given_flows)
    officers = col("ero_officers_baseline").copy()
    pending_other = col("court_backlog_initial").copy()
    pending_interior = np.zeros(draws)
    arrested = np.zeros(draws)
    removed = np.zeros(draws)
    peak_beds = beds_existing[0].copy()
    last_hires = np.zeros(draws)
    # the program's population due each year, for every year at once (years, draws)
    with np.errstate(invalid="ignore", divide="ignore"):
        if len(_once(program)) == 1 and len(_once(enforceable)) == 1:
            done = np.minimum(np.arange(years + 1.0)[:, None], program[0])
            due = enforceable[0] * ((done[1:] - done[:-1]) / program[0])
        else:  # year t's program and population: the same formula, year by year
            due = np.array([
                enforceable[t] * ((np.minimum(t + 1.0, program[t]) - np.minimum(t, program[t]))
                                  / program[t]) for t in range(years)])
    unlimited = all(bool(c.all()) for c in capped_program)  # no draw spreads removals
    # Each year's values are written straight into its column of the outputs (the
    # same operations, in the same order, as the formulas in the module notes).
    for t in range(years):
        leavers = officers * attrition[t]
        staying = officers - leavers
        hires = np.minimum(np.maximum(target[t] - staying, 0.0), hires_max[t],
                           out=out["hires"][:, t])
        on_board = officers - leavers * MID_YEAR  # leavers count for half the year
        np.add(on_board, hires * MID_YEAR, out=out["officer_years"][:, t])
        productive = (on_board + hires * _at(first_year_share, t)
                      - last_hires * _at(carried_training, t))
        officers = np.add(staying, hires, out=out["officers"][:, t])
        last_hires = hires

        # arrests: custodial first, at large within the demand it leaves
        remaining = np.maximum(enforceable[t] - arrested, 0.0)
        demand = out["demand"][:, t]
        if unlimited:
            demand[:] = remaining
        else:
            np.copyto(demand, np.where(_at(capped_program, t), remaining,
                                       np.minimum(due[t], remaining)))
        custodial = np.minimum(custodial_cap[t], demand, out=out["arrests_custodial"][:, t])
        # the total first, so that an unlimited channel arrests exactly the demand
        arrests = np.minimum(custodial_cap[t] + capacity(productive, at_large_rate[t]), demand,
                             out=out["arrests"][:, t])
        np.subtract(arrests, custodial, out=out["arrests_at_large"][:, t])
        arrested = arrested + arrests
        summary = np.multiply(arrests, summary_share[t], out=out["summary_removals"][:, t])
        nta = np.subtract(arrests, summary, out=out["notices_to_appear"][:, t])
        out["border_apprehensions"][:, t] = border[t]

        # detention: interior and border-origin detainees share the beds
        interior_need = arrests * bed_days_per_arrest[t]
        need = interior_need + border_need[t]
        np.divide(need, DAYS_PER_YEAR, out=out["detention_need_adp"][:, t])
        used = np.minimum(need, beds_cap[t], out=out["detained_bed_days"][:, t])
        # the share of those needing detention who get a bed (all, when none need one)
        placed = np.divide(used, need, out=np.ones(draws), where=need > 0)
        held_share = d_share[t] * placed  # of interior arrestees (and of their NTAs)
        detained = arrests * held_share
        np.multiply(arrests - detained, atd_share[t], out=out["atd_people"][:, t])
        adp = np.divide(used, DAYS_PER_YEAR, out=out["detention_adp"][:, t])
        interior_adp = np.multiply(interior_need, placed, out=out["detention_adp_interior"][:, t])
        interior_adp /= DAYS_PER_YEAR
        if t and beds_existing[t] is not beds_existing[0]:  # scheduled: beds built since
            peak_beds = np.maximum(peak_beds, beds_existing[t])
        np.maximum(adp - peak_beds, 0.0, out=out["new_beds"][:, t])
        peak_beds = np.maximum(peak_beds, adp)

        # courts: the detained docket first, then one queue shared in proportion
        np.add(nta, border_receipts[t], out=out["court_receipts"][:, t])
        nta_detained = nta * held_share
        heard = np.minimum(nta_detained, court_cap[t])
        spare = court_cap[t] - heard
        queue_interior = pending_interior + (nta - heard)
        queue = queue_interior + pending_other + border_receipts[t]
        done = np.minimum(queue, spare)
        share = np.divide(queue_interior, queue, out=np.zeros(draws), where=queue > 0)
        done_interior = done * share
        np.add(heard, done, out=out["cases_completed"][:, t])
        np.add(heard, done_interior, out=out["court_completions_interior"][:, t])
        # (a stock emptied by the queue is 0, not a rounding residue below or above it)
        emptied = done >= queue
        pending_interior = np.maximum(queue_interior - done_interior, 0.0,
                                      out=out["court_backlog_interior"][:, t])
        np.copyto(pending_interior, 0.0, where=emptied)
        pending_other = np.maximum(pending_other + border_receipts[t] - (done - done_interior),
                                   0.0)
        np.copyto(pending_other, 0.0, where=emptied)
        np.add(pending_interior, pending_other, out=out["court_backlog"][:, t])
        np.add(heard * order_d[t], done_interior * order_r[t], out=out["removal_orders"][:, t])

        removals = np.add(summary, heard * executed_d[t] + done_interior * executed_r[t],
                          out=out["removals"][:, t])
        out["removals_border"][:, t] = border_removed[t]
        np.add(removals, border_removed[t], out=out["removals_total"][:, t])
        out["removed_before"][:, t] = removed
        removed = removed + removals
    return Flows(**out)


def _funded(money: FloatArray, unit_cost: FloatArray) -> FloatArray:
    """Units ``money`` buys at ``unit_cost`` each.

    None without money, and none at a unit cost of zero or so near zero that the
    quotient overflows (a degenerate input that prices nothing: the capacity it would
    buy is not a number the model can use).
    """
    with np.errstate(all="ignore"):
        units = np.divide(money, unit_cost)
        return np.where((money > 0.0) & (unit_cost > 0.0) & np.isfinite(units), units, 0.0)


def _officer_target(baseline: FloatArray, added: FloatArray, money: FloatArray,
                    officer_cost: FloatArray, support_per_officer: FloatArray,
                    support_cost: FloatArray) -> FloatArray:
    """Officers called for: the levers' target plus the officer-years ``money`` pays for."""
    target = baseline + added
    if not np.any(money):  # no appropriation: the levers alone (same bits as before)
        return target
    return target + _funded(money, officer_cost + support_per_officer * support_cost)


def _funded_judges(judges: FloatArray, money: FloatArray, cost: FloatArray,
                   most: FloatArray) -> FloatArray:
    """Judges deciding cases: the lever plus the judge-years ``money`` pays for, within ``most``."""
    if not np.any(money):
        return np.minimum(judges, most)
    return np.minimum(judges + _funded(money, cost), most)


def _funded_beds(p: Params, draws: int, years: int) -> list[FloatArray]:
    """Beds funded each year: ``detention_beds`` plus the bed-years the detention outlays buy."""
    money = np.asarray(p["appropriation_outlays_detention"], dtype=np.float64)
    lever = np.asarray(p["detention_beds"], dtype=np.float64)
    if not np.any(money):  # no appropriation: the lever as given (computed once if constant)
        if lever.shape[1] == 1:
            return [_col(p, "detention_beds", draws)] * years
        return [_col(p, "detention_beds", draws, t) for t in range(years)]
    bed_year = (np.asarray(p["bed_day_cost"], dtype=np.float64)
                * compound(p["bed_day_cost_real_growth"], years) * DAYS_PER_YEAR)
    funded = np.broadcast_to(lever, (draws, years)) + _funded(
        np.broadcast_to(money, (draws, years)), bed_year)
    return [np.ascontiguousarray(funded[:, t]) for t in range(years)]


def _columns(per_year: list[FloatArray], draws: int) -> FloatArray:
    """A per-year list as ``(draws, years)``: a read-only broadcast when it is constant."""
    if len(_once(per_year)) == 1:
        column = np.broadcast_to(np.asarray(per_year[0], dtype=np.float64), (draws,))
        return np.broadcast_to(column[:, None], (draws, len(per_year)))
    return np.stack([np.broadcast_to(x, (draws,)) for x in per_year], axis=1)


def _pairs(f: Callable[[FloatArray, FloatArray], FloatArray], a: list[FloatArray],
           b: list[FloatArray]) -> list[FloatArray]:
    """``f`` of two per-year lists, year by year: computed once when both are constant."""
    if len(_once(a)) == 1 and len(_once(b)) == 1:
        return [f(a[0], b[0])] * len(a)
    return [f(x, y) for x, y in zip(a, b, strict=True)]


def _once(per_year: list[FloatArray]) -> list[FloatArray]:
    """The distinct arrays of a per-year list: one when the input is constant."""
    return per_year[:1] if all(x is per_year[0] for x in per_year) else per_year


def _at(derived: list[FloatArray], t: int) -> FloatArray:
    """Year ``t`` of a quantity derived from a per-year list by :func:`_once`."""
    return derived[t] if len(derived) > 1 else derived[0]
