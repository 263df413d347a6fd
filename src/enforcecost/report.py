"""Batch reports: figures, tables, a workbook, a Markdown and a PDF report, a manifest.

:func:`write_report` writes everything for one result into a folder;
:func:`write_comparison` writes the page comparing several. I/O lives here and
in the command line only; the figures come from :mod:`enforcecost.plot` and
the tables from :mod:`enforcecost.tables`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from . import plot
from ._version import __version__
from .results import PrecisionWarning, Result
from .scenario import Scenario
from .sensitivity import TornadoResult, tornado
from .tables import (
    parameters_used,
    perspectives_with_lines,
    render_table,
    units_line,
)
from .vocab import PERSPECTIVE_LABELS, PERSPECTIVES

__all__ = ["manifest", "write_comparison", "write_report"]

_PAGE = (8.5, 11.0)  # US letter, inches
_LINES_PER_PAGE = 62


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(scenario: Scenario) -> dict[str, str]:
    """Hashes of every file the scenario was read from (its baseline's included)."""
    out: dict[str, str] = {}
    for sc in (scenario, scenario.baseline):
        if sc is None:
            continue
        sources = {s.source for s in sc.settings().values() if s.source != "registry"}
        if sc.path is not None:
            sources.add(str(sc.path))
        for src in sorted(sources):
            p = Path(src)
            if p.is_file():
                out[str(p)] = _sha256(p)
    return out


def _settings(scenario: Scenario) -> dict[str, Any]:
    return {
        name: {
            "value": s.value,
            "dollar_year": s.dollar_year,
            "distribution": s.dist.to_spec() if s.dist is not None else None,
            "set_in": s.source,
        }
        for name, s in scenario.settings().items()
    }


def manifest(result: Result, *, sampler: str | None, seed: int | None,
             command: str = "") -> dict[str, Any]:
    """What is needed to rerun a result exactly.

    Returns
    -------
    dict
        Package and library versions, the scenario files with their SHA-256,
        the window, every input's resolved setting (policy and baseline), the
        draws, seed and sampler, the command and a UTC timestamp.
    """
    sc = result.scenario
    return {
        "enforcecost": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "matplotlib": matplotlib.__version__,
        "created_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "scenario": {
            "name": sc.name,
            "path": str(sc.path) if sc.path else None,
            "baseline": sc.baseline.name if sc.baseline is not None else None,
            "start_year": sc.start_year,
            "years": sc.years,
            "dollar_year": sc.dollar_year,
            "discount_rate": sc.discount_rate,
            "provisions": list(sc.provisions),
        },
        "files_sha256": _files(sc),
        "run": {
            "monte_carlo": not result.deterministic,
            "draws": result.draws,
            "seed": seed,
            "sampler": sampler,
        },
        "parameters": {
            "policy": _settings(sc),
            "baseline": _settings(sc.baseline) if sc.baseline is not None else None,
        },
    }


# -- helpers -------------------------------------------------------------------------
def _money(x: float) -> str:
    a = abs(x)
    if a >= 1e9:
        return f"${x / 1e9:,.1f} billion"
    if a >= 1e6:
        return f"${x / 1e6:,.0f} million"
    return f"${x:,.0f}"


def _headline(res: Result) -> list[str]:
    fy = res.fiscal_years
    span = f"FY{fy[0]}-FY{fy[-1]}"
    what = "impact" if res.has_baseline else "cost"
    lines = []
    for perspective in PERSPECTIVES:
        if perspective not in perspectives_with_lines(res):
            continue
        if res.deterministic:
            total = res.total(perspective, "nominal")
            label = PERSPECTIVE_LABELS[perspective]
            lines.append(f"{label}: {_money(float(total))} ({span}, nominal, central values)")
        else:  # also a reduction-only result: its exact mean and sketched percentiles
            p5, p50, p95 = np.asarray(res.quantile([0.05, 0.5, 0.95], perspective, "nominal"))
            mean = res.mean_total(perspective, "nominal")
            lines.append(
                f"{PERSPECTIVE_LABELS[perspective]}: mean {_money(mean)}, 90% range "
                f"{_money(float(p5))} to {_money(float(p95))} (median {_money(float(p50))}; "
                f"{span}, nominal)"
            )
    head = f"Net fiscal {what} of {res.scenario.name}"
    if res.has_baseline and res.scenario.baseline is not None:
        head += f", relative to {res.scenario.baseline.name}"
    return [head + ":", *("  " + ln for ln in lines)]


