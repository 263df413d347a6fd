"""Charts: the artists, labels and units each chart must carry; ``ax=`` and ``**kwargs``.

Results are built once per module from the shipped scenarios (central values and
a 256-draw Monte Carlo run) and from a small file-based scenario restricted to
hiring and removals, with six uncertain inputs, for the sensitivity charts.
``test_every_chart_saves_to_png`` writes every chart to PNG; set
``ENFORCECOST_CHART_DIR`` to keep the files for a look.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import enforcecost as ec
from enforcecost import plot, sensitivity
from enforcecost.plot import _format as fmt
from enforcecost.plot import _style as st

UNCERTAIN = (
    "hires_per_year_max",  # derived
    "attrition_rate",  # derived
    "apprehension_cost_per_arrest",  # assumption
    "officer_annual_cost",  # published
    "bed_day_cost",  # published
    "detention_days",  # published
)


# -- fixtures --------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def det() -> ec.Result:
    """EO 13768 against its baseline, central values."""
    return ec.evaluate(ec.load_scenario("eo13768"))


@pytest.fixture(scope="module")
def mc() -> ec.Result:
    """EO 13768 against its baseline, 256 draws."""
    return ec.simulate(ec.load_scenario("eo13768"), draws=256, seed=1)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> ec.Scenario:
    """Hiring and removals only (policy and baseline), six uncertain inputs."""
    d = tmp_path_factory.mktemp("scenarios")
    (d / "base.toml").write_text(
        '[scenario]\nname = "Baseline, hiring and removals"\nextends = "pre_eo_2016"\n'
        'provisions = ["hiring", "removals"]\n',
        encoding="utf-8",
    )
    (d / "small.toml").write_text(
        '[scenario]\nname = "EO 13768, hiring and removals"\nextends = "eo13768"\n'
        'baseline = "base.toml"\nprovisions = ["hiring", "removals"]\n',
        encoding="utf-8",
    )
    sc = ec.load_scenario(d / "small.toml").fixed()
    reg = ec.registry()
    specs = {}
    for n in UNCERTAIN:
        spec = reg[n].uncertainty
        assert spec is not None
        specs[n] = spec.to_spec()
    assert sc.baseline is not None
    return sc.replace(parameters=specs, baseline=sc.baseline.replace(parameters=specs))


@pytest.fixture(scope="module")
def tor(small: ec.Scenario) -> sensitivity.TornadoResult:
    return sensitivity.tornado(small)


@pytest.fixture(scope="module")
def mor(small: ec.Scenario) -> sensitivity.ScenarioMorris:
    return sensitivity.morris(small, trajectories=8, seed=1)


@pytest.fixture(scope="module")
def sob(small: ec.Scenario) -> sensitivity.ScenarioSobol:
    return sensitivity.sobol(small, n=64, replicates=8, seed=1)


# -- helpers ---------------------------------------------------------------------------
def texts(ax: Axes) -> list[str]:
    """Every text drawn in the Axes (annotations included)."""
    return [t.get_text() for t in ax.texts]


def ticklabels(ax: Axes, axis: str = "x") -> list[str]:
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in labels]


def legend_texts(ax: Axes) -> list[str]:
    leg = ax.get_legend()
    assert leg is not None, "chart has no legend"
    return [t.get_text() for t in leg.get_texts()]


def footnotes(ax: Axes) -> list[str]:
    fig = ax.get_figure()
    assert fig is not None
    return [t.get_text() for t in fig.texts if t.get_text().startswith("Source:")]


def figure_notes(ax: Axes) -> list[str]:
    """Texts written on the figure itself, other than its suptitle."""
    fig = ax.get_figure()
    assert fig is not None
    return [t.get_text() for t in fig.texts
            if t.get_text() and t.get_text() != fig.get_suptitle()]


def bars(ax: Axes) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def assert_report_basics(ax: Axes, *, footnote: bool = True) -> None:
    """A title, and the source line at the bottom of a figure the chart made."""
    assert ax.get_title(loc="left")
    notes = footnotes(ax)
    if footnote:
        assert len(notes) == 1
        assert notes[0].startswith(f"Source: enforcecost {ec.__version__}")
    else:
        assert notes == []


def fy_labels(result: ec.Result) -> list[str]:
    return [f"FY{y}" for y in result.fiscal_years]


# -- style helpers ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "word"),
    [([3e9, -1], "Billions"), ([-2.5e9], "Billions"), ([4e8, 1e6], "Millions"),
     ([5e3], "Thousands"), ([], "Thousands")],
)
def test_money_scale(values: list[float], word: str) -> None:
    assert fmt.money_scale(values).word == word


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("nominal", "Billions of nominal dollars"),
        ("real", "Billions of 2017 dollars"),
        ("pv", "Billions of 2017 dollars, present value at 2%"),
    ],
)
def test_money_label(basis: str, expected: str) -> None:
    assert fmt.money_label(fmt.MoneyScale(1e9, "Billions"), basis, 2017, 0.02) == expected


@pytest.mark.parametrize(
    ("value", "signed", "text"),
    [(31.07e9, False, "$31.1B"), (-4.86e8, False, "\u2212$486M"), (5.4e6, True, "+$5.4M"),
     (1.73e11, False, "$173B"), (0.0, True, "$0"), (2500.0, False, "$2K")],
)
def test_fmt_money(value: float, signed: bool, text: str) -> None:
    assert fmt.fmt_money(value, signed=signed) == text


def test_fy_axis_thins_long_windows() -> None:
    _, ax = plt.subplots()
    years = np.arange(2017, 2047)
    ax.plot(years, years)
    fmt.fy_axis(ax, years, max_labels=10)
    labels = ticklabels(ax)
    assert labels[0] == "FY2017"
    assert all(lab.startswith("FY") for lab in labels)
    assert len(labels) <= 10


# -- 1. tornado ------------------------------------------------------------------------
def test_tornado(tor: sensitivity.TornadoResult) -> None:
    ax = plot.tornado(tor)
    frame = tor.frame
    low, high = bars(ax)
    assert len(low) == len(high) == len(frame)
    # largest swing on top: the last y tick is the first row of the frame
    labels = ticklabels(ax, "y")
    kinds = dict(zip(frame.index, frame["source_kind"], strict=True))
    expected = [f"{n} [A]" if kinds[n] == "assumption" else n for n in frame.index]
    assert labels == expected[::-1]
    # bars run from the central value to each end's output, in $B
    f = 1e9
    for patches, column in ((low, "low_output"), (high, "high_output")):
        for patch, out in zip(patches.patches, frame[column].to_numpy()[::-1], strict=True):
            assert patch.get_x() == pytest.approx(tor.base / f)
            assert patch.get_x() + patch.get_width() == pytest.approx(out / f)
    # assumption inputs hatched, the others not
    for patch, name in zip(low.patches, frame.index[::-1], strict=True):
        assert bool(patch.get_hatch()) == (kinds[name] == "assumption")
    assert ax.get_xlabel() == "Billions of nominal dollars"
    legend = legend_texts(ax)
    assert {"Input at low end", "Input at high end", "[A] assumption-based input"} <= set(legend)
    assert any(t.startswith("Central value: $") for t in legend)
    assert "federal net impact" in ax.get_title(loc="left")
    assert_report_basics(ax)
    assert "[A]" in footnotes(ax)[0]


def test_tornado_top(tor: sensitivity.TornadoResult) -> None:
    ax = plot.tornado(tor, top=2)
    assert [len(b) for b in bars(ax)] == [2, 2]
    assert ticklabels(ax, "y")[-1].startswith(tor.frame.index[0])
    with pytest.raises(ValueError, match="'top' must be a whole number >= 1: 0"):
        plot.tornado(tor, top=0)


# -- 2. fan ----------------------------------------------------------------------------
def test_fan_monte_carlo_impact(mc: ec.Result) -> None:
    ax = plot.fan(mc)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2  # 5-95 and 10-90
    (median,) = [ln for ln in ax.get_lines() if ln.get_label() == "Impact: median"]
    expected = np.percentile(mc.annual("federal", "nominal"), 50, axis=0) / 1e9
    np.testing.assert_allclose(np.asarray(median.get_ydata(), dtype=float), expected)
    assert ticklabels(ax) == fy_labels(mc)
    assert ax.get_ylabel() == "Billions of nominal dollars"
    legend = legend_texts(ax)
    assert "Impact: 5th\u201395th percentile" in legend
    assert "Impact: 10th\u201390th percentile" in legend
    assert "policy \u2212 baseline" in ax.get_title(loc="left")
    assert ax.get_title(loc="left").startswith(mc.scenario.name)
    assert_report_basics(ax)
    assert "; 256 draws" in footnotes(ax)[0]


def test_fan_sides(mc: ec.Result) -> None:
    ax = plot.fan(mc, show="sides")
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 4
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert "Policy: median" in labels
    assert "Baseline: median" in labels
    (base,) = [ln for ln in ax.get_lines() if ln.get_label() == "Baseline: median"]
    assert mc.baseline is not None
    expected = np.percentile(mc.baseline.annual("federal", "nominal"), 50, axis=0) / 1e9
    np.testing.assert_allclose(np.asarray(base.get_ydata(), dtype=float), expected)


@pytest.mark.parametrize(
    ("basis", "label"),
    [("real", "Billions of 2017 dollars"),
     ("pv", "Billions of 2017 dollars, present value at 2%")],
)
def test_fan_deterministic(det: ec.Result, basis: Any, label: str) -> None:
    ax = plot.fan(det, basis=basis)
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    (line,) = ax.get_lines()
    np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float),
                               det.annual("federal", basis).to_numpy() / 1e9)
    assert ax.get_ylabel() == label
    assert "central values" in footnotes(ax)[0]


def test_fan_bad_show(det: ec.Result) -> None:
    with pytest.raises(ValueError, match="'show' must be one of 'impact', 'sides': 'both'"):
        plot.fan(det, show="both")  # type: ignore[arg-type]


# -- 3. stacked ------------------------------------------------------------------------
@pytest.mark.parametrize("perspective", ["federal", "government"])
def test_stacked(det: ec.Result, perspective: Any) -> None:
    ax = plot.stacked(det, perspective)
    frame = det.by_provision(perspective, "nominal")
    present = [p for p in frame.columns if (frame[p] != 0).any()]
    containers = bars(ax)
    assert len(containers) == len(present)
    assert [c.get_label() for c in containers] == [st.provision_label(p) for p in present]
    heights = np.array([[p.get_height() for p in c.patches] for c in containers])
    (total,) = [ln for ln in ax.get_lines() if ln.get_label() == "Net total"]
    np.testing.assert_allclose(heights.sum(axis=0), np.asarray(total.get_ydata(), dtype=float))
    np.testing.assert_allclose(heights.sum(axis=0), frame.sum(axis=1) / 1e9)
    # savings stack below zero, costs above
    for c in containers:
        for p in c.patches:
            if p.get_height() < 0:
                assert p.get_y() <= 0
            else:
                assert p.get_y() >= 0
    assert ticklabels(ax) == fy_labels(det)
    assert ax.get_ylabel() == "Billions of nominal dollars"
    assert legend_texts(ax)[0] == "Net total"
    assert_report_basics(ax)


def test_stacked_millions(det: ec.Result) -> None:
    """The economy-wide impact is a few hundred million a year: the axis says so."""
    ax = plot.stacked(det, "economy", "real")
    assert ax.get_ylabel() == "Millions of 2017 dollars"


def test_stacked_needs_provision_detail() -> None:
    res = ec.simulate(ec.load_scenario("eo13768"), draws=8, seed=1, detail="payers")
    with pytest.raises(ValueError, match="totals by payer only"):
        plot.stacked(res)


# -- 4. waterfall ----------------------------------------------------------------------
def test_waterfall(mc: ec.Result) -> None:
    ax = plot.waterfall(mc)
    steps = mc.by_provision("federal", "nominal").sum(axis=0)
    steps = steps[steps != 0]
    start_bar, end_bar, step_bars = bars(ax)
    assert len(step_bars) == len(steps)
    assert mc.baseline is not None
    start = float(np.mean(mc.baseline.total("federal")))
    end = float(np.mean(mc.policy.total("federal")))
    assert start_bar.patches[0].get_height() == pytest.approx(start / 1e9)
    assert end_bar.patches[0].get_height() == pytest.approx(end / 1e9, rel=1e-9)
    # each step starts where the previous one ended
    levels = start + np.concatenate([[0.0], np.cumsum(steps.to_numpy())])
    for patch, bottom in zip(step_bars.patches, levels[:-1], strict=True):
        assert patch.get_y() == pytest.approx(bottom / 1e9)
    labels = ticklabels(ax)
    assert labels[0] == "Baseline"
    assert labels[-1] == "Policy"
    assert len(labels) == len(steps) + 2
    signed = [t for t in texts(ax) if t.startswith(("+$", "\u2212$"))]
    assert len(signed) == len(steps)
    assert fmt.fmt_money(start) in texts(ax)
    assert fmt.fmt_money(end) in texts(ax)
    assert ax.get_ylabel() == "Billions of nominal dollars"
    assert_report_basics(ax)


def test_waterfall_without_baseline() -> None:
    res = ec.evaluate(ec.Scenario(name="Hiring and removals", provisions=("hiring", "removals")))
    ax = plot.waterfall(res, basis="real")
    labels = ticklabels(ax)
    assert labels[0] == "Start"
    assert labels[-1] == "Total"
    assert bars(ax)[1].patches[0].get_height() == pytest.approx(res.total(basis="real") / 1e9)
    assert ax.get_ylabel() == "Billions of 2017 dollars"
    assert "scenario defined in code" in footnotes(ax)[0]


# -- 5. distribution -------------------------------------------------------------------
def test_distribution(mc: ec.Result) -> None:
    ax = plot.distribution(mc)
    x = np.asarray(mc.total("federal", "nominal"))
    p5, p50, p95 = np.percentile(x, [5, 50, 95]) / 1e9
    vlines = [float(np.asarray(ln.get_xdata(), dtype=float)[0]) for ln in ax.get_lines()
              if not ln.get_label().startswith("Mean (headline)")]
    assert vlines == pytest.approx([p5, p50, p95])
    # the headline (the mean, results.HEADLINE) is marked, and named in the legend
    (head,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("Mean (headline)")]
    assert ec.results.HEADLINE == "mean"
    assert float(np.asarray(head.get_xdata(), dtype=float)[0]) == pytest.approx(x.mean() / 1e9)
    fig = ax.get_figure()
    assert fig is not None
    (twin,) = [a for a in fig.axes if a is not ax]
    assert twin.get_ylabel() == "Cumulative probability"
    marks = [ln for ln in twin.get_lines() if ln.get_marker() == "o"]
    assert [float(np.asarray(m.get_xdata(), dtype=float)[0]) for m in marks] == pytest.approx(
        [p5, p50, p95])
    labels = texts(twin)
    for name, v in (("p5", p5), ("p50", p50), ("p95", p95)):
        assert f"{name} {fmt.fmt_money(v * 1e9)}" in labels
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert sum(heights) == x.size  # every draw in a bin
    assert ax.get_xlabel() == "Billions of nominal dollars"
    assert ax.get_ylabel() == "Draws per bin"
    assert "Median (p50)" in legend_texts(twin)
    assert f"Mean (headline) {fmt.fmt_money(x.mean())}" in legend_texts(twin)
    assert "headline is the mean" in footnotes(ax)[0]
    assert_report_basics(ax)


def test_distribution_years(mc: ec.Result) -> None:
    ax = plot.distribution(mc, years=5, basis="real")
    assert "FY2017\u2013FY2021" in ax.get_title(loc="left")
    assert ax.get_xlabel() == "Billions of 2017 dollars"


def test_distribution_needs_monte_carlo(det: ec.Result) -> None:
    with pytest.raises(ValueError, match="'result' must be a Monte Carlo result"):
        plot.distribution(det)


# -- 6. Sobol' -------------------------------------------------------------------------
def test_sobol_inputs(sob: sensitivity.ScenarioSobol) -> None:
    ax = plot.sobol(sob)
    frame = sob.to_frame()
    s1, total = bars(ax)
    assert len(s1) == len(total) == len(frame)
    assert s1.errorbar is not None
    assert total.errorbar is not None
    labels = ticklabels(ax, "y")
    assert labels[-1].startswith(frame.index[0])  # largest ST on top
    assumed = {n for n, k in frame["source_kind"].items() if k == "assumption"}
    assert {lab.removesuffix(" [A]") for lab in labels if lab.endswith(" [A]")} == assumed
    widths = sorted(p.get_width() for p in total.patches)
    assert widths == pytest.approx(sorted(frame["ST"]))
    assert "[A] assumption-based" in legend_texts(ax)
    assert ax.get_xlabel() == "Share of the output's variance"
    assert_report_basics(ax)
    assert "n = 64" in footnotes(ax)[0]


def test_sobol_grouped(sob: sensitivity.ScenarioSobol) -> None:
    ax = plot.sobol(sob, "provision")
    labels = ticklabels(ax, "y")
    assert set(labels) == {"Officer hiring", "Removals"}  # groups with no input left out
    plt.close("all")
    ax = plot.sobol(sob, grouped="source_kind")
    labels = ticklabels(ax, "y")
    assert "Assumption [A]" in labels
    assert "Published source" in labels
    with pytest.raises(ValueError, match="'grouped' must be one of None, 'provision', "):
        plot.sobol(sob, "input")  # type: ignore[arg-type]


def test_sobol_top(sob: sensitivity.ScenarioSobol) -> None:
    ax = plot.sobol(sob, top=3)
    assert [len(b) for b in bars(ax)] == [3, 3]


# -- 7. Morris -------------------------------------------------------------------------
def test_morris(mor: sensitivity.ScenarioMorris) -> None:
    ax = plot.morris(mor, top=3)
    frame = mor.to_frame()
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    counts = sorted(np.asarray(c.get_offsets()).shape[0] for c in points)
    assumed = int((frame["source_kind"] == "assumption").sum())
    assert counts == sorted([assumed, len(frame) - assumed])
    # reference lines through the origin, slopes 1 and 0.1
    slopes = []
    for ln in ax.get_lines():
        xd = np.asarray(ln.get_xdata(), dtype=float)
        yd = np.asarray(ln.get_ydata(), dtype=float)
        if xd[0] == 0 and yd[0] == 0:
            slopes.append(round(float(yd[-1] / xd[-1]), 6))
    assert sorted(slopes) == [0.1, 1.0]
    assert "\u03c3 = \u03bc*" in texts(ax)
    named = [t for t in texts(ax) if t.removesuffix(" [A]") in set(frame.index)]
    assert len(named) == 3
    assert frame.index[0] in {t.removesuffix(" [A]") for t in named}
    assert "[A] assumption-based input" in legend_texts(ax)
    assert "billions of nominal dollars" in ax.get_xlabel()
    assert_report_basics(ax)


# -- 8. compare ------------------------------------------------------------------------
def test_compare(det: ec.Result, mc: ec.Result) -> None:
    achieved = ec.evaluate(ec.load_scenario("eo13768_hiring_as_achieved"))
    ax = plot.compare([mc, det, achieved])
    containers = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert len(containers) == 3
    assert containers[0].has_xerr
    assert not containers[1].has_xerr
    assert not containers[2].has_xerr
    x = np.asarray(mc.total("federal"))
    mean_line = containers[0].lines[0]
    assert float(np.asarray(mean_line.get_xdata(), dtype=float)[0]) == pytest.approx(
        x.mean() / 1e9)
    labels = ticklabels(ax, "y")
    assert labels[0].replace("\n", " ").startswith("EO 13768, full implementation (256 draws)")
    assert labels[2].replace("\n", " ") == achieved.scenario.name
    assert "Central values (no range)" in legend_texts(ax)
    assert ax.get_xlabel() == "Billions of nominal dollars"
    assert_report_basics(ax)


def test_compare_checks(det: ec.Result) -> None:
    with pytest.raises(ValueError, match="'results' must hold at least one Result"):
        plot.compare([])
    with pytest.raises(ValueError, match=r"'labels' must have one label per result \(1\): got 2"):
        plot.compare([det], labels=["a", "b"])
    other = ec.evaluate(ec.load_scenario("eo13768").replace(dollar_year=2020))
    with pytest.raises(ValueError, match="'results' must share a dollar year"):
        plot.compare([det, other], basis="real")
    ax = plot.compare([det, other], labels=["2017 $", "2020 $"])  # nominal: comparable
    assert ticklabels(ax, "y") == ["2017 $", "2020 $"]


# -- 9. pipeline -----------------------------------------------------------------------
def _hlines(ax: Axes) -> list[float]:
    return [float(np.asarray(ln.get_ydata(), dtype=float)[0]) for ln in ax.get_lines()
            if np.ptp(np.asarray(ln.get_ydata(), dtype=float)) == 0
            and ln.get_linestyle() == "--"]


def test_pipeline_figure(det: ec.Result) -> None:
    ax = plot.pipeline(det)
    fig = ax.get_figure()
    assert fig is not None
    panels = fig.axes
    assert len(panels) == 6  # five panels and the legend/summary panel
    assert ax is panels[0]
    assert [p.get_title(loc="left") for p in panels[:5]] == [
        "ERO officers on board", "Arrests per year", "Detained (daily average)",
        "Court cases per year", "Removals per year"]
    settings = det.scenario.settings()
    beds = settings["detention_beds"].value
    courts = settings["immigration_judges"].value * settings["cases_per_judge_year"].value
    target = settings["ero_officers_baseline"].value + settings["ero_officers_added"].value
    assert _hlines(panels[0]) == pytest.approx([target])
    assert _hlines(panels[2]) == pytest.approx([beds])
    assert _hlines(panels[3]) == pytest.approx([courts])
    flows = det.pipeline()
    (adp,) = [ln for ln in panels[2].get_lines() if ln.get_label() == "Policy"]
    np.testing.assert_allclose(np.asarray(adp.get_ydata(), dtype=float), flows["detention_adp"])
    for p in panels[:5]:
        assert all(lab.startswith("FY") for lab in ticklabels(p))
    summary = " ".join(texts(panels[5]))
    assert "What binds" in summary
    assert "Courts" in summary
    assert fig.get_suptitle().startswith(det.scenario.name)
    assert len(footnotes(ax)) == 1


def test_pipeline_baseline_side(det: ec.Result) -> None:
    ax = plot.pipeline(det, "baseline")
    fig = ax.get_figure()
    assert fig is not None
    assert det.scenario.baseline is not None
    beds = det.scenario.baseline.settings()["detention_beds"].value
    assert _hlines(fig.axes[2]) == pytest.approx([beds])
    no_base = ec.evaluate(ec.Scenario(name="x", provisions=("hiring", "removals")))
    with pytest.raises(ValueError, match="'side' is 'baseline' but this result has no baseline"):
        plot.pipeline(no_base, "baseline")
    with pytest.raises(ValueError, match="'side' must be one of 'policy', 'baseline': 'both'"):
        plot.pipeline(det, "both")  # type: ignore[arg-type]


def test_pipeline_into_given_axes(mc: ec.Result) -> None:
    _, ax = plt.subplots(figsize=(10, 6))
    out = plot.pipeline(mc, ax=ax)
    assert out is ax
    assert len(ax.child_axes) == 6
    assert not ax.axison
    assert ax.get_title(loc="left").startswith(mc.scenario.name)
    assert footnotes(ax) == []


# -- common behaviour ------------------------------------------------------------------
Chart = Callable[..., Axes]


@pytest.fixture
def charts(
    det: ec.Result, mc: ec.Result, tor: sensitivity.TornadoResult,
    mor: sensitivity.ScenarioMorris, sob: sensitivity.ScenarioSobol,
) -> dict[str, Callable[..., Axes]]:
    return {
        "tornado": lambda **kw: plot.tornado(tor, **kw),
        "fan": lambda **kw: plot.fan(mc, **kw),
        "fan_sides": lambda **kw: plot.fan(mc, show="sides", **kw),
        "fan_deterministic": lambda **kw: plot.fan(det, basis="real", **kw),
        "stacked": lambda **kw: plot.stacked(mc, **kw),
        "stacked_pv": lambda **kw: plot.stacked(det, "government", "pv", **kw),
        "waterfall": lambda **kw: plot.waterfall(mc, **kw),
        "waterfall_state_local": lambda **kw: plot.waterfall(det, "state_local", "real", **kw),
        "distribution": lambda **kw: plot.distribution(mc, **kw),
        "sobol": lambda **kw: plot.sobol(sob, **kw),
        "sobol_provision": lambda **kw: plot.sobol(sob, "provision", **kw),
        "sobol_source_kind": lambda **kw: plot.sobol(sob, "source_kind", **kw),
        "morris": lambda **kw: plot.morris(mor, **kw),
        "compare": lambda **kw: plot.compare([mc, det], **kw),
        "pipeline": lambda **kw: plot.pipeline(mc, **kw),
        "pipeline_deterministic": lambda **kw: plot.pipeline(det, **kw),
    }


NAMES = ["tornado", "fan", "fan_sides", "fan_deterministic", "stacked", "stacked_pv",
         "waterfall", "waterfall_state_local", "distribution", "sobol", "sobol_provision",
         "sobol_source_kind", "morris", "compare", "pipeline", "pipeline_deterministic"]


@pytest.mark.parametrize("name", NAMES)
def test_draws_into_given_axes(charts: dict[str, Chart], name: str) -> None:
    _, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    out = charts[name](ax=right)
    assert out is right
    assert figure_notes(right) == []  # no footnote on a figure the chart did not make
    assert not left.has_data()
    assert len(plt.get_fignums()) == 1  # no other figure made


@pytest.mark.parametrize("name", NAMES)
def test_title_and_footnote_overrides(charts: dict[str, Chart], name: str) -> None:
    ax = charts[name](title="My title", footnote="My source.")
    fig = ax.get_figure()
    assert fig is not None
    titles = [ax.get_title(loc="left"), fig.get_suptitle()]
    assert "My title" in titles
    assert figure_notes(ax) == ["My source."]
    plt.close("all")
    ax = charts[name](footnote=False)
    assert figure_notes(ax) == []


@pytest.mark.parametrize("name", NAMES)
def test_never_shows(charts: dict[str, Chart], name: str,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    def no_show(*args: object, **kwargs: object) -> None:
        raise AssertionError("plt.show() called")

    monkeypatch.setattr(plt, "show", no_show)
    ax = charts[name]()
    assert len(plt.get_fignums()) == 1
    assert ax.get_figure() is plt.figure(plt.get_fignums()[0])


def test_kwargs_reach_the_main_artists(
    charts: dict[str, Chart], det: ec.Result, mc: ec.Result,
) -> None:
    ax = charts["fan"](linestyle=":", color="black")
    (median,) = [ln for ln in ax.get_lines() if ln.get_label() == "Impact: median"]
    assert median.get_linestyle() == ":"
    ax = charts["stacked"](alpha=0.5)
    assert all(p.get_alpha() == 0.5 for c in bars(ax) for p in c.patches)
    ax = charts["tornado"](alpha=0.4)
    assert all(p.get_alpha() == 0.4 for c in bars(ax) for p in c.patches)
    ax = charts["waterfall"](alpha=0.3)
    assert all(p.get_alpha() == 0.3 for p in bars(ax)[-1].patches)
    ax = charts["distribution"](bins=7)
    assert len(ax.patches) == 7
    ax = charts["sobol"](alpha=0.6)
    assert all(p.get_alpha() == 0.6 for c in bars(ax) for p in c.patches)
    ax = charts["morris"](s=99)
    sizes = np.concatenate([c.get_sizes() for c in ax.collections
                            if isinstance(c, PathCollection)])
    assert set(sizes.tolist()) == {99}
    ax = charts["compare"](markersize=11)
    lines = [c.lines[0] for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert all(isinstance(ln, Line2D) and ln.get_markersize() == 11 for ln in lines)
    ax = charts["pipeline"](linewidth=3.5)
    fig = ax.get_figure()
    assert fig is not None
    for panel in fig.axes[:5]:
        assert panel.get_lines()[0].get_linewidth() == 3.5


def test_source_note(mc: ec.Result, tor: sensitivity.TornadoResult) -> None:
    note = plot.source_note(mc, "Extra.")
    assert note.startswith(f"Source: enforcecost {ec.__version__}, scenario eo13768.toml "
                           "vs. baseline pre_eo_2016.toml; 256 draws")
    assert note.endswith("Extra.")
    assert plot.source_note(tor).startswith("Source: enforcecost")


def test_style_applies_the_house_rcparams_and_restores_them(det: ec.Result) -> None:
    before = matplotlib.rcParams.copy()
    with plot.style() as house:
        assert matplotlib.rcParams["axes.titlelocation"] == "left"
        assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == list(house.cycle)
        assert matplotlib.rcParams["legend.fontsize"] == house.fonts["legend"]
        ax = plot.stacked(det)
    for key in house.rc:
        assert matplotlib.rcParams[key] == before[key]
    # a provision's colour and hatch for one's own figures are the charts'
    for c in bars(ax):
        (provision,) = [p for p in ec.PROVISIONS if house.label(p) == c.get_label()]
        style = house.provision(provision)
        patch = c.patches[0]
        assert matplotlib.colors.same_color(patch.get_facecolor(), style["facecolor"])
        assert (patch.get_hatch() or "") == style["hatch"]
    assert plot.style().colors["blue"] == "#0072B2"  # the palette, without entering


def test_charts_look_the_same_inside_style(tor: sensitivity.TornadoResult) -> None:
    with plot.style():
        ax = plot.tornado(tor)
    assert not any(g.get_visible() for g in ax.yaxis.get_gridlines())  # x grid only
    assert any(g.get_visible() for g in ax.xaxis.get_gridlines())


def test_every_chart_saves_to_png(charts: dict[str, Chart], tmp_path: Path) -> None:
    out = Path(os.environ.get("ENFORCECOST_CHART_DIR", "") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for name, chart in charts.items():
        fig = st.figure_of(chart())
        assert fig is not None
        path = out / f"{name}.png"
        fig.savefig(path, dpi=100)
        assert path.stat().st_size > 10_000
        plt.close("all")
    fig, (left, right) = plt.subplots(1, 2, figsize=(15, 5.5), layout="constrained")
    charts["fan"](ax=left)
    charts["pipeline_deterministic"](ax=right)
    fig.savefig(out / "into_given_axes.png", dpi=100)


def test_reduction_only_result() -> None:
    """A ``detail='summary'`` run keeps means and impact totals: every result chart works."""
    from enforcecost import model

    if getattr(model, "SUMMARY", None) != "summary":
        pytest.skip("simulate(..., detail='summary') not available")
    res = ec.simulate(ec.load_scenario("eo13768"), draws=64, seed=1,
                      detail="summary")  # type: ignore[arg-type]
    ax = plot.waterfall(res)
    start_bar, end_bar, _ = bars(ax)
    assert res.baseline is not None
    assert start_bar.patches[0].get_height() == pytest.approx(
        res.baseline.by_provision().to_numpy().sum() / 1e9)
    assert end_bar.patches[0].get_height() == pytest.approx(
        res.mean_total() / 1e9 + start_bar.patches[0].get_height())
    for chart in (plot.fan, plot.stacked, plot.distribution, plot.pipeline):
        assert isinstance(chart(res), Axes)


# -- the headline rule (results.HEADLINE): every chart marks the same figure ------------
def test_tornado_marks_the_headline(small: ec.Scenario, tor: sensitivity.TornadoResult) -> None:
    """The bars start from the central values; the headline (the result's mean) is marked
    beside them, at the mean of the draws' totals, and named in the legend."""
    res = ec.simulate(small, draws=64, seed=1)
    ax = plot.tornado(tor, headline=res)
    x = np.asarray(res.total("federal", "nominal"))
    (head,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-."]
    assert float(np.asarray(head.get_xdata(), dtype=float)[0]) == pytest.approx(x.mean() / 1e9)
    assert float(np.asarray(head.get_xdata(), dtype=float)[0]) != pytest.approx(tor.base / 1e9)
    legend = legend_texts(ax)
    assert f"Mean (headline, 64 draws): {fmt.fmt_money(x.mean())}" in legend
    assert f"Central value: {fmt.fmt_money(tor.base)} (bars start here)" in legend
    # without a result the footnote says the bars' centre is not the headline
    ax = plot.tornado(tor)
    assert not [ln for ln in ax.get_lines() if ln.get_linestyle() == "-."]
    assert "not the headline (the mean over the draws)" in " ".join(footnotes(ax)[0].split())


def test_fan_marks_the_yearly_means(mc: ec.Result) -> None:
    """The fan's dash-dotted line is each year's mean; it sums to the headline."""
    ax = plot.fan(mc)
    (mean,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("Impact: mean")]
    y = np.asarray(mean.get_ydata(), dtype=float)
    np.testing.assert_allclose(y, mc.annual("federal", "nominal").mean(axis=0) / 1e9)
    assert y.sum() == pytest.approx(ec.results.headline_value(mc) / 1e9)
    det_ax = plot.fan(ec.evaluate(mc.scenario))
    assert not [ln for ln in det_ax.get_lines() if "mean" in str(ln.get_label())]


def test_compare_marks_the_headline(det: ec.Result, mc: ec.Result) -> None:
    """A mapping's keys label the rows; each point is the row's headline in ec.compare."""
    ax = plot.compare({"mc": mc, "central": det}, "government", "real")
    assert ticklabels(ax, "y") == ["mc", "central"]
    containers = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    frame = ec.compare({"mc": mc, "central": det}, basis="real").set_index(
        ["scenario", "perspective"])
    for c, name in zip(containers, ["mc", "central"], strict=True):
        x = float(np.asarray(c.lines[0].get_xdata(), dtype=float)[0])
        head = frame.loc[(name, "government"), "headline"]
        assert x == pytest.approx(frame.loc[(name, "government"), head] / 1e9)
    assert "Mean (headline), with 5th\u201395th percentile range" in legend_texts(ax)
