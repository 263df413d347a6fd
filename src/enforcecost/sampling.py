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
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

__all__ = ["CHUNK", "design"]

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
