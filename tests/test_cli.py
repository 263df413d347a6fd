"""The ``enforcecost`` command, called in-process through ``main(argv)``."""

from __future__ import annotations

import io
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.cli import MARKER, _console, _run, main
from enforcecost.cli._atomic import LISTING
from enforcecost.cli._params import terminal_width

#: `run` without the report (figures and PDF), which these tests do not check.
RUN = ["run", "--no-report"]

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "src" / "enforcecost" / "data" / "scenarios"
EO = SCENARIOS / "eo13768.toml"

BROKEN = """\
[scenario]
name = "Broken"
baseline = "pre_eo_2016"

[parameters]
ero_oficers_added = 5000
detention_share = 1.5

[runn]
draws = 10

[run]
sampler = "halton"
"""


@pytest.fixture(scope="module")
def eo_result() -> ec.Result:
    return ec.evaluate(ec.load_scenario(EO))


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _section(text: str, title: str) -> list[str]:
    """The lines of one perspective's printed table, from its title to the blank line."""
    lines = text.splitlines()
    start = lines.index(title)
    end = lines.index("", start)
    return lines[start:end]


# -- run -----------------------------------------------------------------------------------
# A scenario's [run] table means Monte Carlo by default: tests that check numbers against
# ec.evaluate pass --draws 1; the others use few draws (--draws 256) to stay fast.
MC = ["--draws", "256"]
CENTRAL = ["--draws", "1"]


@pytest.mark.parametrize("draws", ["1", "256"])
def test_run_writes_every_expected_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], draws: str
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "--draws", draws]) == 0
    bases = ("nominal", "real", "pv")
    kinds = ("ledger", "summary")
    if draws != "1":
        kinds += ("percentiles", "percentiles_5yr")
    per = {
        *(f"eo13768/table_{p}_{b}.csv" for p in ec.PERSPECTIVES for b in bases),
        *(f"eo13768/{kind}_{b}.csv" for kind in kinds for b in bases),
        "eo13768/pipeline.csv",
        "eo13768/pipeline_baseline.csv",
        "eo13768/nonmonetized.csv",
        "eo13768/parameters_used.csv",
    }
    assert _files(out) == {*per, "summary.csv", MARKER, LISTING}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temp left
    err = capsys.readouterr().err
    assert f"wrote 1 scenario to {out}" in err


def test_run_prints_cbo_table_matching_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], eo_result: ec.Result
) -> None:
    assert main([*RUN, str(EO), "--out", str(tmp_path / "out"), *CENTRAL]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == (
        "EO 13768, full implementation: impact relative to "
        "Pre-order baseline (Priority Enforcement Program, FY2016)"
    )
    federal = _section(text, "Federal budget")
    assert federal[1] == "Millions of dollars, by fiscal year, nominal (then-year) dollars"
    assert federal[2].split()[-2:] == ["2017-2021", "2017-2026"]
    total = federal[-1].split()
    assert total[0] == "Total"
    printed = int(total[-1].replace(",", ""))
    assert abs(printed - eo_result.total("federal") / 1e6) <= 0.5
    printed_5 = int(total[-2].replace(",", ""))
    assert abs(printed_5 - eo_result.total("federal", years=5) / 1e6) <= 0.5
    for title in ("State and local budgets", "All governments (federal, state and local)",
                  "Economy (outside government budgets)"):
        assert title in text
    n = len(eo_result.nonmonetized())
    assert f"Not estimated: {n} non-monetized effects (listed in eo13768/nonmonetized.csv)." in text


def test_run_csvs_read_back_equal_result(tmp_path: Path, eo_result: ec.Result) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "--quiet", *CENTRAL]) == 0
    d = out / "eo13768"
    for basis in ("nominal", "real", "pv"):
        for p in ec.PERSPECTIVES:
            back = pd.read_csv(d / f"table_{p}_{basis}.csv", index_col="provision")
            pd.testing.assert_frame_equal(back, eo_result.table(p, basis), check_exact=False,
                                          rtol=1e-12, check_names=False)
        ledger = pd.read_csv(d / f"ledger_{basis}.csv")
        want = eo_result.ledger(basis)
        pd.testing.assert_frame_equal(ledger, want, check_exact=False, rtol=1e-12,
                                      check_dtype=False)
        summary = pd.read_csv(d / f"summary_{basis}.csv", index_col=["perspective", "provision"])
        pd.testing.assert_frame_equal(summary, eo_result.summary(basis), check_exact=False,
                                      rtol=1e-12)
    pipeline = pd.read_csv(d / "pipeline.csv", index_col="fiscal_year")
    pd.testing.assert_frame_equal(pipeline, eo_result.pipeline(), check_exact=False,
                                  rtol=1e-12, check_dtype=False)
    nonmon = pd.read_csv(d / "nonmonetized.csv", index_col="id")
    assert list(nonmon.index) == list(eo_result.nonmonetized().index)
    used = pd.read_csv(d / "parameters_used.csv", keep_default_na=False)
    assert set(used["side"]) == {"policy", "baseline"}
    beds = used[(used["side"] == "policy") & (used["name"] == "detention_beds")].iloc[0]
    assert float(beds["value"]) == 51379
    assert str(beds["changed"]) == "True"

    summary = pd.read_csv(out / "summary.csv")
    fed = summary[summary["perspective"] == "federal"].iloc[0]
    assert fed["scenario"] == "eo13768"
    assert fed["nominal_window_millions"] == pytest.approx(eo_result.total("federal") / 1e6,
                                                           rel=1e-12)
    assert fed["pv_5yr_millions"] == pytest.approx(
        eo_result.total("federal", "pv", years=5) / 1e6, rel=1e-12
    )
    assert len(summary) == len(ec.PERSPECTIVES)


