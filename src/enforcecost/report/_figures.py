"""The report's charts: drawn once from its content, saved as PNG and SVG, reused in the PDF."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import plot
from ._content import ReportContent

__all__ = ["draw_charts", "save_charts"]


def _figure(drawn: Axes | Figure) -> Figure:
    if isinstance(drawn, Figure):  # a chart of several panels returns its figure
        return drawn
    fig = drawn.get_figure(root=True)
    assert fig is not None  # a chart's axes are always on a figure
    return fig


def draw_charts(content: ReportContent) -> dict[str, Figure]:
    """Every chart of :attr:`ReportContent.charts`, by file stem (close them when done)."""
    res, tor, past = content.result, content.tornado, content.hindcast
    draw: dict[str, Callable[[], Axes | Figure]] = {
        "stacked_federal": lambda: plot.stacked(res, "federal"),
        "fan_federal": lambda: plot.fan(res, "federal"),
        "waterfall_federal": lambda: plot.waterfall(res, "federal"),
        "distribution_federal": lambda: plot.distribution(res, "federal"),
        "pipeline": lambda: plot.pipeline(res),
    }
    if tor is not None:
        draw["tornado_federal"] = lambda: plot.tornado(tor, headline=res)
    if past is not None:
        draw["hindcast"] = lambda: plot.hindcast(past)
    eras = content.eras
    if eras is not None:
        draw["eras"] = lambda: plot.eras(eras)
    return {name: _figure(draw[name]()) for name in content.charts}


def save_charts(figures: Mapping[str, Figure], folder: Path) -> dict[str, Path]:
    """Save each chart as ``folder/<name>.png`` (150 dpi) and ``.svg`` (text kept as text)."""
    written: dict[str, Path] = {}
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        for name, fig in figures.items():
            for ext in ("png", "svg"):
                path = folder / f"{name}.{ext}"
                fig.savefig(path, dpi=150 if ext == "png" else None, bbox_inches="tight")
                written[f"{name}.{ext}"] = path
    return written
