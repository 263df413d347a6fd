"""The report as a multi-page PDF: text pages in a monospaced font around the charts."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text

from .. import plot
from .._version import __version__
from ..vocab import PERSPECTIVE_LABELS
from ._cells import money_words
from ._content import ReportContent
from ._hindcast_view import hindcast_lines
from ._labels import scenario_files, units_line
from ._render import render_table
from ._sections import Section

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
    lines = [*_wrap(scenario_files(res)), "", *content.headline, ""]
    if content.assumption_lines:
        head, *rest = content.assumption_lines
        lines += [*_wrap(head), *(w for ln in rest for w in _wrap(ln.strip(), 106, "  ")), ""]
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


#: The hindcast page: the sizes of the paragraph (sans serif) and the table
#: (monospaced), in points, and the characters a line of the paragraph holds.
_PARAGRAPH_SIZE, _TABLE_SIZE, _PARAGRAPH_CHARS = 7.5, 6.2, 136


def _hindcast_page(pdf: PdfPages, content: ReportContent) -> None:
    """The hindcast on a page of its own: the chart above, what it shows and its table
    below (laid out from the bottom up: the chart takes the room the words leave)."""
    past = content.hindcast
    if past is None:
        return
    page = Figure(figsize=_PAGE, layout="constrained")
    page.text(0.06, 0.975, "Hindcast: the model against what ICE and EOIR published",
              fontsize=13, weight="bold", va="top")
    page.text(0.06, 0.02, f"enforcecost {__version__}", fontsize=7, color="0.4")
    table = [ln for ln in hindcast_lines(past) if ln]  # no blank lines between quantities
    below = page.text(0.06, 0.045, "\n".join(table), fontsize=_TABLE_SIZE,
                      family="monospace", va="bottom")
    intro = (f"Model: mean and 90% band (5th to 95th percentile) of {past.draws:,} draws "
             f"({past.sampler} sampler, seed {past.seed}). Published: enforcecost series "
             "--role actual. Behavioural parameters come from data before the order "
             "(FY2012-FY2016; for the 2025 revival FY2022-FY2024); the "
             "published values are compared with, never fitted. Error = model mean / "
             "published - 1.")
    words = [*textwrap.wrap(intro, _PARAGRAPH_CHARS, break_on_hyphens=False), "",
             *textwrap.wrap("What the hindcast shows. " + content.hindcast_findings,
                            _PARAGRAPH_CHARS, break_on_hyphens=False)]
    gap = 0.012
    above = page.text(0.06, _top(page, below) + gap / 3, "\n".join(words).replace("$", r"\$"),
                      fontsize=_PARAGRAPH_SIZE, va="bottom", linespacing=1.35)
    bottom = _top(page, above) + gap
    plot.hindcast(past, fig=page, title="")
    engine = page.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):  # the chart keeps above the words
        engine.set(rect=(0.03, bottom, 0.94, 0.94 - bottom))
    pdf.savefig(page)  # type: ignore[no-untyped-call]


def _section_lines(sec: Section) -> list[str]:
    """A section as monospaced lines: its paragraph wrapped, then its table aligned."""
    widths = [max(len(str(r[i])) for r in (sec.header, *sec.rows))
              for i in range(len(sec.header))]
    first = min(widths[0], 60)

    def line(cells: tuple[str, ...]) -> str:
        head = str(cells[0])[:first].ljust(first)
        return "  ".join([head, *(str(c).rjust(w) for c, w in zip(cells[1:], widths[1:],
                                                                    strict=True))])

    return [*textwrap.wrap(sec.intro, 150, break_on_hyphens=False), "",
            line(sec.header), "-" * len(line(sec.header)), *(line(r) for r in sec.rows)]


def _top(page: Figure, text: Text) -> float:
    """Where ``text`` ends at the top, as a fraction of the page's height."""
    box = text.get_window_extent()
    return float(page.transFigure.inverted().transform((0.0, box.y1))[1])


def write_pdf(content: ReportContent, figures: Mapping[str, Figure], path: Path) -> None:
    """Write the report: headline and tables, the charts, the hindcast (of a scenario
    marked ``hindcast = true``: chart and table on a page), the drivers (with a
    tornado study), the parameters used and the non-monetized effects."""
    with PdfPages(path) as pdf:
        _text_pages(pdf, content.result.scenario.name, _first_page(content), size=6.2)
        for name, fig in figures.items():
            if name != "hindcast":  # drawn on its own page, with its table
                pdf.savefig(fig)
        for sec in content.sections:
            _text_pages(pdf, sec.title, _section_lines(sec), size=6.0)
        _hindcast_page(pdf, content)
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
