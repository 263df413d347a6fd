"""Enforcement against all removable people: arrests, detention, courts, transport.

Books, from the enforcement pipeline: the non-payroll marginal cost of each
arrest (officer payroll is in ``hiring``), detention bed-days, alternatives to
detention, a legal-processing cost per case, transport of the removals that
need it, and the capital cost of new beds. All federal outlays.
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

    transported = flows.removals * (1.0 - p["no_transport_share"])
    return [
        line("apprehension", flows.arrests * p["apprehension_cost_per_arrest"]),
        line("detention", flows.detained_bed_days * p["bed_day_cost"]),
        line("alternatives to detention", flows.atd_people * p["atd_days"] * p["atd_cost_per_day"]),
        line("legal processing", flows.arrests * p["legal_cost_per_case"]),
        line("transport", transported * p["transport_cost_per_removal"]),
        line("detention bed capital", flows.new_beds * p["bed_capital_cost"]),
    ]
