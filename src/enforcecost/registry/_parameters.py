"""The parameter registry: every figure the model uses, with its unit, dollar year and source.

The registry is ``data/parameters.toml`` in the package, checked against the
schema beside it, ``data/registry_schema.toml`` (see :mod:`._schema`). Model code
holds no figures: provisions read parameter arrays by their public names, and
every default value comes from the registry with its citation.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import Problem, RegistryError
from ..vocab import SourceKind
from ._distributions import Distribution
from ._money import cpi_u
from ._schema import Schema, check_keys, schema

__all__ = [
    "NOT_BY_YEAR",
    "Parameter",
    "check_value",
    "load_registry",
    "parameters",
    "registry",
]


@dataclass(frozen=True)
class Parameter:
    """One registry entry.

    Attributes
    ----------
    name : str
        Public name (used in scenario files).
    provision : str
        The provision module that uses it (or ``money``).
    description, unit : str
        What it is and its unit; money units start with ``USD``.
    value : float
        Central value, in ``unit`` and ``dollar_year`` dollars; with
        ``by_year``, the central multiplier of the schedule.
    bounds : (float, float)
        Allowed range, inclusive.
    source_kind : {'seed', 'published', 'derived', 'assumption'}
        What the value rests on.
    citation : str
        The source with a short quote ("none found: ..." for assumptions).
    dollar_year : int, 'nominal' or None
        Dollar year of money values; ``'nominal'`` for statutory amounts that
        stay constant in then-year dollars; None for non-money parameters.
    uncertainty : Distribution or None
        Default uncertainty; None when the value is fixed. With ``by_year``,
        the distribution of the multiplier.
    allow_inf : bool
        Whether ``inf`` (an unlimited capacity) is allowed.
    role : {'input', 'reference'}
        ``reference`` figures are context and cross-checks, not model inputs.
    secondhand : bool
        True when the source is a third party quoting the agency.
    note : str
        Derivation arithmetic or caveat.
    by_year : tuple of (int, float) or None
        Values by fiscal year, years ascending (the step rule of
        :mod:`enforcecost.scenario`); None for a value constant over the window.
    """

    name: str
    provision: str
    description: str
    unit: str
    value: float
    bounds: tuple[float, float]
    source_kind: SourceKind
    citation: str
    dollar_year: int | Literal["nominal"] | None = None
    uncertainty: Distribution | None = None
    allow_inf: bool = False
    role: Literal["input", "reference"] = "input"
    secondhand: bool = False
    note: str = ""
    by_year: tuple[tuple[int, float], ...] | None = None

    @property
    def is_money(self) -> bool:
        """Whether the value is an amount of dollars."""
        return self.unit.startswith("USD")


def check_value(param: Parameter, value: float) -> str | None:
    """The rule a value breaks for ``param``, or None when it is allowed.

    Examples
    --------
    >>> check_value(registry()["detention_share"], 1.5)
    'must be within [0, 1]'
    """
    return _value_rule(value, param.bounds, param.allow_inf)


def _value_rule(value: float, bounds: tuple[float, float], allow_inf: bool) -> str | None:
    lo, hi = bounds
    if math.isnan(value):
        return "must be a number, not NaN"
    if math.isinf(value) and value > 0 and not allow_inf:
        return "must be finite (only capacities accept inf)"
    if not lo <= value <= hi:
        return f"must be within [{_fmt(lo)}, {_fmt(hi)}]"
    return None


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) and x > 0 else "-inf" if math.isinf(x) else f"{x:g}"


# -- the rules that read several keys (named, with their text, in the schema) ----------------
_Values = Mapping[str, Any]

#: Inputs the model reads as one value per draw, which a schedule (``by_year``)
#: cannot set, and why.
NOT_BY_YEAR: Mapping[str, str] = {
    "inflation_projection": "the CPI-U projection compounds one rate per draw",
    "discount_rate": "the window is discounted at one rate ([scenario] discount_rate)",
}


def _money_dollar_year(v: _Values) -> list[str]:
    money = v["unit"].startswith("USD")
    dy = v.get("dollar_year")
    first = cpi_u().first_year
    if money and not (dy == "nominal" or (isinstance(dy, int) and first <= dy)):
        return [f"money parameter needs dollar_year (a year from {first}, or 'nominal')"]
    if not money and dy is not None:
        return [f"dollar_year given for a non-money unit {v['unit']!r}"]
    return []


def _scaled(v: _Values, factor: float) -> list[tuple[str, float]]:
    """``(what, value)`` of ``factor``, or of ``factor`` times each year's value."""
    if v.get("by_year") is None:
        return [("", factor)]
    with np.errstate(all="ignore"):
        return [(f" x FY{y} {x:g}", float(np.float64(factor) * x)) for y, x in v["by_year"]]


