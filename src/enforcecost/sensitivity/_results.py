"""The estimators' results: Sobol' indices and Morris measures, with their intervals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..results._display import clip, html_table, joined, number
from ._common import FloatArray

#: Rows of the drivers table a notebook shows.
TOP_HTML = 10

__all__ = ["ConfidenceInterval", "MorrisResult", "SobolResult"]


class ConfidenceInterval(NamedTuple):
    """Lower and upper bounds of confidence intervals, each shaped like the estimates."""

    low: FloatArray
    high: FloatArray



def _frame(
    columns: Mapping[str, FloatArray],
    labels: tuple[str, ...],
    label_name: str,
    output_names: tuple[str, ...] | None,
) -> pd.DataFrame:
    """A frame indexed by ``labels`` (or by (output, label) for ``(k, q)`` arrays)."""
    if output_names is None:
        index = pd.Index(labels, name=label_name)
    else:
        index = pd.MultiIndex.from_product([output_names, labels], names=["output", label_name])
    return pd.DataFrame({key: np.ravel(value) for key, value in columns.items()}, index=index)


def _size(names: tuple[str, ...], output_names: tuple[str, ...] | None) -> str:
    k = "" if output_names is None else f", {len(output_names)} outputs"
    return f"{len(names)} input{'s' if len(names) != 1 else ''}{k}"


def _largest(frame: pd.DataFrame, column: str, fmt: str = "{:.3g}") -> str:
    """``'largest ST x1 0.557'``: the row with the largest ``column`` (of the first output)."""
    values = frame[column].to_numpy(dtype=float)
    if not values.size or not np.isfinite(values).any():
        return ""
    i = int(np.nanargmax(values))
    name = frame.index[i]
    label = "/".join(map(str, name)) if isinstance(name, tuple) else str(name)
    word = "mu*" if column == "mu_star" else column
    return f"largest {word} {clip(label, 40)} {fmt.format(values[i])}"


@dataclass(frozen=True, eq=False, repr=False)
class SobolResult:
    """Sobol' indices with randomized-QMC confidence intervals.

    Arrays are read-only. With ``d`` inputs, ``G`` groups, ``R`` replicates and,
    for a function with ``k`` outputs, a leading output axis (absent when
    ``func`` returns a 1-D array):

    Attributes
    ----------
    first_order, total_order : ndarray, shape (d,) or (k, d)
        First-order (Saltelli 2010) and total (Jansen 1999) indices, from the
        pooled points of all replicates.
    first_order_interval, total_order_interval : ConfidenceInterval
        ``low`` and ``high`` arrays shaped like the estimates (Student t over
        replicates).
    first_order_replicates, total_order_replicates : ndarray, shape (R, d) or (R, k, d)
        The estimates from each independent scrambling.
    names : tuple of str
        Input names, length ``d``.
    output_names : tuple of str or None
        Output names (``k`` of them), or None for a 1-D output.
    n : int
        Base points (rows of ``A``) over all replicates.
    replicates : int
        Independent scramblings ``R``; each has ``n / R`` points.
    evaluations : int
        Calls' total rows, ``n * (d + G' + 2)`` with ``G'`` groups of two or more inputs.
    confidence : float
        Confidence level of the intervals.
    mean, variance : float or ndarray, shape (k,)
        Mean and variance of the output over the rows of ``A`` and ``B``.
    group_names : tuple of str
        Group labels in order of first appearance (empty without groups).
    group_members : dict of str to tuple of str
        Inputs of each group.
    group_first_order, group_total_order : ndarray, shape (G,) or (k, G), or None
        Closed first-order and total indices of each group.
    group_first_order_interval, group_total_order_interval : ConfidenceInterval or None
        Their confidence intervals.
    """

    first_order: FloatArray
    total_order: FloatArray
    first_order_interval: ConfidenceInterval
    total_order_interval: ConfidenceInterval
    first_order_replicates: FloatArray
    total_order_replicates: FloatArray
    names: tuple[str, ...]
    output_names: tuple[str, ...] | None
    n: int
    replicates: int
    evaluations: int
    confidence: float
    mean: float | FloatArray
    variance: float | FloatArray
    group_names: tuple[str, ...] = ()
    group_members: Mapping[str, tuple[str, ...]] | None = None
    group_first_order: FloatArray | None = None
    group_total_order: FloatArray | None = None
    group_first_order_interval: ConfidenceInterval | None = None
    group_total_order_interval: ConfidenceInterval | None = None

    def to_frame(self, *, groups: bool = False) -> pd.DataFrame:
        """Indices and intervals as a DataFrame.

        Parameters
        ----------
        groups : bool
            Return the group indices (:meth:`group_frame`) instead of the inputs'.

        Returns
        -------
        DataFrame
            Columns ``S1, S1_low, S1_high, ST, ST_low, ST_high``; indexed by input
            name, or by (output, input) for a function with ``k`` outputs.
        """
        if groups:
            return self.group_frame()
        columns = {
            "S1": self.first_order,
            "S1_low": self.first_order_interval.low,
            "S1_high": self.first_order_interval.high,
            "ST": self.total_order,
            "ST_low": self.total_order_interval.low,
            "ST_high": self.total_order_interval.high,
        }
        return _frame(columns, self.names, "input", self.output_names)

    def group_frame(self) -> pd.DataFrame:
        """Group indices and intervals as a DataFrame indexed by group (and output).

        Raises
        ------
        ValueError
            If the analysis had no ``groups``.
        """
        if (
            self.group_first_order is None
            or self.group_total_order is None
            or self.group_first_order_interval is None
            or self.group_total_order_interval is None
        ):
            raise ValueError("this result has no groups: pass 'groups' to sobol_indices")
        columns = {
            "S1": self.group_first_order,
            "S1_low": self.group_first_order_interval.low,
            "S1_high": self.group_first_order_interval.high,
            "ST": self.group_total_order,
            "ST_low": self.group_total_order_interval.low,
            "ST_high": self.group_total_order_interval.high,
        }
        return _frame(columns, self.group_names, "group", self.output_names)

    def __repr__(self) -> str:
        """One line: inputs, design, evaluations and the largest total index."""
        parts = [_size(self.names, self.output_names), f"n={self.n:,}",
                 f"{self.replicates} replicates", f"{self.evaluations:,} evaluations",
                 _largest(self.to_frame(), "ST")]
        return f"SobolResult({joined(parts)})"

    def _repr_html_(self) -> str:
        """The inputs with the largest total indices, for a notebook."""
        frame = self.to_frame().sort_values("ST", ascending=False, kind="stable")
        return html_table(frame.head(TOP_HTML), repr(self),
                          f"Top {min(TOP_HTML, len(frame))} of {len(frame)} by ST; intervals "
                          f"at {self.confidence:.0%} from {self.replicates} replicates.",
                          default=number(3))



@dataclass(frozen=True, eq=False, repr=False)
class MorrisResult:
    """Morris screening measures with bootstrap intervals for mu*.

    Arrays are read-only. With ``d`` inputs, ``r`` trajectories and, for a
    function with ``k`` outputs, a leading output axis (absent when ``func``
    returns a 1-D array):

    Attributes
    ----------
    mu, mu_star, sigma : ndarray, shape (d,) or (k, d)
        Mean, mean absolute value (Campolongo et al. 2007) and standard deviation
        (``ddof=1``) of the elementary effects, in output units per (p95 - p5)
        range of the input.
    mu_star_interval : ConfidenceInterval
        Percentile bootstrap interval of ``mu_star`` over trajectories.
    elementary_effects : ndarray, shape (r, d) or (r, k, d)
        One elementary effect per trajectory and input.
    scale : ndarray, shape (d,)
        Each input's p95 - p5 range in natural units, the unit of the effects.
    names : tuple of str
        Input names.
    output_names : tuple of str or None
        Output names, or None for a 1-D output.
    trajectories, levels, evaluations, n_resamples : int
        Design size ``r``, grid levels ``p``, rows evaluated ``r (d + 1)`` and
        bootstrap resamples.
    confidence : float
        Confidence level of ``mu_star_interval``.
    """

    mu: FloatArray
    mu_star: FloatArray
    sigma: FloatArray
    mu_star_interval: ConfidenceInterval
    elementary_effects: FloatArray
    scale: FloatArray
    names: tuple[str, ...]
    output_names: tuple[str, ...] | None
    trajectories: int
    levels: int
    evaluations: int
    n_resamples: int
    confidence: float

    def to_frame(self) -> pd.DataFrame:
        """Measures as a DataFrame.

        Returns
        -------
        DataFrame
            Columns ``mu, mu_star, mu_star_low, mu_star_high, sigma``; indexed by
            input name, or by (output, input) for a function with ``k`` outputs.
        """
        columns = {
            "mu": self.mu,
            "mu_star": self.mu_star,
            "mu_star_low": self.mu_star_interval.low,
            "mu_star_high": self.mu_star_interval.high,
            "sigma": self.sigma,
        }
        return _frame(columns, self.names, "input", self.output_names)

    def __repr__(self) -> str:
        """One line: inputs, design and the largest mu*."""
        parts = [_size(self.names, self.output_names), f"{self.trajectories} trajectories",
                 f"{self.evaluations:,} evaluations", _largest(self.to_frame(), "mu_star")]
        return f"MorrisResult({joined(parts)})"

    def _repr_html_(self) -> str:
        """The inputs with the largest mu*, for a notebook."""
        frame = self.to_frame().sort_values("mu_star", ascending=False, kind="stable")
        return html_table(frame.head(TOP_HTML), repr(self),
                          f"Top {min(TOP_HTML, len(frame))} of {len(frame)} by mu* (mean "
                          "absolute elementary effect, output units per p5-p95 range of the "
                          "input).", default=number(3))
