"""The parameter registry as a text table of a given width (``enforcecost params``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

__all__ = ["fmt_value", "render_registry", "short_citation"]


def short_citation(citation: str) -> str:
    """The source named at the start of a citation, without its quotation.

    Examples
    --------
    >>> short_citation('EO 13768 summary (seed): "Hires 10,000 additional officers"')
    'EO 13768 summary (seed)'
    """
    head = citation.split('"', 1)[0].rstrip(" :,;(")
    return head or citation


_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def fmt_value(v: float, compact_from: float = 1e6) -> str:
    """A registry number for a narrow column: ``10,000``, ``0.96``, ``11M``, ``244.7B``."""
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if abs(v) >= compact_from:
        for size, suffix in _SUFFIXES:
            if abs(v) >= size:
                return f"{v / size:.4g}{suffix}"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.6g}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."


_MIN_CITATION = 20


def _value_cell(value: float, by_year: str) -> str:
    """The value, or a schedule's lowest and highest year times its multiplier.

    Examples
    --------
    >>> _value_cell(1.0, "2017: 25; 2018: 41; 2021: 115")
    '25-115'
    >>> _value_cell(10_000.0, "")
    '10,000'
    """
    if not by_year:
        return fmt_value(value)
    years = [value * float(part.split(":")[1]) for part in by_year.split(";")]
    return f"{fmt_value(min(years))}-{fmt_value(max(years))}"


def render_registry(frame: pd.DataFrame, width: int = 100) -> str:
    """The parameter registry as a text table no wider than ``width``.

    Parameters
    ----------
    frame : DataFrame
        :func:`enforcecost.parameters` or rows of it (indexed by name).
    width : int
        Maximum line length (the terminal width). The citation column takes
        what is left; when fewer than 20 characters are left, each citation goes
        on its own indented line. Anything longer is cut with ``...``.

    Returns
    -------
    str
        A heading line per provision, then one row per parameter: name, value,
        unit, dollar year, range (of the default uncertainty; empty when
        fixed), source kind (``*``: a reference figure, not a model input) and
        short citation. A value scheduled by fiscal year shows its lowest and
        highest year (``25-115``); ``--csv`` gives the schedule (``by_year``).
        Large numbers are abbreviated (``11M``, ``244.7B``); ``--csv`` gives
        them in full.
    """
    headers = ["name", "value", "unit", "dollar year", "range", "kind", "citation"]
    rows: list[tuple[str, list[str]]] = []
    for name, r in frame.iterrows():
        lo, hi = float(r["low"]), float(r["high"])
        rng = "" if math.isnan(lo) else f"{fmt_value(lo, 1e4)} to {fmt_value(hi, 1e4)}"
        kind = str(r["source_kind"]) + ("*" if r["role"] == "reference" else "")
        cells = [
            str(name),
            _value_cell(float(r["value"]), str(r.get("by_year", "") or "")),
            str(r["unit"]),
            str(r["dollar_year"]),
            rng,
            kind,
            short_citation(str(r["citation"])),
        ]
        rows.append((str(r["provision"]), cells))
    widths = [max([len(h), *(len(c[j]) for _, c in rows)]) for j, h in enumerate(headers)]
    room = width - sum(widths[:-1]) - 2 * (len(headers) - 1)
    inline = room >= _MIN_CITATION
    ncols = len(headers) if inline else len(headers) - 1
    if inline:
        widths[-1] = min(widths[-1], room)

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if j == 1 else _clip(c, w).ljust(w)
            for j, (c, w) in enumerate(zip(cells[:ncols], widths[:ncols], strict=True))
        ]
        return _clip("  ".join(parts).rstrip(), width)

    head = line(headers) if inline else line(headers) + "\n  citation"
    out = [head, _clip("-" * (sum(widths[:ncols]) + 2 * (ncols - 1)), width)]
    current = None
    for provision, cells in rows:
        if provision != current:
            out.append(f"[{provision}]")
            current = provision
        out.append(line(cells))
        if not inline:
            out.append(_clip("  " + cells[-1], width))
    if any(c[5].endswith("*") for _, c in rows):
        out += ["", _clip("* reference figure: context and cross-checks, not a model input", width)]
    return "\n".join(out)
