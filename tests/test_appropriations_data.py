"""The 2025 revival's appropriations data (issue #15): every table sourced, every amount in
its quote, CBO's rows transcribed exactly (they sum to CBO's printed totals) and the spend-out
profiles recomputed from the CBO rows they are derived from.

``data/appropriations_2025.toml`` holds the enacted appropriations of P.L. 119-21 and
P.L. 119-98 (budget authority by fiscal year, availability), committee earmarks that did not
survive, totals reported by others, the FY2023-FY2025 ICE baselines, CBO's committee-stage
tables and the spend-out profiles derived from them. The research notes are in
``docs/research/revival_2025_appropriations.md``.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import enforcecost as ec

DATA = Path(ec.__file__).resolve().parent / "data" / "appropriations_2025.toml"
ACCOUNTS = {"detention", "personnel", "removal_operations", "courts", "state_local", "facility"}
SCOPES = {"ice", "ice_non_immigration", "eoir_doj", "state_local", "dhs_shared"}
LAWS = ("P.L. 119-21", "P.L. 119-98")
YEARS = list(range(2025, 2035))
_URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def _printed(text: str) -> float | None:
    digits = re.sub(r"[^\d.]", "", text)
    try:
        return float(digits)
    except ValueError:
        return None


def _amount_in_quote(entry: dict[str, Any], amount: float) -> str | None:
    """Why ``amount`` is not supported by the entry's quote, or None if it is.

    The amount occurs in the quote with thousands separators (``$45,000,000,000``) or the entry
    gives the text as printed (``quoted_as``, e.g. ``$31.075B``) and the multiplier.
    """
    quote = entry["quote"]
    if "quoted_as" not in entry:
        if float(amount).is_integer() and f"{int(amount):,}" in quote:
            return None
        if not float(amount).is_integer() and f"{amount}" in quote:
            return None
        return f"{amount} is not in the quote and no quoted_as is given"
    quoted_as, scale = entry["quoted_as"], float(entry.get("scale", 1.0))
    if quoted_as not in quote:
        return f"quoted_as {quoted_as!r} is not in the quote"
    printed = _printed(quoted_as)
    if printed is None or not math.isclose(printed * scale, amount, rel_tol=1e-9):
        return f"{amount} is not {quoted_as!r} x {scale}"
    return None


def _tables(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(section, name, entry) for section, tables in data.items()
            for name, entry in tables.items()]


# -- every table sourced -------------------------------------------------------------------

def test_file_has_the_expected_sections(data: dict[str, Any]) -> None:
    assert set(data) == {"appropriation", "earmark", "reported_total", "baseline", "cbo",
                         "spend_out"}
    assert len(data["cbo"]) >= 2
    assert len(data["spend_out"]) >= 1


def test_every_table_has_source_quote_and_url(data: dict[str, Any]) -> None:
    for section, name, entry in _tables(data):
        for key in ("source", "quote", "url"):
            assert isinstance(entry.get(key), str), (section, name, key)
            assert entry[key].strip(), (section, name, key)
        assert _URL.fullmatch(entry["url"]), (section, name, entry["url"])
        if "official_url" in entry:
            assert _URL.fullmatch(entry["official_url"]), (section, name)


# -- appropriations -----------------------------------------------------------------------

def test_appropriations_are_well_formed(data: dict[str, Any]) -> None:
    for name, a in data["appropriation"].items():
        assert a["law"].startswith(LAWS), name
        assert a["account"] in ACCOUNTS, (name, a["account"])
        assert set(a["purposes"]) <= ACCOUNTS, name
        assert a["account"] in a["purposes"], name
        assert a["scope"] in SCOPES, (name, a["scope"])
        assert a["quality"] in {"official", "secondary"}, name
        ba = a["budget_authority"]
        assert ba, name
        for fy, amount in ba.items():
            assert 2025 <= int(fy) <= 2034, (name, fy)
            assert isinstance(amount, int), (name, fy, amount)
            assert amount > 0, (name, fy, amount)
        assert min(int(fy) for fy in ba) <= a["available_through"] <= 2034, name
        # the enacted text of P.L. 119-21 was read (in a mirror): those entries are official
        if a["law"].startswith("P.L. 119-21"):
            assert a["quality"] == "official", name
            assert a["read_via"] == "mirror", name
            assert list(ba) == ["2025"], name
        else:
            assert list(ba) == ["2026"], name


def test_every_amount_occurs_in_its_quote(data: dict[str, Any]) -> None:
    for name, a in data["appropriation"].items():
        for amount in a["budget_authority"].values():
            assert _amount_in_quote(a, amount) is None, (name, _amount_in_quote(a, amount))
    for section, key in (("earmark", "amount"), ("reported_total", "amount"),
                         ("baseline", "value")):
        for name, entry in data[section].items():
            assert entry[key] > 0, (section, name)
            why = _amount_in_quote(entry, entry[key])
            assert why is None, (section, name, why)


def test_availability_is_the_one_the_quote_states(data: dict[str, Any]) -> None:
    """The statute's own words date each appropriation's last fiscal year."""
    for name, a in data["appropriation"].items():
        if a["quality"] != "official":
            continue
        fy = a["available_through"]
        stated = re.findall(r"(?:until|through) September 30, (\d{4})", a["quote"])
        assert stated, name
        assert {int(s) for s in stated} == {fy}, (name, stated, fy)


def test_fletc_floor_and_ceiling_split_the_750_million(data: dict[str, Any]) -> None:
    apps = data["appropriation"]
    total = sum(apps[n]["budget_authority"]["2025"]
                for n in ("pl119_21_sec100053_fletc_training",
                          "pl119_21_sec100053_fletc_facilities"))
    assert total == 750_000_000
    for n in ("pl119_21_sec100053_fletc_training", "pl119_21_sec100053_fletc_facilities"):
        assert "$750,000,000" in apps[n]["quote"], n


def test_immigration_judge_cap_is_the_quoted_one(data: dict[str, Any]) -> None:
    doj = data["appropriation"]["pl119_21_sec100054_doj"]
    assert f"not more than {doj['immigration_judge_cap']} immigration judges" in doj["quote"]
    assert "November 1, 2028" in doj["quote"]
    assert doj["immigration_judge_cap_from"] == "2028-11-01"


def test_reported_totals_are_the_sum_of_their_parts(data: dict[str, Any]) -> None:
    apps = data["appropriation"]
    for name, total in data["reported_total"].items():
        parts = [apps[p] for p in total["parts"]]
        assert all(p["law"].startswith(total["law"]) for p in parts), name
        assert all(p["agency"] == "ICE" for p in parts), name
        # every ICE appropriation of the law is a part: the reported total is ICE's whole
        ice = {n for n, p in apps.items()
               if p["law"].startswith(total["law"]) and p["agency"] == "ICE"}
        assert ice == set(total["parts"]), name
        summed = sum(sum(p["budget_authority"].values()) for p in parts)
        assert abs(summed - total["amount"]) <= total["tolerance"], (name, summed)


def test_earmarks_are_not_binding(data: dict[str, Any]) -> None:
    for name, e in data["earmark"].items():
        assert e["binding"] is False, name
        assert e["account"] in ACCOUNTS, name
    # the House earmarks fit inside the enacted lump sum they would split
    lump = data["appropriation"]["pl119_21_sec100052_ice"]["budget_authority"]["2025"]
    assert sum(e["amount"] for e in data["earmark"].values()) < lump


# -- CBO tables ----------------------------------------------------------------------------

def _row(label: str, values: dict[str, int], star: list[int], totals: list[int]) -> str:
    cells = ["*" if y in star else f"{values[str(y)]:,}" for y in YEARS]
    return " ".join([label, *cells, *(f"{t:,}" for t in totals)])


@pytest.mark.parametrize("name", ["house_homeland_title_vi", "house_judiciary_title_vii"])
def test_cbo_rows_are_transcribed_in_order(data: dict[str, Any], name: str) -> None:
    """The quote is CBO's rows flattened; each stored row, with its totals, reads back from it."""
    t = data["cbo"][name]
    tot = t["totals"]
    for key, label in (("budget_authority", "Budget Authority"), ("outlays", "Estimated Outlays"),
                       ("revenues", "Estimated Revenues")):
        if key not in t:
            continue
        assert [int(y) for y in t[key]] == YEARS, (name, key)
        star = t.get("star", {}).get(key, [])
        assert all(t[key][str(y)] == 0 for y in star), (name, key)
        row = _row(label, t[key], star, [tot[f"{key}_2025_2029"], tot[f"{key}_2025_2034"]])
        assert row in t["quote"], (name, row)


