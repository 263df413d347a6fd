"""Visa sanctions on recalcitrant countries (INA 243(d)) and reciprocity.

``sanctions_per_year`` countries are newly sanctioned each year, up to the
``recalcitrant_countries`` on ICE's list; sanctions stay in place. A sanction is
of one of three types:

- on officials' visitor (B) visas and their families': a share
  ``1 - broad_sanction_share`` of sanctions; the country's visitors spend
  ``visitor_spending_per_officials_sanctioned_country`` (USD/yr), of which
  ``visa_loss_share_officials`` is lost;
- broad, on the visitors of a country spending
  ``visitor_spending_per_broadly_sanctioned_country`` (USD/yr), a share
  ``broad_sanction_share`` of sanctions: on all B visas (a share
  ``1 - nearly_all_share_of_broad`` of them), losing ``visa_loss_share_all_b``,
  or on nearly all nonimmigrant visas (``nearly_all_share_of_broad``), losing
  ``visa_loss_share_nearly_all``.

With probability ``reciprocity_probability`` the country retaliates and the loss
is doubled. Visitor spending lost (USD/yr) is therefore::

    sanctioned countries x expected spending lost per sanctioned country
    x (1 + reciprocity_probability)

an economy effect; ``tax_share_of_spending`` of it is revenue lost, split
federal / state-local by ``visitor_tax_federal_share``. The figures and their
derivation from ICE's list, the sanctions of 2016-2020 and the visa issuance
statistics are in ``data/visa_sanctions/`` and the registry's notes.
"""

from __future__ import annotations

import numpy as np

from ._core import FloatArray, Line, Params, by_year
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book", "spending_lost_per_country"]

PROVISION = "visa_sanctions"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "Visa sanctions"
#: Its place in tables and charts (the order of the executive order's summary).
ORDER = 80


def spending_lost_per_country(p: Params) -> FloatArray:
    """Visitor spending a sanctioned country's sanction removes, averaged over types.

    Parameters
    ----------
    p : mapping of str to ndarray
        Parameter arrays: ``broad_sanction_share``, ``nearly_all_share_of_broad``,
        the three ``visa_loss_share_*`` (shares, dimensionless) and the two
        ``visitor_spending_per_*_sanctioned_country`` (USD/yr).

    Returns
    -------
    ndarray
        USD/yr per sanctioned country, broadcast over the inputs' shapes::

            (1 - b) S_officials L_officials
            + b S_broad ((1 - n) L_all_b + n L_nearly_all)

        with ``b = broad_sanction_share``, ``n = nearly_all_share_of_broad``,
        ``S`` the visitor spending and ``L`` the loss shares.
    """
    broad = p["broad_sanction_share"]
    nearly_all = p["nearly_all_share_of_broad"]
    officials = (p["visitor_spending_per_officials_sanctioned_country"]
                 * p["visa_loss_share_officials"])
    broad_loss = ((1.0 - nearly_all) * p["visa_loss_share_all_b"]
                  + nearly_all * p["visa_loss_share_nearly_all"])
    broadly = p["visitor_spending_per_broadly_sanctioned_country"] * broad_loss
    return np.asarray((1.0 - broad) * officials + broad * broadly, dtype=np.float64)


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the visa-sanctions provision, each ``(draws, years)`` real dollars.

    Parameters
    ----------
    p : mapping of str to ndarray
        Parameter arrays (see the module docstring); money in real dollars.
    flows : Flows
        The pipeline's flows (only their number of years is read).

    Returns
    -------
    list of Line
        Visitor spending lost (economy), and the federal and state-local taxes
        on it (revenue lost), USD per fiscal year.
    """
    years_elapsed = np.arange(flows.arrests.shape[1]) + 1.0
    sanctioned = np.minimum(by_year(p["sanctions_per_year"], years_elapsed),
                            p["recalcitrant_countries"])
    lost = (sanctioned * spending_lost_per_country(p)
            * (1.0 + p["reciprocity_probability"]))
    taxes = lost * p["tax_share_of_spending"]
    federal = p["visitor_tax_federal_share"]
    return [
        Line(PROVISION, "visitor spending lost", "economy", "economy", lost),
        Line(PROVISION, "federal taxes on lost spending", "federal", "revenue", taxes * federal),
        Line(PROVISION, "state and local taxes on lost spending", "state_local", "revenue",
             taxes * (1.0 - federal)),
    ]
