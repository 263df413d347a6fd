"""Rank correlation between uncertain inputs (Iman-Conover), from files and code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

import enforcecost as ec
from enforcecost.model import correlation_plan, uncertain_inputs
from enforcecost.sampling import design, iman_conover


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
