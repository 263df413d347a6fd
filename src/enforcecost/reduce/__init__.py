"""Reductions over draws that do not depend on how the draws were split.

Monte Carlo runs are summed block by block, on any backend, in any order; these
reductions give the same bits whatever the split:

* **Exact sums** (:mod:`._sums`): each aligned group of :data:`GROUP` (256)
  draws is summed in floating point over one contiguous run, rounded once to
  2**-10 dollars and added exactly as integers (:class:`FixedSums`,
  :func:`group_sums`). Exact while every summed value stays below
  :data:`VALUE_LIMIT`, which the model enforces (:data:`EXACT_LIMIT` is the
  bound on a group's sum).
* **Quantile sketches** (:mod:`._sketch`): mergeable log-bucket sketches of
  per-draw totals (:class:`QuantileSketch`), exact under merging, for
  reduction-only results that keep no per-draw values.

Used by :mod:`enforcecost.model` (to reduce blocks) and
:mod:`enforcecost.results` (to read what was kept).
"""

from __future__ import annotations

from ._sketch import QuantileSketch, width_for
from ._sums import EXACT_LIMIT, GROUP, VALUE_LIMIT, FixedSums, group_sums

__all__ = [
    "EXACT_LIMIT",
    "GROUP",
    "VALUE_LIMIT",
    "FixedSums",
    "QuantileSketch",
    "group_sums",
    "width_for",
]
