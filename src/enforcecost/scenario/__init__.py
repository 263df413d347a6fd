"""Scenarios: the world described by parameter values, read from TOML or built in code.

A scenario file is TOML with these tables (the shipped ``scenarios/`` are examples)::

    [scenario]
    name = "Half the officers"        # required; the only required key
    description = "..."
    extends = "eo13768"               # inherit a file's tables (relative path or shipped name)
    baseline = "pre_eo_2016"          # the scenario the impact is measured against
    start_year = 2017                 # the window: first fiscal year and length
    years = 10
    dollar_year = 2017                # constant-dollar base of the real and pv bases
    discount_rate = 0.02              # real rate for pv (default: the registry's)
    provisions = ["hiring", ...]      # the provisions costed (default: all)

    [parameters]                      # overrides of registry inputs, in registry units
    ero_officers_added = 5000
    bed_day_cost = { dist = "triangular", low = 126, mode = 133, high = 164 }
    report_cost = { value = 1.0e5, dollar_year = 2016 }
    immigration_judges = { by_year = { 2016 = 289, 2018 = 338 },      # a schedule
                           multiplier = { dist = "uniform", low = 0.9, high = 1.1 } }

    [run]                             # Monte Carlo: draws, seed, sampler (sobol, lhs, random)
    draws = 1000

    [[correlation]]                   # rank correlation between two uncertain inputs
    inputs = ["bed_day_cost", "voice_staff"]
    rank = 0.5

**Year-by-year inputs.** Any input (here or in the registry) can be a
schedule by fiscal year, ``{by_year = {year = value, ...}}``, with an optional
``dollar_year`` and an optional ``multiplier`` distribution. The rule between
and after listed years is a *step*: a year takes the value of the latest listed
year at or before it (budgets and headcounts change at fiscal-year boundaries;
interpolation would invent values between appropriations). The first listed
year must be at or before the window's start; a year before the start is
allowed only as the value in force at the start; years after the window's end
are errors. Uncertainty is a multiplier applied to every year's value: one
input (one design column, named after the parameter) for the samplers and the
sensitivity studies. A distribution per year is not supported. In a
:class:`Setting`, ``schedule`` holds the years and values, ``dist`` the
multiplier and ``value`` its central value (see :mod:`._schedules`).

A file's keys override those of the file it extends; ``[[correlation]]``
entries add to them. Loading checks everything and reports every problem at
once in a :class:`~enforcecost.ScenarioError`, each problem naming the file,
the key, the rule and the offending value. A :class:`Scenario` built in code
is checked by the same rules.

The package: :mod:`._rules` (each table's keys and the one loop that checks
them), :mod:`._settings` (a ``[parameters]`` entry), :mod:`._schedules` (a
schedule by fiscal year and its rules), :mod:`._types` (the
scenario types) and :mod:`._files` (files, ``extends`` and ``baseline``).

    i9_audits_per_year = "registry"   # the registry's value back (drops an inherited one)

    [appropriations.ice_detention]    # money above the levers' funded level (budget authority)
    enacted = "pl119_21_sec90003_detention"   # from data/appropriations_2025.toml, or:
    # account = "detention"; budget_authority = {2030 = 9.0e9}; source = "..."
    share = 1.0                       # the part for this account (a lump sum split)
    spend_out = "cbo_house_judiciary_2025"    # a profile of the data file, "even" or "annual"
"""

from __future__ import annotations

from ._appropriations import (
    ACCOUNTS,
    Appropriation,
    appropriations_data,
    budget_authority,
    budget_table,
)
from ._files import MAX_DEPTH, load_scenario, shipped_scenarios
from ._rules import (
    MAX_DRAWS,
    SAMPLERS,
    Sampler,
    correlation_draws_needed,
    correlation_draws_problems,
)
from ._schedules import Schedule, schedule_values
from ._settings import DollarYear, Setting
from ._types import RunConfig, Scenario, modified_words

__all__ = [
    "ACCOUNTS",
    "MAX_DEPTH",
    "MAX_DRAWS",
    "SAMPLERS",
    "Appropriation",
    "DollarYear",
    "RunConfig",
    "Sampler",
    "Scenario",
    "Schedule",
    "Setting",
    "appropriations_data",
    "budget_authority",
    "budget_table",
    "correlation_draws_needed",
    "correlation_draws_problems",
    "load_scenario",
    "modified_words",
    "schedule_values",
    "shipped_scenarios",
]
