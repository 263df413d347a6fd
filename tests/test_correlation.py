"""Rank correlation between uncertain inputs (Iman-Conover), from files and code."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pytest
from scipy.stats import spearmanr

import enforcecost as ec
from enforcecost import sampling
from enforcecost.model import correlation_plan, uncertain_inputs
from enforcecost.sampling import Correlate, _correlation, _seeds, design, iman_conover

FloatArray = npt.NDArray[np.float64]
Sampler = Literal["sobol", "lhs", "random"]
SAMPLERS: tuple[Sampler, ...] = ("sobol", "lhs", "random")

TARGET = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.0], [-0.3, 0.0, 1.0]])
THREE: Correlate = ((0, 2, 4), tuple(tuple(float(x) for x in row) for row in TARGET))


def test_iman_conover_hits_the_target_and_keeps_the_marginals() -> None:
    u = design(3, 4096, sampler="sobol", seed=1)
    target = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.0], [-0.3, 0.0, 1.0]])
    v = iman_conover(u, target, seed=2)
    got = spearmanr(v).statistic
    # Spearman estimates from n = 4096 have a standard error of about 1/sqrt(n) = 0.016.
    np.testing.assert_allclose(got, target, atol=0.05)
    np.testing.assert_array_equal(np.sort(u, axis=0), np.sort(v, axis=0))


def test_iman_conover_rejects_impossible_matrices() -> None:
    u = design(2, 64, seed=0)
    with pytest.raises(ValueError, match="positive definite"):
        iman_conover(u, np.array([[1.0, 1.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="more draws than correlated inputs"):
        iman_conover(u[:2], np.eye(2))


def test_correlated_design_is_the_same_in_any_blocks() -> None:
    c = ((1, 3), ((1.0, 0.7), (0.7, 1.0)))
    whole = design(5, 3000, seed=3, correlate=c)
    parts = np.vstack(
        [
            design(5, 3000, seed=3, correlate=c, start=s, stop=min(s + 777, 3000))
            for s in range(0, 3000, 777)
        ]
    )
    np.testing.assert_array_equal(whole, parts)
    assert spearmanr(whole[:, 1], whole[:, 3]).statistic == pytest.approx(0.7, abs=0.05)
    assert abs(spearmanr(whole[:, 0], whole[:, 1]).statistic) < 0.06


def _voice(rank: float | None) -> ec.Scenario:
    sc = ec.Scenario(name="VOICE", provisions=("victims_office",), dollar_year=2020).fixed()
    sc = sc.replace(
        parameters={
            "voice_staff": {"dist": "uniform", "low": 20, "high": 80},
            "voice_cost_per_fte": {"dist": "uniform", "low": 100_000, "high": 180_000},
        }
    )
    if rank is None:
        return sc
    return sc.replace(correlations=[("voice_staff", "voice_cost_per_fte", rank)])


def test_simulate_uses_the_correlation() -> None:
    names = uncertain_inputs(_voice(0.9))
    plan = correlation_plan(_voice(0.9), names)
    assert plan is not None
    u = design(len(names), 4096, seed=5, correlate=plan)
    assert spearmanr(u[:, 0], u[:, 1]).statistic == pytest.approx(0.9, abs=0.03)
    # A product of positively correlated inputs spreads wider than of independent ones.
    sd = {
        r: np.std(ec.simulate(_voice(r), draws=4096, seed=5).total("federal", "real"))
        for r in (-0.9, None, 0.9)
    }
    assert sd[-0.9] < sd[None] < sd[0.9]


def test_correlations_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[scenario]\nname = "c"\nextends = "eo13768"\n'
        '[[correlation]]\ninputs = ["detention_days", "bed_day_cost"]\nrank = 0.5\n'
    )
    sc = ec.load_scenario(path)
    assert sc.correlations == (("bed_day_cost", "detention_days", 0.5),)


def test_bad_correlations_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[scenario]\nname = "bad"\n'
        '[[correlation]]\ninputs = ["bed_day_cost", "ero_officers_added"]\nrank = 1.5\n'
        '[[correlation]]\ninputs = ["bed_day_cst", "detention_days"]\nrank = 0.2\n'
        '[[correlation]]\ninputs = ["bed_day_cost"]\nrank = 0.2\nweight = 1\n'
    )
    with pytest.raises(ec.ScenarioError) as info:
        ec.load_scenario(path)
    found = {(p.key, p.rule, repr(p.value)) for p in info.value.problems}
    assert (
        "[[correlation]] #1 inputs",
        "is fixed in this scenario: only uncertain inputs can be correlated",
        "'ero_officers_added'",
    ) in found
    assert ("[[correlation]] #1 rank", "must be a number strictly between -1 and 1", "1.5") in found
    assert (
        "[[correlation]] #2 inputs",
        "unknown parameter (did you mean 'bed_day_cost'?)",
        "'bed_day_cst'",
    ) in found
    assert (
        "[[correlation]] #3 inputs",
        "must name two different parameters",
        "['bed_day_cost']",
    ) in found
    assert ("[[correlation]] #3 weight", "unknown key", "1") in found
    assert all(p.file == str(path) for p in info.value.problems)


def test_impossible_set_of_correlations() -> None:
    pairs = [
        ("bed_day_cost", "detention_days", 0.9),
        ("bed_day_cost", "atd_days", 0.9),
        ("detention_days", "atd_days", -0.9),
    ]
    with pytest.raises(ec.ScenarioError, match="not a possible correlation matrix"):
        ec.Scenario(name="x", correlations=pairs)


# Blockwise designs: Iman-Conover on a grid of chunks that depends only on n.


@pytest.fixture
def chunk(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Small chunks (``_seeds.CHUNK`` is read at call time), with an empty cache."""
    _correlation._correlated_chunk.cache_clear()
    monkeypatch.setattr(_seeds, "CHUNK", 64)
    yield monkeypatch
    _correlation._correlated_chunk.cache_clear()


