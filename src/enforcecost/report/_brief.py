"""The brief: what a budget director reads, as ``report.html`` and a typeset ``report.pdf``.

:func:`brief_data` lays :class:`~._content.ReportContent` out as plain data
(strings, lists and mappings, money already in words or CBO cells); the
templates in ``templates/`` turn it into a self-contained HTML page (Jinja2,
charts inline as SVG) and a US-letter PDF (Typst, through the ``typst``
package, from the SVG charts). Without ``typst`` the PDF falls back to the
matplotlib pages of :mod:`._pdf`.

The basis-of-estimate paragraph of each provision is its module's docstring
(summary line and first paragraph): the docs are not installed with the package.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import json
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..vocab import PERSPECTIVE_LABELS
from ._cells import format_millions, money_words
from ._content import ReportContent
from ._labels import provision_label, scenario_files
from ._registry_view import ELLIPSIS, short_citation
from ._sections import section_data

__all__ = ["SIGN_CONVENTION", "brief_data", "cbo_cell", "provision_basis", "write_html",
           "write_typst_pdf"]

#: Stated under every table of the brief.
SIGN_CONVENTION = (
    "Millions of nominal dollars, by federal fiscal year. Positive numbers are costs to "
    "the payer (outlays, revenue lost); negative numbers (with a minus) are savings or "
    "gains. * = between \u2212$0.5 million and $0.5 million; - = zero. Components may not "
    "sum to totals because of rounding."
)
#: Inputs named as what drives the estimate on page 1.
SUMMARY_DRIVERS = 5
#: Assumptions listed as the research to do first, per perspective.
RESEARCH_FIRST = 3

_MINUS = "\u2212"


def cbo_cell(x: float) -> str:
    """A CBO cell (millions of dollars) with a true minus sign for negative amounts.

    Examples
    --------
    >>> [cbo_cell(x) for x in (0.0, 0.3, -2500.2, 12.0)]
    ['-', '*', '\u22122,500', '12']
    """
    text = format_millions(x)
    return _MINUS + text[1:] if text.startswith("-") and len(text) > 1 else text


def _words(x: float) -> str:
    """Money in words with a true minus sign."""
    return money_words(x).replace("-", _MINUS)


def provision_basis(name: str) -> tuple[str, str]:
    """The title and basis-of-estimate paragraph of a provision, from its module docstring.

    Parameters
    ----------
    name : str
        A provision (module of :mod:`enforcecost.provisions`).

    Returns
    -------
    (str, str)
        The docstring's summary line and its first paragraph after it (reST
        literals and emphasis unmarked; '' when the module has no docstring).
    """
    spec = importlib.util.find_spec(f"enforcecost.provisions.{name}")
    if spec is None or spec.origin is None:
        return name, ""
    doc = ast.get_docstring(ast.parse(Path(spec.origin).read_text(encoding="utf-8"))) or ""
    parts = [" ".join(re.sub(r"(?m)^\s*[-*]\s+", "", p).split())  # list items run on
             for p in doc.split("\n\n") if p.strip()]
    if not parts:
        return name, ""
    body = parts[1] if len(parts) > 1 else ""
    if body.endswith(":") and len(parts) > 2:  # an introduction to the list that follows
        body += " " + parts[2]
    body = re.sub(r"\s*Basis of estimate:\s*``[^`]*``\.?", "", body)
    body = body.replace("``", "").replace("**", "")
    return parts[0].rstrip("."), body


def _date(created_utc: str) -> str:
    """The run's date in words (``December 4, 2026``) from its ISO timestamp."""
    try:
        when = dt.datetime.fromisoformat(created_utc.replace("Z", "+00:00"))
    except ValueError:
        when = dt.datetime.now(dt.UTC)
    return f"{when:%B} {when.day}, {when.year}"


