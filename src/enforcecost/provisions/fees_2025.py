"""Immigration fees of P.L. 119-21 (title X; 8 U.S.C. ch. 16), for the 2025 revival.

Each fee's federal revenue in a fiscal year is the fee (USD, the statutory
minimum in nominal dollars, indexed as the statute says) times the yearly
volume of the event that owes it, times the share of those events that pays,
times ``fees_2025_in_force``, the share of the fiscal year the fees are in force
(0 unless a scenario sets it: no fee before July 4, 2025, none in the 2017
scenarios). One line per fee:

* asylum application fee: ``asylum_fee`` x ``asylum_applications_per_year`` x
  ``benefit_fee_payment_share``;
* annual asylum fee: ``annual_asylum_fee`` x ``asylum_applications_pending`` x
  ``annual_asylum_fee_payment_share``;
* initial work-permit fee: ``ead_initial_fee`` x
  ``ead_initial_applications_per_year`` x ``benefit_fee_payment_share``;
* parole fee: ``parole_fee`` x ``parole_grants_per_year`` x
  ``benefit_fee_payment_share``;
* TPS fee: ``tps_fee`` x ``tps_applications_per_year`` x
  ``benefit_fee_payment_share``;
* visa integrity fee: ``visa_integrity_fee`` x ``nonimmigrant_visas_per_year``
  x ``visa_integrity_fee_retained_share``;
* in-absentia fee: ``in_absentia_fee`` x ``in_absentia_orders_per_year`` x
  ``in_absentia_fee_collection_rate``;
* apprehension fee: ``apprehension_fee`` x the pipeline's
  ``border_apprehensions`` x ``apprehension_fee_collection_rate``.

Federal revenue, gains (negative amounts), gross: the shares of some fees that
agencies retain and spend without further appropriation are not booked as
outlays. Basis of estimate: ``docs/basis_of_estimate/fees_2025.md``.
"""

from __future__ import annotations

from ._core import FloatArray, Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "fees_2025"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "2025 immigration fees"
#: Its place in tables and charts (after the provisions of EO 13768).
ORDER = 120


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the 2025 fees, each ``(draws, years)`` real dollars (gains negative)."""
    in_force = p["fees_2025_in_force"]
    paid = p["benefit_fee_payment_share"]

    def revenue(item: str, fee: FloatArray, volume: FloatArray, share: FloatArray) -> Line:
        return Line(PROVISION, item, "federal", "revenue", -(fee * volume * share * in_force))

    return [
        revenue("asylum application fees", p["asylum_fee"],
                p["asylum_applications_per_year"], paid),
        revenue("annual asylum fees", p["annual_asylum_fee"],
                p["asylum_applications_pending"], p["annual_asylum_fee_payment_share"]),
        revenue("initial work-permit fees", p["ead_initial_fee"],
                p["ead_initial_applications_per_year"], paid),
        revenue("parole fees", p["parole_fee"], p["parole_grants_per_year"], paid),
        revenue("TPS application fees", p["tps_fee"], p["tps_applications_per_year"], paid),
        revenue("visa integrity fees", p["visa_integrity_fee"],
                p["nonimmigrant_visas_per_year"], p["visa_integrity_fee_retained_share"]),
        revenue("in-absentia removal fees", p["in_absentia_fee"],
                p["in_absentia_orders_per_year"], p["in_absentia_fee_collection_rate"]),
        revenue("apprehension fees", p["apprehension_fee"], flows.border_apprehensions,
                p["apprehension_fee_collection_rate"]),
    ]
