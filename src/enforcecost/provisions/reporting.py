"""Quarterly data reports on removable aliens and on implementing the order.

``reports_per_year`` reports at ``report_cost`` each (federal outlay). The
Privacy Act exclusion is not monetized: see the register of non-monetized effects.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "reporting"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Reports"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 100


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the reporting provision, each ``(draws, years)`` real dollars."""
    return [
        Line(PROVISION, "quarterly and implementation reports", "federal", "outlay",
             p["reports_per_year"] * p["report_cost"]),
    ]
