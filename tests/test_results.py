"""Result views: ledger, total, table, summary, pipeline; sides; argument errors.

The views must agree with each other to rounding: the ledger's amounts add up
to ``total()``, ``table()`` to ``total(years=...)``, ``summary()`` to
``total()``, and the impact to policy − baseline.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.results import PrecisionWarning

LEDGER_COLUMNS = ["fiscal_year", "provision", "item", "payer", "kind", "amount"]
PAYERS_OF = {
    "federal": {"federal"},
    "state_local": {"state_local"},
    "government": {"federal", "state_local"},
    "economy": {"economy"},
}


@pytest.fixture(scope="module")
def res() -> ec.Result:
    """EO 13768 against its baseline, central values (an impact)."""
    return ec.evaluate(ec.load_scenario("eo13768"))


@pytest.fixture(scope="module")
def mc() -> ec.Result:
    """A small Monte Carlo run: two uncertain inputs, shared by policy and baseline."""
    sc = ec.load_scenario("eo13768").fixed()
    uncertain = {
        "bed_day_cost": {"dist": "uniform", "low": 126, "high": 164},
        "at_large_arrests_per_officer_year": {"dist": "triangular", "low": 3, "mode": 4.7,
                                              "high": 6},
    }
    sc = sc.replace(parameters=uncertain, baseline=sc.baseline.replace(parameters=uncertain))
    return ec.simulate(sc, draws=64, seed=7, sampler="random")


# -- ledger and total ---------------------------------------------------------------
def test_ledger_columns(res: ec.Result, mc: ec.Result) -> None:
    led = res.ledger()
    assert led.columns.tolist() == LEDGER_COLUMNS
    assert len(led) == len(res.lines) * len(res.fiscal_years)
    assert set(led["fiscal_year"]) == set(res.fiscal_years)
    assert set(led["provision"]) <= set(ec.PROVISIONS)
    mled = mc.ledger()
    assert mled.columns.tolist() == ["draw", *LEDGER_COLUMNS]
    assert sorted(set(mled["draw"])) == list(range(64))


@pytest.mark.parametrize("basis", ec.BASES)
@pytest.mark.parametrize("perspective", ec.PERSPECTIVES)
def test_ledger_sums_to_total(res: ec.Result, perspective: str, basis: str) -> None:
    led = res.ledger(basis=basis)
    mine = led[led["payer"].isin(PAYERS_OF[perspective])]
    total = res.total(perspective, basis=basis)
    assert isinstance(total, float)
    assert mine["amount"].sum() == pytest.approx(total, rel=1e-12, abs=1e-3)
    for provision, g in mine.groupby("provision"):
        assert g["amount"].sum() == pytest.approx(
            res.total(perspective, basis=basis, provision=provision), rel=1e-12, abs=1e-3
        )
    for fy, g in mine.groupby("fiscal_year"):
        assert g["amount"].sum() == pytest.approx(
            res.total(perspective, basis=basis, years=[fy]), rel=1e-12, abs=1e-3
        )


@pytest.mark.parametrize("perspective", ec.PERSPECTIVES)
def test_monte_carlo_ledger_sums_to_total_per_draw(mc: ec.Result, perspective: str) -> None:
    led = mc.ledger(basis="real")
    mine = led[led["payer"].isin(PAYERS_OF[perspective])]
    per_draw = mine.groupby("draw")["amount"].sum().reindex(range(64), fill_value=0.0)
    total = mc.total(perspective, basis="real")
    assert isinstance(total, pd.Series)
    assert total.shape == (64,)
    np.testing.assert_allclose(per_draw.to_numpy(), total, rtol=1e-12, atol=1e-3)
    np.testing.assert_allclose(mc.annual(perspective, basis="real").sum(axis=1), total,
                               rtol=1e-12, atol=1e-3)


def test_monte_carlo_draws_differ_and_share_random_numbers(mc: ec.Result) -> None:
    """The policy and baseline use the same draws: the same bed-day cost in each."""
    total = mc.total("federal", basis="real")
    assert np.ptp(total) > 0
    pol = mc.policy.ledger(basis="real")
    base = mc.baseline.ledger(basis="real")
    key = ["draw", "fiscal_year"]
    pol_det = pol[pol["item"] == "detention"].set_index(key)["amount"]
    base_det = base[base["item"] == "detention"].set_index(key)["amount"]
    # With common random numbers both sides' detention lines rise and fall together.
    corr = np.corrcoef(pol_det.groupby("draw").sum(), base_det.groupby("draw").sum())[0, 1]
    assert corr > 0.99


# -- total(years=...) and table() -------------------------------------------------------
@pytest.mark.parametrize("perspective", ec.PERSPECTIVES)
def test_five_year_total_is_the_first_five_years_of_the_table(
    res: ec.Result, perspective: str
) -> None:
    table = res.table(perspective, basis="nominal", scale=1.0)
    fy = [str(y) for y in res.fiscal_years]
    assert table.columns.tolist() == [*fy, f"{fy[0]}-{fy[4]}", f"{fy[0]}-{fy[-1]}"]
    assert table.index[-1] == "Total"
    five = res.total(perspective, basis="nominal", years=5)
    assert table.loc["Total", fy[:5]].sum() == pytest.approx(five, rel=1e-12, abs=1e-3)
    assert table.loc["Total", f"{fy[0]}-{fy[4]}"] == pytest.approx(five, rel=1e-12, abs=1e-3)
    assert five == pytest.approx(
        res.total(perspective, basis="nominal", years=res.fiscal_years[:5].tolist()),
        rel=1e-12, abs=1e-3,
    )
    whole = res.total(perspective, basis="nominal")
    assert table.loc["Total", f"{fy[0]}-{fy[-1]}"] == pytest.approx(whole, rel=1e-12, abs=1e-3)
    for provision in table.index[:-1]:
        assert table.loc[provision, f"{fy[0]}-{fy[4]}"] == pytest.approx(
            res.total(perspective, basis="nominal", years=5, provision=provision),
            rel=1e-12, abs=1e-3,
        )
    # Provisions add up to the Total row, year by year.
    np.testing.assert_allclose(table.iloc[:-1].sum(axis=0), table.loc["Total"], rtol=1e-12,
                               atol=1e-3)


def test_table_is_in_millions_by_default(res: ec.Result) -> None:
    np.testing.assert_allclose(res.table("federal") * 1e6, res.table("federal", scale=1.0),
                               rtol=1e-12)


def test_short_window_table_has_no_five_year_column() -> None:
    res = ec.evaluate(ec.Scenario(name="three years", years=3))
    assert res.table().columns.tolist() == ["2017", "2018", "2019", "2017-2019"]
    assert res.total(years=3) == res.total()


# -- summary() ------------------------------------------------------------------------------
def test_summary_of_a_deterministic_run_is_its_totals(res: ec.Result) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no PrecisionWarning for one run
        summary = res.summary(basis="real")
    assert summary.index.names == ["perspective", "provision"]
    stats = ["mean", "p5", "p10", "p50", "p90", "p95"]
    assert [*stats, "sd"] <= summary.columns.tolist()
    assert list(dict.fromkeys(summary.index.get_level_values(0))) == list(ec.PERSPECTIVES)
    for (perspective, provision), row in summary.iterrows():
        expected = res.total(
            perspective, basis="real", provision=None if provision == "all" else provision
        )
        for s in stats:
            assert row[s] == pytest.approx(expected, rel=1e-12, abs=1e-3), (perspective, s)
        assert row["sd"] == 0.0
        se = [c for c in summary.columns if c.endswith("_se")]
        assert all(row[c] == 0.0 for c in se)
    # Five-year summary.
    five = res.summary(basis="real", years=5)
    assert five.loc[("federal", "all"), "mean"] == pytest.approx(
        res.total("federal", basis="real", years=5), rel=1e-12
    )


def test_summary_of_a_monte_carlo_run_matches_its_totals(mc: ec.Result) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)  # 64 draws: imprecise on purpose
        summary = mc.summary(basis="real")
    for perspective in ("federal", "state_local", "government"):
        x = mc.total(perspective, basis="real")
        row = summary.loc[(perspective, "all")]
        assert row["mean"] == pytest.approx(x.mean(), rel=1e-12, abs=1e-3)
        assert row["sd"] == pytest.approx(x.std(ddof=1), rel=1e-9, abs=1e-3)
        assert row["p50"] == pytest.approx(np.median(x), rel=1e-12, abs=1e-3)
        assert row["p5"] <= row["p50"] <= row["p95"]


def test_summary_by_year_and_quantiles_match_the_draws(res: ec.Result, mc: ec.Result) -> None:
    """``summary(by='year')`` and ``quantile()`` describe each fiscal year's draws."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        by_year = mc.summary("pv", by="year")
        window = mc.summary("pv")
    assert by_year.index.names == ["perspective", "provision", "fiscal_year"]
    assert by_year.columns.equals(window.columns)
    assert set(by_year.index.droplevel(2)) == set(window.index)  # same perspective/provision
    fy = mc.fiscal_years
    annual = mc.annual("government", "pv").to_numpy()
    for y, year in enumerate(fy):
        row = by_year.loc[("government", "all", int(year))]
        assert row["mean"] == pytest.approx(annual[:, y].mean(), rel=1e-12, abs=1e-3)
        assert row["sd"] == pytest.approx(annual[:, y].std(ddof=1), rel=1e-9, abs=1e-3)
        assert row["p90"] == pytest.approx(np.quantile(annual[:, y], 0.9), rel=1e-12, abs=1e-3)
    # provision rows add up, per year, to the perspective's mean
    fed = by_year.xs("federal", level="perspective")
    provisions = fed.drop(index="all", level="provision")["mean"].groupby("fiscal_year").sum()
    np.testing.assert_allclose(provisions, fed.loc["all", "mean"], rtol=1e-9)
    # some years only
    with pytest.warns(PrecisionWarning, match=r"too few .* for federal FY20\d\d \(se "):
        some = mc.summary("pv", years=[int(fy[2]), int(fy[4])], by="year")
    assert sorted(set(some.index.get_level_values("fiscal_year"))) == [fy[2], fy[4]]
    # quantile(): numpy's quantiles of total() and annual()
    q = [0.05, 0.5, 0.95]
    np.testing.assert_array_equal(mc.quantile(q, "federal", "real", years=5),
                                  np.quantile(mc.total("federal", "real", years=5), q))
    assert mc.quantile(0.5, "federal") == np.quantile(mc.total("federal"), 0.5)
    np.testing.assert_array_equal(mc.quantile(q, "economy", "pv", by="year").T,
                                  np.quantile(mc.annual("economy", "pv"), q, axis=0))
    assert mc.quantile(0.5, by="year").shape == (fy.size,)
    # a deterministic run: every quantile is its total
    assert res.quantile(0.05, "government") == pytest.approx(res.total("government"))
    np.testing.assert_allclose(res.quantile([0.1, 0.9], by="year").T,
                               np.vstack([res.annual().to_numpy()] * 2), rtol=1e-12)
    values, counts = mc.buckets("federal")
    assert counts.sum() == mc.draws
    np.testing.assert_array_equal(values, np.unique(mc.total("federal")))
    with pytest.raises(ValueError, match=r"'by' must be one of window, year: 'years'"):
        mc.summary(by="years")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'by' must be one of window, year: 'decade'"):
        mc.quantile(0.5, by="decade")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'q' must be a probability or a sequence of them"):
        mc.quantile(95)


