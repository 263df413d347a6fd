"""Variance-based (Sobol') sensitivity indices of any vectorized function.

The design is Saltelli's (2010): two matrices ``A`` and ``B`` from one scrambled
Sobol' sequence in ``2d`` dimensions and, for each input ``i``, ``A_B^(i)`` (``A``
with column ``i`` from ``B``). First-order indices use Saltelli's (2010)
estimator, total indices Jansen's (1999). Confidence intervals come from
independent randomizations of the quasi-random design (randomized QMC
replicates), not from an iid bootstrap, which ignores the variance reduction of
scrambled Sobol' points and gives intervals several times too wide.

The helpers ``_seed_sequence``, ``_check_*``, ``_evaluate`` and ``_frame`` are
shared with :mod:`enforcecost._morris`.
"""

from __future__ import annotations

import copy
import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from .sampling import _sobol_seek, check_seed

__all__ = ["ConfidenceInterval", "SobolResult", "SupportsPPF", "sobol_indices"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Func = Callable[[FloatArray], npt.ArrayLike]
Seed = int | np.integer[Any] | np.random.SeedSequence | None

_BITS = 30  # scipy's default resolution: nets of up to 2**30 points
_HALF_CELL = 2.0 ** -(_BITS + 1)  # points sit at the centre of their 2**-30 cell
_MAX_SOBOL_DIM = 21201  # scipy.stats.qmc.Sobol supports up to this many dimensions
_PPF_VALUES = 2**16  # probabilities per ppf call on design rows (cache-sized)
_TILE = 2**12  # rows of an A_B block reduced at a time (a power of 2; see _Reductions)


class SupportsPPF(Protocol):
    """Anything with a vectorized quantile function, e.g. a frozen ``scipy.stats`` law."""

    def ppf(self, q: Any, /) -> Any:
        """Quantiles at probabilities ``q`` (an array in the open interval (0, 1))."""


class ConfidenceInterval(NamedTuple):
    """Lower and upper bounds of confidence intervals, each shaped like the estimates."""

    low: FloatArray
    high: FloatArray


# --------------------------------------------------------------------------- helpers


def _frozen(array: npt.ArrayLike) -> FloatArray:
    out = np.array(array, dtype=np.float64)
    out.setflags(write=False)
    return out


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"'{name}' must be an integer: {value!r}")
    if value < minimum:
        raise ValueError(f"'{name}' must be >= {minimum}: {value!r}")
    return int(value)


def _check_batch(batch: object) -> int | None:
    return None if batch is None else _check_int(batch, "batch", 1)


def _check_confidence(confidence: object) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise TypeError(f"'confidence' must be a real number: {confidence!r}")
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"'confidence' must be in the open interval (0, 1): {confidence!r}")
    return float(confidence)


def _seed_sequence(seed: object) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        return np.random.SeedSequence()
    return np.random.SeedSequence(
        check_seed(seed, "None, a non-negative integer or a numpy.random.SeedSequence")
    )


def _check_func(func: object) -> None:
    if not callable(func):
        raise TypeError(f"'func' must be callable (an (m, d) array -> (m,) or (m, k)): {func!r}")


def _check_dists(dists: object) -> list[SupportsPPF]:
    if isinstance(dists, (str, bytes)) or not isinstance(dists, Sequence):
        raise TypeError(
            f"'dists' must be a sequence of distributions with a 'ppf' method: {dists!r}"
        )
    if len(dists) == 0:
        raise ValueError("'dists' must hold at least one distribution: []")
    for i, dist in enumerate(dists):
        if not callable(getattr(dist, "ppf", None)):
            raise TypeError(
                f"'dists[{i}]' must have a 'ppf' method (e.g. a frozen scipy.stats "
                f"distribution): {dist!r}"
            )
    return list(dists)


def _check_names(names: Sequence[str] | None, d: int, what: str = "names") -> tuple[str, ...]:
    if names is None:
        return tuple(f"{'x' if what == 'names' else 'y'}{i}" for i in range(d))
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(f"'{what}' must be a sequence of strings: {names!r}")
    out = tuple(names)
    if not all(isinstance(name, str) for name in out):
        raise TypeError(f"'{what}' must be a sequence of strings: {names!r}")
    if len(out) != d:
        raise ValueError(f"'{what}' must have {d} entries, one per {_OF[what]}: {list(out)!r}")
    if len(set(out)) != d:
        dupes = sorted({name for name in out if out.count(name) > 1})
        raise ValueError(f"'{what}' must be unique: duplicated {dupes!r}")
    return out


