"""Uniform designs: the Sobol' jump to row ``start``, and Latin hypercube permutations.

``design(..., sampler="sobol", start=...)`` sets the engine's state to row
``start`` directly instead of stepping over every skipped row; its draws must
be those of ``fast_forward`` to the last bit. The reference below is the former
implementation, spelled out (seed stream included, so it also pins the draws).

``sampler="lhs"`` permutes the strata with a keyed Feistel network evaluated at
each row (``sampling._designs._lhs_strata``): it must be exactly a permutation of
``[0, n)``, its walks must stay within the bound proved in its docstring, and
the design must be the same in any blocks, with one point per stratum.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import qmc

from enforcecost.sampling import _designs, design
from enforcecost.sampling import _sobol_jump as jump

FloatArray = npt.NDArray[np.float64]

MAXN = 2**30  # SciPy's Sobol' engine: 30 bits, at most 2**30 rows


def fast_forward_rows(d: int, seed: int, start: int, count: int) -> FloatArray:
    """Rows ``start .. start + count`` as ``design`` drew them with ``fast_forward``."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
    engine = qmc.Sobol(d, scramble=True, rng=rng)
    if start:
        engine.fast_forward(start)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
        return np.asarray(engine.random(count), dtype=np.float64)


def new_engine(d: int = 3, seed: int = 0) -> qmc.Sobol:
    return qmc.Sobol(d, scramble=True, rng=seed)


@pytest.fixture
def fresh_agreement() -> Iterator[None]:
    """Forget the once-per-process check around tests that patch what it uses."""
    jump._jump_agrees_with_scipy.cache_clear()
    yield
    jump._jump_agrees_with_scipy.cache_clear()


# Small rows, where the first draws are special-cased, and both sides of powers of 2.
EDGE_STARTS = sorted(
    {0, 1, 2, 3, 4, 5, 6, 7}
    | {s for k in range(3, 21) for s in (2**k - 1, 2**k, 2**k + 1)}
    | {1000, 12345, 99999, 654321}
)


@pytest.mark.parametrize("start", EDGE_STARTS)
@pytest.mark.parametrize(("d", "count"), [(1, 1), (2, 3), (7, 64), (61, 5)])
def test_sobol_block_equals_fast_forward(start: int, d: int, count: int) -> None:
    got = design(d, 2**21 + 100, sampler="sobol", seed=7, start=start, stop=start + count)
    np.testing.assert_array_equal(got, fast_forward_rows(d, 7, start, count))


@settings(max_examples=60, deadline=None)
@given(
    d=st.integers(1, 40),
    seed=st.integers(0, 2**63),
    start=st.integers(0, 2**17),
    count=st.integers(1, 300),
)
def test_sobol_block_equals_fast_forward_property(d: int, seed: int, start: int,
                                                  count: int) -> None:
    got = design(d, start + count, seed=seed, start=start, stop=start + count)
    np.testing.assert_array_equal(got, fast_forward_rows(d, seed, start, count))


@pytest.mark.parametrize("start", [2**24 - 1, 2**24, 2**24 + 3])
def test_sobol_block_equals_fast_forward_near_2_pow_24(start: int) -> None:
    got = design(2, 2**25, seed=11, start=start, stop=start + 33)
    np.testing.assert_array_equal(got, fast_forward_rows(2, 11, start, 33))


@pytest.mark.slow
def test_sobol_block_equals_fast_forward_up_to_2_pow_30() -> None:
    # fast_forward to 2**30 takes seconds: one reference run per anchor serves 3 starts.
    random_start = int(np.random.default_rng(20240605).integers(2**25, 2**29))
    for anchor in (random_start, 2**29 - 1, MAXN - 17):
        expected = fast_forward_rows(1, 5, anchor, 17)
        for offset in (0, 1, 16):
            got = design(1, MAXN, seed=5, start=anchor + offset, stop=anchor + 17)
            np.testing.assert_array_equal(got, expected[offset:])


