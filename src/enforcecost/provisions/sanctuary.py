"""Withholding federal grants from "sanctuary jurisdictions" (EO 13768 sec. 9(a)).

Section 9(a) never took effect (enjoined in April 2017, permanently in November
2017); what took effect were DOJ's immigration conditions on Byrne JAG awards
(July 2017). So the grants at risk are ``sanctuary_grants_at_risk``, the Byrne
JAG awards of the jurisdictions concerned, and the amount withheld for good is
that times ``defund_probability``, the share never paid out. The record: the
courts ordered the withheld awards released, and those the Second Circuit let
DOJ hold were restored in 2021, so the central share is zero. Awards withheld
and later paid are a shift in timing within the window, not a saving, and are
not booked. A withheld award is a transfer between governments: a federal
saving and an equal state/local loss, netting to zero for all governments
together (OMB Circular A-4). Basis of estimate:
``docs/basis_of_estimate/sanctuary.md``.
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
        Line(PROVISION, "grants withheld for good (federal saving)", "federal", "transfer",
             -withheld),
        Line(PROVISION, "grants withheld for good (local loss)", "state_local", "transfer",
             withheld),
    ]
