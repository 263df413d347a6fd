"""ICE operations paid for by the 2025-2026 acts beyond the capacity the pipeline models.

P.L. 119-21 sec. 100052 and P.L. 119-98 sec. 202 give ICE lump sums for many
purposes (removal transportation, IT, fleet, facilities, 287(g) agreements,
attorneys, bonuses); the part a scenario assigns to hiring buys officers in the
pipeline, and detention money buys beds. The rest,
``appropriation_outlays_operations`` (nominal USD a year, the scenario's
``[appropriations]`` with account ``removal_operations``, budget authority
spent out by a stated rule; 0 in every 2017 scenario), is booked as outlaid: a
federal outlay, as CBO scores appropriated money. The model has no capacity it
buys, so its effect on arrests and removals is not modelled; its overlap with
the per-removal ``transport`` line of ``removals`` (transport of the added
removals, booked there too) is reported in the basis of estimate. Basis of
estimate: ``docs/basis_of_estimate/operations_2025.md``.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "operations_2025"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "ICE operations (2025 acts)"
#: Its place in tables and charts (after the other 2025 provisions).
ORDER = 140


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the operations money, each ``(draws, years)`` real dollars."""
    return [Line(PROVISION, "ICE operations outlays (transport, IT, fleet, facilities, other)",
                 "federal", "outlay", p["appropriation_outlays_operations"])]
