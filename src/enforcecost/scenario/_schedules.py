"""Year-by-year settings: a schedule of values by fiscal year, and its rules.

A ``[parameters]`` entry may give a schedule instead of one value::

    immigration_judges = { by_year = { 2016 = 289, 2018 = 338, 2019 = 442 } }
    report_cost = { by_year = { 2017 = 1.0e5, 2020 = 2.0e5 }, dollar_year = 2016 }
    bed_day_cost = { by_year = { 2017 = 133, 2020 = 150 },
                     multiplier = { dist = "pert", low = 0.9, mode = 1, high = 1.1 } }

**The rule between and after listed years is a step**: the value of a fiscal
year is that of the latest listed year at or before it (carried forward to the
end of the window). Budgets, headcounts and rates change at fiscal-year
boundaries, so "338 judges as of FY2018" holds until the next listed year;
linear interpolation would invent values between two appropriations. A
schedule must say what holds at the start of the window: its first listed year
is at or before the window's first year. A listed year before the window's
start is allowed only as the value in force at the start (the latest such
year); an earlier one would never apply, and a listed year after the window's
end neither: both are errors. (A baseline evaluated over a policy's window
that starts earlier than its schedule takes the first listed value there, as
does a registry schedule, which is checked against its bounds but not against
any window.) ``inflation_projection`` and ``discount_rate``, read as one rate
per draw, take no schedule (:data:`~enforcecost.registry.NOT_BY_YEAR`).

**Uncertainty** is a ``multiplier``: one distribution whose draw multiplies
every year's value. It is one input of the design (one column, named after
the parameter), so a schedule costs a sampler, a tornado or a Sobol' study no
more than a scalar does. In a :class:`~._settings.Setting` the multiplier is
the setting's ``dist`` and its central value is ``value`` (1 without a
multiplier), and the schedule's values are in ``schedule``. A constant
schedule gives the same numbers, bit for bit, as the scalar.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..errors import Problem, as_float, is_number
from ..provisions import schedule_values
from ..registry import NOT_BY_YEAR, Distribution, Parameter, check_distribution, check_value
from ._rules import YEAR_MAX, Key, Table, is_int

__all__ = ["Schedule", "parse_schedule", "schedule_values", "window_problems"]

#: A schedule: ``(fiscal year, value)`` pairs, years ascending and distinct.
Schedule = tuple[tuple[int, float], ...]
#: Earliest year a schedule may list (a sanity bound: the CPI-U series starts later).
_YEAR_MIN = 1900


def _year(key: Any) -> int | None:
    """A listed year as an int (TOML keys are strings), or None if it is not one."""
    if is_int(key):
        return int(key)
    if isinstance(key, str) and key.strip().isdigit():
        return int(key)
    return None


def _by_year(param: Parameter) -> Key:
    def check(value: Any) -> Iterator[tuple[str, Any]]:
        if not isinstance(value, Mapping) or not value:
            yield "must be a non-empty table {year = value, ...}", value
            return
        for k, v in value.items():
            year = _year(k)
            if year is None or not _YEAR_MIN <= year <= YEAR_MAX:
                yield (f"a listed year must be a whole fiscal year from {_YEAR_MIN} to "
                       f"{YEAR_MAX}"), k
            if not is_number(v):
                yield f"FY{k}: must be a number ({param.unit})", v
            elif rule := check_value(param, as_float(v)):
                yield f"FY{k}: {rule}", v
        years = [_year(k) for k in value]
        if len(set(years)) != len(years):
            yield "must not list a year twice", list(value)

    return Key("the value by fiscal year, in the registry unit", check, required=True)


def _multiplier(value: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(value, Mapping):
        yield "must be a distribution table {dist = ..., ...}", value
        return
    _, found = check_distribution(value)
    for f in found:
        yield f"{f.key}: {f.rule}", f.value


def parse_schedule(
    param: Parameter, spec: Mapping[Any, Any], key: str, where: str, dollar_year: Key,
) -> tuple[tuple[Schedule, Distribution | None] | None, list[Problem]]:
    """Parse a ``{by_year = ..., multiplier = ..., dollar_year = ...}`` entry.

    Parameters
    ----------
    param : Parameter
        The registry input set.
    spec : mapping
        The entry as read.
    key, where : str
        ``[parameters] name`` and the file, for the problems.
    dollar_year : Key
        The rules of a setting's ``dollar_year`` (shared with scalar settings).

    Returns
    -------
    (schedule, multiplier) or None, and every problem
    """
    table = Table(
        {"by_year": _by_year(param), "multiplier": Key("a distribution of a factor "
                                                        "applied to every year", _multiplier),
         "dollar_year": dollar_year},
        unknown="unknown key (a schedule takes by_year, multiplier and dollar_year)",
    )
    problems = table.check(spec, where, f"{key}.")
    if param.name in NOT_BY_YEAR:
        problems.insert(0, Problem(where, f"{key}.by_year", "cannot be scheduled by year: "
                                   f"{NOT_BY_YEAR[param.name]}", spec["by_year"]))
    if problems:
        return None, problems
    schedule = tuple(sorted((int(_year(k) or 0), as_float(v)) for k, v in spec["by_year"].items()))
    dist = None
    if "multiplier" in spec:
        dist, _ = check_distribution(spec["multiplier"])
        assert dist is not None
        problems += multiplier_problems(param, schedule, dist, key, where)
    return (None, problems) if problems else ((schedule, dist), [])


def multiplier_problems(
    param: Parameter, schedule: Schedule, dist: Distribution | None, key: str, where: str,
) -> list[Problem]:
    """Problems of every year's value times each end of the multiplier's range."""
    if dist is None:
        return []
    out = []
    for end in dist.range:
        for year, v in schedule:
            with np.errstate(all="ignore"):
                x = float(np.float64(end) * np.float64(v))
            if rule := check_value(param, x):
                out.append(Problem(where, f"{key}.multiplier", f"reaches {end:g} x {v:g} = "
                                   f"{x:g} in FY{year}, which {rule}", dist.to_spec()))
                break
    return out


def window_problems(
    name: str, schedule: Schedule, source: str, start_year: int, years: int,
) -> list[Problem]:
    """Problems of a schedule over the window ``start_year`` .. ``start_year + years - 1``.

    Its first listed year must be at or before the start; no listed year may be
    after the end, nor before the latest listed year at or before the start.
    """
    key = f"[parameters] {name}.by_year"
    end = start_year + years - 1
    listed = [y for y, _ in schedule]
    out = []
    if listed[0] > start_year:
        out.append(Problem(source, key, f"must give the value in force at the start of the "
                           f"window, FY{start_year} (list a year <= {start_year}); the first "
                           f"listed is FY{listed[0]}", listed))
    after = [y for y in listed if y > end]
    if after:
        out.append(Problem(source, key, f"lists years after the window's end, FY{end} "
                           "(they would never apply)", after))
    before = [y for y in listed if y <= start_year][:-1]
    if before:
        out.append(Problem(source, key, f"lists years before FY{start_year} other than the "
                           "latest, which sets the value in force at the start (the others "
                           "would never apply)", before))
    return out