def _md_table(frame: pd.DataFrame, floatfmt: str = "{:,.0f}") -> str:
    cols = [str(c) for c in frame.columns]
    header = "| " + " | ".join([str(frame.index.name or ""), *cols]) + " |"
    rule = "|" + "---|" * (len(cols) + 1)
    rows = []
    for idx, row in frame.iterrows():
        cells = [floatfmt.format(v) if isinstance(v, int | float | np.floating) and
                 np.isfinite(v) else str(v) for v in row]
        rows.append("| " + " | ".join([str(idx), *cells]) + " |")
    return "\n".join([header, rule, *rows])


def _figures(res: Result, drivers: TornadoResult | None) -> dict[str, Figure]:
    figs: dict[str, Any] = {}
    figs["stacked_federal"] = plot.stacked(res, "federal").figure
    figs["fan_federal"] = plot.fan(res, "federal").figure
    if res.has_baseline:
        figs["waterfall_federal"] = plot.waterfall(res, "federal").figure
    if not res.deterministic:
        figs["distribution_federal"] = plot.distribution(res, "federal").figure
    figs["pipeline"] = plot.pipeline(res).figure
    if drivers is not None:
        figs["tornado_federal"] = plot.tornado(drivers).figure
    return figs


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
    non-monetized effects, pipeline), ``report.md``, a multi-page
    ``report.pdf`` and ``manifest.json``.

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
    written: dict[str, Path] = {}
    sc = res.scenario
    figdir = folder / "figures"
    figdir.mkdir(exist_ok=True)
    tor = tornado(sc, "federal") if drivers and sc.uncertain() else None
    figs = _figures(res, tor)
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text
        for name, fig in figs.items():
            for ext in ("png", "svg"):
                path = figdir / f"{name}.{ext}"
                fig.savefig(path, dpi=150 if ext == "png" else None, bbox_inches="tight")
                written[f"{name}.{ext}"] = path

    # tables ------------------------------------------------------------------------
    tables: dict[str, pd.DataFrame] = {}
    for perspective in perspectives_with_lines(res):
        for basis in ("nominal", "real", "pv"):
            tables[f"{perspective}_{basis}"] = res.table(perspective, basis)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        summary = res.summary("nominal")
    params = parameters_used(sc)
    reg = params[params["side"] == "policy"]
    if tor is not None:
        drv = tor.to_frame().join(reg.set_index("name")[["citation"]])
    xlsx = folder / "tables.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as book:
        for name, frame in tables.items():
            frame.to_excel(book, sheet_name=name[:31])
        summary.to_excel(book, sheet_name="percentiles_nominal")
        if tor is not None:
            drv.to_excel(book, sheet_name="drivers_tornado")
        params.to_excel(book, sheet_name="parameters", index=False)
        res.nonmonetized().to_excel(book, sheet_name="nonmonetized")
        res.pipeline().to_excel(book, sheet_name="pipeline")
    written["tables.xlsx"] = xlsx

    # text blocks shared by the Markdown and the PDF --------------------------------
    head = _headline(res)
    fed = tables.get("federal_nominal")
    drivers_lines: list[str] = []
    if tor is not None:
        top = drv.head(12)
        for key, row in top.iterrows():
            name = str(key)
            flag = " [A]" if row["source_kind"] == "assumption" else ""
            drivers_lines.append(
                f"{name}{flag}: swing {_money(float(row['swing']))} "
                f"({row['source_kind']}; {row['provision']})"
            )
            drivers_lines += _wrap(str(row["citation"]), 104, "    source: ")
    param_lines = []
    for _, row in reg.iterrows():
        flag = "[A]" if row["source_kind"] == "assumption" else "   "
        dist = row["distribution"]
        param_lines.append(
            f"{flag} {row['name']:<36} {row['value']:>14,.6g} {row['unit']:<18} "
            f"{row['dollar_year']:<7} {row['source_kind']:<10} {dist}"
        )
    register = res.nonmonetized()
    reg_lines = []
    for _, r in register.iterrows():
        reg_lines += _wrap(f"{r['title']} ({r['provision']}; {r['direction']}): "
                           f"{r['description']}", 110, "")
        reg_lines.append("")

    # Markdown ----------------------------------------------------------------------
    md = [f"# {sc.name}", "", sc.description, "", "## Headline", "",
          *[ln.strip() for ln in head], ""]
    for perspective in perspectives_with_lines(res):
        t = tables[f"{perspective}_nominal"]
        md += [f"## {PERSPECTIVE_LABELS[perspective]}: by fiscal year and provision", "",
               units_line(res, "nominal"), "", _md_table(t), ""]
    md += ["## Charts", ""]
    md += [f"![{name}](figures/{name}.png)" for name in figs]
    if tor is not None:
        md += ["", "## What drives the federal estimate (one at a time)", "",
               "Inputs marked [A] rest on assumptions, not sources.", ""]
        for key, row in drv.head(12).iterrows():
            name = str(key)
            flag = " [A]" if row["source_kind"] == "assumption" else ""
            md.append(f"- **{name}**{flag}: swing {_money(float(row['swing']))} "
                      f"({row['source_kind']}). Source: {row['citation']}")
    md += ["", "## Parameters used", "",
           "Every input with its value, unit, dollar year, source kind and source. "
           "[A] = assumption (no source found).", "",
           "| | name | value | unit | dollar year | kind | distribution | source |",
           "|---|---|---|---|---|---|---|---|"]
    for _, row in reg.iterrows():
        flag = "[A]" if row["source_kind"] == "assumption" else ""
        md.append(f"| {flag} | {row['name']} | {row['value']:,.6g} | {row['unit']} | "
                  f"{row['dollar_year']} | {row['source_kind']} | {row['distribution']} | "
                  f"{str(row['citation']).replace('|', '/')} |")
    md += ["", "## Not estimated (non-monetized effects)", ""]
    md += [f"- **{r['title']}** ({r['direction']}): {r['description']}"
           for _, r in register.iterrows()]
    md += ["", f"*enforcecost {__version__}; see manifest.json to rerun this report.*", ""]
    (folder / "report.md").write_text("\n".join(md), encoding="utf-8")
    written["report.md"] = folder / "report.md"

    # PDF ---------------------------------------------------------------------------
    pdf_path = folder / "report.pdf"
    with PdfPages(pdf_path) as pdf:
        first = [*head, ""]
        if fed is not None:
            first += render_table(fed, "Federal net cost by fiscal year",
                                  units_line(res, "nominal")).splitlines()
        for perspective in perspectives_with_lines(res):
            if perspective == "federal":
                continue
            heading = f"{PERSPECTIVE_LABELS[perspective]} net cost by fiscal year"
            first += ["", *render_table(tables[f"{perspective}_nominal"], heading,
                                        units_line(res, "nominal")).splitlines()]
        _text_pages(pdf, sc.name, first, size=6.2)
        for fig in figs.values():
            pdf.savefig(fig)
        if drivers_lines:
            _text_pages(pdf, "What drives the federal estimate", [
                "Each input moved alone to the low and high end of its range; [A] = assumption.",
                "", *drivers_lines])
        _text_pages(pdf, "Parameters used ([A] = assumption, no source found)", [
            f"    {'name':<36} {'value':>14} {'unit':<18} {'$ year':<7} {'kind':<10} "
            "distribution", *param_lines], size=6.0)
        _text_pages(pdf, "Not estimated: non-monetized effects", reg_lines)
        info = pdf.infodict()
        info["Title"] = f"enforcecost report: {sc.name}"
        info["Creator"] = f"enforcecost {__version__}"
    written["report.pdf"] = pdf_path
    for fig in figs.values():
        plt.close(fig)

    man = folder / "manifest.json"
    man.write_text(json.dumps(manifest(res, sampler=sampler, seed=seed, command=command),
                              indent=2, default=str), encoding="utf-8")
    written["manifest.json"] = man
    return written


