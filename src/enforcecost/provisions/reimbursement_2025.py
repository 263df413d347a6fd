"""State and local reimbursement funds of P.L. 119-21, for the 2025 revival.

The State Border Security Reinforcement Fund (DHS, 8 U.S.C. 1716) and the BIDEN
Reimbursement Fund (DOJ, 34 U.S.C. 61101) pay states and localities. Their
outlays by fiscal year, ``appropriation_outlays_state_local`` (nominal USD a
year; 0 unless a scenario sets them from the appropriations and a spend-out
rule), are a transfer between governments: a federal outlay and an equal state
and local gain, netting to zero for all governments together (OMB Circular
A-4). Basis of estimate: ``docs/basis_of_estimate/reimbursement_2025.md``.
"""

from __future__ import annotations

from ._core import Line, Params
from .pipeline import Flows

__all__ = ["LABEL", "ORDER", "PROVISION", "book"]

PROVISION = "reimbursement_2025"
#: A reader's name for the provision (tables, charts, reports).
LABEL = "State and local reimbursement funds"
#: Its place in tables and charts (after the 2025 fees).
ORDER = 130


def book(p: Params, flows: Flows) -> list[Line]:
    """Ledger lines of the reimbursement funds, each ``(draws, years)`` real dollars."""
    paid = p["appropriation_outlays_state_local"]
    return [
        Line(PROVISION, "reimbursement grants paid (federal outlay)", "federal", "transfer",
             paid),
        Line(PROVISION, "reimbursement grants received (state and local gain)", "state_local",
             "transfer", -paid),
    ]
