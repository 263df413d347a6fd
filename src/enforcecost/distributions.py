"""Distribution specifications → frozen ``scipy.stats`` distributions.

A specification is the mapping written in a scenario file or the registry, e.g.
``{ dist = "pert", low = 371, mode = 1500, high = 3000 }``. :func:`parse_distribution`
checks it and returns a :class:`Distribution`, whose :meth:`Distribution.ppf` maps
uniform numbers in [0, 1) to values, so plain Monte Carlo, Latin hypercube and
scrambled Sobol' designs all go through the inverse CDF.

Supported kinds and their keys:

============  ==========================  ============================================
kind          required keys               central value
============  ==========================  ============================================
uniform       low, high                   mean
triangular    low, mode, high             mode
pert          low, mode, high             mode (Beta-PERT, lambda = 4)
normal        mean, sd (+ low, high)      mean (truncated at low/high when given)
lognormal     ci90 = [p5, p95]            median
discrete      values (+ weights)          the most likely value
============  ==========================  ============================================

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats
from scipy.special import ndtri
from scipy.stats.sampling import NumericalInversePolynomial, UNURANError

from .errors import Finding, as_float, is_number

__all__ = [
    "DIST_KINDS",
    "DistProblem",
    "Distribution",
    "check_distribution",
    "parse_distribution",
]

FloatArray = npt.NDArray[np.float64]

#: kind -> (required keys, optional keys), besides ``dist`` itself.
DIST_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "uniform": (frozenset({"low", "high"}), frozenset()),
    "triangular": (frozenset({"low", "mode", "high"}), frozenset()),
    "pert": (frozenset({"low", "mode", "high"}), frozenset()),
    "normal": (frozenset({"mean", "sd"}), frozenset({"low", "high"})),
    "lognormal": (frozenset({"ci90"}), frozenset()),
    "discrete": (frozenset({"values"}), frozenset({"weights"})),
}

_PERT_LAMBDA = 4.0  # the standard Beta-PERT shape weight on the mode
_CI90_Z = float(stats.norm.ppf(0.95))  # ci90 = [5th, 95th] percentile
_U_RESOLUTION = 1e-12  # accuracy of the numerical inverse CDF, in probability
#: Density evaluations allowed to one PINV set-up (a count, never a time: see the module notes).
_SETUP_CALLS = 2**17


class _DiscreteFrozen:
    """A finite distribution over arbitrary real values with the frozen-dist API used here."""

    def __init__(self, values: FloatArray, weights: FloatArray) -> None:
        order = np.argsort(values, kind="stable")
        self.values = values[order]
        w = weights[order] / weights.max()  # scaled first: a sum of huge weights overflows
        self.weights = w / w.sum()
        self._cum = np.cumsum(self.weights)
        self._cum[-1] = 1.0

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        # the generalized inverse min{x : F(x) >= q}, as scipy.stats.rv_discrete
        idx = np.searchsorted(self._cum, np.asarray(q, dtype=np.float64), side="left")
        return np.asarray(self.values[np.minimum(idx, self.values.size - 1)], dtype=np.float64)

    def cdf(self, x: npt.ArrayLike) -> FloatArray:
        idx = np.searchsorted(self.values, np.asarray(x, dtype=np.float64), side="right")
        cum0 = np.concatenate([[0.0], self._cum])
        return np.asarray(cum0[idx], dtype=np.float64)

    def mean(self) -> float:
        return float(self.values @ self.weights)

    def var(self) -> float:
        return float(((self.values - self.mean()) ** 2) @ self.weights)

    def std(self) -> float:
        return math.sqrt(self.var())

    def median(self) -> float:
        return float(self.ppf(0.5))

    def rvs(self, size: int, random_state: np.random.Generator) -> FloatArray:
        return self.ppf(random_state.random(size))

    def support(self) -> tuple[float, float]:
        return float(self.values[0]), float(self.values[-1])


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


@dataclass(frozen=True)
class Distribution:
    """A validated distribution specification.

    Attributes
    ----------
    kind : str
        One of :data:`DIST_KINDS`.
    args : dict
        The specification's numbers (``low``, ``mode``, ``high``, ``mean``, ``sd``,
        ``ci90``, ``values``, ``weights``), in the parameter's unit.
    """

    kind: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def frozen(self) -> Any:
        """The ``scipy.stats`` frozen distribution (a small equivalent for ``discrete``)."""
        a = self.args
        if self.kind == "uniform":
            return stats.uniform(loc=a["low"], scale=a["high"] - a["low"])
        if self.kind == "triangular":
            width = a["high"] - a["low"]
            return stats.triang(c=(a["mode"] - a["low"]) / width, loc=a["low"], scale=width)
        if self.kind == "pert":
            width = a["high"] - a["low"]
            alpha = 1.0 + _PERT_LAMBDA * (a["mode"] - a["low"]) / width
            beta = 1.0 + _PERT_LAMBDA * (a["high"] - a["mode"]) / width
            return stats.beta(alpha, beta, loc=a["low"], scale=width)
        if self.kind == "normal":
            lo, hi = a.get("low", -math.inf), a.get("high", math.inf)
            if math.isinf(lo) and math.isinf(hi):
                return stats.norm(loc=a["mean"], scale=a["sd"])
            return stats.truncnorm(
                (lo - a["mean"]) / a["sd"], (hi - a["mean"]) / a["sd"], loc=a["mean"], scale=a["sd"]
            )
        if self.kind == "lognormal":
            p5, p95 = a["ci90"]
            mu = (math.log(p5) + math.log(p95)) / 2.0
            sigma = (math.log(p95) - math.log(p5)) / (2.0 * _CI90_Z)
            return stats.lognorm(s=sigma, scale=math.exp(mu))
        if self.kind == "discrete":
            values = np.asarray(a["values"], dtype=np.float64)
            weights = np.asarray(a.get("weights", np.ones(values.size)), dtype=np.float64)
            return _DiscreteFrozen(values, weights)
        raise ValueError(f"unknown distribution kind: {self.kind!r}")  # pragma: no cover

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        """Inverse CDF: values for probabilities ``q`` in [0, 1].

        PERT and truncated normal use SciPy's fast numerical inversion
        (:class:`scipy.stats.sampling.NumericalInversePolynomial`, u-resolution
        1e-12: ``|cdf(ppf(u)) - u| <= 1e-12``), about 60 times faster than their
        exact ``ppf``, unless its set-up exceeds a fixed number of density
        evaluations (then the exact ``ppf``: see the module notes); the other
        kinds use the closed-form ``ppf``.
        """
        return np.asarray(self._inverse(np.asarray(q, dtype=np.float64)), dtype=np.float64)

    @property
    def _inverse(self) -> Any:
        # Cached by specification, not on the instance: settings are rebuilt
        # from the registry on every use, and a block task in a worker process
        # receives fresh (pickled) copies, so an instance cache would rebuild
        # the numerical inversion (hundreds of milliseconds) for every block.
        return _inverse_of(self.kind, _freeze(self.args))

    @property
    def central(self) -> float:
        """The central value used by a deterministic run (see the module table)."""
        a = self.args
        if self.kind in ("triangular", "pert"):
            return float(a["mode"])
        if self.kind == "uniform":
            return float(a["low"]) / 2.0 + float(a["high"]) / 2.0  # no overflow near 1.8e308
        if self.kind == "normal":
            return float(np.clip(a["mean"], a.get("low", -math.inf), a.get("high", math.inf)))
        if self.kind == "lognormal":
            # the geometric mean, in logs so that p5 * p95 cannot over- or underflow
            return math.exp((math.log(a["ci90"][0]) + math.log(a["ci90"][1])) / 2.0)
        d = self.frozen()
        return float(d.values[int(np.argmax(d.weights))])

    @property
    def range(self) -> tuple[float, float]:
        """Low and high ends used for one-at-a-time swings.

        The support for bounded kinds (uniform, triangular, PERT, discrete,
        normal truncated on both sides); the 5th and 95th percentiles otherwise.
        """
        a = self.args
        if self.kind in ("uniform", "triangular", "pert"):
            return float(a["low"]), float(a["high"])
        if self.kind == "discrete":
            lo, hi = self.frozen().support()
            return float(lo), float(hi)
        if self.kind == "normal" and "low" in a and "high" in a:
            return float(a["low"]), float(a["high"])
        # the exact quantiles (no numerical-inversion set-up for two points);
        # extreme specs reach +-inf: reported by the callers, not warned
        with np.errstate(all="ignore"):
            lo, hi = self.frozen().ppf([0.05, 0.95])
        return float(lo), float(hi)

    def mean(self) -> float:
        """Mean of the distribution."""
        return float(self.frozen().mean())

    def to_spec(self) -> dict[str, Any]:
        """The specification as written in a file."""
        return {"dist": self.kind, **self.args}


_Frozen = tuple[tuple[str, Any], ...]


def _freeze(args: Mapping[str, Any]) -> _Frozen:
    """A hashable form of a specification's numbers (lists become tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))