# -- labelled returns (docs/architecture.md, "What the API returns") -----------------------
def _sel(r: ec.Result, perspective: str = "federal", basis: str = "nominal",
         years: Any = None) -> Any:
    """The checked selection a view hands its store (what the store's arrays are of)."""
    return r._select(perspective, basis, years)  # type: ignore[arg-type]


def test_total_is_a_float_or_a_series_over_draws(res: ec.Result, mc: ec.Result) -> None:
    """``total``: a float for one run; over draws, a Series indexed by ``draw`` holding the
    store's array bit for bit (what ``total`` returned before it was labelled)."""
    assert type(res.total("federal")) is float
    assert res.total("federal") == float(res._store.total(_sel(res))[0])
    for basis, years in (("nominal", None), ("real", 5), ("pv", [2018, 2020])):
        t = mc.total("government", basis, years=years)
        assert isinstance(t, pd.Series)
        pd.testing.assert_index_equal(t.index, pd.RangeIndex(64, name="draw"))
        assert t.name == "government"
        assert t.dtype == np.float64
        np.testing.assert_array_equal(
            t.to_numpy(), mc._store.total(_sel(mc, "government", basis, years)))
    # the ledger of a draw sums to its total
    led = mc.ledger("real")
    fed = led[led["payer"] == "federal"].groupby("draw")["amount"].sum()
    pd.testing.assert_series_equal(fed, mc.total("federal", "real"), check_names=False,
                                   rtol=1e-12, atol=1e-3)


