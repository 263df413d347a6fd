"""Scenario-level sensitivity (tornado, Morris, Sobol', as_function) on analytic cases.

The test scenario keeps one provision, the VOICE office, whose 10-year real cost
is ``10 * voice_staff * voice_cost_per_fte`` (both in 2020 dollars, the run's
dollar year, so no price conversion), and fixes every other input. With
independent uniform inputs X1 ~ U(20, 80) and X2 ~ U(100,000, 180,000), the
product's Sobol' indices are known in closed form:
Var(X1 X2) = mu2^2 V1 + mu1^2 V2 + V1 V2, S1 = mu2^2 V1 / V, ST1 = (mu2^2 V1 + V1 V2) / V.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost import report, sensitivity
from enforcecost.sensitivity import METHODS, Output, as_function, morris, sobol, tornado

LOW1, HIGH1 = 20.0, 80.0
LOW2, HIGH2 = 100_000.0, 180_000.0
YEARS = 10
REAL = Output(perspective="federal", basis="real")


def _product_scenario(baseline: ec.Scenario | None = None) -> ec.Scenario:
    base = ec.Scenario(name="VOICE only", provisions=("victims_office",), dollar_year=2020,
                       years=YEARS).fixed()
    return base.replace(
        parameters={
            "voice_staff": {"dist": "uniform", "low": LOW1, "high": HIGH1},
            "voice_cost_per_fte": {"dist": "uniform", "low": LOW2, "high": HIGH2},
        },
        baseline=baseline,
    )


def _analytic() -> dict[str, float]:
    m1, m2 = (LOW1 + HIGH1) / 2, (LOW2 + HIGH2) / 2
    v1, v2 = (HIGH1 - LOW1) ** 2 / 12, (HIGH2 - LOW2) ** 2 / 12
    var = m2**2 * v1 + m1**2 * v2 + v1 * v2
    return {
        "S1_staff": m2**2 * v1 / var,
        "S1_cost": m1**2 * v2 / var,
        "ST_staff": (m2**2 * v1 + v1 * v2) / var,
        "ST_cost": (m1**2 * v2 + v1 * v2) / var,
    }


def test_as_function_is_the_model() -> None:
    func, dists, names = as_function(_product_scenario(), REAL)
    assert names == ["voice_staff", "voice_cost_per_fte"]
    x = np.array([[30.0, 120_000.0], [80.0, 100_000.0]])
    np.testing.assert_allclose(func(x), YEARS * x[:, 0] * x[:, 1], rtol=1e-12)
    assert dists[0].ppf(1.0) == pytest.approx(HIGH1)
    with pytest.raises(ValueError, match="must have 2 columns"):
        func(np.ones((1, 3)))


def test_tornado_swings_are_the_analytic_ones() -> None:
    res = tornado(_product_scenario(), REAL)
    m1, m2 = (LOW1 + HIGH1) / 2, (LOW2 + HIGH2) / 2
    assert res.base == pytest.approx(YEARS * m1 * m2)
    frame = res.to_frame()
    assert list(frame.index) == ["voice_staff", "voice_cost_per_fte"]  # sorted by swing
    assert frame.loc["voice_staff", "swing"] == pytest.approx(YEARS * (HIGH1 - LOW1) * m2)
    assert frame.loc["voice_cost_per_fte", "low_output"] == pytest.approx(YEARS * m1 * LOW2)
    assert frame.loc["voice_staff", "source_kind"] == "assumption"


def test_tornado_moves_policy_and_baseline_to_the_same_quantile() -> None:
    baseline = ec.Scenario(name="base", provisions=("victims_office",), dollar_year=2020,
                           years=YEARS).fixed().replace(
        parameters={"voice_staff": {"dist": "uniform", "low": 0.0, "high": 10.0}}
    )
    res = tornado(_product_scenario(baseline), REAL).to_frame()
    m2 = (LOW2 + HIGH2) / 2
    base_cost = ec.registry()["voice_cost_per_fte"].value  # fixed in the baseline
    # at the high end both sides sit at their maximum: 80 vs 10 staff
    assert res.loc["voice_staff", "high_output"] == pytest.approx(
        YEARS * (80 * m2 - 10 * base_cost)
    )
    assert res.loc["voice_staff", "low_output"] == pytest.approx(YEARS * 20 * m2)


def test_sobol_matches_the_analytic_product_indices() -> None:
    res = sobol(_product_scenario(), REAL, n=2048, replicates=16, seed=7)
    frame = res.to_frame()
    truth = _analytic()
    for col, name, key in [
        ("S1", "voice_staff", "S1_staff"),
        ("S1", "voice_cost_per_fte", "S1_cost"),
        ("ST", "voice_staff", "ST_staff"),
        ("ST", "voice_cost_per_fte", "ST_cost"),
    ]:
        est, lo, hi = frame.loc[name, [col, f"{col}_low", f"{col}_high"]]
        half = (hi - lo) / 2
        assert abs(est - truth[key]) <= max(3 * half, 0.01), (name, col, est, truth[key])
    assert res.top(1) == ["voice_staff"]
    # grouped by source kind: voice_staff is the only assumption
    by_kind = res.by_source_kind()
    assert by_kind.loc["assumption", "S1"] == pytest.approx(truth["S1_staff"], abs=0.03)
    assert by_kind.loc["published", "ST"] == pytest.approx(truth["ST_cost"], abs=0.03)


def test_morris_ranks_the_inputs_and_sees_the_interaction() -> None:
    res = morris(_product_scenario(), REAL, trajectories=40, seed=3).to_frame()
    assert list(res.index[:2]) == ["voice_staff", "voice_cost_per_fte"]
    assert (res["sigma"] > 0).all()  # the product is not additive
    again = morris(_product_scenario(), REAL, trajectories=40, seed=3).to_frame()
    np.testing.assert_array_equal(res["mu_star"], again["mu_star"])


def test_output_choices_and_errors() -> None:
    sc = _product_scenario()
    one_year = tornado(sc, Output(basis="real", years=(2018,))).base
    assert one_year == pytest.approx(50 * 140_000.0)
    assert "FY2018" in Output(years=(2018,)).label(sc)
    with pytest.raises(ValueError, match="'perspective' must be one of"):
        tornado(sc, "budget")
    with pytest.raises(ValueError, match="no uncertain inputs"):
        tornado(ec.Scenario(name="fixed").fixed())


# -- the method table ----------------------------------------------------------------------
def test_method_table_lists_the_studies_and_their_defaults() -> None:
    assert list(METHODS) == ["tornado", "morris", "sobol"]
    assert [m.study for m in METHODS.values()] == [tornado, morris, sobol]
    for method in METHODS.values():
        params = inspect.signature(method.study).parameters
        for name, default in method.options.items():  # the signature is the one source
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
            assert default == params[name].default
        assert hasattr(report, method.table)
    assert METHODS["sobol"].options["replicates"] == 16
    assert dict(METHODS["sobol"].options) == {"n": 4096, "replicates": 16, "seed": None,
                                              "by_source": True}
    assert METHODS["morris"].options["trajectories"] == 20
    assert METHODS["tornado"].options == {}
    sobol_indices_default = inspect.signature(sensitivity.sobol_indices).parameters["replicates"]
    assert sobol_indices_default.default == METHODS["sobol"].options["replicates"]


def test_method_table_charts_are_named_without_loading_matplotlib() -> None:
    code = ("import sys, enforcecost.sensitivity as s; s.METHODS['sobol'].planned_runs; "
            "assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
    plot = pytest.importorskip("enforcecost.plot")
    for method in METHODS.values():
        assert callable(getattr(plot, method.chart))


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("tornado", {}),
        ("morris", {"trajectories": 3, "seed": 1}),
        ("sobol", {"n": 64, "replicates": 4, "seed": 2}),
        ("sobol", {"n": 32, "seed": None, "by_source": False}),
    ],
)
def test_planned_runs_are_the_runs_made(name: str, options: dict[str, object]) -> None:
    method = METHODS[name]
    sc = _product_scenario()
    counted: list[int] = []
    res = method.run(sc, REAL, progress=counted.append, **options)
    assert method.planned_runs(sc, **options) == method.runs(res) == sum(counted)
    frames = method.frames(res)
    assert all(isinstance(frame, pd.DataFrame) for frame in frames.values())
    assert next(iter(frames)) == name
    assert isinstance(getattr(report, method.table)(res, top=2), str)
    assert all(": " in line for line in method.details(res))


def test_planned_runs_count_the_groups_of_each_design() -> None:
    """eo13768: d + 2 blocks and one per group of two or more inputs, per grouping."""
    sc = ec.load_scenario("eo13768")
    d = len(ec.model.uncertain_inputs(sc))
    meta = pd.DataFrame([ec.registry()[n].__dict__ for n in ec.model.uncertain_inputs(sc)])
    groups = [int((meta[attr].value_counts() >= 2).sum()) for attr in ("provision", "source_kind")]
    assert METHODS["tornado"].planned_runs(sc) == 2 * d + 1
    assert METHODS["morris"].planned_runs(sc, trajectories=None) == 20 * (d + 1)
    assert METHODS["sobol"].planned_runs(sc, n=256) == sum(256 * (d + 2 + g) for g in groups)
    assert METHODS["sobol"].planned_runs(sc, n=256, by_source=False) == 256 * (d + 2 + groups[0])


def test_method_options_problems_and_errors() -> None:
    sobol_m, morris_m = METHODS["sobol"], METHODS["morris"]
    assert sobol_m.problems(n=None, seed=None) == {}
    assert sobol_m.problems(n=100) == {
        "n": "must be 16 times a power of 2, at least 32 (e.g. 256, 1024, 4096)"
    }
    assert sobol_m.problems(n=24, replicates=4) == {
        "n": "must be 4 times a power of 2, at least 8 (e.g. 64, 256, 1024)"
    }
    assert morris_m.problems(trajectories=1, levels=3, seed=-1) == {
        "trajectories": "must be a whole number >= 2",
        "levels": "must be an even whole number >= 2",
        "seed": "must be a whole number >= 0",
    }
    with pytest.raises(ValueError, match=r"^'n' must be 16 times a power of 2.*: 100$"):
        sobol_m.planned_runs(_product_scenario(), n=100)
    with pytest.raises(TypeError, match="method 'morris' has no option 'n'"):
        morris_m.problems(n=64)
    with pytest.raises(ValueError, match="'trajectories' must be a whole number >= 2: 1"):
        morris_m.run(_product_scenario(), REAL, trajectories=1)
