"""Inverse CDFs of checked specifications, built once per process.

:func:`inverse_cdf` maps uniform numbers in [0, 1) to values for every kind:
closed forms for the untruncated kinds (SciPy's formulas without the per-call
argument checking), a numerical inversion for PERT and truncated normal inputs,
the frozen distribution's ``ppf`` otherwise.

Notes
-----
**Inverse CDF of PERT and truncated normal inputs.** These use UNU.RAN's PINV
(:class:`scipy.stats.sampling.NumericalInversePolynomial`, u-resolution 1e-12),
built once per process for each standardized shape: Beta(a, b) on [0, 1] with
a <= b (a PERT with a > b is inverted as its mirror image), or the standard
normal truncated to [lo, hi] (in standard deviations from the mean). Its set-up
may evaluate the density at most ``_SETUP_CALLS`` = 2**17 = 131,072 times (a
count of evaluations, dimensionless). A shape whose set-up fails or needs more
uses SciPy's exact ``ppf`` instead (clipped to [low, high]), whose values
differ from PINV's by up to about 1e-12 in probability; the choice is cached
with the shape. The rule reads no clock: the choice depends on the shape
alone, so every process, worker and machine with the same NumPy, SciPy and
UNU.RAN versions makes the same choice and the same draws, however loaded or
slow it is. Every PERT shape (a + b = 6) and every normal truncated to an
interval at least 0.01 standard deviations wide takes under 23,000 evaluations
(about 15 ms); narrower ones may exhaust the budget and fall back. A set-up
that exhausts the budget ends within a few dozen further evaluations (about
0.1 s in all), since past the budget the density is NaN, on which PINV stops.
"""

from __future__ import annotations

import math
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats
from scipy.special import ndtri
from scipy.stats.sampling import NumericalInversePolynomial, UNURANError

from ._frozen import _CI90_Z, scipy_dist

__all__ = ["inverse_cdf"]

FloatArray = npt.NDArray[np.float64]

_U_RESOLUTION = 1e-12  # accuracy of the numerical inverse CDF, in probability
#: Density evaluations allowed to one PINV set-up (a count, never a time: see the module notes).
_SETUP_CALLS = 2**17


class _Kernel(ABC):
    """An unnormalized density for PINV, metered: a budget of density evaluations.

    UNU.RAN's PINV can loop for minutes on some shapes (Beta(4.1, 1.9), a normal
    truncated to an interval 1e-12 wide), evaluating the density all the while.
    :meth:`pdf` counts its calls; past :attr:`budget` it returns NaN, which makes
    PINV stop within a few dozen more calls (raising instead makes SciPy's wrapper
    hand PINV an infinite density, on which it loops on, in C, for seconds to
    minutes), and :attr:`exhausted` tells the caller to discard what it built.
    The count, and so the decision, depends on the shape alone, never on time.
    """

    center: float

    def __init__(self, budget: float) -> None:
        self.budget = budget  # density evaluations allowed (math.inf: no limit)
        self.calls = 0
        self._density = self._make_density()

    @property
    def exhausted(self) -> bool:
        """True once :meth:`pdf` was called more than :attr:`budget` times."""
        return self.calls > self.budget

    def pdf(self, x: float) -> float:
        """The density at ``x``; NaN once the budget is spent."""
        self.calls += 1
        if self.calls > self.budget:
            return math.nan
        return self._density(x)

    @abstractmethod
    def _make_density(self) -> Callable[[float], float]:
        """The density as a closure over plain floats (PINV calls it point by point)."""


class _GaussianKernel(_Kernel):
    """exp(-x**2 / 2) on [lo, hi], scaled to 1 at its peak (the point nearest 0)."""

    def __init__(self, lo: float, hi: float, budget: float = math.inf) -> None:
        self.peak = min(max(0.0, lo), hi)
        # PINV starts from a point inside the interval where the density is not tiny:
        # the peak, or a scale length (1 / |end| far in a tail) in from the end holding it.
        if lo < 0.0 < hi:
            self.center = 0.0
        elif lo >= 0.0:
            self.center = lo + min((hi - lo) / 2.0, 1.0 / max(lo, 1.0))
        else:
            self.center = hi - min((hi - lo) / 2.0, 1.0 / max(-hi, 1.0))
        super().__init__(budget)

    def _make_density(self) -> Callable[[float], float]:
        peak2, exp = self.peak * self.peak, math.exp

        def density(x: float) -> float:
            return exp(-(x * x - peak2) / 2.0)

        return density


class _BetaKernel(_Kernel):
    """x**(a-1) * (1-x)**(b-1) on [0, 1] (a, b >= 1 for PERT)."""

    def __init__(self, a: float, b: float, budget: float = math.inf) -> None:
        self.a, self.b = a, b
        self.center = float(stats.beta(a, b).median())
        super().__init__(budget)

    def _make_density(self) -> Callable[[float], float]:
        am1, bm1 = self.a - 1.0, self.b - 1.0

        def density(x: float) -> float:
            if not 0.0 <= x <= 1.0:
                return 0.0
            return float(x**am1 * (1.0 - x) ** bm1)

        return density


def inverse_cdf(kind: str, args: Mapping[str, Any]) -> Any:
    """The inverse CDF of a checked specification: a function of an array of probabilities.

    Cached by specification, not on a :class:`~enforcecost.registry.Distribution`
    instance: settings are rebuilt from the registry on every use, and a block task
    in a worker process receives fresh (pickled) copies, so an instance cache would
    rebuild the numerical inversion (hundreds of milliseconds) for every block.
    """
    return _inverse_of(kind, _freeze(args))


