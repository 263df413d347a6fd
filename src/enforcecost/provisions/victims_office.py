"""The VOICE office for victims of crimes by removable aliens.

``voice_staff`` full-time equivalents at ``voice_cost_per_fte`` a year (federal outlay).
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
        Line(PROVISION, "VOICE staff and services", "federal", "outlay",
             p["voice_staff"] * p["voice_cost_per_fte"]),
    ]
