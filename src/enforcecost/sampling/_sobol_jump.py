"""Reaching row ``start`` of a scrambled Sobol' engine directly.

**This is the only module that touches SciPy's private engine attributes**
(``_sv``, ``_shift``, ``_quasi`` and ``num_generated`` of
:class:`scipy.stats.qmc.Sobol`). :func:`_sobol_seek` sets the state of a new
engine to row ``start`` in O(d log2 start) time (:func:`_sobol_jump`), the
same state as ``fast_forward(start)`` bit for bit, but only when
:func:`_can_jump` finds that state as expected and, once per process,
:func:`_jump_agrees_with_scipy` finds the jump draws what ``fast_forward``
does; otherwise it calls ``fast_forward``.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.stats import qmc


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
