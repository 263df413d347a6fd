"""Secure Communities, detainers and Declined Detainer Outcome Reports.

Honored detainers hold people in local jails for ``detainer_extra_jail_days``
each (a state/local outlay); a share of them are unlawful and a share of those
lead to suits settled at ``settlement_cost`` (state/local). The State Criminal
Alien Assistance Program (SCAAP) pays states and localities
``scaap_appropriation`` a year, a fixed appropriation prorated over their
eligible claims: more eligible jail days lower the payment per day, not the
total. So the SCAAP transfer (federal cost, state/local gain) is the same with
or without the order and cancels in the impact, and the extra jail days are
borne in full by states and localities. Basis of estimate:
``docs/basis_of_estimate/detainers.md``.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "detainers"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Detainers"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 30


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the detainers provision, each ``(draws, years)`` real dollars."""
    honored = p["detainers_per_year"] * p["detainer_honor_rate"]
    jail = honored * p["detainer_extra_jail_days"] * p["local_jail_cost_per_day"]
    suits = honored * p["unlawful_detainer_share"] * p["suit_rate"]
    scaap = p["scaap_appropriation"]  # the same whatever the jail days
    return [
        Line(PROVISION, "extra local jail days", "state_local", "outlay", jail),
        Line(PROVISION, "civil-liability settlements", "state_local", "outlay",
             suits * p["settlement_cost"]),
        Line(PROVISION, "SCAAP payments (fixed appropriation)", "federal", "transfer", scaap),
        Line(PROVISION, "SCAAP payments received", "state_local", "transfer", -scaap),
    ]
