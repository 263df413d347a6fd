"""The research agenda: the assumptions ranked by their Sobol' share of the variance, as the
API (``ec.research_agenda``), the command (``enforcecost params --rank``) and the report's
headline give it."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.cli import main
from enforcecost.report import AGENDA_N, agenda_shares, perspectives_with_lines, render_agenda
from enforcecost.sensitivity import AGENDA_COLUMNS, agenda_runs

N, SEED = 256, 5


@pytest.fixture(scope="module")
def scenario() -> ec.Scenario:
    return ec.load_scenario("eo13768")


@pytest.fixture(scope="module")
def agenda(scenario: ec.Scenario) -> ec.sensitivity.ResearchAgenda:
    return ec.research_agenda(scenario, n=N, seed=SEED)


# -- the ranking is the Sobol' result, sorted --------------------------------------------------
@pytest.mark.parametrize("perspective", ["federal", "economy"])
def test_ranking_is_the_sobol_result_sorted(
    scenario: ec.Scenario, agenda: ec.sensitivity.ResearchAgenda, perspective: str
) -> None:
    """Same design (n, seed, replicates) as ``ec.sobol``: the same per-input indices, and the
    agenda lists exactly the assumption inputs in decreasing ST."""
    study = ec.sobol(scenario, perspective, n=N, seed=SEED, by_source=True)
    indices = study.to_frame()
    want = indices[indices["source_kind"] == "assumption"].sort_values(
        "ST", ascending=False, kind="stable")
    got = agenda.to_frame()
    got = got[got["perspective"] == perspective]
    assert list(got["parameter"]) == list(want.index)
    assert list(got["rank"]) == list(range(1, len(want) + 1))
    np.testing.assert_allclose(got["ST"], want["ST"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got["ST_low"], want["ST_low"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got["S1"], want["S1"], rtol=1e-9, atol=1e-12)
    assert got["ST"].is_monotonic_decreasing
    # the share resting on assumptions is the source-kind group of the same study
    st, low, high = agenda.share(perspective)
    group = study.by_source_kind().loc["assumption"]
    assert (st, low, high) == pytest.approx(
        (group["ST"], group["ST_low"], group["ST_high"]), rel=1e-9)
    # and the study's own method gives the same table
    pd.testing.assert_frame_equal(study.agenda().reset_index(drop=True),
                                  got.reset_index(drop=True), rtol=1e-9)


def test_rows_carry_the_sampled_range_and_the_citation(
    scenario: ec.Scenario, agenda: ec.sensitivity.ResearchAgenda
) -> None:
    frame = agenda.to_frame()
    assert tuple(frame.columns) == AGENDA_COLUMNS
    assert set(frame["perspective"]) == {"federal", "state_local", "government", "economy"}
    assert (frame["source_kind"] == "assumption").all()
    reg = ec.registry()
    settings = scenario.settings()
    for _, row in frame.iterrows():
        p = reg[row["parameter"]]
        assert row["citation"] == p.citation
        assert row["unit"] == p.unit
        s = settings[row["parameter"]]
        if s.dist is None:  # uncertain in the baseline only
            assert scenario.baseline is not None
            s = scenario.baseline.settings()[row["parameter"]]
        assert s.dist is not None
        assert (row["low"], row["high"]) == s.dist.range
        assert row["value"] == s.value
    # an input the scenario leaves to the registry samples the registry's range
    from_registry = frame[frame["set_in"] == "registry"]
    assert not from_registry.empty
    for _, row in from_registry.iterrows():
        spec = reg[row["parameter"]].uncertainty
        assert spec is not None
        assert (row["low"], row["high"]) == spec.range


def test_other_source_kinds_can_be_ranked(scenario: ec.Scenario) -> None:
    got = ec.research_agenda(scenario, "federal", n=32, seed=1, kinds=("published", "derived"))
    frame = got.to_frame()
    assert set(frame["source_kind"]) == {"published", "derived"}
    assert frame["ST"].is_monotonic_decreasing
    assert got.perspectives == ("federal",)


def test_runs_are_counted_and_one_design_serves_every_perspective(
    scenario: ec.Scenario, agenda: ec.sensitivity.ResearchAgenda
) -> None:
    d = len(ec.model.uncertain_inputs(scenario))
    kinds = {ec.registry()[n].source_kind for n in ec.model.uncertain_inputs(scenario)}
    # A, B, one block per input and one per source kind of two or more inputs
    assert agenda.evaluations == agenda_runs(scenario, N) == N * (d + 2 + len(kinds))
    assert agenda.n == N
    assert agenda.seed == SEED


def test_an_output_that_does_not_vary_has_no_ranking() -> None:
    """Hiring alone books nothing for state and local governments: NaN share, no rows."""
    sc = ec.Scenario(name="hiring only", provisions=("hiring",))
    got = ec.research_agenda(sc, ["federal", "state_local"], n=32, seed=2)
    assert set(got.to_frame()["perspective"]) == {"federal"}
    assert all(math.isnan(x) for x in got.share("state_local"))
    first = got.to_frame().iloc[0]
    assert first["provision"] == "hiring"  # the only lines booked: other inputs do nothing
    assert first["ST"] > 0
    assert agenda_shares(got)[0].startswith("Federal: ")
    assert len(agenda_shares(got)) == 1
    assert "does not vary" in render_agenda(got)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"perspectives": "nation"}, "'perspectives' must be distinct perspectives"),
        ({"perspectives": ["federal", "federal"]}, "'perspectives' must be distinct"),
        ({"kinds": ("rumour",)}, "'kinds' must name source kinds"),
        ({"kinds": ()}, "'kinds' must name source kinds"),
        ({"basis": "gold"}, "'basis' must be one of"),
        ({"n": 100}, "'n'"),
    ],
)
def test_bad_arguments_say_which_and_why(
    scenario: ec.Scenario, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ec.research_agenda(scenario, **{"n": 32, "seed": 1, **kwargs})  # type: ignore[arg-type]


def test_share_of_an_unanalysed_perspective_is_an_error(
    agenda: ec.sensitivity.ResearchAgenda,
) -> None:
    one = ec.research_agenda(ec.load_scenario("eo13768"), "federal", n=32, seed=1)
    with pytest.raises(KeyError, match="'economy' was not analysed"):
        one.share("economy")
    assert agenda.share("federal", "derived")[0] >= 0


# -- the text ----------------------------------------------------------------------------------
def test_render_fits_80_columns_and_shows_the_top(agenda: ec.sensitivity.ResearchAgenda) -> None:
    text = render_agenda(agenda, top=3, width=80)
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    frame = agenda.to_frame()
    for p in agenda.perspectives:
        assert agenda.labels[p] in lines
        first = frame[(frame["perspective"] == p) & (frame["rank"] == 1)].iloc[0]
        assert any(ln.split()[:3] == ["1", first["parameter"], f"{first['ST']:.3f}"]
                   for ln in lines)
    assert text.count("... and ") == 4  # each perspective has more than 3 assumptions


# -- the command -------------------------------------------------------------------------------
def test_command_prints_the_ranking_and_exits_0(
    capsys: pytest.CaptureFixture[str], scenario: ec.Scenario
) -> None:
    assert main(["params", "--rank", "eo13768", "--n", "64", "--seed", "3",
                 "--perspective", "federal", "--top", "4"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    want = ec.research_agenda(scenario, "federal", n=64, seed=3).to_frame()
    rows = [ln.split() for ln in lines if ln[:4].strip().isdigit()]
    assert [r[1] for r in rows] == list(want["parameter"][:4])
    assert [r[2] for r in rows] == [f"{x:.3f}" for x in want["ST"][:4]]
    assert "seed 3" in text
    assert "64 base points" in text
    assert "state_local net" not in text


def test_command_writes_every_row_as_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: ec.Scenario
) -> None:
    target = tmp_path / "agenda.csv"
    assert main(["params", "--rank", "eo13768", "--n", "32", "--csv", str(target)]) == 0
    back = pd.read_csv(target)
    want = ec.research_agenda(scenario, perspectives_with_lines(ec.evaluate(scenario)), n=32,
                              seed=scenario.run.seed).to_frame()
    assert list(back.columns) == list(AGENDA_COLUMNS)
    assert list(back["parameter"]) == list(want["parameter"])
    np.testing.assert_allclose(back["ST"], want["ST"], rtol=1e-12)
    assert "wrote the ranking of" in capsys.readouterr().err


def test_command_provision_filter_keeps_the_ranks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--rank", "eo13768", "--n", "32", "--seed", "1", "--provision",
                 "hiring", "--perspective", "federal", "--csv", "-"]) == 0
    back = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(back["provision"]) == {"hiring"}
    full = ec.research_agenda(ec.load_scenario("eo13768"), "federal", n=32, seed=1).to_frame()
    want = full[full["provision"] == "hiring"]
    assert list(back["rank"]) == list(want["rank"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--n", "64"], "--n: applies to --rank SCENARIO only"),
        (["--top", "3", "--seed", "1"], "--seed: applies to --rank SCENARIO only"),
        (["--rank", "eo13768", "--n", "100"], "--n 100: must be 16 times a power of 2"),
        (["--rank", "eo13768", "--seed", "-1"], "--seed -1: must be a whole number >= 0"),
        (["--rank", "eo13768", "--top", "0"], "--top 0: must be a whole number >= 1"),
        (["--rank", "eo13768", "--workers", "0"], "--workers 0: must be a whole number >= 1"),
        (["--rank", "eo13768", "--perspective", "federal", "--perspective", "federal"],
         "--perspective federal federal: names a perspective twice"),
        (["--rank", "no_such_scenario"], "no_such_scenario: file not found"),
        (["--rank", "eo13768", "--perspective", "nation"], "invalid choice: 'nation'"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["params", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_perspective_the_scenario_does_not_book_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hiring.toml"
    path.write_text('[scenario]\nname = "hiring only"\nprovisions = ["hiring"]\n')
    assert main(["params", "--rank", str(path), "--perspective", "economy"]) == 2
    err = capsys.readouterr().err
    assert "--perspective economy: the scenario books no economy lines" in err
    assert "nothing was ranked" in err


def test_a_scenario_without_uncertain_inputs_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every uncertain input fixed at its registry value: nothing to rank."""
    reg = ec.registry()
    names = ec.model.uncertain_inputs(ec.Scenario(name="x", provisions=("reporting",)))
    path = tmp_path / "fixed.toml"
    path.write_text('[scenario]\nname = "fixed"\nprovisions = ["reporting"]\n[parameters]\n'
                    + "".join(f"{n} = {reg[n].value!r}\n" for n in names))
    assert not ec.load_scenario(path).uncertain()
    assert main(["params", "--rank", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"--rank {path}: the scenario has no uncertain inputs to rank" in err


# -- the report's headline ---------------------------------------------------------------------
def test_report_headline_states_the_share_resting_on_assumptions(tmp_path: Path) -> None:
    from enforcecost.report import write_report

    sc = ec.load_scenario("eo13768")
    res = ec.evaluate(sc)
    files = write_report(res, tmp_path, seed=7, command="test")
    md = files["report.md"].read_text()
    headline = md.split("## Headline", 1)[1].split("\n## ", 1)[0]
    want = ec.research_agenda(sc, perspectives_with_lines(res), n=AGENDA_N, seed=7)
    assert (f"Share of the variance resting on assumptions (Sobol' total index of the inputs "
            f"labelled assumption, together; {AGENDA_N:,} base points, seed 7):") in headline
    for phrase in agenda_shares(want):
        assert f"- {phrase}" in headline
    st = want.share("federal")[0]
    assert f"- Federal: {min(st, 1.0):.0%} (95% interval" in headline
    top = want.to_frame().iloc[0]
    assert f"First to source: {top['parameter']}" in headline
    assert "`enforcecost params --rank eo13768`" in headline
