"""Rank correlations: Iman-Conover, on each chunk of a grid of rows fixed by ``n``.

:func:`iman_conover` reorders the columns of a sample to a target rank
correlation. :func:`_correlated_rows` gives any block of rows of the
correlated columns of a design from the chunks of :func:`_chunk_grid` it
overlaps, each chunk reordered on its own with its own seed stream and the
last :data:`CACHED_CHUNKS` kept per process (:func:`_correlated_chunk`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np

from . import _seeds
from ._seeds import _IMAN_CONOVER, FloatArray, _stream

#: Columns and their target rank-correlation matrix, hashable (tuples).
Correlate = tuple[tuple[int, ...], tuple[tuple[float, ...], ...]]

#: Correlated chunks kept per process, so that neighbouring blocks reuse them.
CACHED_CHUNKS = 4
_PIECE = 1 << 13  # Sobol' rows drawn at a time for a correlated chunk


def _chunk_grid(n: int, size: int) -> int:
    """Chunks of the grid of an ``n``-row design on which correlations are induced.

    Chunk ``c`` is rows ``[c * size, (c + 1) * size)``, the last one ending at
    ``n``; a last piece of fewer than ``size // 2`` rows is folded into the chunk
    before it rather than made a chunk of its own. So every chunk has at least
    ``size // 2`` rows (unless the design is smaller) and at most
    ``size + size // 2 - 1``: enough for Iman-Conover (more rows than correlated
    inputs) and for an accurate rank correlation, whatever ``n`` and ``k``.
    The grid depends on ``n`` (and ``size``) only, never on the blocks.
    """
    full, rest = divmod(n, size)
    if full == 0 or (rest > 0 and rest >= size // 2):
        return full + 1  # the last piece is a chunk of its own
    return full  # no last piece, or one folded into the last full chunk


def _correlated_rows(d: int, n: int, sampler: Literal["sobol", "lhs", "random"], seed: int,
                     correlate: Correlate, start: int, stop: int) -> FloatArray:
    """Rows ``start`` to ``stop`` of the correlated columns, from the chunks they overlap."""
    size = _seeds.CHUNK  # read at call time
    chunks = _chunk_grid(n, size)
    out = np.empty((stop - start, len(correlate[0])))
    first, last = min(start // size, chunks - 1), min((stop - 1) // size, chunks - 1)
    for c in range(first, last + 1):
        lo, hi = c * size, n if c == chunks - 1 else (c + 1) * size
        a, b = max(start, lo), min(stop, hi)
        out[a - start : b - start] = _correlated_chunk(d, n, sampler, seed, correlate, c,
                                                       size)[a - lo : b - lo]
    return out


@lru_cache(maxsize=CACHED_CHUNKS)
def _correlated_chunk(d: int, n: int, sampler: Literal["sobol", "lhs", "random"], seed: int,
                      correlate: Correlate, c: int, size: int) -> FloatArray:
    """Chunk ``c`` of the correlated columns (grid of :func:`_chunk_grid`), read-only.

    The chunk's rows of those columns of the uncorrelated design, reordered by
    Iman-Conover with the chunk's own stream of score permutations: spawn key
    ``(4,)`` for chunk 0 (what :func:`iman_conover` uses, so a design of one
    chunk is Iman-Conover on all its rows) and ``(4, c)`` for the others.
    ``size`` (the value of :data:`CHUNK` when called) is part of the cache key.
    """
    # The uncorrelated draws: _designs imports this module, so import at call
    # time (once per chunk computed, the chunks being cached).
    from ._designs import _column, design

    cols = list(correlate[0])
    lo, hi = c * size, n if c == _chunk_grid(n, size) - 1 else (c + 1) * size
    u = np.empty((hi - lo, len(cols)))
    if sampler == "sobol":  # all d dimensions are drawn: a piece at a time
        for a in range(lo, hi, _PIECE):
            b = min(a + _PIECE, hi)
            u[a - lo : b - lo] = design(d, n, sampler=sampler, seed=seed, start=a, stop=b)[:, cols]
    else:  # lhs, random: only the correlated columns
        for i, j in enumerate(cols):
            u[:, i] = _column(sampler, n, seed, j, lo, hi)
    key = (_IMAN_CONOVER,) if c == 0 else (_IMAN_CONOVER, c)
    out = _iman_conover(u, np.asarray(correlate[1], dtype=np.float64), _stream(seed, *key))
    out.setflags(write=False)
    return out


def iman_conover(
    u: FloatArray, rank_corr: FloatArray, *, seed: int = 0
) -> FloatArray:
    """Reorder each column of a sample so its rank correlations match a target.

    Iman and Conover (1982): van der Waerden scores of independent random
    ranks are given the target correlation through Cholesky factors, and each
    column of ``u`` is then reordered to the ranks of those scores. The values
    in every column are unchanged (so are the marginals and any stratification
    of the design); only their pairing changes.

    Parameters
    ----------
    u : ndarray, shape (n, k)
        The sample (quantiles or values), ``n > k``.
    rank_corr : ndarray, shape (k, k)
        Target Spearman rank correlations: symmetric, unit diagonal, positive
        definite.
    seed : int
        Seed of the random score permutations.

    Returns
    -------
    ndarray, shape (n, k)

    References
    ----------
    Iman, R. L. and Conover, W. J. (1982). A distribution-free approach to
    inducing rank correlation among input variables. Communications in
    Statistics - Simulation and Computation 11(3), 311-334.
    """
    return _iman_conover(u, rank_corr, _stream(seed, _IMAN_CONOVER))


def _iman_conover(u: FloatArray, rank_corr: FloatArray, rng: np.random.Generator) -> FloatArray:
    """:func:`iman_conover` with the score permutations drawn from ``rng``."""
    from scipy.special import ndtri

    n, k = u.shape
    target = np.asarray(rank_corr, dtype=np.float64)
    if target.shape != (k, k) or not np.allclose(target, target.T):
        raise ValueError(f"'rank_corr' must be a symmetric ({k}, {k}) matrix")
    if n <= k:
        raise ValueError(f"Iman-Conover needs more draws than correlated inputs: {n} <= {k}")
    # Normal scores with Pearson correlation 2 sin(pi rho / 6) have Spearman rho.
    pearson = 2.0 * np.sin(np.pi * target / 6.0)
    try:
        p = np.linalg.cholesky(pearson)
    except np.linalg.LinAlgError as exc:
        raise ValueError("'rank_corr' must be positive definite (a possible correlation "
                         "matrix)") from exc
    scores = ndtri(np.arange(1, n + 1) / (n + 1.0))  # van der Waerden scores
    t = np.column_stack([rng.permutation(scores) for _ in range(k)])
    q = np.linalg.cholesky(np.corrcoef(t, rowvar=False))
    t_star = t @ np.linalg.solve(q, p.T)  # = t (Q^-1)^T P^T
    out = np.empty_like(u)
    for j in range(k):
        ranks = np.argsort(np.argsort(t_star[:, j], kind="stable"), kind="stable")
        out[:, j] = np.sort(u[:, j], kind="stable")[ranks]
    return out
