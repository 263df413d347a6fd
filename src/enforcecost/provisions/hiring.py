"""Hiring 10,000 more ERO officers (EO 13768 sec. 7).

Books the payroll of every officer-year and the one-time cost of each hire:
screening ``applicants_per_hire`` applicants, basic training and equipment;
plus ``support_staff_per_officer`` support staff per officer-year (ICE's own
plan: 6,597 support positions for the 10,000 officers). All federal outlays.
The officer counts come from the enforcement pipeline; the officers on board
before the order are on both sides, so the impact is the added officers and
the support staff hired with them (incremental). Basis of estimate:
``docs/basis_of_estimate/hiring.md``.
"""

from __future__ import annotations

from ._core import FloatArray, Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "hiring"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Officer hiring"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 10


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the hiring provision, each ``(draws, years)`` real dollars."""
    officer_years, hires = flows.officer_years, flows.hires

    def line(item: str, amount: FloatArray) -> Line:
        return Line(PROVISION, item, "federal", "outlay", amount)

    return [
        line("ERO officer pay and benefits", officer_years * p["officer_annual_cost"]),
        line(
            "support staff pay and benefits",
            officer_years * p["support_staff_per_officer"] * p["support_staff_annual_cost"],
        ),
        line(
            "recruiting and applicant screening",
            hires * p["applicants_per_hire"] * p["screening_cost_per_applicant"],
        ),
        line("basic training", hires * p["training_cost_per_officer"]),
        line("equipment", hires * p["equipment_cost_per_officer"]),
    ]
