"""The log-bucket quantile sketch: accuracy against numpy, exact and order-free merging."""

from __future__ import annotations

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcecost.reduce import QuantileSketch, width_for

Q = np.array([0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0])
MIN = 1e-6
FLOOR = 1e-12

# values of many magnitudes and both signs, with zeros and ties (drawn from a few values)
magnitudes = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-9, max_value=1e12, allow_nan=False, allow_infinity=False),
)
values = st.builds(lambda m, neg: -m if neg else m, magnitudes, st.booleans())
samples = st.one_of(
    st.lists(values, min_size=1, max_size=300),
    st.lists(st.sampled_from([-3.5, 0.0, 1.0, 2.0, 1e9]), min_size=1, max_size=300),
).map(np.asarray)
alphas = st.sampled_from([1e-3, 1e-2, 0.05, 0.2])


def sketch(x: np.ndarray, alpha: float) -> QuantileSketch:
    return QuantileSketch.of(x[None, :], alpha, MIN, width_for(alpha, FLOOR))


def absolute(x: np.ndarray, alpha: float) -> float:
    """The absolute error allowed besides the relative one: the zero bucket and collapsing."""
    gamma = (1 + alpha) / (1 - alpha)
    return MIN + gamma * FLOOR * float(np.max(np.abs(x)))


@settings(max_examples=150, deadline=None)
@given(samples, alphas)
def test_quantiles_within_alpha_of_numpy(x: np.ndarray, alpha: float) -> None:
    s = sketch(x, alpha)
    assert s.count.tolist() == [x.size]
    slack = 1.0 + 1e-9  # rounding of log() at a bucket boundary
    # the lower-rank estimate (DDSketch's): within alpha of the order statistic
    exact = np.quantile(x, Q, method="lower")
    lower = s.quantile(Q, method="lower")[0]
    assert np.all(np.abs(lower - exact) <= alpha * np.abs(exact) * slack + absolute(x, alpha))
    # the interpolated estimate: within gamma - 1 of numpy's linear quantile
    srt = np.sort(x)
    rank = np.floor(Q * (x.size - 1)).astype(int)
    scale = np.maximum(np.abs(srt[rank]), np.abs(srt[np.minimum(rank + 1, x.size - 1)]))
    gamma = (1 + alpha) / (1 - alpha)
    est = s.quantile(Q)[0]
    bound = (gamma - 1) * scale * slack + absolute(x, alpha)
    assert np.all(np.abs(est - np.quantile(x, Q)) <= bound)
    # a single value, or all values equal: every quantile is (close to) it
    if np.all(x == x[0]):
        assert np.all(np.abs(est - x[0]) <= (gamma - 1) * abs(x[0]) + absolute(x, alpha))


@settings(max_examples=100, deadline=None)
@given(samples, alphas, st.lists(st.integers(0, 300), max_size=6), st.randoms())
def test_merging_equals_sketching_the_concatenation(
    x: np.ndarray, alpha: float, cuts: list[int], rnd: object
) -> None:
    whole = sketch(x, alpha)
    bounds = sorted({0, x.size, *(min(c, x.size) for c in cuts)})
    parts = [sketch(x[a:b], alpha) for a, b in itertools.pairwise(bounds)]
    assert len(parts) >= 1
    # in order, and shuffled: the merged state is the same bit for bit
    for order in (list(range(len(parts))), list(reversed(range(len(parts))))):
        merged = QuantileSketch.empty(1, alpha, MIN, width_for(alpha, FLOOR))
        merged.merge(*(parts[i] for i in order))
        assert merged.equals(whole)
    # associative: (a + b) + c == a + (b + c), sketching values in blocks too
    if len(parts) >= 3:
        left = parts[0].copy()
        left.merge(parts[1])
        left.merge(*parts[2:])
        right = parts[1].copy()
        right.merge(*parts[2:])
        right.merge(parts[0])
        assert left.equals(right)
        assert left.equals(whole)
    grown = sketch(x[: bounds[1]], alpha)
    for a, b in itertools.pairwise(bounds[1:]):
        grown.add(x[None, a:b])
    assert grown.equals(whole)
    np.testing.assert_array_equal(grown.quantile(Q), whole.quantile(Q))


def test_channels_are_independent_and_pickle_compactly() -> None:
    rng = np.random.default_rng(1)
    x = np.stack([rng.normal(size=5000) * 1e9, rng.lognormal(size=5000), np.zeros(5000)])
    s = QuantileSketch.of(x, 5e-4, MIN, width_for(5e-4, 2.0**-20))
    for c in range(3):
        alone = QuantileSketch.of(x[c : c + 1], 5e-4, MIN, width_for(5e-4, 2.0**-20))
        np.testing.assert_array_equal(s.quantile(Q)[c], alone.quantile(Q)[0])
    np.testing.assert_array_equal(s.quantile(Q)[2], 0.0)  # the zero bucket reads back 0
    blob = pickle.dumps(s)
    assert len(blob) < s.nbytes / 4  # the occupied buckets only
    assert pickle.loads(blob).equals(s)
    values, counts = s.buckets(0)
    assert counts.sum() == 5000
    assert np.all(np.diff(values) > 0)
    assert s.occupied == int(np.count_nonzero(s.counts))


