"""Seeds and the seed streams every design draws from.

:func:`check_seed` checks a study's seed; :func:`_stream` gives the
generator of one purpose (and dimension, chunk...) of a seed, from
``numpy.random.SeedSequence(seed, spawn_key=key)``; :func:`_chunked_uniform`
reads any block of rows of a stream of uniforms drawn per chunk of
:data:`CHUNK` rows, so the block's values do not depend on where it starts.
"""

from __future__ import annotations

import numbers

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
#: Rows per chunk: of the streams of ``random`` draws and ``lhs`` jitter, and of
#: the grid on which correlations are induced. Read at call time from this
#: module (``enforcecost.sampling._seeds.CHUNK``), where tests patch it.
CHUNK = 1 << 16

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
