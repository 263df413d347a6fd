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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = [
    "DIST_KINDS",
    "Distribution",
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


class _DiscreteFrozen:
    """A finite distribution over arbitrary real values with the frozen-dist API used here."""

    def __init__(self, values: FloatArray, weights: FloatArray) -> None:
        order = np.argsort(values, kind="stable")
        self.values = values[order]
        self.weights = weights[order] / weights.sum()
        self._cum = np.cumsum(self.weights)
        self._cum[-1] = 1.0

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        idx = np.searchsorted(self._cum, np.asarray(q, dtype=np.float64), side="right")
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
        """Inverse CDF: values for probabilities ``q`` in [0, 1)."""
        return np.asarray(self.frozen().ppf(q), dtype=np.float64)

    @property
    def central(self) -> float:
        """The central value used by a deterministic run (see the module table)."""
        a = self.args
        if self.kind in ("triangular", "pert"):
            return float(a["mode"])
        if self.kind == "uniform":
            return (float(a["low"]) + float(a["high"])) / 2.0
        if self.kind == "normal":
            return float(np.clip(a["mean"], a.get("low", -math.inf), a.get("high", math.inf)))
        if self.kind == "lognormal":
            return math.sqrt(float(a["ci90"][0]) * float(a["ci90"][1]))
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
        return float(self.ppf(0.05)), float(self.ppf(0.95))

    def mean(self) -> float:
        """Mean of the distribution."""
        return float(self.frozen().mean())

    def to_spec(self) -> dict[str, Any]:
        """The specification as written in a file."""
        return {"dist": self.kind, **{k: v for k, v in self.args.items()}}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
        Every problem found, each as ``"<key>: <rule>, got <value>"``.

    Examples
    --------
    >>> d, problems = parse_distribution({"dist": "pert", "low": 1, "mode": 2, "high": 4})
    >>> d.central, problems
    (2.0, [])
    """
    kind = spec.get("dist")
    if kind not in DIST_KINDS:
        return None, [f"dist: must be one of {', '.join(sorted(DIST_KINDS))}, got {kind!r}"]
    required, optional = DIST_KINDS[kind]
    problems: list[str] = []
    for key in sorted(required - spec.keys()):
        problems.append(f"{key}: required for a {kind} distribution")
    for key in sorted(spec.keys() - required - optional - {"dist"}):
        problems.append(
            f"{key}: not a key of a {kind} distribution "
            f"(allowed: {', '.join(sorted(required | optional))}), got {spec[key]!r}"
        )
    args: dict[str, Any] = {}
    for key in sorted((required | optional) & spec.keys()):
        value = spec[key]
        if key in ("ci90", "values", "weights"):
            if not (isinstance(value, list) and value and all(_number(v) for v in value)):
                problems.append(f"{key}: must be a non-empty list of numbers, got {value!r}")
                continue
            if not all(math.isfinite(v) for v in value):
                problems.append(f"{key}: must be finite, got {value!r}")
                continue
            args[key] = [float(v) for v in value]
        elif not _number(value) or math.isnan(value):
            problems.append(f"{key}: must be a number, got {value!r}")
        elif math.isinf(value) and not (kind == "normal" and key in ("low", "high")):
            problems.append(f"{key}: must be finite, got {value!r}")
        else:
            args[key] = float(value)
    if problems:
        return None, problems
    problems.extend(_shape_problems(kind, args))
    if problems:
        return None, problems
    return Distribution(kind, args), []


def _shape_problems(kind: str, a: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if kind in ("uniform", "triangular", "pert") and not a["low"] < a["high"]:
        out.append(f"low, high: must have low < high, got low={a['low']}, high={a['high']}")
    if kind in ("triangular", "pert") and not a["low"] <= a["mode"] <= a["high"]:
        out.append(
            f"mode: must be within [low, high] = [{a['low']}, {a['high']}], got {a['mode']}"
        )
    if kind == "normal":
        if not a["sd"] > 0:
            out.append(f"sd: must be > 0, got {a['sd']}")
        if a.get("low", -math.inf) >= a.get("high", math.inf):
            out.append(f"low, high: must have low < high, got low={a['low']}, high={a['high']}")
    if kind == "lognormal":
        ci = a["ci90"]
        if len(ci) != 2 or not 0 < ci[0] < ci[1]:
            out.append(f"ci90: must be [p5, p95] with 0 < p5 < p95, got {ci!r}")
    if kind == "discrete":
        weights: Sequence[float] | None = a.get("weights")
        if weights is not None:
            if len(weights) != len(a["values"]):
                out.append(
                    f"weights: must have one weight per value ({len(a['values'])}), "
                    f"got {len(weights)}"
                )
            elif any(w < 0 for w in weights) or not sum(weights) > 0:
                out.append(f"weights: must be >= 0 with a positive sum, got {weights!r}")
    return out