def test_quantile_is_labelled_by_q_and_by_fiscal_year(res: ec.Result, mc: ec.Result) -> None:
    q = [0.05, 0.5, 0.95]
    fy = mc.fiscal_years
    window = mc.quantile(q, "federal", "real")
    assert isinstance(window, pd.Series)
    pd.testing.assert_index_equal(window.index, pd.Index(q, name="q"))
    assert window.name == "federal"
    np.testing.assert_array_equal(window.to_numpy(),
                                  np.quantile(mc.total("federal", "real").to_numpy(), q))
    assert window.loc[0.95] == mc.quantile(0.95, "federal", "real")
    assert type(mc.quantile(0.5)) is float
    by_year = mc.quantile(q, "economy", "pv", by="year")
    assert isinstance(by_year, pd.DataFrame)
    pd.testing.assert_index_equal(by_year.index, pd.Index(fy, name="fiscal_year"))
    pd.testing.assert_index_equal(by_year.columns, pd.Index(q, name="q"))
    np.testing.assert_array_equal(  # the store's (q, years) array, transposed
        by_year.to_numpy(), mc._store.quantile(_sel(mc, "economy", "pv"), np.asarray(q),
                                               "year").T)
    one = mc.quantile(0.9, "economy", "pv", by="year")
    assert isinstance(one, pd.Series)
    pd.testing.assert_index_equal(one.index, by_year.index)
    np.testing.assert_array_equal(one.to_numpy(), np.quantile(
        mc.annual("economy", "pv").to_numpy(), 0.9, axis=0))
    some = mc.quantile(q, years=[int(fy[1]), int(fy[3])], by="year")
    assert some.index.tolist() == [fy[1], fy[3]]
    # a deterministic run: every quantile is its total, labelled the same way
    det = res.quantile(q, "government")
    pd.testing.assert_index_equal(det.index, pd.Index(q, name="q"))
    assert (det == res.total("government")).all()
    det_year = res.quantile(q, by="year")
    assert det_year.shape == (res.fiscal_years.size, 3)
    for col in q:
        np.testing.assert_array_equal(det_year[col].to_numpy(), res.annual().to_numpy())