def _headline_rows(content: ReportContent) -> list[dict[str, str]]:
    res = content.result
    rows = []
    for perspective in content.perspectives:
        row = {"perspective": PERSPECTIVE_LABELS[perspective]}
        if res.deterministic:
            row |= {"central": _words(res.mean_total(perspective, "nominal")),  # its total
                    "low": "", "high": ""}
        else:
            p5, p95 = np.asarray(res.quantile([0.05, 0.95], perspective, "nominal"))
            row |= {"central": _words(float(res.mean_total(perspective, "nominal"))),
                    "low": _words(float(p5)), "high": _words(float(p95))}
        rows.append(row)
    return rows


def _table(frame: pd.DataFrame) -> dict[str, Any]:
    cols = [str(c) for c in frame.columns]
    years = [c for c in cols if "-" not in c]
    header = [f"FY{c}" if c in years else f"{c[:4]}\u2013{c[-4:]}" for c in cols]
    rows = [{"label": provision_label(str(idx)),
             "total": idx == "Total",
             "cells": [cbo_cell(float(v)) for v in row]}
            for idx, row in frame.iterrows()]
    return {"header": header, "rows": rows}


def _references(content: ReportContent) -> list[dict[str, Any]]:
    """Every source the scenario's inputs cite (assumptions excluded), numbered."""
    refs: dict[str, list[str]] = {}
    for _, row in content.parameters.iterrows():
        if row["source_kind"] == "assumption" or not str(row["citation"]).strip():
            continue
        names = refs.setdefault(short_citation(str(row["citation"])), [])
        if row["name"] not in names:
            names.append(str(row["name"]))
    return [{"number": k + 1, "source": _sentence(src), "inputs": ", ".join(names)}
            for k, (src, names) in enumerate(refs.items())]


def _sentence(source: str) -> str:
    """A source as a sentence: ending in one period, or in the ellipsis of its cut.

    >>> _sentence("CBO (2020)"), _sentence("GAO (2017). "), _sentence("Table 35\u2026")
    ('CBO (2020).', 'GAO (2017).', 'Table 35\u2026')
    """
    text = source.rstrip(". ")
    return text if text.endswith(ELLIPSIS) else text + "."


def _research_first(content: ReportContent) -> list[dict[str, str]]:
    """The :data:`RESEARCH_FIRST` assumptions ranked first in each perspective (Sobol' ST)."""
    agenda = content.agenda
    if agenda is None:
        return []
    frame = agenda.frame
    rows: list[dict[str, str]] = []
    for perspective in content.perspectives:
        ranked = frame[frame["perspective"] == perspective].sort_values("rank")
        rows += [{"rank": str(int(r["rank"])), "parameter": str(r["parameter"]),
                  "perspective": PERSPECTIVE_LABELS[perspective], "st": f"{float(r['ST']):.2f}"}
                 for _, r in ranked.head(RESEARCH_FIRST).iterrows()]
    return rows


