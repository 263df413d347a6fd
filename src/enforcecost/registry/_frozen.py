"""Distribution kinds as frozen ``scipy.stats`` distributions.

:func:`scipy_dist` maps a checked specification (kind and numbers) to SciPy's frozen
distribution, or to :class:`_DiscreteFrozen`, a small equivalent for finite
distributions over arbitrary values. The parameterization of each kind (the
Beta-PERT weight on the mode, the lognormal's ``ci90``) is defined here once,
for :class:`~enforcecost.registry.Distribution` and the inverse CDFs alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = ["scipy_dist"]

FloatArray = npt.NDArray[np.float64]

_PERT_LAMBDA = 4.0  # the standard Beta-PERT shape weight on the mode
_CI90_Z = float(stats.norm.ppf(0.95))  # ci90 = [5th, 95th] percentile


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


def scipy_dist(kind: str, a: Mapping[str, Any]) -> Any:
    """The ``scipy.stats`` frozen distribution of a checked specification.

    Parameters
    ----------
    kind : str
        A distribution kind (see :data:`~enforcecost.registry.DIST_KINDS`).
    a : mapping
        The specification's numbers, in the parameter's unit.

    Returns
    -------
    frozen distribution
        SciPy's, or a small equivalent for ``discrete``.
    """
    if kind == "uniform":
        return stats.uniform(loc=a["low"], scale=a["high"] - a["low"])
    if kind == "triangular":
        width = a["high"] - a["low"]
        return stats.triang(c=(a["mode"] - a["low"]) / width, loc=a["low"], scale=width)
    if kind == "pert":
        width = a["high"] - a["low"]
        alpha = 1.0 + _PERT_LAMBDA * (a["mode"] - a["low"]) / width
        beta = 1.0 + _PERT_LAMBDA * (a["high"] - a["mode"]) / width
        return stats.beta(alpha, beta, loc=a["low"], scale=width)
    if kind == "normal":
        lo, hi = a.get("low", -math.inf), a.get("high", math.inf)
        if math.isinf(lo) and math.isinf(hi):
            return stats.norm(loc=a["mean"], scale=a["sd"])
        return stats.truncnorm(
            (lo - a["mean"]) / a["sd"], (hi - a["mean"]) / a["sd"], loc=a["mean"], scale=a["sd"]
        )
    if kind == "lognormal":
        p5, p95 = a["ci90"]
        mu = (math.log(p5) + math.log(p95)) / 2.0
        sigma = (math.log(p95) - math.log(p5)) / (2.0 * _CI90_Z)
        return stats.lognorm(s=sigma, scale=math.exp(mu))
    if kind == "discrete":
        values = np.asarray(a["values"], dtype=np.float64)
        weights = np.asarray(a.get("weights", np.ones(values.size)), dtype=np.float64)
        return _DiscreteFrozen(values, weights)
    raise ValueError(f"unknown distribution kind: {kind!r}")  # pragma: no cover
