"""Statistics of the draws: mean, standard deviation, percentiles and their
Monte Carlo standard errors, from a sample or from a kept distribution."""

from __future__ import annotations

import warnings

import numpy as np

from ._totals import Totals

__all__ = [
    "PERCENTILES",
    "PrecisionWarning",
    "distribution",
    "draw_stats",
    "sketched",
    "warn_precision",
]

#: Percentiles of every distribution row (``p5``, ..., ``p95``).
PERCENTILES = (5, 10, 50, 90, 95)
_CHUNK = 1 << 20  # values at a time in the standard deviation of a large sample


class PrecisionWarning(UserWarning):
    """Too few Monte Carlo draws for the precision a summary shows."""


def _sd(x: np.ndarray, mean: float) -> float:
    """Sample standard deviation; large samples in chunks (no temporary as large as ``x``)."""
    n = x.size
    if n <= 1:
        return 0.0
    if n <= _CHUNK:
        return float(x.std(ddof=1))
    ss = sum(float(np.sum((x[i : i + _CHUNK] - mean) ** 2)) for i in range(0, n, _CHUNK))
    return float(np.sqrt(ss / (n - 1)))


def _levels(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The percentiles as probabilities, and the half-width ``h = sqrt(p (1 - p) / n)``
    of their standard errors (shapes ``(len(PERCENTILES),)``)."""
    q = np.asarray(PERCENTILES, dtype=np.float64) / 100.0
    return q, np.sqrt(q * (1.0 - q) / n)


def _row(mean: float, sd: float, n: int, quantiles: np.ndarray, se: np.ndarray
         ) -> dict[str, float]:
    """A distribution row: mean, sd, p5..p95, mean_se, p5_se..p95_se."""
    row = {"mean": mean, "sd": sd}
    row.update({f"p{p}": float(v) for p, v in zip(PERCENTILES, quantiles, strict=True)})
    row["mean_se"] = sd / np.sqrt(n)
    row.update({f"p{p}_se": float(v) for p, v in zip(PERCENTILES, se, strict=True)})
    return row


def distribution(x: np.ndarray) -> dict[str, float]:
    """Mean, sd, percentiles and their Monte Carlo standard errors of a sample.

    ``x`` (shape ``(draws,)``, dollars) is reordered in place (quantiles by
    partial sorting, without a copy).
    """
    n = x.size
    q, h = _levels(n)
    mean = float(x.mean())
    sd = _sd(x, mean)
    # order statistics do not depend on the order of x: partitioning in place is exact
    quantiles = np.quantile(x, q, overwrite_input=True)
    hi = np.quantile(x, np.minimum(q + h, 1.0), overwrite_input=True)
    lo = np.quantile(x, np.maximum(q - h, 0.0), overwrite_input=True)
    return _row(mean, sd, n, quantiles, (hi - lo) / 2.0)


def draw_stats(net: np.ndarray, by: str) -> list[dict[str, float]]:
    """:func:`distribution` of per-draw net costs ``net``, shape ``(draws, years)``: of
    the total over the years (``by='window'``), or of each year (``by='year'``)."""
    if by == "window":
        return [distribution(net.sum(axis=1))]
    return [distribution(np.ascontiguousarray(net[:, j])) for j in range(net.shape[1])]


def sketched(totals: Totals, channel: int, mean: float) -> dict[str, float]:
    """:func:`distribution` of a kept distribution (one channel), with its exact mean."""
    n = totals.draws
    q, h = _levels(n)
    k = q.size
    quantiles = totals.quantile(np.asarray([channel]), np.concatenate(
        [q, np.minimum(q + h, 1.0), np.maximum(q - h, 0.0)]))[0]
    sd = float(totals.sd(np.asarray([channel]))[0])
    return _row(mean, sd, n, quantiles[:k], (quantiles[k : 2 * k] - quantiles[2 * k :]) / 2.0)


def warn_precision(n: int, worst: dict[str, tuple[float, str]], rel_precision: float) -> None:
    """Warn :class:`PrecisionWarning` of the perspectives whose standard errors are too
    large: ``worst`` maps each to (largest standard error over sd, label)."""
    if worst:
        warnings.warn(
            f"{n} draws are too few for the precision shown: Monte Carlo standard "
            f"errors exceed {rel_precision:.0%} of the spread for "
            + ", ".join(f"{label} (se {ratio:.1%} of sd)" for ratio, label in worst.values())
            + "; use more draws",
            PrecisionWarning,
            stacklevel=3,  # the caller of Result.summary
        )
