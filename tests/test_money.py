"""Dollar years, CPI-U conversions and discounting, against hand arithmetic on BLS figures."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from enforcecost.registry import PriceIndex, Window, cpi_u, discount_factors

# BLS CPI-U, U.S. city average, all items, annual averages (series CUUR0000SA0, 1982-84=100).
BLS_CPI_U = {
    2000: 172.2,
    2008: 215.303,
    2015: 237.017,
    2016: 240.007,
    2017: 245.12,
    2020: 258.811,
    2021: 270.97,
    2022: 292.655,
    2023: 304.702,
    2024: 313.689,
}


@pytest.mark.parametrize(("year", "published"), sorted(BLS_CPI_U.items()))
def test_shipped_index_is_the_bls_annual_average(year: int, published: float) -> None:
    assert float(cpi_u().level(year)) == published


def test_shipped_index_is_consecutive_and_cited() -> None:
    idx = cpi_u()
    assert idx.first_year == 2000
    assert idx.last_year >= 2024
    np.testing.assert_array_equal(np.diff(idx.years), 1)
    assert "CUUR0000SA0" in idx.source


@pytest.mark.parametrize(
    ("from_year", "to_year", "expected"),
    [
        (2015, 2017, 245.12 / 237.017),
        (2017, 2015, 237.017 / 245.12),
        (2008, 2015, 237.017 / 215.303),
        (2016, 2017, 245.12 / 240.007),
        (2020, 2017, 245.12 / 258.811),
        (2000, 2024, 313.689 / 172.2),
    ],
)
def test_factor_is_the_ratio_of_index_levels(from_year: int, to_year: int, expected: float) -> None:
    assert float(cpi_u().factor(from_year, to_year)) == pytest.approx(expected, rel=1e-15)


def test_factor_reproduces_the_registry_note_on_social_security_taxes() -> None:
    # parameters.toml, social_security_taxes_per_person: "2,362 in 2022 dollars, 1,760 in
    # 2010 dollars"
    assert round(2362 * float(cpi_u().factor(2022, 2010))) == 1760


def test_years_past_the_data_grow_at_inflation_projection() -> None:
    idx = cpi_u()
    last = idx.last_year
    last_level = float(idx.level(last))
    assert float(idx.level(last + 1, 0.025)) == pytest.approx(last_level * 1.025, rel=1e-15)
    assert float(idx.level(last + 7, 0.03)) == pytest.approx(last_level * 1.03**7, rel=1e-14)
    # data years ignore the projection rate
    assert float(idx.level(2017, 0.5)) == 245.12
    # a conversion from a data year into a projected one
    assert float(idx.factor(2017, last + 3, 0.02)) == pytest.approx(
        last_level * 1.02**3 / 245.12, rel=1e-14
    )


def test_default_projection_is_flat() -> None:
    idx = cpi_u()
    assert float(idx.level(idx.last_year + 5)) == float(idx.level(idx.last_year))


def test_vectorized_broadcasting_draws_by_years() -> None:
    idx = cpi_u()
    years = np.arange(2020, idx.last_year + 6)
    g = np.array([[0.0], [0.02], [0.04]])
    levels = idx.level(years, g)
    assert levels.shape == (3, years.size)
    for i, rate in enumerate(g[:, 0]):
        for j, y in enumerate(years):
            assert levels[i, j] == pytest.approx(float(idx.level(int(y), float(rate))), rel=1e-15)
    factors = idx.factor(2017, years, g)
    assert factors.shape == (3, years.size)
    np.testing.assert_allclose(factors, levels / 245.12, rtol=1e-15)


def test_years_before_the_data_are_an_error() -> None:
    idx = cpi_u()
    with pytest.raises(
        ValueError, match=re.escape("price index starts in 2000: no level for 1999")
    ):
        idx.level(1999)
    with pytest.raises(ValueError, match=re.escape("no level for 1990")):
        idx.factor(1990, 2017)
    with pytest.raises(ValueError, match=re.escape("no level for 1995")):
        idx.level(np.array([2017, 1995, 1998]))


@pytest.mark.parametrize("year", [2017.5, float("nan")])
def test_fractional_years_are_an_error(year: float) -> None:
    with pytest.raises(ValueError, match="'year' must be whole calendar years"):
        cpi_u().level(year)


def test_whole_float_years_are_accepted() -> None:
    assert float(cpi_u().level(2017.0)) == 245.12


@pytest.mark.parametrize(
    ("years", "levels", "message"),
    [
        ([2000, 2002], [1.0, 2.0], "'years' must be consecutive calendar years"),
        ([], [], "'years' must be consecutive calendar years"),
        ([2000, 2001], [1.0, 0.0], "'levels' must be positive and finite, one per year"),
        ([2000, 2001], [1.0, np.nan], "'levels' must be positive and finite, one per year"),
        ([2000, 2001], [1.0], "'levels' must be positive and finite, one per year"),
    ],
)
def test_price_index_validation(years: list[int], levels: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        PriceIndex(np.array(years, dtype=np.int64), np.array(levels, dtype=np.float64))


# -- window and discounting ------------------------------------------------------------------
def test_window() -> None:
    w = Window(2017, 10)
    np.testing.assert_array_equal(w.fiscal_years, np.arange(2017, 2027))
    assert w.end_year == 2026
    with pytest.raises(ValueError, match=re.escape("'years' must be >= 1: 0")):
        Window(2017, 0)


@pytest.mark.parametrize("rate", [0.0, 0.02, 0.03, 0.07, -0.01])
def test_discount_factors_identity(rate: float) -> None:
    w = Window(2017, 10)
    df = discount_factors(w, rate)
    assert df.shape == (10,)
    assert df[0] == 1.0
    t = w.fiscal_years - w.start_year
    # (1 + r) ** t undoes the discounting of year t
    np.testing.assert_allclose(df * (1.0 + rate) ** t, 1.0, rtol=1e-14)
    np.testing.assert_allclose(df[1:] / df[:-1], 1.0 / (1.0 + rate), rtol=1e-14)


def test_discount_factors_omb_seven_percent() -> None:
    # OMB Circular A-4 (2003) at 7%: a dollar ten years out is worth 1 / 1.07**10 = 0.5083
    assert discount_factors(Window(2017, 11), 0.07)[10] == pytest.approx(0.508349, rel=1e-5)


@pytest.mark.parametrize("rate", [-1.0, -2.0, float("nan")])
def test_discount_rate_must_exceed_minus_one(rate: float) -> None:
    with pytest.raises(ValueError, match="'discount_rate' must be > -1"):
        discount_factors(Window(2017, 10), rate)


# -- properties ----------------------------------------------------------------------------
_YEARS = st.integers(min_value=2000, max_value=2100)
_RATES = st.floats(min_value=-0.05, max_value=0.2)


@given(a=_YEARS, b=_YEARS, c=_YEARS, g=_RATES)
def test_factors_chain(a: int, b: int, c: int, g: float) -> None:
    idx = cpi_u()
    chained = float(idx.factor(a, b, g)) * float(idx.factor(b, c, g))
    assert chained == pytest.approx(float(idx.factor(a, c, g)), rel=1e-12)


@given(a=_YEARS, g=_RATES)
def test_factor_to_the_same_year_is_one(a: int, g: float) -> None:
    assert float(cpi_u().factor(a, a, g)) == 1.0
