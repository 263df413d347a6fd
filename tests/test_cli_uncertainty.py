"""The command line for uncertainty: Monte Carlo runs and sensitivity studies.

Kept small on purpose (few draws, tiny designs, a two-provision scenario) so the
file runs in seconds.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost import sensitivity
from enforcecost.cli import MARKER, main
from enforcecost.cli._atomic import LISTING
from enforcecost.report import in_printed_units
from enforcecost.results import PrecisionWarning

#: `run` without the report (figures and PDF), which these tests do not check.
RUN = ["run", "--no-report"]

REPO = Path(__file__).resolve().parents[1]
EO = REPO / "src" / "enforcecost" / "data" / "scenarios" / "eo13768.toml"
KEYS = ["fiscal_year", "provision", "item", "payer", "kind"]

SMALL = """\
[scenario]
name = "Two small provisions"
provisions = ["victims_office", "reporting"]

[run]
draws = 128
seed = 5
"""


@pytest.fixture(scope="module")
def eo() -> ec.Scenario:
    return ec.load_scenario(EO)


@pytest.fixture(scope="module")
def mc(eo: ec.Scenario) -> ec.Result:
    return ec.simulate(eo, draws=256, seed=3)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _summary(res: ec.Result, basis: str, years: int | None = None) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        return res.summary(basis, years)  # type: ignore[arg-type]


def _csvs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.csv")}


def _row(text: str, title: str, span: str) -> list[str]:
    """Cells of one row of a perspective's percentile table in the printed output."""
    lines = text.splitlines()
    start = lines.index("Distribution of the net cost over 256 draws (sobol sampler, seed 3)")
    at = lines.index(title, start)
    row = next(ln for ln in lines[at:] if ln.startswith(span + " "))
    return row.split()[1:]


# -- run: Monte Carlo ------------------------------------------------------------------------
def test_run_monte_carlo_prints_percentiles_and_writes_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mc: ec.Result
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "--draws", "256", "--seed", "3"]) == 0
    text = capsys.readouterr().out
    assert ("Millions of dollars, by fiscal year, nominal (then-year) dollars; "
            "means of 256 draws (sobol sampler, seed 3)") in text
    d = out / "eo13768"
    for basis in ("nominal", "real", "pv"):
        back = pd.read_csv(d / f"percentiles_{basis}.csv", index_col=["perspective", "provision"])
        want = _summary(mc, basis)
        assert list(back.columns) == list(want.columns)
        assert "p95_se" in back.columns
        pd.testing.assert_frame_equal(back, want, check_exact=False, rtol=1e-12)
        five = pd.read_csv(d / f"percentiles_5yr_{basis}.csv",
                           index_col=["perspective", "provision"])
        pd.testing.assert_frame_equal(five, _summary(mc, basis, 5), check_exact=False,
                                      rtol=1e-12)
    # The printed percentile table: mean, p5, p50, p95 and their standard errors, $ millions.
    fed = _summary(mc, "nominal").loc[[("federal", "all")]].iloc[0] / 1e6
    cells = _row(text, "Federal budget", "2017-2026")
    stats = ["mean", "mean_se", "p5", "p5_se", "p50", "p50_se", "p95", "p95_se"]
    assert len(cells) == len(stats)
    for cell, stat in zip(cells, stats, strict=True):
        assert abs(float(cell.replace(",", "")) - fed[stat]) <= 0.5, stat
    sl5 = _summary(mc, "nominal", 5).loc[[("state_local", "all")]].iloc[0] / 1e6
    cells = _row(text, "State and local budgets", "2017-2021")
    assert abs(float(cells[0].replace(",", "")) - sl5["mean"]) <= 0.5
    # The CBO table shows means over draws.
    table = pd.read_csv(d / "table_federal_nominal.csv", index_col="provision")
    assert table.loc["Total", "2017-2026"] == pytest.approx(np.mean(mc.total("federal")) / 1e6,
                                                            rel=1e-12)
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["draws"]) == {256}


