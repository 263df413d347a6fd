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
  a uniform jitter within each stratum.
* ``random``: independent uniforms from a stream per (dimension, chunk of
  ``CHUNK`` rows), so any block reads the same numbers.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any, Literal

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
        _sobol_seek(engine, start)
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