def test_run_basis_option_limits_files_and_sets_printed_basis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "--basis", "real", "real", *MC]) == 0
    text = capsys.readouterr().out
    assert "constant 2017 dollars" in text
    assert "nominal (then-year)" not in text
    names = _files(out / "eo13768")
    assert "ledger_real.csv" in names
    assert not any("nominal" in n or "_pv" in n for n in names)
    assert list(pd.read_csv(out / "summary.csv").columns[-2:]) == [
        "real_5yr_millions", "real_window_millions"
    ]


def test_run_directory_names_outputs_by_relative_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "scen"
    shutil.copytree(SCENARIOS / "calibration", src / "calibration")
    shutil.copy(SCENARIOS / "pre_eo_2016.toml", src)
    (src / ".ipynb_checkpoints").mkdir()
    shutil.copy(SCENARIOS / "pre_eo_2016.toml", src / ".ipynb_checkpoints" / "copy.toml")
    out = tmp_path / "out"
    assert main([*RUN, str(src), "--out", str(out), "-q", *MC]) == 0
    assert capsys.readouterr().out == ""  # --quiet
    subdirs = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert subdirs == ["calibration_aaf_2015_high", "calibration_aaf_2015_low", "pre_eo_2016"]
    summary = pd.read_csv(out / "summary.csv")
    assert list(dict.fromkeys(summary["scenario"])) == subdirs  # sorted, as run


def test_run_avoids_name_collisions_and_duplicates(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(SCENARIOS / "pre_eo_2016.toml", tmp_path / sub / "x.toml")
    a, b = str(tmp_path / "a" / "x.toml"), str(tmp_path / "b" / "x.toml")
    out = tmp_path / "out"
    assert main([*RUN, a, b, a, "--out", str(out), "-q", "--basis", "nominal", *MC]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["x", "x_2"]


def test_run_accepts_shipped_scenario_names(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([*RUN, "calibration/aaf_2015_low", "--out", str(out), "-q", *MC]) == 0
    assert (out / "calibration_aaf_2015_low" / "table_federal_real.csv").is_file()


def test_run_with_one_broken_file_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN)
    out = tmp_path / "out"
    assert main([*RUN, str(EO), str(broken), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]  # nothing written
    err = captured.err
    assert f"{broken}: [parameters] ero_oficers_added: unknown parameter" in err
    assert f"{broken}: [parameters] detention_share: must be within [0, 1], got 1.5" in err
    assert f"{broken}: [runn]: unknown table" in err
    assert f"{broken}: [run] sampler: must be one of" in err
    assert "1 of 2 inputs invalid; nothing was run or written" in err
    assert "Traceback" not in err


def test_run_broken_file_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "-q", "--basis", "nominal", *MC]) == 0
    before = {p: (out / p).read_bytes() for p in _files(out)}
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN)
    assert main([*RUN, str(EO), str(broken), "--out", str(out), "-q"]) == 2
    assert {p: (out / p).read_bytes() for p in _files(out)} == before