def test_annual_is_labelled_by_fiscal_year_and_draw(res: ec.Result, mc: ec.Result) -> None:
    fy = pd.Index(res.fiscal_years, name="fiscal_year")
    one = res.annual("state_local", "pv")
    assert isinstance(one, pd.Series)
    pd.testing.assert_index_equal(one.index, fy)
    assert one.name == "state_local"
    np.testing.assert_array_equal(one.to_numpy(),
                                  res._store.annual(_sel(res, "state_local", "pv"))[0])
    assert one.sum() == pytest.approx(res.total("state_local", "pv"), rel=1e-12)
    many = mc.annual("federal", "real")
    assert isinstance(many, pd.DataFrame)
    pd.testing.assert_index_equal(many.index, pd.RangeIndex(64, name="draw"))
    pd.testing.assert_index_equal(many.columns, fy)
    np.testing.assert_array_equal(many.to_numpy(), mc._store.annual(_sel(mc, "federal", "real")))
    np.testing.assert_allclose(many.sum(axis=1), mc.total("federal", "real"), rtol=1e-12)


def test_to_xarray_labels_the_cube(res: ec.Result, mc: ec.Result) -> None:
    """dims (draw, fiscal_year, line), the cube's values, the lines as a MultiIndex; its
    series is the tidy ledger, row for row."""
    da = mc.to_xarray("real")
    assert da.dims == ("draw", "fiscal_year", "line")
    assert da.name == "amount"
    assert da.attrs["basis"] == "real"
    assert da.attrs["dollar_year"] == mc.dollar_year
    np.testing.assert_array_equal(da.values, mc.cube("real"))
    np.testing.assert_array_equal(da["draw"].values, np.arange(64))
    np.testing.assert_array_equal(da["fiscal_year"].values, mc.fiscal_years)
    for key in ("provision", "item", "payer", "kind"):
        assert da[key].values.tolist() == mc.lines[key].tolist()
    led = mc.ledger("real")
    back = da.to_series().reset_index()
    assert back.columns.tolist() == led.columns.tolist()
    np.testing.assert_array_equal(back["amount"].to_numpy(), led["amount"].to_numpy())
    for col in ("draw", "fiscal_year", "provision", "payer"):
        assert back[col].tolist() == led[col].tolist()
    # selecting by label: one provision's lines sum to its total
    hiring = da.sel(provision="hiring").sum(["fiscal_year", "line"])
    assert set(mc.lines.loc[mc.lines["provision"] == "hiring", "payer"]) == {"federal"}
    np.testing.assert_allclose(hiring.values, mc.total("federal", "real", provision="hiring"),
                               rtol=1e-12)
    # a deterministic run keeps its one draw; nominal amounts have no dollar year
    one = res.to_xarray()
    assert one.sizes["draw"] == 1
    assert "dollar_year" not in one.attrs
    np.testing.assert_array_equal(one.values, res.cube())
    red = ec.simulate(ec.load_scenario("eo13768"), draws=512, seed=1, detail="summary")
    with pytest.raises(ValueError, match="did not keep every draw's ledger lines"):
        red.to_xarray()