def chunk_rows(n: int) -> list[tuple[int, int]]:
    """The grid's chunks, spelled out: full chunks, a short last piece folded in."""
    size = _seeds.CHUNK
    cuts = [*range(0, n, size), n]
    if len(cuts) > 2 and cuts[-1] - cuts[-2] < size // 2:
        del cuts[-2]
    return list(pairwise(cuts))


@pytest.mark.parametrize("sampler", SAMPLERS)
@pytest.mark.parametrize("n", [7 * 64 + 40, 7 * 64 + 5, 8 * 64, 64 + 31])
def test_correlated_blocks_agree_across_chunks(chunk: pytest.MonkeyPatch, sampler: Sampler,
                                               n: int) -> None:
    # Last chunk of its own (40 rows), a 5-row piece folded into the last chunk,
    # no piece at all, and one chunk of 95 rows (a piece of 31 < 64 // 2 folded in).
    whole = design(6, n, sampler=sampler, seed=3, correlate=THREE)
    rng = np.random.default_rng(n)
    splittings = [
        [0, n],
        [*range(n), n],  # one row at a time
        [*range(0, n, 7), n],
        [*range(0, n, 100), n],  # blocks straddling chunk boundaries
        [*(c for c in (0, 63, 64, 65, 94, 127, 129, 300) if c < n - 1), n - 1, n],  # boundaries
        [0, *sorted(rng.choice(np.arange(1, n), size=9, replace=False).tolist()), n],
    ]
    for cuts in splittings:
        blocks = list(pairwise(cuts))
        _correlation._correlated_chunk.cache_clear()
        parts = {b: design(6, n, sampler=sampler, seed=3, correlate=THREE, start=b[0], stop=b[1])
                 for b in reversed(blocks)}  # last block first: any order
        np.testing.assert_array_equal(np.vstack([parts[b] for b in blocks]), whole)


