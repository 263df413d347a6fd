"""The analytic indices of the test functions, against their definitions.

Each function's variance, first-order and total indices are computed by brute
force: tensor-product Gauss-Legendre quadrature of the definitions
``V_i = Var(E[f | x_i])`` and ``V_Ti = E[Var(f | x_~i)]`` over the whole grid,
with no use of the function's structure. For the G-function the rule is
split at the kink ``x = 1/2``, where each factor is linear, so the quadrature
is exact up to rounding.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from scipy import stats

from enforcecost.sensitivity import test_functions as tf

FloatArray = npt.NDArray[np.float64]


def gauss(lo: float, hi: float, k: int) -> tuple[FloatArray, FloatArray]:
    """Nodes and probability weights of a k-point Gauss-Legendre rule on [lo, hi]."""
    t, w = np.polynomial.legendre.leggauss(k)
    return lo + (hi - lo) * (t + 1) / 2, w / 2


def brute_force(
    f: Callable[[FloatArray], FloatArray], nodes: FloatArray, weights: FloatArray, d: int
) -> tuple[float, FloatArray, FloatArray]:
    """Variance, first-order and total indices of ``f`` with independent inputs, each
    the law of the quadrature rule ``(nodes, weights)``."""
    k = len(nodes)
    grid = np.meshgrid(*[nodes] * d, indexing="ij")
    y = f(np.column_stack([g.ravel() for g in grid])).reshape((k,) * d)

    def mean(a: FloatArray, axes: list[int]) -> FloatArray:
        for axis in sorted(axes, reverse=True):
            a = np.moveaxis(a, axis, -1) @ weights
        return a

    every = list(range(d))
    mu = float(mean(y, every))
    var = float(mean((y - mu) ** 2, every))
    first = np.array([weights @ (mean(y, [j for j in every if j != i]) - mu) ** 2
                      for i in every])
    total = np.array([mean(mean(y**2, [i]) - mean(y, [i]) ** 2, list(range(d - 1)))
                      for i in every])
    return var, first / var, total / var


def test_ishigami_indices_add_up() -> None:
    """V = V1 + V2 + V13: S1 sums with the only interaction, S13 = ST3, to 1."""
    for a, b in [(7.0, 0.1), (5.0, 0.05), (1.0, 0.0)]:
        s1, st = tf.ishigami_indices(a=a, b=b)
        assert s1[2] == 0.0
        assert s1.sum() + st[2] == pytest.approx(1.0, abs=1e-15)
        assert st[0] == pytest.approx(s1[0] + st[2], abs=1e-15)  # ST1 = S1 + S13
        assert st[1] == s1[1]  # x2 acts alone
    s1, st = tf.ishigami_indices()
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=5e-5)


@pytest.mark.parametrize(("a", "b"), [(7.0, 0.1), (2.0, 0.3)])
def test_ishigami_closed_forms_equal_brute_force(a: float, b: float) -> None:
    nodes, weights = gauss(-np.pi, np.pi, 40)
    var, s1, st = brute_force(lambda x: tf.ishigami(x, a=a, b=b), nodes, weights, 3)
    assert tf.ishigami_variance(a=a, b=b) == pytest.approx(var, rel=1e-12)
    want = tf.ishigami_indices(a=a, b=b)
    np.testing.assert_allclose(s1, want.first_order, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(st, want.total_order, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("a", [[0.0, 1.0, 4.5, 9.0], [0.0, 0.0, 99.0], [2.0, 0.5]])
def test_g_function_closed_forms_equal_brute_force(a: list[float]) -> None:
    lo, w_lo = gauss(0.0, 0.5, 3)
    hi, w_hi = gauss(0.5, 1.0, 3)
    nodes, weights = np.r_[lo, hi], np.r_[w_lo, w_hi] / 2
    var, s1, st = brute_force(lambda x: tf.g_function(x, a=a), nodes, weights, len(a))
    assert tf.g_function_variance(a) == pytest.approx(var, rel=1e-12)
    want = tf.g_function_indices(a)
    np.testing.assert_allclose(s1, want.first_order, rtol=1e-11)
    np.testing.assert_allclose(st, want.total_order, rtol=1e-11)
    assert want.first_order.sum() <= 1.0 <= want.total_order.sum()  # interactions


def test_linear_indices_equal_brute_force() -> None:
    coef = [2.0, -1.0, 0.5]
    nodes, weights = gauss(0.0, 1.0, 4)
    _, s1, st = brute_force(lambda x: tf.linear(x, coef=coef), nodes, weights, 3)
    want = tf.linear_indices(coef, [stats.uniform()] * 3)
    np.testing.assert_allclose(s1, want.first_order, rtol=1e-12)
    np.testing.assert_allclose(st, want.total_order, rtol=1e-12)
    assert want.first_order.sum() == pytest.approx(1.0)
    scale = stats.norm(0, 2).ppf(0.95) - stats.norm(0, 2).ppf(0.05)
    mu_star = tf.linear_mu_star([-3.0, 1.0], [stats.norm(0, 2), stats.uniform()])
    np.testing.assert_allclose(mu_star, [3 * scale, 0.9], rtol=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tf.ishigami(np.ones((4, 2))), r"'x' must be an \(m, 3\) array.*\(4, 2\)"),
        (lambda: tf.ishigami(np.ones(3)), r"'x' must be an \(m, 3\) array.*\(3,\)"),
        (lambda: tf.g_function(np.ones((2, 2)), a=[0.0, -1.0]), r"'a' must hold numbers >= 0"),
        (lambda: tf.g_function(np.ones((2, 2)), a=[0.0]), r"'x' must be an \(m, 1\) array"),
        (lambda: tf.g_function_indices([]), "'a' must be a non-empty 1-D array"),
        (lambda: tf.linear(np.ones((2, 2)), coef=[[1.0]]), "'coef' must be a non-empty 1-D"),
        (lambda: tf.linear_indices([1.0, 2.0], [stats.uniform()]),
         "'dists' must have 2 distributions, one per coefficient: 1"),
    ],
)
def test_argument_errors(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