@pytest.mark.parametrize("start", [2**26 + 12345, 2**29 + 1, MAXN - 40])
def test_large_blocks_agree_with_overlapping_blocks(start: int) -> None:
    # Different jumps, then SciPy's own stepping between them: the rows must agree.
    n, lead = MAXN, 23
    late = design(4, n, seed=3, start=start, stop=start + 17)
    early = design(4, n, seed=3, start=start - lead, stop=start + 17)
    np.testing.assert_array_equal(late, early[lead:])


def test_blocks_make_up_the_whole_design() -> None:
    n = 1000
    whole = design(5, n, seed=2)
    cuts = [0, 1, 2, 3, 4, 7, 8, 64, 127, 128, 129, 500, 511, 512, 999, n]
    parts = [design(5, n, seed=2, start=a, stop=b) for a, b in pairwise(cuts)]
    np.testing.assert_array_equal(np.vstack(parts), whole)


def test_the_jump_never_steps_over_rows(monkeypatch: pytest.MonkeyPatch,
                                        fresh_agreement: None) -> None:
    # Whether the jump's cost grows with ``start`` is measured in
    # benchmarks/bench_sobol_jump.py; here: it never falls back to fast_forward.
    expected = design(3, 2**25, seed=1, start=2**24 + 5, stop=2**24 + 9)
    assert jump._jump_agrees_with_scipy()

    def refuse(self: qmc.Sobol, n: int) -> qmc.Sobol:
        raise AssertionError(f"fast_forward({n}) called")

    monkeypatch.setattr(qmc.Sobol, "fast_forward", refuse)
    got = design(3, 2**25, seed=1, start=2**24 + 5, stop=2**24 + 9)
    np.testing.assert_array_equal(got, expected)


def test_the_installed_scipy_takes_the_fast_path(fresh_agreement: None) -> None:
    assert jump._can_jump(new_engine(), 12345), (
        "SciPy's private Sobol' state changed: design falls back to fast_forward"
    )
    assert jump._jump_agrees_with_scipy()


def test_unexpected_engine_state_is_refused() -> None:
    assert not jump._can_jump(new_engine(), MAXN + 1)  # beyond the 30 bits
    used = new_engine()
    used.random(4)
    assert not jump._can_jump(used, 8)
    odd_dtype = new_engine()
    odd_dtype._quasi = odd_dtype._quasi.astype(np.int64)
    assert not jump._can_jump(odd_dtype, 8)
    odd_shape = new_engine()
    odd_shape._sv = odd_shape._sv[:, :-1].copy()
    assert not jump._can_jump(odd_shape, 8)
    missing = new_engine()
    del missing._shift
    assert not jump._can_jump(missing, 8)


def test_fallback_to_fast_forward_draws_the_same(monkeypatch: pytest.MonkeyPatch,
                                                 fresh_agreement: None) -> None:
    expected = [design(6, 2**21, seed=9, start=s, stop=s + 10) for s in (1, 1023, 2**20)]
    monkeypatch.setattr(jump, "_can_jump", lambda engine, start: False)
    got = [design(6, 2**21, seed=9, start=s, stop=s + 10) for s in (1, 1023, 2**20)]
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_scipy_that_disagrees_disables_the_jump(monkeypatch: pytest.MonkeyPatch,
                                                  fresh_agreement: None) -> None:
    def off_by_one(engine: qmc.Sobol, start: int) -> None:
        engine.fast_forward(start + 1)

    monkeypatch.setattr(jump, "_sobol_jump", off_by_one)
    assert not jump._jump_agrees_with_scipy()
    got = design(3, 4096, seed=4, start=100, stop=110)  # fast_forward, so still right
    np.testing.assert_array_equal(got, fast_forward_rows(3, 4, 100, 10))


# Latin hypercube: the row -> stratum permutation, evaluated pointwise.

LARGE_N = [2**20 - 1, 2**20, 2**20 + 1, 1_000_003]  # both sides of a power of 2, a prime


def lhs_strata(n: int, seed: int = 0, j: int = 0) -> npt.NDArray[np.int64]:
    return _designs._lhs_strata(n, seed, j, 0, n).astype(np.int64)