def write_comparison(results: Sequence[tuple[str, Result]], folder: Path) -> dict[str, Path]:
    """The page comparing several scenarios: a chart, a table and a Markdown page."""
    written: dict[str, Path] = {}
    rows = []
    for ident, res in results:
        row: dict[str, Any] = {"scenario": ident, "name": res.scenario.name}
        for perspective in PERSPECTIVES:
            p5, p95 = np.atleast_1d(res.quantile([0.05, 0.95], perspective, "nominal"))
            row[f"{perspective}_mean_millions"] = res.mean_total(perspective, "nominal") / 1e6
            row[f"{perspective}_p5_millions"] = float(p5) / 1e6
            row[f"{perspective}_p95_millions"] = float(p95) / 1e6
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("scenario")
    frame.to_csv(folder / "comparison.csv")
    written["comparison.csv"] = folder / "comparison.csv"
    fig = plot.compare([r for _, r in results], "federal").get_figure(root=True)
    assert fig is not None
    for ext in ("png", "svg"):
        fig.savefig(folder / f"comparison_federal.{ext}", dpi=150, bbox_inches="tight")
        written[f"comparison_federal.{ext}"] = folder / f"comparison_federal.{ext}"
    plt.close(fig)
    md = ["# Scenario comparison", "",
          "Window totals, nominal dollars, millions (mean and 90% range over draws).", "",
          _md_table(frame.drop(columns="name").round(0)), "",
          "![comparison](comparison_federal.png)", ""]
    (folder / "comparison.md").write_text("\n".join(md), encoding="utf-8")
    written["comparison.md"] = folder / "comparison.md"
    return written
