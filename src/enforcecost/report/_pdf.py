"""The report as a multi-page PDF: text pages in a monospaced font around the charts."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .._version import __version__
from ..vocab import PERSPECTIVE_LABELS
from ._cells import money_words
from ._content import ReportContent
from ._labels import units_line
from ._render import render_table

__all__ = ["write_pdf"]

_PAGE = (8.5, 11.0)  # US letter, inches
_LINES_PER_PAGE = 62


def _text_pages(pdf: PdfPages, title: str, lines: Sequence[str], *, size: float = 7.5) -> int:
    """Write monospaced text over as many pages as it takes; return the page count."""
    pages = 0
    chunks = [lines[i : i + _LINES_PER_PAGE] for i in range(0, max(len(lines), 1),
                                                            _LINES_PER_PAGE)]
    for k, chunk in enumerate(chunks):
        fig = Figure(figsize=_PAGE)
        suffix = f" (continued, {k + 1}/{len(chunks)})" if len(chunks) > 1 and k else ""
        fig.text(0.06, 0.96, (title + suffix).replace("$", r"\$"), fontsize=13,
                 weight="bold", va="top")
        body = "\n".join(chunk).replace("$", r"\$")  # a literal dollar, not mathtext
        fig.text(0.06, 0.93, body, fontsize=size, family="monospace", va="top")
        fig.text(0.06, 0.02, f"enforcecost {__version__}", fontsize=7, color="0.4")
        pdf.savefig(fig)  # type: ignore[no-untyped-call]
        pages += 1
    return pages


def _wrap(text: str, width: int = 110, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent) or [""]


def _first_page(content: ReportContent) -> list[str]:
    """The headline and each perspective's nominal table, federal first."""
    res = content.result
    units = units_line(res, "nominal")
    lines = [*content.headline, ""]
    if "federal_nominal" in content.tables:
        lines += render_table(content.tables["federal_nominal"],
                              "Federal net cost by fiscal year", units).splitlines()
    for perspective in content.perspectives:
        if perspective == "federal":
            continue
        heading = f"{PERSPECTIVE_LABELS[perspective]} net cost by fiscal year"
        lines += ["", *render_table(content.tables[f"{perspective}_nominal"], heading,
                                    units).splitlines()]
    return lines


def _driver_lines(content: ReportContent) -> list[str]:
    lines: list[str] = []
    for d in content.drivers:
        flag = " [A]" if d.assumption else ""
        lines.append(f"{d.name}{flag}: swing {money_words(d.swing)} "
                     f"({d.source_kind}; {d.provision})")
        lines += _wrap(d.citation, 104, "    source: ")
    return lines


def _parameter_lines(content: ReportContent) -> list[str]:
    lines = [f"    {'name':<36} {'value':>14} {'unit':<18} {'$ year':<7} {'kind':<10} "
             "distribution"]
    for _, row in content.policy_parameters.iterrows():
        flag = "[A]" if row["source_kind"] == "assumption" else "   "
        lines.append(
            f"{flag} {row['name']:<36} {row['value']:>14,.6g} {row['unit']:<18} "
            f"{row['dollar_year']:<7} {row['source_kind']:<10} {row['distribution']}"
        )
    return lines


def _register_lines(content: ReportContent) -> list[str]:
    lines: list[str] = []
    for _, r in content.nonmonetized.iterrows():
        lines += _wrap(f"{r['title']} ({r['provision']}; {r['direction']}): "
                       f"{r['description']}", 110, "")
        lines.append("")
    return lines


def write_pdf(content: ReportContent, figures: Mapping[str, Figure], path: Path) -> None:
    """Write the report: headline and tables, the charts, the drivers (with a
    tornado study), the parameters used and the non-monetized effects."""
    with PdfPages(path) as pdf:
        _text_pages(pdf, content.result.scenario.name, _first_page(content), size=6.2)
        for fig in figures.values():
            pdf.savefig(fig)
        drivers = _driver_lines(content)
        if drivers:
            _text_pages(pdf, "What drives the federal estimate", [
                "Each input moved alone to the low and high end of its range; [A] = assumption.",
                "", *drivers])
        _text_pages(pdf, "Parameters used ([A] = assumption, no source found)",
                    _parameter_lines(content), size=6.0)
        _text_pages(pdf, "Not estimated: non-monetized effects", _register_lines(content))
        info = pdf.infodict()
        info["Title"] = f"enforcecost report: {content.result.scenario.name}"
        info["Creator"] = f"enforcecost {__version__}"
