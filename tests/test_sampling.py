"""Uniform designs: the Sobol' jump to row ``start`` against SciPy's ``fast_forward``.

``design(..., sampler="sobol", start=...)`` sets the engine's state to row
``start`` directly instead of stepping over every skipped row; its draws must
be those of ``fast_forward`` to the last bit. The reference below is the former
implementation, spelled out (seed stream included, so it also pins the draws).
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

from enforcecost import sampling
from enforcecost.sampling import design

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
    sampling._jump_agrees_with_scipy.cache_clear()
    yield
    sampling._jump_agrees_with_scipy.cache_clear()


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
    assert sampling._jump_agrees_with_scipy()

    def refuse(self: qmc.Sobol, n: int) -> qmc.Sobol:
        raise AssertionError(f"fast_forward({n}) called")

    monkeypatch.setattr(qmc.Sobol, "fast_forward", refuse)
    got = design(3, 2**25, seed=1, start=2**24 + 5, stop=2**24 + 9)
    np.testing.assert_array_equal(got, expected)


def test_the_installed_scipy_takes_the_fast_path(fresh_agreement: None) -> None:
    assert sampling._can_jump(new_engine(), 12345), (
        "SciPy's private Sobol' state changed: design falls back to fast_forward"
    )
    assert sampling._jump_agrees_with_scipy()


def test_unexpected_engine_state_is_refused() -> None:
    assert not sampling._can_jump(new_engine(), MAXN + 1)  # beyond the 30 bits
    used = new_engine()
    used.random(4)
    assert not sampling._can_jump(used, 8)
    odd_dtype = new_engine()
    odd_dtype._quasi = odd_dtype._quasi.astype(np.int64)
    assert not sampling._can_jump(odd_dtype, 8)
    odd_shape = new_engine()
    odd_shape._sv = odd_shape._sv[:, :-1].copy()
    assert not sampling._can_jump(odd_shape, 8)
    missing = new_engine()
    del missing._shift
    assert not sampling._can_jump(missing, 8)


def test_fallback_to_fast_forward_draws_the_same(monkeypatch: pytest.MonkeyPatch,
                                                 fresh_agreement: None) -> None:
    expected = [design(6, 2**21, seed=9, start=s, stop=s + 10) for s in (1, 1023, 2**20)]
    monkeypatch.setattr(sampling, "_can_jump", lambda engine, start: False)
    got = [design(6, 2**21, seed=9, start=s, stop=s + 10) for s in (1, 1023, 2**20)]
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_scipy_that_disagrees_disables_the_jump(monkeypatch: pytest.MonkeyPatch,
                                                  fresh_agreement: None) -> None:
    def off_by_one(engine: qmc.Sobol, start: int) -> None:
        engine.fast_forward(start + 1)

    monkeypatch.setattr(sampling, "_sobol_jump", off_by_one)
    assert not sampling._jump_agrees_with_scipy()
    got = design(3, 4096, seed=4, start=100, stop=110)  # fast_forward, so still right
    np.testing.assert_array_equal(got, fast_forward_rows(3, 4, 100, 10))