# -- policy, baseline, impact ----------------------------------------------------------------
def test_impact_policy_and_baseline_agree(res: ec.Result) -> None:
    assert res.has_baseline
    assert res.impact is res
    pol, base = res.policy, res.baseline
    assert base is not None
    assert not pol.has_baseline
    assert not base.has_baseline
    assert base.scenario is res.scenario.baseline
    assert base.baseline is None
    assert pol.fiscal_years.tolist() == base.fiscal_years.tolist() == res.fiscal_years.tolist()
    for perspective in ec.PERSPECTIVES:
        for basis in ec.BASES:
            assert res.total(perspective, basis=basis) == pytest.approx(
                pol.total(perspective, basis=basis) - base.total(perspective, basis=basis),
                rel=1e-12, abs=1e-3,
            )
    np.testing.assert_allclose(
        res.annual("federal"), pol.annual("federal") - base.annual("federal"), rtol=1e-12,
        atol=1e-3,
    )
    # Each side's pipeline: 10,000 officers added on one side only.
    assert res.pipeline()["officers"].iloc[-1] > res.pipeline("baseline")["officers"].iloc[-1]
    pd.testing.assert_frame_equal(res.pipeline("baseline"), base.pipeline())


def test_a_scenario_without_baseline_is_its_own_impact() -> None:
    res = ec.evaluate(ec.load_scenario("pre_eo_2016"))
    assert not res.has_baseline
    assert res.baseline is None
    for basis in ec.BASES:
        assert res.policy.total("federal", basis=basis) == res.total("federal", basis=basis)
    pd.testing.assert_frame_equal(res.policy.ledger(), res.ledger())


# -- errors -------------------------------------------------------------------------------------
def test_bad_perspective(res: ec.Result) -> None:
    msg = "'perspective' must be one of federal, state_local, government, economy: 'local'"
    with pytest.raises(ValueError, match=re.escape(msg)):
        res.total("local")
    with pytest.raises(ValueError, match=re.escape(msg)):
        res.table("local")


def test_bad_basis(res: ec.Result) -> None:
    msg = "'basis' must be one of nominal, real, pv: 'constant'"
    for call in (
        lambda: res.total("federal", basis="constant"),
        lambda: res.ledger(basis="constant"),
        lambda: res.summary(basis="constant"),
        lambda: res.cube("constant"),
    ):
        with pytest.raises(ValueError, match=re.escape(msg)):
            call()


@pytest.mark.parametrize("years", [0, 11, -1])
def test_bad_number_of_years(res: ec.Result, years: int) -> None:
    msg = f"'years' must be from 1 to 10 (first N years): {years}"
    with pytest.raises(ValueError, match=re.escape(msg)):
        res.total(years=years)


def test_years_outside_the_window(res: ec.Result) -> None:
    msg = "'years' must be fiscal years of the window 2017-2026: [2016, 2030]"
    with pytest.raises(ValueError, match=re.escape(msg)):
        res.total(years=[2030, 2017, 2016])
    with pytest.raises(ValueError, match=re.escape(msg.replace("[2016, 2030]", "[2027]"))):
        res.summary(years=[2027])


def test_bad_provision(res: ec.Result) -> None:
    msg = "'provision' must be one of " + ", ".join(ec.PROVISIONS) + ": 'walls'"
    with pytest.raises(ValueError, match=re.escape(msg)):
        res.total(provision="walls")


