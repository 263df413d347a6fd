"""The parameter registry: every figure the model uses, with its unit, dollar year and source.

The registry is ``data/parameters.toml`` in the package. Model code holds no
figures: provisions read parameter arrays by their public names, and every
default value comes from the registry with its citation.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import pandas as pd

from .distributions import Distribution, check_distribution
from .errors import Problem, RegistryError
from .money import cpi_u
from .provisions import PROVISIONS
from .vocab import MONEY_GROUP, SOURCE_KINDS, SourceKind

__all__ = [
    "PROVISIONS",
    "SOURCE_KINDS",
    "Parameter",
    "check_value",
    "parameters",
    "registry",
]

#: Registry groups: every discovered provision, plus ``money`` for the price and
#: discounting conventions.
_GROUPS = (*PROVISIONS, MONEY_GROUP)

_REQUIRED = {"provision", "description", "unit", "value", "bounds", "source_kind", "citation"}
_OPTIONAL = {"secondhand", "dollar_year", "uncertainty", "allow_inf", "role", "note"}


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
        Central value, in ``unit`` and ``dollar_year`` dollars.
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
        Default uncertainty; None when the value is fixed.
    allow_inf : bool
        Whether ``inf`` (an unlimited capacity) is allowed.
    role : {'input', 'reference'}
        ``reference`` figures are context and cross-checks, not model inputs.
    secondhand : bool
        True when the source is a third party quoting the agency.
    note : str
        Derivation arithmetic or caveat.
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
    lo, hi = param.bounds
    if math.isnan(value):
        return "must be a number, not NaN"
    if math.isinf(value) and value > 0 and not param.allow_inf:
        return "must be finite (only capacities accept inf)"
    if not lo <= value <= hi:
        return f"must be within [{_fmt(lo)}, {_fmt(hi)}]"
    return None


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) and x > 0 else "-inf" if math.isinf(x) else f"{x:g}"


def _build(
    name: str, raw: Mapping[str, Any], source: str
) -> tuple[Parameter | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(rule: str, value: Any = ...) -> None:
        problems.append(Problem(source, name, rule, value))

    for k in sorted(_REQUIRED - raw.keys()):
        bad(f"missing key {k!r}")
    for k in sorted(raw.keys() - _REQUIRED - _OPTIONAL):
        bad(f"unknown key {k!r}")
    if problems:
        return None, problems
    if raw["provision"] not in _GROUPS:
        bad(f"unknown provision {raw['provision']!r}")
    if raw["source_kind"] not in SOURCE_KINDS:
        bad(f"source_kind must be one of {SOURCE_KINDS}")
    if not str(raw["citation"]).strip():
        bad("empty citation")
    for key in ("description", "unit", "citation", "note"):
        if key in raw and not isinstance(raw[key], str):
            bad(f"{key} must be a string")
    if raw.get("role", "input") not in ("input", "reference"):
        bad("role must be 'input' or 'reference'", raw["role"])
    for key in ("allow_inf", "secondhand"):
        if key in raw and not isinstance(raw[key], bool):
            bad(f"{key} must be true or false", raw[key])
    value = raw["value"]
    if not (isinstance(value, int | float) and not isinstance(value, bool)):
        bad("value must be a number", value)
        return None, problems
    money = str(raw["unit"]).startswith("USD")
    dy = raw.get("dollar_year")
    first = cpi_u().first_year
    if money and not (
        dy == "nominal" or (isinstance(dy, int) and not isinstance(dy, bool) and first <= dy)
    ):
        bad(f"money parameter needs dollar_year (a year from {first}, or 'nominal')")
    if not money and dy is not None:
        bad(f"dollar_year given for a non-money unit {raw['unit']!r}")
    dist = None
    if "uncertainty" in raw:
        dist, dist_problems = check_distribution(raw["uncertainty"])
        for p in dist_problems:
            bad(f"uncertainty.{p.key}: {p.rule}", p.value)
    bounds = raw["bounds"]
    if not (
        isinstance(bounds, list)
        and len(bounds) == 2
        and all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
        and bounds[0] <= bounds[1]
    ):
        bad("bounds must be [low, high]")
        return None, problems
    if problems:
        return None, problems
    param = Parameter(
        name=name,
        provision=raw["provision"],
        description=raw["description"],
        unit=raw["unit"],
        value=float(raw["value"]),
        bounds=(float(bounds[0]), float(bounds[1])),
        source_kind=raw["source_kind"],
        citation=raw["citation"],
        dollar_year=dy,
        uncertainty=dist,
        allow_inf=bool(raw.get("allow_inf", False)),
        role=raw.get("role", "input"),
        secondhand=bool(raw.get("secondhand", False)),
        note=raw.get("note", ""),
    )
    rule = check_value(param, param.value)
    if rule:
        bad(f"value {param.value:g} {rule}")
    if dist is not None:
        for end in dist.range:
            if check_value(param, end):
                bad(f"uncertainty reaches {end:g}, outside the bounds")
    return param, problems


def load_registry(text: str, source: str = "<registry>") -> dict[str, Parameter]:
    """Parse and check a registry document (the TOML text of ``parameters.toml``).

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
    data = tomllib.loads(text)
    out: dict[str, Parameter] = {}
    problems: list[Problem] = []
    for name, raw in data.items():
        if not isinstance(raw, dict):
            problems.append(Problem(source, name, "must be a table"))
            continue
        param, found = _build(name, raw, source)
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

    Columns: provision, description, unit, dollar_year, value, low, high (the
    range of the default uncertainty, empty when fixed), distribution, bounds,
    source_kind, secondhand, role, citation, note.

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