_OF = {"names": "input", "output_names": "output"}


def _ppf(dist: SupportsPPF, u: FloatArray, i: int) -> FloatArray:
    """Quantiles of ``dists[i]`` at ``u``, checked to be finite and shaped like ``u``."""
    try:
        x = np.asarray(dist.ppf(u), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"'dists[{i}].ppf' failed on probabilities in (0, 1): {exc}") from exc
    if x.shape != u.shape:
        raise ValueError(
            f"'dists[{i}].ppf' must return one quantile per probability: "
            f"shape {x.shape} for input shape {u.shape}"
        )
    if not np.all(np.isfinite(x)):
        bad = float(u[~np.isfinite(x)].flat[0])
        raise ValueError(
            f"'dists[{i}].ppf' must be finite on the open interval (0, 1): ppf({bad!r}) = "
            f"{float(x[~np.isfinite(x)].flat[0])!r}"
        )
    return x


def _evaluations(
    func: Func, design: Callable[[int, int], FloatArray], n_rows: int, batch: int | None
) -> Iterator[tuple[int, FloatArray, bool]]:
    """Evaluate ``func`` on rows ``[0, n_rows)`` of ``design``, ``batch`` rows per call.

    Yields, call by call in row order, the call's first row, its outputs as an
    ``(m, k)`` array and whether ``func`` returned 1-D.
    """
    step = n_rows if batch is None else batch
    shape: tuple[int, ...] | None = None
    for start in range(0, n_rows, step):
        stop = min(start + step, n_rows)
        x = design(start, stop)
        m = stop - start
        raw = func(x)
        try:
            y = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"'func' must return an array of real numbers: {exc}") from exc
        if y.ndim not in (1, 2) or y.shape[0] != m or (y.ndim == 2 and y.shape[1] == 0):
            raise ValueError(
                f"'func' must return shape (m,) or (m, k) with k >= 1 for an (m, d) input: "
                f"shape {y.shape} for m = {m}"
            )
        if shape is not None and y.shape[1:] != shape:
            raise ValueError(
                f"'func' must return the same trailing shape on every call: "
                f"{y.shape[1:]} after {shape}"
            )
        shape = y.shape[1:]
        if not np.all(np.isfinite(y)):
            row = int(np.flatnonzero(~np.all(np.isfinite(y.reshape(m, -1)), axis=1))[0])
            raise ValueError(
                f"'func' must return finite values: non-finite output at x = {x[row].tolist()!r}"
            )
        yield start, y.reshape(m, -1), shape == ()


def _evaluate(
    func: Func, design: Callable[[int, int], FloatArray], n_rows: int, batch: int | None
) -> tuple[FloatArray, bool]:
    """Evaluate ``func`` on rows ``[0, n_rows)`` of ``design``, ``batch`` rows per call.

    Returns the outputs as an ``(n_rows, k)`` array and whether ``func`` returned 1-D.
    """
    outputs: list[FloatArray] = []
    one_d = False
    for _, y, is_1d in _evaluations(func, design, n_rows, batch):
        outputs.append(y)
        one_d = is_1d
    return np.concatenate(outputs, axis=0), one_d


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


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
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


# --------------------------------------------------------------------------- estimator


def _check_groups(
    groups: Mapping[str, str] | Sequence[str] | None, names: tuple[str, ...]
) -> dict[str, tuple[int, ...]]:
    """Group label -> indices of its inputs, groups in order of first appearance."""
    if groups is None:
        return {}
    d = len(names)
    if isinstance(groups, Mapping):
        unknown = sorted(set(groups) - set(names), key=str)
        missing = [name for name in names if name not in groups]
        problems = []
        if unknown:
            problems.append(f"unknown inputs {unknown!r}")
        if missing:
            problems.append(f"inputs without a group {missing!r}")
        if problems:
            raise ValueError(
                f"'groups' must map every input name to a group: {'; '.join(problems)}"
            )
        labels = [groups[name] for name in names]
    elif isinstance(groups, str) or not isinstance(groups, Sequence):
        raise TypeError(
            f"'groups' must be a mapping input name -> group or a sequence of group labels "
            f"per input: {groups!r}"
        )
    else:
        labels = list(groups)
        if len(labels) != d:
            raise ValueError(f"'groups' must have {d} labels, one per input: {labels!r}")
    out: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        out.setdefault(str(label), []).append(i)
    return {label: tuple(members) for label, members in out.items()}


