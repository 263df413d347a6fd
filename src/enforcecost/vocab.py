"""The model's vocabulary, defined once: payers, kinds, perspectives, bases, source kinds.

Every module that needs one of these names or its reader's label imports it from
here; nothing else spells them out. Provision names and labels are not here: the
provision modules declare their own (see :mod:`enforcecost.provisions`).

Conventions
-----------
* A ledger line has a **payer** (whose budget: ``federal``, ``state_local``, or
  ``economy`` for effects outside any budget) and a **kind** (``outlay``,
  ``revenue``, ``transfer`` between governments, or ``economy``).
* A **perspective** is a set of payers whose net cost is asked for:
  ``government`` is both budgets, so transfers between them cancel (OMB
  Circular A-4).
* A **basis** is how dollars are stated: ``nominal`` (then-year dollars, the CBO
  convention), ``real`` (constant dollars of the scenario's dollar year) and
  ``pv`` (real, discounted to the first year).
* A **source kind** says what a parameter's value rests on.

Examples
--------
>>> from enforcecost.vocab import PAYERS_OF, PERSPECTIVE_LABELS
>>> PAYERS_OF["government"]
('federal', 'state_local')
>>> PERSPECTIVE_LABELS["government"]
'All governments'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

__all__ = [
    "BASES",
    "KINDS",
    "MONEY_GROUP",
    "MONEY_GROUP_LABEL",
    "PAYERS",
    "PAYERS_OF",
    "PERSPECTIVES",
    "PERSPECTIVE_LABELS",
    "PERSPECTIVE_TITLES",
    "SOURCE_KINDS",
    "SOURCE_KIND_LABELS",
    "Basis",
    "Kind",
    "Payer",
    "Perspective",
    "SourceKind",
]

Payer = Literal["federal", "state_local", "economy"]
Kind = Literal["outlay", "revenue", "transfer", "economy"]
Perspective = Literal["federal", "state_local", "government", "economy"]
Basis = Literal["nominal", "real", "pv"]
SourceKind = Literal["seed", "published", "derived", "assumption"]

#: Whose budget a ledger line falls on, in the order tables and sums use.
PAYERS: tuple[Payer, ...] = ("federal", "state_local", "economy")
#: What a ledger line is.
KINDS: tuple[Kind, ...] = ("outlay", "revenue", "transfer", "economy")
#: Net-cost perspectives, in the order every table and chart shows them.
PERSPECTIVES: tuple[Perspective, ...] = ("federal", "state_local", "government", "economy")
#: The bases results are stated in.
BASES: tuple[Basis, ...] = ("nominal", "real", "pv")
#: What a parameter's value rests on, from the firmest to the weakest.
SOURCE_KINDS: tuple[SourceKind, ...] = ("seed", "published", "derived", "assumption")

#: The payers summed in each perspective's net cost.
PAYERS_OF: Mapping[str, tuple[Payer, ...]] = MappingProxyType({
    "federal": ("federal",),
    "state_local": ("state_local",),
    "government": ("federal", "state_local"),
    "economy": ("economy",),
})

#: A reader's short name of each perspective (chart titles, report headings).
PERSPECTIVE_LABELS: Mapping[str, str] = MappingProxyType({
    "federal": "Federal",
    "state_local": "State and local",
    "government": "All governments",
    "economy": "Economy",
})

#: The heading of each perspective's CBO-style table: what the numbers are the net cost to.
PERSPECTIVE_TITLES: Mapping[str, str] = MappingProxyType({
    "federal": "Federal budget",
    "state_local": "State and local budgets",
    "government": "All governments (federal, state and local)",
    "economy": "Economy (outside government budgets)",
})

#: The registry group of the price and discounting parameters (not a provision).
MONEY_GROUP = "money"
#: A reader's name for that group.
MONEY_GROUP_LABEL = "Prices and discounting"

#: A reader's name of each source kind (legends, groupings).
SOURCE_KIND_LABELS: Mapping[str, str] = MappingProxyType({
    "seed": "Executive order (seed)",
    "published": "Published source",
    "derived": "Derived from sources",
    "assumption": "Assumption",
})
