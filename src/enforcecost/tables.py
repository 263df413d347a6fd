"""Report tables: frames and plain-text layouts (this path kept; they live in
:mod:`enforcecost.report`).

``from enforcecost.tables import render_result`` and the like keep working:
each name here is the one of :mod:`enforcecost.report`, which documents them.
Importing this module does not import matplotlib.
"""

from __future__ import annotations

from .report import (
    PERSPECTIVE_TITLES,
    assumption_share,
    describe_distribution,
    format_millions,
    mean_ledger,
    parameters_used,
    percentile_frame,
    perspectives_with_lines,
    render_morris,
    render_percentiles,
    render_registry,
    render_result,
    render_sobol,
    render_table,
    render_tornado,
    result_frames,
    run_description,
    scenario_title,
    short_citation,
    summary_frame,
    units_line,
)

__all__ = [
    "PERSPECTIVE_TITLES",
    "assumption_share",
    "describe_distribution",
    "format_millions",
    "mean_ledger",
    "parameters_used",
    "percentile_frame",
    "perspectives_with_lines",
    "render_morris",
    "render_percentiles",
    "render_registry",
    "render_result",
    "render_sobol",
    "render_table",
    "render_tornado",
    "result_frames",
    "run_description",
    "scenario_title",
    "short_citation",
    "summary_frame",
    "units_line",
]
