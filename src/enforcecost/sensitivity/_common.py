"""Checks and helpers shared by the estimators (:mod:`._sobol`, :mod:`._morris`).

Argument checks (each error names the argument, the rule and the value), the
seed, the quantile functions' calls and the evaluation of ``func`` on design
rows, batch by batch. Nothing here belongs to one method.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..sampling import check_seed

__all__ = ["FloatArray", "Func", "Seed", "SupportsPPF"]

FloatArray = npt.NDArray[np.float64]
Func = Callable[[FloatArray], npt.ArrayLike]
Seed = int | np.integer[Any] | np.random.SeedSequence | None

#: Independent scramblings of a Sobol' study (its intervals): the default of
#: both :func:`sobol_indices` and the scenario-level :func:`sobol`.
REPLICATES = 16
#: Grid levels of a Morris study: the default of :func:`morris_indices` and :func:`morris`.
LEVELS = 4


class SupportsPPF(Protocol):
    """Anything with a vectorized quantile function, e.g. a frozen ``scipy.stats`` law."""

    def ppf(self, q: Any, /) -> Any:
        """Quantiles at probabilities ``q`` (an array in the open interval (0, 1))."""


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


def _check_output_names(
    output_names: Sequence[str] | None, k: int, one_d: bool
) -> tuple[str, ...] | None:
    """Names of the ``k`` outputs; None for a function returning a 1-D array."""
    if one_d and output_names is not None:
        raise ValueError(
            f"'output_names' must be None when 'func' returns a 1-D array: {output_names!r}"
        )
    return None if one_d else _check_names(output_names, k, "output_names")


def _squeezed(a: FloatArray, one_d: bool, axis: int = 0) -> FloatArray:
    """``a`` read-only, without its output axis for a function returning a 1-D array."""
    return _frozen(np.take(a, 0, axis=axis) if one_d else a)
