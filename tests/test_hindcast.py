"""The hindcast: EO 13768 as implemented against what ICE and EOIR published (issue #12)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.cli import main
from enforcecost.hindcasting import COMPARISONS

SHIPPED = "hindcast/eo13768_as_implemented"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def small() -> ec.Hindcast:
    return ec.hindcast(SHIPPED, draws=512)


def test_the_shipped_scenario_is_a_marked_past_with_a_baseline() -> None:
    sc = ec.load_scenario(SHIPPED)
    assert sc.hindcast
    assert (sc.start_year, sc.years) == (2017, 3)
    assert sc.baseline is not None
    assert not sc.baseline.hindcast
    assert not ec.load_scenario("eo13768").hindcast


def test_table_sets_each_published_value_beside_the_model(small: ec.Hindcast) -> None:
    t = small.table
    actual = ec.series(role="actual")
    for c in COMPARISONS:
        rows = t[t["quantity"] == c.quantity]
        pub = actual[(actual["series"] == c.series) & actual["fiscal_year"].between(2017, 2019)]
        assert list(rows["fiscal_year"]) == list(pub["fiscal_year"]), c.quantity
        np.testing.assert_array_equal(rows["actual"], pub["value"])
    arrests = t[t["quantity"] == "arrests"].set_index("fiscal_year")
    assert arrests.loc[2017, "actual"] == 143_470  # ICE ERO, DHS Yearbook Table 35
    assert set(t[t["quantity"] == "removals"]["fiscal_year"]) == {2017, 2018}
    assert (t["p5"] <= t["mean"]).all()
    assert (t["mean"] <= t["p95"]).all()
    np.testing.assert_allclose(t["error"], t["mean"] / t["actual"] - 1)
    assert list(t["in_band"]) == [lo <= a <= hi for lo, a, hi in
                                  zip(t["p5"], t["actual"], t["p95"], strict=True)]
    targets = t.dropna(subset=["tolerance"])
    assert list(targets["within"]) == list(targets["error"].abs() <= targets["tolerance"])
    assert t.loc[t["tolerance"].isna(), "within"].isna().all()


def test_model_means_are_those_of_the_run_on_the_same_draws(small: ec.Hindcast) -> None:
    """The rows ``enforcecost run`` draws: per draw the same bits (the totals are equal);
    the run's means are exact sums of group sums rounded to 2**-10 (reduce/), the
    hindcast's a float mean, so they agree to ~1e-12 relative, here checked to 1e-9."""
    res = ec.simulate(ec.load_scenario(SHIPPED), draws=512)
    pipe, base = res.pipeline(), res.pipeline("baseline")
    for r in small.table.itertuples(index=False):
        assert r.mean == pytest.approx(pipe.loc[r.fiscal_year, r.quantity], rel=1e-9)
        assert r.baseline_mean == pytest.approx(base.loc[r.fiscal_year, r.quantity], rel=1e-9)


def test_same_seed_same_bits_and_the_seed_matters(small: ec.Hindcast) -> None:
    again = ec.hindcast(SHIPPED, draws=512)
    pd.testing.assert_frame_equal(small.table, again.table)
    other = ec.hindcast(SHIPPED, draws=512, seed=1)
    assert not np.array_equal(other.table["mean"], small.table["mean"])