@pytest.mark.parametrize("name", ["house_homeland_title_vi", "house_judiciary_title_vii"])
def test_cbo_rows_sum_to_cbos_totals(data: dict[str, Any], name: str) -> None:
    t = data["cbo"][name]
    for key in ("budget_authority", "outlays", "revenues"):
        if key not in t:
            continue
        row = t[key]
        assert sum(row[str(y)] for y in range(2025, 2030)) == t["totals"][f"{key}_2025_2029"]
        assert sum(row[str(y)] for y in YEARS) == t["totals"][f"{key}_2025_2034"]


def test_cbo_outlay_totals_are_the_published_ones(data: dict[str, Any]) -> None:
    """CBO's text: $67.1 billion (Homeland Security) and $6.9 billion deficit, $73.46 billion
    of spending (Judiciary) over 2025-2034."""
    assert data["cbo"]["house_homeland_title_vi"]["totals"]["outlays_2025_2034"] == 67147
    assert data["cbo"]["house_judiciary_title_vii"]["totals"]["outlays_2025_2034"] == 73458
    j = data["cbo"]["house_judiciary_title_vii"]["totals"]
    assert j["outlays_2025_2034"] - j["revenues_2025_2034"] == 6910  # CBO: "$6.9 billion"


# -- spend-out profiles --------------------------------------------------------------------

