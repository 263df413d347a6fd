"""Exact sums over draws that do not depend on how the draws are split into blocks.

A Monte Carlo's means (pipeline flows, a reduction-only run's amounts per line and
year, the moments of its totals) are sums over draws computed block by block,
on any backend. Floating-point addition is not associative, so a float sum would
change in its last bits with the block size. Here the draws are cut into
**groups**, the aligned runs ``[k * GROUP, (k + 1) * GROUP)`` of draw indices
(the last one possibly shorter): each group's values are summed in floating
point in one fixed way (numpy's pairwise summation over the group's contiguous
values, the same code whichever block holds the group), the group sum is
rounded once to a multiple of ``2**-10`` (under a tenth of a cent), and those
fixed-point numbers are added as integers, exactly, in any order. Blocks must
therefore start at a multiple of :data:`GROUP` (``simulate`` rounds its block
size up to one).

The integer of a group sum is kept as four signed base-``2**26`` digits, each
summed in int64: exact for group sums below ``2**93`` dollars
(:data:`EXACT_LIMIT`) and up to ``2**36`` groups. Group sums that are not
finite are added as floats (``extra``), where infinities and NaN propagate the
same in any order; so are finite ones beyond that range: there the sum
**would depend on the block size**. The model never lets a run get there: every
value it sums over draws (a ledger amount, real or nominal, a pipeline flow; in
a reduction-only run each total's distance ``d`` from its central value and
``d**2``) must be below :data:`VALUE_LIMIT` in magnitude, which keeps every
group sum below :data:`EXACT_LIMIT`; scenarios whose inputs could go beyond are
rejected when validated, and a block that meets a larger (or non-finite) value
stops the run with a :class:`~enforcecost.ScenarioError` (see
:func:`enforcecost.model.magnitude_problems`).

Compared with rounding every value (the former scheme), this reads each value
once, in one contiguous pass, where rounding took five passes over every value:
a third of a million-draw run's time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EXACT_LIMIT", "GROUP", "VALUE_LIMIT", "FixedSums", "group_sums"]

#: Draws per summation group (blocks of draws start at multiples of it).
GROUP = 256
#: Group sums (dollars, or people for pipeline flows) are added exactly, in
#: any order, when their magnitude is below this: ``2**(26 * 4 - 1)`` units of
#: ``2**-10`` dollars, i.e. ``2**93`` (about 9.9e27) dollars.
EXACT_LIMIT = 2.0**93
#: Largest magnitude a single summed value (one draw's ledger amount in one
#: year, real or nominal) may have: ``EXACT_LIMIT / GROUP / 2 = 2**84``
#: (about 1.93e25) dollars. A group holds at most ``GROUP`` values, so their
#: exact sum is below ``2**92``; float summation of 256 terms errs by far less
#: than a factor 2 (at most ``8 * 2**-53`` relative for numpy's pairwise sum),
#: so every group sum stays below :data:`EXACT_LIMIT`.
VALUE_LIMIT = EXACT_LIMIT / GROUP / 2.0
_SCALE = 1024.0  # fixed-point unit: 2**-10 dollars
_BASE = 26  # bits per digit
_DIGITS = 4
_LIMIT = 2.0 ** (_BASE * _DIGITS - 1)  # |value in units| below this: split exactly
assert _LIMIT / _SCALE == EXACT_LIMIT


def group_sums(
    x: np.ndarray, factor: float | np.ndarray | None = None, *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Float sums of ``x * factor`` over each group of the first axis (draws).

    Parameters
    ----------
    x : ndarray, shape (n, ...)
        Values of ``n`` consecutive draws starting at a multiple of
        :data:`GROUP`; ``n`` is a multiple of ``GROUP`` unless these are the
        last draws of the study.
    factor : float or ndarray, optional
        Broadcasts against ``x``.
    out : ndarray, optional
        Scratch space for ``x * factor``, of ``x``'s shape (overwritten); give
        it ``x``'s memory layout.

    Returns
    -------
    ndarray, shape (groups, ...)
        One row per group, ``ceil(n / GROUP)`` rows. Each group's sum is
        numpy's pairwise sum of its values as one contiguous run (arrays
        whose draws are not adjacent in memory are copied first; year-major
        arrays are not): the same for the group whatever the rest of the array.
    """
    v = x if factor is None else np.multiply(x, factor, out=out)
    if v.ndim > 1 and v.shape[0] > 1 and v.strides[0] != v.itemsize:
        v = np.asfortranarray(v)  # each draw's values apart: copied so that groups are runs
    n = v.shape[0]
    k = n // GROUP
    rest = v.shape[1:]
    full = v[: k * GROUP].reshape(k, GROUP, *rest).sum(axis=1)
    if k * GROUP == n:
        return np.asarray(full)
    tail = v[k * GROUP :].sum(axis=0, keepdims=True)
    return np.concatenate([full, tail])


@dataclass
class FixedSums:
    """Exact sums of fixed-point group sums (see the module notes).

    Attributes
    ----------
    digits : ndarray of int64, shape (4, ...)
        The total in units of ``2**-10`` is ``sum(digits[i] * 2**(26 * i))``;
        how it splits into digits depends on the blocks, the total does not.
    extra : ndarray of float
        Float sum of the group sums out of fixed-point range (non-finite).
    """

    digits: np.ndarray
    extra: np.ndarray

    @classmethod
    def of(cls, groups: np.ndarray) -> FixedSums:
        """Exact sums over the first axis of ``groups`` (rows: group sums), rounded once each."""
        g = np.asarray(groups, dtype=np.float64)
        v = g * _SCALE
        ok = np.abs(v) < _LIMIT  # False for inf and NaN
        rest = np.where(ok, v, 0.0)
        digits = np.empty((_DIGITS, *v.shape[1:]), np.int64)
        for i in range(_DIGITS - 1, 0, -1):
            unit = 2.0 ** (_BASE * i)
            d = np.trunc(rest / unit)
            rest = rest - d * unit  # exact: |rest| < unit, a multiple of the value's ulp
            digits[i] = d.astype(np.int64).sum(axis=0)
        digits[0] = np.rint(rest).astype(np.int64).sum(axis=0)  # the one rounding
        with np.errstate(invalid="ignore"):  # inf + -inf is NaN, in any order
            extra = np.where(ok, 0.0, g).sum(axis=0)
        return cls(digits, np.asarray(extra, dtype=np.float64))

    @classmethod
    def zeros(cls, shape: tuple[int, ...]) -> FixedSums:
        return cls(np.zeros((_DIGITS, *shape), np.int64), np.zeros(shape))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.extra.shape)

    def __iadd__(self, other: FixedSums) -> FixedSums:
        self.digits += other.digits
        self.extra += other.extra
        return self

    def mean(self, n: int) -> np.ndarray:
        """The mean over ``n`` draws: the exact total divided by ``n``, rounded once."""
        d = self.digits.reshape(_DIGITS, -1).tolist()  # Python ints: exact arithmetic
        denominator = int(_SCALE) * n
        exact = [
            sum(int(d[i][j]) << (_BASE * i) for i in range(_DIGITS)) / denominator
            for j in range(len(d[0]))
        ]  # int / int is correctly rounded
        mean = np.array(exact, dtype=np.float64).reshape(self.shape)
        extra = self.extra != 0.0
        if extra.any():
            mean[extra] = mean[extra] + self.extra[extra] / n
        return mean
