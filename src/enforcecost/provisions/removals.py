"""Enforcement against all removable people: arrests, detention, courts, transport.

Books, from the enforcement pipeline, federal outlays (real dollars a year):

* **apprehension**: arrests × ``apprehension_cost_per_arrest`` (the non-payroll
  marginal cost of an interior arrest; officer payroll is in ``hiring``);
* **detention**: bed-days of every ICE detainee (border-origin ones included:
  they share the beds) × ``bed_day_cost``, the rate of the window's first year,
  growing in real terms at ``bed_day_cost_real_growth`` a year after it;
* **alternatives to detention**: interior arrestees placed on ATD (the
  ``atd_placement_share`` of those not held, see the pipeline) × ``atd_days`` ×
  ``atd_cost_per_day``;
* **immigration courts (EOIR)**: judge-years on the bench (the pipeline's judges) ×
  ``immigration_court_cost_per_judge_year``. The courts' cost follows their
  capacity, not their caseload: a scenario that adds judges pays for them, a
  longer backlog costs nothing more. With ``immigration_judges`` unlimited
  (``inf``) the bench is the judges the year's completions need,
  ``cases_completed / cases_per_judge_year``;
* **ICE attorneys (OPLA)**: immigration-court receipts × ``legal_cost_per_case``,
  ICE's own litigation cost per case it brings;
* **transport**: all ICE removals (interior and border-origin) ×
  ``charter_removal_share`` × ``charter_cost_per_person`` ×
  ``transport_to_charter_cost_ratio``: the charter cost of the removals flown on
  ICE Air, grossed up to ICE's whole transportation and removal cost (ground
  transport, escorts, commercial flights, transfers), spread over every removal;
* **detention bed capital**: new beds × ``bed_capital_cost``, once.

The border-origin caseload is the same with and without the order, so its costs
cancel in the impact except where it competes for beds or judges.
"""

from __future__ import annotations

import numpy as np

from ._core import FloatArray, Line, Params, compound
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book", "judge_years"]

PROVISION = "removals"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Removals"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 20


def judge_years(p: Params, flows: Flows) -> FloatArray:
    """Immigration judges on the bench each year, ``(draws, years)`` judge-years.

    The pipeline's judges (``immigration_judges`` plus those the courts'
    appropriation funds, within ``immigration_judges_max``) where finite (judges
    are paid whether or not the queue keeps them busy); where it is unlimited, the judges the year's
    completions need, ``cases_completed / cases_per_judge_year``, counting a judge
    for at least one case a year (so that a judge completing fewer, or none, as
    the capacity rule allows with unlimited judges, does not make the bench
    infinite); none when a judge's completions are unlimited too.
    """
    judges = flows.immigration_judges
    # at least one case a judge-year: the count stays finite for any cases_per_judge_year
    per_judge = np.maximum(np.asarray(p["cases_per_judge_year"], dtype=np.float64), 1.0)
    needed = np.divide(flows.cases_completed, per_judge)
    return np.asarray(np.where(np.isinf(judges), needed, judges), dtype=np.float64, order="F")


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the removals provision, each ``(draws, years)`` real dollars."""

    def line(item: str, amount: FloatArray) -> Line:
        return Line(PROVISION, item, "federal", "outlay", amount)

    years = flows.detained_bed_days.shape[1]
    bed_day = p["bed_day_cost"] * compound(p["bed_day_cost_real_growth"], years)
    transport_per_removal = (p["charter_removal_share"] * p["charter_cost_per_person"]
                             * p["transport_to_charter_cost_ratio"])
    return [
        line("apprehension", flows.arrests * p["apprehension_cost_per_arrest"]),
        line("detention", flows.detained_bed_days * bed_day),
        line("alternatives to detention", flows.atd_people * p["atd_days"] * p["atd_cost_per_day"]),
        line("immigration courts (EOIR)",
             judge_years(p, flows) * p["immigration_court_cost_per_judge_year"]),
        line("ICE attorneys (OPLA)", flows.court_receipts * p["legal_cost_per_case"]),
        line("transport", flows.removals_total * transport_per_removal),
        line("detention bed capital", flows.new_beds * p["bed_capital_cost"]),
    ]
