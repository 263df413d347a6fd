"""The Markdown pages: one scenario's ``report.md`` and the ``comparison.md`` of several."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._version import __version__
from ..vocab import PERSPECTIVE_LABELS
from ._cells import money_words, plain_number
from ._content import ReportContent
from ._frames import describe_distribution
from ._labels import provision_label, scenario_files, units_line

__all__ = ["comparison_markdown", "markdown_table", "report_markdown"]


def markdown_table(frame: pd.DataFrame, floatfmt: str = "{:,.0f}") -> str:
    """``frame`` (its index first) as a Markdown table, finite numbers by ``floatfmt``."""
    cols = [str(c) for c in frame.columns]
    header = "| " + " | ".join([str(frame.index.name or ""), *cols]) + " |"
    rule = "|" + "---|" * (len(cols) + 1)
    rows = []
    for idx, row in frame.iterrows():
        cells = [floatfmt.format(v) if isinstance(v, int | float | np.floating) and
                 np.isfinite(v) else str(v) for v in row]
        rows.append("| " + " | ".join([str(idx), *cells]) + " |")
    return "\n".join([header, rule, *rows])


def _lines(block: tuple[str, ...]) -> list[str]:
    """A heading line and its indented lines as a Markdown paragraph and list."""
    head, *rest = block
    return [head, "", *("- " + ln.strip() for ln in rest)] if rest else [head]


def report_markdown(content: ReportContent) -> str:
    """One scenario's report: headline, tables, charts, the hindcast (of a scenario marked
    ``hindcast = true``), drivers, parameters, register.

    The headline is a list (a line per perspective), provisions are named by their
    labels (:data:`~enforcecost.provisions.LABELS`) and numbers are written out
    (:func:`~._cells.plain_number`: ``11 million``, ``$244.7 billion``), never with
    an exponent."""
    res = content.result
    sc = res.scenario
    md = [f"# {sc.name}", "", sc.description, "", scenario_files(res), "", "## Headline", "",
          *_lines(content.headline), ""]
    if content.assumption_lines:
        md += [*_lines(content.assumption_lines), ""]
    for perspective in content.perspectives:
        table = content.tables[f"{perspective}_nominal"]
        md += [f"## {PERSPECTIVE_LABELS[perspective]}: by fiscal year and provision", "",
               units_line(res, "nominal"), "",
               markdown_table(table.rename(index=provision_label)), ""]
    md += ["## Charts", ""]
    md += [f"![{name}](figures/{name}.png)" for name in content.charts
           if name not in ("hindcast", "eras")]
    md += _sections(content)
    md += _hindcast_section(content)
    if content.tornado is not None:
        md += ["", "## What drives the federal estimate (one at a time)", "",
               "Inputs marked [A] rest on assumptions, not sources.", ""]
        for d in content.drivers:
            flag = " [A]" if d.assumption else ""
            md.append(f"- **{d.name}**{flag}: swing {money_words(d.swing)} "
                      f"({d.source_kind}). Source: {d.citation}")
    md += ["", "## Parameters used", "",
           "Every input with its value, unit, dollar year, source kind and source. "
           "[A] = assumption (no source found). Millions and more to four significant "
           "figures (`tables.xlsx` and `parameters_used.csv` give every digit).", "",
           "| | name | value | unit | dollar year | kind | distribution | source |",
           "|---|---|---|---|---|---|---|---|"]
    settings = sc.settings()
    for _, row in content.policy_parameters.iterrows():
        flag = "[A]" if row["source_kind"] == "assumption" else ""
        dollars = str(row["unit"]).startswith("USD")

        def number(v: float, dollars: bool = dollars) -> str:
            return plain_number(v, dollars=dollars)

        md.append(f"| {flag} | {row['name']} | {number(float(row['value']))} | {row['unit']} | "
                  f"{row['dollar_year']} | {row['source_kind']} | "
                  f"{describe_distribution(settings[row['name']], number)} | "
                  f"{str(row['citation']).replace('|', '/')} |")
    md += ["", "## Not estimated (non-monetized effects)", ""]
    md += [f"- **{r['title']}** ({r['direction']}): {r['description']}"
           for _, r in content.nonmonetized.iterrows()]
    md += ["", f"*enforcecost {__version__}; see manifest.json to rerun this report.*", ""]
    return "\n".join(md)


def _sections(content: ReportContent) -> list[str]:
    """The scenario's own sections (budget authority, two eras): paragraph, table, chart."""
    md: list[str] = []
    for sec in content.sections:
        md += ["", f"## {sec.title}", "", sec.intro, "",
               "| " + " | ".join(sec.header) + " |",
               "|" + "---|" * len(sec.header)]
        md += ["| " + " | ".join(r) + " |" for r in sec.rows]
        if sec.chart and sec.chart in content.charts:
            md += ["", f"![{sec.chart}](figures/{sec.chart}.png)"]
    return md


def _hindcast_section(content: ReportContent) -> list[str]:
    """The hindcast's section: what it shows, its table and its chart (none without one)."""
    past, rows = content.hindcast, content.hindcast_rows
    if past is None or rows is None:
        return []
    md = ["", "## Hindcast: the model against what ICE and EOIR published", "",
          f"The policy side's pipeline, mean and 90% band (5th to 95th percentile) of "
          f"{past.draws:,} draws ({past.sampler} sampler, seed {past.seed}), beside the "
          "published outcomes (`enforcecost series --role actual`), year by year. "
          "Behavioural parameters come from data before the order (FY2012-FY2016; for "
          "the 2025 revival FY2022-FY2024); the published values "
          "are compared with, never fitted. Error = model mean / published value - 1.", "",
          "**What the hindcast shows.** " + content.hindcast_findings, "",
          "| " + " | ".join(rows.columns) + " |",
          "|" + "---|" * len(rows.columns)]
    md += ["| " + " | ".join(str(v) for v in r) + " |"
           for r in rows.itertuples(index=False)]
    if "hindcast" in content.charts:
        md += ["", "![hindcast](figures/hindcast.png)"]
    return md


def comparison_markdown(frame: pd.DataFrame) -> str:
    """The comparison page of :func:`~._frames.comparison_frame` and its chart."""
    md = ["# Scenario comparison", "",
          "Window totals, nominal dollars, millions (mean and 90% range over draws).", "",
          markdown_table(frame.drop(columns="name").round(0)), "",
          "![comparison](comparison_federal.png)", ""]
    return "\n".join(md)