@lru_cache(maxsize=512)
def _inverse_of(kind: str, args: _Frozen) -> Any:
    """The inverse CDF of a specification, built once per process (see :meth:`Distribution.ppf`)."""
    spec = Distribution(kind, {k: list(v) if isinstance(v, tuple) else v for k, v in args})
    frozen = spec.frozen()
    a = spec.args
    bounded_normal = kind == "normal" and ("low" in a or "high" in a)
    closed = _closed_form(kind, a) if not bounded_normal else None
    if closed is not None:
        return closed
    if kind != "pert" and not bounded_normal:
        return frozen.ppf
    # Invert the standardized distribution (loc 0, scale 1), then rescale:
    # the numerical inversion is set up on a unit scale whatever the units, once
    # per shape (38 shapes among eo13768's 54 PERT inputs).
    loc, scale = frozen.kwds["loc"], frozen.kwds["scale"]
    mirrored = False
    if kind == "pert":
        alpha, beta = (float(x) for x in frozen.args)
        # PINV hangs on Beta(a, b) for a in about [4.05, 4.3] (b = 6 - a), never
        # on the mirror image with a <= b: invert that and reflect.
        mirrored = alpha > beta
        pinv = _standard_inverse("beta", (beta, alpha) if mirrored else (alpha, beta))
    else:
        lo, hi = (float(x) for x in frozen.dist(*frozen.args).support())
        pinv = _standard_inverse("normal", (lo, hi))
    # Values stay within the specification's bounds: rescaling (and SciPy's exact ppf)
    # can round an end value one ulp outside them.
    low, high = a.get("low", -math.inf), a.get("high", math.inf)
    if pinv is None:  # a shape PINV cannot tabulate within its budget: the exact ppf
        return lambda q: np.clip(frozen.ppf(q), low, high)

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


