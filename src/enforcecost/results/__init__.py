"""Results: the (draw × fiscal year × ledger line) cube and its views.

A :class:`Result` holds the policy run and, when the scenario has a baseline,
the baseline run on the same draws. Its views (``ledger``, ``total``,
``table``, ``summary``) show the **impact** (policy − baseline) when there is a
baseline, and the scenario itself otherwise; ``.policy`` and ``.baseline`` give
each side as a Result of its own.

A Monte Carlo result keeps either every draw's ledger at some detail (every
line, or lines summed by provision or by payer) or, for studies too large for
that (``simulate(..., detail='summary')``), only reductions whose size does
not grow with the draws: exact mean amounts per line and fiscal year, the
distribution of the net totals by perspective and basis (for the window and its
first five years: exact means and standard deviations,
quantile sketches for the percentiles) and the first draws in full
(:attr:`Result.first_draws`, which the views by fiscal year read). See
:class:`Reduced` and :class:`Totals`.

Layout (private modules behind this facade):

- :mod:`._result`: :class:`Result`, views of one store;
- :mod:`._store`: the store protocol; :mod:`._per_draw` and :mod:`._summary`
  its two implementations (every draw's ledger; reductions only);
- :mod:`._runs`: :class:`Run`, :class:`Means`, :class:`Reduced`;
- :mod:`._totals`: :class:`Totals` and its channel layout (:class:`Channels`);
- :mod:`._stats`: per-draw statistics and their standard errors;
- :mod:`._headline`: the headline rule (:data:`HEADLINE`, which figure a
  result leads with, and why), :meth:`Result.headline` and :func:`compare`;
- :mod:`._lines`: ledger line labels, order and alignment;
- :mod:`._select`: checking a view's arguments.
"""

from ..vocab import PERSPECTIVES, Perspective
from ._eras import ERA_QUANTITIES as ERA_QUANTITIES
from ._eras import EraComparison as EraComparison
from ._eras import compare_eras as compare_eras
from ._headline import HEADLINE as HEADLINE
from ._headline import HEADLINE_BASIS as HEADLINE_BASIS
from ._headline import HEADLINE_WHY as HEADLINE_WHY
from ._headline import compare as compare
from ._headline import headline_value as headline_value
from ._lines import ALL_ITEMS, ALL_PROVISIONS
from ._lines import align as align
from ._lines import union_lines as union_lines
from ._result import Result
from ._runs import Means, Reduced, Run
from ._stats import PERCENTILES as PERCENTILES
from ._stats import PrecisionWarning
from ._totals import SKETCH_ALPHA as SKETCH_ALPHA
from ._totals import SKETCH_FLOOR as SKETCH_FLOOR
from ._totals import SKETCH_MIN as SKETCH_MIN
from ._totals import Channels as Channels
from ._totals import Totals

__all__ = [
    "ALL_ITEMS",
    "ALL_PROVISIONS",
    "ERA_QUANTITIES",
    "HEADLINE",
    "HEADLINE_BASIS",
    "HEADLINE_WHY",
    "PERSPECTIVES",
    "EraComparison",
    "Means",
    "Perspective",
    "PrecisionWarning",
    "Reduced",
    "Result",
    "Run",
    "Totals",
    "compare",
    "compare_eras",
    "headline_value",
]
