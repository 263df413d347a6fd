"""Cells and layout of the text tables: CBO money cells, standard errors, indices, columns.

Conventions follow CBO cost estimates: millions of dollars, ``-`` is zero and
``*`` is between -$500,000 and $500,000.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "MILLION",
    "ZERO_DOLLARS",
    "fmt_index",
    "fmt_interval",
    "fmt_se",
    "format_millions",
    "layout",
    "millions",
    "money_words",
    "more_rows",
    "plain_number",
]

MILLION = 1e6
ZERO_DOLLARS = 0.5  # below half a dollar a cell shows "-" (zero)


def format_millions(x: float) -> str:
    """One cell of a CBO table, ``x`` in millions of dollars.

    Whole millions with thousands separators; ``-`` for zero; ``*`` for a
    nonzero amount that rounds to zero (between -$500,000 and $500,000).

    Examples
    --------
    >>> [format_millions(x) for x in (0.0, 0.3, -0.4, 1234.5, -2500.2)]
    ['-', '*', '*', '1,234', '-2,500']
    """
    if not math.isfinite(x):
        return str(x)
    if abs(x) * MILLION < ZERO_DOLLARS:
        return "-"
    whole = round(x)
    if whole == 0:
        return "*"
    return f"{whole:,}"


def millions(x: float) -> str:
    """A CBO cell of ``x`` dollars (shown in millions)."""
    return format_millions(x / MILLION)


def money_words(x: float) -> str:
    """Dollars in words for a sentence: ``$1.2 billion``, ``$350 million``, ``$12,000``."""
    a = abs(x)
    if a >= 1e9:
        return f"${x / 1e9:,.1f} billion"
    if a >= 1e6:
        return f"${x / 1e6:,.0f} million"
    return f"${x:,.0f}"


_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def plain_number(x: float, dollars: bool = False) -> str:
    """A number as a reader writes it, never with an exponent.

    Millions and more in words to four significant figures (``11 million``,
    ``$244.7 billion``), whole numbers with thousands separators
    (``10,000``), other numbers to six significant figures (``2.25``,
    ``0.0206``, ``0.000015``). ``dollars`` puts a ``$`` in front (after a
    minus sign).

    Examples
    --------
    >>> [plain_number(x) for x in (1.1e7, 73_934_600.0, 10_000.0, 0.0206, 1.5e-5, -2.5)]
    ['11 million', '73.93 million', '10,000', '0.0206', '0.000015', '-2.5']
    >>> plain_number(2.447e11, dollars=True), plain_number(-50.0, dollars=True)
    ('$244.7 billion', '-$50')
    """
    if not math.isfinite(x):
        return str(x)
    sign, a = ("-" if x < 0 else ""), abs(x)
    cur = "$" if dollars else ""
    for size, word in _WORDS:
        if a >= size:
            return f"{sign}{cur}{a / size:,.4g} {word}"
    if a == int(a):
        return f"{sign}{cur}{int(a):,}"
    if a >= 1:
        return f"{sign}{cur}{a:,.6g}"
    text = np.format_float_positional(a, precision=6, unique=True, fractional=False, trim="-")
    return f"{sign}{cur}{text}"


def fmt_se(se: float) -> str:
    """A standard error in millions: whole millions, or one significant digit below 1."""
    if not math.isfinite(se):
        return str(se)
    if se * MILLION < ZERO_DOLLARS:
        return "0"
    if se >= 0.5:
        return f"{round(se):,}"
    return f"{se:.1g}"


def fmt_index(x: float) -> str:
    """A sensitivity index with three decimals (``nan`` when undefined, never ``-0.000``)."""
    if not math.isfinite(x):
        return "nan"
    text = f"{x:.3f}"
    return "0.000" if float(text) == 0 else text


def fmt_interval(low: float, high: float, fmt: Callable[[float], str] = fmt_index) -> str:
    """``[low, high]``, each end formatted by ``fmt``."""
    return f"[{fmt(low)}, {fmt(high)}]"


def more_rows(shown: int, total: int, what: str) -> list[str]:
    """The line saying how many rows a table left off (none when it shows them all)."""
    rest = total - shown
    return [f"... and {rest:,} more input{'s' if rest != 1 else ''} ({what})"] if rest > 0 else []


def layout(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """A text table: the first ``left`` columns left-aligned, the rest right-aligned."""
    widths = [max([len(h), *(len(r[j]) for r in rows)]) for j, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.ljust(w) if j < left else c.rjust(w)
            for j, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return [line(headers), rule, *(line(r) for r in rows)]