def test_run_replaces_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, str(EO), "--out", str(out), "-q", *MC]) == 0
    # A file the earlier run did not write stops the replacement (it used to be deleted).
    (out / "notes.txt").write_text("mine")
    assert main([*RUN, "pre_eo_2016", "--out", str(out), "-q", *MC]) == 2
    assert "did not write or that changed since (notes.txt)" in capsys.readouterr().err
    (out / "notes.txt").unlink()
    assert main([*RUN, "pre_eo_2016", "--out", str(out), "-q", *MC]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        LISTING, MARKER, "pre_eo_2016", "summary.csv"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    manifest = (out / MARKER).read_text()
    assert manifest.startswith(f"enforcecost {ec.__version__}\n")
    assert "pre_eo_2016" in manifest


def test_run_crash_midway_keeps_old_output_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main([*RUN, "pre_eo_2016", "--out", str(out), "-q", *CENTRAL]) == 0
    before = {p: (out / p).read_bytes() for p in _files(out)}
    calls = []
    real = _run.evaluate

    def second_fails(sc: ec.Scenario) -> ec.Result:
        calls.append(sc.name)
        if len(calls) == 2:
            raise RuntimeError("boom in the model")
        return real(sc)

    monkeypatch.setattr(_run, "evaluate", second_fails)
    assert main([*RUN, str(EO), "pre_eo_2016", "--out", str(out), "-q", *CENTRAL]) == 1
    assert len(calls) == 2
    assert {p: (out / p).read_bytes() for p in _files(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert "internal error: RuntimeError: boom in the model" in capsys.readouterr().err


def test_run_refuses_to_replace_a_directory_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    assert main([*RUN, str(EO), "--out", str(precious)]) == 2
    assert (precious / "thesis.tex").read_text() == "years of work"
    assert sorted(p.name for p in precious.iterdir()) == ["thesis.tex"]
    assert "not an enforcecost output directory" in capsys.readouterr().err


def test_run_refuses_out_containing_inputs_or_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / MARKER).write_text("")
    shutil.copy(EO, d / "mine.toml")
    shutil.copy(SCENARIOS / "pre_eo_2016.toml", d)
    assert main([*RUN, str(d / "mine.toml"), "--out", str(d)]) == 2
    assert "contains the scenario file" in capsys.readouterr().err
    (d / "mine.toml").unlink()
    (d / "pre_eo_2016.toml").unlink()
    monkeypatch.chdir(d)
    assert main([*RUN, "pre_eo_2016", "--out", "."]) == 2
    assert "current directory" in capsys.readouterr().err
    assert (d / MARKER).is_file()


def test_run_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.csv"
    target.write_text("x")
    assert main([*RUN, str(EO), "--out", str(target)]) == 2
    assert "exists and is not a directory" in capsys.readouterr().err
    assert target.read_text() == "x"


def test_run_unwritable_output_is_reported_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_run, "write_csv", no_space)
    assert main([*RUN, str(EO), "--out", str(tmp_path / "out"), "-q", *MC]) == 1
    err = capsys.readouterr().err
    assert "cannot write the output directory" in err
    assert "No space left on device" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_run_missing_file_and_empty_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    missing = tmp_path / "missing.toml"
    out = tmp_path / "out"
    assert main([*RUN, str(missing), str(tmp_path / "empty"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{missing}: file not found" in err
    assert "no scenario files (*.toml)" in err
    assert not out.exists()


# -- validate --------------------------------------------------------------------------------
def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EO), "calibration/aaf_2015_low"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"ok: {EO} (EO 13768, full implementation)",
        "ok: calibration/aaf_2015_low (Calibration: AAF (2015) mass deportation, low case)",
    ]


def test_validate_lists_every_mistake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN)
    assert main(["validate", str(broken), str(EO)]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"ok: {EO} (EO 13768, full implementation)"]
    err = captured.err
    assert (f"{broken}: [parameters] ero_oficers_added: unknown parameter "
            "(did you mean 'ero_officers_added'?), got 5000") in err
    assert f"{broken}: [parameters] detention_share: must be within [0, 1], got 1.5" in err
    assert f"{broken}: [runn]: unknown table (did you mean 'run'?)" in err
    assert f"{broken}: [run] sampler: must be one of sobol, lhs, random, got 'halton'" in err
    assert "1 of 2 inputs invalid" in err
    assert "Traceback" not in err


def test_validate_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SCENARIOS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(ec.shipped_scenarios())
    assert all(ln.startswith("ok: ") for ln in lines)


def test_validate_invalid_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nname = 1\n")
    assert main(["validate", str(bad)]) == 2
    assert f"{bad}: not valid TOML" in capsys.readouterr().err


# -- params ----------------------------------------------------------------------------------
def test_params_table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "150")
    assert main(["params"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["name", "value", "unit"]
    assert max(len(ln) for ln in lines) <= 150
    assert any(ln.startswith("ero_officers_added ") and "10,000" in ln for ln in lines)
    n_rows = sum(1 for ln in lines for n in ec.parameters().index if ln.startswith(n + " "))
    assert n_rows == len(ec.parameters())


def test_params_filters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["params", "--kind", "assumption", "--provision", "removals"]) == 0
    out = capsys.readouterr().out
    reg = ec.parameters()
    want = reg[(reg["source_kind"] == "assumption") & (reg["provision"] == "removals")].index
    shown = [ln.split()[0] for ln in out.splitlines()[3:] if ln and not ln.startswith("[")]
    assert shown == list(want)
    assert len(want) > 0


def _rows(out: str) -> dict[str, str]:
    """Each parameter's first line and continuation lines, joined, by name."""
    rows: dict[str, str] = {}
    name = None
    lines = out.splitlines()
    rule = next(i for i, ln in enumerate(lines) if ln.startswith("---"))
    for ln in lines[rule + 1:]:
        if ln.startswith("  ") and name is not None:
            rows[name] += " " + ln.strip()
        elif ln and not ln.startswith(("[", "* ")):
            name = ln.split()[0]
            rows[name] = ln
    return rows


def test_params_at_80_columns_shows_every_field(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    # the longest name and unit (49 + 21 characters) leave room for name and value only
    assert lines[0].split() == ["name", "value"]
    assert lines[1] == "  unit; dollar year; kind; range; citation"
    rows = _rows(out)
    reg = ec.parameters()
    assert list(rows) == list(reg.index)
    hires = rows["hires_per_year_max"]
    assert hires.split()[:2] == ["hires_per_year_max", "1,640"]
    # what used to be cut at 80 columns: the unit, the kind, the range and the source
    assert "officers/yr; derived; range 742 to 3,400; " in hires
    assert "2020 dollars; published; range 110k to 180k; CBO (2020)" in rows[
        "officer_annual_cost"]
    for name, r in reg.iterrows():
        assert str(r["source_kind"]) in rows[str(name)]


@pytest.mark.parametrize("width", [60, 80, 100, 132])
def test_params_fits_any_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["params", "--sort", "name"]) == 0
    out = capsys.readouterr().out
    assert max(len(ln) for ln in out.splitlines()) <= width
    assert len(_rows(out)) == len(ec.parameters())


def test_params_filters_repeat(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["params", "--kind", "assumption", "--kind", "derived",
                 "--provision", "removals", "--provision", "detainers"]) == 0
    out = capsys.readouterr().out
    reg = ec.parameters()
    want = reg[reg["source_kind"].isin(["assumption", "derived"])
               & reg["provision"].isin(["removals", "detainers"])]
    assert list(_rows(out)) == list(want.index)
    headings = [ln for ln in out.splitlines() if ln.startswith("[")]
    assert headings == ["[removals]", "[detainers]"]
    assert set(want["provision"]) == {"removals", "detainers"}
    assert set(want["source_kind"]) == {"assumption", "derived"}


def test_params_sort_kind_groups_by_source_kind(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["params", "--sort", "kind"]) == 0
    out = capsys.readouterr().out
    assert [ln for ln in out.splitlines() if ln.startswith("[")] == [
        "[seed]", "[published]", "[derived]", "[assumption]"]
    reg = ec.parameters()
    rows = _rows(out)
    want = [n for k in ("seed", "published", "derived", "assumption")
            for n in reg.index[reg["source_kind"] == k]]
    assert list(rows) == want
    # the kind is the heading; the provision is shown instead
    header = out.splitlines()[0].split()
    assert "kind" not in header
    assert "provision" in header
    assert rows["hires_per_year_max"].split()[-1] != "assumption"


def test_params_sort_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["params", "--sort", "name", "--kind", "seed"]) == 0
    out = capsys.readouterr().out
    reg = ec.parameters()
    rows = _rows(out)
    assert list(rows) == sorted(reg.index[reg["source_kind"] == "seed"])
    assert not [ln for ln in out.splitlines() if ln.startswith("[")]
    header = out.splitlines()[0].split()
    assert {"kind", "provision"} <= set(header)


