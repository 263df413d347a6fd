"""Up-front limits of a run (draws, memory, correlations, extends depth) and the ledger's
magnitudes: every limit is a ScenarioError (exit 2) naming file, key, rule and value,
before any work starts; non-finite or out-of-range amounts never reach a result."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import enforcecost as ec
from enforcecost import RunConfig, Scenario, ScenarioError, model
from enforcecost.reduce import EXACT_LIMIT, GROUP, VALUE_LIMIT
from enforcecost.scenario import MAX_DEPTH, MAX_DRAWS

WriteToml = Callable[..., Path]
RULE = r"must be finite and below 2\*\*84 = 1\.93e\+25 dollars"


@pytest.fixture(scope="module")
def eo() -> ec.Scenario:
    return ec.load_scenario("eo13768")


# -- draws -----------------------------------------------------------------------------------
def test_draws_beyond_the_maximum_are_refused_before_any_work() -> None:
    assert MAX_DRAWS == 2**30
    with pytest.raises(ScenarioError, match=r"<code>: \[run\] draws: must be a whole number "
                       r"from 1 to 1,073,741,824 .*got 1000000000000"):
        Scenario(name="x", run=RunConfig(draws=10**12))
    sc = Scenario(name="x")
    with pytest.raises(ScenarioError, match=r"<code>: draws: must be at most 1,073,741,824 "
                       r"\(2\*\*30, the most points the Sobol' design can make\), "
                       r"got 1000000000000"):
        ec.simulate(sc, draws=10**12)
    with pytest.raises(ScenarioError, match=r"got 1073741825"):
        ec.simulate(sc, draws=MAX_DRAWS + 1)


def test_blocks_are_made_lazily() -> None:
    blocks = model._simulate._blocks(10**12, 1 << 15)
    assert isinstance(blocks, Iterator)
    assert next(blocks) == (0, 1 << 15)
    assert list(model._simulate._blocks(600, 256)) == [(0, 256), (256, 512), (512, 600)]


# -- memory ------------------------------------------------------------------------------------
def test_memory_estimate_beyond_what_is_available_stops_the_run(
    eo: ec.Scenario, monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = ec.simulate(eo, draws=512, seed=3, block_size=256)
    monkeypatch.setattr(model._limits, "available_memory", lambda: 1 << 20)
    with pytest.raises(ScenarioError, match=r"eo13768\.toml: draws: a run of 512 draws needs an "
                       r"estimated .* GiB \(.* MiB kept on the client \(lines detail of 512 draws "
                       r"x 10 years\).*\), more than the 0\.0 GiB of memory available; .*"
                       r"force=True \(the CLI's --force\)"):
        ec.simulate(eo, draws=512, seed=3, block_size=256)
    # force starts it anyway; the check never changes a result
    forced = ec.simulate(eo, draws=512, seed=3, block_size=256, force=True)
    for p in ("federal", "government"):
        np.testing.assert_array_equal(forced.total(p), expected.total(p))


def test_memory_estimate_grows_with_draws_years_and_tasks(eo: ec.Scenario) -> None:
    small = model.plan_simulation(eo, 1000, 1, "sobol", detail="lines")
    large = model.plan_simulation(eo, 100_000, 1, "sobol", detail="lines")
    a, _ = model.memory_estimate(small, 4096)
    b, text = model.memory_estimate(large, 4096)
    kept = sum(len(k) for k in large.kept) + 2
    assert b >= kept * 100_000 * 10 * 8 > a
    assert model.memory_estimate(large, 4096, tasks=4)[0] > b
    assert "kept on the client (lines detail of 100,000 draws x 10 years)" in text
    lhs = model.plan_simulation(eo, 100_000, 1, "lhs", detail="lines")
    assert model.memory_estimate(lhs, 4096)[0] >= b + 8 * 100_000  # the LHS permutation
    assert model.available_memory() is None or model.available_memory() > 0


# -- correlations ------------------------------------------------------------------------------
def test_correlations_need_more_draws_than_inputs(write_toml: WriteToml) -> None:
    corr = ('[[correlation]]\ninputs = ["bed_day_cost", "attrition_rate"]\nrank = 0.5\n')
    path = write_toml('[scenario]\nname = "c"\n[run]\ndraws = 2\n' + corr)
    with pytest.raises(ScenarioError, match=r"s\.toml: \[run\] draws: the rank correlations "
                       r"\(\[\[correlation\]\]\) relate 2 inputs; a Monte Carlo run needs more "
                       r"draws than that: at least 3 \(or 1, central values only\), got 2"):
        ec.load_scenario(path)
    sc = ec.load_scenario(write_toml('[scenario]\nname = "c"\n[run]\ndraws = 64\n' + corr))
    with pytest.raises(ScenarioError, match=r"draws: the rank correlations .* at least 3 .*got 2"):
        ec.simulate(sc, draws=2)
    with pytest.raises(ScenarioError, match=r"draws: .* needs at least 3 draws .*evaluate\(\).*"
                       r"got 1"):
        ec.simulate(sc, draws=1)
    assert ec.simulate(sc, draws=3).total("federal").shape == (3,)


# -- extends and baseline chains ---------------------------------------------------------------
def _chain(root: Path, n: int, key: str) -> Path:
    for i in range(n):
        ref = f'{key} = "f{i + 1}.toml"\n' if i < n - 1 else ""
        (root / f"f{i}.toml").write_text(f'[scenario]\nname = "f{i}"\n{ref}', encoding="utf-8")
    return root / "f0.toml"


def test_a_long_extends_chain_is_a_problem_naming_its_first_files(tmp_path: Path) -> None:
    first = _chain(tmp_path, 980, "extends")  # beyond the recursion limit before
    with pytest.raises(ScenarioError) as info:
        ec.load_scenario(first)
    [problem] = info.value.problems
    assert problem.file == str(first.resolve())
    assert problem.key == "[scenario] extends"
    assert problem.rule == (
        f"the chain of files through 'extends' is longer than {MAX_DEPTH} files, the most "
        f"allowed; it starts {first.resolve()} -> {tmp_path.resolve() / 'f1.toml'} -> "
        f"{tmp_path.resolve() / 'f2.toml'} -> ..."
    )


def test_extends_chains_of_up_to_max_depth_files_load(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "long").mkdir()
    assert ec.load_scenario(_chain(tmp_path / "ok", MAX_DEPTH, "extends")).name == "f0"
    with pytest.raises(ScenarioError, match=rf"longer than {MAX_DEPTH} files"):
        ec.load_scenario(_chain(tmp_path / "long", MAX_DEPTH + 1, "extends"))


def test_a_long_baseline_chain_is_a_problem(tmp_path: Path) -> None:
    first = _chain(tmp_path, MAX_DEPTH + 1, "baseline")
    with pytest.raises(ScenarioError, match=rf"f0\.toml: \[scenario\] baseline: the chain of "
                       rf"baselines .* is longer than {MAX_DEPTH} files, the most allowed; it "
                       rf"starts .*f0\.toml -> .*f1\.toml -> .*f2\.toml -> \.\.\."):
        ec.load_scenario(first)


# -- magnitudes -------------------------------------------------------------------------------
def test_value_limit_is_derived_from_the_exact_sum_limit() -> None:
    assert EXACT_LIMIT == 2.0**93
    assert VALUE_LIMIT == EXACT_LIMIT / GROUP / 2 == 2.0**84
    assert model.TOTAL_LIMIT**2 == VALUE_LIMIT


@pytest.mark.parametrize(
    ("spec", "rule"),
    [
        ("1e308", r"at the central values, ledger line removals / detention \(federal\) reaches "
                  r"inf real dollars in FY2017; removals reads .*bed_day_cost"),
        ('{ dist = "lognormal", ci90 = [1, 1e200] }',
         r"at the central values, ledger line removals / detention \(federal\) reaches "
         r"1\.25e\+107 real dollars"),
        # defect 12: group sums beyond 2**93, which would depend on the block size
        ('{ dist = "uniform", low = 1e20, high = 3e20 }',
         r"at the central values, ledger line removals / detention \(federal\) reaches "
         r"2\.51e\+27 real dollars"),
        ('{ dist = "lognormal", ci90 = [100, 1e10] }',
         r"at 9\.20819e\+25, the high end of what a design draws from it \(quantile 2\*\*-53\), "
         r"ledger line removals / detention \(federal\) reaches"),
    ],
)
def test_inputs_that_take_a_line_out_of_range_are_rejected_when_loaded(
    write_toml: WriteToml, spec: str, rule: str,
) -> None:
    path = write_toml(f'[scenario]\nname = "big"\n[parameters]\nbed_day_cost = {spec}\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no raw numpy RuntimeWarning
        with pytest.raises(ScenarioError, match=rf"s\.toml: \[parameters\] bed_day_cost: "
                           rf"{rule}.*{RULE}"):
            ec.load_scenario(path)


def test_a_nominal_overflow_names_the_input_and_the_values_it_meets(write_toml: WriteToml) -> None:
    # 50% inflation a year to FY2100: price levels of 2e13 times 2017's (the bed-day rate
    # also grows 1.37% a year in real terms, so the line passes the limit in FY2076)
    text = '[scenario]\nname = "x"\nyears = 84\n[parameters]\ninflation_projection = 0.5\n'
    with pytest.raises(ScenarioError, match=r"s\.toml: \[parameters\] bed_day_cost, "
                       r"inflation_projection: at the central values, ledger line removals / "
                       r"detention \(federal\) reaches 2\.78e\+25 nominal dollars in FY2076"):
        ec.load_scenario(write_toml(text + "bed_day_cost = 1e9\n"))
    assert ec.load_scenario(write_toml(text + "bed_day_cost = 1e4\n")).name == "x"


def test_the_api_raises_the_same_error_for_a_scenario_built_in_code() -> None:
    sc = Scenario(name="big", parameters={"bed_day_cost": 1e308})
    for run in (ec.evaluate, lambda s: ec.simulate(s, draws=256)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ValueError, match=r"<code>: \[parameters\] bed_day_cost: at the "
                               r"central values, .* reaches inf real dollars") as info:
                run(sc)
        assert isinstance(info.value, ScenarioError)


def test_a_block_meeting_an_out_of_range_amount_stops_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sc = Scenario(name="big", parameters={
        "bed_day_cost": {"dist": "uniform", "low": 100, "high": 1e308}})
    monkeypatch.setattr(model._limits, "magnitude_problems", lambda s: [])  # the backstop alone
    messages = set()
    for block_size in (256, 512):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ScenarioError) as info:
                ec.simulate(sc, draws=1024, seed=1, block_size=block_size)
        [problem] = info.value.problems
        assert problem.key.startswith("[parameters] bed_day_cost")
        messages.add(str(info.value))
    [message] = messages  # the same first draw, whatever the block size
    assert "in draw 0 of 1,024 (seed 1, sobol), ledger line removals / detention" in message
    assert "removals reads" in message


def test_a_summary_total_beyond_the_exact_range_stops_the_run(
    eo: ec.Scenario, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(model._overflow, "TOTAL_LIMIT", 1.0)  # stands for a total of 2**42 dollars
    with pytest.raises(ScenarioError, match=r"eo13768\.toml: \[run\] draws: in draw \d+ of 512 "
                       r"\(seed 1, sobol\), the \w+ \w+ total over \d+ years is .* dollars from "
                       r"its central value; a reduction-only run .* only below 2\*\*42"):
        ec.simulate(eo, draws=512, seed=1, detail="summary")
