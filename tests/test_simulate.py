"""Monte Carlo: reproducibility, block invariance, common random numbers, standard errors."""

from __future__ import annotations

import numpy as np
import pytest

import enforcecost as ec
from enforcecost.results import PrecisionWarning


@pytest.fixture(scope="module")
def eo() -> ec.Scenario:
    return ec.load_scenario("eo13768")


@pytest.mark.parametrize("sampler", ["sobol", "lhs", "random"])
def test_same_seed_same_draws_whatever_the_block_size(eo: ec.Scenario, sampler: str) -> None:
    runs = [
        ec.simulate(eo, draws=700, seed=5, sampler=sampler, block_size=b) for b in (700, 256, 99)
    ]
    totals = [r.total("government") for r in runs]
    for other in totals[1:]:
        np.testing.assert_array_equal(totals[0], other)


def test_seed_zero_is_a_seed_and_seeds_differ(eo: ec.Scenario) -> None:
    a = ec.simulate(eo, draws=64, seed=0, sampler="random").total()
    b = ec.simulate(eo, draws=64, seed=0, sampler="random").total()
    c = ec.simulate(eo, draws=64, seed=1, sampler="random").total()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_impact_is_policy_minus_baseline_on_the_same_draws(eo: ec.Scenario) -> None:
    res = ec.simulate(eo, draws=128, seed=2)
    assert res.baseline is not None
    for perspective in ec.PERSPECTIVES:
        np.testing.assert_allclose(
            res.total(perspective),
            res.policy.total(perspective) - res.baseline.total(perspective),
            rtol=1e-12,
            atol=1e-3,
        )
    # Common random numbers: an input shared with the baseline cancels. The
    # baseline fixes nothing of `bed_day_cost`, so the impact's spread must be far
    # below the policy's own spread.
    assert np.std(res.total("federal")) < np.std(res.policy.total("federal"))


def test_detail_levels_agree(eo: ec.Scenario) -> None:
    runs = {d: ec.simulate(eo, draws=200, seed=4, detail=d) for d in ec.model.DETAILS}
    ref = runs["lines"]
    for detail, res in runs.items():
        for perspective in ec.PERSPECTIVES:
            np.testing.assert_allclose(
                res.total(perspective, basis="nominal"), ref.total(perspective, basis="nominal"),
                rtol=1e-9, err_msg=detail,
            )
    np.testing.assert_allclose(
        runs["provisions"].total("federal", provision="hiring"),
        ref.total("federal", provision="hiring"),
        rtol=1e-9,
    )
    with pytest.raises(ValueError, match="kept totals by payer only"):
        runs["payers"].total("federal", provision="hiring")


def test_auto_detail_respects_the_memory_budget(eo: ec.Scenario) -> None:
    res = ec.simulate(eo, draws=1000, seed=1, max_bytes=1000 * 10 * 8 * 2 * 10)
    assert set(res.policy_run.lines["provision"]) == {ec.model.ALL_PROVISIONS}


def test_evaluate_equals_a_design_at_central_values(eo: ec.Scenario) -> None:
    names = ec.model.uncertain_inputs(eo)
    u = np.full((1, len(names)), np.nan)
    det = ec.evaluate(eo).total("government")
    assert ec.model.run_design(eo, u, names).total("government")[0] == pytest.approx(det)


def test_standard_errors_match_the_spread_between_seeds(eo: ec.Scenario) -> None:
    """The reported Monte Carlo standard errors predict how estimates vary across seeds."""
    n, reps = 400, 30
    estimates, reported = [], []
    for seed in range(reps):
        res = ec.simulate(eo, draws=n, seed=seed, sampler="random", detail="payers")
        with pytest.warns(PrecisionWarning):
            s = res.summary().loc[("federal", "all")]
        estimates.append([s["mean"], s["p50"], s["p90"]])
        reported.append([s["mean_se"], s["p50_se"], s["p90_se"]])
    observed = np.std(estimates, axis=0, ddof=1)
    predicted = np.mean(reported, axis=0)
    # The sd of 30 estimates is itself uncertain by ~13%; the quantile SE is an
    # asymptotic approximation: accept a factor of 1.6 either way.
    ratio = observed / predicted
    assert np.all((ratio > 1 / 1.6) & (ratio < 1.6)), ratio


def test_precision_warning_names_the_problem(eo: ec.Scenario) -> None:
    res = ec.simulate(eo, draws=32, seed=1)
    with pytest.warns(PrecisionWarning, match="32 draws are too few"):
        res.summary()


def test_summary_of_a_deterministic_run_has_no_spread(eo: ec.Scenario) -> None:
    s = ec.evaluate(eo).summary()
    assert (s["sd"] == 0).all()
    assert (s["p5"] == s["p95"]).all()
    assert s.loc[("federal", "all"), "mean"] == pytest.approx(ec.evaluate(eo).total("federal"))


def test_bad_arguments() -> None:
    sc = ec.Scenario(name="x")
    with pytest.raises(ValueError, match=r"'draws' must be a whole number >= 1: 0"):
        ec.simulate(sc, draws=0)
    with pytest.raises(ValueError, match=r"'detail' must be 'auto' or one of"):
        ec.simulate(sc, draws=4, detail="items")  # type: ignore[arg-type]



@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (np.random.default_rng(1), TypeError,
         r"'seed' must be None or a non-negative integer: Generator\(PCG64\).*; a random "
         r"generator is not accepted: a result must be reproducible from its seed"),
        ("1", TypeError, r"'seed' must be None or a non-negative integer: '1'$"),
        (True, TypeError, r"'seed' must be None or a non-negative integer: True \(a bool"),
        (np.random.SeedSequence(1), TypeError, r"'seed' must be None or a non-negative "
         r"integer: SeedSequence\(.*derived from an integer seed"),
        (1.0, TypeError, r"'seed' must be None or a non-negative integer: 1\.0"),
        (-1, ValueError, r"'seed' must be >= 0: -1"),
    ],
)
def test_a_bad_seed_is_named_with_the_rule(seed: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ec.simulate(ec.Scenario(name="x"), draws=4, seed=seed)  # type: ignore[arg-type]


def test_a_numpy_integer_seed_is_that_seed() -> None:
    sc = ec.Scenario(name="x")
    a = ec.simulate(sc, draws=8, seed=np.int64(5))  # type: ignore[arg-type]
    np.testing.assert_array_equal(a.total("federal"), ec.simulate(sc, draws=8, seed=5).total(
        "federal"))

def test_the_baseline_costs_the_same_provisions(eo: ec.Scenario) -> None:
    """Restricting a scenario's provisions restricts its baseline too (like with like)."""
    part = eo.replace(provisions=("hiring", "removals"))
    assert part.baseline is not None
    assert part.baseline.provisions == ("hiring", "removals")
    res, full = ec.evaluate(part), ec.evaluate(eo)
    assert set(res.lines["provision"]) == {"hiring", "removals"}
    assert res.total("federal") == pytest.approx(
        full.total("federal", provision="hiring") + full.total("federal", provision="removals")
    )
