"""The VOICE office for victims of crimes by removable aliens.

Books only what the office adds to ICE's payroll: ``voice_staff`` full-time
equivalents hired (new hires, or hires backfilling staff moved to VOICE) at
``voice_cost_per_fte`` a year (federal outlay). DHS staffed the office with
employees already on ICE's payroll and funded it from existing resources; their
pay is spent with or without the order, so moving them is an existing-resource
cost (the work they no longer do), which is not booked. Basis of estimate:
``docs/basis_of_estimate/victims_office.md``.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "victims_office"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "VOICE office"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 90


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the victims-office provision, each ``(draws, years)`` real dollars."""
    return [
        Line(PROVISION, "VOICE staff added to the payroll", "federal", "outlay",
             p["voice_staff"] * p["voice_cost_per_fte"]),
    ]
