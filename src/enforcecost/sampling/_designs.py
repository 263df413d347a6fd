"""The uniform designs: :func:`design`, its columns and the Latin hypercube strata.

Scrambled Sobol' rows come from :mod:`scipy.stats.qmc` reached at row
``start`` by :func:`._sobol_jump._sobol_seek`; Latin hypercube and random
columns from the seed streams of :mod:`._seeds`, the Latin hypercube strata
from a keyed Feistel permutation (:func:`_lhs_strata`). Correlated columns
are reordered by :mod:`._correlation`.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

from ._correlation import Correlate, _correlated_rows
from ._seeds import (
    _LHS_JITTER,
    _LHS_PERM,
    _RANDOM,
    _SOBOL,
    FloatArray,
    _chunked_uniform,
    _stream,
    check_seed,
)
from ._sobol_jump import _sobol_seek


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
        as nested tuples). They are reordered by :func:`iman_conover` on each
        chunk of a grid of rows that depends only on ``n`` (rows
        ``[c * CHUNK, (c + 1) * CHUNK)``, a last piece of fewer than
        ``CHUNK // 2`` rows joining the chunk before it), each chunk with its
        own seed stream; a block computes only the chunks it overlaps (the last
        :data:`CACHED_CHUNKS` are cached), so memory does not grow with ``n``
        and blocks agree with the whole. Each chunk's values of a column are a
        permutation of its uncorrelated values, so every column holds exactly
        the values it has without ``correlate``; every chunk, and so the whole
        design, has the target rank correlation (to within a few thousandths
        with chunks of 65,536 rows; see the module docstring). Designs of
        fewer than ``1.5 * CHUNK`` rows are one chunk: Iman-Conover on all
        their rows, as before chunks. Each chunk needs more rows than ``k``.

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
        out[:, list(correlate[0])] = _correlated_rows(d, n, sampler, seed, correlate, start, stop)
        return out
    if not (0 <= start < stop <= n):
        raise ValueError(f"block must satisfy 0 <= start < stop <= n: {start}, {stop}, {n}")
    seed = check_seed(seed)
    count = stop - start
    if d == 0:
        return np.empty((count, 0))
    if sampler == "sobol":
        engine = qmc.Sobol(d, scramble=True, rng=_stream(seed, _SOBOL))
        _sobol_seek(engine, start)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
            return np.asarray(engine.random(count), dtype=np.float64)
    if sampler not in ("lhs", "random"):
        raise ValueError(f"'sampler' must be one of sobol, lhs, random: {sampler!r}")
    out = np.empty((count, d))
    for j in range(d):
        out[:, j] = _column(sampler, n, seed, j, start, stop)
    return out


def _column(sampler: Literal["lhs", "random"], n: int, seed: int, j: int, start: int,
            stop: int) -> FloatArray:
    """Rows ``start`` to ``stop`` of column ``j`` of a Latin hypercube or random design."""
    if sampler == "lhs":
        strata = _lhs_strata(n, seed, j, start, stop)
        jitter = _chunked_uniform(seed, _LHS_JITTER, j, start, stop)
        return (strata + jitter) / n
    return _chunked_uniform(seed, _RANDOM, j, start, stop)


#: Rounds of the Feistel network of :func:`_lhs_strata`.
_FEISTEL_ROUNDS = 8
_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)  # MurmurHash3 fmix64
_S33 = np.uint64(33)


def _lhs_strata(n: int, seed: int, j: int, start: int, stop: int) -> npt.NDArray[np.uint64]:
    """Strata of rows ``start`` to ``stop`` of column ``j`` of an ``n``-point Latin hypercube.

    Row ``i``'s stratum is ``pi(i)`` for a pseudo-random permutation ``pi`` of
    ``[0, n)`` keyed by ``(seed, j)``, evaluated at each row on its own: time
    and memory O(stop - start), whatever ``n``, and a row's stratum depends
    only on ``seed``, ``j``, ``n`` and the row.

    Parameters
    ----------
    n : int
        Strata (points of the design), >= 1.
    seed : int
        Seed, >= 0.
    j : int
        Column.
    start, stop : int
        Rows, ``0 <= start < stop <= n``.

    Returns
    -------
    ndarray of uint64, shape (stop - start,)
        ``pi(start), ..., pi(stop - 1)``, distinct values in ``[0, n)``.

    Notes
    -----
    ``pi`` is a Feistel network on ``[0, 2**m)``, ``m = max(2, bit_length(n - 1))``
    (the smallest power of two >= n, at least 4), restricted to ``[0, n)`` by
    cycle-walking (Black and Rogaway 2002).

    *The network is a permutation of [0, 2**m).* An ``m``-bit ``x`` is split
    into its low ``b`` bits ``lo`` and high ``m - b`` bits ``hi``; a round
    maps it to ``(lo << (m - b)) | (hi ^ (F(lo) & (2**(m - b) - 1)))``, whose
    high ``b`` bits give back ``lo`` and then its low ``m - b`` bits give back
    ``hi``: each round is a bijection of ``[0, 2**m)`` whatever ``F``, and so
    is their composition (Luby and Rackoff 1988). ``b`` alternates between
    ``m // 2`` and ``m - m // 2``, so odd ``m`` needs no larger domain (an
    unbalanced Feistel network with alternating halves). ``F`` is the
    MurmurHash3 64-bit finaliser of ``lo ^ k_r``, with a key ``k_r`` per round
    drawn from the column's stream ``SeedSequence(seed, spawn_key=(1, j))``;
    it only has to mix well, not to be invertible.

    *Cycle-walking gives a permutation of [0, n).* For ``x < n``, ``pi(x)``
    is the first of ``P(x), P(P(x)), ...`` below ``n``, ``P`` the network. The
    walk ends: ``x`` lies on a finite cycle of ``P``, which returns to ``x``
    itself (``< n``) after at most ``2**m`` steps. ``pi`` is injective, so a
    permutation: on each cycle of ``P`` the walks from its points below
    ``n`` cut the cycle into disjoint arcs, each ending at a different point
    below ``n``. Those arcs also show the cost: the walks from all of
    ``[0, n)`` take at most ``2**m`` steps in all, fewer than ``2 n`` since
    ``2**m < 2 n`` when ``n >= 3``, so under 2 evaluations of ``P`` per row
    on average (at most 4 for ``n <= 2``). The walk runs vectorised, on the
    rows not yet below ``n`` only.

    References
    ----------
    Luby, M. and Rackoff, C. (1988). How to construct pseudorandom
    permutations from pseudorandom functions. SIAM Journal on Computing
    17(2), 373-386.

    Black, J. and Rogaway, P. (2002). Ciphers with arbitrary finite domains.
    Topics in Cryptology - CT-RSA 2002, LNCS 2271, 114-130.
    """
    m = max(2, (n - 1).bit_length())
    keys = _stream(seed, _LHS_PERM, j).integers(0, 2**64, size=_FEISTEL_ROUNDS,
                                                 dtype=np.uint64)
    out = _feistel(np.arange(start, stop, dtype=np.uint64), m, keys)
    walking = np.flatnonzero(out >= n)
    while walking.size:
        step = _feistel(out[walking], m, keys)
        out[walking] = step
        walking = walking[step >= n]
    return out


def _feistel(x: npt.NDArray[np.uint64], m: int,
             keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The Feistel network of :func:`_lhs_strata` on ``m``-bit ``x`` (a new array)."""
    for r, key in enumerate(keys):
        b = m // 2 if r % 2 == 0 else m - m // 2  # bits of the half fed to F
        lo_bits, hi_bits = np.uint64(b), np.uint64(m - b)
        lo = x & np.uint64((1 << b) - 1)
        f = lo ^ key  # F(lo): MurmurHash3 fmix64 of lo ^ key
        f ^= f >> _S33
        f *= _M1
        f ^= f >> _S33
        f *= _M2
        f ^= f >> _S33
        f &= np.uint64((1 << (m - b)) - 1)
        f ^= x >> lo_bits  # hi ^ F(lo)
        lo <<= hi_bits
        lo |= f
        x = lo
    return x
