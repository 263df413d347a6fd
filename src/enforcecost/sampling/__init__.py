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
"""

from __future__ import annotations

import numbers
import warnings
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

__all__ = ["CACHED_CHUNKS", "CHUNK", "Correlate", "check_seed", "design", "iman_conover"]

#: Columns and their target rank-correlation matrix, hashable (tuples).
Correlate = tuple[tuple[int, ...], tuple[tuple[float, ...], ...]]

FloatArray = npt.NDArray[np.float64]
#: Rows per chunk: of the streams of ``random`` draws and ``lhs`` jitter, and of
#: the grid on which correlations are induced (read at call time).
CHUNK = 1 << 16
#: Correlated chunks kept per process, so that neighbouring blocks reuse them.
CACHED_CHUNKS = 4
_PIECE = 1 << 13  # Sobol' rows drawn at a time for a correlated chunk

_SOBOL, _LHS_PERM, _LHS_JITTER, _RANDOM, _IMAN_CONOVER = 0, 1, 2, 3, 4  # stream purposes


def check_seed(seed: object, accepted: str = "a non-negative integer") -> int:
    """``seed`` as an int, or an error naming the argument, the rule and the value.

    The one check of every study's ``seed`` (callers handle None, and a
    :class:`numpy.random.SeedSequence` where they take one, before it).

    Parameters
    ----------
    seed : object
        An int or numpy integer >= 0; not a bool.
    accepted : str
        What the caller accepts, for the message.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        For a value of another type (a bool, a string, a float, a Generator...).
    ValueError
        For a negative integer.

    Examples
    --------
    >>> check_seed(np.int64(7))
    7
    >>> check_seed(np.random.default_rng(7))
    Traceback (most recent call last):
    ...
    TypeError: 'seed' must be a non-negative integer: Generator(PCG64) ...
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        why = ""
        if isinstance(seed, bool):
            why = " (a bool is not a seed)"
        elif isinstance(seed, np.random.Generator | np.random.BitGenerator
                        | np.random.RandomState):
            why = ("; a random generator is not accepted: a result must be reproducible "
                   "from its seed, and a generator's state changes as it is drawn from "
                   "(pass an integer, e.g. rng.integers(2**63))")
        elif isinstance(seed, np.random.SeedSequence):
            why = ("; the streams of the design are derived from an integer seed "
                   "(pass an integer)")
        shown = " ".join(repr(seed).split())  # a SeedSequence's repr spans lines
        raise TypeError(f"'seed' must be {accepted}: {shown}{why}")
    if seed < 0:
        raise ValueError(f"'seed' must be >= 0: {seed!r}")
    return int(seed)


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


def _sobol_seek(engine: Any, start: int) -> None:
    """Move a new :class:`scipy.stats.qmc.Sobol` engine so its next draw is row ``start``.

    Same state as ``engine.fast_forward(start)``, bit for bit, in O(d log2 start)
    time when :func:`_can_jump` accepts the engine; otherwise ``fast_forward``.

    Parameters
    ----------
    engine : scipy.stats.qmc.Sobol
        An engine that has drawn nothing yet.
    start : int
        The row its next ``random`` call is to begin with, >= 0.
    """
    if start == 0:
        return
    if _can_jump(engine, start) and _jump_agrees_with_scipy():
        _sobol_jump(engine, start)
    else:
        engine.fast_forward(start)


def _can_jump(engine: Any, start: int) -> bool:
    """Whether ``engine`` holds the private state :func:`_sobol_jump` sets, as expected.

    SciPy (1.15 to at least 1.17) keeps, per dimension, unsigned direction
    numbers ``_sv`` (``d x bits``), the scrambling shift ``_shift`` and the
    current point ``_quasi`` (``d``, C-contiguous, written in place by its
    Cython loops), with the count ``num_generated``. Only a new engine (nothing
    drawn) whose row ``start - 1`` has a Gray code of at most ``bits`` bits
    qualifies.
    """
    try:
        d, bits, maxn = engine.d, engine.bits, engine.maxn
        sv, shift, quasi = engine._sv, engine._shift, engine._quasi
        fresh = engine.num_generated == 0
    except AttributeError:
        return False
    if not (isinstance(d, int | np.integer) and isinstance(bits, int | np.integer)
            and isinstance(maxn, int | np.integer) and maxn == 2**bits):
        return False
    arrays = (sv, shift, quasi)
    if not all(isinstance(a, np.ndarray) for a in arrays):
        return False
    return bool(
        fresh
        and 1 <= start <= maxn
        and sv.dtype in (np.uint32, np.uint64)
        and all(a.dtype == sv.dtype for a in arrays)
        and sv.shape == (d, bits)
        and shift.shape == quasi.shape == (d,)
        and quasi.flags.c_contiguous
        and quasi.flags.writeable
        and np.array_equal(quasi, shift)
    )


def _sobol_jump(engine: Any, start: int) -> None:
    """Set ``engine`` to the state ``fast_forward(start)`` leaves, ``start >= 1``.

    Row ``k`` of SciPy's scrambled sequence (Gray-code order) is ``_shift``
    XOR the columns ``j`` of ``_sv`` for the bits ``j`` set in ``k ^ (k >> 1)``.
    After ``m >= 1`` rows have been drawn or skipped SciPy holds row ``m - 1``
    in ``_quasi`` and ``m`` in ``num_generated``; its next draw steps to row
    ``m`` (it treats only ``num_generated == 0`` specially, returning row 0).
    """
    row = int(start) - 1
    gray = row ^ (row >> 1)
    point = engine._shift.copy()
    for j in range(gray.bit_length()):
        if (gray >> j) & 1:
            point ^= engine._sv[:, j]
    engine._quasi[...] = point
    engine.num_generated = row + 1


@lru_cache(maxsize=1)
def _jump_agrees_with_scipy() -> bool:
    """Once per process: :func:`_sobol_jump` draws what ``fast_forward`` does.

    A guard, beyond the checks of :func:`_can_jump`, against a SciPy whose
    private state keeps its names and types but changes its meaning.
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
            for start in (1, 2, 3, 6, 8, 1000):
                slow = qmc.Sobol(3, scramble=True, rng=start)
                fast = qmc.Sobol(3, scramble=True, rng=start)
                if not _can_jump(fast, start):
                    return False
                slow.fast_forward(start)
                _sobol_jump(fast, start)
                if not np.array_equal(slow.random(5), fast.random(5)):
                    return False
    except Exception:  # any surprise in private state means: do not jump
        return False
    return True


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
    size = CHUNK
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
