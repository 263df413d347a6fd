"""CBO-style text tables of a result, as the command line prints them.

- :func:`render_table`: one table of :meth:`Result.table <enforcecost.Result.table>`;
- :func:`render_result`: every perspective's table, with title and notes (and,
  for a Monte Carlo result, :func:`render_percentiles`);
- :func:`render_percentiles`: mean and percentiles of the 5-year and window totals.

The cells follow :func:`._cells.format_millions` (CBO conventions).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..results import Result
from ..vocab import PERSPECTIVE_TITLES, Basis
from ._cells import MILLION, fmt_se, format_millions, layout
from ._frames import STATS, percentile_frame
from ._labels import (
    basis_words,
    perspectives_with_lines,
    run_description,
    scenario_files,
    scenario_title,
    units_line,
)

__all__ = ["render_percentiles", "render_result", "render_table"]

_NOTES = (
    "Positive numbers are costs to the payer (outlays, revenue lost); negative numbers are "
    "savings or gains.",
    "- = zero; * = between -$500,000 and $500,000. Components may not sum to totals "
    "because of rounding.",
)


def render_table(table: pd.DataFrame, title: str = "", units: str = "") -> str:
    """Lay out a table of ``Result.table`` (millions of dollars) as CBO-style text.

    Parameters
    ----------
    table : DataFrame
        Rows are provisions and a last ``Total`` row; columns fiscal years and totals.
    title, units : str
        Heading and units lines printed above the table (omitted when empty).

    Returns
    -------
    str
        Right-aligned columns, the ``Total`` row set off by a rule.
    """
    labels = [str(i) for i in table.index]
    label_w = max([len(s) for s in labels] + [len("Total")])
    cells = [[format_millions(float(v)) for v in row] for row in table.to_numpy()]
    headers = [str(c) for c in table.columns]
    widths = [
        max([len(h), *(len(r[j]) for r in cells)]) for j, h in enumerate(headers)
    ]

    def line(label: str, values: Sequence[str]) -> str:
        body = "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))
        return f"{label.ljust(label_w)}  {body}".rstrip()

    rule = "-" * (label_w + 2 + sum(widths) + 2 * (len(widths) - 1))
    out = [s for s in (title, units) if s]
    out += [line("", headers), rule]
    for label, row in zip(labels, cells, strict=True):
        if label == "Total":
            out.append(rule)
        out.append(line(label, row))
    return "\n".join(out)


def render_result(
    res: Result,
    basis: Basis = "nominal",
    *,
    footnote: str | None = None,
    sampler: str | None = None,
    seed: int | None = None,
    percentiles: bool = True,
) -> str:
    """Every perspective's CBO-style table for one result, with title and notes.

    Parameters
    ----------
    res : Result
        The evaluated (or simulated) scenario.
    basis : {'nominal', 'real', 'pv'}
        Dollars of the tables.
    footnote : str, optional
        Replaces the default line on non-monetized effects.
    sampler, seed : optional
        How a Monte Carlo result was drawn, for its units lines.
    percentiles : bool
        For a Monte Carlo result, add :func:`render_percentiles` after the
        CBO tables (this computes :meth:`Result.summary`, which may warn
        :class:`~enforcecost.results.PrecisionWarning`).

    Returns
    -------
    str
        The title, then per perspective with any ledger lines a heading, the
        units line and the table (means over draws for a Monte Carlo result),
        then the percentile tables, then the notes.
    """
    blocks = [f"{scenario_title(res)}\n{scenario_files(res, full_path=True)}"]
    units = units_line(res, basis, sampler=sampler, seed=seed)
    for perspective in perspectives_with_lines(res):
        table = res.table(perspective, basis)
        blocks.append(render_table(table, PERSPECTIVE_TITLES[perspective], units))
    if percentiles and not res.deterministic:
        blocks.append(render_percentiles(res, basis, sampler=sampler, seed=seed))
    n = len(res.nonmonetized())
    if footnote is None:
        footnote = (
            f"Not estimated: {n} non-monetized effect{'s' if n != 1 else ''} "
            "(see Result.nonmonetized())."
        )
    blocks.append("\n".join([*_NOTES, footnote]))
    return "\n\n".join(blocks)


def render_percentiles(
    res: Result, basis: Basis = "nominal", *, sampler: str | None = None, seed: int | None = None
) -> str:
    """Per perspective, the 5-year and window totals' mean, p5, p50 and p95 ($ millions).

    Each number is followed by its Monte Carlo standard error (``se``), from
    :func:`percentile_frame`.

    Parameters
    ----------
    res : Result
        A Monte Carlo result.
    basis : {'nominal', 'real', 'pv'}
    sampler, seed : optional
        How the draws were made, for the heading.

    Returns
    -------
    str
    """
    frame = percentile_frame(res, basis) / MILLION
    over = run_description(res, sampler=sampler, seed=seed).removeprefix("means of ")
    out = [
        f"Distribution of the net cost over {over}",
        f"Millions of dollars, {basis_words(res, basis)}; "
        "se = Monte Carlo standard error of the number to its left",
    ]
    headers = ["", *(h for k in STATS for h in (k, "se"))]
    for perspective in dict.fromkeys(frame.index.get_level_values("perspective")):
        part = frame.loc[perspective]
        rows = [
            [str(span), *(
                cell
                for k in STATS
                for cell in (format_millions(float(r[k])), fmt_se(float(r[f"{k}_se"])))
            )]
            for span, r in part.iterrows()
        ]
        out += ["", PERSPECTIVE_TITLES[str(perspective)], *layout(headers, rows)]
    return "\n".join(out)
