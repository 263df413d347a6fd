"""Withholding federal grants from "sanctuary jurisdictions" (8 U.S.C. 1373).

Expected grants withheld a year = ``sanctuary_grants_at_risk`` ×
``defund_probability`` (the chance the defunding survives the courts). A
transfer: a federal saving and an equal state/local loss, netting to zero for
all governments together (OMB Circular A-4).
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "sanctuary"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Sanctuary grants"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 50


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the sanctuary provision, each ``(draws, years)`` real dollars."""
    withheld = p["sanctuary_grants_at_risk"] * p["defund_probability"]
    return [
        Line(PROVISION, "grants withheld (federal saving)", "federal", "transfer", -withheld),
        Line(PROVISION, "grants withheld (local loss)", "state_local", "transfer", withheld),
    ]