def test_published_outcomes_never_reach_the_model(
    small: ec.Hindcast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Published values changed tenfold: the comparison changes, the model does not."""
    compare = importlib.import_module("enforcecost.hindcasting._compare")

    real = compare.series

    def tenfold(role: str | None = None, name: str | None = None) -> pd.DataFrame:
        frame = real(role=role, name=name)
        return frame.assign(value=frame["value"] * 10)

    monkeypatch.setattr(compare, "series", tenfold)
    changed = ec.hindcast(SHIPPED, draws=512)
    for col in ("mean", "p5", "p95", "baseline_mean"):
        np.testing.assert_array_equal(changed.table[col], small.table[col])
    np.testing.assert_array_equal(changed.table["actual"], small.table["actual"] * 10)


def test_summary_states_each_target(small: ec.Hindcast) -> None:
    s = small.summary()
    assert list(s.index) == [c.quantity for c in COMPARISONS]
    assert s.loc["court_backlog", "rising"] in (True, False)
    for c in COMPARISONS:
        rows = small.table[small.table["quantity"] == c.quantity]
        if c.tolerance is None:
            assert s.loc[c.quantity, "met"] is pd.NA
        else:
            ok = bool((rows["error"].abs() <= c.tolerance).all())
            if c.rising:
                ok = ok and bool(np.all(np.diff(rows["mean"]) > 0))
            assert s.loc[c.quantity, "met"] == ok
        worst = rows["error"].abs().max()
        assert abs(s.loc[c.quantity, "worst_error"]) == worst


def test_a_window_without_published_years_is_a_clear_error() -> None:
    sc = ec.Scenario(name="future", start_year=2040, years=3)
    with pytest.raises(ec.ScenarioError, match="has no year with a published outcome"):
        ec.hindcast(sc, draws=16)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"draws": 1}, "'draws' must be a whole number >= 2"),
    ({"draws": 2.5}, "'draws' must be a whole number >= 2"),
    ({"sampler": "grid"}, "'sampler' must be one of sobol, lhs, random"),
])
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ec.hindcast(SHIPPED, **kwargs)  # type: ignore[arg-type]


# -- the command ------------------------------------------------------------------------------

def test_command_prints_the_table_and_writes_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hc"
    assert main(["hindcast", SHIPPED, "--draws", "256", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "143,470" in text
    assert "1,087,201" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert re.search(r"^2017 +143,470 ", text, re.MULTILINE)
    assert {p.name for p in out.iterdir()} >= {"hindcast.csv", "hindcast.png", "hindcast.svg"}
    table = pd.read_csv(out / "hindcast.csv")
    assert len(table) == len(ec.hindcast(SHIPPED, draws=256).table)


def test_command_without_a_scenario_covers_both_eras(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default runs the 2017 and the 2025 hindcasts: one table, a chart for each."""
    out = tmp_path / "hc"
    assert main(["hindcast", "--draws", "64", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "FY2017-FY2019" in text
    assert "FY2025-FY2026" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    # FY2025 detention: ICE's published average daily population, as read in the table
    assert re.search(r"^2025 +48,404 ", text, re.MULTILINE)
    # a stand-in is marked and its reading stated
    assert re.search(r"^2026~ +66,978 ", text, re.MULTILINE)
    assert "x 365/355" in text
    names = {p.name for p in out.iterdir()}
    assert {"hindcast.csv", "hindcast_eo13768_as_implemented.png",
            "hindcast_revival_as_implemented.svg"} <= names
    table = pd.read_csv(out / "hindcast.csv")
    assert set(table["scenario"]) == {
        ec.load_scenario(SHIPPED).name,
        ec.load_scenario("hindcast/revival_as_implemented").name}
    # the stand-in's value is the series times its calendar factor: 319,980 x 365 / 355
    row = table[(table["quantity"] == "removals_total") & (table["fiscal_year"] == 2025)]
    assert row["actual"].item() == pytest.approx(319_980 * 365 / 355)
    assert row["series"].item() == "ice_removals_fy2025_to_sep20_2025"


@pytest.mark.parametrize(("argv", "message"), [
    (["hindcast", "--draws", "1"], "--draws 1: must be a whole number from 2"),
    (["hindcast", "no_such_file.toml"], "no_such_file.toml"),
])
def test_command_refuses_bad_input_without_a_traceback(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_command_keeps_files_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["hindcast", "--draws", "64", "--out", str(out)]) == 2
    assert (out / "notes.txt").read_text() == "mine"
    assert "--out" in capsys.readouterr().err


def _text_block_after(heading: str) -> str:
    """The first fenced ``text`` block after ``heading`` (a whole line) in the README.

    The block must lie within the heading's section (before the next heading of the
    same or a higher level).
    """
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines.count(heading) == 1, f"README: heading {heading!r} not found once"
    start = lines.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if re.match(rf"#{{1,{level}}} ", line):
            break
        if line == "```text":
            end = lines.index("```", i + 1)
            return "\n".join(lines[i + 1:end])
    raise AssertionError(f"README: no ```text block under {heading!r}")


def test_readme_shows_the_table_as_it_comes_out() -> None:
    """The README's hindcast table is the command's output at the scenario's own draws."""
    block = _text_block_after("## Does it reproduce what happened? The hindcast")
    assert block == ec.hindcast(SHIPPED).to_text()


def test_readme_shows_the_2025_table_as_it_comes_out() -> None:
    """The README's FY2025-FY2026 table is the command's output at the scenario's own draws
    (its [run]: 4,096 draws, seed 2025), under its own heading."""
    block = _text_block_after("### The 2025 revival, FY2025\u2013FY2026")
    assert block == ec.hindcast("hindcast/revival_as_implemented").to_text()
    assert "FY2025-FY2026" in block.splitlines()[0]