def brief_data(content: ReportContent) -> dict[str, Any]:
    """Everything the brief shows, as plain data for its templates (JSON-serialisable).

    Returns
    -------
    dict
        ``title``, ``scenario``, ``date``, ``version``, ``what``, ``headline``
        (per perspective: ``central``, ``low``, ``high`` in words, nominal
        dollars over the window), ``drivers``, ``nonmonetized``, ``tables``
        (CBO cells by perspective), ``sign_convention``, ``charts`` (file stems),
        ``basis``, ``uncertainty``, ``research_first``, ``references`` and
        ``hindcast`` (None without one) and ``sections`` (:mod:`._sections`).
    """
    res = content.result
    sc = res.scenario
    fy = res.fiscal_years
    man = content.manifest
    kind = "impact" if res.has_baseline else "cost"
    against = (f", relative to {sc.baseline.name}" if res.has_baseline and sc.baseline
               else "")
    span = f"FY{fy[0]}\u2013FY{fy[-1]}"
    range_words = ("central values (no uncertainty drawn)" if res.deterministic else
                   f"mean of {res.draws:,} draws and 90% range (5th to 95th percentile)")
    past = content.hindcast
    hindcast = None
    if past is not None and content.hindcast_rows is not None:
        rows = content.hindcast_rows
        hindcast = {
            "intro": (f"Model: mean and 90% band of {past.draws:,} draws ({past.sampler} "
                      f"sampler, seed {past.seed}), beside the published outcomes. "
                      "Behavioural parameters come from data before the order "
                      "(FY2012-FY2016; for the 2025 revival FY2022-FY2024); the "
                      "published values are compared with, never fitted. Error = model "
                      "mean / published value \u2212 1."),
            "findings": content.hindcast_findings,
            "header": [str(c) for c in rows.columns],
            "rows": [[str(v) for v in r] for r in rows.itertuples(index=False)],
        }
    return {
        "title": f"Net fiscal {kind} of {sc.name}",
        "scenario": sc.name,
        "date": _date(man.created_utc),
        "version": __version__,
        "what": sc.description,
        "against": against,
        "files": scenario_files(res),
        "span": span,
        "range_words": range_words,
        "central_label": "Central" if res.deterministic else "Mean",
        "headline": _headline_rows(content),
        "drivers": [{"name": d.name, "swing": _words(d.swing), "kind": d.source_kind,
                     "provision": provision_label(d.provision)}
                    for d in content.drivers[:SUMMARY_DRIVERS]],
        "nonmonetized": [{"title": str(r["title"]), "direction": str(r["direction"]),
                          "provision": provision_label(str(r["provision"])),
                          "description": str(r["description"])}
                         for _, r in content.nonmonetized.iterrows()],
        "tables": [{"perspective": PERSPECTIVE_LABELS[p],
                    **_table(content.tables[f"{p}_nominal"])} for p in content.perspectives],
        "sign_convention": SIGN_CONVENTION,
        "charts": [c for c in content.charts if c not in ("hindcast", "eras")],
        "basis": [{"name": provision_label(p), "title": t, "text": b}
                  for p in (content.booked or sc.provisions) for t, b in [provision_basis(p)]],
        "uncertainty": [ln.strip().replace("`", "") for ln in content.assumption_lines],
        "research_first": _research_first(content),
        "references": _references(content),
        "hindcast": hindcast,
        "hindcast_chart": "hindcast" in content.charts,
        "sections": [{**section_data(x), "chart": x.chart if x.chart in content.charts
                      else None} for x in content.sections],
    }


def _template(name: str) -> str:
    return (resources.files("enforcecost.report") / "templates" / name).read_text(
        encoding="utf-8")


def write_html(data: Mapping[str, Any], figdir: Path, path: Path) -> None:
    """Write the brief as one self-contained HTML page (charts inline as SVG)."""
    import jinja2

    svgs = {}
    for name in [*data["charts"], *(["hindcast"] if data["hindcast_chart"] else []),
                 *(x["chart"] for x in data["sections"] if x["chart"])]:
        text = (figdir / f"{name}.svg").read_text(encoding="utf-8")
        svgs[name] = text[text.index("<svg"):]  # drop the XML prolog and doctype
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.from_string(_template("brief.html.j2")).render(d=data, svgs=svgs)
    path.write_text(page, encoding="utf-8")


def write_typst_pdf(data: Mapping[str, Any], folder: Path, path: Path) -> None:
    """Typeset the brief as a US-letter PDF with Typst (charts from ``folder/figures``).

    Raises
    ------
    ImportError
        Without the ``typst`` package (the caller falls back to :mod:`._pdf`).
    """
    import matplotlib
    import typst

    # the charts' SVG text is set in DejaVu Sans: matplotlib's own copy, so the PDF is the
    # same on a machine without system fonts (the body's fonts are embedded in typst)
    fonts = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
    source = _template("brief.typ").encode("utf-8")
    # the stub ties input, root and font paths to one type; bytes with str paths work
    pdf = typst.compile(source, root=str(folder),  # type: ignore[misc]
                        font_paths=[fonts], sys_inputs={"data": json.dumps(data)})
    assert isinstance(pdf, bytes)
    path.write_bytes(pdf)