def test_run_monte_carlo_writes_mean_ledger_unless_asked(
    tmp_path: Path, mc: ec.Result
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "-q", "--draws", "256", "--seed", "3",
                 "--basis", "real"]) == 0
    ledger = pd.read_csv(out / "eo13768" / "ledger_real.csv")
    want = mc.ledger("real").groupby(KEYS, sort=False)["amount"].mean().reset_index()
    assert "draw" not in ledger.columns
    pd.testing.assert_frame_equal(ledger, want, check_exact=False, rtol=1e-9, check_dtype=False)
    manifest = (out / MARKER).read_text()
    assert "run: Monte Carlo, 256 draws (sobol sampler, seed 3)" in manifest
    assert "ledger_<basis>.csv: means over draws" in manifest

    assert main([*RUN, str(EO), "--out", str(out), "-q", "--draws", "256", "--seed", "3",
                 "--basis", "real", "--ledger-draws"]) == 0
    ledger = pd.read_csv(out / "eo13768" / "ledger_real.csv")
    assert ledger["draw"].nunique() == 256
    assert len(ledger) == len(mc.ledger("real"))
    assert "ledger_<basis>.csv: every draw" in (out / MARKER).read_text()


def test_run_same_seed_same_files_other_seed_differs(tmp_path: Path) -> None:
    args = [*RUN, str(EO), "-q", "--draws", "256", "--basis", "nominal"]
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert main([*args, "--seed", "3", "--out", str(a)]) == 0
    assert main([*args, "--seed", "3", "--out", str(b)]) == 0
    assert main([*args, "--seed", "4", "--out", str(c)]) == 0
    first = _csvs(a)
    assert "eo13768/percentiles_nominal.csv" in first
    assert first == _csvs(b)
    assert first["eo13768/percentiles_nominal.csv"] != _csvs(c)["eo13768/percentiles_nominal.csv"]


def test_run_seed_and_sampler_options_reach_simulate(tmp_path: Path, eo: ec.Scenario) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "-q", "--draws", "64", "--seed", "0", "--sampler", "lhs",
                 "--out", str(out), "--basis", "pv"]) == 0
    back = pd.read_csv(out / "eo13768" / "percentiles_pv.csv",
                       index_col=["perspective", "provision"])
    want = _summary(ec.simulate(eo, draws=64, seed=0, sampler="lhs"), "pv")
    pd.testing.assert_frame_equal(back, want, check_exact=False, rtol=1e-12)
    assert "64 draws (lhs sampler, seed 0)" in (out / MARKER).read_text()


@pytest.mark.parametrize("central", [["--draws", "1"], ["--deterministic"]])
def test_run_central_values_equal_evaluate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], eo: ec.Scenario, central: list[str]
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "--basis", "nominal", *central]) == 0
    captured = capsys.readouterr()
    assert "means of" not in captured.out
    assert "Distribution of the net cost" not in captured.out
    assert "note:" not in captured.err
    res = ec.evaluate(eo)
    d = out / "eo13768"
    assert not list(d.glob("percentiles_*"))
    for p in ec.PERSPECTIVES:
        back = pd.read_csv(d / f"table_{p}_nominal.csv", index_col="provision")
        pd.testing.assert_frame_equal(back, res.table(p), check_exact=False, rtol=1e-12,
                                      check_names=False)
    pd.testing.assert_frame_equal(pd.read_csv(d / "ledger_nominal.csv"), res.ledger(),
                                  check_exact=False, rtol=1e-12, check_dtype=False)
    assert set(pd.read_csv(out / "summary.csv")["draws"]) == {1}
    assert "run: central values" in (out / MARKER).read_text()


def test_precision_note_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "--draws", "64", "--basis", "real"]) == 0
    err = capsys.readouterr().err
    notes = [ln for ln in err.splitlines() if "too few" in ln]
    assert len(notes) == 1
    assert notes[0].startswith("enforcecost: note: eo13768: 64 draws are too few for the "
                               "precision shown")
    assert "PrecisionWarning" not in err
    assert "Traceback" not in err
    assert "warn" not in err
    manifest = (out / MARKER).read_text()
    assert "precision note: 64 draws are too few" in manifest

    assert main([*RUN, str(EO), "--out", str(out), "--draws", "64", "-q"]) == 0
    assert capsys.readouterr().err == ""  # --quiet: only errors
    assert "precision note: 64 draws are too few" in (out / MARKER).read_text()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [*RUN, str(EO), "--draws", "256", "--basis", "nominal"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err  # captured: not a terminal
    assert "\r" not in err
    assert "draw/s" not in err
    assert "it/s" not in err

    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    shown = terminal.getvalue()
    assert "\r" in shown
    assert re.search(r"eo13768: +\d+%", shown)

    quiet = _Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    assert main([*args, "--out", str(tmp_path / "c"), "--quiet"]) == 0
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--draws", "0"], "--draws 0: must be a whole number from 1 to 1,073,741,824 (2**30, "
         "the most points the Sobol' design can make)"),
        (["--draws", "1000000000000"], "--draws 1000000000000: must be a whole number from 1 to "
         "1,073,741,824 (2**30, the most points the Sobol' design can make)"),
        (["--seed", "-1"], "--seed -1: must be a whole number >= 0"),
        (["--draws", "1", "--seed", "3"],
         "--seed: applies to Monte Carlo runs, not with --draws 1"),
        (["--deterministic", "--sampler", "lhs"],
         "--sampler: applies to Monte Carlo runs, not with --deterministic"),
    ],
)
def test_run_bad_monte_carlo_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([*RUN, str(EO), "--out", str(tmp_path / "out"), *argv]) == 2
    err = capsys.readouterr().err
    assert f"enforcecost: {message}" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_run_draws_and_deterministic_exclude_each_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*RUN, str(EO), "--out", "x", "--draws", "5", "--deterministic"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