@settings(max_examples=150, deadline=None)
@given(n=st.one_of(st.integers(1, 70), st.integers(71, 20_000)),
       seed=st.integers(0, 2**63), j=st.integers(0, 100))
def test_lhs_strata_are_a_permutation(n: int, seed: int, j: int) -> None:
    np.testing.assert_array_equal(np.sort(lhs_strata(n, seed, j)), np.arange(n))


@settings(max_examples=4, deadline=None)
@given(n=st.sampled_from(LARGE_N), seed=st.integers(0, 2**63))
def test_lhs_strata_are_a_permutation_for_large_n(n: int, seed: int) -> None:
    np.testing.assert_array_equal(np.sort(lhs_strata(n, seed)), np.arange(n))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 9, 1000, 4097, 2**16 + 1])
def test_lhs_walks_stay_within_the_proved_bound(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # The docstring's argument: walks from all of [0, n) take at most 2**m network
    # evaluations in all (m = max(2, bit_length(n - 1))), so fewer than 2 per row for n >= 3.
    evaluated: list[int] = []
    network = _designs._feistel

    def counting(x: npt.NDArray[np.uint64], m: int,
                 keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        evaluated.append(x.size)
        return network(x, m, keys)

    monkeypatch.setattr(_designs, "_feistel", counting)
    for seed in range(5):
        evaluated.clear()
        np.testing.assert_array_equal(np.sort(lhs_strata(n, seed)), np.arange(n))
        domain = 2 ** max(2, (n - 1).bit_length())
        assert n <= sum(evaluated) <= domain
        if n >= 3:
            assert sum(evaluated) < 2 * n


def test_lhs_feistel_network_is_a_permutation_of_its_domain() -> None:
    keys = np.random.default_rng(1).integers(0, 2**64, size=8, dtype=np.uint64)
    for m in range(1, 17):  # odd m too: alternating unbalanced halves
        x = np.arange(2**m, dtype=np.uint64)
        np.testing.assert_array_equal(np.sort(_designs._feistel(x, m, keys)), x)


def test_lhs_strata_depend_on_seed_and_column() -> None:
    n = 1000
    a = lhs_strata(n, seed=1, j=0)
    for other in (lhs_strata(n, seed=2, j=0), lhs_strata(n, seed=1, j=1)):
        assert np.mean(a == other) < 0.05  # a random pair agrees at about 1 row in n
    assert not np.array_equal(a, np.arange(n))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3000), seed=st.integers(0, 2**63), data=st.data())
def test_lhs_strata_of_a_block_are_rows_of_the_whole(n: int, seed: int,
                                                     data: st.DataObject) -> None:
    start = data.draw(st.integers(0, n - 1))
    stop = data.draw(st.integers(start + 1, n))
    np.testing.assert_array_equal(_designs._lhs_strata(n, seed, 3, start, stop),
                                  _designs._lhs_strata(n, seed, 3, 0, n)[start:stop])


@pytest.mark.parametrize("n", [1, 2, 7, 1000, 3 * 2**16 + 5])
def test_lhs_design_is_the_same_in_any_blocks(n: int) -> None:
    whole = design(4, n, sampler="lhs", seed=6)
    for size in (1, 7, 256, 4096, 2**16 + 3):
        if size * 200 < n:
            continue  # too many blocks to be quick; the larger sizes cover large n
        parts = [design(4, n, sampler="lhs", seed=6, start=a, stop=min(a + size, n))
                 for a in range(0, n, size)]
        np.testing.assert_array_equal(np.vstack(parts), whole)


@settings(max_examples=30, deadline=None)
@given(n=st.one_of(st.integers(1, 70), st.integers(71, 20_000)), seed=st.integers(0, 2**63))
def test_lhs_design_has_one_point_per_stratum(n: int, seed: int) -> None:
    u = design(3, n, sampler="lhs", seed=seed)
    assert np.all((u >= 0) & (u < 1))
    strata = np.floor(u * n).astype(np.int64)
    np.testing.assert_array_equal(np.sort(strata, axis=0),
                                  np.broadcast_to(np.arange(n)[:, None], (n, 3)))
