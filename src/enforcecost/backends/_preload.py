"""Imported once by the server that local worker processes fork from.

Builds what every block reads first — the parameter registry, the CPI-U series
and the numerical inverse CDFs of every registry default distribution (about
0.7 s, almost all in SciPy's PINV set-up) — so that each worker forked from the
server starts with them instead of building them in its first block. A scenario's
own distributions are still built on first use, once per worker.

It also makes the server end with the process that started it (see
:func:`enforcecost.backends._lifetime._serve_forks`); workers forked from it end with it.
"""

from __future__ import annotations

from ._lifetime import _serve_forks, warm_caches

__all__: list[str] = []

_serve_forks()
warm_caches()
