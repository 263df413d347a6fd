"""How the main objects show in a terminal and a notebook: one-line reprs, HTML tables.

``repr(Result)`` used to be the dataclass's, about 30,000 characters; every
public result object now has a one-line repr under about 200 characters with
its main number, and a ``_repr_html_`` with the table a reader wants first.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from scipy import stats

import enforcecost as ec
from enforcecost import sensitivity
from enforcecost.results._display import money_range, short_money
from enforcecost.sensitivity import test_functions as tf

LIMIT = 200


@pytest.fixture(scope="module")
def sc() -> ec.Scenario:
    return ec.load_scenario("eo13768")


@pytest.fixture(scope="module")
def mc(sc: ec.Scenario) -> ec.Result:
    return ec.simulate(sc, draws=512, seed=3)


@pytest.fixture(scope="module")
def det(sc: ec.Scenario) -> ec.Result:
    return ec.evaluate(sc)


@pytest.fixture(scope="module")
def studies(sc: ec.Scenario) -> dict[str, Any]:
    small = sc.replace(years=3)
    box = [stats.uniform(-np.pi, 2 * np.pi)] * 3
    return {
        "tornado": sensitivity.tornado(sc),
        "morris": sensitivity.morris(small, trajectories=4, seed=1),
        "sobol": sensitivity.sobol(small, n=64, replicates=4, seed=1),
        "sobol_indices": sensitivity.sobol_indices(tf.ishigami, box, 256, seed=1),
        "morris_indices": sensitivity.morris_indices(tf.ishigami, box, 8, seed=1),
    }


@pytest.fixture(scope="module")
def past() -> ec.Hindcast:
    return ec.hindcast("hindcast/eo13768_as_implemented", draws=64)


def one_line(text: str) -> None:
    assert "\n" not in text
    assert len(text) <= LIMIT, (len(text), text)


def is_table(markup: str, rows: int) -> None:
    """An HTML block with one table of ``rows`` body rows."""
    assert markup.startswith("<div>")
    assert markup.count("<table") == 1
    body = markup.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr") == rows


# -- the money words ------------------------------------------------------------------
@pytest.mark.parametrize(("x", "text"), [
    (34.46e9, "$34.5B"), (-512.34e6, "-$512.3M"), (1.25e12, "$1.2T"), (870.2, "$870"),
    (0.0, "$0"), (-4_500.0, "-$4.5k"),
])
def test_short_money(x: float, text: str) -> None:
    assert short_money(x) == text


def test_money_range_uses_the_largest_scale() -> None:
    assert money_range(34.46e9, 16.94e9, 50.31e9) == "$34.5B [16.9\u201350.3]"
    assert money_range(900e6, -200e6, 1.3e9) == "$0.9B [-0.2\u20131.3]"


# -- Result -----------------------------------------------------------------------------
def test_result_repr_states_draws_window_and_the_federal_total(mc: ec.Result) -> None:
    text = repr(mc)
    one_line(text)
    mean = mc.mean_total("federal") / 1e9
    p5, p95 = np.quantile(np.asarray(mc.total("federal")), [0.05, 0.95]) / 1e9
    assert text == (f"Result('EO 13768, full implementation', 512 draws, FY2017\u2013FY2026, "
                    f"federal ${mean:.1f}B [{p5:.1f}\u2013{p95:.1f}])")


def test_deterministic_result_repr(det: ec.Result) -> None:
    one_line(repr(det))
    total = float(det.total("federal")) / 1e9
    assert repr(det).endswith(f"central values, FY2017\u2013FY2026, federal ${total:.1f}B)")


def test_reduction_only_result_repr(sc: ec.Scenario) -> None:
    res = ec.simulate(sc, draws=256, seed=2, detail="summary")
    one_line(repr(res))
    assert "256 draws" in repr(res)


def test_result_html_is_the_headline_table(mc: ec.Result) -> None:
    markup = mc._repr_html_()
    is_table(markup, 4)  # federal, state and local, all governments, economy
    assert "Federal" in markup
    assert "millions of nominal dollars" in markup
    window = f"{mc.mean_total('federal') / 1e6:,.0f}"
    assert f"<td>{window}</td>" in markup
    p95 = f"{float(mc.quantile(0.95, 'federal')) / 1e6:,.0f}"
    assert f"<td>{p95}</td>" in markup


def test_deterministic_html_has_no_percentiles(det: ec.Result) -> None:
    markup = det._repr_html_()
    assert "p95" not in markup
    assert f"<td>{det.total('federal') / 1e6:,.0f}</td>" in markup


# -- Scenario -----------------------------------------------------------------------------
def test_scenario_repr(sc: ec.Scenario) -> None:
    text = repr(sc)
    one_line(text)
    assert text.startswith("Scenario('EO 13768, full implementation', eo13768.toml, "
                           "FY2017\u2013FY2026, 11 provisions, ")
    assert "baseline 'Pre-order" in text
    one_line(repr(sc.fixed()))  # 70-odd changes in code still fit
    assert "modified in code (" in repr(sc.fixed())


def test_scenario_html_lists_its_differences_from_the_registry(sc: ec.Scenario) -> None:
    changed = sc.replace(parameters={"ero_officers_added": 5000})
    markup = changed._repr_html_()
    rows = re.findall(r"<tr><td>([a-z0-9_]+)</td>", markup)
    reg = ec.registry()
    expected = [n for n, s in changed.settings().items()
                if s.value != reg[n].value or s.dist != reg[n].uncertainty
                or s.schedule != reg[n].by_year or s.dollar_year != reg[n].dollar_year]
    assert rows == expected
    assert "ero_officers_added" in rows
    assert "<td>5,000</td><td>10,000</td>" in markup
    plain = ec.Scenario(name="defaults")._repr_html_()
    assert "<table" not in plain
    assert "registry default" in plain


# -- sensitivity and hindcast --------------------------------------------------------------
@pytest.mark.parametrize("name", ["tornado", "morris", "sobol", "sobol_indices",
                                  "morris_indices"])
def test_sensitivity_reprs_are_one_line(studies: dict[str, Any], name: str) -> None:
    one_line(repr(studies[name]))
    assert "largest" in repr(studies[name])


def test_tornado_repr_and_html(studies: dict[str, Any]) -> None:
    tor = studies["tornado"]
    first = tor.frame.index[0]
    assert repr(tor).endswith(f"largest swing {first} {short_money(tor.frame['swing'].iloc[0])})")
    markup = tor._repr_html_()
    is_table(markup, 10)
    assert f"<th>{first}</th>" in markup
    assert f"<td>{tor.frame['swing'].iloc[0] / 1e6:,.0f}</td>" in markup


def test_study_html_shows_the_top_drivers(studies: dict[str, Any]) -> None:
    for name, column in (("morris", "mu_star"), ("sobol", "ST")):
        res = studies[name]
        frame = res.to_frame()
        markup = res._repr_html_()
        is_table(markup, min(10, len(frame)))
        assert f"<th>{frame.index[0]}</th>" in markup
        assert frame[column].iloc[0] == frame[column].max()
    for name in ("sobol_indices", "morris_indices"):
        is_table(studies[name]._repr_html_(), 3)


def test_hindcast_repr_and_html(past: ec.Hindcast) -> None:
    text = repr(past)
    one_line(text)
    summary = past.summary()
    met = summary["met"].dropna().astype(bool)
    assert text.endswith(f"FY2017\u2013FY2019, 64 draws, targets met {int(met.sum())} of "
                         f"{len(met)})")
    markup = past._repr_html_()
    is_table(markup, len(summary))
    for label in summary["label"]:
        assert label in markup