def _value_allowed(v: _Values) -> list[str]:
    for what, x in _scaled(v, v["value"]):
        if rule := _value_rule(x, v["bounds"], v.get("allow_inf", False)):
            return [f"value {v['value']:g}{what} {rule}"]
    return []


def _uncertainty_within_bounds(v: _Values) -> list[str]:
    dist: Distribution | None = v.get("uncertainty")
    if dist is None:
        return []
    out = []
    for end in dist.range:
        broken = [w for w, x in _scaled(v, end)
                  if _value_rule(x, v["bounds"], v.get("allow_inf", False))]
        if broken:
            out.append(f"uncertainty reaches {end:g}{broken[0]}, outside the bounds")
    return out


#: rule name -> (the keys it reads, its check).
_RULES: Mapping[str, tuple[tuple[str, ...], Callable[[_Values], list[str]]]] = {
    "money_dollar_year": (("unit", "dollar_year"), _money_dollar_year),
    "value_allowed": (("value", "bounds", "allow_inf", "by_year"), _value_allowed),
    "uncertainty_within_bounds": (
        ("uncertainty", "bounds", "allow_inf", "by_year"),
        _uncertainty_within_bounds,
    ),
}


def _check_schema(spec: Schema) -> None:
    """The schema describes exactly :class:`Parameter`'s fields and the rules implemented here."""
    fields = {f.name for f in dataclasses.fields(Parameter)} - {"name"}
    if set(spec.keys) != fields or set(spec.rules) != set(_RULES):
        raise ValueError(
            "registry schema out of step with the loader: keys "
            f"{sorted(set(spec.keys) ^ fields)}, rules {sorted(set(spec.rules) ^ set(_RULES))}"
        )


def _build(
    name: str, raw: Mapping[str, Any], spec: Schema, source: str
) -> tuple[Parameter | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(rule: str, value: Any = ...) -> None:
        problems.append(Problem(source, name, rule, value))

    values, failed = check_keys(raw, spec, bad)
    for rule in spec.rules:
        reads, check = _RULES[rule]
        if not failed & set(reads):
            for broken in check(values):
                bad(broken)
    if values.get("by_year") is not None and name in NOT_BY_YEAR:
        bad(f"by_year: cannot be scheduled by year: {NOT_BY_YEAR[name]}")
    if problems:
        return None, problems
    return Parameter(name=name, **values), []


def load_registry(text: str, source: str = "<registry>") -> dict[str, Parameter]:
    """Parse and check a registry document (the TOML text of ``parameters.toml``).

    Every table is checked against the package's schema (``registry_schema.toml``).

    Parameters
    ----------
    text : str
        The TOML text.
    source : str
        Where the text was read from (the ``file`` of each problem).

    Raises
    ------
    RegistryError
        Listing every problem found (a :class:`ValueError`).
    """
    spec = schema()
    _check_schema(spec)
    data = tomllib.loads(text)
    out: dict[str, Parameter] = {}
    problems: list[Problem] = []
    for name, raw in data.items():
        if not isinstance(raw, dict):
            problems.append(Problem(source, name, "must be a table"))
            continue
        param, found = _build(name, raw, spec, source)
        problems += found
        if param is not None:
            out[name] = param
    if problems:
        raise RegistryError(problems)
    return out


@cache
def registry() -> Mapping[str, Parameter]:
    """The package's parameter registry, by public name (read once, then cached)."""
    path = resources.files("enforcecost").joinpath("data/parameters.toml")
    return load_registry(path.read_text("utf-8"), str(path))


def parameters() -> pd.DataFrame:
    """The registry as a DataFrame indexed by parameter name.

    Columns: provision, description, unit, dollar_year, value, by_year (a
    schedule by fiscal year as ``"2017: 25; 2018: 41"``, empty when the value is
    constant; ``value`` is then its multiplier), low, high (the range of the
    default uncertainty, empty when fixed), distribution, bounds, source_kind,
    secondhand, role, citation, note.

    Examples
    --------
    >>> import enforcecost as ec
    >>> float(ec.parameters().loc["ero_officers_added", "value"])
    10000.0
    """
    rows = []
    for p in registry().values():
        lo, hi = p.uncertainty.range if p.uncertainty else (math.nan, math.nan)
        rows.append(
            {
                "name": p.name,
                "provision": p.provision,
                "description": p.description,
                "unit": p.unit,
                "dollar_year": "" if p.dollar_year is None else str(p.dollar_year),
                "value": p.value,
                "by_year": "; ".join(f"{y}: {_fmt(v)}" for y, v in p.by_year or ()),
                "low": lo,
                "high": hi,
                "distribution": p.uncertainty.kind if p.uncertainty else "fixed",
                "bounds": f"[{_fmt(p.bounds[0])}, {_fmt(p.bounds[1])}]",
                "source_kind": p.source_kind,
                "secondhand": p.secondhand,
                "role": p.role,
                "citation": p.citation,
                "note": p.note,
            }
        )
    return pd.DataFrame(rows).set_index("name")
