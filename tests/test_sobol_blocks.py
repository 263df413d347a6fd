"""Sobol' indices computed block by block equal the whole-design computation.

``reference`` is the algorithm ``sobol_indices`` used before it streamed the
design (whole ``[A | B]`` design built up front, every output kept until the
end); the streaming implementation must agree with it to rounding, and its
results must be identical, bit for bit, for any ``batch``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from scipy import stats
from scipy.stats import qmc

from enforcecost.sensitivity import SobolResult, _saltelli, sobol_indices
from enforcecost.sensitivity import test_functions as tf
from enforcecost.sensitivity.test_functions import ishigami

FloatArray = npt.NDArray[np.float64]

ISHIGAMI_DISTS = [stats.uniform(-np.pi, 2 * np.pi)] * 3
G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0])
G_DISTS = [stats.uniform(0, 1)] * len(G_A)
MIXED_DISTS = [stats.norm(10, 2), stats.lognorm(0.5), stats.uniform(0, 1), stats.gamma(2.0)]
g_function = partial(tf.g_function, a=G_A)


def two_outputs(x: FloatArray) -> FloatArray:
    return np.column_stack([ishigami(x), x[:, 0] * x[:, 1] + x[:, 2]])


def mixed(x: FloatArray) -> FloatArray:
    return np.column_stack([x[:, 0] * x[:, 1] + x[:, 2] ** 2, np.log(x[:, 3]) - x[:, 1]])


# ----------------------------------------------------------------------------- reference


def reference_design(dists: list[Any], n: int, seed: int, replicates: int) -> FloatArray:
    """The whole ``[A | B]`` design, ``(n, 2d)``, as it was built up front."""
    d, m = len(dists), n // replicates
    points = np.empty((replicates, m, 2 * d))
    for r, child in enumerate(np.random.SeedSequence(seed).spawn(replicates)):
        engine = qmc.Sobol(2 * d, scramble=True, bits=30, rng=np.random.default_rng(child))
        points[r] = engine.random(m) + 2.0**-31
    u = points.reshape(n, 2 * d)
    x = np.empty((n, 2 * d))
    for i, dist in enumerate(dists):
        x[:, [i, d + i]] = dist.ppf(u[:, [i, d + i]])
    return x


def reference(
    func: Callable[[FloatArray], FloatArray],
    dists: list[Any],
    n: int,
    seed: int,
    replicates: int,
    groups: list[str] | None = None,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Estimates from the full evaluation (the pre-streaming algorithm)."""
    d, R = len(dists), replicates
    m = n // R
    x = reference_design(dists, n, seed, R)
    A, B = x[:, :d], x[:, d:]
    swaps: list[tuple[int, ...] | None] = [(), None, *((i,) for i in range(d))]
    group_index: dict[str, list[int]] = {}
    for i, label in enumerate(groups or []):
        group_index.setdefault(label, []).append(i)
    group_block: dict[str, int] = {}
    for label, members in group_index.items():
        if len(members) == 1:
            group_block[label] = 2 + members[0]
        else:
            group_block[label] = len(swaps)
            swaps.append(tuple(members))
    rows = []
    for cols in swaps:
        block = B.copy() if cols is None else A.copy()
        if cols:
            block[:, list(cols)] = B[:, list(cols)]
        rows.append(block)
    y = np.asarray(func(np.concatenate(rows)), dtype=np.float64)
    one_d = y.ndim == 1
    y = y.reshape(len(y), -1)
    k = y.shape[1]
    blocks = y.reshape(len(swaps), R, m, k)
    mu = blocks[:2].mean(axis=(0, 1, 2))
    blocks = blocks - mu
    f_a, f_b = blocks[0], blocks[1]
    var_r = 0.5 * (np.mean(f_a**2, axis=1) + np.mean(f_b**2, axis=1))
    var = var_r.mean(axis=0)
    t = float(stats.t.ppf(0.5 + confidence / 2.0, R - 1))

    def estimate(f_x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        pooled = (f_x.mean(axis=1) / var).T
        reps = np.moveaxis(f_x / var_r, 0, -1)
        half = t * reps.std(axis=0, ddof=1) / math.sqrt(R)
        return pooled, reps, pooled - half, pooled + half

    def numerators(f_x: FloatArray) -> tuple[FloatArray, FloatArray]:
        return np.mean(f_b * (f_x - f_a), axis=2), 0.5 * np.mean((f_a - f_x) ** 2, axis=2)

    def shaped(a: FloatArray, axis: int = 0) -> FloatArray:
        return np.take(a, 0, axis=axis) if one_d else a

    n1, nt = numerators(blocks[2 : 2 + d])
    s1, s1_reps, s1_low, s1_high = estimate(n1)
    st, st_reps, st_low, st_high = estimate(nt)
    out = {
        "first_order": shaped(s1),
        "total_order": shaped(st),
        "first_order_replicates": shaped(s1_reps, axis=1),
        "total_order_replicates": shaped(st_reps, axis=1),
        "first_order_interval": (shaped(s1_low), shaped(s1_high)),
        "total_order_interval": (shaped(st_low), shaped(st_high)),
        "mean": shaped(mu),
        "variance": shaped(var),
        "evaluations": len(y),
    }
    if group_index:
        g1, gt = numerators(blocks[[group_block[label] for label in group_index]])
        sg1, _, sg1_low, sg1_high = estimate(g1)
        sgt, _, sgt_low, sgt_high = estimate(gt)
        out |= {
            "group_first_order": shaped(sg1),
            "group_total_order": shaped(sgt),
            "group_first_order_interval": (shaped(sg1_low), shaped(sg1_high)),
            "group_total_order_interval": (shaped(sgt_low), shaped(sgt_high)),
        }
    return out


def assert_matches(res: SobolResult, want: dict[str, Any], rtol: float = 1e-10) -> None:
    assert res.evaluations == want["evaluations"]
    for name, value in want.items():
        if name == "evaluations":
            continue
        got = getattr(res, name)
        pairs = zip(got, value, strict=True) if name.endswith("interval") else [(got, value)]
        for g, w in pairs:
            assert np.shape(g) == np.shape(w), name
            np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-12, err_msg=name)