# -- sensitivity ---------------------------------------------------------------------------
def test_sensitivity_tornado_equals_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], eo: ec.Scenario
) -> None:
    out = tmp_path / "sens"
    argv = ["sensitivity", str(EO), "--method", "tornado", "--output", "government",
            "--basis", "real", "--years", "5", "--out", str(out)]
    assert main(argv) == 0
    want = sensitivity.tornado(eo, sensitivity.Output("government", "real", 5))
    back = pd.read_csv(out / "tornado.csv", index_col="input")
    # in the units it prints: money in millions of dollars, named so
    pd.testing.assert_frame_equal(back, in_printed_units("tornado", want.to_frame()),
                                  check_exact=False, rtol=1e-12)
    assert list(back.columns) == ["low_input", "high_input", "low_output_millions",
                                  "high_output_millions", "swing_millions", "provision",
                                  "source_kind", "unit"]
    np.testing.assert_allclose(back["swing_millions"], want.frame["swing"] / 1e6, rtol=1e-12)
    assert sorted(p.name for p in out.iterdir()) == [LISTING, MARKER, "tornado.csv",
                                                     "tornado.png", "tornado.svg"]
    assert (out / "tornado.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "tornado.svg").read_bytes()[:2000]
    captured = capsys.readouterr()
    text = captured.out
    assert f"Tornado: {want.label}" in text
    top = want.frame.index[0]
    row = next(ln for ln in text.splitlines() if ln.startswith(top + " "))
    cells = row.split()
    assert cells[1:3] == [want.frame["provision"].iloc[0], want.frame["source_kind"].iloc[0]]
    assert float(cells[-1].replace(",", "")) == pytest.approx(
        want.frame["swing"].iloc[0] / 1e6, abs=0.5
    )
    # the printed swing is the CSV's, rounded
    assert cells[-1] == f"{round(back['swing_millions'].iloc[0]):,}"
    assert f"... and {len(want.frame) - 15} more inputs" in text
    assert f"wrote tornado.csv, tornado.png, tornado.svg to {out}" in captured.err
    assert "government net impact, FY2017-FY2021, real dollars" in (out / MARKER).read_text()


def test_sensitivity_tornado_one_year_and_provision(tmp_path: Path, eo: ec.Scenario) -> None:
    out = tmp_path / "sens"
    assert main(["sensitivity", "eo13768", "-m", "tornado", "--year", "2020",
                 "--provision", "removals", "--out", str(out), "-q"]) == 0
    want = sensitivity.tornado(eo, sensitivity.Output(years=(2020,), provision="removals"))
    back = pd.read_csv(out / "tornado.csv", index_col="input")
    pd.testing.assert_frame_equal(back, in_printed_units("tornado", want.to_frame()),
                                  check_exact=False, rtol=1e-12)


def test_sensitivity_sobol_writes_tables_and_assumption_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], small: Path
) -> None:
    out = tmp_path / "sens"
    assert main(["sensitivity", str(small), "--method", "sobol", "--n", "256",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        LISTING, MARKER, "sobol.csv", "sobol.png", "sobol.svg", "sobol_by_provision.csv",
        "sobol_by_source_kind.csv"
    ]
    assert (out / "sobol.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    want = sensitivity.sobol(ec.load_scenario(small), n=256, seed=5)  # the file's [run] seed
    back = pd.read_csv(out / "sobol.csv", index_col="input")
    pd.testing.assert_frame_equal(back, want.to_frame(), check_exact=False, rtol=1e-9)
    groups = pd.read_csv(out / "sobol_by_provision.csv", index_col="group")
    pd.testing.assert_frame_equal(groups, want.by_provision(), check_exact=False, rtol=1e-9)
    kinds = pd.read_csv(out / "sobol_by_source_kind.csv", index_col="group")
    pd.testing.assert_frame_equal(kinds, want.by_source_kind(), check_exact=False, rtol=1e-9)
    text = capsys.readouterr().out
    share = kinds["ST"].to_dict()["assumption"]
    assert (f"Inputs resting on assumptions explain {share:.0%} of the variance "
            "(total-order, grouped") in text
    assert "By provision" in text
    assert "By source kind" in text
    assert want.top(1)[0] in text
    manifest = (out / MARKER).read_text()
    assert "n: 256, replicates: 16, seed: 5" in manifest
    assert "Inputs resting on assumptions explain" in manifest


def test_sensitivity_morris_equals_library(tmp_path: Path, small: Path) -> None:
    out = tmp_path / "sens"
    assert main(["sensitivity", str(small), "--method", "morris", "--trajectories", "4",
                 "--seed", "11", "--out", str(out), "-q"]) == 0
    want = sensitivity.morris(ec.load_scenario(small), trajectories=4, seed=11)
    back = pd.read_csv(out / "morris.csv", index_col="input")
    pd.testing.assert_frame_equal(back, in_printed_units("morris", want.to_frame()),
                                  check_exact=False, rtol=1e-12)
    frame = want.to_frame()
    for col in ("mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"):
        np.testing.assert_allclose(back[f"{col}_millions"], frame[col] / 1e6, rtol=1e-12)
    assert {"morris.png", "morris.svg"} <= {p.name for p in out.iterdir()}
    assert "units: money in millions of dollars" in (out / MARKER).read_text()


def test_sensitivity_bad_method_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sensitivity", str(EO), "--method", "anova", "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "argument --method/-m: invalid choice: 'anova'" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_sensitivity_lists_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    argv = ["sensitivity", str(EO), "--method", "sobol", "--provision", "removal",
            "--years", "50", "--n", "100", "--trajectories", "3", "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert ("enforcecost: --provision removal: unknown provision (did you mean 'removals'?); "
            "one of hiring,") in err
    assert "enforcecost: --years 50: must be from 1 to 10 (the window FY2017-FY2026)" in err
    assert "enforcecost: --n 100: must be 16 times a power of 2, at least 32" in err
    assert "enforcecost: --trajectories: applies to --method morris only, not sobol" in err
    assert "nothing was run or written" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_sensitivity_options_of_other_methods_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["sensitivity", str(EO), "-m", "tornado", "--seed", "1", "--n", "256",
            "--top", "0", "--out", str(tmp_path / "s")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--seed: applies to --method morris and sobol only" in err
    assert "--n: applies to --method sobol only, not tornado" in err
    assert "--top 0: must be a whole number >= 1" in err


def test_sensitivity_problems_with_the_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], small: Path
) -> None:
    out = tmp_path / "s"
    argv = ["sensitivity", str(small), "-m", "tornado", "--provision", "hiring", "--out", str(out)]
    assert main(argv) == 2
    assert ("--provision hiring: not costed in this scenario (it costs victims_office, "
            "reporting)") in capsys.readouterr().err
    argv = ["sensitivity", str(small), "-m", "tornado", "--output", "economy", "--year", "2040",
            "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--output economy: the scenario books no economy lines; nothing to explain" in err
    assert "--year 2040: must be a fiscal year of the window 2017-2026" in err
    assert main(["sensitivity", str(tmp_path / "nope.toml"), "-m", "tornado",
                 "--out", str(out)]) == 2
    assert "nope.toml: file not found" in capsys.readouterr().err
    assert not out.exists()


def test_sensitivity_refuses_a_directory_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    assert main(["sensitivity", str(EO), "-m", "tornado", "--out", str(precious)]) == 2
    assert "not an enforcecost output directory" in capsys.readouterr().err
    assert sorted(p.name for p in precious.iterdir()) == ["notes.txt"]


def test_sensitivity_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sensitivity", "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert "enforcecost sensitivity eo13768 --method tornado --out sens/" in out
    for option in ("--method", "--output", "--basis", "--year", "--years", "--provision",
                   "--n", "--trajectories", "--seed", "--out"):
        assert option in out
