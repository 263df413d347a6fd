"""Worksite enforcement: investigations, I-9 audits and employer fines.

Investigations cost ``cost_per_worksite_investigation`` each (federal outlay);
each I-9 audit brings in ``employer_fine_revenue_per_audit`` in civil fines
(federal revenue, a gain). The statutory fine range per worker
(``employer_fine_min`` to ``employer_fine_max``) is kept in the registry as a
reference for the per-audit figure.
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
    return [
        Line(PROVISION, "worksite investigations", "federal", "outlay",
             p["worksite_investigations_per_year"] * p["cost_per_worksite_investigation"]),
        Line(PROVISION, "employer fines collected", "federal", "revenue",
             -(p["i9_audits_per_year"] * p["employer_fine_revenue_per_audit"])),
    ]
