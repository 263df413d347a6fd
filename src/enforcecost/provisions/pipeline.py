"""The enforcement pipeline: officers → arrests → detention → courts → removals.

A yearly stock-and-flow over the window, vectorized over draws (conventions below). It is
computed once per run and read by the ``hiring``, ``removals`` and ``tax_base``
provisions, so each cost is booked once.

Conventions (all flows within a year are spread evenly over it):

* Officers: ``attrition_rate`` of the officers on board at the start of a year
  leave during it; hires then fill the gap to ``ero_officers_baseline +
  ero_officers_added``, at most ``hires_per_year_max`` a year. Officer-years on
  the payroll count leavers and hires for half a year.
* A hire works only after ``training_weeks`` of basic training; with arrivals
  uniform over the year, a hire's productive share of the first year is
  ``(1 - tau) ** 2 / 2`` where ``tau = training_weeks / 52``, and those who
  arrive late still train for ``tau ** 2 / 2`` of the next year on average (so
  each hire trains ``tau`` years in all: on the payroll, but making no arrests).
* Arrests = min(demand, productive officer-years × ``arrests_per_officer_year``).
  Demand is the enforceable population not yet arrested (``removable_population``
  × (1 − ``self_departure_share``)); with a finite ``removal_program_years`` it
  is that population spread evenly over those years.
* Detention: ``detention_share`` of arrests need ``detention_days`` bed-days
  each; bed-days are limited by ``detention_beds`` × 365. Those who do not fit,
  and those never detained, go to alternatives to detention. New beds are the
  rise of the peak average daily population above ``detention_beds_existing``.
* Courts: each arrest is a case; completions are limited by
  ``immigration_judges`` × ``cases_per_judge_year``, first come first served
  after the ``court_backlog_initial``; the rest carries over.
* Removals = completed cases × ``removal_rate_after_arrest``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ._core import DAYS_PER_YEAR, MID_YEAR, WEEKS_PER_YEAR, FloatArray, Params, capacity

__all__ = ["Flows", "run_pipeline"]


@dataclass(frozen=True)
class Flows:
    """The pipeline's yearly stocks and flows, each of shape ``(draws, years)``.

    Attributes
    ----------
    officers : end-of-year ERO officers on board.
    hires : officers hired in the year.
    officer_years : officer-years on the payroll (in training included).
    arrests : administrative arrests.
    demand : arrests that would be made with unlimited capacity.
    detained_bed_days : bed-days used in detention.
    detention_adp : average daily detained population (beds in use).
    new_beds : beds added above the existing stock (capital).
    atd_people : people placed on alternatives to detention.
    cases_completed : immigration court cases completed.
    court_backlog : cases pending at the end of the year.
    removals : removals.
    removed_before : people removed in earlier years of the window.
    """

    officers: FloatArray
    hires: FloatArray
    officer_years: FloatArray
    arrests: FloatArray
    demand: FloatArray
    detained_bed_days: FloatArray
    detention_adp: FloatArray
    new_beds: FloatArray
    atd_people: FloatArray
    cases_completed: FloatArray
    court_backlog: FloatArray
    removals: FloatArray
    removed_before: FloatArray

    def to_frame(self, fiscal_years: np.ndarray, draw: int | None = None) -> pd.DataFrame:
        """Tidy table: fiscal_year × quantity, the mean over draws unless ``draw`` is given."""
        data = {}
        for f in fields(self):
            arr = getattr(self, f.name)
            data[f.name] = arr[draw] if draw is not None else arr.mean(axis=0)
        return pd.DataFrame(data, index=pd.Index(fiscal_years, name="fiscal_year"))


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

    target = per_year(np.add, "ero_officers_baseline", "ero_officers_added")
    tau = per_year(lambda w: np.minimum(w / WEEKS_PER_YEAR, 1.0), "training_weeks")
    first_year_share = [(1.0 - x) ** 2 * MID_YEAR for x in _once(tau)]
    # Training of last year's late arrivals that runs into this year, per hire.
    carried_training = [x**2 * MID_YEAR for x in _once(tau)]
    arrest_rate = per_year(lambda x: x, "arrests_per_officer_year")
    enforceable = per_year(lambda n, s: n * (1.0 - s), "removable_population",
                           "self_departure_share")
    program = per_year(lambda x: x, "removal_program_years")
    beds_cap = per_year(lambda b: capacity(b, DAYS_PER_YEAR), "detention_beds")
    court_cap = per_year(capacity, "immigration_judges", "cases_per_judge_year")
    d_share = per_year(lambda x: x, "detention_share")
    d_days = per_year(lambda x: x, "detention_days")
    beds_existing = per_year(lambda x: x, "detention_beds_existing")

    attrition = per_year(lambda x: x, "attrition_rate")
    hires_max = per_year(lambda x: x, "hires_per_year_max")
    removal_rate = per_year(lambda x: x, "removal_rate_after_arrest")
    capped_program = [np.isinf(x) for x in _once(program)]
    # year-major memory ((years, draws) transposed): each year's column is contiguous,
    # and so is every array the provisions compute from the flows
    out = {f.name: np.empty((years, draws)).T for f in fields(Flows)}
    officers = col("ero_officers_baseline").copy()
    backlog = col("court_backlog_initial").copy()
    arrested = np.zeros(draws)
    removed = np.zeros(draws)
    peak_beds = col("detention_beds_existing").copy()
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
    undetained = [1.0 - x for x in _once(d_share)]
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

        remaining = np.maximum(enforceable[t] - arrested, 0.0)
        demand = out["demand"][:, t]
        if unlimited:
            demand[:] = remaining
        else:
            np.copyto(demand, np.where(_at(capped_program, t), remaining,
                                       np.minimum(due[t], remaining)))
        arrests = np.minimum(demand, capacity(productive, arrest_rate[t]),
                             out=out["arrests"][:, t])
        arrested = arrested + arrests

        detainable = arrests * d_share[t]
        need = detainable * d_days[t]
        used = np.minimum(need, beds_cap[t], out=out["detained_bed_days"][:, t])
        # the share of those needing detention who get a bed (all, when none need one)
        placed = np.divide(used, need, out=np.ones(draws), where=need > 0)
        np.add(arrests * _at(undetained, t), detainable * (1.0 - placed),
               out=out["atd_people"][:, t])
        adp = np.divide(used, DAYS_PER_YEAR, out=out["detention_adp"][:, t])
        if t and beds_existing[t] is not beds_existing[0]:  # scheduled: beds built since
            peak_beds = np.maximum(peak_beds, beds_existing[t])
        np.maximum(adp - peak_beds, 0.0, out=out["new_beds"][:, t])
        peak_beds = np.maximum(peak_beds, adp)

        pending = backlog + arrests
        completed = np.minimum(pending, court_cap[t], out=out["cases_completed"][:, t])
        backlog = np.subtract(pending, completed, out=out["court_backlog"][:, t])
        removals = np.multiply(completed, removal_rate[t], out=out["removals"][:, t])
        out["removed_before"][:, t] = removed
        removed = removed + removals
    return Flows(**out)


def _once(per_year: list[FloatArray]) -> list[FloatArray]:
    """The distinct arrays of a per-year list: one when the input is constant."""
    return per_year[:1] if all(x is per_year[0] for x in per_year) else per_year


def _at(derived: list[FloatArray], t: int) -> FloatArray:
    """Year ``t`` of a quantity derived from a per-year list by :func:`_once`."""
    return derived[t] if len(derived) > 1 else derived[0]
