"""The visa-sanctions data (issue #13): every row sourced, each figure in its quote, and
the registry's derived figures recomputed from the files.

``data/visa_sanctions/`` holds ICE's lists of recalcitrant countries (``lists.csv``), the
INA 243(d) sanctions of 2001-2020 (``events.csv``) and the B visas issued in FY2015 to
each listed or sanctioned country (``countries.csv``, a row of State's table quoted
verbatim). The registry's parameters for the provision are derived from them; these
tests redo the arithmetic so that the files and the registry cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import enforcecost as ec
from enforcecost.registry import registry

DATA = Path(ec.__file__).resolve().parent / "data" / "visa_sanctions"
REGISTRY = registry()
QUALITIES = {"official", "secondary", "weak"}
TYPES = {"officials", "all_b", "nearly_all"}
BROAD = {"all_b", "nearly_all"}
#: Years of the order's practice that set the rate and the mix of sanctions.
FIRST, LAST = 2017, 2020
#: The Federal Register rule that counts "318 visa applicants" affected (84 FR 16610).
FR_DATE = date(2019, 4, 22)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    frame = _read("countries.csv")
    for col in ("fiscal_year", "b1", "b1_b2", "b2", "b_visas"):
        frame[col] = frame[col].astype(int)
    return frame.set_index("country")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    frame = _read("events.csv")
    frame["year"] = frame["year"].astype(int)
    return frame


@pytest.fixture(scope="module")
def lists() -> pd.DataFrame:
    return _read("lists.csv").set_index("list")


def _as_of(d: str) -> date | None:
    return date.fromisoformat(d) if d else None


# -- every row sourced --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["countries.csv", "events.csv", "lists.csv"])
def test_every_row_is_sourced(name: str) -> None:
    frame = _read(name)
    assert len(frame) > 0
    for col in ("source", "quote", "url"):
        assert (frame[col].str.strip() != "").all(), (name, col)
    assert frame["url"].str.match(r"https?://\S+$").all(), name
    assert set(frame["quality"]) <= QUALITIES, name


def test_visa_counts_are_the_quoted_row_of_states_table(countries: pd.DataFrame) -> None:
    """The quote is the start of the table's row, verbatim: nationality, A-1, A-2, A-3,
    B-1, B-1/B-2, B-2; each count sits in its column and B visas are their sum."""
    for country, r in countries.iterrows():
        head, _, row = r["quote"].partition("] ")
        assert head.startswith("[columns: Fiscal Year 2015, A-1, A-2, A-3, B-1, B-1,2, B-2")
        fields = next(csv.reader(io.StringIO(row)))
        assert len(fields) == 7, country
        nationality = fields[0]
        assert str(country).split()[-1][:5] in nationality, (country, nationality)
        assert [int(f) for f in fields[4:7]] == [r["b1"], r["b1_b2"], r["b2"]], country
        assert r["b_visas"] == r["b1"] + r["b1_b2"] + r["b2"], country
        assert r["fiscal_year"] == 2015


def test_the_listed_countries_are_ices_list_of_may_2017(
    countries: pd.DataFrame, lists: pd.DataFrame,
) -> None:
    may = lists.loc["ice_may2017"]
    named = [c.strip() for c in may["named"].split(";")]
    assert len(named) == int(may["countries_listed"]) == 12
    for c in named:
        assert c in may["quote"], c
    assert f"{may['countries_listed']} countries" in may["quote"]
    assert set(countries.index[countries["listed_may2017"] == "yes"]) == set(named)
    assert "Hong Kong, Iran, Laos, Morocco, South Sudan and Vietnam" in (
        REGISTRY["recalcitrant_countries"].citation)


def test_each_list_count_is_in_its_quote(lists: pd.DataFrame) -> None:
    for name, r in lists.iterrows():
        assert re.search(rf"\b{r['countries_listed']} countries\b", r["quote"]), name
        for c in filter(None, (c.strip() for c in r["named"].split(";"))):
            assert c in r["quote"], (name, c)
    # the seed's 23, before the order
    assert int(lists.loc["ice_2016", "countries_listed"]) == REGISTRY[
        "recalcitrant_countries"].value


def test_events_are_typed_dated_and_quoted(events: pd.DataFrame) -> None:
    assert set(events["sanction_type"]) <= TYPES
    assert set(events["new_country"]) <= {"yes", "no"}
    assert not events.duplicated(["country", "year", "sanction_type"]).any()
    for r in events.itertuples(index=False):
        stem = r.country.split()[-1][:5]
        assert stem in r.quote, r.event
        start = _as_of(r.effective_date)
        if start is not None:
            assert start.year == r.year, r.event
        end = _as_of(r.lifted_date)
        if end is not None:
            assert start is not None, r.event
            assert end > start, r.event
            assert r.lifted_quote.strip(), r.event
            assert r.lifted_url.startswith("http"), r.event
        else:
            assert (r.lifted_quote, r.lifted_url) == ("", ""), r.event
    # a widened sanction is not a new country: each country is new once
    new = events[events["new_country"] == "yes"]
    assert not new["country"].duplicated().any()


def _practice(events: pd.DataFrame) -> pd.DataFrame:
    """The countries first sanctioned in FIRST-LAST, with the widest type each reached."""
    window = events[events["year"].between(FIRST, LAST)]
    new = window[window["new_country"] == "yes"]
    widest = {c: ("nearly_all" if "nearly_all" in set(g["sanction_type"])
                  else "all_b" if "all_b" in set(g["sanction_type"]) else "officials")
              for c, g in window.groupby("country")}
    return pd.DataFrame({"country": new["country"].to_numpy(),
                         "year": new["year"].to_numpy(),
                         "widest": [widest[c] for c in new["country"]]})


def test_sanctioned_countries_agree_across_the_files(
    countries: pd.DataFrame, events: pd.DataFrame,
) -> None:
    practice = _practice(events)
    assert set(practice["country"]) == set(
        countries.index[countries["sanctioned_2017_2020"] == "yes"])
    assert set(events["country"]) - {"Guyana"} <= set(countries.index)


# -- the registry's figures, recomputed ---------------------------------------------------

def test_sanctions_per_year_is_the_2017_2020_rate(events: pd.DataFrame) -> None:
    practice = _practice(events)
    per_year = practice.groupby("year").size().reindex(range(FIRST, LAST + 1), fill_value=0)
    assert per_year.tolist() == [4, 2, 2, 1]
    p = REGISTRY["sanctions_per_year"]
    assert p.value == per_year.sum() / (LAST - FIRST + 1) == 2.25
    assert p.uncertainty is not None
    assert p.uncertainty.range == (per_year.min(), per_year.max())
    # before the order: 2 uses in the 16 years 2001-2016, the baseline's rate
    before = events[(events["year"] < FIRST) & (events["new_country"] == "yes")]
    assert len(before) == 2
    base = ec.load_scenario("pre_eo_2016")
    assert base.parameters["sanctions_per_year"].value == 2 / 16
    assert base.parameters["broad_sanction_share"].value == 0
    assert set(before["sanction_type"]) == {"officials"}


def test_the_mix_of_sanction_types_is_the_2017_2020_mix(events: pd.DataFrame) -> None:
    widest = _practice(events)["widest"]
    broad = widest.isin(BROAD)
    assert (broad.sum(), len(widest)) == (3, 9)
    assert REGISTRY["broad_sanction_share"].value == pytest.approx(broad.mean(), abs=5e-4)
    nearly_all = (widest == "nearly_all").sum() / broad.sum()
    assert REGISTRY["nearly_all_share_of_broad"].value == pytest.approx(nearly_all, abs=5e-4)


def test_spending_per_overseas_visitor_is_nttos_overseas_spending_per_arrival() -> None:
    p = REGISTRY["spending_per_overseas_visitor"]
    for printed in ("$244.7 billion", "Canada ($20.9 billion), Mexico ($20.2 billion)",
                    "19.3 -7% 18.7 +2%", "75.6 million"):
        assert printed in p.citation, printed
    per_visitor = (244.7e9 - 20.9e9 - 20.2e9) / (75.6e6 - 19.3e6 - 18.7e6)
    assert p.value == round(per_visitor)
    assert p.dollar_year == REGISTRY["visitor_spending_total"].dollar_year == 2016


@pytest.mark.parametrize(("name", "types"), [
    ("visitor_spending_per_officials_sanctioned_country", {"officials"}),
    ("visitor_spending_per_broadly_sanctioned_country", BROAD),
])
def test_spending_of_a_sanctioned_country_is_the_b_visa_proxy(
    countries: pd.DataFrame, events: pd.DataFrame, name: str, types: set[str],
) -> None:
    """Central: the mean B visas of the countries sanctioned that way times spending per
    visitor; low: their median; high: the mean over ICE's list of May 2017."""
    per_visitor = REGISTRY["spending_per_overseas_visitor"].value
    practice = _practice(events)
    visas = countries.loc[practice.loc[practice["widest"].isin(types), "country"], "b_visas"]
    listed = countries.loc[countries["listed_may2017"] == "yes", "b_visas"]
    p = REGISTRY[name]
    assert p.dollar_year == 2016
    assert p.value == pytest.approx(visas.mean() * per_visitor, abs=1)
    assert p.uncertainty is not None
    low, high = p.uncertainty.range
    assert low == pytest.approx(statistics.median(visas) * per_visitor, abs=1)
    assert high == pytest.approx(listed.mean() * per_visitor, abs=1)
    # broad sanctions fell on the smallest countries sanctioned
    if types == BROAD:
        assert p.value < REGISTRY["visitor_spending_per_officials_sanctioned_country"].value


