"""Reports and tables of a :class:`~enforcecost.Result`: frames, text tables, files.

Frames (``pandas``), for the CSVs of a batch run:

- :func:`result_frames`: every per-scenario output table, by file name;
- :func:`summary_frame`: one row per scenario and perspective with the 5-year and
  window totals in each basis (the batch run's ``summary.csv``);
- :func:`parameters_used`: every input a scenario (and its baseline) ran with;
- :func:`mean_ledger`: the ledger averaged over Monte Carlo draws;
- :func:`percentile_frame`: mean and percentiles (with Monte Carlo standard
  errors) of each perspective's 5-year and window totals.

Text, as the command line prints it:

- :func:`render_result`: CBO-style text tables of a result (and, for a Monte
  Carlo result, its percentile tables: :func:`render_percentiles`);
- :func:`render_registry`: the parameter registry as a text table of a given width;
- :func:`render_series`: historical series as a series × fiscal-year table;
- :func:`render_tornado`, :func:`render_morris`, :func:`render_sobol`: the top
  drivers of a sensitivity study (and :func:`in_printed_units`: its tables in
  the units they print, for the command's CSVs);
- :func:`render_agenda`: the research agenda, the assumptions ranked by their
  share of the variance (:func:`agenda_shares` in words).

The manifest, one for a whole run: :func:`run_manifest` of
:func:`scenario_record` s, written as JSON next to each scenario and as text
at the top of a run directory (:class:`RunManifest`).

Files: :func:`write_report` (figures, ``tables.xlsx``, ``report.md``,
``report.pdf``, ``manifest.json``) and :func:`write_comparison`. These two
load on first use, with matplotlib; the rest does without it.

Conventions follow CBO cost estimates: millions of dollars by fiscal year,
positive numbers are costs (outlays, revenue lost), negative numbers savings
or gains, ``-`` is zero and ``*`` is between -$500,000 and $500,000.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..vocab import PERSPECTIVE_TITLES
from ._cells import format_millions
from ._content import AGENDA_N
from ._frames import (
    describe_distribution,
    mean_ledger,
    parameters_used,
    percentile_frame,
    result_frames,
    summary_frame,
)
from ._labels import perspectives_with_lines, run_description, scenario_title, units_line
from ._manifest import RunManifest, ScenarioRecord, manifest, run_manifest, scenario_record
from ._registry_view import render_registry, short_citation
from ._render import render_percentiles, render_result, render_table
from ._sensitivity_view import (
    agenda_shares,
    assumption_share,
    in_printed_units,
    render_agenda,
    render_morris,
    render_sobol,
    render_tornado,
)
from ._series_view import render_series

if TYPE_CHECKING:
    from ._write import write_comparison, write_report

__all__ = [
    "AGENDA_N",
    "PERSPECTIVE_TITLES",
    "RunManifest",
    "ScenarioRecord",
    "agenda_shares",
    "assumption_share",
    "describe_distribution",
    "format_millions",
    "in_printed_units",
    "manifest",
    "mean_ledger",
    "parameters_used",
    "percentile_frame",
    "perspectives_with_lines",
    "render_agenda",
    "render_morris",
    "render_percentiles",
    "render_registry",
    "render_result",
    "render_series",
    "render_sobol",
    "render_table",
    "render_tornado",
    "result_frames",
    "run_description",
    "run_manifest",
    "scenario_record",
    "scenario_title",
    "short_citation",
    "summary_frame",
    "units_line",
    "write_comparison",
    "write_report",
]

_WRITERS = ("write_comparison", "write_report")


def __getattr__(name: str) -> Any:
    """The file writers load on first use (they import matplotlib)."""
    if name in _WRITERS:
        return getattr(importlib.import_module("._write", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WRITERS])
