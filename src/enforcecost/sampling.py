"""Uniform designs in [0, 1)^d: scrambled Sobol', Latin hypercube and plain Monte Carlo.

Every design is a pure function of ``(d, n, sampler, seed)`` and any block of its
rows ``[start, stop)`` can be made on its own: a seed gives identical draws
whatever the block size, process count or cluster. Randomness comes only from
``numpy.random.SeedSequence(seed)`` (no global state; seed 0 is a seed like any).

* ``sobol``: :class:`scipy.stats.qmc.Sobol` with Owen scrambling, rows reached
  with ``fast_forward``. Balance needs ``n`` a power of 2; other ``n`` use the
  first ``n`` points (no warning: the Result reports the draws used).
* ``lhs``: Latin hypercube, one permutation of the ``n`` strata per dimension and
  a uniform jitter within each stratum.
* ``random``: independent uniforms from a stream per (dimension, chunk of
  ``CHUNK`` rows), so any block reads the same numbers.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

__all__ = ["CHUNK", "Correlate", "design", "iman_conover"]

#: Columns and their target rank-correlation matrix, hashable (tuples).
Correlate = tuple[tuple[int, ...], tuple[tuple[float, ...], ...]]

FloatArray = npt.NDArray[np.float64]
CHUNK = 1 << 16

_SOBOL, _LHS_PERM, _LHS_JITTER, _RANDOM = 0, 1, 2, 3  # stream purposes


def _stream(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _chunked_uniform(seed: int, purpose: int, dim: int, start: int, stop: int) -> FloatArray:
    out = np.empty(stop - start)
    first, last = start // CHUNK, (stop - 1) // CHUNK
    pos = 0
    for chunk in range(first, last + 1):
        values = _stream(seed, purpose, dim, chunk).random(CHUNK)
        lo = max(start - chunk * CHUNK, 0)
        hi = min(stop - chunk * CHUNK, CHUNK)
        out[pos : pos + hi - lo] = values[lo:hi]
        pos += hi - lo
    return out


def design(
    d: int,
    n: int,
    *,
    sampler: Literal["sobol", "lhs", "random"] = "sobol",
    seed: int = 0,
    start: int = 0,
    stop: int | None = None,
    correlate: Correlate | None = None,
) -> FloatArray:
    """Rows ``start`` to ``stop`` of an ``n``-point uniform design in ``d`` dimensions.

    Parameters
    ----------
    d : int
        Dimensions (uncertain inputs), >= 0.
    n : int
        Points in the whole design, >= 1.
    sampler : {'sobol', 'lhs', 'random'}
        Design kind.
    seed : int
        Seed, >= 0.
    start, stop : int
        The block of rows wanted, ``0 <= start < stop <= n`` (default: all).
    correlate : (columns, rank_corr), optional
        Columns to give target Spearman rank correlations (a ``k x k`` matrix,
        as nested tuples). Their whole ``n`` rows are reordered once by
        :func:`iman_conover` (and cached), so blocks still agree with the whole.

    Returns
    -------
    ndarray, shape (stop - start, d)
        Points in [0, 1).

    Examples
    --------
    >>> a = design(3, 8, sampler="sobol", seed=1)
    >>> b = np.vstack([design(3, 8, sampler="sobol", seed=1, start=0, stop=5),
    ...                design(3, 8, sampler="sobol", seed=1, start=5, stop=8)])
    >>> bool(np.array_equal(a, b))
    True
    """
    stop = n if stop is None else stop
    if correlate is not None and correlate[0]:
        out = design(d, n, sampler=sampler, seed=seed, start=start, stop=stop)
        cols = list(correlate[0])
        out[:, cols] = _correlated(d, n, sampler, seed, correlate)[start:stop]
        return out
    if not (0 <= start < stop <= n):
        raise ValueError(f"block must satisfy 0 <= start < stop <= n: {start}, {stop}, {n}")
    if seed < 0:
        raise ValueError(f"'seed' must be >= 0: {seed}")
    count = stop - start
    if d == 0:
        return np.empty((count, 0))
    if sampler == "sobol":
        engine = qmc.Sobol(d, scramble=True, rng=_stream(seed, _SOBOL))
        if start:
            engine.fast_forward(start)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
            return np.asarray(engine.random(count), dtype=np.float64)
    out = np.empty((count, d))
    if sampler == "lhs":
        for j in range(d):
            strata = _stream(seed, _LHS_PERM, j).permutation(n)[start:stop]
            jitter = _chunked_uniform(seed, _LHS_JITTER, j, start, stop)
            out[:, j] = (strata + jitter) / n
        return out
    if sampler == "random":
        for j in range(d):
            out[:, j] = _chunked_uniform(seed, _RANDOM, j, start, stop)
        return out
    raise ValueError(f"'sampler' must be one of sobol, lhs, random: {sampler!r}")


@lru_cache(maxsize=8)
def _correlated(
    d: int, n: int, sampler: Literal["sobol", "lhs", "random"], seed: int, correlate: Correlate
) -> FloatArray:
    cols = list(correlate[0])
    full = np.empty((n, len(cols)))
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        full[start:stop] = design(d, n, sampler=sampler, seed=seed, start=start, stop=stop)[:, cols]
    out = iman_conover(full, np.asarray(correlate[1]), seed=seed)
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
    rng = _stream(seed, 4)
    t = np.column_stack([rng.permutation(scores) for _ in range(k)])
    q = np.linalg.cholesky(np.corrcoef(t, rowvar=False))
    t_star = t @ np.linalg.solve(q, p.T)  # = t (Q^-1)^T P^T
    out = np.empty_like(u)
    for j in range(k):
        ranks = np.argsort(np.argsort(t_star[:, j], kind="stable"), kind="stable")
        out[:, j] = np.sort(u[:, j], kind="stable")[ranks]
    return out