def test_officials_loss_share_is_318_applicants_over_b_visas_while_sanctioned(
    countries: pd.DataFrame, events: pd.DataFrame,
) -> None:
    """B visas issued a year (FY2015) times the years each officials-type sanction with a
    published start was in force up to the rule that counts the 318 applicants."""
    visa_years = 0.0
    for r in events[events["sanction_type"] == "officials"].itertuples(index=False):
        start = _as_of(r.effective_date)
        if start is None or start > FR_DATE:
            continue  # Guyana 2001 and Pakistan 2019 (no published start)
        end = min(_as_of(r.lifted_date) or FR_DATE, FR_DATE)
        visa_years += countries.loc[r.country, "b_visas"] * (end - start).days / 365.25
    assert round(visa_years) == 15_440
    p = REGISTRY["visa_loss_share_officials"]
    assert "318 visa applicants have been affected" in p.citation
    assert p.value == pytest.approx(318 / visa_years, abs=5e-5)


def test_loss_shares_rise_with_the_sanctions_reach() -> None:
    officials, all_b, nearly_all = (REGISTRY[f"visa_loss_share_{t}"].value
                                    for t in ("officials", "all_b", "nearly_all"))
    assert 0 < officials < all_b <= nearly_all <= 1
    # Eritrea's fall against the world and against East Africa bracket the central
    fall_world = 1 - (513 / 1_202) / (3_246_076 / 3_324_811)
    fall_region = 1 - (513 / 1_202) / (28_301 / 24_191)
    assert fall_world < all_b < fall_region
    assert all_b == pytest.approx((fall_world + fall_region) / 2, abs=5e-3)