def _check_design_size(n: object, replicates: object) -> tuple[int, int, int]:
    n_ = _check_int(n, "n", 2)
    r = _check_int(replicates, "replicates", 2)
    m = n_ // r
    if n_ % r or m < 2 or m & (m - 1):
        raise ValueError(
            f"'n' / 'replicates' must be a power of 2 >= 2 (points per scrambling): "
            f"n = {n_}, replicates = {r}, n / replicates = {n_ / r:g}"
        )
    return n_, r, m


def _union(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint cover of half-open intervals (touching ones merged)."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _fresh_copy(engine: Any) -> Any:
    """A copy of a new Sobol' engine, as cheap as its arrays (drawing uses no generator)."""
    out = copy.copy(engine)
    for key, value in vars(engine).items():
        if isinstance(value, np.ndarray):
            setattr(out, key, value.copy())
    return out


class _SaltelliDesign:
    """Rows of the Saltelli design, generated on demand: ``design(start, stop)``.

    Row ``b * n + j`` is base row ``j`` (row ``j % m`` of replicate ``j // m``'s
    scrambled Sobol' sequence) of block ``b``: ``A``, ``B``, then ``A_B`` per entry
    of ``swaps``. A call generates only the base rows its blocks need (one
    interval, or the tail and head of consecutive blocks), each replicate's
    engine reached directly at its first row (:func:`enforcecost.sampling._sobol_seek`,
    bit for bit as drawing from the start), and maps only those through the
    quantile functions. The previous call's base rows are kept for reuse, so
    memory is bounded by the rows of a call (at most ``n`` base rows).
    """

    def __init__(
        self,
        dists: list[SupportsPPF],
        seeds: np.random.SeedSequence,
        n: int,
        replicates: int,
        swaps: list[tuple[int, ...] | None],
    ) -> None:
        self.dists = dists
        self.d = len(dists)
        self.n = n
        self.m = n // replicates
        self.swaps = swaps
        shared: dict[int, list[int]] = {}
        for i, dist in enumerate(dists):
            shared.setdefault(id(dist), []).append(i)
        self._shared = list(shared.values())  # inputs by distribution object
        self._fresh = [
            qmc.Sobol(2 * self.d, scramble=True, bits=_BITS, rng=np.random.default_rng(child))
            for child in seeds.spawn(replicates)
        ]
        self._engines: list[Any] = [None] * replicates
        self._next = [0] * replicates  # the row each engine draws next
        # the previous call's base rows: (lo, hi, quantiles, which columns are computed)
        self._cache: list[tuple[int, int, FloatArray, BoolArray]] = []

    def _uniform(self, lo: int, hi: int) -> FloatArray:
        """Base rows ``[lo, hi)`` of the unit design (``2d`` columns), replicate by replicate."""
        m = self.m
        out = np.empty((hi - lo, 2 * self.d))
        for r in range(lo // m, (hi - 1) // m + 1):
            a, b = max(lo - r * m, 0), min(hi - r * m, m)
            engine = self._engines[r]
            if engine is None or self._next[r] != a:
                engine = _fresh_copy(self._fresh[r])
                _sobol_seek(engine, a)
                self._engines[r] = engine
            with warnings.catch_warnings():
                # pieces of a 2**k-point net need not be powers of 2 themselves
                warnings.filterwarnings(
                    "ignore", message="The balance properties", category=UserWarning
                )
                out[r * m + a - lo : r * m + b - lo] = engine.random(b - a) + _HALF_CELL
            self._next[r] = b
        return out

    def _needed(self, block: int) -> BoolArray:
        """Columns of ``[A | B]`` that rows of ``block`` take."""
        d, cols = self.d, self.swaps[block]
        need = np.zeros(2 * d, dtype=bool)
        if cols is None:
            need[d:] = True
        else:
            need[:d] = True
            need[[d + i for i in cols]] = True
        return need

    def _fill(self, lo: int, x: FloatArray, done: BoolArray, need: BoolArray) -> None:
        """Compute the columns ``need`` of base rows ``lo, lo + 1, ...`` missing from ``x``.

        Inputs sharing one distribution object get one ``ppf`` call per slice of
        at most ``_PPF_VALUES`` probabilities (quantile functions act elementwise,
        so the values are those of one call per input on the whole design).
        """
        missing = need & ~done
        if not missing.any():
            return
        d = self.d
        u = self._uniform(lo, lo + len(x))
        for members in self._shared:
            cols = [c for i in members for c in (i, d + i) if missing[c]]
            if not cols:
                continue
            i = members[0]
            step = max(1, _PPF_VALUES // len(cols))
            for a in range(0, len(x), step):
                rows = slice(a, a + step)
                try:
                    x[rows, cols] = _ppf(self.dists[i], u[rows][:, cols], i)
                except ValueError:
                    for j in members:  # name the input whose quantiles fail
                        sides = [c for c in (j, d + j) if missing[c]]
                        if sides:
                            _ppf(self.dists[j], u[rows][:, sides], j)
                    raise
        done |= missing

    def __call__(self, start: int, stop: int) -> FloatArray:
        n, d = self.n, self.d
        segments = [
            (block, max(start - block * n, 0), min(stop - block * n, n))
            for block in range(start // n, (stop - 1) // n + 1)
        ]
        cache: list[tuple[int, int, FloatArray, BoolArray]] = []
        for lo, hi in _union([(lo, hi) for _, lo, hi in segments]):
            hit = next((c for c in self._cache if c[0] <= lo and hi <= c[1]), None)
            if hit is None:
                hit = (lo, hi, np.empty((hi - lo, 2 * d)), np.zeros(2 * d, dtype=bool))
            need = np.zeros(2 * d, dtype=bool)
            for block, a, b in segments:
                if lo <= a and b <= hi:
                    need |= self._needed(block)
            self._fill(hit[0], hit[2], hit[3], need)
            cache.append(hit)
        self._cache = cache
        out = np.empty((stop - start, d))
        pos = 0
        for block, lo, hi in segments:
            a, _, x, _ = next(c for c in cache if c[0] <= lo and hi <= c[1])
            base = x[lo - a : hi - a]
            rows = slice(pos, pos + hi - lo)
            cols = self.swaps[block]
            out[rows] = base[:, d:] if cols is None else base[:, :d]
            if cols:
                out[rows, list(cols)] = base[:, [d + i for i in cols]]
            pos += hi - lo
        return out


class _Reductions:
    """What the estimators need of the outputs, reduced as rows arrive in design order.

    Keeps ``f(A)`` and ``f(B)`` (``k x 2 x n``, centred by their pooled mean once
    both are complete) and, for each later block ``q`` (``A_B^(i)`` or
    ``A_B^(g)``), per-replicate sums ``first[q, r] = sum f_B (f_x - f_A)`` and
    ``total[q, r] = sum (f_A - f_x)^2``. A block's rows are reduced in fixed tiles
    of ``min(_TILE, m)`` rows (aligned on multiples of the tile, so within one
    replicate): each complete tile is summed by numpy and its sums are added in
    row order, so the sums depend only on ``n``, ``R`` and the outputs, never on
    how rows were batched. At most one tile of outputs is buffered.
    """

    def __init__(self, n: int, replicates: int, blocks: int) -> None:
        self.n, self.R, self.m = n, replicates, n // replicates
        self.tile = min(_TILE, self.m)
        self.blocks = blocks
        self.k = 0
        self.fab = np.empty((0, 2, n))
        self.first = np.empty((blocks - 2, replicates, 0))
        self.total = np.empty((blocks - 2, replicates, 0))
        self.buf = np.empty((0, self.tile))
        self.mu: FloatArray | None = None

    def add(self, start: int, y: FloatArray) -> None:
        """Reduce outputs ``y`` (``(rows, k)``) of design rows ``start, start + 1, ...``."""
        if self.k == 0:
            self.k = k = y.shape[1]
            self.fab = np.empty((k, 2, self.n))
            self.first = np.zeros((self.blocks - 2, self.R, k))
            self.total = np.zeros((self.blocks - 2, self.R, k))
            self.buf = np.empty((k, self.tile))
        n, tile, rows, pos = self.n, self.tile, len(y), 0
        while pos < rows:
            block, j = divmod(start + pos, n)
            if block < 2:
                take = min(n - j, rows - pos)
                self.fab[:, block, j : j + take] = y[pos : pos + take].T
            else:
                if self.mu is None:
                    self._centre()
                t0 = j - j % tile
                take = min(t0 + tile - j, rows - pos)
                self.buf[:, j - t0 : j - t0 + take] = y[pos : pos + take].T
                if j + take == t0 + tile:
                    self._reduce_tile(block - 2, t0)
            pos += take

    def _centre(self) -> None:
        self.mu = self.fab.reshape(self.k, 2 * self.n).mean(axis=1)  # (k,)
        self.fab -= self.mu[:, None, None]

    def _reduce_tile(self, q: int, t0: int) -> None:
        assert self.mu is not None
        span = slice(t0, t0 + self.tile)
        diff = (self.buf - self.mu[:, None]) - self.fab[:, 0, span]  # f_x - f_A, (k, tile)
        r = t0 // self.m
        self.first[q, r] += np.sum(self.fab[:, 1, span] * diff, axis=1)
        self.total[q, r] += np.sum(diff * diff, axis=1)

    def estimates(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Mean ``(k,)``, replicate variances ``(R, k)`` and numerators ``(q, R, k)``."""
        assert self.mu is not None  # every design has A_B blocks
        f = self.fab.reshape(self.k, 2, self.R, self.m)
        var_r = 0.5 * (np.mean(f[:, 0] ** 2, axis=-1) + np.mean(f[:, 1] ** 2, axis=-1))
        return self.mu, var_r.T, self.first / self.m, 0.5 * (self.total / self.m)


def sobol_indices(
    func: Func,
    dists: Sequence[SupportsPPF],
    n: int,
    *,
    seed: Seed = None,
    replicates: int = 16,
    groups: Mapping[str, str] | Sequence[str] | None = None,
    confidence: float = 0.95,
    names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    batch: int | None = None,
) -> SobolResult:
    r"""First-order and total Sobol' indices with randomized-QMC confidence intervals.

    Parameters
    ----------
    func : callable
        ``func(x)`` maps an ``(m, d)`` float array of inputs (one row per model
        run) to an ``(m,)`` array, or to ``(m, k)`` for ``k`` outputs. It must be
        vectorized over rows and return finite values.
    dists : sequence of distributions, length d
        The inputs' independent marginal distributions: anything with a
        vectorized ``ppf`` (e.g. frozen ``scipy.stats`` laws).
    n : int
        Base points over all replicates (rows of ``A``); ``n / replicates`` must
        be a power of 2 >= 2. Total cost ``n * (d + 2)`` function evaluations
        (``n * (d + G' + 2)`` with groups, see ``groups``).
    seed : None, int or numpy.random.SeedSequence, optional
        The only source of randomness, through ``numpy.random.SeedSequence(seed)``;
        0 is a seed like any other, None takes fresh entropy from the OS.
    replicates : int, default 16
        Independent scramblings ``R`` >= 2 of ``n / R`` points each, from which
        the confidence intervals are computed.
    groups : mapping or sequence of str, optional
        A group for every input: a mapping input name -> group label, or one label
        per input. Adds closed first-order and total indices per group.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).
    names : sequence of str, optional
        Input names (default ``x0, ..., x{d-1}``).
    output_names : sequence of str, optional
        Names of the ``k`` outputs of a function with 2-D output (default
        ``y0, ..., y{k-1}``).
    batch : int, optional
        Rows per call to ``func``, to bound memory (default: all rows in one call).
        Results are identical, bit for bit, for every ``batch``.

    Returns
    -------
    SobolResult
        Indices of shape ``(d,)`` (or ``(k, d)``), intervals, replicate estimates,
        output mean and variance, group indices and ``to_frame()``.

    Raises
    ------
    TypeError
        If an argument has the wrong type, a distribution has no ``ppf`` or
        ``func`` returns non-numbers.
    ValueError
        If an argument breaks a rule (each message names the argument, the rule
        and the value) or ``func`` returns a wrong shape or non-finite values.

    See Also
    --------
    scipy.stats.sobol_indices : the same estimators with an iid bootstrap.

    Notes
    -----
    **Design.** Replicate :math:`r = 1, \dots, R` draws :math:`m = n/R` points of
    an independently scrambled (Owen's LMS + digital shift) Sobol' sequence in
    :math:`2d` dimensions; the first :math:`d` columns form :math:`A`, the last
    :math:`d` form :math:`B` (Saltelli 2010, sec. 5). Each point is moved to the
    centre of its :math:`2^{-30}` cell, so probabilities lie in
    :math:`[2^{-31}, 1 - 2^{-31}]` and unbounded laws get finite quantiles (at
    most 6.1 standard deviations out for a normal); columns are mapped through
    ``dists[i].ppf``. :math:`A_B^{(i)}` is :math:`A` with column
    :math:`i` from :math:`B`, and :math:`A_B^{(g)}` is :math:`A` with all the
    columns of group :math:`g` from :math:`B` (a group of one input reuses
    :math:`A_B^{(i)}`). All rows go to ``func`` in one call, or ``batch`` rows
    at a time, in the order :math:`A, B, A_B^{(1)}, \dots, A_B^{(d)}`, then
    the groups' :math:`A_B^{(g)}`.

    **Memory.** The design is never held whole: each call's rows are generated
    when asked for, each replicate's Sobol' engine reached directly at the
    first row needed (the same points, bit for bit), and only those rows and
    the columns their blocks take are mapped through the ``ppf`` (the previous
    call's base rows are reused when a call needs no others). Outputs are
    reduced as they arrive: :math:`f(A)` and :math:`f(B)` are kept
    (:math:`2nk` numbers) and each :math:`A_B` block adds into per-replicate
    sums of the numerators below, one fixed tile of ``min(4096, m)`` rows at a
    time (tile sums added in row order), so memory is
    :math:`O(nk + (d + G') R k)` plus one ``batch`` of rows, and results are
    identical, bit for bit, for every ``batch``. The price is that base rows
    are generated and mapped once per block rather than once (about
    :math:`d + 1` ``ppf`` values per model run), unless ``batch`` is None or a
    multiple of ``n``.

    **Estimators.** With outputs centred by the pooled mean :math:`\hat\mu` of
    :math:`f(A)` and :math:`f(B)` over all replicates (Sobol' and Levitan 1999;
    centring by a constant leaves both estimators' expectations unchanged and
    reduces the first-order estimator's variance),

    .. math::

        N_{1,i}^{(r)} = \frac{1}{m}\sum_j f(B)_j \left(f(A_B^{(i)})_j - f(A)_j\right),
        \qquad
        N_{T,i}^{(r)} = \frac{1}{2m}\sum_j \left(f(A)_j - f(A_B^{(i)})_j\right)^2,

        V^{(r)} = \frac{1}{2m}\sum_j \left(f(A)_j^2 + f(B)_j^2\right),

    the first-order numerator of Saltelli et al. (2010, Table 2 (b)) and the
    total one of Jansen (1999), and the replicate estimates are
    :math:`S_i^{(r)} = N_{1,i}^{(r)} / V^{(r)}` and
    :math:`S_{T,i}^{(r)} = N_{T,i}^{(r)} / V^{(r)}`. Grouped indices use
    :math:`A_B^{(g)}` in place of :math:`A_B^{(i)}`.

    **Reported estimate: pooled.** ``first_order`` is
    :math:`\bar N_{1,i} / \bar V` (means over replicates), i.e. the same
    estimator on all :math:`n` points, rather than the mean of the
    :math:`R` ratios :math:`\bar S_i`. Both are consistent, but a ratio has a
    bias of order :math:`1/m` that averaging replicates does not remove,
    whereas the pooled ratio's bias is of order :math:`1/n`; it also uses all
    points for the variance. Its standard error equals that of
    :math:`\bar S_i` to first order (delta method), so the interval below
    applies to it.

    **Interval.** The :math:`R` replicates are independent and identically
    distributed, each an unbiased randomized-QMC estimate of the numerators
    (Owen 2013, ch. 17), so

    .. math::

        \hat S_i \pm t_{R-1,\,(1+c)/2}\, \frac{s_R}{\sqrt R},

    with :math:`s_R` the standard deviation (``ddof=1``) of
    :math:`S_i^{(1)}, \dots, S_i^{(R)}` and :math:`c` = ``confidence``. An iid
    bootstrap of the rows (SALib, ``scipy.stats.sobol_indices``) treats
    scrambled Sobol' points as independent and ignores their negative
    correlation; for smooth integrands its intervals are several times too wide.

    **Choosing R: honesty costs some accuracy.** The pooled estimate's
    variance is that of an :math:`m`-point estimate divided by :math:`R`. If
    the scrambled-net variance decays like :math:`m^{-\alpha}` (:math:`\alpha
    = 1` is plain Monte Carlo; smooth integrands reach :math:`\alpha \approx
    2` or more), that is :math:`R^{\alpha - 1}` times the variance of one
    scrambling of all :math:`n` points: splitting is free for rough functions
    but, on the G-function (:math:`\alpha \approx 2`), 16 replicates have
    about 4 times the standard error of a single scrambling at the same cost
    (whose error the iid bootstrap then overstates 5-20 times). Few
    replicates keep more of the QMC gain but estimate :math:`s_R` from few
    values, which the Student :math:`t` quantile pays for (:math:`t_{3,
    0.975} = 3.18` at :math:`R = 4`, 2.13 at :math:`R = 16`). :math:`R`
    between 4 and 16 is sensible: fewer for smooth, cheap-to-resolve models,
    more for rough ones. Every replicate keeps all its scrambled points,
    including the first, and has a power of 2 of them (Owen 2020).

    An output whose variance is zero has undefined indices: they are NaN, as
    are intervals when a replicate's variance is zero.

    References
    ----------
    .. [1] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and
       Tarantola, S. (2010). Variance based sensitivity analysis of model
       output. Design and estimator for the total sensitivity index. *Computer
       Physics Communications* 181(2), 259-270. doi:10.1016/j.cpc.2009.09.018
    .. [2] Jansen, M. J. W. (1999). Analysis of variance designs for model
       output. *Computer Physics Communications* 117(1-2), 35-43.
       doi:10.1016/S0010-4655(98)00154-4
    .. [3] Owen, A. B. (2013). *Monte Carlo theory, methods and examples*,
       ch. 17 "Randomized quasi-Monte Carlo". https://artowen.su.domains/mc/
    .. [4] Owen, A. B. (2020). On dropping the first Sobol' point.
       arXiv:2008.08051. In *Monte Carlo and Quasi-Monte Carlo Methods 2020*,
       Springer (2022), 71-86.
    .. [5] Sobol', I. M. and Levitan, Yu. L. (1999). On the use of variance
       reducing multipliers in Monte Carlo computations of a global
       sensitivity index. *Computer Physics Communications* 117(1-2), 52-61.

    Examples
    --------
    The Ishigami function, whose indices are known (S1 = 0.314, 0.442, 0;
    ST = 0.558, 0.442, 0.244), 2**14 base points in 16 replicates:

    >>> import numpy as np
    >>> from scipy import stats
    >>> from enforcecost._sobol import sobol_indices
    >>> def ishigami(x):
    ...     return (np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2
    ...             + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0]))
    >>> dists = [stats.uniform(-np.pi, 2 * np.pi)] * 3
    >>> res = sobol_indices(ishigami, dists, 2**14, seed=1, names=["x1", "x2", "x3"])
    >>> res.evaluations  # n * (d + 2)
    81920
    >>> res.to_frame().round(3)  # doctest: +NORMALIZE_WHITESPACE
              S1  S1_low  S1_high     ST  ST_low  ST_high
    input
    x1     0.313   0.308    0.319  0.560   0.556    0.564
    x2     0.443   0.441    0.445  0.442   0.441    0.443
    x3    -0.003  -0.009    0.003  0.244   0.242    0.246

    Grouped indices: the closed first-order index of {x1, x3} is
    1 - S2 = 0.558 for this function.

    >>> res = sobol_indices(ishigami, dists, 2**14, seed=1, names=["x1", "x2", "x3"],
    ...                     groups={"x1": "x1+x3", "x2": "x2", "x3": "x1+x3"})
    >>> res.group_frame().round(3)  # doctest: +NORMALIZE_WHITESPACE
              S1  S1_low  S1_high     ST  ST_low  ST_high
    group
    x1+x3  0.558   0.554    0.562  0.559   0.554    0.563
    x2     0.443   0.441    0.445  0.442   0.441    0.443
    """
    _check_func(func)
    dist_list = _check_dists(dists)
    d = len(dist_list)
    n_, R, _ = _check_design_size(n, replicates)
    conf = _check_confidence(confidence)
    names_ = _check_names(names, d)
    group_index = _check_groups(groups, names_)
    batch_ = _check_batch(batch)
    seeds = _seed_sequence(seed)
    if 2 * d > _MAX_SOBOL_DIM:
        raise ValueError(
            f"'dists' must hold at most {_MAX_SOBOL_DIM // 2} distributions "
            f"(a Sobol' sequence in 2d dimensions): {d}"
        )

    # Blocks of n rows: A, B, A_B^(i) for each input, A_B^(g) for each group of >= 2.
    swaps: list[tuple[int, ...] | None] = [(), None, *((i,) for i in range(d))]
    group_block: dict[str, int] = {}
    for label, members in group_index.items():
        if len(members) == 1:
            group_block[label] = 2 + members[0]
        else:
            group_block[label] = len(swaps)
            swaps.append(members)

    # A and B: R independent scramblings of m points each, stacked replicate by replicate,
    # generated a call's rows at a time; the outputs are reduced as they arrive.
    n_rows = n_ * len(swaps)
    design = _SaltelliDesign(dist_list, seeds, n_, R, swaps)
    sums = _Reductions(n_, R, len(swaps))
    one_d = False
    for start, y, is_1d in _evaluations(func, design, n_rows, batch_):
        sums.add(start, y)
        one_d = is_1d
    k = sums.k
    if one_d and output_names is not None:
        raise ValueError(
            f"'output_names' must be None when 'func' returns a 1-D array: {output_names!r}"
        )
    out_names = None if one_d else _check_names(output_names, k, "output_names")

    mu, var_r, n1_all, nt_all = sums.estimates()  # (k,), (R, k), (q, R, k), (q, R, k)
    var = var_r.mean(axis=0)  # (k,)
    t = float(stats.t.ppf(0.5 + conf / 2.0, R - 1))

    def estimate(f_x: FloatArray) -> tuple[FloatArray, FloatArray, ConfidenceInterval]:
        """Pooled estimate (k, q), replicates (R, k, q) and interval from numerators (q, R, k)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = (f_x.mean(axis=1) / var).T
            reps = np.moveaxis(f_x / var_r, 0, -1)
            half = t * reps.std(axis=0, ddof=1) / math.sqrt(R)
        pooled[var == 0.0] = np.nan  # (k, q): outputs of zero variance
        return pooled, reps, ConfidenceInterval(pooled - half, pooled + half)

    s1, s1_reps, s1_ci = estimate(n1_all[:d])
    st, st_reps, st_ci = estimate(nt_all[:d])

    def shaped(a: FloatArray, axis: int = 0) -> FloatArray:
        return _frozen(np.take(a, 0, axis=axis) if one_d else a)

    def shaped_ci(ci: ConfidenceInterval) -> ConfidenceInterval:
        return ConfidenceInterval(shaped(ci.low), shaped(ci.high))

    group_kwargs: dict[str, Any] = {}
    if group_index:
        g_rows = [group_block[label] - 2 for label in group_index]
        sg1, _, sg1_ci = estimate(n1_all[g_rows])
        sgt, _, sgt_ci = estimate(nt_all[g_rows])
        group_kwargs = {
            "group_names": tuple(group_index),
            "group_members": MappingProxyType(
                {label: tuple(names_[i] for i in members) for label, members in group_index.items()}
            ),
            "group_first_order": shaped(sg1),
            "group_total_order": shaped(sgt),
            "group_first_order_interval": shaped_ci(sg1_ci),
            "group_total_order_interval": shaped_ci(sgt_ci),
        }

    return SobolResult(
        first_order=shaped(s1),
        total_order=shaped(st),
        first_order_interval=shaped_ci(s1_ci),
        total_order_interval=shaped_ci(st_ci),
        first_order_replicates=shaped(s1_reps, axis=1),
        total_order_replicates=shaped(st_reps, axis=1),
        names=names_,
        output_names=out_names,
        n=n_,
        replicates=R,
        evaluations=n_rows,
        confidence=conf,
        mean=float(mu[0]) if one_d else _frozen(mu),
        variance=float(var[0]) if one_d else _frozen(var),
        **group_kwargs,
    )