def test_pipeline_of_a_missing_baseline() -> None:
    res = ec.evaluate(ec.load_scenario("pre_eo_2016"))
    with pytest.raises(ValueError, match=r"^this result has no baseline$"):
        res.pipeline("baseline")


def test_pipeline_of_an_unknown_side(res: ec.Result) -> None:
    with pytest.raises(ValueError, match=re.escape("'side' must be one of policy, baseline")):
        res.pipeline("impact")  # type: ignore[arg-type]


# -- the headline rule ---------------------------------------------------------------
def test_headline_of_a_monte_carlo_run_is_its_views(mc: ec.Result) -> None:
    """headline() is mean_total, quantile and the central run's total, per perspective."""
    from enforcecost.results import HEADLINE

    assert HEADLINE == "mean"
    for basis in ("nominal", "real"):
        h = mc.headline(basis)
        assert h.attrs["basis"] == basis
        central = ec.evaluate(mc.scenario)
        assert list(h.columns) == ["central", "mean", "p5", "p50", "p95", "headline"]
        assert list(h.index) == [p for p in ec.PERSPECTIVES if p in h.index]
        assert "federal" in h.index
        for p in h.index:
            x = np.asarray(mc.total(p, basis))
            row = h.loc[p]
            assert row["mean"] == pytest.approx(x.mean(), rel=1e-12)
            assert row["mean"] == mc.mean_total(p, basis)
            assert [row["p5"], row["p50"], row["p95"]] == pytest.approx(
                np.quantile(x, [0.05, 0.5, 0.95]), rel=1e-12)
            assert row["central"] == central.total(p, basis)
            assert row["headline"] == "mean"
            assert row[row["headline"]] == ec.results.headline_value(mc, p, basis)
    # the central run differs from the mean (the uncertain inputs move the mean)
    assert h.loc["federal", "central"] != pytest.approx(h.loc["federal", "mean"], rel=1e-6)
    five = mc.headline(years=5)
    assert five.loc["federal", "mean"] == pytest.approx(float(np.mean(mc.total(years=5))))


def test_headline_of_a_deterministic_run_is_its_total(res: ec.Result) -> None:
    h = res.headline("pv")
    for p in h.index:
        assert list(h.loc[p, ["central", "mean", "p5", "p50", "p95"]]) == [
            res.total(p, "pv")] * 5
    with pytest.raises(ValueError, match="basis"):
        res.headline("euros")  # type: ignore[arg-type]


def test_compare_frame(res: ec.Result, mc: ec.Result) -> None:
    """One row per scenario, perspective and basis, with the headline()'s numbers."""
    frame = ec.compare({"central": res, "mc": mc}, basis=["nominal", "real"])
    assert list(frame.columns) == ["scenario", "perspective", "basis", "central", "mean", "p5",
                                   "p50", "p95", "headline"]
    n = len(res.headline()) + len(mc.headline())
    assert len(frame) == 2 * n
    assert set(frame["basis"]) == {"nominal", "real"}
    got = frame.set_index(["scenario", "perspective", "basis"])
    for name, r in (("central", res), ("mc", mc)):
        for basis in ("nominal", "real"):
            want = r.headline(basis)
            for p in want.index:
                assert list(got.loc[(name, p, basis)]) == list(want.loc[p])
    # a list is labelled by scenario name, which must then differ
    assert set(ec.compare([res])["scenario"]) == {res.scenario.name}
    with pytest.raises(ValueError, match="same name"):
        ec.compare([res, res])
    with pytest.raises(ValueError, match="at least one Result"):
        ec.compare({})
    other = ec.evaluate(ec.load_scenario("eo13768").replace(dollar_year=2020))
    with pytest.raises(ValueError, match="must share a dollar year"):
        ec.compare({"a": res, "b": other}, basis="real")


def test_readme_states_the_headline_rule() -> None:
    """The README's "Which number is the estimate?" paragraph quotes the rule's reason."""
    from pathlib import Path

    from enforcecost.results import HEADLINE, HEADLINE_WHY

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "### Which number is the estimate?" in text
    section = text.split("### Which number is the estimate?", 1)[1].split("\n## ", 1)[0]
    assert " ".join(HEADLINE_WHY.split()) in " ".join(section.split())
    assert f'`enforcecost.results.HEADLINE` (`"{HEADLINE}"`)' in section