def assert_identical(one: SobolResult, two: SobolResult) -> None:
    for name in [
        "first_order", "total_order", "first_order_replicates", "total_order_replicates",
        "mean", "variance", "group_first_order", "group_total_order",
    ]:
        np.testing.assert_array_equal(getattr(one, name), getattr(two, name), err_msg=name)
    for name in [
        "first_order_interval", "total_order_interval",
        "group_first_order_interval", "group_total_order_interval",
    ]:
        got, want = getattr(one, name), getattr(two, name)
        if want is None:
            assert got is None
        else:
            np.testing.assert_array_equal(got.low, want.low, err_msg=name)
            np.testing.assert_array_equal(got.high, want.high, err_msg=name)


# ----------------------------------------------------------------------------- tests

CASES: list[tuple[str, Callable[[FloatArray], FloatArray], list[Any], list[str] | None]] = [
    ("ishigami", ishigami, ISHIGAMI_DISTS, None),
    ("ishigami-groups", ishigami, ISHIGAMI_DISTS, ["a", "b", "a"]),
    ("g-function", g_function, G_DISTS, None),
    ("g-function-groups", g_function, G_DISTS, ["p", "q", "p", "r", "q", "q"]),
    ("two-outputs", two_outputs, ISHIGAMI_DISTS, None),
    ("two-outputs-groups", two_outputs, ISHIGAMI_DISTS, ["a", "a", "b"]),
    ("mixed-laws", mixed, MIXED_DISTS, ["u", "v", "u", "w"]),
]


