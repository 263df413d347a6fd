"""One module per provision of EO 13768: pure, vectorized functions booking ledger lines.

Each module has ``PROVISION`` (its name) and ``book(params, flows) -> list[Line]``,
where ``params`` maps public parameter names to arrays broadcastable to
``(draws, years)`` in real dollars of the scenario's dollar year, and ``flows``
is the enforcement pipeline's output (:mod:`.pipeline`). No I/O, no randomness,
no figures: every number comes from the parameter registry.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from . import (
    detainers,
    entry_fines,
    hiring,
    partnerships_287g,
    removals,
    reporting,
    sanctuary,
    tax_base,
    victims_office,
    visa_sanctions,
    worksite,
)
from ._core import KINDS, PAYERS, Line, Params
from .pipeline import Flows, run_pipeline

__all__ = ["BOOKS", "KINDS", "MODULES", "PAYERS", "Flows", "Line", "Params", "run_pipeline"]

MODULES: tuple[ModuleType, ...] = (
    hiring,
    removals,
    detainers,
    partnerships_287g,
    sanctuary,
    worksite,
    entry_fines,
    visa_sanctions,
    victims_office,
    reporting,
    tax_base,
)

#: provision name -> ``book(params, flows) -> list[Line]``
BOOKS: dict[str, Callable[[Params, Flows], list[Line]]] = {m.PROVISION: m.book for m in MODULES}