def _recompute(profile: dict[str, Any], table: dict[str, Any]) -> list[float]:
    first = profile["first_fiscal_year"]
    years = [str(first + k) for k in range(len(profile["fractions"]))]
    ba0 = table["budget_authority"][str(first)]
    if profile["rule"] == "outlays":
        return [table["outlays"][y] / ba0 for y in years]
    if profile["rule"] == "outlays_less_same_year_ba":
        return [(table["outlays"][y] - (table["budget_authority"][y] if y != str(first) else 0))
                / ba0 for y in years]
    raise AssertionError(f"unknown rule {profile['rule']!r}")


def test_spend_out_fractions_are_shares(data: dict[str, Any]) -> None:
    for name, p in data["spend_out"].items():
        f = p["fractions"]
        assert f, name
        assert all(0.0 <= x <= 1.0 for x in f), name
        assert sum(f) <= 1.0 + 1e-9, name
        assert p["derivation"].strip(), name


def test_spend_out_fractions_are_the_cbo_rows(data: dict[str, Any]) -> None:
    for name, p in data["spend_out"].items():
        table = data["cbo"][p["based_on"]]
        assert p["first_fiscal_year"] == 2025
        for got, want in zip(p["fractions"], _recompute(p, table), strict=True):
            assert abs(got - want) < 1e-6, (name, got, want)


def test_the_ice_profile_is_from_the_title_that_carried_ice(data: dict[str, Any]) -> None:
    ice = [n for n, p in data["spend_out"].items() if p["comparable_to_ice"]]
    assert ice == ["cbo_house_judiciary_2025"]
    assert "ICE" in data["cbo"][data["spend_out"][ice[0]]["based_on"]]["carries"]
    # the dropped 2034 residual is CBO rounding: -9 of 81,395
    j = data["cbo"]["house_judiciary_title_vii"]
    assert abs(j["outlays"]["2034"] - j["budget_authority"]["2034"]) < 0.0002 * 81395