@pytest.mark.parametrize(("func", "dists", "groups"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize(("n", "replicates", "batch"),
                         [(2**10, 8, None), (2**10, 4, 777), (2**15, 2, 10_000)])
def test_equals_whole_design_computation(
    func: Callable[[FloatArray], FloatArray], dists: list[Any], groups: list[str] | None,
    n: int, replicates: int, batch: int | None,
) -> None:
    res = sobol_indices(func, dists, n, seed=5, replicates=replicates, groups=groups,
                        batch=batch)
    assert_matches(res, reference(func, dists, n, 5, replicates, groups))


@pytest.mark.parametrize("batch", [None, 1, 7, 100, 4096])
def test_design_rows_identical_to_whole_design(batch: int | None) -> None:
    seen: list[FloatArray] = []

    def record(x: FloatArray) -> FloatArray:
        seen.append(x.copy())
        return mixed(x)

    n, R = 2**8, 4
    sobol_indices(record, MIXED_DISTS, n, seed=3, replicates=R, groups=["a", "b", "a", "c"],
                  batch=batch)
    x = np.concatenate(seen)
    want = reference_design(MIXED_DISTS, n, 3, R)
    d = len(MIXED_DISTS)
    A, B = want[:, :d], want[:, d:]
    ab = [A.copy() for _ in range(d + 1)]
    for i in range(d):
        ab[i][:, i] = B[:, i]
    ab[d][:, [0, 2]] = B[:, [0, 2]]
    np.testing.assert_array_equal(x, np.concatenate([A, B, *ab]))


@pytest.mark.parametrize("tile", [4, 32, 2**12])
def test_identical_for_any_batch(tile: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches straddling tiles, replicates and blocks: the same bits as one call."""
    monkeypatch.setattr(_saltelli, "_TILE", tile)
    kwargs: dict[str, Any] = {"seed": 9, "replicates": 4, "groups": ["a", "a", "b"],
                              "output_names": ["f", "g"]}
    whole = sobol_indices(two_outputs, ISHIGAMI_DISTS, 2**7, **kwargs)
    for batch in [1, 7, 33, 1000]:
        part = sobol_indices(two_outputs, ISHIGAMI_DISTS, 2**7, batch=batch, **kwargs)
        assert_identical(part, whole)
        pd.testing.assert_frame_equal(part.to_frame(), whole.to_frame(), check_exact=True)
    assert_matches(whole, reference(two_outputs, ISHIGAMI_DISTS, 2**7, 9, 4, ["a", "a", "b"]))


def test_identical_for_any_batch_tiles_within_replicates() -> None:
    """m = 2**13 points a replicate: two default tiles each; one_d output."""
    whole = sobol_indices(g_function, G_DISTS, 2**14, seed=4, replicates=2,
                          groups=["p", "q", "p", "r", "q", "q"])
    for batch in [1000, 4095, 4097, 2**14 + 1]:
        part = sobol_indices(g_function, G_DISTS, 2**14, seed=4, replicates=2,
                             groups=["p", "q", "p", "r", "q", "q"], batch=batch)
        assert_identical(part, whole)


def test_memory_bounded_by_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call generates at most its own number of base rows; the outputs kept are
    f(A), f(B) and the per-replicate sums, not one number per run."""
    generated: list[int] = []
    uniform = _saltelli._SaltelliDesign._uniform

    def spy(self: Any, lo: int, hi: int) -> FloatArray:
        generated.append(hi - lo)
        return uniform(self, lo, hi)

    monkeypatch.setattr(_saltelli._SaltelliDesign, "_uniform", spy)
    kept: list[Any] = []
    estimates = _saltelli._Reductions.estimates

    def keep(self: Any) -> Any:
        kept.append(self)
        return estimates(self)

    monkeypatch.setattr(_saltelli._Reductions, "estimates", keep)
    n, batch = 2**12, 300
    sobol_indices(two_outputs, ISHIGAMI_DISTS, n, seed=1, batch=batch)
    assert max(generated) <= batch
    (sums,) = kept
    assert sums.fab.shape == (2, 2, n)
    assert sums.first.shape == sums.total.shape == (3, 16, 2)
    assert sums.buf.shape == (2, 256)


SHARED_NORM = stats.norm(10, 2)
SHARED_LOGNORM = stats.lognorm(0.5)
SHARED_DISTS = [SHARED_NORM, SHARED_LOGNORM, SHARED_NORM, SHARED_LOGNORM]


@pytest.mark.parametrize("batch", [None, 5, 300])
def test_shared_distribution_objects_give_the_same_rows(batch: int | None) -> None:
    """Inputs sharing one law object get one ppf call: the same quantiles, bit for bit."""
    seen: list[FloatArray] = []

    def record(x: FloatArray) -> FloatArray:
        seen.append(x.copy())
        return mixed(x)

    sobol_indices(record, SHARED_DISTS, 2**8, seed=3, replicates=4, batch=batch)
    x = np.concatenate(seen)
    want = reference_design(SHARED_DISTS, 2**8, 3, 4)
    d = len(SHARED_DISTS)
    A, B = want[:, :d], want[:, d:]
    ab = [A.copy() for _ in range(d)]
    for i in range(d):
        ab[i][:, i] = B[:, i]
    np.testing.assert_array_equal(x, np.concatenate([A, B, *ab]))


class InfinitePPF:
    def ppf(self, q: FloatArray) -> FloatArray:
        return np.where(q < 0.5, -np.inf, 0.0)


def test_shared_distribution_error_names_the_input() -> None:
    bad = InfinitePPF()
    with pytest.raises(ValueError, match=r"^'dists\[1\]\.ppf' must be finite"):
        sobol_indices(lambda x: x.sum(axis=1), [stats.uniform(), bad, bad], 64, batch=10)