def test_many_values_per_bucket_interpolate_far_below_alpha() -> None:
    """With many draws per bucket the interpolated quantiles are nearly exact (not just alpha)."""
    x = np.random.default_rng(2).normal(size=200_000) * 1e10
    s = QuantileSketch.of(x[None, :], 1e-3, MIN, width_for(1e-3, 2.0**-20))
    q = np.array([0.05, 0.1, 0.9, 0.95])
    exact = np.quantile(x, q)
    se = 2.1 * 1e10 / np.sqrt(x.size)  # Monte Carlo standard error of p5 and p95
    assert np.all(np.abs(s.quantile(q, method="lower")[0] - exact) <= 1e-3 * np.abs(exact))
    # here P = 3.4e-4 of the draws a bucket: about 4% of the standard error (see the Notes)
    assert np.all(np.abs(s.quantile(q)[0] - exact) <= 0.15 * se)


def test_special_values_and_empty_channels() -> None:
    x = np.array([[1.0, -np.inf, 2.0, np.inf], [1.0, 2.0, np.nan, 3.0]])
    s = QuantileSketch.of(x, 0.01, MIN, 100)
    est = s.quantile([0.0, 0.5, 1.0])
    assert est[0, 0] == -np.inf
    assert est[0, 2] == np.inf
    assert abs(est[0, 1] - 1.5) <= 0.03 * 2
    assert np.isnan(est[1]).all()  # as numpy.quantile with a NaN
    assert s.count.tolist() == [4, 4]
    empty = QuantileSketch.empty(2, 0.01, MIN, 100)
    assert np.isnan(empty.quantile(0.5)).all()
    assert empty.quantile(0.5).shape == (2,)
    values, counts = s.buckets(0)
    assert values[0] == -np.inf
    assert values[-1] == np.inf
    assert counts.tolist() == [1, 1, 1, 1]


def test_collapsing_keeps_the_largest_magnitudes() -> None:
    """Tiny values beside huge ones count as 0, whatever the order they come in."""
    width = width_for(0.01, 1e-6)
    small, big = np.array([[1e-3, -2e-3, 5e4]]), np.array([[1e9, -3e9]])
    a = QuantileSketch.of(small, 0.01, MIN, width)
    a.add(big)
    b = QuantileSketch.of(big, 0.01, MIN, width)
    b.add(small)
    assert a.equals(b)
    est = a.quantile([0.0, 0.25, 0.5, 0.75, 1.0])[0]
    assert est[1] == 0.0  # -2e-3: below 1e-6 of the largest, the zero bucket
    assert est[2] == 0.0
    assert est[3] == pytest.approx(5e4, rel=0.03)  # 1.7e-5 of the largest: kept
    assert est[0] == pytest.approx(-3e9, rel=0.03)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"'alpha' must be in \(0, 1\): 1.5"):
        QuantileSketch.empty(1, 1.5, MIN, 10)
    with pytest.raises(ValueError, match=r"'min_value' must be a positive normal float: 0.0"):
        QuantileSketch.empty(1, 0.01, 0.0, 10)
    with pytest.raises(ValueError, match=r"'width' must be a whole number >= 1: 0"):
        QuantileSketch.empty(1, 0.01, MIN, 0)
    with pytest.raises(ValueError, match=r"needs .* bucket keys: more than"):
        QuantileSketch.empty(1, 1e-12, MIN, 10)
    with pytest.raises(ValueError, match=r"'floor' must be in \(0, 1\): 2"):
        width_for(0.01, 2)
    s = QuantileSketch.empty(2, 0.01, MIN, 10)
    with pytest.raises(ValueError, match=r"'values' must have shape \(2, n\): got shape \(3, 1\)"):
        s.add(np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"'values' must have shape \(channels, n\)"):
        QuantileSketch.of(np.zeros(3), 0.01, MIN, 10)
    with pytest.raises(ValueError, match=r"'q' must be probabilities in \[0, 1\]"):
        s.quantile([0.5, 1.5])
    with pytest.raises(ValueError, match=r"'method' must be one of interpolated, lower"):
        s.quantile(0.5, method="linear")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"sketches must share alpha, min_value, width and"):
        s.merge(QuantileSketch.empty(2, 0.02, MIN, 10))
