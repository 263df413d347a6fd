"""Visa sanctions on recalcitrant countries (INA 243(d)) and reciprocity.

``sanctions_per_year`` countries are newly sanctioned each year, up to the
``recalcitrant_countries`` on ICE's list; sanctions stay in place. Each
sanctioned country loses ``visa_loss_share`` of its visitors' spending
(``spending_share_per_sanctioned_country`` of ``visitor_spending_total``); with
probability ``reciprocity_probability`` the country retaliates and the loss is
doubled. The lost spending is an economy effect; ``tax_share_of_spending`` of it
is revenue lost, split federal / state-local by ``visitor_tax_federal_share``.
"""

from __future__ import annotations

import numpy as np

from ._core import Line, Params, by_year
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "visa_sanctions"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Visa sanctions"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 80


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the visa-sanctions provision, each ``(draws, years)`` real dollars."""
    years_elapsed = np.arange(flows.arrests.shape[1]) + 1.0
    sanctioned = np.minimum(by_year(p["sanctions_per_year"], years_elapsed),
                            p["recalcitrant_countries"])
    lost = (
        sanctioned
        * p["visitor_spending_total"]
        * p["spending_share_per_sanctioned_country"]
        * p["visa_loss_share"]
        * (1.0 + p["reciprocity_probability"])
    )
    taxes = lost * p["tax_share_of_spending"]
    federal = p["visitor_tax_federal_share"]
    return [
        Line(PROVISION, "visitor spending lost", "economy", "economy", lost),
        Line(PROVISION, "federal taxes on lost spending", "federal", "revenue", taxes * federal),
        Line(PROVISION, "state and local taxes on lost spending", "state_local", "revenue",
             taxes * (1.0 - federal)),
    ]
