"""Write reports: compute a report's content once, then hand it to each writer.

Loaded on first use of :func:`write_report` or :func:`write_comparison` (it
imports matplotlib); the text tables of the package do without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import plot
from ..results import Result
from ._brief import brief_data, write_html, write_typst_pdf
from ._content import ReportContent, report_content
from ._figures import draw_charts, save_charts
from ._frames import comparison_frame
from ._markdown import comparison_markdown, report_markdown
from ._pdf import write_pdf
from ._workbook import write_workbook

__all__ = ["write_comparison", "write_report"]


def write_report(
    res: Result,
    folder: Path,
    *,
    sampler: str | None = None,
    seed: int | None = None,
    command: str = "",
    drivers: bool = True,
) -> dict[str, Path]:
    """Write one scenario's full report into ``folder`` (which must exist).

    Writes ``figures/*.png`` and ``figures/*.svg`` (stacked bars, fan chart,
    waterfall, distribution of the impact, pipeline, tornado), ``tables.xlsx``
    (the CBO tables by perspective and basis, percentiles, drivers, parameters,
    non-monetized effects, pipeline), ``report.md``, the brief as a
    self-contained ``report.html`` and a typeset US-letter ``report.pdf``
    (Typst; without the ``typst`` package, matplotlib pages) and
    ``manifest.json``.

    Parameters
    ----------
    res : Result
    folder : Path
    sampler, seed : optional
        Recorded in the manifest for a Monte Carlo result.
    command : str
        The command line, recorded in the manifest.
    drivers : bool
        Run the one-at-a-time tornado of the federal window total (``2 d + 1``
        model runs) for the drivers table and chart.

    Returns
    -------
    dict of str -> Path
        Every file written, by short name.
    """
    content = report_content(res, sampler=sampler, seed=seed, command=command, drivers=drivers)
    figdir = folder / "figures"
    figdir.mkdir(exist_ok=True)
    figures = draw_charts(content)
    try:
        written = save_charts(figures, figdir)
        written["tables.xlsx"] = folder / "tables.xlsx"
        write_workbook(content, written["tables.xlsx"])
        written["report.md"] = folder / "report.md"
        written["report.md"].write_text(report_markdown(content), encoding="utf-8")
        data = brief_data(content)
        written["report.html"] = folder / "report.html"
        write_html(data, figdir, written["report.html"])
        written["report.pdf"] = folder / "report.pdf"
        _write_brief_pdf(content, data, figures, folder, written["report.pdf"])
    finally:
        for fig in figures.values():
            plt.close(fig)
    written["manifest.json"] = folder / "manifest.json"
    written["manifest.json"].write_text(content.manifest.to_json(), encoding="utf-8")
    return written


def _write_brief_pdf(content: ReportContent, data: dict[str, object],
                     figures: dict[str, Figure], folder: Path, path: Path) -> None:
    """The typeset brief (Typst), or without the ``typst`` package the matplotlib pages."""
    try:
        write_typst_pdf(data, folder, path)
    except ImportError:
        write_pdf(content, figures, path)


def write_comparison(results: Sequence[tuple[str, Result]], folder: Path) -> dict[str, Path]:
    """The page comparing several scenarios: a chart, a table and a Markdown page."""
    written: dict[str, Path] = {}
    frame = comparison_frame(results)
    written["comparison.csv"] = folder / "comparison.csv"
    frame.to_csv(written["comparison.csv"])
    fig = plot.compare([r for _, r in results], "federal").get_figure(root=True)
    assert fig is not None
    for ext in ("png", "svg"):
        written[f"comparison_federal.{ext}"] = folder / f"comparison_federal.{ext}"
        fig.savefig(written[f"comparison_federal.{ext}"], dpi=150, bbox_inches="tight")
    plt.close(fig)
    written["comparison.md"] = folder / "comparison.md"
    written["comparison.md"].write_text(comparison_markdown(frame), encoding="utf-8")
    return written
