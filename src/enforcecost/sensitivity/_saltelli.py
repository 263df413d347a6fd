"""The Saltelli design of a Sobol' study, made and reduced block by block.

:class:`_SaltelliDesign` generates the rows of ``A``, ``B`` and the ``A_B``
blocks a call asks for; :class:`_Reductions` reduces their outputs as they
arrive, so a study's memory does not grow with its number of runs. Also the
design's size and block checks (:func:`_check_design_size`, :func:`_check_groups`,
:func:`_blocks`), which the method table uses to count a study's runs.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

from ..sampling._sobol_jump import _sobol_seek
from ._common import FloatArray, SupportsPPF, _check_int, _ppf

__all__: list[str] = []

BoolArray = npt.NDArray[np.bool_]
Swaps = list[tuple[int, ...] | None]

_BITS = 30  # scipy's default resolution: nets of up to 2**30 points
_HALF_CELL = 2.0 ** -(_BITS + 1)  # points sit at the centre of their 2**-30 cell
_MAX_SOBOL_DIM = 21201  # scipy.stats.qmc.Sobol supports up to this many dimensions
_PPF_VALUES = 2**16  # probabilities per ppf call on design rows (cache-sized)
_TILE = 2**12  # rows of an A_B block reduced at a time (a power of 2; see _Reductions)


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


def _blocks(
    d: int, group_index: Mapping[str, tuple[int, ...]]
) -> tuple[Swaps, dict[str, int]]:
    """The design's blocks of ``n`` rows and the block of each group.

    Blocks are ``A`` (``()``: no column from ``B``), ``B`` (None), ``A_B^(i)`` for
    each input and ``A_B^(g)`` for each group of two or more inputs (a group of
    one input reuses its input's block): a study makes ``n * len(swaps)`` runs.
    """
    swaps: Swaps = [(), None, *((i,) for i in range(d))]
    group_block: dict[str, int] = {}
    for label, members in group_index.items():
        if len(members) == 1:
            group_block[label] = 2 + members[0]
        else:
            group_block[label] = len(swaps)
            swaps.append(members)
    return swaps, group_block


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
    engine reached directly at its first row
    (:func:`enforcecost.sampling._sobol_jump._sobol_seek`, bit for bit as
    drawing from the start), and maps only those through the
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
