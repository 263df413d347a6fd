"""Enforcement against all removable people: arrests, detention, courts, transport.

Books, from the enforcement pipeline: the non-payroll marginal cost of each
interior arrest (officer payroll is in ``hiring``), the detention bed-days of
every ICE detainee (border-origin ones included: they share the beds), the
interior arrestees on alternatives to detention, a legal-processing cost per
immigration-court receipt, transport of the removals (interior and
border-origin) that need it, and the capital cost of new beds. All federal
outlays. The border-origin caseload is the same with and without the order, so
its costs cancel in the impact except where it competes for beds or judges.
"""

from __future__ import annotations

from ._core import FloatArray, Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "removals"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Removals"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 20


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the removals provision, each ``(draws, years)`` real dollars."""

    def line(item: str, amount: FloatArray) -> Line:
        return Line(PROVISION, item, "federal", "outlay", amount)

    transported = flows.removals_total * (1.0 - p["no_transport_share"])
    return [
        line("apprehension", flows.arrests * p["apprehension_cost_per_arrest"]),
        line("detention", flows.detained_bed_days * p["bed_day_cost"]),
        line("alternatives to detention", flows.atd_people * p["atd_days"] * p["atd_cost_per_day"]),
        line("legal processing", flows.court_receipts * p["legal_cost_per_case"]),
        line("transport", transported * p["transport_cost_per_removal"]),
        line("detention bed capital", flows.new_beds * p["bed_capital_cost"]),
    ]
