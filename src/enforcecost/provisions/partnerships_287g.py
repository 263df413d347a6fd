"""287(g) and other state and local enforcement partnerships.

Agreements in force in a fiscal year = ``agreements_287g_baseline`` (the 35 of
January 2017) + ``agreements_287g_added`` (a schedule by fiscal year: the
counts achieved under the order through FY2020, held at the September 2020
count after). Each agreement puts ``officers_per_287g_agreement`` local
officers on immigration work at ``local_cost_per_287g_officer_year``
(state/local outlay) and costs ICE ``federal_cost_per_287g_agreement`` a year
in training and oversight (federal outlay). The baseline keeps the 35; the
impact is the added agreements. Basis of estimate:
``docs/basis_of_estimate/partnerships_287g.md``.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "partnerships_287g"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "287(g) agreements"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 40


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the 287(g) provision, each ``(draws, years)`` real dollars.

    ``agreements_287g_added`` may change by year (shape ``(draws, years)``); the
    lines broadcast to it.
    """
    agreements = p["agreements_287g_baseline"] + p["agreements_287g_added"]
    local = agreements * p["officers_per_287g_agreement"] * p["local_cost_per_287g_officer_year"]
    return [
        Line(PROVISION, "local officer time", "state_local", "outlay", local),
        Line(PROVISION, "federal training and oversight", "federal", "outlay",
             agreements * p["federal_cost_per_287g_agreement"]),
    ]