_Frozen = tuple[tuple[str, Any], ...]


def _freeze(args: Mapping[str, Any]) -> _Frozen:
    """A hashable form of a specification's numbers (lists become tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))


@lru_cache(maxsize=512)
def _inverse_of(kind: str, args: _Frozen) -> Any:
    """The inverse CDF of a specification, built once per process (see :func:`inverse_cdf`)."""
    a = {k: list(v) if isinstance(v, tuple) else v for k, v in args}
    dist = scipy_dist(kind, a)
    bounded_normal = kind == "normal" and ("low" in a or "high" in a)
    closed = _closed_form(kind, a) if not bounded_normal else None
    if closed is not None:
        return closed
    if kind != "pert" and not bounded_normal:
        return dist.ppf
    # Invert the standardized distribution (loc 0, scale 1), then rescale:
    # the numerical inversion is set up on a unit scale whatever the units, once
    # per shape (38 shapes among eo13768's 54 PERT inputs).
    loc, scale = dist.kwds["loc"], dist.kwds["scale"]
    mirrored = False
    if kind == "pert":
        alpha, beta = (float(x) for x in dist.args)
        # PINV hangs on Beta(a, b) for a in about [4.05, 4.3] (b = 6 - a), never
        # on the mirror image with a <= b: invert that and reflect.
        mirrored = alpha > beta
        pinv = _standard_inverse("beta", (beta, alpha) if mirrored else (alpha, beta))
    else:
        lo, hi = (float(x) for x in dist.dist(*dist.args).support())
        pinv = _standard_inverse("normal", (lo, hi))
    # Values stay within the specification's bounds: rescaling (and SciPy's exact ppf)
    # can round an end value one ulp outside them.
    low, high = a.get("low", -math.inf), a.get("high", math.inf)
    if pinv is None:  # a shape PINV cannot tabulate within its budget: the exact ppf
        return lambda q: np.clip(dist.ppf(q), low, high)

    def inverse(q: FloatArray) -> FloatArray:
        x = np.asarray(1.0 - pinv.ppf(1.0 - q) if mirrored else pinv.ppf(q), dtype=np.float64)
        x *= scale  # loc + scale * x, in place
        x += loc
        np.maximum(x, low, out=x)  # clipped to [low, high]
        np.minimum(x, high, out=x)
        return x

    return inverse


@lru_cache(maxsize=512)
def _standard_inverse(kind: str, shape: tuple[float, float]) -> Any:
    """PINV of a standardized distribution, built once per process and shape.

    ``kind`` ``'beta'``: Beta(a, b) on [0, 1] (PERT inputs with one shape share
    it); ``'normal'``: the standard normal truncated to ``shape = (lo, hi)``.
    None when PINV cannot tabulate it within :data:`_SETUP_CALLS` density
    evaluations (see :func:`_pinv`).
    """
    # PINV needs only an (unnormalized) density; a scalar Python kernel sets it
    # up in milliseconds where SciPy's vectorized pdf, called point by point,
    # takes seconds (minutes far in a normal's tail).
    if kind == "beta":
        return _pinv(_BetaKernel(*shape, budget=_SETUP_CALLS), (0.0, 1.0))
    return _pinv(_GaussianKernel(*shape, budget=_SETUP_CALLS), shape)


def _pinv(kernel: _Kernel, domain: tuple[float, float]) -> Any:
    """PINV of ``kernel`` on ``domain``, or None if its set-up failed or spent its budget."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            pinv = NumericalInversePolynomial(
                kernel, domain=domain, center=kernel.center, u_resolution=_U_RESOLUTION
            )
    except UNURANError:  # shapes PINV cannot tabulate (tested)
        return None
    # Past its budget the density is NaN: whatever PINV made of that is discarded.
    return None if kernel.exhausted else pinv


def _closed_form(kind: str, a: Mapping[str, Any]) -> Any:
    """The closed-form inverse CDF of an untruncated kind, or None.

    SciPy's own formulas for ``uniform``, ``triang``, ``norm`` and ``lognorm``
    (standardized value times scale plus location, so the values are SciPy's to
    the last bit) without the per-call argument checking of a frozen
    distribution's ``ppf``, which took a third of the Monte Carlo's
    inverse-CDF time.
    """
    if kind in ("uniform", "triangular"):
        low, width = a["low"], a["high"] - a["low"]
        if kind == "uniform":
            return lambda q: q * width + low
        c = (a["mode"] - low) / width

        def triangular(q: FloatArray) -> FloatArray:
            x = np.where(q < c, np.sqrt(c * q), 1.0 - np.sqrt((1.0 - c) * (1.0 - q)))
            return np.asarray(x * width + low, dtype=np.float64)

        return triangular
    if kind == "normal":
        mean, sd = a["mean"], a["sd"]
        return lambda q: ndtri(q) * sd + mean
    if kind == "lognormal":
        p5, p95 = a["ci90"]
        median = math.exp((math.log(p5) + math.log(p95)) / 2.0)
        sigma = (math.log(p95) - math.log(p5)) / (2.0 * _CI90_Z)
        return lambda q: np.exp(sigma * ndtri(q)) * median
    return None
