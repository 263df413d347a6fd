"""Hindcast: a scenario of years already past, compared with what ICE and EOIR published.

A scenario marked ``hindcast = true`` describes a past as it was carried out (levers as
achieved, the world as it was). :func:`hindcast` runs it on the draws ``enforcecost
run`` uses and sets each pipeline quantity's mean and 90% band beside the published
series (``data/series/actuals.csv``), year by year, with the targets of
:data:`COMPARISONS`. The published outcomes are read here, after the model has run:
nothing the model reads depends on them (``tests/test_series.py``).
"""

from __future__ import annotations

from ._compare import Hindcast, hindcast
from ._targets import COMPARISONS, Comparison, StandIn

__all__ = ["COMPARISONS", "Comparison", "Hindcast", "StandIn", "hindcast"]
