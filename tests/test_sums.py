"""Exact sums over draws (``enforcecost.reduce``): exact, order-free, the same for any
split of the draws into group-aligned pieces, whatever the memory layout."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import enforcecost as ec
from enforcecost import model
from enforcecost.reduce import EXACT_LIMIT, GROUP, VALUE_LIMIT, FixedSums, group_sums
from enforcecost.results import PrecisionWarning


def exact_total(groups: np.ndarray) -> list[int]:
    """Sum over rows of each value rounded to a multiple of 2**-10, in Python integers."""
    return [sum(int(np.rint(v * 1024.0)) for v in col) for col in groups.T]


def digits_total(s: FixedSums) -> list[int]:
    return [sum(int(s.digits[i, j]) << (26 * i) for i in range(s.digits.shape[0]))
            for j in range(s.digits.shape[1])]


def test_fixed_sums_are_exact_at_every_scale() -> None:
    rng = np.random.default_rng(3)
    scales = rng.choice([1e-4, 1.0, 1e6, 1e11, 1e15, 1e20, 2.0**89], size=(500, 6))
    x = rng.normal(size=(500, 6)) * scales
    whole = FixedSums.of(x)
    assert digits_total(whole) == exact_total(x)
    # the mean is the exact total divided by n, rounded once (correctly rounded)
    exact_means = [float(Fraction(t, 1024 * 500)) for t in exact_total(x)]
    np.testing.assert_array_equal(whole.mean(500), exact_means)
    assert not whole.extra.any()


def test_fixed_sums_do_not_depend_on_the_order_or_the_split() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(1000, 4)) * rng.choice([1.0, 1e6, 1e11], size=(1000, 4))
    whole = FixedSums.of(x)
    for cuts in ([0, 1, 2, 999, 1000], [0, 333, 666, 1000], [0, 517, 1000]):
        parts = FixedSums.zeros((4,))
        for lo, hi in reversed(list(itertools.pairwise(cuts))):  # any order
            parts += FixedSums.of(x[lo:hi])
        assert digits_total(parts) == digits_total(whole)
        np.testing.assert_array_equal(parts.mean(1000), whole.mean(1000))
    np.testing.assert_allclose(whole.mean(1000), x.mean(axis=0), rtol=1e-12, atol=1e-3)


def test_non_finite_sums_propagate_whatever_the_order() -> None:
    x = np.array([[1e14, np.inf, 1.0, np.inf], [1e14, 1.0, np.nan, -np.inf]])
    for rows in (x, x[::-1]):
        mean = FixedSums.of(rows).mean(2)
        assert mean[0] == 1e14
        assert mean[1] == np.inf
        assert np.isnan(mean[2])
        assert np.isnan(mean[3])


@pytest.mark.parametrize("order", ["C", "F"])
@given(n=st.integers(1, 5 * GROUP), years=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_a_group_sums_to_the_same_float_in_any_piece(
    order: str, n: int, years: int, seed: int
) -> None:
    """Each group's float sum equals the sum of its values alone (1-D, contiguous),
    whether it is computed with other groups, in a chunk of any whole number of
    groups, or as the final short group."""
    rng = np.random.default_rng(seed)
    x = np.asarray(rng.lognormal(20.0, 3.0, size=(n, years)), order=order)
    whole = group_sums(x)
    assert whole.shape == (-(-n // GROUP), years)
    for g in range(whole.shape[0]):
        for y in range(years):
            alone = np.add.reduce(np.ascontiguousarray(x[g * GROUP : (g + 1) * GROUP, y]))
            assert whole[g, y] == alone
    for cut in range(GROUP, n, GROUP):  # two pieces, cut at a group boundary
        pieces = np.concatenate([group_sums(x[:cut]), group_sums(x[cut:])])
        np.testing.assert_array_equal(pieces, whole)


def test_group_sums_with_a_factor_use_the_scratch_space() -> None:
    rng = np.random.default_rng(5)
    x = np.asfortranarray(rng.normal(size=(3 * GROUP + 7, 3)))
    factor = np.asfortranarray(rng.normal(size=(3 * GROUP + 7, 3)))
    scratch = np.empty((3, 3 * GROUP + 7)).T
    np.testing.assert_array_equal(group_sums(x, factor, out=scratch), group_sums(x * factor))
    np.testing.assert_array_equal(scratch, x * factor)


def test_blocks_must_start_on_a_group() -> None:
    plan = model.plan_simulation(ec.load_scenario("eo13768"), 1000, 1, "sobol")
    with pytest.raises(ValueError, match=r"block \(100, 512\) of 1000 draws: must start, and "
                       r"end unless at the last draw, at a multiple of 256"):
        model.run_block(plan, (100, 512))
    with pytest.raises(ValueError, match=r"block \(0, 300\) of 1000 draws"):
        model.run_block(plan, (0, 300))
    assert model.run_block(plan, (768, 1000)).stop == 1000  # the last, short block


def test_block_sizes_round_up_to_whole_groups() -> None:
    eo = ec.load_scenario("eo13768")
    seen: list[int] = []
    a = ec.simulate(eo, draws=700, seed=2, detail="summary", block_size=1, progress=seen.append)
    assert seen == [256, 256, 188]
    b = ec.simulate(eo, draws=700, seed=2, detail="summary", block_size=700)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        np.testing.assert_array_equal(a.summary().to_numpy(), b.summary().to_numpy())
    np.testing.assert_array_equal(a.mean_cube("nominal"), b.mean_cube("nominal"))


def test_price_levels_of_years_with_data_are_every_draws() -> None:
    """The nominal means of those years are the real sums times the level
    (``model._prices._known_prices``): the levels must not vary by draw."""
    res = ec.simulate(ec.load_scenario("eo13768"), draws=512, seed=3, detail="lines")
    price = res.policy_run.price
    known = model._prices._known_prices(res.window, res.dollar_year)
    assert known == 9  # FY2017-FY2025 have CPI-U data; FY2026 is projected
    np.testing.assert_array_equal(price[:, :known], np.broadcast_to(price[0, :known],
                                                                    (512, known)))
    assert np.ptp(price[:, known]) > 0
    assert model._prices._known_prices(res.window, 2030) == 0  # projected dollars: none


def test_values_below_the_value_limit_keep_every_group_sum_exact() -> None:
    # the largest values allowed, a whole group of them: the group sum is still exact
    top = np.nextafter(VALUE_LIMIT, 0.0)
    groups = group_sums(np.full((4 * GROUP, 1), top))
    assert np.all(np.abs(groups) < EXACT_LIMIT)
    s = FixedSums.of(groups)
    assert s.extra.tolist() == [0.0]  # nothing fell back to order-dependent float sums
    assert digits_total(s) == [4 * GROUP * int(top) * 1024]
    # beyond 2**93 a group sum falls back to float addition (the limit enforced upstream)
    assert FixedSums.of(np.array([[EXACT_LIMIT]])).extra.tolist() == [EXACT_LIMIT]