def test_params_csv_follows_sort_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--sort", "name", "--provision", "hiring", "--csv", "-"]) == 0
    back = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col="name")
    reg = ec.parameters()
    assert list(back.index) == sorted(reg.index[reg["provision"] == "hiring"])


def test_params_width_of_a_pipe_is_the_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    """``enforcecost params | less``: standard output is a pipe, standard error the
    terminal; COLUMNS wins over both; with no terminal at all, the fallback."""

    def size(fd: int = 1) -> os.terminal_size:
        if fd == 2:
            return os.terminal_size((81, 24))
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", size)
    monkeypatch.setattr(sys, "stderr", type("Tty", (), {"fileno": lambda self: 2})())
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width() == 81
    monkeypatch.setenv("COLUMNS", "93")
    assert terminal_width() == 93
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # no file descriptor
    assert terminal_width(fallback=77) == 77


def test_params_bad_sort_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--sort", "value"]) == 2
    assert "invalid choice: 'value'" in capsys.readouterr().err


def test_params_csv_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "p.csv"
    assert main(["params", "--kind", "seed", "--csv", str(target)]) == 0
    back = pd.read_csv(target, index_col="name")
    reg = ec.parameters()
    want = reg[reg["source_kind"] == "seed"]
    assert list(back.index) == list(want.index)
    assert list(back.columns) == list(want.columns)
    assert back["value"].tolist() == want["value"].tolist()
    assert f"wrote {len(want)} parameters to {target}" in capsys.readouterr().err


