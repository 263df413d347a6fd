"""Worksite enforcement: investigations, I-9 audits and employer fines.

Investigations cost ``cost_per_worksite_investigation`` each, ICE's worksite
program cost per investigation before the order (federal outlay). Each I-9
audit leads to ``employer_fine_revenue_per_audit`` of civil fines in final
orders, of which ``employer_fine_collection_rate`` is collected (federal
revenue, a gain; civil fines go to the Treasury's general fund as
miscellaneous receipts, 8 U.S.C. 1356(c)). The pre-order levels of
investigations and audits are the existing program, on both sides; the impact
is the investigations and audits above them, costed as new resources.
Collection is booked in the year of the audit (the lag from audit to final
order is not modelled). The statutory fine range per worker
(``employer_fine_min`` to ``employer_fine_max``) is kept in the registry as a
reference. Basis of estimate: ``docs/basis_of_estimate/worksite.md``.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "worksite"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Worksite"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 60


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the worksite provision, each ``(draws, years)`` real dollars."""
    collected = (p["i9_audits_per_year"] * p["employer_fine_revenue_per_audit"]
                 * p["employer_fine_collection_rate"])
    return [
        Line(PROVISION, "worksite investigations", "federal", "outlay",
             p["worksite_investigations_per_year"] * p["cost_per_worksite_investigation"]),
        Line(PROVISION, "employer fines collected", "federal", "revenue", -collected),
    ]
