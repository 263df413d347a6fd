"""Taxes no longer paid by removed people.

A person removed stops paying taxes from the removal on: in the year of the
removal for the rest of it (removals are spread evenly over the year, so on
average for half of it, ``MID_YEAR``) and in every later year of the window in
full. People gone in year *t* = ``removed_before`` + ``MID_YEAR`` × ``removals``
(interior removals only: the border-origin people ICE removes were not part of
the resident tax base). Revenue losses (positive amounts), per person-year lost:

* state and local taxes, ``state_local_taxes_per_person`` (payer state/local);
* federal on-budget taxes (income, Medicare and unemployment-insurance payroll
  taxes, excise), ``federal_taxes_per_person``;
* Social Security payroll taxes, ``social_security_taxes_per_person``: federal
  revenue that is off-budget (the trust funds), on a line of its own so that an
  on-budget total can leave it out.

Not booked: state and local spending on services to the people removed (CBO
2007 found the available estimates "not a suitable basis for developing an
aggregate national effect"; listed among the non-monetized effects), benefits
forgone, and whether other workers fill the jobs and pay the same taxes.
"""

from __future__ import annotations

from ._core import MID_YEAR, Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "tax_base"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Tax base"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 110


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the tax-base provision, each ``(draws, years)`` real dollars."""
    gone = flows.removed_before + MID_YEAR * flows.removals
    return [
        Line(PROVISION, "state and local taxes not paid", "state_local", "revenue",
             gone * p["state_local_taxes_per_person"]),
        Line(PROVISION, "federal taxes not paid (on-budget)", "federal", "revenue",
             gone * p["federal_taxes_per_person"]),
        Line(PROVISION, "Social Security taxes not paid (off-budget)", "federal", "revenue",
             gone * p["social_security_taxes_per_person"]),
    ]
