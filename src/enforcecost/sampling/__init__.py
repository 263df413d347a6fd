"""Uniform designs in [0, 1)^d: scrambled Sobol', Latin hypercube and plain Monte Carlo.

Every design is a pure function of ``(d, n, sampler, seed)`` and any block of its
rows ``[start, stop)`` can be made on its own: a seed gives identical draws
whatever the block size, process count or cluster. Randomness comes only from
``numpy.random.SeedSequence(seed)`` (no global state; seed 0 is a seed like any).

* ``sobol``: :class:`scipy.stats.qmc.Sobol` with Owen scrambling. Row ``start``
  is reached by setting the engine's state to it directly (its Gray-code index
  picks the direction numbers to XOR into the scrambling shift), in time
  O(d log2 start) rather than the O(d start) of ``fast_forward``, which steps
  over every skipped row; the draws are identical to the last bit. This uses
  SciPy's private state, so it is checked first and ``fast_forward`` is used
  whenever that state is not as expected. Balance needs ``n`` a power of 2;
  other ``n`` use the first ``n`` points (no warning: the Result reports the
  draws used).
* ``lhs``: Latin hypercube, one permutation of the ``n`` strata per dimension and
  a uniform jitter within each stratum. The permutation is a keyed Feistel
  network with cycle-walking (:func:`_lhs_strata`), evaluated at each row on
  its own, so a block of rows costs time proportional to its rows, whatever
  ``n``.
* ``random``: independent uniforms from a stream per (dimension, chunk of
  ``CHUNK`` rows), so any block reads the same numbers.

**Rank correlations** (``correlate``) are induced by :func:`iman_conover`
reordering the correlated columns, independently on each chunk of a fixed
grid of rows that depends only on ``n``: chunk ``c`` is rows
``[c * CHUNK, (c + 1) * CHUNK)``, except that the last chunk ends at ``n``
and a last piece of fewer than ``CHUNK // 2`` rows is folded into the chunk
before it (so every chunk has between ``CHUNK // 2`` and ``1.5 * CHUNK``
rows, or is the whole design when ``n < 1.5 * CHUNK``). Each chunk has its own
stream of random score permutations, ``SeedSequence(seed, spawn_key=(4, c))``
(chunk 0 keeps ``spawn_key=(4,)``, the stream the whole design used before,
so designs of fewer than ``1.5 * CHUNK`` rows are what they were). A block of
rows computes only the chunks it overlaps, and the last few chunks computed
are cached per process (:data:`CACHED_CHUNKS`), so memory is bounded by a few
chunks whatever ``n``, and the rows are the same whatever the block size,
block order, backend or worker count.

Each chunk's values of a column are a permutation of that chunk's own values
of the uncorrelated design, so over the whole design every column holds
exactly its uncorrelated values: marginals and the one-dimensional
stratification of Latin hypercube and Sobol' designs are untouched. The
target rank correlation holds overall because it holds in every chunk: a
chunk's rows of any of these designs are themselves spread over [0, 1) in each
column like the whole column (consecutive Sobol' points, random Latin
hypercube strata, or independent uniforms), so each chunk is a sample of the
same joint distribution, reordered to the target rank correlation, and the
union of such samples is one. A value's rank in the whole design is then,
to within the chunk's small deviation from uniform, ``n / rows`` times its rank
in its chunk, so the pooled Spearman correlation is close to the row-weighted
mean of the chunks', whose errors average out. Measured (three inputs, the
three samplers; checked in tests/test_correlation.py): each chunk's Spearman
correlations are within 0.013 of the target with 4096-row chunks and 0.004
with 65,536-row chunks; the pooled ones within 0.004 over nine 4096-row
chunks and 0.002 over three 65,536-row chunks.

Layout (private modules behind this facade):

- :mod:`._designs`: :func:`design`, its columns and the Latin hypercube strata;
- :mod:`._sobol_jump`: reaching a Sobol' row directly, the only module using
  SciPy's private engine state;
- :mod:`._correlation`: :func:`iman_conover` and the correlated chunks;
- :mod:`._seeds`: :func:`check_seed`, the seed streams and :data:`CHUNK`
  (which the streams and the chunk grid read at call time from there).
"""

from __future__ import annotations

from ._correlation import CACHED_CHUNKS, Correlate, iman_conover
from ._designs import design
from ._seeds import CHUNK, check_seed

__all__ = ["CACHED_CHUNKS", "CHUNK", "Correlate", "check_seed", "design", "iman_conover"]
