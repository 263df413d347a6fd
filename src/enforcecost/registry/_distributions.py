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

The scipy.stats form of each kind is built in :mod:`._frozen`; the inverse CDFs,
with the deterministic set-up budget of the numerical inversion, in :mod:`._inverse`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from ..errors import Finding, as_float, is_number
from ._frozen import scipy_dist
from ._inverse import inverse_cdf

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
        return scipy_dist(self.kind, self.args)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        """Inverse CDF: values for probabilities ``q`` in [0, 1].

        PERT and truncated normal use SciPy's fast numerical inversion
        (:class:`scipy.stats.sampling.NumericalInversePolynomial`, u-resolution
        1e-12: ``|cdf(ppf(u)) - u| <= 1e-12``), about 60 times faster than their
        exact ``ppf``, unless its set-up exceeds a fixed number of density
        evaluations (then the exact ``ppf``: see :mod:`._inverse`); the other
        kinds use the closed-form ``ppf``.
        """
        return np.asarray(self._inverse(np.asarray(q, dtype=np.float64)), dtype=np.float64)

    @property
    def _inverse(self) -> Any:
        return inverse_cdf(self.kind, self.args)

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
