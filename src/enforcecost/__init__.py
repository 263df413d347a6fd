"""enforcecost: cited, uncertain fiscal-impact scenarios for EO 13768.

Quick use::

    import enforcecost as ec
    sc = ec.load_scenario("eo13768")          # a shipped scenario, or a file path
    res = ec.evaluate(sc)                       # central values
    res.table("federal")                        # CBO-style table, $ millions
    res.total("government", basis="real")       # 10-year net cost
    res.headline()                              # the figure it leads with (the mean), and beside it
"""

from __future__ import annotations

import importlib
from typing import Any

from . import sensitivity
from ._version import __version__
from .errors import Problem, ScenarioError
from .hindcasting import Hindcast, hindcast
from .model import evaluate, simulate
from .provisions import PROVISIONS
from .registry import Parameter, Window, nonmonetized, parameters, registry, series, series_info
from .results import PERSPECTIVES, EraComparison, Result, compare, compare_eras
from .scenario import (
    RunConfig,
    Scenario,
    Setting,
    budget_authority,
    load_scenario,
    shipped_scenarios,
)
from .sensitivity import Output, as_function, morris, research_agenda, sobol, tornado
from .vocab import BASES

__all__ = [
    "BASES",
    "PERSPECTIVES",
    "PROVISIONS",
    "EraComparison",
    "Hindcast",
    "Output",
    "Parameter",
    "Problem",
    "Result",
    "RunConfig",
    "Scenario",
    "ScenarioError",
    "Setting",
    "Window",
    "__version__",
    "as_function",
    "budget_authority",
    "compare",
    "compare_eras",
    "evaluate",
    "hindcast",
    "load_scenario",
    "morris",
    "nonmonetized",
    "parameters",
    "registry",
    "research_agenda",
    "sensitivity",
    "series",
    "series_info",
    "shipped_scenarios",
    "simulate",
    "sobol",
    "tornado",
]


def __getattr__(name: str) -> Any:
    """``ec.plot`` and ``ec.report`` load on first use (they import matplotlib)."""
    if name in ("plot", "report"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