def test_params_csv_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--csv", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("name,provision,description,unit")


def test_params_bad_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["params", "--kind", "rumour"]) == 2
    assert "invalid choice: 'rumour'" in capsys.readouterr().err


# -- errors, help, version -------------------------------------------------------------------
def test_internal_error_returns_1_without_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(sc: ec.Scenario) -> ec.Result:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(_run, "evaluate", broken)
    assert main([*RUN, str(EO), "--out", str(tmp_path / "out"), *CENTRAL]) == 1
    err = capsys.readouterr().err
    assert "enforcecost: internal error: RuntimeError: model exploded" in err
    assert "please report" in err.lower()
    assert "--debug" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_traceback(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    def broken(sc: ec.Scenario) -> ec.Result:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(_run, "evaluate", broken)
    args = [*RUN, str(EO), "--out", str(tmp_path / "out"), *CENTRAL]
    argv = ["--debug", *args] if where == "before" else [*args, "--debug"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: model exploded" in err


def test_late_scenario_error_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def invalid(sc: ec.Scenario) -> ec.Result:
        raise ec.ScenarioError([ec.Problem("x.toml", "[run] draws", "must be >= 1", 0)])

    monkeypatch.setattr(_run, "evaluate", invalid)
    assert main([*RUN, str(EO), "--out", str(tmp_path / "out"), *CENTRAL]) == 2
    err = capsys.readouterr().err
    assert "x.toml: [run] draws: must be >= 1, got 0" in err
    assert "internal error" not in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["run", str(EO)],  # no --out
        ["run", "--out", "x"],  # no files
        ["run", str(EO), "--out", "x", "--basis", "euros"],
        ["validate"],
    ],
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "usage: enforcecost" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "example"),
    [
        (["--help"], "enforcecost run scenarios/ --out out/"),
        (["run", "--help"], "enforcecost run scenarios/ --out out/"),
        (["validate", "--help"], "enforcecost validate my_scenario.toml"),
        (["params", "--help"], "enforcecost params --kind assumption"),
    ],
)
def test_help_has_examples(
    argv: list[str], example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert example in out


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"enforcecost {ec.__version__}"


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["enforcecost", "--version"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("enforcecost", run_name="__main__")
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"enforcecost {ec.__version__}"


def test_console_script_entry_point() -> None:
    beside = Path(sys.executable).with_name("enforcecost")
    exe = str(beside) if beside.is_file() else shutil.which("enforcecost")
    assert exe is not None, "the enforcecost console script is not installed (pip install -e .)"
    done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"enforcecost {ec.__version__}"


def test_closed_stdout_pipe_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            raise ValueError("no file descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    _console.out("a table nobody reads")  # `enforcecost params | head`: no traceback


# -- limits: exit 2 before anything runs -------------------------------------------------------
CORRELATED = """\
[scenario]
name = "Correlated"

[run]
draws = 64

[[correlation]]
inputs = ["bed_day_cost", "attrition_rate"]
rank = 0.5
"""


def test_run_correlations_with_too_few_draws_is_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(CORRELATED, encoding="utf-8")
    assert main([*RUN, str(path), "--out", str(tmp_path / "out"), "--draws", "2"]) == 2
    err = capsys.readouterr().err
    assert (f"{path}: --draws: the rank correlations ([[correlation]]) relate 2 inputs; a Monte "
            "Carlo run needs more draws than that: at least 3 (or 1, central values only), "
            "got 2") in err
    assert "internal error" not in err
    assert not (tmp_path / "out").exists()


def test_validate_a_long_extends_chain_is_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    n = 980  # a RecursionError, reported as an internal error, before
    for i in range(n):
        ref = f'extends = "f{i + 1}.toml"\n' if i < n - 1 else ""
        (tmp_path / f"f{i}.toml").write_text(f'[scenario]\nname = "f{i}"\n{ref}',
                                             encoding="utf-8")
    assert main(["validate", str(tmp_path / "f0.toml")]) == 2
    err = capsys.readouterr().err
    assert "[scenario] extends: the chain of files through 'extends' is longer than 32 files" in err
    assert f"it starts {(tmp_path / 'f0.toml').resolve()} -> " in err
    assert "internal error" not in err


@pytest.mark.parametrize(
    "spec",
    ["1e308", '{ dist = "lognormal", ci90 = [1, 1e200] }',
     '{ dist = "uniform", low = 1e20, high = 3e20 }'],
)
def test_run_with_a_ledger_beyond_the_exact_range_is_invalid_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str,
) -> None:
    path = tmp_path / "big.toml"
    path.write_text(f'[scenario]\nname = "big"\n[parameters]\nbed_day_cost = {spec}\n'
                    "[run]\ndraws = 256\n", encoding="utf-8")
    for command in (["validate", str(path)], [*RUN, str(path), "--out", str(tmp_path / "o")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert f"{path}: [parameters] bed_day_cost: at the central values, ledger line " in err
        assert "must be finite and below 2**84 = 1.93e+25 dollars" in err
        assert "RuntimeWarning" not in err
    assert not (tmp_path / "o").exists()


def test_run_beyond_available_memory_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ec.model._limits, "available_memory", lambda: 1 << 20)
    out = tmp_path / "out"
    argv = [*RUN, str(EO), "--out", str(out), "--draws", "512", "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{EO}: --draws: a run of 512 draws needs an estimated " in err
    assert "more than the 0.0 GiB of memory available" in err
    assert "force=True (the CLI's --force)" in err
    assert not out.exists()
    assert main([*argv, "--force"]) == 0
    assert (out / MARKER).is_file()