class _Shown(str):
    """A value shown as is in a message (``got low=1.0, high=0.0``), not quoted."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


#: One problem in a specification: a :class:`~enforcecost.errors.Finding`, ``(key, rule,
#: value)``; value is ``...`` when none is shown.
DistProblem = Finding


def check_distribution(spec: Mapping[str, Any]) -> tuple[Distribution | None, list[DistProblem]]:
    """Check a distribution specification; problems as :class:`~enforcecost.errors.Finding`.

    The structured form of :func:`parse_distribution` (same rules, same order),
    for callers that report the offending value themselves.

    Examples
    --------
    >>> check_distribution({"dist": "uniform", "low": 2, "high": 1})[1]
    [Finding(key='low, high', rule='must have low < high', value=low=2.0, high=1.0)]
    """
    kind = spec.get("dist")
    if not (isinstance(kind, str) and kind in DIST_KINDS):
        return None, [Finding("dist", f"must be one of {', '.join(sorted(DIST_KINDS))}", kind)]
    required, optional = DIST_KINDS[kind]
    problems: list[DistProblem] = []
    for key in sorted(required - spec.keys()):
        problems.append(Finding(key, f"required for a {kind} distribution", ...))
    for key in sorted(spec.keys() - required - optional - {"dist"}, key=str):
        problems.append(
            Finding(
                key,
                f"not a key of a {kind} distribution "
                f"(allowed: {', '.join(sorted(required | optional))})",
                spec[key],
            )
        )
    args: dict[str, Any] = {}
    for key in sorted((required | optional) & spec.keys()):
        value = spec[key]
        if key in ("ci90", "values", "weights"):
            if not (isinstance(value, list) and value and all(is_number(v) for v in value)):
                problems.append(Finding(key, "must be a non-empty list of numbers", value))
                continue
            floats = [as_float(v) for v in value]
            if not all(math.isfinite(v) for v in floats):
                problems.append(Finding(key, "must be finite", value))
                continue
            args[key] = floats
        elif not is_number(value) or math.isnan(as_float(value)):
            problems.append(Finding(key, "must be a number", value))
        elif math.isinf(as_float(value)) and not (kind == "normal" and key in ("low", "high")):
            problems.append(Finding(key, "must be finite", value))
        else:
            args[key] = as_float(value)
    if problems:
        return None, problems
    problems.extend(_shape_problems(kind, args))
    if problems:
        return None, problems
    return Distribution(kind, args), []


def parse_distribution(spec: Mapping[str, Any]) -> tuple[Distribution | None, list[str]]:
    """Check a distribution specification.

    Parameters
    ----------
    spec : mapping
        Must hold ``dist`` and the keys of that kind (see :data:`DIST_KINDS`).

    Returns
    -------
    dist : Distribution or None
        The distribution, or None when there are problems.
    problems : list of str
        Every problem found, each as ``"<key>: <rule>, got <value>"`` (without
        ``, got ...`` when there is no value to show, e.g. a missing key).

    Examples
    --------
    >>> d, problems = parse_distribution({"dist": "pert", "low": 1, "mode": 2, "high": 4})
    >>> d.central, problems
    (2.0, [])
    """
    dist, problems = check_distribution(spec)
    return dist, [str(p) for p in problems]


def _normal_mass(a: Mapping[str, float]) -> float:
    """P(low < X < high) for X ~ normal(mean, sd), from the nearer tail (no cancellation)."""
    lo = (a.get("low", -math.inf) - a["mean"]) / a["sd"]
    hi = (a.get("high", math.inf) - a["mean"]) / a["sd"]
    if hi <= 0:
        return float(stats.norm.cdf(hi) - stats.norm.cdf(lo))
    return float(stats.norm.sf(lo) - stats.norm.sf(hi))


def _shape_problems(kind: str, a: dict[str, Any]) -> list[DistProblem]:
    out: list[DistProblem] = []

    def low_high() -> _Shown:
        return _Shown(f"low={a.get('low', -math.inf)}, high={a.get('high', math.inf)}")

    if kind in ("uniform", "triangular", "pert") and not a["low"] < a["high"]:
        out.append(Finding("low, high", "must have low < high", low_high()))
    if kind in ("triangular", "pert") and not a["low"] <= a["mode"] <= a["high"]:
        out.append(
            Finding("mode", f"must be within [low, high] = [{a['low']}, {a['high']}]", a["mode"])
        )
    if kind == "normal":
        if not a["sd"] > 0:
            out.append(Finding("sd", "must be > 0", a["sd"]))
        if a.get("low", -math.inf) >= a.get("high", math.inf):
            out.append(Finding("low, high", "must have low < high", low_high()))
        elif a["sd"] > 0 and not _normal_mass(a) > 0:
            out.append(
                Finding("low, high", "must keep some of the normal's probability (the interval "
                        "lies too far in its tail)", low_high())
            )
    if kind == "lognormal":
        ci = a["ci90"]
        if len(ci) != 2 or not 0 < ci[0] < ci[1]:
            out.append(Finding("ci90", "must be [p5, p95] with 0 < p5 < p95", ci))
    if kind == "discrete":
        weights: Sequence[float] | None = a.get("weights")
        if weights is not None:
            if len(weights) != len(a["values"]):
                out.append(
                    Finding("weights", f"must have one weight per value ({len(a['values'])})",
                            len(weights))
                )
            elif any(w < 0 for w in weights) or not sum(weights) > 0:
                out.append(Finding("weights", "must be >= 0 with a positive sum", weights))
    return out
