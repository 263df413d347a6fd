"""Imported once by the server that local worker processes fork from.

Builds what every block reads first — the parameter registry, the CPI-U series
and the numerical inverse CDFs of every registry default distribution (about
0.7 s, almost all in SciPy's PINV set-up) — so that each worker forked from the
server starts with them instead of building them in its first block. A scenario's
own distributions are still built on first use, once per worker.
"""

from __future__ import annotations

from .parallel import warm_caches

__all__: list[str] = []

warm_caches()
