"""The hindcast section of a report: its table in words and what it shows.

Read by :func:`._content.report_content` (once), laid out by the Markdown and PDF
writers. A :class:`~enforcecost.hindcasting.Hindcast` sets the model's pipeline beside
what ICE and EOIR published; this module only words it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ..hindcasting import Hindcast

__all__ = ["HINDCAST_COLUMNS", "hindcast_findings", "hindcast_lines", "hindcast_rows"]

#: The columns of the report's hindcast table, in order.
HINDCAST_COLUMNS = ("quantity", "FY", "published", "model mean", "90% band", "error", "target")


def _n(x: Any) -> str:
    return f"{float(x):,.0f}"


def _pct(x: Any) -> str:
    """A signed share with a typographic minus: ``+13.2%``, ``−18.7%``."""
    return f"{float(x):+.1%}".replace("-", "\u2212")


def _years(years: list[int]) -> str:
    """``FY2018``, ``FY2018 and FY2019``, ``FY2017, FY2018 and FY2019``."""
    fy = [f"FY{y}" for y in years]
    return fy[0] if len(fy) == 1 else ", ".join(fy[:-1]) + " and " + fy[-1]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` (its index a column) as plain dicts."""
    return [{str(k): v for k, v in row.items()} for row in frame.reset_index().to_dict("records")]


def _missing(value: Any) -> bool:
    """None, NA or NaN: a cell with no value (a comparison without a target)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def hindcast_rows(h: Hindcast) -> pd.DataFrame:
    """The table of the report: one row per comparison and year, as text.

    Columns :data:`HINDCAST_COLUMNS`: the quantity's label (on its first row only),
    the fiscal year (marked ``~`` where a stand-in was read), the published value, the
    model's mean and 90% band (5th to 95th percentile), the error
    (``mean / published - 1``) and the target (``±15%: met``, ``±15%: missed`` or
    ``no target``).
    """
    rows = []
    last = None
    for r in _records(h.table):
        target = "no target"
        if not _missing(r["tolerance"]):
            target = f"\u00b1{r['tolerance']:.0%}: {'met' if bool(r['within']) else 'missed'}"
        rows.append({
            "quantity": str(r["label"]) if r["quantity"] != last else "",
            "FY": f"FY{int(r['fiscal_year'])}{'~' if r.get('reading') else ''}",
            "published": _n(r["actual"]),
            "model mean": _n(r["mean"]),
            "90% band": f"{_n(r['p5'])}\u2013{_n(r['p95'])}",
            "error": _pct(r["error"]),
            "target": target,
        })
        last = r["quantity"]
    return pd.DataFrame(rows, columns=list(HINDCAST_COLUMNS))


def hindcast_findings(h: Hindcast) -> str:
    """What the hindcast shows, in one paragraph generated from its summary.

    The targets met and missed (with the largest error and the years outside the
    tolerance), how many published values lie in the model's 90% band, and the
    largest gap among the quantities shown without a target.
    """
    table = _records(h.table)
    judged = [s for s in _records(h.summary()) if not _missing(s["tolerance"])]
    met = [s for s in judged if bool(s["met"])]
    missed = [s for s in judged if not bool(s["met"])]

    def why_met(s: dict[str, Any]) -> str:
        text = (f"{s['label']} (within \u00b1{s['tolerance']:.0%} in {s['years']}, "
                f"largest error {_pct(s['worst_error'])}")
        if not _missing(s["rising"]) and bool(s["rising"]):
            text += ", and rising every year as published"
        return text + ")"

    def why_missed(s: dict[str, Any]) -> str:
        out = [int(r["fiscal_year"]) for r in table
               if r["quantity"] == s["quantity"] and not bool(r["within"])]
        parts = [f"largest error {_pct(s['worst_error'])} against \u00b1{s['tolerance']:.0%}"]
        if out:
            parts.append(f"outside in {_years(out)}")
        if not _missing(s["rising"]) and not bool(s["rising"]):
            parts.append("the model's mean does not rise every year, as the published "
                         "series does")
        return f"{s['label']} ({'; '.join(parts)})"

    n = len(judged)
    words = []
    if n:
        words.append(f"Of the {n} target{'s' if n != 1 else ''} set before the hindcast was "
                     f"run, {len(met)} {'is' if len(met) == 1 else 'are'} met and "
                     f"{len(missed)} missed.")
        if met:
            words.append("Met: " + "; ".join(why_met(s) for s in met) + ".")
        if missed:
            words.append("Missed: " + "; ".join(why_missed(s) for s in missed) + ".")
    inside = sum(bool(r["in_band"]) for r in table)
    band = (f"The published value lies inside the model's 90% band in {inside} of the "
            f"{len(table)} comparisons (series and year)")
    if inside * 2 < len(table):
        band += ("; the band reflects the uncertain inputs only, not error in the model's "
                 "structure")
    words.append(band + ".")
    stand_ins = [r for r in table if r.get("reading")]
    if stand_ins:
        words.append("Marked ~, a published count to a date or a pace over part of the "
                     "year, made a figure for the year: " + "; ".join(
                         f"FY{int(r['fiscal_year'])} {r['label'].lower()}, {r['reading']}"
                         for r in stand_ins) + ".")
    context = [r for r in table if _missing(r["tolerance"])]
    if context:
        r = max(context, key=lambda r: abs(float(r["error"])))
        words.append(f"Of the quantities shown without a target, the largest gap is "
                     f"{r['label']} in FY{int(r['fiscal_year'])}: {_pct(r['error'])} "
                     f"({_n(r['mean'])} modelled, {_n(r['actual'])} published).")
    return " ".join(words)


def hindcast_lines(h: Hindcast) -> list[str]:
    """The table as monospaced text lines (the PDF page): a header, a rule and the rows."""
    frame = hindcast_rows(h)
    width = max(len("quantity"), *(len(str(q)) for q in frame["quantity"]))
    head = (f"{'quantity':<{width}}  {'FY':<6}  {'published':>10}  {'model mean':>10}  "
            f"{'90% band':>17}  {'error':>7}  target")
    lines = [head, "-" * len(head)]
    for r in frame.itertuples(index=False):
        if r.quantity and len(lines) > 2:
            lines.append("")
        lines.append(f"{r.quantity:<{width}}  {r.FY:<6}  {r.published:>10}  "
                     f"{r[3]:>10}  {r[4]:>17}  {r.error:>7}  {r.target}")
    return lines