def test_chunk_grid_folds_a_short_last_piece(chunk: pytest.MonkeyPatch) -> None:
    grid = _correlation._chunk_grid
    assert [grid(n, 64) for n in (1, 50, 64, 65, 95, 96, 128, 128 + 3, 128 + 31, 128 + 32)] == [
        1, 1, 1, 1, 1, 2, 2, 2, 2, 3]
    for n in range(1, 600):
        rows = chunk_rows(n)
        assert grid(n, 64) == len(rows)
        assert all(b - a >= min(n, 32) and b - a < 96 for a, b in rows)


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_a_tail_shorter_than_the_inputs_is_folded_in(chunk: pytest.MonkeyPatch,
                                                     sampler: Sampler) -> None:
    # n % CHUNK = 3 rows: fewer than k + 1 = 4, too few for Iman-Conover on their own.
    k, n, seed = 3, 3 * 64 + 3, 8
    assert n % _seeds.CHUNK < k + 1
    got = design(6, n, sampler=sampler, seed=seed, correlate=THREE)
    plain = design(6, n, sampler=sampler, seed=seed)[:, [0, 2, 4]]
    assert chunk_rows(n) == [(0, 64), (64, 128), (128, n)]
    for c, (a, b) in enumerate(chunk_rows(n)):
        # Each chunk is Iman-Conover on its own rows, with its own stream: spawn
        # key (4,) for chunk 0 (that of iman_conover), (4, c) for the others.
        key = (4,) if c == 0 else (4, c)
        expected = _correlation._iman_conover(plain[a:b], TARGET, _seeds._stream(seed, *key))
        np.testing.assert_array_equal(got[a:b, [0, 2, 4]], expected)
    np.testing.assert_array_equal(got[:64, [0, 2, 4]], iman_conover(plain[:64], TARGET, seed=seed))
    tail = design(6, n, sampler=sampler, seed=seed, correlate=THREE, start=n - 2, stop=n)
    np.testing.assert_array_equal(tail, got[n - 2 :])


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_one_chunk_designs_are_iman_conover_on_all_rows(sampler: Sampler) -> None:
    # Designs of fewer than 1.5 * CHUNK rows are what they were before chunks.
    for n in (5, 3000, _seeds.CHUNK + _seeds.CHUNK // 2 - 1):
        got = design(6, n, sampler=sampler, seed=2, correlate=THREE)
        plain = design(6, n, sampler=sampler, seed=2)
        np.testing.assert_array_equal(got[:, [0, 2, 4]],
                                      iman_conover(plain[:, [0, 2, 4]], TARGET, seed=2))
        np.testing.assert_array_equal(got[:, [1, 3, 5]], plain[:, [1, 3, 5]])


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_each_column_keeps_its_uncorrelated_values(chunk: pytest.MonkeyPatch,
                                                   sampler: Sampler) -> None:
    n = 9 * 64 + 50
    got = design(6, n, sampler=sampler, seed=4, correlate=THREE)
    plain = design(6, n, sampler=sampler, seed=4)
    np.testing.assert_array_equal(np.sort(got, axis=0), np.sort(plain, axis=0))
    np.testing.assert_array_equal(got[:, [1, 3, 5]], plain[:, [1, 3, 5]])
    for a, b in chunk_rows(n):  # each chunk reorders only its own values
        np.testing.assert_array_equal(np.sort(got[a:b], axis=0), np.sort(plain[a:b], axis=0))
    assert not np.array_equal(got, plain)


def spearman_error(u: FloatArray) -> float:
    return float(np.abs(spearmanr(u[:, [0, 2, 4]]).statistic - TARGET).max())


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_rank_correlation_per_chunk_and_pooled(chunk: pytest.MonkeyPatch,
                                               sampler: Sampler) -> None:
    # Chunks of 4096 rows: each chunk's Spearman matrix is within 0.03 of the
    # target (measured: at most 0.013, about 0.0036 for chunks of 65,536 rows),
    # and the whole design's, pooled over 9 chunks, within 0.01 (measured: at
    # most 0.004; 0.002 with 65,536-row chunks) -- the chunks' errors average out.
    chunk.setattr(_seeds, "CHUNK", 4096)
    n = 8 * 4096 + 3000
    for seed in (0, 1):
        u = design(6, n, sampler=sampler, seed=seed, correlate=THREE)
        rows = chunk_rows(n)
        assert len(rows) == 9
        assert max(spearman_error(u[a:b]) for a, b in rows) < 0.03
        assert spearman_error(u) < 0.01
        # Inputs left out of the correlation stay uncorrelated with the others.
        assert abs(spearmanr(u[:, 0], u[:, 1]).statistic) < 0.03


def test_real_chunks_blocks_and_pooled_correlation() -> None:
    # Unpatched CHUNK: n = 100,000 is two chunks (65,536 rows and 34,464 >= 32,768).
    n = 100_000
    c = ((1, 3), ((1.0, 0.7), (0.7, 1.0)))
    whole = design(4, n, seed=6, correlate=c)
    cuts = [0, 32768, 65535, 65537, 98304, n]  # blocks straddling the boundary
    parts = [design(4, n, seed=6, correlate=c, start=a, stop=b) for a, b in pairwise(cuts)]
    np.testing.assert_array_equal(np.vstack(parts), whole)
    for a, b in [(0, 65536), (65536, n), (0, n)]:
        assert spearmanr(whole[a:b, 1], whole[a:b, 3]).statistic == pytest.approx(0.7, abs=0.01)
    np.testing.assert_array_equal(np.sort(whole, axis=0), np.sort(design(4, n, seed=6), axis=0))


def test_the_chunk_cache_is_bounded(chunk: pytest.MonkeyPatch) -> None:
    # Memory: a block computes only the chunks it overlaps, and a process keeps
    # at most CACHED_CHUNKS of them (each at most 1.5 * CHUNK rows of k columns).
    info = _correlation._correlated_chunk.cache_info
    assert sampling.CACHED_CHUNKS <= 4
    n = 20 * 64 + 10
    design(6, n, seed=1, correlate=THREE, start=130, stop=150)  # inside chunk 2
    assert (info().misses, info().currsize) == (1, 1)
    design(6, n, seed=1, correlate=THREE, start=150, stop=200)  # chunks 2 (cached) and 3
    assert (info().hits, info().misses, info().currsize) == (1, 2, 2)
    _correlation._correlated_chunk.cache_clear()
    for start in range(0, n, 48):  # every block, in order: each chunk computed once
        design(6, n, seed=1, correlate=THREE, start=start, stop=min(start + 48, n))
        assert info().currsize <= sampling.CACHED_CHUNKS
    assert info().misses == 20
    assert info().maxsize == sampling.CACHED_CHUNKS
