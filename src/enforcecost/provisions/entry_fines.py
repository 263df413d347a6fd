"""Civil fines for improper entry (8 U.S.C. 1325(b)) and for harboring.

The fine assessed sits ``entry_fine_level`` of the way from the statutory
minimum to the maximum, and is multiplied by ``entry_fine_repeat_multiplier``
for the ``entry_fine_repeat_share`` of repeat entrants; ``fine_collection_rate``
of the amounts assessed is collected. Statutory amounts are fixed in nominal
dollars, so their real value falls with inflation (their parameter arrays vary
by year). Federal revenue (gains, negative amounts).
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "entry_fines"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Entry fines"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 70


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the entry-fines provision, each ``(draws, years)`` real dollars."""
    low, high = p["entry_fine_min"], p["entry_fine_max"]
    fine = low + p["entry_fine_level"] * (high - low)
    repeat_uplift = p["entry_fine_repeat_share"] * (p["entry_fine_repeat_multiplier"] - 1.0)
    collected = p["entry_fines_assessed_per_year"] * p["fine_collection_rate"]
    return [
        Line(PROVISION, "entry fines collected", "federal", "revenue",
             -(collected * fine * (1.0 + repeat_uplift))),
        Line(PROVISION, "harboring fines collected", "federal", "revenue",
             -p["harboring_fine_revenue"]),
    ]
