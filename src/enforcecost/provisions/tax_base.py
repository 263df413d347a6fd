"""Taxes no longer paid by removed people.

A person removed in one fiscal year pays no state/local or federal taxes in every
later year of the window. Revenue losses (positive amounts) to both payers.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "tax_base"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Tax base"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 110


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the tax-base provision, each ``(draws, years)`` real dollars."""
    gone = flows.removed_before
    return [
        Line(PROVISION, "state and local taxes not paid", "state_local", "revenue",
             gone * p["state_local_taxes_per_person"]),
        Line(PROVISION, "federal taxes not paid", "federal", "revenue",
             gone * p["federal_taxes_per_person"]),
    ]
